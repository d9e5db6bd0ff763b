"""fieldcount: one field of every line counted, as tally --counts does it.

It is the fast path: input is read in large blocks, the fields of a block
are found by one regex scan and counted by Counter, both in C, so no Python
code runs per line; and a large regular file is cut into ranges of whole
lines that are counted at once, one process per processor.
tally's report reads mtaguess lines through the same blocks (led_spans).
"""

import collections
import contextlib
import marshal
import os
import re
import signal
import stat

from . import cli, record

TAB = record.TAB
LF = record.LF

BLOCK_SIZE = 1 << 20
# A large regular file is cut into ranges of whole lines, one for each
# processor this process may run on, none smaller than RANGE_MIN.
PROCESSES = len(os.sched_getaffinity(0))
RANGE_MIN = 8 * BLOCK_SIZE
MAX_FIELD = 2**32 - 1  # the largest repeat count a Python regex takes


def count_field(stream, number):
    """A Counter of what `cut -f NUMBER` prints for each line of a stream."""
    ranges = file_ranges(stream)
    if len(ranges) < 2:
        return count_spans(led_spans(stream, number), number)
    fd = stream.fileno()
    helpers = Helpers()
    try:
        for start, end in ranges[1:]:
            helpers.start(fd, start, end, number)
        counts = count_spans(led_spans(FileRange(fd, *ranges[0]), number), number)
        for helper_counts in helpers.results():
            counts.update(helper_counts)
        return counts
    finally:
        helpers.stop()


def count_spans(spans, number):
    """Count the fields of (buffer, start, end) spans of LF-led lines."""
    pattern = field_pattern(number)
    counts = collections.Counter()
    for buffer, start, end in spans:
        found = pattern.findall(buffer, start, end)
        if number == 1:
            counts.update(found)
        else:
            for (field, whole_line), count in collections.Counter(found).items():
                counts[field + whole_line] += count
    return counts


def field_pattern(number):
    """A regex that, over LF-led lines, matches once per line.

    For field 1 its one group is the field (up to the first TAB, or the
    whole line).  For field N > 1 it has two groups, at most one of them
    not empty: field N of a line with at least N fields, and the whole line
    when it has no TAB (cut prints that whole).  A line with TABs but fewer
    fields leaves both empty (cut prints an empty field).  So the two
    joined are what cut prints, and counting the pairs first keeps the
    Python work per distinct pair, not per line.
    """
    if number == 1:
        return re.compile(rb"\n([^\t\n]*)")
    return re.compile(
        rb"\n(?:(?:[^\t\n]*\t){%d}([^\t\n]*)|([^\t\n]*)(?![^\n])|[^\t\n]*\t)" % (number - 1))


def led_spans(stream, number):
    """Yield (buffer, start, end): buffer[start:end] is whole lines, each led
    by a LF instead of ended by one.

    The leading LF lets one regex find every line start, the first line's
    included, in the buffer as it was read: only a line that spans two
    reads is copied.  A last line without LF is still a line, as cut(1) has
    it.  A line that grows past BLOCK_SIZE bytes is cut just after its
    NUMBER-th TAB, if it has one, and the rest of it is dropped as it
    arrives: field NUMBER is complete by then, so memory holds fields and
    not whole long lines.
    """
    line = [LF]  # the pieces of the line not yet ended, led by its LF
    line_size = line_tabs = 0
    dropping = False
    while data := stream.read(BLOCK_SIZE):
        first = data.find(LF)
        if dropping:
            if first < 0:
                continue
            dropping = False
        elif first < 0:
            line.append(data)
            line_size += len(data)
            line_tabs += data.count(TAB)
            if line_size > BLOCK_SIZE and line_tabs >= number:
                line = [through_tab(b"".join(line), number)]
                dropping = True
            continue
        else:
            line.append(data[:first])
        joined = b"".join(line)
        yield joined, 0, len(joined)
        last = data.rfind(LF)
        yield data, first, last
        line = [data[last:]]
        line_size, line_tabs = len(data) - last, data.count(TAB, last)
    if line != [LF]:
        joined = b"".join(line)
        yield joined, 0, len(joined)


def through_tab(line, number):
    """The start of a line up to and including its NUMBER-th TAB."""
    position = -1
    for _ in range(number):
        position = line.index(TAB, position + 1)
    return line[:position + 1]


# Counting a large file in several processes --------------------------------

class FileRange:
    """The bytes of an open file from `start` to `end`, read with pread, so
    that processes sharing the descriptor do not share a file offset."""

    def __init__(self, fd, start, end):
        self.fd, self.position, self.end = fd, start, end

    def read(self, size):
        data = os.pread(self.fd, min(size, self.end - self.position), self.position)
        self.position += len(data)
        return data


def file_ranges(stream):
    """(start, end) ranges of whole lines that cut what is left of a regular
    file into one part per processor; [] when the stream is no such file."""
    try:
        fd = stream.fileno()
        status = os.fstat(fd)
    except OSError:  # io.UnsupportedOperation, as of an in-memory stream, is one
        return []
    if not stat.S_ISREG(status.st_mode):
        return []
    start = os.lseek(fd, 0, os.SEEK_CUR)
    size = status.st_size - start
    parts = min(PROCESSES, size // RANGE_MIN)
    cuts = [start]
    for part in range(1, parts):
        after = line_end(fd, start + size * part // parts, status.st_size)
        if cuts[-1] < after < status.st_size:
            cuts.append(after)
    cuts.append(status.st_size)
    return list(zip(cuts, cuts[1:]))


def line_end(fd, offset, size):
    """The offset just after the first LF at or after `offset`, or `size`."""
    while offset < size:
        data = os.pread(fd, BLOCK_SIZE, offset)
        found = data.find(LF)
        if found >= 0:
            return offset + found + 1
        if not data:  # the file shrank
            break
        offset += len(data)
    return size


class Helpers:
    """Processes that each count a range of a file and send their counts back."""

    def __init__(self):
        self.running = {}  # pid: the descriptor its counts come from

    def start(self, fd, start, end, number):
        results, sending = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                # A signal ends a helper at once and silently; its parent tells.
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.close(results)
                counts = count_spans(led_spans(FileRange(fd, start, end), number), number)
                with open(sending, "wb") as out:
                    marshal.dump(dict(counts), out)
                status = 0
            finally:
                os._exit(status)
        os.close(sending)
        self.running[pid] = results

    def results(self):
        """Yield each helper's counts as it finishes."""
        while self.running:
            pid, results = next(iter(self.running.items()))
            with open(results, "rb", closefd=False) as incoming:
                data = incoming.read()
            _, status = os.waitpid(pid, 0)
            del self.running[pid]
            os.close(results)
            if status != 0:
                raise cli.Fatal(f"a counting process failed (wait status {status})")
            yield marshal.loads(data)

    def stop(self):
        """End the helpers still running, as after an error or a signal."""
        for pid, results in self.running.items():
            os.close(results)
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        self.running.clear()
