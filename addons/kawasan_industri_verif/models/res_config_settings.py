from odoo import fields, models

from .ki_throttle import DEFAULT_PER_HOUR, DEFAULT_PER_MINUTE, PARAM_PER_HOUR, PARAM_PER_MINUTE


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ki_calendar_id = fields.Many2one(related="company_id.ki_calendar_id", readonly=False)
    ki_sekretariat_user_ids = fields.Many2many(
        related="company_id.ki_sekretariat_user_ids", readonly=False
    )
    ki_kadis_user_id = fields.Many2one(related="company_id.ki_kadis_user_id", readonly=False)
    ki_kabid_user_id = fields.Many2one(related="company_id.ki_kabid_user_id", readonly=False)
    ki_resume_mode = fields.Selection(related="company_id.ki_resume_mode", readonly=False)
    ki_throttle_per_minute = fields.Integer(
        "Public Requests per Minute",
        config_parameter=PARAM_PER_MINUTE,
        default=DEFAULT_PER_MINUTE,
        help="Status lookups or letter verifications one address may make in a minute.",
    )
    ki_throttle_per_hour = fields.Integer(
        "Public Requests per Hour",
        config_parameter=PARAM_PER_HOUR,
        default=DEFAULT_PER_HOUR,
        help="Status lookups or letter verifications one address may make in an hour.",
    )
