"""Import the year's holidays and cuti bersama into the office calendar from a CSV file."""

import base64
import csv
import io
from datetime import datetime

from odoo import fields, models
from odoo.exceptions import UserError

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


class KiHolidayImportWizard(models.TransientModel):
    _name = "ki.holiday.import.wizard"
    _description = "Import Holidays"

    calendar_id = fields.Many2one(
        "resource.calendar",
        required=True,
        default=lambda self: self.env.company._ki_calendar(),
    )
    file = fields.Binary("CSV File", required=True, help="One holiday per line: date, name.")
    file_name = fields.Char()

    def action_import(self):
        """Add every listed day as a whole-day leave of the calendar (days already there
        are skipped); one wrong line refuses the whole file."""
        self.ensure_one()
        holidays = self._parse(base64.b64decode(self.file))
        count = self.calendar_id._ki_add_days_off(holidays)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s holidays imported into %(calendar)s.",
                    count=count,
                    calendar=self.calendar_id.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _parse(self, data):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(self.env._("The file must be a UTF-8 text (CSV) file.")) from None
        holidays = []
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if not row or not "".join(row).strip():
                continue
            if number == 1 and row[0].strip().lower() in ("date", "tanggal"):
                continue  # header
            if len(row) < 2 or not row[1].strip():
                raise UserError(
                    self.env._("Line %(line)s: expected a date and a name.", line=number)
                )
            holidays.append((self._parse_date(row[0].strip(), number), row[1].strip()))
        if not holidays:
            raise UserError(self.env._("The file lists no holiday."))
        return holidays

    def _parse_date(self, value, number):
        for date_format in DATE_FORMATS:
            try:
                return datetime.strptime(value, date_format).date()
            except ValueError:
                continue
        raise UserError(
            self.env._(
                "Line %(line)s: %(value)s is not a date (use YYYY-MM-DD or DD/MM/YYYY).",
                line=number,
                value=value,
            )
        )
