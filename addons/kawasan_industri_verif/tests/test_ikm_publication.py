from datetime import date, datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from ..models.ki_survey import ELEMENT_FIELDS
from .common import KiCase
from .test_survey import PROFILE, answers


class KiIkmCase(KiCase):
    @classmethod
    def _rate(cls, when, *scores, **profile):
        """A survey answered at `when` (UTC) on a new closed file."""
        permohonan = cls._file_in("done")
        survey = (
            cls.env["ki.survey"]
            .with_user(cls.applicant)
            .create(dict(answers(*scores), permohonan_id=permohonan.id, **dict(PROFILE, **profile)))
        )
        survey.sudo().write({"date": when})
        return survey


class TestSurveyAnswers(KiCase):
    def test_each_element_has_its_own_four_answers(self):
        Survey = self.env["ki.survey"]
        answers_en = Survey._element_answers()
        self.assertEqual(list(answers_en), list(ELEMENT_FIELDS))
        self.assertEqual(answers_en["score_cost"][3], (4, "Free"))
        self.assertEqual(answers_en["score_cost"][0], (1, "Very expensive"))
        answers_id = Survey.with_context(lang="id_ID")._element_answers()
        expected = {
            "score_requirements": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
            "score_procedure": ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
            "score_time": ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
            "score_cost": ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
            "score_product": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
            "score_competence": [
                "Tidak kompeten",
                "Kurang kompeten",
                "Kompeten",
                "Sangat kompeten",
            ],
            "score_behaviour": [
                "Tidak sopan dan ramah",
                "Kurang sopan dan ramah",
                "Sopan dan ramah",
                "Sangat sopan dan ramah",
            ],
            "score_complaints": [
                "Tidak ada",
                "Ada tetapi tidak berfungsi",
                "Berfungsi kurang maksimal",
                "Dikelola dengan baik",
            ],
            "score_facilities": ["Buruk", "Cukup", "Baik", "Sangat baik"],
        }
        for fname, labels in expected.items():
            with self.subTest(element=fname):
                self.assertEqual([label for _score, label in answers_id[fname]], labels)
                self.assertEqual([score for score, _label in answers_id[fname]], [1, 2, 3, 4])

    def test_the_respondent_profile_is_asked(self):
        questions = {fname for fname, _label, _choices in self.env["ki.survey"]._profile_choices()}
        self.assertEqual(questions, {"age_group", "sex", "education", "occupation"})
        permohonan = self._file_in("done")
        with self.assertRaisesRegex(UserError, "about you"):
            self.env["ki.survey"].with_user(self.applicant).create(
                dict(answers(4), permohonan_id=permohonan.id, sex="female")
            )
        self.assertFalse(permohonan._portal_survey())

    def test_the_weighting_is_stated(self):
        statement = self.env["ki.survey"]._ikm_weighting()
        self.assertIn("1/9", statement)
        report = self.env.ref("kawasan_industri_verif.action_report_ki_survey_ikm")
        self.assertIn("_ikm_weighting", self.env.ref(report.report_name).arch)


class TestIkmPublication(KiIkmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 January 2026 00:30 in Jakarta is still 31 December in UTC
        cls.first = cls._rate(datetime(2025, 12, 31, 17, 30), 4, sex="male")
        cls.second = cls._rate(datetime(2026, 3, 10, 3, 0), 2, 2, 2, 2, 2, 2, 2, 2, 3)
        cls.outside = cls._rate(datetime(2026, 7, 1, 3, 0), 1)

    def _publication(self, user=None, **vals):
        values = {"name": "Semester I 2026", "date_from": date(2026, 1, 1)}
        values["date_to"] = date(2026, 6, 30)
        values.update(vals)
        return self.env["ki.ikm.publication"].with_user(user or self.kadis).create(values)

    def test_the_index_of_a_period_counts_its_answers_in_the_office_time_zone(self):
        publication = self._publication()
        self.assertEqual(publication.respondent_count, 2)
        self.assertEqual(publication.element_means["score_facilities"], 3.5)
        self.assertEqual(publication.element_means["score_cost"], 3.0)
        self.assertEqual(publication.ikm, round(27.5 / 9 * 25, 2))
        self.assertEqual(publication.quality, "C")
        self.assertEqual(publication.profile_counts["sex"], {"male": 1, "female": 1})

    def test_publication_needs_a_plan_and_answers_then_never_changes(self):
        publication = self._publication()
        with self.assertRaisesRegex(ValidationError, "follow-up plan"):
            publication.action_publish()
        empty = self._publication(date_from=date(2024, 1, 1), date_to=date(2024, 6, 30))
        empty.follow_up = "Perbaikan"
        with self.assertRaisesRegex(ValidationError, "No survey answer"):
            empty.action_publish()
        publication.follow_up = "Menyederhanakan persyaratan; melatih petugas."
        publication.action_publish()
        self.assertEqual(publication.state, "published")
        self.assertEqual(publication.published_by_id, self.kadis)
        with self.assertRaises(UserError):
            publication.write({"follow_up": "Diubah"})
        with self.assertRaises(UserError):
            publication.unlink()
        # a late answer in the period does not change what was published
        self._rate(datetime(2026, 5, 5, 3, 0), 1)
        publication.action_refresh()
        self.assertEqual(publication.respondent_count, 2)

    def test_who_publishes(self):
        self._publication(user=self.ki_admin)
        for user in (self.kabid, self.auditor):
            with self.subTest(user=user.login):
                self.assertTrue(self.env["ki.ikm.publication"].with_user(user).search([]))
                with self.assertRaises(AccessError):
                    self._publication(user=user)
        for user in (self.sekretariat, self.verifier, self.applicant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["ki.ikm.publication"].with_user(user).search([])


@tagged("post_install", "-at_install")
class TestIkmPublicPage(HttpCase, KiIkmCase):
    def test_the_public_page_shows_what_was_published(self):
        self._rate(datetime(2026, 2, 2, 3, 0), 4, 4, 4, 4, 4, 4, 4, 4, 3)
        Publication = self.env["ki.ikm.publication"].with_user(self.kadis)
        published = Publication.create(
            {
                "name": "Triwulan I 2026",
                "date_from": date(2026, 2, 1),
                "date_to": date(2026, 2, 28),
                "follow_up": "Menambah ruang tunggu yang nyaman.",
            }
        )
        published.action_publish()
        draft = Publication.create(
            {"name": "Draf Rahasia", "date_from": date(2026, 2, 1), "date_to": date(2026, 2, 28)}
        )
        response = self.url_open("/ikm")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Triwulan I 2026", page)
        self.assertIn(f"{published.ikm:.2f}", page)
        self.assertIn("Menambah ruang tunggu yang nyaman.", page)
        self.assertIn("1/9", page)
        self.assertIn("U4 Biaya/Tarif", page, "in the office's language")
        self.assertNotIn(draft.name, page)


@tagged("post_install", "-at_install")
class TestVerifyPageDetails(HttpCase, KiCase):
    # The verification page is a read-only route that counts the hit on the primary in a
    # transaction of its own, which Odoo's test cursors cannot nest in a read-only one.
    readonly_enabled = False

    def test_the_verify_page_names_the_estate_and_the_subject(self):
        permohonan = self._file_in("delivered", self._new_file(estate_name="Kawasan Unik Verif"))
        letter = permohonan.sudo().letter_id
        page = self.url_open(f"/ki/verify/{letter.token}").text
        self.assertIn("Kawasan Unik Verif", page)
        self.assertIn('class="ki_verify_subject"', page)
        self.assertIn(letter.subject, page)
