import re
from unittest.mock import patch

from odoo import http
from odoo.addons.kawasan_industri_verif.controllers.portal import KiPermohonanPortal
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import HAPPY_PATH, PDF, KiCase


class KiPortalCase(HttpCase, KiCase):
    """Portal routes exercised over HTTP as the owner, another applicant and a visitor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.applicant.partner_id.write({"name": "Dewi Kartika", "function": "Direktur"})
        cls.company.vat = "012345678901000"
        cls.draft = cls._new_file(estate_name="Kawasan Draf Milik Sendiri")
        cls.other_draft = (
            cls.env["ki.permohonan"]
            .with_user(cls.other_applicant)
            .create(dict(cls.applicant_data, estate_name="Kawasan Rahasia Perusahaan Lain"))
        )

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None, files=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data, files=files, **kwargs)

    def _form_data(self, **overrides):
        """The application form as a browser sends it: strings only."""
        data = {key: str(value) for key, value in self.applicant_data.items()}
        data.update(overrides)
        return data

    def _errors(self, response):
        """The error texts shown next to fields, by field or slot name."""
        return dict(re.findall(r'data-error-for="([^"]+)"[^>]*>\s*([^<]+?)\s*<', response.text))


@tagged("post_install", "-at_install")
class TestPortalPages(KiPortalCase):
    def test_home_card_counts_the_company_applications(self):
        self._login(self.applicant)
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-placeholder_count="permohonan_count"', response.text)
        self.assertIn('href="/my/permohonan"', response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["permohonan_count"]})
        mine = self.env["ki.permohonan"].search_count([("partner_id", "=", self.company.id)])
        self.assertEqual(counters["permohonan_count"], mine)
        self._login(self.other_applicant)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["permohonan_count"]})
        self.assertEqual(counters["permohonan_count"], 1)

    def test_list_shows_the_company_files_with_search_sort_and_pager(self):
        self._new_file(estate_name="Kawasan Kedua Sendiri")
        self._login(self.applicant)
        response = self.url_open("/my/permohonan")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Kawasan Draf Milik Sendiri", response.text)
        self.assertIn("Kawasan Kedua Sendiri", response.text)
        self.assertNotIn("Kawasan Rahasia Perusahaan Lain", response.text)
        response = self.url_open("/my/permohonan?search=Kedua&search_in=estate")
        self.assertIn("Kawasan Kedua Sendiri", response.text)
        self.assertNotIn("Kawasan Draf Milik Sendiri", response.text)
        response = self.url_open("/my/permohonan?search=Rahasia&search_in=all")
        self.assertNotIn("Kawasan Rahasia Perusahaan Lain", response.text)
        for sortby in ("date", "name", "estate", "state", "bogus"):
            with self.subTest(sortby=sortby):
                self.assertEqual(self.url_open(f"/my/permohonan?sortby={sortby}").status_code, 200)
        response = self.url_open("/my/permohonan?filterby=closed")
        self.assertNotIn("Kawasan Draf Milik Sendiri", response.text)
        with patch.object(KiPermohonanPortal, "_items_per_page", 1):
            first = self.url_open("/my/permohonan?sortby=estate").text
            second = self.url_open("/my/permohonan/page/2?sortby=estate").text
        self.assertIn("Kawasan Draf Milik Sendiri", first)
        self.assertNotIn("Kawasan Kedua Sendiri", first)
        self.assertIn("Kawasan Kedua Sendiri", second)
        self.assertIn("/my/permohonan/page/2", first)

    def test_a_new_application_has_its_portal_link(self):
        # made at creation: the applicant's pages are read-only routes and write nothing
        permohonan = self._new_file()
        self.assertTrue(permohonan.access_token)
        self.assertNotEqual(permohonan.access_token, self._new_file().access_token)

    def test_list_needs_a_login(self):
        response = self.url_open("/my/permohonan", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_detail_shows_the_timeline_documents_and_chatter_to_the_owner(self):
        permohonan = self._file_in("verification")
        self._login(self.applicant)
        response = self.url_open(permohonan.access_url)
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertEqual(page.count('class="d-flex gap-3 py-2 border-bottom ki_step'), 9)
        self.assertIn('data-step="5"', page)
        self.assertRegex(page, r'ki_step ki_step_current"\s+data-step="5"')
        self.assertRegex(page, r'ki_step ki_step_done"\s+data-step="4"')
        self.assertRegex(page, r'ki_step ki_step_todo"\s+data-step="6"')
        self.assertIn("Technical Team", page)  # who holds the file now
        self.assertIn(permohonan.name, page)
        for document in permohonan.document_ids:
            self.assertIn(f"/my/permohonan/{permohonan.id}/document/{document.id}", page)
        self.assertIn('id="discussion"', page)  # portal chatter
        self.assertIn(f'data-token="{permohonan.access_token}"', page)
        # the office's internal notes stay internal
        self.assertNotIn("Segera proses", page)

    def test_timeline_shows_the_deadline_of_each_visited_step(self):
        permohonan = self._file_in("kadis_disposition")
        if "deadline" not in permohonan.step_ids._fields:
            self.skipTest("ki.permohonan.step has no deadline field yet")
        self._login(self.applicant)
        page = self.url_open(permohonan.access_url).text
        deadlines = permohonan.step_ids.filtered("deadline")
        self.assertTrue(deadlines)
        self.assertEqual(page.count("ki_deadline"), len(set(deadlines.mapped("state"))))

    @mute_logger("odoo.http")
    def test_other_company_and_missing_records_get_the_same_404(self):
        self._login(self.other_applicant)
        own_id = self.draft.id
        missing_id = self.env["ki.permohonan"].search([], order="id desc", limit=1).id + 1000
        for path in (
            "",
            "/edit",
            "/letter",
            "/survey",
            f"/document/{self.draft.document_ids[:1].id}",
        ):
            with self.subTest(path=path):
                theirs = self.url_open(f"/my/permohonan/{own_id}{path}", allow_redirects=False)
                missing = self.url_open(f"/my/permohonan/{missing_id}{path}", allow_redirects=False)
                self.assertEqual(theirs.status_code, 404)
                self.assertEqual(missing.status_code, 404)
                self.assertNotIn("Kawasan Draf Milik Sendiri", theirs.text)
        for path in ("/edit", "/cancel", "/survey"):
            with self.subTest(post=path):
                response = self._post(
                    f"/my/permohonan/{own_id}{path}",
                    self._form_data(estate_name="Diambil alih", reason="x"),
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.draft.estate_name, "Kawasan Draf Milik Sendiri")
        self.assertEqual(self.draft.state, "draft")

    @mute_logger("odoo.http")
    def test_anonymous_visitor_is_asked_to_log_in_and_sees_nothing(self):
        self.authenticate(None, None)
        for path in ("", "/edit", "/letter", "/survey"):
            with self.subTest(path=path):
                response = self.url_open(
                    f"/my/permohonan/{self.draft.id}{path}", allow_redirects=False
                )
                self.assertIn(response.status_code, (302, 303))
                self.assertIn("/web/login", response.headers["Location"])
        response = self._post(
            f"/my/permohonan/{self.draft.id}/cancel", {"reason": "x"}, allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(self.draft.state, "draft")

    @mute_logger("odoo.http")
    def test_access_token_lets_read_only(self):
        token = self.draft._portal_ensure_token()
        url = f"/my/permohonan/{self.draft.id}?access_token={token}"
        for user in (None, self.other_applicant):
            with self.subTest(user=user and user.login):
                if user:
                    self._login(user)
                else:
                    self.authenticate(None, None)
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn("Kawasan Draf Milik Sendiri", response.text)
                self.assertNotIn('id="ki_actions"', response.text)
                self.assertNotIn("/edit", response.text)
                document = self.draft.document_ids[:1]
                download = self.url_open(
                    f"/my/permohonan/{self.draft.id}/document/{document.id}?access_token={token}"
                )
                self.assertEqual(download.status_code, 200)
                self.assertEqual(download.content, PDF)
                # a token opens the page, never the actions
                response = self._post(
                    f"/my/permohonan/{self.draft.id}/edit?access_token={token}",
                    self._form_data(estate_name="Lewat token"),
                    allow_redirects=False,
                )
                self.assertIn(response.status_code, (303, 404))
        self.assertEqual(self.draft.estate_name, "Kawasan Draf Milik Sendiri")
        self.authenticate(None, None)
        forged = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
        other_token = self.other_draft._portal_ensure_token()
        for bad in (forged, other_token, ""):
            with self.subTest(token=bad):
                response = self.url_open(
                    f"/my/permohonan/{self.draft.id}?access_token={bad}", allow_redirects=False
                )
                if bad:
                    self.assertEqual(response.status_code, 404)
                else:  # no token at all: the login page, as for any record
                    self.assertIn("/web/login", response.headers["Location"])
                self.assertNotIn("Kawasan Draf Milik Sendiri", response.text)

    def test_document_download_checks_the_document_belongs_to_the_file(self):
        self._login(self.applicant)
        document = self.draft.document_ids[:1]
        response = self.url_open(f"/my/permohonan/{self.draft.id}/document/{document.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        other_document = self.env["ki.permohonan.document"].search(
            [("permohonan_id", "!=", self.draft.id)], limit=1
        )
        response = self.url_open(f"/my/permohonan/{self.draft.id}/document/{other_document.id}")
        self.assertEqual(response.status_code, 404)


@tagged("post_install", "-at_install")
class TestPortalForm(KiPortalCase):
    def test_new_application_is_prefilled_and_saved_as_a_draft(self):
        self._login(self.applicant)
        page = self.url_open("/my/permohonan/new").text
        self.assertIn('value="Dewi Kartika"', page)  # person in charge, from the contact
        self.assertIn('value="012345678901000"', page)  # NPWP, from the company
        self.assertIn("PT Uji Kawasan", page)
        self.assertNotIn('name="company_name"', page)
        response = self._post(
            "/my/permohonan/new", self._form_data(estate_name="Kawasan Baru Portal", save="1")
        )
        self.assertEqual(response.status_code, 200)
        permohonan = self.env["ki.permohonan"].search([("estate_name", "=", "Kawasan Baru Portal")])
        self.assertEqual(len(permohonan), 1)
        self.assertTrue(response.url.endswith(f"/my/permohonan/{permohonan.id}/edit?message=saved"))
        self.assertEqual(permohonan.partner_id, self.company)
        self.assertEqual(permohonan.state, "draft")
        self.assertEqual(permohonan.area_ha, 120.0)
        self.assertEqual(permohonan.province_id, self.env.ref("base.state_id_jt"))

    def test_crafted_fields_are_ignored(self):
        self._login(self.applicant)
        self._post(
            "/my/permohonan/new",
            self._form_data(
                estate_name="Kawasan Rekayasa",
                partner_id=str(self.other_company.id),
                state="done",
                name="KI/2026/99999",
                decision="approve",
                letter_number="500.2/9999/DISPERIN/2026",
                verifier_ids=str(self.verifier.id),
            ),
        )
        permohonan = self.env["ki.permohonan"].search([("estate_name", "=", "Kawasan Rekayasa")])
        self.assertEqual(permohonan.partner_id, self.company)
        self.assertEqual(permohonan.state, "draft")
        self.assertFalse(permohonan.name or permohonan.decision or permohonan.letter_number)
        self.assertFalse(permohonan.verifier_ids)

    def test_field_errors_appear_next_to_the_fields_in_indonesian(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["kawasan_industri_verif"], ["id_ID"], overwrite=True
        )
        self.applicant.lang = "id_ID"
        self._login(self.applicant)
        response = self._post(
            f"/my/permohonan/{self.draft.id}/edit",
            self._form_data(
                nib="123", npwp="12", area_ha="-5", share_green="99", estate_name="Tidak tersimpan"
            ),
        )
        self.assertEqual(response.status_code, 200)
        errors = self._errors(response)
        self.assertEqual(errors["nib"], "NIB harus terdiri atas tepat 13 digit.")
        self.assertIn("NPWP", errors["npwp"])
        self.assertIn("area_ha", errors)
        self.assertIn("shares", errors)
        self.assertIn("Jumlah proporsi penggunaan lahan", errors["shares"])
        self.assertEqual(self.draft.estate_name, "Kawasan Draf Milik Sendiri")  # nothing saved

    def test_submit_lists_what_is_missing_next_to_fields_and_documents(self):
        self._login(self.applicant)
        bare = (
            self.env["ki.permohonan"]
            .with_user(self.applicant)
            .create({"estate_name": "Kawasan Belum Lengkap"})
        )
        response = self._post(
            f"/my/permohonan/{bare.id}/edit",
            {"estate_name": "Kawasan Belum Lengkap", "estate_type": "general", "submit": "1"},
        )
        self.assertEqual(response.status_code, 200)
        errors = self._errors(response)
        self.assertIn("nib", errors)
        self.assertIn("province_id", errors)
        self.assertIn("shares", errors)
        for doc_type in self.doc_types.filtered("required"):
            self.assertIn(f"document_{doc_type.id}", errors)
        self.assertEqual(bare.state, "draft")
        self.assertFalse(bare.name)

    def test_complete_draft_is_submitted(self):
        self._login(self.applicant)
        response = self._post(
            f"/my/permohonan/{self.draft.id}/edit",
            self._form_data(submit="1", **{"estate_name": "Kawasan Draf Milik Sendiri"}),
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.draft.state, "submitted")
        self.assertTrue(self.draft.name)
        self.assertIn("?message=submitted", response.url)
        self.assertIn("ki_message_submitted", response.text)

    def test_form_is_closed_outside_draft_and_returned(self):
        permohonan = self._file_in("verification")
        self._login(self.applicant)
        response = self.url_open(f"/my/permohonan/{permohonan.id}/edit", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(permohonan.access_url))
        response = self._post(
            f"/my/permohonan/{permohonan.id}/edit",
            self._form_data(estate_name="Terlambat", submit="1"),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(permohonan.estate_name, "Kawasan Industri Uji")
        self.assertEqual(permohonan.state, "verification")

    def test_no_file_is_handed_to_another_company_over_rpc(self):
        as_applicant = self.draft.with_user(self.applicant)
        with self.assertRaises(AccessError):
            as_applicant.write({"partner_id": self.other_company.id})
        as_applicant.write({"partner_id": self.company.id, "estate_name": "Tetap milik sendiri"})
        self.assertEqual(self.draft.partner_id, self.company)

    @mute_logger("odoo.http")
    def test_every_post_needs_the_csrf_token(self):
        self._login(self.applicant)
        for path, data in (
            ("/edit", self._form_data(estate_name="Tanpa token", submit="1")),
            ("/cancel", {"reason": "Tanpa token"}),
        ):
            with self.subTest(path=path):
                response = self._post(f"/my/permohonan/{self.draft.id}{path}", data, csrf=False)
                self.assertEqual(response.status_code, 400)
        response = self._post("/my/permohonan/new", self._form_data(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.draft.estate_name, "Kawasan Draf Milik Sendiri")
        self.assertEqual(self.draft.state, "draft")

    def test_returned_file_is_corrected_and_goes_back_to_the_team(self):
        permohonan = self._walk(self._new_file(), HAPPY_PATH[:4])
        kkpr = permohonan.document_ids.filtered(lambda d: d.document_type_id.code == "KKPR")
        kkpr.with_user(self.verifier).action_mark_invalid(note="KKPR sudah kedaluwarsa")
        self._act(permohonan, "action_return_to_applicant", "verifier", note="Ganti KKPR")
        self._login(self.applicant)
        page = self.url_open(permohonan.access_url).text
        self.assertIn("KKPR sudah kedaluwarsa", page)
        self.assertIn("Ganti KKPR", page)  # the reason of the return, in the timeline
        self.assertIn(f"/my/permohonan/{permohonan.id}/edit", page)
        form = self.url_open(f"/my/permohonan/{permohonan.id}/edit").text
        self.assertIn('name="reply"', form)
        response = self._post(
            f"/my/permohonan/{permohonan.id}/edit",
            self._form_data(submit="1", reply="KKPR terbaru terlampir"),
            files={
                f"document_{kkpr.document_type_id.id}": ("kkpr-baru.pdf", PDF, "application/pdf")
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(permohonan.state, "verification")
        versions = permohonan.document_version_ids.filtered(
            lambda d: d.document_type_id == kkpr.document_type_id
        )
        self.assertEqual(sorted(versions.mapped("version")), [1, 2])
        self.assertEqual(versions.filtered("is_latest").status, "pending")
        returned_step = permohonan.step_ids.filtered(lambda s: s.state == "returned")
        self.assertEqual(returned_step.outcome, "resubmitted")
        self.assertEqual(returned_step.note, "KKPR terbaru terlampir")
        self.assertEqual(permohonan.current_step_id.responsible_user_ids, self.verifier)


@tagged("post_install", "-at_install")
class TestPortalActions(KiPortalCase):
    def test_owner_withdraws_the_application(self):
        permohonan = self._file_in("submitted")
        self._login(self.applicant)
        self.assertIn('id="ki_cancel_form"', self.url_open(permohonan.access_url).text)
        response = self._post(
            f"/my/permohonan/{permohonan.id}/cancel", {"reason": "Rencana berubah"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(permohonan.state, "cancelled")
        self.assertEqual(permohonan.cancel_reason, "Rencana berubah")
        self.assertIn("ki_message_cancelled", response.text)

    def test_withdrawal_after_signature_is_refused_with_the_reason(self):
        permohonan = self._file_in("numbering")
        self._login(self.applicant)
        self.assertNotIn('id="ki_cancel_form"', self.url_open(permohonan.access_url).text)
        response = self._post(f"/my/permohonan/{permohonan.id}/cancel", {"reason": "Terlambat"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("ki_error", response.text)
        self.assertEqual(permohonan.state, "numbering")

    def test_letter_download_closes_step_9_once(self):
        permohonan = self._file_in("delivered")
        letter = permohonan._portal_letter()
        self.assertTrue(letter, "the published letter is attached to the application")
        self._login(self.applicant)
        self.assertIn(
            f"/my/permohonan/{permohonan.id}/letter", self.url_open(permohonan.access_url).text
        )
        response = self.url_open(f"/my/permohonan/{permohonan.id}/letter")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertEqual(response.content, letter.raw)
        self.assertEqual(permohonan.state, "done")
        self.assertTrue(permohonan.download_date)
        step_9 = permohonan.step_ids.filtered(lambda s: s.state == "delivered")
        self.assertEqual(step_9.outcome, "downloaded")
        self.assertEqual(step_9.user_id, self.applicant)
        first_download = permohonan.download_date
        again = self.url_open(f"/my/permohonan/{permohonan.id}/letter")
        self.assertEqual(again.status_code, 200)
        self.assertEqual(permohonan.download_date, first_download)
        self.assertEqual(len(permohonan.step_ids.filtered(lambda s: s.state == "delivered")), 1)

    @mute_logger("odoo.http")
    def test_letter_is_for_the_owner_only_and_only_once_published(self):
        published = self._file_in("delivered")
        signed = self._file_in("numbering")
        self._login(self.applicant)
        response = self.url_open(f"/my/permohonan/{signed.id}/letter")
        self.assertEqual(response.status_code, 404)
        self._login(self.other_applicant)
        response = self.url_open(f"/my/permohonan/{published.id}/letter")
        self.assertEqual(response.status_code, 404)
        self._login(self.sekretariat)  # the office reads the file, it does not receive it
        response = self.url_open(f"/my/permohonan/{published.id}/letter")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(published.state, "delivered")


@tagged("post_install", "-at_install")
class TestStatusLookup(KiPortalCase):
    def _lookup(self, number, code):
        self.authenticate(None, None)
        response = self._post("/permohonan/status", {"number": number, "code": code})
        self.assertEqual(response.status_code, 200)
        # the CSRF token changes with time: compare the rest of the page
        return re.sub(r"[0-9a-f]{40}o\d+", "", response.text)

    def test_lookup_shows_the_state_and_dates_only(self):
        permohonan = self._file_in("kadis_disposition")
        self.authenticate(None, None)
        self.assertEqual(self.url_open("/permohonan/status").status_code, 200)
        page = self._lookup(permohonan.name, permohonan.lookup_code.lower())
        self.assertIn('id="ki_status_result"', page)
        self.assertIn("Head of Office Disposition", page)
        self.assertNotIn(permohonan.estate_name, page)
        self.assertNotIn(self.company.name, page)
        self.assertNotIn(permohonan.agenda_number, page)

    def test_wrong_number_and_wrong_code_get_the_same_answer(self):
        permohonan = self._file_in("submitted")
        wrong_code = self._lookup(permohonan.name, "ZZZZZZZZ")
        wrong_number = self._lookup("KI/1999/00001", permohonan.lookup_code).replace(
            "KI/1999/00001", permohonan.name
        )
        self.assertIn('id="ki_status_not_found"', wrong_code)
        self.assertNotIn('id="ki_status_result"', wrong_code)
        self.assertEqual(wrong_code, wrong_number)
        draft = self._lookup("", "")
        self.assertIn('id="ki_status_not_found"', draft)
