"""Stopping `make demo` half-way leaves nothing behind: no server, no
stage of the pipeline, no world directory."""

import os
import re
import signal
import subprocess
import time

import pytest

from programs import CHECKOUT


def proc_files(name):
    """(pid, contents of /proc/PID/NAME) of every process still there."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/{name}", "rb") as file:
                    yield int(entry), file.read()
            except OSError:
                continue


def processes_in_group(group):
    """The live (not zombie) processes of a process group."""
    found = []
    for pid, stat in proc_files("stat"):
        state, _parent, process_group = stat.rsplit(b")", 1)[1].split()[:3]
        if int(process_group) == group and state != b"Z":
            found.append(pid)
    return found


def processes_naming(text):
    return [pid for pid, cmdline in proc_files("cmdline") if text.encode() in cmdline]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_demo_stopped_mid_survey_leaves_nothing_running(signum):
    demo = subprocess.Popen([str(CHECKOUT / "tools" / "demo"), "--small"], cwd=CHECKOUT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    directory = None
    for line in demo.stdout:
        found = re.search(rb" in (/\S+?)\.\n", line)
        if found:
            directory = found.group(1).decode()
        if line.startswith(b"Surveying:"):
            break
    assert directory, "the demo did not say where its world is"
    time.sleep(1)  # the pipeline and the servers are at work
    assert processes_naming(directory), "nothing of the world was running"
    os.killpg(demo.pid, signum)  # as Ctrl-C signals the whole foreground group
    demo.stdout.read()
    assert demo.wait(timeout=60) in (130, 143, -signum)
    deadline = time.monotonic() + 10
    while (processes_in_group(demo.pid) or processes_naming(directory)) and \
            time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_in_group(demo.pid) == []
    assert processes_naming(directory) == []
    assert not os.path.exists(directory)
