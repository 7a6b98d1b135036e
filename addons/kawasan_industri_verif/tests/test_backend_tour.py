from odoo.tests import HttpCase, tagged

from .common import KiCase


@tagged("post_install", "-at_install", "is_tour")
class TestBackendTour(HttpCase, KiCase):
    """Each officer, in the browser, takes the same file one step further, from
    `submitted` to `delivered`, with only the buttons their role shows."""

    def test_officers_take_a_file_from_submitted_to_delivered(self):
        permohonan = self._file_in("submitted")
        url = f"/odoo/action-kawasan_industri_verif.ki_permohonan_action/{permohonan.id}"
        for tour, login, state in [
            ("ki_tour_receive", "t_sekretariat", "kadis_disposition"),
            ("ki_tour_dispose_to_kabid", "t_kadis", "kabid_disposition"),
            ("ki_tour_dispose_to_team", "t_kabid", "verification"),
            ("ki_tour_submit_draft", "t_verifier", "kabid_review"),
            ("ki_tour_kabid_approve", "t_kabid", "kadis_review"),
            ("ki_tour_kadis_sign", "t_kadis", "numbering"),
            ("ki_tour_number_and_publish", "t_sekretariat", "delivered"),
        ]:
            with self.subTest(tour=tour):
                self.start_tour(url, tour, login=login)
                self.env.invalidate_all()
                self.assertEqual(permohonan.state, state)
        step_users = [step.user_id.login for step in permohonan.step_ids.sorted("id")]
        self.assertEqual(
            step_users,
            [
                "t_sekretariat",
                "t_kadis",
                "t_kabid",
                "t_verifier",
                "t_kabid",
                "t_kadis",
                "t_sekretariat",
                False,  # the published letter's step is the applicant's, still open
            ],
        )
        self.assertEqual(permohonan.decision, "approve")
        self.assertTrue(permohonan.letter_number)
