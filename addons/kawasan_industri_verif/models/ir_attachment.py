"""The PDF of a published letter is kept byte for byte: its hash is printed on the
verification page."""

from odoo import api, models
from odoo.exceptions import UserError

# What makes the file: its content and the record it belongs to.
PROTECTED_FIELDS = {
    "datas",
    "raw",
    "db_datas",
    "store_fname",
    "file_size",
    "checksum",
    "mimetype",
    "type",
    "url",
    "name",
    "res_model",
    "res_id",
    "res_field",
}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        if set(vals) & PROTECTED_FIELDS and self._ki_published_letters():
            raise UserError(self.env._("The PDF of a published letter cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published_letter(self):
        if self._ki_published_letters():
            raise UserError(self.env._("The PDF of a published letter cannot be deleted."))

    def _ki_published_letters(self):
        if not self.ids:
            return self.env["ki.letter"]
        return self.env["ki.letter"].sudo().search([("attachment_id", "in", self.ids)], limit=1)
