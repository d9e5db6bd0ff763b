"""Tests of tally's pictures: --chart, --html, --svg and --trend.

The golden files in tests/golden/ are what the pictures of fixed inputs
(the table of 1998 with a few hostile labels, and three months of it)
must be, byte for byte.  After a change that is meant to change them,
write them anew and look at the difference before committing it:

    REGENERATE_GOLDEN=1 PATH="$PWD/bin:$PATH" .venv/bin/python -m pytest -q \
        -p no:cacheprovider tests/test_pictures.py -k golden
    git diff tests/golden
"""

import collections
import html.parser
import os
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mxsurvey import chart, cli, page, reportfile, sections, svg
from programs import run, run_inprocess
from tally_inputs import mtaguess_lines, table_rows
from world import survey1998

GOLDEN = Path(__file__).resolve().parent / "golden"
HOSTILE = [(5, '<script>alert("x")</script> & co'), (3, "esc\x1b[31mred\x1b[0m"),
           (2, "Exim 中文 \u202etxt.exe"), (1, "a label far too long for the column it is given, "
                                                "and longer still")]
FAILURES = [(count, label) for count, label in table_rows(survey1998.FAILURES_1998)]
SOFTWARE = [(count, label) for count, label in table_rows(survey1998.SOFTWARE_1998)] + HOSTILE
# The environment of a picture on no terminal, in a UTF-8 locale.
PLAIN = {"PATH": os.environ["PATH"], "LC_ALL": "C.UTF-8"}


