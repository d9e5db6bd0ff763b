"""The record format: the one contract between the programs.

A record is one line of fields separated by one TAB.  No field holds a TAB,
CR, LF or any other control byte; a field that carries bytes from outside
(a server's transcript) is escaped so that it is printable ASCII and can be
turned back into the exact bytes:

    \\\\  a backslash        \\r  CR        \\n  LF        \\t  TAB
    \\xHH  any other byte outside 0x20-0x7E (two lower-case hex digits)

An escaped transcript may also carry notes about how the exchange ended,
`\\[WORD]`, which escaping of bytes never produces (a backslash is always
doubled), so notes and bytes cannot be confused.

The lines each program writes:

    mxlookup   ADDRESS  MXHOST  DOMAIN  PREFERENCE
    smtpprobe  ADDRESS  STATUS  TRANSCRIPT  [the input line's other fields]
    mtaguess   LABEL    [the smtpprobe line]

smtpprobe's today's dialogue (--ehlo) writes the fields of TODAY instead:
the 1998 fields in their places, mxlookup's three fields always (empty
when the input line had fewer), then the facts of EHLO and TLS at fixed
places, each counted as it stands by cut, awk and `tally --counts`.  Its
transcript marks where each command was sent with a step note (`\\[ehlo]`),
so the reply each command had is recoverable.

smtpprobe writes the 1998 lines with probe_line(), today's with
today_line(); probe_line_fault() says what, if anything, keeps a line from
being one that either writes (all after the transcript is printable ASCII),
so that a reader takes exactly the lines smtpprobe can write.
"""

import ipaddress
import re
import typing

TAB = b"\t"
LF = b"\n"

# Field positions in a smtpprobe line; mtaguess puts LABEL in front of them.
ADDRESS, STATUS, TRANSCRIPT = 0, 1, 2
LABEL = 0

# The probe statuses, each with the survey's wording of it, which mtaguess
# writes as the label of a probe that did not get a greeting.
OK = "ok"
FAILURE_LABELS = {
    "timeout": "timed out",
    "refused": "connection refused",
    "hostunreach": "host unreachable",
    "netunreach": "network unreachable",
    "disconnect": "immediate disconnect",
    "error": "other error",
    "excluded": "excluded",  # on the blocklist: not probed
}
STATUSES = (OK, *FAILURE_LABELS)

# The most bytes smtpprobe records from one server (its --max-bytes at most),
# so that a smtpprobe line has a bound that mtaguess can read whole.
MAX_RECORDED = 1 << 20


# The largest leaf certificate whose facts are recorded (DER bytes); a real
# one, even with a hundred names, is a few KiB.
MAX_CERTIFICATE = 1 << 16


# The address field: an address as smtpprobe writes it (address_field), one
# text for each address.  IPv4 in dotted decimal without leading zeros; IPv6
# as RFC 5952 writes it, as Python does: lower-case hex without leading
# zeros, the longest run of two or more zero groups (the first of equal
# ones) written `::`; never an IPv4-mapped address, which is written as the
# IPv4 address it holds.  The syntax is RE2's and Python's both.
_OCTET = rb"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = _OCTET + rb"(?:\." + _OCTET + rb"){3}"
_GROUP = rb"[1-9a-f][0-9a-f]{0,3}"  # a group other than 0
_GROUP_NOT_FFFF = (rb"(?:[1-9a-f][0-9a-f]{0,2}|[1-9a-e][0-9a-f]{3}|f[0-9a-e][0-9a-f]{2}"
                   rb"|ff[0-9a-e][0-9a-f]|fff[0-9a-e])")


