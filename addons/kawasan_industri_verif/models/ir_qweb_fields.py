"""Times on the addon's pages say which zone they are in: under the context key
`ki_office_time` (set for the addon's routes by ir.http), a datetime is written in the
office's time zone followed by its abbreviation, e.g. 02/12/2026 06:27:00 WIB."""

from odoo import api, fields, models


class IrQwebFieldDatetime(models.AbstractModel):
    _inherit = "ir.qweb.field.datetime"

    @api.model
    def value_to_html(self, value, options):
        if not value or not self.env.context.get("ki_office_time"):
            return super().value_to_html(value, options)
        company = self.env.company
        options = dict(options or {}, tz_name=company._ki_tz())
        text = super().value_to_html(value, options)
        if options.get("date_only"):
            return text
        if isinstance(value, str):
            value = fields.Datetime.from_string(value)
        return f"{text} {company._ki_zone_abbreviation(value)}"
