"""mxlookup against a real NSD on loopback serving test zones, a silent
server for timeouts, and the wire reader checked against dnspython."""

import ipaddress
import re
import signal
import string
import subprocess

import dns.exception
import dns.message
import dns.name
import dns.rdatatype
import dns.rrset
import pytest
from hypothesis import assume, example, given, settings, strategies as st

from mxsurvey import cli, dnswire, lookup, mailroute
from nameserver import DroppingRelay, NameServer, SilentServer, WatchingRelay
from programs import BIN, every_bad_line_shown, pipeline, run, run_inprocess

pytestmark = pytest.mark.timeout(60)

SUMMARY = re.compile(
    r"mxlookup: (\d+) domains?: (\d+) found \((\d+) by implicit MX\), (\d+) null MX, "
    r"(\d+) nxdomain, (\d+) no address, (\d+) IPv6 only, (\d+) servfail, (\d+) timeout, "
    r"(\d+) bad names?; "
    r"(\d+) address(?:es)?; (\d+) domains? cut \((\d+) exchangers?, (\d+) address(?:es)? "
    r"left out\); "
    r"\d+\.\d s")
SUMMARY_FIELDS = ("domains", "found", "implicit", "nullmx", "nxdomain", "noaddress",
                  "ipv6only", "servfail", "timeout", "bad", "addresses", "cut", "exchangers_cut",
                  "addresses_cut")
NOTHING_CUT = dict(cut=0, exchangers_cut=0, addresses_cut=0)

MANY_A = [f"10.9.{n // 250}.{n % 250 + 1}" for n in range(120)]  # 120 A: too big for UDP
CHAIN = 20  # CNAMEs in a row, longer than mxlookup follows

EXAMPLE_ZONE = "\n".join([
    "$ORIGIN example.",
    "$TTL 3600",
    "@ SOA ns hostmaster 1 3600 600 86400 300",
    "@ NS ns",
    "ns A 127.0.0.1",
    # one exchanger; exchangers by preference; an exchanger with two addresses
    "one MX 10 mx1",
    "mx1 A 192.0.2.1",
    "prefs MX 30 mx3",
    "prefs MX 10 mx1",
    "prefs MX 20 mx2",
    "mx2 A 192.0.2.2",
    "mx3 A 192.0.2.33",
    "mx3 A 192.0.2.3",
    "ties MX 5 mx2",
    "ties MX 5 mx10",
    "mx10 A 192.0.2.110",
    # an exchanger shared by many domains
    *(f"shared{n} MX 10 mx.shared" for n in range(1, 6)),
    "mx.shared A 192.0.2.10",
    # implicit MX, null MX, no address
    "implicit A 192.0.2.50",
    "empty TXT \"no MX, no address\"",
    "null MX 0 .",
    "noaddr MX 10 nohost",
    "half MX 10 nohost",
    "half MX 20 mx2",
    "deleg NS ns.elsewhere.test.",  # a zone cut: NSD answers with a referral
    # behind a relay that drops the questions about names holding "drop"
    "drop A 192.0.2.99",
    "dropmx MX 10 drop",
    "partial MX 10 drop",
    "partial MX 20 mx2",
    # exchangers whose addresses come in the MX answer: within the domain, and not
    "inzone MX 10 mxglued.inzone",
    "mxglued.inzone A 192.0.2.70",
    "outzone MX 10 mxglued",
    "mxglued A 192.0.2.71",
    # CNAMEs: the domain, the exchanger, a chain, across zones, a loop, too long
    "alias CNAME one",
    "mxalias MX 10 mxcname",
    "mxcname CNAME mx1",
    "chain CNAME chain2",
    "chain2 CNAME chain3",
    "chain3 CNAME prefs",
    "cross CNAME target.example.net.",
    "loop CNAME loop2",
    "loop2 CNAME loop",
    *(f"long{n} CNAME long{n + 1}" for n in range(CHAIN)),
    f"long{CHAIN} MX 10 mx1",
    # answers too large for UDP: many addresses, many MX records
    "bigaddr MX 10 many",
    *(f"many A {address}" for address in MANY_A),
    *(f"bigmx MX {preference} mx2" for preference in range(1, 101)),
    # IPv6
    "v6only MX 10 mx6",
    "mx6 AAAA 2001:db8::6",
    "dual MX 10 mxdual",
    "mxdual A 192.0.2.46",
    "mxdual AAAA 2001:db8::46",
    "v6second MX 10 nohost",  # its first exchanger has no address at all
    "v6second MX 20 mx6",
    "v6also MX 10 mx6",  # the same exchanger as v6only's
    "implicit6 AAAA 2001:db8::7",
    # odd bytes in a name, IDNA
    "weird MX 10 mx\\009tab",
    "mx\\009tab A 192.0.2.9",
    "xn--bcher-kva MX 10 mx1",
    "MixedCase MX 10 MX-Upper",
    "mx-upper A 192.0.2.77",
]) + "\n"

