"""reportfile: the survey's report, as tally writes it and reads it back.

    20310 addresses
    18441 successful connections

    Reasons for connection failures:
        741 timed out
    ...

    Server software tallies:
      11583 sendmail
    ...

With --percent each row has its share, and each heading says of what, so
that a report says itself whether its rows have shares: a label that
starts as a share does (`100.0% sendmail`) is read as it was written.

A report is read back strictly, for --merge and --diff: its rows are added
up only if it is whole and agrees with itself, or else each fault is named
and the report is left out.  Its head is a checksum: the addresses are the
sum of all rows and the successful connections that of the software rows,
and the failures' labels are the fixed reasons of record.FAILURE_LABELS,
which no software row has; so a line lost, repeated or moved into another
section or report cannot go unseen.  Reports may follow one another in one
input, as parallel(1) writes them: a report's head starts the next, and no
row can be taken for one, since its third line is empty.
"""

import collections
import re

from . import cli, record, reportstamp, tallyfiles

LF = record.LF
TAB = record.TAB
BadRow, shown = tallyfiles.BadRow, tallyfiles.shown

# The headings of a report written without --percent, and with it.
HEADINGS = {False: (b"Reasons for connection failures:", b"Server software tallies:"),
            True: (b"Reasons for connection failures (% of addresses):",
                   b"Server software tallies (% of successful connections):")}
FAILURES, GAP, SOFTWARE = "failures", "gap", "software"  # a report's parts, after its head
HEADING_LINES = {heading + LF: (section, shares)
                 for shares, headings in HEADINGS.items()
                 for section, heading in zip((FAILURES, SOFTWARE), headings)}
FAILURE_LABELS = frozenset(label.encode() for label in record.FAILURE_LABELS.values())

NUMBER = rb"(0|[1-9][0-9]*)"  # as %d writes it
HEAD = re.compile(NUMBER + rb" addresses\n" + NUMBER + rb" successful connections\n\n("
                  + b"|".join(re.escape(failures) for failures, _ in HEADINGS.values())
                  + rb")\n")
HEAD_LINES = 4


def report(failures, software, percent):
    """The report of Counters of failure labels and of software labels."""
    connections = sum(software.values())
    addresses = connections + sum(failures.values())
    failures_heading, software_heading = HEADINGS[percent]
    return b"".join([
        b"%d addresses\n" % addresses,
        b"%d successful connections\n" % connections,
        LF, failures_heading, LF,
        tallyfiles.rows(failures, addresses if percent else None),
        LF, software_heading, LF,
        tallyfiles.rows(software, connections if percent else None),
    ])


def head_follows(lines):
    """The match of HEAD on the NumberedLines that come next, or None."""
    following = lines.peek(1)
    if not following or not following[0] or not following[0].endswith(b" addresses\n"):
        return None  # most lines, seen at a glance
    ahead = lines.peek(HEAD_LINES)
    return None if None in ahead else HEAD.fullmatch(b"".join(ahead))


def read_reports(ctx, source, lines, stamp=None):
    """(failures, software, stamps): Counters of the failures and of the
    software of the reports that make an input (NumberedLines that start
    with a report's head, `stamp` the stamp read before it), and the stamp
    (or None) of each report counted; a report with a fault is named and
    left out, and so are lines between reports that start none."""
    failures, software, stamps = collections.Counter(), collections.Counter(), []
    while lines.peek(1):
        head = head_follows(lines)
        if not head:
            lineno, line = lines.read()
            what = shown(line.rstrip(LF)[:60]) if line else "a long line"
            ctx.bad_line(source, lineno, f"not the first line of a report (COUNT addresses): {what}")
            stamp = reportstamp.read_stamp(lines)
            continue
        lineno, _ = lines.read()
        for _ in range(HEAD_LINES - 1):
            lines.read()
        read = Report(ctx, source, lineno, head)
        while lines.peek(1) and not head_follows(lines) and not reportstamp.stamp_follows(lines):
            read.line(*lines.read())
        if read.sound():
            failures.update(read.counts[FAILURES])
            software.update(read.counts[SOFTWARE])
            stamps.append(stamp)
        stamp = reportstamp.read_stamp(lines)
    return failures, software, stamps


