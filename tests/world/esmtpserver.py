"""A mail server of today's world, one connection of it: the greeting,
then each command answered as the server's `today` says (see today):

    EHLO      its EHLO reply (in TLS, the one without STARTTLS), or 502
              if it refuses EHLO
    HELO      250
    STARTTLS  when offered: 220 and the TLS handshake (ok); 454 (refused);
              no reply, the connection closed (dropped); 220 and then
              silence, whatever the client sends (stalled)
    HELP      its HELP reply; QUIT its QUIT reply, then it closes
    other     502

`{client}` and `{peer}` in an EHLO reply become the name the client gave
and its address, as real servers echo them.
"""

import asyncio
import ssl

from . import pki
from .service import Connection

OTHER_COMMAND = b"502 5.5.2 Error: command not recognized\r\n"
EHLO_REFUSED = b"502 5.5.1 EHLO not implemented\r\n"
STARTTLS_GO = b"220 2.0.0 Ready to start TLS\r\n"
STARTTLS_REFUSED = b"454 4.7.0 TLS not available due to local problem\r\n"
LONGEST_COMMAND = 4096


def contexts(directory, servers):
    """The TLS context of each server address that shows a certificate, one
    context for each certificate."""
    made, found = {}, {}
    for server in servers:
        stem = server.today.get("pem")
        if stem:
            if stem not in made:
                made[stem] = pki.server_context(directory, stem, server.today["certificate"])
            found[server.address] = made[stem]
    return found


class Esmtp(Connection):
    def __init__(self, server, context, counts):
        super().__init__(counts)
        self.server = server
        self.today = server.today
        self.context = context
        self.pending = b""
        self.in_tls = False
        self.deaf = False

    def connection_made(self, transport):
        super().connection_made(transport)
        self.counts["greeted"] += 1
        transport.write(self.server.greeting)

    def data_received(self, data):
        if self.deaf:
            return
        self.pending += data
        while b"\n" in self.pending and not self.deaf and not self.transport.is_closing():
            line, self.pending = self.pending.split(b"\n", 1)
            self.answer(line.strip())
        if len(self.pending) > LONGEST_COMMAND:
            self.transport.close()

    def answer(self, line):
        verb, _, argument = line.partition(b" ")
        verb = verb.upper()
        write = self.transport.write
        if verb == b"EHLO":
            text = self.today["tls_ehlo" if self.in_tls else "ehlo"]
            write(self.fill(text, argument) if text else EHLO_REFUSED)
        elif verb == b"HELO":
            write(self.fill(self.today["helo"], argument))
        elif verb == b"STARTTLS" and not self.in_tls and self.today["starttls"]:
            self.starttls()
        elif verb == b"HELP":
            self.counts["helped"] += 1
            write(self.server.help)
        elif verb == b"QUIT":
            self.counts["quit"] += 1
            write(self.server.quit)
            self.transport.close()
        else:
            write(OTHER_COMMAND)

    def fill(self, text, client):
        peer = self.transport.get_extra_info("peername")[0]
        return (text.replace("{peer}", peer).encode("latin-1")
                .replace(b"{client}", client[:255]))

    def starttls(self):
        answer = self.today["starttls"]
        if answer == "refused":
            self.transport.write(STARTTLS_REFUSED)
        elif answer == "dropped":
            self.counts["disconnected"] += 1
            self.transport.close()
        elif answer == "stalled":
            self.transport.write(STARTTLS_GO)
            self.deaf = True
            self.counts["silent"] += 1
        else:
            # Paused now, so that the client's first TLS bytes are left
            # for the handshake, not read as a command.
            self.transport.pause_reading()
            self.transport.write(STARTTLS_GO)
            self.pending = b""
            self.timers.append(asyncio.ensure_future(self.handshake()))

    async def handshake(self):
        try:
            self.transport = await self.loop.start_tls(
                self.transport, self, self.context, server_side=True)
        except (ssl.SSLError, OSError, asyncio.TimeoutError):
            return   # the client gave up or spoke no TLS: the connection is gone
        self.in_tls = True
        self.counts["tls"] += 1


PROTOCOLS = {"esmtp": Esmtp}
