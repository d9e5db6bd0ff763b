"""Whatever the input, each program's reader either takes a line or names
it and goes on: fuzzed input parsers (hypothesis), and the cases of bad
input that the programs' own tests leave out."""

import ipaddress
import re
import time

import pytest
from hypothesis import given, settings, strategies as st

from mxsurvey import cli, ere, guess, lookup, patterns, probe, record
from nameserver import DroppingRelay, NameServer, SilentServer
from programs import run_inprocess

pytestmark = pytest.mark.timeout(120)

FUZZ = settings(max_examples=300, deadline=None)
LINE_BYTES = st.binary(max_size=300).map(lambda data: data.replace(b"\n", b""))
# Bytes near the grammar of each input, so that fuzzing reaches past its first check.
ADDRESS_LIKE = st.lists(st.sampled_from(
    [b"1", b"0", b"00", b"255", b"256", b"127", b".", b":", b"::", b"ffff", b"%", b"eth0",
     b"[", b"]", b"/", b"x", b" ", b"\x00", b"\xff", b"-", b"e", b"224", b"240"]),
    max_size=14).map(b"".join)
NAME_LIKE = st.lists(st.sampled_from(
    [b"a", b"example", b".", b"..", b"-", b"x" * 63, b"y" * 64, b"\xc3\xbc", b"\xff", b"\xe9",
     b" ", b"\t", b"\r", b"\x00", b"#", b"[", b"]", b"1", b":", b"xn--", b"\\", b"\\065",
     b"\\.", b"*", b"_", b"@"]), max_size=12).map(b"".join)


def printable(text):
    return all(0x20 < ord(char) < 0x7f for char in text)


# mxlookup ------------------------------------------------------------------

@FUZZ
@given(st.one_of(LINE_BYTES, NAME_LIKE))
def test_a_domain_line_is_a_name_or_a_named_reason(line):
    try:
        parsed = lookup.parse_domain(line)
    except lookup.BadName as why:
        assert str(why)
        return
    if parsed is None:
        assert not line.strip(b" \t\r") or line.strip(b" \t\r").startswith(b"#")
        return
    wire, text = parsed
    assert 1 < len(wire) <= 255 and wire.endswith(b"\0")
    labels, position = [], 0
    while wire[position]:
        length = wire[position]
        assert length <= 63
        labels.append(wire[position + 1:position + 1 + length])
        position += 1 + length
    assert position == len(wire) - 1 and labels
    assert printable(text) and text == text.lower()


def test_more_bad_domain_lines_are_named_and_skipped(odd_dns):
    lines = [b"nul\x00.example", b"\xff\xfe\xfd", b".example", b"example..", b"a." * 130,
             b"[::1]", b"a" * 2_000_000, b"alive.odd"]
    result = run_inprocess("mxlookup", ["--server", odd_dns.spec, "--timeout", "1", "--quiet"],
                           b"\n".join(lines) + b"\n")
    assert result.status == cli.EXIT_BAD_INPUT
    assert result.lines == [b"192.0.2.5\tmx.alive.odd\talive.odd\t10"]
    assert result.errors == [
        "mxlookup: stdin:1: control character in name",
        "mxlookup: stdin:2: not valid UTF-8",
        "mxlookup: stdin:3: empty label",
        "mxlookup: stdin:4: empty label",
        "mxlookup: stdin:5: name longer than 253 characters",
        "mxlookup: stdin:6: an IP address, not a domain name",
        f"mxlookup: stdin:7: line longer than {1 << 20} bytes",
    ]
    assert len(result.errors) == 7  # ok.example goes on to its (failed) lookup


# DNS answers -----------------------------------------------------------------

ODD_ZONE = "\n".join([
    "$ORIGIN odd.",
    "$TTL 3600",
    "@ SOA ns hostmaster 1 3600 600 86400 300",
    "@ NS ns",
    "ns A 127.0.0.1",
    # MX targets that are address literals, or hold bytes that are not text
    "literal MX 10 192.0.2.1.",
    "literalin MX 10 192.0.2.1",
    "192.0.2.1 A 192.0.2.1",
    "bracket MX 10 \\[192.0.2.2\\].",
    "bytes MX 10 mx\\000\\255\\027[31m\\009\\032x",
    "mx\\000\\255\\027[31m\\009\\032x A 192.0.2.3",
    "dotty MX 10 a\\.b",
    "a\\.b A 192.0.2.4",
    # a CNAME loop behind an MX, and a domain that is its own CNAME
    "cnameloop MX 10 l1",
    "l1 CNAME l2",
    "l2 CNAME l1",
    "self CNAME self",
    # each of many domains behind a relay that drops questions about "dead"
    *(f"dead{n} MX 10 mx.dead{n}" for n in range(40)),
    "alive MX 10 mx.alive",
    "mx.alive A 192.0.2.5",
]) + "\n"


