"""The simulated 1998 internet: its generator, its servers, its name server,
and a survey of a small world through the installed programs."""

import importlib.util
import os
import random
import shutil
import socket
import subprocess
import sys

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

import programs
from world import generate, servers, software, survey, survey1998
from world.survey1998 import FAILURES_1998, SOFTWARE_1998, parse_table, report_order

SMALL_ADDRESSES = 300


@pytest.fixture(scope="module")
def spec():
    return survey1998.survey_1998()


@pytest.fixture(scope="module")
def full_world(spec):
    return generate.generate(spec, 1)


@pytest.fixture(scope="module")
def small_world(spec):
    return generate.generate(spec.scaled(SMALL_ADDRESSES), 1)


def stage_exists(module):
    return importlib.util.find_spec(f"mxsurvey.{module}") is not None


# The spec -------------------------------------------------------------------

def test_the_1998_spec_adds_up_as_the_post_says(spec):
    assert spec.addresses == 20310
    assert sum(spec.software.values()) == 18441
    assert sum(spec.failures.values()) == 1869
    assert spec.software["sendmail"] == 11583 and spec.software["not sure"] == 454


@pytest.mark.parametrize("table", [FAILURES_1998, SOFTWARE_1998])
def test_report_order_is_the_order_the_post_printed(table):
    rows = parse_table(table)
    assert report_order(dict(reversed(rows))) == rows


def test_every_label_has_texts(spec):
    assert set(spec.software) == set(software.TEXTS)


# The generator --------------------------------------------------------------

def test_the_full_world_has_the_table_of_the_post(full_world):
    failures, labels = full_world.truth()
    assert failures == parse_table(FAILURES_1998)
    assert labels == parse_table(SOFTWARE_1998)
    assert len({server.address for server in full_world.servers}) == 20310
    assert len(full_world.domains) > 20310


def test_a_seed_gives_one_world(spec):
    small = spec.scaled(SMALL_ADDRESSES)
    one, again, other = (generate.generate(small, seed) for seed in (5, 5, 6))
    assert one.servers == again.servers and one.records == again.records
    assert one.domains == again.domains
    assert one.servers != other.servers and one.domains != other.domains


def test_a_small_world_has_every_row_and_every_dns_case(small_world, full_world):
    failures, labels = small_world.truth()
    assert {label for label, _ in labels} == set(software.TEXTS)
    assert len(failures) == 5
    behaviours = {server.behaviour for server in small_world.servers}
    assert behaviours == {"greet", "silent", "drop", "refuse", "disconnect", "hostunreach",
                          "netunreach"}
    assert set(small_world.cases) == set(full_world.cases)
    assert all(count > 0 for count in small_world.cases.values())


def test_leaving_out_the_unreachable_kinds_drops_their_rows(spec):
    world = generate.generate(spec.scaled(SMALL_ADDRESSES).without(survey1998.NEED_ROUTES), 1)
    failures, _ = world.truth()
    assert [label for label, _ in failures] == [
        "timed out", "connection refused", "immediate disconnect"]


def mail_addresses(world, best_only):
    """What a survey finds: for each listed domain, the addresses of its
    exchangers (all, or those of the lowest preference), CNAMEs followed, or
    the domain's own addresses when it has no MX."""
    data = {}
    for owner, rtype, rdata in world.records:
        data.setdefault((owner, rtype), []).append(rdata)

    def addresses(name, depth=0):
        if (name, "CNAME") in data:
            assert depth < 8
            return addresses(data[name, "CNAME"][0], depth + 1)
        return set(data.get((name, "A"), ()))

    found = set()
    for domain in world.domains:
        name = domain.lower() + "."
        exchangers = [rdata.split() for rdata in data.get((name, "MX"), ())]
        if not exchangers:
            found |= addresses(name)
            continue
        best = min(int(preference) for preference, _ in exchangers)
        for preference, exchanger in exchangers:
            if exchanger != "." and (not best_only or int(preference) == best):
                found |= addresses(exchanger)
    return found


@pytest.mark.parametrize("best_only", [False, True])
def test_the_dns_leads_to_exactly_the_world_addresses(small_world, full_world, best_only):
    for world in (small_world, full_world):
        assert mail_addresses(world, best_only) == {server.address for server in world.servers}


