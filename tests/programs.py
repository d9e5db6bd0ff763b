"""Running the programs in tests: in-process (streams injected) and as real
subprocesses of the executables in bin/, in real pipes."""

import importlib
import io
import os
import subprocess
from pathlib import Path

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