class Report:
    """A report being read, a line at a time after its head: its rows by
    section, and the number of its faults, each named as it is found."""

    def __init__(self, ctx, source, lineno, head):
        self.ctx, self.source, self.lineno = ctx, source, lineno
        self.last = lineno + HEAD_LINES - 1  # the last line read
        self.shares = head[3] == HEADINGS[True][0]
        self.faults = 0
        self.section = FAILURES
        self.counts = {FAILURES: collections.Counter(), SOFTWARE: collections.Counter()}
        self.addresses, self.connections = (self.head_count(lineno + offset, head[group])
                                            for offset, group in ((0, 1), (1, 2)))

    def head_count(self, lineno, digits):
        if len(digits) <= tallyfiles.MAX_DIGITS:
            return int(digits)
        self.fault(lineno, f"a count of {len(digits)} digits, more than tally counts "
                           f"({tallyfiles.MAX_COUNT})")
        return 0

    def fault(self, lineno, message):
        self.faults += 1
        self.ctx.bad_line(self.source, lineno, message)

    def line(self, lineno, line):
        self.last = lineno
        try:
            tallyfiles.check_whole(line)
        except BadRow as error:
            self.fault(lineno, str(error))
            return
        if line == LF:
            if self.section == FAILURES:
                self.section = GAP
            else:
                self.fault(lineno, "an empty line among the software rows" if
                           self.section == SOFTWARE else "a second empty line")
        elif line in HEADING_LINES:
            self.heading(lineno, *HEADING_LINES[line])
        elif self.section == GAP:
            self.section = SOFTWARE
            try:
                tallyfiles.parse_row(line)
            except BadRow:
                self.fault(lineno, f"not the heading {self.software_heading()}: "
                                   f"{shown(line[:-1][:60])}")
                return
            self.fault(lineno, f"a row where the heading {self.software_heading()} belongs")
            self.counted(lineno, line)
        else:
            self.counted(lineno, line)

    def counted(self, lineno, line):
        try:
            self.row(line)
        except BadRow as error:
            self.fault(lineno, str(error))

    def heading(self, lineno, section, shares):
        written = shown(HEADINGS[shares][section == SOFTWARE])
        if section == FAILURES or self.section == SOFTWARE:
            self.fault(lineno, f"the heading {written} again")
            return
        if self.section == FAILURES:
            self.fault(lineno, f"no empty line before the heading {written}")
        if shares != self.shares:
            self.fault(lineno, "the headings disagree: one is of a report with shares "
                               "(--percent), the other of one without")
        self.section = SOFTWARE

    def software_heading(self):
        return shown(HEADINGS[self.shares][1])

    def row(self, line):
        """Count a row in its section, or raise BadRow."""
        count, label = tallyfiles.parse_row(line)
        whole = self.addresses if self.section == FAILURES else self.connections
        if self.shares:
            shared = tallyfiles.split_share(label)
            if not shared:
                raise BadRow("a row without a share under a heading with shares (--percent)")
            share, label = shared
            expected = tallyfiles.written_share(count, whole) if whole else share
            if share != expected:
                raise BadRow(f"{count} of {whole} is {expected.decode().strip()}%, "
                             f"not {share.decode().strip()}%")
        if self.section == FAILURES and label not in FAILURE_LABELS:
            raise BadRow(f"{shown(label[:60])} is not a reason for a connection failure")
        if self.section == SOFTWARE and label in FAILURE_LABELS:
            raise BadRow(f"{shown(label)} is a reason for a connection failure, "
                         f"not server software")
        if not label or TAB in label:
            raise BadRow("an empty label" if not label else "a TAB in a label")
        # A label twice in a section (a row swapped with one of the same
        # count from another report) is added up, as --merge does.
        self.counts[self.section][label] += count

    def sound(self):
        """Whether the report is whole and agrees with itself; if not, it is
        named as left out."""
        if self.section != SOFTWARE:
            self.fault(self.last + 1, f"no heading {self.software_heading()}")
        if not self.faults:
            counted = sum(self.counts[SOFTWARE].values())
            if counted != self.connections:
                self.fault(self.lineno + 1, f"{self.connections} successful "
                                            f"{cli.plural(self.connections, 'connection')}, "
                                            f"but the software rows add up to {counted}")
            counted += sum(self.counts[FAILURES].values())
            if counted != self.addresses:
                self.fault(self.lineno, f"{self.addresses} "
                                        f"{cli.plural(self.addresses, 'address', 'addresses')}, "
                                        f"but the rows add up to {counted}")
        if self.faults:
            self.ctx.bad_line(self.source, self.lineno,
                              f"the report from here to line {self.last} is left out")
        return not self.faults
