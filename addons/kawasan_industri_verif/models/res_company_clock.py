"""The clocks the regulations set, at the office level: the applicant's correction period
and its reminders, the office's time as people read it (in the calendar's zone, with its
abbreviation: WIB, WITA or WIT), and whether next year's holidays are loaded."""

import re
from datetime import datetime

import pytz
from babel.dates import format_datetime
from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import ValidationError

CORRECTION_UNITS = [("working_days", "Working Days"), ("calendar_days", "Calendar Days")]
DEFAULT_CORRECTION_DAYS = 14
DEFAULT_REMINDER_DAYS = "3,1"
# Shipped with the addon for every year; the moving holidays and cuti bersama of a year come
# from the joint decree (SKB), so a year is loaded once it has a holiday on another day.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (6, 1), (8, 17), (12, 25)}
PARAM_HOLIDAY_WARNING = "kawasan_industri_verif.holiday_warning_year"


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    ki_correction_days = fields.Integer(
        "Correction Period",
        default=DEFAULT_CORRECTION_DAYS,
        help="How long the applicant has to correct and resubmit a returned application; "
        "after it the application is closed as lapsed. The period that PP 28/2025 (which "
        "replaced PP 5/2021) gives an applicant to complete a returned application could not "
        "be verified for this service, so the default is 14 calendar days: set the period "
        "your office's regulation or service standard (maklumat pelayanan) states.",
    )
    ki_correction_unit = fields.Selection(
        CORRECTION_UNITS,
        "Correction Period Unit",
        default="calendar_days",
        required=True,
        help="Working days skip weekends and the calendar's holidays; calendar days do not.",
    )
    ki_correction_reminders = fields.Char(
        "Reminders Before the End",
        default=DEFAULT_REMINDER_DAYS,
        help="Days before the end of the correction period on which the applicant is "
        "reminded, in the period's unit, separated by commas (e.g. 3,1). Each is sent once.",
    )

    _sql_constraints = [
        (
            "ki_correction_days_positive",
            "CHECK(ki_correction_days > 0)",
            "The correction period must be at least one day.",
        ),
    ]

    @api.constrains("ki_correction_reminders", "ki_correction_days")
    def _check_ki_correction_reminders(self):
        for company in self:
            text = (company.ki_correction_reminders or "").strip()
            if text and not re.fullmatch(r"\d+(\s*,\s*\d+)*", text):
                raise ValidationError(
                    self.env._("Write the reminders as whole days separated by commas, e.g. 3,1.")
                )
            days = company._ki_reminder_days()
            if any(not 0 < day < company.ki_correction_days for day in days):
                raise ValidationError(
                    self.env._(
                        "A reminder must come at least one day before the end of the "
                        "correction period and after its start."
                    )
                )

    def _ki_reminder_days(self):
        """The reminders, in days before the end, the furthest first."""
        self.ensure_one()
        found = re.findall(r"\d+", self.ki_correction_reminders or "")
        return sorted({int(day) for day in found}, reverse=True)

    def _ki_correction_text(self):
        """'14 calendar days', '10 working days': the period as the applicant reads it."""
        self.ensure_one()
        return self.env["ki.sop.step"]._sla_text(self.ki_correction_days, self.ki_correction_unit)

    # ------------------------------------------------------------------ office time

    def _ki_zone(self):
        return pytz.timezone(self._ki_tz() or "Asia/Jakarta")

    def _ki_local(self, value):
        """A naive UTC datetime as an aware datetime in the office's time zone."""
        return pytz.utc.localize(value).astimezone(self._ki_zone())

    def _ki_zone_abbreviation(self, value=None):
        """WIB, WITA or WIT (the zone's abbreviation at `value`, naive UTC; now by default)."""
        return self._ki_local(value or fields.Datetime.now()).strftime("%Z")

    def _ki_format_datetime(self, value, long=False):
        """A naive UTC datetime as the office writes it, in its zone and saying which:
        '18/12/2026 15:55 WIB', or in long form in the office's language, 'Jumat,
        18 Desember 2026, 15.55 WIB'. Empty without a value."""
        if not value:
            return ""
        local = self._ki_local(value)
        if long:
            text = format_datetime(local, "EEEE, d MMMM y, HH.mm", locale=self._ki_lang())
        else:
            text = local.strftime("%d/%m/%Y %H:%M")
        return f"{text} {local.strftime('%Z')}"

    def _ki_today(self):
        """Today's date in the office's time zone."""
        return fields.Date.context_today(self.with_context(tz=self._ki_tz()))

    # ------------------------------------------------------------------ holidays

    def _ki_holidays_loaded(self, year):
        """Whether the office calendar holds the holidays of `year` beyond the fixed-date
        ones shipped with the addon (a moving holiday or a cuti bersama)."""
        self.ensure_one()
        calendar = self.sudo()._ki_calendar()
        zone = self._ki_zone()
        start = zone.localize(datetime(year, 1, 1)).astimezone(pytz.utc)
        end = zone.localize(datetime(year + 1, 1, 1)).astimezone(pytz.utc)
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("calendar_id", "=", calendar.id),
                    ("resource_id", "=", False),
                    ("date_from", ">=", start.replace(tzinfo=None)),
                    ("date_from", "<", end.replace(tzinfo=None)),
                ]
            )
        )
        days = {self._ki_local(leave.date_from).date() for leave in leaves}
        return any((day.month, day.day) not in FIXED_HOLIDAYS for day in days)

    def _ki_holiday_warning(self):
        """The warning the administrator reads in December while next year's holidays are
        not loaded; empty otherwise."""
        self.ensure_one()
        today = self._ki_today()
        if today.month != 12 or self._ki_holidays_loaded(today.year + 1):
            return ""
        return self.env._(
            "The holidays of %(year)s are not loaded: import the joint decree (SKB) on "
            "national holidays and cuti bersama of %(year)s, or deadlines will count those "
            "days as working days.",
            year=today.year + 1,
        )

    @api.model
    def _ki_cron_holiday_warning(self):
        """In December, tell the administrators once when next year has no holidays loaded."""
        company = self.env.company
        warning = company._ki_holiday_warning()
        year = str(company._ki_today().year + 1)
        params = self.env["ir.config_parameter"].sudo()
        if not warning or params.get_param(PARAM_HOLIDAY_WARNING) == year:
            return
        admins = self.env.ref("kawasan_industri_verif.group_admin").sudo().users
        admins = admins.filtered(lambda u: u.active and not u.share)
        for admin in admins:
            office = company.with_context(lang=admin.lang)
            self.env["mail.thread"].sudo().with_context(
                mail_notify_force_send=False
            ).message_notify(
                partner_ids=admin.partner_id.ids,
                subject=office.env._("Holidays of %(year)s not loaded", year=year),
                body=Markup("<p>%s</p>") % office._ki_holiday_warning(),
                author_id=self.env.ref("base.partner_root").id,
            )
        params.set_param(PARAM_HOLIDAY_WARNING, year)