def test_addresses_are_in_loopback_ranges_by_behaviour(full_world):
    ranges = {"hostunreach": generate.HOSTUNREACH_OCTETS, "netunreach": generate.NETUNREACH_OCTETS}
    for server in full_world.servers:
        first, second, _, last = map(int, server.address.split("."))
        assert first == 127 and 0 < last < 255
        assert second in ranges.get(server.behaviour, generate.LOCAL_OCTETS)


# The texts, judged by awk ---------------------------------------------------

def joined(data):
    """A transcript as one awk record: CRs dropped, lines joined by spaces."""
    lines = data.replace(b"\r", b"").split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return b" ".join(lines)


@pytest.fixture(scope="module")
def awk_program():
    if not stage_exists("guess"):
        pytest.skip("mtaguess is not there yet")
    result = programs.run("mtaguess", ["--awk"])
    assert result.status == 0, result
    return result.stdout


def awk_labels(awk, program, texts):
    completed = subprocess.run([awk, program.decode()], input=b"".join(t + b"\n" for t in texts),
                               capture_output=True, env={"LC_ALL": "C"}, check=True, timeout=60)
    return completed.stdout.decode("latin-1").splitlines()


def every_variant():
    """A server for every variant and version of every label's texts."""
    rng = random.Random(0)
    for label, variants in software.TEXTS.items():
        for variant in variants:
            for version in variant.versions:
                for host in ("mail.example.net", "MX1.PP-EXIM.NET"):
                    server = generate.Server("127.1.1.1", generate.GREET, label, host=host)
                    server.greeting, server.help, server.quit = generate.render(
                        variant, host, version, rng)
                    yield server


@pytest.mark.parametrize("awk", ["gawk", "mawk"])
@pytest.mark.parametrize("with_quit", [False, True], ids=["greeting+help", "+quit"])
def test_every_text_is_named_by_its_own_label(awk, with_quit, awk_program, full_world):
    servers = [s for s in full_world.servers if s.behaviour == generate.GREET]
    servers += list(every_variant())
    texts = [joined(s.greeting + s.help + (s.quit if with_quit else b"")) for s in servers]
    labels = awk_labels(awk, awk_program, texts)
    wrong = [(server.label, label, text) for server, label, text in zip(servers, labels, texts)
             if server.label != label]
    assert len(labels) == len(servers)
    assert wrong == []


# The mail servers and the name server, on the shared loopback ---------------

@pytest.fixture(scope="module")
def loopback_world(spec, tmp_path_factory):
    """The small world without the unreachable kinds, written and running."""
    world = generate.generate(spec.scaled(SMALL_ADDRESSES).without(survey1998.NEED_ROUTES), 2)
    directory = tmp_path_factory.mktemp("world")
    world.write(directory)
    with servers.Servers(directory, world, private=False, concurrency=50) as running:
        yield world, running, directory


def first_server(world, behaviour):
    return next(server for server in world.servers if server.behaviour == behaviour)


def read_reply(sock, ending):
    data = b""
    while not data.endswith(ending):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


@pytest.mark.timeout(60)
def test_a_greeting_server_talks_as_1998_servers_did(loopback_world):
    world, running, _ = loopback_world
    server = next(s for s in world.servers
                  if s.behaviour == generate.GREET and s.greeting.count(b"\r\n") > 1)
    with socket.create_connection((server.address, running.smtp_port), timeout=10) as sock:
        assert read_reply(sock, server.greeting) == server.greeting
        sock.sendall(b"HELP\r\n")
        assert read_reply(sock, server.help) == server.help
        sock.sendall(b"NOOP\r\nhelp\r\n")
        assert read_reply(sock, server.help) == b"502 Command not implemented\r\n" + server.help
        sock.sendall(b"QUIT\r\n")
        assert read_reply(sock, b"\0") == server.quit  # then the server closes


