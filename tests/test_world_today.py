"""Today's simulated internet: its generator, its certificates, and a survey
of a small one with today's dialogue (tools/demo --today --check), every
address's record held against what the world configured."""

import collections
import datetime
import hashlib
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

import programs
from world import generate, pki, today, todaysurvey

pytestmark = pytest.mark.timeout(120)
SMALL = 60   # addresses, as tools/demo --today --small makes them


@pytest.fixture(scope="module")
def world():
    return today.generate_world(SMALL, 1)


def test_every_kind_comes_at_least_once_over_ipv4_and_ipv6(world):
    kinds = collections.Counter(server.today["kind"] for server in world.servers)
    assert set(kinds) == set(today.MIX)
    families = {ipaddress.ip_address(server.address).version for server in world.servers
                if server.behaviour == today.ESMTP}
    assert families == {4, 6}
    assert all(ipaddress.ip_address(address) in today.IPV6_NET for address in world.ipv6())
    assert len({server.address for server in world.servers}) == len(world.servers)
    by_host = collections.defaultdict(set)
    for server in world.servers:
        by_host[server.host].add(ipaddress.ip_address(server.address).version)
    assert {frozenset(versions) for versions in by_host.values()} == {
        frozenset({4}), frozenset({6}), frozenset({4, 6})}


def test_a_seed_gives_one_world():
    one, again, other = (today.generate_world(SMALL, seed) for seed in (3, 3, 4))
    assert one.servers == again.servers and one.records == again.records
    assert one.servers != other.servers


def test_the_dns_leads_to_exactly_the_world_addresses(world):
    hosts = {rdata.split()[1].rstrip(".") for owner, rtype, rdata in world.records
             if rtype == "MX"}
    addresses = {rdata for owner, rtype, rdata in world.records
                 if rtype in ("A", "AAAA") and owner.rstrip(".") in hosts}
    assert addresses == {server.address for server in world.servers}
    assert set(world.domains) == {owner.rstrip(".") for owner, rtype, _ in world.records
                                  if rtype == "MX"}


def test_without_ipv6_the_world_keeps_its_ipv4_half(world):
    smaller = world.without_ipv6()
    assert smaller.ipv6() == [] and not any(rtype == "AAAA" for _, rtype, _ in smaller.records)
    assert len(smaller.servers) == len(world.servers) - len(world.ipv6())
    assert today.EXAMPLE_DOMAIN in smaller.domains


@pytest.mark.parametrize("kind, says", [
    ("trusted", ("ehlo", "yes", "ok", "TLSv1.3", "trusted")),
    ("expired", ("ehlo", "yes", "ok", "TLSv1.3", "expired")),
    ("tls1.0", ("ehlo", "yes", "ok", "TLSv1", "trusted")),
    ("starttls-refused", ("ehlo", "yes", "refused", "", "")),
    ("starttls-dropped", ("ehlo", "yes", "unanswered", "", "")),
    ("starttls-stalled", ("ehlo", "yes", "failed", "", "")),
    ("no-starttls", ("ehlo", "no", "", "", "")),
    ("ehlo-refused", ("helo", "no", "", "", "")),
])
def test_the_truth_of_each_kind(world, kind, says):
    server = next(server for server in world.servers if server.today["kind"] == kind)
    truth = server.today["truth"]
    assert (truth["HELLO"], truth["STARTTLS_OFFERED"], truth["STARTTLS"], truth["TLS_VERSION"],
            truth["VALIDATION"]) == says
    offers = b"250-STARTTLS\r\n" in server.today["ehlo"].encode()
    assert offers == (says[1] == "yes")
    assert "STARTTLS" not in server.today["tls_ehlo"]   # RFC 3207: not offered again


