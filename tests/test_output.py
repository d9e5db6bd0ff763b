"""What the four programs write when writing fails or a signal stops them,
as real processes: a full disk is one line on stderr, and an interrupted
write into a pipe whose reader is slow, or takes nothing, leaves whole
lines only (output.py)."""

import concurrent.futures
import os
import random
import signal
import subprocess
import time

import pytest

from mxsurvey import cli
from nameserver import NameServer
from programs import BIN, check_whole_lines, end, full_output, run, start_into_pipe

pytestmark = pytest.mark.timeout(300)

ZONE = "\n".join([
    "$ORIGIN example.",
    "$TTL 3600",
    "@ SOA ns.example. hostmaster.example. 1 3600 600 86400 300",
    "@ NS ns.example.",
    "ns A 192.0.2.53",
    "mx A 192.0.2.25",
    "* MX 10 mx",  # every other name of the zone has mx for its exchanger
]) + "\n"


@pytest.fixture(scope="module")
def nsd():
    with NameServer({"example": ZONE}) as server:
        yield server


def commands(nsd):
    """Each program with options that give a line for each input line, and
    no summary; smtpprobe in a network namespace of its own, though every
    address it is given is excluded and none is connected to."""
    return {
        "mxlookup": [BIN / "mxlookup", "--quiet", "--all", "--server", nsd.spec],
        "smtpprobe": ["unshare", "-n", BIN / "smtpprobe", "--quiet"],
        "mtaguess": [BIN / "mtaguess"],
        "tally": [BIN / "tally"],
        "tally --counts": [BIN / "tally", "--counts"],
    }


def input_lines(program, count):
    """`count` input lines for which `program` writes a line each (for
    tally, a row each: every label a different one)."""
    if program == "mxlookup":
        return b"".join(b"d%d.example\n" % number for number in range(count))
    if program == "smtpprobe":  # 10.0.0.0/8 is excluded by default
        return b"".join(b"10.%d.%d.%d\n" % (n >> 16, n >> 8 & 255, n & 255) for n in range(count))
    if program == "mtaguess":
        return b"".join(b"10.0.%d.%d\ttimeout\t\n" % (n >> 8, n & 255) for n in range(count))
    return b"".join(b"label %d\t10.0.0.1\tok\t220 hi\n" % number for number in range(count))


# A full disk ------------------------------------------------------------------

NO_SPACE = "cannot write stdout: No space left on device"


def full_disk(command, stdin=b""):
    with open("/dev/full", "wb") as full:
        done = subprocess.run(command, input=stdin, stdout=full, stderr=subprocess.PIPE,
                              timeout=60)
    return done.returncode, done.stderr.decode()


@pytest.mark.parametrize("program", ["mxlookup", "smtpprobe", "mtaguess", "tally",
                                     "tally --counts"])
def test_output_to_a_full_disk_is_one_line(nsd, program):
    command = commands(nsd)[program]
    name = program.split()[0]
    assert full_disk(command, input_lines(program, 3)) == (cli.EXIT_FATAL, f"{name}: {NO_SPACE}\n")


@pytest.mark.parametrize("option", ["--help", "--version"])
@pytest.mark.parametrize("program", ["mxlookup", "smtpprobe", "mtaguess", "tally"])
def test_help_and_version_to_a_full_disk_are_one_line(program, option):
    assert full_disk([BIN / program, option]) == (cli.EXIT_FATAL, f"{program}: {NO_SPACE}\n")


def test_other_outputs_to_a_full_disk_are_one_line():
    assert full_disk([BIN / "mtaguess", "--awk"]) == (cli.EXIT_FATAL, f"mtaguess: {NO_SPACE}\n")
    report = full_output([BIN / "tally"], input_lines("tally", 3))
    assert full_disk([BIN / "tally", "--merge"], report) == (cli.EXIT_FATAL, f"tally: {NO_SPACE}\n")


def test_mxlookup_failed_file_on_a_full_disk_is_one_line(nsd, tmp_path):
    # A name outside the zone: NSD refuses it, and the domain goes to --failed.
    done = run("mxlookup", ["--server", nsd.spec, "--failed", "/dev/full", "--quiet"],
               b"one.example\nnowhere.invalid\n")
    assert (done.status, done.errors) == (
        cli.EXIT_FATAL, ["mxlookup: cannot write /dev/full: No space left on device"])


# Interrupted writes -------------------------------------------------------------

def interrupted(command, stdin, rng, slow_reader):
    """(status, output, stderr) of `command` reading the file `stdin` and
    writing into a pipe whose reader is slow, or takes nothing, sent SIGINT
    at a moment chosen by `rng` once it has begun writing; the pipe is then
    read to its end."""
    process, read_end = start_into_pipe(command, stdin, rng.choice([4096, 16384, 65536]))
    received = bytearray()
    try:
        until = time.monotonic() + rng.uniform(0, 0.15)
        while time.monotonic() < until:
            if slow_reader:
                piece = os.read(read_end, rng.randint(1, 8192))
                if not piece:
                    break
                received += piece
            time.sleep(rng.uniform(0, 0.002))
        process.send_signal(signal.SIGINT)
        while piece := os.read(read_end, 1 << 16):
            received += piece
        status = process.wait(timeout=60)
        said = process.stderr.read()
    finally:
        end(process, read_end)
    return status, bytes(received), said


# Runs of each program, and the input lines of each run: each stays
# interrupted, not finished, until the reader has taken its pipe full.
RUNS = {"mtaguess": (80, 40000), "tally --counts": (50, 100000), "tally": (20, 100000),
        "mxlookup": (25, 20000), "smtpprobe": (25, 40000)}


@pytest.mark.parametrize("program", sorted(RUNS))
def test_an_interrupted_write_ends_on_a_whole_line(nsd, tmp_path, program):
    command = commands(nsd)[program]
    runs, lines = RUNS[program]
    stdin = tmp_path / "input"
    data = input_lines(program, lines)
    if program.startswith("tally"):
        data = full_output([BIN / "mtaguess"], input_lines("mtaguess", 10)) + data
    stdin.write_bytes(data)
    full = full_output(command, data)
    assert full.count(b"\n") >= lines
    seeds = [random.randrange(1 << 32) for _ in range(runs)]

    def one(seed):
        rng = random.Random(seed)
        return seed, interrupted(command, stdin, rng, slow_reader=rng.random() < 0.5)

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        for seed, (status, output, said) in pool.map(one, seeds):
            check_whole_lines(status, output, said, full, f"seed {seed}")


@pytest.mark.parametrize("program", ["mtaguess", "tally --counts", "mxlookup"])
def test_a_second_signal_stops_a_write_the_reader_never_takes(nsd, tmp_path, program):
    stdin = tmp_path / "input"
    stdin.write_bytes(input_lines(program, 20000))
    process, read_end = start_into_pipe(commands(nsd)[program], stdin, 4096)
    try:
        wait_in_write(process.pid)  # the pipe is full
        process.send_signal(signal.SIGINT)
        time.sleep(0.3)
        assert process.poll() is None, "it did not wait for the reader"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 130
        assert process.stderr.read() == b""
    finally:
        end(process, read_end)


def wait_in_write(pid, timeout=30):
    """Return once the process waits in a write into a pipe."""
    deadline = time.monotonic() + timeout
    while "pipe_write" not in open(f"/proc/{pid}/wchan").read():
        assert time.monotonic() < deadline, "it never waited in a write"
        time.sleep(0.01)
