"""The survey of a running world: the four programs in a pipe, each timed,

    mxlookup < domains | smtpprobe | mtaguess | tally

with only the options a user gives to point them at the world; and the
report's table held against the world's truth.
"""

import os
import re
import shutil
import subprocess
import time

from . import service, survey1998
from .servers import DNS_ADDRESS, WorldError

ROW = re.compile(r" *(\d+) (.*)")
TOTAL = re.compile(r"^(\d+) \D", re.MULTILINE)


class Stage:
    def __init__(self, argv, unit):
        self.name, self.argv, self.unit = argv[0], argv, unit
        self.process = None
        self.ended = self.cpu = 0.0
        self.status = None


class Survey:
    def __init__(self, directory, servers, timeout, concurrency):
        self.directory = directory
        self.servers = servers
        dns = DNS_ADDRESS if servers.dns_port == 53 else f"{DNS_ADDRESS}:{servers.dns_port}"
        port = [] if servers.smtp_port == 25 else ["--port", str(servers.smtp_port)]
        reach = [*port, "--blocklist", "/dev/null", "--concurrency", str(concurrency),
                 "--rate", "0", "--connect-timeout", f"{timeout:g}", "--read-timeout",
                 f"{timeout:g}"]
        self.stages = self.pipe(dns, reach)
        self.report = ""
        self.took = 0.0

    def pipe(self, dns, reach):
        """The stages, given mxlookup's name server and smtpprobe's options
        for reaching the world."""
        return [
            Stage(["mxlookup", "--server", dns, "--failed", self.path("failed")], "domains"),
            Stage(["smtpprobe", *reach], "addresses"),
            Stage(["mtaguess"], "transcripts"),
            Stage(["tally"], "labels"),
        ]

    def path(self, name):
        return os.path.join(self.directory, name)

    def command_line(self):
        words = [" ".join(stage.argv).replace(self.path(""), "") for stage in self.stages]
        return f"{words[0]} < domains | " + " | ".join(words[1:])

    def run(self):
        """Run the pipe to its end; the report is then in self.report."""
        for stage in self.stages:
            if shutil.which(stage.name) is None:
                raise WorldError(f"{stage.name} is not on PATH")
        upstream = open(self.path("domains"), "rb")
        start = time.monotonic()
        try:
            for stage in self.stages:
                last = stage is self.stages[-1]
                output = open(self.path("report"), "wb") if last else subprocess.PIPE
                with open(self.path(f"{stage.name}.stderr"), "wb") as errors:
                    stage.process = subprocess.Popen(
                        stage.argv, stdin=upstream, stdout=output, stderr=errors,
                        preexec_fn=service.die_with_parent)
                upstream.close()
                upstream = output if last else stage.process.stdout
            upstream.close()
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
        """Reap the stages as they end, with their time and processor use."""
        running = {stage.process.pid: stage for stage in self.stages}
        while running:
            pid, status, usage = os.wait4(-1, 0)
            stage = running.pop(pid, None)
            if stage is None:
                if pid in self.servers.pids():
                    raise WorldError("a server process of the world ended during the survey")
                continue
            stage.ended = time.monotonic() - start
            stage.cpu = usage.ru_utime + usage.ru_stime
            stage.status = stage.process.returncode = os.waitstatus_to_exitcode(status)
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

    def timings(self, domains):
        """Lines for people: how long the survey and each stage took."""
        # The report's first line counts the addresses (its sections of
        # today's facts count other things).
        addresses = int(TOTAL.search(self.report).group(1))
        lines = [f"The survey of {addresses} addresses took {self.took:.1f} s "
                 f"({addresses / max(self.took, 1e-9):.0f} addresses/s).  Each stage:"]
        for stage in self.stages:
            count = domains if stage.name == "mxlookup" else addresses
            lines.append(
                f"  {stage.name:<10} {count:6d} {stage.unit:<12} done at {stage.ended:5.1f} s,"
                f" cpu {stage.cpu:5.1f} s = {count / max(stage.cpu, 1e-3):7.0f} {stage.unit}"
                " per cpu second")
        said = [line.rstrip() for stage in self.stages
                for line in open(self.path(f"{stage.name}.stderr"), errors="replace")]
        if said:
            lines.append("What the programs said:")
            lines += [f"  {line}" for line in said]
        return lines


def table_rows(report):
    """The `%7d LABEL` rows of a report, in order, as (label, count)."""
    rows = []
    for line in report.splitlines():
        match = ROW.fullmatch(line)
        if match and len(line) > 7 and line[7] == " ":
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


def compare(report, world):
    """Lines saying whether the report is the expected table, and a verdict."""
    expected, source = expected_table(world)
    failures = sum(1 for server in world.servers if server.behaviour != "greet")
    return compare_table(report, expected, [len(world.servers), len(world.servers) - failures],
                         source)


def compare_table(report, expected, wanted_totals, source):
    """Lines saying whether the report's table has the `expected` rows and
    its first lines the `wanted_totals` (addresses, successful connections),
    as `source` has them, and a verdict."""
    got = table_rows(report)
    totals = [int(number) for number in TOTAL.findall(report)]
    if got == expected and totals == wanted_totals:
        return [f"The table is {source}, row for row ({len(expected)} rows)."], True
    lines = [f"The table differs from {source}:"]
    if totals != wanted_totals:
        lines.append(f"  totals: expected {wanted_totals}, got {totals}")
    lines += [f"  expected {count:7d} {label}" for label, count in expected
              if (label, count) not in got]
    lines += [f"  got      {count:7d} {label}" for label, count in got
              if (label, count) not in expected]
    if [row for row in got if row in expected] != [row for row in expected if row in got]:
        lines.append("  (and the rows are in another order)")
    return lines, False