def _ipv6_syntax():
    """The forms of the 256 ways the eight groups can be zero or not (the
    form is fixed by which are zero), as one tree of alternatives, so that
    a regex engine that backtracks never has more than one to try."""
    tree = {}
    for mask in range(256):
        zero = [mask >> (7 - index) & 1 == 1 for index in range(8)]
        groups = [b"0" if is_zero else _GROUP for is_zero in zero]
        if zero[:5] == [True] * 5 and not zero[5]:
            groups[5] = _GROUP_NOT_FFFF  # ::ffff:0:0/96 is IPv4-mapped
        start, length = None, 1
        for first in range(8):
            run = next((n for n in range(first, 8) if not zero[n]), 8) - first
            if run > length:
                start, length = first, run
        if start is None:
            tokens = _between(groups, b":")
        else:
            tokens = _between(groups[:start], b":") + [b"::"] + _between(
                groups[start + length:], b":")
        node = tree
        for token in tokens:
            node = node.setdefault(token, {})
        node[None] = {}  # a form ends here
    return _alternatives(tree)


def _between(items, separator):
    return [part for item in items for part in (separator, item)][1:]


def _alternatives(tree):
    branches = [token + _alternatives(subtree) for token, subtree in tree.items() if token]
    if not branches:
        return b""
    either = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
    return b"(?:" + either + b")?" if None in tree else either


ADDRESS_SYNTAX = b"(?:" + _IPV4 + b"|" + _ipv6_syntax() + b")"
# The fields smtpprobe writes after the transcript, TABs and all, as they
# follow it: those it passes on (printable_fields), and today's facts
# (escaped, or words of closed vocabularies).
OTHER_FIELDS_SYNTAX = rb"(?:\t[\t\x20-\x7e]*)?"


def address_field(address):
    """An address (an ipaddress object, not IPv4-mapped) as the first field
    of a smtpprobe line."""
    return str(address).encode("ascii")


def longest_probe_line(longest_input_line):
    """The longest line smtpprobe writes for input lines of at most the given
    length: every byte of the transcript and of the fields passed on may take
    four (\\xHH), and the address, the status and the notes take little.
    Today's facts add their keywords (from the transcript's bytes: `AUTH A B`
    is written `AUTH=A,AUTH=B`, less than four times as long) and the names
    of a certificate (its bytes, each taking four, and a comma between)."""
    return 4 * (MAX_RECORDED + longest_input_line) + 4 * MAX_RECORDED \
        + 3 * 5 * MAX_CERTIFICATE + 4096

# Notes an escaped transcript may end with.
NOTES = {
    "cut": "the reply reached the size cap; what followed was not read",
    "timeout": "the server stopped sending before the exchange was complete",
    "deadline": "the exchange ran out of its total time",
    "closed": "the server closed the connection before the exchange was complete",
    "reset": "the server reset the connection",
    "handshake": "the TLS handshake failed (its bytes are not recorded)",
}

# Step notes of today's dialogue: each stands where its command was sent,
# so what follows, up to the next step note, came after it.  The greeting
# comes before the first; `tls` stands where the TLS handshake ended, so
# what follows came inside TLS.
STEPS = {
    "ehlo": "EHLO NAME was sent",
    "helo": "HELO NAME was sent (EHLO was refused with 5xx)",
    "starttls": "STARTTLS was sent",
    "tls": "the TLS handshake was complete",
    "help": "HELP was sent",
    "quit": "QUIT was sent",
}

# Today's record (--ehlo): the fields, from 0, and what each holds.
TODAY = (
    "ADDRESS", "STATUS", "TRANSCRIPT", "MXHOST", "DOMAIN", "PREFERENCE",
    "BEGAN", "HELLO", "EXTENSIONS", "STARTTLS_OFFERED", "STARTTLS",
    "TLS_VERSION", "CIPHER", "TLS_EXTENSIONS",
    "CERT_CN", "CERT_SAN", "CERT_ISSUER", "CERT_NOT_BEFORE", "CERT_NOT_AFTER",
    "CERT_KEY", "CERT_SIGNATURE", "CERT_SHA256", "VALIDATION", "TLS_FAILURE",
)
PASSED_ON = 3  # MXHOST DOMAIN PREFERENCE: mxlookup's fields after ADDRESS
HELLO_WORDS = ("ehlo", "helo", "refused")
OFFERED_WORDS = ("yes", "no")
STARTTLS_WORDS = ("ok", "refused", "unanswered", "failed")
VALIDATION_WORDS = (
    "trusted", "expired", "not-yet-valid", "self-signed", "unknown-issuer",
    "name-mismatch", "invalid", "unparsable")
