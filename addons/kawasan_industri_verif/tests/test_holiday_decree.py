"""The year's holidays from the joint decree (SKB) as the administrator downloads it: a
preview, bad lines refused, the days imported once; and the December warning while next
year has none loaded."""

import base64
import io
from datetime import datetime

from freezegun import freeze_time
from odoo.exceptions import UserError
from odoo.tests import tagged
from reportlab.pdfgen import canvas

from ..models.res_company_clock import PARAM_HOLIDAY_WARNING
from .common import KiCase

DECREE = """KEPUTUSAN BERSAMA MENTERI AGAMA, MENTERI KETENAGAKERJAAN, DAN
MENTERI PENDAYAGUNAAN APARATUR NEGARA DAN REFORMASI BIROKRASI
TENTANG HARI LIBUR NASIONAL DAN CUTI BERSAMA TAHUN 2027

I. HARI LIBUR NASIONAL
No  Tanggal            Hari          Keterangan
1   1 Januari 2027     Jumat         Tahun Baru 2027 Masehi
2   6 Februari 2027    Sabtu         Tahun Baru Imlek 2578 Kongzili
3   9-10 Maret 2027    Selasa-Rabu   Hari Raya Idul Fitri 1448 Hijriah
4   26 Maret 2027      Jumat         Wafat Yesus Kristus

II. CUTI BERSAMA
1   8 Maret 2027       Senin         Idul Fitri 1448 Hijriah
2   11 s.d. 12 Maret 2027 | Kamis s.d. Jumat | Cuti Bersama Idul Fitri 1448 Hijriah
"""
BAD_LINES = """II. CUTI BERSAMA
1   17 Agustus 2027    Senin         Hari Kemerdekaan
2   30 Februari 2027   Selasa        Hari yang tidak ada
3   5 Mai 2027         Rabu          Bulan salah eja
4   1 Januari 2026     Kamis         Tahun lain
5   25 Desember 2027   Sabtu
"""


