"""A real OpenSSH server on loopback, for the recipes that spread a survey
over machines: two "hosts", alpha and beta, that are sshd on 127.0.0.1 at
a port of its own, reached with a key made for the test.

sshd runs as root (privilege separation needs it) in the foreground and is
stopped when the `with` ends; its keys, configuration and log live in the
directory given, so nothing is left behind.
"""

import shutil
import socket
import subprocess
import time
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
HOSTS = ("alpha", "beta")


def available():
    return Path(SSHD).exists() and shutil.which("ssh") and shutil.which("ssh-keygen")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sshd:
    """`with Sshd(directory, path) as sshd:` sshd answers at sshd.port; use
    `sshd.ssh` as the ssh command (it names the client configuration).
    Sessions get PATH=`path`, as a user's login would."""

    def __init__(self, directory, path):
        self.directory = Path(directory)
        self.path = path
        self.port = _free_port()
        self.process = None

    def __enter__(self):
        d = self.directory
        for name in ("host_key", "user_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", d / name],
                           check=True)
        (d / "authorized_keys").write_bytes((d / "user_key.pub").read_bytes())
        (d / "authorized_keys").chmod(0o600)
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation
        # StrictModes off: the test's files live under /tmp, whose mode sshd
        # would refuse for a key file's parents.
        (d / "sshd_config").write_text(
            f"ListenAddress 127.0.0.1:{self.port}\n"
            f"HostKey {d / 'host_key'}\n"
            f"AuthorizedKeysFile {d / 'authorized_keys'}\n"
            "PermitRootLogin prohibit-password\nStrictModes no\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
            f"PidFile {d / 'sshd.pid'}\n"
            f"SetEnv PATH={self.path}\n")
        (d / "ssh_config").write_text(
            f"Host {' '.join(HOSTS)}\n"
            f"  HostName 127.0.0.1\n  Port {self.port}\n  IdentityFile {d / 'user_key'}\n"
            "  IdentitiesOnly yes\n  BatchMode yes\n  StrictHostKeyChecking yes\n"
            f"  UserKnownHostsFile {d / 'known_hosts'}\n  LogLevel ERROR\n")
        host_key = (d / "host_key.pub").read_text().split()
        (d / "known_hosts").write_text(
            f"[127.0.0.1]:{self.port} {host_key[0]} {host_key[1]}\n")
        self.log = open(d / "sshd.log", "wb")
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", d / "sshd_config"], stdout=self.log,
            stderr=subprocess.STDOUT)
        self._wait_until_it_answers()
        return self

    def _wait_until_it_answers(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd stopped: {(self.directory / 'sshd.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("sshd did not answer within 20 s")

    @property
    def ssh(self):
        return f"ssh -F {self.directory / 'ssh_config'}"

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()
