"""OSS-RBA on the applicant portal: the form's "Fetch from OSS" button (a small JSON route:
logged-in applicant, CSRF token, only for their own company's files, a few lookups in ten
minutes), the form's two extra fields, and the published letter's PDF by its verification
token, the link OSS receives with the decision."""

import re

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import consteq

from ..models.ki_letter import VERIFY_ROUTE
from ..models.ki_oss_config import INQUERY_NIB
from ..models.ki_permohonan_oss import OSS_APPLICANT_FIELDS, OSS_FORM_CONTEXT
from .portal import MODEL, KiPermohonanPortal
from .verify import TOKEN_RE

NIB_RE = re.compile(r"^\d{13}$")
# At most 5 lookups per applicant in 10 minutes, counted by ki.throttle: enough to correct a
# typo, too few to walk through other companies' NIBs. Stricter than the public pages'
# limits: each lookup calls OSS-RBA and answers with a company's NIB data, its contacts
# included.
LOOKUP_SCOPE = "oss_nib"
LOOKUP_LIMITS = ((600, 5),)


class KiOssPortal(KiPermohonanPortal):
    @http.route(
        "/my/permohonan/oss/nib",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_permohonan_oss_nib(self, nib=None, permohonan_id=None, **kw):
        """Look the NIB up in OSS for the applicant's form; JSON: {"ok", "values" (input
        name -> value), "profile_id", "message"} or {"ok": false, "error"}."""
        env = request.env
        nib = (nib or "").strip()
        permohonan = env[MODEL]
        if permohonan_id:
            try:
                permohonan = self._permohonan_check_owner(int(permohonan_id))
            except (AccessError, MissingError, ValueError):
                return request.not_found()
            if not permohonan.can_edit_applicant:
                return self._oss_answer(error=env._("This application can no longer be changed."))
        elif not env[MODEL].has_access("create"):
            return request.not_found()
        config = env["ki.oss.config"]._get()
        if not config._is_configured():
            return self._oss_answer(error=config._error_message("not_configured"))
        if not NIB_RE.match(nib):
            return self._oss_answer(error=env._("The NIB must have exactly 13 digits."))
        # Counted before anything is said about the NIB, refused lookups included.
        if env["ki.throttle"].sudo()._hit(LOOKUP_SCOPE, f"user-{env.uid}", LOOKUP_LIMITS):
            return self._oss_answer(
                error=env._("Too many lookups in OSS: wait a few minutes, then try again.")
            )
        company = env.user.partner_id.commercial_partner_id
        if self._oss_nib_of_another_company(nib, company):
            return self._oss_answer(
                error=env._("This NIB cannot be looked up from your account; contact the office.")
            )
        call = env["ki.oss.call"]._send_now(
            INQUERY_NIB,
            permohonan._oss_nib_payload(nib) if permohonan else {"INQUERYNIB": {"nib": nib}},
            permohonan=permohonan or None,
            partner=company,
            origin="portal",
        )
        if call.state != "done":
            return self._oss_answer(error=call.last_error)
        profile = call.profile_id
        needs_company = not permohonan and env[MODEL]._portal_needs_company()
        return self._oss_answer(
            values=env[MODEL]._oss_portal_values(profile, needs_company),
            profile_id=profile.id,
            message=env._(
                "Filled in from OSS-RBA (NIB data of %(date)s). Check the values before you "
                "save: what you change is shown to the office as typed by you.",
                date=env[MODEL]._format_datetime(profile.fetch_date),
            ),
        )

    def _oss_answer(self, error=None, **values):
        return request.make_json_response(dict(values, ok=not error, error=error))

    def _oss_nib_of_another_company(self, nib, company):
        return bool(
            request.env[MODEL]
            .sudo()
            .search_count(
                [("nib", "=", nib), ("partner_id.commercial_partner_id", "!=", company.id)],
                limit=1,
            )
        )

    # ------------------------------------------------------------------ the form

    def _permohonan_post_form(self, permohonan, post):
        """The form with the company address, the KBLI codes and the NIB data fetched on it."""
        extra = {fname: post.get(fname, "") for fname in OSS_APPLICANT_FIELDS}
        extra["oss_profile_id"] = post.get("oss_profile_id", "")
        permohonan = permohonan.with_context(**{OSS_FORM_CONTEXT: extra})
        return super()._permohonan_post_form(permohonan, post)

    def _permohonan_render_form(self, permohonan, form=None, errors=None, message=None):
        if form is not None and request.httprequest.method == "POST":
            # a form shown again after an error keeps what the applicant typed
            form = dict(
                form,
                **{fname: request.params.get(fname, "") for fname in OSS_APPLICANT_FIELDS},
                oss_profile_id=request.params.get("oss_profile_id", ""),
            )
        return super()._permohonan_render_form(permohonan, form, errors, message)


class KiLetterPdf(http.Controller):
    @http.route(
        f"{VERIFY_ROUTE}<string:token>/pdf",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def ki_verify_pdf(self, token, **kw):
        """The published PDF, byte for byte, for whoever holds the letter's verification
        token (the QR code, and OSS through receiveLicenseStatus's file_lampiran)."""
        if not TOKEN_RE.match(token or ""):
            return request.not_found()
        letter = request.env["ki.letter"].sudo().search([("token", "=", token)], limit=1)
        if not letter or not consteq(letter.token, token) or not letter.attachment_id:
            return request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(
            letter.attachment_id, mimetype="application/pdf"
        )
        return stream.get_response(as_attachment=False)
