from datetime import datetime, timedelta

from freezegun import freeze_time
from odoo import fields, http
from odoo.tests import HttpCase, new_test_user, tagged

from .oss_common import ID_IZIN, NIB, OssCase

LOOKUP = "/my/permohonan/oss/nib"


@tagged("post_install", "-at_install")
class TestOssPortal(HttpCase, OssCase):
    """ "Fetch from OSS" on the applicant's form: the JSON route, what it fills, what the
    saved form keeps, and who may ask."""

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data, csrf=True):
        data = dict(data)
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def _lookup(self, nib, permohonan=None):
        data = {"nib": nib}
        if permohonan:
            data["permohonan_id"] = str(permohonan.id)
        response = self._post(LOOKUP, data)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _form(self, **overrides):
        data = {key: str(value) for key, value in self.applicant_data.items()}
        data.update(overrides)
        return data

    def test_fetch_fills_the_form_and_the_saved_form_keeps_the_provenance(self):
        draft = self._new_file(pic_name="Dewi Kartika")
        self._login(self.applicant)
        result = self._lookup(NIB, draft)
        self.assertTrue(result["ok"], result)
        self.assertEqual(
            result["values"],
            {
                "npwp": "012345678901000",
                "company_address": "Jl. Industri Raya No. 7, RT/RW 001/002, Mororejo, 51371",
                "kbli_codes": "68111, 41011",
                "pic_name": "Dewi Kartika",
                "pic_position": "Direktur Utama",
                "pic_phone": "+62 812 0000 1111",
                "pic_email": "dewi@uji.example.co.id",
                "oss_request_number": ID_IZIN,
            },
        )
        self.assertIn("Filled in from OSS-RBA", result["message"])
        profile = self.env["ki.oss.profile"].browse(result["profile_id"])
        self.assertEqual((profile.partner_id, profile.user_id), (self.company, self.applicant))
        call = self.env["ki.oss.call"].search([("profile_id", "=", profile.id)])
        self.assertEqual(
            (call.origin, call.user_id, call.state), ("portal", self.applicant, "done")
        )

        # the form as the browser sends it once filled, one value changed by the applicant
        form = self._form(**result["values"])
        form.update(pic_position="Direktur", oss_profile_id=str(profile.id), save="1")
        response = self._post(f"/my/permohonan/{draft.id}/edit", form)
        self.assertEqual(response.status_code, 200)
        self.assertIn("message=saved", response.url)
        self.env.invalidate_all()
        self.assertEqual(draft.oss_profile_id, profile)
        self.assertEqual(draft.kbli_codes, "41011, 68111")
        self.assertEqual(draft.company_address, result["values"]["company_address"])
        rows = {row["label"]: row for row in draft._oss_comparison()}
        self.assertEqual(rows["NPWP"]["source"], "oss")
        self.assertEqual(rows["KBLI"]["source"], "oss")
        self.assertEqual(rows["Position of the Person in Charge"]["source"], "applicant")
        self.assertEqual(
            [row["label"] for row in draft._oss_mismatches()], ["Position of the Person in Charge"]
        )
        self.assertTrue(draft.oss_mismatch)

        page = self.url_open(f"/my/permohonan/{draft.id}/edit").text
        self.assertIn('id="ki_oss_provenance"', page)
        self.assertIn("Direktur Utama", page, "the applicant sees the difference too")

    def test_new_company_fetches_before_the_first_save(self):
        newcomer = new_test_user(self.env, "t_pemohon_baru", groups="base.group_portal")
        self._login(newcomer)
        result = self._lookup(NIB)
        self.assertTrue(result["ok"], result)
        self.assertEqual(result["values"]["company_name"], "PT Uji Kawasan")
        form = self._form(**result["values"])
        form.update(oss_profile_id=str(result["profile_id"]), save="1")
        response = self._post("/my/permohonan/new", form)
        self.assertEqual(response.status_code, 200)
        permohonan = self.env["ki.permohonan"].search(
            [("partner_id.name", "=", "PT Uji Kawasan"), ("partner_id", "!=", self.company.id)]
        )
        self.assertEqual(len(permohonan), 1)
        self.assertEqual(permohonan.oss_profile_id.id, result["profile_id"])
        self.assertFalse(permohonan._oss_mismatches())

    def test_unknown_nib_and_oss_down(self):
        draft = self._new_file()
        self._login(self.applicant)
        result = self._lookup("9129999999999", draft)
        self.assertFalse(result["ok"])
        self.assertIn("does not know this NIB", result["error"])
        self.assertFalse(draft.oss_profile_id)

        self.fake.down = True
        result = self._lookup(NIB, draft)
        self.assertFalse(result["ok"])
        self.assertIn("cannot be reached", result["error"])
        waiting = draft.oss_call_ids.filtered(lambda c: c.state == "pending")
        self.assertEqual(len(waiting), 1, "the draft's lookup is tried again later")

        self.fake.down = False
        self.assertFalse(self._run_outbox(), "not before its next try")
        self.env["ki.oss.call"].browse(waiting.id).sudo().next_try = fields.Datetime.now()
        self.assertEqual(self._run_outbox(), waiting)
        self.assertEqual(waiting.state, "done")
        self.assertEqual(draft.oss_profile_id.nib, NIB)
        self.assertEqual(draft.kbli_codes, "68111, 41011", "the empty field is filled")

    def test_only_the_applicant_s_own_company_and_a_few_times(self):
        other_draft = (
            self.env["ki.permohonan"]
            .with_user(self.other_applicant)
            .create(dict(self.applicant_data, nib="9120000654321"))
        )
        own_draft = self._new_file()
        self._login(self.applicant)
        response = self._post(LOOKUP, {"nib": NIB, "permohonan_id": str(other_draft.id)})
        self.assertEqual(response.status_code, 404, "another company's file")
        start = datetime(2026, 12, 7, 3, 0)
        with freeze_time(start):
            result = self._lookup("9120000654321", own_draft)
            self.assertFalse(result["ok"], "an NIB another company applies with")
            self.assertIn("cannot be looked up", result["error"])
            result = self._lookup("12345", own_draft)
            self.assertIn("13 digits", result["error"])
            response = self._post(LOOKUP, {"nib": NIB}, csrf=False)
            self.assertEqual(response.status_code, 400, "no CSRF token, no lookup")

            # 5 lookups in 10 minutes, the refused one of another company's NIB included
            results = [self._lookup(NIB, own_draft) for _lookup in range(5)]
        self.assertEqual([result["ok"] for result in results], [True] * 4 + [False])
        self.assertIn("Too many lookups", results[-1]["error"])
        self.assertEqual(
            len(self.fake.calls_of("inqueryNIB")), 4, "the refused ones never reach OSS"
        )
        with freeze_time(start + timedelta(minutes=9)):
            self.assertIn("Too many lookups", self._lookup(NIB, own_draft)["error"])
        with freeze_time(start + timedelta(minutes=11)):
            self.assertTrue(self._lookup(NIB, own_draft)["ok"], "the next window")

        self.authenticate(None, None)
        response = self.url_open(LOOKUP, data={"nib": NIB}, allow_redirects=False)
        self.assertIn(response.status_code, (303, 400), "visitors are sent away")
        self.assertNotIn("values", response.text)

    def test_button_only_when_the_link_is_on(self):
        self._login(self.applicant)
        self.assertIn('id="ki_oss_fetch"', self.url_open("/my/permohonan/new").text)
        self.config.url = False
        self.assertNotIn('id="ki_oss_fetch"', self.url_open("/my/permohonan/new").text)
        result = self._lookup(NIB)
        self.assertIn("not configured", result["error"])

    def test_published_letter_pdf_by_its_token(self):
        permohonan = self._file_in("delivered")
        letter = permohonan.letter_id
        response = self.url_open(f"/ki/verify/{letter.token}/pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, letter.attachment_id.raw)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        wrong = letter.token[:-4] + "AAAA"
        self.assertEqual(self.url_open(f"/ki/verify/{wrong}/pdf").status_code, 404)

    def test_prefill_in_the_browser(self):
        draft = self._new_file(pic_name="Dewi Kartika", pic_position="Direktur Utama")
        self.start_tour(
            f"/my/permohonan/{draft.id}/edit", "ki_oss_prefill", login=self.applicant.login
        )
        self.env.invalidate_all()
        self.assertEqual(draft.kbli_codes, "41011, 68111")
        self.assertEqual(draft.oss_profile_id.nib, NIB)
        self.assertEqual(draft.oss_profile_id.user_id, self.applicant)
        self.assertFalse(draft._oss_mismatches())
