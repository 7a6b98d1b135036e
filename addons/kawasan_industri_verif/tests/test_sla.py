import base64
from datetime import datetime

from freezegun import freeze_time
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import HAPPY_PATH, KiCase

# The office calendar is Asia/Jakarta (UTC+7): 07:30 local is 00:30 UTC, 16:00 is 09:00 UTC.
FRIDAY_1555 = "2026-12-04 08:55:00"  # Friday 15:55 in Jakarta
MONDAY_0735 = datetime(2026, 12, 7, 0, 35)  # Monday 07:35 in Jakarta


def utc(text):
    return datetime.fromisoformat(text)


class TestDeadlines(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.ref("kawasan_industri_verif.resource_calendar_dinas")

    def test_ten_minutes_across_the_weekend(self):
        permohonan = self._file_in("submitted")
        with freeze_time(FRIDAY_1555):
            self._act(permohonan, "action_receive", "sekretariat")
        step = permohonan.current_step_id
        self.assertEqual(step.state, "kadis_disposition")
        self.assertEqual(step.sla_minutes, 10)
        self.assertEqual(step.deadline, MONDAY_0735)

    def test_an_hour_across_the_end_of_the_day(self):
        # Thursday 15:30 in Jakarta + 60 working minutes = Friday 08:00
        deadline = self.calendar._ki_deadline(utc("2026-12-03 08:30:00"), 60)
        self.assertEqual(deadline, utc("2026-12-04 01:00:00"))

    def test_two_working_days_skip_a_holiday(self):
        # Christmas (Friday 25 December) is a holiday of the shipped calendar:
        # Wednesday 10:00 + 2 working days (17 h) = Monday 10:00, not Friday 10:00
        start = utc("2026-12-23 03:00:00")
        self.assertEqual(self.calendar._ki_deadline(start, 2 * 8.5 * 60), utc("2026-12-28 03:00"))
        permohonan = self._file_in("kabid_disposition")
        with freeze_time(start):
            self._act(permohonan, "action_dispose_to_team", "kabid")
        self.assertEqual(permohonan.current_step_id.sla_minutes, 1020)
        self.assertEqual(permohonan.current_step_id.deadline, utc("2026-12-28 03:00"))

    def test_clock_paused_while_returned_then_full_standard_again(self):
        permohonan = self._file_in("kabid_disposition")
        with freeze_time("2026-12-07 01:30:00"):  # Monday 08:30
            self._act(permohonan, "action_dispose_to_team", "kabid")
        with freeze_time("2026-12-07 02:30:00"):  # one working hour later
            self._act(permohonan, "action_return_to_applicant", "verifier")
        returned = permohonan.current_step_id
        self.assertEqual(returned.state, "returned")
        self.assertFalse(returned.deadline, "no deadline while the applicant holds the file")
        verification = permohonan.step_ids.filtered(lambda s: s.state == "verification")
        self.assertEqual(verification.worked_minutes, 60)
        with freeze_time("2026-12-14 01:30:00"):  # a week later, Monday 08:30
            self._act(permohonan, "action_submit", "applicant")
        step = permohonan.current_step_id
        self.assertEqual(step.sla_minutes, 1020)
        self.assertEqual(step.deadline, utc("2026-12-16 01:30:00"))  # Wednesday 08:30

    def test_only_what_was_left_when_the_office_chooses_so(self):
        self.env.company.ki_resume_mode = "remaining"
        permohonan = self._file_in("kabid_disposition")
        with freeze_time("2026-12-07 01:30:00"):
            self._act(permohonan, "action_dispose_to_team", "kabid")
        with freeze_time("2026-12-07 02:30:00"):
            self._act(permohonan, "action_return_to_applicant", "verifier")
        with freeze_time("2026-12-14 01:30:00"):
            self._act(permohonan, "action_submit", "applicant")
        step = permohonan.current_step_id
        self.assertEqual(step.sla_minutes, 960)  # 17 h less the hour already used
        # Monday 08:30 + 16 working hours = Tuesday 16:00 (7.5 h) + Wednesday 07:30 + 1 h
        # Monday 08:30 + 16 working hours = Tuesday 16:00 (7.5 h on Monday, 8.5 on Tuesday)
        self.assertEqual(step.deadline, utc("2026-12-15 09:00:00"))

    def test_worked_minutes_and_lateness_on_close(self):
        permohonan = self._file_in("submitted")
        with freeze_time(FRIDAY_1555):
            self._act(permohonan, "action_receive", "sekretariat")
        with freeze_time("2026-12-07 00:40:00"):  # Monday 07:40
            self._act(permohonan, "action_dispose_to_kabid", "kadis")
        step = permohonan.step_ids.filtered(lambda s: s.state == "kadis_disposition")
        self.assertEqual(step.worked_minutes, 15, "5 minutes on Friday, 10 on Monday")
        self.assertTrue(step.is_late, "07:40 is after the 07:35 deadline")
        self.assertEqual(step.on_time_pct, 0)

    def test_time_left_green_amber_red(self):
        permohonan = self._file_in("submitted")
        with freeze_time("2026-12-07 02:00:00"):  # Monday 09:00
            self._act(permohonan, "action_receive", "sekretariat")
        for moment, status, label in [
            ("2026-12-07 02:02:00", "ok", "8 min left"),
            ("2026-12-07 02:09:00", "warning", "1 min left"),
            ("2026-12-07 04:10:00", "late", "2 h late"),
        ]:
            with self.subTest(moment=moment), freeze_time(moment):
                permohonan.invalidate_recordset(["sla_status", "sla_label"])
                self.assertEqual(permohonan.sla_status, status)
                self.assertEqual(permohonan.sla_label, label)


class TestActivitiesAndMails(KiCase):
    def test_activities_for_the_people_responsible(self):
        self.env.company.ki_kabid_user_id = self.kabid
        permohonan = self._file_in("submitted")
        activity = permohonan.activity_ids.filtered(lambda a: a.user_id == self.sekretariat)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("kawasan_industri_verif.mail_act_ki_submitted")
        )
        with freeze_time(FRIDAY_1555):
            self._act(permohonan, "action_receive", "sekretariat")
        self.assertFalse(activity.active, "the step's activity is done when the step ends")
        self.assertTrue(activity.date_done)
        kadis_activity = permohonan.activity_ids.filtered(lambda a: a.user_id == self.kadis)
        self.assertEqual(str(kadis_activity.date_deadline), "2026-12-07")
        self._act(permohonan, "action_dispose_to_kabid", "kadis", recipient_ids=self.kabid.ids)
        self.assertEqual(permohonan.activity_ids.user_id, self.kabid)

        other_kabid = self.kabid.copy({"login": "t_kabid_other", "name": "Kabid Lain"})
        permohonan = self._file_in("kabid_review")
        self.assertIn(self.kabid, permohonan.responsible_user_ids)
        self.assertNotIn(other_kabid, permohonan.responsible_user_ids, "settings choose the Kabid")

    def test_no_activity_left_open_on_a_finished_step(self):
        permohonan = self._new_file()
        for action, role, kwargs in HAPPY_PATH:
            self._act(permohonan, action, role, **kwargs)
            open_users = permohonan.activity_ids.user_id
            self.assertEqual(open_users, permohonan.current_step_id.responsible_user_ids, action)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "ki.permohonan"), ("res_id", "=", permohonan.id)]
            )
        )

    def test_cancel_removes_activities(self):
        permohonan = self._file_in("verification")
        self._act(permohonan, "action_cancel", "applicant", reason="Ditarik")
        activities = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("res_model", "=", "ki.permohonan"), ("res_id", "=", permohonan.id)])
        )
        self.assertFalse(activities.filtered(lambda a: a.active))

    def test_hand_over_notifies_the_next_officer(self):
        permohonan = self._file_in("submitted")
        mails_before = self.env["mail.mail"].search([])
        self._act(permohonan, "action_receive", "sekretariat")
        mail = (self.env["mail.mail"].search([]) - mails_before).filtered(
            lambda m: self.kadis.partner_id in m.recipient_ids
        )
        self.assertEqual(len(mail), 1, "the Head of Office gets the file's link and deadline")
        self.assertIn(permohonan.name, mail.subject)
        self.assertIn("deadline", str(mail.body_html))
        # Odoo's own link to the record, in Odoo's notification layout
        self.assertIn(f"/mail/view?model=ki.permohonan&amp;res_id={permohonan.id}", mail.body_html)
        history = permohonan.message_ids.filtered(lambda m: "Now with" in m.body)
        self.assertTrue(history, "and the file's history says so")

    def test_applicant_mails_at_submission_return_and_publication(self):
        permohonan = self._file_in("submitted")
        subjects = permohonan.message_ids.mapped("subject")
        self.assertIn(f"Application {permohonan.name} has been submitted", subjects)
        self._walk(permohonan, HAPPY_PATH[1:4])
        self._act(permohonan, "action_return_to_applicant", "verifier", note="Ganti dokumen KKPR")
        returned = permohonan.message_ids.filtered(
            lambda m: m.subject == f"Application {permohonan.name} needs corrections"
        )
        self.assertIn("Ganti dokumen KKPR", returned.body)
        self.assertIn(self.applicant.partner_id, returned.notified_partner_ids)
        self._act(permohonan, "action_submit", "applicant")
        self._walk(permohonan, HAPPY_PATH[4:8])
        published = permohonan.message_ids.filtered(
            lambda m: (
                m.subject == f"The decision letter for application {permohonan.name} is published"
            )
        )
        self.assertIn(permohonan.letter_number, published.body)