NET_ZONE = "\n".join([
    "$ORIGIN example.net.",
    "$TTL 3600",
    "@ SOA ns.example. hostmaster.example. 1 3600 600 86400 300",
    "@ NS ns.example.",
    "target MX 10 mx",
    "mx A 192.0.2.60",
]) + "\n"


@pytest.fixture(scope="module")
def nsd():
    # "broken." is configured without a zone file: NSD answers SERVFAIL for it.
    with NameServer({"example": EXAMPLE_ZONE, "example.net": NET_ZONE, "broken": None}) as server:
        yield server


def lookup_lines(nsd, domains, *options, inprocess=True):
    stdin = "".join(f"{domain}\n" for domain in domains).encode()
    args = ["--server", nsd.spec, "--timeout", "1", *map(str, options)]
    return (run_inprocess if inprocess else run)("mxlookup", args, stdin)


def fields(result):
    return [tuple(line.decode("ascii").split("\t")) for line in result.lines]


def summary(result):
    match = SUMMARY.fullmatch(result.errors[-1])
    assert match, result.errors
    return dict(zip(SUMMARY_FIELDS, map(int, match.groups())))


# What a domain leads to --------------------------------------------------

def test_one_exchanger(nsd):
    result = lookup_lines(nsd, ["one.example"])
    assert result.status == 0, result
    assert fields(result) == [("192.0.2.1", "mx1.example", "one.example", "10")]
    assert summary(result) == dict(domains=1, found=1, implicit=0, nullmx=0, nxdomain=0,
                                   noaddress=0, ipv6only=0, servfail=0, timeout=0, bad=0,
                                   addresses=1,
                                   **NOTHING_CUT)


def test_exchangers_in_preference_order_and_addresses_in_numeric_order(nsd):
    assert fields(lookup_lines(nsd, ["prefs.example"])) == [
        ("192.0.2.1", "mx1.example", "prefs.example", "10"),
        ("192.0.2.2", "mx2.example", "prefs.example", "20"),
        ("192.0.2.3", "mx3.example", "prefs.example", "30"),
        ("192.0.2.33", "mx3.example", "prefs.example", "30"),
    ]


def test_equal_preferences_in_the_order_of_the_names_text(nsd):
    assert fields(lookup_lines(nsd, ["ties.example"])) == [
        ("192.0.2.110", "mx10.example", "ties.example", "5"),
        ("192.0.2.2", "mx2.example", "ties.example", "5"),
    ]


def test_a_shared_exchanger_is_written_once_naming_the_first_domain(nsd):
    domains = [f"shared{n}.example" for n in range(1, 6)]
    result = lookup_lines(nsd, domains)
    assert fields(result) == [("192.0.2.10", "mx.shared.example", "shared1.example", "10")]
    assert summary(result)["found"] == 5
    assert summary(result)["addresses"] == 1


def test_all_writes_every_domain_exchanger_and_address(nsd):
    domains = [f"shared{n}.example" for n in range(1, 6)] + ["alias.example", "one.example"]
    result = lookup_lines(nsd, domains, "--all")
    assert fields(result) == [
        *(("192.0.2.10", "mx.shared.example", domain, "10") for domain in domains[:5]),
        ("192.0.2.1", "mx1.example", "alias.example", "10"),
        ("192.0.2.1", "mx1.example", "one.example", "10"),
    ]
    assert summary(result)["addresses"] == 2


