"""mtaguess as a program: its lines in and out, its errors and exit statuses,
in-process and as a real process in a pipe."""

import io
import os
import signal
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import survey_lines
from awk_judge import regexes, texts
from mxsurvey import cli, guess, patterns, record
from programs import BIN, every_bad_line_shown, pipeline, run, run_inprocess
from scripted_smtp import Farm, say_and_close

SENDMAIL = (b"220 mx.example.net ESMTP Sendmail 8.8.8/8.8.8; Mon, 11 May 1998\\r\\n"
            b"214-This is Sendmail version 8.8.8\\r\\n214-\\tHELO\\tEHLO\\r\\n"
            b"214 End of HELP info\\r\\n")
QMAIL = b"220 mx.example.net ESMTP\\r\\n214 qmail home page: http://pobox.com/~djb/qmail.html\\r\\n"
NOBODY = b"220 mx.example.net ready\\r\\n502 unknown command\\r\\n"
POSTFIX = (b"220 mx.example.net ESMTP Postfix (Debian/GNU)\\r\\n"
           b"502 5.5.2 Error: command not recognized\\r\\n")


def probe(status, transcript=b"", *more):
    return b"\t".join([b"192.0.2.7", status, transcript, *more])


def feed(*lines):
    return b"".join(line + b"\n" for line in lines)


def test_each_line_comes_back_with_its_label_in_front():
    lines = [probe(b"ok", SENDMAIL, b"mx.example.net", b"example.net", b"10"),
             probe(b"ok", QMAIL), probe(b"ok", NOBODY), probe(b"ok"),
             probe(b"timeout"), probe(b"refused"), probe(b"hostunreach"),
             probe(b"netunreach"), probe(b"disconnect", b"\\[closed]"), probe(b"error", b"x")]
    done = run_inprocess("mtaguess", [], feed(*lines))
    assert (done.status, done.stderr) == (0, b"")
    labels = [b"sendmail", b"qmail", b"not sure", b"not sure", b"timed out",
              b"connection refused", b"host unreachable", b"network unreachable",
              b"immediate disconnect", b"other error"]
    assert done.lines == [label + b"\t" + line for label, line in zip(labels, lines)]


def test_explain_puts_the_place_of_the_pattern_second():
    shipped = guess.default_patterns()
    lines = [probe(b"ok", QMAIL), probe(b"ok", NOBODY), probe(b"timeout")]
    done = run_inprocess("mtaguess", ["--explain"], feed(*lines))
    line_of_qmail = next(p.lineno for p in patterns.read_files([shipped])
                         if p.regex == b"http:..pobox.com.~djb.qmail.html")
    assert done.lines == [f"qmail\t{shipped}:{line_of_qmail}\t".encode() + lines[0],
                          b"not sure\t-\t" + lines[1], b"timed out\t-\t" + lines[2]]


def test_explain_escapes_the_name_of_the_pattern_file_as_a_field(tmp_path):
    path = tmp_path / os.fsdecode(b"tab\there\nnew line\\ \x1b[1m \xff.awk")
    path.write_bytes(b"/qmail/ qmail\n")
    done = run_inprocess("mtaguess", ["--explain", "-f", str(path)], feed(probe(b"ok", QMAIL)))
    assert (done.status, done.stderr) == (0, b"")
    assert done.lines == [b"qmail\t" + record.escape(os.fsencode(path)) + b":1\t"
                          + probe(b"ok", QMAIL)]
    assert record.unescape(done.lines[0].split(b"\t")[1]) == (os.fsencode(path) + b":1", ())


def test_pattern_files_are_read_in_order_as_one_list(tmp_path):
    (tmp_path / "mine.awk").write_text("# local additions\n/ESMTP Sendmail/ my sendmail\n")
    (tmp_path / "other.awk").write_text("/Sendmail/ other\n/ready/ ready\n")
    args = ["-f", f"{tmp_path}/mine.awk", "--patterns", f"{tmp_path}/other.awk", "--explain"]
    done = run_inprocess("mtaguess", args, feed(probe(b"ok", SENDMAIL), probe(b"ok", NOBODY)))
    assert [line.split(b"\t")[:2] for line in done.lines] == [
        [b"my sendmail", f"{tmp_path}/mine.awk:2".encode()],
        [b"ready", f"{tmp_path}/other.awk:2".encode()]]


