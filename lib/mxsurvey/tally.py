"""tally: the survey's report, counted from mtaguess lines.

The report gives the number of addresses probed and of successful
connections, then the failures by reason and the server software, each row
`COUNT LABEL` as `uniq -c` writes it and in the order of
`LC_ALL=C sort | uniq -c | sort -rn`: count descending, ties in descending
byte order of the label.  A line is held only up to its STATUS, however
long its transcript.

`--counts` counts one field of any input, and prints byte for byte what
`cut -f N | LC_ALL=C sort | LC_ALL=C uniq -c | LC_ALL=C sort -rn` prints.

`--merge` reads earlier outputs of tally back (reports, which reportfile
reads strictly, or the rows of `--counts`) and adds them up, so that a survey split into shards run on
several machines ends in the report one run would have written; `--diff`
reads two of them and shows how each row changed.

`--chart`, `--html`, `--svg` and `--trend` draw the report, or several
months of reports (pictures).
"""

import collections
import re

from . import (cli, domaincount, fieldcount, pictures, record, reportfile, reportstamp,
               tallyfiles, todayreport)

NAME = "tally"

USAGE = """\
tally: count the survey's outcomes and the server software found.

Reads mtaguess lines (LABEL ADDRESS STATUS ...) from the FILEs or stdin and
writes the report: addresses, successful connections, failures by reason,
server software by label; for lines of today's dialogue (smtpprobe --ehlo),
what the servers offered in EHLO, STARTTLS and TLS, and their certificates.
No line to count is a fatal error, exit 3.

Usage:
  tally [--percent] [--stamp] [--labels-from=PATTERNS]... [FILE...]
  tally --counts [--field=LIST] [--percent] [FILE...]
  tally --merge [--percent] [--stamp] [FILE...]
  tally --diff OLD NEW
  tally --chart [--html=PAGE] [--svg=IMAGE] [FILE...]
  tally --html=PAGE [--svg=IMAGE] [FILE...]
  tally --svg=IMAGE [FILE...]
  tally --trend [--html=PAGE] [--svg=IMAGE] REPORT...
  tally --domains [--percent] [FILE...]
  tally (-h | --help | --version)

Options:
  --stamp        Begin the report with `#` lines that say what made it:
                 tally's version and the time (UTC).
  --labels-from=PATTERNS
                 Stamp the report (as --stamp) with the pattern file
                 mtaguess labelled the lines with, its name and SHA-256;
                 repeat it for each -f of mtaguess, in order.
  --counts       Count one field of any input, each distinct value once,
                 in the order and layout of the report's rows.
  --field=LIST   The field --counts counts, from 1, or fields as cut -f
                 takes them (1,2 or 1-3) [default: 1].
  --merge        Add up earlier outputs of tally, all reports or all rows
                 of --counts, into what one run over all their input
                 would have written; with --stamp, keep the pattern files
                 their stamps all name.
  --diff         Compare two earlier outputs of tally row by row: each
                 label's count in OLD, its count in NEW and the change;
                 warn if their stamps name different pattern files.
  --domains      Count domains, not lines, from mtaguess lines of
                 `mxlookup --all | smtpprobe --every-line`: each domain
                 once, under its most preferred exchanger that answered.
  --percent      Add each row's share, as `62.8%`.
  --chart        Draw the report as bars on the terminal, with counts and
                 shares: FILEs of mtaguess lines, or earlier reports
                 (added up as --merge adds them).
  --html=PAGE    Write the report as one HTML page, its charts and tables
                 in it, into PAGE; with --trend, the trend's page.
  --svg=IMAGE    Write the report's bar charts, or with --trend its line
                 chart, as an SVG image into IMAGE.
  --trend        Show each product's share month by month, from REPORTs:
                 the month of each is in its stamp (--stamp) or else in
                 its file's name (2026-03.report).
  -h, --help     Show this help.
  --version      Show the version.
"""

LF = record.LF
OK = record.OK.encode()
STATUSES = frozenset(status.encode() for status in record.STATUSES)

# Field positions in a mtaguess line: LABEL, then the smtpprobe line.
LABEL = record.LABEL
STATUS = 1 + record.STATUS
FIELDS_NEEDED = STATUS + 1
TRANSCRIPT = 1 + record.TRANSCRIPT + 1  # its field number, from 1: dropped from a long line

# The label mtaguess gives a line of each failed STATUS.
FAILURE_LABEL = {status.encode(): label.encode()
                 for status, label in record.FAILURE_LABELS.items()}


