"""sections: a report read as what the pictures draw, whatever it holds.

A report is its stamp (`#` lines), its totals (`332 addresses`), and
sections: a heading that ends in `:`, then rows `COUNT LABEL` (or `COUNT
SHARE% LABEL`) up to an empty line.  The chart, the page and the trend
read every section so, not only the failures and the software that
reportfile knows: a section a later tally adds is drawn as it lands.

Each section's rows are shares of a whole: of the number its heading
gives (`(of 280 servers that greeted)`), or of the total it names as
`(% of WHOLE)`, or of the one reportfile's headings have (the failures
of the addresses, the software of the successful connections), or else of
the sum of its rows.  Several reports, in one input or several, are added
up section by section, as --merge adds them.
"""

import re
import typing
import unicodedata

from . import cli, reportfile, reportstamp, tallyfiles

LF = b"\n"
# A total: its count, its name, and a note of a number of them, as
# `290 successful connections (280 of them in today's dialogue)`.
TOTAL = re.compile(rb"(0|[1-9][0-9]*) ([^\n(]*[^\n( ])(?: \((0|[1-9][0-9]*) ([^\n)]*)\))?\n")
# A heading: its title, then what its rows are of, if it says: a total by
# name (`(% of addresses)`), or a number of something (`(of 280 servers
# that greeted)`, `(% of 250 servers that answered EHLO; 1432 keywords
# offered)`); `%` if its rows have shares.
HEADING = re.compile(rb"(?P<title>[^ #\n][^\n]*?)(?: \((?P<shares>% )?of "
                     rb"(?:(?P<number>0|[1-9][0-9]*) )?(?P<whole>[^);\n]+)(?:; [^)\n]*)?\))?:\n")
MADE = re.compile(rb"# made by tally \S+ on ([0-9]{4})-([0-9]{2})-[0-9]{2}T")
# The whole of each of reportfile's sections, by its title.
WHOLES = dict(zip((heading.rstrip(b":") for heading in reportfile.HEADINGS[False]),
                  (b"addresses", b"successful connections")))


class Section(typing.NamedTuple):
    title: bytes          # the heading without its share note and its colon
    rows: tuple           # (label, count), in the report's order
    whole: int            # what the rows' shares are of
    whole_label: bytes    # what that whole counts, as `addresses`


class Report(typing.NamedTuple):
    stamp: tuple          # the stamp's `#` lines, without their LF
    totals: tuple         # (label, count), as (b"addresses", 332)
    sections: tuple       # Section


def share(count, whole):
    """A row's share as the report writes it: `56.6`."""
    return tallyfiles.written_share(count, whole).decode().strip() if whole else "0.0"


def text(label):
    """A label as text to show: bytes that are not UTF-8, control
    characters and the invisible ones that reorder or hide text (a
    server's bytes, a pattern file's words) written as escapes, so that
    no label can move a terminal's cursor or hide another."""
    return "".join(escaped(char) if unicodedata.category(char) in HIDDEN else char
                   for char in label.decode("utf-8", "backslashreplace"))


def escaped(char):
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def month(report):
    """The month of a report's stamp, `2026-03`, or None."""
    for line in report.stamp:
        found = MADE.match(line)
        if found:
            return f"{found[1].decode()}-{found[2].decode()}"
    return None


def parse(report_bytes):
    """The Report of the bytes tally writes (reportfile.report)."""
    return added(read(None, "tally", tallyfiles.NumberedLines(_Bytes(report_bytes))))


class _Bytes:
    def __init__(self, data):
        self.data, self.at = data, 0

    def readline(self, size):
        end = self.data.find(LF, self.at, self.at + size)
        end = self.at + size if end < 0 else end + 1
        line, self.at = self.data[self.at:end], end
        return line


def read(ctx, source, lines):
    """The Reports that make an input (NumberedLines that start with a
    stamp or a report's head); malformed lines are named (ctx.bad_line)
    and left out."""
    reports = []
    while lines.peek(1):
        stamp = []
        while reportstamp.stamp_follows(lines):
            stamp.append(lines.read()[1].rstrip(LF))
        totals, sections, heading, rows = [], [], None, []
        # A report with shares says so in its first heading; the headings of
        # today's sections are the same with shares and without.
        shares = False
        for lineno, line in _until_next_report(lines):
            try:
                tallyfiles.check_whole(line)
            except tallyfiles.BadRow as error:
                _bad(ctx, source, lineno, str(error))
                continue
            if line == LF:
                if heading is not None:
                    sections.append((heading, rows))
                heading, rows = None, []
            elif heading is None and not sections and TOTAL.fullmatch(line):
                found = TOTAL.fullmatch(line)
                totals.append((found[2], int(found[1]), found[3] and (int(found[3]), found[4])))
            elif heading is None and HEADING.fullmatch(line):
                heading = HEADING.fullmatch(line)
                shares = shares or not sections and bool(heading["shares"])
            elif heading is None:
                _bad(ctx, source, lineno, f"neither a total nor a heading: "
                                          f"{tallyfiles.shown(line[:-1][:60])}")
            else:
                try:
                    count, rest = tallyfiles.parse_row(line)
                except tallyfiles.BadRow as error:
                    _bad(ctx, source, lineno, str(error))
                    continue
                shared = (heading["shares"] or shares and heading["number"]) and \
                    tallyfiles.split_share(rest)
                rows.append((shared[1] if shared else rest, count))
        if heading is not None:
            sections.append((heading, rows))
        reports.append((tuple(stamp), totals, sections))
    return reports


