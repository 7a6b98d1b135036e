from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.ki_survey import ELEMENT_FIELDS
from .common import KiCase
from .test_portal import KiPortalCase

# the respondent's profile the questionnaire asks for
PROFILE = {"age_group": "35_44", "sex": "female", "education": "bachelor", "occupation": "private"}


def answers(*scores, comment=None):
    """The nine answers, from one score for all or one score per element."""
    scores = scores * len(ELEMENT_FIELDS) if len(scores) == 1 else scores
    return dict(zip(ELEMENT_FIELDS, scores, strict=True), comment=comment)


class TestSurvey(KiCase):
    """The SKM answers of Permenpan-RB 14/2017 and the office's index (IKM)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.done = cls._file_in("done")

    def _rate(self, permohonan, user=None, **vals):
        return (
            self.env["ki.survey"]
            .with_user(user or self.applicant)
            .create(dict(answers(4), permohonan_id=permohonan.id, **dict(PROFILE, **vals)))
        )

    def test_index_of_one_answer_and_its_quality(self):
        survey = self._rate(self.done, **answers(4, 3, 3, 4, 3, 4, 4, 3, 3))
        self.assertAlmostEqual(survey.score_average, 31 / 9, places=2)
        self.assertEqual(survey.ikm, round(31 / 9 * 25, 2))  # 86.11
        self.assertEqual(survey.quality, "B")
        self.assertEqual(survey.partner_id, self.company)
        self.assertEqual(survey.user_id, self.applicant)

    def test_quality_letters_follow_the_regulation_intervals(self):
        Survey = self.env["ki.survey"]
        for ikm, letter in (
            (100, "A"),
            (88.31, "A"),
            (88.30, "B"),
            (76.61, "B"),
            (76.60, "C"),
            (65.00, "C"),
            (64.99, "D"),
            (25, "D"),
        ):
            with self.subTest(ikm=ikm):
                self.assertEqual(Survey._ikm_quality(ikm), letter)

    def test_index_per_period_is_the_mean_of_element_means_times_25(self):
        other = self._file_in("done")
        third = self._file_in("done")
        january = self._rate(self.done, **answers(4))
        january_2 = self._rate(other, **answers(2, 2, 2, 2, 2, 2, 2, 2, 3))
        march = self._rate(third, **answers(1))
        (january + january_2).sudo().write({"date": datetime(2026, 1, 15, 3, 0)})
        march.sudo().write({"date": datetime(2026, 3, 2, 3, 0)})
        rows = (january + january_2 + march)._ikm_by_period()
        self.assertEqual([row["count"] for row in rows], [2, 1, 3])
        jan = rows[0]
        self.assertEqual(jan["means"]["score_requirements"], 3.0)
        self.assertEqual(jan["means"]["score_facilities"], 3.5)
        # NRR: eight elements at 3.0 and one at 3.5 -> (27.5 / 9) * 25 = 76.39
        self.assertEqual(jan["ikm"], 76.39)
        self.assertEqual(jan["quality"], "C")
        self.assertEqual(rows[1]["ikm"], 25.0)
        self.assertEqual(rows[1]["quality"], "D")
        total = rows[-1]
        self.assertEqual(total["count"], 3)
        # NRR: eight elements at 7/3 and one at 8/3 -> (64 / 27) * 25 = 59.26
        self.assertEqual(total["ikm"], 59.26)

    def test_applicant_rates_own_application_once_after_download(self):
        self._rate(self.done, comment="Pelayanan cepat")
        with self.assertRaises(UserError), mute_logger("odoo.sql_db"):
            self._rate(self.done)
        delivered = self._file_in("delivered")
        with self.assertRaises(UserError):
            self._rate(delivered)
        with self.assertRaises(AccessError):
            self._rate(self._file_in("done"), user=self.other_applicant)
        with self.assertRaises(AccessError):
            self._rate(self._file_in("done"), user=self.kabid)
        self.assertEqual(self.env["ki.survey"].search_count([]), 1)

    def test_respondent_and_date_are_not_the_applicant_s_to_set(self):
        survey = self._rate(
            self.done, user_id=self.kadis.id, date=datetime(2020, 1, 1), partner_id=1
        )
        self.assertEqual(survey.user_id, self.applicant)
        self.assertGreater(survey.date, datetime(2025, 1, 1))
        self.assertEqual(survey.partner_id, self.company)
        with self.assertRaises(AccessError):
            survey.with_user(self.applicant).write({"score_time": 1})
        with self.assertRaises(AccessError):
            survey.with_user(self.applicant).unlink()

    def test_scores_stay_on_the_scale(self):
        with self.assertRaises(ValidationError):
            self._rate(self.done, score_time=5)
        with self.assertRaises(ValidationError):
            self._rate(self.done, score_cost=0)

    def test_office_roles_that_report_read_the_answers(self):
        survey = self._rate(self.done)
        for user in (self.kadis, self.kabid, self.auditor, self.ki_admin):
            with self.subTest(user=user.login):
                self.assertEqual(self.env["ki.survey"].with_user(user).search([]), survey)
                with self.assertRaises(AccessError):
                    survey.with_user(user).write({"comment": "x"})
        for user in (self.sekretariat, self.verifier):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["ki.survey"].with_user(user).search([])
        self.assertFalse(self.env["ki.survey"].with_user(self.other_applicant).search([]))

    def test_ikm_report_renders_for_the_reporting_roles(self):
        survey = self._rate(self.done, **answers(4, 4, 4, 4, 4, 4, 4, 4, 3))
        report = self.env.ref("kawasan_industri_verif.action_report_ki_survey_ikm")
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.auditor)
            ._render_qweb_html(report.report_name, survey.ids)
        )
        html = html.decode()
        self.assertIn("Community Satisfaction Index (IKM)", html)
        self.assertIn(f"{survey.ikm:.2f}", html)
        self.assertIn("A (Very Good)", html)
        groups = report.groups_id
        self.assertTrue(self.kadis.groups_id & groups and self.kabid.groups_id & groups)
        self.assertFalse(self.sekretariat.groups_id & groups)


@tagged("post_install", "-at_install")
class TestSurveyPortal(KiPortalCase):
    def test_survey_is_offered_after_the_download_and_answered_once(self):
        permohonan = self._file_in("done")
        self._login(self.applicant)
        page = self.url_open(permohonan.access_url).text
        self.assertIn(f"/my/permohonan/{permohonan.id}/survey", page)
        form = self.url_open(f"/my/permohonan/{permohonan.id}/survey").text
        self.assertEqual(form.count('type="radio"'), 4 * len(ELEMENT_FIELDS))
        incomplete = dict(dict.fromkeys(ELEMENT_FIELDS[:8], "4"), **PROFILE)
        response = self._post(f"/my/permohonan/{permohonan.id}/survey", incomplete)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(self._errors(response)), [ELEMENT_FIELDS[8]])
        self.assertFalse(permohonan._portal_survey())
        complete = dict(incomplete, score_facilities="3", score_cost="9", comment="Terima kasih")
        response = self._post(f"/my/permohonan/{permohonan.id}/survey", complete)
        self.assertIn("score_cost", self._errors(response))  # off the scale
        complete["score_cost"] = "4"
        response = self._post(f"/my/permohonan/{permohonan.id}/survey", complete)
        self.assertIn("ki_message_rated", response.text)
        survey = permohonan._portal_survey()
        self.assertEqual(survey.score_facilities, 3)
        self.assertEqual(survey.comment, "Terima kasih")
        self.assertNotIn(f"/my/permohonan/{permohonan.id}/survey", response.text)
        again = self.url_open(f"/my/permohonan/{permohonan.id}/survey", allow_redirects=False)
        self.assertEqual(again.status_code, 303)

    @mute_logger("odoo.http")
    def test_survey_only_for_the_owner_of_a_downloaded_letter(self):
        delivered = self._file_in("delivered")
        self._login(self.applicant)
        response = self.url_open(f"/my/permohonan/{delivered.id}/survey", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        done = self._file_in("done")
        self._login(self.other_applicant)
        response = self._post(
            f"/my/permohonan/{done.id}/survey", dict.fromkeys(ELEMENT_FIELDS, "1")
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(done._portal_survey())
