"""Number patterns: how the registration, agenda and outgoing letter numbers are built, and
one gap-free counter per pattern and year."""

import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
PLACEHOLDERS = ("code", "serial", "unit", "roman_month", "year")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
MAX_PADDING = 10


class KiNumberPattern(models.Model):
    _name = "ki.number.pattern"
    _description = "Number Pattern"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        readonly=True,
        help="The series the application asks for: registration, agenda or letter.",
    )
    sequence = fields.Integer(default=10)
    pattern = fields.Char(
        required=True,
        default="{code}/{serial}/{unit}/{year}",
        help="Placeholders: {code} archive classification code, {serial} serial number "
        "(zero-padded), {unit} unit code, {roman_month} month in Roman numerals, {year} year. "
        "The serial restarts every year, so the pattern must contain {serial} and {year}.",
    )
    classification_code = fields.Char(
        "Archive Classification Code", help="Kode Klasifikasi Arsip, e.g. 500.2."
    )
    unit_code = fields.Char(help="Code of the issuing unit, e.g. DISPERIN.")
    padding = fields.Integer("Serial Digits", required=True, default=4)
    series_ids = fields.One2many(
        "ki.number.series", "pattern_id", "Counters per Year", readonly=True
    )
    preview = fields.Char("Next Number", compute="_compute_preview")

    _sql_constraints = [("code_uniq", "unique(code)", "Each series has one pattern.")]

    @api.constrains("pattern", "padding")
    def _check_pattern(self):
        for rec in self:
            names = PLACEHOLDER_RE.findall(rec.pattern or "")
            unknown = sorted(set(names) - set(PLACEHOLDERS))
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Unknown placeholder(s) in the number pattern: %(names)s.",
                        names=", ".join(f"{{{name}}}" for name in unknown),
                    )
                )
            if "serial" not in names or "year" not in names:
                raise ValidationError(
                    self.env._(
                        "The number pattern must contain {serial} and {year}: the serial "
                        "restarts every year."
                    )
                )
            if not 1 <= rec.padding <= MAX_PADDING:
                raise ValidationError(
                    self.env._("The serial has between 1 and %(max)s digits.", max=MAX_PADDING)
                )

    @api.depends("pattern", "classification_code", "unit_code", "padding")
    @api.depends_context("tz")
    def _compute_preview(self):
        today = fields.Date.context_today(self)
        for rec in self:
            series = rec.series_ids.filtered(lambda s: s.year == today.year)
            try:
                rec.preview = rec._format(series.number_next or 1, today)
            except (KeyError, ValueError):
                rec.preview = False

    @api.model
    def _next_by_code(self, code, date=None):
        """The next number of the series `code`, or None when no pattern is configured."""
        pattern = self.sudo().search([("code", "=", code)], limit=1)
        return pattern._next_number(date) if pattern else None

    def _next_number(self, date=None):
        """Take the next number of this pattern for the year of `date` (today by default).

        The year's counter row stays locked until the transaction ends, so numbering is
        gap-free (a rollback gives the number back) and a concurrent numbering waits instead
        of failing at once. Under Odoo's repeatable-read transactions the waiting one then
        gets a serialization failure, which Odoo retries with a fresh snapshot, so it takes
        the following number."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        self.env["ki.number.series"].flush_model()
        cr = self.env.cr
        cr.execute(
            """
            INSERT INTO ki_number_series
                (pattern_id, year, number_next, create_uid, create_date, write_uid, write_date)
            VALUES (%(pattern)s, %(year)s, 1, %(uid)s, now() at time zone 'UTC',
                    %(uid)s, now() at time zone 'UTC')
            ON CONFLICT (pattern_id, year) DO NOTHING
            """,
            {"pattern": self.id, "year": date.year, "uid": self.env.uid},
        )
        cr.execute(
            "SELECT id, number_next FROM ki_number_series"
            " WHERE pattern_id = %s AND year = %s FOR UPDATE",
            [self.id, date.year],
        )
        series_id, serial = cr.fetchone()
        cr.execute(
            "UPDATE ki_number_series SET number_next = %s, write_uid = %s,"
            " write_date = now() at time zone 'UTC' WHERE id = %s",
            [serial + 1, self.env.uid, series_id],
        )
        self.env["ki.number.series"].invalidate_model(["number_next", "write_uid", "write_date"])
        self.invalidate_recordset(["series_ids"])
        return self._format(serial, date)

    def _format(self, serial, date):
        values = {
            "code": self.classification_code or "",
            "serial": str(serial).zfill(self.padding),
            "unit": self.unit_code or "",
            "roman_month": ROMAN_MONTHS[date.month - 1],
            "year": str(date.year),
        }
        return PLACEHOLDER_RE.sub(lambda match: values[match.group(1)], self.pattern)

    @api.model
    def _init_series_from_sequences(self, sequence_codes):
        """Continue the counters of the ir.sequence records that numbered before the patterns
        existed (`sequence_codes`: pattern code -> sequence code), so that an upgraded
        database never issues a number twice. Creates only counters that do not exist yet."""
        series_model = self.env["ki.number.series"].sudo()
        for code, sequence_code in sequence_codes.items():
            pattern = self.sudo().search([("code", "=", code)], limit=1)
            sequence = self.env["ir.sequence"].sudo().search([("code", "=", sequence_code)])
            if not pattern or not sequence:
                continue
            for date_range in sequence.date_range_ids:
                year = date_range.date_from.year
                if date_range.number_next_actual > 1 and not pattern.series_ids.filtered(
                    lambda s, year=year: s.year == year
                ):
                    series_model.create(
                        {
                            "pattern_id": pattern.id,
                            "year": year,
                            "number_next": date_range.number_next_actual,
                        }
                    )


class KiNumberSeries(models.Model):
    _name = "ki.number.series"
    _description = "Number Counter"
    _order = "pattern_id, year desc"

    pattern_id = fields.Many2one("ki.number.pattern", required=True, index=True, ondelete="cascade")
    year = fields.Integer(required=True)
    number_next = fields.Integer("Next Serial", required=True, default=1)

    _sql_constraints = [
        ("pattern_year_uniq", "unique(pattern_id, year)", "One counter per pattern and year.")
    ]
