"""A local stand-in of BSrE's esign-client API v2, for tests: a threaded HTTP server on
127.0.0.1 (a free port) that speaks the published contract and signs with pyHanko and a
certificate authority it generates for the run.

- HTTP Basic authentication with the client ID and secret given at start; a wrong pair
  gets 401 with a Spring-style body {"timestamp", "status", "error", "path"}.
- POST /api/v2/sign/pdf {"nik"|"email", "passphrase"|"totp", "signatureProperties": [...],
  "file": ["<base64 PDF>", ...]} -> 200 {"time": <ms>, "file": ["<base64 signed PDF>", ...]}.
- POST /api/v2/sign/get/totp {"nik": ..., "data": 1} or {"email": ..., "data": 3}
  -> 200 {"success": true, "message": ...}; the OTP is kept in `signer.totp`.
- POST /api/v2/verify/pdf {"file": "<base64 PDF>"} -> 200 {"signatureCount", "conclusion",
  "description", "signatureInformations": [...]}.
- Refusals: 400 {"error": <message>, "status_code": <code>} with 2031 (wrong passphrase
  or OTP), 2011 (user not registered), 2021 (no active certificate); an unreadable body
  gets 500 in the Spring shape.
- Switches: `down` (503 with an HTML page, as a proxy in front of a stopped service),
  `delay` (seconds to wait before answering), `malformed` (200 with a body that is not
  the contract's), `unsigned` (200 in the contract's shape, but the PDF sent back unsigned).
"""

import base64
import datetime
import http.server
import json
import secrets
import threading
import time
from dataclasses import dataclass

from ..tools import pades, pki

STATUS_WRONG_CREDENTIAL = 2031
STATUS_NOT_REGISTERED = 2011
STATUS_NO_CERTIFICATE = 2021


@dataclass
class FakeSigner:
    name: str
    passphrase: str
    nik: str = None
    email: str = None
    active: bool = True
    totp: str = None
    key: object = None
    cert: object = None


class FakeBsre:
    """Start with `start()`, stop with `stop()`; `url` is the esign-client's base URL."""

    def __init__(self, client_id="esign", client_secret="rahasia-klien"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.ca_key, self.ca_cert = pki.make_ca("Fake BSrE CA")
        self.signers = []
        self.requests = []  # (path, parsed JSON body) of each authenticated request
        self.down = False
        self.delay = 0
        self.malformed = False
        self.unsigned = False
        self._server = None
        self._thread = None

    # ------------------------------------------------------------------ set-up
    def add_signer(self, name, passphrase, nik=None, email=None, active=True):
        key, cert = pki.make_signer(self.ca_key, self.ca_cert, name, email=email)
        signer = FakeSigner(name, passphrase, nik, email, active, key=key, cert=cert)
        self.signers.append(signer)
        return signer

    def start(self):
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def find(self, body):
        for signer in self.signers:
            if (body.get("nik") and body["nik"] == signer.nik) or (
                body.get("email") and body["email"] == signer.email
            ):
                return signer
        return None

    # ------------------------------------------------------------------ endpoints
    def sign_pdf(self, body):
        signer = self.find(body)
        if signer is None:
            return 400, _error("User tidak terdaftar", STATUS_NOT_REGISTERED)
        if not signer.active:
            return 400, _error("Sertifikat user tidak aktif", STATUS_NO_CERTIFICATE)
        if body.get("totp"):
            if not signer.totp or body["totp"] != signer.totp:
                return 400, _error("TOTP tidak valid", STATUS_WRONG_CREDENTIAL)
            signer.totp = None  # an OTP signs once
        elif body.get("passphrase") != signer.passphrase:
            return 400, _error("Passphrase anda salah", STATUS_WRONG_CREDENTIAL)
        files = body.get("file")
        properties = (body.get("signatureProperties") or [{}])[0]
        if not isinstance(files, list) or not files:
            return 400, _error("File tidak boleh kosong", 2001)
        started = time.monotonic()
        out = []
        signature_signer = pades.make_signer(signer.key, signer.cert, [self.ca_cert])
        for encoded in files:
            try:
                pdf = base64.b64decode(encoded, validate=True)
                signed = pades.sign(
                    pdf, signature_signer, properties.get("reason"), properties.get("location")
                )
            except ValueError:
                return 400, _error("Dokumen tidak valid", 2002)
            out.append(base64.b64encode(pdf if self.unsigned else signed).decode())
        return 200, {"time": int((time.monotonic() - started) * 1000), "file": out}

    def get_totp(self, body):
        signer = self.find(body)
        expected = 1 if body.get("nik") else 3
        if signer is None or body.get("data") != expected:
            return 400, _error("User tidak terdaftar", STATUS_NOT_REGISTERED)
        signer.totp = f"{secrets.randbelow(10**6):06d}"
        return 200, {"success": True, "message": "TOTP berhasil dikirim"}

    def verify_pdf(self, body):
        try:
            pdf = base64.b64decode(body.get("file") or "", validate=True)
        except ValueError:
            return 500, None
        facts = pades.validate(pdf, [self.ca_cert]) or []
        infos = [
            {
                "fieldName": fact["field"],
                "signerName": fact["signer"],
                "signatureDate": fact["signing_time"].isoformat() if fact["signing_time"] else None,
                "integrityValid": fact["intact"] and fact["covers_file"],
                "certificateTrusted": fact["trusted"],
                "signatureFormat": "PAdES-BASELINE-B",
            }
            for fact in facts
        ]
        valid = bool(infos) and all(i["integrityValid"] and i["certificateTrusted"] for i in infos)
        conclusion = "NO_SIGNATURE" if not infos else ("VALID" if valid else "INVALID")
        return 200, {
            "signatureCount": len(infos),
            "conclusion": conclusion,
            "description": conclusion,
            "signatureInformations": infos,
        }


def _error(message, code):
    return {"error": message, "status_code": code}


def _spring_error(status, reason, path):
    return {
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(),
        "status": status,
        "error": reason,
        "path": path,
    }


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up waiting (the timeout test) closes the socket early


class _Handler(http.server.BaseHTTPRequestHandler):
    fake = None  # set on the subclass made by FakeBsre.start()
    routes = {
        "/api/v2/sign/pdf": "sign_pdf",
        "/api/v2/sign/get/totp": "get_totp",
        "/api/v2/verify/pdf": "verify_pdf",
    }

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass  # quiet: the test output is for the tests

    def do_POST(self):
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if fake.delay:
            time.sleep(fake.delay)
        if fake.down:
            return self._send(
                503, b"<html><body>503 Service Unavailable</body></html>", "text/html"
            )
        expected = base64.b64encode(f"{fake.client_id}:{fake.client_secret}".encode()).decode()
        if self.headers.get("Authorization") != f"Basic {expected}":
            return self._json(401, _spring_error(401, "Unauthorized", self.path))
        method = self.routes.get(self.path)
        if method is None:
            return self._json(404, _spring_error(404, "Not Found", self.path))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return self._json(500, _spring_error(500, "Internal Server Error", self.path))
        fake.requests.append((self.path, body))
        if fake.malformed:
            return self._send(200, b'{"time": 12, "file": "not-a-list"', "application/json")
        status, answer = getattr(fake, method)(body)
        if answer is None:
            answer = _spring_error(status, "Internal Server Error", self.path)
        return self._json(status, answer)

    def _json(self, status, payload):
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(self, status, data, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