@pytest.fixture(scope="module")
def odd_dns():
    with NameServer({"odd": ODD_ZONE, "dead": None}) as server:
        yield server


def test_odd_mx_targets_are_looked_up_as_names_and_escaped(odd_dns, tmp_path):
    failed = tmp_path / "failed"
    domains = b"literal.odd\nliteralin.odd\nbracket.odd\nbytes.odd\ndotty.odd\n"
    result = run_inprocess("mxlookup", ["--server", odd_dns.spec, "--timeout", "1", "-q",
                                        "--failed", str(failed)], domains)
    assert result.status == 0, result
    assert [line.split(b"\t") for line in result.lines] == [
        [b"192.0.2.1", b"192.0.2.1.odd", b"literalin.odd", b"10"],
        [b"192.0.2.3", b"mx\\000\\255\\027[31m\\009\\032x.odd", b"bytes.odd", b"10"],
        [b"192.0.2.4", b"a\\.b.odd", b"dotty.odd", b"10"],
    ]
    assert all(printable(line.decode("ascii").replace("\t", "_")) for line in result.lines)
    # Names outside every zone served: the server refuses them.
    assert failed.read_text() == "literal.odd\tservfail\nbracket.odd\tservfail\n"


def test_cname_loops_and_a_failed_zone_fail_each_domain_alone(odd_dns, tmp_path):
    failed = tmp_path / "failed"
    domains = b"cnameloop.odd\nself.odd\nx.dead\ny.dead\nalive.odd\n"
    result = run_inprocess("mxlookup", ["--server", odd_dns.spec, "--timeout", "1", "-q",
                                        "--failed", str(failed)], domains)
    assert result.status == 0, result
    assert result.lines == [b"192.0.2.5\tmx.alive.odd\talive.odd\t10"]
    assert failed.read_text() == ("cnameloop.odd\tservfail\nself.odd\tservfail\n"
                                  "x.dead\tservfail\ny.dead\tservfail\n")


DEAD_TIMEOUT, DEAD_RETRIES = 0.5, 1


def test_a_name_server_that_never_answers_costs_its_timeout_once_not_per_domain(odd_dns):
    # 40 domains whose exchangers' questions go unanswered, one that works:
    # one after the other they would take 40 * 2 * 0.5 s at least.
    domains = b"".join(b"dead%d.odd\n" % n for n in range(40)) + b"alive.odd\n"
    with DroppingRelay((odd_dns.address, odd_dns.port), "dead") as relay:
        started = time.monotonic()
        result = run_inprocess("mxlookup", [
            "--server", relay.spec, "--timeout", str(DEAD_TIMEOUT),
            "--retries", str(DEAD_RETRIES)], domains)
        took = time.monotonic() - started
    assert result.lines == [b"192.0.2.5\tmx.alive.odd\talive.odd\t10"]
    assert " 40 timeout, " in result.errors[-1]
    serial = 40 * (DEAD_RETRIES + 1) * DEAD_TIMEOUT
    assert took < serial / 2, f"{took:.1f} s"  # bounded: what matters is not growing with N


def test_a_silent_server_for_every_domain_costs_its_timeout_once():
    domains = b"".join(b"d%d.example\n" % n for n in range(200))
    with SilentServer() as silent:
        started = time.monotonic()
        result = run_inprocess("mxlookup", ["--server", silent.spec, "--timeout", "0.5",
                                            "--retries", "1"], domains)
        took = time.monotonic() - started
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors[-1].startswith(f"mxlookup: resolver {silent.spec} unreachable: ")
    assert took < 200 * 2 * 0.5 / 10, f"{took:.1f} s"


# smtpprobe -----------------------------------------------------------------

@FUZZ
@given(st.one_of(LINE_BYTES, ADDRESS_LIKE))
def test_a_first_field_is_a_probeable_address_or_a_named_reason(field):
    try:
        address = probe.parse_address(field)
    except probe.BadAddress as why:
        assert printable(str(why).replace(" ", "_"))
        return
    assert address == ipaddress.ip_address(field.decode("ascii"))
    v4 = address if address.version == 4 else address.ipv4_mapped
    assert not (address.is_multicast or address.is_unspecified)
    assert not (v4 and (v4.is_multicast or v4.is_unspecified or v4.is_reserved))
    assert b"%" not in field


