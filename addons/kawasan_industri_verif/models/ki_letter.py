"""The published decision letters: the exact PDF, its SHA-256 and the public verification
token. A letter never changes once published; a correction revokes it for a new one."""

import base64
import io
import secrets

import qrcode
from odoo import api, fields, models
from odoo.exceptions import UserError

LETTER_STATES = [("valid", "Valid"), ("revoked", "Revoked")]
DECISIONS = [("approve", "Approval"), ("reject", "Rejection")]
# Set when the letter is created, never changed afterwards.
FROZEN_FIELDS = {
    "name",
    "permohonan_id",
    "partner_id",
    "partner_name",
    "date",
    "decision",
    "subject",
    "body",
    "signer_id",
    "signer_name",
    "signer_nip",
    "signer_position",
    "signer_rank",
    "signed_date",
    "signature_mode",
    "token",
    "replaces_id",
}
# Filled once, when the rendered PDF is stored just after the letter is created.
PDF_FIELDS = {"attachment_id", "sha256"}
REVOCATION_FIELDS = {"state", "revoke_reason", "revoke_date", "revoked_by_id", "replaced_by_id"}
VERIFY_ROUTE = "/ki/verify/"


class KiLetter(models.Model):
    _name = "ki.letter"
    _description = "Published Letter"
    _order = "date desc, id desc"

    name = fields.Char("Letter Number", required=True, readonly=True, index=True)
    permohonan_id = fields.Many2one(
        "ki.permohonan",
        "Application",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one("res.partner", "Company", readonly=True)
    partner_name = fields.Char(
        "Applicant", readonly=True, help="The company's name as printed on the letter."
    )
    date = fields.Date("Letter Date", required=True, readonly=True)
    decision = fields.Selection(DECISIONS, required=True, readonly=True)
    subject = fields.Char(readonly=True)
    body = fields.Html(readonly=True, sanitize=False)
    signer_id = fields.Many2one("res.users", "Signed By", readonly=True)
    signer_name = fields.Char(readonly=True)
    signer_nip = fields.Char("Signer NIP", readonly=True)
    signer_position = fields.Char("Signature Title", readonly=True)
    signer_rank = fields.Char("Signer Rank and Grade", readonly=True)
    signed_date = fields.Datetime("Signed On", readonly=True)
    signature_mode = fields.Selection(
        [
            ("bsre", "Electronic signature (BSrE)"),
            ("certificate", "Electronic signature (office certificate)"),
            ("wet", "Signed on paper"),
        ],
        readonly=True,
    )
    attachment_id = fields.Many2one("ir.attachment", "PDF", readonly=True, index="btree_not_null")
    file_data = fields.Binary(related="attachment_id.datas", string="File")
    file_name = fields.Char(related="attachment_id.name")
    sha256 = fields.Char("SHA-256", readonly=True)
    token = fields.Char(
        readonly=True, copy=False, help="Unguessable key of the public verification page."
    )
    verify_url = fields.Char("Verification Page", compute="_compute_verify_url")
    state = fields.Selection(LETTER_STATES, default="valid", required=True, readonly=True)
    revoke_reason = fields.Text("Reason for Revocation", readonly=True)
    revoke_date = fields.Datetime("Revoked On", readonly=True)
    revoked_by_id = fields.Many2one("res.users", readonly=True)
    replaced_by_id = fields.Many2one("ki.letter", readonly=True)
    replaces_id = fields.Many2one("ki.letter", "Corrects", readonly=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The letter number must be unique."),
        ("token_uniq", "unique(token)", "The verification token must be unique."),
    ]

    @api.depends("token")
    def _compute_verify_url(self):
        for rec in self:
            rec.verify_url = rec.token and f"{rec.get_base_url()}{VERIFY_ROUTE}{rec.token}"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("token", self._new_token())
        return super().create(vals_list)

    def write(self, vals):
        """Only the system writes letters (no role has write access), and even the system
        only completes a letter being published or revokes a valid one."""
        fnames = set(vals)
        for rec in self:
            if fnames & FROZEN_FIELDS or any(rec[fname] for fname in fnames & PDF_FIELDS):
                raise UserError(self.env._("A published letter cannot be changed."))
            if fnames & REVOCATION_FIELDS and rec.state == "revoked":
                raise UserError(self.env._("A revoked letter cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A published letter is never deleted; revoke it."))

    def action_download(self):
        """Download the published PDF, byte for byte."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def _revoke(self, reason, replaced_by):
        self.sudo().write(
            {
                "state": "revoked",
                "revoke_reason": reason,
                "revoke_date": fields.Datetime.now(),
                "revoked_by_id": self.env.user.id,
                "replaced_by_id": replaced_by.id,
            }
        )

    def _qr_data_uri(self):
        """The QR code of the verification page as a PNG data URI (no network fetch while
        wkhtmltopdf renders)."""
        self.ensure_one()
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=1
        )
        code.add_data(self.verify_url)
        code.make(fit=True)
        stream = io.BytesIO()
        code.make_image().save(stream, format="PNG")
        return "data:image/png;base64," + base64.b64encode(stream.getvalue()).decode()

    @api.model
    def _new_token(self):
        return secrets.token_urlsafe(32)
