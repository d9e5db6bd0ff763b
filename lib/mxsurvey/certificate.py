"""The facts of a server's leaf certificate, and whether it is trusted.

The facts are read from the certificate itself (its DER bytes), with the
`cryptography` package.  Whether it is trusted is judged here, after the
handshake (which accepted any certificate), from the certificates the
server sent and a store of trust anchors (the system's, or --ca-file):
each problem found is a word of record.VALIDATION_WORDS, and a certificate
with none is `trusted`.

    expired, not-yet-valid  the leaf's validity period against the time of
                            the exchange
    self-signed             the leaf is signed by its own key, and is no
                            trust anchor
    unknown-issuer          no chain leads from the leaf, through what the
                            server sent, to a trust anchor
    name-mismatch           MXHOST is not among the leaf's DNS names (its
                            subject CN when it has none), as OpenSSL matches
                            them: a `*` stands for one whole left-most label
    invalid                 a chain was found, but it fails another check
                            (a signature, a CA's constraints, an algorithm
                            the verifier does not accept)
    unparsable              the leaf cannot be read, or is larger than
                            record.MAX_CERTIFICATE

The chain is built by cryptography's verifier, with the extensions of the
certificates unchecked (the webpki rules would reject much of what mail
servers show), at the time of the exchange, or, for a leaf outside its
validity period, at the end of it (or start), so that an expired leaf with
a good chain is `expired` and not also `unknown-issuer`.
"""

import contextlib
import datetime
import hashlib
import ipaddress
import re
import ssl
import warnings

from cryptography import utils, x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509 import verification
from cryptography.x509.oid import NameOID

from . import record

_ONE_SECOND = datetime.timedelta(seconds=1)


class BadTrustFile(ValueError):
    """A --ca-file that holds no certificate or cannot be read."""


def trust_store(path=None):
    """The trust anchors in the PEM file `path`, or the system's."""
    if path is None:
        paths = ssl.get_default_verify_paths()
        path = paths.cafile or paths.openssl_cafile
    try:
        with open(path, "rb") as file, _quietly():
            anchors = x509.load_pem_x509_certificates(file.read())
    except OSError as error:
        raise BadTrustFile(f"cannot read {path}: {error.strerror}") from None
    except ValueError:
        raise BadTrustFile(f"{path}: no PEM certificate in it") from None
    return verification.Store(anchors)


def sha256(der):
    """The certificate's SHA-256 fingerprint, in lower-case hex."""
    return hashlib.sha256(der).hexdigest().encode("ascii")


def facts(der):
    """The leaf's facts by their names in record.TODAY (bytes, escaped),
    and the parsed certificate, or None if it cannot be read."""
    found = {"CERT_SHA256": sha256(der)}
    if len(der) > record.MAX_CERTIFICATE:
        return found, None
    try:
        with _quietly():
            cert = x509.load_der_x509_certificate(der)
            found.update({
                "CERT_CN": record.items(map(_item, _common_names(cert))),
                "CERT_SAN": record.items(map(_item, _alternative_names(cert))),
                "CERT_ISSUER": record.escape(cert.issuer.rfc4514_string().encode(
                    "utf-8", "surrogatepass")),
                "CERT_NOT_BEFORE": _iso(cert.not_valid_before_utc),
                "CERT_NOT_AFTER": _iso(cert.not_valid_after_utc),
                "CERT_KEY": _key(cert).encode("ascii"),
                "CERT_SIGNATURE": _signature(cert).encode("ascii"),
            })
    except ValueError:  # cryptography's word for a certificate it cannot read
        return {"CERT_SHA256": found["CERT_SHA256"]}, None
    return found, cert


@contextlib.contextmanager
def _quietly():
    """Certificates as they are (a serial number of zero, say) are data to
    the survey: cryptography's warnings about them are not for stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", utils.CryptographyDeprecationWarning)
        yield


def _item(text):
    return record.escape_item(text.encode("utf-8", "surrogatepass"))


def _common_names(cert):
    return [str(attribute.value)
            for attribute in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


def _alternative_names(cert):
    """The DNS names and IP addresses of subjectAltName, in its order."""
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [str(name.value) for name in names
            if isinstance(name, (x509.DNSName, x509.IPAddress))]


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")


def _key(cert):
    """The key's type and size: RSA-2048, EC-256, DSA-1024, Ed25519..."""
    try:
        key = cert.public_key()
    except (ValueError, TypeError):  # an algorithm cryptography does not know
        return "unknown"
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC-{key.curve.key_size}"
    if isinstance(key, dsa.DSAPublicKey):
        return f"DSA-{key.key_size}"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448"
    return "unknown"


def _signature(cert):
    """The signature algorithm by OpenSSL's name for it (sha256WithRSAEncryption),
    or its dotted OID when it has none."""
    oid = cert.signature_algorithm_oid
    name = getattr(oid, "_name", "")
    return name if name and name != "Unknown OID" else oid.dotted_string


# Validation ------------------------------------------------------------------

def validation(cert, chain, mxhost, store, now):
    """The words of record.VALIDATION_WORDS for a parsed leaf `cert` (None:
    unparsable), the DER certificates the server sent after it (`chain`),
    the exchanger's name (str, or None: no name to match) and the time of
    the exchange (aware, UTC)."""
    if cert is None:
        return ["unparsable"]
    with _quietly():
        return _problems(cert, chain, mxhost, store, now) or ["trusted"]


def _problems(cert, chain, mxhost, store, now):
    words = []
    if now > cert.not_valid_after_utc:
        words.append("expired")
        when = cert.not_valid_after_utc - _ONE_SECOND
    elif now < cert.not_valid_before_utc:
        words.append("not-yet-valid")
        when = cert.not_valid_before_utc + _ONE_SECOND
    else:
        when = now
    problem = _chain_problem(cert, chain, store, when)
    if problem:
        words.append(problem)
    if mxhost and not _name_matches(cert, mxhost):
        words.append("name-mismatch")
    return words


_CA_POLICY = verification.ExtensionPolicy.permit_all().require_present(
    x509.BasicConstraints, verification.Criticality.AGNOSTIC, None)
_LEAF_POLICY = verification.ExtensionPolicy.permit_all()
_NO_PATH = "candidates exhausted: all candidates exhausted with no interior errors"


def _chain_problem(cert, chain, store, when):
    intermediates = []
    for der in chain[1:]:
        try:
            intermediates.append(x509.load_der_x509_certificate(der))
        except ValueError:
            continue  # one unreadable certificate in the chain spoils no other
    verifier = (verification.PolicyBuilder().store(store).time(when)
                .extension_policies(ca_policy=_CA_POLICY, ee_policy=_LEAF_POLICY)
                .build_client_verifier())
    try:
        verifier.verify(cert, intermediates)
        return None
    except verification.VerificationError as error:
        if _self_signed(cert):
            return "self-signed"
        return "unknown-issuer" if _NO_PATH in str(error) else "invalid"


def _self_signed(cert):
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _name_matches(cert, mxhost):
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns_names = names.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        dns_names = _common_names(cert)
    return any(_dns_name_matches(name, mxhost) for name in dns_names)


_WILDCARD = re.compile(r"\*\.[^*]+\.[^*]+")


def _dns_name_matches(pattern, host):
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern == host:
        return True
    if not _WILDCARD.fullmatch(pattern) or is_address(host):
        return False
    first, dot, rest = host.partition(".")
    return bool(dot and first) and rest == pattern[2:]


def is_address(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
