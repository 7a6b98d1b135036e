"""What the letters add to the application: the decision letter rendered once at step 8 and
stored with its SHA-256, its correction by a new letter, and the values the four reports
print."""

import base64
import hashlib
from datetime import datetime

import pytz
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.pdf import merge_pdf

from ..tools import pades
from ..tools.terbilang import number_to_words
from .ki_permohonan import DRAFT_FIELDS, OFFICE
from .sop import APPLICANT, KADIS

LETTER_REPORT = "kawasan_industri_verif.action_report_ki_letter"
BERITA_ACARA_REPORT = "kawasan_industri_verif.action_report_ki_berita_acara"
STATUS_LOOKUP_ROUTE = "/permohonan/status"
# The draft letter is printed for correction in steps 5-7 (DRAFT mark until signed), the
# signed one before it is numbered, the published one as stored.
PUBLISHED_STATES = ("delivered", "done")
LETTER_PRINT_STATES = ("verification", "kabid_review", "kadis_review", "numbering")
LETTER_PRINT_STATES += PUBLISHED_STATES
BERITA_ACARA_STATES = LETTER_PRINT_STATES + ("returned",)
LETTER_FIELDS = {
    "letter_id",
    "letter_ids",
    "letter_attachment_id",
    "letter_sha256",
    "verify_token",
    "berita_acara_ids",
}
REPORTS = ("receipt", "disposition", "berita_acara", "letter")


