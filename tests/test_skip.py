"""smtpprobe --skip: finishing an interrupted run, after a real SIGKILL,
with `smtpprobe --skip out < in >> out`."""

import ipaddress
import signal
import subprocess
import tempfile
import time

import pytest
from hypothesis import assume, given, settings, strategies as st

from address_spellings import INTERESTING_POINTS, spellings
from mxsurvey import cli, probe
from programs import BIN, pipeline, run_inprocess
from scripted_smtp import silent, smtp

pytestmark = pytest.mark.timeout(90)

FAST = ["--connect-timeout", "1", "--read-timeout", "1", "--rate", "0",
        "--blocklist", "/dev/null"]
GREETING = b"220 hi\\r\\n214 ok\\r\\n221 bye\\r\\n"


def by_address(data):
    """ADDRESS -> STATUS of complete smtpprobe lines; each address once."""
    found = {}
    for line in data.split(b"\n")[:-1]:
        address, status = line.decode().split("\t")[:2]
        assert address not in found, f"{address} written twice"
        found[address] = status
    return found


def wait_for_lines(path, count, timeout=30):
    end = time.monotonic() + timeout
    while path.read_bytes().count(b"\n") < count:
        assert time.monotonic() < end, path.read_bytes()
        time.sleep(0.05)


def test_a_run_killed_by_sigkill_is_finished_by_skip(farm, tmp_path):
    quick = [farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n")) for _ in range(6)]
    stuck = [farm.serve(silent) for _ in range(4)]
    addresses = stuck[:2] + quick + stuck[2:]
    (tmp_path / "in").write_text("".join(f"{address}\tmx\n" for address in addresses))
    out = tmp_path / "out"
    with open(tmp_path / "in", "rb") as stdin, open(out, "ab") as stdout:
        process = subprocess.Popen(
            [BIN / "smtpprobe", "-p", str(farm.port), "--read-timeout", "60", "--deadline", "60",
             "--rate", "0", "--blocklist", "/dev/null"],
            stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL)
    try:
        wait_for_lines(out, len(quick))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=20)
    finally:
        process.kill()
    killed = out.read_bytes()
    assert killed.endswith(b"\n")  # every finished line was already written, whole
    assert by_address(killed) == dict.fromkeys(quick, "ok")

    result = pipeline(f"smtpprobe -p {farm.port} {' '.join(FAST)} --skip {out}"
                      f" < {tmp_path / 'in'} >> {out}", timeout=60)
    assert result.status == 0, result
    assert ", 6 skipped, 0 other shards; " in result.errors[-1]
    assert ": 4 probed: 0 ok, 4 timeout," in result.errors[-1]
    assert by_address(out.read_bytes()) == {**dict.fromkeys(quick, "ok"),
                                            **dict.fromkeys(stuck, "timeout")}
    assert [len(farm.heard[address]) for address in quick] == [1] * len(quick)