ITEM_SEPARATOR = b","
# Why a TLS handshake failed (STARTTLS `failed`): one word, and what it means.
TLS_FAILURE_WORDS = {
    "not-tls": "what came back was not TLS (an SMTP reply, HTTP, garbage)",
    "protocol-version": "no TLS version in common: the server's protocol_version alert, "
                        "or it chose one the client does not speak (SSL 3.0, SSL 2)",
    "handshake-failure": "the server's handshake_failure alert (as a rule, no cipher in common)",
    "alert": "another alert from the server (internal_error, unrecognized_name, ...)",
    "too-large": "a handshake message over the client's limit (a certificate chain "
                 "of more than 100 KiB)",
    "bad-certificate-message": "the server's Certificate message could not be read",
    "bad-message": "another message of the server broke the protocol "
                   "(unexpected, malformed, a bad signature)",
    "timeout": "the server stopped sending before the handshake was complete",
    "deadline": "the exchange ran out of its total time in the handshake",
    "closed": "the server closed the connection in the handshake",
    "reset": "the server reset the connection in the handshake",
    "error": "any other failure, which the client's TLS library did not name",
}


def today_line(address, status, transcript, passed, facts, further=b""):
    """A today's record: ADDRESS, STATUS and TRANSCRIPT (bytes, escaped),
    the three fields `passed` on (as passed_on gives them), the facts, a
    dict from the names of TODAY to their fields (bytes, escaped or of
    their closed vocabularies), empty where it has none, and after them the
    input line's `further` columns (as further_columns gives them)."""
    return (TAB.join([address, status, transcript, *passed]) + today_facts(facts)
            + further + LF)


def today_facts(facts):
    """The facts of a today's record after the fields passed on (as
    today_line takes them): a TAB and each fact at its place."""
    return TAB + TAB.join([facts.get(name, b"") for name in TODAY[3 + PASSED_ON:]])


def passed_on(rest):
    """The MXHOST, DOMAIN and PREFERENCE of an input line's other fields
    (its TAB-separated rest after ADDRESS, with the TAB in front), each
    empty where the line has fewer, as printable_fields writes them."""
    fields = rest[1:].split(TAB, PASSED_ON)[:PASSED_ON] if rest else []
    fields += [b""] * (PASSED_ON - len(fields))
    return [printable_fields(field) for field in fields]


def further_columns(rest):
    """The columns of an input line's other fields after mxlookup's three
    (a user's, which mxlookup passed on), with the TAB in front, as
    printable_fields writes them; empty if it has none.  Today's record
    writes them after its facts, so that each fact keeps its place."""
    fields = rest[1:].split(TAB, PASSED_ON) if rest else []
    return TAB + printable_fields(fields[PASSED_ON]) if len(fields) > PASSED_ON else b""


def escape_item(data):
    """Bytes from outside (a certificate's name) as one item of a field of
    several: as escape() writes them, and the separator `,` as \\x2c."""
    if not _ITEM_NEEDS_ESCAPE.search(data):
        return data
    return _ITEM_NEEDS_ESCAPE.sub(lambda match: _ITEM_ESCAPED[match.group()[0]], data)


def items(values):
    """A field of several values, each already escaped, joined by `,`."""
    return ITEM_SEPARATOR.join(values)

_PRINTABLE_RUN = rb"[\x20-\x5b\x5d-\x7e]"
_NEEDS_ESCAPE = re.compile(rb"[^\x20-\x5b\x5d-\x7e]")
_ESCAPED = [b"\\x%02x" % byte for byte in range(256)]
for _byte in range(0x20, 0x7F):
    _ESCAPED[_byte] = bytes([_byte])
_ESCAPED[ord("\\")] = b"\\\\"
_ESCAPED[ord("\r")] = b"\\r"
_ESCAPED[ord("\n")] = b"\\n"
_ESCAPED[ord("\t")] = b"\\t"

_ITEM_NEEDS_ESCAPE = re.compile(rb"[^\x20-\x2b\x2d-\x5b\x5d-\x7e]")
_ITEM_ESCAPED = list(_ESCAPED)
_ITEM_ESCAPED[ord(",")] = b"\\x2c"

