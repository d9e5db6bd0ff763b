"""Running the programs in tests: in-process (streams injected) and as real
subprocesses of the executables in bin/, in real pipes."""

import contextlib
import fcntl
import importlib
import io
import os
import select
import subprocess
import sys
from pathlib import Path

from mxsurvey import cli

CHECKOUT = Path(__file__).resolve().parent.parent
BIN = CHECKOUT / "bin"
MODULES = {
    "mxlookup": "mxsurvey.lookup",
    "smtpprobe": "mxsurvey.probe",
    "mtaguess": "mxsurvey.guess",
    "tally": "mxsurvey.tally",
}


class Result:
    def __init__(self, status, stdout, stderr):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr

    @property
    def lines(self):
        return self.stdout.splitlines()

    @property
    def errors(self):
        return self.stderr.decode("utf-8", "replace").splitlines()

    def __repr__(self):
        return f"Result(status={self.status}, stdout={self.stdout[:300]!r}, stderr={self.stderr[:300]!r})"


def run_inprocess(program, args=(), stdin=b""):
    """Call the program's main() with in-memory streams."""
    module = importlib.import_module(MODULES[program])
    out, err = io.BytesIO(), io.BytesIO()
    status = module.main(list(args), io.BytesIO(stdin), out, err)
    return Result(status, out.getvalue(), err.getvalue())


def run(program, args=(), stdin=b"", timeout=120, env=None):
    """Run bin/PROGRAM as a real process."""
    completed = subprocess.run(
        [str(BIN / program), *map(str, args)], input=stdin,
        capture_output=True, timeout=timeout, env=env)
    return Result(completed.returncode, completed.stdout, completed.stderr)


def pipeline(command, stdin=b"", timeout=300, cwd=None):
    """Run a shell pipeline with bin/ first on PATH; return its Result."""
    env = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}")
    completed = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], input=stdin, capture_output=True,
        timeout=timeout, env=env, cwd=cwd)
    return Result(completed.returncode, completed.stdout, completed.stderr)


def full_output(command, stdin):
    """What `command` writes for `stdin`, when nothing stops it."""
    done = subprocess.run(command, input=stdin, capture_output=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, b"")
    return done.stdout


def start_into_pipe(command, stdin, pipe_size, **options):
    """`command` (a Popen with `options`) reading the file `stdin`, its
    stdout a pipe of `pipe_size` bytes; returned, with the pipe's read end,
    once the program has written into it."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, pipe_size)
    with open(stdin, "rb") as input_file:
        process = subprocess.Popen(command, stdin=input_file, stdout=write_end,
                                   stderr=subprocess.PIPE, **options)
    os.close(write_end)
    if not select.select([read_end], [], [], 60)[0]:
        end(process, read_end)
        raise AssertionError("nothing written")
    return process, read_end


def end(process, read_end):
    """Kill `process` if it still runs, and close what start_into_pipe opened."""
    process.kill()
    process.wait()
    os.close(read_end)
    process.stderr.close()


def check_whole_lines(status, output, said, full, where):
    """That a program SIGINT stopped wrote the start of `full`, its whole
    output, up to the end of a line, and said nothing."""
    assert said == b"", where
    assert status == 130 or (status == 0 and output == full), (where, status)
    if not full.startswith(output):
        cut = next(i for i, (a, b) in enumerate(zip(output, full)) if a != b)
        start = output.rfind(b"\n", 0, cut) + 1
        raise AssertionError(f"{where}: not a line it writes: {output[start:start + 200]!r}")
    assert output == b"" or output.endswith(b"\n"), (where, output[-200:])


@contextlib.contextmanager
def every_bad_line_shown():
    """Name every bad line, for a while, so that each can be checked."""
    saved = cli.SHOWN_BAD_LINES
    cli.SHOWN_BAD_LINES = sys.maxsize
    try:
        yield
    finally:
        cli.SHOWN_BAD_LINES = saved