def _until_next_report(lines):
    """The numbered lines of one report: up to the stamp or the head of
    the next, as parallel(1) writes reports one after another."""
    previous = None
    while lines.peek(1):
        following = lines.peek(1)[0]
        if previous is not None and following is not None and is_report(following):
            return
        lineno, previous = lines.read()
        yield lineno, previous


def _bad(ctx, source, lineno, message):
    if ctx is None:
        raise ValueError(f"{source}:{lineno}: {message}")
    ctx.bad_line(source, lineno, message)


def added(reports):
    """One Report of the (stamp, totals, [(heading match, rows)]) read:
    totals and rows added up by label, sections by title, each in the
    order of its first report, rows in the report's order (count
    descending, ties in descending byte order of the label)."""
    stamps, totals, notes, titled = [], {}, {}, {}
    for stamp, report_totals, sections in reports:
        stamps += [line for line in stamp if line not in stamps]
        for label, count, note in report_totals:
            totals[label] = totals.get(label, 0) + count
            if note:
                number, words = notes.get(label, (0, note[1]))
                notes[label] = number + note[0], words
        for heading, rows in sections:
            title = heading["title"]
            whole_label = heading["whole"] or WHOLES.get(title)
            if title not in titled:
                titled[title] = (whole_label, {}, [0])
            counts, number = titled[title][1:]
            if heading["number"]:
                number[0] += int(heading["number"])
            for label, count in rows:
                counts[label] = counts.get(label, 0) + count
    sections = []
    for title, (whole_label, counts, (number,)) in titled.items():
        rows = tuple(sorted(counts.items(), key=tallyfiles.by_count_then_label, reverse=True))
        if number:
            whole = number
        elif whole_label in totals:
            whole = totals[whole_label]
        else:
            whole, whole_label = sum(counts.values()), b"rows"
        sections.append(Section(title, rows, whole, whole_label))
    return Report(tuple(stamps), tuple((label + (b" (%d %s)" % notes[label] if label in notes
                                                 else b""), count)
                                       for label, count in totals.items()), tuple(sections))


def is_report(first_lines):
    """Whether an input that starts with these bytes is a report (or
    reports): a stamp, or a first line of the addresses counted, whatever
    totals follow it."""
    first = first_lines.partition(LF)[0].removesuffix(b"\r") + LF  # a CRLF copy too
    return first.startswith(reportstamp.COMMENT) or bool(
        TOTAL.fullmatch(first) and TOTAL.fullmatch(first)[2] == b"addresses")


def start_of(stream):
    """The bytes an input starts with, enough to tell a report: its `#`
    lines and the head's four lines after them."""
    start = stream.readline(tallyfiles.MAX_ROW + 1)
    following = 0
    while following < reportfile.HEAD_LINES:
        line = stream.readline(tallyfiles.MAX_ROW + 1)
        start += line
        if not line:
            break
        if not line.startswith(reportstamp.COMMENT):
            following += 1
    return start.removeprefix(cli.BOM)


class Replayed:
    """A stream whose first bytes, already read, are read again."""

    def __init__(self, start, stream):
        self.start, self.stream = start, stream

    def read(self, size=-1):
        if not self.start:
            return self.stream.read(size)
        if size < 0:
            data, self.start = self.start + self.stream.read(), b""
            return data
        data, self.start = self.start[:size], self.start[size:]
        return data

    def readline(self, size=-1):
        if not self.start:
            return self.stream.readline(size)
        end = self.start.find(LF)
        end = len(self.start) if end < 0 else end + 1
        if 0 <= size < end:
            end = size
        line, self.start = self.start[:end], self.start[end:]
        if not line.endswith(LF) and not self.start and (size < 0 or len(line) < size):
            line += self.stream.readline(-1 if size < 0 else size - len(line))
        return line
