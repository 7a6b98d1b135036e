from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    ki_correction_days = fields.Integer(related="company_id.ki_correction_days", readonly=False)
    ki_correction_unit = fields.Selection(related="company_id.ki_correction_unit", readonly=False)
    ki_correction_reminders = fields.Char(
        related="company_id.ki_correction_reminders", readonly=False
    )
    ki_holiday_warning = fields.Char("Holiday Warning", compute="_compute_ki_holiday_warning")

    @api.depends("company_id")
    def _compute_ki_holiday_warning(self):
        for settings in self:
            settings.ki_holiday_warning = settings.company_id._ki_holiday_warning()
