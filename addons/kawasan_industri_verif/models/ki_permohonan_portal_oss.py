"""The applicant's form and OSS-RBA: the company address and KBLI codes it adds, the
NIB data the applicant fetched on it, linked when the form is saved. Apart from
ki_permohonan_oss.py because it extends the portal's form helpers (ki_permohonan_portal.py),
which must come first."""

from odoo import api, models

from .ki_permohonan_oss import KBLI_RE, OSS_APPLICANT_FIELDS, OSS_FORM_CONTEXT, kbli_code_set


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _portal_prepare_vals(self, form):
        """The core form, plus the company address and the KBLI codes the controller
        passes in the context."""
        vals, errors = super()._portal_prepare_vals(form)
        extra = self.env.context.get(OSS_FORM_CONTEXT)
        if extra is None:
            return vals, errors
        address = str(extra.get("company_address") or "").strip()[:1000]
        vals["company_address"] = address or False
        kbli = kbli_code_set(extra.get("kbli_codes"))
        if kbli and not all(KBLI_RE.match(code) for code in kbli):
            errors["kbli_codes"] = self.env._(
                "Write each KBLI code with its 5 digits, separated by commas."
            )
        else:
            vals["kbli_codes"] = ", ".join(sorted(kbli)) or False
        return vals, errors

    def _portal_save(self, form, company_name=None):
        """Save the form, then link the NIB data the applicant fetched on it."""
        record, errors = super()._portal_save(form, company_name=company_name)
        extra = self.env.context.get(OSS_FORM_CONTEXT) or {}
        if record and not errors and extra.get("oss_profile_id"):
            record._oss_link_portal_profile(extra["oss_profile_id"])
        return record, errors

    def _portal_form_values(self):
        values = super()._portal_form_values()
        for fname in OSS_APPLICANT_FIELDS:
            values[fname] = (self[fname] or "") if self else ""
        return values

    def _oss_link_portal_profile(self, profile_id):
        """Link NIB data fetched on the form: only data this applicant fetched, or fetched
        for this company, and only for the file's own NIB."""
        self.ensure_one()
        profile = (
            self.env["ki.oss.profile"].sudo().browse(int(profile_id))
            if str(profile_id).isdigit()
            else self.env["ki.oss.profile"]
        ).exists()
        company = self.partner_id.commercial_partner_id
        ours = profile.user_id == self.env.user or profile.partner_id == company
        if profile and ours and profile.nib == self.nib:
            self.sudo().write({"oss_profile_id": profile.id})

    @api.model
    def _oss_portal_values(self, profile, needs_company=False):
        """The form's inputs filled from the NIB data (only those OSS gives)."""
        values = {
            "npwp": profile.npwp,
            "company_address": profile.company_address,
            "kbli_codes": profile.kbli_codes,
            "pic_name": profile.pic_name,
            "pic_position": profile.pic_position,
            "pic_phone": profile.pic_phone,
            "pic_email": profile.pic_email,
            "oss_request_number": profile.id_izin,
        }
        if needs_company:
            values["company_name"] = profile.company_name
        return {name: value for name, value in values.items() if value}

    @api.model
    def _oss_portal_enabled(self):
        """Whether the form offers "Fetch from OSS" (the office configured the link)."""
        return self.env["ki.oss.config"]._get()._is_configured()
