"""The clocks the regulations set: the applicant's correction period (its end, reminders,
the lapse and the new application started from a lapsed one), the deadline of the whole
file and the files at risk, and service standards in calendar days."""

from datetime import datetime

from freezegun import freeze_time
from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import HAPPY_PATH, PDF, KiCase

# The office calendar is Asia/Jakarta (UTC+7); Christmas and 1 January are holidays.
FRIDAY_1555 = "2026-12-11 08:55:00"  # Friday 11 December 2026, 15:55 WIB
REMINDER_SUBJECT = "the correction period ends soon"


def utc(text):
    return datetime.fromisoformat(text)


class KiClockCase(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "ki_correction_days": 14,
                "ki_correction_unit": "calendar_days",
                "ki_correction_reminders": "3,1",
            }
        )
        cls.Permohonan = cls.env["ki.permohonan"]
        cls.Step = cls.env["ki.permohonan.step"]
        # what the demo data left open is not these tests' business
        cls.Step.search([("date_end", "=", False)]).write({"escalated_date": "2026-01-01"})
        cls.Permohonan.search([]).write({"file_escalated_date": "2026-01-01"})

    @classmethod
    def _returned_at(cls, moment):
        """A file with one document refused by the verifier, returned at `moment`."""
        permohonan = cls._file_in("verification")
        kkpr = cls.env.ref("kawasan_industri_verif.document_type_kkpr")
        document = permohonan.document_ids.filtered(lambda d: d.document_type_id == kkpr)
        document.with_user(cls.verifier).action_mark_invalid(note="KKPR kedaluwarsa")
        with freeze_time(moment):
            cls._act(permohonan, "action_return_to_applicant", "verifier")
        return permohonan

    def _run_cron(self, moment):
        with freeze_time(moment):
            self.Permohonan._cron_correction_periods()

    def _reminders(self, permohonan):
        return permohonan.message_ids.filtered(lambda m: REMINDER_SUBJECT in (m.subject or ""))


