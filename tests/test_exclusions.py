"""The blocklist: its file format, the built-in special-purpose ranges, and
smtpprobe's `excluded` lines, against real servers on loopback that must
hear nothing from an excluded address."""

import ipaddress
import os
import re
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from address_spellings import (MAPPED_BASE, entry_spellings, is_mapped, networks, point_of,
                               points_near, spellings)
from mxsurvey import blocklist, cli
from mxsurvey.probe import BadAddress, parse_address
from programs import BIN, CHECKOUT, pipeline, run_inprocess
from scripted_smtp import smtp

pytestmark = pytest.mark.timeout(60)

FAST = ["--connect-timeout", "0.5", "--read-timeout", "0.5", "--rate", "0"]


def probe(farm, addresses, *options):
    stdin = "".join(f"{address}\n" for address in addresses).encode()
    return run_inprocess("smtpprobe", ["--port", str(farm.port), *FAST, *map(str, options)], stdin)


def default_list():
    return blocklist.load(None, [])


def listing(*lines):
    listed = blocklist.Blocklist()
    listed.add_lines("test", [line.encode() for line in lines])
    return listed


def printable_line(text):
    return all(0x20 <= ord(char) < 0x7F for char in text)


# The file format -----------------------------------------------------------

def test_entries_comments_and_blank_lines(tmp_path):
    path = tmp_path / "blocklist"
    path.write_bytes(b"# requests by mail\n"
                     b"203.0.113.0/24\t# example.org asked, 2026-01-05\n"
                     b"\n"
                     b"   198.51.100.7   \r\n"
                     b"192.0.2.130/25\n"       # host bits set: the whole /25
                     b"2001:db8:1::/48 #six\n"
                     b"   # indented comment\n")
    listed = blocklist.load(str(path), [])
    assert listed.entries == 4
    inside = ["203.0.113.0", "203.0.113.255", "198.51.100.7", "192.0.2.128", "192.0.2.255",
              "2001:db8:1::", "2001:db8:1:ffff:ffff:ffff:ffff:ffff"]
    outside = ["203.0.114.0", "198.51.100.6", "198.51.100.8", "192.0.2.127",
               "2001:db8:2::", "10.0.0.1", "::1"]
    assert [ipaddress.ip_address(a) in listed for a in inside] == [True] * len(inside)
    assert [ipaddress.ip_address(a) in listed for a in outside] == [False] * len(outside)


@pytest.mark.parametrize("line, message", [
    (b"10.0.0.0/33", "not an address or CIDR block: '10.0.0.0/33'"),
    (b"10.0.0.256", "not an address or CIDR block: '10.0.0.256'"),
    (b"010.0.0.1", "IPv4 address with leading zeros is ambiguous: '010.0.0.1'"),
    (b"example.com", "not an address or CIDR block: 'example.com'"),
    (b"fe80::1%eth0", "not an address or CIDR block: 'fe80::1%eth0'"),
    (b"10.0.0.1 10.0.0.2", "more than one entry on a line: '10.0.0.1 10.0.0.2'"),
    (b"10.0.0.0-10.0.0.9", "not an address or CIDR block: '10.0.0.0-10.0.0.9'"),
    (b"\xff10.0.0.1", "not an address or CIDR block: '\\xff10.0.0.1'"),
    (b"10.0.0.\x001", "not an address or CIDR block: '10.0.0.\\x001'"),
    (b"\x0b10.0.0.1", "not an address or CIDR block: '\\x0b10.0.0.1'"),
    (b"10.0.0.1\t10.0.0.2", "more than one entry on a line: '10.0.0.1\\t10.0.0.2'"),
    (b"10.0.0.1\x1b[2K", "not an address or CIDR block: '10.0.0.1\\x1b[2K'"),
], ids=["prefix", "octet", "leading-zero", "name", "zone", "two", "range", "not-ascii", "nul",
        "vt", "tab", "escape-sequence"])
