"""The command-line policy shared by the four programs.

Streams, the error grammar, exit statuses, signals and broken pipes live here
once, so that no program gets them wrong.  A program is a function
`body(args, ctx)`; `run` parses its docopt usage, calls it and turns whatever
happens into one exit status:

    0    the run completed (failed lookups and probes are data)
    1    some input lines were rejected, each named; the rest was done
         (EXIT_BAD_INPUT)
    2    the command line was wrong
    3    a fatal error stopped the run (EXIT_FATAL): an input file that
         cannot be read, a bad blocklist or pattern file, another stage's
         output, an unreachable resolver, a failed write
    130  interrupted by SIGINT, 143 by SIGTERM (what is written ends with a
         whole line: see output.py)
    141  stdout was closed by the reader (`| head`): quietly

Every message on stderr is one line, `PROGRAM: what went wrong`; input errors
name the input and the line, `PROGRAM: FILE:LINE: what is wrong with it`; a
failed write names what could not be written, `PROGRAM: cannot write stdout:
No space left on device`.
"""

import asyncio
import contextlib
import io
import math
import os
import re
import resource
import signal
import stat
import sys
import threading

import docopt

from . import __version__, record
from .output import STOPPING, Interrupted, Output, WriteError, on_signal, stops

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_FATAL = 3  # every fatal stop, whatever stopped the run
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE

STDIN_NAME = "stdin"
STDOUT_NAME = "stdout"
STDOUT_FD = 1
READ_SIZE = 1 << 16
MAX_LINE = 1 << 20  # longer input lines are rejected, not buffered without end
# The bad lines named one by one; the rest are counted in one line at the
# end, so that a wrong input cannot bury the other messages in a flood.
SHOWN_BAD_LINES = 10


class Fatal(Exception):
    """An error that ends the run; its text is the message after `PROGRAM: `."""


class UsageError(Exception):
    """A command line that parses but means nothing (a bad option value)."""


class Context:
    """What a program body needs from the outside: its streams and its voice."""

    def __init__(self, name, stdin, stdout, stderr):
        self.name = name
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.bad_input = 0
        self.bad_lines = 0

    def say(self, message):
        """Write one line for people on stderr."""
        self.stderr.write(f"{self.name}: {message}\n".encode("utf-8", "backslashreplace"))
        self.stderr.flush()

    def bad_line(self, source, lineno, message):
        """Name a rejected input line; the run goes on and exits 1.  Only
        the first SHOWN_BAD_LINES are named, the rest counted."""
        self.bad_input += 1
        self.bad_lines += 1
        if self.bad_lines <= SHOWN_BAD_LINES:
            self.say(f"{source}:{lineno}: {message}")

    def say_unshown(self):
        """Count the bad lines that were not named, if any."""
        unshown = self.bad_lines - SHOWN_BAD_LINES
        if unshown > 0:
            self.say(f"{unshown} more bad {plural(unshown, 'line')} not shown")


def plural(count, noun, nouns=None):
    """`noun` as it goes after `count`: `1 line`, `2 lines`; `nouns` where
    the plural is not the noun and an s."""
    return noun if count == 1 else nouns or noun + "s"


def counted(count, noun, nouns=None):
    """A count with its noun, as a summary says it: `1 domain`, `2 domains`."""
    return f"{count} {plural(count, noun, nouns)}"


def int_option(args, name, minimum=0, maximum=None):
    return _number_option(args, name, int, minimum, "a whole number", maximum)


def float_option(args, name, minimum=0.0):
    return _number_option(args, name, float, minimum, "a number")


# Open files kept for other things than a program's sockets: the standard
# streams, an input file, the event loop's own, and some room to spare.
RESERVED_FILES = 32


def fit_concurrency(ctx, wanted):
    """The concurrency, one socket each, as open files allow: raise the soft
    limit up to the hard one if need be, and lower the concurrency (saying
    so) if even that is too few."""
    needed = wanted + RESERVED_FILES
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return wanted
    raised = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
        soft = raised
    if soft >= needed:
        return wanted
    allowed = max(1, soft - RESERVED_FILES)
    ctx.say(f"warning: --concurrency lowered to {allowed}: "
            f"only {soft} open files allowed (ulimit -n)")
    return allowed


def _number_option(args, name, kind, minimum, what, maximum=None):
    text = args[name]
    try:
        value = kind(text)
    except (TypeError, ValueError):
        raise UsageError(f"{name} takes {what}, not {text!r}") from None
    if isinstance(value, float) and not math.isfinite(value):  # inf, nan, 1e999
        raise UsageError(f"{name} takes a finite number, not {text!r}")
    if value < minimum:
        raise UsageError(f"{name} must be at least {minimum}, not {text!r}")
    if maximum is not None and value > maximum:
        raise UsageError(f"{name} must be at most {maximum}, not {text!r}")
    return value


