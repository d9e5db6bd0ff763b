"""make bench: each stage of the survey against its peer, side by side.

    python -m bench            the full sizes (under 10 minutes on 2 cores)
    python -m bench --quick    smaller sizes, one run each
    python -m bench --tiny     the smallest sizes: checks that it all runs

Runs as root: the mail servers and name servers of the simulated world
live in a private network namespace (port 25 and 53 on 127.x addresses,
which adnshost and nmap need).  Prints the machine, then for each stage
our figure, the peer's and the ratio: medians of --runs runs.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from xml.etree import ElementTree

from . import profile
from .measure import C_LOCALE, CHECKOUT, PYTHON, machine, median_of, program, run, shell

sys.path[:0] = [os.path.join(CHECKOUT, "lib"), os.path.join(CHECKOUT, "tests")]

from mxsurvey import record  # noqa: E402  (needs the path above)
from world import generate, network, survey1998  # noqa: E402
from world.servers import Servers  # noqa: E402
from world.survey import Survey  # noqa: E402
import survey_lines  # noqa: E402
from nameserver import NameServer  # noqa: E402
from . import today  # noqa: E402  (needs the path above)


@dataclass
class Sizes:
    runs: int
    transcripts: int   # mtaguess
    labels: int        # tally --counts
    domains: int       # mxlookup
    world: int         # addresses of the world smtpprobe surveys (0: the 1998 world)
    growth: tuple      # input lines for the memory and growth figures
    today: int         # addresses of today's world smtpprobe --ehlo surveys


SIZES = {
    "full": Sizes(3, 10**6, 5 * 10**6, 10**5, 0, (10**4, 10**5, 10**6), 3000),
    "quick": Sizes(1, 2 * 10**5, 10**6, 2 * 10**4, 0, (10**4, 10**5), 1000),
    "tiny": Sizes(1, 2000, 5000, 300, 300, (100, 1000), 100),
}
TIMEOUT = 3             # seconds: smtpprobe's connect and read timeouts, nmap's per script
CONCURRENCY = 1000
LOOKUP_SERVER = "127.0.0.2"   # port 53: adnshost has no way to name another port
DOMAINS_PER_ADDRESS = 1.85    # of the 1998 world's shape: domains per mail server address
# nmap's fastest settings that still report every host and every greeting host's
# commands here: no retries, every host in one group, sockets without a cap (NSE
# otherwise waits on a small default), and the script's time bounded.
NMAP_COMMAND = ["-sT", "-Pn", "-n", "-p", "25", "--script", "smtp-commands"]
NMAP_FAST = ["-T5", "--max-retries", "0", "--max-parallelism", "2000",
             "--min-hostgroup", "30000", "--script-timeout", f"{TIMEOUT + 1}s"]
SAMPLE_STEP = 20   # nmap as first typed surveys every SAMPLE_STEP-th address of the world


def say(line=""):
    print(line, flush=True)


def rate(count, seconds):
    return f"{count / max(seconds, 1e-9):,.0f}"


def ratio(ours, peer):
    return f"{peer / max(ours, 1e-9):.2f}x"


def percent(share):
    return f"{100 * share:.0f}%"


def mib(kib):
    return f"{kib / 1024:.0f} MiB"


class Bench:
    def __init__(self, sizes, directory, patterns=()):
        self.sizes = sizes
        self.dir = directory
        # mtaguess's -f options: the pattern lists it and awk are measured with
        self.pattern_options = [option for path in patterns for option in ("-f", path)]

    def path(self, name):
        return os.path.join(self.dir, name)

    def median(self, argv, **how):
        return median_of(self.sizes.runs, argv, **how)

    # mtaguess ------------------------------------------------------------

    def mtaguess(self):
        count = self.sizes.transcripts
        lines = survey_lines.smtpprobe_lines(count)
        with open(self.path("probed"), "wb") as probed, open(self.path("texts"), "wb") as texts:
            for line in lines:
                probed.write(line + b"\n")
                texts.write(record.transcript_text(line.split(b"\t")[2]) + b"\n")
        del lines
        with open(self.path("patterns.awk"), "wb") as awk:
            awk.write(run_output(program("mtaguess", "--awk", *self.pattern_options)))
        ours = self.median(program("mtaguess", *self.pattern_options), stdin=self.path("probed"),
                           stdout=self.path("guessed"))
        peers = {awk: self.median([awk, "-f", self.path("patterns.awk")],
                                  stdin=self.path("texts"), env=C_LOCALE)
                 for awk in ("mawk", "gawk")}
        lists = " ".join(self.pattern_options[1::2]) or "patterns.awk"
        say(f"mtaguess -f {lists}, {count:,} transcripts (patterns.awk's examples in the 1998 "
            "mix; awk reads each transcript's joined text, one a line, LC_ALL=C):")
        say(f"  mtaguess {rate(count, ours.wall):>10} lines/s  ({ours.wall:.2f} s)")
        for awk, peer in peers.items():
            say(f"  {awk:<8} {rate(count, peer.wall):>10} lines/s  ({peer.wall:.2f} s)   "
                f"mtaguess is {ratio(ours.wall, peer.wall)} {awk}"
                + ("   (target 1.5x mawk)" if awk == "mawk" else ""))
        self.growth("mtaguess", program("mtaguess", *self.pattern_options), "probed", ours, count)

    def growth(self, name, argv, source, full, count):
        """Time and peak memory for heads of the input, up to the full run."""
        figures = []
        for size in self.sizes.growth:
            if size >= count:
                break
            head = self.path(f"{source}.{size}")
            with open(self.path(source), "rb") as whole, open(head, "wb") as out:
                for _ in range(size):
                    out.write(whole.readline())
            figures.append((size, run(argv + [head])))
        figures.append((count, full))
        say(f"  {name} growth: " + "; ".join(
            f"{size:,} lines {done.wall:.2f} s ({rate(size, done.wall)}/s), peak {mib(done.peak_kib)}"
            for size, done in figures))

    # tally ---------------------------------------------------------------

    def tally(self):
        count = self.sizes.labels
        with open(self.path("guessed"), "rb") as guessed:
            # the label and the probe's fields, less the transcript
            lines = [b"\t".join(line.split(b"\t")[:3] + line.split(b"\t")[4:])
                     for line in guessed]
        with open(self.path("labels"), "wb") as out:
            for start in range(0, count, len(lines)):
                out.writelines(lines[:count - start])
        del lines
        ours = self.median(program("tally", "--counts", self.path("labels")))
        peer = self.median(shell(f"cut -f1 {self.path('labels')} | LC_ALL=C sort | uniq -c "
                                 "| sort -rn"))
        say()
        say(f"tally --counts, {count:,} lines (mtaguess's output less the transcripts), "
            "from a file:")
        say(f"  tally --counts                    {rate(count, ours.wall):>11} lines/s  "
            f"({ours.wall:.2f} s, cpu {ours.cpu:.2f} s)")
        say(f"  cut -f1 | sort | uniq -c | sort -rn {rate(count, peer.wall):>9} lines/s  "
            f"({peer.wall:.2f} s, cpu {peer.cpu:.2f} s)   tally is {ratio(ours.wall, peer.wall)}"
            "   (target 2x)")
        ours_pipe = self.median(shell(f"cat {self.path('labels')} | "
                                      + " ".join(program("tally", "--counts"))))
        peer_pipe = self.median(shell(f"cat {self.path('labels')} | cut -f1 | LC_ALL=C sort "
                                      "| uniq -c | sort -rn"))
        say(f"  from a pipe (cat FILE |): tally {rate(count, ours_pipe.wall)} lines/s, "
            f"cut|sort|uniq {rate(count, peer_pipe.wall)} lines/s: "
            f"tally is {ratio(ours_pipe.wall, peer_pipe.wall)}")
        self.growth("tally", program("tally", "--counts"), "labels", ours, count)

    # mxlookup ------------------------------------------------------------

    def mxlookup(self):
        count = self.sizes.domains
        spec = survey1998.survey_1998().scaled(round(count / DOMAINS_PER_ADDRESS) + 50, "lookup")
        world = generate.generate(spec, 1)
        domains = world.domains[:count]
        count = len(domains)  # the world may have a few less than asked for
        with open(self.path("domains"), "w") as out:
            out.writelines(f"{domain}\n" for domain in domains)
        config = f"nameserver {LOOKUP_SERVER}"
        adns = f"adnshost -a -f --config '{config}'"
        # exit 6: some names have no such record, as some of the world's have not
        adns_ends = "; test $? = 0 -o $? = 6"
        # the user's way: MX and the exchangers' addresses in one run, then the
        # domains without MX (the implicit MX) for their own address
        mx_argv = shell(f"{adns} -tmx < {self.path('domains')} > {self.path('adns.mx')}{adns_ends}")
        a_argv = shell(f"awk '$5 == \"nodata\" {{ print $6 }}' {self.path('adns.mx')} "
                       f"| {adns} -ta > {self.path('adns.a')}{adns_ends}")
        with NameServer(generate.zone_files(world.records), LOOKUP_SERVER, 53):
            ours = self.median(program("mxlookup", "--quiet", "--server", LOOKUP_SERVER,
                                       self.path("domains")), stdout=self.path("found"))
            mx, a = self.median(mx_argv), self.median(a_argv)
            peer = mx.wall + a.wall
            say()
            say(f"mxlookup, {count:,} domains of a world of {len(world.servers):,} addresses, "
                f"against NSD on {LOOKUP_SERVER}:53:")
            say(f"  mxlookup {rate(count, ours.wall):>8} domains/s  ({ours.wall:.2f} s, "
                f"cpu {ours.cpu:.2f} s, peak {mib(ours.peak_kib)})")
            say(f"  adnshost {rate(count, peer):>8} domains/s  ({peer:.2f} s = {mx.wall:.2f} s "
                f"-tmx + {a.wall:.2f} s -ta)   mxlookup is {ratio(ours.wall, peer)}   (target 1x)")
            say("  (adnshost as a user runs it: all the domains in one `adnshost -a -f -tmx`, "
                "which also asks the exchangers' addresses, then one `-ta` run for those "
                "without MX)")
            self.growth("mxlookup", program("mxlookup", "--quiet", "--server", LOOKUP_SERVER),
                        "domains", ours, count)
            many = self.sizes.growth[-1]
            if many > count:
                # mxlookup keeps each exchanger's addresses, not the domains: its
                # memory grows with the distinct addresses, not with the lines.
                with open(self.path("domains.repeated"), "w") as out:
                    out.writelines(f"{domains[index % count]}\n" for index in range(many))
                repeated = run(program("mxlookup", "--quiet", "--server", LOOKUP_SERVER,
                                       self.path("domains.repeated")))
                say(f"  {many:,} input lines of those {count:,} domains: {repeated.wall:.2f} s "
                    f"({rate(many, repeated.wall)}/s), peak {mib(repeated.peak_kib)}")

    # smtpprobe --ehlo ----------------------------------------------------

    def today(self):
        today.measure(self, self.sizes.today, CONCURRENCY, TIMEOUT, say, rate, ratio, mib)

    # smtpprobe and the pipeline ------------------------------------------

    def world(self):
        spec = survey1998.survey_1998()
        if self.sizes.world:
            spec = spec.scaled(self.sizes.world)
        world = generate.generate(spec, 1)
        directory = self.path("world")
        world.write(directory)
        greeters = [server.address for server in world.servers
                    if server.behaviour == generate.GREET]
        with open(self.path("greeters"), "w") as out:
            out.writelines(f"{address}\n" for address in greeters)
        with open(self.path("addresses"), "w") as out:
            out.writelines(f"{server.address}\n" for server in world.servers)
        silent = sum(server.behaviour in (generate.SILENT, generate.DROP)
                     for server in world.servers)
        with Servers(directory, world, True, CONCURRENCY) as servers:
            say()
            say(f"smtpprobe, the {spec.name} world: {len(world.servers):,} addresses, "
                f"{len(greeters):,} greet, {silent} silent; timeout {TIMEOUT} s, "
                f"{CONCURRENCY} in flight:")
            self.exchanges(len(greeters))
            self.survey_wall(world, greeters)
            # the survey asks NSD, as the lookup stage did, not the world's own
            # responder, which is slower than mxlookup
            with NameServer(generate.zone_files(world.records), LOOKUP_SERVER, 53):
                self.pipeline(directory, servers)

    def exchanges(self, greeters):
        ours = self.median(smtpprobe(self.path("greeters")))
        peer = self.median([PYTHON, "-m", "bench.simpleprobe", "25", str(CONCURRENCY),
                            str(TIMEOUT)], stdin=self.path("greeters"))
        say(f"  greeting hosts only: smtpprobe {rate(greeters, ours.wall)} exchanges/s "
            f"({ours.wall:.2f} s, peak {mib(ours.peak_kib)}), the simplest asyncio client "
            f"(bench/simpleprobe.py) {rate(greeters, peer.wall)} ({peer.wall:.2f} s): "
            f"smtpprobe is {ratio(ours.wall, peer.wall)}   (target 0.7x)")
        self.where_time_goes(smtpprobe(self.path("greeters")), self.path("greeters"))

    def where_time_goes(self, argv, stdin):
        try:
            stacks = profile.samples(argv, stdin)
        except profile.Unavailable as error:
            say(f"  where smtpprobe's time goes: not measured ({error})")
            return
        by_module, total = profile.shares(stacks)
        ours = [(share, module) for share, module in by_module if module.startswith("mxsurvey/")]
        others = [(share, module) for share, module in by_module if (share, module) not in ours]
        say(f"  where smtpprobe's time goes on the greeting hosts (py-spy, {total:,} samples, "
            "by the module of the innermost Python frame, system calls included):")
        say("    mxsurvey's own code " + percent(sum(share for share, _ in ours)) + ": "
            + ", ".join(f"{module} {percent(share)}" for share, module in ours[:5]))
        say("    Python's library " + percent(sum(share for share, _ in others)) + ": "
            + ", ".join(f"{module} {percent(share)}" for share, module in others[:6]))
        say("    busiest innermost functions: " + ", ".join(
            f"{function} {percent(share)}" for share, function in profile.innermost(stacks, 6)))

    def survey_wall(self, world, greeters):
        addresses = len(world.servers)
        greeting = len(greeters)
        ours = self.median(smtpprobe(self.path("addresses")))
        nmap, hosts, answered = self.nmap("addresses", NMAP_FAST, greeters)
        say(f"  every address: smtpprobe {ours.wall:.2f} s ({rate(addresses, ours.wall)}/s), "
            f"nmap {nmap.wall:.2f} s ({rate(addresses, nmap.wall)}/s, one run): smtpprobe is "
            f"{ratio(ours.wall, nmap.wall)} faster   (target 10x)")
        say(f"    nmap {' '.join(NMAP_COMMAND + NMAP_FAST)}: {hosts:,} of {addresses:,} hosts "
            f"reported, commands of {answered:,} of {greeting:,} greeting hosts")
        # No client can end before its per-host timeout: a silent host is
        # only known to be silent when the timeout has passed.
        say(f"    no client that waits {TIMEOUT} s for a silent host can take less than "
            f"{TIMEOUT} s: against this nmap, {ratio(TIMEOUT, nmap.wall)} faster at most")
        self.nmap_as_typed(world, greeters)
        many = self.sizes.growth[-1]
        addresses_list = [server.address for server in world.servers]
        with open(self.path("repeated"), "w") as out:
            out.writelines(f"{addresses_list[index % addresses]}\n" for index in range(many))
        repeated = run(smtpprobe(self.path("repeated")))
        say(f"  {many:,} input lines of those {addresses:,} addresses: {repeated.wall:.2f} s, "
            f"peak {mib(repeated.peak_kib)} (every address: peak {mib(ours.peak_kib)})")

    def nmap(self, source, options, greeters):
        """One nmap run over the addresses in the file `source`: the run, the
        hosts it reported, and how many greeting hosts' commands it got."""
        xml = self.path("nmap.xml")
        done = run(["nmap", *NMAP_COMMAND, *options, "-iL", self.path(source), "-oX", xml])
        hosts, answered = nmap_hosts(xml)
        return done, hosts, len(answered & set(greeters))

    def nmap_as_typed(self, world, greeters):
        """nmap with no timing options, as a user first runs it, on a sample
        of the world: the whole of it would take nmap some twenty minutes."""
        sample = [server.address for server in world.servers][::SAMPLE_STEP]
        with open(self.path("sample"), "w") as out:
            out.writelines(f"{address}\n" for address in sample)
        greeting = len(set(sample) & set(greeters))
        ours = self.median(smtpprobe(self.path("sample")))
        nmap, hosts, answered = self.nmap("sample", [], greeters)
        say(f"  every {SAMPLE_STEP}th address ({len(sample):,}, {greeting:,} greet), nmap with no "
            f"timing options: smtpprobe {ours.wall:.2f} s, nmap {nmap.wall:.2f} s (one run; "
            f"{hosts:,} hosts reported, commands of {answered:,} greeting hosts): smtpprobe is "
            f"{ratio(ours.wall, nmap.wall)} faster")

    def pipeline(self, directory, servers):
        survey = Survey(directory, servers, TIMEOUT, CONCURRENCY)
        lookup = survey.stages[0].argv
        lookup[lookup.index("--server") + 1] = LOOKUP_SERVER
        piped = []
        for _ in range(self.sizes.runs):
            survey.run()
            piped.append((survey.took, [(stage.ended, stage.cpu) for stage in survey.stages]))
        took, ended = sorted(piped)[len(piped) // 2]
        one_by_one = []
        for _ in range(self.sizes.runs):
            source, times = os.path.join(directory, "domains"), []
            for stage in survey.stages:
                target = os.path.join(directory, f"{stage.name}.out")
                times.append(run(stage.argv, stdin=source, stdout=target).wall)
                source = target
            one_by_one.append(times)
        times = sorted(one_by_one, key=sum)[len(one_by_one) // 2]
        say()
        say(f"The whole survey, {survey.command_line()}:")
        say(f"  in a pipe: {took:.2f} s (each stage done at, and its cpu: "
            + ", ".join(f"{stage.name} {end:.1f} s cpu {cpu:.1f} s"
                        for stage, (end, cpu) in zip(survey.stages, ended)) + ")")
        say(f"  one after another into files: {sum(times):.2f} s ("
            + " + ".join(f"{stage.name} {wall:.1f}" for stage, wall in zip(survey.stages, times))
            + f"); the pipe takes {took / max(times):.2f}x the slowest stage, "
            f"{took / sum(times):.2f}x the sum")


def bench_env():
    """Our bin/ first on PATH (the survey calls the programs by name), and
    bench importable by its own children."""
    return dict(os.environ, PATH=os.path.join(CHECKOUT, "bin") + os.pathsep + os.environ["PATH"],
                PYTHONPATH=CHECKOUT)


_smtpprobe_extra = None


def smtpprobe(path):
    """smtpprobe's command line for the world: every timeout TIMEOUT, no
    rate cap, and 127.0.0.0/8 allowed if smtpprobe has a blocklist."""
    global _smtpprobe_extra
    if _smtpprobe_extra is None:
        usage = run_output(program("smtpprobe", "--help")).decode()
        _smtpprobe_extra = ["--blocklist", "/dev/null"] if "--blocklist" in usage else []
    return program("smtpprobe", "--quiet", "--concurrency", CONCURRENCY, "--rate", 0,
                   "--connect-timeout", TIMEOUT, "--read-timeout", TIMEOUT,
                   *_smtpprobe_extra, path)


def nmap_hosts(xml):
    """The number of hosts in nmap's XML report, and the addresses of those
    with smtp-commands output."""
    hosts = ElementTree.parse(xml).getroot().iter("host")
    reported, answered = 0, set()
    for host in hosts:
        reported += 1
        if any(script.get("id") == "smtp-commands" for script in host.iter("script")):
            answered.add(host.find("address").get("addr"))
    return reported, answered


def run_output(argv):
    return subprocess.run(argv, check=True, capture_output=True).stdout


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", dest="size", const="quick")
    size.add_argument("--tiny", action="store_const", dest="size", const="tiny")
    parser.add_argument("--runs", type=int, help="runs of each measurement, the median shown")
    parser.add_argument("--only", nargs="+",
                        choices=["mtaguess", "tally", "mxlookup", "world", "today"],
                        help="these stages only (tally needs mtaguess)")
    parser.add_argument("--patterns", action="append", default=[], metavar="FILE",
                        help="measure mtaguess and awk with this pattern list (repeatable, "
                             "in order; as mtaguess -f) instead of patterns.awk")
    args = parser.parse_args(argv)
    sizes = SIZES[args.size or "full"]
    if args.runs:
        sizes.runs = args.runs
    say(f"Machine: {machine()}")
    os.environ.update(bench_env())
    try:
        network.enter()
    except network.Unavailable as error:
        print(f"bench: needs a private network (run as root): {error}", file=sys.stderr)
        return 1
    say(f"Medians of {sizes.runs} run(s) each, unless said.  Our programs run by {PYTHON}.")
    say()
    directory = tempfile.mkdtemp(prefix="mxsurvey-bench.")
    bench = Bench(sizes, directory, args.patterns)
    try:
        for stage in args.only or ["mtaguess", "tally", "mxlookup", "world", "today"]:
            getattr(bench, stage)()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