@tagged("is_query_count")
class TestEscalation(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kabid.email = "kabid@disperin.test"
        cls.kadis.email = "kadis@disperin.test"
        cls.env.company.ki_kabid_user_id = cls.kabid
        cls.env.company.ki_kadis_user_id = cls.kadis
        cls.Step = cls.env["ki.permohonan.step"]
        # steps left open by the demo data are not this test's business
        cls.Step.search([("date_end", "=", False)]).write({"escalated_date": "2026-01-01"})

    def _late_files(self, count, state="submitted", name="Kawasan"):
        """`count` files whose step `state` passed its deadline, made directly."""
        files = self.env["ki.permohonan"].create(
            [{"partner_id": self.company.id, "estate_name": f"{name} {i}"} for i in range(count)]
        )
        self.Step.create(
            [
                {
                    "permohonan_id": permohonan.id,
                    "state": state,
                    "date_start": "2026-12-07 01:00:00",
                    "sla_minutes": 60,
                    "deadline": "2026-12-07 02:00:00",
                }
                for permohonan in files
            ]
        )
        return files

    def test_escalates_each_late_step_once(self):
        late = self._file_in("submitted")
        with freeze_time("2026-12-07 01:00:00"):
            on_time = self._file_in("submitted")
        late.current_step_id.sudo().write({"deadline": "2026-12-07 02:00:00"})
        on_time.current_step_id.sudo().write({"deadline": "2026-12-07 05:00:00"})
        mails_before = self.env["mail.mail"].search([])
        with freeze_time("2026-12-07 03:00:00"):
            self.Step._cron_check_sla()
        self.assertTrue(late.current_step_id.is_late)
        self.assertTrue(late.sla_late)
        self.assertTrue(late.current_step_id.escalated_date)
        self.assertFalse(on_time.current_step_id.is_late)
        self.assertIn("is late", late.message_ids[0].body)
        self.assertIn(self.kabid.name, late.message_ids[0].body)
        mails = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.kabid.partner_id)
        self.assertIn(late.name, str(mails.body_html))
        self.assertNotIn(on_time.name, str(mails.body_html))

        messages = len(late.message_ids)
        with freeze_time("2026-12-07 04:00:00"):
            self.Step._cron_check_sla()
        self.assertEqual(len(late.message_ids), messages, "escalated once")
        self.assertEqual(self.env["mail.mail"].search([]) - mails_before, mails)

    def test_superiors_by_role(self):
        secretariat_late = self._late_files(1)
        kabid_late = self._late_files(1, state="kabid_review", name="Koreksi")
        mails_before = self.env["mail.mail"].search([])
        with freeze_time("2026-12-07 03:00:00"):
            self.Step._cron_check_sla()
        mails = self.env["mail.mail"].search([]) - mails_before
        to_kabid = mails.filtered(lambda m: self.kabid.partner_id in m.recipient_ids)
        to_kadis = mails.filtered(lambda m: self.kadis.partner_id in m.recipient_ids)
        self.assertEqual(len(mails), 2)
        self.assertIn(secretariat_late.estate_name, str(to_kabid.body_html))
        self.assertNotIn(kabid_late.estate_name, str(to_kabid.body_html))
        self.assertIn(kabid_late.estate_name, str(to_kadis.body_html))

    def test_query_count_does_not_grow_with_late_steps(self):
        self._late_files(1)
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        with freeze_time("2026-12-07 03:00:00"):
            self.Step._cron_check_sla()
        self.env.flush_all()
        self.env.cr.flush()
        one = self.cr.sql_log_count - before

        files = self._late_files(200)
        self.env.invalidate_all()
        with freeze_time("2026-12-07 03:00:00"), self.assertQueryCount(one):
            self.Step._cron_check_sla()
        self.assertEqual(len(files.step_ids.filtered("is_late")), 200)
        self.assertEqual(len(files.message_ids.filtered(lambda m: "is late" in m.body)), 200)


