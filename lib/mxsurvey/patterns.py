"""The pattern file: parsing, matching, and the awk program.

A pattern file is a list of lines

    /REGEX/ LABEL  # optional comment

ended by LF or CR LF, with blank lines and lines starting with `#` ignored.
REGEX ends at the first `/` that awk would end it at: not one escaped by a
backslash, nor one inside a bracket expression.  It is a POSIX awk extended
regular expression, matched anywhere in a host's text with bytes as
characters (awk under LC_ALL=C).  The first pattern in file order that
matches names the software.  LABEL is printable text (no control character,
no line or paragraph separator, no format character such as U+202E): it is
written out as it stands.

The regexes are translated into RE2 syntax with Latin-1 encoding (module
ere), so that a character is a byte, and matched all at once by an RE2 set:
one pass over the text, linear in its length whatever the patterns are.
Each regex is translated twice: for a joined text, and for a transcript
field of the common form (record.common_forms), which is then matched as it
stands, without being unescaped and joined first; and it is written again
for mtaguess --awk, in a form every awk reads alike (module awkere).
"""

import importlib.resources
import os
import re
from typing import NamedTuple

import re2

from . import awkere, ere, record, versions

NOT_SURE = "not sure"


class Pattern(NamedTuple):
    regex: bytes    # as written between the slashes
    label: str
    source: str     # the file it came from
    lineno: int
    text_syntax: bytes   # RE2, for a joined text
    field_syntax: bytes  # RE2, for a transcript field in its common form
    awk_syntax: bytes    # an awk ERE that every awk reads as mtaguess does
    version_rule: versions.VersionRule = None  # where its text gives the version

    @property
    def where(self):
        return f"{self.source}:{self.lineno}"


class PatternError(ValueError):
    """A pattern file that cannot be used; the text names FILE:LINE."""


# Reading a pattern file ----------------------------------------------------

_COMMENT = re.compile(rb"[ \t]#")
_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")


def default_patterns():
    """The path of the package's patterns.awk: pip installs a package as
    files.  In a checkout the package holds a link to the list at the top,
    and the list itself is named."""
    return os.path.realpath(importlib.resources.files(__package__) / "patterns.awk")


def pattern_file(name):
    """The file that `-f NAME` names: NAME as it stands, or, for a NAME
    with no slash that is not in the current directory, the file of that
    name beside the default patterns.awk if there is one there."""
    if "/" in name or os.path.exists(name):
        return name
    beside = os.path.join(os.path.dirname(default_patterns()), name)
    return beside if os.path.isfile(beside) else name


def read_files(paths):
    """The patterns of the named files, in order, as one list."""
    found = []
    for path in paths:
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except OSError as error:
            raise PatternError(f"cannot read {path}: {error.strerror}") from None
        found.extend(parse(data, path))
    return found


def parse(data, source):
    """The patterns in the bytes of a pattern file named `source`; a line
    ends with LF or CR LF.  A version annotation (module versions) goes
    with the next pattern line."""
    found = []
    rule = None  # a version annotation waiting for its pattern
    for lineno, line in enumerate(data.split(b"\n"), 1):
        line = line.removesuffix(b"\r")
        try:
            annotation = _version_rule(line, f"{source}:{lineno}")
            if annotation and rule:
                raise ValueError(f"a second version annotation; the one of {rule.where} "
                                 "has no pattern yet")
            rule = annotation or rule
            pattern = None if annotation else _parse_line(line, source, lineno)
        except ValueError as error:  # ere.RegexError too
            raise PatternError(f"{source}:{lineno}: {error}") from None
        if pattern:
            found.append(pattern._replace(version_rule=rule))
            rule = None
    if rule:
        raise PatternError(f"{rule.where}: a version annotation with no pattern after it")
    return found


def _version_rule(line, where):
    """The VersionRule of a version annotation line, or None."""
    regexes = versions.read_annotation(line, _closing_slash)
    for regex in regexes or ():
        control = _CONTROL.search(regex.replace(b"\t", b" "))
        if control:
            raise ValueError(f"control character 0x{control.group()[0]:02x} in the regex; "
                             "write it as an escape such as \\t or \\001")
    try:
        return regexes and versions.VersionRule(*regexes, where)
    except ere.RegexError as error:
        raise ere.RegexError(f"invalid version annotation: {error}") from None