def test_a_bad_line_is_fatal_before_any_probing(farm, tmp_path, line, message):
    server = farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n"))
    good = tmp_path / "good"
    good.write_bytes(b"# fine\n192.0.2.0/24\n")
    bad = tmp_path / "bad"
    bad.write_bytes(b"# our exclusions\n198.51.100.0/24\n" + line + b"\n203.0.113.1\n")
    result = probe(farm, [server], "--blocklist", "/dev/null", "--exclude", str(good),
                   "--exclude", str(bad))
    assert result.status == cli.EXIT_FATAL
    assert result.stdout == b""
    assert result.errors == [f"smtpprobe: {bad}:3: {message}"]
    assert farm.arrivals == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=80).map(lambda data: data.replace(b"\n", b"")))
def test_a_bad_line_is_named_in_one_line_of_printable_text(line):
    try:
        blocklist.parse_entry(line)
    except blocklist.BadEntry as why:
        assert printable_line(str(why))


def test_an_unreadable_file_is_fatal(farm, tmp_path):
    result = probe(farm, [farm.unused()], "--exclude", str(tmp_path / "missing"))
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == [
        f"smtpprobe: cannot read {tmp_path / 'missing'}: No such file or directory"]


def test_a_large_list_is_merged_and_searched(tmp_path):
    lines = [f"10.{n // 256}.{n % 256}.0/24" for n in range(0, 20000, 2)]
    (tmp_path / "many").write_text("\n".join(lines) + "\n")
    listed = blocklist.load(str(tmp_path / "many"), [])
    assert ipaddress.ip_address("10.0.0.9") in listed
    assert ipaddress.ip_address("10.0.1.9") not in listed
    assert ipaddress.ip_address("10.78.30.255") in listed  # n = 19998
    assert ipaddress.ip_address("10.78.31.0") not in listed


# Every spelling of an entry against every spelling of an address ---------

@settings(max_examples=1000, deadline=None)
@given(st.data())
def test_an_entry_excludes_what_it_covers_however_either_is_written(data):
    # An IPv4 address is the IPv6 address ::ffff:a.b.c.d, in an entry as in
    # the input: whatever an entry covers on the IPv6 line is excluded,
    # written in IPv4 or in IPv6, and nothing else is.
    network = data.draw(networks(), "network")
    point = data.draw(points_near(network), "point")
    entry = data.draw(entry_spellings(network), "entry")
    written = data.draw(spellings(point), "address")
    covered = ipaddress.IPv6Address(point) in network
    listed = listing(entry)
    assert (ipaddress.ip_address(written) in listed) is covered
    try:
        address = parse_address(written.encode())
    except BadAddress:  # multicast and the like: rejected before the blocklist
        return
    assert (address in listed) is covered


@pytest.mark.parametrize("entry, inside, outside", [
    ("::ffff:127.0.0.0/104", ["127.0.0.1", "127.0.0.2", "::ffff:127.0.0.3", "127.255.255.255"],
     ["126.255.255.255", "128.0.0.0", "::127.0.0.1", "::1"]),
    ("::ffff:127.0.0.1", ["127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:FFFF:127.0.0.1"],
     ["127.0.0.2", "::127.0.0.1"]),
    ("::ffff:0:0/95", ["0.0.0.1", "8.8.8.8", "255.255.255.255", "::fffe:1:2"],
     ["::1:0:0:0", "::fffd:ffff:ffff", "2001:db8::1"]),
    ("::/64", ["8.8.8.8", "::1", "::ffff:0:8.8.8.8", "::ffff:ffff:ffff:ffff"],
     ["0:0:0:1::", "2001:db8::1"]),
    ("::/96", ["::8.8.8.8", "::1"], ["8.8.8.8", "::1:0:0"]),
    ("10.0.0.0/8", ["::ffff:10.1.2.3", "::ffff:a00:1"], ["::10.1.2.3", "::ffff:0:10.1.2.3"]),
])
def test_ipv4_mapped_entries(entry, inside, outside):
    listed = listing(entry)
    assert [ipaddress.ip_address(address) in listed for address in inside] == [True] * len(inside)
    assert [ipaddress.ip_address(address) in listed for address in outside] == [False] * len(outside)


# The built-in list ---------------------------------------------------------

