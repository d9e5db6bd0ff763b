"""A query engine for many DNS questions at once.

Queries go out over a few long-lived UDP sockets, thousands in flight, each
matched to its response by (socket, id, question) and by the server it came
from; ids are random.  An unanswered query is sent again after `timeout`
seconds, to the next server in turn, `retries` times; then it fails with
Timeout.  A truncated response (TC) is asked again over TCP.

The timeout is the same for every query, so deadlines fall due in the order
they were set: they wait in a queue served by one loop timer, and an answered
query's deadline is dropped when it comes up rather than searched for.  A
deadline names its query by numbers only (channel, id, the serial number of
the sending), so an answered query is freed at once; and a tuple of numbers
is one object fewer for the garbage collector to follow.
"""

import asyncio
import collections
import ipaddress
import secrets
import socket
import struct

from . import dnswire

UDP_PORT = 53
SOCKETS_PER_FAMILY = 4
MAX_PENDING_PER_SOCKET = 16384  # of 65536 ids: random ids stay cheap to draw
RECEIVE_BUFFER = 1 << 22
MAX_RESPONSE = 65535
_TCP_LENGTH = struct.Struct("!H")


class Timeout(Exception):
    """No server answered the query, over any of its tries."""


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
    __slots__ = ("qname", "qtype", "wire", "future", "attempt", "serial", "channel", "id")


class _Channel:
    """One UDP socket and the queries waiting for an answer on it."""

    def __init__(self, family, number):
        self.family = family
        self.number = number
        self.socket = socket.socket(family, socket.SOCK_DGRAM)
        self.socket.setblocking(False)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        self.socket.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", 0))
        self.pending = {}


class Resolver:
    """Ask `servers` (a list of Server) questions; use inside a running loop."""

    def __init__(self, servers, timeout, retries):
        self.servers = list(servers)
        self.timeout = timeout
        self.retries = retries
        self._known = {server.address for server in self.servers}
        self._channels = {}  # family -> [_Channel]
        self._numbered = []  # every _Channel, by its number
        self._turn = 0
        self._serial = 0
        self._deadlines = collections.deque()  # (when, channel number, id, serial)
        self._timer = None
        self._loop = None
        self._tcp_tasks = set()

    def close(self):
        for channel in self._numbered:
            self._loop.remove_reader(channel.socket.fileno())
            channel.socket.close()
            for query in channel.pending.values():
                query.future.cancel()
        self._channels.clear()
        self._numbered.clear()
        for task in list(self._tcp_tasks):
            task.cancel()
        if self._timer:
            self._timer.cancel()

    def query(self, qname, qtype):
        """A future for the dnswire.Response to (qname, qtype); it fails
        with Timeout when no answer comes."""
        return self._start(qname, qtype).future

    # UDP -----------------------------------------------------------------

    def _start(self, qname, qtype):
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        query = _Query()
        query.qname = qname
        query.qtype = qtype
        query.future = self._loop.create_future()
        query.attempt = 0
        self._register(query, self._channel_with_room(self.servers[0].family))
        self._send(query)
        return query

    def _register(self, query, channel):
        """Give the query an id that is free on the channel, and its wire form."""
        query_id = secrets.randbits(16)
        while query_id in channel.pending:
            query_id = secrets.randbits(16)
        query.id = query_id
        query.channel = channel
        query.wire = dnswire.query(query_id, query.qname, query.qtype)
        channel.pending[query_id] = query

    def _channel_with_room(self, family):
        channels = self._channels.get(family)
        if channels is None:
            channels = self._channels[family] = [
                self._open_channel(family) for _ in range(SOCKETS_PER_FAMILY)]
        self._turn += 1
        for offset in range(len(channels)):
            channel = channels[(self._turn + offset) % len(channels)]
            if len(channel.pending) < MAX_PENDING_PER_SOCKET:
                return channel
        channel = self._open_channel(family)
        channels.append(channel)
        return channel

    def _open_channel(self, family):
        channel = _Channel(family, len(self._numbered))
        self._numbered.append(channel)
        self._loop.add_reader(channel.socket.fileno(), self._receive, channel)
        return channel

    def _send(self, query):
        """Send the query's current attempt, to the next server in turn."""
        server = self.servers[query.attempt % len(self.servers)]
        if server.family != query.channel.family:
            del query.channel.pending[query.id]
            self._register(query, self._channel_with_room(server.family))
        try:
            query.channel.socket.sendto(query.wire, server.address)
        except OSError:
            pass  # a full buffer or an unreachable server: the timeout retries it
        self._serial += 1
        query.serial = self._serial
        self._deadlines.append(
            (self._loop.time() + self.timeout, query.channel.number, query.id, query.serial))
        if self._timer is None:
            self._timer = self._loop.call_at(self._deadlines[0][0], self._expire)

    def _receive(self, channel):
        """Read every datagram waiting on the socket."""
        receive = channel.socket.recvfrom
        pending = channel.pending
        while True:
            try:
                wire, source = receive(MAX_RESPONSE)
            except OSError:  # nothing more to read now (EAGAIN), or an error to ignore
                return
            if len(wire) < 2 or source[:2] not in self._known:
                continue
            query = pending.get(dnswire.response_id(wire))
            if query is None:
                continue
            try:
                response = dnswire.read_response(wire, query.qname, query.qtype)
            except dnswire.BadMessage:
                continue  # as if lost: perhaps the next try reads better
            if response is None:
                continue
            del pending[query.id]
            if query.future.done():  # its asker was cancelled
                continue
            if response.truncated:
                self._retry_over_tcp(query)
            else:
                query.future.set_result(response)

    def _expire(self):
        self._timer = None
        now = self._loop.time()
        deadlines = self._deadlines
        while deadlines and deadlines[0][0] <= now:
            _, number, query_id, serial = deadlines.popleft()
            pending = self._numbered[number].pending
            query = pending.get(query_id)
            if query is None or query.serial != serial:
                continue  # answered, or sent again since
            if query.future.done():  # its asker was cancelled
                del pending[query_id]
            elif query.attempt < self.retries:
                query.attempt += 1
                self._send(query)
            else:
                del pending[query_id]
                query.future.set_exception(Timeout())
        if deadlines and self._timer is None:
            self._timer = self._loop.call_at(deadlines[0][0], self._expire)

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
