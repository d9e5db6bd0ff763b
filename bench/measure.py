"""Running a command and measuring it: wall time, processor time and the
peak resident memory of the process (with its children, for a shell
pipeline), the median of several runs."""

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Our programs run by the checkout's interpreter itself, not through bin/'s
# switch of interpreter, whose extra exec would weigh on short runs.
PYTHON = sys.executable
C_LOCALE = dict(os.environ, LC_ALL="C")
TIME = "/usr/bin/time"   # GNU time: the peak memory of what it runs


def program(name, *args):
    return [PYTHON, os.path.join(CHECKOUT, "bin", name), *map(str, args)]


def shell(text):
    return ["bash", "-o", "pipefail", "-c", text]


@dataclass
class Run:
    wall: float
    cpu: float
    peak_kib: int


def run(argv, stdin=None, stdout=None, env=None):
    """Run argv once, input from the file `stdin`, output to the file
    `stdout` (or nowhere); raise if it fails.

    GNU time starts the command and tells its peak memory: a process
    started by this one directly would inherit this one's (the kernel
    carries the peak of the starting process's memory over to exec).
    """
    with tempfile.NamedTemporaryFile("r") as usage, open(stdin or os.devnull, "rb") as source, \
            open(stdout or os.devnull, "wb") as sink:
        start = time.monotonic()
        done = subprocess.run([TIME, "-f", "%M %U %S", "-o", usage.name, *map(str, argv)],
                              stdin=source, stdout=sink, stderr=subprocess.PIPE, env=env)
        wall = time.monotonic() - start
        said = usage.read().split()
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))[:200]} exited {done.returncode}: "
                           f"{done.stderr.decode(errors='replace')[-400:]}")
    peak_kib, user, system = int(said[-3]), float(said[-2]), float(said[-1])
    return Run(wall, user + system, peak_kib)


def median_of(runs, argv, **how):
    """The median wall time of `runs` runs, and the largest peak memory."""
    done = [run(argv, **how) for _ in range(runs)]
    return Run(statistics.median(r.wall for r in done), statistics.median(r.cpu for r in done),
               max(r.peak_kib for r in done))


def machine():
    """One paragraph on the machine, for the top of the report."""
    model = "unknown processor"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        memory = int(meminfo.readline().split()[1]) / 2**20
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"{model}, {os.cpu_count()} cores, {memory:.1f} GiB memory, "
            f"Linux {platform.release()}, Python {platform.python_version()}; "
            f"load average at start {load}")
