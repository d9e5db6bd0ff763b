"""svg: the report's charts as SVG, byte for byte the same for the same report.

A bar chart of each section, and a line chart of shares over months (the
trend).  Text stays text (`<text>`, selectable, searchable, read aloud);
every label is escaped for XML, and one too long for its room is cut with
an ellipsis, its whole text in a `<title>` that a browser shows on hover.
The drawing has a viewBox and no fixed size, so that it fits any width.
"""

from xml.sax.saxutils import escape as xml_escape

from . import sections
from .trend import period as trend_period

WIDTH = 480
ROW = 24
BAR_HEIGHT = 18
LABEL_ROOM = 176        # the labels' column, right-aligned against the bars
NUMBERS_ROOM = 104      # the count and share after the longest bar
LABEL_CHARS = 21        # a label's characters that fit in LABEL_ROOM
TITLE_HEIGHT = 28
FONT = 'font-family="DejaVu Sans, Verdana, sans-serif" font-size="13"'
# Colours that stay apart for the colour-blind (Okabe and Ito), with a
# dash for each line, so that a chart printed in grey still tells them apart.
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000",
           "#7f7f7f")
DASHES = ("", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2", "8 3 2 3")
BAR_COLOURS = ("#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00")
LINES = len(COLOURS)


def escaped(text):
    return xml_escape(text, {'"': "&quot;"})


def label(raw, room=LABEL_CHARS):
    """A label's text, escaped, cut to `room` characters (its whole text
    then in a <title>)."""
    text = sections.text(raw)
    if len(text) <= room:
        return escaped(text), ""
    return escaped(text[:room - 1] + "…"), f"<title>{escaped(text)}</title>"


def number(value):
    """A coordinate as few digits write it: `12`, `12.5`."""
    return f"{value:.1f}".removesuffix(".0")


def svg(body, height, title, standalone):
    """An <svg> of this body and height; standalone with its XML head."""
    # Inline in HTML an <svg> needs no namespace, and the page then names
    # no address at all.
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
            if standalone else "<svg ")
    return (f'{head}viewBox="0 0 {WIDTH} {height}" '
            f'role="img" aria-label="{escaped(title)}" {FONT}>\n'
            f"<title>{escaped(title)}</title>\n{body}</svg>\n")


def section_title(section):
    whole = (f" (% of {section.whole} {sections.text(section.whole_label)})"
             if section.whole_label != b"rows" else "")
    return sections.text(section.title) + whole


def bars(section, colour, top=0, titled=True):
    """The elements of a section's bar chart, from `top`, and its height."""
    out = []
    y = top
    if titled:
        out.append(f'<text x="0" y="{y + 18}" font-size="15" font-weight="bold">'
                   f"{escaped(section_title(section))}</text>\n")
        y += TITLE_HEIGHT
    largest = max([count for _, count in section.rows] or [1])
    room = WIDTH - LABEL_ROOM - NUMBERS_ROOM
    for raw, count in section.rows:
        text, whole_text = label(raw)
        length = count * room / largest
        out.append(f'<g><text x="{LABEL_ROOM - 6}" y="{y + 17}" text-anchor="end">'
                   f"{whole_text}{text}</text>"
                   f'<rect x="{LABEL_ROOM}" y="{y + 3}" width="{number(max(length, 1))}" '
                   f'height="{BAR_HEIGHT}" fill="{colour}"/>'
                   f'<text x="{number(LABEL_ROOM + max(length, 1) + 6)}" y="{y + 17}">'
                   f"{count} ({sections.share(count, section.whole)}%)</text></g>\n")
        y += ROW
    return "".join(out), y - top


def bar_chart(section, number_of_section=0, standalone=False):
    """One section's bar chart, an <svg> of its own (its title outside it
    when inline, in the page's heading)."""
    body, height = bars(section, BAR_COLOURS[number_of_section % len(BAR_COLOURS)],
                        titled=standalone)
    return svg(body, max(height, ROW), section_title(section), standalone)


def report_chart(report):
    """A standalone SVG of every section's bar chart, one under another."""
    body, top = [], 0
    for index, section in enumerate(report.sections):
        drawn, height = bars(section, BAR_COLOURS[index % len(BAR_COLOURS)], top)
        body.append(drawn)
        top += height + ROW
    title = "; ".join(f"{count} {sections.text(label)}" for label, count in report.totals)
    return svg("".join(body), max(top, ROW), title or "report", True)


# The trend: a line for each product's share, month by month ----------------

PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_HEIGHT = 48, 32, 16, 200
LEGEND_ROW = 20


def line_chart(trend, standalone=False):
    """The line chart of a Trend: the shares of its first LINES products (the
    others are in the table), each line drawn only over the months in
    which the product is found, a dot on every month it is."""
    months, drawn = trend.months, trend.products[:LINES]
    top_share = max([share for product in drawn for share in product.shares if share is not None]
                    or [0])
    ceiling = max(10, -(-int(top_share) // 10) * 10)
    left, right = PLOT_LEFT, WIDTH - PLOT_RIGHT
    bottom = PLOT_TOP + PLOT_HEIGHT
    step = (right - left) / max(len(months) - 1, 1)

    def x(index):
        return number(left + index * step if len(months) > 1 else (left + right) / 2)

    def y(share):
        return number(bottom - share * PLOT_HEIGHT / ceiling)
    out = []
    for tick in range(0, ceiling + 1, 10 if ceiling <= 50 else 20):
        out.append(f'<line x1="{left}" y1="{y(tick)}" x2="{right}" y2="{y(tick)}" '
                   f'stroke="#cccccc"/><text x="{left - 6}" y="{number(float(y(tick)) + 4)}" '
                   f'text-anchor="end">{tick}%</text>\n')
    for index, month in enumerate(months):
        out.append(f'<text x="{x(index)}" y="{bottom + 18}" text-anchor="middle">'
                   f"{escaped(month)}</text>\n")
    for rank, product in enumerate(drawn):
        colour, dash = COLOURS[rank], DASHES[rank]
        path, pen_down = [], False
        for index, share in enumerate(product.shares):
            if share is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x(index)} {y(share)}")
            pen_down = True
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        text, whole_text = label(product.label, 60)
        out.append(f"<g><title>{text}</title>"
                   f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
                   f'stroke-width="2"{dashed}/>')
        out.extend(f'<circle cx="{x(index)}" cy="{y(share)}" r="3" fill="{colour}"/>'
                   for index, share in enumerate(product.shares) if share is not None)
        out.append("</g>\n")
    legend_top = bottom + 36
    for rank, product in enumerate(drawn):
        row_y = legend_top + rank * LEGEND_ROW
        dashed = f' stroke-dasharray="{DASHES[rank]}"' if DASHES[rank] else ""
        text, whole_text = label(product.label, 60)
        out.append(f'<line x1="{left}" y1="{row_y}" x2="{left + 30}" y2="{row_y}" '
                   f'stroke="{COLOURS[rank]}" stroke-width="2"{dashed}/>'
                   f'<text x="{left + 38}" y="{row_y + 4}">{whole_text}{text}</text>\n')
    height = legend_top + len(drawn) * LEGEND_ROW
    if len(trend.products) > LINES:
        out.append(f'<text x="{left}" y="{height + 4}">and {len(trend.products) - LINES} '
                   f"more in the table</text>\n")
        height += LEGEND_ROW
    return svg("".join(out), height, f"{trend.title}, {trend_period(trend)}", standalone)
