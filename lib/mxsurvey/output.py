"""What the programs write: whole lines, also when a signal stops them.

A line is either all in a program's output or not there at all, so that
the next program of a pipeline, or a later `smtpprobe --skip`, never takes
a piece of one for a line.  What could cut one is met here, once:

- A write into a pipe whose reader is behind blocks, and SIGINT or SIGTERM
  then makes write(2) return with part of the data written.  A signal that
  comes while the main thread writes is held: the write goes on until it
  ends a line, and the program stops there.  (Under an event loop, which
  takes the signal itself, the write goes on to the end of what it was
  given: those are finished lines, which a stopped run still writes.  A
  write from another thread is never stopped: signals are the main
  thread's.)  Nothing is held back: there is no buffer that a stop could
  leave unwritten or cut.
- If the reader takes nothing more, that end never comes: a second signal
  then stops the program at once, and a line begun stays cut.  Only such a
  second signal can cut a line.
- A handler that raised between a write and the count of what it wrote
  would lose track of where the line ends: no handler raises while the
  main thread writes, but for that second signal.

A write that fails raises WriteError, whose text names what could not be
written and why (`cannot write stdout: No space left on device`); EPIPE on
stdout stays a BrokenPipeError, the quiet end of `| head`.
"""

import os
import signal
import threading

LF = b"\n"
STOPPING = frozenset({signal.SIGINT, signal.SIGTERM})


class WriteError(OSError):
    """A write that failed; its text says what could not be written and why."""

    def __init__(self, name, error):
        super().__init__(error.errno, error.strerror)
        self.name = name

    def __str__(self):
        return f"cannot write {self.name}: {self.strerror}"


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM asked the program to stop.  A KeyboardInterrupt,
    so that an event loop lets it out of a callback as it does Ctrl-C's."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


class Stops:
    """The signals taken in this run, and what the main thread is doing."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.caught = []  # SIGINT or SIGTERM, as they came
        self.writing = False  # the main thread is in Output.write
        self.at_once = False  # a second signal stopped a write: write nothing more
        self.to_loop = None  # while an event loop runs, tells it of a signal

    def stop_at_line_end(self):
        """Whether the main thread's write is to stop at the end of its line."""
        return bool(self.caught) and self.to_loop is None


stops = Stops()


def on_signal(signum, frame):
    """The handler of SIGINT and SIGTERM: stop the program, but not in the
    middle of a line (see above)."""
    stops.caught.append(signum)
    if stops.to_loop:
        stops.to_loop(signum)
    if stops.writing:
        if len(stops.caught) == 1:
            return  # held until the write is at the end of a line
        stops.at_once = True
    elif stops.to_loop:
        return  # the loop stops the run, and writes the finished lines
    raise Interrupted(stops.caught[0])


class Output:
    """A file the program writes lines to, by its descriptor: stdout, or a
    file it opened.  Nothing is held back, so `flush` has nothing to do."""

    def __init__(self, fd, name, reader_may_leave=False):
        self.fd = fd
        self.name = name  # as messages name it: `cannot write NAME: ...`
        self.reader_may_leave = reader_may_leave  # EPIPE is then a quiet end

    def write(self, data):
        """Write all of the bytes `data`, or, if a signal asks the program
        to stop meanwhile, up to the end of a line, and raise Interrupted.
        Once a second signal has stopped a write, write nothing."""
        if threading.current_thread() is not threading.main_thread():
            self._write(data, may_stop=False)  # signals are the main thread's
            return
        if stops.at_once:
            return
        stops.writing = True
        try:
            self._write(data, may_stop=True)
        finally:
            stops.writing = False
        if stops.stop_at_line_end():
            raise Interrupted(stops.caught[0])

    def _write(self, data, may_stop):
        view = memoryview(data)
        written, end = 0, len(data)
        while written < end:
            try:
                written += os.write(self.fd, view[written:end])
            except OSError as error:
                if isinstance(error, BrokenPipeError) and self.reader_may_leave:
                    raise
                raise WriteError(self.name, error) from None
            if may_stop and stops.stop_at_line_end():
                end = min(end, line_end(data, written))

    def flush(self):
        pass

    def fileno(self):
        return self.fd

    def close(self):
        try:
            os.close(self.fd)
        except OSError as error:  # what a file system that writes late says
            raise WriteError(self.name, error) from None


def line_end(data, position):
    """The end of the line of bytes `data` that `position` is in:
    `position` itself if a line starts there, else just after the next LF
    (or the end of `data`)."""
    if position == 0 or data[position - 1] == LF[0]:
        return position
    return data.find(LF, position) + 1 or len(data)
