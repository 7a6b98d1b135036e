"""Asks the Head of Office why a published letter is corrected, then calls
ki.permohonan.action_correct_letter as RPC would."""

from odoo import fields, models


class KiLetterCorrectWizard(models.TransientModel):
    _name = "ki.letter.correct.wizard"
    _description = "Letter Correction Wizard"

    permohonan_id = fields.Many2one("ki.permohonan", "Application", required=True)
    letter_id = fields.Many2one(related="permohonan_id.letter_id")
    reason = fields.Text(
        "Reason for the Correction",
        required=True,
        help="Shown with the revoked letter; the applicant is told.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.permohonan_id.action_correct_letter(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
