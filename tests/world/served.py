"""A world left running for people to type at: `tools/demo --serve` until
Ctrl-C, SIGTERM or `tools/demo --stop`; `tools/demo --enter [COMMAND...]`
runs a shell (or COMMAND) inside it.

In a private network namespace (see network) the world's name server is
127.0.0.53 port 53 and its mail servers listen on port 25, as on the
internet, so that the README's examples, typed in a shell that --enter
started, reach them as written; nothing typed there can reach another
machine.  Without a private network the world runs on this machine's
loopback, on free ports that it prints.

Once the world is up, the serving process writes its pid and the world's
directory to a pid file, for --enter and --stop to find.  On stopping it
stops the servers, ends what is still in the world's namespace (what
--enter started: SIGHUP, as when a terminal hangs up, then SIGKILL), and
removes the pid file; the runner removes the directory.
"""

import os
import signal
import sys
import tempfile
import time

from . import example, network, today
from .servers import DNS_ADDRESS, PACKAGE_PARENT, Servers, WorldError

PID_FILE = "mxsurvey-demo.pid"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
HANGUP_WAIT = 3
STOP_WAIT = 30
DEMO = os.path.join(os.path.dirname(PACKAGE_PARENT), "tools", "demo")


class Stopped(Exception):
    """A signal asked the world to stop."""


def pid_file():
    """$XDG_RUNTIME_DIR/mxsurvey-demo.pid, or /tmp/mxsurvey-demo-UID.pid."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return os.path.join(runtime, PID_FILE)
    return f"/tmp/mxsurvey-demo-{os.getuid()}.pid"


def demo_command():
    """tools/demo as people here would type it."""
    relative = os.path.relpath(DEMO)
    return DEMO if relative.startswith("..") else relative


def serving(pid):
    """Whether process `pid` is a tools/demo --serve, and not ended."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"--serve" in cmdline.read().split(b"\0")
    except OSError:
        return False


def served(path):
    """(pid, directory) of the world the pid file names, or None if it
    names none that is still served."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise WorldError(f"{path}: {error.strerror}")
    with os.fdopen(descriptor) as file:
        if os.fstat(file.fileno()).st_uid != os.getuid():
            raise WorldError(f"{path} belongs to another user")
        lines = file.read().splitlines()
    if len(lines) != 2 or not lines[0].isdigit():
        raise WorldError(f"{path} is not the pid file of a served world")
    pid, directory = int(lines[0]), lines[1]
    return (pid, directory) if serving(pid) else None


def claim():
    """The pid file's path, once sure that no world is served already.
    Called before the process moves into a user namespace of its own,
    where its uid is another."""
    path = pid_file()
    found = served(path)
    if found:
        raise WorldError(f"a world is served already (pid {found[0]}): "
                         f"{demo_command()} --stop stops it")
    return path


def write_pid_file(path, directory):
    descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".mxsurvey-demo.")
    with os.fdopen(descriptor, "w") as file:
        file.write(f"{os.getpid()}\n{directory}\n")
    os.replace(temporary, path)  # a link put in its place is replaced, never followed


def remove_pid_file(path):
    try:
        with open(path, "rb") as file:
            mine = file.readline().strip() == str(os.getpid()).encode()
    except OSError:
        return
    if mine:
        os.unlink(path)


def _stop(signum, frame):
    for each in STOP_SIGNALS:   # one signal stops the world; more would cut the stopping short
        signal.signal(each, signal.SIG_IGN)
    raise Stopped(signum)


def serve(path, directory, world, private, concurrency, say):
    """Serve the world until a signal; 0 when it stopped as asked."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _stop)
    servers, up = Servers(directory, world, private, concurrency), False
    try:
        with servers:
            try:
                write_pid_file(path, directory)
                up = True
                for line in instructions(world, servers, private, directory):
                    say(line)
                pid, _ = os.waitpid(-1, 0)   # returns only if a server ends: a signal comes first
                raise WorldError(f"a server process of the world ended (pid {pid})")
            finally:
                for signum in STOP_SIGNALS:
                    signal.signal(signum, signal.SIG_IGN)
    except Stopped as stop:
        said = f"  {servers.said()}" if up else ""
        say(f"Stopped by {signal.Signals(stop.args[0]).name}.{said}")
        return 0
    finally:
        if private:
            end_visitors()
        remove_pid_file(path)


