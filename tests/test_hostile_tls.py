"""smtpprobe --ehlo against hostile TLS servers on loopback, run as a real
process: every address comes out as exactly one valid line, within its
deadline, with the word that says why its handshake failed; memory stays
bounded with many such servers at once; and no byte of a certificate's
names reaches the output unescaped."""

import re
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import certificates
import hostile_tls
from mxsurvey import record
from programs import BIN
from scripted_smtp import Farm, esmtp

pytestmark = pytest.mark.timeout(300)

NAME = "survey.example.net"
READ_TIMEOUT, DEADLINE = 2, 5
MARGIN = 3  # slack for a busy machine
GREETING = b"220 mx.example.org ESMTP\r\n"
REPLIES = {b"EHLO": b"250-mx.example.org\r\n250 STARTTLS\r\n", b"HELP": b"214 help\r\n",
           b"QUIT": b"221 bye\r\n"}
PRINTABLE = re.compile(rb"[\x20-\x7e]*")


def probe(farm, addresses, concurrency=50):
    """Run smtpprobe --ehlo on `addresses`: (lines by address, seconds,
    peak RSS in KiB, stderr)."""
    command = [BIN / "smtpprobe", "--ehlo", NAME, "--port", str(farm.port),
               "--blocklist", "/dev/null", "--rate", "0", "--concurrency", str(concurrency),
               "--read-timeout", str(READ_TIMEOUT), "--deadline", str(DEADLINE), "-q"]
    stdin = "".join(f"{address}\tmx.example.org\texample.org\t10\n" for address in addresses)
    started = time.monotonic()
    completed = subprocess.run([sys.executable, "-c", PEAK_RSS, *map(str, command)],
                               input=stdin.encode(), capture_output=True, timeout=200)
    seconds = time.monotonic() - started
    stderr, _, peak = completed.stderr.rpartition(b"peak RSS ")
    assert completed.returncode == 0, stderr
    stdout = completed.stdout
    found = {}
    for line in stdout.splitlines():
        assert record.probe_line_fault(line) is None, line
        fields = line.decode("ascii").split("\t")
        assert len(fields) == len(record.TODAY), line
        assert fields[0] not in found, f"{fields[0]} written twice"
        found[fields[0]] = dict(zip(record.TODAY, fields))
    assert sorted(found) == sorted(addresses)
    return found, seconds, int(peak), stderr


# Runs a command and says its peak RSS (KiB) last on stderr.
PEAK_RSS = """
import resource, subprocess, sys
status = subprocess.run(sys.argv[1:]).returncode
sys.stderr.write("peak RSS %d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(status)
"""


def serve(farm, handshake):
    return farm.serve(esmtp(GREETING, REPLIES, handshake))


def server_context(tmp_path, leaf, stem="leaf"):
    cert_path, key_path = leaf.write(tmp_path, stem)
    return certificates.server_context(cert_path, key_path)


HANDSHAKES = {
    "garbage": (hostile_tls.garbage, "not-tls"),
    "handshake_failure alert": (lambda: hostile_tls.alert("handshake_failure"),
                                "handshake-failure"),
    "protocol_version alert": (lambda: hostile_tls.alert("protocol_version"),
                               "protocol-version"),
    "internal_error alert": (lambda: hostile_tls.alert("internal_error"), "alert"),
    "SSL 3.0 chosen": (hostile_tls.sslv3_hello, "protocol-version"),
    "megabytes of certificate chain": (hostile_tls.huge_certificate_chain, "too-large"),
    "trickled handshake": (hostile_tls.trickle, "timeout"),
    "closed in the handshake": (hostile_tls.close_in_handshake, "closed"),
    "reset in the handshake": (hostile_tls.reset_in_handshake, "reset"),
}


@pytest.fixture(scope="module")
def one_of_each():
    with Farm() as farm:
        servers = {serve(farm, make()): (behaviour, word)
                   for behaviour, (make, word) in HANDSHAKES.items()}
        found, seconds, _, _ = probe(farm, list(servers))
    return servers, found, seconds


@pytest.mark.parametrize("behaviour", HANDSHAKES)
def test_a_failed_handshake_says_why_in_a_word(one_of_each, behaviour):
    servers, found, _ = one_of_each
    address = next(address for address, (name, _) in servers.items() if name == behaviour)
    fields = found[address]
    assert fields["STATUS"] == "ok"
    assert fields["STARTTLS"] == "failed"
    assert fields["TLS_FAILURE"] == HANDSHAKES[behaviour][1]
    assert fields["TLS_FAILURE"] in record.TLS_FAILURE_WORDS
    assert fields["TLS_VERSION"] == fields["CERT_SHA256"] == ""
    # what came before the handshake is kept; nothing of TLS is recorded as text
    assert fields["TRANSCRIPT"].startswith("220 mx.example.org ESMTP\\r\\n\\[ehlo]250-")


def test_no_hostile_handshake_outlasts_the_deadline(one_of_each):
    _, _, seconds = one_of_each
    assert seconds < DEADLINE + MARGIN


