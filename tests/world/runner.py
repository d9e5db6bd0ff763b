"""Survey a world: make it, start its name server and mail servers, run

    mxlookup < domains | smtpprobe | mtaguess | tally

with the options a user gives to point the programs at it, stop it, print
the report, how long each stage took, and whether the report's table is the
world's truth (for the 1998 world: the table of the post).

Given a private network (network.enter) all five kinds of failure are real
and the servers are on port 25; without one the two unreachable kinds are
left out, and the runner says so.  The world's processes stop when the
runner ends, however it ends: their stdin reaches end of file, and the
kernel sends them SIGTERM when their parent dies.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from . import farm, generate, network, service, survey1998

WORLD_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMALL_ADDRESSES = 300
DNS_ADDRESS = "127.0.0.1"
FILES_PER_SHARD_SPARE = 512
SHARED_LOOPBACK_MAX_SHARD = 8000
PORT_ATTEMPTS = 5
STOP_WAIT = 10
ROW = re.compile(r"^ *(\d+) (.*)$")


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="demo", description="Survey a simulated 1998 internet with the four programs.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--small", action="store_true",
                      help=f"a world of about {SMALL_ADDRESSES} addresses, every row of the table")
    size.add_argument("--addresses", type=int, metavar="N",
                      help="the 1998 world scaled to about N addresses")
    parser.add_argument("--seed", type=int, default=1, help="which world (default 1)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless the table is the world's truth, row for row")
    parser.add_argument("--shared-loopback", action="store_true",
                        help="no private network: leave out the unreachable kinds")
    parser.add_argument("--keep", metavar="DIR",
                        help="write the world and the survey's output into DIR and keep them")
    parser.add_argument("--timeout", type=float, default=3.0, metavar="S",
                        help="smtpprobe's connect and read timeouts (default 3)")
    parser.add_argument("--concurrency", type=int, default=1000, metavar="N",
                        help="smtpprobe's exchanges in flight (default 1000)")
    return parser.parse_args(argv)


def say(line=""):
    print(line, flush=True)


def run(argv=None):
    """main(), with an interruption a quiet exit 130 after the clean-up."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        print("demo: interrupted", file=sys.stderr)
        return 130
    except WorldError as error:
        print(f"demo: {error}", file=sys.stderr)
        return 1


class WorldError(Exception):
    """The world could not be started or failed during the survey."""


def main(argv=None):
    args = parse(argv)
    signal.signal(signal.SIGTERM, _terminated)
    signal.signal(signal.SIGHUP, _terminated)
    spec = survey1998.survey_1998()
    if args.small or args.addresses:
        spec = spec.scaled(args.addresses or SMALL_ADDRESSES)
    private, why_not = False, "--shared-loopback"
    if not args.shared_loopback:
        try:
            network.enter()
            private = True
        except network.Unavailable as error:
            why_not = str(error)
    if not private:
        left_out = ", ".join(f"{survey1998.FAILURE_WORDING[status]} ({spec.failures[status]})"
                             for status in survey1998.NEED_ROUTES if status in spec.failures)
        spec = spec.without(survey1998.NEED_ROUTES)
    directory = args.keep or tempfile.mkdtemp(prefix="mxsurvey-world.")
    try:
        world = generate.generate(spec, args.seed)
        world.write(directory)
        say(f"A {spec.name} internet of {len(world.servers)} mail server addresses behind "
            f"{len(world.domains)} domains (seed {args.seed}), in {directory}.")
        if private:
            say("In a private network: all five kinds of connection failure are real.")
        else:
            say(f"No private network ({why_not}): cannot simulate {left_out}; "
                "surveying the rest.")
        with World(directory, world, private, args.concurrency) as running:
            survey = Survey(directory, running, args, len(world.domains))
            survey.run()
        say()
        say(survey.report.rstrip("\n"))
        say()
        survey.describe(running)
        return compare(survey.report, world, args.check)
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


