"""mtaguess: name the mail server software behind each smtpprobe line.

Each input line goes out again with a label in front: the survey's wording
of the failure for a probe that got no greeting, else the label of the first
pattern that matches the host's text, or `not sure`.

A large regular file is labelled by one process per processor, each a range
of its lines; what comes out is what one process would write.
"""

import contextlib
import itertools
import marshal
import operator
import os

from . import cli, fileparts, patterns, record
from .patterns import default_patterns, pattern_file

NAME = "mtaguess"

USAGE = """\
mtaguess: guess the mail server software from each smtpprobe line.

Usage:
  mtaguess [--versions] [--explain] [-f FILE]... [FILE...]
  mtaguess --awk [--versions] [-f FILE]...
  mtaguess (-h | --help | --version)

Reads smtpprobe lines (ADDRESS STATUS TRANSCRIPT ...) from the FILEs or
stdin and writes each with a label in front: the software the first
matching pattern names, `not sure`, or the reason a probe failed.

Options:
  -f, --patterns FILE  Read the patterns from FILE (repeatable, in order)
                       instead of the installed patterns.awk.  A FILE with
                       no slash that is not in the current directory is
                       looked for beside patterns.awk; the list for
                       today's servers is there: -f patterns-2026.awk.
  --versions           Put the software's version after the label, where
                       the host's text gives it and the pattern's version
                       annotation says where (else an empty field):
                       --versions | tally --counts --field 1,2.
  --explain            Put the FILE:LINE of the pattern that matched (or -)
                       after the label (and the version); for reading, not
                       for tally.
  --awk                Print an awk program equivalent to the pattern list:
                       one text per line in, one label per line out (and a
                       TAB and the version, with --versions).
  -h, --help           Show this help.
  --version            Show the version.
"""

NOWHERE = b"-"  # --explain's FILE:LINE when no pattern named the label
# Every line smtpprobe writes is read whole, however long its input lines.
MAX_LINE = record.longest_probe_line(cli.MAX_LINE)
# A regular file is cut into a range per processor, none smaller than
# RANGE_MIN: a process of its own for less is not worth its start.
PROCESSES = fileparts.PROCESSES
RANGE_MIN = 1 << 22
# When most hosts that greeted are `not sure` under the default list of
# 1998, the run is of today's servers: say once how to name them, at the
# end if HINT_LEAST of them were seen (fewer say little), or as soon as
# HINT_AFTER of them have been.
HINT_LEAST = 10
HINT_AFTER = 1000
HINT = ("{not_sure} of {greeted} hosts that greeted are `not sure` by patterns.awk, "
        "the survey's list of 1998; name today's software with "
        "-f patterns-2026.awk ({path})")


def main(argv=None, stdin=None, stdout=None, stderr=None):
    return cli.run(NAME, USAGE, body, argv, stdin, stdout, stderr)


def body(args, ctx):
    sources = [pattern_file(name) for name in args["--patterns"]] or [default_patterns()]
    try:
        pattern_list = patterns.read_files(sources)
        # Also for --awk: a program only for a list that mtaguess can match.
        matcher = patterns.Matcher(pattern_list)
        if args["--awk"]:
            ctx.stdout.write(patterns.awk_program(pattern_list, sources, args["--versions"]))
            return
    except patterns.PatternError as error:
        raise cli.Fatal(str(error)) from None
    labeller = Labeller(matcher, args["--explain"], args["--versions"],
                        counting=not args["--patterns"])
    label_lines(ctx, args["FILE"], labeller)
    hint(ctx, labeller)


def hint(ctx, labeller):
    """Say how to name today's software, once, if most hosts that greeted
    were not named by the default list (whose labeller counts)."""
    if labeller.counting and labeller.greeted >= HINT_LEAST \
            and 2 * labeller.not_sure > labeller.greeted:
        labeller.counting = False
        today = pattern_file("patterns-2026.awk")
        ctx.say(HINT.format(not_sure=labeller.not_sure, greeted=labeller.greeted,
                            path=today if os.path.isabs(today) else os.path.abspath(today)))


def label_lines(ctx, paths, labeller):
    """Write each input line with its label in front."""
    for source, stream in cli.open_inputs(ctx, paths):
        ranges = fileparts.file_ranges(stream, PROCESSES, RANGE_MIN)
        if len(ranges) >= 2:  # a regular file: its first lines read here, before the ranges
            first = os.pread(stream.fileno(), cli.READ_SIZE, ranges[0][0])
            stop_if_another_stage(source, first.split(record.LF)[:-1])
        if len(ranges) < 2:
            label_stream(ctx, labeller, source, stream)
        else:
            label_ranges(ctx, labeller, source, stream.fileno(), ranges)


