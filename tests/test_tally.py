"""tally: the report against the table of 1998, and --counts against the
real `cut -f N | LC_ALL=C sort | LC_ALL=C uniq -c | LC_ALL=C sort -rn`."""

import contextlib
import shutil
import fcntl
import os
import random
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

import pytest
from hypothesis import given, settings, strategies as st

from mxsurvey import __version__, cli, fieldcount, tally, tallyfiles
from programs import BIN, CHECKOUT, Result, pipeline, run, run_inprocess
from programs import every_bad_line_shown
from tally_inputs import coreutils_counts, mtaguess_lines, table_rows
from world.survey1998 import FAILURES_1998, SOFTWARE_1998


MAN_PAGE = CHECKOUT / "man" / "tally.1"


@contextlib.contextmanager
def tally_settings(**values):
    """Set tally's block and range sizes for a while, to reach its edge
    cases (a line longer than a block, ranges of a few bytes) on small inputs."""
    saved = {name: getattr(fieldcount, name) for name in values}
    for name, value in values.items():
        setattr(fieldcount, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(fieldcount, name, value)


# The report ------------------------------------------------------------------

REPORT_1998 = ("20310 addresses\n18441 successful connections\n\n"
               "Reasons for connection failures:\n" + FAILURES_1998 +
               "\nServer software tallies:\n" + SOFTWARE_1998).encode()


@pytest.fixture(scope="module")
def lines_1998():
    return mtaguess_lines(table_rows(FAILURES_1998), table_rows(SOFTWARE_1998))


def test_the_report_of_the_1998_lines_is_the_1998_table(lines_1998):
    result = run_inprocess("tally", [], lines_1998)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == REPORT_1998


@pytest.mark.timeout(60)
def test_the_report_as_a_real_process_at_the_end_of_a_pipe(lines_1998, tmp_path):
    (tmp_path / "guesses").write_bytes(lines_1998)
    result = pipeline("cat guesses | tally", cwd=tmp_path)
    assert (result.status, result.stdout, result.stderr) == (0, REPORT_1998, b"")


def test_report_percentages_are_of_addresses_and_of_connections():
    lines = mtaguess_lines([(3, "timed out"), (1, "connection refused")],
                           [(5, "sendmail"), (2, "qmail"), (1, "IMail")])
    result = run_inprocess("tally", ["--percent"], lines)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == (
        b"12 addresses\n"
        b"8 successful connections\n"
        b"\n"
        b"Reasons for connection failures (% of addresses):\n"
        b"      3  25.0% timed out\n"
        b"      1   8.3% connection refused\n"
        b"\n"
        b"Server software tallies (% of successful connections):\n"
        b"      5  62.5% sendmail\n"
        b"      2  25.0% qmail\n"
        b"      1  12.5% IMail\n")


@pytest.mark.parametrize("command", [
    "tally < /dev/null", "true | tally", "tally --percent empty", "tally empty - < empty"])
def test_no_input_lines_is_a_fatal_stop_and_no_report(tmp_path, command):
    (tmp_path / "empty").write_bytes(b"")
    result = pipeline(command, cwd=tmp_path)
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors[-1] == "tally: no input lines, so no report"


def test_a_missing_input_file_is_a_fatal_stop_and_no_report(tmp_path):
    result = pipeline("tally missing", cwd=tmp_path)
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == ["tally: cannot open missing: No such file or directory"]


def test_lines_none_of_which_is_counted_are_a_fatal_stop():
    result = pipeline("yes 'not a guess' | head -3 | tally")
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == [f"tally: stdin:{n}: fewer than 3 fields" for n in (1, 2, 3)] + [
        "tally: no mtaguess line among the 3 input lines, so no report"]


PROBE_LINE = b"192.0.2.1\tok\t220 mx.example.net ESMTP\\r\\n\tmx.example.net\texample.net\t10"


@pytest.mark.parametrize("written, what", [
    (PROBE_LINE, "smtpprobe's output (ADDRESS STATUS TRANSCRIPT); pipe it through mtaguess first"),
    (b"192.0.2.1\tmx.example.net\texample.net\t10",
     "mxlookup's output (ADDRESS MXHOST DOMAIN PREFERENCE); "
     "pipe it through smtpprobe | mtaguess first"),
    (b"192.0.2.1", "a list of addresses (ADDRESS), smtpprobe's input; "
                   "pipe it through smtpprobe | mtaguess first"),
    (b"example.net", "a list of domains (DOMAIN), mxlookup's input; "
                     "pipe it through mxlookup | smtpprobe | mtaguess first"),
    (b"12 addresses", "tally's report; read it with tally --merge"),
])
def test_another_stages_output_is_named_once_and_stops_the_run(tmp_path, written, what):
    (tmp_path / "lines").write_bytes((written + b"\n") * 50000)
    result = pipeline("cat lines | tally", cwd=tmp_path)
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == [f"tally: stdin:1: this is {what}"]


def test_smtpprobes_real_output_is_recognised(tmp_path):
    """What smtpprobe writes for an address where nothing listens."""
    result = pipeline("printf '127.0.0.1\\n' | smtpprobe --port 9 --quiet | tally")
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == ["tally: stdin:1: this is smtpprobe's output (ADDRESS STATUS "
                             "TRANSCRIPT); pipe it through mtaguess first"]


def test_bad_lines_past_the_first_ten_are_counted_in_one_line(lines_1998, tmp_path):
    (tmp_path / "guesses").write_bytes(lines_1998 + b"broken\n" * 12345)
    result = pipeline("cat guesses | tally", cwd=tmp_path)
    assert (result.status, result.stdout) == (1, REPORT_1998)
    first = lines_1998.count(b"\n") + 1
    assert result.errors == [f"tally: stdin:{n}: fewer than 3 fields"
                             for n in range(first, first + 10)] + [
        "tally: 12335 more bad lines not shown"]


def test_one_bad_line_past_the_tenth_is_one_line():
    result = run_inprocess("tally", [], b"x\n" * 11 + b"qmail\t192.0.2.1\tok\t220\n")
    assert result.status == 1
    assert result.errors[-1] == "tally: 1 more bad line not shown"


def test_malformed_lines_are_named_skipped_and_make_exit_1():
    lines = (b"sendmail\t10.0.0.1\tok\t220 hi\n"
             b"sendmail\t10.0.0.2\n"            # fewer than 3 fields
             b"\n"                              # empty
             b"\t10.0.0.3\tok\t220 hi\n"        # empty label
             b"qmail\t10.0.0.4\tOK\t220 hi\n"   # statuses are lower case
             b"qmail\t10.0.0.5\tOK\r\n"         # a CRLF line end is dropped
             b"timed out\t10.0.0.6\ttimeout\t\n"
             b"sendmail\t10.0.0.7\tok")         # a last line without LF
    result = run_inprocess("tally", [], lines)
    assert result.status == 1
    assert result.errors == [
        "tally: stdin:2: fewer than 3 fields",
        "tally: stdin:3: fewer than 3 fields",
        "tally: stdin:4: empty label",
        'tally: stdin:5: unknown status "OK"',
        'tally: stdin:6: unknown status "OK"',
    ]
    assert result.lines == [
        b"3 addresses", b"2 successful connections", b"",
        b"Reasons for connection failures:", b"      1 timed out", b"",
        b"Server software tallies:", b"      2 sendmail"]


def test_a_label_that_does_not_go_with_its_status_is_named():
    """As mtaguess labels them: a failure by its reason, which no server
    software is; so a report read back shows a row in the wrong section."""
    lines = (b"timed out\t10.0.0.1\ttimeout\t\\[timeout]\n"
             b"sendmail\t10.0.0.2\ttimeout\t\\[timeout]\n"
             b"connection refused\t10.0.0.3\ttimeout\t\n"
             b"timed out\t10.0.0.4\tok\t220 hi\n"
             b"excluded\t10.0.0.5\texcluded\t\n"
             b"sendmail\t10.0.0.6\tok\t220 hi\n")
    result = run_inprocess("tally", [], lines)
    assert result.status == 1
    assert result.errors == [
        'tally: stdin:2: the label of status timeout is "timed out", not "sendmail"',
        'tally: stdin:3: the label of status timeout is "timed out", not "connection refused"',
        'tally: stdin:4: the label "timed out" names a failure, but the status is ok']
    assert result.lines == [
        b"3 addresses", b"1 successful connections", b"", b"Reasons for connection failures:",
        b"      1 timed out", b"      1 excluded", b"", b"Server software tallies:",
        b"      1 sendmail"]


def test_line_numbers_run_on_across_blocks_and_restart_in_each_file(tmp_path):
    good = b"sendmail\t10.0.0.1\tok\t220 hi\n"
    (tmp_path / "one").write_bytes(good * 40 + b"bad\n" + good * 3)
    (tmp_path / "two").write_bytes(b"bad\n" + good)
    with tally_settings(BLOCK_SIZE=7):
        result = run_inprocess("tally", [str(tmp_path / "one"), str(tmp_path / "two")])
    assert result.status == 1
    assert result.errors == [f"tally: {tmp_path / 'one'}:41: fewer than 3 fields",
                             f"tally: {tmp_path / 'two'}:1: fewer than 3 fields"]
    assert result.lines[:2] == [b"44 addresses", b"44 successful connections"]


def test_a_long_transcript_is_counted_like_any_other():
    transcript = b"220 " + b"x" * (3 * fieldcount.BLOCK_SIZE)
    lines = b"sendmail\t10.0.0.1\tok\t" + transcript + b"\nqmail\t10.0.0.2\tok\thi\n"
    result = run_inprocess("tally", [], lines)
    assert (result.status, result.stderr) == (0, b"")
    assert result.lines[-2:] == [b"      1 sendmail", b"      1 qmail"]


def test_a_line_is_held_up_to_the_end_of_its_status(tmp_path):
    """A long transcript is no matter; a line whose first three fields do
    not end within cli.MAX_LINE bytes is named and skipped, in the report
    and in a report merged: tally writes no row it cannot read back."""
    limit = cli.MAX_LINE
    label = b"x" * (limit - len(b"\t10.0.0.2\tok"))  # STATUS ends at the limit
    (tmp_path / "guesses").write_bytes(
        b"sendmail\t10.0.0.1\tok\t" + b"y" * 3 * limit + b"\n"
        + label + b"\t10.0.0.2\tok\thi\n"
        + b"x" + label + b"\t10.0.0.3\tok\thi\n"
        + b"z" * 3 * limit + b"\n"
        + b"qmail\t10.0.0.5\tok\thi")
    result = pipeline("tally guesses > report; status=$?; tally --merge report && exit $status",
                      cwd=tmp_path)
    assert result.status == 1
    assert result.errors == [
        f"tally: guesses:{lineno}: field 3 does not end within the first {limit} bytes of the line"
        for lineno in (3, 4)]
    assert result.lines == [
        b"3 addresses", b"3 successful connections", b"", b"Reasons for connection failures:",
        b"", b"Server software tallies:", b"      1 " + label, b"      1 sendmail",
        b"      1 qmail"]


def test_a_line_is_held_up_to_the_end_of_the_field_counted(tmp_path):
    limit = cli.MAX_LINE
    (tmp_path / "lines").write_bytes(
        b"a\t" + b"y" * 3 * limit + b"\n"             # field 2 too long
        + b"b" * (limit - 2) + b"\tz\n"                # field 2 ends at the limit
        + b"c" * limit + b"\n"                         # field 2 is the whole line
        + b"d" * (limit + 1) + b"\n"                   # too long
        + b"e\t" + b"\t" * limit + b"\n"               # field 2 empty, far from the end
        + b"\t" + b"f" * limit + b"\tz")                 # field 2 ends just past the limit
    result = pipeline("tally --counts --field 2 lines > rows; status=$?; "
                      "tally --merge rows && exit $status", cwd=tmp_path)
    assert result.status == 1
    assert result.errors == [
        f"tally: lines:{lineno}: field 2 does not end within the first {limit} bytes of the line"
        for lineno in (1, 4, 6)]
    assert result.lines == [b"      1 z", b"      1 " + b"c" * limit, b"      1 "]


# Runs a command and writes its peak resident memory, in KiB, to a file: it
# and its helper processes, once they are waited for; and not the memory of
# the process that started it, which a child of pytest itself would count.
MEASURED = ("import resource, subprocess, sys; status = subprocess.call(sys.argv[2:]); "
            "usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "open(sys.argv[1], 'w').write(str(usage.ru_maxrss)); sys.exit(status)")


def run_measured(argv, stdin_command, cwd):
    """Run bin/tally as a real process, its stdin the output of a shell
    command: its Result, and the peak resident memory in MiB of it and of
    any helper processes it had."""
    feeder = subprocess.Popen(["bash", "-c", stdin_command], stdout=subprocess.PIPE, cwd=cwd)
    completed = subprocess.run([sys.executable, "-c", MEASURED, cwd / "peak", BIN / "tally", *argv],
                               stdin=feeder.stdout, capture_output=True, cwd=cwd, timeout=240)
    feeder.stdout.close()
    feeder.wait(timeout=60)
    peak = int((cwd / "peak").read_text()) / 1024
    return Result(completed.returncode, completed.stdout, completed.stderr), peak


LONG = "head -c 200M /dev/zero"  # a line of 200 MB: no LF, no TAB
TOO_LONG_FOR_MERGE = f"a line longer than {tallyfiles.MAX_ROW} bytes, longer than any row tally writes"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("argv, before, after, error, output", [
    ([], r"a\t.\tok\n", r"\nb\t.\tok\n",
     f"stdin:2: field 3 does not end within the first {cli.MAX_LINE} bytes of the line",
     b"      1 b\n      1 a\n"),
    (["--counts", "--field", "2"], r"a\tb\na\t", r"\na\tb\n",
     f"stdin:2: field 2 does not end within the first {cli.MAX_LINE} bytes of the line",
     b"      2 b\n"),
    (["--merge"], r"      1 a\n", r"\n      2 a\n", f"stdin:2: {TOO_LONG_FOR_MERGE}",
     b"      3 a\n"),
    (["--diff", "/dev/null", "-"], r"      1 a\n", "", f"stdin:2: {TOO_LONG_FOR_MERGE}",
     b"      0       1      +1 a\n"),
])
def test_a_line_of_200_mb_is_named_and_never_held(tmp_path, argv, before, after, error, output):
    result, peak = run_measured(argv, f"printf '{before}'; {LONG}; printf '{after}'", tmp_path)
    assert (result.status, result.errors) == (1, [f"tally: {error}"])
    assert result.stdout.endswith(output)
    assert peak < 100, f"tally held {peak:.0f} MiB"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("argv", [["--merge"], ["--merge", "--percent"], ["--diff", "-", "-"],
                                  [], ["--counts"]])
def test_endless_zeros_end_in_a_named_error_in_little_memory(tmp_path, argv):
    result, peak = run_measured(argv, LONG, tmp_path)
    # Nothing counted: no report, a fatal stop; the other outputs are empty.
    nothing_counted = argv[:1] in ([], ["--merge"])
    assert result.status == (cli.EXIT_FATAL if nothing_counted else cli.EXIT_BAD_INPUT)
    assert result.errors[0].startswith("tally: stdin:1: ")
    assert peak < 100, f"tally held {peak:.0f} MiB"


@pytest.mark.timeout(300)
def test_long_lines_in_a_large_file_counted_in_parts(tmp_path):
    """Lines of 60 MB in a file large enough to be counted by several
    processes: each named by its number in the whole file, none held."""
    path = tmp_path / "long"
    with open(path, "wb") as file:
        for _ in range(4):
            file.write(b"short\n" + b"x" * 60_000_000 + b"\n")
    assert path.stat().st_size > 2 * fieldcount.RANGE_MIN
    result, peak = run_measured(["--counts", "long", "-"], "true", tmp_path)
    assert result.errors == [
        f"tally: long:{lineno}: field 1 does not end within the first {cli.MAX_LINE} bytes "
        f"of the line" for lineno in (2, 4, 6, 8)]
    assert (result.status, result.stdout) == (1, b"      4 short\n")
    assert peak < 100, f"tally held {peak:.0f} MiB"


def test_several_files_and_stdin_are_counted_together(tmp_path):
    (tmp_path / "a").write_bytes(mtaguess_lines([(2, "timed out")], [(3, "sendmail")]))
    (tmp_path / "b").write_bytes(mtaguess_lines([], [(4, "qmail")]))
    stdin = mtaguess_lines([(1, "connection refused")], [(1, "sendmail")])
    result = run_inprocess("tally", [str(tmp_path / "a"), "-", str(tmp_path / "b")], stdin)
    assert (result.status, result.stderr) == (0, b"")
    assert result.lines == [
        b"11 addresses", b"8 successful connections", b"",
        b"Reasons for connection failures:", b"      2 timed out",
        b"      1 connection refused", b"",
        b"Server software tallies:", b"      4 sendmail", b"      4 qmail"]


def test_a_missing_file_stops_the_run_before_the_others_are_counted(tmp_path):
    (tmp_path / "a").write_bytes(b"x\ty\n")
    result = run_inprocess("tally", ["--counts", str(tmp_path / "a"), str(tmp_path / "missing")])
    assert result.status == cli.EXIT_FATAL
    assert result.errors == [f"tally: cannot open {tmp_path / 'missing'}: No such file or directory"]
    assert result.stdout == b""


# --counts: the same bytes as the coreutils pipeline ----------------------------

# Pieces that make lines and fields collide (so that counts and ties occur)
# and carry every byte that could trip a line reader.
PIECES = [b"a", b"b", b"ab", b"B", b" ", b"9", b"\x00", b"\r", b"\x7f", b"\x80", b"\xff",
          b"\xc3\xa9", b"\t", b"\t", b"\n", b"\n"]
pieces_input = st.lists(st.sampled_from(PIECES), max_size=80).map(b"".join)
field = st.lists(st.sampled_from(PIECES[:-4]), max_size=3).map(b"".join)
line = st.lists(field, min_size=1, max_size=5).map(b"\t".join)
lines_input = st.tuples(st.lists(line, max_size=30), st.booleans()).map(
    lambda drawn: b"\n".join(drawn[0]) + (b"\n" if drawn[1] else b""))
any_input = st.one_of(pieces_input, lines_input, st.binary(max_size=120))


@settings(max_examples=150, deadline=None)
@given(data=any_input, number=st.integers(1, 6))
def test_counts_are_the_bytes_coreutils_print(data, number):
    result = run_inprocess("tally", ["--counts", "--field", str(number)], data)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == coreutils_counts(data, number)


def held(line, number, limit):
    """Whether a line is held and counted: the line up to the end of its
    field `number` (the whole line, if it has fewer TABs) is no longer
    than `limit` bytes."""
    tabs = [n for n, byte in enumerate(line) if byte == ord("\t")]
    return (tabs[number - 1] if len(tabs) >= number else len(line)) <= limit


@settings(max_examples=150, deadline=None)
@given(data=any_input, number=st.integers(1, 4), block_size=st.integers(1, 12),
       max_held=st.integers(1, 130), range_min=st.integers(1, 40), processes=st.integers(1, 4),
       stdin=st.booleans())
def test_counts_are_the_same_over_tiny_blocks_and_ranges_of_a_file(
        data, number, block_size, max_held, range_min, processes, stdin):
    """Lines held only up to a few bytes: those whose field does not end
    within them are named, and coreutils counts the others.  Blocks of a
    few bytes make lines longer than a block, which are cut after the
    field counted; ranges of a few bytes make several helper processes, and
    lines that straddle a range's nominal end; from stdin, no ranges."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    kept = [line for line in lines if held(line, number, max_held)]
    with tempfile.NamedTemporaryFile(prefix="tally-") as file, tally_settings(
            BLOCK_SIZE=block_size, MAX_HELD=max_held, RANGE_MIN=range_min,
            PROCESSES=processes), every_bad_line_shown():
        file.write(data)
        file.flush()
        source = "stdin" if stdin else file.name
        result = run_inprocess("tally", ["--counts", "--field", str(number),
                                         *([] if stdin else [file.name])], data if stdin else b"")
    assert result.errors == [
        f"tally: {source}:{lineno}: field {number} does not end within the first {max_held} "
        f"bytes of the line"
        for lineno, line in enumerate(lines, 1) if not held(line, number, max_held)]
    assert result.status == (1 if len(kept) < len(lines) else 0)
    assert result.stdout == coreutils_counts(b"".join(line + b"\n" for line in kept), number)


# mtaguess lines, some with fewer than three fields, of labels and rests
# made of the pieces above (TABs in the rest only).
guessed_line = st.one_of(
    st.tuples(st.sampled_from([b"sendmail", b"a b", b"\xff"]), st.just(b"ok"), field),
    st.tuples(st.just(b"timed out"), st.just(b"timeout"), field),
    st.tuples(field.filter(bool), st.none(), st.none()),
).map(lambda drawn: drawn[0] if drawn[1] is None
      else drawn[0] + b"\t10.0.0.1\t" + drawn[1] + b"\t" + drawn[2])
guessed_lines = st.lists(st.tuples(guessed_line, st.lists(st.sampled_from(PIECES[:-2]),
                                                          max_size=6).map(b"".join)),
                         max_size=20).map(lambda drawn: [line + rest for line, rest in drawn])


@settings(max_examples=80, deadline=None)
@given(lines=guessed_lines, block_size=st.integers(1, 12), max_held=st.integers(1, 40))
def test_the_report_holds_lines_up_to_their_status(lines, block_size, max_held):
    """The report of lines held only up to a few bytes is the report of the
    lines whose first three fields end within them; the others are named."""
    lines = [line for line in lines if line.split(b"\t", 1)[0]]  # no empty label
    with tally_settings(BLOCK_SIZE=block_size, MAX_HELD=max_held), every_bad_line_shown():
        result = run_inprocess("tally", [], b"".join(line + b"\n" for line in lines))
    kept = [line for line in lines if held(line, 3, max_held)]
    expected = run_inprocess("tally", [], b"".join(line + b"\n" for line in kept))
    assert [error for error in result.errors if "does not end" in error] == [
        f"tally: stdin:{lineno}: field 3 does not end within the first {max_held} "
        f"bytes of the line"
        for lineno, line in enumerate(lines, 1) if not held(line, 3, max_held)]
    assert result.stdout == expected.stdout
    fatal = expected.status == cli.EXIT_FATAL  # nothing counted
    assert result.status == (cli.EXIT_BAD_INPUT if len(kept) < len(lines) and not fatal
                             else expected.status)


def test_counts_of_many_widths_and_ties():
    rng = random.Random(7)
    labels = [f"label{n}".encode() for n in range(300)]
    counts = {label: rng.choice([1, 2, 9, 10, 99, 100, 999, 1000, 4321]) for label in labels}
    lines = [label + b"\t" + str(n).encode() for label in labels for n in range(counts[label])]
    rng.shuffle(lines)
    data = b"\n".join(lines)
    result = run_inprocess("tally", ["--counts"], data)
    assert result.stdout == coreutils_counts(data)


def test_counts_wider_than_seven_columns_widen_as_uniq_does():
    counted = {b"many": 123456789, b"few": 1, b"some": 10000000}
    assert tallyfiles.rows(counted) == b"123456789 many\n10000000 some\n      1 few\n"


def test_counts_percentages_are_of_all_lines():
    result = run_inprocess("tally", ["--counts", "--percent"], b"a\tx\nb\nb\tz\n\n")
    assert result.stdout == b"      2  50.0% b\n      1  25.0% a\n      1  25.0% \n"


@pytest.mark.timeout(120)
def test_a_large_file_counted_in_ranges_is_what_coreutils_prints(tmp_path):
    data = mtaguess_lines(table_rows(FAILURES_1998), table_rows(SOFTWARE_1998)) * 12
    assert len(data) > 2 * fieldcount.RANGE_MIN
    path = tmp_path / "guesses"
    path.write_bytes(data)
    expected = coreutils_counts(data, 1)
    with tally_settings(PROCESSES=3):
        inprocess = run_inprocess("tally", ["--counts", str(path)])
    assert (inprocess.status, inprocess.stdout, inprocess.stderr) == (0, expected, b"")
    # As a real process, reading the file as its stdin.
    result = pipeline("tally --counts < guesses", cwd=tmp_path)
    assert (result.status, result.stdout, result.stderr) == (0, expected, b"")


def test_counts_as_a_real_process_in_a_pipe():
    data = b"b\t1\na\t2\nb\t3\n\xff\n"
    result = pipeline("cut -f1,2 | tally --counts --field 2 | head -2", stdin=data)
    assert (result.status, result.stdout, result.stderr) == (0, b"      1 \xff\n      1 3\n", b"")
    assert coreutils_counts(data, 2).startswith(result.stdout)


@pytest.mark.parametrize("argv", [
    ["--counts", "--field", "0"], ["--counts", "--field", "x"],
    ["--counts", "--field", str(fieldcount.MAX_FIELD + 1)], ["--field", "2"], ["--bogus"]])
def test_bad_command_lines_exit_2(argv):
    result = run("tally", argv)
    assert result.status == 2
    assert result.stdout == b""
    assert result.errors[0].startswith("tally: ")


# Signals and broken pipes ------------------------------------------------------

@pytest.mark.timeout(60)
def test_quiet_when_the_reader_goes_away(tmp_path):
    # Far more output than a pipe holds, so that the write meets a closed pipe.
    (tmp_path / "many").write_bytes(b"".join(b"label%d\tx\n" % n for n in range(50000)))
    result = pipeline("tally --counts many | head -1", cwd=tmp_path)
    assert (result.status, result.stderr) == (141, b"")
    assert result.stdout == b"      1 label9999\n"


def unread(pipe):
    """The bytes written to a pipe that its reader has not read yet."""
    return struct.unpack("i", fcntl.ioctl(pipe.fileno(), termios.FIONREAD, b"\0" * 4))[0]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_quiet_when_interrupted_while_reading(signum, status):
    process = subprocess.Popen([BIN / "tally"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(b"sendmail\t10.0.0.1\tok\t220 hi\n")
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while unread(process.stdin) and time.monotonic() < deadline:
        time.sleep(0.01)  # once the line is read, tally is counting and waits for more
    process.send_signal(signum)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, out, err) == (status, b"", b"")


def helper_processes(pid):
    """The child processes of a tally process, once it runs as Python (its
    executable may first be a shell script that finds the interpreter)."""
    try:
        if "python" not in os.path.basename(os.readlink(f"/proc/{pid}/exe")):
            return []
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(child) for child in listing.read().split()]
    except FileNotFoundError:
        return []


@pytest.mark.timeout(120)
def test_ctrl_c_stops_the_helper_processes_quietly(tmp_path):
    path = tmp_path / "big"
    path.write_bytes((b"qmail\t" + b"y" * 94 + b"\n") * 1_000_000)
    # A terminal sends Ctrl-C to the whole process group.
    process = subprocess.Popen([BIN / "tally", "--counts", path], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    helpers = []
    while not helpers and process.poll() is None:
        helpers = helper_processes(process.pid)
        time.sleep(0.002)
    if not helpers:
        process.communicate()
        pytest.skip("the count ended before its helper processes could be seen")
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, out, err) == (130, b"", b"")
    for helper in helpers:
        assert not os.path.exists(f"/proc/{helper}"), "a helper process outlived tally"


@pytest.mark.skipif(not shutil.which("groff"), reason="groff is not installed")
def test_the_man_page_synopsis_is_the_usage_text():
    rendered = subprocess.run(["groff", "-man", "-Tascii", "-P-cbou", str(MAN_PAGE)],
                              capture_output=True, text=True, check=True).stdout
    synopsis = rendered.split("\nSYNOPSIS\n", 1)[1].split("\n\n", 1)[0]
    usage = tally.USAGE.split("Usage:\n", 1)[1].split("\n\n", 1)[0]
    assert [line.strip() for line in synopsis.splitlines()] == [
        line.strip() for line in usage.splitlines()]


# --counts of several fields: the same bytes as cut -f LIST ---------------------

field_lists = st.lists(st.integers(1, 6), min_size=2, max_size=4).map(
    lambda numbers: ",".join(map(str, numbers)))


@settings(max_examples=150, deadline=None)
@given(data=any_input,
       fields=st.one_of(field_lists, st.sampled_from(["1,2", "2-4", "1,3-5", "3,1", "2,2"])))
def test_counts_of_several_fields_are_the_bytes_coreutils_print(data, fields):
    result = run_inprocess("tally", ["--counts", "--field", fields], data)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == coreutils_counts(data, fields)


@settings(max_examples=60, deadline=None)
@given(data=any_input, fields=field_lists, block_size=st.integers(1, 12))
def test_counts_of_several_fields_over_tiny_blocks_and_ranges_of_a_file(data, fields, block_size):
    with tempfile.NamedTemporaryFile(prefix="tally-") as file, tally_settings(
            BLOCK_SIZE=block_size, RANGE_MIN=1, PROCESSES=3):
        file.write(data)
        file.flush()
        result = run_inprocess("tally", ["--counts", "--field", fields, file.name])
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == coreutils_counts(data, fields)


def test_counts_of_pairs_as_a_real_process_against_cut(tmp_path):
    """Pairs with missing fields: a line without a TAB, one with only field 1."""
    data = b"192.0.2.1\tok\tx\n192.0.2.1\tok\ty\nlonely\n192.0.2.2\t\n192.0.2.2\n192.0.2.1\tok\n"
    (tmp_path / "lines").write_bytes(data)
    ours = pipeline("tally --counts --field 1,2 < lines", cwd=tmp_path)
    theirs = pipeline("cut -f1,2 < lines | LC_ALL=C sort | LC_ALL=C uniq -c | LC_ALL=C sort -rn",
                      cwd=tmp_path)
    assert (ours.status, ours.stderr) == (0, b"")
    assert ours.stdout == theirs.stdout
    assert b"      3 192.0.2.1\tok\n" in ours.stdout


@pytest.mark.parametrize("fields", ["0", "1,0", "x", "1,,2", "3-1", "-2", "2-", "1-9999"])
def test_a_field_list_cut_would_refuse_or_tally_cannot_hold_is_a_usage_error(fields):
    result = run("tally", ["--counts", "--field", fields])
    assert (result.status, result.stdout) == (2, b"")
    assert result.errors[0] == (
        f"tally: --field takes a field number from 1 to {fieldcount.MAX_FIELD}, or a list of "
        f"them as cut -f takes it (1,2 or 1-3), not {fields!r}")


# Another system's copies: CRLF line ends and a byte order mark -------------------

@pytest.mark.timeout(60)
def test_a_crlf_copy_of_mtaguess_lines_is_counted_as_the_original(lines_1998, tmp_path):
    (tmp_path / "guesses").write_bytes(lines_1998)
    result = pipeline("sed 's/$/\\r/' guesses | tally", cwd=tmp_path)
    assert (result.status, result.stdout, result.stderr) == (0, REPORT_1998, b"")
    result = pipeline("{ printf '\\357\\273\\277'; sed 's/$/\\r/' guesses; } | tally --percent",
                      cwd=tmp_path)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == run_inprocess("tally", ["--percent"], lines_1998).stdout


def test_a_byte_order_mark_alone_is_no_input_lines():
    result = run_inprocess("tally", [], cli.BOM)
    assert (result.status, result.errors) == (cli.EXIT_FATAL, ["tally: no input lines, so no report"])


@pytest.mark.timeout(60)
@pytest.mark.parametrize("options", [[], ["--percent"],
                                     ["--stamp", "--labels-from", "patterns.awk"]])
def test_a_crlf_copy_of_a_report_merges_and_diffs_as_the_original(lines_1998, tmp_path, options):
    (tmp_path / "guesses").write_bytes(lines_1998)
    assert pipeline(f"tally {' '.join(options)} guesses > month", cwd=tmp_path).status == 0
    result = pipeline("sed 's/$/\\r/' month > month.crlf && { printf '\\357\\273\\277'; "
                      "cat month.crlf; } > month.bom && tally --merge month.crlf month.bom",
                      cwd=tmp_path)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == pipeline("tally --merge month month", cwd=tmp_path).stdout
    result = pipeline("tally --diff month.crlf month", cwd=tmp_path)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == pipeline("tally --diff month month", cwd=tmp_path).stdout


def test_rows_of_counts_keep_a_cr_that_ends_a_label():
    """cut keeps the CR of a CRLF line, so --counts does, and --merge reads it back."""
    rows = run_inprocess("tally", ["--counts"], b"a\r\na\r\nb\n").stdout
    assert rows == coreutils_counts(b"a\r\na\r\nb\n")
    assert run_inprocess("tally", ["--merge"], rows).stdout == rows


# Stamps: what made a report -----------------------------------------------------

def sha256(path):
    return subprocess.run(["sha256sum", path], capture_output=True, check=True,
                          text=True).stdout.split()[0]


@pytest.mark.timeout(60)
def test_a_stamped_report_names_tally_the_time_and_the_pattern_lists(lines_1998, tmp_path):
    (tmp_path / "guesses").write_bytes(lines_1998)
    (tmp_path / "mine.awk").write_bytes(b"/qmail/ qmail\n")
    result = pipeline("SOURCE_DATE_EPOCH=1796612400 tally --labels-from patterns-2026.awk "
                      "--labels-from mine.awk guesses", cwd=tmp_path)
    assert (result.status, result.stderr) == (0, b"")
    shipped = CHECKOUT / "patterns-2026.awk"
    assert result.stdout == (
        f"# made by tally {__version__} on 2026-12-07T03:00:00Z\n"
        f"# labels: patterns-2026.awk sha256:{sha256(shipped)}\n"
        f"# labels: mine.awk sha256:{sha256(tmp_path / 'mine.awk')}\n").encode() + REPORT_1998
    stamp_only = pipeline("SOURCE_DATE_EPOCH=0 tally --stamp guesses", cwd=tmp_path)
    assert stamp_only.stdout == (f"# made by tally {__version__} on 1970-01-01T00:00:00Z\n"
                                 .encode() + REPORT_1998)


def test_a_pattern_list_that_cannot_be_read_stops_the_run(lines_1998, tmp_path):
    result = run("tally", ["--labels-from", str(tmp_path / "missing.awk")], lines_1998)
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == [
        f"tally: cannot read {tmp_path / 'missing.awk'}: No such file or directory"]


@pytest.mark.timeout(60)
def test_merge_keeps_what_the_stamps_agree_on_and_warns_of_different_lists(lines_1998, tmp_path):
    (tmp_path / "guesses").write_bytes(lines_1998)
    script = ("tally --labels-from patterns.awk guesses > a && "
              "tally --labels-from patterns.awk guesses > b && "
              "tally --labels-from patterns-2026.awk guesses > c && tally guesses > plain")
    assert pipeline(script, cwd=tmp_path).status == 0
    labels = f"# labels: patterns.awk sha256:{sha256(CHECKOUT / 'patterns.awk')}\n".encode()
    twice = pipeline("tally --merge a b", cwd=tmp_path).stdout
    agreed = pipeline("SOURCE_DATE_EPOCH=0 tally --merge --stamp a b", cwd=tmp_path)
    assert (agreed.status, agreed.stderr) == (0, b"")
    assert agreed.stdout == (f"# made by tally {__version__} on 1970-01-01T00:00:00Z\n"
                             .encode() + labels + twice)
    # A report without a stamp does not say its list: none is kept.
    unsaid = pipeline("SOURCE_DATE_EPOCH=0 tally --merge --stamp a plain", cwd=tmp_path)
    assert (unsaid.status, unsaid.stderr) == (0, b"")
    assert unsaid.stdout == (f"# made by tally {__version__} on 1970-01-01T00:00:00Z\n"
                             .encode() + twice)
    mixed = pipeline("SOURCE_DATE_EPOCH=0 tally --merge --stamp a c", cwd=tmp_path)
    assert mixed.status == 0 and labels not in mixed.stdout
    assert mixed.errors == [
        f"tally: a was labelled with patterns.awk (sha256:{sha256(CHECKOUT / 'patterns.awk')[:12]}"
        f"...) and c with patterns-2026.awk (sha256:{sha256(CHECKOUT / 'patterns-2026.awk')[:12]}"
        f"...); the sum mixes two pattern lists"]


@pytest.mark.timeout(60)
def test_diff_warns_when_two_months_were_labelled_with_different_lists(lines_1998, tmp_path):
    (tmp_path / "guesses").write_bytes(lines_1998)
    script = ("tally --labels-from patterns.awk guesses > may && "
              "tally --labels-from patterns-2026.awk guesses > june && tally guesses > plain")
    assert pipeline(script, cwd=tmp_path).status == 0
    expected = pipeline("tally --diff plain plain", cwd=tmp_path).stdout
    result = pipeline("tally --diff may june", cwd=tmp_path)
    assert (result.status, result.stdout) == (0, expected)
    assert len(result.errors) == 1
    assert result.errors[0].startswith("tally: may was labelled with patterns.awk (sha256:")
    assert result.errors[0].endswith(
        "; a change of pattern list is not a change of software")
    for same in ["may may", "may plain", "plain june"]:
        result = pipeline(f"tally --diff {same}", cwd=tmp_path)
        assert (result.status, result.stdout, result.stderr) == (0, expected, b"")


def test_concatenated_stamped_reports_merge_as_the_reports():
    lines = mtaguess_lines([(2, "timed out")], [(3, "sendmail")])
    plain = run_inprocess("tally", [], lines).stdout
    stamped = run_inprocess("tally", ["--stamp"], lines).stdout
    result = run_inprocess("tally", ["--merge"], stamped + stamped + plain)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == run_inprocess("tally", ["--merge"], plain * 3).stdout


# The command line ----------------------------------------------------------------

@pytest.mark.parametrize("argv, complaint", [
    (["--bogus"], "unknown option --bogus"),
    (["--field", "2"], "--field goes only with --counts"),
    (["--counts", "--merge"], "--counts and --merge do not go together"),
    (["--merge", "--diff", "a", "b"], "--merge and --diff do not go together"),
    (["--merge", "--field", "2"], "--field does not go with --merge"),
    (["--diff", "--percent", "a", "b"], "--percent does not go with --diff"),
    (["--merge", "--labels-from", "x"], "--labels-from does not go with --merge"),
    (["--diff", "a"], "--diff goes as --diff OLD NEW"),
    (["--counts", "--field"], "--field requires argument"),
])
def test_a_wrong_command_line_is_named_then_the_usage(argv, complaint):
    result = run("tally", argv)
    assert (result.status, result.stdout) == (2, b"")
    assert result.errors[0] == f"tally: usage error: {complaint}; the usage is:"
    assert "\n".join(result.errors[1:]) + "\n" == cli.usage_lines(tally.USAGE)


def test_help_fits_80_columns_and_says_what_tally_reads_and_writes():
    result = run("tally", ["--help"])
    assert (result.status, result.stderr) == (0, b"")
    assert max(map(len, result.stdout.decode().splitlines())) <= 79
    assert b"Reads mtaguess lines" in result.stdout and b"writes the report" in result.stdout