class World:
    """The world's name server and mail server processes, while in a `with`."""

    def __init__(self, directory, world, private, concurrency):
        self.directory = directory
        self.world = world
        self.private = private
        self.concurrency = concurrency
        self.processes = []
        self.summaries = {}

    def __enter__(self):
        try:
            self.dns_port = self.start_responder()
            self.smtp_port, self.shards = self.start_farm()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exception):
        self.stop()

    def spawn(self, module, *args):
        # A session of its own keeps a Ctrl-C for the survey from reaching it:
        # the world stops after the survey has, when stop() closes its stdin.
        process = subprocess.Popen(
            [sys.executable, "-m", f"world.{module}", self.directory, *map(str, args)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=WORLD_PACKAGE_DIR,
            env=dict(os.environ, PYTHONPATH=WORLD_PACKAGE_DIR), start_new_session=True)
        self.processes.append((module, process))
        return process

    def ready(self, process):
        """The port a process says it serves on, or None if it ended."""
        line = process.stdout.readline().split()
        return int(line[1]) if line[:1] == [b"ready"] else None

    def start_responder(self):
        process = self.spawn("responder", DNS_ADDRESS, 53 if self.private else 0)
        port = self.ready(process)
        if port is None:
            raise WorldError("the name server did not start")
        return port

    def start_farm(self):
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
        """Processes enough for the sockets (a listener for each address that
        accepts, two for one that drops SYNs) and the probe's connections,
        within the open-file limit, and at least one per processor for a
        world of thousands."""
        sockets = sum({generate.GREET: 1, generate.SILENT: 1, "disconnect": 1,
                       generate.DROP: 2}.get(server.behaviour, 0) for server in self.world.servers)
        room = service.raise_open_files() - self.concurrency - FILES_PER_SHARD_SPARE
        if not self.private:
            room = min(room, SHARED_LOOPBACK_MAX_SHARD)
        needed = -(-sockets // max(room, 1))
        return max(needed, (os.cpu_count() or 1) if sockets > 2000 else 1)

    def stop(self):
        for _, process in self.processes:
            with_suppressed(process.stdin.close)
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
                        counts[key] = counts.get(key, 0) + value
            process.stdout.close()
        self.processes = []


def with_suppressed(action):
    try:
        action()
    except OSError:
        pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((DNS_ADDRESS, 0))
        return sock.getsockname()[1]


class Stage:
    def __init__(self, name, argv, unit_in, unit_out):
        self.name, self.argv = name, argv
        self.unit_in, self.unit_out = unit_in, unit_out
        self.process = None
        self.ended = None
        self.cpu = 0.0
        self.status = None


class Survey:
    """The four programs in a pipe, each timed."""

    def __init__(self, directory, world, args, domains):
        self.directory = directory
        self.domains = domains
        server = DNS_ADDRESS if world.dns_port == 53 else f"{DNS_ADDRESS}:{world.dns_port}"
        port = [] if world.smtp_port == 25 else ["--port", str(world.smtp_port)]
        timeout = f"{args.timeout:g}"
        self.stages = [
            Stage("mxlookup", ["mxlookup", "--server", server, "--failed",
                               self.path("failed")], "domains", "addresses"),
            Stage("smtpprobe", ["smtpprobe", *port, "--concurrency", str(args.concurrency),
                                "--rate", "0", "--connect-timeout", timeout,
                                "--read-timeout", timeout], "addresses", "transcripts"),
            Stage("mtaguess", ["mtaguess"], "transcripts", "labels"),
            Stage("tally", ["tally"], "labels", "report"),
        ]
        self.report = ""
        self.took = None

    def path(self, name):
        return os.path.join(self.directory, name)

    def command_line(self):
        words = [" ".join(stage.argv).replace(self.path("failed"), "failed")
                 for stage in self.stages]
        return f"{words[0]} < domains | " + " | ".join(words[1:])

    def run(self):
        for stage in self.stages:
            if shutil.which(stage.argv[0]) is None:
                raise WorldError(f"{stage.argv[0]} is not on PATH")
        say(f"Surveying: {self.command_line()}")
        upstream = open(self.path("domains"), "rb")
        start = time.monotonic()
        try:
            for index, stage in enumerate(self.stages):
                last = index == len(self.stages) - 1
                with open(self.path(f"{stage.name}.stderr"), "wb") as errors:
                    output = open(self.path("report"), "wb") if last else subprocess.PIPE
                    stage.process = subprocess.Popen(
                        stage.argv, stdin=upstream, stdout=output, stderr=errors,
                        preexec_fn=service.die_with_parent)
                upstream.close()
                if last:
                    output.close()
                else:
                    upstream = stage.process.stdout
            self.wait(start)
        finally:
            self.stop_all()
        with open(self.path("report"), encoding="utf-8", errors="replace") as report:
            self.report = report.read()
        failed = [stage for stage in self.stages if stage.status != 0]
        if failed:
            raise WorldError(", ".join(f"{stage.name} exited {stage.status}" for stage in failed)
                             + " (--keep DIR keeps their stderr in DIR/*.stderr)")

    def wait(self, start):
        running = {stage.process.pid: stage for stage in self.stages}
        while running:
            pid, status, usage = os.wait4(-1, 0)
            stage = running.pop(pid, None)
            if stage is None:
                raise WorldError("a server process of the world ended during the survey")
            stage.ended = time.monotonic() - start
            stage.cpu = usage.ru_utime + usage.ru_stime
            stage.status = os.waitstatus_to_exitcode(status)
            stage.process.returncode = stage.status
        self.took = time.monotonic() - start

    def stop_all(self):
        for stage in self.stages:
            process = stage.process
            if process is not None and process.returncode is None:
                process.terminate()
                try:
                    process.wait(2)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def describe(self, world):
        counts = [self.domains] + [None] * len(self.stages)
        with open(self.path("report")) as report:
            first = report.readline().split()
        addresses = int(first[0]) if first and first[0].isdigit() else None
        counts[1:4] = [addresses] * 3
        say(f"The survey took {self.took:.1f} s:")
        for stage, count in zip(self.stages, counts):
            rate = (f"{count / stage.ended:8.0f} {stage.unit_in}/s"
                    if count and stage.ended else "")
            amount = f"{count} {stage.unit_in}" if count else ""
            say(f"  {stage.name:<10} done at {stage.ended:6.1f} s  {amount:<18} {rate:<22}"
                f" cpu {stage.cpu:5.1f} s")
        said = [line for stage in self.stages
                for line in open(self.path(f"{stage.name}.stderr"), errors="replace")]
        if said:
            say("What the programs said:")
            for line in said:
                say(f"  {line.rstrip()}")
        dns_counts = world.summaries.get("responder", {})
        smtp = world.summaries.get("farm", {})
        say(f"The world: the name server answered {dns_counts.get('udp', 0)} queries over UDP "
            f"and {dns_counts.get('tcp', 0)} over TCP; the mail servers "
            f"({world.shards} processes, port {world.smtp_port}) greeted "
            f"{smtp.get('greeted', 0)} times, answered {smtp.get('helped', 0)} HELPs and "
            f"{smtp.get('quit', 0)} QUITs, kept {smtp.get('silent', 0)} connections waiting "
            f"and hung up on {smtp.get('disconnected', 0)}.")


def table_rows(report):
    """The `%7d LABEL` rows of a report, in order, as (label, count)."""
    rows = []
    for line in report.splitlines():
        match = ROW.match(line)
        if match and len(line) > 7 and line[7] == " " and line[:7].strip().isdigit():
            rows.append((match.group(2), int(match.group(1))))
    return rows


def expected_table(world):
    """The rows the report should have, and what they are."""
    failures, labels = world.truth()
    if world.spec.name != "1998":
        return failures + labels, "the world's truth"
    simulated = {survey1998.FAILURE_WORDING[status] for status in world.spec.failures}
    seed = [row for row in survey1998.parse_table(survey1998.FAILURES_1998) if row[0] in simulated]
    seed += survey1998.parse_table(survey1998.SOFTWARE_1998)
    if len(simulated) < len(survey1998.FAILURE_WORDING):
        return seed, "the table of the post, less the rows not simulated"
    return seed, "the table of the post"


def compare(report, world, check):
    expected, source = expected_table(world)
    got = table_rows(report)
    totals = [int(number) for number in re.findall(r"^(\d+) \D", report, re.MULTILINE)]
    successes = sum(count for label, count in expected[len(world.truth()[0]):])
    wanted_totals = [len(world.servers), successes]
    if got == expected and totals == wanted_totals:
        say(f"The table is {source}, row for row ({len(expected)} rows).")
        return 0
    say(f"The table differs from {source}:")
    if totals != wanted_totals:
        say(f"  totals: expected {wanted_totals}, got {totals}")
    for label, count in expected:
        if (label, count) not in got:
            say(f"  expected {count:7d} {label}")
    for label, count in got:
        if (label, count) not in expected:
            say(f"  got      {count:7d} {label}")
    if [row for row in got if row in expected] != [row for row in expected if row in got]:
        say("  (and the rows are in another order)")
    return 1 if check else 0
