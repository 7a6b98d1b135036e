"""What the letters add to the application: the decision letter rendered once at step 8 and
stored with its SHA-256, its correction by a new letter, and the values the four reports
print."""

import hashlib
from datetime import datetime

import pytz
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .ki_permohonan import DRAFT_FIELDS, OFFICE
from .sop import APPLICANT, KADIS

LETTER_REPORT = "kawasan_industri_verif.action_report_ki_letter"
STATUS_LOOKUP_ROUTE = "/permohonan/status"
# The draft letter is printed for correction in steps 5-7 (DRAFT mark until signed), the
# signed one before it is numbered, the published one as stored.
PUBLISHED_STATES = ("delivered", "done")
LETTER_PRINT_STATES = ("verification", "kabid_review", "kadis_review", "numbering")
LETTER_PRINT_STATES += PUBLISHED_STATES
BERITA_ACARA_STATES = LETTER_PRINT_STATES + ("returned",)
LETTER_FIELDS = {"letter_id", "letter_ids", "letter_attachment_id", "letter_sha256", "verify_token"}
REPORTS = ("receipt", "disposition", "berita_acara", "letter")


class KiPermohonan(models.Model):
    # kept apart from ki_permohonan.py on purpose: the letters are their own concern
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    letter_id = fields.Many2one("ki.letter", "Published Letter", readonly=True, copy=False)
    letter_ids = fields.One2many("ki.letter", "permohonan_id", "Letters", readonly=True)
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

    def action_number_and_publish(self, note=None):
        """Step 8, then publication: the letter is rendered once, stored with its SHA-256,
        and offered to the applicant on the portal."""
        result = super().action_number_and_publish(note=note)
        self._publish_letter()
        return result

    def action_correct_letter(self, reason=None):
        """The Head of Office revokes the published letter, with a reason, and publishes a
        corrected one in its place: a new number, signed by them. The decision stays."""
        self._lock()
        if self.state not in PUBLISHED_STATES or not self.letter_id:
            raise UserError(self.env._("Only a published letter can be corrected."))
        if not self._is_actor(KADIS):
            raise AccessError(self.env._("Only the Head of Office can correct a published letter."))
        if not (reason or "").strip():
            raise UserError(self.env._("Please write a note saying why."))
        old = self.letter_id
        user = self.env.user
        now = fields.Datetime.now()
        self.sudo().write(
            {
                "letter_number": self._next_number("letter"),
                "signer_id": user.id,
                "signer_name": user.name,
                "signer_nip": user.ki_nip,
                "signer_position": user.ki_position,
                "signed_date": now,
                "publish_date": now,
            }
        )
        new = self._publish_letter(replaces=old)
        old._revoke(reason, new)
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
            author_id=user.partner_id.id,
        )
        return True

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

    def action_open_correct_letter_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "ki.letter.correct.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_permohonan_id": self.id},
        }

    # ------------------------------------------------------------------ numbers and letter

    def _check_field_write(self, fnames):
        if fnames & LETTER_FIELDS:
            raise AccessError(
                self.env._("The published letter changes only by publication or correction.")
            )
        return super()._check_field_write(fnames)

    def _publish_letter(self, replaces=None):
        """Freeze the letter's values, render its PDF once and store it with its SHA-256."""
        self.ensure_one()
        config = self.env["ki.letter.config"]._get()
        letter = (
            self.env["ki.letter"]
            .sudo()
            .create(
                {
                    "name": self.letter_number,
                    "permohonan_id": self.id,
                    "partner_id": self.partner_id.id,
                    "partner_name": self.partner_id.name,
                    "date": self._office_time(self.publish_date).date(),
                    "decision": self.decision,
                    "subject": self._letter_subject(config),
                    "body": self._letter_body(config),
                    "signer_id": self.signer_id.id,
                    "signer_name": self.signer_name,
                    "signer_nip": self.signer_nip,
                    "signer_position": self.signer_position,
                    "signed_date": self.signed_date,
                    "replaces_id": replaces.id if replaces else False,
                }
            )
        )
        self.sudo().write({"letter_id": letter.id})
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, report_pdf_no_attachment=True)
            ._render_qweb_pdf(LETTER_REPORT, self.ids)
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self._report_filename('letter')}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                    "ki_frozen": True,
                }
            )
        )
        letter.write({"attachment_id": attachment.id, "sha256": hashlib.sha256(pdf).hexdigest()})
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
        return format_datetime(
            self._office_time(value), "d MMMM y, HH.mm", locale=self.env.company._ki_lang()
        )

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
        """What the decision letter prints: the frozen values of the published letter, else
        those of the draft (DRAFT mark until signed, no number before step 8)."""
        self.ensure_one()
        letter = self.letter_id
        if letter:
            return {
                "number": letter.name,
                "date": self._format_date(letter.date),
                "subject": letter.subject,
                "body": letter.body,
                "partner_name": letter.partner_name,
                "signer_name": letter.signer_name,
                "signer_nip": letter.signer_nip,
                "signer_position": letter.signer_position,
                "qr": letter._qr_data_uri(),
                "verify_url": letter.verify_url,
                "draft": False,
            }
        config = self._letter_config()
        return {
            "number": self.letter_number,
            "date": self._format_date(fields.Date.context_today(self)),
            "subject": self._letter_subject(config),
            "body": self._letter_body(config),
            "partner_name": self.partner_id.name,
            "signer_name": self.signer_name,
            "signer_nip": self.signer_nip,
            "signer_position": self.signer_position,
            "qr": False,
            "verify_url": False,
            "draft": not self.signed_date,
        }

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

    def _berita_acara_date(self):
        """The day the team submitted its evaluation, today while it is still drafting."""
        submitted = self.step_ids.filtered(
            lambda s: s.state == "verification" and s.outcome == "draft_submitted" and s.date_end
        )
        if submitted:
            return self._format_date(max(submitted.mapped("date_end")))
        return self._format_date(fields.Date.context_today(self))

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
