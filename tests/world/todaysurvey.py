"""The survey of today's world: today's pipe,

    mxlookup -6 < domains | smtpprobe --ehlo NAME --ca-file ca.crt
        | mtaguess -f patterns-2026.awk | tee guessed | tally

and its check: every address's record (in `guessed`, mtaguess's lines)
against what the world configured (today.truth), field by field, the
report's table against the world's table, and the report's sections of
today's facts against the counts of the world's truth.
"""

import collections

from mxsurvey import record

from . import today
from .survey import Stage, Survey, compare_table

LABEL_FIELD = "LABEL"
SHOWN_DIFFERENCES = 20
# The sections of today's facts that the world's truth counts: a heading's
# words before its parenthesis, and the field of the truth it counts.
SECTIONS = {"Greeting used": "HELLO", "STARTTLS offered": "STARTTLS_OFFERED",
            "STARTTLS outcome": "STARTTLS", "TLS versions": "TLS_VERSION",
            "Certificate validation": "VALIDATION"}


class TodaySurvey(Survey):
    def pipe(self, dns, reach):
        return [
            Stage(["mxlookup", "-6", "--server", dns, "--failed", self.path("failed")], "domains"),
            Stage(["smtpprobe", *reach, "--ehlo", today.CLIENT_NAME,
                   "--ca-file", self.path("ca.crt")], "addresses"),
            Stage(["mtaguess", "-f", "patterns-2026.awk"], "transcripts"),
            Stage(["tee", self.path("guessed")], "lines"),
            Stage(["tally"], "labels"),
        ]


def records(path):
    """ADDRESS -> {field name: text} of mtaguess's lines of today's records."""
    found = {}
    with open(path, encoding="ascii", errors="replace") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            named = dict(zip((LABEL_FIELD, *record.TODAY), fields))
            if len(fields) != 1 + len(record.TODAY):
                named = {LABEL_FIELD: f"a line of {len(fields)} fields"}
            found[fields[1] if len(fields) > 1 else line] = named
    return found


def differences(found, world):
    """How the records differ from the world's truth, one line each."""
    lines = []
    for server in world.servers:
        got = found.pop(server.address, None)
        if got is None:
            lines.append(f"  {server.address}: no record")
            continue
        for name, wanted in server.today["truth"].items():
            if got.get(name) != wanted:
                lines.append(f"  {server.address} ({server.today['kind']}): {name} is "
                             f"{got.get(name)!r}, the world's is {wanted!r}")
    lines += [f"  {address}: an address not of the world" for address in found]
    return lines


def compare(report, guessed_path, world):
    """Lines saying whether the records and the table are the world's
    truth, and a verdict."""
    wrong = differences(records(guessed_path), world)
    checked = sum(len(server.today["truth"]) for server in world.servers)
    if wrong:
        lines = [f"{len(wrong)} of the records' {checked} checked fields are not the world's:"]
        lines += wrong[:SHOWN_DIFFERENCES]
        if len(wrong) > SHOWN_DIFFERENCES:
            lines.append(f"  and {len(wrong) - SHOWN_DIFFERENCES} more")
    else:
        lines = [f"Every address's record is the world's truth ({len(world.servers)} addresses, "
                 f"{checked} fields: label, status, HELLO, STARTTLS, TLS_VERSION, VALIDATION, "
                 "CERT_SHA256...)."]
    failures, labels = world.truth()
    table, sections = split(report)
    speaking = sum(count for _, count in labels)
    said, table_same = compare_table(table, failures + labels, [len(world.servers), speaking],
                                     "the world's truth")
    lines += said
    sections_wrong = section_differences(sections, world)
    if sections_wrong:
        lines.append("The sections of today's facts differ from the world's truth:")
        lines += sections_wrong
    else:
        lines.append(f"The sections of {', '.join(SECTIONS)} are the world's truth.")
    return lines, not wrong and table_same and not sections_wrong


def split(report):
    """The report's 1998 table (up to the first heading of today's facts)
    and its sections of today's facts, heading words -> [(label, count)]."""
    table, sections, rows = [], {}, None
    for line in report.splitlines():
        heading = line.split(" (", 1)[0].rstrip(":")
        if line.endswith(":") and heading not in ("Reasons for connection failures",
                                                  "Server software tallies"):
            rows = sections.setdefault(heading, [])
        elif rows is None:
            table.append(line)
        elif line.strip():
            count, label = line.split(None, 1)
            rows.append((label, int(count)))
    return "\n".join(table) + "\n", sections


def section_differences(sections, world):
    """How each of SECTIONS differs from the counts of the world's truth."""
    lines = []
    for heading, field in SECTIONS.items():
        wanted = collections.Counter()
        for server in world.servers:
            for word in server.today["truth"].get(field, "").split(","):
                if word and server.today["truth"]["STATUS"] == "ok":
                    wanted[word] += 1
        got = collections.Counter(dict(sections.get(heading, [])))
        if got != wanted:
            lines.append(f"  {heading}: expected {dict(sorted(wanted.items()))}, "
                         f"got {dict(sorted(got.items()))}")
    return lines
