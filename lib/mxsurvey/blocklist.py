"""Address ranges a survey must not touch, in ZMap's blocklist format:

    # a comment, to the end of the line
    10.0.0.0/8          a CIDR block (host bits set are cleared: 10.1.2.3/8 is 10.0.0.0/8)
    192.0.2.1           one address
    2001:db8::/32       IPv6 alike

One entry a line; blank lines and comments are ignored.  Any other line is
an error naming FILE:LINE, for a mistyped exclusion must never leave a
network exposed to the survey.

An IPv4 address is the IPv4-mapped IPv6 address that holds it
(192.0.2.1 is ::ffff:192.0.2.1, RFC 4291), in an entry as in an address
looked up: both are placed on one number line, the IPv6 one, by the same
function, point().  An address is excluded if and only if its point lies
in the span of some entry, so every spelling of an address meets every
spelling of an entry: ::ffff:192.0.2.0/120 excludes 192.0.2.1, and an
IPv6 entry that covers the IPv4-mapped block, such as ::/64, excludes
every IPv4 address.

DEFAULT holds the special-purpose ranges of the IANA IPv4 and IPv6
Special-Purpose Address Registries (RFC 6890 and the RFCs that have added
to them since), IPv4 multicast and reserved space, and all IPv6 space
outside 2000::/3, the only global unicast space of the IANA IPv6 Address
Space Registry, but for the IPv4-mapped block: no mail server of the
internet is there, and someone's own network may be.
"""

import bisect
import re
import ipaddress

from . import record

_IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_RESERVED_ZERO = ipaddress.IPv6Network("::/8")

DEFAULT = """\
# IPv4: the IANA IPv4 Special-Purpose Address Registry (RFC 6890 and after),
# and what the IANA IPv4 Address Space Registry does not allocate
0.0.0.0/8           # "this network" (RFC 791), with "this host" 0.0.0.0/32 (RFC 1122)
10.0.0.0/8          # private use (RFC 1918)
100.64.0.0/10       # shared address space, carrier-grade NAT (RFC 6598)
127.0.0.0/8         # loopback (RFC 1122)
169.254.0.0/16      # link local (RFC 3927)
172.16.0.0/12       # private use (RFC 1918)
192.0.0.0/24        # IETF protocol assignments (RFC 6890): service continuity /29 (RFC 7335),
                    # dummy .8 (RFC 7600), PCP and TURN anycast .9 and .10 (RFC 7723,
                    # RFC 8155), NAT64 discovery .170 and .171 (RFC 8880)
192.0.2.0/24        # documentation, TEST-NET-1 (RFC 5737)
192.31.196.0/24     # AS112-v4 (RFC 7535)
192.52.193.0/24     # AMT (RFC 7450)
192.88.99.0/24      # deprecated 6to4 relay anycast (RFC 7526), 6a44 relay .2 (RFC 6751)
192.168.0.0/16      # private use (RFC 1918)
192.175.48.0/24     # direct delegation AS112 service (RFC 7534)
198.18.0.0/15       # benchmarking (RFC 2544)
198.51.100.0/24     # documentation, TEST-NET-2 (RFC 5737)
203.0.113.0/24      # documentation, TEST-NET-3 (RFC 5737)
224.0.0.0/4         # multicast (RFC 5771)
240.0.0.0/4         # reserved (RFC 1112), with the limited broadcast address (RFC 919, RFC 8190)

# IPv6: every block of the IANA IPv6 Address Space Registry but 2000::/3,
# global unicast (RFC 4291), and the IANA IPv6 Special-Purpose Address
# Registry (RFC 6890 and after), with the blocks inside them named.
# ::/8, reserved by the IETF (RFC 4291), holds the IPv4-mapped block
# ::ffff:0:0/96, which is IPv4 and checked as such: so ::/8 is listed at the
# end as the blocks around it.  Inside it:
::/128              # unspecified (RFC 4291)
::1/128             # loopback (RFC 4291)
::/96               # IPv4-compatible, deprecated (RFC 4291)
::ffff:0:0:0/96     # IPv4-translated (RFC 2765)
64:ff9b::/96        # IPv4-IPv6 translation (RFC 6052)
64:ff9b:1::/48      # local-use IPv4-IPv6 translation (RFC 8215)
100::/8             # reserved by the IETF (RFC 4291), with:
100::/64            #   discard-only (RFC 6666)
100:0:0:1::/64      #   dummy IPv6 prefix (RFC 9780)
200::/7             # reserved by the IETF (RFC 4291; once OSI NSAP, RFC 4048)
400::/6             # reserved by the IETF (RFC 4291)
800::/5             # reserved by the IETF (RFC 4291)
1000::/4            # reserved by the IETF (RFC 4291)
2001::/23           # IETF protocol assignments (RFC 2928): Teredo, benchmarking, AMT,
                    # AS112-v6, ORCHID, drone remote ID, anycast (RFC 4380, RFC 5180, ...)
2001:db8::/32       # documentation (RFC 3849)
2002::/16           # 6to4 (RFC 3056)
2620:4f:8000::/48   # direct delegation AS112 service (RFC 7534)
3fff::/20           # documentation (RFC 9637)
4000::/3            # reserved by the IETF (RFC 4291), with:
5f00::/16           #   segment routing SIDs (RFC 9602)
6000::/3            # reserved by the IETF (RFC 4291)
8000::/3            # reserved by the IETF (RFC 4291)
a000::/3            # reserved by the IETF (RFC 4291)
c000::/3            # reserved by the IETF (RFC 4291)
e000::/4            # reserved by the IETF (RFC 4291)
f000::/5            # reserved by the IETF (RFC 4291)
f800::/6            # reserved by the IETF (RFC 4291)
fc00::/7            # unique local (RFC 4193)
fe00::/9            # reserved by the IETF (RFC 4291)
fe80::/10           # link local (RFC 4291)
fec0::/10           # site local, deprecated (RFC 3879)
ff00::/8            # multicast (RFC 4291)
# ::/8 but ::ffff:0:0/96
""" + "".join(f"{block}\n" for block in sorted(_RESERVED_ZERO.address_exclude(_IPV4_MAPPED)))