# What follows the backslash of an escape: `x` and two hex digits, a letter,
# or a note's word in brackets.
_HEX = rb"[0-9a-fA-F]{2}"
_LETTER = rb"[\\rnt]"
_WORD = rb"[a-z][a-z0-9_-]*"
_TOKEN = re.compile(
    rb"(" + _PRINTABLE_RUN + rb"+)"      # 1: plain text
    rb"|\\x(" + _HEX + rb")"             # 2: a byte in hex
    rb"|\\(" + _LETTER + rb")"           # 3: a one-letter escape
    rb"|\\\[(" + _WORD + rb")\]"         # 4: a note
)
_LETTERS = {b"\\": b"\\", b"r": b"\r", b"n": b"\n", b"t": b"\t"}


def escape(data):
    """Bytes from outside as one printable-ASCII field."""
    if not _NEEDS_ESCAPE.search(data):
        return data
    return _NEEDS_ESCAPE.sub(lambda match: _ESCAPED[match.group()[0]], data)


def quoted(data, longest=60):
    """Bytes from outside, quoted for a message: escaped as escape() does,
    and cut after `longest` bytes, so that a message stays one short line
    of printable text."""
    shown = escape(data[:longest]).decode("ascii")
    return f"'{shown}...'" if len(data) > longest else f"'{shown}'"


_UNPRINTABLE = re.compile(rb"[^\x20-\x7e\t]")


def printable_fields(data):
    """Fields passed on from an input line, the TABs between them kept, with
    each byte outside printable ASCII written as escape() writes it.  The
    rest stands as it is, backslashes too: the names of a mxlookup line carry
    DNS's own escapes (`\\DDD`), and such a line passes unchanged."""
    if not _UNPRINTABLE.search(data):
        return data
    return _UNPRINTABLE.sub(lambda match: _ESCAPED[match.group()[0]], data)


_STATUS_FIELDS = {status: status.encode("ascii") for status in STATUSES}


def probe_line(address, status, transcript, rest):
    """A smtpprobe line, without its LF: an address_field(), a status, an
    escaped transcript, and the input line's fields after the address
    (`rest`, empty or starting with a TAB) as printable_fields() writes
    them."""
    return b"%s\t%s\t%s%s" % (address, _STATUS_FIELDS[status], transcript,
                                printable_fields(rest))


def note(word):
    """The escaped form of a note, to append to an escaped transcript."""
    return b"\\[" + word.encode("ascii") + b"]"


class BadEscape(ValueError):
    """A field that escape() could not have written."""


def unescape(field):
    """The exact bytes of an escaped field, and the notes it carries.

    Raises BadEscape, naming the offset, for anything escape() and note()
    could not have written.
    """
    parts, notes = _read_escaped(field)
    return b"".join(data for _, data in parts), notes


def unescape_parts(field):
    """The bytes of an escaped transcript in parts, each (step, bytes): the
    step note the part follows (None for what came before the first, the
    greeting), with the bytes up to the next step note.  Raises BadEscape as
    unescape does."""
    parts, _ = _read_escaped(field)
    return parts


def _read_escaped(field):
    if b"\\" not in field and not _NEEDS_ESCAPE.search(field):
        return [(None, field)], ()
    parts, data, notes = [], [], []
    step = None
    position = 0
    for match in _TOKEN.finditer(field):
        if match.start() != position:
            break
        position = match.end()
        text, hex_byte, letter, word = match.groups()
        if text is not None:
            data.append(text)
        elif hex_byte is not None:
            data.append(bytes([int(hex_byte, 16)]))
        elif letter is not None:
            data.append(_LETTERS[letter])
        else:
            word = word.decode("ascii")
            notes.append(word)
            if word in STEPS:
                parts.append((step, b"".join(data)))
                step, data = word, []
    if position != len(field):
        raise BadEscape(_what_is_bad(field, position))
    parts.append((step, b"".join(data)))
    return parts, tuple(notes)