def test_implicit_mx_is_the_domain_itself_at_preference_0(nsd):
    result = lookup_lines(nsd, ["implicit.example"])
    assert fields(result) == [("192.0.2.50", "implicit.example", "implicit.example", "0")]
    assert summary(result)["implicit"] == 1
    assert summary(result)["found"] == 1


def test_failures_are_counted_and_written_to_the_failed_file(nsd, tmp_path):
    failed = tmp_path / "failed"
    domains = ["null.example", "nx.example", "noaddr.example", "empty.example",
               "half.example", "x.broken", "outside.invalid", "x.deleg.example", "loop.example",
               "long0.example"]
    result = lookup_lines(nsd, domains, "--failed", failed)
    assert result.status == 0, result
    assert fields(result) == [("192.0.2.2", "mx2.example", "half.example", "20")]
    assert failed.read_text() == (
        "null.example\tnullmx\n"
        "nx.example\tnxdomain\n"
        "noaddr.example\tnoaddress\n"
        "empty.example\tnoaddress\n"
        "x.broken\tservfail\n"          # NSD cannot load the zone: SERVFAIL
        "outside.invalid\tservfail\n"   # not served: REFUSED counts as servfail
        "x.deleg.example\tservfail\n"   # a referral is no answer
        "loop.example\tservfail\n"      # a CNAME loop
        "long0.example\tservfail\n"     # a chain longer than mxlookup follows
    )
    assert summary(result) == dict(domains=10, found=1, implicit=0, nullmx=1, nxdomain=1,
                                   noaddress=2, ipv6only=0, servfail=5, timeout=0, bad=0,
                                   addresses=1,
                                   **NOTHING_CUT)


def test_cnames_are_followed_for_domains_and_exchangers(nsd):
    result = lookup_lines(nsd, ["alias.example", "mxalias.example", "chain.example",
                                "cross.example", f"long{CHAIN - 14}.example"], "--all")
    assert fields(result) == [
        ("192.0.2.1", "mx1.example", "alias.example", "10"),
        ("192.0.2.1", "mxcname.example", "mxalias.example", "10"),  # the MX's own name
        ("192.0.2.1", "mx1.example", "chain.example", "10"),
        ("192.0.2.2", "mx2.example", "chain.example", "20"),
        ("192.0.2.3", "mx3.example", "chain.example", "30"),
        ("192.0.2.33", "mx3.example", "chain.example", "30"),
        ("192.0.2.60", "mx.example.net", "cross.example", "10"),  # asked again in its zone
        ("192.0.2.1", "mx1.example", f"long{CHAIN - 14}.example", "10"),
    ]


def test_answers_too_large_for_udp_are_asked_again_over_tcp(nsd):
    result = lookup_lines(nsd, ["bigaddr.example", "bigmx.example"])
    assert result.status == 0, result
    kept = sorted(MANY_A, key=ipaddress.IPv4Address)[:mailroute.MAX_ADDRESSES]
    expected = [(address, "many.example", "bigaddr.example", "10") for address in kept]
    expected.append(("192.0.2.2", "mx2.example", "bigmx.example", "1"))  # its lowest preference
    assert fields(result) == expected
    left_out = len(MANY_A) - mailroute.MAX_ADDRESSES  # over the limit of one exchanger
    assert result.errors[0] == (
        f"mxlookup: stdin:1: bigaddr.example: 0 exchangers and {left_out} addresses left out, "
        "over the limits of 32 exchangers a domain and 32 addresses of a family an exchanger")
    counts = summary(result)
    assert (counts["cut"], counts["exchangers_cut"], counts["addresses_cut"]) == (1, 0, left_out)


def test_ipv6_addresses_only_when_asked(nsd):
    domains = ["v6only.example", "dual.example"]
    result = lookup_lines(nsd, domains)
    assert fields(result) == [("192.0.2.46", "mxdual.example", "dual.example", "10")]
    assert (summary(result)["noaddress"], summary(result)["ipv6only"]) == (0, 1)
    assert fields(lookup_lines(nsd, domains, "-6")) == [
        ("2001:db8::6", "mx6.example", "v6only.example", "10"),
        ("192.0.2.46", "mxdual.example", "dual.example", "10"),
        ("2001:db8::46", "mxdual.example", "dual.example", "10"),
    ]


