"""The translation of POSIX awk extended regular expressions into RE2 syntax.

A pattern file's regex is matched anywhere in a host's text with bytes as
characters (awk under LC_ALL=C).  It is translated into RE2 syntax for
Latin-1 encoding (OPTIONS), so that a character is a byte: for a joined text
(text_element), or for a transcript field of the common form
(field_element, record.common_forms), which is then matched as it stands,
without being unescaped and joined first.

Where the awks and POSIX leave a construct open, the translation follows
gawk's reading of it (`*` at the start of a regex is a literal, `()`
matches the empty string); where no reading is safe (a repetition of `^` or
`$`, an escape such as `\\y` that gawk and mawk read differently) the
regex is refused, so that a pattern file means the same to mtaguess and to
every awk.  mtaguess --awk writes each regex again from what it means
(awkere), in a form that every awk reads so.
"""

import functools
import re

import re2

from . import record

# The RE2 options the translation is written for: bytes as characters, `.`
# across every byte; errors raised to the caller, not logged by RE2 itself;
# room for large pattern lists.
OPTIONS = re2.Options()
OPTIONS.encoding = re2.Options.Encoding.LATIN1
OPTIONS.dot_nl = True
OPTIONS.log_errors = False
OPTIONS.max_mem = 64 << 20


class RegexError(ValueError):
    """An awk regex that cannot be translated faithfully."""


# awk's escapes, which stand for one byte in a regex as in a string; `\b` is
# a backspace in awk, not a word boundary.
_AWK_ESCAPES = {
    ord("\\"): 0x5C, ord("/"): 0x2F, ord('"'): 0x22, ord("a"): 0x07, ord("b"): 0x08,
    ord("f"): 0x0C, ord("n"): 0x0A, ord("r"): 0x0D, ord("t"): 0x09, ord("v"): 0x0B,
}
_OCTAL = b"01234567"
_REPEAT_MAX = 1000  # RE2's limit; gawk allows up to 32767

# The character classes in the C locale, as byte sets.
_CLASSES = {
    b"alpha": set(range(0x41, 0x5B)) | set(range(0x61, 0x7B)),
    b"digit": set(range(0x30, 0x3A)),
    b"upper": set(range(0x41, 0x5B)),
    b"lower": set(range(0x61, 0x7B)),
    b"space": {0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D},
    b"blank": {0x20, 0x09},
    b"punct": {b for b in range(0x21, 0x7F) if not chr(b).isalnum()},
    b"print": set(range(0x20, 0x7F)),
    b"graph": set(range(0x21, 0x7F)),
    b"cntrl": set(range(0x00, 0x20)) | {0x7F},
    b"xdigit": set(b"0123456789ABCDEFabcdef"),
}
_CLASSES[b"alnum"] = _CLASSES[b"alpha"] | _CLASSES[b"digit"]

_ALL_BYTES = frozenset(range(256))
_BARE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")
NEVER = b"[^\\x00-\\xff]"  # a class no byte is in


def translate(regex, syntax, anchors=True):
    """An awk ERE (bytes) written in `syntax`: TEXT or FIELD (RE2 syntax, for
    Latin-1 matching), or another with the same methods.  Without
    `anchors`, `^` and `$` are left out: the result matches wherever the
    regex does, and maybe elsewhere.
    """
    return _Translator(regex, syntax, anchors).alternation()


class RE2Syntax:
    """How a regex is written in RE2 syntax; `element(byte_set)` writes what
    matches one byte of the text: a literal, `.` or a bracket expression."""

    def __init__(self, element):
        self.element = element

    @staticmethod
    def group(inner):
        return b"(?:" + inner + b")"

    @staticmethod
    def repeat(piece, low, high, may_be_empty):
        """`piece` from `low` to `high` times (None: no bound);
        `may_be_empty`: whether the piece matches the empty string
        wherever it is tried."""
        operator = _OPERATORS.get((low, high)) or (
            b"{%d,}" % low if high is None else b"{%d,%d}" % (low, high))
        return b"(?:" + piece + b")" + operator

    @staticmethod
    def alternatives(branches, may_be_empty):
        """The branches as alternatives; may_be_empty[i]: whether branch i
        matches the empty string wherever it is tried."""
        return b"|".join(branches)


_OPERATORS = {(0, None): b"*", (1, None): b"+", (0, 1): b"?"}


def _literal(byte):
    return bytes([byte]) if byte in _BARE else b"\\x%02x" % byte


