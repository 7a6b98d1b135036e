"""Asks the Head of Office why a published letter signed on paper is corrected, and for the
scan of the corrected letter, then calls ki.permohonan.action_correct_letter as RPC would.
(An office that signs electronically corrects in the signing dialog.)"""

import base64

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
    scan = fields.Binary(
        "Scan of the Signed Letter",
        attachment=False,
        required=True,
        help="The corrected letter signed on paper, scanned as a PDF.",
    )
    scan_name = fields.Char()

    def action_confirm(self):
        self.ensure_one()
        self.permohonan_id.action_correct_letter(
            reason=self.reason, scan=base64.b64decode(self.scan)
        )
        return {"type": "ir.actions.act_window_close"}
