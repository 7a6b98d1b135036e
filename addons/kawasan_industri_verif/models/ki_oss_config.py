"""The office's link to the OSS-RBA API: where it is, its credentials, and one HTTP call
with its answer read as the documentation gives it (PIA OSS-RBA API version 5.0.0,
repository oss-rba/oss-rba.github.io, src/endpoint.js; codes in src/footer.md).

Nobody reads this model but the system (its access rights are all off): the settings
write the credentials and never show them again, and they never reach a call's stored
payload or the log."""

import json
import logging
from urllib.parse import urlsplit

import requests
from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

INQUERY_NIB = "inqueryNIB"
RECEIVE_LICENSE_STATUS = "receiveLicenseStatus"
CHECK_LICENSE_STATUS = "checkLicenseStatus"
METHODS = [
    (INQUERY_NIB, "inqueryNIB (NIB data)"),
    (RECEIVE_LICENSE_STATUS, "receiveLicenseStatus (decision reported)"),
    (CHECK_LICENSE_STATUS, "checkLicenseStatus (status in OSS)"),
]
# The envelope of each method's answer, as endpoint.js spells it. checkLicenseStatus is
# spelled three ways there (its field list, its success and its error example): all count.
RESPONSE_KEYS = {
    INQUERY_NIB: ("responinqueryNIB",),
    RECEIVE_LICENSE_STATUS: ("responreceiveLicenseStatus",),
    CHECK_LICENSE_STATUS: (
        "responcheckLicenseStatus",
        "responcheckStatusLicense",
        "responsecheckStatusLicense",
    ),
}
# The documented response codes (Lampiran 9, "kode" of every answer) and what can go wrong
# before OSS answers at all.
DOCUMENTED_CODES = ("400", "401", "403", "404", "405", "500", "504")
OTHER = "other"
NETWORK = "network"
TIMEOUT = "timeout"
BAD_RESPONSE = "bad_response"
NOT_CONFIGURED = "not_configured"
ERROR_CODES = [(code, code) for code in DOCUMENTED_CODES] + [
    (OTHER, "Other answer"),
    (NETWORK, "Unreachable"),
    (TIMEOUT, "No answer in time"),
    (BAD_RESPONSE, "Unreadable answer"),
    (NOT_CONFIGURED, "Not configured"),
]
# Sending the same request again cannot help: its data must change first.
PERMANENT_ERRORS = {"400"}
DEFAULT_TIMEOUT = 30
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class OssError(Exception):
    """A call that did not succeed: `code` (one of ERROR_CODES) and what OSS said."""

    def __init__(self, code, detail=""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


class KiOssConfig(models.Model):
    _name = "ki.oss.config"
    _description = "OSS-RBA Connection"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    url = fields.Char(
        "Endpoint URL",
        help="The base URL of the OSS-RBA API given to the office, without the method name, "
        "e.g. https://api-prd.oss.go.id/v1/kl/rba",
    )
    user_key = fields.Char()
    basic_user = fields.Char()
    basic_password = fields.Char()
    kd_izin = fields.Char(
        "Permit Code (kd_izin)",
        help="The code of the industrial estate business permit in OSS (Lampiran 8), used to "
        "find the permit request among the NIB's checklist and sent with the decision.",
    )
    kd_instansi = fields.Char("Agency Code (kd_instansi)", help="The office's code in OSS.")
    timeout = fields.Integer("Timeout (seconds)", default=DEFAULT_TIMEOUT)

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "One OSS-RBA connection per company."),
    ]

    @api.constrains("url", "kd_izin", "kd_instansi", "timeout")
    def _check_values(self):
        for rec in self:
            rec._check_url(rec.url)
            # endpoint.js, receiveLicenseStatus: kd_izin String(12), kd_instansi String(3)
            if rec.kd_izin and len(rec.kd_izin) > 12:
                raise ValidationError(self.env._("The permit code has at most 12 characters."))
            if rec.kd_instansi and len(rec.kd_instansi) > 3:
                raise ValidationError(self.env._("The agency code has at most 3 characters."))
            if rec.timeout < 1:
                raise ValidationError(self.env._("The timeout must be at least one second."))

    @api.model
    def _check_url(self, url):
        """An http(s) URL without credentials or query; plain http only on this machine."""
        if not url:
            return
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(self.env._("The OSS-RBA endpoint must be an https:// URL."))
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ValidationError(
                self.env._(
                    "Put no credentials, query or fragment in the OSS-RBA endpoint URL: the "
                    "user_key and Basic credentials have their own fields."
                )
            )
        if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
            raise ValidationError(
                self.env._("The OSS-RBA endpoint must use https:// (http only on this machine).")
            )

    @api.model
    def _get(self):
        """The current company's connection as the system; empty when never configured."""
        return self.sudo().search([("company_id", "=", self.env.company.id)], limit=1)

    @api.model
    def _get_or_create(self):
        return self._get() or self.sudo().create({"company_id": self.env.company.id})

    def _is_configured(self):
        return bool(self.url and self.user_key)

    def _post(self, method, body):
        """POST `body` to `method` and return the answer's envelope ({"kode": 200,
        "keterangan", data...}); raise OssError otherwise. The headers (user_key, Basic
        credentials) are built here and never stored or logged."""
        if not self._is_configured():
            raise OssError(NOT_CONFIGURED)
        self.ensure_one()
        # endpoint.js: every method is POST <base>/<method> with the headers
        # Content-Type: application/json and user_key (Basic on the gateways that ask for it)
        headers = {"Content-Type": "application/json", "user_key": self.user_key}
        auth = (self.basic_user, self.basic_password or "") if self.basic_user else None
        try:
            response = requests.post(
                f"{self.url.rstrip('/')}/{method}",
                data=json.dumps(body),
                headers=headers,
                auth=auth,
                timeout=self.timeout or DEFAULT_TIMEOUT,
            )
        except requests.Timeout:
            raise OssError(TIMEOUT) from None
        except requests.RequestException as error:
            # the exception's text may carry the URL: keep only its kind
            raise OssError(NETWORK, type(error).__name__) from None
        return self._read_answer(method, response.status_code, response.content)

    @api.model
    def _read_answer(self, method, status, content):
        """The envelope of a successful answer, else OssError with the documented code.

        OSS gives the code twice: the HTTP status and the envelope's "kode" (endpoint.js
        shows it as a number or a string); an error in either one is an error."""
        try:
            body = json.loads(content or b"null")
        except ValueError:
            body = None
        envelope = self._envelope(method, body)
        kode = str(envelope.get("kode") or "").strip() if envelope else ""
        code = kode or str(status)
        if status >= 400 and code == "200":
            code = str(status)
        if code != "200":
            detail = str((envelope or {}).get("keterangan") or "").strip()
            code_key = code if code in DOCUMENTED_CODES else OTHER
            raise OssError(code_key, (detail or f"HTTP {status}")[:250])
        if envelope is None:
            raise OssError(BAD_RESPONSE, f"HTTP {status}")
        return envelope

    @api.model
    def _envelope(self, method, body):
        if not isinstance(body, dict):
            return None
        for key in RESPONSE_KEYS[method]:
            if isinstance(body.get(key), dict):
                return body[key]
        # an error from a gateway in front of OSS may carry another envelope name
        envelopes = [
            value for value in body.values() if isinstance(value, dict) and "kode" in value
        ]
        return envelopes[0] if len(envelopes) == 1 else None

    @api.model
    def _error_message(self, code, method=None):
        """The message for an error code, in the user's language."""
        _ = self.env._
        if code == "400" and method == INQUERY_NIB:
            return _("OSS does not know this NIB, or the NIB is wrong (400).")
        if code == "400" and method in (RECEIVE_LICENSE_STATUS, CHECK_LICENSE_STATUS):
            return _(
                "OSS does not know this permit request or refused the data sent (400): check "
                "the NIB and the OSS request number, then retry."
            )
        messages = {
            "400": _("OSS refused the request: the data sent is wrong or incomplete (400)."),
            "401": _(
                "OSS refused the office's access key (401): check the user_key in the settings."
            ),
            "403": _("OSS refused access to this data or service for the office (403)."),
            "404": _(
                "The OSS service was not found (404): check the endpoint URL in the settings."
            ),
            "405": _("OSS refused this service to the office (405): ask OSS to open it."),
            "500": _("OSS failed to process the data (500); the call is retried later."),
            "504": _("OSS took too long to process the data (504); the call is retried later."),
            OTHER: _("OSS answered with an unexpected code; the call is retried later."),
            NETWORK: _("OSS cannot be reached right now; the call is retried later."),
            TIMEOUT: _("OSS did not answer in time; the call is retried later."),
            BAD_RESPONSE: _(
                "OSS answered something that is not the documented answer; the call is retried "
                "later."
            ),
            NOT_CONFIGURED: _(
                "The OSS-RBA link is not configured: set the endpoint URL and the user_key in "
                "the settings."
            ),
        }
        return messages.get(code) or messages[OTHER]
