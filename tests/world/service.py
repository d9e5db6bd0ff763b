"""What the world's server processes share: they say `ready` on stdout when
they serve, and they stop cleanly on SIGINT or SIGTERM, when stdin reaches
end of file (whoever started them has gone), or when their parent dies."""

import asyncio
import ctypes
import os
import resource
import signal
import sys
import time

PR_SET_PDEATHSIG = 1


class Connection(asyncio.Protocol):
    """A served connection that counts itself and how long it lasted, from
    accept to close, the longest in `counts["longest_ms"]`; timers it sets
    in `timers` end with it."""

    def __init__(self, counts):
        self.counts = counts
        self.loop = asyncio.get_running_loop()
        self.timers = []
        self.began = None
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.began = time.monotonic()
        self.counts["connections"] += 1

    def connection_lost(self, error):
        for timer in self.timers:
            timer.cancel()
        lasted = round(1000 * (time.monotonic() - self.began))
        self.counts["longest_ms"] = max(self.counts["longest_ms"], lasted)


def die_with_parent():
    """Ask the kernel for SIGTERM when the parent process ends (Linux)."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took
        sys.exit(0)


def raise_open_files():
    """Raise the soft limit of open files to the hard one; return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run(serve):
    """Run `serve(stop)`, a coroutine that serves until the event `stop` is
    set and then cleans up.  SIGINT, SIGTERM and the end of stdin set it."""
    die_with_parent()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    def read_stdin():
        if not os.read(0, 4096):
            loop.remove_reader(0)
            stop.set()

    loop.add_reader(0, read_stdin)
    try:
        loop.run_until_complete(serve(stop))
    finally:
        loop.close()
