"""The record format: escaping round-trips every byte string, notes never
collide with bytes, and anything escape() could not write is rejected."""

import ipaddress
import re

import pytest
from hypothesis import given, settings, strategies as st

from mxsurvey import record

PRINTABLE_FIELD = re.compile(rb"[\x20-\x7e]*\Z")


@given(st.binary(max_size=400))
def test_escape_round_trips_every_byte_string(data):
    field = record.escape(data)
    assert PRINTABLE_FIELD.match(field)
    assert record.unescape(field) == (data, ())


@given(st.binary(max_size=200), st.sampled_from(sorted(record.NOTES)))
def test_a_note_after_any_bytes_is_read_back_as_a_note(data, word):
    assert record.unescape(record.escape(data) + record.note(word)) == (data, (word,))


def test_the_escapes_are_the_documented_ones():
    assert record.escape(b"a\\b\r\n\t\x00\x1b\x7f\xff ~") == (
        b"a\\\\b\\r\\n\\t\\x00\\x1b\\x7f\\xff ~")


def test_text_that_looks_like_a_note_stays_text():
    data = b"\\[cut]"  # a server may send this; it is escaped, not a note
    assert record.unescape(record.escape(data)) == (data, ())


@pytest.mark.parametrize("field", [
    b"\\", b"abc\\", b"\\q", b"\\x4", b"\\xg0", b"\\[", b"\\[cut", b"\\[]", b"\\[Cut]",
    b"tab\there", b"nul\x00", b"high\xff", b"cr\r"])
def test_what_escape_could_not_write_is_rejected(field):
    with pytest.raises(record.BadEscape):
        record.unescape(field)


@pytest.mark.parametrize("field, message", [
    (b"220 Sendmail\r", "raw control byte 0x0d at byte 13"),
    (b"tab\there", "raw control byte 0x09 at byte 4"),
    (b"nul\x00", "raw control byte 0x00 at byte 4"),
    (b"del\x7f", "raw control byte 0x7f at byte 4"),
    (b"high\xff", "raw byte 0xff at byte 5"),
    (b"abc\\q", "bad escape \\q at byte 4"),
    (b"\\qrs", "bad escape \\q at byte 1"),
    (b"\\x4", "bad escape \\x4 at byte 1"),
    (b"\\xg0 y", "bad escape \\xg0 at byte 1"),
    (b"a\\[Cut] b", "bad escape \\[Cut] at byte 2"),
    (b"a\\[cut", "bad escape \\[ at byte 2"),
    (b"abc\\", "lone backslash at byte 4"),
    (b"a\\ b", "lone backslash at byte 2"),
    (b"a\\\r", "lone backslash at byte 2"),
])
def test_a_bad_escape_is_named_as_it_stands_in_the_field(field, message):
    with pytest.raises(record.BadEscape) as raised:
        record.unescape(field)
    assert str(raised.value) == message


@given(st.binary(max_size=40))
def test_what_is_bad_is_named_by_the_bytes_at_its_offset(field):
    try:
        record.unescape(field)
    except record.BadEscape as error:
        message = str(error)
    else:
        return
    assert PRINTABLE_FIELD.match(message.encode())
    what, offset = message.rsplit(" at byte ", 1)
    bad = field[int(offset) - 1:]
    if what.startswith("raw "):
        assert what.endswith(f" 0x{bad[0]:02x}") and not PRINTABLE_FIELD.match(bad[:1])
    elif what.startswith("bad escape "):
        shown = what.removeprefix("bad escape ").encode()
        assert shown.startswith(b"\\") and bad.startswith(shown)
    else:
        assert what == "lone backslash" and bad.startswith(b"\\")


@pytest.mark.parametrize("data, text", [
    (b"", b""),
    (b"220 a\r\n", b"220 a"),
    (b"220-a\r\n220 b\r\n214 c\r\n", b"220-a 220 b 214 c"),
    (b"220 a\n214 b", b"220 a 214 b"),
    (b"220 a\r\n\r\n214 b\r\n", b"220 a  214 b"),
    (b"2\r2\r0", b"220"),
    (b"\n", b""),
    (b"\n\n", b" "),
])
def test_joined_text_is_the_record_awk_would_see(data, text):
    assert record.joined_text(data) == text


