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
import tempfile
import termios
import time

import pytest
from hypothesis import given, settings, strategies as st

from mxsurvey import cli, fieldcount, tally
from programs import BIN, CHECKOUT, pipeline, run, run_inprocess
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
        b"Reasons for connection failures:\n"
        b"      3  25.0% timed out\n"
        b"      1   8.3% connection refused\n"
        b"\n"
        b"Server software tallies:\n"
        b"      5  62.5% sendmail\n"
        b"      2  25.0% qmail\n"
        b"      1  12.5% IMail\n")


def test_an_empty_input_still_has_both_headings():
    result = run_inprocess("tally", ["-p"], b"")
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == (b"0 addresses\n0 successful connections\n\n"
                             b"Reasons for connection failures:\n\n"
                             b"Server software tallies:\n")


def test_malformed_lines_are_named_skipped_and_make_exit_1():
    lines = (b"sendmail\t10.0.0.1\tok\t220 hi\n"
             b"sendmail\t10.0.0.2\n"            # fewer than 3 fields
             b"\n"                              # empty
             b"\t10.0.0.3\tok\t220 hi\n"        # empty label
             b"qmail\t10.0.0.4\tOK\t220 hi\n"   # statuses are lower case
             b"qmail\t10.0.0.5\tok\r\n"         # a CR is part of the status
             b"timed out\t10.0.0.6\ttimeout\t\n"
             b"sendmail\t10.0.0.7\tok")         # a last line without LF
    result = run_inprocess("tally", [], lines)
    assert result.status == 1
    assert result.errors == [
        "tally: stdin:2: fewer than 3 fields",
        "tally: stdin:3: fewer than 3 fields",
        "tally: stdin:4: empty label",
        'tally: stdin:5: unknown status "OK"',
        'tally: stdin:6: unknown status "ok\\r"',
    ]
    assert result.lines == [
        b"3 addresses", b"2 successful connections", b"",
        b"Reasons for connection failures:", b"      1 timed out", b"",
        b"Server software tallies:", b"      2 sendmail"]


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


@pytest.mark.timeout(60)
def test_no_line_is_too_long(tmp_path):
    """Unlike mtaguess, tally takes lines longer than cli.MAX_LINE, in each
    of the ways it reads them."""
    long = b"x" * (cli.MAX_LINE + 1)
    (tmp_path / "guesses").write_bytes(b"sendmail\t10.0.0.1\tok\t" + long + b"\n"
                                       + long + b"\t10.0.0.2\tok\thi\n")
    result = pipeline("tally guesses | tally --merge && tally --counts guesses | tally --merge",
                      cwd=tmp_path)
    assert (result.status, result.stderr) == (0, b"")
    assert result.lines == [
        b"2 addresses", b"2 successful connections", b"", b"Reasons for connection failures:",
        b"", b"Server software tallies:", b"      1 " + long, b"      1 sendmail",
        b"      1 " + long, b"      1 sendmail"]


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


def test_a_missing_file_is_named_and_the_others_are_counted(tmp_path):
    (tmp_path / "a").write_bytes(b"x\ty\n")
    result = run_inprocess("tally", ["--counts", str(tmp_path / "missing"), str(tmp_path / "a")])
    assert result.status == 1
    assert result.errors == [f"tally: cannot open {tmp_path / 'missing'}: No such file or directory"]
    assert result.stdout == b"      1 x\n"


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


@settings(max_examples=80, deadline=None)
@given(data=any_input, number=st.integers(1, 4), block_size=st.integers(1, 12),
       range_min=st.integers(1, 40), processes=st.integers(1, 4))
def test_counts_are_the_same_over_tiny_blocks_and_ranges_of_a_file(
        data, number, block_size, range_min, processes):
    # Blocks of a few bytes make lines longer than a block, which are cut
    # after the field counted; ranges of a few bytes make several helper
    # processes, and lines that straddle a range's nominal end.
    with tempfile.NamedTemporaryFile(prefix="tally-") as file, tally_settings(
            BLOCK_SIZE=block_size, RANGE_MIN=range_min, PROCESSES=processes):
        file.write(data)
        file.flush()
        result = run_inprocess("tally", ["--counts", "--field", str(number), file.name])
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == coreutils_counts(data, number)


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
    assert tally.rows(counted) == b"123456789 many\n10000000 some\n      1 few\n"


def test_counts_percentages_are_of_all_lines():
    result = run_inprocess("tally", ["--counts", "-p"], b"a\tx\nb\nb\tz\n\n")
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
