"""Evidence and record integrity: filed documents and published letters never change,
tampering behind the application's back is reported, the applicant reads only what is
theirs and published, and nothing leaks through wizards or followers."""

import base64
import hashlib

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PDF, KiCase

LETTER = "kawasan_industri_verif.report_ki_letter"
ROLES = ("applicant", "sekretariat", "kadis", "kabid", "verifier", "auditor", "ki_admin")


@tagged("post_install", "-at_install")
class TestFrozenEvidence(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.published = cls._file_in("delivered")
        cls.document = cls.published.document_version_ids[:1]
        cls.letter = cls.published.letter_id

    def _artefacts(self):
        return {
            "document version": self.document.attachment_id,
            "published letter": self.letter.attachment_id,
        }

    def _state(self, attachment):
        attachment.invalidate_recordset()
        record = attachment.sudo()
        return (record.exists().ids, record.checksum, record.name, record.public, record.res_id)

    def test_every_role_and_the_system_are_refused_every_change(self):
        """Every role, and sudo, x every stored artefact x write bytes, rename, move, make
        public, delete: refused, and the file is exactly as before."""
        changes = {
            "bytes": lambda a: a.write({"datas": base64.b64encode(b"%PDF-1.4 forged")}),
            "raw": lambda a: a.write({"raw": b"%PDF-1.4 forged"}),
            "name": lambda a: a.write({"name": "forged.pdf"}),
            "res_id": lambda a: a.write({"res_id": self.document.permohonan_id.id + 1}),
            "public": lambda a: a.write({"public": True}),
            "unfreeze": lambda a: a.write({"ki_frozen": False}),
            "unlink": lambda a: a.unlink(),
        }
        envs = {role: getattr(self, role) for role in ROLES}
        refused = 0
        for label, attachment in self._artefacts().items():
            before = self._state(attachment)
            for role in [*envs, "sudo"]:
                for change, apply in changes.items():
                    target = (
                        attachment.sudo() if role == "sudo" else attachment.with_user(envs[role])
                    )
                    with self.subTest(artefact=label, role=role, change=change):
                        with self.assertRaises(UserError):  # AccessError is a UserError
                            apply(target)
                        self.assertEqual(self._state(attachment), before)
                        refused += 1
        self.assertEqual(refused, 2 * (len(ROLES) + 1) * len(changes))

    def test_moving_the_same_bytes_between_storages_is_allowed(self):
        attachment = self.document.attachment_id.sudo()
        attachment.write({"raw": attachment.raw, "mimetype": attachment.mimetype})
        self.assertEqual(hashlib.sha256(attachment.raw).hexdigest(), self.document.sha256)

    def test_document_versions_never_change_nor_disappear(self):
        for vals in ({"sha256": "0" * 64}, {"version": 9}, {"attachment_id": False}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.document.sudo().write(vals)
        with self.assertRaises(UserError):
            self.document.sudo().unlink()

    def test_each_version_records_its_sha256_and_the_minutes_print_it(self):
        for document in self.published.document_version_ids:
            self.assertEqual(
                document.sha256, hashlib.sha256(document.attachment_id.raw).hexdigest()
            )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "kawasan_industri_verif.action_report_ki_berita_acara", self.published.ids
            )[0]
            .decode()
        )
        self.assertIn(self.document.sha256, html)

    def test_stored_name_has_the_extension_of_the_content(self):
        permohonan = self._new_file()
        doc_type = self.doc_types.filtered("required")[:1]
        document = permohonan.with_user(self.applicant).action_upload_document(
            doc_type.id, "akta.FDP.exe", PDF
        )
        self.assertEqual(document.sudo().file_name, "akta.FDP.pdf")


