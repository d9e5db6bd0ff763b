"""The simulated 1998 internet: its generator, its servers, its name server,
and a survey of a small world through the installed programs."""

import importlib.util
import random
import subprocess

import pytest

import programs
from world import generate, software, survey1998
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
