"""tally --domains: the survey's report counted by domain, not by line.

Its input is `mxlookup --all | smtpprobe --every-line | mtaguess`: a line
for every domain, exchanger and address, each with the domain's DOMAIN and
the exchanger's PREFERENCE.  A domain is counted once, where its mail goes:

- under the label of its most preferred exchanger that answered (status
  `ok`): a sender tries the lowest preference first and delivers to the
  first that takes the mail, so a backup exchanger of other software does
  not count, nor does a first choice that could not be reached;
- if none answered, under the failure of its most preferred exchanger;
- where several lines share that preference (an exchanger's addresses, or
  exchangers of equal preference) and disagree, under the label most of
  them have, ties to the first label in byte order: one domain, one row.

The report is the survey's, with domains in place of addresses; its rows
still add up to its first line.  A domain's lines may come in any order
(smtpprobe writes them as exchanges end), so a domain is held until the
end: memory grows with the distinct domains, a few hundred bytes each.
"""

import collections
import re

from . import cli, fieldcount, record, tallyfiles

# The fields read, from 0, of a mtaguess line of mxlookup's fields.
LABEL, STATUS, DOMAIN, PREFERENCE = 0, 1 + record.STATUS, 1 + record.TRANSCRIPT + 2, \
    1 + record.TRANSCRIPT + 3
FIELDS_NEEDED = PREFERENCE + 1
OK = record.OK.encode()
STATUSES = frozenset(status.encode() for status in record.STATUSES)
HEADINGS = {False: (b"Reasons for connection failures:", b"Server software tallies:"),
            True: (b"Reasons for connection failures (% of domains):",
                   b"Server software tallies (% of domains reached):")}
_LINE = re.compile(rb"\n([^\n]*)")
_PREFERENCE = re.compile(rb"[0-9]{1,5}")


def count(ctx, paths, with_bom_dropped):
    """(failures, software): Counters of the domains by the label each is
    counted under.  Bad lines are named and left out."""
    best = {}  # domain -> [answered, preference, Counter of labels at it]
    for source, stream in cli.open_inputs(ctx, paths):
        lineno = 0
        for span in fieldcount.led_spans(with_bom_dropped(stream), FIELDS_NEEDED):
            if span is fieldcount.TOO_LONG:
                lineno += 1
                ctx.bad_line(source, lineno, fieldcount.too_long(FIELDS_NEEDED))
                continue
            for match in _LINE.finditer(span[0], span[1], span[2]):
                lineno += 1
                fields = match.group(1).removesuffix(b"\r").split(record.TAB, FIELDS_NEEDED)
                why = _problem(fields)
                if why:
                    ctx.bad_line(source, lineno, why)
                    continue
                _add(best, fields)
    failures, software = collections.Counter(), collections.Counter()
    for answered, _, labels in best.values():
        label = min(labels.items(), key=lambda item: (-item[1], item[0]))[0]
        (software if answered else failures)[label] += 1
    return failures, software


def _problem(fields):
    if len(fields) < FIELDS_NEEDED:
        return (f"fewer than {FIELDS_NEEDED} fields: no DOMAIN and PREFERENCE "
                "(--domains counts mxlookup --all | smtpprobe --every-line | mtaguess)")
    if fields[STATUS] not in STATUSES:
        return f"unknown status {record.quoted(fields[STATUS])}"
    if not fields[DOMAIN]:
        return "no DOMAIN"
    if not _PREFERENCE.fullmatch(fields[PREFERENCE]):
        return f"PREFERENCE is not a number: {record.quoted(fields[PREFERENCE])}"
    return None


def _add(best, fields):
    answered = fields[STATUS] == OK
    preference = int(fields[PREFERENCE])
    label = fields[LABEL] if answered else record.FAILURE_LABELS[
        fields[STATUS].decode("ascii")].encode("ascii")
    domain = fields[DOMAIN].lower()
    held = best.get(domain)
    # Better: an answer over a failure, then a lower preference.
    if held is None or (answered, -preference) > (held[0], -held[1]):
        best[domain] = [answered, preference, collections.Counter({label: 1})]
    elif (answered, preference) == (held[0], held[1]):
        held[2][label] += 1


def report(failures, software, percent):
    """The report of the domains' Counters, laid out as the survey's."""
    reached = sum(software.values())
    domains = reached + sum(failures.values())
    failures_heading, software_heading = HEADINGS[percent]
    return b"".join([
        b"%d domains\n" % domains,
        b"%d domains with a successful connection\n" % reached,
        record.LF, failures_heading, record.LF,
        tallyfiles.rows(failures, domains if percent else None),
        record.LF, software_heading, record.LF,
        tallyfiles.rows(software, reached if percent else None),
    ])
