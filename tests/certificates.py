"""Certificates made for a test: a CA of its own, leaves it signs (or that
sign themselves), written as PEM files for servers and for --ca-file; and
the names a hostile certificate may carry, for hypothesis."""

import datetime
import hashlib
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from hypothesis import strategies as st

NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


def name(common_name, organization=None):
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(attributes)


class Issued:
    """A certificate and its private key."""

    def __init__(self, cert, key):
        self.cert = cert
        self.key = key

    @property
    def der(self):
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def sha256(self):
        return hashlib.sha256(self.der).hexdigest()

    def pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def write(self, directory, stem, chain=()):
        """Write STEM.crt (this certificate, then `chain`) and STEM.key;
        return their paths."""
        cert_path, key_path = directory / f"{stem}.crt", directory / f"{stem}.key"
        cert_path.write_bytes(self.pem() + b"".join(issued.pem() for issued in chain))
        key_path.write_bytes(self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        return cert_path, key_path


def issue(subject, issuer=None, sans=(), ca=False, not_before=NOW - DAY, not_after=NOW + 30 * DAY,
          key=None):
    """A certificate for `subject` (a Name), signed by `issuer` (an Issued)
    or by itself."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    signer = issuer.key if issuer else key
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before)
               .not_valid_after(not_after))
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(san) for san in sans]), False)
    return Issued(builder.sign(signer, hashes.SHA256()), key)


def rsa_key(bits):
    return rsa.generate_private_key(65537, bits)


def authority(common_name="mxsurvey test CA"):
    return issue(name(common_name, "mxsurvey tests"), ca=True,
                 not_before=NOW - 3650 * DAY, not_after=NOW + 3650 * DAY)


def server_context(cert_path, key_path, maximum=None, ciphers=None):
    """A server SSLContext showing the certificate of `cert_path`."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    if maximum:
        context.maximum_version = maximum
    context.set_ciphers(ciphers or "ALL:@SECLEVEL=0")
    context.load_cert_chain(cert_path, key_path)
    return context


def hostile_text(max_size):
    """Names as a hostile certificate may carry them: any character,
    controls, TABs, line ends, commas and backslashes most of all."""
    return st.text(
        st.one_of(st.sampled_from("\t\r\n\x00\x1b\x7f,\\ é€"), st.characters(codec="utf-8")),
        min_size=1, max_size=max_size,
    ).filter(lambda text: len(text.encode("utf-8")) <= 64)  # a name's bound, in bytes


def hostile_dns_name(max_size):
    """A DNS name in a certificate is ASCII (IA5String); any ASCII, controls too."""
    return st.text(
        st.one_of(st.sampled_from("\t\r\n\x00\x1b\x7f,\\ "), st.characters(max_codepoint=127)),
        min_size=1, max_size=max_size)