def _parse_line(line, source, lineno):
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8: byte 0x{line[error.start]:02x} "
                         f"at column {error.start + 1}") from None
    text = line.lstrip(b" \t")
    if not text or text.startswith(b"#"):
        return None
    if not text.startswith(b"/"):
        raise ValueError("a pattern line starts with /REGEX/")
    end = _closing_slash(text, len(line) - len(text))
    regex, rest = text[1:end], text[end + 1:]
    control = _CONTROL.search(regex.replace(b"\t", b" "))
    if control:
        raise ValueError(f"control character 0x{control.group()[0]:02x} in the regex; "
                         "write it as an escape such as \\t or \\001")
    if rest and rest[:1] not in b" \t":
        raise ValueError("no space between the regex and the label")
    comment = _COMMENT.search(rest)
    label = (rest[:comment.start()] if comment else rest).strip(b" \t")
    if not label:
        raise ValueError("no label after the regex")
    control = _CONTROL.search(label)
    if control:
        raise ValueError(f"control character 0x{control.group()[0]:02x} in the label")
    label = label.decode("utf-8")
    # A label goes out raw: nothing in it may break a line or hide a text.
    unprintable = next((char for char in label if not char.isprintable()), None)
    if unprintable:
        raise ValueError(f"unprintable character U+{ord(unprintable):04X} in the label")
    return pattern(regex, label, source, lineno)


def pattern(regex, label, source, lineno):
    """A Pattern for an awk ERE (bytes); raises ere.RegexError if it is not
    one that mtaguess can match as awk would, and write for every awk."""
    try:
        text_syntax = ere.translate(regex, ere.TEXT)
        field_syntax = ere.field_pattern(ere.translate(regex, ere.FIELD))
        re2.compile(text_syntax, ere.OPTIONS)
    except ere.RegexError as error:
        raise ere.RegexError(f"invalid regex: {error}") from None
    except re2.error as error:
        reason = error.args[0].decode("utf-8", "replace") if error.args else "rejected"
        raise ere.RegexError(f"regex too large for the matching engine: {reason}") from None
    # Only now: RE2 has refused repetitions whose counts multiply past 1000,
    # so no regex written out here is much longer than the one read.
    awk_syntax = awkere.awk_regex(regex)
    return Pattern(regex, label, source, lineno, text_syntax, field_syntax, awk_syntax)


def _closing_slash(text, indent):
    """The index of the `/` that ends the regex opened at text[0] (column
    `indent` + 1 of its line), found as gawk and mawk find it: not one
    escaped by a backslash, nor one inside a bracket expression (`[/]`).  A
    bracket expression ends at a `]` that is not its first member, nor the
    end of a class `[:alpha:]` in it; `[.` and `[=` are not looked into, as
    the awks do not."""
    position, depth = 1, 0  # depth: the bracket expression, and a class in it
    while position < len(text):
        byte = text[position]
        position += 1
        if byte == 0x5C:  # a backslash escapes whatever follows, `/` included
            position += 1
        elif byte == 0x2F and not depth:
            return position - 1
        elif byte == 0x5B and not depth:
            depth, opening = 1, position
            position += text.startswith(b"^", position)
            position += text.startswith(b"]", position)  # a member, not the end
        elif byte == 0x5B and text.startswith(b":", position):
            depth += 1
        elif byte == 0x5D and depth:
            depth -= 1
    if depth and b"/" in text[opening:]:
        raise ValueError(f"the regex has no closing /: the [ at column {indent + opening} opens a "
                         "bracket expression, in which / is a character")
    raise ValueError("the regex has no closing /")


# Matching -------------------------------------------------------------------

