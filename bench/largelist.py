"""A pattern list of several hundred patterns, for measuring mtaguess and awk
with a list the size of recog's for SMTP banners:

    python -m bench.largelist > large.awk
    python -m bench --only mtaguess --patterns large.awk

It is patterns-2026.awk, then patterns.awk, then two variants of each of
their patterns without an anchor, which match other texts (a release
named after the product's words, a product name before them), each with
a label of its own: so the texts that named software still name the same
software, and every pattern is tried.
"""

import os
import sys

from .measure import CHECKOUT

sys.path[:0] = [os.path.join(CHECKOUT, "lib")]

from mxsurvey import ere, patterns  # noqa: E402  (needs the path above)

LISTS = ("patterns-2026.awk", "patterns.awk")


def variants(pattern):
    """Two regexes that match other texts than `pattern`'s, or none for a
    pattern with an anchor, which a group cannot move."""
    if ere.has_anchor(pattern.regex):
        return []
    return [b"(" + pattern.regex + b") beta [0-9]+", b"Relay (" + pattern.regex + b")"]


def large_list():
    """The bytes of the large list."""
    paths = [os.path.join(CHECKOUT, name) for name in LISTS]
    originals = patterns.read_files(paths)
    lines = [open(path, "rb").read().rstrip(b"\n") for path in paths]
    lines.append(b"# Variants of the patterns above, each with a label of its own.")
    for number, pattern in enumerate(originals):
        for kind, regex in enumerate(variants(pattern)):
            lines.append(b"/%s/ %s (variant %d.%d)"
                         % (regex, pattern.label.encode("utf-8"), number, kind))
    return b"\n".join(lines) + b"\n"


if __name__ == "__main__":
    sys.stdout.buffer.write(large_list())
