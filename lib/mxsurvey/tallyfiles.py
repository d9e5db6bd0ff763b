"""tallyfiles: earlier outputs of tally read back, for --merge and --diff.

An earlier output is either a report or the rows of --counts; each row is
`COUNT LABEL` as tally writes it, so a damaged file is named line by line
rather than added up wrong.
"""

import collections
import itertools
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
ROW = re.compile(rb" *([0-9]{1,19}) ([^\n]*)\n")


class BadRow(ValueError):
    """A line that is not a row as tally writes it; says why."""


def read_path(ctx, path):
    """(kind, sections) of the earlier output in one file; (None, None) if
    it cannot be opened."""
    for source, stream in cli.open_inputs(ctx, [path]):
        return read_tallied(ctx, source, stream)
    return None, None


def read_tallied(ctx, source, stream):
    """(kind, sections) of an earlier output of tally: for a report,
    Counters of its failures and of its software; for rows of --counts,
    one Counter.  An empty input is of no kind: (None, []).  Malformed
    lines are named and skipped."""
    lines = enumerate(stream, 1)
    head = list(itertools.islice(lines, 4))
    if not head:
        return None, []
    found = REPORT_HEAD.fullmatch(b"".join(line for _, line in head))
    if not found:
        counts = collections.Counter()
        add_rows(ctx, source, itertools.chain(head, lines), counts)
        return COUNTS, [counts]
    addresses, connections = int(found[1]), int(found[2])
    failures, software = collections.Counter(), collections.Counter()
    bad_before = ctx.bad_input
    ended, lineno = add_rows(ctx, source, lines, failures, until_empty=True, lineno=len(head))
    heading = next(lines, None) if ended else None
    if heading is None:
        ctx.bad_line(source, lineno + 1, f'no heading "{SOFTWARE_HEADING.decode()}"')
    else:
        if heading[1] != SOFTWARE_HEADING + LF:
            ctx.bad_line(source, heading[0], f'not the heading "{SOFTWARE_HEADING.decode()}"')
        add_rows(ctx, source, lines, software)
    if ctx.bad_input == bad_before:
        # One report's numbers agree; a report whose rows were skipped cannot.
        counted = sum(software.values())
        if counted != connections:
            ctx.bad_line(source, 2, f"{connections} successful connections, "
                                    f"but the software rows add up to {counted}")
        counted += sum(failures.values())
        if counted != addresses:
            ctx.bad_line(source, 1, f"{addresses} addresses, but the rows add up to {counted}")
    return REPORT, [failures, software]


def add_rows(ctx, source, lines, counts, until_empty=False, lineno=0):
    """Add numbered `COUNT LABEL` rows to counts, naming and skipping the
    malformed ones.  With until_empty, stop after an empty line.  Returns
    whether it stopped so, and the number of the last line read (`lineno`
    if none was)."""
    for lineno, line in lines:
        if until_empty and line == LF:
            return True, lineno
        try:
            count, label = parse_row(line)
        except BadRow as error:
            ctx.bad_line(source, lineno, str(error))
            continue
        counts[label] += count
    return False, lineno


def parse_row(line):
    """(count, label) of a row as tally writes it, `%7d %s` and a LF: the
    label is all that follows the count's one space.  Raises BadRow."""
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
    return count, found[2]
