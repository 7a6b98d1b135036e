"""A demonstration certificate, so that the demo's letters carry real PAdES signatures: a
certificate authority and a signer certificate generated on the spot, whose names say
they are not for real use. The PKCS#12's passphrase is DEMO_PASSPHRASE (see README)."""

import base64
import datetime

from odoo import api, models

from ..tools import pki
from .ki_permohonan_demo import DEMO_PASSPHRASE

DEMO_LABEL = "DEMO — TIDAK UNTUK PENGGUNAAN RESMI"
DEMO_SIGNER_YEARS = 5


class KiSigning(models.AbstractModel):
    _inherit = "ki.signing"

    @api.model
    def _demo_certificate(self, signer_name, office_name):
        """A fresh demonstration CA and a signer certificate it issued: (PKCS#12 bytes
        protected by DEMO_PASSPHRASE, the CA certificate in PEM)."""
        ca_key, ca_cert = pki.make_ca(f"CA {DEMO_LABEL}", organization=office_name)
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        key, cert = pki.make_signer(
            ca_key,
            ca_cert,
            f"{signer_name} ({DEMO_LABEL})",
            organization=DEMO_LABEL,
            unit=office_name,
            not_after=now + datetime.timedelta(days=365 * DEMO_SIGNER_YEARS),
        )
        pkcs12 = pki.to_pkcs12(key, cert, [ca_cert], DEMO_PASSPHRASE, friendly_name="demo")
        return pkcs12, pki.pem(ca_cert)

    @api.model
    def _demo_setup(self, company_id, signer_xmlid):
        """Put the company in office-certificate mode with a demonstration certificate in
        the name of the user `signer_xmlid`, and trust its CA (called from demo data)."""
        company = self.env["res.company"].browse(company_id).sudo()
        signer = self.env.ref(signer_xmlid)
        # the office as its letterhead names it (the company's name may still be Odoo's
        # placeholder when the demo data runs)
        letterhead = self.env["ki.letter.config"]._get(company)
        office = f"{letterhead.office_name} — {letterhead.government_line}"
        pkcs12, ca_pem = self._demo_certificate(signer.name, office)
        self.env["ki.trust.root"].sudo().create(
            {
                "name": f"CA {DEMO_LABEL}",
                "certificate": base64.b64encode(ca_pem),
                "certificate_filename": "ca-demo.pem",
            }
        )
        company.write(
            {
                "ki_signing_mode": "certificate",
                "ki_signing_certificate": base64.b64encode(pkcs12),
                "ki_signing_certificate_filename": "tte-demo.p12",
            }
        )
        return True
