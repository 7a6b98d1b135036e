from odoo import fields, models


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
        return self.ki_calendar_id or self.env.ref("kawasan_industri_verif.resource_calendar_dinas")
