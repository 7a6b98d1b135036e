from odoo import api, fields, models


class KiDocumentReviewWizard(models.TransientModel):
    _name = "ki.document.review.wizard"
    _description = "Mark a Document Invalid"

    document_id = fields.Many2one("ki.permohonan.document", required=True)
    note = fields.Text("What must be fixed", required=True)

    @api.model_create_multi
    def create(self, vals_list):
        # the wizard names the document back: only for one the user may assess
        for vals in vals_list:
            self.env["ki.permohonan.document"].browse(vals.get("document_id"))._check_verifiable()
        return super().create(vals_list)

    def action_confirm(self):
        self.ensure_one()
        self.document_id.action_mark_invalid(note=self.note)
        return {"type": "ir.actions.act_window_close"}
