"""The receipt on the portal: the applicant downloads the PDF printed at submission, with
the verification code that the public status lookup asks for."""

from odoo import http
from odoo.http import content_disposition, request

from .portal import MODEL, REFUSED, KiPermohonanPortal

RECEIPT_REPORT = "kawasan_industri_verif.action_report_ki_receipt"


class KiPermohonanReceiptPortal(KiPermohonanPortal):
    @http.route(
        ["/my/permohonan/<int:permohonan_id>/receipt"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_permohonan_receipt(self, permohonan_id, **kw):
        """The receipt of a submitted application, for its applicant only."""
        try:
            permohonan = self._permohonan_check_owner(permohonan_id)
        except REFUSED:
            return request.not_found()
        permohonan_sudo = request.env[MODEL].sudo().browse(permohonan.id)
        if not permohonan_sudo.name:
            return request.not_found()
        # the owner is checked: the report reads the office's fields as the system
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(request.env.ref(RECEIPT_REPORT), permohonan_sudo.ids)
        )
        filename = f"{permohonan_sudo._report_filename('receipt')}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