def text_element(members):
    """RE2 for one byte of a joined text that is in the set `members`."""
    if len(members) == len(_ALL_BYTES):
        return b"."  # any byte: Latin-1 and dot_nl
    if len(members) == 1:
        return _literal(next(iter(members)))
    if not members:
        return NEVER
    runs = []
    for byte in sorted(members):
        if runs and runs[-1][1] == byte - 1:
            runs[-1][1] = byte
        else:
            runs.append([byte, byte])
    return b"[" + b"".join(b"\\x%02x" % low if low == high else b"\\x%02x-\\x%02x" % (low, high)
                           for low, high in runs) + b"]"


# The step notes of today's dialogue, any number of them: a line break
# followed by them is one space of the joined text, as a line break alone.
_STEP_NOTES = b"(?:" + b"|".join(
    b"".join(map(_literal, record.note(step))) for step in record.STEPS) + b")*"


def _form(form):
    written = b"".join(map(_literal, form))
    return written + _STEP_NOTES if form == record.ESCAPED_LINE_END else written


def field_element(members):
    """RE2 for one byte of a joined text that is in the set `members`, as it
    is written in a transcript field of the common form."""
    forms = {form for byte in members for form in record.common_forms(byte)}
    single = {form[0] for form in forms if len(form) == 1}
    longer = sorted(form for form in forms if len(form) > 1)
    choices = ([text_element(single)] if single else []) + [_form(form) for form in longer]
    if not choices:
        return NEVER
    return choices[0] if len(choices) == 1 else b"(?:" + b"|".join(choices) + b")"


TEXT = RE2Syntax(text_element)    # for a joined text
FIELD = RE2Syntax(field_element)  # for a transcript field of the common form


# A common field is a string of the forms of its text's bytes.  A translated
# regex must start matching where a form starts (so that `n` does not match
# inside a `\r\n`), hence the forms that run ahead of it from the start.
_FIELD_FORM = field_element(_ALL_BYTES)
COMMON_FIELD = b"^(?:" + _FIELD_FORM + b")*$"


def field_pattern(field_syntax):
    """A regex translated with field_element, made to start on a form."""
    return b"^(?:" + _FIELD_FORM + b")*(?:" + field_syntax + b")"


# A whole smtpprobe line can be matched too, which spares splitting it: the
# fields before the transcript are skipped, and every form is printable, so
# none runs past the TAB that ends the transcript.  A transcript of the
# common form that ends with an escaped line end is matched as it stands;
# a regex must not reach into that line end (it is removed before a field
# is matched), which only one that may end on a space could do.
_LINE_END = b"".join(map(_literal, record.ESCAPED_LINE_END))
_FIELD_END = b"(?:\\x09|$)"


# A whole line as smtpprobe writes it, from its first byte to its last: one
# that a match of the other line patterns may be taken for.
PROBE_LINE = b"^" + record.PROBE_LINE_SYNTAX + b"$"
_STATUS_FIELD = b"\\x09(?:%s)\\x09"  # around the statuses, `|`-separated


def line_start(status):
    """RE2 for the start of a smtpprobe line with `status` (bytes), up to
    its transcript."""
    assert record.TRANSCRIPT == record.STATUS + 1
    return (b"^(?:[^\\x09]*\\x09){%d}" % record.STATUS
            + b"".join(map(_literal, status)) + b"\\x09")


def common_line(statuses, ok):
    """RE2 for a line as smtpprobe writes it (PROBE_LINE) whose transcript
    has the common form and ends with an escaped line end, or, for a status
    other than `ok`, is empty."""
    assert (record.ADDRESS, record.STATUS, record.TRANSCRIPT) == (0, 1, 2)
    forms = b"(?:" + _FIELD_FORM + b")*" + _LINE_END
    return (b"^" + record.ADDRESS_SYNTAX + b"(?:"
            + _STATUS_FIELD % b"|".join(b"".join(map(_literal, status)) for status in statuses)
            + b"(?:" + forms + b")?|" + _STATUS_FIELD % b"".join(map(_literal, ok)) + forms
            + b")" + record.OTHER_FIELDS_SYNTAX + b"$")


def line_pattern(status, regex):
    """RE2 for a smtpprobe line with `status` whose transcript, if it is
    common, has a text that an awk ERE (bytes) matches; the regex is
    matched without its anchors (`^`, `$`)."""
    syntax = (line_start(status) + b"(?:" + _FIELD_FORM + b")*(?:"
              + translate(regex, FIELD, anchors=False) + b")")
    if may_end_on_space(regex):
        syntax += b"(?:" + _FIELD_FORM + b")*" + _LINE_END + _FIELD_END
    return syntax


