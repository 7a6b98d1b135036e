"""The Berita Acara Verifikasi Teknis as the technical team signed it: numbered in its own
series, rendered and stored when the team submits its draft, never changed afterwards. A
corrected evaluation, submitted again, is a new version with a new number."""

from odoo import api, fields, models
from odoo.exceptions import UserError

# Set at creation or once the PDF is stored, never afterwards.
FROZEN_FIELDS = {"name", "permohonan_id", "version", "date", "verifier_ids"}
PDF_FIELDS = {"attachment_id", "sha256"}


class KiBeritaAcara(models.Model):
    _name = "ki.berita.acara"
    _description = "Technical Verification Minutes"
    _order = "permohonan_id, version desc"

    name = fields.Char("Number", required=True, readonly=True, index=True)
    permohonan_id = fields.Many2one(
        "ki.permohonan",
        "Application",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    version = fields.Integer(required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    verifier_ids = fields.Many2many("res.users", string="Technical Team", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", "PDF", readonly=True)
    file_data = fields.Binary(related="attachment_id.datas", string="File")
    file_name = fields.Char(related="attachment_id.name")
    sha256 = fields.Char("SHA-256", readonly=True)

    _sql_constraints = [("name_uniq", "unique(name)", "The minutes' number must be unique.")]

    @api.depends("name", "version")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = self.env._(
                "%(number)s (version %(version)s)", number=rec.name, version=rec.version
            )

    def write(self, vals):
        fnames = set(vals)
        if fnames & FROZEN_FIELDS or any(rec[f] for rec in self for f in fnames & PDF_FIELDS):
            raise UserError(
                self.env._("Signed minutes never change: a correction is a new version.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Signed minutes are never deleted."))
