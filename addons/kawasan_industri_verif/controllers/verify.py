"""The public verification page of a published letter, opened from the letter's QR code:
what the letter says, whether it is still valid, and whether an uploaded PDF is byte for
byte the published one. No login; an unknown token reveals nothing."""

import hashlib
import re

from odoo import http
from odoo.http import request
from odoo.tools import consteq

from ..models.ki_letter import VERIFY_ROUTE
from .throttle import throttled

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,128}$")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class KiLetterVerify(http.Controller):
    @http.route(
        f"{VERIFY_ROUTE}<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def ki_verify(self, token, **kw):
        if response := throttled("verify"):
            return response
        letter = self._letter_by_token(token)
        if not letter:
            return self._not_found()
        return request.render("kawasan_industri_verif.verify_page", self._page_values(letter))

    @http.route(
        f"{VERIFY_ROUTE}<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def ki_verify_upload(self, token, pdf=None, **kw):
        """Compare the SHA-256 of an uploaded file with the published PDF's."""
        if response := throttled("verify"):
            return response
        letter = self._letter_by_token(token)
        if not letter:
            return self._not_found()
        values = self._page_values(letter)
        data = pdf.read(MAX_UPLOAD_BYTES + 1) if hasattr(pdf, "read") else b""
        if not data:
            values["upload_error"] = request.env._("Choose the PDF file to check.")
        elif len(data) > MAX_UPLOAD_BYTES:
            values["upload_error"] = request.env._("The file is too large to be the letter.")
        else:
            values["match"] = consteq(hashlib.sha256(data).hexdigest(), letter.sha256 or "")
            if not values["match"] and letter.signature_mode != "wet":
                # a copy that differs: does it still carry a signature, and is it intact?
                values["upload_signature"] = request.env["ki.signing"].sudo()._validate_pdf(data)
        return request.render("kawasan_industri_verif.verify_page", values)

    def _letter_by_token(self, token):
        self._set_office_lang()
        if not TOKEN_RE.match(token or ""):
            return None
        letter = request.env["ki.letter"].sudo().search([("token", "=", token)], limit=1)
        if not letter or not consteq(letter.token, token):
            return None
        return letter

    def _set_office_lang(self):
        # the page says what the (Indonesian) letter says, in the same language
        request.update_context(lang=request.env.company._ki_lang())

    def _not_found(self):
        return request.render("kawasan_industri_verif.verify_not_found", {}, status=404)

    def _page_values(self, letter):
        letter = letter.sudo()
        permohonan = letter.permohonan_id.with_context(lang=request.env.lang)
        decisions = dict(letter._fields["decision"]._description_selection(request.env))
        states = dict(letter._fields["state"]._description_selection(request.env))
        return {
            "letter": letter,
            "token": letter.token,
            "number": letter.name,
            "date": permohonan._format_date(letter.date),
            "applicant": letter.partner_name,
            "decision": decisions[letter.decision],
            "signer_name": letter.signer_name,
            "signer_position": letter.signer_position,
            "status": letter.state,
            "status_label": states[letter.state],
            "sha256": letter.sha256,
            "signature_mode": letter.signature_mode,
            # the published file's own signature, checked against the trusted roots today
            "signature": (
                request.env["ki.signing"].sudo()._validate_pdf(letter.attachment_id.raw)
                if letter.signature_mode != "wet"
                else None
            ),
            "match": None,
            "upload_signature": None,
            "upload_error": None,
        }