def test_a_domain_reached_only_over_ipv6_is_counted_as_such_without_6(nsd, tmp_path):
    failed = tmp_path / "failed"
    domains = ["v6only.example", "v6second.example", "implicit6.example", "noaddr.example",
               "dual.example"]
    result = lookup_lines(nsd, domains, "--failed", failed)
    assert result.status == 0, result
    assert fields(result) == [("192.0.2.46", "mxdual.example", "dual.example", "10")]
    assert failed.read_text() == ("v6only.example\tipv6only\n"
                                  "v6second.example\tipv6only\n"
                                  "implicit6.example\tipv6only\n"
                                  "noaddr.example\tnoaddress\n")
    counts = summary(result)
    assert (counts["ipv6only"], counts["noaddress"], counts["found"]) == (3, 1, 1)


def test_with_6_a_domain_reached_only_over_ipv6_gets_its_lines(nsd):
    result = lookup_lines(nsd, ["v6second.example", "implicit6.example"], "-6", "--all")
    assert fields(result) == [
        ("2001:db8::6", "mx6.example", "v6second.example", "20"),
        ("2001:db8::7", "implicit6.example", "implicit6.example", "0"),
    ]
    assert summary(result)["ipv6only"] == 0


def test_aaaa_is_asked_only_for_a_domain_whose_a_lookups_found_nothing(nsd):
    """MX and A for a domain with an IPv4 exchanger; one more query, AAAA
    of its exchanger, for one without; none again for an exchanger asked
    already."""
    def queries(domains):
        with WatchingRelay((nsd.address, nsd.port)) as relay:
            result = lookup_lines(relay, domains)
        assert result.status == 0, result
        return len(relay.ports)
    assert queries(["dual.example"]) == 2
    assert queries(["v6only.example"]) == 3
    # then MX, A of nohost and AAAA of nohost; mx6's A and AAAA are known
    assert queries(["v6only.example", "v6second.example"]) == 3 + 3
    # two domains that need mx6's AAAA at the same moment: one query for both
    assert queries(["v6only.example", "v6also.example"]) == 2 + 2


def test_odd_bytes_in_names_are_escaped_and_case_is_folded(nsd):
    result = lookup_lines(nsd, ["weird.example", "mixedcase.example"])
    assert fields(result) == [
        ("192.0.2.9", "mx\\009tab.example", "weird.example", "10"),
        ("192.0.2.77", "mx-upper.example", "mixedcase.example", "10"),
    ]


# Input -------------------------------------------------------------------

def test_input_is_cleaned_folded_and_idna_encoded(nsd):
    stdin = ("# a comment\n\n   \n  One.EXAMPLE  \r\nBücher.example\nIMPLICIT.example.\r\n"
             "\tprefs.example\n").encode()
    result = run_inprocess("mxlookup", ["--server", nsd.spec, "--all"], stdin)
    assert result.status == 0, result
    assert [line[2] for line in fields(result)] == [
        "one.example", "xn--bcher-kva.example", "implicit.example",
        "prefs.example", "prefs.example", "prefs.example", "prefs.example"]
    assert summary(result)["domains"] == 4


BAD_LINES = [
    (b"a..example", "empty label"),
    (b"x" * 64 + b".example", "label longer than 63 bytes"),
    (b".".join([b"y" * 60] * 5) + b".example", "name longer than 253 characters"),
    (b"caf\xe9.example", "not valid UTF-8"),
    (b"192.0.2.1", "an IP address, not a domain name"),
    (b"[192.0.2.1]", "an IP address, not a domain name"),
    (b"2001:db8::1", "an IP address, not a domain name"),
    (b"two words.example", "space in name"),
    (b"ctl\x01.example", "control character in name"),
    (b"tab\x0bhere.example", "control character in name"),
    (b".", "empty name"),
    (b"\\256.example", "bad escape \\256: \\DDD is a byte, at most \\255"),
    (b"x\\999.example", "bad escape \\999: \\DDD is a byte, at most \\255"),
    (b"\\25.example", "bad escape \\25: \\DDD takes three digits, 0 to 9"),
    ("\\\u00b2\u00b2\u00b2.example".encode(),  # a digit to str.isdigit(), not to DNS
     "bad escape \\\u00b2: \\DDD takes three digits, 0 to 9"),
    (b"ends.with\\", "backslash at the end of the name"),
    (b"\x85.example", "not valid UTF-8"),
    ("\x85.example".encode(), "control character in name"),  # U+0085, NEXT LINE
    ("no\u00a0break.example".encode(), "space in name"),
    ("\ue000.example".encode(), "not a valid internationalised name: Invalid character '\\ue000'"),
]


