"""Signing through BSrE's esign-client API v2, against a local fake that speaks its contract
(tests/fake_bsre.py): success with a passphrase or an OTP, and every failure the signer
must be told about, each leaving nothing behind."""

import base64
import socket

import requests
from odoo.exceptions import UserError

from .fake_bsre import FakeBsre
from .signing_common import PASSPHRASE, SigningCase

NIK = "3374015203690002"
EMAIL = "kadis.bsre@disperin.example.go.id"


class TestBsreSigning(SigningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeBsre().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.signer = cls.fake.add_signer("Kadis BSrE", PASSPHRASE, nik=NIK, email=EMAIL)
        cls.company.sudo().write(
            {
                "ki_signing_mode": "bsre",
                "ki_bsre_url": cls.fake.url + "/",
                "ki_bsre_client_id": cls.fake.client_id,
                "ki_bsre_timeout": 5,
            }
        )
        cls.company.sudo()._ki_set_bsre_client_secret(cls.fake.client_secret)
        cls.kadis.sudo().ki_bsre_nik = NIK
        cls._trust(cls.fake.ca_cert)

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.down = self.fake.malformed = self.fake.unsigned = False
        self.fake.delay = 0
        self.signer.active = True

    def _sign(self, **kwargs):
        if "totp" not in kwargs:
            kwargs.setdefault("passphrase", PASSPHRASE)
        return self.Signing.with_user(self.kadis)._sign_pdf(
            self.pdf, self.kadis, reason="Persetujuan teknis", location="Semarang", **kwargs
        )

    def _refusal(self, **kwargs):
        counts = self._record_counts()
        with self.assertRaises(UserError) as caught:
            self._sign(**kwargs)
        self.assertEqual(self._record_counts(), counts)
        self.assertIsNone(caught.exception.__context__)
        message = str(caught.exception)
        self.assertNotIn(PASSPHRASE, message)
        return message

    def test_signs_with_nik_and_passphrase(self):
        signed = self._sign()
        result = self.Signing._validate_pdf(signed)
        self.assertTrue(result["intact"])
        self.assertTrue(result["trusted"])
        self.assertEqual(result["signer_name"], "Kadis BSrE")
        [(path, body)] = self.fake.requests
        self.assertEqual(path, "/api/v2/sign/pdf")
        self.assertEqual(body["nik"], NIK)
        self.assertEqual(body["passphrase"], PASSPHRASE)
        self.assertNotIn("totp", body)
        self.assertEqual(
            body["signatureProperties"],
            [{"tampilan": "INVISIBLE", "reason": "Persetujuan teknis", "location": "Semarang"}],
        )
        self.assertEqual(len(body["file"]), 1)

    def test_signs_with_email_when_no_nik(self):
        self.kadis.sudo().ki_bsre_nik = False
        self.kadis.sudo().ki_bsre_email = EMAIL
        self.assertTrue(self.Signing._validate_pdf(self._sign())["intact"])
        self.assertEqual(self.fake.requests[0][1]["email"], EMAIL)
        self.assertNotIn("nik", self.fake.requests[0][1])

    def test_otp_requested_then_signs_once(self):
        self.assertTrue(self.Signing.with_user(self.kadis)._request_totp(self.kadis))
        self.assertEqual(self.fake.requests[0], ("/api/v2/sign/get/totp", {"nik": NIK, "data": 1}))
        otp = self.signer.totp
        self.assertTrue(otp)
        signed = self._sign(totp=otp)
        self.assertTrue(self.Signing._validate_pdf(signed)["intact"])
        body = self.fake.requests[-1][1]
        self.assertEqual(body["totp"], otp)
        self.assertNotIn("passphrase", body)
        # an OTP signs once
        self.assertIn("passphrase or the OTP is wrong", self._refusal(totp=otp))

    def test_otp_request_by_email_uses_data_3(self):
        self.kadis.sudo().write({"ki_bsre_nik": False, "ki_bsre_email": EMAIL})
        self.Signing.with_user(self.kadis)._request_totp(self.kadis)
        self.assertEqual(self.fake.requests[0][1], {"email": EMAIL, "data": 3})

    def test_otp_request_for_an_unknown_signer(self):
        self.kadis.sudo().ki_bsre_nik = "3374010000000000"
        with self.assertRaises(UserError) as caught:
            self.Signing.with_user(self.kadis)._request_totp(self.kadis)
        self.assertIn("not registered at BSrE", str(caught.exception))

    def test_wrong_passphrase(self):
        message = self._refusal(passphrase="bukan-ini")
        self.assertIn("passphrase or the OTP is wrong", message)
        self.assertNotIn("bukan-ini", message)

    def test_certificate_not_active(self):
        self.signer.active = False
        self.assertIn("certificate of Kadis is not active", self._refusal())

    def test_signer_not_registered(self):
        self.kadis.sudo().ki_bsre_nik = "3374010000000000"
        self.assertIn("Kadis is not registered at BSrE", self._refusal())

    def test_signer_without_identity(self):
        self.kadis.sudo().ki_bsre_nik = False
        self.assertIn("has no BSrE identity", self._refusal())
        self.assertFalse(self.fake.requests)

    def test_wrong_client_credentials(self):
        self.company.sudo()._ki_set_bsre_client_secret("bukan-rahasia-klien")
        self.assertIn("refused the office's client ID and secret", self._refusal())

    def test_service_down(self):
        self.fake.down = True
        self.assertIn("unavailable or failed (HTTP 503)", self._refusal())

    def test_service_unreachable(self):
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        self.company.sudo().ki_bsre_url = f"http://127.0.0.1:{port}"
        self.assertIn("cannot be reached", self._refusal())

    def test_timeout(self):
        # Odoo's test case raises any shorter timeout of `requests` to 10 s
        self.company.sudo().ki_bsre_timeout = 10
        self.fake.delay = 10.5
        self.assertIn("did not answer within the time limit (10 s)", self._refusal())

    def test_malformed_answer(self):
        self.fake.malformed = True
        self.assertIn("could not be read as a signed letter", self._refusal())

    def test_answer_without_a_valid_signature(self):
        self.fake.unsigned = True
        self.assertIn("could not be read as a signed letter", self._refusal())

    def test_passphrase_is_nowhere_after_signing(self):
        with self._captured_logs() as logs:
            self._sign()
            with self.assertRaises(UserError):
                self._sign(passphrase=PASSPHRASE + "x")
        self.assertTrue(any("Signed a" in line for line in logs), "nothing was captured")
        self.assertTrue(any("HTTP 400" in line for line in logs), "the failure was not logged")
        self.assertFalse([line for line in logs if PASSPHRASE in line])
        self.assertNotInDatabase(PASSPHRASE)

    def test_fake_verify_endpoint(self):
        """The fake's /api/v2/verify/pdf answers in the collection's shape."""
        signed = self._sign()
        answer = requests.post(
            self.fake.url + "/api/v2/verify/pdf",
            json={"file": base64.b64encode(signed).decode()},
            auth=(self.fake.client_id, self.fake.client_secret),
            timeout=30,
        ).json()
        self.assertEqual(answer["conclusion"], "VALID")
        self.assertEqual(answer["signatureCount"], 1)
        self.assertEqual(answer["signatureInformations"][0]["signerName"], "Kadis BSrE")
