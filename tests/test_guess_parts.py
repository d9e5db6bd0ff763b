"""mtaguess on a large regular file, labelled in ranges by one process per
processor: byte for byte what one process writes for the same lines read
through a pipe, and no process left behind by a signal or a closed pipe."""

import contextlib
import functools
import os
import random
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import survey_lines
from mxsurvey import cli, fileparts, guess
from programs import BIN, check_whole_lines, end, pipeline, run_inprocess, start_into_pipe

pytestmark = [
    pytest.mark.timeout(120),
    pytest.mark.skipif(fileparts.PROCESSES < 2, reason="one processor: no ranges to test"),
]

BAD_LINES = [b"", b"no fields at all", b"192.0.2.1\tOK\t220 hi\\r\\n",
             b"192.0.2.2\tok\t220 bad \\q escape", b"192.0.2.3\ttimeout"]
OVERLONG = b"192.0.2.4\tok\t220 " + b"x" * guess.MAX_LINE


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """In one directory: `clean`, about 22 MB of survey lines; `bad`, the
    same with bad lines in both halves (a line too long to hold in the
    second) and a last line without LF; `huge`, four times `clean`."""
    directory = tmp_path_factory.mktemp("parts")
    block = b"".join(line + b"\n" for line in survey_lines.smtpprobe_lines(10000))
    clean = block * 6
    assert len(clean) > 4 * guess.RANGE_MIN
    (directory / "clean").write_bytes(clean)
    lines = clean.split(b"\n")[:-1]
    count = len(lines)
    for position, bad in zip([7, count // 3, count // 2 + 1, count * 2 // 3, count * 3 // 4,
                              count - 5], BAD_LINES + [OVERLONG]):
        lines[position] = bad
    (directory / "bad").write_bytes(b"\n".join(lines))
    (directory / "huge").write_bytes(clean * 4)
    return directory


@functools.cache
def one_process(directory, name, options=""):
    """(status, stdout, stderr) of mtaguess reading a file through a pipe,
    so in one process, its messages naming the file as a FILE argument."""
    done = pipeline(f"cat {name} | mtaguess {options}", cwd=directory)
    named = done.stderr.replace(b"mtaguess: stdin:", f"mtaguess: {name}:".encode())
    return done.status, done.stdout, named


@pytest.mark.parametrize("name, options", [("clean", ""), ("bad", ""), ("bad", "--explain")])
def test_a_file_in_ranges_is_labelled_as_by_one_process(files, name, options):
    done = pipeline(f"mtaguess {options} {name}", cwd=files)
    assert (done.status, done.stdout, done.stderr) == one_process(files, name, options)
    if name == "bad":
        assert done.status == 1 and len(done.errors) == len(BAD_LINES) + 1
        assert "line longer than" in done.errors[-1]


def test_several_files_and_stdin_from_a_file_are_each_cut_in_order(files):
    done = pipeline("mtaguess bad - clean < bad", cwd=files)
    _, bad_out, bad_said = one_process(files, "bad")
    _, clean_out, _ = one_process(files, "clean")
    as_stdin = bad_said.replace(b"mtaguess: bad:", b"mtaguess: stdin:")
    said = (bad_said + as_stdin).splitlines(keepends=True)
    shown = cli.SHOWN_BAD_LINES  # the others are counted in one line
    assert len(said) > shown
    assert (done.status, done.stdout, done.stderr) == (
        1, bad_out + bad_out + clean_out,
        b"".join(said[:shown]) + b"mtaguess: %d more bad lines not shown\n" % (len(said) - shown))


def test_stdin_named_twice_is_read_once(files):
    done = pipeline("mtaguess - - < clean", cwd=files)
    assert (done.status, done.stdout, done.stderr) == one_process(files, "clean")


@pytest.mark.parametrize("redirection", [">", ">>"])
def test_output_to_a_file_or_appended_to_one(files, tmp_path, redirection):
    (tmp_path / "out").write_bytes(b"before\n")
    done = pipeline(f"mtaguess {files}/bad {redirection} out", cwd=tmp_path)
    status, labelled, said = one_process(files, "bad")
    kept = b"before\n" if redirection == ">>" else b""
    assert (tmp_path / "out").read_bytes() == kept + labelled
    assert (done.status, done.stderr) == (status, said.replace(b": bad:", f": {files}/bad:".encode()))


def test_a_failed_process_is_one_fatal_line(files):
    # Its temporary file may not grow past 2 MiB: the write fails (EFBIG).
    done = pipeline("ulimit -f 2048; mtaguess clean | cat", cwd=files)
    assert done.status == cli.EXIT_FATAL
    assert done.errors == ["mtaguess: a labelling process failed: cannot write a temporary "
                           f"file in {tempfile.gettempdir()}: File too large"]
    assert one_process(files, "clean")[1].startswith(done.stdout)


