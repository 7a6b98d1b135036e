from odoo.exceptions import AccessError, UserError

from .common import PDF, KiCase

REJECT = {"decision": "reject", "evaluation_summary": "Diperiksa"}


class TestDecisionRules(KiCase):
    """A decision draft rests on checked documents: none is submitted while a document is
    unchecked, none approved while a required one is not valid, none rejected without
    naming what failed; the same at each transition that takes the decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kkpr = cls.env.ref("kawasan_industri_verif.document_type_kkpr")

    def _document(self, permohonan, doc_type):
        return permohonan.document_ids.filtered(lambda d: d.document_type_id == doc_type)

    def _submit_draft(self, permohonan, **kwargs):
        """The draft as the verifier, without the test helper's checking of the documents."""
        return permohonan.with_user(self.verifier).action_submit_draft(**kwargs)

    def _refused(self, permohonan, pattern, **kwargs):
        steps = permohonan.sudo().step_ids
        with self.assertRaisesRegex(UserError, pattern):
            self._submit_draft(permohonan, **kwargs)
        self.assertEqual(permohonan.state, "verification")
        self.assertEqual(permohonan.sudo().step_ids, steps, "no step is recorded")

    def test_no_draft_while_a_document_is_unchecked(self):
        permohonan = self._file_in("verification")
        self._document(permohonan, self.kkpr).with_user(self.verifier).action_mark_valid()
        approve = {"decision": "approve", "decision_reason": "Memenuhi ketentuan"}
        with self.assertRaises(UserError) as refusal:
            self._submit_draft(permohonan, **approve)
        message = str(refusal.exception)
        self.assertIn("still to check", message)
        self.assertIn("Application letter", message)
        self.assertNotIn(self.kkpr.name, message, "only the unchecked documents are named")
        self.assertEqual(permohonan.state, "verification")

        permohonan.with_user(self.verifier).action_mark_documents_valid()
        self.assertEqual(permohonan.document_todo_count, 0)
        self._submit_draft(permohonan, **approve)
        self.assertEqual(permohonan.state, "kabid_review")

    def test_an_approval_needs_every_required_document_valid(self):
        optional = self.env["ki.document.type"].create(
            {"name": "Foto udara", "code": "FOTO_UDARA", "required": False}
        )
        permohonan = self._new_file()
        permohonan.with_user(self.applicant).action_upload_document(optional.id, "foto.pdf", PDF)
        self._file_in("verification", permohonan)
        document = self._document(permohonan, self.kkpr)
        document.with_user(self.verifier).action_mark_invalid(note="KKPR kedaluwarsa")
        self._document(permohonan, optional).with_user(self.verifier).action_mark_invalid(
            note="Buram"
        )
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        self.assertEqual(document.status, "invalid", "marking the rest keeps the invalid one")
        self.assertEqual(permohonan.document_invalid_count, 2)
        with self.assertRaises(UserError) as refusal:
            self._submit_draft(permohonan, decision="approve", decision_reason="Memenuhi")
        message = str(refusal.exception)
        self.assertIn("every required document valid", message)
        self.assertIn("Spatial use suitability", message)
        self.assertNotIn("Foto udara", message, "an optional document does not block it")

        # the applicant replaces the KKPR; once the new version is valid, the approval goes
        self._act(permohonan, "action_return_to_applicant", "verifier", note="Ganti KKPR")
        permohonan.with_user(self.applicant).action_upload_document(self.kkpr.id, "kkpr.pdf", PDF)
        self._act(permohonan, "action_submit", "applicant")
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        self._submit_draft(permohonan, decision="approve", decision_reason="Memenuhi")
        self.assertEqual(permohonan.state, "kabid_review")

    def test_an_approval_needs_a_document_for_each_required_type(self):
        permohonan = self._file_in("verification")
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        self.env["ki.document.type"].create({"name": "Izin Baru", "code": "IZIN_BARU"})
        self._refused(
            permohonan,
            "not valid: Izin Baru",
            decision="approve",
            decision_reason="Memenuhi ketentuan",
        )

    def test_a_rejection_names_what_failed(self):
        permohonan = self._file_in("verification")
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        self._refused(permohonan, "needs what failed", decision_reason="Tidak layak", **REJECT)

        # with the KKPR invalid, the reasons must name it (its name, in English or in the
        # office's Indonesian, or its code)
        fresh = self._file_in("verification")
        document = self._document(fresh, self.kkpr)
        document.with_user(self.verifier).action_mark_invalid(note="KKPR kedaluwarsa")
        fresh.with_user(self.verifier).action_mark_documents_valid()
        self._refused(
            fresh,
            "must name what failed: Spatial use suitability",
            decision_reason="Dokumen tidak lengkap.",
            **REJECT,
        )
        self._submit_draft(fresh, decision_reason="KKPR sudah tidak berlaku.", **REJECT)
        self.assertEqual(fresh.state, "kabid_review")
        self.assertEqual(fresh.decision, "reject")

    def test_a_rejection_names_the_failed_technical_checks(self):
        permohonan = self._file_in("verification", self._new_file(area_ha=30.0))
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        failures = permohonan._decision_failures()
        self.assertEqual(len(failures), 1)
        self.assertIn("Estate area", failures[0])
        self._refused(permohonan, "Estate area", decision_reason="Tidak layak", **REJECT)
        self._submit_draft(permohonan, decision_reason="Luas kawasan hanya 30 ha.", **REJECT)
        self.assertEqual(permohonan.state, "kabid_review")

    def test_the_division_head_and_the_head_of_office_are_held_to_the_same_rule(self):
        permohonan = self._file_in("verification")
        document = self._document(permohonan, self.kkpr)
        document.with_user(self.verifier).action_mark_invalid(note="KKPR kedaluwarsa")
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        self._submit_draft(permohonan, decision_reason="KKPR kedaluwarsa.", **REJECT)

        # the Division Head cannot turn the rejection into an approval
        with self.assertRaisesRegex(UserError, "every required document valid"):
            permohonan.with_user(self.kabid).action_kabid_approve(
                decision="approve", decision_reason="Memenuhi ketentuan"
            )
        # nor drop what failed from the reasons
        with self.assertRaisesRegex(UserError, "must name what failed"):
            permohonan.with_user(self.kabid).action_kabid_approve(decision_reason="Ditolak.")
        self.assertEqual(permohonan.state, "kabid_review")
        permohonan.with_user(self.kabid).action_kabid_approve()
        self.assertEqual(permohonan.state, "kadis_review")

        with self.assertRaisesRegex(UserError, "every required document valid"):
            permohonan.with_user(self.kadis).action_kadis_sign(
                decision="approve", decision_reason="Memenuhi ketentuan"
            )
        self.assertEqual(permohonan.state, "kadis_review")
        self.assertFalse(permohonan.signed_date)

    def test_the_refusal_is_in_the_officer_language(self):
        permohonan = self._file_in("verification")
        as_officer = permohonan.with_user(self.verifier).with_context(lang="id_ID")
        with self.assertRaises(UserError) as refusal:
            as_officer.action_submit_draft(decision="approve", decision_reason="Memenuhi")
        message = str(refusal.exception)
        self.assertNotIn("still to check", message)
        self.assertIn("Surat permohonan", message, "the document types in Indonesian too")

    def test_mark_the_remaining_documents_valid(self):
        permohonan = self._file_in("verification")
        self.assertEqual(permohonan.document_todo_count, len(self.doc_types.filtered("required")))
        for user in (self.verifier2, self.kabid, self.applicant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                permohonan.with_user(user).action_mark_documents_valid()
        self.assertEqual(permohonan.document_todo_count, len(self.doc_types.filtered("required")))
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        documents = permohonan.document_ids
        self.assertEqual(set(documents.mapped("status")), {"valid"})
        self.assertEqual(documents.verified_by_id, self.verifier)
        self.assertTrue(permohonan.with_user(self.verifier).action_mark_documents_valid())

        # outside the verification, nobody marks anything
        returned = self._file_in("returned")
        with self.assertRaises(AccessError):
            returned.with_user(self.verifier).action_mark_documents_valid()

    def test_a_resubmitted_file_is_checked_again(self):
        permohonan = self._file_in("verification")
        document = self._document(permohonan, self.kkpr)
        document.with_user(self.verifier).action_mark_invalid(note="KKPR kedaluwarsa")
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        self._act(permohonan, "action_return_to_applicant", "verifier", note="Ganti KKPR")
        permohonan.with_user(self.applicant).action_upload_document(self.kkpr.id, "kkpr.pdf", PDF)
        self._act(permohonan, "action_submit", "applicant")
        self.assertEqual(permohonan.document_todo_count, 1, "only the new version is unchecked")
        self._refused(
            permohonan, "Spatial use suitability", decision="approve", decision_reason="Ok"
        )

    def test_the_wizard_proposes_what_the_documents_support(self):
        permohonan = self._file_in("verification")
        Wizard = self.env["ki.transition.wizard"].with_user(self.verifier)

        def open_wizard():
            defaults = Wizard.with_context(
                default_permohonan_id=permohonan.id, default_action="action_submit_draft"
            ).default_get(list(Wizard._fields))
            return Wizard.create(defaults)

        wizard = open_wizard()
        self.assertEqual(wizard.decision, "approve")
        self.assertIn("still to check", wizard.decision_problems)
        self.assertIn("0 valid", wizard.document_summary)

        document = self._document(permohonan, self.kkpr)
        document.with_user(self.verifier).action_mark_invalid(note="KKPR kedaluwarsa")
        permohonan.with_user(self.verifier).action_mark_documents_valid()
        wizard = open_wizard()
        self.assertEqual(wizard.decision, "reject")
        self.assertIn(self.kkpr.name, wizard.decision_reason)
        self.assertIn("KKPR kedaluwarsa", wizard.decision_reason)
        self.assertFalse(wizard.decision_problems, "the proposed rejection is accepted as is")

        # switching the decision changes the proposed reasons, never the officer's own
        wizard.decision = "approve"
        wizard._onchange_decision()
        self.assertIn("Every required document is valid", wizard.decision_reason)
        self.assertIn("every required document valid", wizard.decision_problems)
        wizard.decision_reason = "Alasan kami sendiri"
        wizard.decision = "reject"
        wizard._onchange_decision()
        self.assertEqual(wizard.decision_reason, "Alasan kami sendiri")

        wizard = open_wizard()
        wizard.action_confirm()
        self.assertEqual(permohonan.state, "kabid_review")
        self.assertEqual(permohonan.decision, "reject")