def test_the_certificates_are_of_their_kinds(world, tmp_path):
    world.write(tmp_path)
    root = x509.load_pem_x509_certificate((tmp_path / pki.CA).read_bytes())
    now = datetime.datetime.now(datetime.timezone.utc)
    seen = set()
    for server in world.servers:
        kind = server.today.get("certificate")
        if not kind or kind in seen:
            continue
        seen.add(kind)
        sent = x509.load_pem_x509_certificates(
            (tmp_path / f"{server.today['pem']}.crt").read_bytes())
        cert = sent[0]
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert (server.host in names.get_values_for_type(x509.DNSName)) == (kind != "name-mismatch")
        assert (cert.issuer == cert.subject) == (kind == "self-signed")
        if kind == "self-signed" or kind == "no-intermediate":
            assert len(sent) == 1
        else:
            intermediate = sent[1]
            assert len(sent) == 2 and cert.issuer == intermediate.subject
            assert intermediate.issuer == root.subject
            cert.verify_directly_issued_by(intermediate)
            intermediate.verify_directly_issued_by(root)
        assert (cert.not_valid_after_utc < now) == (kind == "expired")
        assert cert.public_key().key_size == pki.RSA_BITS.get(kind, 256)
        assert server.today["truth"]["CERT_SHA256"] == hashlib.sha256(
            cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    assert seen == set(pki.VALIDATION)
    truth = (tmp_path / "truth").read_text()
    assert "connection refused" in truth and "Postfix" in truth


# The survey, end to end --------------------------------------------------------

@pytest.fixture(scope="module")
def surveyed(tmp_path_factory):
    """tools/demo --today --small --check, its world and output kept."""
    directory = tmp_path_factory.mktemp("today") / "world"
    result = programs.pipeline(
        f"tools/demo --today --small --check --timeout 1 --keep {directory}",
        cwd=programs.CHECKOUT, timeout=100)
    return result, directory


def test_a_survey_of_todays_world_records_what_the_world_configured(surveyed):
    result, directory = surveyed
    output = result.stdout.decode()
    assert result.status == 0, output + result.stderr.decode()
    assert "Every address's record is the world's truth" in output
    assert "The table is the world's truth, row for row" in output
    assert "mxlookup -6 " in output and "--ehlo survey.example.net --ca-file ca.crt" in output
    servers = generate.read_servers(directory)
    found = todaysurvey.records(directory / "guessed")
    assert set(found) == {server.address for server in servers}
    assert any(":" in address and found[address]["STARTTLS"] == "ok" for address in found)
    assert {fields["VALIDATION"] for fields in found.values()} >= {
        "trusted", "unknown-issuer", "expired", "self-signed", "name-mismatch"}


def test_the_check_names_every_difference(surveyed):
    _, directory = surveyed
    servers = generate.read_servers(directory)
    world = today.TodayWorld(1, servers, [], [])
    report = (directory / "report").read_text()
    lines, same = todaysurvey.compare(report, directory / "guessed", world)
    assert same, lines
    trusted = next(server for server in servers if server.today["kind"] == "trusted")
    trusted.today["truth"]["CERT_SHA256"] = "0" * 64
    stalled = next(server for server in servers if server.today["kind"] == "starttls-stalled")
    stalled.today["truth"]["STARTTLS"] = "ok"
    servers.append(generate.Server("127.0.9.9", today.ESMTP, "Postfix",
                                   today={"kind": "trusted", "truth": {"STATUS": "ok"}}))
    lines, same = todaysurvey.compare(report, directory / "guessed", world)
    assert not same
    said = "\n".join(lines)
    assert f"{trusted.address} (trusted): CERT_SHA256 is" in said
    assert f"{stalled.address} (starttls-stalled): STARTTLS is 'failed', the world's is 'ok'" \
        in said
    assert "127.0.9.9: no record" in said
    assert "totals: expected" in said
    # The stalled server's STARTTLS, now `ok` in the truth, is one more ok
    # than the report's section of STARTTLS outcomes counts.
    assert "  STARTTLS outcome: expected {" in said


def test_without_a_private_network_the_survey_leaves_ipv6_out(tmp_path):
    directory = tmp_path / "world"
    result = programs.pipeline(
        f"tools/demo --today --small --check --timeout 1 --shared-loopback --keep {directory}",
        cwd=programs.CHECKOUT, timeout=100)
    output = result.stdout.decode()
    assert result.status == 0, output + result.stderr.decode()
    assert "No private network (--shared-loopback): no IPv6 exchangers." in output
    assert not any(":" in address for address in todaysurvey.records(directory / "guessed"))
