"""Working time on the office calendar: deadlines and durations that skip nights,
weekends and the calendar's leaves (national holidays, cuti bersama)."""

from datetime import datetime, timedelta

from odoo import models
from pytz import timezone, utc


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _ki_days_off(self):
        """The days already off in the calendar (its whole-day leaves, by their start)."""
        self.ensure_one()
        zone = timezone(self.tz or "Asia/Jakarta")
        leaves = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.id), ("resource_id", "=", False)]
        )
        return {utc.localize(leave.date_from).astimezone(zone).date() for leave in leaves}

    def _ki_add_days_off(self, holidays):
        """Add each (day, name) of `holidays` as a whole-day leave in the calendar's zone,
        skipping the days already off; returns how many days were added."""
        self.ensure_one()
        zone = timezone(self.tz or "Asia/Jakarta")
        existing = self._ki_days_off()
        vals_list = []
        for day, name in holidays:
            if day in existing:
                continue
            existing.add(day)
            start = zone.localize(datetime.combine(day, datetime.min.time())).astimezone(utc)
            start = start.replace(tzinfo=None)
            vals_list.append(
                {
                    "name": name,
                    "calendar_id": self.id,
                    "date_from": start,
                    "date_to": start + timedelta(days=1, seconds=-1),
                    "time_type": "leave",
                }
            )
        self.env["resource.calendar.leaves"].create(vals_list)
        return len(vals_list)

    def _ki_deadline(self, start, minutes):
        """The naive UTC datetime `minutes` working minutes after `start` (naive UTC)."""
        self.ensure_one()
        if not minutes:
            return start
        end = self.plan_hours(minutes / 60, start, compute_leaves=True)
        return end.astimezone(utc).replace(tzinfo=None) if end.tzinfo else end

    def _ki_working_minutes(self, pairs):
        """Working minutes between each (start, end) pair of naive UTC datetimes, computing
        the calendar's intervals once for all of them."""
        self.ensure_one()
        pairs = [(start, end) for start, end in pairs if start and end]
        if not pairs:
            return {}
        low = min(start for start, _end in pairs) - timedelta(days=1)
        high = max(end for _start, end in pairs) + timedelta(days=1)
        intervals = [
            (start.astimezone(utc).replace(tzinfo=None), stop.astimezone(utc).replace(tzinfo=None))
            for start, stop, _meta in self._work_intervals_batch(
                utc.localize(low), utc.localize(high)
            )[False]
        ]
        result = {}
        for start, end in pairs:
            seconds = sum(
                max(0, (min(end, stop) - max(start, begin)).total_seconds())
                for begin, stop in intervals
            )
            result[(start, end)] = seconds / 60
        return result

    def _ki_weekly_minutes(self):
        """Working minutes of an ordinary week (the average week of a two-week calendar)."""
        self.ensure_one()
        attendances = self.attendance_ids.filtered(
            lambda a: a.day_period != "lunch" and not a.resource_id and not a.display_type
        )
        minutes = sum((a.hour_to - a.hour_from) * 60 for a in attendances)
        return minutes / 2 if self.two_weeks_calendar else minutes