def run(name, usage, body, argv=None, stdin=None, stdout=None, stderr=None):
    """Run `body(args, ctx)` under the shared policy; return the exit status."""
    real_process = stdout is None
    ctx = Context(
        name,
        stdin if stdin is not None else sys.stdin.buffer,
        stdout if stdout is not None else Output(STDOUT_FD, STDOUT_NAME, reader_may_leave=True),
        stderr if stderr is not None else sys.stderr.buffer,
    )
    stops.reset()
    if real_process:
        for signum in STOPPING:
            if not ignored(signum):
                signal.signal(signum, on_signal)
    try:
        body(_parse(usage, argv, ctx), ctx)
        ctx.stdout.flush()
        ctx.say_unshown()
    except _Done as done:
        return done.status
    except UsageError as error:
        ctx.say(f"{error}")
        ctx.say("usage error: see --help")
        return EXIT_USAGE
    except (Fatal, WriteError) as error:
        ctx.say_unshown()
        ctx.say(f"{error}")
        return EXIT_FATAL
    except BrokenPipeError:
        return EXIT_BROKEN_PIPE
    except Interrupted as stop:
        return 128 + stop.signum
    except KeyboardInterrupt:  # Python's own SIGINT handler, in-process
        return 128 + signal.SIGINT
    return EXIT_BAD_INPUT if ctx.bad_input else EXIT_OK


class _Done(Exception):
    def __init__(self, status):
        self.status = status


# Short options of 0.1.0 that meant another thing in another program: each
# letter now has one meaning (-f a pattern file, -p a port), and these are
# long only.  Scripts written for 0.1.0 are told what to write instead.
RETIRED_SHORT = {
    "mxlookup": {"-r": "--retries", "-f": "--failed"},
    "smtpprobe": {"-r": "--rate"},
    "tally": {"-p": "--percent"},
}


def _parse(usage, argv, ctx):
    """docopt, with --help and --version on stdout and usage errors as exit 2."""
    help_text = io.StringIO()
    try:
        with contextlib.redirect_stdout(help_text):
            return docopt.docopt(usage, argv, version=f"{ctx.name} {__version__}")
    except docopt.DocoptExit as error:
        complaint = usage_complaint(error, usage, sys.argv[1:] if argv is None else argv)
        for short, long in RETIRED_SHORT.get(ctx.name, {}).items():
            complaint = complaint.replace(f"unknown option {short}",
                                          f"unknown option {short} (now only {long})")
        ctx.say(f"usage error: {complaint}; the usage is:")
        ctx.stderr.write(usage_lines(usage).encode())
        ctx.stderr.flush()
        raise _Done(EXIT_USAGE) from None
    except SystemExit:  # --help or --version, printed into help_text
        ctx.stdout.write(help_text.getvalue().encode())
        ctx.stdout.flush()
        raise _Done(EXIT_OK) from None


# How docopt names an argument it could not place: Option(short, long, ...)
# or Argument(name, value); the long name, else the short, else the value.
_UNPLACED = re.compile(r"(?:Option|Argument|Command)\((None|'[^']*'), (None|'[^']*')")


def usage_complaint(error, usage, argv):
    """What was wrong with the command line, in a few words: docopt's own
    first line, or for arguments it could not place, those arguments as they
    were typed, and whether they were given twice or are unknown."""
    first = str(error).split("\n", 1)[0]
    unplaced = [[name.strip("'") for name in names if name != "None"]
                for names in _UNPLACED.findall(first)]
    if not first.startswith("Warning: found unmatched") or not all(unplaced):
        return first
    words = []
    for names in unplaced:
        name = names[-1]
        given = sum(1 for word in argv for form in names
                    if word == form or word.startswith(form + "="))
        if not name.startswith("-"):
            words.append(f"unexpected argument {name!r}")
        elif given > 1:
            words.append(f"{name} given more than once")
        elif not _names(name, usage):
            words.append(f"unknown option {name}")
        else:
            words.append(misplaced(name, usage, argv))
    return ", ".join(words)


def misplaced(name, usage, argv):
    """Why an option of the usage could not be placed: two modes given
    together (the options that start a usage line, as `--merge`), an
    option of one mode given with another or without its own, or a mode
    without its arguments."""
    forms = [line.split()[1:] for line in usage_lines(usage).splitlines()[1:]]
    # A mode may start with an option that takes a value (--html=PAGE).
    mode_of = {" ".join(form): form[0].split("=")[0] for form in forms
               if form and form[0].startswith("-")}
    given = [mode for mode in dict.fromkeys(mode_of.values())
             if any(word == mode or word.startswith(mode + "=") for word in argv)]
    if len(given) > 1 and not any(all(_names(mode, " ".join(form)) for mode in given)
                                  for form in forms):
        return f"{given[0]} and {given[1]} do not go together"
    if name in mode_of.values():
        form = " ".join(next(form for form in forms if form and form[0].split("=")[0] == name))
        strays = [word.split("=")[0] for word in argv
                  if word.startswith("--") and not _names(word.split("=")[0], form)]
        return f"{strays[0]} does not go with {name}" if strays else f"{name} goes as {form}"
    having = [mode_of.get(" ".join(form)) for form in forms if _names(name, " ".join(form))]
    if given and given[0] not in having:
        return f"{name} does not go with {given[0]}"
    if not given and having and None not in having:
        return f"{name} goes only with {' or '.join(having)}"
    return f"{name} not as the usage has it"


