"""Asks for the inputs of a transition, then calls the same model method as RPC would."""

from odoo import api, fields, models

from ..models.ki_permohonan import URGENCIES

WIZARD_ACTIONS = [
    ("action_dispose_to_kabid", "Dispose to the Division Head"),
    ("action_dispose_to_team", "Dispose to the Technical Team"),
    ("action_return_to_applicant", "Return to the Applicant"),
    ("action_submit_draft", "Submit the Decision Draft"),
    ("action_kabid_approve", "Approve the Draft for Signature"),
    ("action_kabid_return", "Return the Draft to the Technical Team"),
    ("action_kadis_sign", "Sign the Decision"),
    ("action_kadis_return", "Return the Draft to the Division Head"),
    ("action_cancel", "Cancel the Application"),
]
DISPOSITIONS = ("action_dispose_to_kabid", "action_dispose_to_team")
DRAFTS = ("action_submit_draft", "action_kabid_approve", "action_kadis_sign")
RETURNS = ("action_return_to_applicant", "action_kabid_return", "action_kadis_return")


class KiTransitionWizard(models.TransientModel):
    _name = "ki.transition.wizard"
    _description = "Application Step Wizard"

    permohonan_id = fields.Many2one("ki.permohonan", "Application", required=True)
    action = fields.Selection(WIZARD_ACTIONS, required=True)
    kind = fields.Selection(
        [("disposition", "Disposition"), ("draft", "Draft"), ("other", "Other")],
        compute="_compute_kind",
    )
    recipient_role_group_id = fields.Many2one("res.groups", compute="_compute_kind")
    recipient_ids = fields.Many2many(
        "res.users",
        string="Recipients",
        domain="[('share', '=', False), ('groups_id', 'in', recipient_role_group_id)]",
    )
    instruction_ids = fields.Many2many("ki.disposisi.instruction", string="Instructions")
    urgency = fields.Selection(URGENCIES, default="biasa")
    decision = fields.Selection([("approve", "Approval"), ("reject", "Rejection")])
    decision_reason = fields.Text("Reasons")
    evaluation_summary = fields.Text()
    note = fields.Text()
    note_required = fields.Boolean(compute="_compute_kind")

    @api.depends("action")
    def _compute_kind(self):
        kabid = self.env.ref("kawasan_industri_verif.group_kabid")
        team = self.env.ref("kawasan_industri_verif.group_tim_teknis")
        for wizard in self:
            if wizard.action in DISPOSITIONS:
                wizard.kind = "disposition"
            elif wizard.action in DRAFTS:
                wizard.kind = "draft"
            else:
                wizard.kind = "other"
            wizard.recipient_role_group_id = (
                kabid if wizard.action == "action_dispose_to_kabid" else team
            )
            wizard.note_required = wizard.action in RETURNS or (
                wizard.action == "action_cancel" and not wizard.permohonan_id._is_actor("applicant")
            )

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        permohonan = self.env["ki.permohonan"].browse(vals.get("permohonan_id"))
        if permohonan and vals.get("action") in DRAFTS:
            vals.update(
                decision=permohonan.decision,
                decision_reason=permohonan.decision_reason,
                evaluation_summary=permohonan.evaluation_summary,
            )
        if vals.get("action") == "action_dispose_to_kabid":
            vals["recipient_ids"] = [(6, 0, permohonan._state_responsible("kabid_disposition").ids)]
        return vals

    def action_confirm(self):
        self.ensure_one()
        permohonan = self.permohonan_id
        method = getattr(permohonan, self.action)
        if self.kind == "disposition":
            method(
                recipient_ids=self.recipient_ids.ids,
                instruction_ids=self.instruction_ids.ids,
                urgency=self.urgency,
                note=self.note,
            )
        elif self.kind == "draft":
            method(
                decision=self.decision,
                decision_reason=self.decision_reason,
                evaluation_summary=self.evaluation_summary,
                note=self.note,
            )
        elif self.action == "action_cancel":
            method(reason=self.note)
        else:
            method(note=self.note)
        return {"type": "ir.actions.act_window_close"}
