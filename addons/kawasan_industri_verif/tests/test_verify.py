import re
import secrets

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PASSPHRASE, KiCase

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestVerifyPage(HttpCase, KiCase):
    """The public page behind the letter's QR code, visited without logging in."""

    # The verification page is a read-only route that counts the hit on the primary in a
    # transaction of its own, which Odoo's test cursors cannot nest in a read-only one.
    readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.published = cls._file_in("delivered")
        cls.letter = cls.published.letter_id

    def _url(self, token):
        return f"/ki/verify/{token}"

    def _status(self, response):
        match = re.search(r'data-ki-status="([^"]+)"', response.text)
        return match and match.group(1)

    def _upload(self, token, content, csrf=True):
        page = self.url_open(self._url(token))
        data = {"csrf_token": CSRF_RE.search(page.text).group(1)} if csrf else {}
        return self.url_open(
            self._url(token), data=data, files={"pdf": ("surat.pdf", content, "application/pdf")}
        )

    def _match(self, response):
        match = re.search(r'data-ki-match="([^"]+)"', response.text)
        return match and match.group(1)

    def test_valid_letter(self):
        response = self.url_open(self._url(self.letter.token), allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._status(response), "valid")
        for expected in (
            self.letter.name,
            "PT Uji Kawasan",
            "Test Kadis",
            "Kepala Dinas",
            self.letter.sha256,
        ):
            self.assertIn(expected, response.text)
        # nothing else about the file
        for hidden in (
            self.published.name,
            self.published.lookup_code,
            self.published.nib,
            "Memenuhi ketentuan",
            "196805121994031005",
        ):
            self.assertNotIn(hidden, response.text)

    def test_revoked_letter(self):
        self.published.with_user(self.kadis).action_correct_letter(
            reason="Salah ketik alamat", passphrase=PASSPHRASE
        )
        new = self.published.letter_id
        response = self.url_open(self._url(self.letter.token))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._status(response), "revoked")
        self.assertIn(self.letter.name, response.text)
        self.assertNotIn("Salah ketik alamat", response.text)
        response = self.url_open(self._url(new.token))
        self.assertEqual(self._status(response), "valid")
        self.assertIn(new.name, response.text)

    def test_unknown_token_reveals_nothing(self):
        for token in (secrets.token_urlsafe(32), "short", self.letter.token[:-1] + "_"):
            with self.subTest(token=token):
                response = self.url_open(self._url(token))
                self.assertEqual(response.status_code, 404)
                self.assertEqual(self._status(response), "not_found")
                for hidden in (self.letter.name, "PT Uji Kawasan", self.letter.sha256):
                    self.assertNotIn(hidden, response.text)
        response = self.url_open(
            self._url(secrets.token_urlsafe(32)),
            data={"csrf_token": "x"},
            files={"pdf": ("surat.pdf", self.letter.attachment_id.raw, "application/pdf")},
        )
        self.assertNotIn(self.letter.name, response.text)

    def test_upload_of_the_published_pdf_matches(self):
        response = self._upload(self.letter.token, self.letter.attachment_id.raw)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._match(response), "1")
        self.assertEqual(self._status(response), "valid")

    def test_upload_of_another_pdf_does_not_match(self):
        pdf = self.letter.attachment_id.raw
        middle = len(pdf) // 2
        flipped = pdf[:middle] + bytes([pdf[middle] ^ 1]) + pdf[middle + 1 :]
        for content in (pdf + b"\n", flipped, b"%PDF-1.4"):
            with self.subTest(size=len(content)):
                response = self._upload(self.letter.token, content)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self._match(response), "0")

    def test_upload_needs_the_csrf_token(self):
        with mute_logger("odoo.http"):
            response = self._upload(self.letter.token, self.letter.attachment_id.raw, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertIsNone(self._match(response))

    def test_qr_code_opens_the_page(self):
        self.assertEqual(
            self.letter.verify_url, f"{self.letter.get_base_url()}/ki/verify/{self.letter.token}"
        )
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "kawasan_industri_verif.action_report_ki_letter", self.published.ids
        )
        self.assertIn(self.letter.verify_url, html.decode())
