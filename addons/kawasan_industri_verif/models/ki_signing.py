"""The signing service the workflow calls: sign a letter's PDF with a PAdES signature in the
office's mode (BSrE's esign-client API v2, or the office's PKCS#12 certificate), request a
BSrE OTP, and validate the signatures of a PDF for the verify page.

Signing has no side effect: it returns the signed bytes or raises a UserError saying what
went wrong. The passphrase and the OTP only travel as arguments: they are never stored,
logged, put in a message, a context or an exception (the errors raised here are built
outside the `except` blocks, so no exception of `requests`, whose request carries the
body, stays attached to them)."""

import base64
import binascii
import contextlib
import datetime
import logging

import pytz
import requests
from odoo import api, models
from odoo.exceptions import UserError

from ..tools import pades, pki
from .res_company_signing import DEFAULT_TIMEOUT

_logger = logging.getLogger(__name__)

SIGN_PATH = "/api/v2/sign/pdf"
TOTP_PATH = "/api/v2/sign/get/totp"
# esign-client v2 application codes seen in its error bodies {"error": ..., "status_code": ...}
BSRE_WRONG_CREDENTIAL = 2031  # "Passphrase anda salah"
BSRE_NOT_REGISTERED = 2011  # "User tidak terdaftar"
BSRE_NO_ACTIVE_CERTIFICATE = 2021  # registered, but no active certificate
MAX_SERVICE_MESSAGE = 300
DEFAULT_TZ = "Asia/Jakarta"


