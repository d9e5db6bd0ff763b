"""The survey of today's world: today's pipe,

    mxlookup -6 < domains | smtpprobe --ehlo NAME --ca-file ca.crt
        | mtaguess -f patterns-2026.awk | tee guessed | tally

and its check: every address's record (in `guessed`, mtaguess's lines)
against what the world configured (today.truth), field by field, and the
report's table against the world's table.
"""

from mxsurvey import record

from . import today
from .survey import TOTAL, Stage, Survey, table_rows

LABEL_FIELD = "LABEL"
SHOWN_DIFFERENCES = 20


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
    expected = failures + labels
    got = table_rows(report)
    totals = [int(number) for number in TOTAL.findall(report)]
    speaking = sum(count for _, count in labels)
    wanted_totals = [len(world.servers), speaking]
    if got == expected and totals == wanted_totals:
        lines.append(f"The table is the world's truth, row for row ({len(expected)} rows).")
    else:
        lines.append("The table differs from the world's truth:")
        if totals != wanted_totals:
            lines.append(f"  totals: expected {wanted_totals}, got {totals}")
        lines += [f"  expected {count:7d} {label}" for label, count in expected
                  if (label, count) not in got]
        lines += [f"  got      {count:7d} {label}" for label, count in got
                  if (label, count) not in expected]
    return lines, not wrong and got == expected and totals == wanted_totals