@pytest.mark.timeout(60)
def test_each_failure_kind_fails_as_it_should(loopback_world):
    world, running, _ = loopback_world
    port = running.smtp_port
    silent = first_server(world, generate.SILENT)
    with socket.create_connection((silent.address, port), timeout=10) as sock:
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            sock.recv(1)
    dropping = first_server(world, generate.DROP)
    with pytest.raises(TimeoutError):
        socket.create_connection((dropping.address, port), timeout=0.5)
    hanging_up = first_server(world, "disconnect")
    with socket.create_connection((hanging_up.address, port), timeout=10) as sock:
        assert sock.recv(1) == b""
    refusing = first_server(world, "refuse")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((refusing.address, port), timeout=10)


def ask(running, name, rtype, tcp=False, **options):
    query = dns.message.make_query(name, rtype, **options)
    send = dns.query.tcp if tcp else dns.query.udp
    return send(query, servers.DNS_ADDRESS, port=running.dns_port, timeout=10)


def records_of(world, owner, rtype):
    return sorted(rdata for name, kind, rdata in world.records
                  if name == owner and kind == rtype)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
def test_the_name_server_answers_with_authority(loopback_world, tcp):
    world, running, _ = loopback_world
    owner = next(name for name, kind, _ in world.records if kind == "MX")
    answer = ask(running, owner.upper(), "MX", tcp)
    assert answer.rcode() == dns.rcode.NOERROR
    assert answer.flags & dns.flags.AA and not answer.flags & dns.flags.RA
    assert answer.question[0].name.to_text() == owner.upper()
    assert sorted(rdata.to_text().lower() for rdata in answer.answer[0]) == records_of(
        world, owner, "MX")


@pytest.mark.timeout(60)
def test_the_name_server_follows_cnames_and_denies_what_is_not(loopback_world):
    world, running, _ = loopback_world
    alias, target = next((name, rdata) for name, kind, rdata in world.records if kind == "CNAME")
    answer = ask(running, alias, "A")
    chain = [rrset.rdtype for rrset in answer.answer]
    assert chain[0] == dns.rdatatype.CNAME and chain[-1] == dns.rdatatype.A
    missing = next(domain for domain, why in world.addressless.items() if why == "NXDOMAIN")
    answer = ask(running, missing, "MX")
    assert answer.rcode() == dns.rcode.NXDOMAIN and answer.authority[0].rdtype == dns.rdatatype.SOA
    barren = next(domain for domain, why in world.addressless.items()
                  if why == "neither MX nor address")
    for rtype in ("MX", "A", "AAAA"):
        answer = ask(running, barren, rtype)
        assert answer.rcode() == dns.rcode.NOERROR and not answer.answer
        assert answer.authority[0].rdtype == dns.rdatatype.SOA
    answer = ask(running, "mail.example.invalid", "A")
    assert answer.rcode() == dns.rcode.REFUSED