class Untouchable(io.BytesIO):
    def read(self, *args):
        raise AssertionError("input was read")

    read1 = readline = read


@pytest.mark.parametrize("content, message", [
    (b"/ok/ fine\n/unterminated\n", "bad.awk:2: the regex has no closing /"),
    (b"/ok/ fine\n\n/a(/ x\n", "bad.awk:3: invalid regex: unmatched ( at byte 2"),
    (b"/ok/\n", "bad.awk:1: no label after the regex"),
    (b"/caf\xe9/ x\n", "bad.awk:1: not UTF-8: byte 0xe9 at column 5"),
    (b"/a/ x\n/(/ y\n", "bad.awk:2: invalid regex: unmatched ( at byte 1"),
    (b"/a/ x\n/a\n", "bad.awk:2: the regex has no closing /"),
    (b"/a/ x\n/b/ \n", "bad.awk:2: no label after the regex"),
    (b"/a/ x\n/b/ \xff\n", "bad.awk:2: not UTF-8: byte 0xff at column 5"),
    (b"/a/ x\n/\\/ y\n", "bad.awk:2: the regex has no closing /"),
])
def test_a_bad_pattern_file_stops_the_run_before_any_input_is_read(tmp_path, content, message):
    (tmp_path / "bad.awk").write_bytes(content)
    out, err = io.BytesIO(), io.BytesIO()
    status = guess.main(["-f", guess.default_patterns(), "-f", f"{tmp_path}/bad.awk"],
                        Untouchable(), out, err)
    assert (status, out.getvalue()) == (cli.EXIT_FATAL, b"")
    assert err.getvalue().decode() == f"mtaguess: {tmp_path}/{message}\n"


def test_a_missing_pattern_file_is_fatal(tmp_path):
    done = run_inprocess("mtaguess", ["-f", f"{tmp_path}/none.awk"], feed(probe(b"timeout")))
    assert (done.status, done.stdout) == (cli.EXIT_FATAL, b"")
    assert done.errors == [f"mtaguess: cannot read {tmp_path}/none.awk: No such file or directory"]


def first_fields(done):
    return [line.split(b"\t")[:2] for line in done.lines]


def test_a_pattern_file_named_without_a_slash_is_found_beside_the_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    beside = os.path.join(os.path.dirname(guess.default_patterns()), "patterns-2026.awk")
    line_of_postfix = next(p.lineno for p in patterns.read_files([beside])
                           if p.regex == b" ESMTP ([Pp]ost[Ff]ix)")
    done = run_inprocess("mtaguess", ["-f", "patterns-2026.awk", "--explain"],
                         feed(probe(b"ok", POSTFIX)))
    assert (done.status, done.stderr) == (0, b"")
    assert first_fields(done) == [[b"Postfix", f"{beside}:{line_of_postfix}".encode()]]


def test_a_pattern_file_in_the_current_directory_comes_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "patterns-2026.awk").write_text("/ESMTP/ mine\n")
    done = run_inprocess("mtaguess", ["-f", "patterns-2026.awk", "--explain"],
                         feed(probe(b"ok", POSTFIX)))
    assert first_fields(done) == [[b"mine", b"patterns-2026.awk:1"]]


@pytest.mark.parametrize("name", ["./patterns-2026.awk", "nosuch.awk"])
def test_a_pattern_file_found_nowhere_is_named_as_given(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)  # a name with a slash is not looked for elsewhere
    done = run_inprocess("mtaguess", ["-f", name], feed(probe(b"ok", POSTFIX)))
    assert (done.status, done.stdout) == (cli.EXIT_FATAL, b"")
    assert done.errors == [f"mtaguess: cannot read {name}: No such file or directory"]