def test_bad_lines_are_named_counted_and_skipped(nsd):
    stdin = b"one.example\n" + b"".join(line + b"\n" for line, _ in BAD_LINES) + b"prefs.example\n"
    with every_bad_line_shown():
        result = run_inprocess("mxlookup", ["--server", nsd.spec], stdin)
    assert result.status == 1
    assert [line[2] for line in fields(result)] == ["one.example"] + ["prefs.example"] * 3
    assert result.errors[:-1] == [
        f"mxlookup: stdin:{lineno}: {why}" for lineno, (_, why) in enumerate(BAD_LINES, 2)]
    counts = summary(result)
    assert (counts["domains"], counts["found"], counts["bad"]) == (
        len(BAD_LINES) + 2, 2, len(BAD_LINES))


# Lines as they may come: any bytes, and text made of what names are made
# of (escapes \\DDD of any number, digits of any script, dots, IDNA, the
# controls and spaces of Unicode).
PIECES = st.one_of(
    st.sampled_from(list(".\\-_#aZ09 \t\r"
                         "\u00b2\u0661\u0085\u00a0\u2028\u00fc\u00df\u0300\ue000\U0001f600")),
    st.integers(0, 9999).map(lambda number: f"\\{number}"),
    st.characters(blacklist_characters="\n").map(lambda char: f"\\{char}"),
    st.text(string.ascii_letters + string.digits, min_size=1, max_size=70),
    st.characters(blacklist_characters="\n"))
