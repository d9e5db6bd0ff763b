"""smtpprobe: record what SMTP servers say when asked for HELP.

Each distinct address of the input is probed once (smtp.exchange) and comes
out as exactly one line, as soon as it is done, whatever happened:

    ADDRESS  STATUS  TRANSCRIPT  [the input line's other fields]

With --every-line, every input line comes out as exactly one line, each
address still probed once (everyline).

Many exchanges are in flight at once; input is read only as fast as slots
free up, so memory grows with the distinct addresses seen, nothing else.
Lines are written by a thread of their own (linewriter): a slow reader
never holds up the exchanges in flight, only the start of new ones.
"""

import asyncio
import contextlib
import fcntl
import hashlib
import ipaddress
import os
import re
import socket
import time

from . import (blocklist, certificate, cli, esmtp, everyline, linewriter, progress, record,
               smtp, tlsfacts)

NAME = "smtpprobe"

USAGE = """\
smtpprobe: connect to mail servers, ask for HELP and record what they say.

Usage:
  smtpprobe [options] [--exclude FILE]... [--skip FILE]... [FILE...]
  smtpprobe (-h | --help | --version)

Reads lines whose first field is an IPv4 or IPv6 address (mxlookup's
output, or one address a line) from the FILEs or stdin; blank lines and
`#` comments are skipped.  Probes each distinct address once: connect,
read the greeting, send HELP, read the reply, send QUIT.  Writes ADDRESS,
STATUS, TRANSCRIPT and the input line's other fields, one line per
address, in the order the exchanges finish.  Addresses of the blocklist
are not probed: their line has the status `excluded`.

Options:
  -p, --port PORT            TCP port to connect to [default: 25].
  -c, --concurrency N        Exchanges in flight at most [default: 200].
  --rate N                   New connections per second at most, 0 for no
                             cap [default: 50].
  --connect-timeout SECONDS  Longest wait for a connection [default: 10].
  --read-timeout SECONDS     Longest wait for the next bytes of a reply
                             [default: 10].
  --deadline SECONDS         Longest time for a whole exchange
                             [default: 30].
  --max-bytes N              Most bytes recorded from one server
                             [default: 16384].
  --source ADDR              Connect from the local address ADDR.
  --ehlo NAME                Today's dialogue instead of 1998's: EHLO NAME
                             (HELO NAME if EHLO is refused), STARTTLS and
                             EHLO again inside TLS, then HELP and QUIT;
                             NAME, a domain whose reverse DNS and web page
                             explain the survey, names the client.  Writes
                             today's record.
  --starttls WHEN            With --ehlo: try STARTTLS when it is offered,
                             always or never [default: offered].
  --ca-file FILE             With --ehlo: judge certificates against the
                             trust anchors of FILE (PEM) instead of the
                             system's.
  --timestamp                With --ehlo: record when each exchange began
                             (UTC).
  --exclude FILE             Add the addresses and CIDR blocks of FILE to
                             the blocklist (repeatable).
  --blocklist FILE           Start the blocklist from FILE instead of the
                             built-in list of special-purpose ranges
                             (private, loopback, documentation...);
                             /dev/null for an empty one.
  --skip FILE                Probe no address that has a line in FILE, an
                             earlier output of smtpprobe, so that
                             `smtpprobe --skip out < in >> out` finishes an
                             interrupted run (repeatable).
  --shard K/N                Probe only the K-th of N disjoint parts of the
                             input, each address in the part a hash of it
                             picks (1 <= K <= N).
  --every-line               Write a line for every input line (of
                             `mxlookup --all`: every domain, exchanger and
                             address), each address still probed once, for
                             `mtaguess | tally --domains` to count domains.
  --progress                 Show progress on stderr even when it is not a
                             terminal.
  -q, --quiet                No progress line and no summary.
  -h, --help                 Show this text.
  --version                  Show the version.
"""

# A wait of no time at all would make every probe a timeout.
SHORTEST_WAIT = 0.001


def main(argv=None, stdin=None, stdout=None, stderr=None):
    return cli.run(NAME, USAGE, body, argv, stdin, stdout, stderr)