class KiSigning(models.AbstractModel):
    _name = "ki.signing"
    _description = "Electronic Signature Service"

    # ------------------------------------------------------------------ signing
    @api.model
    def _signing_mode(self, company=None):
        """The office's signing mode: "bsre", "certificate" or "wet"."""
        return (company or self.env.company).sudo().ki_signing_mode

    @api.model
    def _sign_pdf(self, pdf_bytes, user, *, passphrase=None, totp=None, reason=None, location=None):
        """`pdf_bytes` with the invisible PAdES signature of `user`, made the office's way.
        `passphrase` opens the certificate (both modes); BSrE also takes an OTP instead.
        Raises UserError, changing nothing, when the letter cannot be signed."""
        company = self.env.company.sudo()
        mode = company.ki_signing_mode
        if not location:
            settings = (
                self.env["ki.letter.config"]
                .sudo()
                .search([("company_id", "=", company.id)], limit=1)
            )
            location = settings.city
        if mode == "certificate":
            signed = self._sign_with_certificate(company, pdf_bytes, passphrase, reason, location)
        elif mode == "bsre":
            signed = self._sign_with_bsre(
                company, pdf_bytes, user, passphrase, totp, reason, location
            )
        else:
            raise UserError(
                self.env._(
                    "This office signs its letters on paper (wet signature): the signed scan "
                    "is uploaded when the letter is numbered."
                )
            )
        _logger.info("Signed a %s-byte PDF for user %s (mode %s)", len(pdf_bytes), user.id, mode)
        return signed

    def _sign_with_certificate(self, company, pdf_bytes, passphrase, reason, location):
        if not passphrase:
            raise UserError(self.env._("Enter the passphrase of the office certificate."))
        data = company.with_context(bin_size=False).ki_signing_certificate
        if not data:
            raise UserError(
                self.env._(
                    "No office certificate has been uploaded: the administrator uploads it in "
                    "Settings, Signing."
                )
            )
        opened = None
        # reported below, outside the handler, with no trace of the passphrase
        with contextlib.suppress(ValueError, TypeError):
            opened = pki.load_pkcs12(base64.b64decode(data), passphrase)
        if opened is None:
            _logger.info("Signing refused: the office certificate did not open")
            raise UserError(
                self.env._(
                    "The passphrase does not open the office certificate. Nothing was signed: "
                    "check the passphrase and try again."
                )
            )
        key, cert, chain = opened
        self._check_certificate_dates(cert)
        signed = None
        with contextlib.suppress(ValueError):
            signed = pades.sign(pdf_bytes, pades.make_signer(key, cert, chain), reason, location)
        if signed is None:
            raise UserError(self.env._("The letter could not be signed: it is not a valid PDF."))
        return signed

    def _check_certificate_dates(self, cert):
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        if cert.not_valid_after < now:
            raise UserError(
                self.env._(
                    "The office certificate expired on %(date)s: it cannot sign any more. "
                    "The administrator uploads a new one in Settings, Signing.",
                    date=self._ki_format_time(cert.not_valid_after),
                )
            )
        if cert.not_valid_before > now:
            raise UserError(
                self.env._(
                    "The office certificate is valid only from %(date)s.",
                    date=self._ki_format_time(cert.not_valid_before),
                )
            )

    def _sign_with_bsre(self, company, pdf_bytes, user, passphrase, totp, reason, location):
        identity, _otp_data = user._ki_bsre_identity()
        if not identity:
            raise UserError(self._bsre_no_identity(user))
        if not (passphrase or totp):
            raise UserError(self.env._("Enter the BSrE passphrase or the OTP."))
        properties = {"tampilan": "INVISIBLE"}
        if reason:
            properties["reason"] = reason
        if location:
            properties["location"] = location
        payload = dict(
            identity,
            signatureProperties=[properties],
            file=[base64.b64encode(pdf_bytes).decode()],
        )
        if totp:
            payload["totp"] = totp
        else:
            payload["passphrase"] = passphrase
        answer = self._bsre_post(company, SIGN_PATH, payload, user, secrets=(passphrase, totp))
        signed = self._bsre_signed_file(answer)
        if signed is None:
            _logger.warning("BSrE answered the signing request with no usable signed PDF")
            raise UserError(self._bsre_unreadable())
        return signed

    def _bsre_signed_file(self, answer):
        """The signed PDF in an esign-client answer {"time": ..., "file": ["<base64>"]},
        None unless it is a PDF whose last signature is intact and covers the file."""
        files = answer.get("file") if isinstance(answer, dict) else None
        if not isinstance(files, list) or len(files) != 1 or not isinstance(files[0], str):
            return None
        try:
            signed = base64.b64decode(files[0], validate=True)
        except (binascii.Error, ValueError):
            return None
        facts = pades.validate(signed, self.env["ki.trust.root"]._ki_active_certificates())
        if not facts or not facts[-1]["intact"] or not facts[-1]["covers_file"]:
            return None
        return signed

    @api.model
    def _request_totp(self, user):
        """Ask BSrE to send `user` an OTP for signing (esign-client's get/totp)."""
        company = self.env.company.sudo()
        if company.ki_signing_mode != "bsre":
            raise UserError(self.env._("An OTP is only used when the office signs with BSrE."))
        identity, otp_data = user._ki_bsre_identity()
        if not identity:
            raise UserError(self._bsre_no_identity(user))
        answer = self._bsre_post(company, TOTP_PATH, dict(identity, data=otp_data), user)
        if isinstance(answer, dict) and answer.get("success") is False:
            raise UserError(self._bsre_refusal(200, answer, user, ()))
        _logger.info("BSrE OTP requested for user %s", user.id)
        return True

    # ------------------------------------------------------------------ BSrE transport
    def _bsre_post(self, company, path, payload, user, secrets=()):
        """POST `payload` as JSON to the office's esign-client with its client credentials;
        the decoded JSON answer of a success, else a UserError saying what happened."""
        if not company.ki_bsre_url:
            raise UserError(
                self.env._(
                    "The BSrE service URL is not set: the administrator sets it in Settings, "
                    "Signing."
                )
            )
        client_id = company.ki_bsre_client_id
        client_secret = company._ki_bsre_client_secret()
        if not (client_id and client_secret):
            raise UserError(
                self.env._(
                    "The office's BSrE client ID and secret are not set: the administrator sets "
                    "them in Settings, Signing."
                )
            )
        url = company.ki_bsre_url.strip().rstrip("/") + path
        timeout = company.ki_bsre_timeout or DEFAULT_TIMEOUT
        response = failure = None
        try:
            response = requests.post(
                url, json=payload, auth=(client_id, client_secret), timeout=timeout
            )
        except requests.Timeout:
            failure = "timeout"
        except requests.ConnectionError:
            failure = "unreachable"
        except requests.RequestException:
            failure = "failed"
        if failure:
            _logger.warning("BSrE request to %s failed: %s", path, failure)
            raise UserError(self._bsre_transport_error(failure, timeout))
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code == 200 and not isinstance(body, dict):
            _logger.warning("BSrE answered the request to %s with an unreadable body", path)
            raise UserError(self._bsre_unreadable())
        if response.status_code == 200 and not body.get("error"):
            return body
        _logger.warning("BSrE refused the request to %s: HTTP %s", path, response.status_code)
        raise UserError(self._bsre_refusal(response.status_code, body, user, secrets))

    def _bsre_transport_error(self, failure, timeout):
        if failure == "timeout":
            return self.env._(
                "The BSrE service did not answer within the time limit (%(seconds)s s). "
                "Nothing was signed; try again in a moment.",
                seconds=timeout,
            )
        if failure == "unreachable":
            return self.env._(
                "The BSrE service cannot be reached: it is down or the network is cut. Nothing "
                "was signed; try again later."
            )
        return self.env._("The request to the BSrE service failed. Nothing was signed.")

    def _bsre_unreadable(self):
        return self.env._(
            "The BSrE service answered, but with something that could not be read as a signed "
            "letter. Nothing was signed; try again later or tell the administrator."
        )

    def _bsre_refusal(self, status, body, user, secrets):
        """The signer's message for an error answer of the esign-client."""
        body = body if isinstance(body, dict) else {}
        code = body.get("status_code")
        message = body.get("error") or body.get("message")
        message = message if isinstance(message, str) else ""
        lowered = message.lower()
        if status == 401:
            return self.env._(
                "The BSrE service refused the office's client ID and secret. The administrator "
                "checks them in Settings, Signing."
            )
        if code == BSRE_WRONG_CREDENTIAL or "passphrase" in lowered:
            return self.env._(
                "BSrE refused the signature: the passphrase or the OTP is wrong. Nothing was "
                "signed."
            )
        if code == BSRE_NOT_REGISTERED or "tidak terdaftar" in lowered:
            return self.env._(
                "%(signer)s is not registered at BSrE with the NIK or e-mail set on their user. "
                "Nothing was signed.",
                signer=user.name,
            )
        if code == BSRE_NO_ACTIVE_CERTIFICATE or "sertifikat" in lowered:
            return self.env._(
                "The BSrE certificate of %(signer)s is not active (not issued yet, expired or "
                "revoked). Nothing was signed.",
                signer=user.name,
            )
        if status >= 500:
            return self.env._(
                "The BSrE service is unavailable or failed (HTTP %(status)s). Nothing was "
                "signed; try again later.",
                status=status,
            )
        if message:
            return self.env._(
                "BSrE refused the request (HTTP %(status)s): %(message)s",
                status=status,
                message=self._scrub(message, secrets),
            )
        return self.env._("BSrE refused the request (HTTP %(status)s).", status=status)

    def _bsre_no_identity(self, user):
        return self.env._(
            "%(signer)s has no BSrE identity: the administrator sets their NIK or BSrE e-mail "
            "on their user.",
            signer=user.name,
        )

    @api.model
    def _scrub(self, text, secrets):
        """`text` from the service, shortened, with any secret it might echo masked."""
        for secret in secrets:
            if secret:
                text = text.replace(secret, "***")
        return text[:MAX_SERVICE_MESSAGE]

    # ------------------------------------------------------------------ validation
    @api.model
    def _validate_pdf(self, data):
        """What the verify page shows about the signatures of a PDF: signed or not, intact
        or modified after signing, the signer, the signing time (naive UTC), whether the
        certificate chains to an active trust root (trust_status: trusted, untrusted,
        expired, not_yet_valid, revoked), each signature, and a one-line summary."""
        facts = pades.validate(data or b"", self.env["ki.trust.root"]._ki_active_certificates())
        result = {
            "readable": facts is not None,
            "signed": bool(facts),
            "intact": False,
            "modified": False,
            "signer_name": "",
            "signing_time": False,
            "trusted": False,
            "trust_status": False,
            "trust_label": "",
            "signatures": [],
        }
        if facts is None:
            result["summary"] = self.env._("This file is not a readable PDF.")
            return result
        if not facts:
            result["summary"] = self.env._("This PDF carries no electronic signature.")
            return result
        labels = self._trust_labels()
        for fact in facts:
            status = fact["problem"] or "trusted"
            result["signatures"].append(
                {
                    "field": fact["field"],
                    "signer_name": fact["signer"] or "",
                    "signing_time": self._naive_utc(fact["signing_time"]),
                    "intact": fact["intact"],
                    "covers_file": fact["covers_file"],
                    "trust_status": status,
                    "trust_label": labels[status],
                }
            )
        last = result["signatures"][-1]
        intact = all(s["intact"] for s in result["signatures"]) and last["covers_file"]
        result.update(
            intact=intact,
            modified=not intact,
            signer_name=last["signer_name"],
            signing_time=last["signing_time"],
            trusted=last["trust_status"] == "trusted",
            trust_status=last["trust_status"],
            trust_label=last["trust_label"],
        )
        result["summary"] = self._validation_summary(result)
        return result

    def _trust_labels(self):
        return {
            "trusted": self.env._("The certificate is issued by a trusted authority."),
            "untrusted": self.env._("The certificate is not issued by a trusted authority."),
            "expired": self.env._("The certificate has expired."),
            "not_yet_valid": self.env._("The certificate is not valid yet."),
            "revoked": self.env._("The certificate has been revoked."),
        }

    def _validation_summary(self, result):
        signer = result["signer_name"] or self.env._("an unknown signer")
        when = self._ki_format_time(result["signing_time"])
        if not result["intact"]:
            return self.env._(
                "Signed by %(signer)s on %(time)s, but the document was changed after it was "
                "signed: the signature no longer matches.",
                signer=signer,
                time=when,
            )
        messages = {
            "trusted": self.env._(
                "Signed by %(signer)s on %(time)s and unchanged since; the certificate is "
                "issued by a trusted authority.",
                signer=signer,
                time=when,
            ),
            "untrusted": self.env._(
                "Signed by %(signer)s on %(time)s and unchanged since, but the certificate is "
                "not issued by a trusted authority.",
                signer=signer,
                time=when,
            ),
            "expired": self.env._(
                "Signed by %(signer)s on %(time)s and unchanged since, but the certificate has "
                "expired.",
                signer=signer,
                time=when,
            ),
            "not_yet_valid": self.env._(
                "Signed by %(signer)s on %(time)s and unchanged since, but the certificate is "
                "not valid yet.",
                signer=signer,
                time=when,
            ),
            "revoked": self.env._(
                "Signed by %(signer)s on %(time)s and unchanged since, but the certificate has "
                "been revoked.",
                signer=signer,
                time=when,
            ),
        }
        return messages[result["trust_status"]]

    @api.model
    def _naive_utc(self, moment):
        return moment.astimezone(datetime.UTC).replace(tzinfo=None) if moment else False

    @api.model
    def _ki_format_time(self, moment):
        """A naive UTC datetime in the office's time zone with its abbreviation (WIB)."""
        if not moment:
            return "-"
        calendar = self.env.company.sudo()._ki_calendar()
        zone = pytz.timezone(calendar.tz or DEFAULT_TZ)
        return pytz.utc.localize(moment).astimezone(zone).strftime("%d-%m-%Y %H:%M %Z")
