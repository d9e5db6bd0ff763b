"""A fatal stop has an exit status of its own in all four programs, and the
README's cron script stops on it while going on past bad lines; a resolver
that never answers is a fatal stop, not a run of timeouts."""

import os
import re
import subprocess
import time

import pytest

from mxsurvey import cli
from nameserver import DroppingRelay, NameServer, SilentServer, free_port, random_loopback
from programs import BIN, CHECKOUT, run
from scripted_smtp import smtp

pytestmark = pytest.mark.timeout(120)

PROBED = b"127.0.0.1\tok\t220 hi\\r\\n214 help\\r\\n221 bye\\r\\n\n"
GUESSED = b"not sure\t" + PROBED


def test_the_statuses_are_distinct():
    statuses = [cli.EXIT_OK, cli.EXIT_BAD_INPUT, cli.EXIT_USAGE, cli.EXIT_FATAL, 130, 143,
                cli.EXIT_BROKEN_PIPE]
    assert len(set(statuses)) == len(statuses)
    assert cli.EXIT_FATAL == 3


# What each program does when it can do nothing: (program, arguments, stdin,
# what its one line says).
STOPS = [
    ("mxlookup", ["--server", "127.0.0.1:9", "no-such-file"], b"", "cannot open no-such-file"),
    ("smtpprobe", ["--exclude", "exclusions"], b"192.0.2.1\n", "exclusions:2: not an address"),
    ("smtpprobe", ["--skip", "no-such-file"], b"192.0.2.1\n", "cannot read no-such-file"),
    ("mtaguess", ["-f", "no-such.awk"], PROBED, "no-such.awk"),
    ("mtaguess", [".", "-"], PROBED, "cannot read .: Is a directory"),
    ("tally", [], b"", "no input lines, so no report"),
    ("tally", ["-", "no-such-file"], GUESSED, "cannot open no-such-file"),
]


