"""Certificates for electronic signatures: read a certificate or a PKCS#12 file, and make a
small certificate authority with signer certificates (the demo certificate, the test
fixtures and the local stand-in of the BSrE service). Pure Python, no Odoo."""

import datetime
import hashlib

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

KEY_SIZE = 2048
PEM_MARKER = b"-----BEGIN CERTIFICATE-----"


def _backend():
    # cryptography 3.4 (Odoo 18's pin for Python 3.11) still requires the backend argument.
    return default_backend()


def _name(common_name, organization=None, unit=None, email=None):
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attributes)


def _new_key():
    return rsa.generate_private_key(65537, KEY_SIZE, _backend())


def _utcnow():
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def make_ca(common_name, organization=None, days=3650):
    """A self-signed certificate authority: (private key, certificate)."""
    key = _new_key()
    name = _name(common_name, organization)
    now = _utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256(), _backend())
    )
    return key, cert


def make_signer(
    ca_key,
    ca_cert,
    common_name,
    organization=None,
    unit=None,
    email=None,
    not_before=None,
    not_after=None,
):
    """A signer's certificate issued by the given authority: (private key, certificate).
    Its validity defaults to yesterday until a year from now."""
    key = _new_key()
    now = _utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization, unit, email))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - datetime.timedelta(days=1))
        .not_valid_after(not_after or now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256(), _backend())
    )
    return key, cert


def to_pkcs12(key, cert, chain, passphrase, friendly_name=None):
    """The key, its certificate and the issuing chain as a PKCS#12 file protected by
    `passphrase` (str)."""
    return pkcs12.serialize_key_and_certificates(
        (friendly_name or "signer").encode(),
        key,
        cert,
        list(chain),
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def load_pkcs12(data, passphrase):
    """(private key, certificate, other certificates) of a PKCS#12 file; ValueError when
    the passphrase does not open it or it holds no key and certificate."""
    key, cert, others = pkcs12.load_key_and_certificates(
        data, passphrase.encode() if passphrase else None, _backend()
    )
    if key is None or cert is None:
        raise ValueError("no key or certificate in the PKCS#12 file")
    return key, cert, list(others or [])


def is_pkcs12(data):
    """Whether `data` has the structure of a PKCS#12 file (checked without its passphrase)."""
    try:
        pfx = asn1_pkcs12.Pfx.load(data)
        return pfx["auth_safe"]["content_type"].native in ("data", "signed_data")
    except (ValueError, TypeError, KeyError):
        return False


def load_certificates(data):
    """The X.509 certificates of a PEM file (one or more) or a DER file; ValueError when
    `data` holds none."""
    data = data or b""
    if PEM_MARKER in data:
        certs = []
        for block in data.split(PEM_MARKER)[1:]:
            pem = PEM_MARKER + block.split(b"-----END CERTIFICATE-----")[0]
            pem += b"-----END CERTIFICATE-----\n"
            certs.append(x509.load_pem_x509_certificate(pem, _backend()))
        return certs
    return [x509.load_der_x509_certificate(data, _backend())]


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def sha256_fingerprint(cert):
    """SHA-256 of the DER certificate, as colon-separated upper-case hex pairs."""
    digest = hashlib.sha256(der(cert)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def common_name(name):
    """The common name of an x509.Name, else its RFC 4514 form."""
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return values[0].value if values else name.rfc4514_string()


def is_ca(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False