def test_bad_input_lines_are_named_and_skipped_and_the_rest_labelled():
    lines = [probe(b"ok", QMAIL), b"192.0.2.1\tok", b"", probe(b"maybe", QMAIL),
             probe(b"ok", b"220 x\\q"), probe(b"ok", b"220 \x01raw"), probe(b"timeout", b"\\"),
             probe(b"refused")]
    done = run_inprocess("mtaguess", [], feed(*lines))
    assert done.status == 1
    assert done.lines == [b"qmail\t" + lines[0], b"connection refused\t" + lines[-1]]
    assert done.errors == [
        "mtaguess: stdin:2: fewer than 3 fields",
        "mtaguess: stdin:3: fewer than 3 fields",
        "mtaguess: stdin:4: unknown status 'maybe'",
        "mtaguess: stdin:5: transcript: bad escape \\q at byte 6",
        "mtaguess: stdin:6: transcript: raw control byte 0x01 at byte 5",
        "mtaguess: stdin:7: transcript: lone backslash at byte 1",
    ]


def test_every_field_of_a_line_is_checked_not_only_the_transcript():
    lines = [probe(b"ok", QMAIL, b"mx\x1b]0;owned\x07", b"example.net"),
             b"192.0.2.7\x1b[2J\tok\t" + QMAIL,
             b"sendmail\tok\t" + QMAIL,
             b"2001:DB8::7\ttimeout\t",
             b"192.000.002.007\ttimeout\t",
             probe(b"ok", QMAIL, b"mx", b"1\r0"),
             probe(b"refused", b"", b"\x00"),
             probe(b"ok", QMAIL, b"\xff"),
             b"2001:db8::7\tok\t" + QMAIL + b"\tmx\\032.example.net",
             probe(b"refused")]
    done = run_inprocess("mtaguess", [], feed(*lines))
    assert done.status == 1
    assert done.lines == [b"qmail\t" + lines[-2], b"connection refused\t" + lines[-1]]
    assert done.errors == [
        "mtaguess: stdin:1: field 4: raw control byte 0x1b at byte 3",
        "mtaguess: stdin:2: address '192.0.2.7\\x1b[2J' is not one as smtpprobe writes it",
        "mtaguess: stdin:3: address 'sendmail' is not one as smtpprobe writes it",
        "mtaguess: stdin:4: address '2001:DB8::7' is not one as smtpprobe writes it",
        "mtaguess: stdin:5: address '192.000.002.007' is not one as smtpprobe writes it",
        "mtaguess: stdin:6: field 5: raw control byte 0x0d at byte 2",
        "mtaguess: stdin:7: field 4: raw control byte 0x00 at byte 1",
        "mtaguess: stdin:8: field 4: raw byte 0xff at byte 1",
    ]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("dialogue", [[], ["--ehlo", "survey.example"]], ids=["1998", "today"])
def test_every_line_smtpprobe_writes_is_taken_by_mtaguess(dialogue):
    # Addresses on smtpprobe's built-in blocklist, in the spellings it reads,
    # and other fields with bytes of every kind: nothing is probed, and each
    # address comes out once, `excluded`, as smtpprobe writes it.
    spellings = [b"192.0.2.1", b"2001:DB8::1", b"2001:0db8:0000:0000:0000:0000:0000:0002",
                 b"::ffff:192.0.2.3", b"2001:db8:0:0:1:0:0:1", b"127.0.0.1", b"0:0::1"]
    others = [b"\tmx\x1b[2J\x00\xff.example\r", b"\t\t\x7f\\x\t", b"", b"\tmx\\.a\t10"]
    lines = [address + others[n % len(others)] for n, address in enumerate(spellings)]
    done = pipeline(f"smtpprobe --quiet {' '.join(dialogue)} | mtaguess", feed(*lines))
    assert (done.status, done.stderr) == (0, b"")
    assert sorted(line.split(b"\t")[1] for line in done.lines) == sorted([
        b"192.0.2.1", b"2001:db8::1", b"2001:db8::2", b"192.0.2.3", b"2001:db8::1:0:0:1",
        b"127.0.0.1", b"::1"])
    assert {tuple(line.split(b"\t")[0:4:2]) for line in done.lines} == {(b"excluded", b"excluded")}


