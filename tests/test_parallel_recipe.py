"""A survey split into shards across "machines" by GNU parallel, merged by
tally --merge, against one run over all of it.  (The shards themselves are
tested in test_shard.py.)

The machines are this one: parallel reaches them through tests/local-ssh,
a stand-in for ssh that runs the job here, and once through a real OpenSSH
server on loopback (tests/sshd.py), as users run the recipe.  The servers are scripted ones
on loopback, whose answers never change, so the two surveys must agree
byte for byte.
"""

import os
import re
import shutil

import pytest

import sshd
from programs import BIN, CHECKOUT, pipeline, run
from scripted_smtp import Farm, close_at_once, smtp
from survey_lines import examples

LOCAL_SSH = CHECKOUT / "tests" / "local-ssh"
SHARDS = 4
# Loopback is on the default blocklist, and these servers live there; no
# rate cap for a few dozen servers of our own.
PROBE = (
    "smtpprobe --blocklist /dev/null --rate 0 --quiet --connect-timeout 10 --read-timeout 10")


def has_shards():
    return b"--shard" in run("smtpprobe", ["--help"]).stdout


pytestmark = [
    pytest.mark.skipif(not has_shards(), reason="smtpprobe has no --shard option yet"),
    pytest.mark.skipif(not shutil.which("parallel"), reason="GNU parallel is not installed"),
]


REPLY_START = re.compile(r" (?=[2-5][0-9][0-9][ -])")


def greeting_and_help(text):
    """The greeting and the HELP reply of a pattern example, or None when
    its greeting is not one line."""
    lines = [line.encode() + b"\r\n" for line in REPLY_START.split(text)]
    if len(lines) < 2 or not lines[0].startswith(b"220 "):
        return None
    return lines[0], b"".join(lines[1:])


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    """A directory with `addresses` (mxlookup's lines, some addresses more
    than once) and the farm's port, while servers of many kinds answer."""
    directory = tmp_path_factory.mktemp("recipe")
    replies = [found for found in map(greeting_and_help, (text for _, text in examples()))
               if found]
    with Farm() as farm:
        addresses = [farm.serve(smtp(*reply, pause=0)) for reply in replies[:40]]
        # Some kinds many times, so that counts differ and tie.
        addresses += [farm.serve(smtp(*replies[n % 3], pause=0)) for n in range(12)]
        addresses += [farm.unused() for _ in range(9)]
        addresses += [farm.serve(close_at_once) for _ in range(3)]
        lines = [f"{address}\tmx{n}.example.net\texample{n}.net\t10"
                 for n, address in enumerate(addresses)]
        lines += [f"{address}\tmx.other.net\tother{n}.net\t20"
                  for n, address in enumerate(addresses[::5])]
        (directory / "addresses").write_text("".join(line + "\n" for line in lines))
        yield directory, farm.port


def parallel(command, cwd, options="", ssh=LOCAL_SSH):
    """GNU parallel running `command` for shards 1..SHARDS on two "hosts",
    each job given all of `addresses` on its stdin; the hosts are logged.
    parallel keeps its files under $HOME and $TMPDIR: the test's own."""
    log_ssh = cwd / "log-ssh"
    log_ssh.write_text(f'#!/bin/sh\necho "$*" >> {cwd}/ssh.log\nexec {ssh} "$@"\n')
    log_ssh.chmod(0o755)
    return pipeline(
        f"HOME={cwd} TMPDIR={cwd} parallel --will-cite --ssh {log_ssh} -S 2/alpha,2/beta"
        f" --pipe --tee {options}"
        f" '{command}' ::: $(seq {SHARDS}) < addresses",
        cwd=cwd, timeout=120)


def hosts_used(cwd):
    return sorted({line.split()[0] for line in (cwd / "ssh.log").read_text().splitlines()})


def succeeded(result):
    assert (result.status, result.stderr) == (0, b"")
    return result.stdout


def one_run(survey, tmp_path, tally):
    """What the survey's pipe ending in `tally` prints in one run over all of
    `addresses` (copied into tmp_path, where parallel will read it too)."""
    directory, port = survey
    shutil.copy(directory / "addresses", tmp_path)
    return succeeded(pipeline(f"{PROBE} --port {port} < addresses | mtaguess | {tally}",
                              cwd=tmp_path, timeout=120))


def shards(survey, tmp_path, tally, options="", ssh=LOCAL_SSH):
    """What parallel passes on of the shards' pipes, each ending in `tally`."""
    _, port = survey
    return succeeded(parallel(f"{PROBE} --port {port} --shard {{}}/{SHARDS} | mtaguess | {tally}",
                              tmp_path, options, ssh))


@pytest.mark.timeout(180)
def test_counts_of_shards_merged_are_one_run_byte_for_byte(survey, tmp_path):
    single = one_run(survey, tmp_path, "tally --counts")
    assert single.count(b"\n") > 20
    merged = succeeded(pipeline("tally --merge", stdin=shards(survey, tmp_path, "tally --counts")))
    assert merged == single
    assert hosts_used(tmp_path) == ["alpha", "beta"]


@pytest.mark.timeout(180)
def test_reports_of_shards_merged_are_one_report_byte_for_byte(survey, tmp_path):
    single = one_run(survey, tmp_path, "tally --percent")
    shards(survey, tmp_path, "tally", options="--results shard{}.report")
    reports = [f"shard{k}.report" for k in range(1, SHARDS + 1)]
    for report in reports:
        assert re.match(rb"[0-9]+ addresses\n", (tmp_path / report).read_bytes())
    merged = succeeded(pipeline(f"tally --merge --percent {' '.join(reports)}", cwd=tmp_path))
    assert merged == single
    assert hosts_used(tmp_path) == ["alpha", "beta"]


@pytest.mark.timeout(180)
def test_reports_of_shards_piped_into_merge_are_one_report_byte_for_byte(survey, tmp_path):
    single = one_run(survey, tmp_path, "tally")
    reports = shards(survey, tmp_path, "tally")
    assert reports.count(b" addresses\n") == SHARDS
    assert succeeded(pipeline("tally --merge", stdin=reports)) == single


@pytest.mark.timeout(180)
@pytest.mark.skipif(not sshd.available(), reason="OpenSSH (openssh-server) is not installed")
@pytest.mark.skipif(os.geteuid() != 0, reason="sshd needs root")
def test_the_recipe_through_a_real_ssh_server(survey, tmp_path):
    single = one_run(survey, tmp_path, "tally")
    (tmp_path / "sshd").mkdir()
    with sshd.Sshd(tmp_path / "sshd", f"{BIN}:{os.environ['PATH']}") as server:
        reports = shards(survey, tmp_path, "tally", ssh=server.ssh)
    assert reports.count(b" addresses\n") == SHARDS
    assert succeeded(pipeline("tally --merge", stdin=reports)) == single
    assert hosts_used(tmp_path) == ["alpha", "beta"]
