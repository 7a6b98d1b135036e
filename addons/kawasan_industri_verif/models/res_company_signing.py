"""How the office signs its decision letters: through BSrE, with its own certificate, or on
paper. Only the addon's administrator reads or changes these settings; the signing
service reads them as the system."""

import base64
import binascii
import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools import pki

ADMIN_GROUP = "kawasan_industri_verif.group_admin"
SIGNING_MODES = [
    ("bsre", "BSrE (national electronic signature service)"),
    ("certificate", "Office certificate"),
    ("wet", "Wet signature (signed on paper, scan uploaded)"),
]
DEFAULT_TIMEOUT = 30
MAX_TIMEOUT = 300
URL_RE = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
# The BSrE client secret lives in this column and in no field: no view, export or RPC
# read can return it, like res.users' password. Only `_ki_bsre_client_secret` reads it.
SECRET_COLUMN = "ki_bsre_client_secret"


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    ki_signing_mode = fields.Selection(
        SIGNING_MODES,
        "Signing Mode",
        default="wet",
        required=True,
        groups=ADMIN_GROUP,
        help="BSrE and the office certificate sign the letter electronically (PAdES) when "
        "the Head of Office signs it; with a wet signature the signed paper is scanned and "
        "uploaded when the letter is numbered.",
    )
    ki_bsre_url = fields.Char(
        "BSrE Service URL",
        groups=ADMIN_GROUP,
        help="Base URL of the office's esign-client, e.g. https://esign.example.go.id",
    )
    ki_bsre_client_id = fields.Char(
        "BSrE Client ID", groups=ADMIN_GROUP, help="User name of the office's esign-client."
    )
    ki_bsre_client_secret_set = fields.Boolean(
        "BSrE Client Secret Saved", compute="_compute_ki_bsre_client_secret_set", groups=ADMIN_GROUP
    )
    ki_bsre_timeout = fields.Integer(
        "BSrE Timeout (seconds)",
        default=DEFAULT_TIMEOUT,
        groups=ADMIN_GROUP,
        help="How long to wait for the signing service before telling the signer it did not "
        "answer.",
    )
    ki_signing_certificate = fields.Binary(
        "Office Certificate (PKCS#12)",
        attachment=True,
        groups=ADMIN_GROUP,
        help="The signer's key and certificate as a .p12/.pfx file. Its passphrase is not "
        "stored: the Head of Office types it each time a letter is signed.",
    )
    ki_signing_certificate_filename = fields.Char("Certificate File Name", groups=ADMIN_GROUP)

    @api.constrains("ki_bsre_url")
    def _check_ki_bsre_url(self):
        for company in self.sudo():
            if company.ki_bsre_url and not URL_RE.match(company.ki_bsre_url.strip()):
                raise ValidationError(
                    self.env._("The BSrE service URL must start with https:// or http://.")
                )

    @api.constrains("ki_bsre_timeout")
    def _check_ki_bsre_timeout(self):
        for company in self.sudo():
            if not 1 <= company.ki_bsre_timeout <= MAX_TIMEOUT:
                raise ValidationError(
                    self.env._(
                        "The BSrE timeout must be between 1 and %(max)s seconds.", max=MAX_TIMEOUT
                    )
                )

    @api.constrains("ki_signing_certificate")
    def _check_ki_signing_certificate(self):
        for company in self.sudo().with_context(bin_size=False):
            if not company.ki_signing_certificate:
                continue
            try:
                data = base64.b64decode(company.ki_signing_certificate, validate=True)
            except (binascii.Error, ValueError):
                data = b""
            if not pki.is_pkcs12(data):
                raise ValidationError(
                    self.env._(
                        "The office certificate must be a PKCS#12 file (.p12 or .pfx) holding "
                        "the signer's key and certificate."
                    )
                )

    def init(self):
        result = super().init()
        self.env.cr.execute(
            SQL(
                "ALTER TABLE res_company ADD COLUMN IF NOT EXISTS %s varchar",
                SQL.identifier(SECRET_COLUMN),
            )
        )
        return result

    def _compute_ki_bsre_client_secret_set(self):
        secrets = self._ki_read_secrets()
        for company in self:
            company.ki_bsre_client_secret_set = bool(secrets.get(company._origin.id))

    def _ki_set_bsre_client_secret(self, secret):
        """Replace the BSrE client secret (write-only: nothing reads it back but the
        signing service)."""
        if not self.env.su and not self.env.user.has_group(ADMIN_GROUP):
            raise AccessError(self.env._("Only the administrator configures signing."))
        self.check_access("write")
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET %s = %s WHERE id IN %s",
                SQL.identifier(SECRET_COLUMN),
                secret or None,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["ki_bsre_client_secret_set"])

    def _ki_bsre_client_secret(self):
        """The BSrE client secret, for the signing service only."""
        self.ensure_one()
        return self._ki_read_secrets().get(self.id) or ""

    def _ki_read_secrets(self):
        ids = tuple(id_ for id_ in self._origin._ids if isinstance(id_, int))
        if not ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM res_company WHERE id IN %s",
                SQL.identifier(SECRET_COLUMN),
                ids,
            )
        )
        return dict(self.env.cr.fetchall())
