"""The domain the README's examples name, added to a served world so that
they can be typed as written: example.net, whose one mail exchanger,
mx1.example.net, is sendmail 8.8.8 at 127.0.1.7.

The address is in 127.0.0.0/16, where the generator puts no server, and
the name is no word the generator makes (its words begin with a
consonant), so the example never meets a server or a domain of the world.
"""

import random

from . import generate, software

DOMAIN = "example.net"
EXCHANGER = "mx1.example.net"
ADDRESS = "127.0.1.7"
PREFERENCE = 10
LABEL = "sendmail"
VERSION = "8.8.8/8.8.8"


def add_to(world):
    """Put example.net first among the world's domains, with its exchanger."""
    variant = software.TEXTS[LABEL][0]
    server = generate.Server(ADDRESS, generate.GREET, LABEL, host=EXCHANGER)
    server.greeting, server.help, server.quit = generate.render(
        variant, EXCHANGER, VERSION, random.Random(DOMAIN))
    world.servers.insert(0, server)
    world.domains.insert(0, DOMAIN)
    world.records += [(f"{DOMAIN}.", "MX", f"{PREFERENCE} {EXCHANGER}."),
                      (f"{EXCHANGER}.", "A", ADDRESS)]
