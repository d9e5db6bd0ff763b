"""What the four programs read besides their own input: another stage's
output (one message and a fatal stop), text from other systems (a CR, a
byte order mark, spaces), the top lists researchers start from, and what
only looks like a domain or an address.  Real processes in real pipes, and
the real NSD."""

import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from mxsurvey import cli, domainline, lookup
from nameserver import NameServer, WatchingRelay
from programs import BIN, pipeline, run

pytestmark = pytest.mark.timeout(120)

ZONE = "\n".join([
    "$ORIGIN example.", "$TTL 3600", "@ SOA ns hostmaster 1 3600 600 86400 300",
    "@ NS ns", "ns A 127.0.0.1",
    "one MX 10 mx1", "mx1 A 192.0.2.1",
    "two MX 10 mx2", "two MX 20 mx1", "mx2 A 192.0.2.2",
]) + "\n"


@pytest.fixture(scope="module")
def nsd():
    with NameServer({"example": ZONE}) as server:
        yield server


def mxlookup(nsd, *options):
    return f"mxlookup --server {nsd.spec} --timeout 1 {' '.join(options)}"


# Another stage's output ------------------------------------------------------

PROBED = "printf '127.0.0.1\\n' | smtpprobe --quiet"  # excluded: nothing is probed
GUESSED = f"{PROBED} | mtaguess"
REPORT = f"{GUESSED} | tally"


def stages(nsd):
    """(what writes the input, the program given it, what it says the input is and what to
    do with it)."""
    looked_up = f"printf 'one.example\\ntwo.example\\n' | {mxlookup(nsd, '-q')}"
    return [
        (looked_up, "mtaguess", "mxlookup's output (ADDRESS MXHOST DOMAIN PREFERENCE); "
                                "pipe it through smtpprobe first"),
        (looked_up, "mxlookup", "mxlookup's output (ADDRESS MXHOST DOMAIN PREFERENCE); "
                                "read it with smtpprobe"),
        (PROBED, "smtpprobe --quiet", "smtpprobe's output (ADDRESS STATUS TRANSCRIPT); "
                                      "read it with mtaguess"),
        (PROBED, "mxlookup", "smtpprobe's output (ADDRESS STATUS TRANSCRIPT); "
                             "read it with mtaguess"),
        ("printf 'one.example\\n'", "mtaguess", "a list of domains (DOMAIN), mxlookup's "
                                                "input; pipe it through mxlookup | smtpprobe first"),
        ("printf 'one.example\\n'", "smtpprobe --quiet", "a list of domains (DOMAIN), "
                                                         "mxlookup's input; pipe it through mxlookup first"),
        ("printf '192.0.2.1\\n'", "mxlookup", "a list of addresses (ADDRESS), smtpprobe's "
                                              "input; read it with smtpprobe"),
        (GUESSED, "mtaguess", "mtaguess's output (LABEL ADDRESS STATUS TRANSCRIPT); "
                              "read it with tally"),
        (GUESSED, "smtpprobe --quiet", "mtaguess's output (LABEL ADDRESS STATUS TRANSCRIPT); "
                                       "read it with tally"),
        (REPORT, "mxlookup", "tally's report; read it with tally --merge"),
        (REPORT, "smtpprobe --quiet", "tally's report; read it with tally --merge"),
        (REPORT, "mtaguess", "tally's report; read it with tally --merge"),
        (f"{GUESSED} | tally --stamp", "mtaguess", "tally's report; read it with tally --merge"),
    ]


@pytest.mark.parametrize("case", range(13))
def test_another_stages_output_is_named_once_and_stops_the_run(nsd, tmp_path, case):
    writer, program, what = stages(nsd)[case]
    made = pipeline(writer, cwd=tmp_path)
    assert made.stdout, made
    # Many copies of it, so that a message for each line would show.
    (tmp_path / "input").write_bytes(made.stdout * 2000)
    name = program.split()[0]
    options = f"--server {nsd.spec}" if name == "mxlookup" else ""
    done = pipeline(f"cat input | {program} {options}", cwd=tmp_path)
    assert (done.status, done.stdout) == (cli.EXIT_FATAL, b""), done
    assert done.errors == [f"{name}: stdin:1: this is {what}"]


