"""The certificates of today's world, made when it is written: a
certificate authority of its own (ca.crt, for smtpprobe --ca-file) with an
intermediate that signs the servers' certificates, as public CAs do, and a
certificate for each exchanger name that does TLS, of the kind the world
gave it, in pki/NAME.crt (with the intermediate after it, as a server
sends it) and pki/NAME.key.

    trusted         signed by the world's intermediate, for the exchanger's name
    no-intermediate ... but the server sends it alone, without the
                    intermediate: no chain leads to the CA
    expired         ... whose validity ended yesterday
    self-signed     signed by its own key
    name-mismatch   signed by the CA, for another name
    tls1.0          trusted, with an RSA key, served by TLS 1.0 alone and an
                    old cipher without forward secrecy
    rsa-1024        trusted, with a 1024-bit RSA key

`server_context` makes the TLS context a server shows it with.
"""

import os
import ssl
import warnings

import certificates

CA = "ca.crt"
DIRECTORY = "pki"
OTHER_NAME = "mail.hosting.example"
# What smtpprobe's VALIDATION must say of each kind.  The verifier checks
# signatures and names, not key sizes: a small key is recorded in CERT_KEY.
VALIDATION = {"trusted": "trusted", "no-intermediate": "unknown-issuer",
              "expired": "expired", "self-signed": "self-signed",
              "name-mismatch": "name-mismatch", "tls1.0": "trusted", "rsa-1024": "trusted"}
OLD_CIPHER = "AES128-SHA"
CIPHERS = {"tls1.0": OLD_CIPHER}   # the cipher a kind's server allows alone
RSA_BITS = {"tls1.0": 2048, "rsa-1024": 1024}


def make(directory, servers):
    """Write the CA and a certificate for each name of `servers` that shows
    one; set each server's today["pem"] (the files' stem, relative to
    `directory`) and its truth's CERT_SHA256."""
    os.makedirs(os.path.join(directory, DIRECTORY), exist_ok=True)
    root = certificates.authority("mxsurvey world CA")
    with open(os.path.join(directory, CA), "wb") as out:
        out.write(root.pem())
    now, day = certificates.NOW, certificates.DAY
    authority = certificates.issue(certificates.name("mxsurvey world R1", "mxsurvey tests"),
                                   root, ca=True, not_before=now - 365 * day,
                                   not_after=now + 365 * day)
    keys, made = {}, {}
    for server in servers:
        kind = server.today.get("certificate")
        if not kind:
            continue
        if server.host not in made:
            made[server.host] = issue(kind, server.host, authority, keys)
            sent = [] if kind in ("self-signed", "no-intermediate") else [authority]
            write(directory, server.host, made[server.host], sent)
        server.today["pem"] = os.path.join(DIRECTORY, server.host)
        server.today["truth"]["CERT_SHA256"] = made[server.host].sha256


def issue(kind, host, authority, keys):
    now, day = certificates.NOW, certificates.DAY
    subject = certificates.name(host)
    key = None
    if kind in RSA_BITS:
        if kind not in keys:
            keys[kind] = certificates.rsa_key(RSA_BITS[kind])
        key = keys[kind]
    if kind == "self-signed":
        return certificates.issue(subject, sans=[host])
    if kind == "name-mismatch":
        return certificates.issue(certificates.name(OTHER_NAME), authority, sans=[OTHER_NAME])
    if kind == "expired":
        return certificates.issue(subject, authority, sans=[host],
                                  not_before=now - 90 * day, not_after=now - day)
    return certificates.issue(subject, authority, sans=[host], key=key)


def write(directory, host, issued, chain):
    stem = os.path.join(directory, DIRECTORY, host)
    with open(f"{stem}.crt", "wb") as out:
        out.write(issued.pem() + b"".join(certificate.pem() for certificate in chain))
    with open(f"{stem}.key", "wb") as out:
        out.write(issued.key.private_bytes(
            certificates.serialization.Encoding.PEM,
            certificates.serialization.PrivateFormat.PKCS8,
            certificates.serialization.NoEncryption()))


def server_context(directory, stem, kind):
    """The server's TLS context for a certificate of `kind`."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with warnings.catch_warnings():   # TLS 1.0 is deprecated: that is the point
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        if kind == "tls1.0":
            context.maximum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers(f"{CIPHERS.get(kind, 'ALL')}:@SECLEVEL=0")
    path = os.path.join(directory, stem)
    context.load_cert_chain(f"{path}.crt", f"{path}.key")
    return context
