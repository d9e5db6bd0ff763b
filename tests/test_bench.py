"""make bench runs end to end: every stage and its peer, at the smallest
sizes (python -m bench --tiny).  Figures are not judged; that they are
printed is."""

import os
import subprocess
import sys

import pytest

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.timeout(300)
@pytest.mark.skipif(os.geteuid() != 0, reason="the bench's private network needs root")
def test_bench_prints_every_comparison():
    done = subprocess.run([sys.executable, "-m", "bench", "--tiny"], cwd=CHECKOUT,
                          capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Machine: ") and "load average at start" in out
    for comparison in ("mtaguess is", "x mawk", "x gawk", "tally is", "mxlookup is",
                       "exchanges/s", "smtpprobe is", "faster", "one after another into files",
                       "the pipe takes", "smtpprobe --ehlo", "bench/todayprobe.py",
                       "commands of", "certificates)"):
        assert comparison in out, comparison
    assert done.stderr == ""
