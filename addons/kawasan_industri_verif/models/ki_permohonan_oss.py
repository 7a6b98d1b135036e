"""An application and OSS-RBA: its NIB data taken from OSS with what came from OSS (and
when) told apart from what the applicant typed, the decision reported back when the
letter is published, and OSS's own view of the permit. Every call goes through the
outbox (ki.oss.call); no step waits for OSS."""

import re

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date

from .ki_oss_config import CHECK_LICENSE_STATUS, INQUERY_NIB, RECEIVE_LICENSE_STATUS

# What the applicant types besides the core form, and what only the OSS link writes.
OSS_APPLICANT_FIELDS = ("company_address", "kbli_codes")
OSS_SYSTEM_FIELDS = {
    "oss_profile_id",
    "oss_license_status",
    "oss_license_status_label",
    "oss_license_checked",
    "oss_reported_date",
}
OSS_FORM_CONTEXT = "ki_oss_form"  # the portal form's extra values, passed by the controller
SYNC_STATES = [
    ("none", "Not sent"),
    ("pending", "Waiting for OSS"),
    ("synced", "Up to date"),
    ("error", "Failed"),
]
# Lampiran 10 (src/footer.md), kode status izin: 50 Disetujui, 90 Ditolak.
KD_STATUS = {"approve": "50", "reject": "90"}
OSS_OFFICER_GROUPS = (
    "kawasan_industri_verif.group_sekretariat",
    "kawasan_industri_verif.group_admin",
)
# The file's values compared with the NIB data (see _oss_pairs).
COMPARED_FIELDS = (
    "partner_id.name",
    "npwp",
    "company_address",
    "kbli_codes",
    "pic_name",
    "pic_position",
    "oss_request_number",
)
KBLI_RE = re.compile(r"^\d{5}$")


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    company_address = fields.Text(help="The company's registered address, as in its NIB.")
    kbli_codes = fields.Char(
        "KBLI", help="The company's business lines: KBLI 2020 codes, separated by commas."
    )
    oss_profile_id = fields.Many2one(
        "ki.oss.profile",
        "NIB Data from OSS",
        readonly=True,
        copy=False,
        groups="kawasan_industri_verif.group_ki_user",
    )
    oss_fetch_date = fields.Datetime(
        related="oss_profile_id.fetch_date", string="Fetched from OSS On"
    )
    oss_call_ids = fields.One2many(
        "ki.oss.call",
        "permohonan_id",
        "OSS-RBA Calls",
        groups="kawasan_industri_verif.group_ki_user",
    )
    oss_sync_state = fields.Selection(
        SYNC_STATES, "OSS-RBA", compute="_compute_oss_sync_state", store=True, index=True
    )
    oss_mismatch = fields.Boolean(
        "Differs from OSS",
        compute="_compute_oss_mismatch",
        store=True,
        help="What the applicant typed differs from the NIB data in OSS-RBA.",
    )
    oss_comparison_html = fields.Html(
        "Application and OSS-RBA",
        compute="_compute_oss_comparison_html",
        sanitize=False,
        groups="kawasan_industri_verif.group_ki_user",
    )
    oss_license_status = fields.Char("Status Code in OSS", readonly=True, copy=False)
    oss_license_status_label = fields.Char("Status in OSS", readonly=True, copy=False)
    oss_license_checked = fields.Datetime("Status Checked On", readonly=True, copy=False)
    oss_reported_date = fields.Datetime("Decision Reported to OSS On", readonly=True, copy=False)
    can_oss_fetch = fields.Boolean(compute="_compute_can_oss")
    can_oss_check = fields.Boolean(compute="_compute_can_oss")

    @api.depends("oss_call_ids.state")
    def _compute_oss_sync_state(self):
        for rec in self:
            calls = rec.oss_call_ids.filtered(lambda c: c.state != "cancelled")
            latest = {}
            for call in calls.sorted("id"):
                latest[call.method] = call
            if any(call.state == "pending" for call in calls):
                rec.oss_sync_state = "pending"
            elif any(call.state == "failed" for call in latest.values()):
                rec.oss_sync_state = "error"
            elif latest:
                rec.oss_sync_state = "synced"
            else:
                rec.oss_sync_state = "none"

    @api.depends("oss_profile_id", *COMPARED_FIELDS)
    def _compute_oss_mismatch(self):
        for rec in self:
            rec.oss_mismatch = bool(rec._oss_mismatches())

    @api.depends("oss_profile_id", "pic_phone", "pic_email", *COMPARED_FIELDS)
    def _compute_oss_comparison_html(self):
        for rec in self:
            rec.oss_comparison_html = rec._oss_comparison_table()

    @api.depends("state", "nib", "oss_request_number")
    @api.depends_context("uid")
    def _compute_can_oss(self):
        configured = self.env["ki.oss.config"]._get()._is_configured()
        officer = any(self.env.user.has_group(group) for group in OSS_OFFICER_GROUPS)
        for rec in self:
            may = configured and officer and rec.state not in ("draft", "cancelled")
            rec.can_oss_fetch = may and bool(rec.nib)
            rec.can_oss_check = may and bool(rec.oss_request_number)

    # ------------------------------------------------------------------ actions

    def action_oss_fetch(self):
        """ "Fetch from OSS": the Sekretariat reads the NIB data now; what the file lacks is
        filled in, what differs is shown. When OSS does not answer, the request waits in
        the outbox and the file is completed when it does."""
        self.ensure_one()
        self._oss_check_officer()
        if not self.nib:
            raise UserError(self.env._("The application has no NIB to look up."))
        call = self.env["ki.oss.call"]._send_now(
            INQUERY_NIB, self._oss_nib_payload(self.nib), permohonan=self, origin="office"
        )
        return self._oss_notification(call)

    def action_oss_check_status(self):
        """Read OSS's view of the permit request (checkLicenseStatus)."""
        self.ensure_one()
        self._oss_check_officer()
        if not self.oss_request_number:
            raise UserError(self.env._("The application has no OSS request number."))
        # endpoint.js, @api /checkLicenseStatus: {"CHECKLICENSESTATUS": {"id_izin"}}
        payload = {"CHECKLICENSESTATUS": {"id_izin": self.oss_request_number}}
        call = self.env["ki.oss.call"]._send_now(
            CHECK_LICENSE_STATUS, payload, permohonan=self, origin="office"
        )
        return self._oss_notification(call)

    def action_submit(self, note=None):
        """Submission also checks the NIB with OSS, later: the call is queued, the file
        goes on."""
        result = super().action_submit(note=note)
        self._oss_queue_nib_check()
        return result

    def _publish_letter(self):
        """The decision is reported to OSS (receiveLicenseStatus), through the outbox, when
        its letter is published (step 8, or a correction), not when it is signed."""
        letter = super()._publish_letter()
        self._oss_queue_license_status(letter)
        return letter

    def _check_field_write(self, fnames):
        if fnames & OSS_SYSTEM_FIELDS:
            raise AccessError(
                self.env._("The OSS-RBA data of an application changes only through the OSS link.")
            )
        if fnames & set(OSS_APPLICANT_FIELDS):
            for rec in self:
                if not rec.can_edit_applicant:
                    raise AccessError(
                        self.env._(
                            "Only the applicant can change the application data, and only while "
                            "it is a draft or returned for correction."
                        )
                    )
        return super()._check_field_write(fnames)

    @api.constrains("kbli_codes")
    def _check_kbli_codes(self):
        for rec in self:
            if not all(KBLI_RE.match(code) for code in kbli_code_set(rec.kbli_codes)):
                raise ValidationError(
                    self.env._("Write each KBLI code with its 5 digits, separated by commas.")
                )

    # ------------------------------------------------------------------ the calls

    def _oss_nib_payload(self, nib):
        """endpoint.js, @api /inqueryNIB: {"INQUERYNIB": {"nib", optional "oss_id"}}."""
        params = {"nib": nib}
        profile = self.sudo().oss_profile_id
        if profile.oss_id and profile.nib == nib:
            params["oss_id"] = profile.oss_id
        return {"INQUERYNIB": params}

    def _oss_queue_nib_check(self):
        """Queue the NIB check of a submitted file, unless the same one already waits."""
        if not self.nib or not self.env["ki.oss.config"]._get()._is_configured():
            return self.env["ki.oss.call"]
        payload = self._oss_nib_payload(self.nib)
        waiting = self.sudo().oss_call_ids.filtered(
            lambda c: c.method == INQUERY_NIB and c.state == "pending" and c.payload == payload
        )
        return waiting[:1] or self.env["ki.oss.call"]._queue(INQUERY_NIB, payload, permohonan=self)

    def _oss_queue_license_status(self, letter):
        if not self.env["ki.oss.config"]._get()._is_configured():
            return self.env["ki.oss.call"]
        return self.env["ki.oss.call"]._queue(
            RECEIVE_LICENSE_STATUS, self._oss_license_status_payload(letter), permohonan=self
        )

    def _oss_license_status_payload(self, letter):
        """The decision in the shape endpoint.js documents for receiveLicenseStatus
        (@apiBody IZINSTATUS), field by field. The permit request's identifiers come from
        the NIB data (data_checklist of the office's kd_izin); nip_status and nama_status
        are the officer who decided ("Nip/Nama pemroses Status Izin", as receiveLicenseKKPR
        words the same fields); file_lampiran links to the published PDF. No PNBP is due
        for this permit, so the optional data_pnbp is left out, as is persetujuan_form."""
        self.ensure_one()
        config = self.env["ki.oss.config"]._get()
        profile = self.sudo().oss_profile_id
        same_nib = profile.nib == self.nib
        lang_env = self.with_context(lang=self.env.company._ki_lang()).env
        decisions = dict(letter._fields["decision"]._description_selection(lang_env))
        keterangan = lang_env._(
            "%(decision)s: letter number %(number)s of %(date)s, application %(registration)s.",
            decision=decisions[letter.decision],
            number=letter.name,
            date=format_date(lang_env, letter.date, date_format="d MMMM y"),
            registration=self.name or "",
        )
        return {
            "IZINSTATUS": {
                "nib": self.nib or "",
                "id_produk": (same_nib and profile.id_produk) or "",
                "id_proyek": (same_nib and profile.id_proyek) or "",
                "oss_id": (same_nib and profile.oss_id) or "",
                "id_izin": self.oss_request_number or "",
                "kd_izin": config.kd_izin or "",
                "kd_instansi": config.kd_instansi or "",
                "kd_status": KD_STATUS[letter.decision],
                # "format date: YYYY-MM-DD HH:II:SS", in the office's time zone
                "tgl_status": self._office_time(
                    self.publish_date or fields.Datetime.now()
                ).strftime("%Y-%m-%d %H:%M:%S"),
                "nip_status": (letter.signer_nip or "")[:50],
                "nama_status": (letter.signer_name or "")[:50],
                "keterangan": keterangan,
                "file_lampiran": f"{letter.verify_url}/pdf",
            }
        }

    def _oss_notification(self, call):
        """What the officer sees after a call made on the spot."""
        if call.state == "done":
            if call.method == INQUERY_NIB:
                differences = len(self._oss_mismatches())
                message = self.env._(
                    "NIB data fetched from OSS-RBA; %(count)s difference(s) from the application.",
                    count=differences,
                )
            else:
                message = self.env._(
                    "Status in OSS-RBA: %(status)s.", status=self.oss_license_status_label or "-"
                )
            kind = "success"
        elif call.state == "pending":
            message = self.env._(
                "%(error)s The request waits in the outbox and is sent again automatically.",
                error=call.last_error,
            )
            kind = "warning"
        else:
            message = call.last_error
            kind = "danger"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": "OSS-RBA",
                "message": message,
                "type": kind,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _oss_check_officer(self):
        if not any(self.env.user.has_group(group) for group in OSS_OFFICER_GROUPS):
            raise AccessError(
                self.env._("Only the Secretariat and the administrator call OSS-RBA from a file.")
            )
        if not self.env["ki.oss.config"]._get()._is_configured():
            raise UserError(self.env["ki.oss.config"]._error_message("not_configured"))
        if self.state in ("draft", "cancelled"):
            raise UserError(
                self.env._(
                    "OSS-RBA is called from a file the applicant has submitted and that is not "
                    "cancelled."
                )
            )

    # ------------------------------------------------------------------ the answers

    def _oss_apply_profile(self, profile):
        """Link the NIB data fetched from OSS to the file and fill what the file lacks;
        never overwrite what the applicant typed: a difference is shown instead."""
        self.ensure_one()
        vals = {"oss_profile_id": profile.id}
        filled = []
        if self.state not in ("delivered", "done", "cancelled"):
            for pair in self._oss_pairs(profile):
                if pair["fill"] and pair["oss"] and not pair["file"]:
                    vals[pair["fill"]] = pair["oss"]
                    filled.append(pair["label"])
        self.sudo().write(vals)
        body = Markup("<p>%s</p>") % self.env._(
            "NIB data fetched from OSS-RBA on %(date)s.",
            date=self._format_datetime(profile.fetch_date),
        )
        if filled:
            body += Markup("<p>%s</p>") % self.env._(
                "Filled in from OSS: %(fields)s.", fields=", ".join(filled)
            )
        mismatches = self._oss_mismatches()
        if mismatches:
            body += Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Differs from OSS:"),
                Markup().join(
                    Markup("<li>%s: %s / OSS: %s</li>") % (row["label"], row["file"], row["oss"])
                    for row in mismatches
                ),
            )
        self.sudo()._message_log(body=body)

    def _oss_status_reported(self, call):
        self.sudo().write({"oss_reported_date": call.done_date})
        self.sudo()._message_log(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Decision reported to OSS-RBA (receiveLicenseStatus, kd_status %(code)s).",
                code=(call.payload or {}).get("IZINSTATUS", {}).get("kd_status", ""),
            )
        )

    def _oss_store_license_status(self, data):
        """checkLicenseStatus's dataIZIN: the status OSS holds for the permit request."""
        data = data if isinstance(data, dict) else {}
        self.sudo().write(
            {
                "oss_license_status": str(data.get("kd_status") or "") or False,
                "oss_license_status_label": str(data.get("uraian_status") or "") or False,
                "oss_license_checked": fields.Datetime.now(),
            }
        )

    # ------------------------------------------------------------------ provenance

    def _oss_pairs(self, profile):
        """Each value the application shares with the NIB data: the label, the file's
        value, OSS's value, how to compare them and the file's field filled from OSS."""
        self.ensure_one()
        label = self._oss_label
        return [
            _pair(label("partner_id"), self.partner_id.name, profile.company_name, _norm_text),
            _pair("NPWP", self.npwp, profile.npwp, _norm_digits, "npwp"),
            _pair(
                label("company_address"),
                self.company_address,
                profile.company_address,
                _norm_text,
                "company_address",
            ),
            _pair("KBLI", self.kbli_codes, profile.kbli_codes, kbli_code_set, "kbli_codes"),
            _pair(label("pic_name"), self.pic_name, profile.pic_name, _norm_text, "pic_name"),
            _pair(
                label("pic_position"),
                self.pic_position,
                profile.pic_position,
                _norm_text,
                "pic_position",
            ),
            _pair(label("pic_phone"), self.pic_phone, profile.pic_phone, None, "pic_phone"),
            _pair(label("pic_email"), self.pic_email, profile.pic_email, None, "pic_email"),
            _pair(
                label("oss_request_number"),
                self.oss_request_number,
                profile.id_izin,
                _norm_text,
                "oss_request_number",
            ),
        ]

    def _oss_label(self, fname):
        return self._fields[fname]._description_string(self.env)

    def _oss_comparison(self):
        """The shared values with their source: "oss" when the file holds what OSS says
        (prefilled, filled in or typed alike), "applicant" when the applicant typed
        something else or OSS has nothing; `mismatch` when both have a value and differ.
        Phone and e-mail are filled from OSS but not compared (written many ways)."""
        self.ensure_one()
        profile = self.sudo().oss_profile_id
        if not profile:
            return []
        rows = []
        for pair in self._oss_pairs(profile):
            file_value, oss_value = pair["file"], pair["oss"]
            if not (file_value or oss_value):
                continue
            normalize = pair["normalize"] or _norm_text
            same = bool(file_value and oss_value) and normalize(file_value) == normalize(oss_value)
            compared = pair["normalize"] is not None
            rows.append(
                dict(
                    pair,
                    mismatch=compared and bool(file_value and oss_value) and not same,
                    source=("oss" if same else "applicant") if file_value else False,
                )
            )
        return rows

    def _oss_mismatches(self):
        return [row for row in self._oss_comparison() if row["mismatch"]]

    def _oss_comparison_table(self):
        """The comparison as the verifier reads it on the file."""
        profile = self.sudo().oss_profile_id
        if not profile:
            return Markup("<p>%s</p>") % self.env._(
                "No NIB data from OSS-RBA yet: it is fetched when the applicant submits or the "
                'Secretariat presses "Fetch from OSS".'
            )
        sources = {
            "oss": self.env._("OSS-RBA"),
            "applicant": self.env._("Applicant"),
        }
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Data"),
            self.env._("In the application"),
            self.env._("In OSS-RBA"),
            self.env._("Source"),
        )
        rows = Markup().join(
            Markup('<tr class="%s"><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>')
            % (
                "table-warning" if row["mismatch"] else "",
                row["label"],
                row["file"] or "-",
                row["oss"] or "-",
                sources.get(row["source"], "-"),
            )
            for row in self._oss_comparison()
        )
        caption = self.env._(
            "NIB %(nib)s, fetched from OSS-RBA on %(date)s.",
            nib=profile.nib,
            date=self._format_datetime(profile.fetch_date),
        )
        return Markup(
            '<p>%s</p><table class="table table-sm o_ki_oss_comparison"><thead>%s</thead>'
            "<tbody>%s</tbody></table>"
        ) % (caption, head, rows)


def _pair(label, file_value, oss_value, normalize, fill=None):
    return {
        "label": label,
        "file": file_value or "",
        "oss": oss_value or "",
        "normalize": normalize,
        "fill": fill,
    }


def _norm_text(value):
    return " ".join((value or "").casefold().replace(",", " ").split())


def _norm_digits(value):
    return re.sub(r"\D", "", value or "")


def kbli_code_set(value):
    return {code for code in re.split(r"[\s,;]+", str(value or "")) if code}
