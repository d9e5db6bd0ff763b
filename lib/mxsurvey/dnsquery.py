"""A query engine for many DNS questions at once.

Each query is sent from a UDP socket of its own, on a port the kernel picks
at random, with a random id: an answer forged by someone who cannot see the
query must guess both, 31 bits or so, as RFC 5452 asks of resolvers, where
one socket for every query would leave the 16 bits of the id.  An answer
counts only on its query's socket, with its id and question, from a server
asked.  At most `limit` queries await an answer at once, whatever the
questions; a query beyond that waits its turn.  The sockets are watched by
a selector of the engine's own, which the event loop watches in turn: that
costs half of what registering each socket with the loop would.

An unanswered query is sent again after `timeout` seconds, to the next
server in turn, `retries` times, from the same socket with the same id, so
that a late answer to an earlier try still counts; then it fails with
Timeout.  A truncated response (TC) is asked again over TCP.  A server
that refuses a try (an ICMP port unreachable, which the kernel hands to a
socket that asks for its errors) is not waited for: the next try goes at
once.

A resolver that is unreachable is not data: until some server has answered
a query (any answer, an error among them), each query given up is counted,
and the UNREACHABLE_AFTER-th raises Unreachable, which names each server
and what became of the queries sent to it.  Once a server has answered, a
query given up is a Timeout, whatever came before: a slow or partly failing
resolver is what the survey measures.

The timeout is the same for every query, so deadlines fall due in the order
they were set: they wait in a queue served by one loop timer, and an answered
query's deadline is dropped when it comes up rather than searched for.  A
deadline names its sending by a serial number only, so an answered query is
freed at once; and a tuple of numbers is one object fewer for the garbage
collector to follow.
"""

import asyncio
import collections
import contextlib
import errno
import ipaddress
import secrets
import selectors
import socket
import struct

from . import dnswire

UDP_PORT = 53
MAX_RESPONSE = 65535
_TCP_LENGTH = struct.Struct("!H")
# Queries given up before any answer came, that make the resolver unreachable.
UNREACHABLE_AFTER = 10
# The socket options (Linux's numbers, which Python does not name) that hand
# an ICMP error to an unconnected UDP socket.
_RECVERR = {socket.AF_INET: (socket.IPPROTO_IP, getattr(socket, "IP_RECVERR", 11)),
            socket.AF_INET6: (socket.IPPROTO_IPV6, getattr(socket, "IPV6_RECVERR", 25))}
_REFUSALS = (errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EACCES,
             errno.EPERM)


class Timeout(Exception):
    """No server answered the query, over any of its tries."""


class Unreachable(Exception):
    """No server has answered any query: the text names each server and
    what became of what was sent to it."""


class Server:
    """A name server's address, port and socket family."""

    def __init__(self, host, port=UDP_PORT):
        address = ipaddress.ip_address(host)
        self.host = address.compressed
        self.port = port
        self.family = socket.AF_INET6 if address.version == 6 else socket.AF_INET

    @property
    def address(self):
        return (self.host, self.port)

    def __repr__(self):
        return f"[{self.host}]:{self.port}" if self.family == socket.AF_INET6 else f"{self.host}:{self.port}"


class _Query:
    __slots__ = ("qname", "qtype", "wire", "future", "attempt", "serial", "socket", "id", "tried")


