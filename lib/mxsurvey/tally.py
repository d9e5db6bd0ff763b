"""tally: the survey's report, counted from mtaguess lines.

The report gives the number of addresses probed and of successful
connections, then the failures by reason and the server software, each row
`COUNT LABEL` as `uniq -c` writes it and in the order of
`LC_ALL=C sort | uniq -c | sort -rn`: count descending, ties in descending
byte order of the label.

`--counts` counts one field of any input, and prints byte for byte what
`cut -f N | LC_ALL=C sort | LC_ALL=C uniq -c | LC_ALL=C sort -rn` prints.

`--merge` reads earlier outputs of tally back (reports, or the rows of
`--counts`) and adds them up, so that a survey split into shards run on
several machines ends in the report one run would have written; `--diff`
reads two of them and shows how each row changed.
It is the fast path: input is read in large blocks, the fields of a block
are found by one regex scan and counted by Counter, both in C, so no Python
code runs per line; and a large regular file is cut into ranges of whole
lines that are counted at once, one process per processor.
"""

import collections
import contextlib
import itertools
import marshal
import os
import re
import signal
import stat

from . import cli, record

NAME = "tally"

USAGE = """\
tally: count the survey's outcomes and the server software found.

Usage:
  tally [--percent] [FILE...]
  tally --counts [--field=N] [--percent] [FILE...]
  tally --merge [--percent] [FILE...]
  tally --diff OLD NEW
  tally (-h | --help | --version)

Options:
  --counts       Count one field of any input, each distinct value once,
                 in the order and layout of the report's rows.
  --field=N      The field --counts counts, from 1 as in cut(1) [default: 1].
  --merge        Add up earlier outputs of tally, all reports or all rows
                 of --counts, into what one run over all their input
                 would have written.
  --diff         Compare two earlier outputs of tally row by row: each
                 label's count in OLD, its count in NEW and the change.
  -p, --percent  Add each row's share, as `62.8%`.
  -h, --help     Show this help.
  --version      Show the version.
"""

TAB = record.TAB
LF = record.LF
OK = record.OK.encode()
STATUSES = frozenset(status.encode() for status in record.STATUSES)

# Field positions in a mtaguess line: LABEL, then the smtpprobe line.
LABEL = record.LABEL
STATUS = 1 + record.STATUS
FIELDS_NEEDED = STATUS + 1

BLOCK_SIZE = 1 << 20
# A large regular file is cut into ranges of whole lines, one for each
# processor this process may run on, none smaller than RANGE_MIN.
PROCESSES = len(os.sched_getaffinity(0))
RANGE_MIN = 8 * BLOCK_SIZE
MAX_FIELD = 2**32 - 1  # the largest repeat count a Python regex takes


def main(argv=None, stdin=None, stdout=None, stderr=None):
    return cli.run(NAME, USAGE, body, argv, stdin, stdout, stderr)


def body(args, ctx):
    percent = args["--percent"]
    if args["--counts"]:
        number = cli.int_option(args, "--field", minimum=1)
        if number > MAX_FIELD:
            raise cli.UsageError(f"--field must be at most {MAX_FIELD}, not {number}")
        counts = collections.Counter()
        for _source, stream in cli.open_inputs(ctx, args["FILE"]):
            counts.update(count_field(stream, number))
        ctx.stdout.write(rows(counts, sum(counts.values()) if percent else None))
    elif args["--merge"]:
        ctx.stdout.write(merged(ctx, args["FILE"], percent))
    elif args["--diff"]:
        ctx.stdout.write(difference(ctx, args["OLD"], args["NEW"]))
    else:
        failures, software = count_outcomes(ctx, args["FILE"])
        ctx.stdout.write(report(failures, software, percent))


# The report ------------------------------------------------------------------

def count_outcomes(ctx, paths):
    """Counters of failure labels and of software labels over mtaguess lines;
    malformed lines are named and skipped."""
    failures, software = collections.Counter(), collections.Counter()
    for source, stream in cli.open_inputs(ctx, paths):
        lineno = 0
        for buffer, start, end in led_spans(stream, FIELDS_NEEDED):
            found = OUTCOME.findall(buffer, start, end)
            malformed = set()
            for outcome, count in collections.Counter(found).items():
                label, _, status = outcome
                if problem(*outcome):
                    malformed.add(outcome)
                elif status == OK:
                    software[label] += count
                else:
                    failures[label] += count
            if malformed:
                for number, outcome in enumerate(found, lineno + 1):
                    if outcome in malformed:
                        ctx.bad_line(source, number, problem(*outcome))
            lineno += len(found)
    return failures, software