def pdf_of(text):
    """A PDF whose text is `text`, one line per line, as a published decree is."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    y = 800
    for line in text.splitlines():
        page.drawString(40, y, line)
        y -= 14
    page.save()
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestHolidayDecree(KiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.ref("kawasan_industri_verif.resource_calendar_dinas")
        cls.Leaves = cls.env["resource.calendar.leaves"]

    def _wizard(self, content, year=2027):
        data = content if isinstance(content, bytes) else content.encode()
        return (
            self.env["ki.holiday.decree.wizard"]
            .with_user(self.ki_admin)
            .create({"calendar_id": self.calendar.id, "year": year, "file": base64.b64encode(data)})
        )

    def _leaves_2027(self):
        return self.Leaves.search(
            [
                ("calendar_id", "=", self.calendar.id),
                ("date_from", ">=", "2026-12-31 17:00:00"),
                ("date_from", "<", "2027-12-31 17:00:00"),
            ]
        )

    def _check_preview(self, wizard):
        wizard.action_preview()
        lines = {line.date_from.isoformat(): line for line in wizard.line_ids}
        self.assertEqual(
            sorted(lines),
            ["2027-01-01", "2027-02-06", "2027-03-08", "2027-03-09", "2027-03-11", "2027-03-26"],
        )
        self.assertEqual(lines["2027-01-01"].status, "existing", "shipped with the addon")
        self.assertEqual(lines["2027-03-09"].date_to.isoformat(), "2027-03-10")
        self.assertEqual(lines["2027-03-09"].name, "Hari Raya Idul Fitri 1448 Hijriah")
        self.assertEqual(lines["2027-03-09"].kind, "holiday")
        self.assertEqual(lines["2027-03-08"].kind, "cuti_bersama")
        self.assertEqual(lines["2027-03-08"].name, "Cuti Bersama Idul Fitri 1448 Hijriah")
        self.assertEqual(lines["2027-03-11"].date_to.isoformat(), "2027-03-12")
        self.assertEqual(lines["2027-03-11"].name, "Cuti Bersama Idul Fitri 1448 Hijriah")
        self.assertFalse(wizard.refused_count)
        self.assertEqual(wizard.new_count, 5)

    def test_preview_then_import(self):
        before = self._leaves_2027()
        wizard = self._wizard(DECREE)
        with self.assertRaisesRegex(UserError, "Preview"):
            wizard.action_import()
        self._check_preview(wizard)
        self.assertEqual(self._leaves_2027(), before, "the preview imports nothing")
        wizard.action_import()
        added = self._leaves_2027() - before
        self.assertEqual(len(added), 7, "one whole day each: 6 February, 8 to 12 and 26 March")
        idul_fitri = added.filtered(lambda leave: leave.name.startswith("Hari Raya"))
        self.assertEqual(
            sorted(idul_fitri.mapped("date_from")),
            [datetime(2027, 3, 8, 17), datetime(2027, 3, 9, 17)],
        )
        # Friday 5 March 15:55 + 10 working minutes: Monday to Friday are off, so Monday 15
        self.assertEqual(
            self.calendar._ki_deadline(datetime(2027, 3, 5, 8, 55), 10),
            datetime(2027, 3, 15, 0, 35),
        )
        again = self._wizard(DECREE)
        again.action_preview()
        self.assertEqual(set(again.line_ids.mapped("status")), {"existing"})
        again.action_import()
        self.assertEqual(self._leaves_2027() - before, added, "nothing twice")

    def test_the_decree_as_a_pdf(self):
        wizard = self._wizard(pdf_of(DECREE))
        self._check_preview(wizard)

    def test_bad_lines_are_refused(self):
        before = self._leaves_2027()
        wizard = self._wizard(DECREE + BAD_LINES)
        wizard.action_preview()
        refused = wizard.line_ids.filtered(lambda line: line.status == "refused")
        self.assertEqual(
            refused.mapped("reason"),
            [
                "17/08/2027 is not a Senin: check the date.",
                "This day does not exist.",
                "Mai is not a month.",
                "The date is not in 2027, the year imported.",
                "The line gives no name for the day.",
            ],
        )
        self.assertEqual(refused[0].text, "1   17 Agustus 2027    Senin         Hari Kemerdekaan")
        with self.assertRaisesRegex(UserError, "Line 16: 17/08/2027 is not a Senin"):
            wizard.action_import()
        self.assertEqual(self._leaves_2027(), before, "nothing imported while a line is refused")

    def test_a_file_that_is_no_decree(self):
        with self.assertRaisesRegex(UserError, "No holiday found"):
            self._wizard("Selamat datang\nTidak ada tanggal di sini\n").action_preview()
        with self.assertRaisesRegex(UserError, "UTF-8"):
            self._wizard(b"\xff\xfe\x00bad").action_preview()

    def test_december_warning_while_next_year_is_not_loaded(self):
        company = self.env.company
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PARAM_HOLIDAY_WARNING, False)
        with freeze_time("2026-11-20 03:00:00"):
            self.assertFalse(company._ki_holiday_warning(), "not before December")
        Message = self.env["mail.message"]
        with freeze_time("2026-12-05 03:00:00"):
            self.assertIn("2027", company._ki_holiday_warning(), "the fixed days are not enough")
            settings = self.env["res.config.settings"].create({})
            self.assertIn("2027", settings.ki_holiday_warning)
            company._ki_cron_holiday_warning()
            warnings = Message.search([("subject", "=", "Holidays of 2027 not loaded")])
            self.assertIn(self.ki_admin.partner_id, warnings.partner_ids)
            company._ki_cron_holiday_warning()
            self.assertEqual(
                Message.search([("subject", "=", "Holidays of 2027 not loaded")]), warnings
            )
            wizard = self._wizard(DECREE)
            wizard.action_preview()
            wizard.action_import()
            self.assertFalse(company._ki_holiday_warning())
