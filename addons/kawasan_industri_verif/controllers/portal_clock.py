"""The applicant portal and the correction period: a lapsed application is closed, not in
progress, and its applicant starts a new application from it (data and documents copied)."""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.sop import CLOSED_STATES
from .portal import REFUSED, KiPermohonanPortal


class KiPermohonanClockPortal(KiPermohonanPortal):
    def _permohonan_get_searchbar_filters(self):
        filters = super()._permohonan_get_searchbar_filters()
        filters["open"]["domain"] = [("state", "not in", ("draft", *CLOSED_STATES))]
        filters["closed"]["domain"] = [("state", "in", CLOSED_STATES)]
        return filters

    @http.route(
        ["/my/permohonan/<int:permohonan_id>/reapply"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_permohonan_reapply(self, permohonan_id, **kw):
        """Start a new draft from a lapsed application, then continue it in the form."""
        try:
            permohonan = self._permohonan_check_owner(permohonan_id)
        except REFUSED:
            return request.not_found()
        try:
            with request.env.cr.savepoint():
                new = permohonan.action_reapply()
        except UserError as error:
            return self._permohonan_render_page(permohonan.sudo(), error=error.args[0])
        return request.redirect(f"/my/permohonan/{new.id}/edit?message=copied")