def _names(name, text):
    """Whether a usage text names an option (`--field`, not `--fields`)."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def usage_lines(usage):
    """The `Usage:` section of a docopt text, as docopt prints it."""
    section = usage[usage.lower().index("usage:"):]
    return section.split("\n\n", 1)[0].rstrip() + "\n"


def ignored(signum):
    """Whether a signal was set to be ignored (as a shell does for a background
    job's SIGINT): such a signal stays ignored."""
    return signal.getsignal(signum) == signal.SIG_IGN


# Input ---------------------------------------------------------------------

def open_inputs(ctx, paths):
    """Yield (name, binary stream) for each named file, or stdin for none or `-`.

    A file that cannot be read is a fatal stop, and so that it stops the run
    before anything is done, every file is checked before the first is read:
    a survey that left out a whole file is no survey, whatever was written.
    """
    paths = paths or ["-"]
    for path in paths:
        check_readable(path)
    for path in paths:
        if path == "-":
            yield STDIN_NAME, ctx.stdin
            continue
        try:
            stream = open(path, "rb")
        except OSError as error:
            raise Fatal(f"cannot open {path}: {error.strerror}") from None
        with stream:
            yield path, stream


def check_readable(path):
    """Raise Fatal if `path` names no file that can be read.  A FIFO or a
    device is not opened here, for opening it may be felt by its writer."""
    if path == "-":
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise Fatal(f"cannot open {path}: {error.strerror}") from None
    if stat.S_ISDIR(mode):
        raise Fatal(f"cannot read {path}: Is a directory")
    if stat.S_ISREG(mode) and not os.access(path, os.R_OK):
        raise Fatal(f"cannot open {path}: Permission denied")


def line_chunks(stream, max_line=MAX_LINE):
    """Yield lists of the complete lines read so far, without their LF.

    Each list is what one read returned, so a filter that flushes after each
    list streams through a pipe yet writes in blocks when input is plentiful.
    A line longer than `max_line` bytes comes out as None, and its bytes are
    dropped as they arrive rather than held in memory.  A final line without
    a LF still counts as a line.
    """
    read = getattr(stream, "read1", stream.read)
    tail = b""
    overlong = False
    while True:
        data = read(READ_SIZE)
        if not data:
            break
        lines = (tail + data).split(b"\n")
        tail = lines.pop()
        if overlong and lines:
            lines[0] = None
            overlong = False
        if len(tail) > max_line:
            tail, overlong = b"", True
        if lines:
            yield [None if line is not None and len(line) > max_line else line
                   for line in lines]
    if overlong:
        yield [None]
    elif tail:
        yield [tail]


def numbered_chunks(ctx, paths, unlocked=False, name_overlong=True):
    """Yield lists of (source, lineno, line) over all inputs, a list per read;
    over-long lines are named as bad input and skipped (or, without
    `name_overlong`, passed on as None for the caller to name in its turn).
    `unlocked` reads a buffered file through its raw file, as a reading
    thread must (see async_numbered_lines)."""
    for source, stream in open_inputs(ctx, paths):
        if unlocked and isinstance(stream, io.BufferedReader):
            stream = stream.raw
        lineno = 0
        for chunk in line_chunks(stream):
            numbered = []
            for line in chunk:
                lineno += 1
                if line is None and name_overlong:
                    name_overlong_line(ctx, source, lineno)
                else:
                    numbered.append((source, lineno, line))
            yield numbered


def name_overlong_line(ctx, source, lineno, max_line=MAX_LINE):
    ctx.bad_line(source, lineno, f"line longer than {max_line} bytes")


def stop_if_another_stage(source, lineno, line, reader):
    """Raise Fatal if `line` is what another program than `reader` writes
    or reads: one message that says what the input is and what to pipe it
    through, not one for each of its lines."""
    kind = record.what_is(line)
    advice = kind and record.advice(kind, reader)
    if advice:
        raise Fatal(f"{source}:{lineno}: this is {kind.what}; {advice}")


class FirstLines:
    """Checks the first line of each input that is not blank, as
    stop_if_another_stage does, and no other line."""

    def __init__(self, reader):
        self.reader = reader
        self.source = None
        self.checked = True

    def check(self, source, lineno, line):
        if source != self.source or lineno == 1:  # a new input (stdin may come twice)
            self.source, self.checked = source, False
        if self.checked or not line.strip(b" \t\r"):
            return
        self.checked = True
        stop_if_another_stage(source, lineno, line, self.reader)


BOM = b"\xef\xbb\xbf"  # the UTF-8 byte order mark some editors write first


def text_line(line, lineno):
    """An input line without what text from other systems may add: the CR
    of a CRLF line end and, on the first line of an input, a byte order mark."""
    if line.endswith(b"\r"):
        line = line[:-1]
    if lineno == 1 and line.startswith(BOM):
        line = line[len(BOM):]
    return line


# Asyncio -------------------------------------------------------------------

def run_async(coroutine):
    """Run a coroutine; SIGINT and SIGTERM cancel it (so it can write what is
    finished and close its connections) and then surface as Interrupted."""
    loop = asyncio.new_event_loop()
    task = loop.create_task(coroutine)
    caught = []

    def stop(signum):
        caught.append(signum)
        task.cancel()

    in_main_thread = threading.current_thread() is threading.main_thread()
    # A signal ignored when the program started (a background job's SIGINT,
    # nohup's) stays ignored, as it does in the programs without a loop.
    stopping = [signum for signum in STOPPING if in_main_thread and not ignored(signum)]
    # The handler is output's, which holds a signal that comes during a
    # write; the loop is told of it as a callback.
    before = {signum: signal.signal(signum, on_signal) for signum in stopping}
    if stopping:
        stops.to_loop = lambda signum: loop.call_soon_threadsafe(stop, signum)
    try:
        return loop.run_until_complete(task)
    except asyncio.CancelledError:
        if not caught:
            raise
        raise Interrupted(caught[0]) from None
    finally:
        stops.to_loop = None
        for signum, handler in before.items():
            signal.signal(signum, handler)
        for leftover in asyncio.all_tasks(loop):
            leftover.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()


async def async_numbered_lines(ctx, paths, queue_chunks=4, skipped=None):
    """`numbered_chunks`, a line at a time, for a coroutine: the blocking reads run in a daemon
    thread (a pipe, a file or a terminal alike), so a stuck stdin never holds
    the process at exit.  At most `queue_chunks` chunks are read ahead.
    `skipped()`, if given, is called for each over-long line named here, so
    that a count of lines done (progress) counts it too."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue(queue_chunks)
    room = threading.Semaphore(queue_chunks)
    end = object()

    def reader():
        try:
            # A thread blocked in a BufferedReader holds its lock, and the
            # interpreter aborts at exit if it finds that lock taken (a run
            # stopped while stdin is still open): the raw file takes none.
            # Over-long lines are named by the coroutine, not here, so that
            # the messages on bad lines come in the order of the lines.
            for chunk in numbered_chunks(ctx, paths, unlocked=True, name_overlong=False):
                _hand_over(chunk)
            _hand_over(end)
        except BaseException as error:  # handed to the coroutine, raised there
            with contextlib.suppress(RuntimeError):
                _hand_over(error)

    def _hand_over(item):
        room.acquire()
        loop.call_soon_threadsafe(queue.put_nowait, item)

    # SIGINT and SIGTERM go to the main thread: one the kernel gave this
    # thread would not interrupt a write of the main thread that a stalled
    # reader blocks, and the second signal that ends it would not come.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        threading.Thread(target=reader, daemon=True).start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    while True:
        item = await queue.get()
        room.release()
        if item is end:
            return
        if isinstance(item, BaseException):
            raise item
        for source, lineno, line in item:
            if line is None:
                name_overlong_line(ctx, source, lineno)
                if skipped:
                    skipped()
            else:
                yield source, lineno, line


class StreamWriter:
    """Collects output lines and flushes them once per event-loop turn, so a
    burst of finished lines costs one write and a lone line goes out at once.

    A failed flush (EPIPE from `| head`) runs in a loop callback, where no
    caller would see it; it is kept and raised by the next `write` or `flush`.
    """

    def __init__(self, stream):
        self.stream = stream
        self.pending = []
        self.scheduled = False
        self.error = None

    def write(self, line):
        if self.error:
            raise self.error
        self.pending.append(line)
        if not self.scheduled:
            self.scheduled = True
            asyncio.get_running_loop().call_soon(self._flush_soon)

    def _flush_soon(self):
        try:
            self.flush()
        except OSError as error:
            self.error = error

    def flush(self):
        if self.error:
            raise self.error
        self.scheduled = False
        if self.pending:
            data = b"".join(self.pending)
            self.pending.clear()
            self.stream.write(data)
        self.stream.flush()
