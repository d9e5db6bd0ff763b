"""fileparts: a large regular file done in parts, one process per processor.

The file is cut into ranges of whole lines; the first range is done by the
process itself and each other range by a forked process of its own, which
reads its range with pread and sends back one result.  The results come
back in the order of the ranges, so that what is made of them can be
written in the order of the lines; output as large as the file goes to an
unlinked temporary file, which the parent copies out in its turn.
"""

import contextlib
import marshal
import os
import signal
import stat
import tempfile

from . import cli

LF = b"\n"
# The processors this process may run on: a file is cut into as many ranges.
PROCESSES = len(os.sched_getaffinity(0))
SCAN_SIZE = 1 << 16  # read at a time when looking for the end of a line
COPY_SIZE = 1 << 20  # written at a time, and up to the end of the line there


class FileRange:
    """The bytes of an open file from `start` to `end`, read with pread, so
    that processes sharing the descriptor do not share a file offset."""

    def __init__(self, fd, start, end):
        self.fd, self.position, self.end = fd, start, end

    def read(self, size):
        data = os.pread(self.fd, min(size, self.end - self.position), self.position)
        self.position += len(data)
        return data


def file_ranges(stream, processes, range_min):
    """(start, end) ranges of whole lines that cut what is left of a regular
    file into at most `processes` parts of at least `range_min` bytes; []
    when the stream is no such file.

    When there are two or more, they are read with pread from then on, and
    the file offset is moved to the end of the file, as if it had been read:
    a second read of the same stream (stdin named twice) finds it ended.
    """
    try:
        fd = stream.fileno()
        status = os.fstat(fd)
    except OSError:  # io.UnsupportedOperation, as of an in-memory stream, is one
        return []
    if not stat.S_ISREG(status.st_mode):
        return []
    start = os.lseek(fd, 0, os.SEEK_CUR)
    size = status.st_size - start
    parts = min(processes, size // range_min)
    cuts = [start]
    for part in range(1, parts):
        after = line_end(fd, start + size * part // parts, status.st_size)
        if cuts[-1] < after < status.st_size:
            cuts.append(after)
    cuts.append(status.st_size)
    if len(cuts) > 2:
        os.lseek(fd, status.st_size, os.SEEK_SET)
    return list(zip(cuts, cuts[1:]))


def line_end(fd, offset, size):
    """The offset just after the first LF at or after `offset`, or `size`."""
    while offset < size:
        data = os.pread(fd, SCAN_SIZE, offset)
        found = data.find(LF)
        if found >= 0:
            return offset + found + 1
        if not data:  # the file shrank
            break
        offset += len(data)
    return size


class Helpers:
    """Processes that each run a function and send its result back.

    Results are what marshal can send.  A helper ends at once and silently
    on SIGINT or SIGTERM (its parent tells); leaving the `with` block ends
    those still running, as after an error or a signal in the parent.
    """

    def __init__(self, doing):
        self.doing = doing  # what the helpers do, for the message on a failure
        self.running = {}  # pid: the descriptor its result comes from

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.stop()

    def start(self, function, *args):
        results, sending = os.pipe()
        # Until the new process is either recorded here or set to die of
        # them, SIGINT and SIGTERM wait: none may be left running unseen.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, cli.STOPPING)
        try:
            pid = os.fork()
            if pid == 0:
                _helper(function, args, results, sending, mask)
            self.running[pid] = results
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(sending)

    def results(self):
        """Yield each helper's result, in the order they were started."""
        while self.running:
            pid, results = next(iter(self.running.items()))
            with open(results, "rb", closefd=False) as incoming:
                data = incoming.read()
            _, status = os.waitpid(pid, 0)
            del self.running[pid]
            os.close(results)
            if status != 0 or not data:
                raise cli.Fatal(f"a {self.doing} process failed (wait status {status})")
            done, result = marshal.loads(data)
            if not done:
                raise cli.Fatal(f"a {self.doing} process failed: {result}")
            yield result

    def stop(self):
        """End the helpers still running."""
        for pid, results in self.running.items():
            os.close(results)
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        self.running.clear()


def _helper(function, args, results, sending, mask):
    """The life of a helper process: run the function, send what came of it
    (its result, or its error in one line) and exit, never returning."""
    status = 1
    try:
        for signum in cli.STOPPING:
            if not cli.ignored(signum):
                signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(results)
        try:
            outcome = True, function(*args)
        except Exception as error:  # told by the parent
            outcome = False, str(error)
        with open(sending, "wb") as out:
            marshal.dump(outcome, out)
        status = 0
    finally:
        os._exit(status)


def temporary_file():
    """An unlinked file in $TMPDIR, for what a helper makes."""
    try:
        return tempfile.TemporaryFile()
    except OSError as error:
        raise cli.Fatal(f"cannot make a temporary file in {tempfile.gettempdir()}: "
                        f"{error.strerror}") from None


def temporary_output(fd):
    """A temporary file's descriptor as a helper writes to it, a failed
    write named as a temporary file in $TMPDIR."""
    return cli.Output(fd, f"a temporary file in {tempfile.gettempdir()}")


def copy_file(source, stream):
    """Write the whole of a file of lines to a stream, a block of whole
    lines at a time: a write that a signal stops ends at the end of a line
    of its block, which is then a line of the file."""
    fd = source.fileno()
    size = os.fstat(fd).st_size
    offset = 0
    while offset < size:
        end = line_end(fd, offset + COPY_SIZE - 1, size)
        stream.write(os.pread(fd, end - offset, offset))
        offset = end