@pytest.mark.timeout(60)
def test_a_raw_control_byte_is_named_as_raw_not_as_its_escape():
    done = pipeline(r"printf '127.0.0.1\tok\t220 Sendmail\r ESMTP\n127.0.0.1\tok\t220 x\\q\n' | mtaguess")
    assert (done.status, done.stdout) == (cli.EXIT_BAD_INPUT, b"")
    assert done.errors == ["mtaguess: stdin:1: transcript: raw control byte 0x0d at byte 13",
                           "mtaguess: stdin:2: transcript: bad escape \\q at byte 6"]


def test_files_are_read_in_order_and_a_missing_one_stops_the_run_before_any(tmp_path):
    (tmp_path / "a").write_bytes(feed(probe(b"ok", QMAIL)))
    (tmp_path / "b").write_bytes(feed(probe(b"timeout"), b"short"))
    done = run("mtaguess", [tmp_path / "a", tmp_path / "b"])
    assert done.status == cli.EXIT_BAD_INPUT
    assert [line.split(b"\t")[0] for line in done.lines] == [b"qmail", b"timed out"]
    assert done.errors == [f"mtaguess: {tmp_path}/b:2: fewer than 3 fields"]
    done = run("mtaguess", [tmp_path / "a", tmp_path / "missing", tmp_path / "b"])
    assert (done.status, done.stdout) == (cli.EXIT_FATAL, b"")
    assert done.errors == [f"mtaguess: cannot open {tmp_path}/missing: No such file or directory"]


@pytest.mark.parametrize("transcript, text", [
    (b"220 mx Exim\\r\\n", b"220 mx Exim"),                 # the common form
    (b"220 mx Exim\\n214 help\\n", b"220 mx Exim 214 help"),  # bare LFs
    (b"220 mx Ex\\x69m\\r\\n", b"220 mx Exim"),              # a byte in hex
    (b"220 mx E\\r\\rxim\\r\\n\\[cut]", b"220 mx Exim"),      # stray CRs, a note
    (b"220 mx Exim\\r\\n\\r\\n", b"220 mx Exim "),           # an empty last line
    (b"220 \\xe9 Exim\\\\\\r\\n", b"220 \xe9 Exim\\"),       # 8 bits, a backslash
    (b"220 mx Exim\\r\\n\\[timeout]", b"220 mx Exim"),      # notes at the end
    (b"220 mx Exim\\r\\n\\[cut]\\[closed]", b"220 mx Exim"),
    (b"220 mx Exim \\\\[cut]", b"220 mx Exim \\[cut]"),    # not a note
])
def test_every_form_of_a_transcript_is_matched_as_its_joined_text(tmp_path, transcript, text):
    assert record.transcript_text(transcript) == text
    (tmp_path / "end.awk").write_bytes(
        b"/ Exim$/ Exim at the end\n/Exim/ Exim\n/ $/ space\n/\\[cut]$/ cut\n")
    expected = patterns.Matcher(patterns.read_files([str(tmp_path / "end.awk")])).first(text)
    done = run_inprocess("mtaguess", ["-f", f"{tmp_path}/end.awk"], feed(probe(b"ok", transcript)))
    label = [b"Exim at the end", b"Exim", b"space", b"cut", b"not sure"][
        -1 if expected is None else expected]
    assert done.lines == [label + b"\t" + probe(b"ok", transcript)]


NO_PATTERNS = patterns.Matcher([])
FIELD_TOKENS = [b"a", b" ", b"]", b"[cut]", b"n", b"r", b"\\\\", b"\\n", b"\\r\\n", b"\\r", b"\\t",
                b"\\x41", b"\\[cut]", b"\\[timeout]"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FIELD_TOKENS), max_size=12).map(b"".join))