def main(argv=None, stdin=None, stdout=None, stderr=None):
    return cli.run(NAME, USAGE, body, argv, stdin, stdout, stderr)


def body(args, ctx):
    percent = args["--percent"]
    if args["--chart"] or args["--html"] or args["--svg"] or args["--trend"]:
        pictures.draw(ctx, args, count_input, nothing_counted)
    elif args["--counts"]:
        fields = fieldcount.parse_fields(args["--field"])
        if fields is None:
            raise cli.UsageError(
                f"--field takes a field number from 1 to {fieldcount.MAX_FIELD}, or a list "
                f"of them as cut -f takes it (1,2 or 1-3), not {args['--field']!r}")
        counts = collections.Counter()
        for source, stream in cli.open_inputs(ctx, args["FILE"]):
            counts.update(fieldcount.count_field(ctx, source, stream, fields))
        ctx.stdout.write(tallyfiles.rows(counts, sum(counts.values()) if percent else None))
    elif args["--merge"]:
        ctx.stdout.write(merged(ctx, args["FILE"], percent, args["--stamp"]))
    elif args["--diff"]:
        ctx.stdout.write(difference(ctx, args["OLD"], args["NEW"]))
    elif args["--domains"]:
        failures, software = domaincount.count(ctx, args["FILE"], WithoutBom)
        if not failures and not software:
            raise cli.Fatal("no line of a domain counted, so no report")
        ctx.stdout.write(domaincount.report(failures, software, percent))
    else:
        labels = reportstamp.pattern_labels(args["--labels-from"])
        failures, software, today = count_outcomes(ctx, args["FILE"])
        stamp = reportstamp.stamp(labels) if args["--stamp"] or labels else b""
        ctx.stdout.write(stamp + reportfile.report(failures, software, percent, today))


# The report ------------------------------------------------------------------

def count_outcomes(ctx, paths):
    """Counters of failure labels and of software labels over mtaguess
    lines, and the todayreport.Today of their lines of today's record (None
    if there is none); malformed lines are named and skipped.  A CR that
    ends a line and a byte order mark that starts an input are dropped.
    Raises Fatal if no line is counted, or if an input is another stage's
    output."""
    failures, software, today = collections.Counter(), collections.Counter(), todayreport.Today()
    today.present = False
    lines_read = sum(count_input(ctx, source, stream, failures, software, today)
                     for source, stream in cli.open_inputs(ctx, paths))
    if not failures and not software:
        nothing_counted(lines_read)
    return failures, software, today if today.present else None


def count_input(ctx, source, stream, failures, software, today=None):
    """Count the mtaguess lines of one input into the Counters, and its
    lines of today's record into `today` (a todayreport.Today, or None to
    pass them over), which is then `present`; the number of its lines."""
    lineno = 0
    for span in fieldcount.led_spans(WithoutBom(stream), todayreport.FIELDS, TRANSCRIPT):
        if span is fieldcount.TOO_LONG:
            lineno += 1
            ctx.bad_line(source, lineno, fieldcount.too_long(FIELDS_NEEDED))
            continue
        # Lines of 1998 are found without today's groups, which would
        # cost them a tuple of 17 fields each.
        found = (OUTCOME if todayreport.ANY_TODAY.search(*span) else OUTCOME_1998).findall(*span)
        if lineno == 0 and found and problem(*without_cr(*found[0][:3])):
            cli.stop_if_another_stage(source, 1, first_line(*span), NAME)
        malformed = {}
        distinct = todayreport.gathered(collections.Counter(found), TODAY_MARKER)
        for written, count in distinct.items():
            label, _, status = outcome = without_cr(*written[:3])
            facts = written[TODAY_MARKER:] and written[TODAY_MARKER] and todayreport.facts_of(
                written[TODAY_MARKER + 1:])
            fault = problem(*outcome) or facts and todayreport.facts_fault(facts)
            if fault:
                malformed[written] = fault
                continue
            if status == OK:
                software[label] += count
            else:
                failures[label] += count
            if facts and today is not None:
                today.present = True
                if status == OK:
                    today.count(facts, count)
        if malformed:
            for number, written in enumerate(found, lineno + 1):
                fault = malformed.get(*todayreport.gathered({written: 1}, TODAY_MARKER))
                if fault:
                    ctx.bad_line(source, number, fault)
        lineno += len(found)
    return lineno


def nothing_counted(lines_read):
    raise cli.Fatal("no input lines, so no report" if not lines_read else
                    f"no mtaguess line among the {lines_read} input "
                    f"{cli.plural(lines_read, 'line')}, so no report")