def may_end_on_space(regex):
    """Whether a match of an awk ERE (bytes) may end with a byte that could
    be a space."""
    return _read(regex).facts[1]


def may_match_empty(regex):
    """Whether an awk ERE (bytes) matches the empty string somewhere."""
    return _read(regex).facts[0]


def has_anchor(regex):
    """Whether an awk ERE (bytes) has a `^` or `$` anchor."""
    return _read(regex).anchored


@functools.lru_cache(maxsize=4096)
def _read(regex):
    """The facts of a regex, read once however many are asked for."""
    translator = _Translator(regex, TEXT, anchors=True)
    translator.alternation()
    return translator


# The elements written so far, by syntax and byte set: a list of several
# hundred patterns writes the same few bytes and classes again and again.
_ELEMENTS = {}


class _Translator:
    """A recursive-descent reading of one awk ERE, writing it in a syntax."""

    def __init__(self, regex, syntax, anchors):
        self.regex = regex
        self.syntax = syntax
        self.anchors = anchors
        self.anchored = False  # whether a `^` or `$` was read
        # Of what was translated last: whether it matches the empty string,
        # and whether a match may end with a byte that could be a space.
        self.facts = (True, False)
        self.position = 0
        self.depth = 0

    def peek(self, offset=0):
        index = self.position + offset
        return self.regex[index] if index < len(self.regex) else None

    def fail(self, message):
        raise RegexError(f"{message} at byte {self.position + 1}")

    def alternation(self):
        branches, facts, anchored = [], [], []
        while True:
            branch, has_anchor = self.reading_anchors(self.branch)
            branches.append(branch)
            facts.append(self.facts)
            anchored.append(has_anchor)
            if self.peek() != ord("|"):
                break
            self.position += 1
        self.facts = (any(empty for empty, _ in facts), any(space for _, space in facts))
        return self.syntax.alternatives(branches, [
            empty and not has_anchor for (empty, _), has_anchor in zip(facts, anchored)])

    def reading_anchors(self, read):
        """What read() gives, and whether it read a `^` or `$`."""
        before, self.anchored = self.anchored, False
        result = read()
        inside = self.anchored
        self.anchored = before or inside
        return result, inside

    def branch(self):
        pieces, facts, anchored = [], [], []
        after_anchor = repeated = False
        while True:
            byte = self.peek()
            if byte is None or byte == ord("|") or (byte == ord(")") and self.depth):
                self.facts = (True, False)
                for empty, space in reversed(facts):  # from the end, past empty matches
                    self.facts = (self.facts[0] and empty,
                                  self.facts[1] or (self.facts[0] and space))
                return b"".join(pieces)
            # At the start of a branch `*+?{` are literals (gawk's reading).
            if pieces and byte in b"*+?{":
                start = self.position
                bounds = self.repetition()
                if bounds is not None:
                    if after_anchor:
                        self.position = start
                        self.fail("a repetition of ^ or $, which awks read differently")
                    low, high = bounds
                    if repeated:  # a repetition of a repetition: applied in turn
                        pieces[-1] = self.syntax.group(pieces[-1])
                    empty, space = facts[-1]
                    # (an anchor matches the empty string only where it holds)
                    pieces[-1] = self.syntax.repeat(pieces[-1], low, high,
                                                    empty and not anchored[-1])
                    repeated = True
                    facts[-1] = (empty or low == 0, space and high != 0)
                    continue
            (piece, after_anchor), has_anchor = self.reading_anchors(self.atom)
            repeated = False
            pieces.append(piece)
            facts.append(self.facts)
            anchored.append(has_anchor)

    def repetition(self):
        """The bounds (low, high or None) of the `*`, `+`, `?` or interval at
        the current position, or None for a `{` that is not an interval (a
        literal)."""
        byte = self.peek()
        if byte != ord("{"):
            self.position += 1
            return {ord("*"): (0, None), ord("+"): (1, None), ord("?"): (0, 1)}[byte]
        interval = re.match(rb"\{([0-9]*)(,([0-9]*))?\}", self.regex[self.position:])
        if not interval:  # `{ 2}`, `{2`, `{x}`: gawk reads a literal brace
            return None
        low, comma, high = interval.groups()
        if not low and not comma:
            self.fail("an empty interval {}")
        minimum = int(low or b"0")
        maximum = int(high) if high else (None if comma else minimum)
        if maximum is not None and minimum > maximum:
            self.fail(f"interval {{{minimum},{maximum}}} counts down")
        if max(minimum, maximum or 0) > _REPEAT_MAX:
            self.fail(f"repetition count above {_REPEAT_MAX}")
        self.position += interval.end()
        return minimum, maximum

    def atom(self):
        """One atom, written in the syntax, and whether it is an anchor."""
        byte = self.peek()
        self.position += 1
        if byte == ord("("):
            opening = self.position - 1
            self.depth += 1
            inner = self.alternation()
            if self.peek() != ord(")"):
                self.position = opening
                self.fail("unmatched (")
            self.position += 1
            self.depth -= 1
            return self.syntax.group(inner), False
        if byte in b"^$":
            self.anchored = True
            self.facts = (True, False)
            return (bytes([byte]) if self.anchors else b""), True
        if byte == ord("."):
            return self.byte_element(_ALL_BYTES), False
        if byte == ord("["):
            return self.byte_element(self.bracket()), False
        if byte == ord("\\"):
            return self.byte_element({self.escape()}), False
        return self.byte_element({byte}), False  # `)` outside a group is a literal, as in gawk

    def byte_element(self, members):
        self.facts = (False, 0x20 in members)
        key = (self.syntax.element, frozenset(members))
        written = _ELEMENTS.get(key)
        if written is None:
            written = _ELEMENTS[key] = self.syntax.element(members)
        return written

    def escape(self):
        """The byte an escape stands for; the backslash is already read."""
        byte = self.peek()
        if byte is None:
            self.fail("a trailing backslash")
        if byte in _OCTAL:
            digits = 1
            while digits < 3 and self.peek(digits) is not None and self.peek(digits) in _OCTAL:
                digits += 1
            value = int(self.regex[self.position:self.position + digits], 8)
            self.position += digits
            return value & 0xFF  # \400 wraps to \0 in both gawk and mawk
        self.position += 1
        if byte in _AWK_ESCAPES:
            return _AWK_ESCAPES[byte]
        if chr(byte).isalnum() or byte >= 0x80:
            self.position -= 1
            self.fail(f"\\{chr(byte)} is not an awk escape")
        return byte  # an escaped punctuation character stands for itself

    def bracket(self):
        """The byte set of a bracket expression; the `[` is already read."""
        opening = self.position - 1
        negated = self.peek() == ord("^")
        if negated:
            self.position += 1
        members = set()
        first = True
        while True:
            byte = self.peek()
            if byte is None:
                self.position = opening
                self.fail("unterminated bracket expression")
            if byte == ord("]") and not first:
                self.position += 1
                break
            if byte == ord("-") and not first and self.peek(1) not in (ord("]"), None):
                self.fail("a - that is neither first, last nor in a range")
            start = self.bracket_element()
            if isinstance(start, set):
                members |= start
            elif self.peek() == ord("-") and self.peek(1) not in (ord("]"), None):
                self.position += 1
                end = self.bracket_element()
                if isinstance(end, set):
                    self.fail("a class cannot end a range")
                if end < start:
                    self.fail("a range that counts down")
                members.update(range(start, end + 1))
            else:
                members.add(start)
            first = False
        return _ALL_BYTES - members if negated else members

    def bracket_element(self):
        """A byte, or a set for a class such as [:alpha:]."""
        byte = self.peek()
        if byte == ord("[") and self.peek(1) in (ord(":"), ord("."), ord("=")):
            kind = bytes([self.peek(1)])
            close = self.regex.find(kind + b"]", self.position + 2)
            if close < 0:
                self.fail(f"unterminated [{kind.decode()}")
            name = self.regex[self.position + 2:close]
            if kind == b":":
                if name not in _CLASSES:
                    self.fail(f"unknown class [:{name.decode('utf-8', 'replace')}:]")
                self.position = close + 2
                return _CLASSES[name]
            if len(name) != 1:  # the C locale has no multi-character elements
                self.fail(f"[{kind.decode()}{name.decode('utf-8', 'replace')}"
                          f"{kind.decode()}] is not one character")
            self.position = close + 2
            # [.c.] is the byte c; [=c=] is a class of one, not a range end.
            return {name[0]} if kind == b"=" else name[0]
        self.position += 1
        if byte == ord("\\"):
            return self.escape()
        return byte
