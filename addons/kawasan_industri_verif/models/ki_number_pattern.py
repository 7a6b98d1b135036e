"""Number patterns: how the registration, agenda and outgoing letter numbers are written.
The serial itself comes from Odoo's own counter, an ir.sequence without gaps that restarts
every year (one date range per year)."""

import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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
    sequence_id = fields.Many2one(
        "ir.sequence", "Counter", required=True, readonly=True, ondelete="restrict"
    )
    counter_ids = fields.One2many(related="sequence_id.date_range_ids", string="Counters per Year")
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
    def _compute_preview(self):
        today = self._office_today()
        for rec in self:
            counter = rec.sudo().sequence_id.date_range_ids.filtered(
                lambda r: r.date_from <= today <= r.date_to
            )
            try:
                rec.preview = rec._format(counter[:1].number_next_actual or 1, today)
            except (KeyError, ValueError):
                rec.preview = False

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("sequence_id", self._create_counter(vals).id)
        return super().create(vals_list)

    @api.model
    def _next_by_code(self, code, date=None):
        """The next number of the series `code` (registration, agenda, letter, ...)."""
        pattern = self.sudo().search([("code", "=", code)], limit=1)
        if not pattern:
            raise UserError(self.env._("No number pattern is configured for %(code)s.", code=code))
        return pattern._next_number(date)

    def _next_number(self, date=None):
        """Take the next number of this pattern for the year of `date` (the office's today
        by default).

        The counter's row is updated first and stays locked until the transaction ends:
        a concurrent numbering waits, then fails to serialize under Odoo's repeatable-read
        transactions, and Odoo's retry (as for every RPC and HTTP request) takes the
        following number with a fresh snapshot. No gap (a rollback gives the number back),
        no duplicate, not even for the first number of a year."""
        self.ensure_one()
        date = date or self._office_today()
        counter = self.sudo().sequence_id
        self.env.cr.execute(
            "UPDATE ir_sequence SET write_date = now() at time zone 'UTC' WHERE id = %s",
            [counter.id],
        )
        serial = int(counter._next(sequence_date=date))
        self.env["ir.sequence.date_range"].invalidate_model(["number_next_actual"])
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
    def _create_counter(self, vals):
        return (
            self.env["ir.sequence"]
            .sudo()
            .create(
                {
                    "name": vals.get("name") or vals.get("code"),
                    "implementation": "no_gap",
                    "use_date_range": True,
                    "padding": 0,
                    "company_id": False,
                }
            )
        )

    @api.model
    def _office_today(self):
        return fields.Date.context_today(self.with_context(tz=self.env.company._ki_tz()))
