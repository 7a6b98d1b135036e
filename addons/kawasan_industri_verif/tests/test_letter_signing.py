"""Steps 7 and 8 with a certified electronic signature (the office's certificate, BSrE) and
on paper: the number inside the signed bytes, nothing changed by a failed signature, the
minutes frozen when the team submits them, and the letter laid out as an official one."""

import base64
import glob
import hashlib
import os
import subprocess

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import config, mute_logger

from ..tools import pki
from .common import PASSPHRASE, SCAN, KiCase
from .fake_bsre import FakeBsre
from .signing_common import SigningCase


def pdf_text(data):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@tagged("post_install", "-at_install")
class TestElectronicSignature(KiCase, SigningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kadis.write({"ki_position": "Kepala Dinas Perindustrian", "ki_rank": "Pembina (IV/a)"})

    def _sign(self, permohonan, **kwargs):
        kwargs.setdefault("passphrase", PASSPHRASE)
        return permohonan.with_user(self.kadis).action_kadis_sign(**kwargs)

    def test_signing_numbers_renders_signs_and_stores_the_letter(self):
        permohonan = self._file_in("kadis_review")
        self._sign(permohonan, note="Ditandatangani")
        self.assertEqual(permohonan.state, "numbering")
        letter = permohonan.sudo().letter_id
        self.assertEqual(
            (letter.name, letter.signature_mode), (permohonan.letter_number, "certificate")
        )
        pdf = letter.attachment_id.raw
        self.assertTrue(letter.attachment_id.ki_frozen)
        self.assertEqual(hashlib.sha256(pdf).hexdigest(), letter.sha256)
        result = self.env["ki.signing"]._validate_pdf(pdf)
        self.assertTrue(result["intact"], result["summary"])
        self.assertTrue(result["trusted"], result["summary"])
        self.assertIn("Test Kadis", result["signer_name"])
        text = pdf_text(pdf)
        self.assertIn(letter.name, text, "the number is inside the signed bytes")
        self.assertIn("Pembina (IV/a)", text)
        self.assertIn(permohonan.application_letter_number, text)
        minutes = permohonan.sudo().berita_acara_ids[:1]
        self.assertIn(minutes.name, text, "the minutes are attached to the signed letter")
        # step 8 registers and sends: the same bytes, no new number
        self._act(permohonan, "action_number_and_publish", "sekretariat")
        self.assertEqual(permohonan.state, "delivered")
        self.assertEqual(permohonan.sudo().letter_id, letter)
        self.assertEqual(letter.attachment_id.raw, pdf)

    def test_a_wrong_passphrase_changes_nothing_and_takes_no_number(self):
        permohonan = self._file_in("kadis_review")
        pattern = self.env.ref("kawasan_industri_verif.number_pattern_letter")
        next_number = pattern.preview
        attachments = self.env["ir.attachment"].sudo().search_count([])
        letters = self.env["ki.letter"].sudo().search_count([])
        with self.assertRaisesRegex(UserError, "passphrase"), self.env.cr.savepoint():
            self._sign(permohonan, passphrase="salah")
        self.env.invalidate_all()
        self.assertEqual(permohonan.state, "kadis_review")
        self.assertFalse(permohonan.letter_number)
        self.assertEqual(pattern.preview, next_number)
        self.assertEqual(self.env["ki.letter"].sudo().search_count([]), letters)
        self.assertEqual(self.env["ir.attachment"].sudo().search_count([]), attachments)

    def test_the_passphrase_is_left_nowhere(self):
        permohonan = self._file_in("kadis_review")
        with self._captured_logs() as logs:
            self._sign(permohonan)
            self.env.flush_all()
        self.assertEqual(permohonan.state, "numbering")
        self.assertFalse([line for line in logs if PASSPHRASE in line])
        self.assertNotInDatabase(PASSPHRASE)
        filestore = self.env["ir.attachment"]._filestore()
        needle = PASSPHRASE.encode()
        for path in glob.glob(os.path.join(filestore, "**", "*"), recursive=True):
            if os.path.isfile(path):
                with open(path, "rb") as stored:
                    self.assertNotIn(needle, stored.read(), path)

    def test_a_byte_changed_after_signing_is_detected(self):
        permohonan = self._file_in("numbering")
        pdf = permohonan.sudo().letter_id.attachment_id.raw
        middle = len(pdf) // 2
        changed = pdf[:middle] + bytes([pdf[middle] ^ 1]) + pdf[middle + 1 :]
        self.assertTrue(self.env["ki.signing"]._validate_pdf(pdf)["intact"])
        self.assertFalse(self.env["ki.signing"]._validate_pdf(changed)["intact"])

    def test_a_delegate_signs_with_their_delegation_only(self):
        secretary = self.env["res.users"].create(
            {
                "name": "Drs. Agus Salim",
                "login": "t_sekdin",
                "ki_position": "Sekretaris",
                "groups_id": [(4, self.env.ref("kawasan_industri_verif.group_kadis").id)],
            }
        )
        delegation = self.env["ki.signing.delegation"].create(
            {"kind": "an", "user_id": secretary.id, "date_from": "2020-01-01"}
        )
        permohonan = self._file_in("kadis_review")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._sign(permohonan, delegation_id=delegation.id)  # not the Kadis's delegation
        permohonan.with_user(secretary).action_kadis_sign(
            passphrase=PASSPHRASE, delegation_id=delegation.id
        )
        head = self.env["ki.letter.config"]._get().head_title
        self.assertEqual(permohonan.signer_position, f"a.n. {head}\nSekretaris")
        self.assertIn("a.n.", pdf_text(permohonan.sudo().letter_id.attachment_id.raw))

    def test_a_second_click_signs_nothing(self):
        """The second of two clicks waits for the file's lock (see test_concurrency), then
        finds the file signed: refused, one letter, one number."""
        permohonan = self._file_in("kadis_review")
        pattern = self.env.ref("kawasan_industri_verif.number_pattern_letter")
        self._sign(permohonan)
        pattern.invalidate_recordset()
        after_first = pattern.preview
        with self.assertRaisesRegex(UserError, "not possible"), self.env.cr.savepoint():
            self._sign(permohonan)
        pattern.invalidate_recordset()
        self.assertEqual(pattern.preview, after_first)
        self.assertEqual(len(permohonan.sudo().letter_ids), 1)

    def test_the_minutes_are_frozen_when_the_team_submits_them(self):
        permohonan = self._file_in("kabid_review")
        first = permohonan.sudo().berita_acara_ids
        self.assertEqual(len(first), 1)
        self.assertTrue(first.name.startswith("BA/"))
        self.assertTrue(first.attachment_id.ki_frozen)
        self.assertEqual(hashlib.sha256(first.attachment_id.raw).hexdigest(), first.sha256)
        original = first.attachment_id.raw
        # the Kabid returns, the team corrects and submits again: a second version
        self._act(permohonan, "action_kabid_return", "kabid")
        self._act(
            permohonan,
            "action_submit_draft",
            "verifier",
            decision="approve",
            decision_reason="Memenuhi setelah perbaikan.",
            evaluation_summary="Dievaluasi ulang.",
        )
        second = permohonan._latest_minutes()
        self.assertEqual((second.version, len(permohonan.sudo().berita_acara_ids)), (2, 2))
        self.assertNotEqual(second.name, first.name)
        self.assertEqual(first.attachment_id.raw, original, "the signed version never changes")
        with self.assertRaises(UserError):
            first.sudo().write({"name": "BA/0000"})
        printed, _type = (
            self.env["ir.actions.report"]
            .with_user(self.kabid)
            ._render_qweb_pdf("kawasan_industri_verif.report_ki_berita_acara", permohonan.ids)
        )
        self.assertEqual(printed, second.attachment_id.raw, "the minutes print as stored")
        text = pdf_text(second.attachment_id.raw)
        self.assertIn(second.name, text)
        for word in ("dua ribu",):  # the year in words in the customary opening
            self.assertIn(word, text)


@tagged("post_install", "-at_install")
class TestWetSignature(KiCase):
    def test_signed_on_paper_the_scan_is_numbered_stamped_and_published(self):
        self._sign_on_paper()
        permohonan = self._file_in("kadis_review")
        permohonan.with_user(self.kadis).action_kadis_sign()
        self.assertEqual(permohonan.state, "numbering")
        self.assertFalse(permohonan.letter_number)
        with self.assertRaisesRegex(UserError, "scan"), self.env.cr.savepoint():
            permohonan.with_user(self.sekretariat).action_number_and_publish()
        with self.assertRaisesRegex(UserError, "PDF"), self.env.cr.savepoint():
            permohonan.with_user(self.sekretariat).action_number_and_publish(scan=b"GIF89a")
        permohonan.with_user(self.sekretariat).action_number_and_publish(
            scan=base64.b64encode(SCAN).decode()
        )
        letter = permohonan.sudo().letter_id
        self.assertEqual((permohonan.state, letter.signature_mode), ("delivered", "wet"))
        text = pdf_text(letter.attachment_id.raw)
        self.assertIn(letter.name, text)
        self.assertIn(letter.verify_url, text.replace("\n", ""))
        self.assertIn("tanda tangan basah", text, "the scan itself is kept")


@tagged("post_install", "-at_install")
class TestBsreSignature(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeBsre().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.kadis.sudo().ki_bsre_nik = "3374010101800001"
        cls.fake.add_signer("Test Kadis", PASSPHRASE, nik="3374010101800001")
        company = cls.env.company.sudo()
        company.write(
            {
                "ki_signing_mode": "bsre",
                "ki_bsre_url": cls.fake.url,
                "ki_bsre_client_id": cls.fake.client_id,
            }
        )
        company._ki_set_bsre_client_secret(cls.fake.client_secret)
        cls.env["ki.trust.root"].sudo().create(
            {
                "certificate": base64.b64encode(pki.pem(cls.fake.ca_cert)),
                "certificate_filename": "bsre.pem",
            }
        )

    def test_bsre_signs_the_numbered_letter(self):
        permohonan = self._file_in("numbering")
        letter = permohonan.sudo().letter_id
        result = self.env["ki.signing"]._validate_pdf(letter.attachment_id.raw)
        self.assertTrue(result["intact"] and result["trusted"], result["summary"])
        self.assertEqual(letter.signature_mode, "bsre")
        self.assertIn("BSrE", pdf_text(letter.attachment_id.raw))

    @mute_logger("odoo.addons.kawasan_industri_verif.models.ki_signing")
    def test_the_service_down_changes_nothing(self):
        permohonan = self._file_in("kadis_review")
        self.fake.down = True
        try:
            with self.assertRaises(UserError), self.env.cr.savepoint():
                permohonan.with_user(self.kadis).action_kadis_sign(passphrase=PASSPHRASE)
        finally:
            self.fake.down = False
        self.env.invalidate_all()
        self.assertEqual(permohonan.state, "kadis_review")
        self.assertFalse(permohonan.letter_number)


@tagged("post_install", "-at_install")
class TestSigningAccess(KiCase):
    def test_only_the_head_of_office_asks_for_an_otp_and_signs(self):
        permohonan = self._file_in("kadis_review")
        for user in (self.sekretariat, self.kabid, self.verifier, self.applicant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                permohonan.with_user(user).action_request_sign_otp()
        dialog = (
            permohonan.with_user(self.kadis)
            .with_context(ki_action="action_kadis_sign")
            .action_open_transition_wizard()
        )
        self.assertEqual(dialog["tag"], "kawasan_industri_verif.sign_dialog")
        self.assertNotIn("passphrase", str(dialog))


class TestDemoLetters(TransactionCase):
    def test_every_demo_letter_carries_an_intact_signature(self):
        letters = self.env["ki.letter"].search([("signature_mode", "!=", "wet")])
        if not config["without_demo"]:
            self.assertTrue(letters)
        for letter in letters:
            with self.subTest(letter=letter.name):
                result = self.env["ki.signing"]._validate_pdf(letter.attachment_id.raw)
                self.assertTrue(result["intact"], result["summary"])
                self.assertTrue(result["trusted"], result["summary"])
