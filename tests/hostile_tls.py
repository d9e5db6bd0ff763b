"""Hostile TLS servers for scripted_smtp.esmtp(tls=...): each a coroutine
function that takes the Peer once the server has said yes to STARTTLS and
plays its part of the handshake, written here record by record, as no TLS
library would.

The records follow RFC 5246 (TLS 1.2) and RFC 8446 (alerts, versions).
"""

import asyncio
import os
import socket
import struct

HANDSHAKE, ALERT = 22, 21
SERVER_HELLO, CERTIFICATE = 2, 11
FATAL = 2
ALERT_CODES = {"handshake_failure": 40, "protocol_version": 70, "internal_error": 80,
               "unrecognized_name": 112}
TLS12, SSL3 = b"\x03\x03", b"\x03\x00"
ECDHE_RSA_AES128_GCM_SHA256 = b"\xc0\x2f"  # offered by every OpenSSL client
RSA_AES128_SHA = b"\x00\x2f"
RECORD_MAX = 1 << 14


def record(content_type, payload, version=TLS12):
    return bytes([content_type]) + version + struct.pack(">H", len(payload)) + payload


def handshake_message(kind, body):
    return bytes([kind]) + struct.pack(">I", len(body))[1:] + body


def server_hello(version=TLS12, cipher=ECDHE_RSA_AES128_GCM_SHA256):
    """A ServerHello without extensions: random, no session id, no compression."""
    return handshake_message(SERVER_HELLO, version + os.urandom(32) + b"\x00" + cipher + b"\x00")


async def _client_hello(peer):
    """Read what the client sends first (its ClientHello), whatever it is."""
    return await peer.reader.read(1 << 16)


def answer_with(data):
    """Answer the ClientHello with `data`, then wait for the client to go."""
    async def behaviour(peer):
        await _client_hello(peer)
        await peer.send(data)
        await peer.drain_input()
    return behaviour


def garbage():
    """Not TLS at all: a line of HTTP where the ServerHello should be."""
    return answer_with(b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


def alert(name):
    """A fatal alert instead of a ServerHello."""
    return answer_with(record(ALERT, bytes([FATAL, ALERT_CODES[name]])))


def sslv3_hello():
    """A ServerHello that picks SSL 3.0."""
    return answer_with(record(HANDSHAKE, server_hello(SSL3, RSA_AES128_SHA), SSL3))


def huge_certificate_chain(size=4 << 20):
    """A ServerHello, then a Certificate message of `size` bytes, sent in
    full records as fast as the client reads them: megabytes of chain."""
    async def behaviour(peer):
        await _client_hello(peer)
        await peer.send(record(HANDSHAKE, server_hello()))
        certificates = size - 3
        header = handshake_message(CERTIFICATE, b"")[:1] + struct.pack(">I", size)[1:]
        await peer.send(record(HANDSHAKE, header + struct.pack(">I", certificates)[1:]))
        sent = 0
        try:
            while sent < certificates:
                chunk = os.urandom(min(RECORD_MAX, certificates - sent))
                await peer.send(record(HANDSHAKE, chunk))
                sent += len(chunk)
        except ConnectionError:
            return
        await peer.drain_input()
    return behaviour


def trickle(interval=0.2):
    """A handshake that never ends: a ServerHello's record, a byte at a time
    `interval` seconds apart, for ever."""
    async def behaviour(peer):
        await _client_hello(peer)
        data = record(HANDSHAKE, server_hello() + b"\x00" * RECORD_MAX)[:RECORD_MAX]
        try:
            for byte in data:
                await peer.send(bytes([byte]))
                await asyncio.sleep(interval)
        except ConnectionError:
            return
    return behaviour


def close_in_handshake():
    """The connection closed (FIN) where the ServerHello should be."""
    async def behaviour(peer):
        await _client_hello(peer)
        peer.writer.close()
    return behaviour


def reset_in_handshake():
    """The connection reset where the ServerHello should be."""
    async def behaviour(peer):
        await _client_hello(peer)
        peer.reset()
    return behaviour


def close_mid_ehlo(context):
    """A real handshake (`context`), then half of a reply to EHLO, and the
    TCP connection closed without TLS's close_notify."""
    async def behaviour(peer):
        await peer.writer.start_tls(context)
        await peer.read_line()
        await peer.send(b"250-mx.example.org\r\n250-PIPEL")
        peer.writer.transport.abort()
    return behaviour


def renegotiating(cert, key, requests=1):
    """A real TLS 1.2 server, OpenSSL's s_server, behind the SMTP dialogue:
    after the client's EHLO inside TLS it sends `requests` HelloRequests
    (renegotiation, one each 0.1 s), then answers EHLO, HELP and QUIT."""
    async def behaviour(peer):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = await asyncio.create_subprocess_exec(
            "openssl", "s_server", "-tls1_2", "-cert", str(cert), "-key", str(key),
            "-accept", f"127.0.0.1:{port}", "-naccept", "1", "-crlf",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT)
        relays = []
        try:
            while b"ACCEPT" not in await server.stdout.readline():
                pass
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            relays = [asyncio.ensure_future(_relay(peer.reader, writer)),
                      asyncio.ensure_future(_relay(reader, peer.writer))]
            for command, reply in ((b"EHLO", b"250 mx.example.org\n"), (b"HELP", b"214 help\n"),
                                   (b"QUIT", b"221 bye\n")):
                while command not in (line := await server.stdout.readline()):
                    if not line:
                        return
                if command == b"EHLO":
                    for _ in range(requests):
                        server.stdin.write(b"r\n")
                        await server.stdin.drain()
                        await asyncio.sleep(0.1)
                server.stdin.write(reply)
                await server.stdin.drain()
            await asyncio.sleep(0.5)
        finally:
            for relay in relays:
                relay.cancel()
            if server.returncode is None:
                server.kill()
            await server.wait()
    return behaviour


async def _relay(reader, writer):
    try:
        while data := await reader.read(1 << 16):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