def test_every_failure_status_has_the_survey_wording():
    assert record.FAILURE_LABELS["timeout"] == "timed out"
    assert record.FAILURE_LABELS["refused"] == "connection refused"
    assert record.FAILURE_LABELS["hostunreach"] == "host unreachable"
    assert record.FAILURE_LABELS["netunreach"] == "network unreachable"
    assert record.FAILURE_LABELS["disconnect"] == "immediate disconnect"
    assert set(record.STATUSES) == {"ok", *record.FAILURE_LABELS}


@given(st.lists(st.tuples(st.sampled_from(sorted(record.STEPS)), st.binary(max_size=60)),
                max_size=8), st.binary(max_size=60), st.sampled_from(["", *sorted(record.NOTES)]))
def test_todays_transcript_reads_back_in_parts_and_its_text_is_every_reply(steps, greeting, end):
    """Step notes split a transcript into the replies of its commands; the
    patterns see every reply, in order, as lines of one record, a reply
    that did not end its last line ended there."""
    field = record.escape(greeting) + b"".join(
        record.note(step) + record.escape(data) for step, data in steps)
    field += record.note(end) if end else b""
    assert record.unescape_parts(field) == [(None, greeting), *steps]
    assert record.unescape(field)[0] == greeting + b"".join(data for _, data in steps)
    replies = [greeting] + [data for _, data in steps]
    lines = [line for reply in replies if reply
             for line in reply.replace(b"\r", b"").removesuffix(b"\n").split(b"\n")]
    assert record.transcript_text(field) == b" ".join(lines)


def test_items_escape_their_separator_and_nothing_else_new():
    assert record.escape_item(b"a,b\\c\td") == b"a\\x2cb\\\\c\\td"
    assert record.unescape(record.escape_item(b"a,b"))[0] == b"a,b"


# The lines smtpprobe writes, and nothing else -----------------------------------

def probe_address(address):
    """The address smtpprobe writes for one it reads: an IPv4-mapped one as
    the IPv4 address it holds."""
    return getattr(address, "ipv4_mapped", None) or address


PROBE_LINE = re.compile(record.PROBE_LINE_SYNTAX)
ANY_ADDRESS = st.one_of(st.ip_addresses(), st.ip_addresses(v=6).map(
    lambda address: ipaddress.IPv6Address(int(address) & ~0xFFFF_FFFF | 0xFFFF_0000_0000)))
OTHER_FIELDS = st.lists(st.binary(max_size=20).map(lambda data: data.replace(b"\t", b"")),
                        max_size=3).map(lambda fields: b"".join(b"\t" + field for field in fields))


@settings(max_examples=500)
@given(ANY_ADDRESS, st.sampled_from(record.STATUSES), st.binary(max_size=60),
       st.lists(st.sampled_from(sorted(record.NOTES) + ["eacces"]), max_size=2), OTHER_FIELDS)
def test_every_line_smtpprobe_writes_is_one_that_is_read(address, status, data, notes, rest):
    written = record.address_field(probe_address(address))
    transcript = record.escape(data) + b"".join(map(record.note, notes))
    line = record.probe_line(written, status, transcript, rest)
    assert record.probe_line_fault(line) is None
    assert PROBE_LINE.fullmatch(line)


@settings(max_examples=300)
@given(ANY_ADDRESS, st.sampled_from(record.STATUSES), st.binary(max_size=40),
       st.lists(st.tuples(st.sampled_from(sorted(record.STEPS)), st.binary(max_size=20)),
                max_size=4), OTHER_FIELDS,
       st.dictionaries(st.sampled_from(record.TODAY[6:]),
                       st.lists(st.binary(max_size=12), max_size=3), max_size=6))
