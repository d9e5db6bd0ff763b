"""An authoritative name server for the world's zones, over UDP and TCP.

It answers as an authoritative server does (NSD, say): the records asked
for, a CNAME and what it leads to within the zones served, NODATA or
NXDOMAIN with the zone's SOA, REFUSED for names outside every zone; AA set,
RA clear, RD copied.  dnspython builds every answer.  A UDP answer larger
than the query allows is sent empty with TC set, so the client asks again
over TCP.

It reads the master files the generator writes (zones/TLD.zone: `$ORIGIN`,
`$TTL`, then one record a line, `OWNER<TAB>TYPE<TAB>RDATA`, names absolute
or `@`), and turns a record's text into data only when it is first asked
for, so that a world of 100,000 records is served within a second of
starting.

Usage: python -m world.responder WORLD_DIR ADDRESS PORT

prints `ready PORT` once it listens on both protocols (PORT 0: a free port
that is free for both), and on stopping one JSON line of what it did.
"""

import asyncio
import glob
import json
import os
import socket
import struct
import sys

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
from dns.rdtypes.ANY.CNAME import CNAME
from dns.rdtypes.ANY.MX import MX
from dns.rdtypes.IN.A import A

from . import service

IN = dns.rdataclass.IN
UDP_BUFFER = 1 << 23
LONGEST_CHAIN = 8


class Zones:
    """Records by owner and type, for the zones of a directory."""

    def __init__(self):
        self.origins = {}    # origin text -> the zone's TTL
        self.texts = {}      # (owner, type) -> [rdata text]
        self.rrsets = {}     # (owner, type) -> RRset, built on first use
        self.types = {}      # owner -> [type]
        self.names = set()   # owners and the names between them and their zone

    def load(self, directory):
        for path in sorted(glob.glob(os.path.join(directory, "zones", "*.zone"))):
            self.read(path)
        for owner, rtype in self.texts:
            self.types.setdefault(owner, []).append(rtype)
            self.names.update(self.ancestors(owner))

    def read(self, path):
        origin, ttl = None, 86400
        with open(path, encoding="ascii") as lines:
            for line in lines:
                if line.startswith("$ORIGIN"):
                    origin = line.split()[1].lower()
                elif line.startswith("$TTL"):
                    ttl = int(line.split()[1])
                elif line.strip() and not line.startswith(";"):
                    owner, rtype, rdata = line.rstrip("\n").split("\t", 2)
                    owner = origin if owner == "@" else owner.lower()
                    self.texts.setdefault((owner, dns.rdatatype.from_text(rtype)),
                                          []).append(rdata)
        self.origins[origin] = ttl

    def zone_of(self, name):
        labels = name.split(".")
        for start in range(len(labels)):
            origin = ".".join(labels[start:])
            if origin in self.origins:
                return origin
        return None

    def ancestors(self, owner):
        """The owner and its parents down to (and with) its zone's origin."""
        origin = self.zone_of(owner)
        names = [owner]
        while owner != origin and "." in owner.rstrip("."):
            owner = owner.split(".", 1)[1]
            names.append(owner)
        return names

    def rrset(self, owner, rtype):
        key = (owner, rtype)
        found = self.rrsets.get(key)
        if found is None and key in self.texts:
            found = dns.rrset.RRset(dns.name.from_text(owner), IN, rtype)
            found.update_ttl(self.origins[self.zone_of(owner)])
            for text in self.texts[key]:
                found.add(rdata(rtype, text))
            self.rrsets[key] = found
        return found


def rdata(rtype, text):
    """The commonest types built directly: the text parser costs more."""
    if rtype == dns.rdatatype.A:
        return A(IN, rtype, text)
    if rtype == dns.rdatatype.MX:
        preference, exchange = text.split()
        return MX(IN, rtype, int(preference), dns.name.from_text(exchange))
    if rtype == dns.rdatatype.CNAME:
        return CNAME(IN, rtype, dns.name.from_text(text))
    return dns.rdata.from_text(IN, rtype, text)


