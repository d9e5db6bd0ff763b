"""Scripted SMTP servers on loopback: real sockets, each address given a
behaviour.

A Farm takes one port on a block of 127.R.S.x addresses (R and S drawn at
random, so farms of tests running side by side do not meet) and serves
each address with a behaviour of its own, from an asyncio loop in a daemon
thread; the program under test connects to them like to any server.

    with Farm() as farm:
        talker = farm.serve(smtp(b"220 hi\\r\\n", b"214 help\\r\\n"))
        refusing = farm.unused()
        run("smtpprobe", ["--port", farm.port], stdin=f"{talker}\\n{refusing}\\n".encode())
        farm.heard[talker]  # [[b"HELP\\r\\n", b"QUIT\\r\\n"]]: what each connection sent

A behaviour is a coroutine function taking a Peer.
"""

import asyncio
import errno
import random
import socket
import struct
import threading
import time


class Peer:
    """One accepted connection, seen from the server."""

    def __init__(self, reader, writer, heard):
        self.reader = reader
        self.writer = writer
        self.heard = heard  # the lines the client sent, in order

    async def send(self, data):
        self.writer.write(data)
        await self.writer.drain()

    async def read_line(self):
        """The client's next line (b"" at its end), noted in `heard`."""
        line = await self.reader.readline()
        if line:
            self.heard.append(line)
        return line

    async def drain_input(self):
        """Read (and note) whatever the client sends until it closes."""
        while await self.read_line():
            pass

    def reset(self):
        """Close with RST instead of FIN."""
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


# Behaviours ------------------------------------------------------------------

def smtp(greeting, help_reply, quit_reply=b"221 bye\r\n", pause=0.1):
    """A polite server: greeting, a reply to each command, close after QUIT.

    A reply may be a list of parts, sent `pause` seconds apart; a line the
    client sends before the reply is complete is noted in `heard` as
    b"early " + line, so a test can see that the client waited for it.
    """
    async def behaviour(peer):
        await _send_parts(peer, greeting, pause)
        for reply in (help_reply, quit_reply):
            if not await peer.read_line():
                return
            await _send_parts(peer, reply, pause)
    return behaviour


async def _send_parts(peer, reply, pause):
    parts = [reply] if isinstance(reply, bytes) else reply
    for part in parts[:-1]:
        await peer.send(part)
        try:
            line = await asyncio.wait_for(peer.reader.readline(), pause)
        except asyncio.TimeoutError:
            continue
        peer.heard.append(b"early " + line)
    await peer.send(parts[-1])


def esmtp(greeting, replies, tls=None, tls_replies=None, starttls_reply=b"220 2.0.0 go ahead\r\n"):
    """A server of today: greeting, then each command (its first word,
    upper-cased) answered from `replies` (502 when it is not there), closing
    after QUIT.  With `tls` (a server SSLContext), STARTTLS is answered with
    `starttls_reply` and the handshake follows, and then the commands are
    answered from `tls_replies` (default: `replies`).  `tls` may also be a
    coroutine function taking the Peer, for a handshake of its own."""
    async def behaviour(peer):
        await peer.send(greeting)
        answers = replies
        while line := await peer.read_line():
            verb = line.split()[0].upper() if line.split() else b""
            if verb == b"STARTTLS" and tls is not None and answers is replies:
                await peer.send(starttls_reply)
                if callable(tls):
                    await tls(peer)
                    return
                await peer.writer.start_tls(tls)
                peer.heard.append(b"<tls>")
                answers = tls_replies or replies
                continue
            await peer.send(answers.get(verb, b"502 5.5.2 Error: command not recognized\r\n"))
            if verb == b"QUIT":
                return
    return behaviour


def say_and_close(data):
    """Send `data`, then end the stream (FIN), reading until the client closes."""
    async def behaviour(peer):
        await peer.send(data)
        peer.writer.write_eof()
        await peer.drain_input()
    return behaviour


async def silent(peer):
    """Accept and never speak."""
    await peer.drain_input()


async def close_at_once(peer):
    """Accept, then close before saying anything."""


async def reset_at_once(peer):
    """Accept, then reset the connection."""
    peer.reset()


def drip(data, interval):
    """Send `data` a byte at a time, `interval` seconds apart, then stay silent."""
    async def behaviour(peer):
        for byte in data:
            await peer.send(bytes([byte]))
            await asyncio.sleep(interval)
        await peer.drain_input()
    return behaviour


def slow(behaviour, delay):
    """`behaviour`, after `delay` seconds of silence."""
    async def delayed(peer):
        await asyncio.sleep(delay)
        await behaviour(peer)
    return delayed


# The farm ------------------------------------------------------------------

class Farm:
    """Servers on one port of 127.R.S.1, 127.R.S.2, ... run in a daemon thread."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.heard = {}     # address -> [lines each connection sent]
        self.arrivals = []  # time.monotonic() of each accepted connection
        self.open_now = 0   # connections being served
        self.most_open = 0  # the most ever served at once
        self.sockets = []   # every socket the farm opened, closed at the end
        self.servers = []
        self.block = f"127.{random.randint(16, 250)}.{random.randint(0, 255)}"
        self.next_host = 1
        self.port = self._listening_socket(self._next_address(), 0).getsockname()[1]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def serve(self, behaviour, host=None):
        """A new address (or `host`) serving `behaviour` on the farm's port."""
        while True:
            address = host or self._next_address()
            try:
                sock = self._listening_socket(address, self.port)
            except OSError as error:
                if error.errno != errno.EADDRINUSE or host:
                    raise
                continue
            self._start_serving(sock, behaviour)
            return address

    def unused(self):
        """An address of the block where nothing listens: connections are refused."""
        return self._next_address()

    def full(self):
        """An address whose listen queue is full: new connections time out."""
        address = self._next_address()
        self._listening_socket(address, self.port, backlog=0)  # never accepted from
        self.sockets.append(socket.create_connection((address, self.port)))
        return address

    def close(self):
        asyncio.run_coroutine_threadsafe(self._shut_down(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()
        for sock in self.sockets:
            sock.close()

    async def _shut_down(self):
        for server in self.servers:
            server.close()
        connections = asyncio.all_tasks() - {asyncio.current_task()}
        for task in connections:
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)

    def _next_address(self):
        if self.next_host > 254:
            raise RuntimeError("farm block exhausted")
        address = f"{self.block}.{self.next_host}"
        self.next_host += 1
        return address

    def _listening_socket(self, address, port, backlog=128):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.bind((address, port))
            sock.listen(backlog)
        except OSError:
            sock.close()
            raise
        self.sockets.append(sock)
        return sock

    def _start_serving(self, sock, behaviour):
        heard = self.heard.setdefault(sock.getsockname()[0], [])

        async def handle(reader, writer):
            lines = []
            heard.append(lines)
            self.arrivals.append(time.monotonic())
            self.open_now += 1
            self.most_open = max(self.most_open, self.open_now)
            try:
                await behaviour(Peer(reader, writer, lines))
            except (ConnectionError, asyncio.CancelledError):
                pass  # the client went away, or the farm is closing
            finally:
                self.open_now -= 1
                writer.close()

        future = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(handle, sock=sock), self.loop)
        self.servers.append(future.result(5))
