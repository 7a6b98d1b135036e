"""The certificate authorities whose signatures the office trusts (the BSrE root and
intermediate, or the office's own CA). A letter's signature is "trusted" when its
certificate chains up to an active one of these."""

import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import pki


class KiTrustRoot(models.Model):
    _name = "ki.trust.root"
    _description = "Trusted Certificate Authority"
    _order = "not_after desc, id desc"

    name = fields.Char(required=True, help="A label, by default the certificate's common name.")
    active = fields.Boolean(default=True)
    certificate = fields.Binary(
        "Certificate File",
        required=True,
        attachment=False,
        help="A CA certificate, PEM (.pem, .crt) or DER (.cer, .der).",
    )
    certificate_filename = fields.Char("File Name")
    subject = fields.Char(compute="_compute_certificate_info", store=True)
    issuer = fields.Char(compute="_compute_certificate_info", store=True)
    not_before = fields.Datetime("Valid From", compute="_compute_certificate_info", store=True)
    not_after = fields.Datetime("Valid Until", compute="_compute_certificate_info", store=True)
    fingerprint_sha256 = fields.Char(
        "SHA-256 Fingerprint", compute="_compute_certificate_info", store=True, index=True
    )
    is_ca = fields.Boolean(
        "Certificate Authority",
        compute="_compute_certificate_info",
        store=True,
        help="The certificate may issue other certificates.",
    )
    validity = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired"), ("not_yet_valid", "Not Yet Valid")],
        compute="_compute_validity",
    )

    _sql_constraints = [
        (
            "fingerprint_unique",
            "UNIQUE(fingerprint_sha256)",
            "This certificate is already a trust root.",
        )
    ]

    @api.depends("certificate")
    def _compute_certificate_info(self):
        for root in self:
            cert = root._ki_certificate(raise_if_invalid=False)
            if cert is None:
                root.update(
                    {
                        "subject": False,
                        "issuer": False,
                        "not_before": False,
                        "not_after": False,
                        "fingerprint_sha256": False,
                        "is_ca": False,
                    }
                )
                continue
            root.update(
                {
                    "subject": cert.subject.rfc4514_string(),
                    "issuer": cert.issuer.rfc4514_string(),
                    "not_before": cert.not_valid_before,
                    "not_after": cert.not_valid_after,
                    "fingerprint_sha256": pki.sha256_fingerprint(cert),
                    "is_ca": pki.is_ca(cert),
                }
            )

    @api.depends("not_before", "not_after")
    def _compute_validity(self):
        now = fields.Datetime.now()
        for root in self:
            if root.not_after and root.not_after < now:
                root.validity = "expired"
            elif root.not_before and root.not_before > now:
                root.validity = "not_yet_valid"
            else:
                root.validity = "valid"

    @api.constrains("certificate")
    def _check_certificate(self):
        for root in self:
            root._ki_certificate(raise_if_invalid=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") and vals.get("certificate"):
                cert = self._ki_parse(vals["certificate"])
                vals["name"] = pki.common_name(cert.subject)
        return super().create(vals_list)

    def _ki_certificate(self, raise_if_invalid=True):
        """The record's certificate (cryptography), None when there is none or, unless
        `raise_if_invalid`, when the file is not one certificate."""
        self.ensure_one()
        value = self.with_context(bin_size=False).certificate
        return self._ki_parse(value, raise_if_invalid) if value else None

    @api.model
    def _ki_parse(self, value, raise_if_invalid=True):
        try:
            data = base64.b64decode(value, validate=True)
            certs = pki.load_certificates(data)
        except (binascii.Error, ValueError, TypeError):
            if not raise_if_invalid:
                return None
            raise ValidationError(
                self.env._(
                    "This file is not a certificate. Upload a CA certificate in PEM (.pem, "
                    ".crt) or DER (.cer, .der) format."
                )
            ) from None
        if len(certs) != 1:
            if not raise_if_invalid:
                return None
            raise ValidationError(
                self.env._(
                    "This file holds %(count)s certificates: upload them one at a time.",
                    count=len(certs),
                )
            )
        return certs[0]

    @api.model
    def _ki_active_certificates(self):
        """The certificates of the active trust roots, for signature validation."""
        roots = self.sudo().search([])
        return [cert for cert in (r._ki_certificate(False) for r in roots) if cert is not None]