NAME_TEXT = st.lists(PIECES, max_size=12).map("".join)
LINES = st.one_of(st.binary(max_size=300).map(lambda line: line.replace(b"\n", b"")),
                  NAME_TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")))


@settings(max_examples=500, deadline=None)
@given(line=LINES)
def test_any_line_is_a_name_a_skip_or_a_bad_name(line):
    try:
        parsed = lookup.parse_domain(line)
    except lookup.BadName as error:
        assert str(error)
        return
    if parsed is None:
        assert line.strip(b" \t\r")[:1] in (b"", b"#")
        return
    wire, text = parsed
    name, end = dns.name.from_wire(wire, 0)
    assert end == len(wire) and name != dns.name.root
    assert wire == name.canonicalize().to_wire()
    assert text == name.to_text(omit_final_dot=True)


@settings(max_examples=40, deadline=None)
@given(lines=st.lists(LINES, max_size=6))
@example(lines=[b"\\256.example", b"\\999.example", "\x85.example".encode()])
def test_no_line_stops_the_run(nsd, lines):
    stdin = b"one.example\n" + b"".join(line + b"\n" for line in lines) + b"implicit.example\n"
    result = run_inprocess("mxlookup", ["--server", nsd.spec, "--timeout", "0.5"], stdin)
    named = result.errors[:-1]
    assert all(re.fullmatch(r"mxlookup: stdin:\d+: .+", error) for error in named), named
    assert result.status == (1 if named else 0)
    assert summary(result)["bad"] == len(named)
    written = [line[2] for line in fields(result)]
    assert written[0] == "one.example" and written[-1] == "implicit.example"


def test_an_empty_input_is_fine(nsd):
    result = run_inprocess("mxlookup", ["--server", nsd.spec], b"")
    assert (result.status, result.stdout) == (0, b"")
    assert summary(result)["domains"] == 0
    assert run_inprocess("mxlookup", ["--server", nsd.spec, "--quiet"], b"").stderr == b""


def test_a_byte_order_mark_at_the_start_of_each_input_is_dropped(nsd, tmp_path):
    # Text from a Windows editor: a BOM first, CRLF line ends.
    (tmp_path / "first").write_bytes(b"\xef\xbb\xbf# exchangers\r\none.example\r\n")
    (tmp_path / "second").write_bytes(b"\xef\xbb\xbfimplicit.example\r\n")
    result = run_inprocess("mxlookup", ["-s", nsd.spec, str(tmp_path / "first"),
                                        str(tmp_path / "second")])
    assert result.status == 0, result
    assert [line[2] for line in fields(result)] == ["one.example", "implicit.example"]


def test_files_named_as_arguments_are_read_in_turn(nsd, tmp_path):
    (tmp_path / "first").write_text("one.example\n")
    (tmp_path / "second").write_text("implicit.example\n")
    result = run_inprocess("mxlookup", ["-s", nsd.spec, str(tmp_path / "first"),
                                        str(tmp_path / "second")])
    assert [line[2] for line in fields(result)] == ["one.example", "implicit.example"]


@pytest.mark.parametrize("option", [
    ["--server", "nonsense"], ["--server", "192.0.2.1:70000"], ["--server", "[::1"],
    ["--concurrency", "0"], ["--timeout", "soon"], ["--retries", "-1"]])
def test_bad_options_are_usage_errors(option):
    result = run_inprocess("mxlookup", option, b"one.example\n")
    assert result.status == 2
    assert result.stdout == b""


@pytest.mark.parametrize("value, why", [
    ("0", "must be at least 0.001"), ("inf", "takes a finite number"),
    ("nan", "takes a finite number"), ("1e400", "takes a finite number")])
def test_the_timeout_is_positive_and_finite(value, why):
    result = run_inprocess("mxlookup", ["--server", "127.0.0.1:9", "--retries", "0",
                                        "--timeout", value], b"one.example\n")
    assert (result.status, result.stdout) == (2, b"")
    assert result.errors[0] == f"mxlookup: --timeout {why}, not '{value}'"


def test_server_specs():
    servers = lookup.parse_servers(["127.0.0.1", "127.0.0.2:5353,[::1]:54", "::1"])
    assert [repr(server) for server in servers] == [
        "127.0.0.1:53", "127.0.0.2:5353", "[::1]:54", "[::1]:53"]


# Order, streams, signals, timeouts --------------------------------------

def test_output_keeps_input_order_while_lookups_finish_in_any_order(nsd):
    # bigaddr needs TCP and chain four answers; one and implicit are quick.
    domains = ["bigaddr.example", "chain.example", "one.example", "cross.example",
               "implicit.example", "shared1.example"] * 3
    result = lookup_lines(nsd, domains, "--all")
    written = [line[2] for line in fields(result)]
    expected = []
    for domain in domains:
        expected += [domain] * {"bigaddr.example": mailroute.MAX_ADDRESSES,
                                "chain.example": 4}.get(domain, 1)
    assert written == expected


def test_as_a_real_process_in_a_pipe_judged_by_awk(nsd):
    domains = "".join(f"{d}\n" for d in ["prefs.example", "one.example", "implicit.example",
                                          "weird.example", "bigaddr.example"])
    for awk in ("gawk", "mawk"):
        result = pipeline(
            f"mxlookup --server {nsd.spec} --all | {awk} -F '\\t' "
            "'NF != 4 || $4 !~ /^[0-9]+$/ || $1 !~ /^[0-9.]+$/ { bad++ } "
            "END { print NR, bad + 0 }'", domains.encode())
        assert result.status == 0, result
        assert result.stdout == f"{4 + 1 + 1 + 1 + mailroute.MAX_ADDRESSES} 0\n".encode()
        assert summary(result)["domains"] == 5


def test_a_closed_pipe_is_quiet(nsd):
    stdin = b"prefs.example\n" * 3000  # 12000 lines with --all, more than a pipe holds
    result = pipeline(f"mxlookup --server {nsd.spec} --all | head -1", stdin)
    assert result.status == 141, result
    assert result.stdout == b"192.0.2.1\tmx1.example\tprefs.example\t10\n"
    assert result.stderr == b""


def test_lines_stream_out_and_sigterm_writes_what_is_finished(nsd):
    process = subprocess.Popen(
        [BIN / "mxlookup", "--server", nsd.spec], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(b"one.example\n")
    process.stdin.flush()
    first = process.stdout.readline()  # written while the input is still open
    assert first == b"192.0.2.1\tmx1.example\tone.example\t10\n"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)  # with stdin still open: the signal, not an end of input, stops it
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143
    assert SUMMARY.fullmatch(stderr.decode().splitlines()[-1])


def test_a_server_that_never_answers_is_unreachable_not_a_timeout(tmp_path):
    failed = tmp_path / "failed"
    with SilentServer() as silent:
        result = run_inprocess("mxlookup", [
            "--server", silent.spec, "--timeout", "0.2", "--retries", "1",
            "--failed", str(failed)], b"one.example\nimplicit.example\n")
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b""), result
    assert result.errors == [f"mxlookup: resolver {silent.spec} unreachable: no answer within "
                             f"0.2 s; none of 2 queries answered"]