def test_a_large_file_of_another_stage_is_named_before_it_is_cut_in_parts(nsd, tmp_path):
    line = b"192.0.2.1\tmx1.example\tone.example\t10\n"
    (tmp_path / "big").write_bytes(line * (3 * (1 << 22) // len(line)))
    done = run("mtaguess", [tmp_path / "big"])
    assert (done.status, done.stdout) == (cli.EXIT_FATAL, b"")
    assert done.errors == [f"mtaguess: {tmp_path}/big:1: this is mxlookup's output (ADDRESS "
                           f"MXHOST DOMAIN PREFERENCE); pipe it through smtpprobe first"]


# Text from other systems: the same output as the original -----------------------

CRLF = "sed 's/$/\\r/'"
BOM = "{ printf '\\357\\273\\277'; cat; }"


def tolerance_cases(nsd):
    """(the original input, as a shell command; the program; the ways of
    spoiling it that must make no difference, as filters)."""
    both = f"{CRLF} | {BOM}"
    return [
        ("printf 'one.example\\ntwo.example\\n'", mxlookup(nsd, "-q"),
         [CRLF, BOM, "sed 's/^/  /; s/$/ /'", f"{both} | sed 's/^/ /'"]),
        (f"printf 'one.example\\ntwo.example\\n' | {mxlookup(nsd, '-q')}", "smtpprobe -q",
         [CRLF, BOM, "sed 's/^/ /; s/\\t/ \\t/'", both]),
        (PROBED, "mtaguess", [CRLF, BOM, both]),
        (GUESSED, "tally", [CRLF, BOM, both]),
        (REPORT, "tally --merge", [CRLF, BOM, both]),
    ]


@pytest.mark.parametrize("case", range(5))
def test_a_crlf_copy_a_byte_order_mark_and_spaces_read_as_the_original(nsd, tmp_path, case):
    writer, program, spoilers = tolerance_cases(nsd)[case]
    assert pipeline(f"{writer} > original", cwd=tmp_path).status == 0
    original = pipeline(f"{program} < original", cwd=tmp_path)
    assert (original.status, original.stderr) == (0, b""), original
    assert original.stdout
    for spoiler in spoilers:
        spoilt = pipeline(f"{spoiler} < original > spoilt && {program} < spoilt", cwd=tmp_path)
        assert (tmp_path / "spoilt").read_bytes() != (tmp_path / "original").read_bytes()
        assert (spoilt.status, spoilt.stderr, spoilt.stdout) == (0, b"", original.stdout), spoiler


# Top lists and columns of one's own ---------------------------------------------

def test_a_top_lists_rank_comma_domain_reads_as_the_domain(nsd):
    plain = pipeline(mxlookup(nsd, "-q"), b"one.example\ntwo.example\n")
    ranked = pipeline(mxlookup(nsd, "-q"), b"1,one.example\r\n2 , two.example\r\n")
    assert (ranked.status, ranked.stderr) == (0, b"")
    assert ranked.stdout == plain.stdout and plain.stdout


def test_columns_after_a_tab_go_with_every_line_of_the_domain_through_the_pipe(nsd, tmp_path):
    domains = b"one.example\trank 1\tnews\ntwo.example\t2\nnx.example\t3\tgone\n"
    done = pipeline(f"{mxlookup(nsd, '-q --failed failed')} | smtpprobe -q | mtaguess",
                    domains, cwd=tmp_path)
    assert (done.status, done.stderr) == (0, b""), done
    # 192.0.2.0/24 is on smtpprobe's built-in blocklist: excluded, never probed.
    assert sorted(done.lines) == sorted([
        b"excluded\t192.0.2.1\texcluded\t\tmx1.example\tone.example\t10\trank 1\tnews",
        b"excluded\t192.0.2.2\texcluded\t\tmx2.example\ttwo.example\t10\t2",
    ])
    assert (tmp_path / "failed").read_bytes() == b"nx.example\tnxdomain\t3\tgone\n"


def test_a_column_with_a_control_byte_is_passed_on_escaped(nsd):
    done = pipeline(mxlookup(nsd, "-q"), b"one.example\tbell\x07 \xff\n")
    assert done.lines == [b"192.0.2.1\tmx1.example\tone.example\t10\tbell\\x07 \\xff"]


NOT_DOMAINS = [
    (b"https://example.net/", "a URL, not a domain name: give its host alone, example.net"),
    (b"http://user@[2001:db8::1]:8080/x", "a URL, not a domain name: give its host alone, "
                                          "[2001:db8::1]"),
    (b"postmaster@example.net", "an e-mail address, not a domain name: give the domain "
                                "after the @, example.net"),
    (b"example.net:25", "a host and port, not a domain name: give the host alone, "
                        "example.net; mxlookup finds the port-25 servers of a domain"),
    (b"[2001:db8::1]:25", "a host and port, not a domain name: give the host alone, "
                          "[2001:db8::1]; mxlookup finds the port-25 servers of a domain"),
    (b"example.net/mail", "a path or a URL without its scheme, not a domain name: "
                          "give the host alone"),
    (b"1,example.net,extra", "a line of CSV that is not RANK,DOMAIN: give the domains alone, "
                             "one a line (as cut -d, -f2 does)"),
]


def test_what_only_looks_like_a_domain_is_named_and_never_asked_about(nsd):
    lines = b"".join(line + b"\n" for line, _ in NOT_DOMAINS)
    with WatchingRelay((nsd.address, nsd.port)) as relay:
        done = run("mxlookup", ["--server", relay.spec, "-q"], lines)
        assert relay.ports == []  # no query at all
        done_with_one = run("mxlookup", ["--server", relay.spec, "-q"],
                            lines + b"one.example\n")
    assert done.status == cli.EXIT_BAD_INPUT
    assert done.errors == [f"mxlookup: stdin:{n}: {message}"
                           for n, (_, message) in enumerate(NOT_DOMAINS, 1)]
    assert done_with_one.lines == [b"192.0.2.1\tmx1.example\tone.example\t10"]


# Addresses that are not --------------------------------------------------------

ADDRESSES = [
    (b"256.1.1.1", "not an IP address: '256.1.1.1'"),
    (b"1.2.3", "not an IP address: '1.2.3'"),
    (b"1.2.3.4.5", "not an IP address: '1.2.3.4.5'"),
    (b"300.01.1.1", "not an IP address: '300.01.1.1'"),
    (b"010.1.1.1", "IPv4 address with leading zeros is ambiguous: '010.1.1.1'"),
    (b"1.2.3.04", "IPv4 address with leading zeros is ambiguous: '1.2.3.04'"),
    (b"2001:db8::g", "not an IP address: '2001:db8::g'"),
]


def test_a_malformed_address_is_named_for_what_it_is_in_input_and_skip_files(tmp_path):
    lines = b"".join(text + b"\n" for text, _ in ADDRESSES)
    done = run("smtpprobe", ["-q"], lines)
    assert done.status == cli.EXIT_BAD_INPUT
    assert done.errors == [f"smtpprobe: stdin:{n}: {message}"
                           for n, (_, message) in enumerate(ADDRESSES, 1)]
    for text, message in ADDRESSES:
        (tmp_path / "earlier").write_bytes(text + b"\texcluded\t\n")
        done = run("smtpprobe", ["-q", "--skip", tmp_path / "earlier"], b"192.0.2.1\n")
        assert done.status == cli.EXIT_FATAL
        assert done.errors == [f"smtpprobe: {tmp_path}/earlier:1: not a line of smtpprobe's "
                               f"output: {message}"]


@pytest.mark.parametrize("text, why", [
    (b"256.1.1.1", "not an address or CIDR block"),
    (b"256.1.1.0/24", "not an address or CIDR block"),
    (b"192.0.2.0/33", "not an address or CIDR block"),
    (b"192.0.02.0/24", "IPv4 address with leading zeros is ambiguous"),
])
def test_a_malformed_exclusion_is_named_for_what_it_is(tmp_path, text, why):
    (tmp_path / "exclusions").write_bytes(b"# ours\n" + text + b"  # asked\n")
    done = subprocess.run([BIN / "smtpprobe", "--exclude", "exclusions"], input=b"192.0.2.1\n",
                          capture_output=True, cwd=tmp_path, timeout=60)
    assert done.returncode == cli.EXIT_FATAL
    assert done.stderr.decode() == f"smtpprobe: exclusions:2: {why}: '{text.decode()}'\n"


LINE_PIECES = st.lists(st.sampled_from(
    [b"example", b".", b"net", b",", b"1", b" ", b"\t", b"\r", b"@", b":", b"25", b"/", b"#",
     b"https://", b"[", b"]", b"\x00", b"\xff", b"xn--", b"\\"]), max_size=12).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(LINE_PIECES)
def test_a_line_is_a_domain_with_printable_columns_or_a_named_reason(line):
    try:
        name, columns = domainline.split(line)
        parsed = lookup.parse_domain(name)
    except (domainline.NotADomain, lookup.BadName) as why:
        assert str(why) and str(why).isprintable()
        return
    assert columns == b"" or (columns.startswith(b"\t")
                              and all(0x20 <= byte < 0x7f or byte == 9 for byte in columns))
    if parsed is not None:
        assert not any(char in parsed[1] for char in "@/,") and "://" not in parsed[1]
