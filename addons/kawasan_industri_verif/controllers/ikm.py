"""The public page where the office publishes its satisfaction index (IKM) per period with
its follow-up plan. No login; only what the office published."""

from odoo import http
from odoo.http import request


class KiIkmPublic(http.Controller):
    @http.route("/ikm", type="http", auth="public", methods=["GET"], website=True, sitemap=True)
    def ki_ikm(self, **kw):
        # the index is published by an Indonesian office: its page reads as the office writes
        request.update_context(lang=request.env.company._ki_lang())
        publications = (
            request.env["ki.ikm.publication"].sudo().search([("state", "=", "published")])
        )
        return request.render(
            "kawasan_industri_verif.ikm_public_page",
            {
                "publications": publications,
                "weighting": request.env["ki.survey"]._ikm_weighting(),
            },
        )
