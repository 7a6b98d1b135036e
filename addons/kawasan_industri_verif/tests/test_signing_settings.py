"""The signing settings, the signers' BSrE identities and the trust roots: only the addon's
administrator reads or changes them, the BSrE client secret is write-only, and bad input
is refused with a clear message."""

import base64
import hashlib

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from ..tools import pki
from .signing_common import SigningCase

SIGNING_FIELDS = [
    "ki_signing_mode",
    "ki_bsre_url",
    "ki_bsre_client_id",
    "ki_bsre_client_secret_set",
    "ki_bsre_timeout",
    "ki_signing_certificate",
]


class TestSigningSettings(SigningCase):
    def _settings(self, user, vals):
        settings = self.env["res.config.settings"].with_user(user).create(vals)
        settings.execute()
        return settings

    def test_administrator_configures_bsre_and_the_secret_is_write_only(self):
        settings = self._settings(
            self.admin,
            {
                "ki_signing_mode": "bsre",
                "ki_bsre_url": "https://esign.example.go.id",
                "ki_bsre_client_id": "disperin",
                "ki_bsre_client_secret": "S3cret-klien-BSrE",
                "ki_bsre_timeout": 20,
            },
        )
        company = self.company.with_user(self.admin)
        self.assertEqual(company.ki_signing_mode, "bsre")
        self.assertEqual(company.ki_bsre_url, "https://esign.example.go.id")
        self.assertEqual(company.ki_bsre_client_id, "disperin")
        self.assertEqual(company.ki_bsre_timeout, 20)
        self.assertTrue(company.ki_bsre_client_secret_set)
        # never shown again, not even by the form that saved it, and no field holds it
        self.assertFalse(settings.ki_bsre_client_secret)
        self.assertNotIn("S3cret-klien-BSrE", str(settings.web_read({"ki_bsre_client_secret": {}})))
        self.assertFalse(
            self.env["res.config.settings"]
            .with_user(self.admin)
            .default_get([])
            .get("ki_bsre_client_secret")
        )
        self.assertNotIn("ki_bsre_client_secret", self.company._fields)
        self.assertNotIn("S3cret-klien-BSrE", str(company.read()))
        self.assertEqual(self.company.sudo()._ki_bsre_client_secret(), "S3cret-klien-BSrE")
        self.assertNotInDatabase("S3cret-klien-BSrE", allowed={"res_company.ki_bsre_client_secret"})
        # saving the settings again without typing a secret keeps it
        self._settings(self.admin, {"ki_bsre_client_id": "disperin2"})
        self.assertEqual(self.company.sudo()._ki_bsre_client_secret(), "S3cret-klien-BSrE")

    def test_administrator_uploads_the_office_certificate(self):
        self._settings(
            self.admin,
            {
                "ki_signing_mode": "certificate",
                "ki_signing_certificate": base64.b64encode(self.pkcs12),
                "ki_signing_certificate_filename": "kadis.p12",
            },
        )
        company = self.company.with_user(self.admin).with_context(bin_size=False)
        self.assertEqual(company.ki_signing_mode, "certificate")
        self.assertEqual(base64.b64decode(company.ki_signing_certificate), self.pkcs12)

    def test_other_roles_can_neither_read_nor_change_the_settings(self):
        self._use_certificate()
        certificate_domain = [
            ("res_model", "=", "res.company"),
            ("res_field", "=", "ki_signing_certificate"),
        ]
        self.assertTrue(self.env["ir.attachment"].search(certificate_domain))
        for role, user in self.others.items():
            company = self.company.with_user(user)
            with self.subTest(role=role):
                self.assertFalse(
                    self.env["ir.attachment"].with_user(user).search(certificate_domain)
                )
                with self.assertRaises(AccessError):
                    company.read(SIGNING_FIELDS)
                with self.assertRaises(AccessError):
                    company.write({"ki_signing_mode": "wet"})
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].with_user(user).create(
                        {"ki_signing_mode": "wet"}
                    )
                with self.assertRaises(AccessError):
                    company._ki_set_bsre_client_secret("dicoba")
                with self.assertRaises(AccessError):
                    user.with_user(user).read(["ki_bsre_nik", "ki_bsre_email"])
        self.assertFalse(self.company.sudo()._ki_bsre_client_secret())

    def test_settings_administrator_outside_the_addon_cannot_read_them(self):
        system = self.env["res.users"].create(
            {
                "name": "IT",
                "login": "t_sign_it",
                "groups_id": [(6, 0, [self.env.ref("base.group_system").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.company.with_user(system).read(["ki_bsre_url"])

    def test_settings_form_shows_the_signing_block(self):
        arch = self.env["res.config.settings"].with_user(self.admin).get_views([(False, "form")])
        form = arch["views"]["form"]["arch"]
        for name in ("ki_signing_mode", "ki_bsre_url", "ki_bsre_client_secret"):
            self.assertIn(f'name="{name}"', form)
        self.assertIn("ki_signing_certificate", form)

    def test_bad_settings_are_refused(self):
        company = self.company.with_user(self.admin)
        for vals, message in (
            ({"ki_bsre_url": "esign.example.go.id"}, "must start with https://"),
            ({"ki_bsre_timeout": 0}, "between 1 and 300"),
            (
                {"ki_signing_certificate": base64.b64encode(b"-----BEGIN CERTIFICATE-----")},
                "PKCS#12",
            ),
            ({"ki_signing_certificate": base64.b64encode(pki.der(self.ca_cert))}, "PKCS#12"),
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as caught:
                company.write(vals)
                company.flush_recordset()
            self.assertIn(message, str(caught.exception))

    def test_signer_identity_on_the_user(self):
        as_admin = self.kadis.with_user(self.admin)
        as_admin.write({"ki_bsre_nik": "3374015203690002", "ki_bsre_email": "kadis@example.go.id"})
        self.assertEqual(self.kadis._ki_bsre_identity(), ({"nik": "3374015203690002"}, 1))
        as_admin.ki_bsre_nik = False
        self.assertEqual(self.kadis._ki_bsre_identity(), ({"email": "kadis@example.go.id"}, 3))
        for vals in (
            {"ki_bsre_nik": "33740152036900"},
            {"ki_bsre_nik": "3374 0152 0369 0002"},
            {"ki_bsre_email": "bukan-email"},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                as_admin.write(vals)
        with self.assertRaises(AccessError):
            self.kadis.with_user(self.kadis).write({"ki_bsre_nik": "3374015203690002"})


class TestTrustRoots(SigningCase):
    def _upload(self, data, user=None, **vals):
        roots = self.env["ki.trust.root"].with_user(user or self.admin)
        return roots.create(dict({"certificate": base64.b64encode(data)}, **vals))

    def test_pem_root_shows_its_details(self):
        root = self._upload(pki.pem(self.ca_cert), certificate_filename="ca.pem")
        self.assertEqual(root.name, "CA Uji Dinas")
        self.assertEqual(root.subject, "CN=CA Uji Dinas,C=ID")
        self.assertEqual(root.issuer, root.subject)
        self.assertEqual(root.not_before, self.ca_cert.not_valid_before)
        self.assertEqual(root.not_after, self.ca_cert.not_valid_after)
        digest = hashlib.sha256(pki.der(self.ca_cert)).hexdigest().upper()
        self.assertEqual(root.fingerprint_sha256.replace(":", ""), digest)
        self.assertTrue(root.is_ca)
        self.assertEqual(root.validity, "valid")

    def test_der_root_is_accepted(self):
        root = self._upload(pki.der(self.ca_cert), name="BSrE Root")
        self.assertEqual(root.name, "BSrE Root")
        self.assertEqual(root.subject, "CN=CA Uji Dinas,C=ID")

    def test_a_file_that_is_not_a_certificate_is_refused(self):
        roots = self.env["ki.trust.root"].with_context(active_test=False)
        count = roots.search_count([])
        for data in (b"%PDF-1.4 bukan sertifikat", self.pkcs12, b"x"):
            with self.subTest(data=data[:10]), self.assertRaises(ValidationError) as caught:
                self._upload(data)
            self.assertIn("This file is not a certificate", str(caught.exception))
        self.assertEqual(roots.search_count([]), count)

    def test_a_bundle_is_refused(self):
        _key, other = pki.make_ca("CA Kedua")
        with self.assertRaises(ValidationError) as caught:
            self._upload(pki.pem(self.ca_cert) + pki.pem(other))
        self.assertIn("holds 2 certificates", str(caught.exception))

    @mute_logger("odoo.sql_db")
    def test_the_same_root_twice_is_refused(self):
        self._upload(pki.pem(self.ca_cert))
        with self.assertRaises(IntegrityError):
            self._upload(pki.der(self.ca_cert))
            self.env.flush_all()

    def test_only_the_administrator_manages_trust_roots(self):
        root = self._upload(pki.pem(self.ca_cert))
        for role, user in self.others.items():
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.env["ki.trust.root"].with_user(user).search([])
                with self.assertRaises(AccessError):
                    root.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self._upload(pki.pem(self.ca_cert), user=user)
        with self.assertRaises(AccessError):
            root.with_user(self.admin).unlink()
        root.with_user(self.admin).action_archive()
        self.assertFalse(root.active)