def instructions(world, servers, private, directory):
    resolver = DNS_ADDRESS if servers.dns_port == 53 else f"{DNS_ADDRESS}:{servers.dns_port}"
    port = "" if servers.smtp_port == 25 else f" --port {servers.smtp_port}"
    demo = demo_command()
    if getattr(world, "name", "") == "today":
        return [
            f"Serving today's world until Ctrl-C, or `{demo} --stop`:",
            f"  name server   {DNS_ADDRESS} port {servers.dns_port}",
            f"  mail servers  port {servers.smtp_port} of {len(world.servers)} addresses,"
            f" such as {' and '.join(today.EXAMPLE_ADDRESSES[:1 + private])}"
            f" ({today.EXAMPLE_HOST})",
            f"In another terminal, `{demo} --enter` opens a shell inside it, in {directory},"
            " beside its domains and its certificate authority, ca.crt:",
            f"  mxlookup -6 --server {resolver} < domains | smtpprobe --blocklist /dev/null{port}"
            f" --ehlo {today.CLIENT_NAME} --ca-file ca.crt | mtaguess -f patterns-2026.awk"
            " | tally",
        ]
    return [
        f"Serving until Ctrl-C, or `{demo} --stop`:",
        f"  name server   {DNS_ADDRESS} port {servers.dns_port}",
        f"  mail servers  port {servers.smtp_port} of {len(world.servers)} addresses,"
        f" such as {example.ADDRESS} ({example.EXCHANGER})",
        f"  domains       {', '.join(world.domains[:3])} and {len(world.domains) - 3} more",
        f"In another terminal, `{demo} --enter` (or `make demo-shell`) opens a shell inside it,",
        f"in {directory} beside the list of domains, with the four programs on PATH.",
        "The README's examples, typed there, reach it" + (":" if private else " with these ports:"),
        f"  printf '{example.DOMAIN}\\n' | mxlookup --server {resolver}",
        f"  printf '{example.ADDRESS}\\n' | smtpprobe --blocklist /dev/null{port}",
        f"  mxlookup --server {resolver} < domains | smtpprobe --blocklist /dev/null{port}"
        " | mtaguess | tally",
    ]


def others_in_namespace():
    """The other live processes in this process's network namespace."""
    ours = os.readlink("/proc/self/ns/net")
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                if os.readlink(f"/proc/{entry}/ns/net") == ours:   # a zombie has no link
                    found.append(int(entry))
            except OSError:
                continue
    return found


def end_visitors():
    """End what --enter started in the world's namespace, now that the
    servers have stopped: whatever is left in it."""
    for signum in (signal.SIGHUP, signal.SIGKILL):
        deadline = time.monotonic() + HANGUP_WAIT
        for pid in others_in_namespace():
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass
        while others_in_namespace():
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        else:
            return


def enter(command):
    """Run `command` (the user's shell if none) inside the served world,
    in its directory; returns only if it cannot."""
    found = served(pid_file())
    if found is None:
        raise WorldError(f"no world is served: {demo_command()} --serve serves one")
    pid, directory = found
    try:
        network.join(pid)
    except OSError as error:
        raise WorldError(f"cannot enter the world of pid {pid}: {error.strerror}")
    except network.Unavailable as error:
        raise WorldError(str(error))
    os.chdir(directory)
    argv = command or [os.environ.get("SHELL") or "/bin/sh"]
    if not command:
        print(f"demo: {argv[0]} inside the world served by pid {pid}, in {directory};"
              " `exit` leaves it", file=sys.stderr)
    try:
        os.execvp(argv[0], argv)
    except OSError as error:
        print(f"demo: {argv[0]}: {error.strerror}", file=sys.stderr)
        return 127 if isinstance(error, FileNotFoundError) else 126


def stop():
    """Stop the served world, and wait until it has."""
    found = served(pid_file())
    if found is None:
        raise WorldError("no world is served")
    pid = found[0]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT
    while serving(pid):
        if time.monotonic() > deadline:
            raise WorldError(f"the world of pid {pid} has not stopped after {STOP_WAIT} s")
        time.sleep(0.05)
    print(f"The world of pid {pid} has stopped.")
    return 0
