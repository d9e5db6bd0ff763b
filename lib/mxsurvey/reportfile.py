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

The sections of today's dialogue follow the software rows, each after an
empty line (todayreport counts them and reads them back).  parts() gives
every section of a report as data, its headings, what its shares are of
and its rows: what report() writes, and what another rendering walks.
"""

import collections
import re
from typing import NamedTuple

from . import cli, record, reportstamp, tallyfiles, todayreport

LF = record.LF
TAB = record.TAB
BadRow, shown = tallyfiles.BadRow, tallyfiles.shown

# The headings of a report written without --percent, and with it.
HEADINGS = {False: (b"Reasons for connection failures:", b"Server software tallies:"),
            True: (b"Reasons for connection failures (% of addresses):",
                   b"Server software tallies (% of successful connections):")}
# A report's parts, after its head; AFTER_SOFTWARE is an empty line after
# the software rows, which only the heading of today's sections may follow.
FAILURES, GAP, SOFTWARE, AFTER_SOFTWARE, TODAY = (
    "failures", "gap", "software", "after software", "today")
HEADING_LINES = {heading + LF: (section, shares)
                 for shares, headings in HEADINGS.items()
                 for section, heading in zip((FAILURES, SOFTWARE), headings)}
FAILURE_LABELS = frozenset(label.encode() for label in record.FAILURE_LABELS.values())

NUMBER = rb"(0|[1-9][0-9]*)"  # as %d writes it
# A report with sections of today's dialogue says so in its head, with the
# number of its connections that spoke it, so that a report cut short just
# before them is not taken for a whole report of 1998.
TODAY_IN_HEAD = b" (%d of them in today's dialogue)"
HEAD = re.compile(NUMBER + rb" addresses\n" + NUMBER + rb" successful connections"
                  + b"(?:" + re.escape(TODAY_IN_HEAD).replace(b"%d", NUMBER) + b")?"
                  + rb"\n\n("
                  + b"|".join(re.escape(failures) for failures, _ in HEADINGS.values())
                  + rb")\n")
HEAD_LINES = 4


class Part(NamedTuple):
    """A section of a report, as a renderer walks it: its heading as
    written without shares and with them (--percent), what its shares are
    of, and its rows, a Counter of labels."""
    headings: tuple
    whole: int
    rows: collections.Counter


def parts(failures, software, today=None):
    """The sections of the report of Counters of failure labels and of
    software labels, and of a todayreport.Today (None: no line of today's
    record), in its order."""
    connections = sum(software.values())
    return [
        Part((HEADINGS[False][0], HEADINGS[True][0]), connections + sum(failures.values()),
             failures),
        Part((HEADINGS[False][1], HEADINGS[True][1]), connections, software),
        *(Part((section.heading(whole, rows)[:-1],) * 2, whole, rows)
          for section, whole, rows in (today.sections() if today else ())),
    ]


def report(failures, software, percent, today=None):
    """The report of Counters of failure labels and of software labels, and
    of a todayreport.Today (None: no line of today's record)."""
    failures_part, software_part, *_ = sections = parts(failures, software, today)
    return b"".join([
        b"%d addresses\n" % failures_part.whole,
        b"%d successful connections%s\n" % (
            software_part.whole, TODAY_IN_HEAD % today.wholes["greeting"] if today else b""),
        *(LF + part.headings[percent] + LF + tallyfiles.rows(
            part.rows, part.whole if percent else None) for part in sections),
    ])


def head_follows(lines):
    """The match of HEAD on the NumberedLines that come next, or None."""
    following = lines.peek(1)
    if not following or not following[0] or not following[0].endswith(b" addresses\n"):
        return None  # most lines, seen at a glance
    ahead = lines.peek(HEAD_LINES)
    return None if None in ahead else HEAD.fullmatch(b"".join(ahead))


def read_reports(ctx, source, lines, stamp=None):
    """(failures, software, today, stamps): Counters of the failures and of
    the software of the reports that make an input (NumberedLines that start
    with a report's head, `stamp` the stamp read before it), the
    todayreport.Today of their sections of today's dialogue (None if none
    has them), and the stamp (or None) of each report counted; a report
    with a fault is named and left out, and so are lines between reports
    that start none."""
    failures, software, today, stamps = collections.Counter(), collections.Counter(), None, []
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
            if read.today:
                today = today or todayreport.Today()
                today.update(read.today.today)
            stamps.append(stamp)
        stamp = reportstamp.read_stamp(lines)
    return failures, software, today, stamps


class Report:
    """A report being read, a line at a time after its head: its rows by
    section, and the number of its faults, each named as it is found."""

    def __init__(self, ctx, source, lineno, head):
        self.ctx, self.source, self.lineno = ctx, source, lineno
        self.last = lineno + HEAD_LINES - 1  # the last line read
        self.shares = head[4] == HEADINGS[True][0]
        self.faults = 0
        self.section = FAILURES
        self.counts = {FAILURES: collections.Counter(), SOFTWARE: collections.Counter()}
        self.today = None  # a todayreport.Reader, from the first of today's headings
        self.addresses, self.connections = (self.head_count(lineno + offset, head[group])
                                            for offset, group in ((0, 1), (1, 2)))
        # The connections that spoke today's dialogue, or None: no such sections.
        self.today_announced = head[3] and self.head_count(lineno + 1, head[3])

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
        if self.section == AFTER_SOFTWARE:
            if todayreport.starts_today(line):
                self.section, self.today = TODAY, todayreport.Reader(self.shares)
            else:
                self.section = SOFTWARE
                self.fault(lineno - 1, "an empty line among the software rows")
        if self.section == TODAY:
            self.today.line(line, lambda message: self.fault(lineno, message))
        elif line == LF:
            if self.section == FAILURES:
                self.section = GAP
            elif self.section == SOFTWARE:
                self.section = AFTER_SOFTWARE
            else:
                self.fault(lineno, "a second empty line")
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
        whole = self.addresses if self.section == FAILURES else self.connections
        count, label = tallyfiles.report_row(line, whole, self.shares)
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

    def check_today_announced(self):
        greeted = self.today.today.wholes["greeting"] if self.today else None
        if self.today_announced is None and greeted is not None:
            self.fault(self.lineno + 1, "sections of today's dialogue, which the head does not "
                                        "announce")
        elif self.today_announced is not None and greeted is None:
            self.fault(self.last, f"no sections of today's dialogue, which the head announces: "
                                  f"is the report cut short?")
        elif greeted != self.today_announced:
            self.fault(self.lineno + 1, f"{self.today_announced} in today's dialogue, but "
                                        f"{greeted} servers that greeted")

    def sound(self):
        """Whether the report is whole and agrees with itself; if not, it is
        named as left out."""
        if self.section == AFTER_SOFTWARE:
            self.fault(self.last, "an empty line among the software rows")
        elif self.section not in (SOFTWARE, TODAY):
            self.fault(self.last + 1, f"no heading {self.software_heading()}")
        for message in self.today.faults_at_end(self.connections) if self.today else ():
            self.fault(self.last, message)
        self.check_today_announced()
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
