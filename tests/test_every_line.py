"""smtpprobe --every-line: a line for every input line of `mxlookup --all`,
each address probed once, against scripted servers on loopback; and
`tally --domains`, which counts the domains of such lines."""

import random

import pytest

from mxsurvey import record
from nameserver import NameServer
from programs import pipeline, run, run_inprocess
from scripted_smtp import esmtp, slow, smtp

pytestmark = pytest.mark.timeout(120)

REACH = ["--blocklist", "/dev/null", "--rate", "0", "--connect-timeout", "2",
         "--read-timeout", "2", "--deadline", "6"]
SENDMAIL = smtp(b"220 mx ESMTP Sendmail 8.8.8/8.8.8\r\n", b"214 sendmail\r\n")
POSTOFFICE = smtp(b"220 mx Post.Office v3.1 release PO205e ID# 0-0U10L2S100\r\n",
                  b"214 Post.Office\r\n")


def all_lines(addresses, domains, exchangers=2):
    """mxlookup --all lines: each domain, `exchangers` exchangers at
    preferences 10, 20, ... , each of them one of `addresses`."""
    chooser = random.Random(7)
    lines = []
    for domain in domains:
        for rank in range(exchangers):
            address = chooser.choice(addresses)
            lines.append(f"{address}\tmx{rank}.{domain}\t{domain}\t{10 * (rank + 1)}")
    return lines


def probe(lines, port, *options):
    stdin = "".join(f"{line}\n" for line in lines).encode()
    return run_inprocess("smtpprobe", ["--port", str(port), *REACH, "--every-line", *options],
                         stdin)


def after_address(line):
    """An output line's input fields after ADDRESS, as its input line had them."""
    fields = line.decode("ascii").split("\t")
    return "\t".join([fields[0], *fields[3:6]])


def test_every_input_line_comes_out_once_and_each_address_is_probed_once(farm):
    servers = [farm.serve(SENDMAIL) for _ in range(3)] + [farm.serve(slow(POSTOFFICE, 0.5))]
    refused = farm.unused()
    lines = all_lines(servers + [refused], [f"d{n}.example" for n in range(300)])
    result = probe(lines, farm.port)
    assert result.status == 0, result.stderr
    assert sorted(map(after_address, result.lines)) == sorted(lines)
    for server in servers:
        assert len(farm.heard[server]) == 1  # one connection, however many lines
    outcome = {}
    for line in result.lines:
        address, status, transcript = line.split(b"\t")[:3]
        assert outcome.setdefault(address, (status, transcript)) == (status, transcript)
        assert record.probe_line_fault(line) is None
    assert outcome[refused.encode()][0] == b"refused"
    assert f"{len(lines) - 5} more lines of addresses probed" in result.stderr.decode()


def test_without_the_option_each_address_comes_out_once(farm):
    server = farm.serve(SENDMAIL)
    lines = all_lines([server], ["a.example", "b.example"])
    stdin = "".join(f"{line}\n" for line in lines).encode()
    result = run_inprocess("smtpprobe", ["--port", str(farm.port), *REACH], stdin)
    assert len(result.lines) == 1


def test_todays_record_has_each_lines_own_fields(farm):
    server = farm.serve(esmtp(b"220 mx ESMTP Postfix\r\n",
                              {b"EHLO": b"250-mx\r\n250 SIZE 100\r\n", b"HELP": b"214 hi\r\n",
                               b"QUIT": b"221 bye\r\n"}))
    lines = all_lines([server], [f"d{n}.example" for n in range(20)], exchangers=1)
    result = probe(lines, farm.port, "--ehlo", "survey.example.net")
    assert result.status == 0, result.stderr
    assert sorted(map(after_address, result.lines)) == sorted(lines)
    facts = {tuple(line.split(b"\t")[6:]) for line in result.lines}
    assert len(facts) == 1 and b"SIZE" in facts.pop()
    assert all(len(line.split(b"\t")) == len(record.TODAY) for line in result.lines)


def test_lines_waiting_for_an_exchange_come_out_when_it_ends(farm):
    server = farm.serve(slow(SENDMAIL, 1.0))
    lines = all_lines([server], [f"d{n}.example" for n in range(50)], exchangers=1)
    result = probe(lines, farm.port)
    assert len(result.lines) == 50
    assert len(farm.heard[server]) == 1


def test_excluded_addresses_have_every_line(farm, tmp_path):
    server = farm.serve(SENDMAIL)
    exclusions = tmp_path / "exclusions"
    exclusions.write_text(f"{server}\n")
    lines = all_lines([server], ["a.example", "b.example", "c.example"], exchangers=1)
    result = probe(lines, farm.port, "--exclude", str(exclusions))
    assert [line.split(b"\t")[1] for line in result.lines] == [b"excluded"] * 3
    assert not farm.heard[server]  # never connected to
    assert "1 excluded" in result.stderr.decode()


def test_skip_finishes_an_interrupted_run_line_by_line(farm, tmp_path):
    servers = [farm.serve(SENDMAIL) for _ in range(2)]
    lines = all_lines(servers, [f"d{n}.example" for n in range(10)])
    first = probe(lines[:7], farm.port)
    earlier = tmp_path / "probed"
    earlier.write_bytes(b"".join(line + b"\n" for line in first.lines))
    rest = probe(lines, farm.port, "--skip", str(earlier))
    assert rest.status == 0, rest.stderr
    assert sorted(map(after_address, first.lines + rest.lines)) == sorted(lines)
    assert "7 skipped" in rest.stderr.decode()


