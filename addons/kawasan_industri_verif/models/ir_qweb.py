"""The portal's pages say their language, so that their JavaScript (the conversation with
the office) loads its terms in it. Without a language on the page, Odoo fetches the same
translations URL whatever the language and lets browsers keep it for a year: a page in
Indonesian could show the English terms cached on an earlier visit."""

from odoo import models
from odoo.http import request


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _prepare_frontend_environment(self, values):
        html_data = dict(values.get("html_data") or {})
        html_data.setdefault("lang", request.lang.code.replace("_", "-"))
        values["html_data"] = html_data
        return super()._prepare_frontend_environment(values)
