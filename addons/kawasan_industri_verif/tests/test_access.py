from odoo.exceptions import AccessError, UserError

from .common import KiCase


class TestAccess(KiCase):
    """Who sees and changes which files, enforced by the server whatever the client sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.in_verification = cls._file_in("verification")
        cls.draft = cls._new_file()

    def test_verifier_sees_only_files_disposed_to_them(self):
        Permohonan = self.env["ki.permohonan"]
        mine = Permohonan.with_user(self.verifier).search([])
        self.assertIn(self.in_verification, mine)
        self.assertNotIn(self.draft, mine)
        self.assertFalse(
            Permohonan.with_user(self.verifier2).search([("id", "=", self.in_verification.id)])
        )
        with self.assertRaises(AccessError):
            self.in_verification.with_user(self.verifier2).read(["name"])
        step_model = self.env["ki.permohonan.step"].with_user(self.verifier2)
        self.assertFalse(step_model.search([("permohonan_id", "=", self.in_verification.id)]))
        documents = self.env["ki.permohonan.document"].with_user(self.verifier2)
        self.assertFalse(documents.search([("permohonan_id", "=", self.in_verification.id)]))

    def test_applicant_sees_only_their_company(self):
        Permohonan = self.env["ki.permohonan"]
        self.assertIn(self.draft, Permohonan.with_user(self.applicant).search([]))
        self.assertFalse(
            Permohonan.with_user(self.other_applicant).search([("id", "=", self.draft.id)])
        )
        with self.assertRaises(AccessError):
            self.draft.with_user(self.other_applicant).read(["estate_name"])
        with self.assertRaises(AccessError):
            self.draft.with_user(self.other_applicant).write({"estate_name": "Diambil alih"})
        with self.assertRaises(AccessError):
            Permohonan.with_user(self.other_applicant).create(
                {"partner_id": self.company.id, "estate_name": "Atas nama orang lain"}
            )
        attachments = self.env["ir.attachment"].with_user(self.other_applicant)
        draft_files = self.draft.sudo().document_ids.attachment_id
        with self.assertRaises(AccessError):
            attachments.browse(draft_files.ids).read(["datas"])
        self.assertEqual(self.draft.estate_name, "Kawasan Industri Uji")

    def test_applicant_cannot_change_what_the_office_owns(self):
        as_applicant = self.draft.with_user(self.applicant)
        for vals in (
            {"state": "done"},
            {"name": "KI/2026/99999"},
            {"letter_number": "500.2/9999/DISPERIN/2026"},
            {"verifier_ids": [(6, 0, self.verifier.ids)]},
            {"decision": "approve"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_applicant.write(vals)
        with self.assertRaises(AccessError):
            self.env["ki.permohonan"].with_user(self.applicant).create(
                {"estate_name": "Langsung selesai", "state": "done"}
            )
        self.assertEqual(self.draft.state, "draft")
        self.assertFalse(self.draft.name)

    def test_applicant_edits_only_while_draft_or_returned(self):
        self.draft.with_user(self.applicant).write({"estate_name": "Nama baru"})
        self.assertEqual(self.draft.estate_name, "Nama baru")
        with self.assertRaises(AccessError):
            self.in_verification.with_user(self.applicant).write({"estate_name": "Terlambat"})
        with self.assertRaises(AccessError):
            self.in_verification.with_user(self.kabid).write({"estate_name": "Staf"})

    def test_auditor_reads_everything_and_writes_nothing(self):
        as_auditor = self.env["ki.permohonan"].with_user(self.auditor)
        self.assertLessEqual(self.in_verification + self.draft, as_auditor.search([]))
        as_auditor.browse(self.in_verification.id).read(["name", "step_ids", "disposisi_ids"])
        with self.assertRaises(AccessError):
            as_auditor.browse(self.in_verification.id).write({"decision_reason": "x"})
        with self.assertRaises(AccessError):
            as_auditor.create({"estate_name": "x", "partner_id": self.company.id})
        with self.assertRaises(AccessError):
            self.in_verification.step_ids[:1].with_user(self.auditor).write({"note": "x"})
        with self.assertRaises(AccessError):
            self.in_verification.with_user(self.auditor).unlink()

    def test_decision_draft_editable_only_in_the_right_step(self):
        permohonan = self._file_in("kabid_review")
        permohonan.with_user(self.kabid).write({"decision_reason": "Dikoreksi Kabid"})
        for user in (self.verifier, self.kadis, self.sekretariat, self.ki_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                permohonan.with_user(user).write({"decision_reason": "Bukan gilirannya"})
        self.assertEqual(permohonan.decision_reason, "Dikoreksi Kabid")

    def test_nobody_edits_the_decision_after_signing(self):
        permohonan = self._file_in("numbering")
        for user in (self.kadis, self.kabid, self.verifier, self.sekretariat, self.ki_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                permohonan.with_user(user).write({"decision": "reject"})
        self.assertEqual(permohonan.decision, "approve")

    def test_closed_steps_cannot_change(self):
        permohonan = self._file_in("kabid_disposition")
        closed = permohonan.step_ids.filtered("date_end")
        self.assertTrue(closed)
        with self.assertRaises(UserError):
            closed.sudo().write({"note": "ditulis ulang"})
        with self.assertRaises(UserError):
            closed.with_user(self.kadis).write({"note": "ditulis ulang"})
        with self.assertRaises(AccessError):  # nobody writes an open step by hand either
            permohonan.current_step_id.with_user(self.kabid).write({"note": "x"})
        self.assertNotIn("ditulis ulang", closed.mapped("note"))

    def test_documents_checked_only_by_an_assigned_verifier(self):
        document = self.in_verification.document_ids[:1]
        with self.assertRaises(AccessError):
            document.with_user(self.verifier2).action_mark_valid()
        with self.assertRaises(AccessError):
            document.with_user(self.kabid).action_mark_valid()
        document.with_user(self.verifier).action_mark_valid()
        self.assertEqual(document.status, "valid")
        self.assertEqual(document.verified_by_id, self.verifier)
        draft_document = self.draft.document_ids[:1]
        with self.assertRaises(AccessError):
            draft_document.with_user(self.verifier).action_mark_invalid(note="x")