def test_shards_together_write_every_line_once(farm):
    servers = [farm.serve(SENDMAIL) for _ in range(6)]
    lines = all_lines(servers, [f"d{n}.example" for n in range(40)])
    written = []
    for k in (1, 2, 3):
        written += probe(lines, farm.port, "--shard", f"{k}/3").lines
    assert sorted(map(after_address, written)) == sorted(lines)


def test_waiting_lines_are_bounded(farm):
    """Lines wait in memory only up to a bound; beyond it, reading waits,
    and still every line comes out."""
    from mxsurvey import everyline
    bound = everyline.WAITING_BOUND
    everyline.WAITING_BOUND = 200
    try:
        server = farm.serve(slow(SENDMAIL, 0.3))
        other = farm.serve(SENDMAIL)
        lines = all_lines([server, other], [f"d{n}.example" for n in range(100)])
        result = probe(lines, farm.port)
    finally:
        everyline.WAITING_BOUND = bound
    assert sorted(map(after_address, result.lines)) == sorted(lines)


# tally --domains ---------------------------------------------------------------

def test_tally_counts_domains_by_their_most_preferred_exchanger_that_answered(farm):
    sendmail, postoffice, refused = farm.serve(SENDMAIL), farm.serve(POSTOFFICE), farm.unused()
    lines = [
        f"{sendmail}\tmx.a.example\ta.example\t10",     # a: sendmail
        f"{postoffice}\tmx2.a.example\ta.example\t20",
        f"{refused}\tmx.b.example\tb.example\t5",       # b: Post.Office, its first refuses
        f"{postoffice}\tmx2.b.example\tb.example\t10",
        f"{sendmail}\tmx2.b.example\tb.example\t30",
        f"{refused}\tmx.c.example\tc.example\t10",      # c: refused
        f"{postoffice}\tmx.d.example\td.example\t0",    # d: Post.Office
    ]
    stdin = "".join(f"{line}\n" for line in lines).encode()
    command = (f"smtpprobe --port {farm.port} {' '.join(REACH)} --every-line -q "
               f"| mtaguess | tally --domains")
    result = pipeline(command, stdin)
    assert result.stdout.decode() == (
        "4 domains\n3 domains with a successful connection\n\n"
        "Reasons for connection failures:\n      1 connection refused\n\n"
        "Server software tallies:\n      2 Post.Office\n      1 sendmail\n")


def test_tally_domains_names_lines_without_a_domain():
    stdin = b"sendmail\t192.0.2.1\tok\t220 hi\\r\\n\n"
    result = run("tally", ["--domains"], stdin)
    assert "no DOMAIN" in result.stderr.decode()


def test_the_survey_of_domains_in_real_pipes(farm):
    """mxlookup --all (against NSD) | smtpprobe --every-line | mtaguess |
    tally --domains, each a real process."""
    sendmail, postoffice, refused = farm.serve(SENDMAIL), farm.serve(POSTOFFICE), farm.unused()
    zone = "\n".join([
        "$ORIGIN example.", "$TTL 3600", "@ SOA ns hostmaster 1 3600 600 86400 300", "@ NS ns",
        "ns A 127.0.0.1",
        f"big A {sendmail}", f"backup A {postoffice}", f"down A {refused}",
        "a MX 10 big", "a MX 20 backup",
        *(f"{name} MX 10 big" for name in ("b", "c", "d", "e")),
        "f MX 10 down", "f MX 20 backup",
        "g MX 10 down",
    ]) + "\n"
    with NameServer({"example": zone}) as nsd:
        command = (f"mxlookup --all -q --server {nsd.spec} | smtpprobe --port {farm.port} "
                   f"{' '.join(REACH)} --every-line -q | mtaguess | tally --domains")
        domains = "".join(f"{name}.example\n" for name in "abcdefg").encode()
        result = pipeline(command, domains)
    assert result.stdout.decode() == (
        "7 domains\n6 domains with a successful connection\n\n"
        "Reasons for connection failures:\n      1 connection refused\n\n"
        "Server software tallies:\n      5 sendmail\n      1 Post.Office\n")
    assert len(farm.heard[sendmail]) == 1  # the exchanger of five domains, asked once


def test_outcomes_come_back_from_the_file_once_out_of_memory(monkeypatch):
    from mxsurvey import everyline
    monkeypatch.setattr(everyline, "RECENT_BOUND", 100)
    outcomes = everyline.Outcomes()
    try:
        kept = {}
        for n in range(50):
            address = f"192.0.2.{n}".encode()
            head, tail = address + b"\tok\t220 hi " + b"x" * n, b"\n"
            outcomes.start(address, b"\tmx\td\t10")
            assert outcomes.keep(address, head, tail) == [b"\tmx\td\t10"]
            kept[address] = (head, tail)
        assert outcomes.recent_bytes <= 100 and len(outcomes.recent) < 50
        for address, parts in reversed(kept.items()):
            assert outcomes.kept_parts(address) == parts
        assert outcomes.kept_parts(b"192.0.2.200") is None
        assert not outcomes.waiting and outcomes.waiting_bytes == 0
    finally:
        outcomes.close()
