"""One SMTP exchange as the survey makes it, in numbered steps:

    1. connect (retrying failures on our own side: no free file, no free port)
    2. read the whole greeting
    3. send HELP, read the whole reply
    4. send QUIT, read its reply briefly
    5. close

No HELO comes first: the survey asked for HELP straight after the greeting.
A reply is complete at its first line that is not `ddd-...` (three digits
and a dash); lines end at LF, with or without CR before it.

The exchange is an asyncio protocol driven by the bytes that arrive, with one
timer for both the wait for the next bytes and the deadline of the whole
exchange, so a slow server costs a timer, not a task or a thread.  What it
gives back is a status from record.STATUSES and the escaped transcript.
"""

import asyncio
import errno
import re
import socket
from typing import NamedTuple

from . import record

HELP = b"HELP\r\n"
QUIT = b"QUIT\r\n"
QUIT_WAIT = 2.0  # the reply to QUIT adds nothing to the survey: wait for it briefly

# Failures of our own machine, not of the target: wait and try again.
LOCAL_FAILURES = frozenset(
    {errno.EMFILE, errno.ENFILE, errno.EADDRNOTAVAIL, errno.ENOBUFS, errno.ENOMEM})
FIRST_BACKOFF = 0.01
LONGEST_BACKOFF = 1.0

# Why a connection could not be made (or died before the greeting).
FAILURE_STATUSES = {
    errno.ECONNREFUSED: "refused",
    errno.EHOSTUNREACH: "hostunreach",
    errno.ENETUNREACH: "netunreach",
    errno.ETIMEDOUT: "timeout",
}
LOST_CONNECTION = frozenset({errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE})

_CONTINUED = re.compile(rb"[0-9]{3}-")


class Limits(NamedTuple):
    """What one exchange may cost, in seconds and bytes."""
    connect_timeout: float
    read_timeout: float
    deadline: float
    max_bytes: int


async def exchange(family, sockaddr, limits, pace, source=None):
    """Probe one server; return (status, escaped transcript).

    `pace` is awaited before each new connection (the rate cap).  The clock
    of the whole exchange starts when the first connection may start.
    `source` is the local address to connect from, or None.
    """
    loop = asyncio.get_running_loop()
    try:
        sock, deadline = await connect(loop, family, sockaddr, limits, pace, source)
    except NoConnection as failed:
        return failed.outcome
    conversation = _Conversation(loop, limits, deadline)
    try:
        await loop.create_connection(lambda: conversation, sock=sock)
    except OSError as error:
        sock.close()
        return failure(error)
    try:
        await conversation.ended
    finally:
        conversation.close()
    return conversation.outcome()


class NoConnection(Exception):
    """The connection could not be made; `outcome` is (status, transcript)."""

    def __init__(self, outcome):
        super().__init__(*outcome)
        self.outcome = outcome


async def connect(loop, family, sockaddr, limits, pace, source):
    """Step 1: a connected socket and the deadline of the exchange, which
    starts when the first connection may start.  Raises NoConnection."""
    await pace()
    deadline = loop.time() + limits.deadline
    connect_by = min(loop.time() + limits.connect_timeout, deadline)
    backoff = FIRST_BACKOFF
    while True:
        try:
            return await _connect(loop, family, sockaddr, connect_by, source), deadline
        except TimeoutError:
            raise NoConnection(("timeout", b"")) from None
        except OSError as error:
            if error.errno in LOCAL_FAILURES and loop.time() + backoff < connect_by:
                await asyncio.sleep(backoff)
                backoff = min(2 * backoff, LONGEST_BACKOFF)
                await pace()
                continue
            raise NoConnection(failure(error)) from None


# Bind the address only, leaving the port to connect(): a port chosen at
# bind() time could not be shared with connections to other servers, and
# so would run out at some tens of thousands in flight (Linux 4.2 and up).
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)


async def _connect(loop, family, sockaddr, connect_by, source):
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        if source is not None:
            sock.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
            sock.bind((source, 0))
        async with asyncio.timeout_at(connect_by):
            await loop.sock_connect(sock, sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


def failure(error):
    """The status and transcript for a connection that never carried a byte.

    A reset can come while connecting: the server accepted, then reset the
    connection before the connect was seen to complete."""
    code = getattr(error, "errno", None)
    if code in FAILURE_STATUSES:
        return FAILURE_STATUSES[code], b""
    if code in LOST_CONNECTION:
        return "disconnect", record.note("reset")
    return "error", record.note(error_name(error))


def error_name(error):
    """An OSError as a note word: its errno name in lower case (`eacces`)."""
    name = errno.errorcode.get(getattr(error, "errno", None))
    return name.lower() if name else type(error).__name__.lower()


class _Conversation(asyncio.Protocol):
    """Steps 2 to 4 on a connected socket; `ended` is done when they are over."""

    def __init__(self, loop, limits, deadline):
        self.loop = loop
        self.read_timeout = limits.read_timeout
        self.max_bytes = limits.max_bytes
        self.deadline = deadline
        self.received = bytearray()
        self.scanned = 0   # received[:scanned] is whole lines already looked at
        self.replies = 0   # complete replies so far
        self.wait = limits.read_timeout
        self.last_heard = loop.time()
        self.timer = None
        self.transport = None
        self.note = None   # why the exchange ended early, or None
        self.lost = None   # the error that broke the connection, if one did
        self.ended = loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.last_heard = self.loop.time()
        self._arm_timer()

    def data_received(self, data):
        if self.ended.done():
            return
        self.last_heard = self.loop.time()
        room = self.max_bytes - len(self.received)
        full = len(data) >= room
        self.received += data[:room] if full else data
        self._read_replies()
        if full and not self.ended.done():
            self._end("cut")

    def _read_replies(self):
        received = self.received
        while not self.ended.done():
            newline = received.find(b"\n", self.scanned)
            if newline < 0:
                return
            start, self.scanned = self.scanned, newline + 1
            if _CONTINUED.match(received, start, newline):
                continue
            self.replies += 1
            if self.replies == 1:
                self.transport.write(HELP)
            elif self.replies == 2:
                self.transport.write(QUIT)
                self.wait = min(self.read_timeout, QUIT_WAIT)
                self.last_heard = self.loop.time()
                self.timer.cancel()
                self._arm_timer()
            else:
                self._end(None)

    def eof_received(self):
        return False  # the transport closes; connection_lost says why

    def connection_lost(self, error):
        if not self.ended.done():
            self.lost = error
            self._end("closed" if error is None else None)

    def _arm_timer(self):
        self.timer = self.loop.call_at(
            min(self.last_heard + self.wait, self.deadline), self._check_time)

    def _check_time(self):
        now = self.loop.time()
        if now >= self.deadline:
            self._end("deadline")
        elif now >= self.last_heard + self.wait:
            self._end("timeout")
        else:  # bytes came since the timer was set
            self._arm_timer()

    def _end(self, note):
        self.note = note
        self.ended.set_result(None)
        self.close()

    def close(self):
        if self.timer:
            self.timer.cancel()
        if self.transport and not self.transport.is_closing():
            self.transport.abort()  # never wait on a server that does not read

    def outcome(self):
        """(status, escaped transcript) of the finished exchange."""
        note = self.note
        lost_errno = getattr(self.lost, "errno", None)
        if self.lost is not None:
            note = "timeout" if lost_errno == errno.ETIMEDOUT else "reset"
        if self.received:
            transcript = record.escape(bytes(self.received))
            return record.OK, transcript + record.note(note) if note else transcript
        if self.lost is None:
            return ("disconnect" if note == "closed" else "timeout"), record.note(note)
        return failure(self.lost)
