"""What one domain's answers can make mxlookup do, against a real NSD on
loopback: the exchangers and addresses it follows are bounded, the queries
in flight never exceed --concurrency, each query leaves from a port of its
own, and forged answers are ignored.  The relay in front of NSD watches the
queries as they arrive."""

import ipaddress
import random
import re
import resource
import subprocess
import sys
import textwrap

import pytest

from mxsurvey import mailroute
from nameserver import NameServer, WatchingRelay
from programs import BIN, CHECKOUT, run_inprocess

pytestmark = pytest.mark.timeout(120)

WIDE_EXCHANGERS = 100  # well over MAX_EXCHANGERS
WIDE_ADDRESSES = 40  # each, over MAX_ADDRESSES
SMALL_DOMAINS = 300  # one exchanger each, outside the domain: two queries a domain

shuffle = random.Random(1998)
# Preferences with ties, so that the names' text decides among equals.
WIDE = {f"mx{n}.fanout.example": shuffle.randint(0, 40) for n in range(WIDE_EXCHANGERS)}
WIDE_A = {name: shuffle.sample([f"10.{n}.{k // 250}.{k % 250 + 1}" for k in range(400)],
                               WIDE_ADDRESSES)
          for n, name in enumerate(WIDE)}
# Exactly at the limits: nothing is cut.
FULL_A = {f"full{n}.fanout.example": [f"10.200.{n}.{k + 1}" for k in range(mailroute.MAX_ADDRESSES)]
          for n in range(mailroute.MAX_EXCHANGERS)}

ZONE = "\n".join([
    "$ORIGIN fanout.example.",
    "$TTL 3600",
    "@ SOA ns hostmaster 1 3600 600 86400 300",
    "@ NS ns",
    "ns A 127.0.0.1",
    *(f"wide MX {preference} {name}." for name, preference in WIDE.items()),
    *(f"{name}. A {address}" for name, addresses in WIDE_A.items() for address in addresses),
    *(f"full MX 10 {name}." for name in FULL_A),
    *(f"{name}. A {address}" for name, addresses in FULL_A.items() for address in addresses),
    *(f"d{n} MX 10 host{n}" for n in range(SMALL_DOMAINS)),
    *(f"host{n} A 10.250.{n // 250}.{n % 250 + 1}" for n in range(SMALL_DOMAINS)),
]) + "\n"

SMALL = [f"d{n}.fanout.example" for n in range(SMALL_DOMAINS)]


@pytest.fixture(scope="module")
def nsd():
    with NameServer({"fanout.example": ZONE}) as server:
        yield server


def lookup(server, domains, *options):
    stdin = "".join(f"{domain}\n" for domain in domains).encode()
    return run_inprocess("mxlookup", ["--server", server.spec, "--timeout", "5", *options],
                         stdin)


def fields(result):
    return [tuple(line.decode("ascii").split("\t")) for line in result.lines]


def cut_counts(result):
    match = re.search(r"; (\d+) domains? cut \((\d+) exchangers?, (\d+) address(?:es)? left out\)",
                      result.errors[-1])
    return tuple(map(int, match.groups()))


def test_a_domain_follows_its_most_preferred_exchangers_and_their_lowest_addresses(nsd):
    result = lookup(nsd, ["wide.fanout.example", "full.fanout.example"], "--all")
    assert result.status == 0, result
    kept = sorted(WIDE, key=lambda name: (WIDE[name], name))[:mailroute.MAX_EXCHANGERS]
    expected = [(address, name, "wide.fanout.example", str(WIDE[name]))
                for name in kept
                for address in sorted(WIDE_A[name], key=ipaddress.IPv4Address)
                [:mailroute.MAX_ADDRESSES]]
    expected += [(address, name, "full.fanout.example", "10")
                 for name in sorted(FULL_A) for address in sorted(FULL_A[name],
                                                                  key=ipaddress.IPv4Address)]
    lines = fields(result)
    assert len(lines) == 2 * mailroute.MAX_EXCHANGERS * mailroute.MAX_ADDRESSES
    assert lines == expected
    exchangers_cut = WIDE_EXCHANGERS - mailroute.MAX_EXCHANGERS
    addresses_cut = mailroute.MAX_EXCHANGERS * (WIDE_ADDRESSES - mailroute.MAX_ADDRESSES)
    assert result.errors[:-1] == [
        f"mxlookup: stdin:1: wide.fanout.example: {exchangers_cut} exchangers and "
        f"{addresses_cut} addresses left out, over the limits of {mailroute.MAX_EXCHANGERS} "
        f"exchangers a domain and {mailroute.MAX_ADDRESSES} addresses of a family an exchanger"]
    assert cut_counts(result) == (1, exchangers_cut, addresses_cut)