def label_stream(ctx, labeller, source, stream, hinting=True):
    """Label the lines of a stream a chunk at a time, each chunk written as
    soon as it is read; return the number of lines."""
    lines_before = 0
    for lines in cli.line_chunks(stream, MAX_LINE):
        if lines_before == 0 and source is not None:
            stop_if_another_stage(source, lines)
        labelled = None if None in lines else labeller.chunk(lines)
        if labelled is None:
            labelled = labeller.carefully(
                ctx, [(source, lineno, line) for lineno, line in enumerate(lines, lines_before + 1)])
        lines_before += len(lines)
        ctx.stdout.write(labelled)
        ctx.stdout.flush()
        if hinting and labeller.greeted >= HINT_AFTER:
            hint(ctx, labeller)
    return lines_before


def stop_if_another_stage(source, lines):
    """Raise Fatal if the first of `lines` (the first of an input) that is
    not blank is what another program than mtaguess reads."""
    first_lines = cli.FirstLines(NAME)
    for lineno, line in enumerate(lines, 1):
        if line is None:
            return
        first_lines.check(source, lineno, cli.text_line(line, lineno))
        if first_lines.checked:
            return


def label_ranges(ctx, labeller, source, fd, ranges):
    """Label the first range of a file here and each other range in a
    process of its own, which writes its lines and its messages on bad
    lines to temporary files; then write them in the order of the ranges,
    the messages numbered by the lines before the range."""
    with contextlib.ExitStack() as files, fileparts.Helpers("labelling") as helpers:
        outputs = []
        for start, end in ranges[1:]:
            output = (files.enter_context(fileparts.temporary_file()),
                      files.enter_context(fileparts.temporary_file()))
            helpers.start(label_range, labeller, fd, start, end, *(file.fileno() for file in output))
            outputs.append(output)
        lines_before = label_stream(ctx, labeller, source, fileparts.FileRange(fd, *ranges[0]))
        for (labelled, said), (lines, greeted, not_sure) in zip(outputs, helpers.results()):
            for lineno, message in messages(said):
                ctx.bad_line(source, lines_before + lineno, message)
            fileparts.copy_file(labelled, ctx.stdout)
            labelled.close()
            lines_before += lines
            labeller.greeted += greeted
            labeller.not_sure += not_sure


def label_range(labeller, fd, start, end, labelled, said):
    """Label a range of a file into the file `labelled`, the messages on its
    bad lines into the file `said`; return its number of lines, and of its
    hosts that greeted and of those not named, if the labeller counts."""
    context = RangeContext(fileparts.temporary_output(labelled), fileparts.temporary_output(said))
    labeller.greeted = labeller.not_sure = 0
    lines = label_stream(context, labeller, None, fileparts.FileRange(fd, start, end),
                         hinting=False)
    return lines, labeller.greeted, labeller.not_sure


class RangeContext:
    """The context of a range labelled by a process of its own: a bad line
    is put down as (line number in the range, message), for the parent to
    name in its turn."""

    def __init__(self, stdout, report):
        self.stdout = stdout
        self.report = report

    def bad_line(self, source, lineno, message):
        marshal.dump((lineno, message), self.report)


def messages(said):
    """The (line number, message) pairs put down by a RangeContext."""
    said.seek(0)
    while True:
        try:
            yield marshal.load(said)
        except EOFError:
            return


_without_line_end = operator.methodcaller("removesuffix", record.ESCAPED_LINE_END)


