"""The integrity rules over the real HTTP paths: the report route, the chatter's post route,
the RPC body limit, malformed input and the throttle of the public pages."""

import hashlib
import json
from datetime import datetime, timedelta

from freezegun import freeze_time
from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PDF, KiCase

REPORT_URL = "/report/pdf/kawasan_industri_verif.report_ki_letter/%s"


@tagged("post_install", "-at_install")
class TestIntegrityOverHttp(HttpCase, KiCase):
    # The verification page is a read-only route that counts the hit on the primary in a
    # transaction of its own, which Odoo's test cursors cannot nest in a read-only one.
    readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unpublished = cls._file_in("numbering")
        cls.published = cls._file_in("delivered")

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _lookup(self, number="KI/2026/99999", code="XXXXXXXX"):
        return self.url_open(
            "/permohonan/status",
            data={"number": number, "code": code, "csrf_token": http.Request.csrf_token(self)},
        )

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_the_report_route_serves_the_applicant_only_the_published_letter(self):
        self._login(self.applicant)
        response = self.url_open(REPORT_URL % self.unpublished.id)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"%PDF", response.content[:8])
        response = self.url_open(REPORT_URL % self.published.id)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            hashlib.sha256(response.content).hexdigest(), self.published.letter_id.sha256
        )

    def test_the_report_route_serves_the_office_the_stored_pdf_not_a_namesake(self):
        letter = self.published.letter_id
        self.env["ir.attachment"].with_user(self.sekretariat).create(
            {
                "name": letter.attachment_id.name,
                "raw": b"%PDF-1.4 forged",
                "res_model": "ki.permohonan",
                "res_id": self.published.id,
            }
        )
        self._login(self.sekretariat)
        response = self.url_open(REPORT_URL % self.published.id)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(hashlib.sha256(response.content).hexdigest(), letter.sha256)

    @mute_logger("odoo.http")
    def test_an_access_token_does_not_post_in_the_file(self):
        token = self.published.sudo()._portal_ensure_token()
        messages = self.published.sudo().message_ids
        response = self.url_open(
            "/mail/message/post",
            data=json.dumps(
                {
                    "params": {
                        "thread_model": "ki.permohonan",
                        "thread_id": self.published.id,
                        "post_data": {"body": "Surat ini palsu", "message_type": "comment"},
                        "token": token,
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("error", response.json())
        self.published.invalidate_recordset()
        self.assertEqual(self.published.sudo().message_ids, messages)

    @mute_logger("odoo.http")
    def test_an_rpc_body_above_the_largest_upload_is_refused_unread(self):
        self._login(self.applicant)
        limit = self.env["ki.document.type"]._max_upload_bytes() * 4 // 3 + 1024 * 1024
        draft = self._new_file()
        versions = draft.document_version_ids
        call = {
            "params": {
                "model": "ki.permohonan",
                "method": "action_upload_document",
                "args": [draft.ids, self.doc_types[:1].id, "besar.pdf", "A" * limit],
                "kwargs": {},
            }
        }
        response = self.url_open(
            "/web/dataset/call_kw/ki.permohonan/action_upload_document",
            data=json.dumps(call),
            headers={"Content-Type": "application/json"},
        )
        # refused when the route is matched, before anything reads the body
        self.assertEqual(response.status_code, 413)
        draft.invalidate_recordset()
        self.assertEqual(draft.document_version_ids, versions)

    @mute_logger("odoo.http")
    def test_a_nul_byte_is_a_bad_request(self):
        self._login(self.applicant)
        self.assertEqual(self.url_open("/my/permohonan?search=a%00b").status_code, 400)
        self.authenticate(None, None)
        self.assertEqual(self._lookup(number="KI/2026/\x0000001").status_code, 400)

    def test_a_file_of_exactly_the_allowed_size_is_accepted_from_the_portal_form(self):
        draft = self._new_file()
        doc_type = self.doc_types.filtered("required")[:1]
        size = int(doc_type.max_size_mb * 1024 * 1024)
        content = PDF + b"%" + b"0" * (size - len(PDF) - 1)
        self._login(self.applicant)
        response = self.url_open(
            f"/my/permohonan/{draft.id}/edit",
            data={
                **{key: str(value) for key, value in self.applicant_data.items()},
                "csrf_token": http.Request.csrf_token(self),
            },
            files={f"document_{doc_type.id}": ("besar.pdf", content, "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        latest = draft.document_ids.filtered(lambda d: d.document_type_id == doc_type)
        self.assertEqual(latest.file_size, size)

    def test_a_flood_of_lookups_is_throttled_and_normal_use_never(self):
        self.authenticate(None, None)
        start = datetime(2026, 12, 7, 3, 0)
        with freeze_time(start) as clock:
            for _lookup in range(15):  # one a minute
                self.assertEqual(self._lookup().status_code, 200)
                clock.tick(timedelta(minutes=1))
        with freeze_time(start + timedelta(hours=2)):
            codes = [self._lookup().status_code for _lookup in range(60)]
        self.assertIn(429, codes)
        first = codes.index(429)
        self.assertLess(first, 60)
        self.assertTrue(all(code == 200 for code in codes[:first]))
        with freeze_time(start + timedelta(hours=2)):
            response = self._lookup()
        self.assertEqual(response.status_code, 429)
        self.assertTrue(0 < int(response.headers["Retry-After"]) <= 60)

    def test_the_verify_page_is_throttled_too(self):
        url = f"/ki/verify/{self.published.letter_id.token}"
        with freeze_time(datetime(2026, 12, 7, 5, 0)):
            codes = [self.url_open(url).status_code for _request in range(20)]
        self.assertIn(429, codes)
