"""No free local port is our failure, not the target's: smtpprobe waits and
tries again, and only if it persists reports `error` with its name.  The
ports run out for real, in a private network namespace whose range of
local ports is narrowed to a few, all of them held by bound sockets."""

import os
import subprocess
import sys
import textwrap

import pytest

from mxsurvey import record
from programs import CHECKOUT

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(os.geteuid() != 0,
                       reason="needs root to make a private network namespace (unshare -n)"),
]

PORTS = (40000, 40003)
SETUP = (f"ip link set lo up && sysctl -q -w net.ipv4.ip_local_port_range='{PORTS[0]} {PORTS[1]}'"
         ' && exec "$0" "$@"')

NO_FREE_PORT = textwrap.dedent("""
    import io, socket, sys, threading
    sys.path.insert(0, sys.argv[1])
    from mxsurvey import probe

    server = socket.create_server(("127.0.0.1", 2525))
    def serve():
        while True:
            conn, _ = server.accept()
            with conn, conn.makefile("rb") as lines:
                conn.sendall(b"220 hi\\r\\n")
                lines.readline()
                conn.sendall(b"214 ok\\r\\n")
                lines.readline()
                conn.sendall(b"221 bye\\r\\n")
    threading.Thread(target=serve, daemon=True).start()

    held = []
    for port in range(int(sys.argv[2]), int(sys.argv[3]) + 1):
        sock = socket.socket()
        sock.bind(("127.0.0.1", port))
        held.append(sock)
    release_after = float(sys.argv[4])
    if release_after:
        threading.Timer(release_after, lambda: held.pop().close()).start()
    stdin, stdout, stderr = io.BytesIO(b"127.0.0.1\\n"), io.BytesIO(), io.BytesIO()
    status = probe.main(sys.argv[5:], stdin, stdout, stderr)
    sys.stdout.buffer.write(stdout.getvalue())
    sys.stderr.buffer.write(stderr.getvalue())
    sys.exit(status)
""")


@pytest.mark.parametrize("release_after, expected", [
    (0, ("error", b"", ("eaddrnotavail",))),
    (0.5, ("ok", b"220 hi\r\n214 ok\r\n221 bye\r\n", ())),
], ids=["persists", "passes"])
def test_no_free_local_port_is_retried_then_reported(release_after, expected):
    completed = subprocess.run(
        ["unshare", "-n", "sh", "-c", SETUP, sys.executable, "-c", NO_FREE_PORT,
         CHECKOUT / "lib", *map(str, PORTS), str(release_after),
         "--blocklist", "/dev/null", "-p", "2525", "-q", "--connect-timeout", "2", "--rate", "0"],
        capture_output=True, timeout=30)
    assert completed.returncode == 0, completed
    address, status, transcript = completed.stdout.decode().rstrip("\n").split("\t")
    assert (address, status, *record.unescape(transcript.encode())) == ("127.0.0.1", *expected)