class Labeller:
    """Puts the label in front of each line of a chunk.

    What goes in front is made once: for each status a row of prefixes, one
    per pattern index and one for `not sure` at the end (every prefix of a
    failed probe's row is the same), so that a line's prefix is
    `rows[status][index of the first match]`; with --versions, a line whose
    pattern has a version annotation gets a prefix of its own.

    A chunk whose lines are all as smtpprobe writes them goes through as a
    few maps over the whole chunk, with no Python code run per line for
    most lines: each line is matched whole, as it stands (Matcher.match_line),
    which finds its status, and for most lines, as smtpprobe writes them with
    a transcript of the common form, its first pattern; the others, if they
    are as smtpprobe writes them, are split, and their transcript unescaped
    and joined if it must be.  A chunk with a bad line is done line by line,
    naming the bad ones (record.probe_line_fault).

    A labeller that is `counting` counts the lines of hosts that greeted
    and those of them that no pattern named.
    """

    def __init__(self, matcher, explain, versions=False, counting=False):
        def prefix(label, where=NOWHERE, version=b""):
            fields = [label.encode("utf-8")] + ([version] if versions else []) \
                + ([where] if explain else [])
            return record.TAB.join(fields) + record.TAB

        self.prefix = prefix
        self.patterns = matcher.patterns
        width = len(matcher.patterns) + 1
        self.rows = {
            status.encode(): [prefix(label)] * width
            for status, label in record.FAILURE_LABELS.items()}
        self.rows[record.OK.encode()] = [
            prefix(pattern.label, self.where(pattern)) for pattern in matcher.patterns] + [
            prefix(patterns.NOT_SURE)]
        # The prefix for each index match_line finds first, for a line of
        # the common kind.
        self.shift = len(matcher.failures)
        self.failure_first = {status: index for index, status in enumerate(matcher.failures)}
        self.line_prefixes = [self.rows[status][0] for status in matcher.failures] + \
            self.rows[record.OK.encode()] + [None, None]
        self.not_sure_first = self.shift + len(matcher.patterns)
        # The indexes of match_line of the patterns whose version is taken.
        self.versioned = frozenset(
            self.shift + index for index, pattern in enumerate(matcher.patterns)
            if versions and pattern.version_rule) or None
        self.counting = counting
        self.greeted = self.not_sure = 0
        self.common_line = matcher.common_line
        self.probe_line = matcher.probe_line
        self.anchored = matcher.anchored
        self.match_line = matcher.match_line
        # The index match_field finds in every field of the common form.  It
        # is also the index of `not sure` in a row, so that such a field that
        # no pattern matches is labelled `not sure` by its smallest index.
        self.common_form = matcher.nothing
        self.match_text = matcher.match_text
        self.match_field = matcher.match_field

    @staticmethod
    def where(pattern):
        return record.escape(pattern.where.encode("utf-8", "surrogateescape"))

    def chunk(self, lines):
        """The labelled lines, as one string, or None if some line is not as
        smtpprobe writes it."""
        found = list(map(self.match_line, lines))
        if not all(found):  # a line that matches nothing is not as smtpprobe writes it
            return None
        firsts = list(map(min, found))
        common = list(map(operator.contains, found, itertools.repeat(self.common_line)))
        if not all(common) or not self.anchored.isdisjoint(firsts):
            rematch = map(operator.or_, map(operator.not_, common),
                          map(self.anchored.__contains__, firsts))
            for position in itertools.compress(range(len(lines)), rematch):
                if self.probe_line not in found[position]:
                    return None
                firsts[position] = self.field_first(lines[position])
        prefixes = list(map(self.line_prefixes.__getitem__, firsts))
        if self.versioned and not self.versioned.isdisjoint(firsts):
            for position in itertools.compress(range(len(lines)),
                                               map(self.versioned.__contains__, firsts)):
                text = record.transcript_text(lines[position].split(record.TAB, 3)[2])
                prefixes[position] = self.version_prefix(firsts[position] - self.shift, text)
        if self.counting:
            self.count(firsts)
        # Joined once per chunk, not concatenated per line.
        return b"".join(itertools.chain.from_iterable(
            zip(prefixes, lines, itertools.repeat(record.LF))))

    def count(self, firsts):
        """Count the hosts that greeted, and those not named, among lines
        with the match_line indexes `firsts` (counted in C, not per line)."""
        failed = sum(map(firsts.count, range(self.shift)))
        self.greeted += len(firsts) - failed
        self.not_sure += firsts.count(self.not_sure_first)

    def version_prefix(self, index, text):
        """The prefix of a host's text that the pattern of `index` matched,
        with the version its annotation takes from the text."""
        pattern = self.patterns[index]
        version = record.escape(pattern.version_rule.take(text))
        return self.prefix(pattern.label, self.where(pattern), version)

    def field_first(self, line):
        """The match_line index of the first match of a line as smtpprobe
        writes it, split into fields.  A transcript not of the common form
        is brought to it if it is near (notes at the end, bare LFs), else
        matched as its joined text."""
        _, status, field = line.split(record.TAB, record.TRANSCRIPT + 1)[:record.TRANSCRIPT + 1]
        if status != record.OK.encode():
            return self.failure_first[status]
        # Notes at the end go first: a line break and a step note whose
        # reply is empty are no space of the text.
        nearest = record.toward_common_form(field) if field.endswith(b"]") else field
        indexes = self.match_field(_without_line_end(nearest))
        if self.common_form not in indexes:
            further = record.toward_common_form(field)
            if further != nearest:
                indexes = self.match_field(_without_line_end(further))
            if self.common_form not in indexes:
                indexes = self.match_text(record.transcript_text(field))
        return self.shift + min(indexes)

    def carefully(self, ctx, chunk):
        """The labelled lines of a chunk of (source, lineno, line), as one
        string, naming the bad ones on stderr and leaving them out (a line
        too long to hold is None).  The CR of a CRLF line end and a byte
        order mark that starts an input are dropped, here only: the chunks
        of the common kind have neither."""
        labelled, firsts = [], []
        for source, lineno, line in chunk:
            if line is None:
                cli.name_overlong_line(ctx, source, lineno, MAX_LINE)
                continue
            line = cli.text_line(line, lineno)
            fault = record.probe_line_fault(line)
            if fault:
                ctx.bad_line(source, lineno, fault)
                continue
            _, status, field = line.split(record.TAB, record.TRANSCRIPT + 1)[:record.TRANSCRIPT + 1]
            if status != record.OK.encode():
                labelled.append(self.rows[status][0] + line + record.LF)
                firsts.append(self.failure_first[status])
                continue
            text = record.transcript_text(field)
            index = min(self.match_text(text))
            firsts.append(self.shift + index)
            prefix = self.rows[status][index]
            if self.versioned and self.shift + index in self.versioned:
                prefix = self.version_prefix(index, text)
            labelled.append(prefix + line + record.LF)
        if self.counting:
            self.count(firsts)
        return b"".join(labelled)
