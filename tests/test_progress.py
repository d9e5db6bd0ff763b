"""The progress line of smtpprobe and mxlookup, on a real pseudo-terminal
(pty): shown on a terminal, never elsewhere unless asked for."""

import errno
import os
import pty
import re
import selectors
import subprocess
import time

import pytest

from mxsurvey import cli, progress
from nameserver import DroppingRelay, NameServer
from programs import BIN
from scripted_smtp import silent, smtp

pytestmark = pytest.mark.timeout(60)

CLEAR = b"\r\x1b[K"
PROBE = ["--connect-timeout", "2", "--read-timeout", "2", "--rate", "0",
         "--blocklist", "/dev/null"]


def on_terminal(argv, stdin):
    """Run argv with stderr on a pty; return (status, stdout, what the terminal got)."""
    master, slave = pty.openpty()
    process = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    if stdin == subprocess.PIPE:
        process.stdin.close()  # an empty pipe, but a pipe: no total
    seen = b""
    with selectors.DefaultSelector() as selector:
        selector.register(master, selectors.EVENT_READ)
        end = time.monotonic() + 40
        while time.monotonic() < end:
            if not selector.select(1):
                continue
            try:
                data = os.read(master, 65536)
            except OSError as error:  # EIO: the other side is closed
                assert error.errno == errno.EIO
                break
            if not data:
                break
            seen += data
    os.close(master)
    stdout = process.stdout.read()
    process.wait(10)
    process.stdout.close()
    return process.returncode, stdout, seen


