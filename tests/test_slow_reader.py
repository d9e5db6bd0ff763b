"""smtpprobe with a reader that is slow, or stops reading for a while: what
servers said does not depend on it, and memory stays bounded.  Real
processes in real pipes, against scripted servers on loopback."""

import fcntl
import os
import signal
import subprocess
import time

import pytest

from mxsurvey import linewriter, record
from programs import BIN, pipeline
from scripted_smtp import silent, slow, smtp

pytestmark = pytest.mark.timeout(120)

REACH_LOOPBACK = ["--blocklist", "/dev/null"]
PIPE_SIZE = 4096  # the smallest a pipe can be made: it fills after a line or two


def help_reply(lines):
    """A long multi-line reply to HELP, about 80 bytes a line."""
    return b"".join(b"214-%04d %s\r\n" % (n, b"topic " * 12) for n in range(lines)) + b"214 end\r\n"


def expected_line(server, reply, rest=b""):
    transcript = record.escape(b"220 hi\r\n" + reply + b"221 bye\r\n")
    return b"%s\tok\t%s%s" % (server.encode(), transcript, rest)


def test_a_slow_reader_changes_nothing_that_is_recorded(farm, tmp_path):
    # Servers that greet after a second, started a tenth of a second apart;
    # each line is some 17 KiB, so a few fill a pipe.  With a reader that
    # reads only after 8 s, exchanges must still run as with a fast one: a
    # program that waits on its output while exchanges are in flight lets
    # their deadline (4 s) pass and records the greeting alone.
    reply = help_reply(200)
    servers = [farm.serve(slow(smtp(b"220 hi\r\n", reply), 1.0)) for _ in range(30)]
    (tmp_path / "in").write_text("".join(f"{server}\tmx\n" for server in servers))
    command = (f"smtpprobe -p {farm.port} --rate 10 --connect-timeout 2 --read-timeout 4"
               f" --deadline 4 --max-bytes 65536 {' '.join(REACH_LOOPBACK)} < {tmp_path / 'in'}")
    fast = pipeline(f"{command} | cat", timeout=60)
    lazy = pipeline(f"{command} | (sleep 8; cat)", timeout=60)
    assert fast.status == lazy.status == 0, (fast, lazy)
    expected = sorted(expected_line(server, reply, b"\tmx") for server in servers)
    assert sorted(fast.lines) == expected
    assert sorted(lazy.lines) == expected


def start_probe(farm, tmp_path, servers, *options):
    """smtpprobe on `servers`, writing into a pipe of PIPE_SIZE bytes that
    nobody reads yet; returns the process and the pipe's reading end."""
    (tmp_path / "in").write_text("".join(f"{server}\n" for server in servers))
    reading, writing = os.pipe()
    fcntl.fcntl(writing, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    with open(tmp_path / "in", "rb") as stdin:
        process = subprocess.Popen(
            [BIN / "smtpprobe", "-p", str(farm.port), "--rate", "0", "--max-bytes", "1048576",
             *REACH_LOOPBACK, *options],
            stdin=stdin, stdout=writing, stderr=subprocess.PIPE)
    os.close(writing)
    return process, reading


def read_all(reading):
    data = b""
    while chunk := os.read(reading, 1 << 16):
        data += chunk
    os.close(reading)
    return data


def wait_until(condition, timeout, why):
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, why()
        time.sleep(0.05)


def test_a_reader_that_stops_holds_up_new_exchanges_only(farm, tmp_path):
    # Lines of some 66 KiB each and a reader that stops: the program queues
    # what it cannot write up to the queue's bound, and then starts nothing
    # new; the exchanges in flight finish, so at most the bound's worth of
    # lines plus one per slot are started.  Once the reader reads, the rest
    # follows, each exchange as if the reader had never stopped.
    reply = help_reply(800)
    servers = [farm.serve(smtp(b"220 hi\r\n", reply, pause=0)) for _ in range(120)]
    line_size = len(expected_line(servers[0], reply)) + 1
    concurrency = 8
    process, reading = start_probe(farm, tmp_path, servers, "--concurrency", str(concurrency))
    try:
        time.sleep(3)
        started = len(farm.arrivals)
        time.sleep(1)
        assert len(farm.arrivals) == started  # it waits for the reader
        most = linewriter.BOUND // line_size + 1 + concurrency
        assert started <= most < len(servers), (started, most)
        assert farm.open_now == 0  # the exchanges in flight were not held up
        data = read_all(reading)
        status = process.wait(timeout=60)
    finally:
        process.kill()
        process.wait()
        process.stderr.close()
    assert status == 0
    assert sorted(data.splitlines()) == sorted(expected_line(server, reply) for server in servers)


@pytest.mark.parametrize("signals", [[signal.SIGTERM], [signal.SIGTERM, signal.SIGINT]],
                         ids=["one", "a second while writing"])
def test_a_signal_while_the_reader_is_behind_keeps_every_finished_line_whole(
        farm, tmp_path, signals):
    reply = help_reply(200)
    quick = [farm.serve(smtp(b"220 hi\r\n", reply, pause=0)) for _ in range(10)]
    stuck = [farm.serve(silent) for _ in range(3)]
    process, reading = start_probe(farm, tmp_path, stuck + quick,
                                   "--read-timeout", "60", "--deadline", "60")
    try:
        # Every quick exchange ends although the pipe is full after 4 KiB.
        wait_until(lambda: all(farm.heard.get(server) == [[b"HELP\r\n", b"QUIT\r\n"]]
                               for server in quick),
                   20, lambda: farm.heard)
        for signum in signals:
            process.send_signal(signum)
            time.sleep(0.3)
        # The connections are closed at once, while the lines wait for the reader.
        wait_until(lambda: farm.open_now == 0, 10, lambda: farm.open_now)
        assert process.poll() is None
        data = read_all(reading)
        status = process.wait(timeout=30)
        errors = process.stderr.read().decode()
    finally:
        process.kill()
        process.wait()
        process.stderr.close()
    assert status == 128 + signals[0], errors
    assert sorted(data.splitlines()) == sorted(expected_line(server, reply) for server in quick)
    assert data.endswith(b"\n")
    assert ": 10 probed: 10 ok, " in errors.splitlines()[-1]
