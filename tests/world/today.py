"""Today's internet on one machine: mail exchangers that speak ESMTP and
STARTTLS with certificates of a certificate authority made with the world,
and the ways they go wrong, over IPv4 and IPv6.

Every exchanger address is of one KIND, which says how its server answers
EHLO and STARTTLS and what certificate it shows; `truth` says what
smtpprobe --ehlo must record of it, field by field (record.TODAY's names),
and what mtaguess -f patterns-2026.awk must call it.  A world is made from
a seed (`generate`); its certificates are made when it is written
(`write`, see pki), since a certificate's validity is relative to now.

IPv6 exchangers have addresses of FD6D:7873:7572::/48, a unique local
range that the runner adds to the loopback of the world's private network
namespace (network.add_addresses); without one they are left out.
"""

import datetime
import ipaddress
import json
import os
import random
from dataclasses import dataclass

from . import generate, names, pki, software2026
from .survey1998 import DISCONNECT, FAILURE_WORDING, REFUSED, TIMEOUT, format_rows, report_order

ESMTP = "esmtp"
IPV6_NET = ipaddress.ip_network("fd6d:7873:7572::/48")
CLIENT_NAME = "survey.example.net"       # the survey's EHLO name, as the demo gives it

# kind: (HELLO, STARTTLS answer, certificate, TLS_VERSION), for the servers
# that greet.  The STARTTLS answers: ok (220, then the handshake), refused
# (454), dropped (the connection closed at STARTTLS), stalled (220, then
# silence: the handshake never ends); "" when EHLO does not offer it.
KINDS = {
    "trusted": ("ehlo", "ok", "trusted", "TLSv1.3"),
    "no-intermediate": ("ehlo", "ok", "no-intermediate", "TLSv1.3"),
    "expired": ("ehlo", "ok", "expired", "TLSv1.3"),
    "self-signed": ("ehlo", "ok", "self-signed", "TLSv1.3"),
    "name-mismatch": ("ehlo", "ok", "name-mismatch", "TLSv1.3"),
    "tls1.0": ("ehlo", "ok", "tls1.0", "TLSv1"),
    "rsa-1024": ("ehlo", "ok", "rsa-1024", "TLSv1.3"),
    "starttls-refused": ("ehlo", "refused", "", ""),
    "starttls-dropped": ("ehlo", "dropped", "", ""),
    "starttls-stalled": ("ehlo", "stalled", "", ""),
    "no-starttls": ("ehlo", "", "", ""),
    "ehlo-refused": ("helo", "", "", ""),
}
# What smtpprobe records of each STARTTLS answer (esmtp: `unanswered` when
# the connection ends before any reply, `failed` when the handshake does).
STARTTLS_FIELD = {"ok": "ok", "refused": "refused", "dropped": "unanswered",
                  "stalled": "failed", "": ""}
FAILURES = {REFUSED: "refuse", TIMEOUT: generate.SILENT, DISCONNECT: "disconnect"}

# The share of each kind in a world; each kind comes at least once.
MIX = {"trusted": 0.48, "no-intermediate": 0.02, "no-starttls": 0.10, "expired": 0.04,
       "self-signed": 0.05, "name-mismatch": 0.04, "tls1.0": 0.02, "rsa-1024": 0.02,
       "starttls-refused": 0.03, "starttls-dropped": 0.02, "starttls-stalled": 0.02,
       "ehlo-refused": 0.04, REFUSED: 0.05, TIMEOUT: 0.03, DISCONNECT: 0.02}
HOSTED = ("Google", "Exchange Online", "Proofpoint", "Mimecast")   # serve many domains
MOST_CUSTOMERS = 4        # domains more than its own that a hosted exchanger serves
DUAL_STACK_SHARE = 0.15   # greeting exchangers with an IPv6 address too
IPV6_ONLY_SHARE = 0.05    # ... with an IPv6 address only

