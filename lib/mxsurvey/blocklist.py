"""Address ranges a survey must not touch, in ZMap's blocklist format:

    # a comment, to the end of the line
    10.0.0.0/8          a CIDR block (host bits set are cleared: 10.1.2.3/8 is 10.0.0.0/8)
    192.0.2.1           one address
    2001:db8::/32       IPv6 alike

One entry a line; blank lines and comments are ignored.  Any other line is
an error naming FILE:LINE, for a mistyped exclusion must never leave a
network exposed to the survey.

DEFAULT holds the special-purpose ranges of the IANA IPv4 and IPv6
Special-Purpose Address Registries (RFC 6890 and the RFCs that have added
to them since), multicast, and the old IPv6 site-local range: no mail
server of the internet is there, and someone's own network may be.
"""

import bisect
import ipaddress

DEFAULT = """\
# IPv4 (IANA IPv4 Special-Purpose Address Registry; RFC 6890 and after)
0.0.0.0/8           # "this network" (RFC 791)
10.0.0.0/8          # private use (RFC 1918)
100.64.0.0/10       # shared address space, carrier-grade NAT (RFC 6598)
127.0.0.0/8         # loopback (RFC 1122)
169.254.0.0/16      # link local (RFC 3927)
172.16.0.0/12       # private use (RFC 1918)
192.0.0.0/24        # IETF protocol assignments (RFC 6890)
192.0.2.0/24        # documentation, TEST-NET-1 (RFC 5737)
192.31.196.0/24     # AS112-v4 (RFC 7535)
192.52.193.0/24     # AMT (RFC 7450)
192.88.99.0/24      # deprecated 6to4 relay anycast (RFC 7526)
192.168.0.0/16      # private use (RFC 1918)
192.175.48.0/24     # direct delegation AS112 service (RFC 7534)
198.18.0.0/15       # benchmarking (RFC 2544)
198.51.100.0/24     # documentation, TEST-NET-2 (RFC 5737)
203.0.113.0/24      # documentation, TEST-NET-3 (RFC 5737)
224.0.0.0/4         # multicast (RFC 5771)
240.0.0.0/4         # reserved (RFC 1112), with the limited broadcast address (RFC 919)

# IPv6 (IANA IPv6 Special-Purpose Address Registry).  IPv4-mapped addresses
# (::ffff:0:0/96) are probed, and checked, as the IPv4 address they hold.
::/128              # unspecified (RFC 4291)
::1/128             # loopback (RFC 4291)
64:ff9b::/96        # IPv4-IPv6 translation (RFC 6052)
64:ff9b:1::/48      # local-use IPv4-IPv6 translation (RFC 8215)
100::/64            # discard-only (RFC 6666)
2001::/23           # IETF protocol assignments, Teredo among them (RFC 2928, RFC 4380)
2001:db8::/32       # documentation (RFC 3849)
2002::/16           # 6to4 (RFC 3056)
2620:4f:8000::/48   # direct delegation AS112 service (RFC 7534)
3fff::/20           # documentation (RFC 9637)
5f00::/16           # segment routing SIDs (RFC 9602)
fc00::/7            # unique local (RFC 4193)
fe80::/10           # link local (RFC 4291)
fec0::/10           # site local, deprecated (RFC 3879)
ff00::/8            # multicast (RFC 4291)
"""

DEFAULT_SOURCE = "the built-in list"
_SHOWN = 60  # bytes of a bad entry quoted in the message


class BadEntry(ValueError):
    """A line of a blocklist that is neither an entry, a comment nor blank."""


def parse_entry(line):
    """The network a blocklist line names, or None for a blank or comment
    line.  Raises BadEntry."""
    text = line.split(b"#", 1)[0].strip(b" \t\r")
    if not text:
        return None
    if b" " in text or b"\t" in text:
        raise BadEntry(f"more than one entry on a line: {_quote(text)}")
    try:
        if b"%" in text:  # a zone id names an interface, not a network
            raise ValueError(text)
        return ipaddress.ip_network(text.decode("ascii"), strict=False)
    except (UnicodeDecodeError, ValueError):
        raise BadEntry(f"not an address or CIDR block: {_quote(text)}") from None


def _quote(text):
    shown = text[:_SHOWN].decode("ascii", "backslashreplace")
    return f"'{shown}...'" if len(text) > _SHOWN else f"'{shown}'"


class Blocklist:
    """A set of networks that answers `address in blocklist` by bisection
    over merged ranges, however many entries there are."""

    def __init__(self):
        self.entries = 0
        self._networks = {4: [], 6: []}
        self._ranges = None  # {version: (starts, ends)}, built on the first lookup

    def add_lines(self, source, lines):
        """Add the entries of numbered `lines` (bytes, without LF).  Raises
        BadEntry with its text prefixed by SOURCE:LINE."""
        for lineno, line in enumerate(lines, 1):
            try:
                network = parse_entry(line)
            except BadEntry as why:
                raise BadEntry(f"{source}:{lineno}: {why}") from None
            if network is not None:
                self._networks[network.version].append(network)
                self.entries += 1
                self._ranges = None

    def __contains__(self, address):
        if self._ranges is None:
            self._ranges = {version: _merged(networks)
                            for version, networks in self._networks.items()}
        starts, ends = self._ranges[address.version]
        number = int(address)
        where = bisect.bisect_right(starts, number) - 1
        return where >= 0 and number <= ends[where]


def _merged(networks):
    """Sorted disjoint (starts, ends) of the numbers the networks cover."""
    starts, ends = [], []
    for network in sorted(networks):
        first, last = int(network.network_address), int(network.broadcast_address)
        if ends and first <= ends[-1] + 1:
            ends[-1] = max(ends[-1], last)
        else:
            starts.append(first)
            ends.append(last)
    return starts, ends


def load(replacement, extras):
    """The blocklist of a run: the file `replacement`, or DEFAULT if None;
    then the files `extras`.  Raises BadEntry, or OSError with the file
    name in its `filename`."""
    blocklist = Blocklist()
    if replacement is None:
        blocklist.add_lines(DEFAULT_SOURCE, DEFAULT.encode("ascii").split(b"\n"))
    for path in ([] if replacement is None else [replacement]) + list(extras):
        with open(path, "rb") as file:
            blocklist.add_lines(path, file.read().split(b"\n"))
    return blocklist