def test_a_full_disk_is_one_fatal_line_and_no_process_is_left(files):
    shell = subprocess.Popen(["bash", "-c", "mtaguess clean > /dev/full"], cwd=files,
                             env=dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}"),
                             stderr=subprocess.PIPE, process_group=0)
    said = shell.communicate(timeout=60)[1]
    assert (shell.returncode, said) == (
        cli.EXIT_FATAL, b"mtaguess: cannot write stdout: No space left on device\n")
    assert group_members(shell.pid) == []


def group_members(group):
    """The processes, zombies too, of a process group."""
    members = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, ValueError):
            # Fields after the command's name: state, parent, group.
            if int(entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()[2]) == group:
                members.append(int(entry.name))
    return members


def children(pid):
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return []


def test_quiet_when_the_reader_goes_away_and_no_process_is_left(files):
    shell = subprocess.Popen(
        ["bash", "-o", "pipefail", "-c", "mtaguess huge | head -1"], cwd=files,
        env=dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, process_group=0)
    stdout, stderr = shell.communicate(timeout=60)
    assert (shell.returncode, stderr) == (141, b"")
    assert one_process(files, "clean")[1].startswith(stdout) and stdout.count(b"\n") == 1
    assert group_members(shell.pid) == []


@pytest.mark.parametrize("signum, to_group", [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_a_signal_keeps_what_is_finished_and_leaves_no_process(files, tmp_path, signum, to_group):
    # SIGINT as Ctrl-C sends it, to every process of the group; SIGTERM as
    # kill(1) does, to mtaguess alone, which must end its helpers itself.
    out = tmp_path / "out"
    with open(out, "wb") as output:
        process = subprocess.Popen([BIN / "mtaguess", files / "huge"], stdout=output,
                                   stderr=subprocess.PIPE, process_group=0)
    try:
        deadline = time.monotonic() + 30
        while not (children(process.pid) and out.stat().st_size):
            assert process.poll() is None and time.monotonic() < deadline, "no helper seen"
            time.sleep(0.001)
        if to_group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        status = process.wait(timeout=30)
        said = process.stderr.read()
    finally:
        process.kill()
        process.wait()
        process.stderr.close()
    assert (status, said) == (128 + signum, b"")
    assert group_members(process.pid) == []
    labelled = out.read_bytes()
    assert labelled.endswith(b"\n")
    assert (one_process(files, "clean")[1] * 4).startswith(labelled)


def test_an_interrupted_write_of_ranges_ends_on_a_whole_line(files):
    # The reader takes the output, fast, up to a byte chosen at random:
    # from the first range, written as it is labelled, or from the others,
    # copied from their files; then it stops taking any, and SIGINT comes.
    full = one_process(files, "clean")[1]
    seeds = [random.randrange(1 << 32) for _ in range(12)]
    for seed in seeds:
        rng = random.Random(seed)
        process, read_end = start_into_pipe([BIN / "mtaguess", files / "clean"], files / "clean",
                                            rng.choice([4096, 65536]), process_group=0)
        received = bytearray()
        try:
            stop_at = rng.randrange(len(full))
            while len(received) < stop_at and (piece := os.read(read_end, 1 << 20)):
                received += piece
            time.sleep(rng.uniform(0, 0.05))
            process.send_signal(signal.SIGINT)
            while piece := os.read(read_end, 1 << 20):
                received += piece
            status = process.wait(timeout=30)
            said = process.stderr.read()
            assert group_members(process.pid) == [], f"seed {seed}"
        finally:
            end(process, read_end)
        check_whole_lines(status, bytes(received), said, full, f"seed {seed}")


# In-process, over ranges of a few bytes: every way a cut can fall.

@contextlib.contextmanager
def cut_small(processes, range_min, scan_size):
    saved = guess.PROCESSES, guess.RANGE_MIN, fileparts.SCAN_SIZE
    guess.PROCESSES, guess.RANGE_MIN, fileparts.SCAN_SIZE = processes, range_min, scan_size
    try:
        yield
    finally:
        guess.PROCESSES, guess.RANGE_MIN, fileparts.SCAN_SIZE = saved


SURVEY_LINES = survey_lines.smtpprobe_lines(30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.sampled_from(SURVEY_LINES + BAD_LINES), max_size=30),
       last_lf=st.booleans(), explain=st.booleans(), processes=st.integers(2, 4),
       range_min=st.integers(1, 2000), scan_size=st.integers(1, 50))
def test_ranges_of_a_few_bytes_change_nothing(lines, last_lf, explain, processes, range_min,
                                              scan_size):
    data = b"\n".join(lines) + (b"\n" if last_lf and lines else b"")
    options = ["--explain"] if explain else []
    with tempfile.NamedTemporaryFile(prefix="mtaguess-") as file:
        file.write(data)
        file.flush()
        whole = run_inprocess("mtaguess", options + [file.name])
        with cut_small(processes, range_min, scan_size):
            in_ranges = run_inprocess("mtaguess", options + [file.name])
    assert (in_ranges.status, in_ranges.stdout, in_ranges.stderr) == (
        whole.status, whole.stdout, whole.stderr)