# The domain the README's examples of today's dialogue name.
EXAMPLE_DOMAIN = "example.org"
EXAMPLE_HOST = "mx.example.org"
EXAMPLE_ADDRESSES = ("127.0.2.25", "fd6d:7873:7572::25")
EXAMPLE_LABEL = "Postfix"
TEXT_DATE = datetime.datetime(2026, 5, 11, 8, 15, tzinfo=datetime.timezone.utc)


@dataclass
class TodayWorld:
    seed: int
    servers: list            # generate.Server, with `today` filled for those that greet
    domains: list
    records: list            # (owner, type, rdata)
    name: str = "today"

    def ipv6(self):
        return [server.address for server in self.servers if ":" in server.address]

    def without_ipv6(self):
        """The world less its IPv6 addresses (and names left with none)."""
        kept = [server for server in self.servers if ":" not in server.address]
        hosts = {server.host for server in kept}
        records = [record for record in self.records if record[1] != "AAAA"]
        domains = [domain for domain in self.domains
                   if any(rdata.split()[1].rstrip(".") in hosts for owner, rtype, rdata in records
                          if owner == f"{domain}." and rtype == "MX")]
        return TodayWorld(self.seed, kept, domains, records, self.name)

    def truth(self):
        """The table tally must print: (failure rows, software rows)."""
        failures, labels = {}, {}
        for server in self.servers:
            label = server.label
            table = labels if server.behaviour == ESMTP else failures
            table[label] = table.get(label, 0) + 1
        return report_order(failures), report_order(labels)

    def write(self, directory):
        """domains, zones/, servers, truth (the table), and the world's
        certificate authority and certificates (ca.crt, pki/), which fill
        in each server's CERT_SHA256."""
        pki.make(directory, self.servers)
        os.makedirs(os.path.join(directory, "zones"), exist_ok=True)
        with open(os.path.join(directory, "domains"), "w") as out:
            out.writelines(f"{domain}\n" for domain in self.domains)
        for tld, text in generate.zone_files(self.records).items():
            with open(os.path.join(directory, "zones", f"{tld}.zone"), "w") as out:
                out.write(text)
        generate.write_servers(directory, self.servers)
        failures, labels = self.truth()
        with open(os.path.join(directory, "truth"), "w") as out:
            out.write(format_rows(failures) + format_rows(labels))
        with open(os.path.join(directory, "world.json"), "w") as out:
            json.dump({"spec": self.name, "seed": self.seed, "addresses": len(self.servers),
                       "domains": len(self.domains)}, out, indent=1)
            out.write("\n")


def kinds_for(addresses):
    """How many addresses of each kind, about `addresses` in all."""
    return {kind: max(1, round(share * addresses)) for kind, share in MIX.items()}


def generate_world(addresses, seed):
    rng = random.Random(f"{seed}/today")
    namer = names.Names(rng)
    kinds = [kind for kind, count in kinds_for(addresses).items() for _ in range(count)]
    rng.shuffle(kinds)
    ipv4 = iter(generate.pick_addresses(rng, generate.LOCAL_OCTETS, 2 * len(kinds)))
    ipv6 = iter(IPV6_NET[index] for index in range(0x100, 0x100 + 2 * len(kinds)))
    world = TodayWorld(seed, [], [EXAMPLE_DOMAIN], [])
    add_host(world, EXAMPLE_DOMAIN, EXAMPLE_HOST, "trusted", EXAMPLE_LABEL, EXAMPLE_ADDRESSES,
             rng)
    labels = list(software2026.TEXTS)
    weights = [software2026.TEXTS[label].weight for label in labels]
    greeting = 0
    for kind in kinds:
        domain = namer.domain()
        host = namer.exchanger(domain)
        world.domains.append(domain)
        if kind in FAILURES:
            add_host(world, domain, host, kind, FAILURE_WORDING[kind], [next(ipv4)], rng)
            continue
        greeting += 1
        family = rng.random()
        if greeting == 1 or family < IPV6_ONLY_SHARE:   # one at least
            addresses = [str(next(ipv6))]
        elif greeting == 2 or family < IPV6_ONLY_SHARE + DUAL_STACK_SHARE:
            addresses = [next(ipv4), str(next(ipv6))]
        else:
            addresses = [next(ipv4)]
        label = rng.choices(labels, weights)[0]
        add_host(world, domain, host, kind, label, addresses, rng)
        if label in HOSTED:
            for _ in range(rng.randrange(MOST_CUSTOMERS + 1)):
                customer = namer.domain()
                world.domains.append(customer)
                world.records.append((f"{customer}.", "MX", f"10 {host}."))
    rng.shuffle(world.domains)
    return world