class KiPermohonan(models.Model):
    # kept apart from ki_permohonan.py on purpose: the letters are their own concern
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    letter_id = fields.Many2one("ki.letter", "Published Letter", readonly=True, copy=False)
    letter_ids = fields.One2many("ki.letter", "permohonan_id", "Letters", readonly=True)
    berita_acara_ids = fields.One2many(
        "ki.berita.acara", "permohonan_id", "Verification Minutes", readonly=True, groups=OFFICE
    )
    letter_attachment_id = fields.Many2one(
        "ir.attachment", related="letter_id.attachment_id", string="Letter PDF"
    )
    letter_sha256 = fields.Char(related="letter_id.sha256", string="Letter SHA-256")
    verify_token = fields.Char(related="letter_id.token", string="Verification Token")
    letter_verify_url = fields.Char(related="letter_id.verify_url", string="Verification Page")

    can_print_receipt = fields.Boolean(compute="_compute_can_print")
    can_print_disposition = fields.Boolean(compute="_compute_can_print")
    can_print_berita_acara = fields.Boolean(compute="_compute_can_print")
    can_print_letter = fields.Boolean(compute="_compute_can_print")
    can_correct_letter = fields.Boolean(compute="_compute_can_print")

    @api.depends("state", "name", "agenda_number", "decision", "letter_id")
    @api.depends_context("uid")
    def _compute_can_print(self):
        for rec in self:
            for report in REPORTS:
                rec[f"can_print_{report}"] = rec._may_print(report) and rec._printable(report)
            rec.can_correct_letter = (
                rec.state in PUBLISHED_STATES and bool(rec.letter_id) and rec._is_actor(KADIS)
            )

    def write(self, vals):
        # Checked for every user, the system included: only a new letter changes a decision
        # that has been published.
        if set(vals) & DRAFT_FIELDS and self.sudo().mapped("letter_id"):
            raise AccessError(
                self.env._("The decision of a published letter can no longer be changed.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------ transitions

    def action_submit_draft(
        self, decision=None, decision_reason=None, evaluation_summary=None, note=None
    ):
        """Step 5 done: the Berita Acara is rendered and stored as the team submits it, with
        its own number, so that a later correction never rewrites what the team signed."""
        result = super().action_submit_draft(
            decision=decision,
            decision_reason=decision_reason,
            evaluation_summary=evaluation_summary,
            note=note,
        )
        self._freeze_berita_acara()
        return result

    def action_kadis_sign(
        self,
        decision=None,
        decision_reason=None,
        evaluation_summary=None,
        note=None,
        delegation_id=None,
        passphrase=None,
        totp=None,
    ):
        """Step 7: the Head of Office signs the decision, or an official for them with one
        of their delegations (a.n., Plt., Plh.); the decision cannot change any more.

        With an electronic signature (BSrE or the office's certificate) the letter is
        numbered, rendered with its number and QR code, signed and stored here, before the
        file moves on; a wrong passphrase, a timeout or a service that is down refuses the
        signature, and the transaction, rolled back, consumes no number. The passphrase and
        the OTP only travel to the signing service. On paper the number comes at step 8."""
        transition = self._begin("action_kadis_sign", note)
        vals = self._prepare_draft_vals(decision, decision_reason, evaluation_summary)
        vals.update(self._prepare_signer_vals(delegation_id))
        if self._signature_mode() != "wet":
            self.sudo().write(dict(vals, letter_number=self._next_number("letter")))
            self._issue_letter(passphrase=passphrase, totp=totp)
            vals = {}
        return self._move(transition, note, vals)

    def action_number_and_publish(self, note=None, scan=None):
        """Step 8: the Sekretariat registers the signed letter in the outgoing agenda and
        sends it to the applicant. A letter signed on paper is numbered here, and the scan
        of the signed paper (`scan`, a PDF), stamped with the number and the QR code of its
        verification page, becomes the published letter."""
        transition = self._begin("action_number_and_publish", note)
        if not self.letter_id:
            scan = self._check_scan(scan)
            self.sudo().write({"letter_number": self._next_number("letter")})
            self._issue_letter(scan=scan)
        self._move(transition, note, {"publish_date": fields.Datetime.now()})
        self._publish_letter()
        return True

    def action_correct_letter(
        self, reason=None, passphrase=None, totp=None, scan=None, delegation_id=None
    ):
        """The Head of Office revokes the published letter, with a reason, and publishes a
        corrected one in its place: a new number, signed again as the office signs (with the
        passphrase or OTP, or as the scan of the newly signed paper). The decision stays."""
        self._check_reachable()
        self._lock()
        if self.state not in PUBLISHED_STATES or not self.letter_id:
            raise UserError(self.env._("Only a published letter can be corrected."))
        if not self._is_actor(KADIS):
            raise AccessError(self.env._("Only the Head of Office can correct a published letter."))
        if not (reason or "").strip():
            raise UserError(self.env._("Please write a note saying why."))
        if self._signature_mode() == "wet":
            scan = self._check_scan(scan)
        old = self.letter_id
        vals = self._prepare_signer_vals(delegation_id)
        vals.update(letter_number=self._next_number("letter"), publish_date=fields.Datetime.now())
        self.sudo().write(vals)
        new = self._issue_letter(passphrase=passphrase, totp=totp, scan=scan, replaces=old)
        old._revoke(reason, new)
        self._publish_letter()
        self.sudo().message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._(
                    "Letter %(old)s is revoked and replaced by letter %(new)s, which can be "
                    "downloaded from the portal.",
                    old=old.name,
                    new=new.name,
                ),
                reason,
            ),
            subtype_xmlid="mail.mt_comment",
            author_id=self.env.user.partner_id.id,
        )
        return True

    def action_open_transition_wizard(self):
        """An electronic signature is asked for in the signing dialog, which sends the
        passphrase or OTP straight to the action: it is never saved in a wizard."""
        action = self.env.context.get("ki_action")
        if action == "action_kadis_sign" and self._signature_mode() != "wet":
            return self._sign_dialog(action)
        return super().action_open_transition_wizard()

    def action_request_sign_otp(self):
        """Ask BSrE to send the signer a one-time code, for the signature of step 7 or of a
        correction."""
        self.ensure_one()
        self._check_reachable()
        signing_now = self._may("action_kadis_sign") or self.can_correct_letter
        if not signing_now:
            raise AccessError(self.env._("There is nothing for you to sign on this application."))
        self.env["ki.signing"]._request_totp(self.env.user)
        return True

    def action_open_correct_letter_wizard(self):
        self.ensure_one()
        self._check_reachable()
        if self._signature_mode() != "wet":
            return self._sign_dialog("action_correct_letter")
        return {
            "type": "ir.actions.act_window",
            "res_model": "ki.letter.correct.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_permohonan_id": self.id},
        }

    def action_print_report(self):
        """Print the report named in the context (receipt, disposition, berita_acara or
        letter); a published letter is downloaded exactly as published."""
        self.ensure_one()
        self._check_reachable()
        report = self.env.context.get("ki_report")
        if report not in REPORTS:
            raise UserError(self.env._("Unknown report."))
        self._check_printable(report)
        if report == "letter" and self.letter_id:
            return self.letter_id.action_download()
        return self.env.ref(f"kawasan_industri_verif.action_report_ki_{report}").report_action(self)

    # ------------------------------------------------------------------ numbers and letter

    def _check_field_write(self, fnames):
        if fnames & LETTER_FIELDS:
            raise AccessError(
                self.env._("The published letter changes only by publication or correction.")
            )
        return super()._check_field_write(fnames)

    def _signature_mode(self):
        return self.env["ki.signing"]._signing_mode()

    def _sign_dialog(self, method):
        """The client action of the signing dialog: what it signs and how the office signs."""
        self.ensure_one()
        mode = self._signature_mode()
        user = self.env.user
        identity, _data = user._ki_bsre_identity() if mode == "bsre" else (None, None)
        today = fields.Date.context_today(self.with_context(tz=self.env.company._ki_tz()))
        return {
            "type": "ir.actions.client",
            "tag": "kawasan_industri_verif.sign_dialog",
            "target": "new",
            "name": self.env._("Sign Electronically"),
            "params": {
                "res_id": self.id,
                "method": method,
                "mode": mode,
                "title": self.display_name,
                "decision": dict(self._fields["decision"]._description_selection(self.env)).get(
                    self.sudo().decision
                ),
                "reason_required": method == "action_correct_letter",
                "otp_possible": bool(identity),
                "delegations": [
                    [delegation.id, delegation.display_name]
                    for delegation in self.env["ki.signing.delegation"]._available(user, today)
                ],
            },
        }

    def _check_scan(self, scan):
        """The scan of a letter signed on paper, as bytes: a PDF, within the upload limit."""
        if isinstance(scan, str):
            scan = base64.b64decode(scan)
        if not scan:
            raise UserError(
                self.env._("Upload the scan of the signed letter (a PDF) to number and publish it.")
            )
        if len(scan) > self.env["ki.document.type"]._max_upload_bytes():
            raise UserError(self.env._("The scan is too large."))
        if guess_mimetype(scan) != "application/pdf":
            raise UserError(self.env._("The scan of the signed letter must be a PDF."))
        return scan

    def _issue_letter(self, passphrase=None, totp=None, scan=None, replaces=None):
        """Freeze the letter's values under the file's number, make its PDF once and store
        it with its SHA-256: rendered, with the minutes attached, and signed electronically;
        or, signed on paper, the scan stamped with the number and the QR code."""
        self.ensure_one()
        config = self.env["ki.letter.config"]._get()
        mode = self._signature_mode()
        record = self.sudo()
        letter = (
            self.env["ki.letter"]
            .sudo()
            .create(
                {
                    "name": record.letter_number,
                    "permohonan_id": self.id,
                    "partner_id": record.partner_id.id,
                    "partner_name": record.partner_id.name,
                    "date": self._office_time(fields.Datetime.now()).date(),
                    "decision": record.decision,
                    "subject": self._letter_subject(config),
                    "body": self._letter_body(config),
                    "signer_id": record.signer_id.id,
                    "signer_name": record.signer_name,
                    "signer_nip": record.signer_nip,
                    "signer_rank": record.signer_rank,
                    "signer_position": record.signer_position,
                    "signed_date": record.signed_date,
                    "signature_mode": mode,
                    "replaces_id": replaces.id if replaces else False,
                }
            )
        )
        record.write({"letter_id": letter.id})
        if mode == "wet":
            pdf = pades.stamp_qr(
                scan,
                letter.verify_url,
                self.with_context(lang=self.env.company._ki_lang()).env._(
                    "Number %(number)s", number=letter.name
                ),
            )
        else:
            pdf, _report_type = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True, report_pdf_no_attachment=True)
                ._render_qweb_pdf(self.env.ref(LETTER_REPORT), self.ids)
            )
            minutes = self._latest_minutes().attachment_id
            if minutes:
                pdf = merge_pdf([pdf, minutes.raw])
            pdf = self.env["ki.signing"]._sign_pdf(
                pdf,
                self.env.user,
                passphrase=passphrase,
                totp=totp,
                reason=letter.subject,
                location=config.city,
            )
        attachment = self._store_evidence(f"{self._report_filename('letter')}.pdf", pdf)
        letter.write({"attachment_id": attachment.id, "sha256": hashlib.sha256(pdf).hexdigest()})
        record._message_log(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Letter %(number)s signed and stored (SHA-256 %(sha256)s).",
                number=letter.name,
                sha256=letter.sha256,
            ),
            author_id=self.env.user.partner_id.id,
        )
        return letter

    def _publish_letter(self):
        """Offer the stored letter to the applicant (step 8, or a correction): it is the
        published letter from now on."""
        self.ensure_one()
        letter = self.sudo().letter_id
        self.sudo()._message_log(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Letter %(number)s published (SHA-256 %(sha256)s).",
                number=letter.name,
                sha256=letter.sha256,
            ),
            author_id=self.env.user.partner_id.id,
        )
        return letter

    def _freeze_berita_acara(self):
        """Number, render and store the minutes as the team submits them: a new version each
        time the draft goes up, the earlier ones kept."""
        self.ensure_one()
        record = self.sudo()
        minutes = (
            self.env["ki.berita.acara"]
            .sudo()
            .create(
                {
                    "name": self._next_number("berita_acara"),
                    "permohonan_id": self.id,
                    "version": self.env["ki.berita.acara"]
                    .sudo()
                    .search_count([("permohonan_id", "=", self.id)])
                    + 1,
                    "date": self._office_time(fields.Datetime.now()).date(),
                    "verifier_ids": [(6, 0, record.verifier_ids.ids)],
                }
            )
        )
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, report_pdf_no_attachment=True)
            ._render_qweb_pdf(self.env.ref(BERITA_ACARA_REPORT), self.ids)
        )
        title = self.with_context(lang=self.env.company._ki_lang()).env._(
            "Technical Verification Minutes"
        )
        attachment = self._store_evidence(f"{title} {minutes.name}.pdf".replace("/", "-"), pdf)
        minutes.write({"attachment_id": attachment.id, "sha256": hashlib.sha256(pdf).hexdigest()})
        return minutes

    def _stored_pdf(self, report):
        """The stored PDF that is this file's letter or minutes once signed (an empty
        recordset while it is still a draft)."""
        self.ensure_one()
        if report == "letter":
            return self.sudo().letter_id.attachment_id
        return self._latest_minutes().attachment_id

    def _latest_minutes(self):
        return self.env["ki.berita.acara"].sudo().search([("permohonan_id", "=", self.id)], limit=1)

    def _store_evidence(self, name, pdf):
        """A PDF of the file, frozen for good."""
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                    "ki_frozen": True,
                }
            )
        )

    def _report_filename(self, report):
        """File name of a printed report: its title in the office's language and the number."""
        lang_env = self.with_context(lang=self.env.company._ki_lang()).env
        titles = {
            "receipt": lang_env._("Receipt"),
            "disposition": lang_env._("Disposition Sheet"),
            "berita_acara": lang_env._("Technical Verification Minutes"),
        }
        title = titles.get(report) or self._letter_title()
        number = self.letter_number if report == "letter" else self.name
        return f"{title} {number or ''}".strip().replace("/", "-")

    def _letter_title(self):
        lang_self = self.with_context(lang=self.env.company._ki_lang())
        if self.decision == "reject":
            return lang_self.env._("Rejection Letter")
        return lang_self.env._("Approval Letter")

    def _letter_subject(self, config):
        return config.approval_subject if self.decision == "approve" else config.rejection_subject

    def _letter_body(self, config):
        lang = self.env.company._ki_lang()
        lang_env = self.with_context(lang=lang).env
        estate_types = dict(self._fields["estate_type"]._description_selection(lang_env))
        values = {
            "perusahaan": self.partner_id.name,
            "kawasan": self.estate_name or "",
            "jenis_kawasan": estate_types.get(self.estate_type, ""),
            "luas": self._format_number(self.area_ha),
            "lokasi": self._location(),
            "nomor_registrasi": self.name or "",
            "tanggal_permohonan": self._format_date(self.submit_date),
            "nib": self.nib or "",
            "alasan": self.decision_reason or "",
            "nomor_surat_permohonan": self.application_letter_number or "",
            "tanggal_surat_permohonan": self._format_date(self.application_letter_date),
            "dasar_hukum": config._legal_basis_html(),
        }
        return config._render_body(self.decision, values)

    # ------------------------------------------------------------------ report values

    def _may_print(self, report):
        """Who prints what: the office every report of the files it sees; the applicant
        only the receipt and, once it is published, the letter."""
        if self.env.su or self.env.user.has_group(OFFICE):
            return True
        if not self._is_actor(APPLICANT):
            return False
        return report == "receipt" or (report == "letter" and self.state in PUBLISHED_STATES)

    def _printable(self, report):
        """Whether the file's state has the report yet: the receipt once registered, the
        disposition sheet once on the agenda, the Berita Acara from the verification on,
        the letter from the decision draft on."""
        return {
            "receipt": bool(self.name),
            "disposition": bool(self.agenda_number),
            "berita_acara": self.state in BERITA_ACARA_STATES,
            "letter": self.state in LETTER_PRINT_STATES and bool(self.sudo().decision),
        }[report]

    def _check_printable(self, report):
        labels = {
            "receipt": self.env._("The receipt"),
            "disposition": self.env._("The disposition sheet"),
            "berita_acara": self.env._("The Berita Acara"),
            "letter": self.env._("The decision letter"),
        }
        for rec in self:
            if not rec._may_print(report):
                raise AccessError(
                    self.env._(
                        "%(report)s of this application is not yours to print.",
                        report=labels[report],
                    )
                )
            if not rec._printable(report):
                raise UserError(
                    self.env._(
                        "%(report)s cannot be printed while the application is %(state)s.",
                        report=labels[report],
                        state=rec._state_label(),
                    )
                )

    def _office_time(self, value):
        """`value` (a naive UTC datetime) in the office's time zone."""
        return pytz.utc.localize(value).astimezone(pytz.timezone(self.env.company._ki_tz()))

    def _format_date(self, value):
        """A date as Indonesian letters write it: 12 Maret 2026."""
        if not value:
            return ""
        if isinstance(value, datetime):
            value = self._office_time(value).date()
        return format_date(value, "d MMMM y", locale=self.env.company._ki_lang())

    def _format_datetime(self, value):
        if not value:
            return ""
        local = self._office_time(value)
        text = format_datetime(local, "d MMMM y, HH.mm", locale=self.env.company._ki_lang())
        return f"{text} {local.strftime('%Z')}"  # the zone: WIB, WITA or WIT

    def _format_number(self, value):
        return format_decimal(value or 0, locale=self.env.company._ki_lang())

    def _location(self):
        parts = (self.street, self.village, self.district, self.regency, self.province_id.name)
        return ", ".join(part for part in parts if part)

    def _urgency_labels(self):
        return self.env["ki.disposisi"]._fields["urgency"]._description_selection(self.env)

    def _letter_config(self):
        return self.env["ki.letter.config"]._get()

    def _letter_values(self):
        """What the decision letter prints: the frozen values of the signed letter, else
        those of the draft (DRAFT mark and the Division Head's initials until signed)."""
        self.ensure_one()
        config = self._letter_config()
        record = self.sudo()
        letter = record.letter_id
        values = {
            "attachments": len(self._latest_minutes()),
            "carbon_copies": config._lines("carbon_copies"),
            "address": self._partner_address(),
        }
        if letter:
            return dict(
                values,
                number=letter.name,
                date=self._format_date(letter.date),
                subject=letter.subject,
                body=letter.body,
                partner_name=letter.partner_name,
                signer_name=letter.signer_name,
                signer_nip=letter.signer_nip,
                signer_rank=letter.signer_rank,
                signer_position=letter.signer_position,
                signature_mode=letter.signature_mode,
                qr=letter._qr_data_uri(),
                verify_url=letter.verify_url,
                draft=False,
                initials=False,
            )
        return dict(
            values,
            number=record.letter_number,
            date=self._format_date(self.env.company._ki_today()),
            subject=self._letter_subject(config),
            body=self._letter_body(config),
            partner_name=record.partner_id.name,
            signer_name=record.signer_name,
            signer_nip=record.signer_nip,
            signer_rank=record.signer_rank,
            signer_position=record.signer_position,
            signature_mode=False,
            qr=False,
            verify_url=False,
            draft=not record.signed_date,
            initials=self._kabid_initials(),
        )

    def _partner_address(self):
        """The recipient company's address as the letter prints it."""
        partner = self.sudo().partner_id
        parts = (partner.street, partner.street2, partner.city, partner.state_id.name, partner.zip)
        return ", ".join(part for part in parts if part)

    def _kabid_initials(self):
        """The Division Head's initials (paraf) on the draft: who approved it for signature
        at step 6, and when; the latest approval counts."""
        approved = self.sudo().step_ids.filtered(
            lambda s: s.state == "kabid_review" and s.outcome == "approved"
        )
        last = approved.sorted("date_end")[-1:]
        return last and {"name": last.user_id.name, "date": self._format_datetime(last.date_end)}

    def _technical_checks(self):
        """The automatic checks of the master plan against the configured thresholds."""
        self.ensure_one()
        config = self._letter_config()
        min_area = config.min_area_ikm if self.estate_type == "ikm" else config.min_area_general
        number = self._format_number

        return [
            {
                "label": self.env._("Estate area"),
                "requirement": self.env._("at least %(value)s ha", value=number(min_area)),
                "value": f"{number(self.area_ha)} ha",
                "ok": self.area_ha >= min_area,
            },
            {
                "label": self.env._("Industrial plots"),
                "requirement": self.env._(
                    "at most %(value)s%%", value=number(config.max_share_industrial)
                ),
                "value": f"{number(self.share_industrial)}%",
                "ok": self.share_industrial <= config.max_share_industrial,
            },
            {
                "label": self.env._("Green open space"),
                "requirement": self.env._(
                    "at least %(value)s%%", value=number(config.min_share_green)
                ),
                "value": f"{number(self.share_green)}%",
                "ok": self.share_green >= config.min_share_green,
            },
            {
                "label": self.env._("Roads and drainage"),
                "requirement": self.env._(
                    "at least %(value)s%%", value=number(config.min_share_road)
                ),
                "value": f"{number(self.share_road)}%",
                "ok": self.share_road >= config.min_share_road,
            },
        ]

    def _berita_acara_values(self):
        """What the minutes print: their number and version once frozen, and the customary
        opening "Pada hari ini ... tanggal ... bulan ... tahun ..." with the day, the date
        and the year in words."""
        self.ensure_one()
        minutes = self._latest_minutes()
        day = minutes.date or self._office_time(fields.Datetime.now()).date()
        lang = self.env.company._ki_lang()
        config = self._letter_config()
        opening = self.env._(
            "On this day %(weekday)s, the %(day)s of %(month)s of the year %(year)s "
            "(%(date)s), at %(place)s, we, the undersigned technical team formed by "
            "%(decree)s, verified the application with registration number %(number)s of "
            "%(company)s concerning %(estate)s, and record the following results.",
            weekday=format_date(day, "EEEE", locale=lang),
            day=number_to_words(day.day),
            month=format_date(day, "MMMM", locale=lang),
            year=number_to_words(day.year),
            date=day.strftime("%d-%m-%Y"),
            place=config.address or config.city,
            decree=config.team_decree or "-",
            number=self.name,
            company=self.partner_id.name,
            estate=self.estate_name or "-",
        )
        return {
            "number": minutes.name,
            "version_label": minutes.version > 1
            and self.env._("(version %(version)s)", version=minutes.version),
            "opening": opening,
            "verifiers": minutes.verifier_ids or self.sudo().verifier_ids,
        }

    def _berita_acara_date(self):
        """The day the team submitted its evaluation, today while it is still drafting."""
        submitted = self.step_ids.filtered(
            lambda s: s.state == "verification" and s.outcome == "draft_submitted" and s.date_end
        )
        if submitted:
            return self._format_date(max(submitted.mapped("date_end")))
        return self._format_date(self.env.company._ki_today())

    def _disposing_kabid(self):
        """The Division Head who disposed the file to the technical team."""
        dispositions = self.disposisi_ids.filtered(lambda d: d.to_user_ids & self.verifier_ids)
        return dispositions.sorted("date")[-1:].from_user_id

    def _disposition_instructions(self, disposition):
        """Every instruction box of the sheet, ticked when the disposition gives it."""
        instructions = self.env["ki.disposisi.instruction"].search([])
        instructions |= disposition.instruction_ids
        return [
            (instruction, instruction in disposition.instruction_ids)
            for instruction in instructions
        ]

    def _status_lookup_url(self):
        return f"{self.get_base_url()}{STATUS_LOOKUP_ROUTE}"
