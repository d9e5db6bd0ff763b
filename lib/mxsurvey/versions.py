"""How a pattern says where its software's version is in a host's text.

A pattern file may put a version annotation above a pattern line (other
comment lines, such as its examples, may come between):

    # version: /CONTEXT/ /VERSION/

Both are awk EREs, read as a pattern's regex is.  The version is taken
from the text the pattern matched: at the leftmost-longest match of
CONTEXT, then the longest match of VERSION that starts where it ends; the
empty string if either does not match there.  awk has no groups (gawk's
match() with an array is its own), but match(), RSTART, RLENGTH and
substr() are in every awk, and they say exactly this: so mtaguess --awk
writes it for gawk and mawk alike (awk_action), and mtaguess matches it
with RE2 set to POSIX's leftmost-longest rule.  Neither regex may match the
empty string (a version is some text), nor VERSION have an anchor (it is
matched where CONTEXT ends).
"""

import re

import re2

from . import awkere, ere

# The start of an annotation line; a comment that starts so but is not
# followed by a regex is an ordinary comment (`# version: 2026-05`).
ANNOTATION = re.compile(rb"[ \t]*#[ \t]*version:[ \t]*(?=/)")

# Leftmost-longest, as POSIX awk's match() finds a match.
_OPTIONS = re2.Options()
for _name in ("encoding", "dot_nl", "log_errors", "max_mem"):
    setattr(_OPTIONS, _name, getattr(ere.OPTIONS, _name))
_OPTIONS.longest_match = True


class VersionRule:
    """A pattern's version annotation, read and compiled."""

    def __init__(self, context, version, where):
        self.context, self.version, self.where = context, version, where
        for name, regex in (("CONTEXT", context), ("VERSION", version)):
            if ere.may_match_empty(regex):
                raise ere.RegexError(f"the version's {name} regex matches the empty string")
        if ere.has_anchor(version):
            raise ere.RegexError("the version's VERSION regex has an anchor; it is matched "
                                 "where CONTEXT ends")
        try:
            self._context = re2.compile(ere.translate(context, ere.TEXT), _OPTIONS)
            self._version = re2.compile(ere.translate(version, ere.TEXT), _OPTIONS)
        except re2.error:
            raise ere.RegexError("the version's regexes are too large for the matching "
                                 "engine") from None
        self.awk_context = awkere.awk_regex(context)
        self.awk_version = awkere.awk_regex(version)

    def take(self, text):
        """The version in a host's text (bytes), or b"" if it gives none."""
        found = self._context.search(text)
        if found is None:
            return b""
        version = self._version.match(text, found.end())
        return b"" if version is None else version.group()

    def awk_action(self):
        """awk statements that set `version` to what take() gives for $0."""
        return (b'version = ""; if (match($0, /' + self.awk_context + b'/)) { '
                b'version = substr($0, RSTART + RLENGTH); '
                b'if (match(version, /^(' + self.awk_version + b')/)) '
                b'version = substr(version, 1, RLENGTH); else version = "" }')


def read_annotation(line, closing_slash):
    """The (CONTEXT, VERSION) regexes of an annotation line (bytes), or None
    if the line is not one.  `closing_slash(text, column)` finds the `/`
    that ends the regex opened at text[0], as for a pattern line."""
    start = ANNOTATION.match(line)
    if start is None:
        return None
    regexes = []
    rest = line[start.end():]
    for name in ("CONTEXT", "VERSION"):
        if not rest.startswith(b"/"):
            raise ValueError(f"a version annotation is /CONTEXT/ /VERSION/: no {name} regex")
        end = closing_slash(rest, len(line) - len(rest))
        regexes.append(rest[1:end])
        rest = rest[end + 1:]
        if name == "CONTEXT" and rest[:1] not in (b"", b" ", b"\t"):
            raise ValueError("a version annotation is /CONTEXT/ /VERSION/, a space between")
        rest = rest.lstrip(b" \t")
    if rest and not rest.startswith(b"#"):
        raise ValueError("text after a version annotation's /VERSION/")
    return tuple(regexes)