@pytest.mark.parametrize("field, why", [
    ("::ffff:224.0.0.1", "multicast address"),
    ("::ffff:0.0.0.0", "unspecified address"),
    ("::ffff:255.255.255.255", "broadcast address"),
    ("0127.0.0.1", "IPv4 address with leading zeros is ambiguous"),
    ("0x7f.0.0.1", "not an IP address"),
    ("127.1", "not an IP address"),
    ("2130706433", "not an IP address"),
    ("[127.0.0.1]", "not an IP address"),
    ("127.0.0.1/8", "not an IP address"),
    ("::1%1", "zone ids are not allowed"),
    ("ff05::2", "multicast address"),
])
def test_addresses_that_name_no_mail_server(field, why):
    with pytest.raises(probe.BadAddress, match=f"^{re.escape(why)}: "):
        probe.parse_address(field.encode())


# mtaguess ------------------------------------------------------------------

@pytest.fixture(scope="module")
def labeller():
    matcher = patterns.Matcher(patterns.read_files([guess.default_patterns()]))
    return guess.Labeller(matcher, explain=False)


class Voice:
    """What a program says about bad lines, without a program around it."""

    def __init__(self):
        self.bad = []

    def bad_line(self, source, lineno, message):
        self.bad.append((lineno, message))


PROBE_LINE = st.tuples(
    st.one_of(st.sampled_from([b"127.0.0.1", b"", b"::1", b"x\x00", b"127.0.0.01", b"::FFFF:7f00:1",
                               b"127.0.0.1\x1b", b"2001:db8:0::1", b"sendmail"]),
              ADDRESS_LIKE),
    st.sampled_from([s.encode() for s in record.STATUSES] + [b"maybe", b"OK", b""]),
    st.one_of(st.binary(max_size=80).map(record.escape), LINE_BYTES,
              st.sampled_from([b"\\", b"\\x", b"\\xg0", b"\\[", b"\\[cut", b"\\[Cut]", b"\\q"])),
    st.lists(st.one_of(LINE_BYTES, NAME_LIKE), max_size=2),
).map(lambda parts: b"\t".join(parts[:3] + tuple(parts[3])).replace(b"\n", b""))


def written_by_smtpprobe(line):
    """Whether smtpprobe could have written `line`: judged by the ipaddress
    module and the fields' bytes, not by record's own syntax."""
    fields = line.split(b"\t")
    if len(fields) < 3 or fields[1].decode("latin-1") not in record.STATUSES:
        return False
    try:
        address = ipaddress.ip_address(fields[0].decode("ascii"))
        record.unescape(fields[2])
    except (ValueError, record.BadEscape):
        return False
    mapped = address.version == 6 and address.ipv4_mapped
    return (str(address).encode() == fields[0] and not mapped
            and all(re.fullmatch(rb"[\x20-\x7e]*", field) for field in fields[3:]))


@FUZZ
@given(st.lists(st.one_of(PROBE_LINE, LINE_BYTES), min_size=1, max_size=8))
def test_each_smtpprobe_line_is_labelled_or_named(labeller, lines):
    voice = Voice()
    chunk = [("stdin", lineno, line) for lineno, line in enumerate(lines, 1)]
    fast = labeller.chunk(lines)
    labelled = labeller.carefully(voice, chunk)
    if fast is not None:
        assert fast == labelled and not voice.bad
    labelled = labelled.split(b"\n")[:-1]  # one string, each line ended by LF
    named = {lineno for lineno, _ in voice.bad}
    assert len(labelled) + len(named) == len(lines)
    # A CRLF line end and a byte order mark on the first line are dropped.
    lines = [cli.text_line(line, lineno) for lineno, line in enumerate(lines, 1)]
    kept = [line for lineno, line in enumerate(lines, 1) if lineno not in named]
    assert [out.split(b"\t", 1)[1] for out in labelled] == kept
    assert [written_by_smtpprobe(line) for line in lines] == [
        lineno not in named for lineno in range(1, len(lines) + 1)]
    for _, message in voice.bad:
        assert printable(message.replace(" ", "_")), message


def test_a_truncated_last_line_is_labelled_or_named():
    done = run_inprocess("mtaguess", [], b"127.0.0.1\tok\t220 qmail\\r\\n\n127.0.0.2\tok\t220 x\\")
    assert done.status == 1
    assert done.lines == [b"not sure\t127.0.0.1\tok\t220 qmail\\r\\n"]
    assert done.errors == ["mtaguess: stdin:2: transcript: lone backslash at byte 6"]


# The pattern file ------------------------------------------------------------

REGEX_TEXT = st.text(st.sampled_from("abcXYZ019 .*+?()|[]^$\\/{},-:"), min_size=1, max_size=20)
LABEL_TEXT = st.text(st.characters(min_codepoint=0x20, blacklist_categories=("Cs", "Cc")),
                     min_size=1, max_size=20).map(str.strip).filter(
                         lambda label: label and label.isprintable() and " #" not in label
                         and not label.startswith("#"))


