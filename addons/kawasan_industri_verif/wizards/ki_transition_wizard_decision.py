"""What the step wizard shows and proposes when it asks for the decision: how the documents
stand, what the model will refuse before the officer confirms, and reasons to start from
(what failed, for a rejection)."""

from odoo import api, fields, models

from ..models.ki_permohonan_decision import APPROVE, REJECT
from ..models.sop import DECISION


class KiTransitionWizard(models.TransientModel):
    _inherit = "ki.transition.wizard"

    document_summary = fields.Char("Documents", compute="_compute_decision_check")
    decision_problems = fields.Text("Before Confirming", compute="_compute_decision_check")

    @api.depends("permohonan_id", "action", "decision", "decision_reason")
    def _compute_decision_check(self):
        for wizard in self:
            permohonan = wizard.permohonan_id
            if wizard.inputs != DECISION or not permohonan:
                wizard.document_summary = wizard.decision_problems = False
                continue
            wizard.document_summary = permohonan.document_check_summary
            problems = permohonan._decision_problems(wizard.decision, wizard.decision_reason)
            wizard.decision_problems = "\n".join(problems) or False

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        permohonan = self.env["ki.permohonan"].browse(vals.get("permohonan_id"))
        transition = permohonan and permohonan._transition_for(vals.get("action"))
        if transition and transition.inputs == DECISION and not vals.get("decision"):
            # the team's first draft: the documents and the checks already say which way
            failures = permohonan._decision_failures()
            vals["decision"] = REJECT if failures else APPROVE
            vals["decision_reason"] = self._proposed_reason(permohonan, vals["decision"])
        return vals

    @api.onchange("decision")
    def _onchange_decision(self):
        """Change the reasons with the decision while they are still the proposed ones."""
        permohonan = self.permohonan_id
        if self.inputs != DECISION or not permohonan or not self.decision:
            return
        proposed = {self._proposed_reason(permohonan, d) for d in (APPROVE, REJECT)}
        if not (self.decision_reason or "").strip() or self.decision_reason in proposed:
            self.decision_reason = self._proposed_reason(permohonan, self.decision)

    @api.model
    def _proposed_reason(self, permohonan, decision):
        if decision == APPROVE:
            return self.env._(
                "Every required document is valid and the master plan meets the technical "
                "requirements."
            )
        return "\n".join(
            [
                self.env._("The application does not meet the requirements:"),
                permohonan._decision_failure_lines(),
            ]
        ).strip()