def test_a_line_cut_short_is_removed_from_the_file_appended_to(farm, tmp_path):
    servers = [farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n")) for _ in range(3)]
    (tmp_path / "in").write_text("".join(f"{server}\n" for server in servers))
    out = tmp_path / "out"
    out.write_bytes(b"%s\tok\t%s\n%s\tok\t220 h" % (servers[0].encode(), GREETING,
                                                   servers[1].encode()))
    result = pipeline(f"smtpprobe -p {farm.port} {' '.join(FAST)} --skip {out}"
                      f" < {tmp_path / 'in'} >> {out}", timeout=60)
    assert result.status == 0, result
    assert result.errors[0] == (f"smtpprobe: {out}: its last line was cut short: removed, "
                                "and its address is probed again")
    assert out.read_bytes() == b"".join(b"%s\tok\t%s\n" % (server.encode(), GREETING)
                                        for server in servers)
    assert [len(farm.heard[server]) for server in servers] == [0, 1, 1]


def test_a_line_cut_short_elsewhere_is_named_and_probed_again(farm, tmp_path):
    servers = [farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n")) for _ in range(2)]
    earlier = tmp_path / "earlier"
    cut = b"%s\tok\t%s\n%s\tok" % (servers[0].encode(), GREETING, servers[1].encode())
    earlier.write_bytes(cut)
    result = run_inprocess("smtpprobe", ["-p", str(farm.port), *FAST, "--skip", str(earlier)],
                           "".join(f"{server}\n" for server in servers).encode())
    assert result.status == 0, result
    assert result.errors[0] == (f"smtpprobe: warning: {earlier}: its last line was cut "
                                "short: its address is probed again")
    assert by_address(result.stdout) == {servers[1]: "ok"}
    assert earlier.read_bytes() == cut  # not ours to change


def test_several_files_and_duplicates(farm, tmp_path):
    nobody = [farm.unused() for _ in range(5)]
    (tmp_path / "a").write_text(f"{nobody[0]}\trefused\t\n")
    (tmp_path / "b").write_text(f"{nobody[1]}\texcluded\t\tmx\texample.com\t10\n"
                                f"{nobody[0]}\trefused\t\n")
    lines = [nobody[0], nobody[1], nobody[2], nobody[0], nobody[3], nobody[3], nobody[4]]
    result = run_inprocess(
        "smtpprobe", ["-p", str(farm.port), *FAST, "--skip", str(tmp_path / "a"),
                      "--skip", str(tmp_path / "b")],
        "".join(f"{line}\n" for line in lines).encode())
    assert result.status == 0, result
    assert by_address(result.stdout) == dict.fromkeys(nobody[2:], "refused")
    assert "; 1 duplicate, 0 rejected, 3 skipped, 0 other shards; " in result.errors[-1]


@pytest.mark.parametrize("content, lineno, why", [
    (b"127.0.0.1\tok\t\nmx.example.com\t127.0.0.1\texample.com\t10\n", 2,
     "not an IP address: 'mx.example.com'"),
    (b"127.0.0.1\tfine\t\n", 1, "unknown status 'fine'"),
    (b"127.0.0.1\tok\t\n127.0.0.2\n", 2, "no TAB and STATUS after the address"),
    (b"not smtpprobe output\n", 1, "not an IP address: 'not smtpprobe output'"),
    (b"\n", 1, "not an IP address: ''"),
    (b"...\tok\t\n", 1, "not an IP address: '...'"),
    (b":\tok\t\n", 1, "not an IP address: ':'"),
    (b"127.0.0.01\tok\t\n", 1, "IPv4 address with leading zeros is ambiguous: '127.0.0.01'"),
    (b"224.0.0.1\tok\t\n", 1, "multicast address: '224.0.0.1'"),
    (b"fe80::1%lo\trefused\t\n", 1, "zone ids are not allowed: 'fe80::1%lo'"),
    (b"127.0.0.1\x0b\tok\t\n", 1, "not an IP address: '127.0.0.1\\x0b'"),
], ids=["mxlookup-line", "status", "no-status", "text", "empty", "dots", "colon",
        "leading-zero", "multicast", "zone", "control-byte"])
def test_a_file_that_is_not_our_output_is_fatal(farm, tmp_path, content, lineno, why):
    server = farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n"))
    (tmp_path / "wrong").write_bytes(content)
    result = run_inprocess("smtpprobe", ["-p", str(farm.port), *FAST, "--skip",
                                         str(tmp_path / "wrong")], f"{server}\n".encode())
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == [
        f"smtpprobe: {tmp_path / 'wrong'}:{lineno}: not a line of smtpprobe's output: {why}"]
    assert farm.arrivals == []


def test_a_line_skips_the_address_it_denotes_however_it_is_written(farm, tmp_path):
    servers = [farm.serve(smtp(b"220 hi\r\n", b"214 ok\r\n")) for _ in range(4)]
    number = int(ipaddress.ip_address(servers[1]))
    (tmp_path / "earlier").write_text(
        f"::ffff:{servers[0]}\tok\t\n"
        f"0:0:0:0:0:FFFF:{number >> 16:x}:{number & 0xFFFF:X}\tok\t\n"
        f"0000:0:0::ffff:{servers[2]}\ttimeout\t\tmx\n"
        f"0:0::1\trefused\t\n")
    result = run_inprocess(
        "smtpprobe", ["-p", str(farm.port), *FAST, "--skip", str(tmp_path / "earlier")],
        "".join(f"{address}\n" for address in [*servers, "::1"]).encode())
    assert result.status == 0, result
    assert by_address(result.stdout) == {servers[3]: "ok"}
    assert ", 4 skipped, " in result.errors[-1]
    assert [len(farm.heard[server]) for server in servers] == [0, 0, 0, 1]


class NoStdout:
    """A ctx for load_finished on files that end with a LF."""


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_skip_line_and_an_input_line_name_one_address_in_any_spelling(data):
    point = data.draw(INTERESTING_POINTS, "point")
    in_skip_file = data.draw(spellings(point), "skip file")
    in_input = data.draw(spellings(point), "input").encode()
    try:
        address = probe.parse_address(in_input)
    except probe.BadAddress:
        assume(False)  # rejected as input, and so in a skip file too
    with tempfile.NamedTemporaryFile() as file:
        file.write(f"{in_skip_file}\tok\t\n".encode())
        file.flush()
        assert probe.load_finished(NoStdout(), file.name) == {probe.written(address)}


def test_a_missing_file_is_fatal(tmp_path):
    result = run_inprocess("smtpprobe", ["--skip", str(tmp_path / "missing")], b"")
    assert result.status == cli.EXIT_FATAL
    assert result.errors == [
        f"smtpprobe: cannot read {tmp_path / 'missing'}: No such file or directory"]