class TestSlaReportAndHolidays(KiCase):
    def test_report_figures(self):
        permohonan = self._new_file()
        minutes = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
        self.env["ki.permohonan.step"].create(
            [
                {
                    "permohonan_id": permohonan.id,
                    "state": "submitted",
                    "date_start": "2025-11-02 01:00:00",
                    "date_end": "2025-11-02 03:00:00",
                    "user_id": (self.sekretariat if i < 6 else self.kadis).id,
                    "sla_minutes": 60,
                    "worked_minutes": worked,
                    "is_late": worked > 60,
                }
                for i, worked in enumerate(minutes)
            ]
        )
        rows = self.env["ki.sla.report"]._figures(
            datetime(2025, 11, 1).date(), datetime(2025, 11, 30).date()
        )
        total = next(r for r in rows if r["is_total"] and r["state"] == "submitted")
        self.assertEqual(total["count"], 10)
        self.assertAlmostEqual(total["on_time_share"], 60)
        self.assertAlmostEqual(total["avg_minutes"], 55)
        self.assertAlmostEqual(total["p90_minutes"], 91)
        secretariat = next(r for r in rows if r["user_id"] == self.sekretariat.id)
        self.assertEqual(secretariat["count"], 6)
        self.assertAlmostEqual(secretariat["on_time_share"], 100)
        self.assertAlmostEqual(secretariat["avg_minutes"], 35)
        kadis = next(r for r in rows if r["user_id"] == self.kadis.id)
        self.assertAlmostEqual(kadis["on_time_share"], 0)
        self.assertAlmostEqual(kadis["p90_minutes"], 97)
        outside = self.env["ki.sla.report"]._figures(
            datetime(2025, 10, 1).date(), datetime(2025, 10, 31).date()
        )
        self.assertFalse([r for r in outside if r["state"] == "submitted" and r["count"] == 10])

    def test_holiday_import(self):
        calendar = self.env.ref("kawasan_industri_verif.resource_calendar_dinas")
        csv = "tanggal,nama\n2026-03-20,Hari Raya Idul Fitri\n23/03/2026,Cuti Bersama\n"
        wizard = (
            self.env["ki.holiday.import.wizard"]
            .with_user(self.ki_admin)
            .create({"calendar_id": calendar.id, "file": base64.b64encode(csv.encode())})
        )
        wizard.action_import()
        leaves = self.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "=", calendar.id),
                ("name", "in", ("Hari Raya Idul Fitri", "Cuti Bersama")),
            ]
        )
        self.assertEqual(len(leaves), 2)
        self.assertIn(utc("2026-03-19 17:00:00"), leaves.mapped("date_from"))
        wizard.action_import()  # the same days again: nothing added
        self.assertEqual(
            self.env["resource.calendar.leaves"].search_count(
                [("calendar_id", "=", calendar.id), ("name", "=", "Cuti Bersama")]
            ),
            1,
        )
        # Thursday 15:55 + 10 min: 5 on Thursday, then Friday and Monday are the imported
        # days off, so the step ends on Tuesday at 07:35
        self.assertEqual(
            calendar._ki_deadline(utc("2026-03-19 08:55:00"), 10), utc("2026-03-24 00:35:00")
        )

        bad = self.env["ki.holiday.import.wizard"].create(
            {
                "calendar_id": calendar.id,
                "file": base64.b64encode(b"2026-05-14,Kenaikan\nbesok,X\n"),
            }
        )
        with self.assertRaisesRegex(UserError, "Line 2"):
            bad.action_import()
        self.assertFalse(
            self.env["resource.calendar.leaves"].search([("name", "=", "Kenaikan")]),
            "a wrong line refuses the whole file",
        )