@tagged("post_install", "-at_install")
class TestCorrectionPeriod(KiClockCase):
    def test_calendar_days_lapse_at_the_right_moment(self):
        permohonan = self._returned_at(FRIDAY_1555)
        returned = permohonan.current_step_id
        # 14 calendar days: Friday 25 December 15:55 WIB, a holiday or not
        self.assertEqual(returned.deadline, utc("2026-12-25 08:55:00"))
        self.assertEqual(permohonan.correction_deadline, returned.deadline)
        self.assertFalse(returned.sla_minutes, "the applicant's time is no service standard")
        self._run_cron("2026-12-25 08:54:00")
        self.assertEqual(permohonan.state, "returned")
        self._run_cron("2026-12-25 08:55:00")
        self.assertEqual(permohonan.state, "lapsed")
        self.assertEqual(returned.outcome, "lapsed")
        self.assertEqual(returned.date_end, utc("2026-12-25 08:55:00"))
        self.assertIn("25/12/2026 15:55 WIB", returned.note)
        self.assertTrue(returned.chain_hash, "the step record is sealed like any other")
        self.assertFalse(permohonan.current_step_id)
        lapsed_mail = permohonan.message_ids.filtered(
            lambda m: m.subject == f"Application {permohonan.name} has lapsed"
        )
        self.assertTrue(lapsed_mail, "the applicant is told")
        self.assertIn(self.applicant.partner_id, lapsed_mail.notified_partner_ids)
        self.assertIn("15.55 WIB", lapsed_mail.body)

    def test_working_days_lapse_at_the_right_moment(self):
        self.env.company.ki_correction_unit = "working_days"
        permohonan = self._returned_at(FRIDAY_1555)
        # 5 minutes on Friday, then 14 working days without the weekends, Christmas and
        # New Year's Day: Monday 4 January 2027, 15:55 WIB
        self.assertEqual(permohonan.correction_deadline, utc("2027-01-04 08:55:00"))
        self._run_cron("2026-12-25 09:00:00")
        self.assertEqual(permohonan.state, "returned")
        # the 3-working-day reminder: Tuesday 29 December 15:55 (Wednesday, Thursday, Monday)
        self._run_cron("2026-12-29 08:54:00")
        self.assertFalse(self._reminders(permohonan))
        self._run_cron("2026-12-29 08:56:00")
        self.assertEqual(len(self._reminders(permohonan)), 1)
        self._run_cron("2027-01-04 08:54:00")
        self.assertEqual(permohonan.state, "returned")
        self._run_cron("2027-01-04 08:56:00")
        self.assertEqual(permohonan.state, "lapsed")

    def test_reminders_fire_once_each(self):
        permohonan = self._returned_at(FRIDAY_1555)
        returned = permohonan.current_step_id
        self._run_cron("2026-12-22 08:00:00")  # before 3 days before the end
        self.assertFalse(self._reminders(permohonan))
        self._run_cron("2026-12-22 09:00:00")
        first = self._reminders(permohonan)
        self.assertEqual(len(first), 1)
        self.assertIn(self.applicant.partner_id, first.notified_partner_ids)
        self.assertIn("25 Desember 2026, 15.55 WIB", first.body)
        self.assertIn("KKPR kedaluwarsa", first.body, "and what to fix")
        self._run_cron("2026-12-22 09:05:00")
        self._run_cron("2026-12-23 09:00:00")
        self.assertEqual(len(self._reminders(permohonan)), 1, "sent once")
        self._run_cron("2026-12-24 09:00:00")  # 1 day before
        self.assertEqual(len(self._reminders(permohonan)), 2)
        self._run_cron("2026-12-24 10:00:00")
        self.assertEqual(len(self._reminders(permohonan)), 2, "sent once")
        self.assertEqual(returned.ki_reminders_sent, "1,3")

    def test_late_reminders_come_as_one_mail(self):
        permohonan = self._returned_at(FRIDAY_1555)
        self._run_cron("2026-12-24 09:00:00")  # the cron did not run for two days
        self.assertEqual(len(self._reminders(permohonan)), 1)
        self._run_cron("2026-12-24 10:00:00")
        self.assertEqual(len(self._reminders(permohonan)), 1)

    def test_a_resubmission_in_time_stops_the_clock(self):
        permohonan = self._returned_at(FRIDAY_1555)
        self._run_cron("2026-12-22 09:00:00")
        self.assertEqual(len(self._reminders(permohonan)), 1)
        kkpr = self.env.ref("kawasan_industri_verif.document_type_kkpr")
        with freeze_time("2026-12-24 08:00:00"):
            permohonan.with_user(self.applicant).action_upload_document(kkpr.id, "kkpr.pdf", PDF)
            self._act(permohonan, "action_submit", "applicant")
        self._run_cron("2026-12-24 09:00:00")
        self._run_cron("2026-12-26 00:00:00")
        self.assertEqual(permohonan.state, "verification")
        self.assertEqual(len(self._reminders(permohonan)), 1, "no reminder after it came back")

    def test_a_lapsed_file_refuses_resubmission(self):
        permohonan = self._returned_at(FRIDAY_1555)
        # past the end, before the scheduled action: refused already
        with freeze_time("2026-12-25 08:56:00"), self.assertRaisesRegex(UserError, "ended on"):
            self._act(permohonan, "action_submit", "applicant")
        self.assertEqual(permohonan.state, "returned")
        self._run_cron("2026-12-25 09:00:00")
        self.assertEqual(permohonan.state, "lapsed")
        with freeze_time("2026-12-26 00:00:00"), self.assertRaisesRegex(UserError, "Lapsed"):
            self._act(permohonan, "action_submit", "applicant")
        self.assertEqual(permohonan.state, "lapsed")
        with self.assertRaises(AccessError):
            permohonan.with_user(self.applicant).write({"estate_name": "Diubah"})
        with self.assertRaises(AccessError):
            permohonan.with_user(self.applicant).action_upload_document(
                self.doc_types[0].id, "x.pdf", PDF
            )

    def test_only_the_scheduled_action_lapses_and_only_at_the_end(self):
        permohonan = self._returned_at(FRIDAY_1555)
        self.assertNotIn("action_lapse", permohonan.with_user(self.ki_admin).allowed_actions)
        for user in (self.applicant, self.verifier, self.ki_admin, self.kadis):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                permohonan.with_user(user).action_lapse()
        with freeze_time("2026-12-20 00:00:00"), self.assertRaisesRegex(UserError, "not ended"):
            permohonan.sudo().action_lapse()
        self.assertEqual(permohonan.state, "returned")

    def test_the_copy_starts_as_a_draft_with_the_same_documents(self):
        permohonan = self._returned_at(FRIDAY_1555)
        self._run_cron("2026-12-25 09:00:00")
        old_documents = permohonan.sudo().document_ids
        refused = old_documents.filtered(lambda d: d.status == "invalid")
        self.assertEqual(len(refused), 1)
        with self.assertRaises(AccessError):
            permohonan.with_user(self.other_applicant).action_reapply()
        with self.assertRaises(AccessError):
            permohonan.with_user(self.verifier).action_reapply()

        copy = permohonan.with_user(self.applicant).action_reapply()
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.name)
        self.assertEqual(copy.origin_id, permohonan)
        self.assertEqual(copy.partner_id, permohonan.partner_id)
        for fname in ("nib", "npwp", "estate_name", "province_id", "area_ha", "share_green"):
            self.assertEqual(copy[fname], permohonan[fname], fname)
        copied = copy.sudo().document_ids
        kept = old_documents - refused
        self.assertEqual(copied.document_type_id, kept.document_type_id)
        self.assertEqual(sorted(copied.mapped("sha256")), sorted(kept.mapped("sha256")))
        self.assertFalse(copied.attachment_id & old_documents.attachment_id, "new attachments")
        self.assertTrue(all(copied.attachment_id.mapped("ki_frozen")))
        self.assertEqual(set(copied.mapped("version")), {1})
        self.assertEqual(set(copied.mapped("status")), {"pending"})
        self.assertEqual(copied.attachment_id.mapped("res_id"), [copy.id] * len(copied))
        self.assertEqual(
            old_documents.attachment_id.mapped("res_id"), [permohonan.id] * len(old_documents)
        )
        # the refused document is to be uploaded again before the copy can go
        problems = copy._submit_problems()
        self.assertEqual(list(problems), [f"document_{refused.document_type_id.id}"])
        with self.assertRaisesRegex(UserError, "already started"):
            permohonan.with_user(self.applicant).action_reapply()
        copy.with_user(self.applicant).action_upload_document(
            refused.document_type_id.id, "kkpr-baru.pdf", PDF
        )
        self._act(copy, "action_submit", "applicant")
        self.assertEqual(copy.state, "submitted")
        self.assertNotEqual(copy.name, permohonan.name)
        self.assertEqual(permohonan.state, "lapsed", "the lapsed file stays as it was")

    def test_only_a_lapsed_file_is_started_again(self):
        permohonan = self._returned_at(FRIDAY_1555)
        with self.assertRaisesRegex(UserError, "lapsed"):
            permohonan.with_user(self.applicant).action_reapply()