def body(args, ctx):
    port = cli.int_option(args, "--port", minimum=1)
    if port > 65535:
        raise cli.UsageError(f"--port must be at most 65535, not {args['--port']!r}")
    concurrency = cli.int_option(args, "--concurrency", minimum=1)
    rate = cli.float_option(args, "--rate")
    limits = smtp.Limits(
        connect_timeout=cli.float_option(args, "--connect-timeout", minimum=SHORTEST_WAIT),
        read_timeout=cli.float_option(args, "--read-timeout", minimum=SHORTEST_WAIT),
        deadline=cli.float_option(args, "--deadline", minimum=SHORTEST_WAIT),
        max_bytes=cli.int_option(args, "--max-bytes", minimum=1, maximum=record.MAX_RECORDED),
    )
    dialogue = today_dialogue(args)
    source = source_address(args["--source"])
    shard = parse_shard(args["--shard"])
    excluded = load_blocklist(args["--blocklist"], args["--exclude"])
    every_line = args["--every-line"]
    finished = everyline.FinishedLines() if every_line else set()
    for path in args["--skip"]:
        load_finished(ctx, path, finished, today=dialogue is not None)
    shown = progress.for_run(ctx, args, args["FILE"])
    concurrency = cli.fit_concurrency(ctx, concurrency)
    survey = Survey(ctx, port, limits, concurrency, rate, excluded, finished, shard, shown,
                    quiet=args["--quiet"], dialogue=dialogue, source=source,
                    every_line=every_line)
    cli.run_async(survey.run(args["FILE"]))


def today_dialogue(args):
    """The esmtp.Dialogue that --ehlo asks for, or None for 1998's."""
    name = args["--ehlo"]
    if name is None:
        for option in ("--ca-file", "--timestamp"):
            if args[option]:
                raise cli.UsageError(f"{option} needs --ehlo")
        if args["--starttls"] != "offered":
            raise cli.UsageError("--starttls needs --ehlo")
        return None
    if not is_client_name(name):
        raise cli.UsageError(f"--ehlo takes a domain name (or an address literal) that "
                             f"names this survey, not {name!r}")
    if args["--starttls"] not in esmtp.WHEN_STARTTLS:
        raise cli.UsageError(f"--starttls takes offered, always or never, "
                             f"not {args['--starttls']!r}")
    try:
        store = certificate.trust_store(args["--ca-file"])
    except certificate.BadTrustFile as why:
        raise cli.Fatal(str(why)) from None
    return esmtp.Dialogue(name=name.encode("ascii"), starttls=args["--starttls"],
                          context=tlsfacts.client_context(), store=store,
                          timestamp=args["--timestamp"])


# RFC 5321 4.1.2: Domain, with two labels at least (a name the world can
# look up), or an address literal.
_CLIENT_NAME = re.compile(
    r"(?=.{1,255}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+", re.ASCII)


def is_client_name(name):
    """Whether `name` may follow EHLO: a domain name of two labels or more,
    or an address literal ([192.0.2.1], [IPv6:2001:db8::1])."""
    if _CLIENT_NAME.fullmatch(name):
        return True
    literal = re.fullmatch(r"\[(IPv6:)?([0-9A-Fa-f:.]+)\]", name)
    if not literal:
        return False
    try:
        address = ipaddress.ip_address(literal.group(2))
    except ValueError:
        return False
    return (address.version == 6) == bool(literal.group(1))


def source_address(text):
    """The local address --source names, checked by binding to it now, or
    None."""
    if text is None:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise cli.UsageError(f"--source takes an IP address, not {text!r}") from None
    family = socket.AF_INET if address.version == 4 else socket.AF_INET6
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.bind((str(address), 0))
    except OSError as error:
        raise cli.Fatal(f"cannot connect from {address}: {error.strerror}") from None
    return str(address)


_SHARD = re.compile(r"([0-9]+)/([0-9]+)")


