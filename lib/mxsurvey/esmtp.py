"""Today's SMTP exchange (smtpprobe --ehlo), in numbered steps named as in
RFC 5321 and RFC 3207:

    1. connect, as smtp.exchange does
    2. banner: read the whole greeting
    3. ehlo: send EHLO NAME, read the reply; on 5xx, helo: send HELO NAME
    4. starttls: when the reply offered it (or always, or never), send
       STARTTLS and read the reply; on 2xx
    5. tls: the TLS handshake, then EHLO NAME again inside TLS, for what a
       server offers only there
    6. help: send HELP, read the whole reply
    7. quit: send QUIT, read its reply briefly
    8. close

Every step is under the same read timeout and the one deadline of the
exchange; a failure at any step ends the exchange, keeping what came before.
The transcript is every byte the server sent in SMTP (inside TLS,
decrypted; the TLS records themselves are not SMTP and are not recorded),
with a step note (record.STEPS) where each command was sent.  The facts
are a dict of record.TODAY's names to their fields.
"""

import asyncio
import datetime
import errno
import re
from typing import NamedTuple

from . import certificate, record, smtp, tlsfacts

EHLO, HELO, STARTTLS, HELP, QUIT = b"EHLO", b"HELO", b"STARTTLS", b"HELP", b"QUIT"
WHEN_STARTTLS = ("offered", "always", "never")


class Dialogue(NamedTuple):
    """What today's dialogue says and how it judges what it hears."""
    name: bytes          # the client's name in EHLO and HELO
    starttls: str        # one of WHEN_STARTTLS
    context: object      # tlsfacts.client_context()
    store: object        # certificate.trust_store()
    timestamp: bool      # whether BEGAN is filled in


class _Ended(Exception):
    """No more replies: `note` says why (record.NOTES)."""

    def __init__(self, note):
        super().__init__(note)
        self.note = note


async def exchange(family, sockaddr, limits, pace, dialogue, mxhost=None, source=None):
    """Probe one server; return (status, escaped transcript, facts).
    `mxhost` (str) is the exchanger's name, for SNI and for the
    certificate's name, or None."""
    loop = asyncio.get_running_loop()
    facts = {}
    began = []

    async def paced():  # the exchange begins when its first connection may start
        await pace()
        if not began:
            began.append(datetime.datetime.now(datetime.timezone.utc))
            if dialogue.timestamp:
                facts["BEGAN"] = began[0].strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")

    try:
        sock, deadline = await smtp.connect(loop, family, sockaddr, limits, paced, source)
    except smtp.NoConnection as failed:
        return (*failed.outcome, facts)
    server = _Server(loop, limits, deadline)
    try:
        await loop.create_connection(lambda: server, sock=sock)
    except OSError as error:
        sock.close()
        return (*smtp.failure(error), facts)
    try:
        await _steps(server, dialogue, mxhost, began[0], facts)
    except _Ended as ended:
        server.note = ended.note
    finally:
        server.close()
    return (*server.outcome(), facts)


async def _steps(server, dialogue, mxhost, began, facts):
    await server.reply()                                            # 2. banner
    reply = await server.command(EHLO, dialogue.name, "ehlo")       # 3. ehlo
    offered = set()
    if _positive(reply):
        facts["HELLO"] = b"ehlo"
        offered = extensions(reply)
        facts["EXTENSIONS"] = record.items(sorted(offered))
    elif reply[:1] == b"5":
        facts["HELLO"] = b"refused"
        if _positive(await server.command(HELO, dialogue.name, "helo")):
            facts["HELLO"] = b"helo"
    else:
        facts["HELLO"] = b"refused"
    facts["STARTTLS_OFFERED"] = b"yes" if b"STARTTLS" in offered else b"no"
    if dialogue.starttls == "always" or (
            dialogue.starttls == "offered" and b"STARTTLS" in offered):
        await _starttls(server, dialogue, mxhost, began, facts)     # 4, 5
    await server.command(HELP, None, "help")                     # 6. help
    await server.command(QUIT, None, "quit", wait=smtp.QUIT_WAIT)  # 7. quit


