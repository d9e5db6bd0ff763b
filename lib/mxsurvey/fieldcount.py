"""fieldcount: one field of every line counted, as tally --counts does it.

It is the fast path: input is read in large blocks, the fields of a block
are found by one regex scan and counted by Counter, both in C, so no Python
code runs per line; and a large regular file is cut into ranges of whole
lines that are counted at once, one process per processor.  Memory holds
the fields counted, not whole lines.  tally's report reads mtaguess lines
through the same blocks (led_spans).
"""

import collections
import re

from . import cli, fileparts, record

TAB = record.TAB
LF = record.LF

BLOCK_SIZE = 1 << 20
# A large regular file is cut into ranges of whole lines, one for each
# processor, none smaller than RANGE_MIN: counting is so quick that a
# smaller range is not worth a process.
PROCESSES = fileparts.PROCESSES
RANGE_MIN = 8 * BLOCK_SIZE
MAX_FIELD = 2**32 - 1  # the largest repeat count a Python regex takes
MAX_LISTED = 1000  # the most fields a list of fields names
# A line is held up to the end of the field counted, which must end within
# the line's first MAX_HELD bytes, the most any program holds of an input
# line; the rest of a line, however long, is dropped as it arrives.
MAX_HELD = cli.MAX_LINE
TOO_LONG = None  # what led_spans gives for a line too long to hold


def parse_fields(text):
    """The field numbers of a list as `cut -f` takes it (`2`, `1,2`,
    `1-3,5`), in ascending order, each once; None if it is not one."""
    fields = set()
    for item in text.split(","):
        first, dash, last = item.partition("-")
        if not first.isdigit() or dash and not last.isdigit():
            return None
        first, last = int(first), int(last if dash else first)
        if not 1 <= first <= last <= MAX_FIELD:
            return None
        fields.update(range(first, min(last, first + MAX_LISTED) + 1))
    return tuple(sorted(fields)) if len(fields) <= MAX_LISTED else None


def count_field(ctx, source, stream, fields):
    """A Counter of what `cut -f FIELDS` prints for each line of a stream
    (FIELDS a tuple of ascending field numbers); a line too long to hold
    up to its last field counted is named and skipped."""
    ranges = fileparts.file_ranges(stream, PROCESSES, RANGE_MIN)
    if len(ranges) < 2:
        counts, _, over_long = count_spans(led_spans(stream, fields[-1]), fields)
        name_over_long(ctx, source, over_long, fields[-1])
        return counts
    fd = stream.fileno()
    with fileparts.Helpers("counting") as helpers:
        for start, end in ranges[1:]:
            helpers.start(count_range, fd, start, end, fields)
        counts, lines_before, over_long = count_range(fd, *ranges[0], fields)
        counts = collections.Counter(counts)
        name_over_long(ctx, source, over_long, fields[-1])
        for helper_counts, lines, over_long in helpers.results():
            name_over_long(ctx, source, over_long, fields[-1], lines_before)
            counts.update(helper_counts)
            lines_before += lines
        return counts


def count_range(fd, start, end, fields):
    """count_spans of a range of a file, its counts as a dict (what marshal
    sends)."""
    counts, lines, over_long = count_spans(
        led_spans(fileparts.FileRange(fd, start, end), fields[-1]), fields)
    return dict(counts), lines, over_long


def count_spans(spans, fields):
    """Count the fields of (buffer, start, end) spans of LF-led lines, and
    the lines: (counts, the number of lines, the numbers of the lines that
    were too long to count)."""
    pattern = field_pattern(fields)
    counts = collections.Counter()
    lines, over_long = 0, []
    for span in spans:
        if span is TOO_LONG:
            lines += 1
            over_long.append(lines)
            continue
        found = pattern.findall(*span)
        lines += len(found)
        if fields == (1,):
            counts.update(found)
        elif len(fields) == 1:
            for (field, whole_line), count in collections.Counter(found).items():
                counts[field + whole_line] += count
        else:
            for start, count in collections.Counter(found).items():
                counts[cut(start, fields)] += count
    return counts, lines, over_long


def cut(start, fields):
    """What `cut -f FIELDS` prints of a line, given the line up to the end
    of its last field in FIELDS (or all of it, if it has fewer): a line
    with no TAB whole, else the FIELDS it has, joined by TABs."""
    parts = start.split(TAB)
    if len(parts) == 1:
        return start
    return TAB.join(parts[number - 1] for number in fields if number <= len(parts))


