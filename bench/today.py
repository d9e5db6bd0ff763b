"""make bench's stage of today's dialogue, on today's world (tests/world/today):
smtpprobe --ehlo against the simplest asyncio client that does the same
dialogue (bench/todayprobe.py) at the same concurrency, and against nmap's
smtp-commands and ssl-cert scripts at its fastest settings, with the peak
memory of each.

The servers measured are those of the world that answer the whole
dialogue (every kind but the connection failures and the handshake that
never ends, which would only measure the timeout), over IPv4 alone: nmap
takes one address family a run.  Each client's count of certificates is
printed beside its time, so that a fast client that missed some shows.
"""

import os
from xml.etree import ElementTree

from .measure import PYTHON, program, run

from mxsurvey import record  # noqa: E402  (bench/__main__ puts lib/ and tests/ on the path)
from world import today  # noqa: E402
from world.servers import Servers  # noqa: E402

NAME = today.CLIENT_NAME
NOT_MEASURED = set(today.FAILURES) | {"starttls-stalled"}
NMAP_SCRIPTS = ["-sT", "-Pn", "-n", "-p", "25", "--script", "smtp-commands,ssl-cert"]
# nmap's fastest settings that still get every certificate here: those of the
# 1998 stage less its script timeout (which cuts most handshakes short when
# a thousand are in flight), and a thousand probes in flight from the start.
NMAP_FAST = ["-T5", "--max-retries", "0", "--min-parallelism", "1000", "--max-parallelism", "2000",
             "--min-hostgroup", "30000"]


def measure(bench, addresses, concurrency, timeout, say, rate, ratio, mib):
    world = today.generate_world(addresses, 1).without_ipv6()
    directory = bench.path("today")
    world.write(directory)
    answering = [server for server in world.servers
                 if server.today["kind"] not in NOT_MEASURED]
    with open(bench.path("today.lines"), "w") as out:
        out.writelines(f"{server.address}\t{server.host}\n" for server in answering)
    with open(bench.path("today.addresses"), "w") as out:
        out.writelines(f"{server.address}\n" for server in answering)
    shaking = sum(server.today["starttls"] == "ok" for server in answering)
    count = len(answering)
    smtpprobe = program(
        "smtpprobe", "--quiet", "--concurrency", concurrency, "--rate", 0, "--connect-timeout",
        timeout, "--read-timeout", timeout, "--blocklist", "/dev/null", "--ehlo", NAME,
        "--ca-file", os.path.join(directory, "ca.crt"), bench.path("today.lines"))
    client = [PYTHON, "-m", "bench.todayprobe", "25", str(concurrency), str(timeout), NAME]
    nmap = ["nmap", *NMAP_SCRIPTS, *NMAP_FAST, "-iL", bench.path("today.addresses"),
            "-oX", bench.path("today.xml")]
    with Servers(directory, world, True, concurrency, dns=False):
        ours = bench.median(smtpprobe, stdout=bench.path("today.probed"))
        peer = bench.median(client, stdin=bench.path("today.lines"),
                            stdout=bench.path("today.simple"))
        scanned = run(nmap)
    ours_certs = certificates(bench.path("today.probed"), record.TODAY.index("CERT_SHA256"))
    peer_certs = certificates(bench.path("today.simple"), 3)
    hosts, nmap_commands, nmap_certs = nmap_found(bench.path("today.xml"))
    say()
    say(f"smtpprobe --ehlo, today's world: {count:,} IPv4 servers that answer the whole "
        f"dialogue, {shaking:,} of them with TLS; timeout {timeout} s, {concurrency} in flight:")
    say(f"  smtpprobe --ehlo     {rate(count, ours.wall):>7} exchanges/s  ({ours.wall:.2f} s, "
        f"cpu {ours.cpu:.2f} s, peak {mib(ours.peak_kib)}; {ours_certs:,} certificates)")
    say(f"  bench/todayprobe.py  {rate(count, peer.wall):>7} exchanges/s  ({peer.wall:.2f} s, "
        f"cpu {peer.cpu:.2f} s, peak {mib(peer.peak_kib)}; {peer_certs:,} certificates)   "
        f"smtpprobe is {ratio(ours.wall, peer.wall)}   (target 0.7x)")
    say(f"  nmap                 {rate(count, scanned.wall):>7} hosts/s      "
        f"({scanned.wall:.2f} s, cpu {scanned.cpu:.2f} s, peak {mib(scanned.peak_kib)}, one run; "
        f"{hosts:,} hosts, commands of {nmap_commands:,}, {nmap_certs:,} certificates)   "
        "smtpprobe is "
        f"{ratio(ours.wall, scanned.wall)} faster   (target 5x)")
    say(f"    nmap {' '.join(NMAP_SCRIPTS + NMAP_FAST)}")
    say("  (smtpprobe also reads each certificate's facts and validates it against the "
        "world's CA; the asyncio client takes its SHA-256 only)")


def certificates(path, field):
    """How many lines of `path` have a certificate's SHA-256 in `field` (from 0)."""
    with open(path, encoding="ascii", errors="replace") as lines:
        return sum(1 for line in lines
                   if len(line.split("\t")) > field and line.rstrip("\n").split("\t")[field])


def nmap_found(xml):
    """The hosts in nmap's XML report, how many had smtp-commands output,
    and how many a certificate (ssl-cert's output, not its error)."""
    hosts = list(ElementTree.parse(xml).getroot().iter("host"))

    def having(host, script_id, start=""):
        return any(script.get("id") == script_id and script.get("output", "").startswith(start)
                   for script in host.iter("script"))

    return (len(hosts), sum(having(host, "smtp-commands") for host in hosts),
            sum(having(host, "ssl-cert", "Subject:") for host in hosts))