async def _starttls(server, dialogue, mxhost, began, facts):
    facts["STARTTLS"] = b"unanswered"
    reply = await server.command(STARTTLS, None, "starttls")   # 4. starttls
    if not _positive(reply):
        facts["STARTTLS"] = b"refused"
        return
    facts["STARTTLS"] = b"failed"
    try:
        session = await server.start_tls(dialogue.context, _server_name(mxhost))  # 5. tls
    except _Ended:
        facts["TLS_FAILURE"] = server.tls_failure.encode("ascii")
        raise
    facts["STARTTLS"] = b"ok"
    facts["TLS_VERSION"] = session.version.encode("ascii")
    facts["CIPHER"] = session.cipher.encode("ascii")
    if session.leaf:
        found, cert = certificate.facts(session.leaf)
        facts.update(found)
        words = certificate.validation(cert, session.chain, mxhost, dialogue.store, began)
        facts["VALIDATION"] = record.items(word.encode("ascii") for word in words)
    reply = await server.command(EHLO, dialogue.name, "ehlo")
    if _positive(reply):
        facts["TLS_EXTENSIONS"] = record.items(sorted(extensions(reply)))


def _positive(reply):
    return reply[:1] == b"2"


_KEYWORD = re.compile(rb"[0-9]{3}[ -]([A-Za-z0-9][A-Za-z0-9-]*)(?:[ =]([^\r\n]*))?\r?\n?")
_MECHANISM = re.compile(rb"[A-Za-z0-9_-]+")


def extensions(reply):
    """The EHLO keywords of a positive reply, upper-cased, without their
    parameters but for AUTH, written once for each mechanism (AUTH=PLAIN),
    the old `AUTH=LOGIN PLAIN` read as `AUTH LOGIN PLAIN`.  The first line
    names the server, not an extension; a line that is not a keyword is
    left out (the transcript has it)."""
    found = set()
    for line in reply.split(b"\n")[1:]:
        match = _KEYWORD.fullmatch(line + b"\n")
        if not match:
            continue
        keyword = match.group(1).upper()
        mechanisms = _MECHANISM.findall(match.group(2) or b"") if keyword == b"AUTH" else ()
        found.update(b"AUTH=" + mechanism.upper() for mechanism in mechanisms)
        if not mechanisms:
            found.add(keyword)
    return found


_HOST_NAME = re.compile(r"(?=.{1,253}\Z)[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*", re.ASCII)


def _server_name(mxhost):
    """The name to send in SNI: MXHOST if it is a plain host name (not one
    with DNS escapes, nor an address), else None."""
    if mxhost and _HOST_NAME.fullmatch(mxhost) and not certificate.is_address(mxhost):
        return mxhost
    return None


_CONTINUED = re.compile(rb"[0-9]{3}-")


