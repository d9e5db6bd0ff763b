"""Stopping `make demo` half-way leaves nothing behind: no server, no
stage of the pipeline, no world directory."""

import os
import re
import signal
import subprocess
import time

import pytest

from programs import CHECKOUT


def processes_in_group(group):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(entry))
    return found


def processes_naming(text):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                if text.encode() in cmdline.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


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
