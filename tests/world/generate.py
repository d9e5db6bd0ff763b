"""Make a world from a seed and a spec: addresses and how each behaves, the
names in front of them, the domains that name those, and the truth.

Everything comes from one random.Random seeded with the seed and the spec's
name, so a seed always gives the same world.  The DNS is built so that the
set of addresses it leads to is exactly the world's addresses, whichever MX
of a domain a survey follows: every address is the best MX of some domain
(or a domain's own address), and backup MXs point at addresses that are
some other domain's best.
"""

import datetime
import json
import os
import random
from dataclasses import dataclass, field

from . import names, software
from .survey1998 import (DISCONNECT, FAILURE_WORDING, HOSTUNREACH, NETUNREACH, REFUSED,
                         TIMEOUT, format_rows, report_order)

# How a server at an address behaves.
GREET = "greet"            # greets, answers HELP and QUIT
SILENT = "silent"          # accepts and never speaks
DROP = "drop"              # drops the SYN: connect() times out
BEHAVIOURS_OF = {TIMEOUT: (SILENT, DROP), REFUSED: ("refuse",), DISCONNECT: ("disconnect",),
                 HOSTUNREACH: ("hostunreach",), NETUNREACH: ("netunreach",)}

# Where addresses live, by first octet after 127: servers that the kernel
# delivers locally, and the two ranges that routes make unreachable.
LOCAL_OCTETS = range(1, 128)
HOSTUNREACH_OCTETS = range(128, 192)
NETUNREACH_OCTETS = range(192, 255)
LOCAL_NET = "127.0.0.0/9"
HOSTUNREACH_NET = "127.128.0.0/10"
NETUNREACH_NET = "127.192.0.0/10"

SURVEY_START = datetime.datetime(1998, 5, 11, 3, 10, tzinfo=datetime.timezone.utc)
SURVEY_MINUTES = 55
TIMEZONES = ((-4, "EDT"), (-5, "CDT"), (-6, "MDT"), (-7, "PDT"), (0, "GMT"), (1, "BST"),
             (2, "MET DST"), (10, "EST"), (9, "JST"), (-3, "ADT"))


@dataclass
class Server:
    address: str
    behaviour: str
    label: str = ""         # the software, for a server that greets
    greeting: bytes = b""
    help: bytes = b""
    quit: bytes = b""
    host: str = ""          # the name it goes by
    today: dict = field(default_factory=dict)   # a server of today's world: see today

    def as_json(self):
        fields = {
            "address": self.address, "behaviour": self.behaviour, "label": self.label,
            "host": self.host, "greeting": self.greeting.decode("latin-1"),
            "help": self.help.decode("latin-1"), "quit": self.quit.decode("latin-1")}
        if self.today:
            fields["today"] = self.today
        return json.dumps(fields)

    @classmethod
    def from_json(cls, line):
        fields = json.loads(line)
        for text in ("greeting", "help", "quit"):
            fields[text] = fields[text].encode("latin-1")
        return cls(**fields)


@dataclass
class World:
    spec: object
    seed: int
    servers: list
    domains: list                 # as listed, in survey order
    records: list                 # (owner, type, rdata), names fully qualified
    cases: dict = field(default_factory=dict)   # how many of each DNS case
    addressless: dict = field(default_factory=dict)  # domain -> why it has no address

    def truth(self):
        """The survey's table for this world: (failure rows, software rows)."""
        failures, labels = {}, {}
        for server in self.servers:
            if server.behaviour == GREET:
                labels[server.label] = labels.get(server.label, 0) + 1
            else:
                wording = FAILURE_WORDING[status_of(server.behaviour)]
                failures[wording] = failures.get(wording, 0) + 1
        return report_order(failures), report_order(labels)

    def write(self, directory):
        """domains, zones/TLD.zone, servers (JSON lines), truth (the table's
        rows), addressless (DOMAIN<TAB>why), world.json."""
        os.makedirs(os.path.join(directory, "zones"), exist_ok=True)
        with open(os.path.join(directory, "domains"), "w") as out:
            out.writelines(f"{domain}\n" for domain in self.domains)
        for tld, text in zone_files(self.records).items():
            with open(os.path.join(directory, "zones", f"{tld}.zone"), "w") as out:
                out.write(text)
        write_servers(directory, self.servers)
        failures, labels = self.truth()
        with open(os.path.join(directory, "truth"), "w") as out:
            out.write(format_rows(failures) + format_rows(labels))
        with open(os.path.join(directory, "addressless"), "w") as out:
            out.writelines(f"{domain}\t{why}\n" for domain, why in sorted(self.addressless.items()))
        with open(os.path.join(directory, "world.json"), "w") as out:
            json.dump({"spec": self.spec.name, "seed": self.seed,
                       "addresses": len(self.servers), "domains": len(self.domains),
                       "cases": self.cases}, out, indent=1)
            out.write("\n")