@tagged("post_install", "-at_install")
class TestFileDeadline(KiClockCase):
    def _walk_at(self, permohonan, moment, path):
        with freeze_time(moment):
            self._walk(permohonan, path)
        return permohonan

    def test_the_sum_of_the_standards_from_the_submission(self):
        calendar = self.env.company._ki_calendar()
        standard = self.Permohonan._file_standard_minutes(calendar)
        self.assertEqual(standard, 2 * 8.5 * 60 + 680, "2 working days and 680 minutes")
        permohonan = self._walk_at(self._new_file(), "2026-12-07 01:00:00", HAPPY_PATH[:1])
        # Monday 08:00 + 1700 working minutes = Thursday 10:50 WIB
        self.assertEqual(permohonan.file_deadline, utc("2026-12-10 03:50:00"))
        self.assertEqual(permohonan.file_deadline_label, "10/12/2026 10:50 WIB")

    def test_the_file_deadline_excludes_the_returned_interval(self):
        permohonan = self._walk_at(self._new_file(), "2026-12-07 01:00:00", HAPPY_PATH[:4])
        self.assertEqual(permohonan.file_deadline, utc("2026-12-10 03:50:00"))
        with freeze_time("2026-12-07 02:00:00"):  # one working hour in verification
            self._act(permohonan, "action_return_to_applicant", "verifier")
        self.assertEqual(permohonan.file_deadline_label, "paused while with the applicant")
        self.assertFalse(permohonan.file_status)
        with freeze_time("2026-12-09 02:00:00"):
            self.assertFalse(
                self.Permohonan.search([("id", "=", permohonan.id), ("file_at_risk", "=", True)])
            )
        with freeze_time("2026-12-14 01:00:00"):  # a week later, Monday 08:00
            self._act(permohonan, "action_submit", "applicant")
        # 1640 working minutes were left: Monday 08:00 + 1640 = Thursday 09:50 WIB; the
        # returned week does not count
        self.assertEqual(permohonan.file_deadline, utc("2026-12-17 02:50:00"))

    def test_files_at_risk(self):
        on_pace = self._walk_at(self._new_file(), "2026-12-07 01:00:00", HAPPY_PATH[:2])
        late_receipt = self._walk_at(self._new_file(), "2026-12-07 01:00:00", HAPPY_PATH[:1])
        self._walk_at(late_receipt, "2026-12-07 03:30:00", HAPPY_PATH[1:2])  # 150 min, not 60

        def at_risk(moment):
            with freeze_time(moment):
                files = self.Permohonan.with_user(self.kadis).search(
                    [("file_at_risk", "=", True), ("id", "in", (on_pace | late_receipt).ids)]
                )
                return files

        # the Head of Office's 10 minutes were due at 08:10, but the Secretariat's unused
        # hour leaves room: at risk only once the rest no longer fits, after 09:10
        self.assertFalse(at_risk("2026-12-07 02:05:00"))
        self.assertEqual(at_risk("2026-12-07 02:15:00"), on_pace)
        # received 90 minutes late: at risk from that moment
        self.assertEqual(at_risk("2026-12-07 03:30:00"), on_pace | late_receipt)
        with freeze_time("2026-12-07 03:30:00"):
            late_receipt.invalidate_recordset()
            self.assertEqual(late_receipt.with_user(self.kadis).file_status, "risk")
            # 1700 - 150 minutes left; the Head of Office's 10 and 1630 after it to do
            self.assertEqual(late_receipt.file_time_left, "3 working day(s) 20 min")
            self.assertEqual(late_receipt.file_work_left, "3 working day(s) 1 h")
        action = self.env.ref("kawasan_industri_verif.ki_permohonan_action_risk")
        self.assertEqual(action.domain, "[('file_at_risk', '=', True)]")

    def test_escalates_once_past_the_file_deadline(self):
        self.env.company.ki_kadis_user_id = self.kadis
        self.kadis.email = "kadis@disperin.test"
        permohonan = self._walk_at(self._new_file(), "2026-12-07 01:00:00", HAPPY_PATH[:4])
        on_time = self._walk_at(self._new_file(), "2026-12-09 01:00:00", HAPPY_PATH[:4])
        mails_before = self.env["mail.mail"].search([])
        with freeze_time("2026-12-10 03:49:00"):
            self.Step._cron_check_sla()
        self.assertFalse(permohonan.sudo().file_escalated_date)
        with freeze_time("2026-12-10 04:00:00"):
            self.Step._cron_check_sla()
            self.assertEqual(permohonan.with_user(self.kadis).file_status, "late")
        notes = permohonan.message_ids.filtered(lambda m: "estimated completion" in m.body)
        self.assertEqual(len(notes), 1)
        self.assertIn("10/12/2026 10:50 WIB", notes.body)
        self.assertIn(self.kadis.name, notes.body)
        mails = (self.env["mail.mail"].search([]) - mails_before).filtered(
            lambda m: "estimated completion" in (m.subject or "")
        )
        self.assertEqual(mails.recipient_ids, self.kadis.partner_id)
        self.assertIn(permohonan.name, str(mails.body_html))
        self.assertNotIn(on_time.name, str(mails.body_html))
        with freeze_time("2026-12-11 04:00:00"):
            self.Step._cron_check_sla()
        notes = permohonan.message_ids.filtered(lambda m: "estimated completion" in m.body)
        self.assertEqual(len(notes), 1, "escalated once")

    def test_the_clock_fields_change_only_through_the_workflow(self):
        permohonan = self._file_in("submitted")
        for user, vals in (
            (self.sekretariat, {"file_deadline": "2030-01-01 00:00:00"}),
            (self.kadis, {"file_risk_date": "2030-01-01 00:00:00"}),
            (self.applicant, {"origin_id": permohonan.id}),
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                permohonan.with_user(user).write(vals)


@tagged("post_install", "-at_install")
class TestCalendarDays(KiClockCase):
    def test_a_step_in_calendar_days(self):
        sop_step = self.env.ref("kawasan_industri_verif.sop_step_kabid_review")
        verification = self.env.ref("kawasan_industri_verif.sop_step_verification")
        self.assertEqual(verification.sla_label, "2 working day(s)", "days are working days")
        sop_step.write({"sla_amount": 1, "sla_unit": "calendar_days"})
        self.assertEqual(sop_step.sla_label, "1 calendar day(s)")
        permohonan = self._file_in("verification")
        with freeze_time("2026-12-04 08:55:00"):  # Friday 15:55 WIB
            self._act(permohonan, "action_submit_draft", "verifier")
        step = permohonan.current_step_id
        self.assertEqual(step.deadline, utc("2026-12-05 08:55:00"), "Saturday 15:55")
        self.assertEqual(step.sla_minutes, 5, "the working time it spans")
        translated = sop_step.with_context(lang=self.env.company._ki_lang())
        if translated.env.lang == "id_ID":
            self.assertEqual(translated.sla_label, "1 hari kalender")


@tagged("post_install", "-at_install")
class TestCorrectionPortal(HttpCase, KiClockCase):
    def _post(self, url):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self)})

    def test_the_applicant_sees_the_end_of_the_correction_period(self):
        permohonan = self._returned_at(FRIDAY_1555)
        self.authenticate(self.applicant.login, self.applicant.login)
        page = self.url_open(permohonan.access_url).text
        self.assertRegex(
            page,
            r'id="ki_correction_deadline"[^>]*>[^<]*<strong><span[^>]*>'
            r"[^<]*15:55(:00)? WIB<",
        )
        self.assertIn("14 calendar day(s)", page)
        self.assertIn("Paused while the application is with you for correction", page)
        form = self.url_open(f"{permohonan.access_url}/edit").text
        self.assertIn('id="ki_correction_deadline"', form)

    def test_a_lapsed_application_is_started_again_from_the_portal(self):
        permohonan = self._returned_at(FRIDAY_1555)
        self._run_cron("2026-12-25 09:00:00")
        self.authenticate(None, None)
        status = self.url_open(
            "/permohonan/status",
            data={
                "number": permohonan.name,
                "code": permohonan.lookup_code,
                "csrf_token": http.Request.csrf_token(self),
            },
        ).text
        self.assertRegex(status, r"Lapsed On</dt>\s*<dd[^>]*>[^<]*2026 16:00(:00)? WIB<")
        self.authenticate(self.other_applicant.login, self.other_applicant.login)
        with mute_logger("odoo.http"):
            self.assertEqual(self._post(f"{permohonan.access_url}/reapply").status_code, 404)
        self.assertFalse(permohonan.renewal_ids)
        self.authenticate(self.applicant.login, self.applicant.login)
        page = self.url_open(permohonan.access_url).text
        self.assertIn('id="ki_lapsed"', page)
        self.assertIn('id="ki_reapply"', page)
        self.assertNotIn('id="ki_edit"', page)
        closed = self.url_open("/my/permohonan?filterby=closed").text
        self.assertIn(permohonan.access_url, closed)
        in_progress = self.url_open("/my/permohonan?filterby=open").text
        self.assertNotIn(f'href="{permohonan.access_url}"', in_progress)
        response = self._post(f"{permohonan.access_url}/reapply")
        copy = permohonan.renewal_ids
        self.assertEqual(len(copy), 1)
        self.assertEqual(
            response.url.split("/my/")[-1], f"permohonan/{copy.id}/edit?message=copied"
        )
        self.assertIn("A new application was started from the lapsed one", response.text)
        page = self.url_open(permohonan.access_url).text
        self.assertIn('id="ki_renewal"', page)
        self.assertNotIn('id="ki_reapply"', page)