def without_cr(label, tab, status):
    """An outcome without the CR of a CRLF line end, which ends its status
    or, on a line of one field, its label."""
    if tab:
        return label, tab, status.removesuffix(b"\r")
    return label.removesuffix(b"\r"), tab, status


def first_line(buffer, start, end):
    """The first of the LF-led lines of a span, without its LF and CR."""
    stop = buffer.find(LF, start + 1, end)
    return cli.text_line(buffer[start + 1:end if stop < 0 else stop], 1)


class WithoutBom:
    """A stream read without the byte order mark it may start with; no read
    longer than asked for, as led_spans needs."""

    def __init__(self, stream):
        self.stream = stream
        self.started = False

    def read(self, size):
        if self.started:
            return self.stream.read(size)
        self.started = True
        data = self.stream.read(size)
        while data and cli.BOM.startswith(data) and len(data) < len(cli.BOM):
            more = self.stream.read(size - len(data))
            if not more:
                break
            data += more
        if data.startswith(cli.BOM):
            data = data[len(cli.BOM):] or self.stream.read(size)
        return data


# Over LF-led lines, one match a line: (LABEL, a TAB if the line reaches
# STATUS, STATUS, then todayreport's groups: a TAB if the line is one of
# today's record, and the fields of it that are counted).
TODAY_MARKER = 3  # the index of todayreport's first group in a match
OUTCOME_1998 = rb"\n([^\t\n]*)(?:(?:\t[^\t\n]*){%d}(\t)([^\t\n]*)%s)?"
OUTCOME = re.compile(OUTCOME_1998 % (STATUS - 1, todayreport.GROUPS))
OUTCOME_1998 = re.compile(OUTCOME_1998 % (STATUS - 1, b""))


def problem(label, tab, status):
    """What is wrong with a line's outcome, or None."""
    if not tab:
        return f"fewer than {FIELDS_NEEDED} fields"
    if status not in STATUSES:
        return f"unknown status {tallyfiles.shown(status)}"
    if not label:
        return "empty label"
    # Checked, so that a row moved from one section of a report to the
    # other shows when the report is read back (reportfile).
    if status == OK:
        if label in reportfile.FAILURE_LABELS:
            return f"the label {tallyfiles.shown(label)} names a failure, but the status is ok"
    elif label != FAILURE_LABEL[status]:
        return (f"the label of status {status.decode()} is "
                f"{tallyfiles.shown(FAILURE_LABEL[status])}, not {tallyfiles.shown(label)}")
    return None


# --merge and --diff: earlier outputs added up or compared -------------------

REPORT, COUNTS = tallyfiles.REPORT, tallyfiles.COUNTS  # the kinds of earlier output
CHANGE_ROW = b"%7d %7d %+7d %s\n"
FAILURES_HEADING, SOFTWARE_HEADING = reportfile.HEADINGS[False]  # --diff writes no shares


def merged(ctx, paths, percent, stamped):
    """The output one run over all the input of these earlier outputs
    would have written: a report if they are reports, else rows; with
    `stamped`, after a stamp that keeps the pattern files their stamps all
    name.  Raises Fatal if there is nothing to merge."""
    first_of_kind, sections, stamps = {}, None, []
    for source, stream in cli.open_inputs(ctx, paths):
        kind, found, found_stamps = read_tallied(ctx, source, stream)
        if kind is None:
            continue
        first_of_kind.setdefault(kind, source)
        if len(first_of_kind) > 1:
            raise cli.Fatal(f"{first_of_kind[REPORT]} is {REPORT} and {first_of_kind[COUNTS]} "
                            f"is {COUNTS}: merge outputs of one kind")
        stamps += [(source, stamp) for stamp in found_stamps]
        if sections is None:
            sections = found
        else:
            for index, more in enumerate(found):
                if sections[index] is None:  # Today, of reports with no line of today's record
                    sections[index] = more
                elif more is not None:
                    sections[index].update(more)
    if not stamps:
        raise cli.Fatal("no report and no rows to merge")
    warn_of_pattern_lists(ctx, stamps, "the sum mixes two pattern lists")
    stamp = reportstamp.stamp(reportstamp.agreed(stamp for _, stamp in stamps)) if stamped else b""
    if REPORT in first_of_kind:
        failures, software, today = sections
        connections = sum(software.values())
        for counts in (failures, software, {b"addresses": connections + sum(failures.values()),
                                            b"successful connections": connections},
                       *(today.counted() if today else ())):
            tallyfiles.readable(counts)
        return stamp + reportfile.report(failures, software, percent, today)
    counts = sections[0]
    tallyfiles.readable(counts)
    return stamp + tallyfiles.rows(counts, sum(counts.values()) if percent else None)


