"""The document checklist and the uploaded documents, kept in every version: a version's
file, SHA-256 and place in the file's hash chain never change; only the verifier's
assessment of it does."""

import mimetypes
import re
import unicodedata

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools.mimetypes import guess_mimetype

from .sop import TIM_TEKNIS

DOCUMENT_STATUSES = [("pending", "Pending"), ("valid", "Valid"), ("invalid", "Invalid")]
DEFAULT_MIMETYPES = "application/pdf,image/jpeg,image/png"
DEFAULT_MAX_SIZE_MB = 10.0
# What the verification writes on a version; nothing else of it ever changes.
ASSESSMENT_FIELDS = {"status", "verifier_note", "verified_by_id", "verified_date"}


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
    max_size_mb = fields.Float("Maximum Size (MB)", default=DEFAULT_MAX_SIZE_MB)
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_uniq", "unique(code)", "The document code must be unique.")]

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    @api.model
    @tools.ormcache()
    def _max_upload_bytes(self):
        """The largest file any document type accepts, in bytes."""
        sizes = self.sudo().search([]).mapped("max_size_mb")
        return int(max(sizes, default=DEFAULT_MAX_SIZE_MB) * 1024 * 1024)

    def _allowed_mimetypes(self):
        return {mimetype.strip() for mimetype in self.allowed_mimetypes.split(",") if mimetype}


class KiPermohonanDocument(models.Model):
    _name = "ki.permohonan.document"
    _inherit = ["ki.chained.mixin"]
    _description = "Application Document"
    _order = "document_type_sequence, document_type_id, version desc"
    _chain_fields = (
        "permohonan_id",
        "document_type_id",
        "version",
        "sha256",
        "attachment_id",
        "create_uid",
        "create_date",
    )

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
    sha256 = fields.Char("SHA-256", readonly=True, help="Of the file as the applicant filed it.")
    status = fields.Selection(DOCUMENT_STATUSES, default="pending", required=True, readonly=True)
    verifier_note = fields.Text(readonly=True)
    verified_by_id = fields.Many2one("res.users", readonly=True)
    verified_date = fields.Datetime("Verified On", readonly=True)

    @api.depends("document_type_id", "version")
    def _compute_display_name(self):
        for doc in self:
            doc.display_name = self.env._(
                "%(type)s, version %(version)s", type=doc.document_type_id.name, version=doc.version
            )

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        for document in documents:  # sealed in upload order, under the file's lock
            super(KiPermohonanDocument, document).write(document._chain_seal_vals())
        return documents

    def write(self, vals):
        fnames = set(vals) - ASSESSMENT_FIELDS
        if fnames - {"is_latest"} or (vals.get("is_latest") and not all(self.mapped("is_latest"))):
            raise UserError(self.env._("A filed document never changes: upload a new version."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A filed document is never deleted."))

    @api.model
    def _clean_filename(self, filename, mimetype):
        """A safe base name (no path, no control characters, nothing exotic) with the
        extension of the type its content really is."""
        name = unicodedata.normalize("NFKD", (filename or "").replace("\\", "/").split("/")[-1])
        name = re.sub(r"[^\w.\- ]", "_", name.encode("ascii", "ignore").decode()).strip(" .")
        stem = name.rsplit(".", 1)[0] if "." in name else name
        extension = {"image/jpeg": ".jpg"}.get(mimetype) or mimetypes.guess_extension(mimetype)
        return f"{stem[:110] or 'document'}{extension or ''}"

    def _check_size(self, document_type, size):
        if size > document_type.max_size_mb * 1024 * 1024:
            raise UserError(
                self.env._(
                    "The file is larger than the %(size)s MB allowed for %(name)s.",
                    size=document_type.max_size_mb,
                    name=document_type.name,
                )
            )

    def _check_upload(self, document_type, data):
        if not data:
            raise UserError(self.env._("The file is empty."))
        self._check_size(document_type, len(data))
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

    def _check_verifiable(self):
        """Only a verifier named on the file assesses its documents, during step 5."""
        for doc in self:
            permohonan = doc.permohonan_id
            permohonan._check_reachable()
            if permohonan.state != "verification" or not permohonan._is_actor(TIM_TEKNIS):
                raise AccessError(
                    self.env._(
                        "Only a verifier assigned to the file checks its documents, during "
                        "the technical verification."
                    )
                )

    def _set_status(self, status, note):
        self._check_verifiable()
        self.sudo().write(
            {
                "status": status,
                "verifier_note": note or False,
                "verified_by_id": self.env.user.id,
                "verified_date": fields.Datetime.now(),
            }
        )
        return True