class Matcher:
    """All the patterns of a list, matched in one pass over a text or over a
    transcript field in its common form.

    Each match function returns the indexes of every pattern that matches,
    in no order, and index `len(patterns)` for `not sure`, which every text
    matches, and every field of the common form (with its last line break
    removed); a field that is not of the common form does not match it.  So
    the first pattern that matches is the smallest index found.
    """

    def __init__(self, patterns):
        self.patterns = patterns
        self.nothing = len(patterns)  # `not sure` for a text, the common form for a field
        self.match_text = _match_all([p.text_syntax for p in patterns] + [b""])
        try:
            self.match_field = _match_all([p.field_syntax for p in patterns] + [ere.COMMON_FIELD])
        except PatternError:
            raise _too_large(patterns) or PatternError(
                "the patterns are too large to be matched together") from None
        # Whole smtpprobe lines (ere.line_pattern), which spares splitting
        # them: index k for a line with the k-th status of
        # record.FAILURE_LABELS, then, shifted by as many, the patterns' and
        # `not sure`'s indexes for a line with status ok; then `common_line`
        # for a line as smtpprobe writes it whose transcript can be matched
        # as it stands, and `probe_line` for any line as smtpprobe writes
        # it, so that no such line matches nothing.  Every regex of the set
        # is anchored at the start (`^`), so that matching stops where none
        # can match any more.  A line without `common_line` must be split
        # and matched as a field, if it has `probe_line`; so must one found
        # first by a pattern with an anchor, which is matched here without
        # it.  Patterns too large to be matched so are left out: every ok
        # line is then split and matched as a field.
        self.failures = [status.encode() for status in record.FAILURE_LABELS]
        shift = len(self.failures)
        self.common_line = shift + len(patterns) + 1
        self.probe_line = self.common_line + 1
        ok = record.OK.encode()
        starts = [ere.line_start(status) for status in self.failures]
        ends = [ere.line_start(ok), ere.common_line(self.failures, ok), ere.PROBE_LINE]
        try:
            self.match_line = _match_all(
                starts + [ere.line_pattern(ok, p.regex) for p in patterns] + ends)
        except (PatternError, re2.error):
            never = b"^" + ere.NEVER
            ends[1] = never
            self.match_line = _match_all(starts + [never] * len(patterns) + ends)
        self.anchored = frozenset(
            shift + index for index, p in enumerate(patterns) if ere.has_anchor(p.regex))

    def first(self, text):
        """The index of the first pattern that matches a text, or None."""
        first = min(self.match_text(text))
        return None if first == self.nothing else first


def _too_large(patterns):
    """A PatternError naming the first pattern whose field syntax RE2 refuses
    alone, or None.  Each is compiled only when the set of them fails: a
    list of hundreds is read without compiling each twice."""
    for pattern in patterns:
        try:
            re2.compile(pattern.field_syntax, ere.OPTIONS)
        except re2.error as error:
            reason = error.args[0].decode("utf-8", "replace") if error.args else "rejected"
            return PatternError(
                f"{pattern.where}: regex too large for the matching engine: {reason}")
    return None


def _match_all(syntaxes):
    regex_set = re2.Set.SearchSet(ere.OPTIONS)
    for syntax in syntaxes:
        regex_set.Add(syntax)
    try:
        regex_set.Compile()
    except re2.error:
        raise PatternError("the patterns are too large to be matched together") from None
    # The binding's own Match, without the wrapper's check for str.
    return regex_set._set.Match


# The awk program ------------------------------------------------------------

def awk_program(patterns, sources, versions=False):
    """An awk program that does what the pattern list read from `sources`
    does, one text per line; with `versions`, each label followed by a TAB
    and the version its pattern's annotation takes (module versions).

    Each regex is written as awkere writes it, so that every awk reads it
    as mtaguess does: as it stands in the pattern file where that is so.
    """
    lines = [
        b"# The pattern list of " + b", ".join(_comment_text(s) for s in sources)
        + b" as an awk program.",
        b"# Input: one text per line (all the server said, in order: CRs removed, lines",
        b"# joined by single spaces); output: the label of the first pattern that",
        b"# matches it, or \"" + NOT_SURE.encode() + b"\"" + (
            b", a TAB and the version it gives." if versions else b"."),
        b"# Run it with LC_ALL=C, so that awk matches bytes as mtaguess does:",
        b"#   LC_ALL=C awk -f THIS-FILE",
    ]
    for pattern in patterns:
        label = _awk_string(pattern.label)
        if not versions:
            action = b"print " + label
        elif pattern.version_rule:
            action = pattern.version_rule.awk_action() + b'; print ' + label + b' "\\t" version'
        else:
            action = b'print ' + label + b' "\\t"'
        lines.append(b"/" + pattern.awk_syntax + b"/ { " + action + b"; next }")
    lines.append(b"{ print " + _awk_string(NOT_SURE) + (b' "\\t"' if versions else b"") + b" }")
    return b"\n".join(lines) + b"\n"


def _awk_string(text):
    escaped = text.encode("utf-8").replace(b"\\", b"\\\\").replace(b'"', b'\\"')
    return b'"' + escaped + b'"'


def _comment_text(source):
    """A file name as it can stand in a comment line: on one line."""
    return _CONTROL.sub(b"?", source.encode("utf-8", "backslashreplace"))
