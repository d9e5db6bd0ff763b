"""Mail servers that break the rules, and what a survey must make of each.

Every behaviour below is a server the farm can play at an address, next to
the 1998 servers of `generate`:

    drip                   its greeting one byte a second, forever
    flood                  megabytes of greeting without a line end
    continuations          `220-` continuation lines without end
    garbage                replies with NUL, invalid UTF-8, ESC [ sequences,
                           TABs, bare CR and bare LF (then answers properly)
    code-per-line          a different reply code on every line
    tarpit                 greets only after a long delay
    deaf                   greets, then never reads
    hangup-after-greeting  greets and closes
    hangup-on-help         greets, reads HELP and closes
    reset-mid-reply        greets, starts its HELP reply, resets the connection
    endless-help           answers HELP with a reply that never ends

`make_world` mixes them with ordinary servers; `expected` says what a
survey must make of each.
"""

import os
import random
import socket
import struct
from dataclasses import dataclass

from . import generate, software
from .service import Connection

DRIP, FLOOD, CONTINUATIONS, GARBAGE, CODE_PER_LINE = (
    "drip", "flood", "continuations", "garbage", "code-per-line")
TARPIT, DEAF, HANGUP_AFTER_GREETING, HANGUP_ON_HELP, RESET_MID_REPLY, ENDLESS_HELP = (
    "tarpit", "deaf", "hangup-after-greeting", "hangup-on-help", "reset-mid-reply",
    "endless-help")
BEHAVIOURS = (DRIP, FLOOD, CONTINUATIONS, GARBAGE, CODE_PER_LINE, TARPIT, DEAF,
              HANGUP_AFTER_GREETING, HANGUP_ON_HELP, RESET_MID_REPLY, ENDLESS_HELP)

DRIP_INTERVAL = 1.0
DRIP_TEXT = b"220 slowly, very slowly, "           # repeated for ever
FLOOD_BYTES = 8 << 20
FLOOD_CHUNK = b"A" * 65536
CONTINUATION = b"220-and there is more\r\n"
HELP_CONTINUATION = b"214-and more help\r\n"
TARPIT_DELAY = 600.0                                 # longer than any read timeout
RESET_AFTER = 0.2

GREETING = b"220 hostile.example ESMTP\r\n"
HELP = b"214-Commands:\r\n214 HELO MAIL RCPT DATA QUIT HELP\r\n"
QUIT = b"221 bye\r\n"
PARTIAL_HELP = b"214-Commands:\r\n214-HELO MA"

GARBAGE_GREETING = (
    b"220-\x00nul\x00bytes\x00\r\n"
    b"220-invalid utf-8: \xff\xfe \xc3\x28 \xed\xa0\x80 \xf0\x28\x8c\r\n"
    b"220-\x1b[2J\x1b[1;31mred\x1b[0m \x1b]0;title\x07 \x9b6n\r\n"
    b"220-\ttabs\tand spaces \t\r\n"
    b"220-bare\rcr\r\r\n"
    b"220-bare lf\n"
    b"220 garbage.example\x7f ready\r\n")
GARBAGE_HELP = b"214-\x00\xff\x1b[5m\r\n214 \x1bc end\n"
GARBAGE_QUIT = b"221 \x1b[0m\x00bye\r\n"

CODE_PER_LINE_GREETING = b"220-first\r\n421-second\r\n554-third\r\n250 fourth\r\n"
CODE_PER_LINE_HELP = b"214-a\r\n502-b\r\n250-c\r\n999-d\r\n000-e\r\n214 f\r\n"

# The texts a server of each behaviour is made with (greeting, help, quit).
TEXTS = {
    GARBAGE: (GARBAGE_GREETING, GARBAGE_HELP, GARBAGE_QUIT),
    CODE_PER_LINE: (CODE_PER_LINE_GREETING, CODE_PER_LINE_HELP, QUIT),
}


# The servers ---------------------------------------------------------------