def test_every_line_of_todays_dialogue_is_one_that_is_read(address, status, greeting, steps,
                                                           rest, facts):
    transcript = record.escape(greeting) + b"".join(
        record.note(step) + record.escape(data) for step, data in steps)
    line = record.today_line(record.address_field(probe_address(address)), status.encode(),
                             transcript, record.passed_on(rest),  # at most three fields
                             {name: record.items(map(record.escape_item, values))
                              for name, values in facts.items()})
    assert line.endswith(record.LF) and line.count(b"\t") == len(record.TODAY) - 1
    assert record.probe_line_fault(line[:-1]) is None
    assert PROBE_LINE.fullmatch(line[:-1])


@settings(max_examples=300)
@given(ANY_ADDRESS, st.sampled_from(["compressed", "exploded", "upper", "zeros", "mapped"]))
def test_an_address_is_read_only_as_smtpprobe_writes_it(address, spelling):
    canonical = str(probe_address(address))
    text = {"compressed": str(address), "exploded": address.exploded,
            "upper": str(address).upper(),
            "zeros": ".".join(f"{int(part):03d}" for part in str(address).split("."))
            if address.version == 4 else address.exploded,
            "mapped": f"::ffff:{address}" if address.version == 4 else str(address)}[spelling]
    line = text.encode() + b"\tok\t220 mx\\r\\n"
    fault = record.probe_line_fault(line)
    assert (fault is None) == (text == canonical), (text, fault)
    assert bool(PROBE_LINE.fullmatch(line)) == (text == canonical)
    if fault:
        assert fault == f"address '{text}' is not one as smtpprobe writes it"


@settings(max_examples=200)
@given(st.from_regex(re.compile(rb"\A" + record.ADDRESS_SYNTAX + rb"\Z")))
def test_whatever_is_read_as_an_address_is_the_address_smtpprobe_writes(text):
    address = ipaddress.ip_address(text.decode())
    assert record.address_field(probe_address(address)) == text


LINE_PARTS = [b"192.0.2.1", b"2001:db8::1", b"2001:DB8::1", b"010.0.0.1", b"fe80::1%eth0", b"x",
              b"\t", b"ok", b"timeout", b"OK", b"\\", b"\\r", b"\\x1b", b"\\[cut]", b"\\q",
              b"220 mx", b" ", b"\x1b", b"\r", b"\x00", b"\xff", b"\x7f", b"\\\\"]


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(LINE_PARTS), max_size=12).map(b"".join))
def test_a_line_is_faulted_exactly_when_its_syntax_does_not_match(line):
    assert (record.probe_line_fault(line) is None) == bool(PROBE_LINE.fullmatch(line))


@pytest.mark.parametrize("line, fault", [
    (b"192.0.2.1\tok", "fewer than 3 fields"),
    (b"192.0.2.1\x1b\tok\t220 x", "address '192.0.2.1\\x1b' is not one as smtpprobe writes it"),
    (b"sendmail\tok\t220 x", "address 'sendmail' is not one as smtpprobe writes it"),
    (b"\tok\t220 x", "address '' is not one as smtpprobe writes it"),
    (b"::ffff:192.0.2.1\tok\t", "address '::ffff:192.0.2.1' is not one as smtpprobe writes it"),
    (b"192.0.2.1\tok\r\t220 x", "unknown status 'ok\\r'"),
    (b"192.0.2.1\tok\t220 \\q", "transcript: bad escape \\q at byte 5"),
    (b"192.0.2.1\tok\t220 x\tmx\x1b[2J", "field 4: raw control byte 0x1b at byte 3"),
    (b"192.0.2.1\tok\t220 x\tmx\tex\rample", "field 5: raw control byte 0x0d at byte 3"),
    (b"192.0.2.1\tok\t220 x\t\t\x00", "field 5: raw control byte 0x00 at byte 1"),
    (b"192.0.2.1\tok\t220 x\t\xff", "field 4: raw byte 0xff at byte 1"),
])
def test_a_line_smtpprobe_could_not_have_written_is_named_by_its_first_fault(line, fault):
    assert record.probe_line_fault(line) == fault


def test_the_other_fields_keep_their_backslashes_as_smtpprobe_writes_them():
    # DNS's own escapes in a mxlookup line pass through smtpprobe unchanged
    line = b"192.0.2.1\tok\t220 x\\r\\n\tmx\\032a.example\tx\\.y.example\t10"
    assert record.probe_line_fault(line) is None