def test_a_field_brought_to_the_common_form_keeps_its_text(field):
    nearest = record.toward_common_form(field)
    common = NO_PATTERNS.nothing in NO_PATTERNS.match_field(
        nearest.removesuffix(record.ESCAPED_LINE_END))
    if common:
        assert record.transcript_text(nearest) == record.transcript_text(field)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"a", b" ", b"]", b"[cut]", b"n", b"\\n", b"\\t"]), max_size=9),
       st.lists(st.sampled_from([b"\\[cut]", b"\\[timeout]", b"\\[closed]"]), max_size=2))
def test_a_field_with_notes_or_bare_line_feeds_is_brought_to_the_common_form(lines, notes):
    nearest = record.toward_common_form(b"".join(lines + notes))
    assert NO_PATTERNS.nothing in NO_PATTERNS.match_field(
        nearest.removesuffix(record.ESCAPED_LINE_END))


SHIPPED = patterns.Matcher(patterns.read_files([guess.default_patterns()]))
GOOD_TRANSCRIPTS = [SENDMAIL, QMAIL, NOBODY, b"", b"220 \\x00\\r\\n", b"220 IMail\\r\\n\\[cut]",
                    b"220 mx Exim\\n"] + [
    survey_lines.transcript(text) for _, text in survey_lines.examples()[::9]]


def expected_line(line):
    """The reference: one line, the plain way, or None for a bad one."""
    fields = line.split(b"\t")
    if len(fields) < 3 or fields[1].decode("latin-1") not in record.STATUSES:
        return None
    try:
        text = record.transcript_text(fields[2])
    except record.BadEscape:
        return None
    if fields[1] != b"ok":
        return record.failure_label(fields[1].decode()).encode() + b"\t" + line
    first = SHIPPED.first(text)
    label = patterns.NOT_SURE if first is None else SHIPPED.patterns[first].label
    return label.encode() + b"\t" + line


lines_drawn = st.one_of(
    st.builds(probe, st.just(b"ok"), st.sampled_from(GOOD_TRANSCRIPTS)),
    st.builds(probe, st.sampled_from([s.encode() for s in record.STATUSES]),
              st.sampled_from(GOOD_TRANSCRIPTS), st.sampled_from([b"mx", b""])),
    st.sampled_from([b"", b"only\tok", probe(b"OK", QMAIL), probe(b"ok", b"bad \\q"),
                     probe(b"ok", b"\xff"), probe(b"timeout", b"\\x4")]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines_drawn, max_size=40))
def test_a_chunk_is_labelled_as_line_by_line(lines):
    with every_bad_line_shown():
        done = run_inprocess("mtaguess", [], feed(*lines))
    expected = [expected_line(line) for line in lines]
    assert done.lines == [line for line in expected if line is not None]
    assert done.status == (1 if None in expected else 0)
    assert len(done.errors) == expected.count(None)


@pytest.mark.timeout(120)
def test_the_longest_line_smtpprobe_can_write_is_labelled():
    """A server that sends more than smtpprobe may record, every byte one
    that escaping makes four, for an input line as long as smtpprobe takes,
    its other fields all such bytes too: mtaguess labels the line."""
    with Farm() as farm:
        address = farm.serve(say_and_close(b"220 " + b"\x01" * (record.MAX_RECORDED + 10)))
        rest = b"\t" + b"\x01" * (cli.MAX_LINE - len(address) - 1)
        line = address.encode() + rest
        assert len(line) == cli.MAX_LINE
        probed = pipeline(
            f"smtpprobe --quiet --blocklist /dev/null --port {farm.port}"
            f" --max-bytes {record.MAX_RECORDED}", stdin=line + b"\n")
    assert probed.status == 0, probed.stderr
    [written] = probed.lines
    assert written.startswith(address.encode() + b"\tok\t220 \\x01")
    assert len(written) > 4 * (record.MAX_RECORDED + cli.MAX_LINE) - 100
    assert len(written) <= record.longest_probe_line(cli.MAX_LINE)
    labelled = pipeline("mtaguess", stdin=probed.stdout)
    assert (labelled.status, labelled.stderr) == (0, b"")
    assert labelled.stdout == b"not sure\t" + probed.stdout