# What a bad escape is shown as: the backslash and the printable bytes that
# make it up, never a byte that would itself need escaping.
_BAD_ESCAPE = re.compile(
    rb"\\(?:x[\x21-\x5b\x5d-\x7e]{0,2}|\[[\x21-\x5b\x5d-\x7e]{0,32}?\]|[\x21-\x5b\x5d-\x7e])")


def _what_is_bad(field, position):
    """The message for the byte of `field` at `position` that no token
    matched: a raw byte, or a backslash that starts no escape."""
    at = f"at byte {position + 1}"
    byte = field[position]
    if byte != ord("\\"):
        kind = "control byte" if byte < 0x20 or byte == 0x7F else "byte"
        return f"raw {kind} 0x{byte:02x} {at}"
    shown = _BAD_ESCAPE.match(field, position)
    if shown is None:
        return f"lone backslash {at}"
    return f"bad escape {shown.group().decode('ascii')} {at}"


# A whole line as smtpprobe writes it, in syntax that RE2 and Python both
# read: what probe_line_fault() checks field by field, for a reader that
# checks every line in one pass.
_ESCAPED_FIELD_SYNTAX = (rb"(?:" + _PRINTABLE_RUN + rb"|\\x" + _HEX + rb"|\\" + _LETTER
                         + rb"|\\\[" + _WORD + rb"\])*")
PROBE_LINE_SYNTAX = (ADDRESS_SYNTAX + b"\t(?:" + b"|".join(_STATUS_FIELDS.values()) + b")\t"
                     + _ESCAPED_FIELD_SYNTAX + OTHER_FIELDS_SYNTAX)
_ADDRESS = re.compile(ADDRESS_SYNTAX)


def probe_line_fault(line):
    """What keeps `line` (without its LF) from being a line that smtpprobe
    writes (probe_line, today_line), or None if nothing does."""
    fields = line.split(TAB, TRANSCRIPT + 1)
    if len(fields) <= TRANSCRIPT:
        return f"fewer than {TRANSCRIPT + 1} fields"
    if not _ADDRESS.fullmatch(fields[ADDRESS]):
        return f"address {quoted(fields[ADDRESS])} is not one as smtpprobe writes it"
    if fields[STATUS].decode("latin-1") not in STATUSES:
        return f"unknown status {quoted(fields[STATUS])}"
    try:
        unescape(fields[TRANSCRIPT])
    except BadEscape as error:
        return f"transcript: {error}"
    others = fields[TRANSCRIPT + 1].split(TAB) if len(fields) > TRANSCRIPT + 1 else []
    for number, field in enumerate(others, TRANSCRIPT + 2):
        bad = _UNPRINTABLE.search(field)
        if bad:
            return f"field {number}: " + _what_is_bad(field, bad.start())
    return None


def joined_text(data):
    """A transcript as awk would see one record: every CR removed, and the
    LF-separated lines joined by single spaces (a final LF ends the last
    line, it does not start an empty one)."""
    lines = data.replace(b"\r", b"").split(LF)
    if lines[-1] == b"":
        lines.pop()
    return b" ".join(lines)


# Most transcripts are printable ASCII lines ended by CRLF, with at most some
# TABs: their fields' only escapes are `\r\n` and `\t`.  Such a field
# with its last `\r\n` removed can be matched as it stands: each byte of
# its joined text is written in it in one of the ways common_forms names.
ESCAPED_LINE_END = b"\\r\\n"


def common_forms(byte):
    """The ways a byte of the joined text is written in a common field: a
    space also as the line break between two lines (which the step notes of
    today's dialogue may follow: ere writes them so); bytes that need
    escaping other than a TAB never occur there."""
    if byte == 0x20:
        return [b" ", ESCAPED_LINE_END]
    if byte == 0x09:
        return [b"\\t"]
    if _NEEDS_ESCAPE.match(bytes([byte])):
        return []
    return [bytes([byte])]


_NOTE = re.compile(rb"\\\[" + _WORD + rb"\]")


