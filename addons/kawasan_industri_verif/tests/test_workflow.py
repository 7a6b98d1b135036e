from odoo.exceptions import UserError, ValidationError

from .common import HAPPY_PATH, PDF, KiCase

# state after each step of HAPPY_PATH
HAPPY_STATES = [
    "submitted",
    "kadis_disposition",
    "kabid_disposition",
    "verification",
    "kabid_review",
    "kadis_review",
    "numbering",
    "delivered",
    "done",
]


class TestWorkflow(KiCase):
    def _open_activity_users(self, permohonan):
        return permohonan.sudo().activity_ids.user_id

    def test_full_path_to_approval(self):
        permohonan = self._new_file()
        self.assertEqual(permohonan.state, "draft")
        self.assertFalse(permohonan.name)
        responsible_by_state = {
            "submitted": self.sekretariat,
            "kadis_disposition": self.kadis,
            "kabid_disposition": self.kabid,
            "verification": self.verifier,
            "kabid_review": self.kabid,
            "kadis_review": self.kadis,
            "numbering": self.sekretariat,
        }
        for (action, role, kwargs), state in zip(HAPPY_PATH, HAPPY_STATES, strict=True):
            messages_before = len(permohonan.message_ids)
            self._act(permohonan, action, role, **kwargs)
            permohonan.invalidate_recordset()
            self.assertEqual(permohonan.state, state, action)
            self.assertGreater(len(permohonan.message_ids), messages_before, action)
            expected = responsible_by_state.get(state, self.env["res.users"])
            # test users are the only holders of their roles in a fresh database, but demo
            # users may share them: check ours are among the responsible and activity owners
            self.assertLessEqual(expected, permohonan.responsible_user_ids, action)
            self.assertLessEqual(expected, self._open_activity_users(permohonan), action)
            if state in ("delivered", "done"):
                self.assertFalse(permohonan.activity_ids, action)

        self.assertRegex(permohonan.name, r"^KI/\d{4}/\d{5}$")
        self.assertRegex(permohonan.agenda_number, r"^SM/\d{4}/\d{4}$")
        self.assertRegex(permohonan.letter_number, r"^500\.2/\d{4}/DISPERIN/\d{4}$")
        self.assertEqual(permohonan.decision, "approve")
        self.assertEqual(permohonan.signer_id, self.kadis)
        self.assertEqual(permohonan.signer_nip, "196805121994031005")
        self.assertTrue(permohonan.signed_date and permohonan.publish_date)
        self.assertTrue(permohonan.download_date)
        self.assertFalse(permohonan.current_step_id)

        steps = permohonan.step_ids.sorted("id")
        self.assertEqual(steps.mapped("state"), HAPPY_STATES[:-1])
        self.assertTrue(all(steps.mapped("date_end")), "every step is closed at the end")
        self.assertEqual(
            steps.mapped("outcome"),
            [
                "received",
                "disposed",
                "disposed",
                "draft_submitted",
                "approved",
                "signed",
                "published",
                "downloaded",
            ],
        )
        self.assertEqual(
            steps.mapped("user_id"),
            self.sekretariat
            + self.kadis
            + self.kabid
            + self.verifier
            + self.kabid
            + self.kadis
            + self.sekretariat
            + self.applicant,
        )

        dispositions = permohonan.disposisi_ids.sorted("id")
        self.assertEqual(len(dispositions), 2)
        self.assertEqual(dispositions[0].from_user_id, self.kadis)
        self.assertEqual(dispositions[0].to_user_ids, self.kabid)
        self.assertEqual(dispositions[0].urgency, "segera")
        self.assertEqual(dispositions[0].instruction_ids, self.instructions)
        self.assertEqual(dispositions[1].to_user_ids, self.verifier)
        self.assertTrue(all(dispositions.mapped("date_read")), "recipients acted, so they read")
        self.assertEqual(permohonan.verifier_ids, self.verifier)

        notes = permohonan.message_ids.filtered(lambda m: m.subtype_id.internal)
        authors = notes.mapped("author_id")
        for user in (self.applicant, self.sekretariat, self.kadis, self.kabid, self.verifier):
            self.assertIn(user.partner_id, authors)

    def test_full_path_to_rejection(self):
        # the estate is below the minimum area: the automatic check fails, the reasons say so
        permohonan = self._file_in("verification", self._new_file(area_ha=40.0))
        self._act(
            permohonan,
            "action_submit_draft",
            "verifier",
            decision="reject",
            decision_reason="Luas kawasan kurang dari 50 ha.",
            evaluation_summary="Luas 40 ha.",
        )
        # the Division Head corrects the reasons in the form, then approves the draft
        permohonan.with_user(self.kabid).write(
            {"decision_reason": "Luas kawasan 40 ha, kurang dari minimal 50 ha."}
        )
        self._act(permohonan, "action_kabid_approve", "kabid")
        self._act(permohonan, "action_kadis_sign", "kadis")
        self._act(permohonan, "action_number_and_publish", "sekretariat")
        self._act(permohonan, "action_confirm_download", "applicant")
        self.assertEqual(permohonan.state, "done")
        self.assertEqual(permohonan.decision, "reject")
        self.assertEqual(
            permohonan.decision_reason, "Luas kawasan 40 ha, kurang dari minimal 50 ha."
        )
        self.assertTrue(permohonan.letter_number)
        self.assertEqual(
            permohonan.step_ids.filtered(lambda s: s.state == "verification").outcome,
            "draft_submitted",
        )

    def test_head_of_office_changes_decision_while_signing(self):
        permohonan = self._file_in("kadis_review", self._new_file(area_ha=40.0))
        # a rejection names what failed: nothing recorded says the plan breaks the RTRW
        with self.assertRaisesRegex(UserError, "name what failed|needs what failed"):
            self._act(
                permohonan,
                "action_kadis_sign",
                "kadis",
                decision="reject",
                decision_reason="Tidak sesuai RTRW.",
            )
        self.assertEqual(permohonan.state, "kadis_review")
        self._act(
            permohonan,
            "action_kadis_sign",
            "kadis",
            decision="reject",
            decision_reason="Luas kawasan 40 ha, kurang dari minimal 50 ha.",
        )
        self.assertEqual(permohonan.decision, "reject")
        self.assertEqual(permohonan.state, "numbering")

    def test_loop_incomplete_documents(self):
        permohonan = self._file_in("verification")
        kkpr = self.env.ref("kawasan_industri_verif.document_type_kkpr")
        document = permohonan.document_ids.filtered(lambda d: d.document_type_id == kkpr)
        document.with_user(self.verifier).action_mark_invalid(note="Masa berlaku habis")
        self._act(permohonan, "action_return_to_applicant", "verifier", note="Ganti KKPR")
        self.assertEqual(permohonan.state, "returned")
        self.assertFalse(permohonan.responsible_user_ids)
        self.assertFalse(permohonan.sudo().activity_ids)
        self.assertEqual(permohonan.current_step_id.state, "returned")

        # resubmitting without replacing the invalid document is refused
        with self.assertRaisesRegex(ValidationError, "Spatial use suitability"):
            self._act(permohonan, "action_submit", "applicant")
        self.assertEqual(permohonan.state, "returned")

        permohonan.with_user(self.applicant).action_upload_document(kkpr.id, "kkpr-baru.pdf", PDF)
        versions = permohonan.document_version_ids.filtered(lambda d: d.document_type_id == kkpr)
        self.assertEqual(sorted(versions.mapped("version")), [1, 2], "the old version is kept")
        self._act(permohonan, "action_submit", "applicant", note="KKPR sudah diperbarui")
        self.assertEqual(permohonan.state, "verification")
        self.assertEqual(permohonan.responsible_user_ids, self.verifier)
        returned_step = permohonan.step_ids.filtered(lambda s: s.state == "returned")
        self.assertEqual(returned_step.outcome, "resubmitted")
        self.assertEqual(returned_step.note, "KKPR sudah diperbarui")
        self.assertEqual(
            permohonan.step_ids.filtered(lambda s: s.state == "verification")
            .sorted("id")
            .mapped("outcome"),
            ["returned", False],
        )

    def test_loop_division_head_returns_draft(self):
        permohonan = self._file_in("kabid_review")
        self._act(permohonan, "action_kabid_return", "kabid", note="Lengkapi pertimbangan")
        self.assertEqual(permohonan.state, "verification")
        self.assertEqual(permohonan.responsible_user_ids, self.verifier)
        self.assertIn(self.verifier, self._open_activity_users(permohonan))
        self._act(permohonan, "action_submit_draft", "verifier")
        self.assertEqual(permohonan.state, "kabid_review")
        self.assertEqual(
            permohonan.step_ids.filtered(lambda s: s.state == "kabid_review")
            .sorted("id")
            .mapped("outcome"),
            ["returned", False],
        )

    def test_loop_head_of_office_returns_draft(self):
        permohonan = self._file_in("kadis_review")
        self._act(permohonan, "action_kadis_return", "kadis", note="Perbaiki redaksi")
        self.assertEqual(permohonan.state, "kabid_review")
        self.assertFalse(permohonan.signed_date)
        self._act(permohonan, "action_kabid_approve", "kabid")
        self._act(permohonan, "action_kadis_sign", "kadis")
        self.assertEqual(permohonan.state, "numbering")
        kadis_steps = permohonan.step_ids.filtered(lambda s: s.state == "kadis_review")
        self.assertEqual(sorted(kadis_steps.mapped("outcome")), ["returned", "signed"])

    def test_return_needs_a_note(self):
        permohonan = self._file_in("kabid_review")
        with self.assertRaisesRegex(UserError, "note"):
            self._act(permohonan, "action_kabid_return", "kabid", note="  ")
        self.assertEqual(permohonan.state, "kabid_review")

    def test_submit_lists_everything_missing(self):
        permohonan = (
            self.env["ki.permohonan"].with_user(self.applicant).create({"estate_name": "Baru"})
        )
        with self.assertRaises(ValidationError) as error:
            permohonan.action_submit()
        message = str(error.exception)
        for expected in ("NIB", "NPWP", "Province", "100%", "Application letter"):
            self.assertIn(expected, message)
        self.assertEqual(permohonan.state, "draft")
        self.assertFalse(permohonan.name)

    def test_draft_decision_must_be_complete(self):
        permohonan = self._file_in("verification")
        with self.assertRaisesRegex(UserError, "decision"):
            self._act(permohonan, "action_submit_draft", "verifier", decision_reason="x")
        with self.assertRaisesRegex(UserError, "reasons"):
            self._act(permohonan, "action_submit_draft", "verifier", decision="approve")
        self.assertEqual(permohonan.state, "verification")

    def test_disposition_only_to_the_right_role(self):
        permohonan = self._file_in("kabid_disposition")
        with self.assertRaisesRegex(UserError, "Technical Team"):
            self._act(permohonan, "action_dispose_to_team", "kabid", recipient_ids=self.kadis.ids)
        self.assertEqual(permohonan.state, "kabid_disposition")
        self.assertEqual(len(permohonan.disposisi_ids), 1)

    def test_cancel(self):
        permohonan = self._file_in("verification")
        self._act(permohonan, "action_cancel", "applicant", reason="Tidak jadi")
        self.assertEqual(permohonan.state, "cancelled")
        self.assertFalse(permohonan.sudo().activity_ids)
        self.assertTrue(all(permohonan.step_ids.mapped("date_end")))

        permohonan = self._file_in("numbering")
        with self.assertRaisesRegex(UserError, "reason|why"):
            self._act(permohonan, "action_cancel", "ki_admin", reason="")
        self._act(permohonan, "action_cancel", "ki_admin", reason="Salah input data")
        self.assertEqual(permohonan.cancel_reason, "Salah input data")

    def test_identifiers_and_shares_are_validated(self):
        permohonan = self._new_file()
        with self.assertRaisesRegex(ValidationError, "13 digits"):
            permohonan.with_user(self.applicant).write({"nib": "12345"})
        with self.assertRaisesRegex(ValidationError, "must add up to 100%"):
            permohonan.with_user(self.applicant).write({"share_green": 30})