def parse_shard(text):
    """(K, N) from `K/N`, or None for no --shard."""
    if text is None:
        return None
    match = _SHARD.fullmatch(text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise cli.UsageError(f"--shard takes K/N with 1 <= K <= N, not {text!r}")
    return int(match.group(1)), int(match.group(2))


def shard_of(canonical, count):
    """Which of `count` shards an address (its canonical text) belongs to,
    from 1: its SHA-256's first 8 bytes, as a big-endian number, modulo
    `count`, plus one.  Stable across runs, machines and versions, and the
    same however the input is ordered or split."""
    digest = hashlib.sha256(canonical).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def load_blocklist(replacement, extras):
    """The blocklist, whole, before any probing: a bad line is fatal, for a
    mistyped exclusion must not leave a network exposed."""
    try:
        return blocklist.load(replacement, extras)
    except blocklist.BadEntry as why:
        raise cli.Fatal(f"{why}") from None
    except OSError as error:
        raise cli.Fatal(f"cannot read {error.filename}: {error.strerror}") from None


_STATUSES = {status.encode("ascii") for status in record.STATUSES}


def load_finished(ctx, path, finished=None, today=False):
    """`finished` (a new set if None) with the addresses that have a line in
    `path`, an earlier output, each as written() writes it, added; or, if
    it is an everyline.FinishedLines, the lines (of a `today` record or
    1998's).

    The address of a line is read by parse_address, as an input line's is,
    so a line names the address its text denotes however it is written, and
    a line whose first field smtpprobe would reject as input is not one of
    its lines.  A last line without its LF is what a killed run may leave:
    it is not counted, so its address is probed again.  If our stdout
    appends to that very file, the piece is cut off first, so the file
    comes out whole.  Any other line that is not ours is fatal: the wrong
    file was named.
    """
    finished = set() if finished is None else finished
    every_line = isinstance(finished, everyline.FinishedLines)
    try:
        with open(path, "rb") as file:
            lineno, tail, size = 0, b"", 0
            while block := file.read(cli.READ_SIZE * 16):
                size += len(block)
                lines = (tail + block).split(b"\n")
                tail = lines.pop()
                for line in lines:
                    lineno += 1
                    try:
                        address = written(_finished_address(cli.text_line(line, lineno)))
                    except ValueError as why:
                        raise cli.Fatal(
                            f"{path}:{lineno}: not a line of smtpprobe's output: {why}") from None
                    if every_line:
                        finished.add(address, everyline.skip_fields(line, today))
                    else:
                        finished.add(address)
    except OSError as error:
        raise cli.Fatal(f"cannot read {path}: {error.strerror}") from None
    if tail:
        _drop_cut_line(ctx, path, size - len(tail))
    return finished


def _finished_address(line):
    """The address of a line of our output: ADDRESS, TAB, a known STATUS,
    then a TAB or the end.  Raises ValueError, saying why, for any other
    line."""
    fields = line.split(b"\t", 2)
    address = parse_address(fields[0])
    if len(fields) < 2:
        raise ValueError("no TAB and STATUS after the address")
    if fields[1] not in _STATUSES:
        raise ValueError(f"unknown status {record.quoted(fields[1])}")
    return address


def _drop_cut_line(ctx, path, whole):
    """Cut `path` back to its `whole` first bytes if stdout appends to it."""
    try:
        fd = ctx.stdout.fileno()
        ours = os.path.samestat(os.fstat(fd), os.stat(path))
        appending = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND
    except (OSError, ValueError):  # no file behind stdout (tests in-process)
        ours = appending = False
    if ours and appending:
        os.ftruncate(fd, whole)
        ctx.say(f"{path}: its last line was cut short: removed, and its address "
                "is probed again")
    else:
        ctx.say(f"warning: {path}: its last line was cut short: its address is probed again")


# Input ---------------------------------------------------------------------

def is_blank_or_comment(line):
    """A line that asks for nothing: blank, or a `#` first after blanks."""
    return line.lstrip(b" \t")[:1] in (b"", b"#")


class BadAddress(ValueError):
    """A first field that names no server we could probe; says why."""


def parse_address(field):
    """The address named by a first field, of input or of a --skip file, as
    an ipaddress object.

    Raises BadAddress for anything that is not one plain address of a host
    that could run a mail server.  An IPv4-mapped IPv6 address is the IPv4
    address it holds: the same host, probed as such (the blocklist puts
    both spellings at one point).
    """
    if b"%" in field:
        raise BadAddress(f"zone ids are not allowed: {record.quoted(field)}")
    try:
        text = field.decode("ascii")
        # ip_address() without its trial of IPv4 first: only IPv6 has a colon.
        address = ipaddress.IPv6Address(text) if ":" in text else ipaddress.IPv4Address(text)
    except (UnicodeDecodeError, ValueError):
        if blocklist.leading_zeros(field):
            raise BadAddress(
                f"IPv4 address with leading zeros is ambiguous: {record.quoted(field)}") from None
        raise BadAddress(f"not an IP address: {record.quoted(field)}") from None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    why = _never_a_server(address)
    if why:
        raise BadAddress(f"{why}: {record.quoted(field)}")
    return address


def _never_a_server(address):
    """Why no mail server could ever be at `address` (IPv4-mapped ones
    already IPv4), or None."""
    if address.is_unspecified:
        return "unspecified address"
    if address.is_multicast:
        return "multicast address"
    if address.version == 4 and address.is_reserved:
        if address == _BROADCAST:
            return "broadcast address"
        return "reserved address (240.0.0.0/4)"
    return None


_BROADCAST = ipaddress.IPv4Address("255.255.255.255")


def written(address):
    """An address as every line of output writes it, and as --skip and
    --shard know it: its canonical text (RFC 5952 for IPv6), which is what
    record reads as an address."""
    return record.address_field(address)


# The survey ----------------------------------------------------------------

class Survey:
    """Probes the addresses of the input, many at a time, and accounts for
    each: one output line per distinct address, counted by status."""

    def __init__(self, ctx, port, limits, concurrency, rate, excluded, finished, shard, progress,
                 quiet, dialogue=None, source=None, every_line=False):
        self.ctx = ctx
        # --every-line: the outcomes kept for the lines of their addresses
        self.outcomes = everyline.Outcomes() if every_line else None
        self.reused = 0  # lines written from an outcome kept or waited for
        self.dialogue = dialogue  # an esmtp.Dialogue, or None for 1998's
        self.source = source
        self.port = port
        self.limits = limits
        self.slots = asyncio.Semaphore(concurrency)
        self.pace = Pace(rate).wait
        self.excluded = excluded
        self.finished = finished  # by an earlier run (--skip)
        self.skipped = 0
        self.shard = shard  # (K, N): probe the K-th of N parts only
        self.other_shards = 0
        self.progress = progress
        self.quiet = quiet
        self.output = None  # a LineWriter while run() runs
        self.seen = set()
        self.duplicates = 0
        self.counts = dict.fromkeys(record.STATUSES, 0)
        self.running = set()
        self.failure = None  # an error in an exchange task, raised by run()
        self.started = time.monotonic()

    async def run(self, paths):
        self.progress.start(lambda: len(self.running))
        self.output = linewriter.LineWriter(
            self.ctx.stdout, written=self.progress.add, failed=self._output_failed)
        try:
            await self._probe_all(paths)
        except asyncio.CancelledError:  # SIGINT or SIGTERM: keep what is finished
            await self._close()
            self._summarize()
            raise
        finally:
            await self._close()  # after an error: close what is still open
            if self.outcomes:
                self.outcomes.close()
        self._summarize()

    async def _probe_all(self, paths):
        async with contextlib.aclosing(cli.async_numbered_lines(
                self.ctx, paths, skipped=self.progress.add)) as lines:
            first_lines = cli.FirstLines(NAME)
            async for source, lineno, line in lines:
                line = cli.text_line(line, lineno)
                first_lines.check(source, lineno, line)
                if is_blank_or_comment(line):
                    self.progress.add()
                    continue
                first, tab, rest = line.partition(b"\t")
                try:
                    address = parse_address(first.strip(b" "))
                except BadAddress as why:
                    self.ctx.bad_line(source, lineno, str(why))
                    self.progress.add()
                    continue
                await self._start(address, tab + rest)
        while self.running:
            await asyncio.wait(self.running)
        self._check()
        await self.output.drain()

    async def _start(self, address, rest):
        canonical = written(address)
        if self.shard and shard_of(canonical, self.shard[1]) != self.shard[0]:
            self.other_shards += 1
            self.progress.add()
            return
        if self.outcomes is not None:
            await self._start_line(address, canonical, rest)
            return
        if canonical in self.finished:
            self.skipped += 1
            self.progress.add()
            return
        if canonical in self.seen:
            self.duplicates += 1
            self.progress.add()
            return
        self.seen.add(canonical)
        # While the reader is behind, start nothing new: the exchanges in
        # flight go on unaffected, and their lines wait in the queue.
        await self.output.room()
        if address in self.excluded:
            self._write(canonical, "excluded", b"", rest)
            return
        await self._start_exchange(address, canonical, rest)

    async def _start_line(self, address, canonical, rest):
        """--every-line: a line for this input line, from the outcome of its
        address's exchange, run now unless it has been or is being run."""
        outcomes = self.outcomes
        if self.finished and self.finished.take(
                canonical, everyline.input_fields(rest, self.dialogue is not None)):
            self.skipped += 1
            self.progress.add()
            return
        await self.output.room()
        await outcomes.room()  # before looking: an exchange may end meanwhile
        kept = outcomes.kept_parts(canonical)
        if kept is not None:
            self.reused += 1
            self._write_line(*kept, rest)
            return
        if outcomes.in_flight(canonical):
            self.reused += 1
            outcomes.wait(canonical, rest)
            return
        outcomes.start(canonical, rest)
        if address in self.excluded:
            self._write(canonical, "excluded", b"", rest)
        else:
            await self._start_exchange(address, canonical, rest)

    async def _start_exchange(self, address, canonical, rest):
        await self.slots.acquire()
        self._check()
        family = socket.AF_INET if address.version == 4 else socket.AF_INET6
        task = asyncio.get_running_loop().create_task(
            self._probe(canonical, family, (str(address), self.port), rest))
        self.running.add(task)
        task.add_done_callback(self._finished)

    async def _probe(self, canonical, family, sockaddr, rest):
        if self.dialogue is None:
            status, transcript = await smtp.exchange(
                family, sockaddr, self.limits, self.pace, self.source)
            self._write(canonical, status, transcript, rest)
            return
        mxhost = record.passed_on(rest)[0].decode("ascii") or None
        status, transcript, facts = await esmtp.exchange(
            family, sockaddr, self.limits, self.pace, self.dialogue, mxhost, self.source)
        self._write(canonical, status, transcript, rest, facts)

    def _write(self, canonical, status, transcript, rest, facts=None):
        self.counts[status] += 1  # the line is done once written: progress is told then
        if self.output.error is not None:  # run() raises it
            return
        if self.dialogue is None:
            head = record.probe_line(canonical, status, transcript, b"")
            tail = b""
        else:
            head = record.TAB.join((canonical, _STATUS_BYTES[status], transcript))
            tail = record.today_facts(facts or {})
        if self.outcomes is None:
            self._write_line(head, tail, rest)
            return
        for waited in self.outcomes.keep(canonical, head, tail):
            self._write_line(head, tail, waited)

    def _write_line(self, head, tail, rest):
        """A line of the outcome (head, tail) with the fields of `rest`."""
        if self.output.error is not None:
            return
        if self.dialogue is None:
            middle = record.printable_fields(rest)
        else:
            middle = record.TAB + record.TAB.join(record.passed_on(rest))
            tail += record.further_columns(rest)
        self.output.write(head + middle + tail + record.LF)

    def _finished(self, task):
        self.running.discard(task)
        self.slots.release()
        if not task.cancelled() and task.exception() and not self.failure:
            self.failure = task.exception()

    def _check(self):
        """Raise what went wrong in an exchange task or in writing its line."""
        if self.failure:
            raise self.failure
        if self.output.error:
            raise self.output.error

    def _output_failed(self):
        """Nobody can read what the exchanges in flight would say: end them,
        so that the run ends now and raises the output's error."""
        for task in self.running:
            task.cancel()

    async def _stop(self):
        """Close the exchanges still in flight; their lines are not written."""
        for task in self.running:
            task.cancel()
        while self.running:
            await asyncio.wait(self.running)

    async def _close(self):
        """Close the exchanges still in flight, then write every line queued,
        even if a second signal comes while the first is being handled."""
        try:
            await self._stop()
        finally:
            self.output.close()
            self.progress.stop()

    def _summarize(self):
        if self.quiet:
            return
        counts = ", ".join(f"{n} {status}" for status, n in self.counts.items())
        probed = sum(self.counts.values())
        elapsed = time.monotonic() - self.started
        if self.outcomes is None:
            lines = cli.counted(self.duplicates, "duplicate")
        else:
            lines = cli.counted(self.reused, "more line", "more lines") + " of addresses probed"
        self.ctx.say(f"{probed} probed: {counts}; {lines}, "
                     f"{self.ctx.bad_input} rejected, {self.skipped} skipped, "
                     f"{self.other_shards} other {cli.plural(self.other_shards, 'shard')};"
                     f" {elapsed:.1f} s")


_STATUS_BYTES = {status: status.encode("ascii") for status in record.STATUSES}


class Pace:
    """Spaces new connections at least `1/rate` seconds apart (0: no cap).
    Callers take their turns one at a time, in the order they came, and
    turns missed while the loop was busy are not made up: a loop busy past
    several turns lets one connection go, not a burst of them, so no
    second holds more than `rate` new connections (and one)."""

    def __init__(self, rate):
        self.interval = 1 / rate if rate else 0.0
        self.next_start = 0.0
        self.turns = None  # an asyncio.Lock, made in the loop that waits

    async def wait(self):
        if not self.interval:
            return
        if self.turns is None:
            self.turns = asyncio.Lock()
        async with self.turns:
            loop = asyncio.get_running_loop()
            start = self.next_start
            if start > loop.time():
                await asyncio.sleep(start - loop.time())
            # A turn begun a little late keeps the schedule (the sleep's own
            # lateness would slow every turn); one a whole interval late
            # starts it again from now.
            now = loop.time()
            self.next_start = (start if now - start < self.interval else now) + self.interval
