"""tools/demo: survey a world and show what the survey found.

Makes the world (the 1998 one, or one scaled down), moves into a private
network if it can (network.enter), starts the world's servers, surveys it
(survey.Survey), stops the servers, and prints the report, how long each
stage took, and whether the report's table is the world's truth: for the
1998 world, the table of the post of 11 May 1998.

Without a private network the two unreachable kinds are left out of the
world, and the runner names them.  Nothing outlives the run: the servers
stop when it ends, however it ends, and a world it made up is removed.

With --serve it surveys nothing: it serves the world until stopped, for
people to type at (served: --serve, --enter, --stop).

With --today the world is today's (see today): its survey is today's
dialogue (todaysurvey), and the check holds every address's record, not
only the table, against the world's truth.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from . import example, generate, network, served, survey1998, today, todaysurvey
from .servers import Servers, WorldError
from .survey import Survey, compare

SMALL_ADDRESSES = 300
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PICTURES = os.path.join(CHECKOUT, "build", "demo")
TODAY_ADDRESSES = 300
TODAY_SMALL_ADDRESSES = 60


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="demo", description="Survey a simulated 1998 internet with the four programs.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--small", action="store_true",
                      help=f"a world of about {SMALL_ADDRESSES} addresses, every row of the table")
    size.add_argument("--addresses", type=int, metavar="N",
                      help="the 1998 world scaled to about N addresses")
    parser.add_argument("--today", action="store_true",
                        help=f"today's world (about {TODAY_ADDRESSES} addresses, "
                             f"{TODAY_SMALL_ADDRESSES} with --small): STARTTLS, certificates, "
                             "IPv6, surveyed with today's dialogue")
    parser.add_argument("--seed", type=int, default=1, help="which world (default 1)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless the table is the world's truth, row for row")
    parser.add_argument("--shared-loopback", action="store_true",
                        help="no private network: leave out the unreachable kinds")
    parser.add_argument("--keep", metavar="DIR",
                        help="write the world and the survey's output into DIR and keep them")
    parser.add_argument("--pictures", metavar="DIR",
                        help="leave the report, its chart and its page in DIR "
                             "(default build/demo, build/demo-today with --today)")
    parser.add_argument("--timeout", type=float, default=3.0, metavar="S",
                        help="smtpprobe's connect and read timeouts (default 3)")
    parser.add_argument("--concurrency", type=int, default=1000, metavar="N",
                        help="smtpprobe's exchanges in flight (default 1000)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--serve", action="store_true",
                      help="survey nothing: serve the world (a small one unless --addresses), "
                           "with example.net in it, until Ctrl-C or --stop")
    mode.add_argument("--enter", action="store_true",
                      help="run COMMAND (by default $SHELL) inside the served world, "
                           "in its directory")
    mode.add_argument("--stop", action="store_true", help="stop the served world")
    parser.add_argument("command", nargs=argparse.REMAINDER, metavar="COMMAND",
                        help="with --enter: the command and its arguments")
    args = parser.parse_args(argv)
    if args.command and not args.enter:
        parser.error("a COMMAND only with --enter")
    return args


def say(line=""):
    print(line, flush=True)


def run(argv=None):
    """main(), with an interruption or a failed world a one-line message."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        print("demo: interrupted", file=sys.stderr)
        return 130
    except WorldError as error:
        print(f"demo: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `| head`: quietly, as the programs do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def leave_pictures(report, directory):
    """Leave the report, its chart at 80 columns and its page in directory,
    and say where on stderr."""
    os.makedirs(directory, exist_ok=True)
    kept = os.path.join(directory, "report")
    shutil.copyfile(report, kept)
    environment = dict(os.environ, COLUMNS="80", LC_ALL="C.UTF-8")
    with open(os.path.join(directory, "chart.txt"), "wb") as chart:
        subprocess.run(["tally", "--chart", kept], stdout=chart, env=environment, check=True)
    page = os.path.join(directory, "report.html")
    subprocess.run(["tally", "--html", page, kept], env=environment, check=True)
    print(f"demo: the report is in {kept}, its chart in {os.path.join(directory, 'chart.txt')}, "
          f"its page in {page}", file=sys.stderr, flush=True)


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


def main(argv=None):
    args = parse(argv)
    if args.enter:
        return served.enter(args.command)
    if args.stop:
        return served.stop()
    pid_file = served.claim() if args.serve else None
    signal.signal(signal.SIGTERM, _terminated)
    signal.signal(signal.SIGHUP, _terminated)
    if args.today:
        return main_today(args, pid_file)
    spec = survey1998.survey_1998()
    if args.small or args.addresses or args.serve:
        spec = spec.scaled(args.addresses or SMALL_ADDRESSES)
    private, why_not = enter_network(args)
    left_out = ", ".join(f"{survey1998.FAILURE_WORDING[status]} ({spec.failures[status]})"
                         for status in survey1998.NEED_ROUTES)
    if not private:
        spec = spec.without(survey1998.NEED_ROUTES)
    directory = args.keep or tempfile.mkdtemp(prefix="mxsurvey-world.")
    try:
        world = generate.generate(spec, args.seed)
        if args.serve:
            example.add_to(world)
        world.write(directory)
        say(f"A {spec.name} internet: {len(world.servers)} mail server addresses behind "
            f"{len(world.domains)} domains (seed {args.seed}), in {directory}.")
        if private:
            say(f"In a private network namespace ({network.how()}): "
                "all five kinds of connection failure are real.")
        else:
            say(f"No private network ({why_not}): cannot simulate {left_out}; "
                f"{'serving' if args.serve else 'surveying'} the rest.")
        if args.serve:
            return served.serve(pid_file, directory, world, private, args.concurrency, say)
        return survey_and_check(args, directory, world, private, Survey, PICTURES,
                                lambda survey: compare(survey.report, world))
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)


