"""What smtpprobe --ehlo records when its own event loop is late: on a
loaded machine, with many exchanges at once, the loop can be busy for
longer than a timeout while a server's answer arrives in time.  A timer
that comes due in the same turn of the loop as that answer must not throw
it away: the reply and the handshake the server completed
in time are kept, and the certificate with them.  And a certificate the
handshake gave stays in the record whatever fails after it.

Real sockets on loopback, a real TLS server in a thread of its own (so
that it goes on while the client's loop is held), the exchange run
in-process so that the test can hold the loop at the moment it means."""

import asyncio
import contextlib
import socket
import threading
import time

import pytest

import certificates
from mxsurvey import certificate, esmtp, smtp, tlsfacts

pytestmark = pytest.mark.timeout(60)

MXHOST = "mx.example.org"
READ_TIMEOUT = 0.3
BUSY = 4 * READ_TIMEOUT   # how long the loop is held: well past every timer
GREETING = b"220 mx.example.org ESMTP\r\n"
EHLO_REPLY = b"250-mx.example.org\r\n250 STARTTLS\r\n"
TLS_EHLO_REPLY = b"250-mx.example.org\r\n250 AUTH PLAIN\r\n"
REPLIES = {b"EHLO": EHLO_REPLY, b"STARTTLS": b"220 go ahead\r\n", b"HELP": b"214 see RFC 5321\r\n",
           b"QUIT": b"221 bye\r\n"}


@pytest.fixture
def pki(tmp_path):
    ca = certificates.authority()
    leaf = certificates.issue(certificates.name(MXHOST), ca, sans=[MXHOST])
    cert_path, key_path = leaf.write(tmp_path, "leaf")
    (tmp_path / "ca.crt").write_bytes(ca.pem())
    return leaf, certificates.server_context(cert_path, key_path), tmp_path / "ca.crt"


class Server:
    """One connection's server on 127.0.0.1, in a thread: the greeting,
    EHLO offering STARTTLS, 220 to STARTTLS, the handshake once the first
    byte of the ClientHello is there, and inside TLS EHLO, HELP and QUIT,
    unless `stall_in_tls`: then silence after the handshake.  `before`
    maps b"EHLO" or b"STARTTLS" (before the reply) or b"TLS" (before the
    handshake) to what to do then."""

    def __init__(self, context, before=None, stall_in_tls=False):
        self.context = context
        self.before = before or {}
        self.stall_in_tls = stall_in_tls
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = self.listener.getsockname()
        self.handshakes = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        with self.listener:
            conn, _ = self.listener.accept()
        with conn, contextlib.suppress(OSError):  # OSError: the client gave up
            conn.sendall(GREETING)
            for expected in (b"EHLO", b"STARTTLS"):
                if _line(conn).split()[:1] != [expected]:
                    return  # the client gave up
                self.before.get(expected, lambda: None)()
                conn.sendall(REPLIES[expected])
            conn.recv(1, socket.MSG_PEEK)
            self.before.get(b"TLS", lambda: None)()
            tls = self.context.wrap_socket(conn, server_side=True)
            self.handshakes += 1
            with tls:
                if self.stall_in_tls:
                    tls.recv(1 << 16)
                    time.sleep(BUSY)
                    return
                while line := _line(tls):
                    verb = line.split()[0].upper()
                    tls.sendall(TLS_EHLO_REPLY if verb == b"EHLO" else REPLIES[verb])
                    if verb == b"QUIT":
                        return

    def join(self):
        self.thread.join(10)


def _line(conn):
    """One command line; the client sends one and waits for its reply."""
    line = b""
    while not line.endswith(b"\n"):
        data = conn.recv(1)
        if not data:
            return line
        line += data
    return line