class Resolver:
    """Ask `servers` (a list of Server) questions, at most `limit` at once;
    use inside a running loop."""

    def __init__(self, servers, timeout, retries, limit):
        self.servers = list(servers)
        self.timeout = timeout
        self.retries = retries
        self._room = asyncio.Semaphore(limit)
        self._known = {server.address for server in self.servers}
        self._sent = {}  # the serial number of a query's latest sending -> the query
        self._serial = 0
        self._deadlines = collections.deque()  # (when, serial)
        self._timer = None
        self._loop = None
        self._tcp_tasks = set()
        self._selector = selectors.DefaultSelector()  # the sockets awaiting answers
        self.answered = False  # whether any server has answered any query
        self.given_up = 0  # queries given up while none was answered
        self._failures = {}  # server address -> why its last try failed, if it said

    def close(self):
        for query in list(self._sent.values()):
            self._close_socket(query)
            query.future.cancel()
        self._sent.clear()
        if self._loop:
            self._loop.remove_reader(self._selector.fileno())
        self._selector.close()
        for task in list(self._tcp_tasks):
            task.cancel()
        if self._timer:
            self._timer.cancel()

    async def query(self, qname, qtype):
        """The dnswire.Response to (qname, qtype); raises Timeout when no
        answer comes."""
        async with self._room:
            query = self._start(qname, qtype)
            try:
                return await query.future
            finally:
                self._forget(query)

    # UDP -----------------------------------------------------------------

    def _start(self, qname, qtype):
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._loop.add_reader(self._selector.fileno(), self._ready)
        query = _Query()
        query.qname = qname
        query.qtype = qtype
        query.future = self._loop.create_future()
        query.attempt = 0
        query.serial = 0
        query.socket = None
        # Whether any try was sent or refused on its way: a query given up
        # without one (no socket to be had here) says nothing of the resolver.
        query.tried = False
        self._send(query)
        return query

    def _open_socket(self, query, family):
        """A new socket for the query, on a port of the kernel's choosing
        (random on Linux, as on the BSDs), and a new random id."""
        self._close_socket(query)
        new = socket.socket(family, socket.SOCK_DGRAM)
        new.setblocking(False)
        new.setsockopt(*_RECVERR[family], 1)
        self._selector.register(new, selectors.EVENT_READ, query)
        query.socket = new
        query.id = secrets.randbits(16)
        query.wire = dnswire.query(query.id, query.qname, query.qtype)

    def _close_socket(self, query):
        if query.socket is not None:
            self._selector.unregister(query.socket)
            query.socket.close()
            query.socket = None

    def _forget(self, query):
        """Nothing more is awaited for the query: free its socket and drop
        its deadline's entry."""
        self._close_socket(query)
        self._sent.pop(query.serial, None)

    def _send(self, query):
        """Send the query's current attempt, to the next server in turn."""
        server = self.servers[query.attempt % len(self.servers)]
        try:
            if query.socket is None or query.socket.family != server.family:
                self._open_socket(query, server.family)
            query.socket.sendto(query.wire, server.address)
            query.tried = True
        except OSError as error:  # no socket to be had, a full buffer, no route: retried later
            if error.errno in _REFUSALS:
                query.tried = True
                self._failures[server.address] = _said(error)
        self._sent.pop(query.serial, None)
        self._serial += 1
        query.serial = self._serial
        self._sent[query.serial] = query
        self._deadlines.append((self._loop.time() + self.timeout, query.serial))
        if self._timer is None:
            self._timer = self._loop.call_at(self._deadlines[0][0], self._expire)

    def _ready(self):
        for key, _ in self._selector.select(0):
            if key.data.socket is key.fileobj:  # not closed by an earlier answer here
                self._receive(key.data)

    def _receive(self, query):
        """Read the datagrams waiting on the query's socket, up to its answer."""
        receive = query.socket.recvfrom
        while True:
            try:
                wire, source = receive(MAX_RESPONSE)
            except OSError as error:  # nothing more to read now (EAGAIN), or a refusal
                if error.errno in _REFUSALS:
                    self._refused(query, error)
                return
            if (len(wire) < 2 or source[:2] not in self._known
                    or dnswire.response_id(wire) != query.id):
                continue
            try:
                response = dnswire.read_response(wire, query.qname, query.qtype)
            except dnswire.BadMessage:
                continue  # as if lost: perhaps the next try reads better
            if response is None:
                continue
            self._forget(query)
            self.answered = True
            if query.future.done():  # its asker was cancelled
                return
            if response.truncated:
                self._retry_over_tcp(query)
            else:
                query.future.set_result(response)
            return

    def _expire(self):
        self._timer = None
        now = self._loop.time()
        deadlines = self._deadlines
        while deadlines and deadlines[0][0] <= now:
            query = self._sent.pop(deadlines.popleft()[1], None)
            if query is None:
                continue  # answered, or sent again since
            if query.future.done():  # its asker was cancelled
                self._close_socket(query)
            elif query.attempt < self.retries:
                query.attempt += 1
                self._send(query)
            else:
                self._give_up(query)
        if deadlines and self._timer is None:
            self._timer = self._loop.call_at(deadlines[0][0], self._expire)

    def _refused(self, query, error):
        """A server refused a try of the query (an ICMP error): note why,
        and send the next try at once if the refusal was of the latest."""
        refused_by = None
        with contextlib.suppress(OSError):  # read the error queue, or it signals forever
            while True:
                refused_by = query.socket.recvmsg(1, 512, socket.MSG_ERRQUEUE)[3][:2]
        latest = self.servers[query.attempt % len(self.servers)].address
        self._failures[refused_by or latest] = _said(error)
        if refused_by not in (None, latest) or query.future.done():
            return
        if query.attempt < self.retries:
            query.attempt += 1
            self._send(query)
        else:
            self._give_up(query)

    def _give_up(self, query):
        """No more tries: the query fails with Timeout, or with Unreachable
        if it is the UNREACHABLE_AFTER-th given up before any answer."""
        self._sent.pop(query.serial, None)
        self._close_socket(query)
        if not self.answered and query.tried:
            self.given_up += 1
            if self.given_up >= UNREACHABLE_AFTER:
                query.future.set_exception(Unreachable(self.unreachable()))
                return
        query.future.set_exception(Timeout())

    def unreachable(self):
        """What makes the resolver unreachable, each server named, if no
        server has answered and some query was given up; else None."""
        if self.answered or not self.given_up:
            return None
        silence = f"no answer within {self.timeout:g} s"
        why = "; ".join(f"resolver {server!r} unreachable: "
                        f"{self._failures.get(server.address, silence)}"
                        for server in self.servers)
        return f"{why}; none of {self.given_up} {'query' if self.given_up == 1 else 'queries'} answered"

    # TCP -----------------------------------------------------------------
    def _retry_over_tcp(self, query):
        task = self._loop.create_task(self._query_tcp(query.wire, query.qname, query.qtype))
        self._tcp_tasks.add(task)
        task.add_done_callback(lambda task: self._tcp_done(task, query.future))

    def _tcp_done(self, task, future):
        self._tcp_tasks.discard(task)
        if future.done():
            return
        if task.cancelled():
            future.cancel()
        elif task.exception():
            future.set_exception(task.exception())
        else:
            future.set_result(task.result())

    async def _query_tcp(self, wire, qname, qtype):
        """Ask over TCP, each server in turn, as many tries as over UDP."""
        for attempt in range(self.retries + 1):
            server = self.servers[attempt % len(self.servers)]
            try:
                response = await asyncio.wait_for(
                    self._exchange_tcp(server, wire, qname, qtype), self.timeout)
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError,
                    dnswire.BadMessage):
                continue
            if response is not None:
                return response
        raise Timeout()

    async def _exchange_tcp(self, server, wire, qname, qtype):
        reader, writer = await asyncio.open_connection(server.host, server.port)
        try:
            writer.write(_TCP_LENGTH.pack(len(wire)) + wire)
            length = _TCP_LENGTH.unpack(await reader.readexactly(2))[0]
            answer = await reader.readexactly(length)
        finally:
            writer.close()
        if dnswire.response_id(answer) != dnswire.response_id(wire):
            return None
        return dnswire.read_response(answer, qname, qtype)


def _said(error):
    """An OSError's text, as a message's clause: `connection refused`."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]
