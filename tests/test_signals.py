"""Hard stops of the whole pipeline, as real processes against a running
world: `| head -1` at its end, SIGINT or SIGTERM to every stage at once
(as Ctrl-C at a terminal does), and SIGKILL of smtpprobe."""

import os
import signal
import subprocess
import time

import pytest

from programs import BIN, pipeline
from scripted_smtp import Farm, silent, smtp
from world import expected, generate, survey1998
from world.servers import DNS_ADDRESS, Servers

pytestmark = pytest.mark.timeout(120)

STUCK = 60.0  # read timeout and deadline: a stage that does not stop takes this long


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    spec = survey1998.survey_1998().scaled(300).without(survey1998.NEED_ROUTES)
    world = generate.generate(spec, 3)
    directory = tmp_path_factory.mktemp("world")
    world.write(directory)
    with Servers(directory, world, private=False, concurrency=100) as running:
        yield running, directory


def stages(running):
    """The survey's command lines, with timeouts that keep smtpprobe busy."""
    probe = expected.probe_command(running.smtp_port, STUCK, STUCK, 100)
    return [["mxlookup", "--server", f"{DNS_ADDRESS}:{running.dns_port}"],
            probe, ["mtaguess"], ["tally"]]


def test_head_at_the_end_stops_every_stage_promptly_and_quietly(world):
    running, directory = world
    commands = [" ".join(stage) for stage in stages(running)]
    started = time.monotonic()
    result = pipeline(f"{commands[0]} < {directory}/domains | {commands[1]} | {commands[2]}"
                      " | head -1; echo ${PIPESTATUS[@]} >&2", timeout=100)
    took = time.monotonic() - started
    *said, statuses = result.errors
    assert len(result.lines) == 1
    assert [line for line in said if "Traceback" in line or "Error" in line] == []
    lookup, probe, guess, head = map(int, statuses.split())
    assert (probe, guess, head) == (141, 141, 0), result
    assert lookup in (0, 141)  # it may have written all of its lines into the pipe
    assert took < STUCK / 2  # smtpprobe did not wait for its silent servers


def start_stages(commands, stdin, stdout):
    """The stages in one process group, piped together."""
    processes, upstream = [], stdin
    for index, command in enumerate(commands):
        last = index == len(commands) - 1
        process = subprocess.Popen(
            [BIN / command[0], *command[1:]], stdin=upstream,
            stdout=stdout if last else subprocess.PIPE, stderr=subprocess.PIPE,
            process_group=processes[0].pid if processes else 0)
        if upstream is not stdin:
            upstream.close()
        upstream = process.stdout
        processes.append(process)
    return processes


def wait_for_lines(path, count, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} lines in {path}: {path.read_bytes()[:300]!r}")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_every_stage_keeps_what_is_finished(world, tmp_path, signum):
    running, directory = world
    out = tmp_path / "out"
    domains = (directory / "domains").read_bytes()
    with open(out, "wb") as output:
        processes = start_stages(stages(running)[:3], subprocess.PIPE, output)
    try:
        processes[0].stdin.write(domains)  # and keep stdin open: more could come
        processes[0].stdin.flush()
        wait_for_lines(out, 20, timeout=60)
        os.killpg(processes[0].pid, signum)
        statuses = [process.wait(timeout=30) for process in processes]
        errors = [process.stderr.read().decode() for process in processes]
    finally:
        for process in processes:
            process.kill()
            process.wait()
            process.stderr.close()
        processes[0].stdin.close()
    assert statuses == [128 + signum] * 3, errors
    assert [text for text in errors if "Traceback" in text] == []
    data = out.read_bytes()
    assert data.endswith(b"\n") and data.count(b"\n") >= 20
    for line in data.splitlines():
        label, address, status, transcript, *_ = line.split(b"\t")
        assert status.decode() in ("ok", "refused", "disconnect", "timeout")


def test_sigkill_loses_only_the_exchanges_in_flight(tmp_path):
    with Farm() as farm:
        quick = [farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n")) for _ in range(5)]
        stuck = [farm.serve(silent) for _ in range(3)]
        out = tmp_path / "out"
        command = expected.probe_command(farm.port, STUCK, STUCK, 50)
        with open(out, "wb") as output:
            process = subprocess.Popen([BIN / command[0], *command[1:]], stdin=subprocess.PIPE,
                                       stdout=output, stderr=subprocess.DEVNULL)
        try:
            process.stdin.write("".join(f"{address}\n" for address in stuck + quick).encode())
            process.stdin.flush()
            # Lines are in the file while smtpprobe runs: written as each exchange ends.
            wait_for_lines(out, len(quick), timeout=60)
            process.kill()
            assert process.wait(timeout=30) == -signal.SIGKILL
        finally:
            process.kill()
            process.wait()
            process.stdin.close()
    lines = out.read_bytes().splitlines(keepends=True)
    assert sorted(line.split(b"\t")[0].decode() for line in lines) == sorted(quick)
    assert all(line.endswith(b"\\r\\n221 bye\\r\\n\n") for line in lines)


# A signal ignored when a program starts (SIGINT of a background job in a
# script, SIGTERM under some supervisors) stays ignored: each program is seen
# to have answered a line, is signalled, answers one more and ends normally.
IGNORING = {
    # program and its arguments, line N in, the stream that answers it
    "smtpprobe": (["--quiet"], b"192.0.2.%d\n", "stdout"),  # excluded: no connection
    "mxlookup": (["--quiet", "--server", "127.0.0.1:9"], b"bad name %d\n", "stderr"),
    "mtaguess": ([], b"192.0.2.%d\ttimeout\t\n", "stdout"),
}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.timeout(60)
@pytest.mark.parametrize("program", sorted(IGNORING))
def test_a_signal_ignored_at_the_start_stays_ignored(program, signum):
    args, line, answers = IGNORING[program]
    # Each line another address: smtpprobe writes none for a repeated one.
    process = subprocess.Popen([BIN / program, *args], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=lambda: signal.signal(signum, signal.SIG_IGN))
    try:
        answer = getattr(process, answers)
        for number in range(2):
            process.stdin.write(line % number)
            process.stdin.flush()
            assert answer.readline().endswith(b"\n")
            process.send_signal(signum)
        process.stdin.close()
        status = process.wait(timeout=30)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    assert status == (1 if answers == "stderr" else 0), process.stderr.read()
