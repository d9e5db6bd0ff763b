"""The world's name server and mail server processes, started and stopped
together: `with Servers(directory, world, private, concurrency) as running`
(with `dns=False`, the mail servers alone).

Each process has a session of its own, so a Ctrl-C meant for the survey
does not reach it; it stops when its stdin is closed (at the end of the
`with`), or when its parent dies.
"""

import json
import os
import socket
import subprocess
import sys
import time

from . import farm, generate, service

PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DNS_ADDRESS = "127.0.0.53"
FILES_PER_SHARD_SPARE = 512
SHARED_LOOPBACK_MAX_SHARD = 8000
PORT_ATTEMPTS = 5
STOP_WAIT = 10
NO_SOCKET = ("refuse", "hostunreach", "netunreach")
SOCKETS_PER_BEHAVIOUR = {generate.DROP: 2, **dict.fromkeys(NO_SOCKET, 0)}  # else 1


class WorldError(Exception):
    """The world could not be started, or failed during the survey."""


class Servers:
    def __init__(self, directory, world, private, concurrency, dns=True):
        self.directory = str(directory)
        self.world = world
        self.private = private
        self.concurrency = concurrency   # the probe's connections, to leave room for
        self.dns = dns
        self.processes = []
        self.summaries = {}              # module -> counts its processes reported, summed

    def __enter__(self):
        try:
            self.dns_port = self.start_responder() if self.dns else None
            self.smtp_port, self.shards = self.start_farm()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exception):
        self.stop()

    def spawn(self, module, *args):
        process = subprocess.Popen(
            [sys.executable, "-m", f"world.{module}", self.directory, *map(str, args)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=PACKAGE_PARENT,
            env=dict(os.environ, PYTHONPATH=PACKAGE_PARENT), start_new_session=True)
        self.processes.append((module, process))
        return process

    def ready(self, process):
        """The port a process says it serves on, or None if it ended."""
        line = process.stdout.readline().split()
        return int(line[1]) if line[:1] == [b"ready"] else None

    def start_responder(self):
        port = self.ready(self.spawn("responder", DNS_ADDRESS, 53 if self.private else 0))
        if port is None:
            raise WorldError("the name server did not start")
        return port

    def start_farm(self):
        """Port 25 in a private network; elsewhere a free port, and another
        if some address:port of the world turns out to be taken."""
        shards = self.shard_count()
        for _ in range(PORT_ATTEMPTS):
            port = 25 if self.private else free_port()
            started = [self.spawn("farm", port, shard, shards) for shard in range(shards)]
            if all(self.ready(process) == port for process in started):
                return port, shards
            for process in started:
                process.stdin.close()
            codes = [process.wait() for process in started]
            self.processes = [entry for entry in self.processes if entry[1] not in started]
            if self.private or any(code != farm.ADDRESS_TAKEN for code in codes):
                raise WorldError(f"the mail servers did not start (exit {codes})")
        raise WorldError(f"no free port for the mail servers after {PORT_ATTEMPTS} tries")

    def shard_count(self):
        """Processes enough for the sockets and the probe's connections within
        the open-file limit, and one per processor for a world of thousands."""
        sockets = sum(SOCKETS_PER_BEHAVIOUR.get(server.behaviour, 1)
                      for server in self.world.servers)
        room = service.raise_open_files() - self.concurrency - FILES_PER_SHARD_SPARE
        if not self.private:
            room = min(room, SHARED_LOOPBACK_MAX_SHARD)
        needed = -(-sockets // max(room, 1))
        return max(needed, (os.cpu_count() or 1) if sockets > 2000 else 1)

    def stop(self):
        for _, process in self.processes:
            try:
                process.stdin.close()
            except OSError:
                pass
        deadline = time.monotonic() + STOP_WAIT
        for module, process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            for line in process.stdout.read().splitlines():
                if line.startswith(b"{"):
                    counts = self.summaries.setdefault(module, {})
                    for key, value in json.loads(line).items():
                        merge = max if key.startswith("longest") else sum
                        counts[key] = merge((counts.get(key, 0), value))
            process.stdout.close()
        self.processes = []

    def said(self):
        """What the servers did, as their processes reported it on stopping."""
        dns = self.summaries.get("responder", {})
        smtp = self.summaries.get("farm", {})
        return (f"The world: the name server answered {dns.get('udp', 0)} queries over UDP and "
                f"{dns.get('tcp', 0)} over TCP; the mail servers ({self.shards} processes, port "
                f"{self.smtp_port}) greeted {smtp.get('greeted', 0)} times, answered "
                f"{smtp.get('helped', 0)} HELPs and {smtp.get('quit', 0)} QUITs, "
                + (f"shook hands in TLS {smtp['tls']} times, " if smtp.get("tls") else "")
                + f"kept {smtp.get('silent', 0)} connections waiting and hung up on "
                f"{smtp.get('disconnected', 0)}.")

    def pids(self):
        return {process.pid for _, process in self.processes}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((DNS_ADDRESS, 0))
        return sock.getsockname()[1]
