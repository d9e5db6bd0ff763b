"""What smtpprobe must write of the servers of a world: lines that keep the
record contract whatever a server sent (`complaints`), each what its
server's behaviour must come out as (`surprises`)."""

import ipaddress

from mxsurvey import record

from . import generate
from .hostile import (CODE_PER_LINE, CONTINUATION, CONTINUATIONS, DEAF, DRIP, ENDLESS_HELP,
                      FLOOD, FLOOD_CHUNK, GARBAGE, HANGUP_AFTER_GREETING, HANGUP_ON_HELP,
                      HELP_CONTINUATION, PARTIAL_HELP, RESET_MID_REPLY, TARPIT, drip_bytes)

_PRINTABLE = bytes(range(0x20, 0x7F))


def probe_command(port, read_timeout, deadline, concurrency, max_bytes=16384):
    """smtpprobe's command line for a world on loopback (which the default
    blocklist holds)."""
    return ["smtpprobe", "--blocklist", "/dev/null", "--port", str(port), "--rate", "0", "--concurrency", str(concurrency),
            "--connect-timeout", f"{read_timeout:g}", "--read-timeout", f"{read_timeout:g}",
            "--deadline", f"{deadline:g}", "--max-bytes", str(max_bytes)]




def complaints(line, max_bytes):
    """How a smtpprobe output line breaks the contract; [] if it keeps it."""
    fields = line.split(b"\t")
    if len(fields) < 3:
        return [f"{len(fields)} fields"]
    found = [f"field {number} not printable ASCII" for number, field in enumerate(fields, 1)
             if field.translate(None, _PRINTABLE)]
    address, status, transcript = fields[:3]
    try:
        if str(ipaddress.ip_address(address.decode("ascii"))).encode() != address:
            found.append("address not canonical")
    except ValueError:
        found.append("not an address")
    if status.decode("ascii", "replace") not in record.STATUSES:
        found.append(f"unknown status {status!r}")
    try:
        data, notes = record.unescape(transcript)
    except record.BadEscape as error:
        return found + [str(error)]
    found += [f"unknown note {word}" for word in notes if word not in record.NOTES]
    if len(notes) > 1:
        found.append(f"notes {notes}")
    if len(data) > max_bytes:
        found.append(f"{len(data)} bytes recorded, more than {max_bytes}")
    if "cut" in notes and len(data) != max_bytes:
        found.append(f"cut at {len(data)} bytes, not {max_bytes}")
    return found


def outcome(server, max_bytes):
    """What smtpprobe must write of `server`, with a read timeout of more
    than DRIP_INTERVAL: (status, transcript bytes or a test of them, the
    notes allowed)."""
    behaviour = server.behaviour

    def capped(data):
        if len(data) >= max_bytes:
            return "ok", data[:max_bytes], {("cut",)}
        return "ok", data, {()}

    if behaviour in (generate.GREET, GARBAGE, CODE_PER_LINE):
        return capped(server.greeting + server.help + server.quit)
    if behaviour == FLOOD:
        return capped(b"220 " + FLOOD_CHUNK * (max_bytes // len(FLOOD_CHUNK) + 1))
    if behaviour == CONTINUATIONS:
        return capped(CONTINUATION * (max_bytes // len(CONTINUATION) + 1))
    if behaviour == ENDLESS_HELP:
        return capped(server.greeting + HELP_CONTINUATION * (max_bytes // len(HELP_CONTINUATION)
                                                              + 1))
    if behaviour == DRIP:
        return "ok", lambda data: 0 < len(data) and data == drip_bytes(0, len(data)), {
            ("deadline",)}
    if behaviour == DEAF:
        return "ok", server.greeting, {("timeout",)}
    if behaviour == HANGUP_AFTER_GREETING:
        # The HELP written after the server closed may draw a reset first.
        return "ok", server.greeting, {("closed",), ("reset",)}
    if behaviour == HANGUP_ON_HELP:
        return "ok", server.greeting, {("closed",)}
    if behaviour == RESET_MID_REPLY:
        return "ok", server.greeting + PARTIAL_HELP, {("reset",)}
    if behaviour in (TARPIT, generate.SILENT):
        return "timeout", b"", {("timeout",)}
    if behaviour == "disconnect":
        return "disconnect", b"", {("closed",), ("reset",)}
    if behaviour == "refuse":
        return "refused", b"", {()}
    raise ValueError(behaviour)


def surprises(line, server, max_bytes):
    """How a line differs from what `server` must come out as; [] if not."""
    fields = line.split(b"\t")
    status = fields[1].decode()
    data, notes = record.unescape(fields[2])
    want_status, want_data, want_notes = outcome(server, max_bytes)
    found = []
    if status != want_status:
        found.append(f"status {status}, not {want_status}")
    if callable(want_data) and not want_data(data) or (
            not callable(want_data) and data != want_data):
        found.append(f"transcript {data[:80]!r}... ({len(data)} bytes)")
    if notes not in want_notes:
        found.append(f"notes {notes}, not one of {sorted(want_notes)}")
    return found
