"""The document checklist and the uploaded documents, kept in every version."""

import re
import unicodedata

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.mimetypes import guess_mimetype

DOCUMENT_STATUSES = [("pending", "Pending"), ("valid", "Valid"), ("invalid", "Invalid")]
DEFAULT_MIMETYPES = "application/pdf,image/jpeg,image/png"


class KiDocumentType(models.Model):
    _name = "ki.document.type"
    _description = "Application Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    required = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    allowed_mimetypes = fields.Char(
        "Allowed File Types",
        required=True,
        default=DEFAULT_MIMETYPES,
        help="Comma-separated MIME types, checked against the file's content.",
    )
    max_size_mb = fields.Float("Maximum Size (MB)", default=10.0)
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_uniq", "unique(code)", "The document code must be unique.")]

    def _allowed_mimetypes(self):
        return {mimetype.strip() for mimetype in self.allowed_mimetypes.split(",") if mimetype}


class KiPermohonanDocument(models.Model):
    _name = "ki.permohonan.document"
    _description = "Application Document"
    _order = "document_type_sequence, document_type_id, version desc"

    permohonan_id = fields.Many2one(
        "ki.permohonan", "Application", required=True, index=True, ondelete="cascade"
    )
    document_type_id = fields.Many2one(
        "ki.document.type", required=True, index=True, ondelete="restrict"
    )
    document_type_sequence = fields.Integer(related="document_type_id.sequence", store=True)
    version = fields.Integer(required=True, default=1, readonly=True)
    is_latest = fields.Boolean("Latest Version", default=True, index=True, readonly=True)
    attachment_id = fields.Many2one("ir.attachment", "File", required=True, readonly=True)
    file_data = fields.Binary(related="attachment_id.datas")
    file_name = fields.Char(related="attachment_id.name")
    mimetype = fields.Char(related="attachment_id.mimetype")
    file_size = fields.Integer(related="attachment_id.file_size")
    status = fields.Selection(DOCUMENT_STATUSES, default="pending", required=True, readonly=True)
    verifier_note = fields.Text(readonly=True)
    verified_by_id = fields.Many2one("res.users", readonly=True)
    verified_date = fields.Datetime("Verified On", readonly=True)

    @api.model
    def _clean_filename(self, filename):
        """Keep a safe base name: no path, no control characters, nothing exotic."""
        name = unicodedata.normalize("NFKD", (filename or "").replace("\\", "/").split("/")[-1])
        name = re.sub(r"[^\w.\- ]", "_", name.encode("ascii", "ignore").decode()).strip(" .")
        return name[:120] or "document"

    def _check_upload(self, document_type, data):
        if not data:
            raise UserError(self.env._("The file is empty."))
        if len(data) > document_type.max_size_mb * 1024 * 1024:
            raise UserError(
                self.env._(
                    "The file is larger than the %(size)s MB allowed for %(name)s.",
                    size=document_type.max_size_mb,
                    name=document_type.name,
                )
            )
        mimetype = guess_mimetype(data, default="application/octet-stream")
        if mimetype not in document_type._allowed_mimetypes():
            raise UserError(
                self.env._(
                    "%(name)s accepts only %(types)s; this file's content is %(mimetype)s.",
                    name=document_type.name,
                    types=document_type.allowed_mimetypes,
                    mimetype=mimetype,
                )
            )
        return mimetype

    def action_mark_valid(self, note=None):
        """The verifier accepts this version of the document."""
        return self._set_status("valid", note)

    def action_mark_invalid(self, note=None):
        """The verifier rejects this version; the applicant must replace it."""
        if not (note or "").strip():
            raise UserError(self.env._("Say what is wrong with the document."))
        return self._set_status("invalid", note)

    def _set_status(self, status, note):
        for doc in self:
            permohonan = doc.permohonan_id
            if permohonan.state != "verification" or not permohonan._is_actor("tim_teknis"):
                raise AccessError(
                    self.env._(
                        "Only a verifier assigned to the file checks its documents, during "
                        "the technical verification."
                    )
                )
        self.sudo().write(
            {
                "status": status,
                "verifier_note": note or False,
                "verified_by_id": self.env.user.id,
                "verified_date": fields.Datetime.now(),
            }
        )
        return True