@pytest.mark.parametrize("address, excluded", [
    ("0.1.2.3", True), ("9.255.255.255", False), ("10.0.0.0", True),
    ("10.255.255.255", True), ("11.0.0.0", False), ("100.63.255.255", False),
    ("100.64.0.0", True), ("100.127.255.255", True), ("100.128.0.0", False),
    ("127.0.0.1", True), ("169.254.1.1", True), ("172.15.255.255", False),
    ("172.16.0.0", True), ("172.31.255.255", True), ("172.32.0.0", False),
    ("192.0.0.9", True), ("192.0.2.77", True), ("192.88.99.1", True),
    ("192.167.255.255", False), ("192.168.1.1", True), ("192.169.0.0", False),
    ("198.17.255.255", False), ("198.18.0.0", True), ("198.19.255.255", True),
    ("198.20.0.0", False), ("198.51.100.1", True), ("203.0.113.200", True),
    ("224.0.0.1", True), ("239.255.255.255", True), ("240.0.0.1", True),
    ("255.255.255.255", True),
    ("::1", True), ("::", True), ("fe80::1", True), ("febf::1", True), ("fec0::1", True),
    ("fc00::1", True), ("fdff:ffff::1", True), ("fe00::1", True), ("2001:db8::25", True),
    ("2001:db9::25", False), ("2001::1", True), ("2001:1ff::1", True), ("2001:200::1", False),
    ("2002:c000:0201::1", True), ("3fff::1", True), ("3fff:1000::1", False),
    ("64:ff9b::a00:1", True), ("ff02::1", True), ("2a00:1450:4001::1a", False),
    # IPv4-compatible (::/96), IPv4-translated (::ffff:0:0:0/96), the dummy
    # prefix of RFC 9780, and space outside 2000::/3 that IANA has not allocated
    ("::127.0.0.1", True), ("::10.0.0.1", True), ("::8.8.8.8", True),
    ("::ffff:0:10.0.0.1", True), ("::ffff:0:8.8.8.8", True), ("100:0:0:1::1", True),
    ("4000::1", True), ("1fff:ffff::1", True), ("2000::1", False), ("3fff:ffff::1", False),
    ("4000::", True), ("e000::1", True), ("::1:0:0:0", True), ("::fffe:ffff:ffff", True),
    ("::1:0:0:0:0", True), ("ff::1", True),
    # IPv4-mapped: the IPv4 address it holds, excluded or not as that is
    ("::ffff:8.8.8.8", False), ("::ffff:10.0.0.1", True), ("::ffff:0.0.0.1", True),
    ("::ffff:255.255.255.255", True), ("::ffff:223.255.255.255", False),
])
def test_the_built_in_list(address, excluded):
    assert (ipaddress.ip_address(address) in default_list()) is excluded


DEFAULT_LIST = default_list()
ATTACKS = ["::127.0.0.1", "::10.0.0.1", "::ffff:0:10.0.0.1", "100:0:0:1::1", "4000::1",
           "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::1", "fec0::25", "5f00::1", "64:ff9b::1"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ATTACKS).flatmap(
    lambda address: spellings(point_of(ipaddress.ip_address(address)))))
def test_every_spelling_of_a_special_address_is_excluded(written):
    assert ipaddress.ip_address(written) in DEFAULT_LIST


# What Python's ipaddress does not count as special, but the registries do:
# the whole of 192.0.0.0/24 and 2001::/23 (some of their assignments are
# global, none holds a mail server), AS112, AMT, the 6to4 relays and 6to4,
# the documentation prefix 3fff::/20 (RFC 9637) and multicast.
MORE_SPECIAL = [ipaddress.ip_network(network) for network in [
    "192.0.0.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.175.48.0/24",
    "224.0.0.0/4", "2001::/23", "2002::/16", "2620:4f:8000::/48", "3fff::/20", "ff00::/8"]]


def special(address):
    """Whether an address is special by Python's ipaddress and the IANA
    registries: not global, reserved (IPv6 space outside 2000::/3 that is
    neither unique local, link local nor multicast), site local, or in
    MORE_SPECIAL.  An IPv4-mapped address is the IPv4 address it holds."""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    reserved = address.version == 6 and (address.is_reserved or address.is_site_local)
    return (not address.is_global or reserved
            or any(address in network for network in MORE_SPECIAL
                   if network.version == address.version))