def report_of(failures, software, percent=False):
    def counts(rows):
        return collections.Counter({label.encode(): count for count, label in rows})
    return reportfile.report(counts(failures), counts(software), percent)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The report of 1998 with hostile labels; its mtaguess lines; three
    months of reports, the last named by its stamp only."""
    directory = tmp_path_factory.mktemp("pictures")
    (directory / "1998.report").write_bytes(report_of(FAILURES, SOFTWARE))
    (directory / "guessed").write_bytes(mtaguess_lines(
        [(count, label) for count, label in FAILURES if label != "other error"], SOFTWARE))
    months = {"2026-01.report": report_of(FAILURES, SOFTWARE),
              "survey-2026-02-01.txt": report_of(FAILURES, SOFTWARE[1:] + [(400, "Postfix")]),
              "latest": b"# made by tally 0.2.0 on 2026-03-31T23:00:00Z\n" + report_of(
                  FAILURES, [((count + 1) // 2, label) for count, label in SOFTWARE[2:]]
                  + [(900, "Postfix"), (300, "Exim")])}
    for name, data in months.items():
        (directory / name).write_bytes(data)
    return directory


def picture(args, env=None, cwd=None):
    result = run("tally", args, env=dict(PLAIN, **(env or {})))
    assert (result.status, result.errors) == (cli.EXIT_OK, []), result
    return result.stdout


# Golden files: the same input, the same bytes ---------------------------------

def golden(name, data):
    path = GOLDEN / name
    if os.environ.get("REGENERATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} differs from tests/golden/{name}"


def test_golden_charts(inputs):
    report = inputs / "1998.report"
    golden("chart-80.txt", picture(["--chart", report], {"COLUMNS": "80"}))
    golden("chart-200.txt", picture(["--chart", report], {"COLUMNS": "200"}))
    golden("chart-ascii-60.txt", picture(["--chart", report], {"COLUMNS": "60", "LC_ALL": "C"}))


def test_golden_page_and_svg(inputs, tmp_path):
    for run_number in range(2):  # the second run writes over the first
        picture(["--html", tmp_path / "report.html", "--svg", tmp_path / "report.svg",
                 inputs / "1998.report"])
    golden("report.html", (tmp_path / "report.html").read_bytes())
    golden("report.svg", (tmp_path / "report.svg").read_bytes())


def test_golden_trend(inputs, tmp_path):
    months = [inputs / name for name in ("latest", "survey-2026-02-01.txt", "2026-01.report")]
    text = picture(["--trend", "--html", tmp_path / "trend.html", "--svg", tmp_path / "trend.svg",
                    *months], {"COLUMNS": "100"})
    golden("trend-100.txt", text)
    golden("trend.html", (tmp_path / "trend.html").read_bytes())
    golden("trend.svg", (tmp_path / "trend.svg").read_bytes())


# What the pictures show -----------------------------------------------------------

def test_a_saved_report_is_drawn_as_its_lines_are(inputs, tmp_path):
    """The chart and the page of a report read back are those of the
    mtaguess lines it was counted from; two halves of a report, merged."""
    guessed = inputs / "guessed"
    counted = run("tally", [guessed]).stdout
    (tmp_path / "month.report").write_bytes(counted)
    lines = (inputs / "guessed").read_bytes().splitlines(keepends=True)
    (tmp_path / "one").write_bytes(b"".join(lines[:5000]))
    (tmp_path / "two").write_bytes(b"".join(lines[5000:]))
    for half in ("one", "two"):
        (tmp_path / f"{half}.report").write_bytes(run("tally", [tmp_path / half]).stdout)
    drawn = picture(["--chart", guessed], {"COLUMNS": "90"})
    assert picture(["--chart", tmp_path / "month.report"], {"COLUMNS": "90"}) == drawn
    assert picture(["--chart", tmp_path / "one.report", tmp_path / "two.report"],
                   {"COLUMNS": "90"}) == drawn
    crlf = b"\xef\xbb\xbf" + counted.replace(b"\n", b"\r\n")  # as a system of CRLF lines keeps it
    (tmp_path / "crlf.report").write_bytes(crlf)
    assert picture(["--chart", tmp_path / "crlf.report"], {"COLUMNS": "90"}) == drawn
    picture(["--html", tmp_path / "lines.html", guessed])
    picture(["--html", tmp_path / "report.html", tmp_path / "month.report"])
    assert (tmp_path / "lines.html").read_bytes() == (tmp_path / "report.html").read_bytes()


def test_the_chart_has_a_row_for_each_row_of_the_report(inputs):
    drawn = picture(["--chart", inputs / "1998.report"], {"COLUMNS": "100"}).decode()
    bars = [line for line in drawn.splitlines() if line.startswith("  ")]
    assert len(bars) == len(FAILURES) + len(SOFTWARE)
    # The largest row's bar fills its room; each bar is no longer than the one above.
    lengths = [len(re.sub("[^█▏▎▍▌▋▊▉]", "", line)) for line in bars]
    software = lengths[len(FAILURES):]
    assert software == sorted(software, reverse=True)
    assert max(chart.width(line) for line in drawn.splitlines()) == 100
    assert re.search(r"\n  sendmail +█+ 11583  62\.8%\n", drawn)


def test_labels_cannot_reach_the_terminal(inputs):
    drawn = picture(["--chart", inputs / "1998.report"], {"COLUMNS": "120"})
    assert b"\x1b" not in drawn and "\u202e".encode() not in drawn
    assert b"esc\\x1b[31mred\\x1b[0m" in drawn and b"\\u202etxt.exe" in drawn


def test_ascii_where_the_locale_is_not_utf8(inputs):
    for locale in ("C", "POSIX"):
        drawn = picture(["--chart", inputs / "1998.report"], {"LC_ALL": locale})
        assert drawn.isascii() and b"#" in drawn
        assert b"Exim \\u4e2d\\u6587" in drawn
    assert "█".encode() in picture(["--chart", inputs / "1998.report"],
                                   {"LC_ALL": "", "LANG": "de_DE.utf8"})


def test_no_colour_off_a_terminal():
    assert not chart.terminal(open(os.devnull, "wb"), {}).colour


def test_a_report_of_other_sections_is_drawn_whole(tmp_path):
    """A section that tally's report does not have today is drawn, with its
    rows' shares of the total its heading names."""
    report = (report_of(FAILURES[:2], SOFTWARE[:3]).replace(b"successful connections\n",
                                                           b"successful connections\n"
                                                           b"4000 offered STARTTLS\n", 1)
              + b"\nTLS versions (% of offered STARTTLS):\n   3000  75.0% TLSv1.3\n"
                b"   1000  25.0% TLSv1.2\n\nEHLO keywords:\n   9000 PIPELINING\n   1000 SIZE\n"
                b"\nGreeting used (of 5000 servers that greeted; 3 said nothing):\n"
                b"   4000 ehlo\n   1000 helo\n")
    (tmp_path / "today.report").write_bytes(report)
    drawn = picture(["--chart", "--html", tmp_path / "page.html", tmp_path / "today.report"],
                    {"COLUMNS": "80"}).decode()
    assert "TLS versions (% of 4000 offered STARTTLS)" in drawn
    assert re.search(r"  TLSv1\.2 +[█▏▎▍▌▋▊▉]+ +1000  25\.0%", drawn)
    assert re.search(r"  SIZE +[█▏▎▍▌▋▊▉]+ +1000  10\.0%", drawn)  # of the sum of its rows
    assert "Greeting used (% of 5000 servers that greeted)" in drawn
    assert re.search(r"  helo +[█▏▎▍▌▋▊▉]+ +1000  20\.0%", drawn)
    cells = table_cells((tmp_path / "page.html").read_text())
    assert ["TLSv1.3", "3000", "75.0%"] in cells and ["PIPELINING", "9000", "90.0%"] in cells