def test_an_exchanger_that_times_out_makes_its_domain_a_timeout(nsd, tmp_path):
    failed = tmp_path / "failed"
    with DroppingRelay((nsd.address, nsd.port), "drop") as relay:
        result = run_inprocess("mxlookup", [
            "--server", relay.spec, "--timeout", "0.5", "--retries", "1", "--failed",
            str(failed)], b"one.example\ndropmx.example\npartial.example\ndrop.example\n")
    assert result.status == 0, result
    assert fields(result) == [("192.0.2.1", "mx1.example", "one.example", "10"),
                              ("192.0.2.2", "mx2.example", "partial.example", "20")]
    assert failed.read_text() == "dropmx.example\ttimeout\ndrop.example\ttimeout\n"
    counts = summary(result)
    assert (counts["found"], counts["timeout"]) == (2, 2)


def test_addresses_in_the_mx_answer_are_taken_only_for_exchangers_within_the_domain(nsd):
    # The relay drops every question about "mxglued" names, so only the
    # addresses NSD adds to the MX answer can find them.
    with DroppingRelay((nsd.address, nsd.port), "mxglued") as relay:
        result = run_inprocess("mxlookup", [
            "--server", relay.spec, "--timeout", "0.5", "--retries", "1"],
            b"inzone.example\noutzone.example\n")
        ipv6 = run_inprocess("mxlookup", [
            "--server", relay.spec, "--timeout", "0.5", "--retries", "1", "-6"],
            b"inzone.example\n")
    assert fields(result) == [("192.0.2.70", "mxglued.inzone.example", "inzone.example", "10")]
    assert summary(result)["timeout"] == 1  # outzone: its exchanger is asked about
    assert ipv6.stdout == b""  # with -6 the answer lacks AAAA, so both are asked for
    assert summary(ipv6)["timeout"] == 1


def test_within():
    def wire(text):
        return dns.name.from_text(text).to_wire()
    assert mailroute._within(wire("mx.example.com"), wire("example.com"))
    assert mailroute._within(wire("example.com"), wire("example.com"))
    assert not mailroute._within(wire("com"), wire("example.com"))
    assert not mailroute._within(wire("ab\\007example.com"), wire("example.com"))
    assert not mailroute._within(wire("xexample.com"), wire("example.com"))


@pytest.mark.parametrize("silent_address", [None, "::1"])
def test_an_unanswered_query_is_retried_at_the_next_server(nsd, silent_address):
    with SilentServer(silent_address) as silent:
        result = run("mxlookup", ["--server", f"{silent.spec},{nsd.spec}", "--timeout", "0.5",
                                  "--retries", "1"], b"one.example\nimplicit.example\n")
    assert result.status == 0, result
    assert [line[0] for line in fields(result)] == ["192.0.2.1", "192.0.2.50"]


def test_many_domains_at_once_with_little_concurrency(nsd):
    domains = [f"shared{n % 5 + 1}.example" for n in range(300)] + ["one.example"]
    result = lookup_lines(nsd, domains, "--concurrency", "3", "--all")
    assert len(result.lines) == 301
    assert fields(result)[-1][2] == "one.example"


# The wire reader against dnspython ---------------------------------------