def warn_of_pattern_lists(ctx, stamps, consequence):
    """Say so if two of the (source, Stamp) name different pattern files:
    their rows may differ for the list's sake, not the software's."""
    different = reportstamp.first_disagreement(stamps)
    if different:
        (one, one_labels), (other, other_labels) = different
        ctx.say(f"{one} was labelled with {reportstamp.described(one_labels)} and {other} "
                f"with {reportstamp.described(other_labels)}; {consequence}")


def read_path(ctx, path):
    """(kind, sections, stamps) of the earlier output in one file."""
    for source, stream in cli.open_inputs(ctx, [path]):
        return read_tallied(ctx, source, stream)


def read_tallied(ctx, source, stream):
    """(kind, sections, stamps) of an earlier output of tally: for reports,
    Counters of their failures and of their software, and the stamp (or
    None) of each report counted; for rows of --counts, one Counter, and
    their stamp if any rows were counted.  An input with no rows is of no
    kind: (None, [], [])."""
    lines = tallyfiles.NumberedLines(stream)
    stamp = reportstamp.read_stamp(lines)
    if not lines.peek(1):
        return None, [], []
    if reportfile.head_follows(lines):
        failures, software, today, stamps = reportfile.read_reports(ctx, source, lines, stamp)
        return REPORT, [failures, software, today], stamps
    stop_if_another_stage_wrote(source, *lines.peek(1))
    counts = tallyfiles.read_rows(ctx, source, lines)
    return COUNTS, [counts], [stamp] if counts else []


def stop_if_another_stage_wrote(source, line):
    """Raise Fatal if an earlier output of tally starts with a line that
    is not a row but what another program writes or reads."""
    try:
        tallyfiles.parse_row(line)
    except tallyfiles.BadRow:
        if line:
            cli.stop_if_another_stage(source, 1, cli.text_line(line.rstrip(LF), 1), record.MERGE)


def difference(ctx, old_path, new_path):
    """Each row of two earlier outputs of one kind: its count in the old,
    in the new, and the change; in the new one's order, then the rows the
    new one lacks in the old one's order.  Says so on stderr if their
    stamps name different pattern files."""
    for path in (old_path, new_path):
        cli.check_readable(path)
    (old_kind, old, old_stamps), (new_kind, new, new_stamps) = (
        read_path(ctx, path) for path in (old_path, new_path))
    warn_of_pattern_lists(ctx, [(old_path, stamp) for stamp in old_stamps]
                          + [(new_path, stamp) for stamp in new_stamps],
                          "a change of pattern list is not a change of software")
    if old_kind and new_kind and old_kind != new_kind:
        raise cli.Fatal(f"{old_path} is {old_kind} and {new_path} is {new_kind}: "
                        f"compare outputs of one kind")
    # An empty file is either kind, with no rows.
    old = old or no_rows(len(new))
    new = new or no_rows(len(old))
    if REPORT not in (old_kind, new_kind):
        return changed_rows(old[0] if old else {}, new[0] if new else {})
    (old_failures, old_software, old_today), (new_failures, new_software, new_today) = old, new
    old_connections, new_connections = sum(old_software.values()), sum(new_software.values())
    return b"".join([
        CHANGE_ROW % total_change(old_connections + sum(old_failures.values()),
                                  new_connections + sum(new_failures.values()), b"addresses"),
        CHANGE_ROW % total_change(old_connections, new_connections, b"successful connections"),
        LF, FAILURES_HEADING, LF,
        changed_rows(old_failures, new_failures),
        LF, SOFTWARE_HEADING, LF,
        changed_rows(old_software, new_software),
        todayreport.difference(old_today, new_today, changed_rows, CHANGE_ROW),
    ])


def no_rows(parts):
    """The sections of an empty file read as an output of `parts` parts:
    counts, or for a report its failures and software, and no Today."""
    return [collections.Counter(), collections.Counter(), None][:parts]


def total_change(old, new, label):
    return old, new, new - old, label


def changed_rows(old, new):
    def new_order_then_old(label):
        if label in new:
            return True, new[label], label
        return False, old[label], label
    labels = sorted(old.keys() | new.keys(), key=new_order_then_old, reverse=True)
    return b"".join(CHANGE_ROW % total_change(old.get(label, 0), new.get(label, 0), label)
                    for label in labels)

