"""The service standard (SLA) of each SOP step: the one part of the SOP the administrator
changes. Who acts in a step is the SOP itself (models/sop.py), not a setting."""

from odoo import api, fields, models, tools

from .sop import STATE, STATE_SELECTION

SLA_UNITS = [("minutes", "Minutes"), ("hours", "Hours"), ("working_days", "Working Days")]


class KiSopStep(models.Model):
    _name = "ki.sop.step"
    _description = "SOP Step"
    _order = "sequence, id"
    _rec_name = "code"

    code = fields.Selection(STATE_SELECTION, "State", required=True, readonly=True)
    step = fields.Integer("SOP Step", compute="_compute_step")
    sequence = fields.Integer(default=10)
    sla_amount = fields.Float("Service Standard", digits=(6, 2))
    sla_unit = fields.Selection(SLA_UNITS, "Unit", required=True, default="minutes")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each state has one SOP step."),
        ("sla_positive", "CHECK(sla_amount >= 0)", "The service standard cannot be negative."),
    ]

    @api.depends("code")
    def _compute_step(self):
        for rec in self:
            rec.step = rec.code and STATE[rec.code].step

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    @api.model
    def _sla_minutes_for(self, state, calendar):
        """The service standard of `state` in working minutes on `calendar` (a working day
        is the calendar's hours per day); 0 when the step has none."""
        amount, unit = self._sla_of(state)
        factor = {"minutes": 1, "hours": 60, "working_days": calendar.hours_per_day * 60}
        return amount * factor[unit]

    @api.model
    @tools.ormcache("state")
    def _sla_of(self, state):
        # read on every transition, changed a few times a year: cached until a write
        step = self.sudo().search([("code", "=", state)], limit=1)
        return (step.sla_amount, step.sla_unit) if step else (0, "minutes")
