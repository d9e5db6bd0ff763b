"""Tests of tally's pictures as people see them: the page opened in a real
browser (Debian's Chromium, headless), the chart on a real terminal (tmux).

The browser is told to fetch nothing of its own accord; what the page
asks for, its net log shows (a request with the page as its initiator),
and a page made to fetch an image shows that the log would tell.
"""

import html
import json
import os
import re
import struct
import subprocess
import tempfile
import time
import zlib

import pytest

from mxsurvey import cli
from programs import run
from test_pictures import FAILURES, SOFTWARE, inputs, report_of, table_cells  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
PHONE = (360, 800)
QUIET = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--no-pings", "--disable-domain-reliability",
         "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate"]
# A page that holds another in a frame as wide as a phone, and writes the
# width of the frame's window and of what it shows into its own DOM.
FRAMED = ('<!DOCTYPE html><html><body><iframe id="framed" width="{width}" height="{height}" '
          'srcdoc="{page}"></iframe><script>framed.onload = function () {{ '
          'document.body.setAttribute("data-widths", '
          'framed.contentDocument.documentElement.scrollWidth + " " + '
          'framed.contentWindow.innerWidth); }};</script></body></html>')


def chromium(tmp_path, url, *options, window=PHONE):
    profile = tempfile.mkdtemp(prefix="chromium.", dir=tmp_path)
    done = subprocess.run([CHROMIUM, *QUIET, f"--user-data-dir={profile}",
                           f"--window-size={window[0]},{window[1]}", *options, url],
                          capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def pages(inputs, tmp_path_factory):  # noqa: F811
    """The page of the 1998 report, of a report whose label is one long
    word, and of the trend."""
    directory = tmp_path_factory.mktemp("pages")
    long_word = [(7, "x" * 300)]
    (directory / "long.report").write_bytes(report_of(FAILURES, SOFTWARE + long_word))
    made = {"report.html": [inputs / "1998.report"],
            "long.html": [directory / "long.report"],
            "trend.html": ["--trend", inputs / "2026-01.report", inputs / "survey-2026-02-01.txt",
                           inputs / "latest"]}
    for name, args in made.items():
        result = run("tally", ["--html", directory / name, *args])
        assert result.status == cli.EXIT_OK, result
    return directory


def test_the_browser_shows_every_row_of_the_report(pages, tmp_path):
    dom = chromium(tmp_path, (pages / "report.html").as_uri(), "--dump-dom")
    rows = [row for row in table_cells(dom) if len(row) == 3]
    expected = sorted(FAILURES, key=lambda row: row[0], reverse=True) + sorted(
        SOFTWARE, key=lambda row: (row[0], row[1].encode()), reverse=True)
    assert [(int(count), label) for label, count, _ in rows] == [
        (count, label.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e"))
        for count, label in expected]
    assert "<script>alert" not in dom and '&lt;script&gt;alert("x")' in dom


@pytest.mark.parametrize("name", ["report.html", "long.html", "trend.html"])
def test_the_page_is_no_wider_than_a_phone(pages, tmp_path, name):
    """The page's scroll width, measured in the browser in a frame as wide
    as a phone's screen, is the frame's width."""
    variant = tmp_path / name
    variant.write_text(FRAMED.format(width=PHONE[0], height=PHONE[1],
                                     page=html.escape((pages / name).read_text())))
    dom = chromium(tmp_path, variant.as_uri(), "--dump-dom", "--virtual-time-budget=5000",
                   window=(1000, 1000))
    scroll_width, viewport = map(int, dom.split('data-widths="', 1)[1].split('"', 1)[0].split())
    assert viewport == PHONE[0] and scroll_width <= viewport


@pytest.mark.parametrize("name", ["report.html", "trend.html"])
def test_the_page_on_a_phone_is_drawn(pages, tmp_path, name):
    shot = tmp_path / "shot.png"
    chromium(tmp_path, (pages / name).as_uri(), f"--screenshot={shot}")
    width, height, pixels = decoded_png(shot.read_bytes())
    assert (width, height) == PHONE
    colours = set(pixels)
    inked = sum(pixel != (255, 255, 255) for pixel in pixels)
    # Text, bars and lines in several colours; neither blank nor one block.
    assert len(colours) > 50 and 0.02 < inked / len(pixels) < 0.6


def test_opening_the_page_fetches_nothing(pages, tmp_path):
    page = (pages / "report.html").read_text()
    for address in ("http:", "https:", "//", "src=", "href=", "url(", "@import"):
        assert address not in page
    assert page_requests(tmp_path, pages / "report.html") == []
    canary = tmp_path / "canary.html"
    canary.write_text(page.replace("</main>", '<img src="http://127.0.0.1:9/x.png"></main>'))
    assert page_requests(tmp_path, canary) == ["http://127.0.0.1:9/x.png"]


def test_the_page_prints(pages, tmp_path):
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, (pages / "report.html").as_uri(), f"--print-to-pdf={pdf}",
             "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(
        b"/Type /Page/") + data.count(b"/Type /Page ") >= 1


def page_requests(tmp_path, path):
    """The URLs the page asked for, from the browser's net log: requests
    whose initiator is the page's (file:) origin, not the browser."""
    log = tmp_path / f"{path.stem}.netlog.json"
    chromium(tmp_path, path.as_uri(), f"--log-net-log={log}", "--dump-dom")
    with open(log) as stream:
        net_log = json.load(stream)
    start = net_log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return sorted({event["params"]["url"] for event in net_log["events"]
                   if event["type"] == start and "url" in event["params"]
                   and event["params"].get("initiator") != "not an origin"
                   and not event["params"]["url"].startswith("file:")})


def decoded_png(data):
    """(width, height, [(r, g, b)...]) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, {}
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks[kind] = chunks.get(kind, b"") + data[at + 8:at + 8 + length]
        at += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and colour_type in (2, 6)
    size = 3 if colour_type == 2 else 4
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = width * size
    previous, pixels = bytearray(stride), []
    for row in range(height):
        line = raw[row * (stride + 1):(row + 1) * (stride + 1)]
        kind, current = line[0], bytearray(line[1:])
        for index in range(stride):
            left = current[index - size] if index >= size else 0
            up = previous[index]
            corner = previous[index - size] if index >= size else 0
            if kind == 1:
                current[index] = (current[index] + left) & 255
            elif kind == 2:
                current[index] = (current[index] + up) & 255
            elif kind == 3:
                current[index] = (current[index] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                nearest = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                              (abs(guess - corner), 2, corner))[2]
                current[index] = (current[index] + nearest) & 255
        pixels += [tuple(current[index:index + 3]) for index in range(0, stride, size)]
        previous = current
    return width, height, pixels


# The chart on a terminal -----------------------------------------------------------

def on_tmux(tmp_path, columns, command, environment=""):
    """The screen (with its colours' escapes) of a tmux terminal `columns`
    wide after running command."""
    socket = f"pictures-{os.getpid()}-{columns}-{time.monotonic_ns()}"
    tmux = ["tmux", "-u", "-L", socket, "-f", "/dev/null"]
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("COLUMNS", None)
    env.pop("NO_COLOR", None)
    subprocess.run([*tmux, "new-session", "-d", "-x", str(columns), "-y", "120",
                    f"env -u COLUMNS {environment} {command}; echo END.; sleep 60"],
                   check=True, env=env, timeout=30)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-e", "-J"], check=True,
                                    capture_output=True, env=env, timeout=30).stdout.decode()
            if "END." in screen:
                return screen.split("END.")[0].rstrip("\n").splitlines()
            time.sleep(0.2)
        raise AssertionError(f"the command did not end on tmux: {screen}")
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, timeout=30)


def without_escapes(line):
    return re.sub(r"\x1b\[[0-9;]*m", "", line)


@pytest.mark.parametrize("columns", [80, 200])
def test_the_chart_fills_the_terminal_in_colour(inputs, tmp_path, columns):  # noqa: F811
    screen = on_tmux(tmp_path, columns, f"tally --chart {inputs / '1998.report'}")
    plain = [without_escapes(line) for line in screen]
    widths = [len(line.rstrip()) for line in plain]  # the labels here are one column a character
    assert max(widths) == columns
    assert plain[0] == "20321 addresses" and any(line.startswith("  sendmail ") for line in plain)
    assert sum(bool(set(line) & set("█▏▎▍▌▋▊▉")) for line in plain) == len(FAILURES) + len(SOFTWARE)
    assert any("\x1b[" in line for line in screen)


def test_no_colour_with_no_color_set(inputs, tmp_path):  # noqa: F811
    screen = on_tmux(tmp_path, 80, f"tally --chart {inputs / '1998.report'}", "NO_COLOR=1")
    assert not any("\x1b[" in line for line in screen) and any("█" in line for line in screen)


def test_ascii_bars_on_a_terminal_in_the_c_locale(inputs, tmp_path):  # noqa: F811
    screen = on_tmux(tmp_path, 80, f"tally --chart {inputs / '1998.report'}", "LC_ALL=C")
    plain = [without_escapes(line) for line in screen]
    assert all(line.isascii() for line in plain) and any("#####" in line for line in plain)
    assert max(len(line.rstrip()) for line in plain) == 80