# Over LF-led lines, one match a line: (LABEL, a TAB if the line reaches
# STATUS, STATUS).
OUTCOME = re.compile(rb"\n([^\t\n]*)(?:(?:\t[^\t\n]*){%d}(\t)([^\t\n]*))?" % (STATUS - 1))


def problem(label, tab, status):
    """What is wrong with a line's outcome, or None."""
    if not tab:
        return f"fewer than {FIELDS_NEEDED} fields"
    if status not in STATUSES:
        return f"unknown status {shown(status)}"
    if not label:
        return "empty label"
    return None


def shown(field):
    return '"' + record.escape(field).decode("ascii") + '"'


FAILURES_HEADING = b"Reasons for connection failures:"
SOFTWARE_HEADING = b"Server software tallies:"


def report(failures, software, percent):
    connections = sum(software.values())
    addresses = connections + sum(failures.values())
    return b"".join([
        b"%d addresses\n" % addresses,
        b"%d successful connections\n" % connections,
        LF, FAILURES_HEADING, LF,
        rows(failures, addresses if percent else None),
        LF, SOFTWARE_HEADING, LF,
        rows(software, connections if percent else None),
    ])


def rows(counts, whole=None):
    """`uniq -c` rows in `sort -rn` order; with `whole`, each row's share of it."""
    ordered = sorted(counts.items(), key=by_count_then_label, reverse=True)
    if whole is None:
        return b"".join(b"%7d %s\n" % (count, label) for label, count in ordered)
    return b"".join(b"%7d %5.1f%% %s\n" % (count, 100 * count / whole, label)
                    for label, count in ordered)


def by_count_then_label(item):
    label, count = item
    return count, label


# --counts ----------------------------------------------------------------------

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


# --merge and --diff: earlier outputs read back --------------------------------

REPORT, COUNTS = "a report", "rows of --counts"
NUMBER = rb"(0|[1-9][0-9]{0,18})"  # as %d writes it, and small enough for int()
REPORT_HEAD = re.compile(
    NUMBER + rb" addresses\n" + NUMBER + rb" successful connections\n\n"
    + FAILURES_HEADING + LF)
ROW = re.compile(rb" *([0-9]{1,19}) ([^\n]*)\n")
CHANGE_ROW = b"%7d %7d %+7d %s\n"


class BadRow(ValueError):
    """A line that is not a row as tally writes it; says why."""


def merged(ctx, paths, percent):
    """The output one run over all the input of these earlier outputs
    would have written: a report if they are reports, else rows."""
    first_of_kind, sections = {}, None
    for source, stream in cli.open_inputs(ctx, paths):
        kind, found = read_tallied(ctx, source, stream)
        if kind is None:
            continue
        first_of_kind.setdefault(kind, source)
        if len(first_of_kind) > 1:
            raise cli.Fatal(f"{first_of_kind[REPORT]} is {REPORT} and {first_of_kind[COUNTS]} "
                            f"is {COUNTS}: merge outputs of one kind")
        if sections is None:
            sections = found
        else:
            for total, more in zip(sections, found):
                total.update(more)
    if REPORT in first_of_kind:
        return report(*sections, percent)
    counts = sections[0] if sections else collections.Counter()
    return rows(counts, sum(counts.values()) if percent else None)


def difference(ctx, old_path, new_path):
    """Each row of two earlier outputs of one kind: its count in the old,
    in the new, and the change; in the new one's order, then the rows the
    new one lacks in the old one's order."""
    (old_kind, old), (new_kind, new) = (read_path(ctx, path) for path in (old_path, new_path))
    if old is None or new is None:  # a file that could not be opened, named
        return b""
    if old_kind and new_kind and old_kind != new_kind:
        raise cli.Fatal(f"{old_path} is {old_kind} and {new_path} is {new_kind}: "
                        f"compare outputs of one kind")
    # An empty file is either kind, with no rows.
    old = old or [collections.Counter() for _ in new]
    new = new or [collections.Counter() for _ in old]
    if REPORT not in (old_kind, new_kind):
        return changed_rows(old[0] if old else {}, new[0] if new else {})
    (old_failures, old_software), (new_failures, new_software) = old, new
    old_connections, new_connections = sum(old_software.values()), sum(new_software.values())
    return b"".join([
        CHANGE_ROW % total_change(old_connections + sum(old_failures.values()),
                                  new_connections + sum(new_failures.values()), b"addresses"),
        CHANGE_ROW % total_change(old_connections, new_connections, b"successful connections"),
        LF, FAILURES_HEADING, LF,
        changed_rows(old_failures, new_failures),
        LF, SOFTWARE_HEADING, LF,
        changed_rows(old_software, new_software),
    ])


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