@settings(max_examples=2000, deadline=None)
@given(st.one_of(
    st.ip_addresses(v=4), st.ip_addresses(v=6),
    st.ip_addresses(network="::/8"), st.ip_addresses(network="::/80"),
    st.ip_addresses(network="::ffff:0:0/96"), st.ip_addresses(network="::/96"),
    st.ip_addresses(network="::fffe:0:0/95"), st.ip_addresses(network="::ffff:0:0:0/96"),
    st.ip_addresses(network="100::/15"), st.ip_addresses(network="2000::/3"),
    st.ip_addresses(network="2001::/16"), st.ip_addresses(network="3f00::/8"),
    st.ip_addresses(network="fe00::/7"), st.ip_addresses(network="192.0.0.0/8"),
    st.ip_addresses(network="100.0.0.0/8")))
def test_the_built_in_list_is_the_special_space_exactly(address):
    assert (address in DEFAULT_LIST) is special(address)


def test_ipv6_outside_2000_3_is_excluded_but_for_the_ipv4_mapped_block():
    # The built-in list's IPv6 entries outside 2000::/3 leave exactly one
    # hole: the IPv4-mapped block, checked as IPv4.
    global_unicast = ipaddress.ip_network("2000::/3")
    entries = map(blocklist.parse_entry, blocklist.DEFAULT.encode().split(b"\n"))
    outside = [network for network in entries
               if network and network.version == 6 and not network.subnet_of(global_unicast)]
    holes = _uncovered(outside, 0, 2 ** 128 - 1)
    first, last = int(global_unicast.network_address), int(global_unicast.broadcast_address)
    assert holes == [(MAPPED_BASE, MAPPED_BASE + 2 ** 32 - 1), (first, last)]


def _uncovered(networks, low, high):
    """The stretches of [low, high] that no network covers."""
    holes, position = [], low
    for network in sorted(networks):
        start, end = int(network.network_address), int(network.broadcast_address)
        if start > position:
            holes.append((position, start - 1))
        position = max(position, end + 1)
    if position <= high:
        holes.append((position, high))
    return holes


def test_the_man_page_lists_the_built_in_ranges():
    page = (CHECKOUT / "man" / "smtpprobe.1").read_text().replace("\\-", "-")
    # Each range named in the list, with its comment, is named in the page;
    # the blocks of ::/8 around the IPv4-mapped block, in one line.
    named = re.findall(r"^([0-9a-f.:]+/\d+) +#", blocklist.DEFAULT, re.M)
    assert len(named) > 40
    missing = [network for network in named if network not in page]
    assert not missing
    unnamed = re.findall(r"^([0-9a-f.:]+/\d+)$", blocklist.DEFAULT, re.M)
    assert len(unnamed) == 88
    assert all(ipaddress.ip_network(network).subnet_of(ipaddress.ip_network("::/8"))
               for network in unnamed)
    assert re.search(r"^::/8 but ::ffff:0:0/96 +reserved", page, re.M)


# smtpprobe and the blocklist -----------------------------------------------

def test_by_default_loopback_is_excluded_and_hears_nothing(farm):
    server = farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n"))
    result = run_inprocess("smtpprobe", ["--port", str(farm.port), *FAST],
                           f"{server}\tmx.example\texample.com\t10\n::1\n".encode())
    assert result.status == 0, result
    assert sorted(result.lines) == sorted([
        f"{server}\texcluded\t\tmx.example\texample.com\t10".encode(), b"::1\texcluded\t"])
    assert farm.arrivals == []
    assert ", 2 excluded;" in result.errors[-1]


