import hashlib
import re
import subprocess

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PASSPHRASE, KiCase

RECEIPT = "kawasan_industri_verif.action_report_ki_receipt"
DISPOSITION = "kawasan_industri_verif.action_report_ki_disposition"
BERITA_ACARA = "kawasan_industri_verif.action_report_ki_berita_acara"
LETTER = "kawasan_industri_verif.action_report_ki_letter"
MAX_LETTER_BYTES = 300 * 1024
MM = 72 / 25.4  # points per millimetre


def pdf_text(pdf):
    """The text pdftotext extracts, on one line per text line, spaces normalised."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return re.sub(r"[ \t]+", " ", result.stdout.decode())


def pdf_info(pdf):
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    lines = (line.partition(":") for line in result.stdout.decode().splitlines())
    return {key.strip(): value.strip() for key, _sep, value in lines}


def pdf_page_mm(pdf):
    """The page size in millimetres, rounded: wkhtmltopdf snaps F4 to 8.5 x 13 inches."""
    width, _x, height = pdf_info(pdf)["Page size"].split()[:3]
    return round(float(width) / MM), round(float(height) / MM)


def pdf_square_images(pdf):
    """The square images of the PDF (a QR code is square), as (width, height)."""
    result = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True)
    sizes = [line.split()[3:5] for line in result.stdout.decode().splitlines()[2:]]
    return [size for size in sizes if size[0] == size[1]]


class KiLetterCase(KiCase):
    """Rendering helpers: the HTML as a given user, the PDF through wkhtmltopdf."""

    def assertContains(self, text, *expected):
        missing = [item for item in expected if item not in text]
        self.assertFalse(missing, "missing from the rendered report")

    def _in_report_lang(self, records):
        """Records as the reports print them: in the office's language."""
        return records.with_context(lang=self.env.company._ki_lang())

    def _html(self, report, record, user):
        html, _type = (
            self.env["ir.actions.report"].with_user(user)._render_qweb_html(report, record.ids)
        )
        return html.decode()

    def _pdf(self, report, record, user=None):
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if user:
            reports = reports.with_user(user)
        pdf, report_type = reports._render_qweb_pdf(report, record.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf


@tagged("post_install", "-at_install")
class TestReports(KiLetterCase):
    """Each report renders for a file in the right state, as the roles that print it, and
    shows its key fields in the HTML and in the PDF's text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.submitted = cls._file_in("submitted")
        cls.in_review = cls._file_in("kabid_review")
        cls.in_review.document_ids[:1].with_env(cls.env).sudo().write(
            {"status": "invalid", "verifier_note": "Cap basah tidak terbaca"}
        )

    def test_receipt(self):
        for user in (self.sekretariat, self.auditor):
            html = self._html(RECEIPT, self.submitted, user)
            self.assertContains(
                html,
                self.submitted.name,
                self.submitted.lookup_code,
                "PT Uji Kawasan",
                "Kawasan Industri Uji",
                self._in_report_lang(self.doc_types.filtered("required")[:1]).name,
                "/permohonan/status",
            )
        text = pdf_text(self._pdf(RECEIPT, self.submitted, self.sekretariat))
        self.assertContains(text, self.submitted.name, self.submitted.lookup_code, "PT Uji Kawasan")

    def test_disposition_sheet(self):
        html = self._html(DISPOSITION, self.in_review, self.kadis)
        self.assertContains(
            html,
            self.in_review.agenda_number,
            self.in_review.name,
            "PT Uji Kawasan",
            "Test Kabid",  # the Head of Office's disposition goes to the Division Head
            "Test Verifier",  # the Division Head's to the technical team
            "Segera proses",
            *self._in_report_lang(self.instructions).mapped("name"),
        )
        # the instructions given are ticked: one box per instruction and disposition
        ticked = re.findall(r'<span class="ki-box">X</span>\s*([^<]+)<', html)
        given = self._in_report_lang(self.instructions[0]).name
        self.assertIn(given, [name.strip() for name in ticked])
        text = pdf_text(self._pdf(DISPOSITION, self.in_review, self.kabid))
        self.assertContains(text, self.in_review.agenda_number)
        self.assertContains(text, "Segera proses")

    def test_berita_acara(self):
        minutes = self.in_review._latest_minutes()
        for user in (self.verifier, self.kabid):
            html = self._html(BERITA_ACARA, self.in_review, user)
            self.assertContains(
                html,
                self.in_review.name,
                minutes.name,
                "PT Uji Kawasan",
                "Test Verifier",
                "Lengkap",  # the team's findings
                "Memenuhi ketentuan",  # the reasons of its conclusion
                "Cap basah tidak terbaca",  # a document as verified
                "120 ha",
                "65%",
            )
            doc_types = self._in_report_lang(self.doc_types.filtered("required"))
            self.assertContains(html, *doc_types.mapped("name"))
        text = pdf_text(self._pdf(BERITA_ACARA, self.in_review, self.verifier))
        self.assertContains(text, self.in_review.name)
        self.assertContains(text, "PT Uji Kawasan")

    def test_technical_checks_follow_the_settings(self):
        checks = self.in_review._technical_checks()
        self.assertEqual([check["ok"] for check in checks], [True, True, True, True])
        small = self._new_file(
            estate_type="ikm",
            area_ha=4.0,
            share_industrial=75.0,
            share_green=9.0,
            share_road=7.0,
            share_other=9.0,
        )
        self.assertEqual(
            [check["ok"] for check in small._technical_checks()], [False, False, False, False]
        )
        small.with_user(self.applicant).write({"area_ha": 5.0})
        self.assertTrue(small._technical_checks()[0]["ok"], "5 ha is enough for an IKM estate")
        small.with_user(self.applicant).write({"estate_type": "general"})
        self.assertFalse(small._technical_checks()[0]["ok"], "50 ha for a general estate")
        config = self.env["ki.letter.config"]._get()
        config.with_user(self.ki_admin).write(
            {
                "min_area_general": 4.0,
                "max_share_industrial": 80.0,
                "min_share_green": 5.0,
                "min_share_road": 5.0,
            }
        )
        self.assertEqual(
            [check["ok"] for check in small._technical_checks()], [True, True, True, True]
        )

    def test_letter_draft_until_signed(self):
        verification = self._file_in("verification")
        with self.assertRaisesRegex(UserError, "cannot be printed"):
            self._html(LETTER, verification, self.verifier)  # no decision drafted yet
        verification.with_user(self.verifier).write(
            {"decision": "reject", "decision_reason": "Luas kurang dari <50 ha>"}
        )
        html = self._html(LETTER, verification, self.verifier)
        self.assertContains(html, 'class="ki-draft"')
        self.assertContains(html, "Penolakan")  # the rejection subject and body
        self.assertContains(html, "Luas kurang dari &lt;50 ha&gt;")  # reasons are escaped

        html = self._html(LETTER, self.in_review, self.kabid)
        self.assertContains(html, 'class="ki-draft"')
        self.assertContains(html, "Persetujuan")
        self.assertContains(html, "Memenuhi ketentuan")

        signed = self._file_in("numbering")
        html = self._html(LETTER, signed, self.sekretariat)
        self.assertNotIn('class="ki-draft"', html)
        self.assertContains(html, "Test Kadis")
        self.assertContains(html, "196805121994031005")
        # signed electronically at step 7: the number and the QR code are in the signed PDF
        self.assertContains(html, 'class="ki-qr"', signed.letter_number)
        text = pdf_text(self._pdf(LETTER, signed, self.sekretariat))
        self.assertContains(text, "Test Kadis")
        self.assertContains(text, "PT Uji Kawasan")

    def test_reports_refused_in_other_states(self):
        draft = self._new_file()
        for report in (RECEIPT, DISPOSITION, BERITA_ACARA, LETTER):
            with self.assertRaisesRegex(UserError, "cannot be printed"):
                self._html(report, draft, self.ki_admin)
        for report in (DISPOSITION, BERITA_ACARA, LETTER):
            with self.assertRaisesRegex(UserError, "cannot be printed"):
                self._html(report, self.submitted, self.sekretariat)
        with self.assertRaises(AccessError):  # a verifier reads only the files given to them
            self._html(BERITA_ACARA, self.in_review, self.verifier2)

    def test_print_buttons(self):
        self.assertTrue(self.submitted.can_print_receipt)
        self.assertFalse(self.submitted.can_print_disposition)
        self.assertFalse(self.submitted.can_print_letter)
        self.assertTrue(self.in_review.can_print_berita_acara)
        self.assertTrue(self.in_review.can_print_letter)
        action = (
            self.in_review.with_user(self.kabid)
            .with_context(ki_report="berita_acara")
            .action_print_report()
        )
        self.assertEqual(action["report_name"], "kawasan_industri_verif.report_ki_berita_acara")
        with self.assertRaises(UserError):
            self.submitted.with_context(ki_report="letter").action_print_report()

    def test_letterhead_and_body_come_from_the_settings(self):
        config = self.env["ki.letter.config"]._get()
        with self.assertRaises(AccessError):
            config.with_user(self.sekretariat).write({"office_name": "DINAS LAIN"})
        config.with_user(self.ki_admin).write(
            {
                "government_line": "PEMERINTAH KABUPATEN KENDAL",
                "office_name": "DINAS PERINDUSTRIAN DAN PERDAGANGAN",
                "address": "Jalan Soekarno-Hatta 191, Kendal",
                "approval_body": "<p>Kepada {{perusahaan}} atas {{kawasan}} ({{luas}} ha): "
                "{{alasan}} {{tidak_dikenal}}</p>",
            }
        )
        html = self._html(LETTER, self.in_review, self.kadis)
        self.assertContains(
            html,
            "PEMERINTAH KABUPATEN KENDAL",
            "DINAS PERINDUSTRIAN DAN PERDAGANGAN",
            "Jalan Soekarno-Hatta 191, Kendal",
            "Kepada PT Uji Kawasan atas Kawasan Industri Uji (120 ha): Memenuhi ketentuan",
            "{{tidak_dikenal}}",  # an unknown placeholder stays visible for the administrator
        )


@tagged("post_install", "-at_install")
class TestPublication(KiLetterCase):
    """Step 8 renders the letter once, stores it with its SHA-256 and freezes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.published = cls._file_in("delivered")
        cls.letter = cls.published.letter_id

    def test_published_pdf(self):
        letter, published = self.letter, self.published
        self.assertEqual(letter.state, "valid")
        self.assertEqual(letter.name, published.letter_number)
        self.assertEqual(letter.partner_name, "PT Uji Kawasan")
        self.assertEqual(
            (letter.signer_name, letter.signer_nip, letter.decision),
            ("Test Kadis", "196805121994031005", "approve"),
        )
        attachment = published.letter_attachment_id
        self.assertEqual(attachment, letter.attachment_id)
        self.assertEqual((attachment.res_model, attachment.res_id), ("ki.permohonan", published.id))
        pdf = attachment.raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(published.letter_sha256, hashlib.sha256(pdf).hexdigest())
        self.assertEqual(published.verify_token, letter.token)
        self.assertGreaterEqual(len(letter.token), 40)
        self.assertLess(len(pdf), MAX_LETTER_BYTES)
        info = pdf_info(pdf)
        self.assertGreaterEqual(int(info["Pages"]), 2, "the letter, then the minutes attached")
        self.assertEqual(pdf_page_mm(pdf), (210, 297))
        text = pdf_text(pdf)
        self.assertContains(text, letter.name)
        self.assertContains(text, "PT Uji Kawasan")
        self.assertContains(text, "Test Kadis")
        self.assertContains(text.replace("\n", ""), f"/ki/verify/{letter.token}")
        self.assertContains(text, published._latest_minutes().name)
        self.assertTrue(pdf_square_images(pdf), "the QR code is in the PDF")
        html = self._html(LETTER, published, self.auditor)
        self.assertContains(html, 'class="ki-qr"', "data:image/png;base64,")
        self.assertNotIn('class="ki-draft"', html)

    def test_printing_a_published_letter_returns_the_published_bytes(self):
        action = (
            self.published.with_user(self.auditor)
            .with_context(ki_report="letter")
            .action_print_report()
        )
        self.assertEqual(
            action["url"], f"/web/content/{self.letter.attachment_id.id}?download=true"
        )
        pdf = self._pdf(LETTER, self.published, self.sekretariat)
        self.assertEqual(hashlib.sha256(pdf).hexdigest(), self.letter.sha256)

    def test_number_taken_once_and_logged(self):
        self.assertRegex(self.letter.name, r"^500\.2/\d{4}/DISPERIN/\d{4}$")
        messages = self.published.message_ids.mapped("body")
        self.assertTrue(any(self.letter.sha256 in body for body in messages))

    def test_writes_after_publication_are_refused_for_every_role(self):
        published, letter = self.published, self.letter
        attachment = letter.attachment_id
        pdf = attachment.raw
        admin = self.env.ref("base.user_admin")
        users = (
            self.applicant,
            self.sekretariat,
            self.kadis,
            self.kabid,
            self.verifier,
            self.auditor,
            self.ki_admin,
            admin,
        )
        attempts = [
            (published, {"decision": "reject"}),
            (published, {"decision_reason": "Diubah"}),
            (published, {"evaluation_summary": "Diubah"}),
            (published, {"letter_number": "500.2/9999/DISPERIN/2026"}),
            (published, {"signer_name": "Orang Lain"}),
            (published, {"letter_id": False}),
            (letter, {"name": "500.2/9999/DISPERIN/2026"}),
            (letter, {"state": "revoked"}),
            (letter, {"sha256": "0" * 64}),
            (attachment, {"raw": b"%PDF-1.4 palsu"}),
            (attachment, {"name": "palsu.pdf"}),
        ]
        for user in users:
            for record, vals in attempts:
                with (
                    self.subTest(user=user.login, model=record._name, vals=list(vals)),
                    self.assertRaises(UserError),
                ):
                    record.with_user(user).write(vals)
            for record in (letter, attachment):
                with (
                    self.subTest(user=user.login, unlink=record._name),
                    self.assertRaises(UserError),
                ):
                    record.with_user(user).unlink()
        # not even the system changes them
        with self.assertRaises(AccessError):
            published.sudo().write({"decision": "reject"})
        with self.assertRaises(UserError):
            letter.sudo().write({"body": "<p>Lain</p>"})
        with self.assertRaises(UserError):
            letter.sudo().write({"attachment_id": False})
        # rewriting the same bytes (Odoo moving the file between storages) is no change
        attachment.sudo().write({"raw": pdf, "mimetype": "application/pdf"})
        with self.assertRaises(UserError):
            attachment.sudo().write({"raw": b"%PDF-1.4 palsu"})
        with self.assertRaises(UserError):
            attachment.sudo().unlink()
        with self.assertRaises(UserError):
            letter.sudo().unlink()
        self.env.invalidate_all()
        self.assertEqual(published.decision, "approve")
        self.assertEqual(letter.state, "valid")
        self.assertEqual(attachment.raw, pdf)
        self.assertEqual(hashlib.sha256(attachment.raw).hexdigest(), letter.sha256)

    def test_correction_revokes_and_publishes_a_new_letter(self):
        old, published = self.letter, self.published
        old_pdf = old.attachment_id.raw
        for user in (self.sekretariat, self.kabid, self.ki_admin, self.applicant, self.auditor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                published.with_user(user).action_correct_letter(
                    reason="Salah ketik", passphrase=PASSPHRASE
                )
        with self.assertRaisesRegex(UserError, "note"):
            published.with_user(self.kadis).action_correct_letter(reason=" ", passphrase=PASSPHRASE)

        published.with_user(self.kadis).action_correct_letter(
            reason="Salah ketik alamat", passphrase=PASSPHRASE
        )
        new = published.letter_id
        self.assertNotEqual(new, old)
        self.assertEqual(
            (old.state, old.revoke_reason, old.revoked_by_id, old.replaced_by_id),
            ("revoked", "Salah ketik alamat", self.kadis, new),
        )
        self.assertEqual((new.state, new.replaces_id), ("valid", old))
        serial = int(old.name.split("/")[1])
        self.assertEqual(new.name, old.name.replace(f"/{serial:04d}/", f"/{serial + 1:04d}/"))
        self.assertEqual(published.letter_number, new.name)
        self.assertEqual(new.decision, old.decision)
        self.assertEqual(published.letter_attachment_id, new.attachment_id)
        self.assertEqual(hashlib.sha256(new.attachment_id.raw).hexdigest(), new.sha256)
        self.assertNotEqual(new.sha256, old.sha256)
        self.assertEqual(old.attachment_id.raw, old_pdf, "the revoked letter's PDF is kept")
        self.assertContains(pdf_text(new.attachment_id.raw), new.name)
        self.assertIn("Salah ketik alamat", published.message_ids[0].body)
        with self.assertRaises(UserError):
            old.sudo()._revoke("Lagi", new)
        self.assertFalse(self._file_in("numbering").can_correct_letter)
        with self.assertRaisesRegex(UserError, "Only a published letter"):
            self._file_in("numbering").with_user(self.kadis).action_correct_letter(
                reason="x", passphrase=PASSPHRASE
            )

    def test_f4_paper(self):
        config = self.env["ki.letter.config"]._get()
        config.with_user(self.ki_admin).paper_size = "f4"
        pdf = self._pdf(RECEIPT, self.published, self.sekretariat)
        self.assertIn(pdf_page_mm(pdf), [(215, 330), (216, 330)])
        config.with_user(self.ki_admin).paper_size = "a4"
        pdf = self._pdf(RECEIPT, self.published, self.sekretariat)
        self.assertEqual(pdf_page_mm(pdf), (210, 297))

    def test_applicant_reads_only_their_company_letters(self):
        self.assertEqual(self.letter.with_user(self.applicant).name, self.letter.name)
        with self.assertRaises(AccessError):
            self.letter.with_user(self.other_applicant).read(["name"])
        with self.assertRaises(AccessError):
            self.letter.with_user(self.verifier2).read(["name"])
        self.assertEqual(self.letter.with_user(self.verifier).name, self.letter.name)
