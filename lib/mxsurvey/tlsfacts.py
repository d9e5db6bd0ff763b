"""The TLS step of today's dialogue: the handshake after STARTTLS, and the
facts of the session it makes.

The survey records what a server offers, it does not judge it while
shaking hands: the client accepts TLS 1.0 and up, every cipher OpenSSL
still has (security level 0: small keys, SHA-1, old suites), servers
without secure renegotiation, and any certificate (no verification).  The
certificate is judged afterwards, by certificate.validation, and recorded
beside the rest.
"""

import errno
import ssl
import warnings

# OpenSSL 3 refuses servers that lack RFC 5746 secure renegotiation unless
# told otherwise; ssl names the option from Python 3.12 on.
OP_LEGACY_SERVER_CONNECT = getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)


def client_context():
    """An SSLContext that completes a handshake with any server it can."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():  # TLS 1.0 is deprecated: servers still speak it
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    context.options |= OP_LEGACY_SERVER_CONNECT
    context.set_ciphers("ALL:@SECLEVEL=0")
    return context


class HandshakeFailed(Exception):
    """The handshake did not complete; `note` says how (record.NOTES) and
    `reason` why (record.TLS_FAILURE_WORDS)."""

    def __init__(self, note, reason):
        super().__init__(note)
        self.note = note
        self.reason = reason


# OpenSSL's reason codes (SSLError.reason), by the word of
# record.TLS_FAILURE_WORDS they are counted under; an alert the server sent
# is a reason with ALERT in it (SSLV3_ALERT_HANDSHAKE_FAILURE), or one of
# the TLS 1.0 names without it (TLSV1_UNRECOGNIZED_NAME).
_REASONS = {
    "not-tls": ("WRONG_VERSION_NUMBER", "PACKET_LENGTH_TOO_LONG", "HTTP_REQUEST",
                "HTTPS_PROXY_REQUEST", "UNKNOWN_PROTOCOL", "RECORD_LENGTH_MISMATCH"),
    "protocol-version": ("TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL",
                         "NO_PROTOCOLS_AVAILABLE", "WRONG_SSL_VERSION", "VERSION_TOO_LOW",
                         "UNSUPPORTED_SSL_VERSION"),
    "handshake-failure": ("SSLV3_ALERT_HANDSHAKE_FAILURE",),
    "too-large": ("EXCESSIVE_MESSAGE_SIZE", "DATA_LENGTH_TOO_LONG",
                  "ENCRYPTED_LENGTH_TOO_LONG"),
    "bad-certificate-message": ("CERT_LENGTH_MISMATCH", "CERTIFICATE_VERIFY_FAILED",
                                "UNKNOWN_CERTIFICATE_TYPE", "BAD_CERTIFICATE"),
    "closed": ("UNEXPECTED_EOF_WHILE_READING",),
}
_WORD_OF_REASON = {reason: word for word, reasons in _REASONS.items() for reason in reasons}
_ALERTS_WITHOUT_ALERT = ("TLSV1_UNRECOGNIZED_NAME", "TLSV1_BAD_CERTIFICATE_STATUS_RESPONSE",
                         "TLSV1_BAD_CERTIFICATE_HASH_VALUE", "TLSV1_CERTIFICATE_UNOBTAINABLE",
                         "TLSV1_UNSUPPORTED_EXTENSION")


def failure_reason(error):
    """The word of record.TLS_FAILURE_WORDS for an ssl.SSLError of the
    handshake."""
    reason = getattr(error, "reason", None) or ""
    library = getattr(error, "library", None) or ""
    if reason in _WORD_OF_REASON:
        return _WORD_OF_REASON[reason]
    if "_ALERT_" in reason or reason in _ALERTS_WITHOUT_ALERT:
        return "alert"
    if library in ("X509", "ASN1", "PEM") or reason.startswith(("CERT", "X509", "ASN1")):
        return "bad-certificate-message"
    if isinstance(error, ssl.SSLEOFError):
        return "closed"
    if library == "SSL" and reason:
        return "bad-message"
    return "error"


async def handshake(loop, transport, protocol, context, server_name, ends_at, deadline):
    """Step 5: TLS over `transport`, by `ends_at` (the read timeout's end)
    and never past `deadline`; return the TLS transport, whose decrypted
    bytes go to `protocol`.  Raises HandshakeFailed, having closed
    `transport`.

    The time is kept by the handshake's own timer (ssl_handshake_timeout),
    which asyncio cancels when the handshake completes, and not by a timer
    around the call: one that cancels the call would throw away a handshake
    whose last bytes were read in the same turn of the loop as it came due,
    as happens when the loop was busy with other exchanges (many handshakes
    at once on a loaded machine) while those bytes arrived.  The server was
    in time; the lateness was ours."""
    limit = min(ends_at, deadline)
    try:
        return await loop.start_tls(
            transport, protocol, context, server_hostname=server_name,
            ssl_handshake_timeout=max(limit - loop.time(), 0.001))
    except ssl.SSLError as error:
        note, reason = "handshake", failure_reason(error)  # not TLS, an alert, ...
    except ConnectionError as error:
        if isinstance(error, ConnectionAbortedError) and error.errno is None:
            # the handshake's timer (the kernel's ECONNABORTED has its errno)
            note = reason = "deadline" if deadline <= ends_at else "timeout"
        else:
            note = reason = "reset" if error.errno == errno.ECONNRESET else "closed"
    except OSError:
        note = reason = "reset"
    transport.abort()
    raise HandshakeFailed(note, reason)


class Session:
    """What a completed handshake gives: TLS version, cipher and the
    certificates the server sent (DER), its leaf first."""

    def __init__(self, ssl_object):
        self.version = ssl_object.version() or ""
        cipher = ssl_object.cipher()
        self.cipher = cipher[0] if cipher else ""
        self.leaf = ssl_object.getpeercert(binary_form=True)
        self.chain = sent_chain(ssl_object, self.leaf)


def sent_chain(ssl_object, leaf):
    """The certificates the server sent, as DER, in its order; `leaf`, its
    first (DER), or None.

    Python 3.13 offers this as SSLObject.get_unverified_chain(); 3.10 to 3.12
    have the same method on the object inside.  Without either, only the
    leaf is known, and a chain that needs the server's intermediates cannot
    be built (certificate.validation says `unknown-issuer`)."""
    inner = getattr(ssl_object, "_sslobj", None)
    method = (getattr(ssl_object, "get_unverified_chain", None)
              or getattr(inner, "get_unverified_chain", None))
    if method is None:
        return [leaf] if leaf else []
    chain = method() or []
    return [item if isinstance(item, bytes) else item.public_bytes(ssl._ssl.ENCODING_DER)
            for item in chain]