def toward_common_form(field):
    """A field with the joined text of `field`, without the notes at its end
    and with bare LF line ends written as CRLF: of the common form, if that
    is all `field` lacked.  Only a result of the common form is sure to be
    right (a `\\\\[x]` is not a note, nor a `\\\\n` an LF, but then the
    result has a `\\\\`, which the common form has not)."""
    while field.endswith(b"]"):
        start = field.rfind(b"\\[")
        if start < 0 or not _NOTE.fullmatch(field, start):
            break
        field = field[:start]
    if b"\\r" not in field:
        field = field.replace(b"\\n", ESCAPED_LINE_END)
    return field


def transcript_text(field):
    """The text of an escaped transcript as awk would see one record:
    everything the server said, in the order it came, a reply that did not
    end its last line ended there, and the notes left out.  For today's
    dialogue that is the greeting, the replies to EHLO (or HELO), STARTTLS
    and EHLO inside TLS, where many products name themselves, then the
    replies to HELP and QUIT; for 1998's, the greeting and the replies to
    HELP and QUIT, one part.  Raises BadEscape as unescape does."""
    return joined_text(b"".join(
        data if data.endswith(LF) or not data else data + LF
        for _, data in unescape_parts(field)))


def failure_label(status):
    """The survey's wording for a status other than ok, or None for ok."""
    return FAILURE_LABELS.get(status)


# Which stage wrote a line -----------------------------------------------------

# The programs in the order of the pipe; each reads what the one before writes.
PIPELINE = ("mxlookup", "smtpprobe", "mtaguess", "tally")
MERGE = "tally --merge"  # what reads tally's own outputs back


class LineKind(typing.NamedTuple):
    """What a line of the survey is (`smtpprobe's output (ADDRESS STATUS
    TRANSCRIPT)`) and the program that reads it."""
    what: str
    reader: str


# A top-level domain is never all digits: 256.1.1.1 is a bad address.
_DOMAIN = re.compile(rb"(?:[A-Za-z0-9_-]+\.)+[0-9_-]*[A-Za-z][A-Za-z0-9_-]*\.?")
_REPORT_LINE = re.compile(rb"(?:[0-9]+ addresses|# made by tally .*)")
_ROW_LINE = re.compile(rb" *[0-9]+ .+")


def what_is(line):
    """The LineKind of a line (without its LF) as one of the programs
    writes it, or as the first one reads it, or None if it looks like none.
    A program given a line of another kind can say what it was given and
    what to pipe it through (advice), instead of naming each line."""
    fields = line.split(TAB)
    statuses = {status.encode() for status in STATUSES}
    if len(fields) > 2 and fields[2] in statuses and _is_address(fields[1]):
        return LineKind("mtaguess's output (LABEL ADDRESS STATUS TRANSCRIPT)", "tally")
    if len(fields) > 1 and fields[1] in statuses and _is_address(fields[0]):
        return LineKind("smtpprobe's output (ADDRESS STATUS TRANSCRIPT)", "mtaguess")
    if len(fields) == 4 and _is_address(fields[0]) and fields[3].isdigit():
        return LineKind("mxlookup's output (ADDRESS MXHOST DOMAIN PREFERENCE)", "smtpprobe")
    if len(fields) > 1:
        return None
    if _is_address(line):
        return LineKind("a list of addresses (ADDRESS), smtpprobe's input", "smtpprobe")
    if _DOMAIN.fullmatch(line):
        return LineKind("a list of domains (DOMAIN), mxlookup's input", "mxlookup")
    if _REPORT_LINE.fullmatch(line):
        return LineKind("tally's report", MERGE)
    if _ROW_LINE.fullmatch(line):
        return LineKind("tally's rows (COUNT LABEL)", MERGE)
    return None


def advice(kind, program):
    """What to do with a line of `kind` given to `program`; None if it is
    what `program` reads."""
    if kind.reader == program:
        return None
    order = (*PIPELINE, MERGE)
    start, end = order.index(kind.reader), order.index(program)
    if start < end:
        return f"pipe it through {' | '.join(order[start:end])} first"
    return f"read it with {kind.reader}"


def _is_address(field):
    try:
        ipaddress.ip_address(field.decode("ascii"))
    except ValueError:
        return False
    return True
