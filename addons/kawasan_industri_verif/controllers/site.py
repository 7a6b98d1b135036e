"""The applicant's copy of the closed field inspection minutes."""

from odoo import http
from odoo.http import request

from .portal import REFUSED, KiPermohonanPortal


class KiSitePortal(KiPermohonanPortal):
    @http.route(
        ["/my/permohonan/<int:permohonan_id>/inspection/<int:inspection_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_permohonan_inspection(self, permohonan_id, inspection_id, **kw):
        """The stored minutes of a closed inspection, byte for byte, for the applicant."""
        try:
            permohonan = self._permohonan_check_owner(permohonan_id)
        except REFUSED:
            return request.not_found()
        inspection = permohonan.sudo().inspection_ids.filtered(
            lambda i: i.id == inspection_id and i.state == "done" and i.attachment_id
        )
        if not inspection:
            return request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(
            inspection.attachment_id, mimetype="application/pdf"
        )
        return stream.get_response(as_attachment=True)
