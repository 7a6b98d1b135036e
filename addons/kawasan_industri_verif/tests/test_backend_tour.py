import io

from odoo.tests import HttpCase, tagged
from reportlab.pdfgen import canvas

from .common import KiCase

TOUR_ESTATE = "Kawasan Industri Tur Kantor"  # as in static/tests/tours/ki_backend_tour.js


@tagged("post_install", "-at_install", "is_tour")
class TestBackendTour(HttpCase, KiCase):
    """Each officer, in the browser and from the login page, takes the same file one step
    further, from `submitted` to `delivered`: their task list is their home, the file is
    one click away and the step's button at most three."""

    def test_officers_take_a_file_from_submitted_to_delivered(self):
        home = self.env.ref("kawasan_industri_verif.ki_action_home")
        officers = self.sekretariat | self.kadis | self.kabid | self.verifier
        officers.write({"action_id": home.id})  # as the office sets its officers up
        permohonan = self._file_in("submitted", self._file_with_readable_pdfs())
        for tour, state in [
            ("ki_tour_receive", "kadis_disposition"),
            ("ki_tour_dispose_to_kabid", "kabid_disposition"),
            ("ki_tour_dispose_to_team", "verification"),
            ("ki_tour_submit_draft", "kabid_review"),
            ("ki_tour_kabid_approve", "kadis_review"),
            ("ki_tour_kadis_sign", "numbering"),
            ("ki_tour_number_and_publish", "delivered"),
        ]:
            with self.subTest(tour=tour):
                self.start_tour("/web/login", tour)
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
        dispositions = permohonan.disposisi_ids.sorted("id")
        self.assertEqual(dispositions.mapped("urgency"), ["segera", "segera"])
        self.assertEqual(set(permohonan.document_ids.mapped("status")), {"valid"})
        self.assertEqual(permohonan.decision, "approve")
        self.assertTrue(permohonan.decision_reason, "the proposed reasons were kept")
        self.assertTrue(permohonan.letter_number)

    def _file_with_readable_pdfs(self):
        """A complete draft whose documents the preview can show (one-page PDFs)."""
        permohonan = (
            self.env["ki.permohonan"]
            .with_user(self.applicant)
            .create(dict(self.applicant_data, estate_name=TOUR_ESTATE))
        )
        for doc_type in self.doc_types.filtered("required"):
            buffer = io.BytesIO()
            pdf = canvas.Canvas(buffer)
            pdf.drawString(72, 720, doc_type.name)
            pdf.save()
            permohonan.action_upload_document(
                doc_type.id, f"{doc_type.code}.pdf", buffer.getvalue()
            )
        return permohonan.with_env(self.env)