def test_the_words_are_cut_without_parsing(one_of_each):
    """TLS_FAILURE is a field of its own: awk's $NF, cut -f24."""
    servers, found, _ = one_of_each
    lines = "".join("\t".join(fields.values()) + "\n" for fields in found.values())
    column = len(record.TODAY)
    cut = subprocess.run(["cut", f"-f{column}"], input=lines.encode(), capture_output=True,
                         check=True).stdout.decode().split()
    assert sorted(cut) == sorted(word for _, word in servers.values())


def test_tls_closed_mid_ehlo_keeps_what_came(tmp_path):
    ca = certificates.authority()
    leaf = certificates.issue(certificates.name("mx.example.org"), ca, sans=["mx.example.org"])
    with Farm() as farm:
        address = serve(farm, hostile_tls.close_mid_ehlo(server_context(tmp_path, leaf)))
        found, seconds, _, _ = probe(farm, [address])
    fields = found[address]
    assert fields["STARTTLS"] == "ok" and fields["TLS_FAILURE"] == ""
    assert fields["TLS_VERSION"].startswith("TLSv1")
    assert fields["TRANSCRIPT"].endswith(
        "\\[tls]\\[ehlo]250-mx.example.org\\r\\n250-PIPEL\\[closed]")
    assert seconds < DEADLINE + MARGIN


@pytest.mark.parametrize("requests", [1, 5, 40])
def test_renegotiation_asked_after_the_handshake_ends_in_one_line(tmp_path, requests):
    """HelloRequests from a real TLS 1.2 server (OpenSSL's s_server) after
    the handshake, once or in a storm: the client renegotiates or the
    exchange ends, on one valid line within the deadline."""
    ca = certificates.authority()
    leaf = certificates.issue(certificates.name("mx.example.org"), ca, sans=["mx.example.org"])
    cert, key = leaf.write(tmp_path, "leaf")
    with Farm() as farm:
        address = serve(farm, hostile_tls.renegotiating(cert, key, requests))
        found, seconds, _, _ = probe(farm, [address])
    fields = found[address]
    assert fields["STARTTLS"] == "ok" and fields["TLS_VERSION"] == "TLSv1.2"
    assert seconds < DEADLINE + MARGIN
    if requests * 0.1 < READ_TIMEOUT:  # renegotiated, and the dialogue went on
        assert fields["TRANSCRIPT"].endswith("\\[tls]\\[ehlo]250 mx.example.org\\r\\n"
                                             "\\[help]214 help\\r\\n\\[quit]221 bye\\r\\n")
    else:  # handshakes are not replies: the read timeout ran out while they went on
        assert fields["TRANSCRIPT"].endswith("\\[tls]\\[ehlo]\\[timeout]")


# Many at once: memory --------------------------------------------------------

def test_memory_stays_bounded_with_many_hostile_servers():
    """Peak RSS with 200 exchanges in flight against servers that send
    megabytes of certificate chain or trickle their handshake, against the
    same number of plain servers: the difference stays under 200 x 512 KiB
    (the transcript cap and OpenSSL's buffers and 100 KiB certificate
    limit for each exchange)."""
    count = 200
    with Farm() as farm:
        plain = [farm.serve(esmtp(GREETING, {**REPLIES, b"EHLO": b"250 mx\r\n"}))
                 for _ in range(count)]
        _, _, baseline, _ = probe(farm, plain, concurrency=count)
    with Farm() as farm:
        hostile = [serve(farm, (hostile_tls.huge_certificate_chain if n % 2
                                else hostile_tls.trickle)())
                   for n in range(count)]
        found, seconds, peak, _ = probe(farm, hostile, concurrency=count)
    assert {fields["TLS_FAILURE"] for fields in found.values()} == {"too-large", "timeout"}
    print(f"peak RSS: {baseline} KiB plain, {peak} KiB hostile, {count} at once, "
          f"{seconds:.1f} s")
    assert peak - baseline < count * 512, (baseline, peak)


# Hostile names, over the network ---------------------------------------------

# (shorter than test_certificate's: each example is a connection)
HOSTILE_TEXT = certificates.hostile_text(max_size=30)
HOSTILE_DNS_NAME = certificates.hostile_dns_name(max_size=30)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(common_name=HOSTILE_TEXT, sans=st.lists(HOSTILE_DNS_NAME, max_size=3),
       organization=HOSTILE_TEXT)
def test_no_byte_of_a_certificates_names_reaches_the_line_unescaped(
        tmp_path, common_name, sans, organization):
    ca = certificates.issue(certificates.name("CA", organization), ca=True)
    leaf = certificates.issue(certificates.name(common_name), ca, sans=sans)
    context = server_context(tmp_path, leaf)
    with Farm() as farm:
        address = farm.serve(esmtp(GREETING, REPLIES, context))
        found, _, _, _ = probe(farm, [address])
    fields = found[address]
    assert fields["STARTTLS"] == "ok"
    for name in ("CERT_CN", "CERT_SAN", "CERT_ISSUER"):
        assert PRINTABLE.fullmatch(fields[name].encode())
    assert [record.unescape(item)[0] for item in fields["CERT_CN"].encode().split(b",")] == [
        common_name.encode("utf-8", "surrogatepass")]
