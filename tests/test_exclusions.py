"""The blocklist: its file format, the built-in special-purpose ranges, and
smtpprobe's `excluded` lines, against real servers on loopback that must
hear nothing from an excluded address."""

import ipaddress
import re

import pytest
from hypothesis import given, settings, strategies as st

from mxsurvey import blocklist
from programs import CHECKOUT, pipeline, run_inprocess
from scripted_smtp import smtp

pytestmark = pytest.mark.timeout(60)

FAST = ["--connect-timeout", "0.5", "--read-timeout", "0.5", "--rate", "0"]


def probe(farm, addresses, *options):
    stdin = "".join(f"{address}\n" for address in addresses).encode()
    return run_inprocess("smtpprobe", ["--port", str(farm.port), *FAST, *map(str, options)], stdin)


def default_list():
    return blocklist.load(None, [])


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
    (b"010.0.0.1", "not an address or CIDR block: '010.0.0.1'"),
    (b"example.com", "not an address or CIDR block: 'example.com'"),
    (b"fe80::1%eth0", "not an address or CIDR block: 'fe80::1%eth0'"),
    (b"10.0.0.1 10.0.0.2", "more than one entry on a line: '10.0.0.1 10.0.0.2'"),
    (b"10.0.0.0-10.0.0.9", "not an address or CIDR block: '10.0.0.0-10.0.0.9'"),
    (b"\xff10.0.0.1", "not an address or CIDR block: '\\xff10.0.0.1'"),
], ids=["prefix", "octet", "leading-zero", "name", "zone", "two", "range", "not-ascii"])
def test_a_bad_line_is_fatal_before_any_probing(farm, tmp_path, line, message):
    server = farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n"))
    good = tmp_path / "good"
    good.write_bytes(b"# fine\n192.0.2.0/24\n")
    bad = tmp_path / "bad"
    bad.write_bytes(b"# our exclusions\n198.51.100.0/24\n" + line + b"\n203.0.113.1\n")
    result = probe(farm, [server], "--blocklist", "/dev/null", "--exclude", str(good),
                   "--exclude", str(bad))
    assert result.status == 1
    assert result.stdout == b""
    assert result.errors == [f"smtpprobe: {bad}:3: {message}"]
    assert farm.arrivals == []


def test_an_unreadable_file_is_fatal(farm, tmp_path):
    result = probe(farm, [farm.unused()], "--exclude", str(tmp_path / "missing"))
    assert (result.status, result.stdout) == (1, b"")
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
    ("fc00::1", True), ("fdff:ffff::1", True), ("fe00::1", False), ("2001:db8::25", True),
    ("2001:db9::25", False), ("2001::1", True), ("2001:1ff::1", True), ("2001:200::1", False),
    ("2002:c000:0201::1", True), ("3fff::1", True), ("3fff:1000::1", False),
    ("64:ff9b::a00:1", True), ("ff02::1", True), ("2a00:1450:4001::1a", False),
])
def test_the_built_in_list(address, excluded):
    assert (ipaddress.ip_address(address) in default_list()) is excluded


DEFAULT_LIST = default_list()


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6),
                 st.ip_addresses(network="fe00::/7"), st.ip_addresses(network="2001::/16"),
                 st.ip_addresses(network="192.0.0.0/8"), st.ip_addresses(network="100.0.0.0/8")))
def test_what_python_calls_not_global_is_in_the_built_in_list(address):
    # Python's ipaddress reads the same IANA registries; IPv4-mapped
    # addresses are checked as the IPv4 address they hold, so not here.
    if address.version == 6 and address.ipv4_mapped:
        return
    if not address.is_global:
        assert address in DEFAULT_LIST


def test_the_man_page_lists_the_built_in_ranges():
    page = (CHECKOUT / "man" / "smtpprobe.1").read_text().replace("\\-", "-")
    ranges = re.findall(r"^([0-9a-f.:]+/\d+)", blocklist.DEFAULT, re.M)
    assert len(ranges) > 30
    missing = [network for network in ranges if network not in page]
    assert not missing


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
    assert "; 1 duplicates," in probed.errors[-1]


def test_mtaguess_and_tally_count_excluded_addresses(farm):
    server = farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n"))
    result = pipeline(f"smtpprobe -p {farm.port} {' '.join(FAST)} | mtaguess | tally",
                      stdin=f"{server}\n{farm.unused()}\n".encode(), timeout=60)
    assert result.status == 0, result
    report = result.stdout.decode()
    assert report.startswith("2 addresses\n0 successful connections\n")
    assert "      2 excluded\n" in report
    assert farm.arrivals == []
