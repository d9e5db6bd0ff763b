"""How a run is going, on one line of the terminal, redrawn in place:

    smtpprobe: 1234 of 3000 lines (41%), 200 in flight, 95/s, about 19 s left
    mxlookup: 1234 lines, 500 in flight, 950/s; no estimate: the input is not a regular file

A line of input is done when what it asked for is finished (written,
rejected, skipped...).  The total is known when every input is a regular
file, whose lines are counted first.  The line is shown when stderr is a
terminal, so that runs from cron stay quiet; --progress and --quiet
override.  While it is shown, the program's other messages on stderr clear
it first, so each keeps a line of its own.
"""

import asyncio
import collections
import contextlib
import os
import stat
import time

from . import cli

INTERVAL = 0.5  # seconds between redraws
WINDOW = 10.0   # the rate is that of the last this many seconds
CLEAR = b"\r\x1b[K"  # to the start of the line, and erase it
_COUNT_BLOCK = 1 << 20


def for_run(ctx, args, paths):
    """A Progress for this run, or a Silent one, as the options and stderr say."""
    if args["--progress"] and args["--quiet"]:
        raise cli.UsageError("--progress and --quiet contradict each other")
    if args["--quiet"] or not (args["--progress"] or _is_terminal(ctx.stderr)):
        return Silent()
    return Progress(ctx, count_lines(ctx, paths))


def _is_terminal(stream):
    try:
        return os.isatty(stream.fileno())
    except (OSError, ValueError):  # no file behind it
        return False


class Silent:
    """The progress of a run that shows none."""

    def start(self, in_flight):
        pass

    def add(self, lines=1):
        pass

    def stop(self):
        pass


class Progress:
    """Counts the lines done and redraws the line every INTERVAL seconds.

    While started it stands in for ctx.stderr, so that whatever else is
    said there clears the line first."""

    def __init__(self, ctx, total):
        self.ctx = ctx
        self.stream = ctx.stderr
        self.total = total
        self.done = 0
        self.in_flight = lambda: 0
        self.history = collections.deque()  # (time, done), the last WINDOW seconds
        self.shown = False
        self.task = None

    def start(self, in_flight):
        """Draw now and every INTERVAL; `in_flight()` tells how many are."""
        self.in_flight = in_flight
        self.ctx.stderr = self
        self.task = asyncio.get_running_loop().create_task(self._redraw())

    def add(self, lines=1):
        self.done += lines

    def stop(self):
        """Erase the line and give stderr back; again is harmless."""
        if self.task:
            self.task.cancel()
            self.task = None
        self._clear()
        self.ctx.stderr = self.stream

    async def _redraw(self):
        while True:
            self._draw()
            await asyncio.sleep(INTERVAL)

    def _draw(self):
        now = time.monotonic()
        self.history.append((now, self.done))
        while now - self.history[0][0] > WINDOW:
            self.history.popleft()
        then, done_then = self.history[0]
        rate = (self.done - done_then) / (now - then) if now > then else None
        text = describe(self.ctx.name, self.done, self.total, self.in_flight(), rate)
        width = _columns(self.stream)
        if width:
            text = text[:width - 1]  # a wrapped line could not be redrawn in place
        with contextlib.suppress(OSError):  # a terminal gone is no reason to stop
            self.stream.write(CLEAR + text.encode("utf-8", "replace"))
            self.stream.flush()
            self.shown = True

    def _clear(self):
        if self.shown:
            self.shown = False
            with contextlib.suppress(OSError):
                self.stream.write(CLEAR)
                self.stream.flush()

    # What ctx.say needs of stderr.
    def write(self, data):
        self._clear()
        return self.stream.write(data)

    def flush(self):
        self.stream.flush()

    def fileno(self):
        return self.stream.fileno()


def _columns(stream):
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        return None


def describe(name, done, total, in_flight, rate):
    """The text of the progress line."""
    if total is None:
        head = f"{name}: {done} lines"
    else:
        share = 100 * done // total if total else 100
        head = f"{name}: {done} of {total} lines ({share}%)"
    speed = "rate not yet known" if rate is None else f"{rate:.0f}/s"
    text = f"{head}, {in_flight} in flight, {speed}"
    if total is None:
        return text + "; no estimate: the input is not a regular file"
    if rate:
        return text + f", about {duration(max(total - done, 0) / rate)} left"
    return text


def duration(seconds):
    """A time left, rounded as people say it: `19 s`, `3 min 20 s`, `2 h 05 min`."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


# The total -----------------------------------------------------------------

class _NotAFile(Exception):
    pass


def count_lines(ctx, paths):
    """The lines left to read in the inputs, or None unless every input is a
    regular file.  Reads with pread, so no file position moves."""
    total = 0
    try:
        for path in paths or ["-"]:
            if path == "-":
                fd = ctx.stdin.fileno()
                total += _lines_of(fd, os.lseek(fd, 0, os.SEEK_CUR))
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                total += _lines_of(fd, 0)
            finally:
                os.close(fd)
    except (OSError, ValueError, _NotAFile):
        return None
    return total


def _lines_of(fd, offset):
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        raise _NotAFile
    lines, last = 0, b"\n"
    while block := os.pread(fd, _COUNT_BLOCK, offset):
        lines += block.count(b"\n")
        last = block[-1:]
        offset += len(block)
    return lines + (last != b"\n")  # a last line without its LF counts too