def name_over_long(ctx, source, linenos, number, lines_before=0):
    for lineno in linenos:
        ctx.bad_line(source, lines_before + lineno, too_long(number))


def too_long(number):
    """What is wrong with a line that led_spans gave as TOO_LONG."""
    return f"field {number} does not end within the first {MAX_HELD} bytes of the line"


def field_pattern(fields):
    """A regex that, over LF-led lines, matches once per line.

    For several fields its one group is the line up to the end of the last
    of them (the whole line, if it has fewer fields), which cut() cuts.

    For field 1 its one group is the field (up to the first TAB, or the
    whole line).  For field N > 1 it has two groups, at most one of them
    not empty: field N of a line with at least N fields, and the whole line
    when it has no TAB (cut prints that whole).  A line with TABs but fewer
    fields leaves both empty (cut prints an empty field).  So the two
    joined are what cut prints, and counting the pairs first keeps the
    Python work per distinct pair, not per line.
    """
    if len(fields) > 1:
        return re.compile(rb"\n((?:[^\t\n]*\t){0,%d}[^\t\n]*)" % (fields[-1] - 1))
    number = fields[0]
    if number == 1:
        return re.compile(rb"\n([^\t\n]*)")
    return re.compile(
        rb"\n(?:(?:[^\t\n]*\t){%d}([^\t\n]*)|([^\t\n]*)(?![^\n])|[^\t\n]*\t)" % (number - 1))


def led_spans(stream, number, dropped=None):
    """Yield (buffer, start, end): buffer[start:end] is whole lines, each led
    by a LF instead of ended by one; or TOO_LONG for a line too long to hold.

    The leading LF lets one regex find every line start, the first line's
    included, in the buffer as it was read: only a line that spans two
    reads is copied.  A last line without LF is still a line, as cut(1) has
    it.  A line is held up to the end of its field NUMBER and no further:
    once it grows past MAX_HELD bytes, field DROPPED (if given, a field
    before NUMBER that is not read, as a transcript) is emptied of what it
    holds so far and of what of it still arrives; if that is not enough,
    the line is cut just after its NUMBER-th TAB, or, if field NUMBER does
    not end within its first MAX_HELD bytes, just before field DROPPED, or
    else it is TOO_LONG; either way the rest of it is dropped as it
    arrives.  So memory holds fields, not long lines.  No read is longer
    than MAX_HELD bytes, so a line that starts and ends within one is never
    too long.
    """
    size = min(BLOCK_SIZE, MAX_HELD)
    line = [LF]  # the pieces held of the line not yet ended, led by its LF
    line_size = 1
    dropping = False  # the rest of a line cut or too long, up to its LF
    while data := stream.read(size):
        first = data.find(LF)
        if not dropping:
            line.append(data if first < 0 else data[:first])
            line_size += len(line[-1])
            if line_size > 1 + MAX_HELD and dropped:
                line = [without_field(b"".join(line), dropped)]
                line_size = len(line[0])
            if line_size > 1 + MAX_HELD:
                joined = b"".join(line)
                line = held(joined, number) or dropped and held(joined, dropped - 1)
                dropping = True
                if not line:
                    yield TOO_LONG
        if first < 0:
            continue
        if line:
            joined = b"".join(line)
            yield joined, 0, len(joined)
        dropping = False
        last = data.rfind(LF)
        yield data, first, last
        line = [data[last:]]
        line_size = len(data) - last
    if line and line != [LF]:
        joined = b"".join(line)
        yield joined, 0, len(joined)


def without_field(line, number):
    """A LF-led line with the bytes of its field NUMBER (from 1) left out,
    the TABs around it kept; the line as it is if it has fewer fields."""
    start = 0
    for _ in range(number - 1):
        start = line.find(TAB, start + 1)
        if start < 0:
            return line
    end = line.find(TAB, start + 1)
    return line[:start + 1] + (line[end:] if end >= 0 else b"")


def held(line, number):
    """What is held of a LF-led line past MAX_HELD bytes: its start up to and
    including its NUMBER-th TAB, as [bytes]; [] if field NUMBER does not end
    within the line's first MAX_HELD bytes."""
    position = 0
    for _ in range(number):
        position = line.find(TAB, position + 1, 2 + MAX_HELD)
        if position < 0:
            return []
    return [line[:position + 1]]