@tagged("post_install", "-at_install")
class TestTamperEvidence(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.permohonan = cls._file_in("kabid_review")
        cls.Check = cls.env["ki.integrity.check"]

    def test_an_untouched_file_is_intact(self):
        steps = self.permohonan.step_ids
        self.assertTrue(all(steps.filtered("date_end").mapped("chain_hash")))
        self.assertTrue(all(self.permohonan.document_version_ids.mapped("chain_hash")))
        check = self.Check._run(self.permohonan)
        self.assertEqual(check.state, "intact", check.first_break)
        evidence = len(self.permohonan.document_version_ids) + len(self.permohonan.berita_acara_ids)
        self.assertEqual(check.evidence_count, evidence)

    def test_a_step_changed_with_sql_breaks_the_chain(self):
        step = self.permohonan.step_ids.filtered("date_end").sorted("id")[1]
        self.env.cr.execute(
            "UPDATE ki_permohonan_step SET note = 'diubah' WHERE id = %s", [step.id]
        )
        self.env.invalidate_all()
        check = self.Check._run(self.permohonan)
        self.assertEqual(check.state, "broken")
        self.assertIn(f"{step._description} {step.id}:", check.first_break)

    def test_a_removed_step_breaks_the_chain(self):
        first = self.permohonan.step_ids.filtered("date_end").sorted("id")[0]
        self.env.cr.execute("DELETE FROM ki_permohonan_step WHERE id = %s", [first.id])
        self.env.invalidate_all()
        check = self.Check._run(self.permohonan)
        self.assertEqual(check.state, "broken")

    def test_the_last_record_removed_after_a_check_is_reported(self):
        self.assertEqual(self.Check._run(self.permohonan).state, "intact")
        last = self.permohonan.step_ids.filtered("date_end").sorted("id")[-1]
        self.env.cr.execute("DELETE FROM ki_permohonan_step WHERE id = %s", [last.id])
        self.env.invalidate_all()
        check = self.Check._run(self.permohonan)
        self.assertEqual(check.state, "broken")
        self.assertIn(str(last.id), check.first_break)

    def test_a_document_version_changed_with_sql_is_reported(self):
        document = self.permohonan.document_version_ids[:1]
        self.env.cr.execute(
            "UPDATE ki_permohonan_document SET sha256 = %s WHERE id = %s", ["f" * 64, document.id]
        )
        self.env.invalidate_all()
        self.assertEqual(self.Check._run(self.permohonan).state, "broken")

    def test_a_stored_file_changed_on_disk_is_reported(self):
        attachment = self.permohonan.document_version_ids[:1].attachment_id.sudo()
        path = attachment._full_path(attachment.store_fname)
        with open(path, "rb") as original:
            content = original.read()
        try:
            with open(path, "wb") as forged:
                forged.write(b"%PDF-1.4 forged")
            check = self.Check._run(self.permohonan)
            self.assertEqual(check.state, "broken")
            self.assertIn("SHA-256", check.first_break)
        finally:
            with open(path, "wb") as restored:
                restored.write(content)

    def test_the_auditor_checks_a_file_and_others_may_not(self):
        result = self.permohonan.with_user(self.auditor).action_check_integrity()
        self.assertEqual(result["params"]["type"], "success")
        for user in (self.sekretariat, self.kabid):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.permohonan.with_user(user).action_check_integrity()

    def test_the_daily_check_tells_the_auditor_of_a_break(self):
        step = self.permohonan.step_ids.filtered("date_end")[:1]
        self.env.cr.execute(
            "UPDATE ki_permohonan_step SET outcome = 'signed' WHERE id = %s", [step.id]
        )
        self.env.invalidate_all()
        messages = self.env["mail.message"].search([])
        check = self.Check._cron_check()
        self.assertEqual(check.state, "broken")
        notice = self.env["mail.message"].search([]) - messages
        self.assertIn(self.auditor.partner_id, notice.partner_ids)


@tagged("post_install", "-at_install")
class TestWhatTheApplicantReads(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unpublished = cls._file_in("numbering")

    def test_the_draft_and_the_steps_are_the_office_s(self):
        mine = self.unpublished.with_user(self.applicant)
        for fname in ("decision", "decision_reason", "evaluation_summary", "step_ids"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                mine.read([fname])
        with self.assertRaises(AccessError):
            self.env["ki.permohonan.step"].with_user(self.applicant).search_read([])
        self.assertTrue(mine.read(["state", "sla_deadline", "return_note"]))

    def test_the_letter_report_before_publication_is_refused(self):
        reports = self.env["ir.actions.report"].with_user(self.applicant)
        with self.assertRaises(AccessError):
            reports._render_qweb_pdf(LETTER, self.unpublished.ids)
        with self.assertRaises(AccessError):
            reports._render_qweb_pdf(
                "kawasan_industri_verif.report_ki_berita_acara", self.unpublished.ids
            )

    def test_the_published_letter_is_the_stored_pdf_never_an_attachment_by_name(self):
        published = self._file_in("delivered")
        letter = published.letter_id
        self.env["ir.attachment"].with_user(self.sekretariat).create(
            {
                "name": letter.attachment_id.name,
                "raw": b"%PDF-1.4 forged",
                "res_model": "ki.permohonan",
                "res_id": published.id,
            }
        )
        for user in (self.sekretariat, self.applicant):
            pdf, _type = (
                self.env["ir.actions.report"]
                .with_user(user)
                ._render_qweb_pdf(LETTER, published.ids)
            )
            self.assertEqual(hashlib.sha256(pdf).hexdigest(), letter.sha256)

    def test_a_url_context_never_sets_the_renderer_s_delay(self):
        reports = self.env["ir.actions.report"]
        paperformat = self.env.ref("kawasan_industri_verif.paperformat_ki_a4")
        for context in ({"ki_javascript_delay": "15000"}, {"ki_own_report": True}):
            args = reports.with_context(**context)._build_wkhtmltopdf_args(paperformat, False)
            delay = args[args.index("--javascript-delay") + 1]
            self.assertNotEqual(delay, "15000")
            self.assertIn(delay, ("0", "1000"))

    def test_deadline_columns_are_not_writable(self):
        returned = self._file_in("returned")
        submitted = self._file_in("submitted")
        for record, user in ((returned, self.applicant), (submitted, self.sekretariat)):
            deadline = record.sla_deadline
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                record.with_user(user).write(
                    {"sla_deadline": "2030-01-01 00:00:00", "sla_late": True}
                )
            record.invalidate_recordset()
            self.assertEqual(record.sla_deadline, deadline)

    def test_one_answer_for_not_yours_and_does_not_exist(self):
        published = self._file_in("delivered")
        other = self.env["ki.permohonan"].with_user(self.other_applicant)
        answers = set()
        for record_id in (published.id, self.unpublished.id, 10**8):
            with self.assertRaises(AccessError) as refusal:
                other.browse(record_id).action_confirm_download()
            answers.add(str(refusal.exception))
            with self.assertRaises(AccessError) as refusal:
                other.browse(record_id).with_context(ki_report="letter").action_print_report()
            answers.add(str(refusal.exception))
        self.assertEqual(len(answers), 1, answers)


@tagged("post_install", "-at_install")
class TestNothingLeaks(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._file_in("verification")  # disposed to cls.verifier only
        cls.env["ki.permohonan"].flush_model()

    def test_a_wizard_on_someone_else_s_file_is_refused(self):
        Wizard = self.env["ki.transition.wizard"].with_user(self.verifier2)
        with self.assertRaises(AccessError):
            Wizard.create({"permohonan_id": self.mine.id, "action": "action_submit_draft"})
        document = self.mine.document_version_ids[:1]
        with self.assertRaises(AccessError):
            self.env["ki.document.review.wizard"].with_user(self.verifier2).create(
                {"document_id": document.id, "note": "x"}
            )
        wizard = (
            self.env["ki.transition.wizard"]
            .with_user(self.verifier)
            .create({"permohonan_id": self.mine.id, "action": "action_submit_draft"})
        )
        self.assertEqual(wizard.permohonan_id, self.mine)

    def test_followers_of_other_files_are_hidden(self):
        Followers = self.env["mail.followers"].with_user(self.verifier2)
        rows = Followers.search_read([("res_model", "=", "ki.permohonan")], ["res_id"])
        self.assertNotIn(self.mine.id, [row["res_id"] for row in rows])
        follower = self.env["mail.followers"].search(
            [("res_model", "=", "ki.permohonan"), ("res_id", "=", self.mine.id)], limit=1
        )
        self.assertTrue(follower)
        with self.assertRaises(AccessError):
            Followers.browse(follower.id).read(["partner_id"])
        # the officers who see every file still see every follower
        self.assertTrue(
            self.env["mail.followers"]
            .with_user(self.kadis)
            .search([("res_model", "=", "ki.permohonan"), ("res_id", "=", self.mine.id)])
        )

    def test_the_auditor_follows_nothing(self):
        followers = self.mine.message_follower_ids
        with self.assertRaises(AccessError):
            self.mine.with_user(self.auditor).message_subscribe(
                partner_ids=self.auditor.partner_id.ids
            )
        self.mine.invalidate_recordset()
        self.assertEqual(self.mine.message_follower_ids, followers)

    def test_an_oversized_base64_upload_is_refused_before_decoding(self):
        draft = self._new_file()
        doc_type = self.doc_types.filtered("required")[:1]
        too_big = "A" * int(doc_type.max_size_mb * 1024 * 1024 * 4 // 3 + 8)
        with self.assertRaisesRegex(UserError, "larger than"):
            draft.with_user(self.applicant).action_upload_document(doc_type.id, "x.pdf", too_big)

    @mute_logger("odoo.http")
    def test_nothing_is_decoded_for_a_wrong_type(self):
        draft = self._new_file()
        versions = draft.document_version_ids
        with self.assertRaises(UserError):
            draft.with_user(self.applicant).action_upload_document(
                self.doc_types[:1].id, "x.pdf", base64.b64encode(b"MZ not a pdf").decode()
            )
        self.assertEqual(draft.document_version_ids, versions)
