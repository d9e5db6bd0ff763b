"""page: the report, or the trend, as one HTML page (tally --html).

One file that needs nothing else: its style and its charts (svg) are in
it, it has no script, and it names no other host, so that opening it
fetches nothing.  Each chart has a heading and, under it, the table it is
drawn from.  It reads on a phone (nothing wider than the screen: long
labels wrap, a wide table scrolls inside its own box) and prints on paper
(black on white, no chart cut across two pages).  Every label is escaped.
"""

import html

from . import sections, svg, trend

STYLE = """\
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, sans-serif; line-height: 1.4; color: #1a1a1a;
       background: #ffffff; margin: 0 auto; padding: 0.75rem; max-width: 46rem; }
h1 { font-size: 1.4rem; margin: 0.5rem 0; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
.stamp { color: #555555; font-size: 0.85rem; overflow-wrap: anywhere; margin: 0; }
figure { margin: 0.5rem 0; }
svg { display: block; width: 100%; max-width: 36rem; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-size: 0.85rem; color: #555555; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid #dddddd; padding: 0.2rem 0.4rem; vertical-align: top; }
th { text-align: left; }
td.label { overflow-wrap: anywhere; word-break: break-word; }
.number { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.wide { overflow-x: auto; max-width: 100%; }
.months td.label { overflow-wrap: break-word; word-break: normal; min-width: 8rem; }
@media print {
  body { max-width: none; padding: 0; color: #000000; font-size: 10pt; }
  .stamp, caption { color: #000000; }
  section, figure, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


def escaped(raw):
    """A label (bytes) as HTML text."""
    return html.escape(sections.text(raw))


def document(title, body):
    return ("<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{STYLE}</style>\n</head>\n"
            f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n").encode("utf-8")


def stamp(report):
    return "".join(f'<p class="stamp">{escaped(line.lstrip(b"# "))}</p>\n'
                   for line in report.stamp)


def report_page(report):
    """The page of a Report: its totals, then each section's chart and table."""
    out = ["<h1>Mail server software survey</h1>\n", stamp(report)]
    if report.totals:
        out.append('<table class="totals">\n<caption>Totals</caption>\n<tbody>\n')
        out += [f'<tr><td class="number">{count}</td><td class="label">{escaped(label)}</td>'
                f"</tr>\n" for label, count in report.totals]
        out.append("</tbody>\n</table>\n")
    for index, section in enumerate(report.sections):
        out.append(section_html(section, index))
    title = "Mail server software survey"
    if report.totals:
        title += ": " + ", ".join(f"{count} {sections.text(label)}"
                                  for label, count in report.totals)
    return document(title, "".join(out))


def section_html(section, index):
    title = escaped(section.title)
    whole = html.escape(f"% of {section.whole} {sections.text(section.whole_label)}"
                        if section.whole_label != b"rows" else f"% of {section.whole}")
    rows = "".join(f'<tr><td class="label">{escaped(label)}</td><td class="number">{count}</td>'
                   f'<td class="number">{sections.share(count, section.whole)}%</td></tr>\n'
                   for label, count in section.rows)
    return (f"<section>\n<h2>{title}</h2>\n"
            f"<figure>\n{svg.bar_chart(section, index)}</figure>\n"
            f"<table>\n<caption>{title}: the rows of the chart ({whole})</caption>\n"
            f'<thead><tr><th scope="col">Label</th><th scope="col" class="number">Count</th>'
            f'<th scope="col" class="number">Share</th></tr></thead>\n'
            f"<tbody>\n{rows}</tbody>\n</table>\n</section>\n")


def trend_page(found):
    """The page of a Trend: its line chart and the table of its changes."""
    months = found.months
    heading = html.escape(f"{found.title}, {trend.period(found)}")
    head = "".join(f'<th scope="col" class="number">{html.escape(month)}</th>' for month in months)
    rows = "".join(
        f'<tr><td class="label">{escaped(product.label)}</td>'
        + "".join(f'<td class="number">{trend.shown_share(share)}</td>'
                  for share in product.shares)
        + f'<td class="number">{trend.change(product)}</td>'
        f"<td>{html.escape(trend.note(found, product))}</td></tr>\n"
        for product in found.products)
    body = (f"<h1>Mail server software over time</h1>\n<section>\n<h2>{heading}</h2>\n"
            f"<figure>\n{svg.line_chart(found)}</figure>\n"
            f"<p>Each product's share of the month's successful connections (-: not "
            f"found), and its change from the first month to the last.</p>\n"
            f'<div class="wide">\n<table class="months">\n'
            f'<thead><tr><th scope="col">Software</th>{head}'
            f'<th scope="col" class="number">Change</th><th scope="col">Note</th></tr></thead>\n'
            f"<tbody>\n{rows}</tbody>\n</table>\n</div>\n</section>\n")
    return document(f"Mail server software over time, {trend.period(found)}", body)
