"""PAdES signatures with pyHanko: sign a PDF with a key and its certificate, and check
the signatures a PDF carries against given trust roots. Pure Python, no Odoo; the
`ki.signing` model turns these facts into the office's messages.

Trust roots are always passed explicitly: pyHanko then never reads the operating
system's trust store (which would need oscrypto, whose 1.3.0 release cannot load
OpenSSL 3.0.10 or later)."""

import datetime
import io
import logging

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import QRStamp, QRStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import pki

FIELD_NAME = "Signature"
# Trust problems reported to the verify page, from pyHanko's AdES sub-indications.
EXPIRED = {
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}
NOT_YET_VALID = {AdESIndeterminate.NOT_YET_VALID, AdESFailure.NOT_YET_VALID}
REVOKED = {
    AdESFailure.REVOKED,
    AdESIndeterminate.REVOKED_NO_POE,
    AdESIndeterminate.REVOKED_CA_NO_POE,
}
# A certificate for signing carries digital signature or non-repudiation (BSrE's and
# most CAs' carry both); pyHanko's default would demand non-repudiation alone.
KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)

# pyHanko logs each validation finding (no path to a trust root, an expired certificate,
# a modified file) as a warning with a traceback. Here they are outcomes reported to the
# reader, and the verify page is public: keep them at debug level.
QUIET_LOGGERS = (
    "pyhanko.sign.validation.generic_cms",
    "pyhanko.sign.validation.pdf_embedded",
    "pyhanko.sign.validation.status",
    "pyhanko.sign.diff_analysis.policies",
)


class _ValidationFindingsFilter(logging.Filter):
    def filter(self, record):
        if record.levelno > logging.DEBUG:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


for _name in QUIET_LOGGERS:
    logging.getLogger(_name).addFilter(_ValidationFindingsFilter())


def _asn1_cert(cert):
    return asn1_x509.Certificate.load(pki.der(cert))


def make_signer(key, cert, chain=()):
    """A pyHanko signer for a cryptography private key and certificate; the chain is
    embedded in the signature so that a verifier needs only the root."""
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    registry = SimpleCertificateStore()
    registry.register_multiple([_asn1_cert(c) for c in chain])
    return signers.SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=registry,
    )


def sign(pdf_bytes, signer, reason=None, location=None, name=None):
    """The PDF with one more invisible PAdES signature (an incremental update).
    ValueError when `pdf_bytes` is not a PDF pyHanko can sign."""
    metadata = signers.PdfSignatureMetadata(
        field_name=_free_field_name(pdf_bytes),
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
        name=name or None,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        return signers.sign_pdf(writer, metadata, signer=signer).getvalue()
    except (PdfError, KeyError, TypeError) as error:
        raise ValueError("not a PDF that can be signed") from error


def _free_field_name(pdf_bytes):
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        taken = {sig.field_name for sig in reader.embedded_signatures}
    except (PdfError, KeyError, TypeError, ValueError):
        taken = set()
    index = 1
    while f"{FIELD_NAME}{index}" in taken:
        index += 1
    return f"{FIELD_NAME}{index}"


def _validation_context(reader, roots):
    kwargs = {
        "trust_roots": [_asn1_cert(root) for root in roots],
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
    }
    # Certificates and revocation data embedded in the file (PAdES LT) make "revoked"
    # known without going online.
    dss = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    if dss is not None:
        return dss.as_validation_context(kwargs)
    return ValidationContext(**kwargs)


def validate(pdf_bytes, roots):
    """The signatures of a PDF in signing order, each a dict of facts: field, signer,
    signing time (aware), intact (hash and signature), covers_file (nothing added after
    it), trusted, and problem (None, "untrusted", "expired", "not_yet_valid", "revoked").
    None when the bytes are not a readable PDF."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = sorted(reader.embedded_signatures, key=lambda s: s.signed_revision)
    except (PdfError, KeyError, TypeError, ValueError, IndexError):
        return None
    results = []
    for sig in embedded:
        results.append(_validate_one(reader, sig, roots))
    return results


def _validate_one(reader, sig, roots):
    facts = {
        "field": sig.field_name,
        "signer": None,
        "signing_time": None,
        "intact": False,
        "covers_file": False,
        "trusted": False,
        "problem": "untrusted",
    }
    try:
        status = validate_pdf_signature(
            sig, _validation_context(reader, roots), key_usage_settings=KEY_USAGE
        )
    except (PdfError, ValueError, KeyError, TypeError):
        # a signature dictionary or CMS object too broken to evaluate
        return facts
    cert = status.signing_cert
    facts["signer"] = _common_name(cert)
    timestamp = status.timestamp_validity
    moment = timestamp.timestamp if timestamp and timestamp.intact else status.signer_reported_dt
    facts["signing_time"] = moment.astimezone(datetime.UTC) if moment else None
    facts["intact"] = bool(status.intact and status.valid)
    facts["covers_file"] = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    facts["trusted"] = bool(status.trusted)
    facts["problem"] = None if status.trusted else _problem(status)
    return facts


def _common_name(cert):
    names = [value for key, value in cert.subject.native.items() if key == "common_name"]
    return names[0] if names else cert.subject.human_friendly


def _problem(status):
    indication = status.trust_problem_indic
    if status.revoked or indication in REVOKED:
        return "revoked"
    if indication in EXPIRED:
        return "expired"
    if indication in NOT_YET_VALID:
        return "not_yet_valid"
    return "untrusted"


def stamp_qr(pdf_bytes, url, text, page=0, x=36, y=36):
    """`pdf_bytes` with a QR code of `url` and `text` beside it, drawn on `page` with its
    lower left corner at (x, y) points, as an incremental update of the file."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    # the page's own drawing is wrapped in q/Q, so that what it leaves in the graphics
    # state (a flipped axis, a scale) does not move the stamp
    for data, prepend in ((b"q\n", True), (b"\nQ\n", False)):
        writer.add_stream_to_page(
            page, writer.add_object(generic.StreamObject(stream_data=data)), prepend=prepend
        )
    style = QRStampStyle(stamp_text=text.replace("%", "%%") + "\n%(url)s", border_width=1)
    QRStamp(writer, url=url, style=style).apply(page, x, y)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