LABEL = st.binary(min_size=1, max_size=12)
NAMES = st.lists(LABEL, min_size=1, max_size=4).map(lambda labels: dns.name.Name([*labels, b""]))
ADDRESSES = st.ip_addresses(v=4).map(str)
ADDRESSES6 = st.ip_addresses(v=6).map(str)
RECORDS = st.one_of(
    st.tuples(st.just("A"), ADDRESSES),
    st.tuples(st.just("AAAA"), ADDRESSES6),
    st.tuples(st.just("CNAME"), NAMES),
    st.tuples(st.just("MX"), st.tuples(st.integers(0, 65535), NAMES)),
    st.tuples(st.just("TXT"), st.just('"text"')),
)


def rdata_text(kind, value):
    if kind == "CNAME":
        return value.to_text()
    if kind == "MX":
        return f"{value[0]} {value[1].to_text()}"
    return value


def rrsets_of(records):
    cname_owners = [owner for owner, (kind, _) in records if kind == "CNAME"]
    assume(len(set(cname_owners)) == len(cname_owners))  # dnspython keeps one CNAME a name
    return [dns.rrset.from_text(owner, 300, "IN", kind, rdata_text(kind, value))
            for owner, (kind, value) in records]


def as_read(rrsets):
    """What the wire reader should make of these RRsets."""
    found = set()
    for rrset in rrsets:
        owner = dnswire.name_from_dns(rrset.name)
        for rdata in rrset:
            if rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
                found.add((owner, int(rrset.rdtype), rdata.address))
            elif rrset.rdtype == dns.rdatatype.CNAME:
                found.add((owner, dnswire.CNAME, dnswire.name_from_dns(rdata.target)))
            elif rrset.rdtype == dns.rdatatype.MX:
                found.add((owner, dnswire.MX, (rdata.preference,
                                               dnswire.name_from_dns(rdata.exchange))))
    return sorted(found)  # dnspython merges RRsets, so compare sets


SECTION = st.lists(st.tuples(NAMES, RECORDS), max_size=5)


@settings(max_examples=150, deadline=None)
@given(qname=NAMES, answer=SECTION, authority=SECTION, additional=SECTION)
def test_the_wire_reader_reads_what_dnspython_writes(qname, answer, authority, additional):
    response = dns.message.make_response(dns.message.make_query(qname, "MX"))
    response.answer += rrsets_of(answer)
    response.authority += rrsets_of(authority)
    response.additional += rrsets_of(additional)
    wire = response.to_wire()
    read = dnswire.read_response(wire, dnswire.name_from_dns(qname), dnswire.MX)
    parsed = dns.message.from_wire(wire)
    assert sorted(set(read.records)) == as_read(parsed.answer)
    assert sorted(set(read.additional)) == as_read(parsed.additional)
    assert dnswire.read_response(wire, dnswire.name_from_dns(qname), dnswire.A) is None


@settings(max_examples=300, deadline=None)
@given(name=NAMES)
def test_name_text_is_dnspythons_presentation_text(name):
    assert dnswire.name_text(dnswire.name_from_dns(name)) == name.canonicalize().to_text(True)


PLAIN_LABELS = st.lists(st.text(string.ascii_letters + string.digits + "_-", min_size=1,
                                max_size=70), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(labels=PLAIN_LABELS, final_dot=st.booleans())
def test_plain_names_are_read_as_dnspython_reads_them(labels, final_dot):
    text = ".".join(labels) + "." * final_dot
    try:
        name = dns.name.from_text(text).canonicalize()
    except dns.exception.DNSException:
        with pytest.raises(lookup.BadName):
            lookup.parse_domain(text.encode())
        return
    if re.fullmatch(r"[0-9.]+", text) and _is_ipv4(text):
        return  # an IP address, rejected
    assert lookup.parse_domain(text.encode()) == (name.to_wire(), name.to_text(True))


def _is_ipv4(text):
    try:
        ipaddress.ip_address(text.rstrip("."))
    except ValueError:
        return False
    return True


def test_a_truncated_response_is_a_bad_message():
    qname = dns.name.from_text("one.example")
    response = dns.message.make_response(dns.message.make_query(qname, "MX"))
    response.answer.append(dns.rrset.from_text(qname, 300, "IN", "MX", "10 mx1.example."))
    wire = response.to_wire()
    with pytest.raises(dnswire.BadMessage):
        dnswire.read_response(wire[:-3], dnswire.name_from_dns(qname), dnswire.MX)