def exchange(server, ca_file, hold_loop_at_start=False, **limits):
    """Run esmtp.exchange against `server`; return (status, transcript,
    facts, whether the loop was held for BUSY, the seconds it took).  The server's thread may
    call `server.hold()` (given here), which returns once the loop is
    held."""
    limits = smtp.Limits(**{"connect_timeout": READ_TIMEOUT, "read_timeout": READ_TIMEOUT,
                            "deadline": 10.0, "max_bytes": 16384, **limits})
    dialogue = esmtp.Dialogue(name=b"survey.example.net", starttls="offered",
                              context=tlsfacts.client_context(),
                              store=certificate.trust_store(str(ca_file)), timestamp=False)
    held = threading.Event()

    async def pace():
        pass

    async def main():
        loop = asyncio.get_running_loop()

        def busy():  # what a thousand other handshakes do to this one
            held.set()
            time.sleep(BUSY)

        def hold():
            loop.call_soon_threadsafe(busy)
            held.wait(5)

        server.hold = hold
        if hold_loop_at_start:
            loop.call_soon(busy)
        return await esmtp.exchange(socket.AF_INET, server.address, limits, pace, dialogue, MXHOST)

    started = time.monotonic()
    status, transcript, facts = asyncio.run(main())
    elapsed = time.monotonic() - started
    server.join()
    return status, transcript, facts, held.is_set(), elapsed


def test_a_handshake_completed_while_the_loop_was_busy_keeps_its_certificate(pki):
    leaf, context, ca_file = pki
    # The server sends its flight while the loop is held: when the loop
    # goes on, the handshake's last bytes and its timer are due at once.
    server = Server(context, {b"TLS": lambda: server.hold()})
    status, transcript, facts, held, _ = exchange(server, ca_file)
    assert held and server.handshakes == 1
    assert status == "ok"
    assert facts["STARTTLS"] == b"ok", (transcript, facts)
    assert "TLS_FAILURE" not in facts
    assert facts["CERT_SHA256"] == leaf.sha256.encode("ascii")
    assert facts["VALIDATION"] == b"trusted"
    assert facts["TLS_EXTENSIONS"] == b"AUTH=PLAIN"
    assert transcript.endswith(b"\\[quit]221 bye\\r\\n")


def test_a_reply_that_came_while_the_loop_was_busy_past_the_deadline_is_taken(pki):
    _, context, ca_file = pki
    server = Server(context, {b"EHLO": lambda: server.hold()})
    status, transcript, facts, held, _ = exchange(server, ca_file, deadline=BUSY / 2)
    assert held
    assert facts["HELLO"] == b"ehlo" and facts["EXTENSIONS"] == b"STARTTLS"
    # the next step ends at the deadline: at once, or (on a loaded
    # machine) with what its reply brought if it came in the same turn
    assert b"250 STARTTLS\\r\\n\\[starttls]" in transcript and transcript.endswith(b"\\[deadline]")


def test_a_handshake_that_never_ends_is_still_cut_at_the_read_timeout(pki):
    _, context, ca_file = pki
    server = Server(context, {b"TLS": lambda: time.sleep(BUSY)})  # no answer to the ClientHello
    status, transcript, facts, _, seconds = exchange(server, ca_file)
    assert seconds < READ_TIMEOUT + 1
    assert status == "ok" and facts["STARTTLS"] == b"failed"
    assert facts["TLS_FAILURE"] == b"timeout" and transcript.endswith(b"\\[timeout]")
    assert "CERT_SHA256" not in facts


def test_a_handshake_cut_by_the_deadline_says_deadline(pki):
    _, context, ca_file = pki
    server = Server(context, {b"TLS": lambda: time.sleep(BUSY)})
    status, transcript, facts, _, _ = exchange(server, ca_file, read_timeout=5.0, deadline=0.5)
    assert facts["TLS_FAILURE"] == b"deadline" and transcript.endswith(b"\\[deadline]")


def test_the_certificate_is_kept_when_the_server_stalls_after_the_handshake(pki):
    leaf, context, ca_file = pki
    server = Server(context, stall_in_tls=True)
    status, transcript, facts, _, _ = exchange(server, ca_file)
    assert status == "ok" and facts["STARTTLS"] == b"ok" and "TLS_FAILURE" not in facts
    assert transcript.endswith(b"\\[tls]\\[ehlo]\\[timeout]")
    assert facts["CERT_SHA256"] == leaf.sha256.encode("ascii")
    assert facts["CERT_SAN"] == MXHOST.encode("ascii") and facts["VALIDATION"] == b"trusted"
    assert facts["TLS_VERSION"].startswith(b"TLSv1")
