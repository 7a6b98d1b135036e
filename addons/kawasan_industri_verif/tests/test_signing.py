"""Signing with the office's own certificate (PKCS#12, pyHanko) and validating PAdES
signatures for the verify page."""

import base64
import datetime
import os
import subprocess
import sys
import tempfile

from odoo import fields
from odoo.exceptions import UserError

from ..models.ki_signing_demo import DEMO_LABEL, DEMO_PASSPHRASE
from ..tools import pades, pki
from .signing_common import PASSPHRASE, SIGNER_NAME, SigningCase


class TestCertificateSigning(SigningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_certificate()
        cls.root = cls._trust(cls.ca_cert)

    def _sign(self, **kwargs):
        kwargs.setdefault("passphrase", PASSPHRASE)
        return self.Signing.with_user(self.kadis)._sign_pdf(
            self.pdf, self.kadis, reason="Persetujuan teknis", location="Semarang", **kwargs
        )

    def test_signed_letter_validates_intact_and_trusted(self):
        before = fields.Datetime.now().replace(microsecond=0)
        signed = self._sign()
        after = fields.Datetime.now()
        # an incremental update: the letter's bytes are kept as they were
        self.assertTrue(signed.startswith(self.pdf))
        result = self.Signing._validate_pdf(signed)
        self.assertTrue(result["signed"])
        self.assertTrue(result["intact"])
        self.assertFalse(result["modified"])
        self.assertEqual(result["signer_name"], SIGNER_NAME)
        self.assertTrue(before <= result["signing_time"] <= after, result["signing_time"])
        self.assertTrue(result["trusted"])
        self.assertEqual(result["trust_status"], "trusted")
        self.assertEqual(len(result["signatures"]), 1)
        self.assertIn(SIGNER_NAME, result["summary"])
        self.assertIn("trusted authority", result["summary"])

    def test_signature_is_pades_with_reason_and_location(self):
        signed = self._sign()
        self.assertIn(b"/ETSI.CAdES.detached", signed)
        self.assertIn(b"/Reason (Persetujuan teknis)", signed)
        self.assertIn(b"/Location (Semarang)", signed)

    def test_untrusted_without_the_root(self):
        signed = self._sign()
        self.root.action_archive()
        result = self.Signing._validate_pdf(signed)
        self.assertTrue(result["intact"])
        self.assertFalse(result["trusted"])
        self.assertEqual(result["trust_status"], "untrusted")
        self.assertIn("not issued by a trusted authority", result["summary"])

    def test_one_byte_changed_after_signing_is_modified(self):
        signed = bytearray(self._sign())
        position = signed.index(b"Kepala Dinas")
        signed[position] = ord("X")
        result = self.Signing._validate_pdf(bytes(signed))
        self.assertTrue(result["signed"])
        self.assertFalse(result["intact"])
        self.assertTrue(result["modified"])
        self.assertEqual(result["signer_name"], SIGNER_NAME)
        self.assertIn("changed after it was signed", result["summary"])

    def test_bytes_appended_after_signing_are_modified(self):
        signed = self._sign()
        for tail in (b"\n% appended\n", b"\n"):
            with self.subTest(tail=tail):
                result = self.Signing._validate_pdf(signed + tail)
                self.assertTrue(result["modified"])
                self.assertFalse(result["intact"])
                self.assertFalse(result["signatures"][-1]["covers_file"])

    def test_wrong_passphrase_is_refused_with_no_side_effect(self):
        counts = self._record_counts()
        with self.assertRaises(UserError) as caught:
            self._sign(passphrase="salah-ketik")
        message = str(caught.exception)
        self.assertIn("passphrase does not open the office certificate", message)
        self.assertNotIn("salah-ketik", message)
        self.assertIsNone(caught.exception.__context__)
        self.assertEqual(self._record_counts(), counts)

    def test_missing_passphrase_or_certificate(self):
        with self.assertRaises(UserError) as caught:
            self._sign(passphrase=None)
        self.assertIn("Enter the passphrase", str(caught.exception))
        self.company.sudo().ki_signing_certificate = False
        with self.assertRaises(UserError) as caught:
            self._sign()
        self.assertIn("No office certificate has been uploaded", str(caught.exception))

    def test_expired_certificate_does_not_sign(self):
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        key, cert = pki.make_signer(
            self.ca_key,
            self.ca_cert,
            "Kedaluwarsa",
            not_before=now - datetime.timedelta(days=400),
            not_after=now - datetime.timedelta(days=2),
        )
        self._use_certificate(pki.to_pkcs12(key, cert, [self.ca_cert], PASSPHRASE))
        with self.assertRaises(UserError) as caught:
            self._sign()
        self.assertIn("expired on", str(caught.exception))

    def test_not_a_pdf_is_refused(self):
        with self.assertRaises(UserError) as caught:
            self.Signing.with_user(self.kadis)._sign_pdf(
                b"not a pdf", self.kadis, passphrase=PASSPHRASE
            )
        self.assertIn("not a valid PDF", str(caught.exception))

    def test_wet_mode_signs_nothing(self):
        self.company.sudo().ki_signing_mode = "wet"
        self.assertEqual(self.Signing._signing_mode(), "wet")
        with self.assertRaises(UserError) as caught:
            self._sign()
        self.assertIn("on paper", str(caught.exception))

    def test_passphrase_is_nowhere_after_signing(self):
        with self._captured_logs() as logs:
            self._sign()
            with self.assertRaises(UserError):
                self._sign(passphrase=PASSPHRASE + "x")
        self.assertTrue(any("Signed a" in line for line in logs), "nothing was captured")
        self.assertFalse([line for line in logs if PASSPHRASE in line])
        self.assertNotInDatabase(PASSPHRASE)

    def test_validation_of_unsigned_and_unreadable_files(self):
        unsigned = self.Signing._validate_pdf(self.pdf)
        self.assertTrue(unsigned["readable"])
        self.assertFalse(unsigned["signed"])
        self.assertIn("no electronic signature", unsigned["summary"])
        garbage = self.Signing._validate_pdf(b"PK\x03\x04 not a pdf")
        self.assertFalse(garbage["readable"])
        self.assertFalse(garbage["signed"])
        self.assertIn("not a readable PDF", garbage["summary"])

    def test_validation_reports_an_expired_certificate(self):
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        key, cert = pki.make_signer(
            self.ca_key,
            self.ca_cert,
            "Pejabat Lama",
            not_before=now - datetime.timedelta(days=400),
            not_after=now - datetime.timedelta(days=1),
        )
        signed = pades.sign(self.pdf, pades.make_signer(key, cert, [self.ca_cert]))
        result = self.Signing._validate_pdf(signed)
        self.assertTrue(result["intact"])
        self.assertEqual(result["trust_status"], "expired")
        self.assertIn("has expired", result["summary"])

    def test_public_user_can_validate(self):
        """The verify page runs as the public user."""
        signed = self._sign()
        public = self.env.ref("base.public_user")
        result = self.Signing.with_user(public)._validate_pdf(signed)
        self.assertTrue(result["intact"])
        self.assertTrue(result["trusted"])

    def test_pyhanko_cli_validates_the_signed_file(self):
        signed = self._sign()
        with tempfile.TemporaryDirectory() as folder:
            letter = os.path.join(folder, "letter.pdf")
            root = os.path.join(folder, "ca.pem")
            with open(letter, "wb") as out:
                out.write(signed)
            with open(root, "wb") as out:
                out.write(pki.pem(self.ca_cert))
            run = subprocess.run(
                [sys.executable, "-m", "pyhanko", "sign", "validate", "--pretty-print"]
                + ["--trust", root, "--trust-replace", "--no-revocation-check", letter],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("The signature is cryptographically sound.", run.stdout)
        self.assertIn("The signature covers the entire file.", run.stdout)
        self.assertIn("The signature is judged VALID.", run.stdout)


class TestDemoCertificate(SigningCase):
    def test_demo_certificate_says_it_is_not_for_real_use(self):
        pkcs12, ca_pem = self.Signing._demo_certificate("Kepala Dinas Uji", "Dinas Uji")
        _key, cert, chain = pki.load_pkcs12(pkcs12, DEMO_PASSPHRASE)
        self.assertIn(DEMO_LABEL, pki.common_name(cert.subject))
        self.assertIn(DEMO_LABEL, pki.common_name(chain[0].subject))
        self.assertEqual(pki.load_certificates(ca_pem)[0], chain[0])

    def test_demo_setup_signs_with_a_real_trusted_signature(self):
        self.Signing._demo_setup(self.company.id, "base.user_admin")
        self.assertEqual(self.company.sudo().ki_signing_mode, "certificate")
        signed = self.Signing._sign_pdf(self.pdf, self.env.user, passphrase=DEMO_PASSPHRASE)
        result = self.Signing._validate_pdf(signed)
        self.assertTrue(result["intact"])
        self.assertTrue(result["trusted"])
        self.assertIn(DEMO_LABEL, result["signer_name"])

    def test_demo_database_signs_in_certificate_mode(self):
        """The demo data put the demo office in certificate mode with a trusted CA."""
        demo = self.env.ref("kawasan_industri_verif.user_kadis", raise_if_not_found=False)
        if not demo:
            self.skipTest("installed without demo data")
        company = self.env.ref("base.main_company").sudo()
        self.assertEqual(company.ki_signing_mode, "certificate")
        data = base64.b64decode(company.with_context(bin_size=False).ki_signing_certificate)
        _key, cert, _chain = pki.load_pkcs12(data, DEMO_PASSPHRASE)
        self.assertIn(demo.name, pki.common_name(cert.subject))
        self.assertIn(DEMO_LABEL, pki.common_name(cert.subject))
