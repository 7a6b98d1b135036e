from odoo import fields, models


class KiDocumentReviewWizard(models.TransientModel):
    _name = "ki.document.review.wizard"
    _description = "Mark a Document Invalid"

    document_id = fields.Many2one("ki.permohonan.document", required=True)
    note = fields.Text("What must be fixed", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.document_id.action_mark_invalid(note=self.note)
        return {"type": "ir.actions.act_window_close"}
