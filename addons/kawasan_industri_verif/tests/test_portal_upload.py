import base64

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PDF
from .test_portal import KiPortalCase

# The smallest valid PNG: a 1x1 transparent pixel.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestPortalUpload(KiPortalCase):
    """Uploads through the form are checked by the model: content, size, name; a refused file
    is stored nowhere and its reason is shown next to its slot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bare = (
            cls.env["ki.permohonan"]
            .with_user(cls.applicant)
            .create(dict(cls.applicant_data, estate_name="Kawasan Tanpa Dokumen"))
        )
        cls.doc_type = cls.env.ref("kawasan_industri_verif.document_type_kkpr")

    def setUp(self):
        super().setUp()
        self._login(self.applicant)

    def _upload(self, filename, content, mimetype="application/pdf", permohonan=None, **kw):
        permohonan = permohonan or self.bare
        return self._post(
            f"/my/permohonan/{permohonan.id}/edit",
            self._form_data(estate_name=permohonan.estate_name, save="1"),
            files={f"document_{self.doc_type.id}": (filename, content, mimetype)},
            **kw,
        )

    def _documents(self, permohonan=None):
        permohonan = permohonan or self.bare
        return self.env["ki.permohonan.document"].search_count(
            [("permohonan_id", "=", permohonan.id)]
        )

    def _assert_refused(self, response, *fragments):
        self.assertEqual(response.status_code, 200)
        error = self._errors(response).get(f"document_{self.doc_type.id}", "")
        for fragment in fragments:
            self.assertIn(fragment, error)
        self.assertEqual(self._documents(), 0)
        attachments = self.env["ir.attachment"].search_count(
            [("res_model", "=", "ki.permohonan"), ("res_id", "=", self.bare.id)]
        )
        self.assertEqual(attachments, 0)

    def test_text_file_named_pdf_is_refused(self):
        response = self._upload("kkpr.pdf", b"Ini bukan PDF, hanya teks biasa.\n")
        self._assert_refused(response, self.doc_type.name, "text/plain")

    def test_oversized_file_is_refused(self):
        self.doc_type.max_size_mb = 0.001  # about 1 KB
        response = self._upload("kkpr.pdf", PDF + b"%" + b"x" * 2048 + b"\n")
        self._assert_refused(response, "0.001 MB")

    def test_empty_file_is_refused(self):
        response = self._upload("kkpr.pdf", b"")
        self._assert_refused(response, "The file is empty.")

    def test_wrong_type_for_the_slot_is_refused(self):
        self.doc_type.allowed_mimetypes = "application/pdf"
        response = self._upload("kkpr.png", PNG, "image/png")
        self._assert_refused(response, "image/png")

    def test_refused_file_does_not_stop_the_others(self):
        other_type = self.env.ref("kawasan_industri_verif.document_type_nib")
        response = self._post(
            f"/my/permohonan/{self.bare.id}/edit",
            self._form_data(estate_name=self.bare.estate_name, save="1"),
            files={
                f"document_{self.doc_type.id}": ("kkpr.pdf", b"teks", "application/pdf"),
                f"document_{other_type.id}": ("nib.pdf", PDF, "application/pdf"),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"document_{self.doc_type.id}", self._errors(response))
        self.assertEqual(self.bare.document_ids.document_type_id, other_type)

    def test_accepted_file_gets_a_clean_name_and_replacements_keep_versions(self):
        response = self._upload("../../etc/KKPR <baru>.pdf", PDF)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("?message=saved"))
        document = self.bare.document_ids
        self.assertEqual(document.file_name, "KKPR _baru_.pdf")
        self.assertEqual(document.mimetype, "application/pdf")
        self.assertEqual(document.attachment_id.raw, PDF)
        self._upload("kkpr-2.pdf", PDF)
        versions = self.bare.document_version_ids
        self.assertEqual(sorted(versions.mapped("version")), [1, 2])
        self.assertEqual(versions.filtered("is_latest").file_name, "kkpr-2.pdf")
        page = self.url_open(self.bare.access_url).text
        for version in versions:  # the earlier version stays downloadable
            self.assertIn(f"/document/{version.id}", page)

    @mute_logger("odoo.http")
    def test_no_upload_to_another_company_or_outside_draft_and_returned(self):
        self._login(self.other_applicant)
        response = self._upload("kkpr.pdf", PDF, allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self._documents(), 0)
        self._login(self.applicant)
        in_verification = self._file_in("verification")
        before = self._documents(in_verification)
        response = self._upload("kkpr.pdf", PDF, permohonan=in_verification, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._documents(in_verification), before)