def add_host(world, domain, host, kind, label, addresses, rng):
    world.records.append((f"{domain}.", "MX", f"10 {host}."))
    for address in addresses:
        rtype = "AAAA" if ":" in address else "A"
        world.records.append((f"{host}.", rtype, address))
        if kind in FAILURES:
            server = generate.Server(address, FAILURES[kind], label, host=host)
        else:
            server = generate.Server(address, ESMTP, label, host=host)
            server.greeting, server.help, server.quit = render(label, host, rng)
            server.today = configure(kind, label, host, rng)
        server.today["kind"] = kind
        server.today["truth"] = truth(server, kind)
        world.servers.append(server)


def render(label, host, rng):
    texts = software2026.TEXTS[label]
    fields = fill(host, rng)
    return tuple("".join(line.format(**fields) + "\r\n" for line in lines).encode("latin-1")
                 for lines in ((texts.greeting,), texts.help, (texts.quit,)))


def fill(host, rng):
    moment = TEXT_DATE + datetime.timedelta(seconds=rng.randrange(3600))
    # {client} and {peer} are the EHLO argument and the client's address,
    # which the server puts in at the time of the exchange.
    return {"host": host, "date": moment.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            "id": "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(12)),
            "client": "{client}", "peer": "{peer}", "starttls": "STARTTLS"}


def configure(kind, label, host, rng):
    """How the server answers EHLO and STARTTLS: `server.today`."""
    hello, answer, certificate, _ = KINDS[kind]
    texts = software2026.TEXTS[label]
    fields = fill(host, rng)
    first = texts.ehlo_first.format(**fields)

    def reply(lines):
        lines = [first] + [line.format(**fields) for line in lines]
        return "".join(f"250{' ' if last else '-'}{line}\r\n"
                       for last, line in ((n == len(lines) - 1, line)
                                          for n, line in enumerate(lines)))

    offered = [line for line in texts.ehlo if line != "{starttls}" or answer]
    inside = [line for line in texts.ehlo if line != "{starttls}"] + ["AUTH PLAIN LOGIN"]
    return {"ehlo": reply(offered) if hello == "ehlo" else "", "tls_ehlo": reply(inside),
            "helo": f"250 {first}\r\n", "starttls": answer, "certificate": certificate}


def truth(server, kind):
    """What smtpprobe --ehlo must record of the server (the fields named;
    CERT_SHA256 is filled in when its certificate is made), and what
    mtaguess must call it (LABEL)."""
    if kind in FAILURES:
        return {"LABEL": server.label, "STATUS": kind, "HELLO": "", "STARTTLS": ""}
    hello, answer, certificate, version = KINDS[kind]
    found = {"LABEL": server.label, "STATUS": "ok", "HELLO": hello,
             "STARTTLS_OFFERED": "yes" if answer else "no", "STARTTLS": STARTTLS_FIELD[answer],
             "TLS_VERSION": version, "VALIDATION": pki.VALIDATION.get(certificate, ""),
             "CERT_SHA256": ""}
    if certificate in pki.CIPHERS:
        found["CIPHER"] = pki.CIPHERS[certificate]
    return found