def status_of(behaviour):
    for status, behaviours in BEHAVIOURS_OF.items():
        if behaviour in behaviours:
            return status
    raise ValueError(behaviour)


def write_servers(directory, servers):
    with open(os.path.join(directory, "servers"), "w") as out:
        out.writelines(f"{server.as_json()}\n" for server in servers)


def read_servers(directory):
    with open(os.path.join(directory, "servers")) as lines:
        return [Server.from_json(line) for line in lines]


def generate(spec, seed):
    rng = random.Random(f"{seed}/{spec.name}")
    servers = make_servers(spec, rng)
    dns = Dns(spec.dns, rng, names.Names(rng))
    dns.build(servers)
    for server in servers:
        if server.behaviour == GREET:
            fill_texts(server, rng)
    return World(spec, seed, servers, dns.listed_domains(), dns.records, dns.cases,
                 dns.addressless)


# Servers -------------------------------------------------------------------

def make_servers(spec, rng):
    behaviours = []
    for status, count in spec.failures.items():
        if status == TIMEOUT:
            silent = round(count * spec.silent_share)
            behaviours += [(SILENT, "")] * silent + [(DROP, "")] * (count - silent)
        else:
            behaviours += [(BEHAVIOURS_OF[status][0], "")] * count
    for label, count in spec.software.items():
        behaviours += [(GREET, label)] * count
    rng.shuffle(behaviours)
    pools = {
        "hostunreach": pick_addresses(rng, HOSTUNREACH_OCTETS,
                                  sum(b == "hostunreach" for b, _ in behaviours)),
        "netunreach": pick_addresses(rng, NETUNREACH_OCTETS,
                                 sum(b == "netunreach" for b, _ in behaviours)),
    }
    local = iter(pick_addresses(rng, LOCAL_OCTETS,
                            sum(b not in pools for b, _ in behaviours)))
    pools = {kind: iter(pool) for kind, pool in pools.items()}
    return [Server(next(pools.get(behaviour, local)), behaviour, label)
            for behaviour, label in behaviours]


def pick_addresses(rng, octets, count):
    """`count` distinct addresses 127.A.B.C, A in `octets`, C never 0 or 255."""
    per_octet = 256 * 254
    picks = rng.sample(range(len(octets) * per_octet), count)
    return [f"127.{octets[0] + pick // per_octet}.{pick % per_octet // 254}.{pick % 254 + 1}"
            for pick in picks]


def fill_texts(server, rng):
    variants = software.TEXTS[server.label]
    variant = rng.choices(variants, weights=[variant.weight for variant in variants])[0]
    server.greeting, server.help, server.quit = render(
        variant, server.host, rng.choice(variant.versions), rng)


def render(variant, host, version, rng):
    """The greeting, HELP reply and QUIT reply of a variant, as bytes."""
    moment = SURVEY_START + datetime.timedelta(seconds=rng.randrange(SURVEY_MINUTES * 60))
    hours, zone = rng.choice(TIMEZONES)
    local = moment.astimezone(datetime.timezone(datetime.timedelta(hours=hours)))
    fields = {
        "host": host,
        "v": version,
        "n": rng.randrange(1000, 100000),
        "date": local.strftime("%a, %d %b %Y %H:%M:%S ") + f"{hours * 100:+05d}",
        "date2": local.strftime("%a, %d %b %y %H:%M:%S ") + zone,
        "ctime": local.strftime("%a %b %d %H:%M:%S %Y"),
    }
    return tuple("".join(line.format(**fields) + "\r\n" for line in lines).encode("latin-1")
                 for lines in (variant.greeting, variant.help, variant.quit))