DEFAULT_SOURCE = "the built-in list"


# Four numbers, each at most 255, one of them written with a leading zero,
# which some read as octal (inet_aton reads 010 as 8): ambiguous, where
# 256.1.1.1 is simply no address.
_LEADING_ZERO_QUAD = re.compile(
    rb"(?=(?:[0-9]*\.){0,3}0[0-9])(?:0*(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}"
    rb"0*(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])")


def leading_zeros(text):
    """Whether `text` is an IPv4 address but for a leading zero."""
    return _LEADING_ZERO_QUAD.fullmatch(text) is not None


class BadEntry(ValueError):
    """A line of a blocklist that is neither an entry, a comment nor blank."""


def parse_entry(line):
    """The network a blocklist line names, or None for a blank or comment
    line.  Raises BadEntry."""
    text = line.split(b"#", 1)[0].strip(b" \t\r")
    if not text:
        return None
    if b" " in text or b"\t" in text:
        raise BadEntry(f"more than one entry on a line: {record.quoted(text)}")
    try:
        if b"%" in text:  # a zone id names an interface, not a network
            raise ValueError(text)
        return ipaddress.ip_network(text.decode("ascii"), strict=False)
    except (UnicodeDecodeError, ValueError):
        if leading_zeros(text.split(b"/")[0]):
            raise BadEntry(f"IPv4 address with leading zeros is ambiguous: "
                           f"{record.quoted(text)}") from None
        raise BadEntry(f"not an address or CIDR block: {record.quoted(text)}") from None


def point(address):
    """Where an address is on the one number line of entries and addresses:
    an IPv6 address at its number, an IPv4 address at the number of the
    IPv4-mapped address that holds it, so that the two spellings of an IPv4
    address are one point."""
    if address.version == 4:
        return int(_IPV4_MAPPED.network_address) + int(address)
    return int(address)


class Blocklist:
    """A set of networks that answers `address in blocklist` by bisection
    over merged spans of points, however many entries there are."""

    def __init__(self):
        self.entries = 0
        self._spans = []  # (first point, last point) of each entry
        self._merged = None  # (starts, ends), built on the first lookup

    def add_lines(self, source, lines):
        """Add the entries of numbered `lines` (bytes, without LF).  Raises
        BadEntry with its text prefixed by SOURCE:LINE."""
        for lineno, line in enumerate(lines, 1):
            try:
                network = parse_entry(line)
            except BadEntry as why:
                raise BadEntry(f"{source}:{lineno}: {why}") from None
            if network is not None:
                self._spans.append((point(network.network_address),
                                    point(network.broadcast_address)))
                self.entries += 1
                self._merged = None

    def __contains__(self, address):
        if self._merged is None:
            self._merged = _merged(self._spans)
        starts, ends = self._merged
        number = point(address)
        where = bisect.bisect_right(starts, number) - 1
        return where >= 0 and number <= ends[where]


def _merged(spans):
    """Sorted disjoint (starts, ends) of the points the spans cover."""
    starts, ends = [], []
    for first, last in sorted(spans):
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
