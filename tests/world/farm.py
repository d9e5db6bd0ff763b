"""Thousands of 1998 mail servers in one process.

Each address of the world gets a listening socket of its own on one port,
so a server knows who it is by the socket a connection came to, and an
address with no socket refuses (the kernel answers the SYN with a reset):

    greet       sends its greeting; answers HELP with its help text, QUIT
                with its 221 reply (then closes), anything else with 502
    silent      accepts and never says a word
    drop        a socket whose accept queue is full and never served, so
                the kernel drops every SYN and connect() times out
    disconnect  accepts and closes at once
    drip, flood, tarpit, ...   servers that break the rules (see hostile)
    esmtp       a server of today, with EHLO and STARTTLS (see esmtpserver)
    refuse, hostunreach, netunreach   no socket (routes do the rest)

Usage: python -m world.farm WORLD_DIR PORT SHARD SHARDS

serves the addresses of servers line i for i % SHARDS == SHARD, prints
`ready PORT` once all listen, and on stopping prints one JSON line of what
it did, with the longest time a connection lasted from accept to close
(longest_ms).  Exits 3 if some address:PORT was taken, so that the caller
can try another port.
"""

import asyncio
import errno
import json
import socket
import sys

from . import esmtpserver, generate, hostile, service

ADDRESS_TAKEN = 3
OTHER_COMMAND = b"502 Command not implemented\r\n"
LONGEST_COMMAND = 4096
BACKLOG = 64


class Conversation(service.Connection):
    """A greeting server's side of one connection."""

    def __init__(self, server, counts):
        super().__init__(counts)
        self.server = server
        self.pending = b""

    def connection_made(self, transport):
        super().connection_made(transport)
        self.counts["greeted"] += 1
        transport.write(self.server.greeting)

    def data_received(self, data):
        self.pending += data
        while b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            verb = line.split(None, 1)[0].upper() if line.strip() else b""
            if verb == b"HELP":
                self.counts["helped"] += 1
                self.transport.write(self.server.help)
            elif verb == b"QUIT":
                self.counts["quit"] += 1
                self.transport.write(self.server.quit)
                self.transport.close()
                return
            else:
                self.transport.write(OTHER_COMMAND)
        if len(self.pending) > LONGEST_COMMAND:
            self.transport.close()


class Silence(service.Connection):
    def connection_made(self, transport):
        super().connection_made(transport)
        self.counts["silent"] += 1


class Hangup(service.Connection):
    def connection_made(self, transport):
        super().connection_made(transport)
        self.counts["disconnected"] += 1
        transport.close()


def listening_socket(address, port, backlog):
    sock = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET,
                         socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(backlog)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


async def serve(directory, servers, port, stop):
    loop = asyncio.get_running_loop()
    counts = dict.fromkeys(("greeted", "helped", "quit", "silent", "disconnected", "tls",
                            "connections", "longest_ms"), 0)
    tls = esmtpserver.contexts(directory, servers)
    factories = {
        generate.GREET: lambda server: lambda: Conversation(server, counts),
        generate.SILENT: lambda server: lambda: Silence(counts),
        "disconnect": lambda server: lambda: Hangup(counts),
    }
    for behaviour, protocol in hostile.PROTOCOLS.items():
        factories[behaviour] = lambda server, protocol=protocol: lambda: protocol(server, counts)
    for behaviour, protocol in esmtpserver.PROTOCOLS.items():
        factories[behaviour] = lambda server, protocol=protocol: lambda: protocol(
            server, tls.get(server.address), counts)
    listeners, held = [], []
    try:
        for server in servers:
            if server.behaviour == generate.DROP:
                held += drop_syns(server.address, port)
            elif server.behaviour in factories:
                sock = listening_socket(server.address, port, BACKLOG)
                held.append(sock)
                listeners.append(await loop.create_server(
                    factories[server.behaviour](server), sock=sock))
        service.say(f"ready {port}")
        await stop.wait()
    finally:
        for listener in listeners:
            listener.close()
        for sock in held:
            sock.close()
    service.say(json.dumps(counts))


def drop_syns(address, port):
    """A listener with room for one connection in its accept queue, and the
    connection that fills it: the kernel drops every later SYN."""
    sock = listening_socket(address, port, 0)
    filler = socket.socket(sock.family, socket.SOCK_STREAM)
    try:
        filler.connect((address, port))
    except BaseException:
        filler.close()
        sock.close()
        raise
    return [sock, filler]


def main(argv):
    directory, port, shard, shards = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    servers = generate.read_servers(directory)[shard::shards]
    service.raise_open_files()
    try:
        service.run(lambda stop: serve(directory, servers, port, stop))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            sys.exit(ADDRESS_TAKEN)
        raise


if __name__ == "__main__":
    main(sys.argv[1:])
