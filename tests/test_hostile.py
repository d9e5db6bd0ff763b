"""smtpprobe against servers that break the rules (world.hostile), one of
each and then thousands mixed with ordinary servers: every address comes
out once, on a line that keeps the record contract, as its server's
behaviour must come out, and no exchange outlasts the deadline."""

import subprocess

import pytest

from programs import BIN
from world import expected, generate, hostile
from world.servers import Servers

pytestmark = pytest.mark.timeout(120)

READ_TIMEOUT = 2.0   # more than hostile.DRIP_INTERVAL: a drip meets the deadline
DEADLINE = 4.0
MAX_BYTES = 16384
# Slack for a busy machine: the point is that every exchange ends, near its deadline.
DEADLINE_MARGIN = 3.0


class Probed:
    """A world served on loopback, probed by smtpprobe as a real process."""

    def __init__(self, directory, world, input_lines, concurrency):
        world.write(directory)
        with Servers(directory, world, False, concurrency, dns=False) as servers:
            command = expected.probe_command(servers.smtp_port, READ_TIMEOUT, DEADLINE,
                                             concurrency, MAX_BYTES)
            completed = subprocess.run(
                [BIN / command[0], *command[1:]], input=b"".join(input_lines),
                capture_output=True, timeout=100)
        self.status = completed.returncode
        self.lines = completed.stdout.splitlines()
        self.errors = completed.stderr.decode().splitlines()
        self.farm = servers.summaries["farm"]
        self.servers = {server.address: server for server in world.servers}

    def by_address(self):
        found = {}
        for line in self.lines:
            address = line.split(b"\t", 1)[0].decode("ascii", "replace")
            assert address not in found, f"{address} written twice"
            found[address] = line
        return found

    def faults(self):
        """Each line's complaints and surprises, by address, where it has some."""
        faults = {}
        for address, line in self.by_address().items():
            found = expected.complaints(line, MAX_BYTES)
            if not found:
                found = expected.surprises(line, self.servers[address], MAX_BYTES)
            if found:
                faults[address] = (self.servers[address].behaviour, found)
        return faults


def lines_of(addresses):
    return [f"{address}\n".encode() for address in addresses]


# One of each ----------------------------------------------------------------

@pytest.fixture(scope="module")
def one_of_each(tmp_path_factory):
    world = hostile.make_world(len(hostile.BEHAVIOURS), hostile_share=1.0)
    addresses = [server.address for server in world.servers]
    return Probed(tmp_path_factory.mktemp("hostile"), world, lines_of(addresses), 50)


def test_every_behaviour_is_in_the_world(one_of_each):
    behaviours = sorted(server.behaviour for server in one_of_each.servers.values())
    assert behaviours == sorted(hostile.BEHAVIOURS)


@pytest.mark.parametrize("behaviour", hostile.BEHAVIOURS)
def test_a_hostile_server_comes_out_as_one_valid_line(one_of_each, behaviour):
    address = next(address for address, server in one_of_each.servers.items()
                   if server.behaviour == behaviour)
    line = one_of_each.by_address()[address]
    assert expected.complaints(line, MAX_BYTES) == []
    assert expected.surprises(line, one_of_each.servers[address], MAX_BYTES) == [], line[:200]


def test_garbage_is_escaped_and_comes_back_byte_for_byte(one_of_each):
    address = next(address for address, server in one_of_each.servers.items()
                   if server.behaviour == hostile.GARBAGE)
    field = one_of_each.by_address()[address].split(b"\t")[2]
    assert b"\\x00nul\\x00" in field and b"\\x1b[2J" in field and b"\\x9b6n" in field
    assert b"bare\\rcr\\r\\r\\n220-bare lf\\n220 garbage.example\\x7f ready" in field


def test_no_connection_outlasts_the_deadline(one_of_each):
    assert one_of_each.status == 0, one_of_each.errors
    assert one_of_each.farm["connections"] == len(hostile.BEHAVIOURS)
    assert one_of_each.farm["longest_ms"] <= 1000 * (DEADLINE + DEADLINE_MARGIN)


# Thousands, half of them hostile --------------------------------------------

ADDRESSES = 3000


@pytest.fixture(scope="module")
def thousands(tmp_path_factory):
    world = hostile.make_world(ADDRESSES, hostile_share=0.5, seed=2)
    addresses = [server.address for server in world.servers]
    # Some addresses twice, some in another spelling, and lines to reject.
    repeated = addresses[::7] + [f"{address}\tmx.example" for address in addresses[::11]]
    rejected = ["127.000.0.1", "not-an-address", "fe80::1%lo", "224.0.0.1", "\tmx.example", "\xff"]
    lines = lines_of(addresses + repeated + rejected)
    return Probed(tmp_path_factory.mktemp("thousands"), world, lines, 1000)


def test_every_distinct_address_comes_out_as_exactly_one_line(thousands):
    assert len(thousands.lines) == ADDRESSES
    assert sorted(thousands.by_address()) == sorted(thousands.servers)
    assert thousands.status == 1  # the rejected lines
    assert len([line for line in thousands.errors if line.startswith("smtpprobe: stdin:")]) == 6


def test_every_line_is_what_its_server_must_come_out_as(thousands):
    assert thousands.faults() == {}


def test_each_server_was_asked_once_and_let_go_by_the_deadline(thousands):
    accepting = sum(server.behaviour != "refuse" for server in thousands.servers.values())
    assert thousands.farm["connections"] == accepting
    assert thousands.farm["longest_ms"] <= 1000 * (DEADLINE + DEADLINE_MARGIN)


def test_the_world_mixes_every_behaviour_with_ordinary_servers(thousands):
    behaviours = {server.behaviour for server in thousands.servers.values()}
    assert behaviours == {*hostile.BEHAVIOURS, generate.GREET, *hostile.ORDINARY_FAILURES}
