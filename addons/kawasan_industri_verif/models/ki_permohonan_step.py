"""One visit of an SOP step by a file: the audit trail and, later, the SLA clock."""

from odoo import fields, models
from odoo.exceptions import UserError

from .ki_permohonan import STATES

OUTCOMES = [
    ("submitted", "Submitted"),
    ("resubmitted", "Resubmitted"),
    ("received", "Received"),
    ("disposed", "Disposed"),
    ("returned", "Returned"),
    ("draft_submitted", "Draft submitted"),
    ("approved", "Approved"),
    ("signed", "Signed"),
    ("published", "Published"),
    ("downloaded", "Downloaded"),
    ("cancelled", "Cancelled"),
]


class KiPermohonanStep(models.Model):
    _name = "ki.permohonan.step"
    _description = "Application Step"
    _order = "date_start desc, id desc"
    _rec_name = "state"

    permohonan_id = fields.Many2one(
        "ki.permohonan", "Application", required=True, index=True, ondelete="cascade"
    )
    state = fields.Selection(STATES, "Step", required=True, index=True)
    responsible_user_ids = fields.Many2many(
        "res.users", "ki_permohonan_step_responsible_rel", "step_id", "user_id", "Responsible"
    )
    date_start = fields.Datetime("Started", required=True)
    date_end = fields.Datetime("Finished", index=True)
    user_id = fields.Many2one("res.users", "Done By", index=True)
    outcome = fields.Selection(OUTCOMES)
    note = fields.Text()
    is_open = fields.Boolean(compute="_compute_is_open")

    def _compute_is_open(self):
        for step in self:
            step.is_open = not step.date_end

    def write(self, vals):
        if any(step.date_end for step in self):
            raise UserError(self.env._("A finished step is part of the record and cannot change."))
        return super().write(vals)

    def _close(self, outcome, note, when):
        """Finish the open step with who did what; a step is closed exactly once."""
        if self:
            self.sudo().write(
                {
                    "date_end": when,
                    "user_id": self.env.user.id,
                    "outcome": outcome,
                    "note": note or False,
                }
            )
