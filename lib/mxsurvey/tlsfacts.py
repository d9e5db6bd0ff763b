"""The TLS step of today's dialogue: the handshake after STARTTLS, and the
facts of the session it makes.

The survey records what a server offers, it does not judge it while
shaking hands: the client accepts TLS 1.0 and up, every cipher OpenSSL
still has (security level 0: small keys, SHA-1, old suites), servers
without secure renegotiation, and any certificate (no verification).  The
certificate is judged afterwards, by certificate.validation, and recorded
beside the rest.
"""

import asyncio
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
    """The handshake did not complete; `note` says how (record.NOTES)."""

    def __init__(self, note):
        super().__init__(note)
        self.note = note


async def handshake(loop, transport, protocol, context, server_name, ends_at, deadline):
    """Step 5: TLS over `transport`, by `ends_at` (the read timeout's end)
    and never past `deadline`; return the TLS transport, whose decrypted
    bytes go to `protocol`.  Raises HandshakeFailed, having closed
    `transport`."""
    limit = min(ends_at, deadline)
    try:
        async with asyncio.timeout_at(limit):
            return await loop.start_tls(
                transport, protocol, context, server_hostname=server_name,
                ssl_handshake_timeout=max(limit - loop.time(), 0.001) + 1)
    except TimeoutError:
        note = "deadline" if loop.time() >= deadline else "timeout"
    except ssl.SSLError:
        note = "handshake"  # not TLS (garbage instead of a ServerHello), or an alert
    except ConnectionError as error:
        note = "reset" if error.errno == errno.ECONNRESET else "closed"
    except OSError:
        note = "reset"
    transport.abort()
    raise HandshakeFailed(note)


class Session:
    """What a completed handshake gives: TLS version, cipher and the
    certificates the server sent (DER), its leaf first."""

    def __init__(self, ssl_object):
        self.version = ssl_object.version() or ""
        cipher = ssl_object.cipher()
        self.cipher = cipher[0] if cipher else ""
        self.leaf = ssl_object.getpeercert(binary_form=True)
        self.chain = sent_chain(ssl_object)


def sent_chain(ssl_object):
    """The certificates the server sent, as DER, in its order.

    Python 3.13 offers this as SSLObject.get_unverified_chain(); 3.10 to 3.12
    have the same method on the object inside.  Without either, only the
    leaf is known, and a chain that needs the server's intermediates cannot
    be built (certificate.validation says `unknown-issuer`)."""
    inner = getattr(ssl_object, "_sslobj", None)
    method = (getattr(ssl_object, "get_unverified_chain", None)
              or getattr(inner, "get_unverified_chain", None))
    leaf = ssl_object.getpeercert(binary_form=True)
    if method is None:
        return [leaf] if leaf else []
    chain = method() or []
    return [item if isinstance(item, bytes) else item.public_bytes(ssl._ssl.ENCODING_DER)
            for item in chain]
