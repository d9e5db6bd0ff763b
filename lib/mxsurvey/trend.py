"""trend: the software's shares month by month, from reports (tally --trend).

Each report's month is the one its stamp was made in (`# made by tally
... on 2026-03-01T...`, written by --stamp), or else the one its file's
name holds (`2026-03.report`, `survey-2026-03-01.txt`); reports of one
month are added up, as --merge adds them.  A product's share is of the
month's successful connections; a month without it has no share, so that
a product is drawn only where it is found, and the table says when it
entered or left.  Its change is from its share in the first month (none:
0) to its share in the last (none: 0).
"""

import os
import re
import typing

from . import chart, cli, record, sections, tallyfiles

SOFTWARE = b"Server software tallies"
NAMED_MONTH = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})-(0[1-9]|1[0-2])(?![0-9])")
SPARKS = "▁▂▃▄▅▆▇█"
ASCII_SPARKS = "_.-~=+*#"


class Product(typing.NamedTuple):
    label: bytes
    counts: tuple   # a count for each month, 0 where it is not found
    shares: tuple   # a share (a percentage) for each month, None where it is not found


class Trend(typing.NamedTuple):
    title: str
    months: tuple   # `2026-03`, in time order
    products: tuple  # Product: the latest month's largest first, then those gone


def month_of(path, report):
    month = sections.month(report)
    if month:
        return month
    found = NAMED_MONTH.findall(os.path.basename(path))
    if found:
        return "-".join(found[-1])
    raise cli.Fatal(f"{path}: no month for --trend: no stamp (tally --stamp writes one) and no "
                    f"month in the file's name (as 2026-03.report)")


def read(ctx, paths):
    """The Trend of the reports in these files."""
    by_month = {}
    for source, stream in cli.open_inputs(ctx, paths):
        start = sections.start_of(stream)
        if not sections.is_report(start):
            stop_unless_report(source, start)
        read_reports = sections.read(ctx, source,
                                     tallyfiles.NumberedLines(sections.Replayed(start, stream)))
        for report in read_reports:
            month = month_of(source, sections.added([report]))
            by_month.setdefault(month, []).append(report)
    if not by_month:
        raise cli.Fatal("no report to draw")
    months = tuple(sorted(by_month))
    counts, wholes = {}, []
    for index, month in enumerate(months):
        software = [section for section in sections.added(by_month[month]).sections
                    if section.title == SOFTWARE]
        if not software:
            raise cli.Fatal(f"the report of {month} has no section "
                            f"{tallyfiles.shown(SOFTWARE + b':')}")
        wholes.append(software[0].whole)
        for label, count in software[0].rows:
            counts.setdefault(label, [0] * len(months))[index] = count
    products = [Product(label, tuple(counted),
                        tuple(100 * count / whole if count and whole else None
                              for count, whole in zip(counted, wholes)))
                for label, counted in counts.items()]
    products.sort(key=latest_first, reverse=True)
    return Trend("Server software, % of successful connections", months, tuple(products))


def period(trend):
    """The months of a Trend, in words: `2026-01 to 2026-03`, or one month."""
    first, last = trend.months[0], trend.months[-1]
    return first if first == last else f"{first} to {last}"


def latest_first(product):
    """The order of the products: by their share in the last month, then
    in the month before, and so on; ties by label."""
    shares = tuple(-1 if share is None else share for share in reversed(product.shares))
    return shares, product.label


def stop_unless_report(source, start):
    """Raise Fatal: an input to --trend that is not a report."""
    first = cli.text_line(start.partition(b"\n")[0], 1)
    kind = record.what_is(first)
    what = f"this is {kind.what}" if kind else "not a report of tally (COUNT addresses)"
    raise cli.Fatal(f"{source}:1: {what}; --trend draws reports of tally, one a month")


def change(product):
    """The change of a product's share, from the first month to the last,
    as the difference of the shares shown (none: 0)."""
    first, last = (round(10 * (share or 0)) for share in (product.shares[0], product.shares[-1]))
    return f"{(last - first) / 10:+.1f}"


def note(trend, product):
    """When a product entered or left, if it did."""
    present = [month for month, share in zip(trend.months, product.shares) if share is not None]
    said = []
    if present[0] != trend.months[0]:
        said.append(f"enters {present[0]}")
    if present[-1] != trend.months[-1]:
        said.append(f"leaves after {present[-1]}")
    return ", ".join(said)


def shown_share(share):
    return "-" if share is None else f"{share:.1f}"


def text(trend, term):
    """The trend on a terminal: each product's sparkline of its shares (a
    blank where it is not found, all on one scale), its share in each month
    (in the first and last only if all do not fit) and its change."""
    sparks = SPARKS if term.unicode else ASCII_SPARKS
    ellipsis = "…" if term.unicode else "..."
    top = max([share for product in trend.products for share in product.shares
               if share is not None] or [1])
    labels = [chart.label_text(product.label, term.unicode) for product in trend.products]
    months = len(trend.months)
    label_width = min(max([chart.width(label) for label in labels] or [1]), 24)
    columns = list(range(months))
    if len(chart.INDENT) + label_width + 1 + months + 9 * (months + 1) > term.columns:
        columns = sorted({0, months - 1})
    head = (chart.INDENT + " " * (label_width + 1 + months)
            + "".join(f" {trend.months[index]:>8}" for index in columns) + f" {'change':>8}")
    lines = [f"{trend.title}, {period(trend)}", "", head.rstrip()]
    for product, label in zip(trend.products, labels):
        spark = "".join(" " if share is None else
                        sparks[min(len(sparks) - 1, int(share * len(sparks) / top))]
                        for share in product.shares)
        shown = chart.padded(chart.cut(label, label_width, ellipsis), label_width)
        line = (f"{chart.INDENT}{shown}"
                f" {spark}" + "".join(f" {shown_share(product.shares[index]):>8}"
                                      for index in columns)
                + f" {change(product):>8}")
        said = note(trend, product)
        lines.append(line + (f"  {said}" if said else ""))
    return "".join(line + "\n" for line in lines).encode("utf-8" if term.unicode else "ascii")
