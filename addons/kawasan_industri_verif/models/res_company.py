"""The office: its working calendar, its time zone (the calendar's), its language and the
officers chosen for each desk."""

from odoo import api, fields, models

# The office works, writes and prints in Indonesian whenever the language is installed.
OFFICE_LANG = "id_ID"


class ResCompany(models.Model):
    _inherit = "res.company"

    ki_calendar_id = fields.Many2one(
        "resource.calendar",
        "Office Working Time",
        default=lambda self: self.env.ref(
            "kawasan_industri_verif.resource_calendar_dinas", raise_if_not_found=False
        ),
        help="Deadlines count working time on this calendar, minus its leaves (national "
        "holidays, cuti bersama).",
    )
    ki_sekretariat_user_ids = fields.Many2many(
        "res.users", "ki_company_sekretariat_rel", "company_id", "user_id", "Secretariat Desk"
    )
    ki_kadis_user_id = fields.Many2one("res.users", "Head of Office")
    ki_kabid_user_id = fields.Many2one("res.users", "Head of Industry Division")
    ki_resume_mode = fields.Selection(
        [("full", "Full service standard again"), ("remaining", "Only the time left")],
        "Verification after a Return",
        default="full",
        required=True,
        help="When a returned file comes back, the technical verification gets its full "
        "service standard again, or only what was left when it was returned.",
    )

    def _ki_calendar(self):
        if self.ki_calendar_id:
            return self.ki_calendar_id
        # the shipped calendar, by its cached XML id (env.ref would query its existence on
        # every call, and every date a report prints asks for the calendar's zone)
        calendar_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "kawasan_industri_verif.resource_calendar_dinas"
        )
        return self.env["resource.calendar"].browse(calendar_id)

    def _ki_tz(self):
        """The office's time zone: its calendar's, whatever the user's browser says."""
        return self.sudo()._ki_calendar().tz

    def _ki_lang(self):
        """The language of the office's documents and public pages."""
        installed = dict(self.env["res.lang"].get_installed())
        return OFFICE_LANG if OFFICE_LANG in installed else (self.env.lang or "en_US")

    @api.model
    def _ki_load_office_language(self):
        """Make the office's language available with the terms of every installed module."""
        self.env["res.lang"]._activate_lang(OFFICE_LANG)
        modules = self.env["ir.module.module"].search(
            [("state", "in", ("installed", "to install", "to upgrade"))]
        )
        modules._update_translations([OFFICE_LANG])
