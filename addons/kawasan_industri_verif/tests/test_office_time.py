"""Times people read are in the office's zone and say which (WIB), whatever the browser or the
user's preference says: the status page, the portal, the receipt, a mail and the SLA
report's period, for an anonymous visitor and for a portal user whose time zone is UTC."""

import re
from datetime import date

from freezegun import freeze_time
from odoo import http
from odoo.tests import HttpCase, tagged

from .common import KiCase

# 23:27 UTC on 1 December is 06:27 WIB on 2 December (the example)
SUBMITTED = "2026-12-01 23:27:00"
WIB_0627 = re.compile(r"06[:.]27(?::00)? WIB")
RECEIPT = "kawasan_industri_verif.action_report_ki_receipt"


@tagged("post_install", "-at_install")
class TestOfficeTime(HttpCase, KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.applicant | cls.verifier | cls.kadis).write({"tz": "UTC"})
        with freeze_time(SUBMITTED):
            cls.permohonan = cls._file_in("submitted")

    def _status_page(self):
        data = {
            "number": self.permohonan.name,
            "code": self.permohonan.lookup_code,
            "csrf_token": http.Request.csrf_token(self),
        }
        response = self.url_open("/permohonan/status", data=data)
        self.assertEqual(response.status_code, 200)
        return response.text

    def assertOfficeTime(self, text):
        self.assertRegex(text, WIB_0627)
        self.assertNotRegex(text, r"23[:.]27", "not in UTC")

    def test_status_page_for_an_anonymous_visitor(self):
        self.authenticate(None, None)
        page = self._status_page()
        self.assertOfficeTime(page)
        completion = self.env.company._ki_local(self.permohonan.file_deadline)
        self.assertIn(completion.strftime("%H:%M:%S WIB"), page, "the estimated completion")

    def test_status_page_for_a_portal_user_in_utc(self):
        self.authenticate(self.applicant.login, self.applicant.login)
        self.assertOfficeTime(self._status_page())

    def test_portal_page_for_a_portal_user_in_utc_and_a_token_holder(self):
        self.authenticate(self.applicant.login, self.applicant.login)
        page = self.url_open(self.permohonan.access_url).text
        self.assertOfficeTime(page)
        self.assertRegex(page, r'id="ki_file_deadline">\s*<span[^>]*>[^<]+ WIB<')
        self.authenticate(None, None)
        token = self.permohonan.sudo()._portal_ensure_token()
        page = self.url_open(f"{self.permohonan.access_url}?access_token={token}").text
        self.assertOfficeTime(page)

    def test_receipt_for_a_portal_user_in_utc(self):
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.applicant)
            ._render_qweb_html(RECEIPT, self.permohonan.ids)
        )
        html = html.decode()
        self.assertOfficeTime(html)
        completion = self.env.company._ki_local(self.permohonan.file_deadline)
        self.assertIn(completion.strftime("%H.%M WIB"), html, "the estimated completion")

    def test_return_mail_for_a_portal_user_in_utc(self):
        permohonan = self._file_in("verification")
        with freeze_time("2026-12-04 08:55:00"):  # Friday 15:55 WIB
            self._act(permohonan, "action_return_to_applicant", "verifier")
        mail = permohonan.message_ids.filtered(
            lambda m: m.subject == f"Application {permohonan.name} needs corrections"
        )
        self.assertIn(self.applicant.partner_id, mail.notified_partner_ids)
        # 14 calendar days later, in the office's zone and language
        self.assertIn("18 Desember 2026, 15.55 WIB", mail.body)
        self.assertNotIn("08.55", mail.body)

    def test_backend_notes_say_the_zone(self):
        note = self.permohonan.message_ids.filtered(lambda m: "Now with" in (m.body or ""))
        # submitted at 06:27 WIB, before office hours: the Secretariat's hour ends at 08:30
        self.assertIn("02/12/2026 08:30 WIB", note.body)

    def test_the_browser_writes_office_time_on_the_portal(self):
        self.start_tour(self.permohonan.access_url, "ki_portal_office_time", login="t_pemohon")

    def test_sla_report_period_in_office_days(self):
        with freeze_time("2026-11-30 18:00:00"):  # 1 December, 01:00 WIB
            report = self.env["ki.sla.report"].with_user(self.kadis).create({})
        self.assertEqual(report.date_from, date(2026, 12, 1))
        self.assertEqual(report.date_to, date(2026, 12, 1))