def test_usage_errors_exit_2():
    done = run_inprocess("mtaguess", ["--nonsense"])
    assert done.status == 2 and done.stdout == b""
    assert done.errors[0] == "mtaguess: usage error: unknown option --nonsense; the usage is:"
    assert run_inprocess("mtaguess", ["--awk", "input-file"]).status == 2


def test_help_and_version():
    assert run_inprocess("mtaguess", ["--help"]).stdout.decode() == guess.USAGE
    done = run_inprocess("mtaguess", ["--version"])
    assert done.status == 0 and done.stdout.startswith(b"mtaguess ")


def test_awk_prints_a_program_that_gawk_runs_to_the_same_labels(tmp_path):
    program = run("mtaguess", ["--awk"]).stdout
    assert program.startswith(b"# ") and b"LC_ALL=C" in program
    texts = b"220 mx ESMTP Sendmail 8.8.8\n220 mx ready 502 unknown\n214 qmail home page: http:" \
            b"//pobox.com/~djb/qmail.html\n"
    (tmp_path / "guess.awk").write_bytes(program)
    awk = subprocess.run(["gawk", "-f", tmp_path / "guess.awk"], input=texts, capture_output=True,
                         env=dict(os.environ, LC_ALL="C"), check=True)
    assert awk.stdout == b"sendmail\nnot sure\nqmail\n"


@pytest.mark.parametrize("awk", ["gawk", "mawk"])
def test_awk_prints_a_program_that_every_awk_runs_to_the_same_labels(tmp_path, awk):
    # What the awks read each their own way: intervals, a leading operator,
    # empty alternatives and groups, a repetition of a repetition, \0, \52;
    # and a slash inside a bracket expression, from a file with CRLF line ends.
    (tmp_path / "odd.awk").write_bytes(
        b"/x{2}y/ two x\r\n/a{2,3}b/ a2to3\r\n/*star/ star\r\n/(+plus)/ plus\r\n"
        b"/|?q/ anything, q or not\r\n")
    (tmp_path / "more.awk").write_bytes(
        b"/^(|z)end$/ end\n/(zz)+?c/ c\n/n\\0l/ nul\n/\\52/ asterisk\n/[/]v/ slash\n")
    texts = [b"xxy", b"x{2}y", b"aaab", b"ab", b"*star", b"+plus", b"zend", b"end", b"c",
             b"n\0l", b"n", b"*", b"52", b"/v", b"v"]
    lines = feed(*[probe(b"ok", record.escape(text + b"\r\n")) for text in texts])
    files = ["-f", tmp_path / "more.awk"]
    ours = run("mtaguess", files, lines)
    assert (ours.status, ours.errors) == (0, [])
    program = run("mtaguess", ["--awk", *files]).stdout
    (tmp_path / "guess.awk").write_bytes(program)
    theirs = subprocess.run([awk, "-f", tmp_path / "guess.awk"], input=b"\n".join(texts) + b"\n",
                            capture_output=True, env=dict(os.environ, LC_ALL="C"))
    assert (theirs.returncode, theirs.stderr) == (0, b"")
    assert theirs.stdout.split(b"\n")[:-1] == [line.split(b"\t")[0] for line in ours.lines]
    assert [line.split(b"\t")[0] for line in ours.lines] == [b"not sure"] * 4 + [
        b"asterisk", b"not sure", b"end", b"end", b"c", b"nul", b"not sure", b"asterisk",
        b"not sure", b"slash", b"not sure"]
    files = ["-f", tmp_path / "odd.awk"] + files
    ours = run("mtaguess", files, lines)
    program = run("mtaguess", ["--awk", *files]).stdout
    (tmp_path / "guess.awk").write_bytes(program)
    theirs = subprocess.run([awk, "-f", tmp_path / "guess.awk"], input=b"\n".join(texts) + b"\n",
                            capture_output=True, env=dict(os.environ, LC_ALL="C"))
    assert (theirs.returncode, theirs.stderr) == (0, b"")
    anything = b"anything, q or not"
    assert [line.split(b"\t")[0] for line in ours.lines] == [
        b"two x", anything, b"a2to3", anything, b"star", b"plus"] + [anything] * 9
    assert theirs.stdout.split(b"\n")[:-1] == [line.split(b"\t")[0] for line in ours.lines]


