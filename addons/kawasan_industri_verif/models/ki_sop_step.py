"""The service standard (SLA) of each SOP step: the one part of the SOP the administrator
changes. Who acts in a step is the SOP itself (models/sop.py), not a setting.

A "day" of a standard is a working day unless the step says calendar days: a working day is
the calendar's hours per day of working time; calendar days run through nights, weekends
and holidays."""

from datetime import timedelta

from odoo import api, fields, models, tools

from .sop import STATE, STATE_SELECTION

SLA_UNITS = [
    ("minutes", "Minutes"),
    ("hours", "Hours"),
    ("working_days", "Working Days"),
    ("calendar_days", "Calendar Days"),
]


class KiSopStep(models.Model):
    _name = "ki.sop.step"
    _description = "SOP Step"
    _order = "sequence, id"
    _rec_name = "code"

    code = fields.Selection(STATE_SELECTION, "State", required=True, readonly=True)
    step = fields.Integer("SOP Step", compute="_compute_step")
    sequence = fields.Integer(default=10)
    sla_amount = fields.Float("Service Standard", digits=(6, 2))
    sla_unit = fields.Selection(
        SLA_UNITS,
        "Unit",
        required=True,
        default="minutes",
        help="Days are working days (the office calendar's hours, without weekends and "
        "holidays) unless calendar days are chosen.",
    )
    sla_label = fields.Char("Standard", compute="_compute_sla_label")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each state has one SOP step."),
        ("sla_positive", "CHECK(sla_amount >= 0)", "The service standard cannot be negative."),
    ]

    @api.depends("code")
    def _compute_step(self):
        for rec in self:
            rec.step = rec.code and STATE[rec.code].step

    @api.depends("sla_amount", "sla_unit")
    @api.depends_context("lang")
    def _compute_sla_label(self):
        for rec in self:
            rec.sla_label = rec._sla_text(rec.sla_amount, rec.sla_unit)

    @api.model
    def _sla_text(self, amount, unit):
        """'2 working day(s)', '14 calendar day(s)', '60 min'; empty without a standard."""
        if not amount:
            return ""
        templates = {
            "minutes": self.env._("%(count)s min"),
            "hours": self.env._("%(count)s h"),
            "working_days": self.env._("%(count)s working day(s)"),
            "calendar_days": self.env._("%(count)s calendar day(s)"),
        }
        return templates[unit] % {"count": f"{amount:g}"}

    @api.depends("code")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for rec in self:
            rec.display_name = rec.code and f"{STATE[rec.code].step or '-'}. {labels[rec.code]}"

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
        is the calendar's hours per day; a calendar day the calendar's average working
        time per day of the week); 0 when the step has none."""
        amount, unit = self._sla_of(state)
        return self._working_minutes(amount, unit, calendar)

    @api.model
    def _working_minutes(self, amount, unit, calendar):
        factor = {
            "minutes": 1,
            "hours": 60,
            "working_days": calendar.hours_per_day * 60,
            "calendar_days": calendar._ki_weekly_minutes() / 7,
        }
        return amount * factor[unit]

    @api.model
    def _sla_plan(self, state, start, calendar):
        """(working minutes, deadline) of a visit of `state` begun at `start` (naive UTC):
        the standard counted on the office calendar, or in whole days of 24 hours when it
        is in calendar days; (0, False) when the step has none."""
        amount, unit = self._sla_of(state)
        return self._plan(amount, unit, start, calendar)

    @api.model
    def _plan(self, amount, unit, start, calendar):
        if not amount:
            return 0, False
        if unit == "calendar_days":
            deadline = start + timedelta(days=amount)
            span = (start, deadline)
            return calendar._ki_working_minutes([span])[span], deadline
        minutes = self._working_minutes(amount, unit, calendar)
        return minutes, calendar._ki_deadline(start, minutes)

    @api.model
    @tools.ormcache("state")
    def _sla_of(self, state):
        # read on every transition, changed a few times a year: cached until a write
        step = self.sudo().search([("code", "=", state)], limit=1)
        return (step.sla_amount, step.sla_unit) if step else (0, "minutes")
