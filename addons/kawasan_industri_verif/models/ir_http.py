"""Requests are bounded before they are read: an RPC body is refused above the largest upload
the checklist allows (in base64), so no call decodes a bigger file in memory; and the
addon's own pages answer 400 to a NUL byte instead of failing in PostgreSQL."""

from itertools import chain

from odoo import models
from odoo.http import request
from werkzeug.exceptions import BadRequest, LengthRequired, RequestEntityTooLarge

RPC_MIMETYPES = ("application/json", "text/xml", "application/xml")
OWN_ROUTES = ("/my/permohonan", "/permohonan/", "/ki/")
RPC_ENVELOPE = 1024 * 1024  # what an RPC call carries besides the file itself


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        result = super()._pre_dispatch(rule, args)
        httprequest = request.httprequest
        if httprequest.mimetype in RPC_MIMETYPES and request.db:
            upload = request.env["ki.document.type"].sudo()._max_upload_bytes()
            # Werkzeug reads a JSON or XML body whole, whatever its declared length: judge
            # the length first (and a body of unknown length not at all)
            length = httprequest.content_length
            if length is None and httprequest.headers.get("Transfer-Encoding"):
                raise LengthRequired()
            if (length or 0) > upload * 4 // 3 + RPC_ENVELOPE:
                raise RequestEntityTooLarge()
        if rule.rule.startswith(OWN_ROUTES):
            values = chain(args.values(), httprequest.args.values(), httprequest.form.values())
            if any("\x00" in value for value in values if isinstance(value, str)):
                raise BadRequest("NUL byte in the request")
        return result
