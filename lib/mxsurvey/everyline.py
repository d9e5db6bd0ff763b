"""smtpprobe --every-line: a line for every input line, each address still
probed once.

`mxlookup --all` writes a line for every domain, exchanger and address, so
that the survey can count domains: the same address (a large provider's
exchanger) stands on the lines of many domains, far apart.  Its exchange is
run once; every line of it gets the exchange's outcome, with the line's own
MXHOST, DOMAIN and PREFERENCE:

- the lines that come while its exchange is in flight wait in memory and
  are written when it ends;
- the outcome of a finished exchange is kept, for the lines still to come,
  in an unlinked temporary file, not in memory: memory keeps an offset and
  two lengths for each distinct address (as smtpprobe's set of addresses
  seen already grows), and the waiting lines, at most WAITING_BOUND bytes,
  beyond which the reader waits for an exchange to end, and the outcomes
  used last, at most RECENT_BOUND bytes.

A line is written as head + its own fields + tail (+ its further columns,
in today's record) + LF: head is ADDRESS STATUS TRANSCRIPT, tail the facts
after the passed-on fields of today's record (empty in 1998's).  These two
are what is kept.

With --skip, a line of the earlier output stands for one input line: the
one of the same address with the same fields after it (1998's record), or
the same MXHOST, DOMAIN and PREFERENCE (today's); each is kept as a digest.
"""

import asyncio
import collections
import hashlib
import os
import tempfile

from . import record

# Bytes of input lines that wait for their address's exchange, at most
# (beyond it, reading waits): thousands of mxlookup lines.
WAITING_BOUND = 8 << 20
# Bytes of the outcomes used last kept in memory as well, so that the
# addresses of many domains (a large provider's) are not read back from
# the file for each line.
RECENT_BOUND = 4 << 20


class Outcomes:
    """The outcomes of the exchanges of one run, by address, and the lines
    that wait for an exchange in flight."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(prefix="smtpprobe-")  # unlinked already
        self.end = 0
        self.kept = {}  # address (canonical bytes) -> (offset, head length, tail length)
        self.waiting = {}  # address in flight -> the `rest`s of its lines
        self.waiting_bytes = 0
        self.waiting_bound = WAITING_BOUND
        self.room_waiters = []
        self.recent = collections.OrderedDict()  # address -> (head, tail), used last at the end
        self.recent_bytes = 0

    def close(self):
        self.file.close()

    def kept_parts(self, address):
        """(head, tail) of the finished exchange of `address`, or None."""
        parts = self.recent.get(address)
        if parts is not None:
            self.recent.move_to_end(address)
            return parts
        where = self.kept.get(address)
        if where is None:
            return None
        offset, head, tail = where
        data = os.pread(self.file.fileno(), head + tail, offset)
        parts = data[:head], data[head:]
        self._remember(address, parts)
        return parts

    def keep(self, address, head, tail):
        """Keep the outcome of the exchange of `address` for its lines to
        come; return the `rest`s of the lines that waited for it."""
        os.pwrite(self.file.fileno(), head + tail, self.end)
        self.kept[address] = (self.end, len(head), len(tail))
        self.end += len(head) + len(tail)
        self._remember(address, (head, tail))
        return self.stop_waiting(address)

    def _remember(self, address, parts):
        self.recent[address] = parts
        self.recent_bytes += len(parts[0]) + len(parts[1])
        while self.recent_bytes > RECENT_BOUND:
            _, (head, tail) = self.recent.popitem(last=False)
            self.recent_bytes -= len(head) + len(tail)

    def in_flight(self, address):
        return address in self.waiting

    def start(self, address, rest):
        """An exchange of `address` begins, for the line of `rest`."""
        self.waiting[address] = [rest]
        self.waiting_bytes += len(rest)

    def wait(self, address, rest):
        """The line of `rest` waits for the exchange of `address`."""
        self.waiting[address].append(rest)
        self.waiting_bytes += len(rest)

    def stop_waiting(self, address):
        """The `rest`s that waited for `address` (its exchange ended, or was
        stopped), forgotten."""
        rests = self.waiting.pop(address, [])
        self.waiting_bytes -= sum(map(len, rests))
        waiters, self.room_waiters = self.room_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        return rests

    async def room(self):
        """Return when the waiting lines are under their bound."""
        while self.waiting_bytes >= self.waiting_bound:
            waiter = asyncio.get_running_loop().create_future()
            self.room_waiters.append(waiter)
            await waiter


def line_key(address, fields):
    """The digest that names a line of `address` (canonical bytes) whose
    fields after it (as written) are `fields`, for --skip."""
    return hashlib.blake2b(address + b"\t" + fields, digest_size=16).digest()


class FinishedLines:
    """The lines of earlier outputs (--skip), each standing for one input
    line."""

    def __init__(self):
        self.count = collections.Counter()

    def __bool__(self):
        return bool(self.count)

    def add(self, address, fields):
        self.count[line_key(address, fields)] += 1

    def take(self, address, fields):
        """Whether an earlier output holds this line (and one fewer now)."""
        if not self.count:
            return False
        key = line_key(address, fields)
        left = self.count.get(key)
        if not left:
            return False
        if left == 1:
            del self.count[key]
        else:
            self.count[key] = left - 1
        return True


def skip_fields(line, today):
    """The fields of a line of an earlier output that name its input line:
    those after TRANSCRIPT (1998's record), or MXHOST DOMAIN PREFERENCE
    (today's), TAB-joined."""
    fields = line.split(record.TAB)
    if today:
        return record.TAB.join(fields[record.TRANSCRIPT + 1:
                                      record.TRANSCRIPT + 1 + record.PASSED_ON])
    return record.TAB.join(fields[record.TRANSCRIPT + 1:])


def input_fields(rest, today):
    """The same for an input line's `rest` (empty, or a TAB and its fields
    after ADDRESS), as its output line will write them."""
    if today:
        return record.TAB.join(record.passed_on(rest))
    return record.printable_fields(rest)[1:]