@FUZZ
@given(st.binary(max_size=200))
def test_a_pattern_file_is_patterns_or_one_error_naming_file_and_line(data):
    try:
        found = patterns.parse(data, "p.awk")
    except patterns.PatternError as error:
        match = re.fullmatch(r"p\.awk:(\d+): (.+)", str(error))
        assert match, str(error)
        assert 1 <= int(match.group(1)) <= data.count(b"\n") + 1
        return
    lines = data.split(b"\n")
    for pattern in found:
        assert lines[pattern.lineno - 1].lstrip(b" \t").startswith(b"/" + pattern.regex + b"/")
        assert pattern.label and pattern.label == pattern.label.strip(" \t")


@FUZZ
@given(REGEX_TEXT, LABEL_TEXT, st.sampled_from(["", "  ", "\t"]),
       st.sampled_from(["", "  # a comment"]))
def test_a_pattern_line_reads_back_as_its_regex_and_label(regex, label, indent, comment):
    written = regex.replace("\\", "\\\\").replace("/", "\\/")
    line = f"{indent}/{written}/ {label}{comment}\n".encode()
    try:
        found = patterns.parse(line, "p.awk")
    except patterns.PatternError as error:
        if not str(error).startswith("p.awk:1: invalid regex: "):
            # a [ that no ] closes takes in the rest of the line, as in awk
            assert str(error).startswith("p.awk:1: the regex has no closing /"), str(error)
            with pytest.raises(ere.RegexError):
                ere.translate(written.encode(), ere.TEXT)
        return
    assert [(p.regex, p.label, p.lineno) for p in found] == [(written.encode(), label, 1)]


# tally -----------------------------------------------------------------------

GUESS_LINE = st.tuples(
    st.sampled_from([b"sendmail", b"qmail", b"timed out", b"", b"\xff", b"not sure"]),
    PROBE_LINE).map(b"\t".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(GUESS_LINE, LINE_BYTES), max_size=8))
def test_tally_counts_each_line_or_names_it(lines):
    result = run_inprocess("tally", [], b"".join(line + b"\n" for line in lines))
    assert result.status in (cli.EXIT_OK, cli.EXIT_BAD_INPUT, cli.EXIT_FATAL), result
    named = [error for error in result.errors if re.match(r"tally: stdin:\d+: ", error)]
    if not result.stdout:  # no line counted, or another stage's output: no report
        assert result.status == cli.EXIT_FATAL
        assert re.fullmatch(r"tally: (stdin:1: this is .*|no input lines, so no report"
                            r"|no mtaguess line among the .*, so no report)", result.errors[-1])
        return
    assert len(named) == len(result.errors)
    assert (result.status == 1) == bool(named)
    total = int(result.lines[0].split()[0])
    assert total + len(named) == len(lines)


# smtpprobe's other fields ------------------------------------------------------

NO_BACKSLASH = LINE_BYTES.map(lambda data: data.replace(b"\\", b""))
BOM = b"\xef\xbb\xbf"  # UTF-8's byte order mark
LINE_STARTS = [b"", b"", BOM, b"#", b" ", b"\t#", b" \t"]
LINE_ENDS = st.one_of(st.sampled_from([b"", b"\r", b"\r\r", b"\t", b"\t\r"]),
                      NO_BACKSLASH.map(lambda data: b"\t" + data))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LINE_STARTS), LINE_ENDS), min_size=1, max_size=6))
def test_smtpprobe_writes_the_other_fields_printable_and_skips_what_asks_for_nothing(parts):
    # Each line names its own address of 127.0.0.0/8, on the built-in
    # blocklist: nothing is probed, each line written is `excluded`.
    lines = [start + b"127.0.0.%d" % n + end for n, (start, end) in enumerate(parts, 1)]
    written, named = {}, set()
    for n, line in enumerate(lines, 1):
        text = line[:-1] if line.endswith(b"\r") else line
        if n == 1:
            text = text.removeprefix(BOM)
        if text.lstrip(b" \t")[:1] in (b"", b"#"):
            continue
        address, tab, rest = text.partition(b"\t")
        address = address.strip(b" ")  # spaces around the address are dropped
        if address == b"127.0.0.%d" % n:
            written[address] = rest.split(b"\t") if tab else []
        else:
            named.add(n)
    result = run_inprocess("smtpprobe", ["--port", "9", "--quiet"],
                           b"".join(line + b"\n" for line in lines))
    assert result.status == (1 if named else 0), result
    assert {int(re.match(r"smtpprobe: stdin:(\d+): ", error).group(1))
            for error in result.errors} == named
    assert len(result.errors) == len(named)
    out = result.stdout.split(b"\n")
    assert out.pop() == b""
    found = {}
    for line in out:
        assert re.fullmatch(rb"[\x20-\x7e\t]*", line), line
        address, status, transcript, *rest = line.split(b"\t")
        assert (status, transcript) == (b"excluded", b"")
        found[address] = [record.unescape(field)[0] for field in rest]
    assert found == written
