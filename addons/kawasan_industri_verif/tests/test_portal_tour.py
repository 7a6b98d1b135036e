from odoo.tests import HttpCase, tagged

from .common import HAPPY_PATH, KiCase

SIGNUP_LOGIN = "direksi@kawasan-baru.example.co.id"  # as in static/tests/tours/ki_portal_tour.js


@tagged("post_install", "-at_install", "is_tour")
class TestPortalTour(HttpCase, KiCase):
    """The applicant's whole journey in the browser of a phone (390 px wide), the office's
    steps in between: sign up, apply, upload, submit; return; correct, resubmit; publish;
    download, survey."""

    browser_size = "390x844"

    def test_applicant_journey(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")

        self.start_tour("/web/signup", "ki_portal_tour_apply")
        applicant = self.env["res.users"].search([("login", "=", SIGNUP_LOGIN)])
        self.assertTrue(applicant.share, "the sign-up makes a portal user")
        company = applicant.partner_id.parent_id
        self.assertEqual(company.name, "PT Kawasan Industri Baru Sejahtera")
        self.assertTrue(company.is_company)
        permohonan = self.env["ki.permohonan"].search([("partner_id", "=", company.id)])
        self.assertEqual(len(permohonan), 1)
        self.assertEqual(permohonan.state, "submitted")
        self.assertEqual(permohonan.estate_name, "Kawasan Industri Baru Tahap I")
        self.assertEqual(permohonan.pic_name, "Rudi Hartono")
        required = self.doc_types.filtered("required")
        self.assertEqual(permohonan.document_ids.document_type_id, required)

        # The office: receive, dispose, verify; one document is invalid, the file returned.
        self._walk(permohonan, HAPPY_PATH[1:4])
        kkpr = permohonan.document_ids.filtered(lambda d: d.document_type_id.code == "KKPR")
        kkpr.with_user(self.verifier).action_mark_invalid(note="KKPR sudah kedaluwarsa")
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        self._act(permohonan, "action_return_to_applicant", "verifier", note="Ganti KKPR")

        self.start_tour("/my/permohonan", "ki_portal_tour_correct", login=SIGNUP_LOGIN)
        self.env.invalidate_all()
        self.assertEqual(permohonan.state, "verification")
        self.assertEqual(
            len(
                kkpr.search(
                    [
                        ("permohonan_id", "=", permohonan.id),
                        ("document_type_id", "=", kkpr.document_type_id.id),
                    ]
                )
            ),
            2,
        )
        resubmission = permohonan.step_ids.filtered(lambda s: s.state == "returned")
        self.assertEqual(resubmission.note, "KKPR yang masih berlaku sudah kami unggah.")

        # The office: draft, review, signature, number and publication of the letter.
        self._walk(permohonan, HAPPY_PATH[4:8])
        self.assertEqual(permohonan.state, "delivered")
        self.assertTrue(permohonan._portal_letter(), "the letter is published")

        self.start_tour("/my/permohonan", "ki_portal_tour_receive", login=SIGNUP_LOGIN)
        self.env.invalidate_all()
        self.assertEqual(permohonan.state, "done")
        self.assertTrue(permohonan.download_date)
        survey = permohonan._portal_survey()
        self.assertEqual(survey.user_id, applicant)
        self.assertEqual(survey.score_time, 3)
        self.assertEqual(survey.ikm, round(33 / 9 * 25, 2))
        self.assertEqual(survey.comment, "Prosesnya jelas dan cepat.")
        self.assertEqual(
            (survey.age_group, survey.sex, survey.education, survey.occupation),
            ("35_44", "male", "bachelor", "private"),
        )
