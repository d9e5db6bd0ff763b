"""A real NSD serving test zones on a loopback address, a silent server, a
relay that drops some queries and one that watches them all.

    with NameServer({"example": ZONE_TEXT}) as server:
        run("mxlookup", ["--server", server.spec], ...)

NSD runs in the foreground as a child process with every file it writes in a
temporary directory, no user switch, no remote control and no rate limiting.
It listens on a random 127.x.y.z address and a free port (or the port asked
for: port 53 needs root), and `start` returns once it answers a query.  A
zone whose text is None is configured without a zone file: NSD cannot load
it and answers SERVFAIL for it.
"""

import asyncio
import random
import select
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import dns.message
import dns.rdatatype
import dns.rrset

NSD = shutil.which("nsd") or "/usr/sbin/nsd"
START_TIMEOUT = 20


class NameServerError(Exception):
    pass


class NameServer:
    def __init__(self, zones, address=None, port=None):
        self.zones = zones
        self.address = address or random_loopback()
        self.port = port
        self.directory = None
        self.process = None

    @property
    def spec(self):
        """The server as `--server` takes it."""
        return f"{self.address}:{self.port}"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.directory = Path(tempfile.mkdtemp(prefix="nsd-"))
        for origin, text in self.zones.items():
            if text is not None:
                (self.directory / zone_file(origin)).write_text(text)
        for _ in range(5):  # another process may take the free port first
            port = self.port or free_port(self.address)
            config = self.directory / "nsd.conf"
            config.write_text(self._config(port))
            log = open(self.directory / "nsd.log", "ab")
            self.process = subprocess.Popen(
                [NSD, "-d", "-c", str(config)], stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
            log.close()
            if self._wait_until_answering(port):
                self.port = port
                return
            self._end_process()
            if self.port:  # a fixed port that failed will not get better
                break
        log_text = (self.directory / "nsd.log").read_text(errors="replace")
        self._remove_directory()
        raise NameServerError(f"nsd did not start on {self.address}: {log_text[-2000:]}")

    def stop(self):
        self._end_process()
        self._remove_directory()

    def _config(self, port):
        d = self.directory
        lines = [
            "server:",
            f"    ip-address: {self.address}",
            f"    port: {port}",
            '    username: ""',
            '    chroot: ""',
            f'    zonesdir: "{d}"',
            f'    pidfile: "{d}/nsd.pid"',
            '    database: ""',
            f'    zonelistfile: "{d}/zone.list"',
            f'    xfrdfile: "{d}/xfrd.state"',
            f'    xfrdir: "{d}"',
            f'    logfile: "{d}/nsd.log"',
            "    server-count: 1",
            "    verbosity: 1",
            "    receive-buffer-size: 4194304",
            "    send-buffer-size: 4194304",
            "    rrl-ratelimit: 0",
            "    rrl-whitelist-ratelimit: 0",
            "remote-control:",
            "    control-enable: no",
        ]
        for origin in self.zones:
            lines += ["zone:", f"    name: \"{origin}\"", f'    zonefile: "{zone_file(origin)}"']
        return "\n".join(lines) + "\n"

    def _wait_until_answering(self, port):
        """Ask for the first zone's SOA until an answer comes or nsd dies."""
        origin = next(iter(self.zones), ".")
        deadline = time.monotonic() + START_TIMEOUT
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.settimeout(0.1)
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    return False
                query_id = random.getrandbits(16)
                probe.sendto(soa_query(query_id, origin), (self.address, port))
                try:
                    data = probe.recv(4096)
                except OSError:  # a timeout, or ICMP port unreachable
                    continue
                if data[:2] == struct.pack("!H", query_id):
                    return True
        return False

    def _end_process(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def _remove_directory(self):
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None


class SilentServer:
    """A UDP socket on loopback that reads queries and never answers."""

    def __init__(self, address=None):
        address = address or random_loopback()
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_DGRAM)
        self.socket.bind((address, 0))
        self.address, self.port = self.socket.getsockname()[:2]

    @property
    def spec(self):
        """The server as `--server` takes it."""
        if ":" in self.address:
            return f"[{self.address}]:{self.port}"
        return f"{self.address}:{self.port}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.socket.close()


class DroppingRelay:
    """A UDP relay on loopback to a name server that drops every query
    whose bytes hold `word` (lower case): a server that never answers some
    questions and answers the others."""

    def __init__(self, upstream, word):
        self.word = word.encode("ascii")
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((random_loopback(), 0))
        self.address, self.port = self.socket.getsockname()
        self.upstream = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.upstream.connect(upstream)
        self.askers = {}  # query id -> where the query came from
        self.stop_reading, self.stop_writing = socket.socketpair()
        self.thread = threading.Thread(target=self._relay, daemon=True)

    @property
    def spec(self):
        return f"{self.address}:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_writing.send(b"x")
        self.thread.join(10)
        for sock in (self.socket, self.upstream, self.stop_reading, self.stop_writing):
            sock.close()

    def _relay(self):
        while True:
            ready, _, _ = select.select([self.socket, self.upstream, self.stop_reading], [], [])
            if self.stop_reading in ready:
                return
            if self.socket in ready:
                query, asker = self.socket.recvfrom(65535)
                if self.word not in query.lower():
                    self.askers[query[:2]] = asker
                    self.upstream.send(query)
            if self.upstream in ready:
                answer = self.upstream.recv(65535)
                asker = self.askers.pop(answer[:2], None)
                if asker:
                    self.socket.sendto(answer, asker)


class WatchingRelay:
    """A name server on loopback that holds each query `delay` seconds, then
    passes it on to `upstream` (a real one) over UDP or TCP as it came, and
    sends the answer back.  It keeps the source port of every UDP query
    (`ports`) and the most queries held at once, received and not yet
    answered (`peak`).

    With `forge`, each UDP query first gets two forged answers, both with
    the question and an A or MX record of FORGED_ADDRESS or FORGED_NAME:
    one to the port it came from with the id off by one, and one with its
    own id to every other port a query is held for."""

    FORGED_ADDRESS = "127.66.66.66"
    FORGED_NAME = "forged.example."

    def __init__(self, upstream, delay=0.0, forge=False):
        self.upstream = upstream
        self.delay = delay
        self.forge = forge
        self.address = random_loopback()
        self.port = None
        self.ports = []
        self.count = 0  # queries held now
        self.peak = 0
        self.forged_at_other_ports = 0
        self.held = {}  # a UDP query's asker -> how many of its queries are held
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.udp = None
        self.tcp = None

    @property
    def spec(self):
        return f"{self.address}:{self.port}"

    def __enter__(self):
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self.loop).result(10)
        return self

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self._close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    async def _listen(self):
        for _ in range(20):  # another process may take the free port first
            port = free_port(self.address)
            try:
                self.udp, _ = await self.loop.create_datagram_endpoint(
                    lambda: _Datagrams(self), local_addr=(self.address, port))
                self.tcp = await asyncio.start_server(self._serve_tcp, self.address, port)
            except OSError:
                if self.udp:
                    self.udp.close()
                    self.udp = None
                continue
            self.port = port
            return
        raise NameServerError(f"no free port on {self.address}")

    async def _close(self):
        self.udp.close()
        self.tcp.close()
        for task in asyncio.all_tasks() - {asyncio.current_task()}:
            task.cancel()

    def _hold(self):
        self.count += 1
        self.peak = max(self.peak, self.count)

    def _release(self):
        self.count -= 1

    async def answer_udp(self, query, asker):
        self._hold()
        self.ports.append(asker[1])
        self.held[asker] = self.held.get(asker, 0) + 1
        try:
            if self.forge:
                self._send_forgeries(query, asker)
            await asyncio.sleep(self.delay)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as upstream:
                upstream.setblocking(False)
                upstream.connect(self.upstream)
                await self.loop.sock_sendall(upstream, query)
                answer = await asyncio.wait_for(self.loop.sock_recv(upstream, 65535), 10)
            self.udp.sendto(answer, asker)
        finally:
            self.held[asker] -= 1
            if not self.held[asker]:
                del self.held[asker]
            self._release()

    def _send_forgeries(self, query, asker):
        forged = dns.message.make_response(dns.message.from_wire(query))
        question = forged.question[0]
        if question.rdtype == dns.rdatatype.MX:
            forged.answer.append(dns.rrset.from_text(
                question.name, 300, "IN", "MX", f"10 {self.FORGED_NAME}"))
        elif question.rdtype == dns.rdatatype.A:
            forged.answer.append(dns.rrset.from_text(
                question.name, 300, "IN", "A", self.FORGED_ADDRESS))
        own_id = forged.id
        forged.id = (own_id + 1) % 65536
        self.udp.sendto(forged.to_wire(), asker)
        forged.id = own_id
        for other in list(self.held):
            if other != asker:
                self.udp.sendto(forged.to_wire(), other)
                self.forged_at_other_ports += 1

    async def _serve_tcp(self, reader, writer):
        try:
            while True:
                length = struct.unpack("!H", await reader.readexactly(2))[0]
                query = await reader.readexactly(length)
                self._hold()
                try:
                    await asyncio.sleep(self.delay)
                    upstream_reader, upstream_writer = await asyncio.open_connection(
                        *self.upstream)
                    upstream_writer.write(struct.pack("!H", length) + query)
                    size = struct.unpack("!H", await upstream_reader.readexactly(2))[0]
                    answer = await upstream_reader.readexactly(size)
                    upstream_writer.close()
                    writer.write(struct.pack("!H", size) + answer)
                finally:
                    self._release()
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, relay):
        self.relay = relay

    def datagram_received(self, data, addr):
        self.relay.loop.create_task(self.relay.answer_udp(data, addr))


def random_loopback():
    """A 127.x.y.z address few other runs are likely to be using."""
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


def free_port(address):
    """A port free for both UDP and TCP on `address` a moment ago."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind((address, 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind((address, port))
                except OSError:
                    continue
                return port


def zone_file(origin):
    return (origin.strip(".") or "root") + ".zone"


def soa_query(query_id, origin):
    qname = b"".join(
        bytes([len(label)]) + label.encode("ascii") for label in origin.strip(".").split(".") if label)
    return struct.pack("!HHHHHH", query_id, 0, 1, 0, 0, 0) + qname + b"\0" + struct.pack("!HH", 6, 1)