def test_inputs_of_both_kinds_are_refused(inputs):
    result = run("tally", ["--chart", inputs / "guessed", inputs / "1998.report"])
    assert result.status == cli.EXIT_FATAL and result.stdout == b""
    assert result.errors == [f"tally: {inputs / '1998.report'} is a report and "
                             f"{inputs / 'guessed'} is mtaguess lines: draw inputs of one kind"]


def test_a_trend_needs_a_month_for_each_report(inputs, tmp_path):
    (tmp_path / "report").write_bytes(report_of(FAILURES, SOFTWARE))
    result = run("tally", ["--trend", inputs / "2026-01.report", tmp_path / "report"])
    assert result.status == cli.EXIT_FATAL and result.stdout == b""
    assert "no month for --trend" in result.errors[0]
    result = run("tally", ["--trend", inputs / "guessed"])
    assert result.errors == [f"tally: {inputs / 'guessed'}:1: this is mtaguess's output (LABEL "
                             f"ADDRESS STATUS TRANSCRIPT); --trend draws reports of tally, "
                             f"one a month"]


def test_a_trend_shows_where_products_enter_and_leave(inputs):
    text = picture(["--trend", inputs / "latest", inputs / "2026-01.report",
                    inputs / "survey-2026-02-01.txt"], {"COLUMNS": "120"}).decode()
    lines = text.splitlines()
    assert lines[0] == "Server software, % of successful connections, 2026-01 to 2026-03"
    assert lines[2].split() == ["2026-01", "2026-02", "2026-03", "change"]
    postfix = next(line for line in lines if line.startswith("  Postfix "))
    assert postfix.split()[2:] == ["-", "5.5", "22.3", "+22.3", "enters", "2026-02"]
    sendmail = next(line for line in lines if line.startswith("  sendmail "))
    assert sendmail.split()[2:] == ["62.8", "-", "-", "-62.8", "leaves", "after", "2026-01"]
    # The last month's largest first; those gone last, the latest gone first.
    assert lines[3] == postfix and lines[-1] == sendmail


def test_a_file_that_cannot_be_written_is_a_fatal_error(inputs, tmp_path):
    result = run("tally", ["--html", tmp_path / "no" / "page.html", inputs / "1998.report"])
    assert result.status == cli.EXIT_FATAL
    assert result.errors == [f"tally: cannot write {tmp_path / 'no' / 'page.html'}: "
                             f"No such file or directory"]


def test_a_page_is_written_whole_through_a_link_and_to_what_is_not_a_file(inputs, tmp_path):
    expected = picture(["--html", "/proc/self/fd/1", inputs / "1998.report"])
    assert expected.startswith(b"<!DOCTYPE html>")
    (tmp_path / "page.html").write_bytes(b"an older page")
    (tmp_path / "page.html").chmod(0o640)
    (tmp_path / "link.html").symlink_to("page.html")
    picture(["--html", tmp_path / "link.html", inputs / "1998.report"])
    assert (tmp_path / "link.html").is_symlink()
    assert (tmp_path / "page.html").read_bytes() == expected
    assert (tmp_path / "page.html").stat().st_mode & 0o777 == 0o640
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link.html", "page.html"]


# Any label, any counts ----------------------------------------------------------

labels = st.binary(min_size=1, max_size=80).filter(
    lambda label: b"\t" not in label and b"\n" not in label and not label.startswith(b"#")
    and label not in reportfile.FAILURE_LABELS)
software_rows = st.dictionaries(labels, st.integers(1, 10**9), min_size=1, max_size=12)


class Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self.rows[-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table_cells(text):
    parser = Cells()
    parser.feed(text)
    return [row for row in parser.rows if row]


@settings(max_examples=60, deadline=None)
@given(software=software_rows, timeouts=st.integers(0, 10**6), columns=st.integers(40, 250))
def test_any_report_draws_within_the_terminal_and_escapes_every_label(software, timeouts,
                                                                     columns):
    failures = collections.Counter({b"timed out": timeouts} if timeouts else {})
    report = sections.parse(reportfile.report(failures, collections.Counter(software), False))
    for unicode in (True, False):
        drawn = chart.chart(report, chart.Terminal(columns, unicode, False)).decode()
        assert all(chart.width(line) <= columns for line in drawn.splitlines())
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", drawn)
    document = page.report_page(report).decode()
    rows = table_cells(document)
    assert [row for row in rows if len(row) == 3][len(failures):] == [
        [sections.text(label), str(count), sections.share(count, sum(software.values())) + "%"]
        for label, count in sorted(software.items(), key=lambda item: (item[1], item[0]),
                                   reverse=True)]
    for section in report.sections:  # each chart is well-formed XML, its labels text
        drawing = ElementTree.fromstring(svg.bar_chart(section))
        assert all(element.tag in ("svg", "title", "g", "text", "rect")
                   for element in drawing.iter())
    ElementTree.fromstring(svg.report_chart(report).encode())
    assert not re.search(r"<(?!/?(?:html|head|meta|title|style|body|main|h1|h2|p|table|caption"
                         r"|thead|tbody|tr|th|td|section|figure|svg|g|text|rect)[ >/])|<!--",
                         document.removeprefix("<!DOCTYPE html>"))


def test_the_tally_options_run_in_process(inputs):
    result = run_inprocess("tally", ["--chart", str(inputs / "1998.report")])
    assert result.status == cli.EXIT_OK and "sendmail".encode() in result.stdout


def test_the_readme_shows_the_chart_of_1998(tmp_path):
    """The chart in the README is tally's chart of the table of 1998 at 80
    columns, as `make demo` leaves it in build/demo/chart.txt."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = readme.split("as `make demo` leaves it in `build/demo/chart.txt`:\n\n", 1)[1]
    shown = block.split("\n\n`tally --html PAGE`", 1)[0]
    (tmp_path / "1998.report").write_bytes(report_of(FAILURES, SOFTWARE[:-len(HOSTILE)]))
    drawn = picture(["--chart", tmp_path / "1998.report"], {"COLUMNS": "80"}).decode()
    assert shown + "\n" == "".join(f"    {line}\n" if line else "\n"
                                   for line in drawn.splitlines())


@pytest.mark.parametrize("args, said", [
    (["--svg", "x.svg", "--stamp"], "--stamp does not go with --svg"),
    (["--html", "x.html", "--percent"], "--percent does not go with --html"),
    (["--chart", "--html", "x.html", "--stamp"], "--stamp does not go with --chart"),
    (["--chart", "--counts"], "--counts and --chart do not go together"),
    (["--trend", "--chart", "a.report"], "--chart and --trend do not go together"),
    (["--merge", "--html", "x.html"], "--merge and --html do not go together"),
    (["--trend"], "--trend goes as --trend [--html=PAGE] [--svg=IMAGE] REPORT..."),
])
def test_usage_errors_of_the_pictures_say_what_is_wrong(args, said, tmp_path):
    result = run("tally", args)
    assert result.status == cli.EXIT_USAGE and result.stdout == b""
    assert result.errors[0] == f"tally: usage error: {said}; the usage is:"
    assert not list(tmp_path.iterdir())


TODAY = (b"312 addresses\n290 successful connections (280 of them in today's dialogue)\n\n"
         b"Reasons for connection failures (% of addresses):\n     22   7.1% timed out\n\n"
         b"Server software tallies (% of successful connections):\n    290 100.0% Postfix\n\n"
         b"Greeting used (of 280 servers that greeted):\n    250  89.3% ehlo\n"
         b"     30  10.7% helo\n\n"
         b"EHLO keywords (of 250 servers that answered EHLO; 1432 keywords offered):\n"
         b"    250 100.0% PIPELINING\n    200  80.0% SIZE\n")


def test_sections_of_today_are_drawn_as_tally_writes_them(tmp_path):
    """A head with a note of a number of the connections, headings that give
    the number their rows are of, and (--percent) the same headings over
    rows with shares: two such reports, one after the other, added up."""
    (tmp_path / "today.report").write_bytes(TODAY + TODAY)
    drawn = picture(["--chart", "--html", tmp_path / "page.html", tmp_path / "today.report"],
                    {"COLUMNS": "80"}).decode()
    assert drawn.startswith("624 addresses\n580 successful connections (560 of them in "
                            "today's dialogue)\n")
    assert "Greeting used (% of 560 servers that greeted)" in drawn
    assert re.search(r"\n  helo +[█▏▎▍▌▋▊▉]+ +60  10\.7%\n", drawn)
    assert "EHLO keywords (% of 500 servers that answered EHLO)" in drawn
    cells = table_cells((tmp_path / "page.html").read_text())
    assert ["SIZE", "400", "80.0%"] in cells and ["Postfix", "580", "100.0%"] in cells
