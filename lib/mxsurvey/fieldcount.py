"""fieldcount: one field of every line counted, as tally --counts does it.

It is the fast path: input is read in large blocks, the fields of a block
are found by one regex scan and counted by Counter, both in C, so no Python
code runs per line; and a large regular file is cut into ranges of whole
lines that are counted at once, one process per processor.
tally's report reads mtaguess lines through the same blocks (led_spans).
"""

import collections
import re

from . import fileparts, record

TAB = record.TAB
LF = record.LF

BLOCK_SIZE = 1 << 20
# A large regular file is cut into ranges of whole lines, one for each
# processor, none smaller than RANGE_MIN: counting is so quick that a
# smaller range is not worth a process.
PROCESSES = fileparts.PROCESSES
RANGE_MIN = 8 * BLOCK_SIZE
MAX_FIELD = 2**32 - 1  # the largest repeat count a Python regex takes


def count_field(stream, number):
    """A Counter of what `cut -f NUMBER` prints for each line of a stream."""
    ranges = fileparts.file_ranges(stream, PROCESSES, RANGE_MIN)
    if len(ranges) < 2:
        return count_spans(led_spans(stream, number), number)
    fd = stream.fileno()
    with fileparts.Helpers("counting") as helpers:
        for start, end in ranges[1:]:
            helpers.start(count_range, fd, start, end, number)
        counts = collections.Counter(count_range(fd, *ranges[0], number))
        for helper_counts in helpers.results():
            counts.update(helper_counts)
        return counts


def count_range(fd, start, end, number):
    """The counts of a range of a file, as a dict (what marshal sends)."""
    return dict(count_spans(led_spans(fileparts.FileRange(fd, start, end), number), number))


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