def test_exclude_adds_to_the_list_and_blocklist_replaces_it(farm, tmp_path):
    servers = [farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n")) for _ in range(3)]
    (tmp_path / "one").write_text(f"{servers[0]}\n")
    (tmp_path / "two").write_text(f"# a /32 written as a block\n{servers[1]}/32\n")
    result = probe(farm, servers, "--blocklist", "/dev/null",
                   "--exclude", tmp_path / "one", "--exclude", tmp_path / "two")
    statuses = dict(line.split(b"\t")[:2] for line in result.lines)
    assert statuses == {servers[0].encode(): b"excluded", servers[1].encode(): b"excluded",
                        servers[2].encode(): b"ok"}
    assert [len(farm.heard[server]) for server in servers] == [0, 0, 1]
    replaced = probe(farm, servers, "--blocklist", tmp_path / "one")
    statuses = dict(line.split(b"\t")[:2] for line in replaced.lines)
    assert statuses == {servers[0].encode(): b"excluded", servers[1].encode(): b"ok",
                        servers[2].encode(): b"ok"}


def test_an_ipv4_mapped_address_is_its_ipv4_address(farm, tmp_path):
    server = farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n"))
    (tmp_path / "loopback").write_text("127.0.0.0/8\n")
    mapped = f"::ffff:{server}"
    excluded = probe(farm, [mapped], "--blocklist", tmp_path / "loopback")
    assert excluded.lines == [f"{server}\texcluded\t".encode()]
    probed = probe(farm, [mapped, server], "--blocklist", "/dev/null")
    assert [line.split(b"\t")[:2] for line in probed.lines] == [[server.encode(), b"ok"]]
    assert "; 1 duplicate," in probed.errors[-1]


def mapped_hex(address):
    """An IPv4 address as IPv4-mapped IPv6 in full, hex groups upper case."""
    number = int(ipaddress.ip_address(address))
    return f"0:0:0:0:0:FFFF:{number >> 16:X}:{number & 0xFFFF:X}"


@pytest.mark.parametrize("entry", [
    "::ffff:127.0.0.0/104", "::FFFF:7F00:0/104", "0:0:0:0:0:ffff:{block}.0/120",
    "::ffff:{block}.0/120", "::ffff:0:0/96", "::ffff:0:0/95", "::/64", "::/0",
])
def test_an_entry_written_in_ipv6_excludes_the_ipv4_addresses_it_covers(farm, tmp_path, entry):
    servers = [farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n")) for _ in range(3)]
    (tmp_path / "exclusions").write_text(entry.format(block=farm.block) + "\n")
    result = probe(farm, [servers[0], f"::ffff:{servers[1]}", mapped_hex(servers[2])],
                   "--blocklist", "/dev/null", "--exclude", tmp_path / "exclusions")
    assert result.status == 0, result
    assert sorted(result.lines) == sorted(f"{server}\texcluded\t".encode() for server in servers)
    assert farm.arrivals == []


def test_an_ipv4_mapped_address_excludes_that_address_alone(farm, tmp_path):
    servers = [farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n")) for _ in range(2)]
    (tmp_path / "exclusions").write_text(f"::ffff:{servers[0]}\n")
    result = probe(farm, [mapped_hex(servers[0]), servers[0], f"::ffff:{servers[1]}"],
                   "--blocklist", tmp_path / "exclusions")
    statuses = dict(line.split(b"\t")[:2] for line in result.lines)
    assert statuses == {servers[0].encode(): b"excluded", servers[1].encode(): b"ok"}
    assert [len(farm.heard[server]) for server in servers] == [0, 1]


NAMESPACE = 'ip link set lo up && exec "$0" "$@"'


@pytest.mark.skipif(os.geteuid() != 0,
                    reason="needs root to make a private network namespace (unshare -n)")
def test_special_ipv6_addresses_are_excluded_by_default_in_a_private_namespace():
    # Not loopback: run where only lo exists, so that a miss could reach
    # nothing (it would come out netunreach, not excluded).
    written = ["::127.0.0.1", "::10.0.0.1", "::ffff:0:10.0.0.1", "100:0:0:1::1", "4000::1",
               "::FFFF:127.0.0.1", "0:0:0:0:0:ffff:a00:1", "5f00::25", "fec0::25", "1000::25"]
    completed = subprocess.run(
        ["unshare", "-n", "sh", "-c", NAMESPACE, BIN / "smtpprobe", *FAST],
        input="".join(f"{address}\n" for address in written).encode(),
        capture_output=True, timeout=30)
    assert completed.returncode == 0, completed
    canonical = {str(parse_address(address.encode())) for address in written}
    assert sorted(completed.stdout.decode().splitlines()) == sorted(
        f"{address}\texcluded\t" for address in canonical)


def test_mtaguess_and_tally_count_excluded_addresses(farm):
    server = farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n"))
    result = pipeline(f"smtpprobe -p {farm.port} {' '.join(FAST)} | mtaguess | tally",
                      stdin=f"{server}\n{farm.unused()}\n".encode(), timeout=60)
    assert result.status == 0, result
    report = result.stdout.decode()
    assert report.startswith("2 addresses\n0 successful connections\n")
    assert "      2 excluded\n" in report
    assert farm.arrivals == []
