from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ki_calendar_id = fields.Many2one(related="company_id.ki_calendar_id", readonly=False)
    ki_sekretariat_user_ids = fields.Many2many(
        related="company_id.ki_sekretariat_user_ids", readonly=False
    )
    ki_kadis_user_id = fields.Many2one(related="company_id.ki_kadis_user_id", readonly=False)
    ki_kabid_user_id = fields.Many2one(related="company_id.ki_kabid_user_id", readonly=False)
    ki_resume_mode = fields.Selection(related="company_id.ki_resume_mode", readonly=False)