@pytest.mark.timeout(60)
def test_a_large_answer_is_truncated_over_udp_and_whole_over_tcp(tmp_path):
    (tmp_path / "zones").mkdir()
    exchangers = [f"mail{number}.big.test." for number in range(60)]
    (tmp_path / "zones" / "test.zone").write_text(
        "$ORIGIN test.\n$TTL 3600\n@\tSOA\tns.test. hostmaster.test. 1 3600 600 86400 3600\n"
        "@\tNS\tns.test.\n"
        + "".join(f"big.test.\tMX\t{10 + n} {name}\n" for n, name in enumerate(exchangers)))
    process = subprocess.Popen([sys.executable, "-m", "world.responder", str(tmp_path),
                                "127.0.0.1", "0"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               cwd=servers.PACKAGE_PARENT)
    try:
        port = int(process.stdout.readline().split()[1])
        query = dns.message.make_query("big.test", "MX")
        udp = dns.query.udp(query, "127.0.0.1", port=port, timeout=10, ignore_trailing=True)
        assert udp.flags & dns.flags.TC and not udp.answer
        whole = dns.query.tcp(query, "127.0.0.1", port=port, timeout=10)
        assert len(whole.answer[0]) == len(exchangers)
        edns = dns.message.make_query("big.test", "MX", use_edns=0, payload=4096)
        large = dns.query.udp(edns, "127.0.0.1", port=port, timeout=10)
        assert not large.flags & dns.flags.TC and len(large.answer[0]) == len(exchangers)
    finally:
        process.stdin.close()
        process.wait(20)


def lookup_lines(server, directory, failed):
    with open(directory / "domains", "rb") as domains:
        result = programs.run("mxlookup", ["-q", "--server", server, "--failed", failed],
                              stdin=domains.read(), timeout=120)
    assert result.status == 0, result
    return result.lines


@pytest.mark.timeout(180)
@pytest.mark.skipif(shutil.which("nsd") is None and not os.path.exists("/usr/sbin/nsd"),
                    reason="no nsd")
def test_mxlookup_finds_the_same_under_nsd_and_the_world_name_server(loopback_world, tmp_path):
    if not stage_exists("lookup"):
        pytest.skip("mxlookup is not there yet")
    from nameserver import NameServer
    world, running, directory = loopback_world
    zones = {path.stem + ".": path.read_text() for path in (directory / "zones").glob("*.zone")}
    ours = lookup_lines(f"{servers.DNS_ADDRESS}:{running.dns_port}", directory, tmp_path / "ours")
    with NameServer(zones) as nsd:
        theirs = lookup_lines(nsd.spec, directory, tmp_path / "theirs")
    assert ours == theirs
    assert {line.split(b"\t")[0].decode() for line in ours} == {
        server.address for server in world.servers}
    assert (tmp_path / "ours").read_bytes() == (tmp_path / "theirs").read_bytes()


# The survey, end to end, through the installed programs ----------------------

@pytest.mark.timeout(300)
@pytest.mark.parametrize("network", ["private", "shared loopback"])
def test_a_survey_of_a_small_world_reports_its_truth(network, tmp_path):
    missing = [module for module in ("lookup", "probe", "guess", "tally")
               if not stage_exists(module)]
    if missing:
        pytest.skip(f"not there yet: {', '.join(missing)}")
    directory = tmp_path / "world"
    options = ["--small", "--check", "--keep", str(directory), "--pictures", str(tmp_path / "seen")]
    options += ["--shared-loopback"] if network == "shared loopback" else []
    result = programs.pipeline(" ".join(["tools/demo", *options]), cwd=programs.CHECKOUT,
                               timeout=240)
    output = result.stdout.decode()
    assert result.status == 0, output + result.stderr.decode()
    report = (directory / "report").read_text()
    truth = (directory / "truth").read_text().splitlines()
    assert [line for line in report.splitlines() if survey.table_rows(line)] == truth
    seen = tmp_path / "seen"
    assert (seen / "report").read_text() == report
    assert f"its page in {seen / 'report.html'}" in result.stderr.decode()
    page = tmp_path / "page.html"
    assert programs.run("tally", ["--html", page, directory / "report"]).status == 0
    assert page.read_bytes() == (seen / "report.html").read_bytes()
    assert "  sendmail " in (seen / "chart.txt").read_text()
    kinds = {line[8:] for line in truth[:5]}
    if network == "shared loopback" or "No private network" in output:
        assert "host unreachable" not in kinds and "network unreachable" not in kinds
    else:
        assert {"host unreachable", "network unreachable", "timed out",
                "connection refused", "immediate disconnect"} <= kinds
    addressless = {line.split("\t")[0] for line in (directory / "addressless").read_text().splitlines()}
    failed = {line.split("\t")[0].lower() for line in (directory / "failed").read_text().splitlines()}
    assert failed == addressless


def test_the_check_names_every_difference(full_world):
    expected, _ = survey.expected_table(full_world)
    head = f"{len(full_world.servers)} addresses\n18441 successful connections\n\n"
    rows = [f"{count:7d} {label}\n" for label, count in expected]
    lines, same = survey.compare(head + "".join(rows), full_world)
    assert same and lines == ["The table is the table of the post, row for row (65 rows)."]
    wrong_count = rows[:5] + ["  11582 sendmail\n"] + rows[6:]
    swapped = rows[:6] + [rows[7], rows[6]] + rows[8:]
    wrong_totals = "20309 addresses\n18441 successful connections\n\n" + "".join(rows)
    for report, said in ((head + "".join(wrong_count), "expected   11583 sendmail"),
                         (head + "".join(swapped), "(and the rows are in another order)"),
                         (wrong_totals, "totals: expected [20310, 18441], got [20309, 18441]")):
        lines, same = survey.compare(report, full_world)
        assert not same and any(said in line for line in lines), lines
