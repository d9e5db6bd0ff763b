"""tallyfiles: earlier outputs of tally read back, for --merge and --diff.

An earlier output is either reports or the rows of --counts; each row is
`COUNT LABEL` as tally writes it, or `COUNT SHARE LABEL` as it writes it
with --percent, so a damaged file is named line by line rather than added
up wrong.  Reports may follow one another in one input, as parallel(1)
writes them: a report's head starts the next, and no row can be taken for
one, since its third line is empty.
"""

import collections
import re

from . import cli, record

LF = record.LF

# The report's headings: tally writes them, and a report is read back by them.
FAILURES_HEADING = b"Reasons for connection failures:"
SOFTWARE_HEADING = b"Server software tallies:"


def shown(field):
    return '"' + record.escape(field).decode("ascii") + '"'


REPORT, COUNTS = "a report", "rows of --counts"
NUMBER = rb"(0|[1-9][0-9]{0,18})"  # as %d writes it, and small enough for int()
REPORT_HEAD = re.compile(
    NUMBER + rb" addresses\n" + NUMBER + rb" successful connections\n\n"
    + FAILURES_HEADING + LF)
HEAD_LINES = 4
ROW = re.compile(rb" *([0-9]{1,19}) ([^\n]*)\n")
# The share --percent writes between the count and the label, written_share()
# and `% `: from `  0.0` to `100.0`, right-aligned in five columns.
SHARE = re.compile(rb"((?:  [0-9]| [1-9][0-9])\.[0-9]|100\.0)% ")


def written_share(count, whole):
    """A row's share of `whole` as --percent writes it, and reads it back."""
    return b"%5.1f" % (100 * count / whole)

Head = collections.namedtuple("Head", "lineno addresses connections")


class BadRow(ValueError):
    """A line that is not a row as tally writes it; says why."""


def read_path(ctx, path):
    """(kind, sections) of the earlier output in one file; (None, None) if
    it cannot be opened."""
    for source, stream in cli.open_inputs(ctx, [path]):
        return read_tallied(ctx, source, stream)
    return None, None


def read_tallied(ctx, source, stream):
    """(kind, sections) of an earlier output of tally: for reports,
    Counters of their failures and of their software; for rows of
    --counts, one Counter.  An empty input is of no kind: (None, []).
    Malformed lines are named and skipped."""
    lines = NumberedLines(stream)
    if not lines.peek(1):
        return None, []
    head = lines.report_head()
    if head is None:
        counts = collections.Counter()
        rows = Rows(ctx, source)
        for lineno, line in lines:
            rows.add(lineno, line, counts)
        return COUNTS, [counts]
    failures, software = collections.Counter(), collections.Counter()
    while head is not None:
        for total, more in zip((failures, software), read_report(ctx, source, lines, head)):
            total.update(more)
        head = lines.report_head()
    return REPORT, [failures, software]


def read_report(ctx, source, lines, head):
    """Counters of the failures and of the software of the report whose
    head was just read, its rows read up to the next report's head or the
    end."""
    failures, software = collections.Counter(), collections.Counter()
    rows = Rows(ctx, source)
    bad_before = ctx.bad_input
    section = lines.before_report_head()
    for lineno, line in section:
        if line == LF:
            break
        rows.add(lineno, line, failures, whole=head.addresses)
    heading = next(section, None)
    if heading is None:
        ctx.bad_line(source, lines.lineno + 1, f'no heading "{SOFTWARE_HEADING.decode()}"')
    elif heading[1] != SOFTWARE_HEADING + LF:
        ctx.bad_line(source, heading[0], f'not the heading "{SOFTWARE_HEADING.decode()}"')
    for lineno, line in section:
        rows.add(lineno, line, software, whole=head.connections)
    if ctx.bad_input == bad_before:
        # One report's numbers agree; a report whose rows were skipped cannot.
        counted = sum(software.values())
        if counted != head.connections:
            ctx.bad_line(source, head.lineno + 1, f"{head.connections} successful connections, "
                                                  f"but the software rows add up to {counted}")
        counted += sum(failures.values())
        if counted != head.addresses:
            ctx.bad_line(source, head.lineno,
                         f"{head.addresses} addresses, but the rows add up to {counted}")
    return failures, software


class NumberedLines:
    """The numbered lines of an input, with the next report's head seen
    before it is read."""

    def __init__(self, stream):
        self.numbered = enumerate(stream, 1)
        self.ahead = collections.deque()
        self.lineno = 0  # of the last line read

    def __iter__(self):
        while self.ahead:
            yield self.read()
        for self.lineno, line in self.numbered:
            yield self.lineno, line

    def read(self):
        self.lineno, line = self.ahead.popleft() if self.ahead else next(self.numbered)
        return self.lineno, line

    def peek(self, count):
        """The next `count` lines (fewer at the end), not read."""
        while len(self.ahead) < count:
            following = next(self.numbered, None)
            if following is None:
                break
            self.ahead.append(following)
        return [line for _, line in list(self.ahead)[:count]]

    def report_head(self):
        """The head of the report that comes next, its lines read; None if
        no report comes next."""
        found = self.head_follows()
        if not found:
            return None
        first, _ = self.read()
        for _ in range(HEAD_LINES - 1):
            self.read()
        return Head(first, int(found[1]), int(found[2]))

    def before_report_head(self):
        """Read lines up to the next report's head or the end."""
        while self.peek(1) and not self.head_follows():
            yield self.read()

    def head_follows(self):
        """The match of REPORT_HEAD on the lines that come next, or None."""
        following = self.peek(1)
        if not following or not following[0].endswith(b" addresses\n"):
            return None  # most lines, seen at a glance
        return REPORT_HEAD.fullmatch(b"".join(self.peek(HEAD_LINES)))


class Rows:
    """The rows of one input of --counts or of one report: all with a share
    or all without, as the first of them is."""

    def __init__(self, ctx, source):
        self.ctx, self.source = ctx, source
        self.shared = None  # unknown before the first row

    def add(self, lineno, line, counts, whole=None):
        """Add a row to counts, or name it and skip it.  In a report, the
        share of a row is checked against `whole`, the number it is a share
        of."""
        try:
            count, share, label = parse_row(line)
            if self.shared is None:
                self.shared = share is not None
            elif self.shared and share is None:
                raise BadRow("a row without a share among rows with one (--percent)")
            elif not self.shared and share is not None:
                raise BadRow("a row with a share (--percent) among rows without one")
            if share is not None and whole:
                expected = written_share(count, whole)
                if share != expected:
                    raise BadRow(f"{count} of {whole} is {expected.decode().strip()}%, "
                                 f"not {share.decode().strip()}%")
        except BadRow as error:
            self.ctx.bad_line(self.source, lineno, str(error))
            return
        counts[label] += count


def parse_row(line):
    """(count, share, label) of a row as tally writes it, `%7d %s` and a
    LF, or with --percent `%7d %5.1f%% %s` and a LF: the label is all that
    follows the count's one space and the share, if any; share is None
    without one.  Raises BadRow."""
    found = ROW.fullmatch(line)
    if not found:
        if not line.endswith(LF):
            raise BadRow("the last line has no LF: is the file cut short?")
        raise BadRow(f"not a row (COUNT LABEL): {shown(line[:-1][:60])}")
    count = int(found[1])
    if count == 0:
        raise BadRow("a count of 0")
    if line[:found.start(2)] != b"%7d " % count:
        raise BadRow(f"the count {shown(found[1])} is not right-aligned in 7 columns")
    share = SHARE.match(line, found.start(2))
    if share:
        return count, share[1], line[share.end():-1]
    return count, None, found[2]
