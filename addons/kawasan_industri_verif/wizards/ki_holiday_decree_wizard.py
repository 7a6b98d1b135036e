"""Import a year's national holidays and cuti bersama from the joint decree (SKB) of the
Ministers of Religious Affairs, of Manpower and of Administrative Reform, as the
administrator downloads it: the decree's PDF, or its list saved as text.

The decree lists one day or span of days per line, as "1 Januari 2027 Jumat Tahun Baru 2027
Masehi" or "9-10 Maret 2027 Selasa-Rabu Hari Raya Idul Fitri", under a heading for the
national holidays and one for the cuti bersama; a line may be numbered and its columns
separated by spaces, tabs, "|" or ";". The preview shows what each line gives and refuses a
line it cannot read (an unknown month, a day that does not exist, a weekday that does not
match the date, another year, no name); nothing is imported while a line is refused."""

import base64
import re
import subprocess
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "january", "jan"),
            ("februari", "pebruari", "february", "feb"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nopember", "nov"),
            ("desember", "december", "des", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("senin", "monday"),
            ("selasa", "tuesday"),
            ("rabu", "wednesday"),
            ("kamis", "thursday"),
            ("jumat", "jum'at", "jum’at", "friday"),
            ("sabtu", "saturday"),
            ("minggu", "ahad", "sunday"),
        )
    )
    for name in names
}
# a row number ("1.", "a)", or a table's "1" before the date)
NUMBERING = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[a-z]\s*[.)]|\d{1,3}(?=\s+\d))\s+", re.IGNORECASE)
# a day, then maybe its month (a word of three letters or more that is no range word) and year
DATE = (
    r"(?P<{0}d>\d{{1,2}})"
    r"(?:\s+(?!(?:dan|sampai|hingga)\b)(?P<{0}m>[A-Za-z]{{3,}})(?:\s+(?P<{0}y>\d{{4}}))?)?"
)
RANGE_SEPARATOR = r"\s*(?:-|–|—|s\.?\s*d\.?|sampai dengan|sampai|hingga|dan|&)\s*"
SPAN = re.compile(rf"^{DATE.format('a')}(?:{RANGE_SEPARATOR}{DATE.format('b')})?(?=\W|$)")
WEEKDAY_WORD = r"(?:jum['’]at|[a-z]+)"
WEEKDAYS_PREFIX = re.compile(
    rf"^(?P<first>{WEEKDAY_WORD})(?:{RANGE_SEPARATOR}(?P<last>{WEEKDAY_WORD}))?(?=\W|$)",
    re.IGNORECASE,
)
# a line that lists a day: a day number, maybe a span, then a word (its month)
CANDIDATE = re.compile(rf"^\d{{1,2}}(?:{RANGE_SEPARATOR}\d{{1,2}})?\s+[^\W\d_]")
SEPARATORS = " \t|;,:.-–—"
MAX_SPAN_DAYS = 14
KINDS = [("holiday", "National Holiday"), ("cuti_bersama", "Cuti Bersama")]
STATUSES = [("new", "To Import"), ("existing", "Already in the Calendar"), ("refused", "Refused")]


