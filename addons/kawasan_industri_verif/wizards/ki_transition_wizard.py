"""Asks for the inputs of a transition (as the SOP table says it takes them), then calls the
same model method as RPC would."""

import base64

from odoo import api, fields, models

from ..models.ki_permohonan import URGENCIES
from ..models.sop import (
    DECISION,
    DISPOSITION,
    PUBLICATION,
    ROLE_GROUPS,
    STATE,
    TRANSITIONS,
    transitions_of,
)

# The transitions the backend asks about first: they take inputs or need a note.
WIZARD_ACTIONS = list(
    {transition.action: transition.label for transition in TRANSITIONS if transition.asks}.items()
)


class KiTransitionWizard(models.TransientModel):
    _name = "ki.transition.wizard"
    _description = "Application Step Wizard"

    permohonan_id = fields.Many2one("ki.permohonan", "Application", required=True)
    action = fields.Selection(WIZARD_ACTIONS, required=True)
    inputs = fields.Selection(
        [(DISPOSITION, "Disposition"), (DECISION, "Decision"), (PUBLICATION, "Publication")],
        compute="_compute_inputs",
    )
    needs_scan = fields.Boolean(compute="_compute_inputs")
    note_required = fields.Boolean(compute="_compute_inputs")
    recipient_group_id = fields.Many2one("res.groups", compute="_compute_inputs")
    recipient_ids = fields.Many2many(
        "res.users",
        string="Recipients",
        domain="[('share', '=', False), ('groups_id', 'in', recipient_group_id)]",
    )
    instruction_ids = fields.Many2many("ki.disposisi.instruction", string="Instructions")
    urgency = fields.Selection(URGENCIES, default="biasa")
    decision = fields.Selection([("approve", "Approval"), ("reject", "Rejection")])
    decision_reason = fields.Text("Reasons")
    evaluation_summary = fields.Text()
    scan = fields.Binary(
        "Scan of the Signed Letter",
        attachment=False,
        help="The letter signed on paper, scanned as a PDF: numbered and stamped with its QR "
        "code, it becomes the published letter.",
    )
    scan_name = fields.Char()
    note = fields.Text()

    @api.depends("action", "permohonan_id")
    def _compute_inputs(self):
        for wizard in self:
            transition = wizard._transition()
            wizard.inputs = transition.inputs
            wizard.note_required = transition.note_required
            role = STATE[transition.target].role
            wizard.recipient_group_id = (
                self.env.ref(ROLE_GROUPS[role]) if transition.inputs == DISPOSITION else False
            )
            wizard.needs_scan = (
                transition.inputs == PUBLICATION and not wizard.permohonan_id.sudo().letter_id
            )

    @api.model_create_multi
    def create(self, vals_list):
        # a wizard names its file back to whoever reads it: only for files one may act on
        for vals in vals_list:
            permohonan = self.env["ki.permohonan"].browse(vals.get("permohonan_id"))
            permohonan._check_reachable()
            permohonan._check_may(vals.get("action"))
        return super().create(vals_list)

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        permohonan = self.env["ki.permohonan"].browse(vals.get("permohonan_id"))
        transition = permohonan and permohonan._transition_for(vals.get("action"))
        if transition and transition.inputs == DECISION:
            vals.update(
                decision=permohonan.decision,
                decision_reason=permohonan.decision_reason,
                evaluation_summary=permohonan.evaluation_summary,
            )
        if transition and transition.inputs == DISPOSITION:
            vals["recipient_ids"] = [(6, 0, permohonan._state_responsible(transition.target).ids)]
            # the urgency the Head of Office gave goes down with the file
            vals["urgency"] = permohonan.disposisi_ids[:1].urgency or "biasa"
        return vals

    def action_confirm(self):
        self.ensure_one()
        method = getattr(self.permohonan_id, self.action)
        if self.inputs == DISPOSITION:
            method(
                recipient_ids=self.recipient_ids.ids,
                instruction_ids=self.instruction_ids.ids,
                urgency=self.urgency,
                note=self.note,
            )
        elif self.inputs == DECISION:
            method(
                decision=self.decision,
                decision_reason=self.decision_reason,
                evaluation_summary=self.evaluation_summary,
                note=self.note,
            )
        elif self.inputs == PUBLICATION:
            method(note=self.note, scan=self.scan and base64.b64decode(self.scan))
        elif self.action == "action_cancel":
            method(reason=self.note)
        else:
            method(note=self.note)
        return {"type": "ir.actions.act_window_close"}

    def _transition(self):
        """The row of the SOP table this wizard runs for the current user, else the first
        row of its action (for labels only: the model checks again when confirming)."""
        return self.permohonan_id._transition_for(self.action) or transitions_of(self.action)[0]
