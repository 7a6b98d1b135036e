"""The applicant portal: the company's applications (list; detail with the nine steps, the
messages and the documents), the application form with its document checklist, the
cancellation, the published letter, the satisfaction survey, and the public status lookup.

Every route checks access first. A record of another company, one that does not exist and
a wrong access token all get the same 404. Only the applicant changes anything, through
the model's own methods and as themselves, so that the server's rules apply as over RPC;
an access token only lets its holder read."""

import logging
from urllib.parse import quote

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from ..models.ki_permohonan import APPLICANT_FORM_FIELDS, SUBMIT_REQUIRED_FIELDS
from ..models.ki_permohonan_portal import LOOKUP_NUMBER_MAX_LENGTH, TEXT_MAX_LENGTH
from ..models.ki_survey import COMMENT_MAX_LENGTH, ELEMENT_FIELDS, SCORES
from ..models.sop import APPLICATION
from .throttle import throttled

_logger = logging.getLogger(__name__)

MODEL = "ki.permohonan"
HISTORY = "my_permohonan_history"
# What a page may announce after a redirect (the texts are in the templates).
MESSAGES = ("saved", "submitted", "cancelled", "rated")
REFUSED = (AccessError, MissingError)


class KiPermohonanPortal(CustomerPortal):
    # ------------------------------------------------------------------ home and list

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "permohonan_count" in counters:
            Permohonan = request.env[MODEL]
            values["permohonan_count"] = (
                Permohonan.search_count(self._permohonan_domain())
                if Permohonan.has_access("read")
                else 0
            )
        return values

    def _permohonan_domain(self):
        """The applications of the user's company (the record rules say the same)."""
        return [("partner_id", "=", request.env.user.partner_id.commercial_partner_id.id)]

    def _permohonan_get_searchbar_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "create_date desc, id desc"},
            "name": {"label": env._("Registration Number"), "order": "name desc, id desc"},
            "estate": {"label": env._("Estate Name"), "order": "estate_name, id desc"},
            "state": {"label": env._("Status"), "order": "state, id desc"},
        }

    def _permohonan_get_searchbar_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "todo": {
                "label": env._("Waiting for me"),
                "domain": [("state", "in", ("draft", "returned", "delivered"))],
            },
            "open": {
                "label": env._("In progress"),
                "domain": [("state", "not in", ("draft", "done", "cancelled"))],
            },
            "closed": {
                "label": env._("Closed"),
                "domain": [("state", "in", ("done", "cancelled"))],
            },
        }

    def _permohonan_get_searchbar_inputs(self):
        env = request.env
        return {
            "all": {"input": "all", "label": env._("Search in All")},
            "name": {"input": "name", "label": env._("Search in Registration Number")},
            "estate": {"input": "estate", "label": env._("Search in Estate Name")},
        }

    def _permohonan_search_domain(self, search_in, search):
        domains = {
            "name": [("name", "ilike", search)],
            "estate": [("estate_name", "ilike", search)],
        }
        if search_in == "all":
            return ["|", *domains["name"], *domains["estate"]]
        return domains[search_in]

    @http.route(
        ["/my/permohonan", "/my/permohonan/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_permohonan(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw
    ):
        values = self._prepare_portal_layout_values()
        Permohonan = request.env[MODEL]
        sortings = self._permohonan_get_searchbar_sortings()
        filters = self._permohonan_get_searchbar_filters()
        inputs = self._permohonan_get_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        domain = self._permohonan_domain() + filters[filterby]["domain"]
        if search:
            domain += self._permohonan_search_domain(search_in, search)
        pager = portal_pager(
            url="/my/permohonan",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
            },
            total=Permohonan.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = Permohonan.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session[HISTORY] = records.ids[:100]
        values.update(
            {
                "permohonans": records,
                "page_name": "permohonan",
                "pager": pager,
                "default_url": "/my/permohonan",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("kawasan_industri_verif.portal_my_permohonan_list", values)

    # ------------------------------------------------------------------ access

    def _permohonan_check_owner(self, permohonan_id):
        """The application (not sudo) if the current user is its applicant; raises
        AccessError or MissingError otherwise. Tokens do not count: they only let read."""
        self._document_check_access(MODEL, permohonan_id)
        permohonan = request.env[MODEL].browse(permohonan_id)
        if not permohonan._portal_is_owner():
            raise AccessError(request.env._("Only the applicant can do this."))
        return permohonan

    def _permohonan_refused(self, access_token=None):
        """The one answer to a missing record, another company's record and a wrong token;
        a visitor who is not logged in and brings no token is asked to log in first."""
        if request.env.user._is_public() and not access_token:
            path = request.httprequest.full_path.rstrip("?")
            return request.redirect(f"/web/login?redirect={quote(path)}")
        return request.not_found()

    # ------------------------------------------------------------------ detail page

    @http.route(
        ["/my/permohonan/<int:permohonan_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_permohonan_detail(self, permohonan_id, access_token=None, message=None, **kw):
        try:
            permohonan_sudo = self._document_check_access(MODEL, permohonan_id, access_token)
        except REFUSED:
            return self._permohonan_refused(access_token)
        return self._permohonan_render_page(permohonan_sudo, access_token, message=message)

    def _permohonan_render_page(self, permohonan_sudo, access_token=None, message=None, error=None):
        values = self._prepare_portal_layout_values()
        values = self._get_page_view_values(permohonan_sudo, access_token, values, HISTORY, False)
        permohonan = request.env[MODEL].browse(permohonan_sudo.id)
        is_owner = not request.env.user._is_public() and permohonan._portal_is_owner()
        if is_owner and not access_token:
            # the owner writes in the chatter in every state, not only while they may edit
            values["token"] = permohonan_sudo._portal_ensure_token()
        values.update(
            {
                "permohonan": permohonan_sudo,
                "page_name": "permohonan_detail",
                "is_owner": is_owner,
                "can_edit": is_owner and permohonan._may_edit(APPLICATION),
                "can_cancel": is_owner and permohonan._may("action_cancel"),
                "timeline": permohonan_sudo._portal_timeline(),
                "holder": permohonan_sudo._portal_holder(),
                "slots": permohonan_sudo._portal_document_slots(),
                "letter": permohonan_sudo._portal_letter() if is_owner else False,
                "survey": permohonan_sudo._portal_survey(),
                "message": message if message in MESSAGES else None,
                "error": error,
            }
        )
        return request.render("kawasan_industri_verif.portal_my_permohonan_page", values)

    @http.route(
        ["/my/permohonan/<int:permohonan_id>/document/<int:document_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_permohonan_document(self, permohonan_id, document_id, access_token=None, **kw):
        """One version of an uploaded document, for whoever may read the application."""
        try:
            permohonan_sudo = self._document_check_access(MODEL, permohonan_id, access_token)
        except REFUSED:
            return self._permohonan_refused(access_token)
        document = permohonan_sudo.document_version_ids.filtered(lambda d: d.id == document_id)
        if not document:
            return request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(document.attachment_id)
        return stream.get_response(as_attachment=True)

    # ------------------------------------------------------------------ the form

    @http.route(
        ["/my/permohonan/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_my_permohonan_new(self, **post):
        if not request.env[MODEL].has_access("create"):
            return request.not_found()
        permohonan = request.env[MODEL]
        if request.httprequest.method == "POST":
            return self._permohonan_post_form(permohonan, post)
        return self._permohonan_render_form(permohonan)

    @http.route(
        ["/my/permohonan/<int:permohonan_id>/edit"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_my_permohonan_edit(self, permohonan_id, message=None, **post):
        try:
            permohonan = self._permohonan_check_owner(permohonan_id)
        except REFUSED:
            return request.not_found()
        if not permohonan._may_edit(APPLICATION):
            return request.redirect(permohonan.access_url)
        if request.httprequest.method == "POST":
            return self._permohonan_post_form(permohonan, post)
        return self._permohonan_render_form(
            permohonan, message=message if message in MESSAGES else None
        )

    def _permohonan_post_form(self, permohonan, post):
        """Save the form, store the chosen documents, and submit when asked and complete.

        Field errors save nothing; a refused document is stored nowhere; both come back
        next to their field or slot, in the user's language."""
        env = request.env
        form = {fname: post.get(fname, "") for fname in APPLICANT_FORM_FIELDS}
        reply = (post.get("reply") or "").strip()[:TEXT_MAX_LENGTH]
        try:
            with env.cr.savepoint():
                permohonan, errors = permohonan._portal_save(form, post.get("company_name"))
        except UserError as error:
            errors = {"general": error.args[0]}
        if errors:
            errors.setdefault(
                "general", env._("Nothing was saved: please correct the marked fields.")
            )
            form.update(company_name=post.get("company_name", ""), reply=reply)
            return self._permohonan_render_form(permohonan, form, errors)
        errors = self._permohonan_upload(permohonan)
        if post.get("submit") and not errors:
            errors = permohonan._submit_problems()
            if not errors:
                try:
                    with env.cr.savepoint():
                        permohonan.action_submit(
                            note=reply if permohonan.state == "returned" and reply else None
                        )
                except UserError as error:
                    errors = {"general": error.args[0]}
                else:
                    return request.redirect(f"{permohonan.access_url}?message=submitted")
        if errors:
            errors.setdefault(
                "general",
                env._(
                    "The draft is saved, but it needs your attention: see the marked fields "
                    "and documents."
                ),
            )
            form = dict(permohonan._portal_form_values(), reply=reply)
            return self._permohonan_render_form(permohonan, form, errors)
        return request.redirect(f"/my/permohonan/{permohonan.id}/edit?message=saved")

    def _permohonan_upload(self, permohonan):
        """Add a version for each file chosen in a document slot ("document_<type id>")
        through the model, which checks the content, the size and the file name."""
        errors = {}
        DocumentType = request.env["ki.document.type"].sudo()
        for key, upload in request.httprequest.files.items(multi=True):
            type_id = key.removeprefix("document_")
            if key == type_id or not type_id.isdigit() or not upload.filename:
                continue
            doc_type = DocumentType.browse(int(type_id)).exists()
            # never read more than the type allows: one byte more is enough to refuse it
            limit = int(doc_type.max_size_mb * 1024 * 1024) + 1 if doc_type else 1
            data = upload.stream.read(limit)
            try:
                with request.env.cr.savepoint():
                    permohonan.action_upload_document(int(type_id), upload.filename, data)
            except UserError as error:
                errors[key] = error.args[0]
        return errors

    def _permohonan_render_form(self, permohonan, form=None, errors=None, message=None):
        values = self._prepare_portal_layout_values()
        Permohonan = request.env[MODEL]
        fields = Permohonan._fields
        needs_company = not permohonan and Permohonan._portal_needs_company()
        company = (
            permohonan.sudo().partner_id
            if permohonan
            else request.env.user.partner_id.commercial_partner_id
        )
        values.update(
            {
                "permohonan": permohonan.sudo(),
                "page_name": "permohonan_form",
                "form": form if form is not None else permohonan._portal_form_values(),
                "errors": errors or {},
                "message": message,
                "labels": {
                    fname: fields[fname]._description_string(request.env)
                    for fname in APPLICANT_FORM_FIELDS
                },
                "estate_types": fields["estate_type"]._description_selection(request.env),
                "required_fields": SUBMIT_REQUIRED_FIELDS,
                "provinces": Permohonan._portal_provinces(),
                "slots": permohonan._portal_document_slots(),
                "needs_company": needs_company,
                "company": company if not needs_company else False,
                "form_action": f"/my/permohonan/{permohonan.id}/edit"
                if permohonan
                else "/my/permohonan/new",
            }
        )
        return request.render("kawasan_industri_verif.portal_permohonan_form", values)

    # ------------------------------------------------------------------ cancel, letter

    @http.route(
        ["/my/permohonan/<int:permohonan_id>/cancel"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_permohonan_cancel(self, permohonan_id, reason=None, **kw):
        try:
            permohonan = self._permohonan_check_owner(permohonan_id)
        except REFUSED:
            return request.not_found()
        try:
            with request.env.cr.savepoint():
                permohonan.action_cancel(reason=(reason or "").strip()[:TEXT_MAX_LENGTH] or None)
        except UserError as error:
            return self._permohonan_render_page(permohonan.sudo(), error=error.args[0])
        return request.redirect(f"{permohonan.access_url}?message=cancelled")

    @http.route(
        ["/my/permohonan/<int:permohonan_id>/letter"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_permohonan_letter(self, permohonan_id, **kw):
        """The published letter, for the applicant only; the first download closes step 9."""
        try:
            permohonan = self._permohonan_check_owner(permohonan_id)
        except REFUSED:
            return request.not_found()
        letter = permohonan._portal_letter()
        if not letter:
            return request.not_found()
        if permohonan.state == "delivered":
            try:
                with request.env.cr.savepoint():
                    permohonan.action_confirm_download()
            except UserError:
                # e.g. a double click: the other request closes the step, this one downloads
                _logger.info("Download of %s not confirmed by this request", permohonan)
        stream = request.env["ir.binary"]._get_stream_from(letter, mimetype="application/pdf")
        return stream.get_response(as_attachment=True)

    # ------------------------------------------------------------------ survey

    @http.route(
        ["/my/permohonan/<int:permohonan_id>/survey"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_my_permohonan_survey(self, permohonan_id, **post):
        try:
            permohonan = self._permohonan_check_owner(permohonan_id)
        except REFUSED:
            return request.not_found()
        if permohonan.state != "done" or permohonan._portal_survey():
            return request.redirect(permohonan.access_url)
        answers, errors = {}, {}
        if request.httprequest.method == "POST":
            answers, errors = self._survey_parse(post)
            if not errors:
                try:
                    with request.env.cr.savepoint():
                        request.env["ki.survey"].create(dict(answers, permohonan_id=permohonan.id))
                except UserError as error:
                    errors = {"general": error.args[0]}
                else:
                    return request.redirect(f"{permohonan.access_url}?message=rated")
        values = self._prepare_portal_layout_values()
        Survey = request.env["ki.survey"]
        values.update(
            {
                "permohonan": permohonan.sudo(),
                "page_name": "permohonan_survey",
                "elements": [
                    (fname, label, Survey._fields[fname]._description_help(request.env))
                    for fname, label in Survey._element_labels()
                ],
                "scale": Survey._scale_labels(),
                "answers": answers,
                "errors": errors,
            }
        )
        return request.render("kawasan_industri_verif.portal_permohonan_survey", values)

    def _survey_parse(self, post):
        answers, errors = {}, {}
        for fname in ELEMENT_FIELDS:
            raw = str(post.get(fname) or "")
            if raw.isdigit() and int(raw) in SCORES:
                answers[fname] = int(raw)
            else:
                errors[fname] = request.env._("Choose one of the four answers.")
        answers["comment"] = (post.get("comment") or "").strip()[:COMMENT_MAX_LENGTH]
        return answers, errors

    # ------------------------------------------------------------------ public lookup

    @http.route(
        ["/permohonan/status"],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
    )
    def permohonan_status(self, number=None, code=None, **kw):
        """Without logging in: the state and dates of the application with this registration
        number and the verification code printed on the receipt, and nothing else."""
        values = {
            "number": (number or "")[:LOOKUP_NUMBER_MAX_LENGTH],
            "searched": False,
            "result": False,
        }
        if request.httprequest.method == "POST":
            if response := throttled("status"):
                return response
            result = request.env[MODEL]._portal_status_lookup(number, code)
            values.update(searched=True, result=result)
        return request.render("kawasan_industri_verif.portal_permohonan_status", values)