class KiHolidayDecreeWizard(models.TransientModel):
    _name = "ki.holiday.decree.wizard"
    _description = "Import the Joint Decree on Holidays"

    def _default_year(self):
        today = self.env.company._ki_today()
        return today.year + 1 if today.month == 12 else today.year

    calendar_id = fields.Many2one(
        "resource.calendar",
        required=True,
        default=lambda self: self.env.company._ki_calendar(),
    )
    year = fields.Integer(required=True, default=_default_year)
    file = fields.Binary(
        "Decree or List",
        required=True,
        help="The joint decree (SKB) on national holidays and cuti bersama as downloaded "
        "(PDF), or its list saved as a text file.",
    )
    file_name = fields.Char()
    state = fields.Selection([("upload", "Upload"), ("preview", "Preview")], default="upload")
    line_ids = fields.One2many("ki.holiday.decree.line", "wizard_id", "Lines")
    refused_count = fields.Integer("Refused Lines", compute="_compute_counts")
    new_count = fields.Integer("Lines to Import", compute="_compute_counts")

    @api.depends("line_ids.status")
    def _compute_counts(self):
        for wizard in self:
            statuses = wizard.line_ids.mapped("status")
            wizard.refused_count = statuses.count("refused")
            wizard.new_count = statuses.count("new")

    def action_preview(self):
        """Read the file and show, line by line, what it gives and what is refused."""
        self.ensure_one()
        self.line_ids.unlink()
        lines = self._parse(self._text())
        if not lines:
            raise UserError(
                self.env._("No holiday found in the file: is it the joint decree's list?")
            )
        existing = self.calendar_id._ki_days_off()
        for line in lines:
            if line.get("status") != "refused":
                days = self._days(line["date_from"], line["date_to"])
                line["status"] = "existing" if set(days) <= existing else "new"
        self.write({"line_ids": [(0, 0, line) for line in lines], "state": "preview"})
        return self._reopen()

    def action_import(self):
        """Add each day of the lines to import as a whole-day leave of the calendar; refuses
        while a line is refused, so that the calendar never holds half a decree."""
        self.ensure_one()
        if self.state != "preview":
            raise UserError(self.env._("Preview the file before importing it."))
        refused = self.line_ids.filtered(lambda line: line.status == "refused")
        if refused:
            problems = [
                self.env._("Line %(line)s: %(reason)s", line=line.line, reason=line.reason)
                for line in refused
            ]
            raise UserError(
                self.env._(
                    "Nothing was imported: correct the refused lines first.\n%(lines)s",
                    lines="\n".join(problems),
                )
            )
        lines = self.line_ids.filtered(lambda line: line.status == "new")
        count = self.calendar_id._ki_add_days_off(
            (day, line.name) for line in lines for day in self._days(line.date_from, line.date_to)
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s days of %(year)s imported into %(calendar)s.",
                    count=count,
                    year=self.year,
                    calendar=self.calendar_id.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import the Joint Decree on Holidays"),
        }

    # ------------------------------------------------------------------ reading the file

    def _text(self):
        data = base64.b64decode(self.file or b"")
        if data.startswith(b"%PDF"):
            return self._pdf_text(data)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(
                self.env._("The file must be the decree's PDF or a UTF-8 text file.")
            ) from None

    def _pdf_text(self, data):
        """The decree's text, one table row per line (poppler's pdftotext)."""
        try:
            result = subprocess.run(
                ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
                input=data,
                capture_output=True,
                timeout=60,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            raise UserError(
                self.env._(
                    "The PDF could not be read on this server: save the decree's list as a "
                    "text file and import that."
                )
            ) from None
        return result.stdout.decode("utf-8", "replace")

    def _parse(self, text):
        """One dict per line that lists a holiday (status "refused" with the reason when it
        cannot be read); headings and prose are skipped, a heading naming the cuti bersama
        or the national holidays sets the kind of the lines after it."""
        lines, kind = [], "holiday"
        for number, raw in enumerate(text.splitlines(), start=1):
            content = NUMBERING.sub("", raw.replace("\xa0", " ")).strip()
            if not content:
                continue
            if not CANDIDATE.match(content):
                lowered = content.lower()
                if "cuti bersama" in lowered:
                    kind = "cuti_bersama"
                elif "libur nasional" in lowered:
                    kind = "holiday"
                continue
            try:
                line = self._parse_line(content, kind)
            except ValueError as problem:
                line = {"status": "refused", "reason": str(problem)}
            line.update(line=number, text=raw.strip()[:500])
            lines.append(line)
        return lines

    def _parse_line(self, content, kind):
        span = SPAN.match(content)
        if not span:
            raise ValueError(self.env._("No date at the start of the line."))
        parts = span.groupdict()
        if not parts["bm"] and not parts["am"]:
            raise ValueError(self.env._("The date has no month."))
        end_month = self._month(parts["bm"] or parts["am"])
        start_month = self._month(parts["am"]) if parts["am"] else end_month
        end_year = int(parts["by"] or parts["ay"] or self.year)
        start_year = int(parts["ay"] or end_year)
        if not parts["by"] and parts["ay"] and parts["bd"]:
            end_year = start_year
        try:
            date_from = date(start_year, start_month, int(parts["ad"]))
            date_to = date(end_year, end_month, int(parts["bd"])) if parts["bd"] else date_from
        except ValueError:
            raise ValueError(self.env._("This day does not exist.")) from None
        if not 0 <= (date_to - date_from).days < MAX_SPAN_DAYS:
            raise ValueError(self.env._("The span of days is not valid."))
        if date_from.year != self.year or date_to.year != self.year:
            raise ValueError(
                self.env._("The date is not in %(year)s, the year imported.", year=self.year)
            )
        rest = content[span.end() :].strip(SEPARATORS)
        weekdays = WEEKDAYS_PREFIX.match(rest)
        if weekdays and weekdays["first"].lower() in WEEKDAYS:
            self._check_weekday(weekdays["first"], date_from)
            if weekdays["last"]:
                self._check_weekday(weekdays["last"], date_to)
            rest = rest[weekdays.end() :].strip(SEPARATORS)
        name = re.sub(r"\s{2,}", " ", rest)
        if not name:
            raise ValueError(self.env._("The line gives no name for the day."))
        if "cuti bersama" in name.lower():
            kind = "cuti_bersama"
        elif kind == "cuti_bersama":
            name = f"Cuti Bersama {name}"
        return {
            "status": "new",
            "date_from": date_from,
            "date_to": date_to,
            "name": name[:200],
            "kind": kind,
        }

    def _month(self, word):
        month = MONTHS.get(word.lower())
        if not month:
            raise ValueError(self.env._("%(word)s is not a month.", word=word))
        return month

    def _check_weekday(self, word, day):
        weekday = WEEKDAYS.get(word.lower())
        if weekday is None:
            raise ValueError(self.env._("%(word)s is not a day of the week.", word=word))
        if weekday != day.weekday():
            raise ValueError(
                self.env._(
                    "%(date)s is not a %(weekday)s: check the date.",
                    date=day.strftime("%d/%m/%Y"),
                    weekday=word,
                )
            )

    # ------------------------------------------------------------------ the calendar

    @api.model
    def _days(self, date_from, date_to):
        return [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]


class KiHolidayDecreeLine(models.TransientModel):
    _name = "ki.holiday.decree.line"
    _description = "Joint Decree Line"
    _order = "line, id"

    wizard_id = fields.Many2one(
        "ki.holiday.decree.wizard", "Import", required=True, ondelete="cascade"
    )
    line = fields.Integer()
    text = fields.Char("As Written")
    date_from = fields.Date("From")
    date_to = fields.Date("To")
    name = fields.Char()
    kind = fields.Selection(KINDS)
    status = fields.Selection(STATUSES, required=True)
    reason = fields.Char()
