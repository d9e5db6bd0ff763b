"""A pattern's regex written again as an awk ERE that every awk reads alike.

The awks read some of what POSIX allows, or leaves open, each its own way
(ere.py reads as gawk does where POSIX leaves a construct open).  mawk
1.3.4-20200120, Debian's, reads an interval `a{2}` as the characters; it
refuses a regex that starts with `*`, `+` or `?`, has an empty alternative
(`|x`, `()`), or is 8190 bytes long or more; it takes the NUL of `\\0` to
match where a record ends; and gawk reads `\\52` as the operator `*`.  So
mtaguess --awk writes each regex from what it means, with none of these:

    intervals       written out: a{2,4} as aa(a(a)?)?, a{2,} as aaa*, a{0} as
                    nothing (mawk matches a?a?, but its match() sets RLENGTH
                    short of the longest match)
    a literal       \\* \\+ \\? \\{ and the other operators; a byte outside
                    printable ASCII as \\ddd in octal; a NUL as [\\000]
    empty branches  (|x) as (x)?; a group that matches only the empty
                    string as nothing, and a regex that does, as ^
    a repetition    of a repetition in a group of its own: a+? as (a+)?
    `?` or `{,m}`   of what may match the empty string, left out: (a?)? as
                    (a?), (a?){0,2} as (a?)(a?) (RLENGTH again)
    bracket         of bytes, ranges only between letters, digits and bytes
    expressions     outside printable ASCII, the rest each on its own

Such a regex means the same to POSIX, gawk and mawk 1.3.4; one that would
be too long for mawk even so is refused (RegexError).
"""

from . import ere

MAWK_LONGEST = 8189  # mawk 1.3.4 refuses a regex of 8190 bytes or more

_OPERATORS = frozenset(b"\\^$.[]|()*+?{}/")
_IN_BRACKETS = frozenset(b"\\]^[-/")  # written with a backslash in a bracket
_ALL_BYTES = frozenset(range(256))
_EVERY_TEXT = b"^"  # matches every text, as the empty regex does


def _rangeable(byte):
    """Whether a byte may end a range in a bracket expression as every awk
    reads it: a letter or digit, or a byte written in octal (never an
    operator, which gawk would read from an octal escape)."""
    return chr(byte).isalnum() or not 0x20 <= byte <= 0x7E


def _written(byte, special):
    if 0x20 <= byte <= 0x7E:
        return (b"\\" if byte in special else b"") + bytes([byte])
    return b"\\%03o" % byte


def _bracket(members):
    runs = []
    for byte in sorted(members):
        if runs and runs[-1][1] == byte - 1 and _rangeable(byte) and _rangeable(runs[-1][1]):
            runs[-1][1] = byte
        else:
            runs.append([byte, byte])
    parts = []
    for low, high in runs:
        parts.append(_written(low, _IN_BRACKETS))
        if high > low:
            parts.append((b"-" if high > low + 1 else b"") + _written(high, _IN_BRACKETS))
    return b"".join(parts)


class AwkSyntax:
    """How ere's translation writes a regex as an awk ERE.  A piece that
    matches only the empty string is written as nothing (b"")."""

    @staticmethod
    def element(members):
        if members == _ALL_BYTES:
            return b"."
        if len(members) == 1 and 0 not in members:
            return _written(next(iter(members)), _OPERATORS)
        if len(members) > 128 or not members:  # (no member: no byte matches)
            return b"[^" + _bracket(_ALL_BYTES - members) + b"]"
        return b"[" + _bracket(members) + b"]"

    @staticmethod
    def group(inner):
        return b"(" + inner + b")" if inner else b""

    @staticmethod
    def repeat(piece, low, high, may_be_empty):
        if not piece or high == 0:
            return b""
        if (low, high) == (0, None) or (may_be_empty and high is None):
            return piece + b"*"
        if high is None:
            return piece * (low - 1) + piece + b"+"
        if may_be_empty:  # each copy may match nothing: mawk's match() needs no `?`
            return piece * high
        if high == low + 1:
            return piece * low + piece + b"?"
        optional = b""  # nested, (a(a)?)?: mawk's match() gets a?a? short
        for _ in range(high - low):
            optional = b"(" + piece + optional + b")?"
        return piece * low + optional

    @staticmethod
    def alternatives(branches, may_be_empty):
        written = [branch for branch in branches if branch]
        if len(written) == len(branches):
            return b"|".join(written)
        if not written:
            return b""
        # An empty branch makes the rest optional, unless one of them
        # matches the empty string already.
        optional = not any(empty for branch, empty in zip(branches, may_be_empty) if branch)
        return b"(" + b"|".join(written) + (b")?" if optional else b")")


AWK = AwkSyntax()


def awk_regex(regex):
    """The awk ERE (bytes) to write for a pattern's regex (bytes), or
    RegexError if even so it is too long for mawk."""
    written = ere.translate(regex, AWK) or _EVERY_TEXT
    if len(written) > MAWK_LONGEST:
        raise ere.RegexError(
            f"written for every awk (intervals written out), the regex is "
            f"{len(written)} bytes, and mawk takes {MAWK_LONGEST} at most")
    return written