class _Server(asyncio.Protocol):
    """The server's side of the connection: its bytes recorded as they come,
    and handed out a reply at a time."""

    def __init__(self, loop, limits, deadline):
        self.loop = loop
        self.read_timeout = limits.read_timeout
        self.max_bytes = limits.max_bytes
        self.deadline = deadline
        self.size = 0                  # bytes received, all told
        self.transcript = bytearray()  # escaped, with step notes
        self.unread = bytearray()      # bytes not yet taken as a reply
        self.scanned = 0               # unread[:scanned] is whole lines of a reply begun
        self.last_heard = loop.time()
        self.transport = None
        self.waiter = None
        self.gone = None               # why no more bytes will come (a note word)
        self.lost = None               # the error that broke the connection, if one did
        self.note = None               # why the exchange ended early, or None
        self.tls_failure = None        # why the handshake failed (a word), or None

    def connection_made(self, transport):
        self.transport = transport
        self.last_heard = self.loop.time()

    def data_received(self, data):
        if self.gone:
            return
        self.last_heard = self.loop.time()
        room = self.max_bytes - self.size
        kept = data[:room]
        self.size += len(kept)
        self.transcript += record.escape(kept)
        self.unread += kept
        if len(data) >= room:
            self._stop("cut")
        self._wake()

    def eof_received(self):
        return False  # the transport closes; connection_lost says why

    def connection_lost(self, error):
        if not self.gone:
            self.lost = error
            self._stop("closed" if error is None else "reset")
        self._wake()

    def _stop(self, why):
        self.gone = why

    def _wake(self):
        if self.waiter and not self.waiter.done():
            self.waiter.set_result(None)

    async def command(self, verb, argument, step, wait=None):
        """Send a command (with its argument) and return the whole reply."""
        line = verb + (b" " + argument if argument else b"") + b"\r\n"
        if self.gone:
            raise _Ended(self.gone)
        self.transcript += record.note(step)
        self.transport.write(line)
        self.last_heard = self.loop.time()
        return await self.reply(wait)

    async def reply(self, wait=None):
        """The next whole reply: its lines up to the first that is not
        `ddd-...`.  Raises _Ended when there is none to be had."""
        wait = self.read_timeout if wait is None else min(self.read_timeout, wait)
        due = False  # whether the timer came due
        while True:
            if self.gone == "cut":
                raise _Ended("cut")
            whole = self._take_reply()
            if whole is not None:
                return whole
            if self.gone:
                raise _Ended(self.gone)
            # Time is judged only once the timer came due, and after what
            # came by then is taken: when the loop was busy with other
            # exchanges, the reply and the timer come in the same turn of
            # it, and the reply is the server's in time.
            if due and self.loop.time() >= self.deadline:
                raise _Ended("deadline")
            if due and self.loop.time() >= self.last_heard + wait:
                raise _Ended("timeout")
            self.waiter = self.loop.create_future()
            try:
                async with asyncio.timeout_at(min(self.last_heard + wait, self.deadline)):
                    await self.waiter
            except TimeoutError:
                due = True

    def _take_reply(self):
        unread = self.unread
        while True:
            newline = unread.find(b"\n", self.scanned)
            if newline < 0:
                return None
            start, self.scanned = self.scanned, newline + 1
            if not _CONTINUED.match(unread, start, newline):
                whole = bytes(unread[:self.scanned])
                del unread[:self.scanned]
                self.scanned = 0
                return whole

    async def start_tls(self, context, server_name):
        """Step 5: the handshake; a tlsfacts.Session.  What came after the
        reply to STARTTLS in clear is recorded, and then not read as a reply
        inside TLS.  Raises _Ended if the handshake fails."""
        self.unread.clear()
        self.scanned = 0
        try:
            self.transport = await tlsfacts.handshake(
                self.loop, self.transport, self, context, server_name,
                self.loop.time() + self.read_timeout, self.deadline)
        except tlsfacts.HandshakeFailed as failed:
            self.tls_failure = failed.reason
            raise _Ended(failed.note) from None
        self.last_heard = self.loop.time()
        self.transcript += record.note("tls")
        return tlsfacts.Session(self.transport.get_extra_info("ssl_object"))

    def close(self):
        if self.transport and not self.transport.is_closing():
            self.transport.abort()  # never wait on a server that does not read

    def outcome(self):
        """(status, escaped transcript) of the finished exchange, as
        smtp.exchange gives them."""
        note = self.note
        if note and self.lost is not None:
            note = "timeout" if getattr(self.lost, "errno", None) == errno.ETIMEDOUT else "reset"
        if self.size:
            transcript = bytes(self.transcript)
            return record.OK, transcript + record.note(note) if note else transcript
        if self.lost is None:
            return ("disconnect" if note == "closed" else "timeout"), record.note(note)
        return smtp.failure(self.lost)