class Talker(Connection):
    """Greets, answers HELP and QUIT with the server's texts (QUIT closes);
    the behaviours below change one step of it."""

    def __init__(self, server, counts):
        super().__init__(counts)
        self.server = server
        self.pending = b""
        self.paused = False
        self.source = None  # a function giving the next chunk to pour, None at the end

    def connection_made(self, transport):
        super().connection_made(transport)
        self.greet()

    def greet(self):
        self.transport.write(self.server.greeting)

    def data_received(self, data):
        self.pending += data
        while b"\n" in self.pending and not self.transport.is_closing():
            line, self.pending = self.pending.split(b"\n", 1)
            verb = line.strip().upper()
            if verb == b"HELP":
                self.help()
            elif verb == b"QUIT":
                self.transport.write(self.server.quit)
                self.transport.close()
            else:
                self.transport.write(b"502 Command not implemented\r\n")

    def help(self):
        self.transport.write(self.server.help)

    def pour(self, source):
        """Write source() after source() as fast as the client reads."""
        self.source = source
        self.resume_writing()

    def pause_writing(self):
        self.paused = True

    def resume_writing(self):
        self.paused = False
        while self.source and not self.paused and not self.transport.is_closing():
            chunk = self.source()
            if chunk is None:
                self.source = None
            else:
                self.transport.write(chunk)

    def later(self, delay, callback):
        self.timers.append(self.loop.call_later(delay, callback))


class Drip(Talker):
    def greet(self):
        self.sent = 0
        self.drip()

    def drip(self):
        if not self.transport.is_closing():
            self.transport.write(drip_bytes(self.sent, 1))
            self.sent += 1
            self.later(DRIP_INTERVAL, self.drip)


class Flood(Talker):
    def greet(self):
        chunks = iter([b"220 "] + [FLOOD_CHUNK] * (FLOOD_BYTES // len(FLOOD_CHUNK)))
        self.pour(lambda: next(chunks, None))


class Continuations(Talker):
    def greet(self):
        self.pour(lambda: CONTINUATION * 64)


class Tarpit(Talker):
    def greet(self):
        self.later(TARPIT_DELAY, super().greet)


class Deaf(Talker):
    """Reads what comes only to drop it: a transport that stopped reading
    would not see the client go, and nothing would hold it (the garbage
    collector would close it)."""

    def data_received(self, data):
        pass


class HangupAfterGreeting(Talker):
    def greet(self):
        super().greet()
        self.transport.close()


class HangupOnHelp(Talker):
    def help(self):
        self.transport.close()


class ResetMidReply(Talker):
    def help(self):
        self.transport.write(PARTIAL_HELP)
        self.later(RESET_AFTER, self.reset)

    def reset(self):
        sock = self.transport.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.transport.abort()


class EndlessHelp(Talker):
    def help(self):
        self.pour(lambda: HELP_CONTINUATION * 64)


PROTOCOLS = {
    DRIP: Drip, FLOOD: Flood, CONTINUATIONS: Continuations, GARBAGE: Talker,
    CODE_PER_LINE: Talker, TARPIT: Tarpit, DEAF: Deaf,
    HANGUP_AFTER_GREETING: HangupAfterGreeting, HANGUP_ON_HELP: HangupOnHelp,
    RESET_MID_REPLY: ResetMidReply, ENDLESS_HELP: EndlessHelp,
}


def drip_bytes(start, count):
    """Bytes start..start+count of the endless dripped greeting."""
    repeats = (start + count) // len(DRIP_TEXT) + 1
    return (DRIP_TEXT * repeats)[start:start + count]


# A world of them -----------------------------------------------------------

ORDINARY_FAILURES = {"silent": 0.04, "disconnect": 0.03, "refuse": 0.03}


@dataclass
class World:
    servers: list

    def write(self, directory):
        os.makedirs(directory, exist_ok=True)
        generate.write_servers(directory, self.servers)


def make_world(addresses, hostile_share, seed=1):
    """`addresses` servers, `hostile_share` of them hostile (every behaviour
    alike), the rest ordinary: mostly 1998 software that greets, a few that
    are silent, hang up or refuse."""
    rng = random.Random(f"{seed}/hostile")
    hostile = round(addresses * hostile_share)
    behaviours = [BEHAVIOURS[index % len(BEHAVIOURS)] for index in range(hostile)]
    for behaviour, share in ORDINARY_FAILURES.items():
        behaviours += [behaviour] * round((addresses - hostile) * share)
    behaviours += [generate.GREET] * (addresses - len(behaviours))
    rng.shuffle(behaviours)
    labels = sorted(software.TEXTS)
    servers = []
    for index, (address, behaviour) in enumerate(
            zip(generate.pick_addresses(rng, generate.LOCAL_OCTETS, addresses), behaviours)):
        server = generate.Server(address, behaviour, host=f"mx{index}.example.net")
        if behaviour == generate.GREET:
            server.label = rng.choice(labels)
            generate.fill_texts(server, rng)
        else:
            server.greeting, server.help, server.quit = TEXTS.get(behaviour, (GREETING, HELP, QUIT))
        servers.append(server)
    return World(servers)