def survey_and_check(args, directory, world, private, survey_class, pictures, compared):
    """Survey the world with survey_class, say its report and timings,
    leave its pictures, and say how it compares with the world
    (compared(survey): lines, and whether they are the same); the exit
    status."""
    with Servers(directory, world, private, args.concurrency) as servers:
        survey = survey_class(directory, servers, args.timeout, args.concurrency)
        say(f"Surveying: {survey.command_line()}")
        survey.run()
    say()
    say(survey.report.rstrip("\n"))
    say()
    leave_pictures(survey.path("report"), args.pictures or pictures)
    for line in survey.timings(len(world.domains)) + [servers.said()]:
        say(line)
    lines, same = compared(survey)
    for line in lines:
        say(line)
    return 0 if same or not args.check else 1


def enter_network(args):
    """(private, why not): whether the process is in a private network."""
    if args.shared_loopback:
        return False, "--shared-loopback"
    try:
        network.enter()
        return True, ""
    except network.Unavailable as error:
        return False, str(error)


def main_today(args, pid_file):
    """tools/demo --today: today's world, surveyed or served."""
    world = today.generate_world(
        args.addresses or (TODAY_SMALL_ADDRESSES if args.small else TODAY_ADDRESSES), args.seed)
    private, why_not = enter_network(args)
    if private:
        network.add_addresses(world.ipv6())
    else:
        world = world.without_ipv6()
    directory = args.keep or tempfile.mkdtemp(prefix="mxsurvey-world.")
    try:
        world.write(directory)
        say(f"Today's internet: {len(world.servers)} mail server addresses behind "
            f"{len(world.domains)} domains (seed {args.seed}), its certificate authority "
            f"{os.path.join(directory, 'ca.crt')}, in {directory}.")
        if private:
            say(f"In a private network namespace ({network.how()}), "
                f"with {len(world.ipv6())} IPv6 addresses of {today.IPV6_NET} on its loopback.")
        else:
            say(f"No private network ({why_not}): no IPv6 exchangers.")
        if args.serve:
            return served.serve(pid_file, directory, world, private, args.concurrency, say)
        return survey_and_check(
            args, directory, world, private, todaysurvey.TodaySurvey, PICTURES + "-today",
            lambda survey: todaysurvey.compare(survey.report, os.path.join(directory, "guessed"),
                                               world))
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