@pytest.mark.parametrize("program, args, stdin, said", STOPS)
def test_a_fatal_stop_exits_with_its_own_status_and_writes_nothing(
        tmp_path, program, args, stdin, said):
    (tmp_path / "exclusions").write_text("192.0.2.0/24\n192.0.2.300  # a typo\n")
    done = subprocess.run([BIN / program, *args], input=stdin, capture_output=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == cli.EXIT_FATAL, done
    assert done.stdout == b""
    message = done.stderr.decode().splitlines()
    assert len(message) == 1 and message[0].startswith(f"{program}: ") and said in message[0]


def test_a_file_that_cannot_be_read_is_found_before_the_first_is_read(tmp_path):
    (tmp_path / "guessed").write_bytes(GUESSED)
    done = run("tally", [tmp_path / "guessed", tmp_path / "missing"])
    assert (done.status, done.stdout) == (cli.EXIT_FATAL, b"")
    assert done.errors == [f"tally: cannot open {tmp_path}/missing: No such file or directory"]
    done = run("mtaguess", [tmp_path / "guessed", tmp_path])
    assert (done.status, done.stdout) == (cli.EXIT_FATAL, b"")


def test_bad_lines_are_not_a_fatal_stop():
    done = run("tally", [], GUESSED + b"nonsense\n")
    assert done.status == cli.EXIT_BAD_INPUT
    assert done.stdout.startswith(b"1 addresses\n")


# The cron script of the README -----------------------------------------------

def readme_cron_script():
    readme = (CHECKOUT / "README.md").read_text()
    block = re.search(r"\n((?:    .*\n|\n)*?    #!/bin/sh\n(?:    .*\n)+)", readme)
    assert block, "no cron script in README.md"
    return "".join(line[4:] + "\n" for line in block.group(1).splitlines() if line.strip())


@pytest.fixture
def survey(farm, tmp_path):
    """A directory as the cron script expects it, with the README's script,
    and PATH with the programs set to ask this test's name server and
    servers; yields the function that runs the script as cron would."""
    talker = farm.serve(smtp(b"220 mx.a.survey ESMTP Postfix\r\n", b"214 help\r\n"))
    zone = "\n".join([
        "$ORIGIN survey.", "$TTL 3600", "@ SOA ns hostmaster 1 3600 600 86400 300",
        "@ NS ns", "ns A 127.0.0.1", "a MX 10 mx.a", f"mx.a A {talker}", "b A 192.0.2.9",
    ]) + "\n"
    with NameServer({"survey": zone}) as nsd:
        wrappers = tmp_path / "bin"
        wrappers.mkdir()
        extra = {"mxlookup": ["--server", nsd.spec, "--timeout", "1"],
                 "smtpprobe": ["--blocklist", "/dev/null", "--port", str(farm.port),
                               "--connect-timeout", "1", "--read-timeout", "1", "--rate", "0"]}
        for program in ("mxlookup", "smtpprobe", "mtaguess", "tally"):
            wrapper = wrappers / program
            wrapper.write_text(f"#!/bin/sh\nexec {BIN / program} "
                               f"{' '.join(extra.get(program, []))} \"$@\"\n")
            wrapper.chmod(0o755)
        directory = tmp_path / "survey"
        directory.mkdir()
        script = directory / "survey"
        script.write_text(readme_cron_script())
        script.chmod(0o755)
        (directory / "exclusions").write_text("192.0.2.0/24  # asked on 2026-01-05\n")

        def run_as_cron(domains):
            (directory / "domains").write_bytes(domains)
            # cron: sh, no terminal, a small environment, stdin from nowhere
            done = subprocess.run(
                ["sh", "-c", str(script)], stdin=subprocess.DEVNULL, capture_output=True,
                env={"PATH": f"{wrappers}:/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh"},
                start_new_session=True, timeout=90)
            return done, sorted(directory.glob("*.report*"))

        yield directory, run_as_cron


def test_the_cron_script_stops_at_a_typo_in_the_exclusions_and_writes_no_report(survey):
    directory, run_as_cron = survey
    (directory / "exclusions").write_text("192.0.2.0/24\n198.51.100.0/33  # a typo\n")
    done, reports = run_as_cron(b"a.survey\nb.survey\n")
    assert done.returncode == cli.EXIT_FATAL, done
    assert reports == []
    assert b"exclusions:2: not an address or CIDR block" in done.stderr


def test_the_cron_script_goes_on_past_a_bad_line_and_writes_the_report(survey):
    directory, run_as_cron = survey
    done, reports = run_as_cron(b"a.survey\nnot a domain\nb.survey\n")
    assert done.returncode == 0, done
    assert [report.name for report in reports] == [f"{time.strftime('%Y-%m')}.report"]
    report = reports[0].read_text()
    assert report.splitlines()[-1] == "      1 Postfix" and "\n2 addresses\n" in report
    assert b"mxlookup: stdin:2: space in name" in done.stderr


# An unreachable resolver -----------------------------------------------------

UNREACHABLE = re.compile(r"mxlookup: resolver (\S+) unreachable: (.*); none of (\d+) quer")
DOMAINS = b"".join(b"d%d.example\n" % n for n in range(40))


def test_a_closed_port_on_the_resolver_is_a_fatal_stop_at_once():
    address = random_loopback()
    port = free_port(address)  # nothing listens: the kernel answers port unreachable
    started = time.monotonic()
    done = run("mxlookup", ["--server", f"{address}:{port}"], DOMAINS)
    took = time.monotonic() - started
    assert (done.status, done.stdout) == (cli.EXIT_FATAL, b""), done
    assert len(done.errors) == 1
    found = UNREACHABLE.match(done.errors[0])
    assert found and found.groups()[:2] == (f"{address}:{port}", "connection refused")
    assert took < 2 * 3, f"{took:.1f} s: refusals were waited for as timeouts"


def test_a_resolver_that_reads_and_never_answers_is_a_fatal_stop():
    with SilentServer() as silent:
        started = time.monotonic()
        done = run("mxlookup", ["--server", silent.spec, "--timeout", "0.3", "--retries", "1"],
                   DOMAINS)
        took = time.monotonic() - started
    assert (done.status, done.stdout) == (cli.EXIT_FATAL, b""), done
    found = UNREACHABLE.match(done.errors[-1])
    assert found and found.groups()[:2] == (silent.spec, "no answer within 0.3 s")
    assert took < 10


def test_a_few_domains_and_a_silent_resolver_are_a_fatal_stop_too():
    with SilentServer() as silent:
        done = run("mxlookup", ["--server", silent.spec, "--timeout", "0.2", "--retries", "0"],
                   b"one.example\n")
    assert done.status == cli.EXIT_FATAL
    assert done.errors == [f"mxlookup: resolver {silent.spec} unreachable: no answer within "
                           f"0.2 s; none of 1 query answered"]


def test_every_server_asked_is_named():
    address = random_loopback()
    port = free_port(address)
    with SilentServer() as silent:
        done = run("mxlookup", ["--server", f"{address}:{port},{silent.spec}",
                                "--timeout", "0.2", "--retries", "1"], DOMAINS)
    assert done.status == cli.EXIT_FATAL
    assert done.errors[-1].startswith(
        f"mxlookup: resolver {address}:{port} unreachable: connection refused; "
        f"resolver {silent.spec} unreachable: no answer within 0.2 s; none of ")


ZONE = "\n".join(["$ORIGIN example.", "$TTL 3600", "@ SOA ns hostmaster 1 3600 600 86400 300",
                  "@ NS ns", "ns A 127.0.0.1", "alive MX 10 mx", "mx A 192.0.2.5"]) + "\n"


def test_a_resolver_that_answers_some_queries_is_data():
    # Every question but one goes unanswered: 40 timeouts and an answer.
    dead = b"".join(b"dead%d.example\n" % n for n in range(40))
    with NameServer({"example": ZONE}) as nsd, \
            DroppingRelay((nsd.address, nsd.port), "dead") as relay:
        done = run("mxlookup", ["--server", relay.spec, "--timeout", "0.3", "--retries", "0"],
                   dead + b"alive.example\n")
    assert done.status == cli.EXIT_OK, done
    assert done.lines == [b"192.0.2.5\tmx.example\talive.example\t10"]
    assert " 40 timeout, " in done.errors[-1]


def test_a_refused_server_beside_one_that_answers_is_data():
    address = random_loopback()
    port = free_port(address)
    with NameServer({"example": ZONE}) as nsd:
        done = run("mxlookup", ["--server", f"{address}:{port},{nsd.spec}", "--timeout", "0.5"],
                   b"alive.example\n" * 3)
    assert done.status == cli.EXIT_OK, done
    assert done.lines == [b"192.0.2.5\tmx.example\talive.example\t10"]