def test_in_a_pipe_as_a_real_process():
    lines = feed(probe(b"ok", QMAIL), probe(b"refused"), probe(b"ok", SENDMAIL))
    done = pipeline("mtaguess | cut -f1,3", lines)
    assert (done.status, done.stdout, done.stderr) == (
        0, b"qmail\tok\nconnection refused\trefused\nsendmail\tok\n", b"")


def test_quiet_when_the_reader_goes_away(tmp_path):
    many = feed(*[probe(b"ok", SENDMAIL)] * 20000)
    (tmp_path / "probes").write_bytes(many)
    done = pipeline(f"mtaguess {tmp_path}/probes | head -1; echo ${{PIPESTATUS[0]}} >&2")
    assert done.stdout == b"sendmail\t" + probe(b"ok", SENDMAIL) + b"\n"
    assert done.stderr == b"141\n"


def test_a_line_comes_out_as_soon_as_it_is_in():
    process = subprocess.Popen([BIN / "mtaguess"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        for line, label in [(probe(b"ok", QMAIL), b"qmail"), (probe(b"timeout"), b"timed out")]:
            process.stdin.write(line + b"\n")
            process.stdin.flush()
            assert process.stdout.readline() == label + b"\t" + line + b"\n"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 143
    finally:
        process.kill()
        process.wait()


@pytest.mark.timeout(120)
def test_hostile_patterns_and_texts_stay_linear(tmp_path):
    (tmp_path / "hostile.awk").write_text(
        "/(a*)*b/ nested\n/(a|aa)*c/ alternatives\n/(.*)*x$/ dots\n/a{1000}q/ long\n")
    transcript = b"220 " + b"a" * 100_000 + b"\\r\\n"
    lines = feed(*[probe(b"ok", transcript)] * 20 + [probe(b"ok", b"220 aab\\r\\n")])
    done = run("mtaguess", ["-f", tmp_path / "hostile.awk",
                            "-f", guess.default_patterns()], lines, timeout=100)
    assert done.status == 0
    assert [line.split(b"\t")[0] for line in done.lines] == [b"not sure"] * 20 + [b"nested"]


# Whole lines matched as they stand (Matcher.match_line) against their
# joined texts, for regexes of every kind: anchors, and ends that could
# reach into the transcript's last line end.

LINE_TEXT_BYTES = [bytes([c]) for c in b"abcx    -.*]1\t,^$nrt"]
LINE_END_KINDS = [b"", record.ESCAPED_LINE_END, b"\\r\\n\\[cut]", b"\\n", b"\\x00\\r\\n"]
ENDING_ON_A_SPACE = [b"a ", b"x( )+", b"1[ b]", b"c.", b"t[^b]*", b"a( |$)"]


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.one_of(regexes().map(lambda drawn: drawn[0]), st.sampled_from(ENDING_ON_A_SPACE)),
                min_size=10, max_size=10),
       st.lists(st.tuples(st.sampled_from([b"ok", b"ok", b"ok", b"timeout", b"excluded"]),
                          texts(LINE_TEXT_BYTES, 10), st.sampled_from(LINE_END_KINDS),
                          st.lists(st.sampled_from([b"mx", b"", b"a b"]), max_size=2)),
                min_size=1, max_size=20),
       st.randoms())
def test_whole_lines_are_labelled_as_their_joined_texts(drawn, probes, rng):
    matcher = patterns.Matcher([patterns.pattern(regex, f"r{index}", "drawn", index)
                                for index, regex in enumerate(drawn)])
    labeller = guess.Labeller(matcher, explain=True)
    lines = []
    for status, text, end, more in probes:
        field = b"".join(record.ESCAPED_LINE_END if byte == 0x20 and rng.random() < 0.5
                         else record.escape(bytes([byte])) for byte in text) + end
        lines.append(probe(status, field, *more))
    judged = labeller.carefully(None, [("-", lineno, line) for lineno, line in enumerate(lines)])
    assert labeller.chunk(lines) == judged
