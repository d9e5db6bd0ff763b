"""Output lines of an event loop, written by a thread of their own, so that a
slow reader never holds up the loop.

A blocking write inside the loop stops every exchange while the reader is
behind, and their clocks keep running: how fast the next program reads
would change what is recorded.  Here the loop only queues a line; a writer
thread writes what is queued, in order, each time as one write of whole
lines.  The queue is bounded in bytes by backpressure, not by refusal:
`room()` waits while it holds BOUND bytes or more, and the caller starts no
new work meanwhile, while the work already begun goes on and queues its
lines.  So the queue holds at most BOUND bytes plus the lines of the work
that was in flight.
"""

import asyncio
import collections
import signal
import threading

BOUND = 1 << 20  # bytes queued before `room()` waits: thousands of typical lines


class LineWriter:
    """Queues whole lines (bytes ending in LF) from the loop and writes them
    to `stream` from a thread.  `written(count)` is called in the loop after
    each write with the number of lines it held; `failed()` once, in the
    loop, if writing fails (EPIPE from `| head`, ENOSPC...); the error is
    kept and raised by `write`, `room` and `drain`.  Made in the loop."""

    def __init__(self, stream, written=None, failed=None, bound=BOUND):
        self.stream = stream
        self.written = written
        self.failed = failed
        self.bound = bound
        self.loop = asyncio.get_running_loop()
        self.queued = 0      # bytes given to write() and not yet written (the loop's count)
        self.waiters = []    # futures of room() and drain(), woken after each write
        self.error = None
        self.lines = collections.deque()  # shared with the thread, under `ready`
        self.ready = threading.Condition()
        self.closing = False
        self.thread = threading.Thread(target=self._write_lines, daemon=True)
        self.thread.start()

    # The loop's side.

    def write(self, line):
        if self.error:
            raise self.error
        self.queued += len(line)
        with self.ready:
            self.lines.append(line)
            self.ready.notify()

    async def room(self):
        """Return when the queue is under its bound."""
        await self._until(lambda: self.queued < self.bound)

    async def drain(self):
        """Return when every line queued is written."""
        await self._until(lambda: not self.queued)

    async def _until(self, condition):
        while not self.error and not condition():
            waiter = self.loop.create_future()
            self.waiters.append(waiter)
            await waiter
        if self.error:
            raise self.error

    def close(self):
        """Write what is queued, then end the thread; blocks until it has.

        Called last, also when a signal stopped the run: a line is written
        whole or not at all, and the finished ones are kept.  The loop's
        signal handlers only schedule a callback, so a second signal does
        not cut this wait short.  An error is kept, not raised."""
        with self.ready:
            self.closing = True
            self.ready.notify()
        self.thread.join()

    def _after_write(self, size, count):
        self.queued -= size
        if self.written:
            self.written(count)
        self._wake()

    def _after_failure(self, error):
        self.error = error
        self._wake()
        if self.failed:
            self.failed()

    def _wake(self):
        waiters, self.waiters = self.waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    # The thread's side.

    def _write_lines(self):
        # SIGINT and SIGTERM go to the loop's thread, whose handlers know
        # what to do; this thread's writes are never interrupted by them.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        while True:
            with self.ready:
                while not self.lines and not self.closing:
                    self.ready.wait()
                if not self.lines:
                    return
                count = len(self.lines)
                chunk = b"".join(self.lines)
                self.lines.clear()
            try:
                self.stream.write(chunk)
                self.stream.flush()
            except Exception as error:  # handed to the loop, raised there
                self._tell_loop(self._after_failure, error)
                return
            self._tell_loop(self._after_write, len(chunk), count)

    def _tell_loop(self, callback, *args):
        try:
            self.loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop is closed: nobody waits any more
            pass
