"""Stopping `make demo` (or `make demo-today`) half-way leaves nothing
behind: no server, no stage of the pipeline, no world directory; nor does
stopping a served world (`tools/demo --serve`, with --today too), which
ends what was entered into it too."""

import os
import re
import signal
import subprocess
import time

import pytest

from programs import CHECKOUT

DEMO = str(CHECKOUT / "tools" / "demo")


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
def start_demo(args, marker, env=None):
    """tools/demo ARGS in a session of its own, read until a line that
    starts with `marker`: (the process, the world's directory it named)."""
    demo = subprocess.Popen([DEMO, *args], cwd=CHECKOUT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, start_new_session=True)
    directory = None
    for line in demo.stdout:
        found = re.search(rb" in (/\S+?)\.\n", line)
        if found:
            directory = found.group(1).decode()
        if line.startswith(marker):
            break
    assert directory, "the demo did not say where its world is"
    return demo, directory


@pytest.mark.parametrize("signum, world", [(signal.SIGINT, "1998"), (signal.SIGTERM, "1998"),
                                           (signal.SIGINT, "today")])
def test_a_demo_stopped_mid_survey_leaves_nothing_running(signum, world):
    demo, directory = start_demo(["--small"] + (["--today"] if world == "today" else []),
                                 b"Surveying:")
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


def serve(runtime, *options):
    """A `tools/demo --serve` with its pid file in `runtime`, once it
    serves: (the process, its environment, the world's directory)."""
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime))
    demo, directory = start_demo(["--serve", *options], b"Serving ", env)
    return demo, env, directory


def enter(env, *command):
    """`tools/demo --enter COMMAND`, once COMMAND runs inside the world."""
    entered = subprocess.Popen([DEMO, "--enter", *command],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 30
    while not open(f"/proc/{entered.pid}/cmdline", "rb").read().startswith(command[0].encode()):
        assert entered.poll() is None and time.monotonic() < deadline, entered.stdout.read()
        time.sleep(0.05)
    return entered


@pytest.mark.timeout(120)
@pytest.mark.parametrize("how, world", [("Ctrl-C", "1998"), ("SIGTERM", "1998"),
                                        ("tools/demo --stop", "1998"),
                                        ("tools/demo --stop", "today")])
def test_a_served_world_stops_and_leaves_nothing_behind(tmp_path, how, world):
    demo, env, directory = serve(tmp_path, *(["--today"] if world == "today" else []))
    pid_file = tmp_path / "mxsurvey-demo.pid"
    assert pid_file.read_text() == f"{demo.pid}\n{directory}\n"
    again = subprocess.run([DEMO, "--serve"], env=env,
                           capture_output=True, timeout=60)
    assert again.returncode == 1 and f"pid {demo.pid}".encode() in again.stderr
    shell = enter(env, "sleep", "600")
    try:
        stop_and_check(demo, env, directory, shell, how)
    finally:
        for process in (shell, demo):
            if process.poll() is None:
                process.kill()
                process.wait()


def stop_and_check(demo, env, directory, shell, how):
    assert os.readlink(f"/proc/{shell.pid}/ns/net") == os.readlink(f"/proc/{demo.pid}/ns/net")
    assert os.readlink(f"/proc/{shell.pid}/ns/net") != os.readlink("/proc/self/ns/net")
    assert processes_naming(directory), "nothing of the world was running"
    if how == "Ctrl-C":
        os.killpg(demo.pid, signal.SIGINT)
    elif how == "SIGTERM":
        demo.terminate()
    else:
        stop = subprocess.run([DEMO, "--stop"], env=env,
                              capture_output=True, timeout=60)
        assert stop.returncode == 0, stop
    said = demo.stdout.read()
    assert demo.wait(timeout=60) == 0, said
    assert said.splitlines()[-1].startswith(b"Stopped by SIG")
    assert shell.wait(timeout=10) == -signal.SIGHUP
    assert processes_in_group(demo.pid) == []
    assert processes_naming(directory) == []
    assert not os.path.exists(directory)
    assert not os.path.exists(os.path.join(env["XDG_RUNTIME_DIR"], "mxsurvey-demo.pid"))
    after = subprocess.run([DEMO, "--stop"], env=env,
                           capture_output=True, timeout=60)
    assert (after.returncode, after.stderr) == (1, b"demo: no world is served\n")
