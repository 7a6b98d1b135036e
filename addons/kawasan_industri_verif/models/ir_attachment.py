"""The PDF of a published letter is kept byte for byte: its hash is printed on the
verification page."""

import base64

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
            letters = self.env["ki.letter"].sudo().search([("attachment_id", "in", self.ids)])
            if any(attachment._ki_would_change(vals) for attachment in letters.attachment_id):
                raise UserError(self.env._("The PDF of a published letter cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published_letter(self):
        if self._ki_published_letters():
            raise UserError(self.env._("The PDF of a published letter cannot be deleted."))

    def _ki_would_change(self, vals):
        """Whether `vals` changes this file; rewriting the same bytes (moving the file between
        the database and the filestore) changes nothing."""
        for fname in set(vals) & PROTECTED_FIELDS:
            value = vals[fname]
            if fname in ("raw", "datas"):
                data = value if fname == "raw" else base64.b64decode(value or b"")
                if isinstance(data, str):
                    data = data.encode()
                if self._compute_checksum(data or b"") != self.checksum:
                    return True
            elif fname in ("name", "mimetype", "type", "url", "res_model", "res_field"):
                if (value or False) != (self[fname] or False):
                    return True
            elif fname == "res_id":
                if (value or 0) != self.res_id:
                    return True
            else:  # the storage fields are only ever written by Odoo itself
                return True
        return False

    def _ki_published_letters(self):
        if not self.ids:
            return self.env["ki.letter"]
        return self.env["ki.letter"].sudo().search([("attachment_id", "in", self.ids)], limit=1)
