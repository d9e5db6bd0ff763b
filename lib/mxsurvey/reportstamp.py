"""reportstamp: what made a report, in `#` lines at its top.

    # made by tally 0.2.0 on 2026-12-07T03:00:00Z
    # labels: patterns-2026.awk sha256:5f1c...

tally writes a stamp only when asked (--stamp, --labels-from), so that a
report without one stays the table of 1998 byte for byte.  A labels line
names a pattern file mtaguess labelled the input with, and the SHA-256 of
its bytes: tally cannot see which list mtaguess used, so it writes what it
is told, and the digest tells two lists apart whatever their names.  Read
back, the `#` lines before a report (or before rows of --counts) are its
stamp: no row or heading starts with `#`.  `#` lines of other words are
passed over, so that a later tally may add some.
"""

import datetime
import hashlib
import os
import re
import time
import typing

from . import __version__, cli, patterns, record

COMMENT = b"#"
LABELS = re.compile(rb"# labels: (.+) sha256:([0-9a-f]{64})\n")


class Stamp(typing.NamedTuple):
    """A report's stamp as read back: its pattern files, in order, each
    (name, hex digest); empty if it names none."""
    labels: tuple


def stamp(labels=()):
    """The `#` lines of a stamp made now, naming these (name, digest)."""
    return b"# made by tally %s on %s\n" % (__version__.encode(), now().encode()) + b"".join(
        b"# labels: %s sha256:%s\n" % (name, digest) for name, digest in labels)


def now():
    """The time of a stamp, to the second, in UTC: SOURCE_DATE_EPOCH if it
    is set (as reproducible builds have it), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        seconds = int(epoch) if epoch else time.time()
    except ValueError:
        raise cli.UsageError(f"SOURCE_DATE_EPOCH is not a whole number: {epoch!r}") from None
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def pattern_labels(names):
    """(name, digest) of each pattern file named, found as `mtaguess -f`
    finds it; Fatal if one cannot be read."""
    labels = []
    for name in names:
        path = patterns.pattern_file(name)
        try:
            with open(path, "rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
        except OSError as error:
            raise cli.Fatal(f"cannot read {path}: {error.strerror}") from None
        labels.append((record.escape(os.path.basename(path).encode()), digest.encode()))
    return labels


def stamp_follows(lines):
    """Whether the NumberedLines that come next start with a stamp."""
    following = lines.peek(1)
    return bool(following) and bool(following[0]) and following[0].startswith(COMMENT)


def read_stamp(lines):
    """The Stamp of the `#` lines that come next, read; None if none do."""
    if not stamp_follows(lines):
        return None
    labels = []
    while stamp_follows(lines):
        _, line = lines.read()
        found = LABELS.fullmatch(line)
        if found:
            labels.append((found[1], found[2]))
    return Stamp(tuple(labels))


def agreed(stamps):
    """The labels every stamp names, the same files in the same order;
    empty if one names none or other ones, or has no stamp."""
    labels = {stamp.labels if stamp else () for stamp in stamps}
    return labels.pop() if len(labels) == 1 else ()


def first_disagreement(stamped):
    """The first two (source, labels) of (source, Stamp) pairs that name
    different pattern lists, each list named; None if they do not."""
    first = None
    for source, found in stamped:
        if not found or not found.labels:
            continue
        if first is None:
            first = source, found.labels
        elif found.labels != first[1]:
            return first, (source, found.labels)
    return None


def described(labels):
    """A list of labels for a message: `patterns.awk (sha256:5f1c3a0b9e2d...)`."""
    return ", ".join(f"{name.decode('ascii', 'backslashreplace')} "
                     f"(sha256:{digest[:12].decode()}...)" for name, digest in labels)
