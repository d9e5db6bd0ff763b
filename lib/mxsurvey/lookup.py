"""mxlookup: the addresses of the mail exchangers of domains.

Like djbdns's dnsfilter, it reads ahead and resolves many domains at once,
yet writes each domain's lines in input order, as soon as that domain and
all before it are done.  Which exchangers a domain has and what their
addresses are is mailroute's business; here are the input, the order, the
output and the summary.
"""

import asyncio
import collections
import contextlib
import ipaddress
import os
import re
import sys
import time

import dns.exception
import dns.name
import dns.resolver

from . import cli, dnsquery, domainline, mailroute, progress

NAME = "mxlookup"

USAGE = """\
mxlookup: write the addresses of the mail exchangers of domains.

Usage:
  mxlookup [options] [--server ADDR]... [FILE...]
  mxlookup (-h | --help | --version)

Reads domain names, one a line, from the FILEs or standard input: a line
may also be a top list's RANK,DOMAIN, or a domain followed by TAB-separated
columns, which are passed on after the domain's fields.  Writes
ADDRESS<TAB>MXHOST<TAB>DOMAIN<TAB>PREFERENCE for each address of their
mail exchangers, each address once, in input order.

Options:
  -a, --all                 Write every domain, exchanger and address, not
                            each address once.
  -6, --ipv6                Look up IPv6 addresses (AAAA) too.
  -s, --server ADDR[:PORT]  Ask this name server instead of those in
                            /etc/resolv.conf (repeatable, or
                            comma-separated; IPv6 as [::1]:53).
  -c, --concurrency N       Queries (and domains) in flight at most
                            [default: 500].
  -t, --timeout SECONDS     Wait this long for each answer before retrying
                            [default: 2].
  --retries N               Retries of an unanswered query [default: 2].
  --failed FILE             Write DOMAIN<TAB>REASON for every domain
                            without an address to FILE.
  --progress                Show progress on stderr even when it is not a
                            terminal.
  -q, --quiet               No progress line and no summary.
  -h, --help                Show this help.
  --version                 Show the version.
"""

READ_AHEAD = 10  # domains read ahead of the oldest unwritten one, per one in flight

_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
# In an internationalised name: the C1 controls, and any Unicode space
# (IDNA would make U+00A0 a plain space, and reject U+0085 as too long).
_UNICODE_CONTROL = re.compile("[\x80-\x9f]")
_UNICODE_SPACE = re.compile(r"\s")
# \DDD, \C, or a backslash with nothing after it; dnspython takes any
# character that str.isdigit() calls a digit to begin a \DDD
_ESCAPE = re.compile(r"\\(?:(\d{1,3})|(.)|$)", re.DOTALL)
# Names of letters, digits, hyphens and underscores, the usual case, are
# folded and encoded here; dnspython reads the rest (escapes, IDNA, errors).
_PLAIN_NAME = re.compile(rb"(?:[A-Za-z0-9_-]{1,63}\.)*[A-Za-z0-9_-]{1,63}\.?")
_MAX_TEXT = 253
_BLANKS = b" \t\r"


def main(argv=None, stdin=None, stdout=None, stderr=None):
    return cli.run(NAME, USAGE, body, _spell_out_ipv6(argv), stdin, stdout, stderr)


