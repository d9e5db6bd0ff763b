"""pictures: what tally draws (--chart, --html, --svg, --trend).

The inputs are mtaguess lines, counted as tally counts them, or earlier
reports, added up as --merge adds them: which, each input says by its
first lines (a stamp or a report's head).  Whatever is drawn is drawn
from the report's sections (sections), so that every section a report
has is drawn, and the same input gives the same bytes.
"""

import collections
import os
import stat
import tempfile

from . import chart, cli, page, reportfile, sections, svg, trend, tallyfiles

MTAGUESS_LINES, REPORTS = "mtaguess lines", "a report"


def draw(ctx, args, count_input, nothing_counted):
    """Write what args ask for: a chart on stdout, a page, an SVG."""
    if args["--trend"]:
        found = trend.read(ctx, args["REPORT"])
        ctx.stdout.write(trend.text(found, chart.terminal(ctx.stdout)))
        write_file(args["--html"], page.trend_page(found))
        write_file(args["--svg"], svg.line_chart(found, standalone=True).encode("utf-8"))
        return
    report = read_report(ctx, args["FILE"], count_input, nothing_counted)
    if args["--chart"]:
        ctx.stdout.write(chart.chart(report, chart.terminal(ctx.stdout)))
    write_file(args["--html"], page.report_page(report))
    write_file(args["--svg"], svg.report_chart(report).encode("utf-8"))


def read_report(ctx, paths, count_input, nothing_counted):
    """The Report of the inputs: their mtaguess lines counted, or their
    reports added up; Fatal if they mix the two."""
    failures, software, lines_read, reports, first_of_kind = None, None, 0, [], {}
    for source, stream in cli.open_inputs(ctx, paths):
        start = sections.start_of(stream)
        whole = sections.Replayed(start, stream)
        kind = REPORTS if sections.is_report(start) else MTAGUESS_LINES
        first_of_kind.setdefault(kind, source)
        if len(first_of_kind) > 1:
            raise cli.Fatal(f"{first_of_kind[REPORTS]} is {REPORTS} and "
                            f"{first_of_kind[MTAGUESS_LINES]} is {MTAGUESS_LINES}: "
                            f"draw inputs of one kind")
        if kind == REPORTS:
            reports += sections.read(ctx, source, tallyfiles.NumberedLines(whole))
        else:
            if failures is None:
                failures, software = collections.Counter(), collections.Counter()
            lines_read += count_input(ctx, source, whole, failures, software)
    if reports:
        return sections.added(reports)
    if failures is None or not failures and not software:
        nothing_counted(lines_read)
    return sections.parse(reportfile.report(failures, software, False))


def write_file(path, data):
    """Write a file whole or not at all: into a new file beside it, then
    renamed over it (a page open in a browser is never half one), its mode
    kept.  A symbolic link is written through; what is not a regular file
    (/dev/stdout, a FIFO) is written to as it is."""
    if not path:
        return
    target = os.path.realpath(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise cli.Fatal(f"cannot write {path}: {error.strerror}") from None
    try:
        if mode is not None and not stat.S_ISREG(mode):
            with open(path, "wb") as stream:
                stream.write(data)
            return
        descriptor, temporary = tempfile.mkstemp(prefix=".tally.",
                                                 dir=os.path.dirname(target))
    except OSError as error:
        raise cli.Fatal(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~umask())
        os.replace(temporary, target)
    except OSError as error:
        os.unlink(temporary)
        raise cli.Fatal(f"cannot write {path}: {error.strerror}") from None


def umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
