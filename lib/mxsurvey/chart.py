"""chart: a report as horizontal bars on a terminal (tally --chart).

    Server software tallies (% of 304 successful connections)
      sendmail      ████████████████████████████████████████▏    172  56.6%
      Post.Office   ███▊                                          16   5.3%

Each bar is as long as its count is of the section's largest, to an eighth
of a column (the eighth blocks U+2588 to U+258F); in a locale that is not
UTF-8 the bars are `#` and the labels ASCII, with escapes.  The chart is as
wide as the terminal: COLUMNS, or the terminal's width, or 80 when stdout
is not a terminal.  The bars are coloured only on a terminal, and never
when NO_COLOR is set (no-color.org) or TERM is dumb.
"""

import os
import typing
import unicodedata

from . import sections

EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
FULL = "█"
DEFAULT_COLUMNS = 80
# The least room a bar gets; a label is cut (with an ellipsis) to leave it.
MIN_BAR = 10
MIN_LABEL = 8
INDENT = "  "
SHARE_WIDTH = len("100.0%")
COLOURS = ("33", "32", "36", "35", "34")  # SGR foreground colours, a section each


class Terminal(typing.NamedTuple):
    columns: int
    unicode: bool
    colour: bool


def terminal(stream, environ=os.environ):
    """The Terminal that a chart written to `stream` is for."""
    try:
        fd = stream.fileno()
        tty = os.isatty(fd)
    except (AttributeError, OSError, ValueError):
        fd, tty = None, False
    columns = environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        columns = int(columns)
    elif tty:
        columns = os.get_terminal_size(fd).columns
    else:
        columns = DEFAULT_COLUMNS
    colour = tty and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"
    return Terminal(columns, utf8_locale(environ), colour)


def utf8_locale(environ):
    """Whether the locale's characters are UTF-8: the first of LC_ALL,
    LC_CTYPE and LANG that is set says so."""
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = environ.get(name)
        if value:
            codeset = value.partition(".")[2].partition("@")[0]
            return codeset.lower().replace("-", "") == "utf8"
    return False


def width(text):
    """The columns a text takes on a terminal: two for a wide character,
    none for a combining one."""
    return sum(0 if unicodedata.combining(char) else
               2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def cut(text, columns, ellipsis):
    """The text, cut to `columns` with an ellipsis if it is wider."""
    if width(text) <= columns:
        return text
    kept = ""
    for char in text:
        if width(kept + char) > columns - width(ellipsis):
            break
        kept += char
    return kept + ellipsis


def padded(text, columns):
    return text + " " * (columns - width(text))


def label_text(label, unicode):
    shown = sections.text(label)
    return shown if unicode else shown.encode("ascii", "backslashreplace").decode("ascii")


def bar(count, largest, columns, unicode):
    """A bar of `count` in `columns` that `largest` fills; a count above
    nought shows at least an eighth (or a `#`)."""
    if not unicode:
        cells = round(count * columns / largest) if largest else 0
        return "#" * max(cells, 1 if count else 0)
    eighths = round(count * columns * 8 / largest) if largest else 0
    eighths = max(eighths, 1 if count else 0)
    return FULL * (eighths // 8) + EIGHTHS[eighths % 8]


def chart(report, term):
    """The text of a Report's chart for a Terminal."""
    ellipsis = "…" if term.unicode else "..."
    labels = [[label_text(label, term.unicode) for label, _ in section.rows]
              for section in report.sections]
    counts = [count for section in report.sections for _, count in section.rows]
    count_width = max([len(str(count)) for count in counts] or [1])
    fixed = len(INDENT) + 1 + 1 + count_width + 1 + SHARE_WIDTH
    label_width = min(max([width(label) for shown in labels for label in shown] or [1]),
                      max(MIN_LABEL, (term.columns - fixed) // 3))
    bar_width = max(MIN_BAR, term.columns - fixed - label_width)
    lines = [f"{count} {label_text(label, term.unicode)}" for label, count in report.totals]
    for number, (section, shown) in enumerate(zip(report.sections, labels)):
        largest = max([count for _, count in section.rows] or [0])
        whole = (f"{section.whole} {label_text(section.whole_label, term.unicode)}"
                 if section.whole_label != b"rows" else f"{section.whole}")
        lines += ["", cut(f"{label_text(section.title, term.unicode)} (% of {whole})",
                          term.columns, ellipsis)]
        colour = COLOURS[number % len(COLOURS)]
        for (_, count), label in zip(section.rows, shown):
            drawn = bar(count, largest, bar_width, term.unicode)
            space = " " * (bar_width - len(drawn))
            if term.colour:
                drawn = f"\x1b[{colour}m{drawn}\x1b[0m"
            lines.append(f"{INDENT}{padded(cut(label, label_width, ellipsis), label_width)} "
                         f"{drawn}{space} {count:>{count_width}} "
                         f"{sections.share(count, section.whole) + '%':>{SHARE_WIDTH}}")
    return "".join(line + "\n" for line in lines).encode("utf-8" if term.unicode else "ascii")