def _spell_out_ipv6(argv):
    """docopt takes a lone `-6` for a negative number, an argument; so it is
    passed on as `--ipv6` (up to a `--`, after which it names a file)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    end = argv.index("--") if "--" in argv else len(argv)
    return ["--ipv6" if arg == "-6" else arg for arg in argv[:end]] + argv[end:]


def body(args, ctx):
    concurrency = cli.int_option(args, "--concurrency", minimum=1)
    timeout = cli.float_option(args, "--timeout", minimum=0.001)
    retries = cli.int_option(args, "--retries", minimum=0)
    servers = parse_servers(args["--server"]) if args["--server"] else system_servers()
    shown = progress.for_run(ctx, args, args["FILE"])
    concurrency = cli.fit_concurrency(ctx, concurrency)  # a socket for each query
    failed = None
    if args["--failed"]:
        path = args["--failed"]
        try:
            failed = cli.Output(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666), path)
        except OSError as error:
            raise cli.Fatal(f"cannot open {path}: {error.strerror}") from None
    try:
        survey = Survey(ctx, servers, timeout, retries, concurrency,
                        every=args["--all"], ipv6=args["--ipv6"], failed=failed,
                        progress=shown)
        cli.run_async(survey.run(args["FILE"], quiet=args["--quiet"]))
    finally:
        if failed:
            failed.close()


# Input ---------------------------------------------------------------------

class BadName(ValueError):
    """An input line that is not a domain name; the text says why."""


def parse_domain(line):
    """(wire name, text) for an input line, None for a blank or comment line.

    Spaces around the name and a final CR are dropped, case is folded and an
    internationalised name becomes its ASCII (IDNA) form.  Raises BadName.
    """
    line = line.strip(_BLANKS)
    if not line or line.startswith(b"#"):
        return None
    if _CONTROL.search(line):
        raise BadName("control character in name")
    if b" " in line:
        raise BadName("space in name")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise BadName("not valid UTF-8") from None
    if _is_address(text):
        raise BadName("an IP address, not a domain name")
    if _PLAIN_NAME.fullmatch(line) and len(line) <= _MAX_TEXT + line.endswith(b"."):
        text = line.rstrip(b".").lower()
        wire = b"".join(bytes((len(label),)) + label for label in text.split(b".")) + b"\0"
        return wire, text.decode("ascii")
    if not text.isascii():
        if _UNICODE_CONTROL.search(text):
            raise BadName("control character in name")
        if _UNICODE_SPACE.search(text):
            raise BadName("space in name")
    if "\\" in text:
        _check_escapes(text)
    try:
        name = dns.name.from_text(text) if text.isascii() else dns.name.from_unicode(text)
    except dns.name.EmptyLabel:
        raise BadName("empty label") from None
    except dns.name.LabelTooLong as error:
        # dnspython raises this for any label IDNA cannot encode, the
        # UnicodeError that says why in its context.
        why = error.__context__
        if isinstance(why, UnicodeError) and "too long" not in str(why):
            raise BadName(f"not a valid internationalised name: {why}") from None
        raise BadName("label longer than 63 bytes") from None
    except dns.name.NameTooLong:
        raise BadName("name longer than 253 characters") from None
    except (dns.exception.DNSException, UnicodeError, ValueError) as error:
        raise BadName(f"not a domain name: {error}") from None
    if name == dns.name.root:
        raise BadName("empty name")
    name = name.canonicalize()
    return name.to_wire(), name.to_text(omit_final_dot=True)


def _check_escapes(text):
    """Name a bad escape: dnspython would fail on \\256 with an error of no
    kind of its own."""
    for match in _ESCAPE.finditer(text):
        escape = match.group()
        digits, escaped = match.groups(default="")
        if escape == "\\":
            raise BadName("backslash at the end of the name")
        if escaped.isdigit() or digits and not (len(digits) == 3 and digits.isascii()):
            raise BadName(f"bad escape {escape}: \\DDD takes three digits, 0 to 9")
        if digits and int(digits) > 255:
            raise BadName(f"bad escape {escape}: \\DDD is a byte, at most \\255")


def _is_address(text):
    text = text.rstrip(".")
    if text.startswith("[") and text.endswith("]"):
        return True
    if not (text[-1:].isdigit() or ":" in text):
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def parse_servers(specs):
    """Servers from --server values: ADDR, ADDR:PORT, [ADDR6]:PORT, ADDR6."""
    servers = []
    for spec in specs:
        for item in spec.split(","):
            servers.append(_parse_server(item.strip(), spec))
    return servers


def _parse_server(item, spec):
    host, port = item, str(dnsquery.UDP_PORT)
    if item.startswith("["):
        host, bracket, rest = item[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            host = ""
        port = rest[1:] if rest else port
    elif item.count(":") == 1:
        host, port = item.split(":")
    try:
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(port)
        return dnsquery.Server(host, int(port))
    except ValueError:
        raise cli.UsageError(f"--server takes ADDR[:PORT], not {spec!r}") from None


def system_servers():
    """The name servers of /etc/resolv.conf, as dnspython reads it."""
    try:
        config = dns.resolver.Resolver(configure=True)
    except dns.exception.DNSException as error:
        raise cli.Fatal(f"no name server to ask: {error}; use --server") from None
    servers = []
    for address in config.nameservers:
        with contextlib.suppress(ValueError):
            servers.append(dnsquery.Server(str(address), config.port))
    if not servers:
        raise cli.Fatal("no name server to ask in /etc/resolv.conf; use --server")
    return servers


# The run -------------------------------------------------------------------

class Survey:
    """Domains in flight, written in input order as they finish."""

    def __init__(self, ctx, servers, timeout, retries, concurrency, every, ipv6, failed,
                 progress):
        self.ctx = ctx
        self.resolver = dnsquery.Resolver(servers, timeout, retries, concurrency)
        self.router = mailroute.Router(self.resolver, ipv6)
        self.concurrency = concurrency
        self.read_ahead = concurrency * READ_AHEAD
        self.every = every
        self.out = cli.StreamWriter(ctx.stdout)
        self.failed = cli.StreamWriter(failed) if failed else None
        self.counts = collections.Counter()  # domains by status, and bad names
        self.cuts = collections.Counter()  # domains, exchangers, addresses left out
        self.seen_addresses = set()
        # (source, lineno, domain text, columns passed on, task), in input order
        self.slots = collections.deque()
        self.in_flight = 0
        self.changed = asyncio.Event()  # a domain finished
        self.error = None  # raised in the main task: a failed write, or a bug
        self.closed = False
        self.progress = progress

    async def run(self, paths, quiet):
        started = time.monotonic()
        stopped = False  # by a fatal error, said by cli.run: no summary
        self.progress.start(lambda: self.in_flight)
        first_lines = cli.FirstLines(NAME)
        try:
            async for source, lineno, line in cli.async_numbered_lines(
                    self.ctx, paths, skipped=self.progress.add):
                line = cli.text_line(line, lineno)
                first_lines.check(source, lineno, line)
                try:
                    name, columns = domainline.split(line)
                    domain = parse_domain(name)
                except (BadName, domainline.NotADomain) as error:
                    self.counts["bad"] += 1
                    self.ctx.bad_line(source, lineno, str(error))
                    self.progress.add()
                    continue
                if domain:
                    await self._add(source, lineno, *domain, columns)
                else:  # blank or a comment
                    self.progress.add()
            while self.slots:
                await self._wait_for_change()
            if self.error:  # from the last domains, after the last wait
                raise self.error
            unreachable = self.resolver.unreachable()  # fewer queries than it takes
            if unreachable:
                raise cli.Fatal(unreachable)
            self._flush()
        except (BrokenPipeError, cli.WriteError, cli.Fatal):  # said by cli.run, or quiet
            stopped = True
            raise
        finally:
            self._close()
            self.resolver.close()
            self.progress.stop()
            if not quiet and not stopped:
                self.ctx.say(self._summary(time.monotonic() - started))

    async def _add(self, source, lineno, wire, text, columns):
        if self.error:
            raise self.error
        while self.in_flight >= self.concurrency or len(self.slots) >= self.read_ahead:
            await self._wait_for_change()
        self.in_flight += 1
        task = asyncio.get_running_loop().create_task(self.router.route(wire))
        task.add_done_callback(self._finished)
        self.slots.append((source, lineno, text, columns, task))

    async def _wait_for_change(self):
        self.changed.clear()
        await self.changed.wait()
        if self.error:
            raise self.error

    def _finished(self, task):
        if self.closed:
            return
        self.in_flight -= 1
        slots = self.slots
        while slots and slots[0][-1].done():
            self._write(*slots.popleft())
        self.changed.set()

    def _write(self, source, lineno, text, columns, task):
        """Write a finished domain's lines; keep any error for the main task."""
        try:
            outcome = task.result()
            self.counts[outcome.status] += 1
            self.progress.add()
            if outcome.exchangers_cut or outcome.addresses_cut:
                self._tell_cut(source, lineno, text, outcome)
            for line in self._lines(text, outcome):
                self.out.write(line + columns + b"\n")
            if self.failed and outcome.status in mailroute.FAILURES:
                self.failed.write(f"{text}\t{outcome.status}".encode("ascii") + columns + b"\n")
        except asyncio.CancelledError:
            pass
        except dnsquery.Unreachable as why:
            self.error = self.error or cli.Fatal(str(why))
        except Exception as error:
            self.error = self.error or error

    def _tell_cut(self, source, lineno, text, outcome):
        self.cuts["domains"] += 1
        self.cuts["exchangers"] += outcome.exchangers_cut
        self.cuts["addresses"] += outcome.addresses_cut
        self.ctx.say(
            f"{source}:{lineno}: {text}: {cli.counted(outcome.exchangers_cut, 'exchanger')} and"
            f" {cli.counted(outcome.addresses_cut, 'address', 'addresses')} left out, over the"
            f" limits of {mailroute.MAX_EXCHANGERS} exchangers a domain and"
            f" {mailroute.MAX_ADDRESSES} addresses of a family an exchanger")

    def _lines(self, text, outcome):
        seen = self.seen_addresses
        for exchanger, preference, addresses in outcome.routes:
            for address in addresses:
                if address in seen:
                    if not self.every:
                        continue
                else:
                    seen.add(address)
                yield f"{address}\t{exchanger}\t{text}\t{preference}".encode("ascii")

    def _flush(self):
        self.out.flush()
        if self.failed:
            self.failed.flush()

    def _close(self):
        """Stop what is in flight and write every finished domain, in order."""
        self.closed = True
        for source, lineno, text, columns, task in self.slots:
            if task.done():
                self._write(source, lineno, text, columns, task)
            else:
                task.cancel()
        self.slots.clear()
        with contextlib.suppress(OSError):
            self._flush()

    def _summary(self, seconds):
        counts, cuts = self.counts, self.cuts
        found = counts[mailroute.FOUND] + counts[mailroute.IMPLICIT]
        return (
            f"{cli.counted(sum(counts.values()), 'domain')}: {found} found"
            f" ({counts[mailroute.IMPLICIT]} by implicit MX),"
            f" {counts[mailroute.NULLMX]} null MX, {counts[mailroute.NXDOMAIN]} nxdomain,"
            f" {counts[mailroute.NOADDRESS]} no address, {counts[mailroute.IPV6ONLY]} IPv6 only,"
            f" {counts[mailroute.SERVFAIL]} servfail,"
            f" {counts[mailroute.TIMEOUT]} timeout, {cli.counted(counts['bad'], 'bad name')};"
            f" {cli.counted(len(self.seen_addresses), 'address', 'addresses')};"
            f" {cli.counted(cuts['domains'], 'domain')} cut"
            f" ({cli.counted(cuts['exchangers'], 'exchanger')},"
            f" {cli.counted(cuts['addresses'], 'address', 'addresses')} left out);"
            f" {seconds:.1f} s")