# DNS -----------------------------------------------------------------------

class Dns:
    """The names in front of the servers: ISPs' mail hubs shared by many
    domains, domains' own servers, and the odd cases, each at least once."""

    def __init__(self, shape, rng, namer):
        self.shape = shape
        self.rng = rng
        self.names = namer
        self.records = []
        self.domains = []        # the .net domains to survey, lower case
        self.missing = []        # listed names that do not exist
        self.hubs = []           # the ISPs' mail hosts
        self.cases = {}
        self.addressless = {}    # domain -> why a survey finds no address for it

    def count(self, case, number=1):
        self.cases[case] = self.cases.get(case, 0) + number

    def at_least_one(self, share, total):
        return max(1, round(share * total))

    def add(self, owner, rtype, rdata):
        self.records.append((f"{owner}.", rtype, rdata))

    def mx(self, domain, *exchangers):
        """MX records with preferences 10, 20, ...; `exchangers` are names."""
        for rank, exchanger in enumerate(exchangers, 1):
            self.add(domain, "MX", f"{10 * rank} {exchanger}.")

    def addresses(self, name, group):
        for server in group:
            self.add(name, "A", server.address)
            server.host = server.host or name

    def build(self, servers):
        shape = self.shape
        groups = self.exchanger_groups(servers)
        self.rng.shuffle(groups)
        hubs = max(2, round(len(groups) * shape.hub_share))
        self.isps(groups[:hubs])
        own = groups[hubs:]
        implicit = self.at_least_one(shape.implicit_share, len(own))
        for index, group in enumerate(own):
            self.own_domain(group, implicit=index < implicit)
        self.odd_cases()

    def exchanger_groups(self, servers):
        """The servers behind one exchanger name: mostly one, some two."""
        pairs = self.at_least_one(self.shape.multihomed_share / 2, len(servers))
        self.count("exchanger with two addresses", pairs)
        return ([servers[index:index + 2] for index in range(0, 2 * pairs, 2)]
                + [[server] for server in servers[2 * pairs:]])

    def isps(self, groups):
        """ISPs own one to four hubs each and serve many customers' domains.
        The first customer's MX names a chain of two CNAMEs and the second's
        one CNAME, the first hub has a second name; then each by chance."""
        rng, shape = self.rng, self.shape
        start, customer = 0, 0
        while start < len(groups):
            size = rng.choice((1, 1, 1, 2, 2, 3, 4))
            isp = self.names.isp()
            hubs, behind = [], {}
            for group in groups[start:start + size]:
                hub = self.names.hub(isp)
                self.addresses(hub, group)
                hubs.append(hub)
                behind[hub] = group
            self.hubs += hubs
            self.mx(isp, *hubs[:2])
            if isp.endswith(".net"):
                self.domains.append(isp)
            for hub in hubs:
                customers = min(shape.customers_cap, int(rng.paretovariate(shape.customers_alpha)))
                self.count("domain served by an ISP's hub", customers)
                for _ in range(customers):
                    backup = [rng.choice(hubs)] if len(hubs) > 1 and rng.random() < 0.5 else []
                    domain = self.names.domain()
                    self.domains.append(domain)
                    if customer < 2 or rng.random() < shape.cname_share:
                        self.mx(domain, self.cname_chain(domain, hub, 2 if customer == 0 else 1),
                                *backup)
                    else:
                        self.mx(domain, hub, *backup)
                    customer += 1
                if start == 0 and hub == hubs[0] or rng.random() < shape.alias_share:
                    self.second_name(isp, behind[hub])
            start += size

    def cname_chain(self, domain, target, length):
        """An MX that names a CNAME (to a CNAME, if length 2) of `target`."""
        self.count("MX to a CNAME" if length == 1 else f"MX to a chain of {length} CNAMEs")
        for _ in range(length):
            alias = self.names.exchanger(domain)
            self.add(alias, "CNAME", f"{target}.")
            target = alias
        return target

    def second_name(self, isp, group):
        """A second exchanger name for the servers of a hub, the MX of one
        more domain: each address must still come out once."""
        alias = self.names.hub(isp)
        self.addresses(alias, group)
        domain = self.names.domain()
        self.domains.append(domain)
        self.mx(domain, alias)
        self.count("address with two exchanger names")

    def own_domain(self, group, implicit):
        """A domain with a server of its own, named in its MX (some with an
        ISP's hub as backup), or with no MX and the domain's own address."""
        rng = self.rng
        domain = self.names.domain()
        self.domains.append(domain)
        if implicit:
            self.addresses(domain, group)
            self.count("no MX, the domain's own address")
            return
        exchanger = self.names.exchanger(domain)
        self.addresses(exchanger, group)
        if rng.random() < self.shape.backup_share:
            self.mx(domain, exchanger, rng.choice(self.hubs))
            self.count("own exchanger and an ISP's backup")
        else:
            self.mx(domain, exchanger)
            self.count("own exchanger")

    def odd_cases(self):
        rng, shape, total = self.rng, self.shape, len(self.domains)
        for _ in range(self.at_least_one(shape.null_mx_share, total)):
            domain = self.names.domain()
            self.domains.append(domain)
            self.add(domain, "MX", "0 .")
            self.count("null MX")
            self.addressless[domain] = "null MX"
        for _ in range(self.at_least_one(shape.nxdomain_share, total)):
            domain = self.names.domain()
            self.missing.append(domain)
            self.count("NXDOMAIN")
            self.addressless[domain] = "NXDOMAIN"
        for index in range(max(2, round(shape.no_address_share * total))):
            domain = self.no_address(nodata=index % 2 == 0)
            self.domains.append(domain)
            self.addressless[domain] = "exchanger without address"
        for _ in range(self.at_least_one(shape.no_address_backup_share, total)):
            domain = self.no_address(nodata=rng.random() < 0.5)
            self.domains.append(domain)
            self.add(domain, "MX", f"20 {rng.choice(self.hubs)}.")
            self.count("... and an ISP's backup that has one")
        for _ in range(self.at_least_one(shape.barren_share, total)):
            domain = self.names.domain()
            self.domains.append(domain)
            self.add(domain, "TXT", '"no mail here"')
            self.count("neither MX nor address")
            self.addressless[domain] = "neither MX nor address"

    def no_address(self, nodata):
        """A domain whose MX names an exchanger without an address: a name
        that does not exist, or one that has other records only."""
        domain = self.names.domain()
        exchanger = self.names.exchanger(domain)
        self.add(domain, "MX", f"10 {exchanger}.")
        if nodata:
            self.add(exchanger, "TXT", '"mail server moved"')
        self.count("exchanger without address" + (" (no A)" if nodata else " (NXDOMAIN)"))
        return domain

    def listed_domains(self):
        """The survey's input: the domains and the missing names, shuffled,
        a few in capitals."""
        listed = self.domains + self.missing
        self.rng.shuffle(listed)
        capitals = self.at_least_one(self.shape.mixed_case_share, len(listed))
        for index in self.rng.sample(range(len(listed)), capitals):
            listed[index] = "".join(c.upper() if self.rng.random() < 0.5 else c
                                    for c in listed[index].removesuffix(".net")) + ".NET"
        self.count("listed in capitals", capitals)
        return listed


def zone_files(records):
    """One zone per top-level domain, as master-file text."""
    zones = {}
    for owner, rtype, rdata in records:
        zones.setdefault(owner.rstrip(".").rsplit(".", 1)[-1], []).append(
            f"{owner}\t{rtype}\t{rdata}\n")
    return {tld: zone_head(tld) + "".join(lines) for tld, lines in sorted(zones.items())}


def zone_head(tld):
    return (f"$ORIGIN {tld}.\n$TTL 86400\n"
            f"@\tSOA\tns.nic.{tld}. hostmaster.nic.{tld}. 1998051101 10800 3600 604800 86400\n"
            f"@\tNS\tns.nic.{tld}.\n")