def probe_input(farm, tmp_path):
    quick = [farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n")) for _ in range(6)]
    stuck = [farm.serve(silent) for _ in range(2)]  # keep the run going for 2 s
    path = tmp_path / "in"
    path.write_text("".join(f"{address}\n" for address in [*quick, "nonsense", *stuck]))
    return path


def test_smtpprobe_on_a_terminal_with_a_file(farm, tmp_path):
    path = probe_input(farm, tmp_path)
    with open(path, "rb") as stdin:
        status, stdout, seen = on_terminal([BIN / "smtpprobe", "-p", str(farm.port), *PROBE],
                                           stdin)
    assert status == 1  # the nonsense line
    assert len(stdout.splitlines()) == 8
    drawn = re.findall(rb"\r\x1b\[K(smtpprobe: \d+ of 9 lines [^\r]*)", seen)
    assert drawn[0] == b"smtpprobe: 0 of 9 lines (0%), 0 in flight, rate not yet known"
    assert any(re.fullmatch(rb"smtpprobe: [1-8] of 9 lines \(\d+%\), \d+ in flight, \d+/s, "
                            rb"about \d+ s left", line) for line in drawn), drawn
    # Another message clears the line first; the end clears it for the summary.
    assert CLEAR + b"smtpprobe: stdin:7: not an IP address: 'nonsense'\r\n" in seen
    assert re.search(rb"\r\x1b\[Ksmtpprobe: 8 probed: 6 ok, 2 timeout, [^\r\n]*\r\n$", seen)


def test_smtpprobe_on_a_terminal_with_a_pipe(farm):
    status, stdout, seen = on_terminal([BIN / "smtpprobe", "-p", str(farm.port), *PROBE],
                                       subprocess.PIPE)
    assert (status, stdout) == (0, b"")
    assert (CLEAR + b"smtpprobe: 0 lines, 0 in flight, rate not yet known; "
            b"no estimate: the input is not a regular file") in seen


def test_quiet_on_a_terminal_says_nothing(farm, tmp_path):
    with open(probe_input(farm, tmp_path), "rb") as stdin:
        status, stdout, seen = on_terminal(
            [BIN / "smtpprobe", "-p", str(farm.port), *PROBE, "--quiet"], stdin)
    assert seen == b"smtpprobe: stdin:7: not an IP address: 'nonsense'\r\n"
    assert len(stdout.splitlines()) == 8


@pytest.mark.parametrize("forced", [False, True], ids=["pipe", "--progress"])
def test_not_on_a_terminal_unless_asked(farm, tmp_path, forced):
    path = probe_input(farm, tmp_path)
    with open(path, "rb") as stdin:
        completed = subprocess.run(
            [BIN / "smtpprobe", "-p", str(farm.port), *PROBE, *(["--progress"] * forced)],
            stdin=stdin, capture_output=True, timeout=40)
    assert (CLEAR + b"smtpprobe: 0 of 9 lines") in completed.stderr if forced else (
        b"\x1b" not in completed.stderr and b"\r" not in completed.stderr)
    assert completed.stderr.endswith(b" s\n")  # the summary, last, on a line of its own


def test_an_overlong_line_counts_as_done(farm, tmp_path):
    # Named and skipped while a silent server keeps the run going for 2 s.
    path = tmp_path / "in"
    path.write_bytes(b"1" * (cli.MAX_LINE + 1) + f"\n{farm.serve(silent)}\n".encode())
    with open(path, "rb") as stdin:
        completed = subprocess.run(
            [BIN / "smtpprobe", "-p", str(farm.port), *PROBE, "--progress"],
            stdin=stdin, capture_output=True, timeout=40)
    assert completed.returncode == 1
    assert b"smtpprobe: stdin:1: line longer than" in completed.stderr
    assert re.search(rb"smtpprobe: 1 of 2 lines \(50%\), 1 in flight", completed.stderr)


def test_progress_and_quiet_contradict_each_other():
    completed = subprocess.run([BIN / "smtpprobe", "--progress", "--quiet"], input=b"",
                               capture_output=True, timeout=30)
    assert completed.returncode == 2
    assert completed.stderr.decode().splitlines()[0] == (
        "smtpprobe: --progress and --quiet contradict each other")


ZONE = "$ORIGIN example.\n$TTL 3600\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\n"


def test_mxlookup_on_a_terminal(tmp_path):
    # A name server that never answers the questions about the dead domains:
    # each of them ends in timeout, and the last one is answered at once.
    with NameServer({"example": ZONE}) as nsd, \
            DroppingRelay((nsd.address, nsd.port), "dead") as relay:
        path = tmp_path / "domains"
        path.write_text("dead1.example\n# a comment\ndead2.example\ndead3.example\n"
                        "nx.example\n")
        with open(path, "rb") as stdin:
            status, stdout, seen = on_terminal(
                [BIN / "mxlookup", "--server", relay.spec, "--timeout", "0.7", "--retries", "1"],
                stdin)
    assert (status, stdout) == (0, b"")
    assert CLEAR + b"mxlookup: 0 of 5 lines (0%), 0 in flight, rate not yet known" in seen
    assert re.search(rb"\r\x1b\[Kmxlookup: 1 of 5 lines \(20%\), 3 in flight, ", seen)
    assert re.search(rb"\r\x1b\[Kmxlookup: 4 domains: 0 found [^\r\n]*\r\n$", seen)


# The text ------------------------------------------------------------------

def test_the_text_of_the_line():
    assert progress.describe("p", 0, 10, 0, None) == "p: 0 of 10 lines (0%), 0 in flight, " \
                                                     "rate not yet known"
    assert progress.describe("p", 250, 1000, 20, 2.5) == (
        "p: 250 of 1000 lines (25%), 20 in flight, 2/s, about 5 min 00 s left")
    assert progress.describe("p", 5, 0, 0, 1.0) == "p: 5 of 0 lines (100%), 0 in flight, 1/s, " \
                                                  "about 0 s left"
    assert progress.describe("p", 7, None, 3, 1.5) == (
        "p: 7 lines, 3 in flight, 2/s; no estimate: the input is not a regular file")
    assert [progress.duration(s) for s in (19.4, 200, 7500)] == ["19 s", "3 min 20 s",
                                                                 "2 h 05 min"]
