"""tallyfiles: the rows tally writes, and its earlier outputs read back a
line at a time, for --merge and --diff.

A row is `COUNT LABEL` as `uniq -c` writes it, or with --percent `COUNT
SHARE LABEL`.  An earlier output is either reports (reportfile reads them)
or the rows of --counts, several outputs possibly one after another.  No
line is held longer than MAX_ROW bytes, the longest row tally writes: a
longer line is named, its bytes dropped as they arrive.
"""

import collections
import re

from . import cli, fieldcount, record

LF = record.LF
TOO_LONG = None  # what bounded_lines gives for a line longer than MAX_ROW
REPORT, COUNTS = "a report", "rows of --counts"  # the kinds of earlier output

# Counts are read back up to MAX_COUNT, and --merge writes none larger, so
# that whatever it writes can be merged again.
MAX_COUNT = 10**19 - 1
MAX_DIGITS = len(str(MAX_COUNT))
# The longest line tally writes: a row of the largest count, with a share,
# and of a label as long as a field held (fieldcount.MAX_HELD).
MAX_ROW = len(b"%7d %5.1f%% \n" % (MAX_COUNT, 100)) + fieldcount.MAX_HELD
ROW = re.compile(rb"( *)([0-9]+) ")
# The share --percent writes between the count and the label, written_share()
# and `% `: from `  0.0` to `100.0`, right-aligned in five columns.
# The first line of a CRLF copy of a stamped output or of a report.
CRLF_COPY = re.compile(rb"(?:#.*|[0-9]+ addresses)\r\n")
SHARE = re.compile(rb"((?:  [0-9]| [1-9][0-9])\.[0-9]|100\.0)% ")


def rows(counts, whole=None):
    """`uniq -c` rows in `sort -rn` order; with `whole`, each row's share of it."""
    ordered = sorted(counts.items(), key=by_count_then_label, reverse=True)
    if whole is None:
        return b"".join(b"%7d %s\n" % (count, label) for label, count in ordered)
    return b"".join(b"%7d %s%% %s\n" % (count, written_share(count, whole), label)
                    for label, count in ordered)


def by_count_then_label(item):
    label, count = item
    return count, label


def written_share(count, whole):
    """A row's share of `whole` as --percent writes it, and reads it back."""
    return b"%5.1f" % (100 * count / whole)


def readable(counts):
    """Refuse counts that could not be read back (more than MAX_COUNT)."""
    for label, count in counts.items():
        if count > MAX_COUNT:
            raise cli.Fatal(f"the count of {shown(label)} adds up to {count}, "
                            f"more than tally reads back ({MAX_COUNT})")


def shown(field):
    return '"' + record.escape(field).decode("ascii") + '"'


class BadRow(ValueError):
    """A line that is not a row as tally writes it; says why."""


def parse_row(line):
    """(count, rest) of a row as tally writes it, `%7d %s` and a LF: rest is
    all that follows the count's one space, up to the LF (a label, or a
    share and a label).  Raises BadRow."""
    check_whole(line)
    found = ROW.match(line)
    if not found:
        raise BadRow(f"not a row (COUNT LABEL): {shown(line[:-1][:60])}")
    padding, digits = found.groups()
    if len(padding) != max(0, 7 - len(digits)) or digits.startswith(b"0") and digits != b"0":
        raise BadRow(f"the count {shown(digits[:40])} is not right-aligned in 7 columns")
    if len(digits) > MAX_DIGITS:
        raise BadRow(f"a count of {len(digits)} digits, more than tally counts ({MAX_COUNT})")
    count = int(digits)
    if count == 0:
        raise BadRow("a count of 0")
    return count, line[found.end():-1]


def check_whole(line):
    """Raise BadRow if a line is too long or is cut short."""
    if line is TOO_LONG:
        raise BadRow(f"a line longer than {MAX_ROW} bytes, longer than any row tally writes")
    if not line.endswith(LF):
        raise BadRow("the last line has no LF: is the file cut short?")


def split_share(rest):
    """(share, label) of what follows a row's count, if it starts with a
    share as --percent writes it; else None."""
    share = SHARE.match(rest)
    return share and (share[1], rest[share.end():])


def report_row(line, whole, shares):
    """(count, label) of a row of a report's section of `whole` things,
    its share (when the report has shares) checked against the count.
    Raises BadRow."""
    count, label = parse_row(line)
    if shares:
        shared = split_share(label)
        if not shared:
            raise BadRow("a row without a share under a heading with shares (--percent)")
        share, label = shared
        expected = written_share(count, whole) if whole else share
        if share != expected:
            raise BadRow(f"{count} of {whole} is {expected.decode().strip()}%, "
                         f"not {share.decode().strip()}%")
    return count, label


def read_rows(ctx, source, lines):
    """A Counter of the rows of --counts that make an input, all with a
    share or all without, as the first of them is.  Malformed lines are
    named and skipped."""
    counts = collections.Counter()
    shared = None  # unknown before the first row
    for lineno, line in lines:
        try:
            count, rest = parse_row(line)
            share = split_share(rest)
            if shared is None:
                shared = share is not None
            elif shared and not share:
                raise BadRow("a row without a share among rows with one (--percent)")
            elif share and not shared:
                raise BadRow("a row with a share (--percent) among rows without one")
        except BadRow as error:
            ctx.bad_line(source, lineno, str(error))
            continue
        counts[share[1] if share else rest] += count
    return counts


def bounded_lines(stream):
    """Each line of a stream with its LF (the last may have none), or
    TOO_LONG for a line longer than MAX_ROW bytes, dropped as it arrives.
    A byte order mark that starts the stream is dropped; and a copy that
    passed through a system of CRLF lines, known by its first line (a
    stamp's or a report's head, which have no CR of their own), is read
    with each CRLF as LF.  Other lines are read byte for byte: a label of
    --counts may end in a CR, as cut(1) gave it."""
    crlf = None  # unknown before the first line
    while line := stream.readline(MAX_ROW + 1):
        if len(line) == MAX_ROW + 1 and not line.endswith(LF):
            while (rest := stream.readline(cli.READ_SIZE)) and not rest.endswith(LF):
                pass
            line = TOO_LONG
        else:
            if crlf is None:
                line = line.removeprefix(cli.BOM)
                crlf = bool(CRLF_COPY.fullmatch(line))
            if crlf and line.endswith(b"\r\n"):
                line = line[:-2] + LF
            if len(line) > MAX_ROW:
                line = TOO_LONG
        crlf = bool(crlf)
        yield line


class NumberedLines:
    """The numbered lines of an input (bounded_lines), with the lines that
    come next seen before they are read."""

    def __init__(self, stream):
        self.numbered = enumerate(bounded_lines(stream), 1)
        self.ahead = collections.deque()

    def __iter__(self):
        while self.ahead:
            yield self.ahead.popleft()
        yield from self.numbered

    def read(self):
        """(lineno, line) of the next line."""
        return self.ahead.popleft() if self.ahead else next(self.numbered)

    def peek(self, count):
        """The next `count` lines (fewer at the end), not read."""
        while len(self.ahead) < count:
            following = next(self.numbered, None)
            if following is None:
                break
            self.ahead.append(following)
        return [line for _, line in list(self.ahead)[:count]]
