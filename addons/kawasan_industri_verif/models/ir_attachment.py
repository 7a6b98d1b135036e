"""Evidence files are frozen: an uploaded document version, a Berita Acara and a published
letter keep their bytes, name, type, owner record and visibility for everyone, the
administrator and the ORM's superuser included. A correction is always a new file."""

import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

# What makes the file and where it belongs.
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
    "public",
    "ki_frozen",
}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    ki_frozen = fields.Boolean(
        "Frozen Evidence",
        readonly=True,
        copy=False,
        help="An uploaded document version, a Berita Acara or a published letter: its file "
        "can never change nor be deleted.",
    )

    def write(self, vals):
        frozen = self.filtered("ki_frozen") if set(vals) & PROTECTED_FIELDS else self.browse()
        if any(attachment._ki_would_change(vals) for attachment in frozen):
            raise UserError(
                self.env._("A filed document, a Berita Acara or a published letter never changes.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        if any(self.mapped("ki_frozen")):
            raise UserError(
                self.env._(
                    "A filed document, a Berita Acara or a published letter is never deleted."
                )
            )

    def _ki_freeze(self):
        """Make these files evidence, for good."""
        self.sudo().write({"ki_frozen": True})

    def _ki_would_change(self, vals):
        """Whether `vals` changes this frozen file; rewriting the same bytes (Odoo moving the
        file between the database and the filestore) changes nothing."""
        for fname in set(vals) & PROTECTED_FIELDS:
            value = vals[fname]
            if fname in ("raw", "datas"):
                data = value if fname == "raw" else base64.b64decode(value or b"")
                if isinstance(data, str):
                    data = data.encode()
                if self._compute_checksum(data or b"") != self.checksum:
                    return True
            elif fname in ("store_fname", "db_datas", "file_size", "checksum"):
                # only Odoo writes these, and only together with the same bytes
                if "raw" not in vals and "datas" not in vals:
                    return True
            elif fname == "res_id":
                if (value or 0) != self.res_id:
                    return True
            elif fname == "ki_frozen":
                if not value:
                    return True
            elif (value or False) != (self[fname] or False):
                return True
        return False

    @api.model
    def _ki_freeze_existing(self):
        """Freeze the files of every document version and letter (on install and upgrade)."""
        self.env.cr.execute(
            """
            UPDATE ir_attachment SET ki_frozen = true
             WHERE ki_frozen IS NOT true AND id IN (
                   SELECT attachment_id FROM ki_permohonan_document
                    UNION SELECT attachment_id FROM ki_letter WHERE attachment_id IS NOT NULL
                    UNION SELECT attachment_id FROM ki_berita_acara WHERE attachment_id IS NOT NULL)
            """
        )