@pytest.mark.parametrize("concurrency", [1, 8])
def test_queries_in_flight_never_exceed_the_concurrency(nsd, concurrency):
    # Each query is held 20 ms, so that queries sent together overlap at the
    # relay: the wide domain asks for 32 exchangers' A and AAAA at once, the
    # small ones for their MX and then their exchanger's A.
    with WatchingRelay((nsd.address, nsd.port), delay=0.02) as relay:
        result = lookup(relay, ["wide.fanout.example", *SMALL[:40]], "--concurrency",
                        str(concurrency), "-6")
    assert result.status == 0, result
    assert relay.peak == concurrency
    assert len(result.lines) == mailroute.MAX_EXCHANGERS * mailroute.MAX_ADDRESSES + 40


def test_each_query_leaves_from_a_port_of_its_own(nsd):
    with WatchingRelay((nsd.address, nsd.port)) as relay:
        result = lookup(relay, SMALL)
    assert result.status == 0, result
    assert len(result.lines) == SMALL_DOMAINS
    ports = relay.ports
    assert len(ports) == 2 * SMALL_DOMAINS
    assert len(set(ports)) >= 0.9 * len(ports), len(set(ports))
    # and not one after another: random ports of ~28,000 fall this close
    # together about once in a thousand
    near = sum(abs(port - after) <= 16 for port, after in zip(ports, ports[1:]))
    assert near <= 0.05 * len(ports), near


def test_answers_with_a_wrong_id_or_at_a_wrong_port_are_ignored(nsd):
    domains = SMALL[:100] + ["full.fanout.example"]
    truth = lookup(nsd, domains, "--all")
    with WatchingRelay((nsd.address, nsd.port), delay=0.02, forge=True) as relay:
        result = lookup(relay, domains, "--all", "--concurrency", "20")
    assert result.status == 0, result
    assert relay.forged_at_other_ports > 0  # some reached another query's open socket
    assert result.stdout == truth.stdout
    assert b"forged" not in result.stdout and relay.FORGED_ADDRESS.encode() not in result.stdout


def test_the_concurrency_is_lowered_to_fit_the_open_file_limit(nsd):
    def few_files():
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    completed = subprocess.run(
        [BIN / "mxlookup", "--server", nsd.spec, "--concurrency", "500"],
        input="".join(f"{domain}\n" for domain in SMALL).encode(), capture_output=True,
        timeout=60, preexec_fn=few_files)
    assert completed.returncode == 0, completed
    assert len(completed.stdout.splitlines()) == SMALL_DOMAINS
    errors = completed.stderr.decode().splitlines()
    assert errors[0] == ("mxlookup: warning: --concurrency lowered to 32: "
                         "only 64 open files allowed (ulimit -n)")
    assert len(errors) == 2  # the warning, once, and the summary


# No free file for a socket: the query is sent when a file is free again,
# or times out; the run goes on either way.
NO_FREE_FILES = textwrap.dedent("""
    import asyncio, io, os, resource, selectors, sys, threading
    sys.path.insert(0, sys.argv[1])
    from mxsurvey import lookup

    def open_files():
        return len(os.listdir("/proc/self/fd"))

    resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
    before = open_files()
    loop, selector = asyncio.new_event_loop(), selectors.DefaultSelector()
    needed = open_files() - before  # the event loop's and the query engine's own
    loop.close()
    selector.close()
    hogged = []
    try:
        while True:
            hogged.append(os.open(os.devnull, os.O_RDONLY))
    except OSError:
        pass
    for fd in hogged[:needed]:  # room for those, none for a socket
        os.close(fd)
    del hogged[:needed]
    release_after = float(sys.argv[2])
    if release_after:
        threading.Timer(release_after, lambda: [os.close(fd) for fd in hogged[:4]]).start()
    stdin, stdout, stderr = io.BytesIO(sys.argv[3].encode()), io.BytesIO(), io.BytesIO()
    status = lookup.main(sys.argv[4:], stdin, stdout, stderr)
    sys.stdout.buffer.write(stdout.getvalue())
    sys.stderr.buffer.write(stderr.getvalue())
    sys.exit(status)
""")


@pytest.mark.parametrize("release_after, found", [(0, 0), (0.3, 10)],
                         ids=["persists", "passes"])
def test_no_free_file_for_a_socket_is_retried(nsd, release_after, found):
    domains = "".join(f"{domain}\n" for domain in SMALL[:10])
    completed = subprocess.run(
        [sys.executable, "-c", NO_FREE_FILES, str(CHECKOUT / "lib"), str(release_after),
         domains, "--server", nsd.spec, "--timeout", "0.2", "--retries", "4",
         "--concurrency", "10"], capture_output=True, timeout=60)
    assert completed.returncode == 0, completed
    assert len(completed.stdout.splitlines()) == found
    summary_line = completed.stderr.decode().splitlines()[-1]
    assert f" {found} found " in summary_line and f" {10 - found} timeout," in summary_line