class Responder:
    def __init__(self, zones):
        self.zones = zones
        self.counts = {"udp": 0, "tcp": 0, "truncated": 0, "malformed": 0}

    def answer(self, wire, limit):
        """The answer to a query in wire format, or None for no answer."""
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            self.counts["malformed"] += 1
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        response.flags &= ~dns.flags.RA
        if query.opcode() != dns.opcode.QUERY:
            response.set_rcode(dns.rcode.NOTIMP)
        elif len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
        else:
            self.fill(response, query.question[0])
        if query.edns >= 0:
            limit = max(limit, query.payload)
        try:
            return response.to_wire(max_size=limit)
        except dns.exception.TooBig:
            self.counts["truncated"] += 1
            response.answer.clear()
            response.authority.clear()
            response.flags |= dns.flags.TC
            return response.to_wire(max_size=limit)

    def fill(self, response, question):
        name = question.name.to_text().lower()
        rtype = question.rdtype
        origin = self.zones.zone_of(name)
        if question.rdclass != IN or origin is None:
            response.flags &= ~dns.flags.AA
            response.set_rcode(dns.rcode.REFUSED)
            return
        for _ in range(LONGEST_CHAIN):
            cname = self.zones.rrset(name, dns.rdatatype.CNAME)
            if cname is None or rtype in (dns.rdatatype.CNAME, dns.rdatatype.ANY):
                break
            response.answer.append(cname)
            name = cname[0].target.to_text().lower()
            origin = self.zones.zone_of(name)
            if origin is None:
                return
        found = self.zones.rrset(name, rtype)
        if found is not None:
            response.answer.append(found)
            return
        if rtype == dns.rdatatype.ANY and name in self.zones.types:
            response.answer += [self.zones.rrset(name, kind) for kind in self.zones.types[name]]
            return
        if name not in self.zones.names:
            response.set_rcode(dns.rcode.NXDOMAIN)
        response.authority.append(self.zones.rrset(origin, dns.rdatatype.SOA))


class Datagrams(asyncio.DatagramProtocol):
    def __init__(self, responder):
        self.responder = responder

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, peer):
        self.responder.counts["udp"] += 1
        wire = self.responder.answer(data, 512)
        if wire is not None:
            self.transport.sendto(wire, peer)


class Stream(asyncio.Protocol):
    """DNS over TCP: each message with a two-byte length in front."""

    def __init__(self, responder):
        self.responder = responder
        self.pending = b""

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.pending += data
        while len(self.pending) >= 2:
            (length,) = struct.unpack("!H", self.pending[:2])
            if len(self.pending) < 2 + length:
                return
            wire, self.pending = self.pending[2:2 + length], self.pending[2 + length:]
            self.responder.counts["tcp"] += 1
            answer = self.responder.answer(wire, 65535)
            if answer is None:
                self.transport.close()
                return
            self.transport.write(struct.pack("!H", len(answer)) + answer)


def sockets(address, port):
    """A UDP and a TCP socket on address:port; port 0 picks one free for both."""
    for _ in range(20):
        udp = udp_socket(address, port)
        chosen = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind((address, chosen))
        except OSError:
            udp.close()
            tcp.close()
            if port:
                raise
            continue
        tcp.listen(128)
        tcp.setblocking(False)
        return udp, tcp
    raise OSError("no port free for both UDP and TCP")


def udp_socket(address, port):
    """A UDP socket that shares its port with the other workers' (the
    kernel spreads the clients' sockets over them)."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    udp.bind((address, port))
    udp.setblocking(False)
    enlarge_buffer(udp)
    return udp


def enlarge_buffer(udp):
    """Room for bursts of queries; beyond rmem_max only as root."""
    force = getattr(socket, "SO_RCVBUFFORCE", None)
    try:
        udp.setsockopt(socket.SOL_SOCKET, force, UDP_BUFFER)
    except (OSError, TypeError):
        udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, UDP_BUFFER)


async def serve(zones, udp, tcp, stop):
    """Answer on `udp`, and on `tcp` if given: the first worker's."""
    loop = asyncio.get_running_loop()
    responder = Responder(zones)
    transport, _ = await loop.create_datagram_endpoint(lambda: Datagrams(responder), sock=udp)
    server = tcp and await loop.create_server(lambda: Stream(responder), sock=tcp)
    if tcp:
        service.say(f"ready {udp.getsockname()[1]}")
    try:
        await stop.wait()
    finally:
        transport.close()
        if server:
            server.close()
    service.say(json.dumps(responder.counts))


def main(argv):
    """Load the zones, then fork a worker per processor: dnspython takes
    the time, and one process would slow a fast client down."""
    directory, address, port = argv[0], argv[1], int(argv[2])
    zones = Zones()
    zones.load(directory)
    udp, tcp = sockets(address, port)
    port = udp.getsockname()[1]
    workers = []
    for _ in range((os.cpu_count() or 1) - 1):
        pid = os.fork()
        if pid == 0:
            udp.close()
            tcp.close()
            udp, tcp, workers = udp_socket(address, port), None, []
            break
        workers.append(pid)
    service.run(lambda stop: serve(zones, udp, tcp, stop))
    for pid in workers:
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main(sys.argv[1:])
