"""Every way of writing an address or a network that smtpprobe reads, as
hypothesis strategies: the IPv4 dotted quad, and the IPv6 text forms of
RFC 4291 section 2.2 (hex groups in either case with or without leading
zeros, `::` for any one run of zero groups, a dotted quad for the last 32
bits), the IPv4-mapped ::ffff:a.b.c.d among them.

A point is a number on the IPv6 number line, where an IPv4 address
a.b.c.d is ::ffff:a.b.c.d, as smtpprobe(1) says it is."""

import ipaddress

from hypothesis import strategies as st

MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
MAPPED_BASE = int(MAPPED.network_address)


def point_of(address):
    """The point of an ipaddress object on the IPv6 line."""
    return int(address) + (MAPPED_BASE if address.version == 4 else 0)


def is_mapped(point):
    return MAPPED_BASE <= point <= int(MAPPED.broadcast_address)


def dotted(number):
    return ".".join(str(number >> shift & 0xFF) for shift in (24, 16, 8, 0))


@st.composite
def ipv6_text(draw, point):
    """One of the IPv6 spellings of `point`."""
    groups = [point >> (16 * (7 - i)) & 0xFFFF for i in range(8)]
    parts = []
    for group in groups:
        digits = f"{group:x}"
        digits = "0" * draw(st.integers(0, 4 - len(digits))) + digits
        parts.append(digits.upper() if draw(st.booleans()) else digits)
    tail = []
    if draw(st.booleans()):  # the last 32 bits as a dotted quad
        parts, tail = parts[:6], [dotted(point & 0xFFFFFFFF)]
        groups = groups[:6]
    runs = [(start, end) for start in range(len(groups)) for end in range(start + 1, len(groups) + 1)
            if all(group == 0 for group in groups[start:end])]
    if runs and draw(st.booleans()):
        start, end = draw(st.sampled_from(runs))
        head, rest = ":".join(parts[:start]), ":".join(parts[end:] + tail)
        return f"{head}::{rest}"
    return ":".join(parts + tail)


def spellings(point):
    """Every spelling of the address at `point`: the dotted quad too when it
    is IPv4-mapped."""
    if is_mapped(point):
        return st.one_of(st.just(dotted(point - MAPPED_BASE)), ipv6_text(point))
    return ipv6_text(point)


@st.composite
def entry_spellings(draw, network):
    """One of the ways of writing an IPv6Network as a blocklist entry: any
    address inside it (host bits set are cleared), then its prefix length;
    in IPv4 if it lies among the IPv4-mapped addresses; a single address
    bare."""
    inside = int(network.network_address) + draw(st.integers(0, network.num_addresses - 1))
    if network.prefixlen == 128 and draw(st.booleans()):
        return draw(spellings(inside))
    if network.subnet_of(MAPPED) and draw(st.booleans()):
        return f"{dotted(inside - MAPPED_BASE)}/{network.prefixlen - 96}"
    return f"{draw(ipv6_text(inside))}/{network.prefixlen}"


# Points where the spellings and the ranges meet: the IPv4-mapped block and
# its edges, the IPv4-compatible block below it, and anywhere at all.
INTERESTING_POINTS = st.one_of(
    st.integers(MAPPED_BASE, int(MAPPED.broadcast_address)),
    st.integers(MAPPED_BASE - 2 ** 33, MAPPED_BASE + 2 ** 33),
    st.integers(0, 2 ** 33),
    st.integers(0, 2 ** 128 - 1),
)


@st.composite
def networks(draw):
    """An IPv6Network, often around the IPv4-mapped block, of any length."""
    prefix = draw(st.one_of(st.integers(0, 128), st.integers(80, 128)))
    base = draw(INTERESTING_POINTS)
    return ipaddress.IPv6Network((base >> (128 - prefix) << (128 - prefix), prefix))


@st.composite
def points_near(draw, network):
    """A point inside `network`, just outside it, or anywhere."""
    first, last = int(network.network_address), int(network.broadcast_address)
    return draw(st.one_of(
        st.integers(first, last),
        st.sampled_from([first, last, max(first - 1, 0), min(last + 1, 2 ** 128 - 1)]),
        INTERESTING_POINTS,
    ))
