"""The habits the four programs share: one meaning for each short option,
a --help that fits a terminal and says what goes in and out, and counts
in the singular when there is one."""

import importlib
import re

import docopt
import pytest

from nameserver import NameServer
from programs import CHECKOUT, MODULES, pipeline, run

pytestmark = pytest.mark.timeout(60)


def options(program):
    """The (short, long) options of a program's docopt usage."""
    usage = importlib.import_module(MODULES[program]).USAGE
    return [(option.short, option.longer) for option in docopt.parse_options(usage)]


def test_no_short_option_has_two_meanings():
    meanings = {}
    for program in sorted(MODULES):
        for short, long in options(program):
            if short:
                meanings.setdefault(short, set()).add(long)
    assert all(meanings.values())
    twice = {short: longs for short, longs in meanings.items() if len(longs) > 1}
    assert not twice, f"short options with two meanings: {twice}"


def test_the_readme_table_is_every_short_option():
    readme = (CHECKOUT / "README.md").read_text()
    table = dict(re.findall(r"^\| `(-\w)(?: [A-Z]+)?` \| `(--[\w-]+)", readme, re.M))
    used = {short: long for program in MODULES for short, long in options(program) if short}
    assert table == used


@pytest.mark.parametrize("program", sorted(MODULES))
def test_help_fits_80_columns_and_says_what_is_read_and_written(program):
    done = run(program, ["--help"])
    assert done.status == 0
    lines = done.stdout.decode().splitlines()
    wide = [line for line in lines if len(line.expandtabs()) > 80]
    assert not wide, wide
    text = " ".join(lines)
    assert re.search(r"\bReads\b", text) and re.search(r"\b[Ww]rites\b", text)


ZONE = "\n".join(["$ORIGIN example.", "$TTL 3600", "@ SOA ns hostmaster 1 3600 600 86400 300",
                  "@ NS ns", "ns A 127.0.0.1", "one MX 10 mx1", "mx1 A 192.0.2.1"]) + "\n"


def test_a_summary_of_one_says_one_thing_not_things():
    with NameServer({"example": ZONE}) as nsd:
        looked_up = run("mxlookup", ["--server", nsd.spec], b"one.example\n")
    assert re.fullmatch(r"mxlookup: 1 domain: 1 found \(0 by implicit MX\), 0 null MX, "
                        r"0 nxdomain, 0 no address, 0 IPv6 only, 0 servfail, 0 timeout, "
                        r"0 bad names; "
                        r"1 address; 0 domains cut \(0 exchangers, 0 addresses left out\); "
                        r"[0-9.]+ s", looked_up.errors[-1]), looked_up.errors
    probed = pipeline("printf '192.0.2.1\\n192.0.2.1\\n' | smtpprobe --shard 1/2 && "
                      "printf '192.0.2.1\\n192.0.2.1\\n' | smtpprobe --shard 2/2")
    summaries = [line for line in probed.errors if " probed: " in line]
    assert len(summaries) == 2
    assert any("; 1 duplicate, 0 rejected, 0 skipped, 0 other shards; " in line
               for line in summaries)
    assert any("; 0 duplicates, 0 rejected, 0 skipped, 2 other shards; " in line
               for line in summaries)
    bad = run("mxlookup", ["--server", "127.0.0.1:9"], b"bad name\n")
    assert " 1 bad name; 0 addresses; " in bad.errors[-1]


@pytest.mark.parametrize("program, short, long", [
    ("mxlookup", "-r", "--retries"), ("mxlookup", "-f", "--failed"),
    ("smtpprobe", "-r", "--rate"), ("tally", "-p", "--percent")])
def test_a_short_option_of_old_says_what_to_write_now(program, short, long):
    done = run(program, [short, "1"] if short != "-p" else [short])
    assert done.status == 2
    assert done.errors[0] == (f"{program}: usage error: unknown option {short} (now only "
                              f"{long}); the usage is:")
