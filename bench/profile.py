"""Where a program's time goes: py-spy samples it while it runs, and each
sample is put to the module of its innermost Python frame, since the time
inside a system call or a C function shows there too (connect(2) in
asyncio's selector_events.py, close(2) in socket.py)."""

import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

FRAME = re.compile(r"(?P<function>\S+) \((?P<path>[^()]*):(?P<line>\d+)\)$")
SAMPLES_PER_SECOND = 500
NO_FRAME = "(no Python frame)"


class Unavailable(Exception):
    """py-spy is not installed, or may not trace here."""


def py_spy():
    """py-spy beside our interpreter (the checkout's .venv), or on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "py-spy")
    return beside if os.path.exists(beside) else shutil.which("py-spy")


def samples(argv, stdin):
    """{stack: samples} of argv run under py-spy with input from the file
    `stdin`: each stack a tuple of frames, outermost first."""
    spy = py_spy()
    if not spy:
        raise Unavailable("py-spy is not installed")
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as raw, open(stdin, "rb") as source:
        done = subprocess.run([spy, "record", "--rate", str(SAMPLES_PER_SECOND), "--format", "raw",
                               "--output", raw.name, "--", *map(str, argv)],
                              stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            said = done.stderr.decode(errors="replace").strip().splitlines()
            raise Unavailable(said[-1] if said else f"py-spy exited {done.returncode}")
        stacks = collections.Counter()
        for line in raw:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            stacks[tuple(stack.split(";"))] += int(count)
    return stacks


def module_of(frame):
    """The file a frame is in, as a short name: mxsurvey/smtp.py, socket.py."""
    found = FRAME.match(frame)
    if not found:
        return frame or NO_FRAME
    path = found["path"]
    return path[path.index("mxsurvey/"):] if "mxsurvey/" in path else os.path.basename(path)


def shares(stacks):
    """[(share, module)] of all samples by the module of the innermost
    frame, largest first, and the total number of samples."""
    total = sum(stacks.values())
    by_module = collections.Counter()
    for stack, count in stacks.items():
        by_module[module_of(stack[-1])] += count
    return [(count / total, module) for module, count in by_module.most_common()], total


def innermost(stacks, many):
    """[(share, function)] of the `many` innermost frames seen most."""
    total = sum(stacks.values())
    by_function = collections.Counter()
    for stack, count in stacks.items():
        found = FRAME.match(stack[-1])
        by_function[found["function"] if found else stack[-1] or NO_FRAME] += count
    return [(count / total, function) for function, count in by_function.most_common(many)]
