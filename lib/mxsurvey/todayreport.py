"""todayreport: the sections of tally's report that count the facts of
today's dialogue (smtpprobe --ehlo), after the 1998 ones.

They appear when the input holds a line of today's record (record.TODAY,
with mtaguess's LABEL in front), and the report's head says so
(reportfile.TODAY_IN_HEAD); lines of the 1998 dialogue give exactly the
1998 report.  Only the lines whose STATUS is ok are counted here.  Each
section is a heading that names what its rows are counted of, and the
number of it, then rows as the 1998 report writes them:

    Greeting used (of 280 servers that greeted):
        250 ehlo
         20 helo
    ...

With --percent each row's share is of the number in its heading.  In
most sections each server is counted in one row, so that the rows add up
to the heading's number; in the others (Section.total) a server may be
counted in several rows, or in none (a keyword it offers, a problem of
its certificate), and the heading says what the rows add up to:

    EHLO keywords (of 250 servers that answered EHLO; 1432 keywords offered):
  Sections whose values come from servers (keywords,
versions, ciphers, keys, issuers) hold at most MAX_DISTINCT of them; any
other value is counted in the row OTHERS, so that memory stays bounded
whatever the servers say.  An empty field is counted in the row NONE.

A report is read back strictly (reportfile reads the 1998 part and hands
each line after it to a Reader): every section in its place, its rows in
the order tally writes them, adding up to what its heading says, none over
its number, and the numbers that are one thing counted twice (the servers
that answered EHLO and the row `ehlo`, the servers with TLS and the row
`ok` of STARTTLS) equal.  So a row lost, repeated, changed or moved is
named; two rows of one count swapped between sections of the same words
(the keywords in clear and inside TLS) may pass unseen.
"""

import collections
import datetime
import functools
import re
from typing import NamedTuple

from . import record, tallyfiles

LF = record.LF
BadRow, shown = tallyfiles.BadRow, tallyfiles.shown

MAX_DISTINCT = 200
OTHERS = b"(others)"
NONE = b"(none)"
# The issuer row of a self-signed certificate: its issuer is itself, a name
# of its own, which would crowd out the authorities that issue many.
SELF_SIGNED = b"(self-signed)"
EXPIRING_DAYS = 30
EXPIRED, EXPIRING, LATER = b"expired", b"within %d days" % EXPIRING_DAYS, b"later"


class Section(NamedTuple):
    key: str
    title: bytes       # the heading's words before `(of N ...)`
    whole: bytes       # what N counts
    # What the rows add up to, in a section where a server may count in
    # several rows or none, which its heading says after the whole; None
    # where each server counts in one row, so that they add up to the whole.
    total: bytes
    capped: bool       # at most MAX_DISTINCT rows, then OTHERS
    # The whole is that of another section, or that section's row.
    same_whole_as: tuple = ()
    labels: frozenset = None  # the only labels its rows may have, if closed

    def heading(self, whole, rows):
        """The heading, with its LF, over `rows` (a Counter) of `whole` servers."""
        if self.total is None:
            return b"%s (of %d %s):\n" % (self.title, whole, self.whole)
        return b"%s (of %d %s; %d %s):\n" % (self.title, whole, self.whole,
                                              sum(rows.values()), self.total)


def _words(words, *more):
    return frozenset(word.encode() for word in words) | frozenset(more)


SECTIONS = (
    Section("greeting", b"Greeting used", b"servers that greeted", None, False, (),
            _words(record.HELLO_WORDS, NONE)),
    Section("keywords", b"EHLO keywords", b"servers that answered EHLO", b"keywords offered", True,
            ("greeting", b"ehlo")),
    Section("offered", b"STARTTLS offered", b"servers that greeted", None, False,
            ("greeting", None), _words(record.OFFERED_WORDS, NONE)),
    Section("starttls", b"STARTTLS outcome", b"servers sent STARTTLS", None, False, (),
            _words(record.STARTTLS_WORDS)),
    Section("failures", b"TLS handshake failures", b"handshakes that failed", None, False,
            ("starttls", b"failed"), _words(record.TLS_FAILURE_WORDS, NONE)),
    Section("versions", b"TLS versions", b"servers with TLS", None, True, ("starttls", b"ok")),
    Section("ciphers", b"TLS ciphers", b"servers with TLS", None, True, ("starttls", b"ok")),
    Section("tls_keywords", b"EHLO keywords inside TLS", b"servers with TLS", b"keywords offered",
            True,
            ("starttls", b"ok")),
    Section("validation", b"Certificate validation", b"certificates", b"findings", False, (),
            _words(record.VALIDATION_WORDS, NONE)),
    Section("keys", b"Certificate keys", b"certificates", None, True, ("validation", None)),
    Section("issuers", b"Certificate issuers", b"certificates", None, True,
            ("validation", None)),
    Section("expiry", b"Certificate expiry, from the exchange", b"certificates", None, False,
            ("validation", None), frozenset({EXPIRED, EXPIRING, LATER, NONE})),
)
BY_KEY = {section.key: section for section in SECTIONS}

# The closed vocabularies of the fields a section counts; a line of today's
# record with another word is not one smtpprobe writes.
WORDS = {
    "HELLO": _words(record.HELLO_WORDS, b""),
    "STARTTLS_OFFERED": _words(record.OFFERED_WORDS, b""),
    "STARTTLS": _words(record.STARTTLS_WORDS, b""),
    "TLS_FAILURE": _words(record.TLS_FAILURE_WORDS, b""),
}
VALIDATION_WORDS = _words(record.VALIDATION_WORDS)

# The fields read of a line of today's record, in its order; their groups
# follow the marker group (a TAB) that says the line is one.
READ = tuple(name for name in record.TODAY if name in {
    "BEGAN", "HELLO", "EXTENSIONS", "STARTTLS_OFFERED", "STARTTLS", "TLS_VERSION", "CIPHER",
    "TLS_EXTENSIONS", "CERT_ISSUER", "CERT_NOT_AFTER", "CERT_KEY", "CERT_SHA256", "VALIDATION",
    "TLS_FAILURE"})
_AFTER_TRANSCRIPT = record.TODAY[record.TRANSCRIPT + 1:]
# A mtaguess line's fields after STATUS, when it has those of today's
# record (and perhaps the input line's further columns after them, which
# are not read): a group for the TAB before MXHOST, which says the line is
# one, and a group for each field of READ.
GROUPS = (rb"(?:\t[^\t\n]*(\t)" + rb"\t".join(
    rb"([^\t\n]*)" if name in READ else rb"[^\t\n]*" for name in _AFTER_TRANSCRIPT)
    + rb"(?![^\t\n]))?")
FIELDS = len(record.TODAY) + 1  # with LABEL
# A line of today's record (with further columns or none) among LF-led lines.
ANY_TODAY = re.compile(rb"\n(?:[^\t\n]*+\t){%d}[^\t\n]*+(?![^\t\n])" % (FIELDS - 1))


class Today:
    """The counts of today's sections: a Counter of rows and the whole
    (the number in the heading) of each, by Section.key."""

    def __init__(self):
        self.rows = {section.key: collections.Counter() for section in SECTIONS}
        self.wholes = dict.fromkeys(self.rows, 0)
        self.present = True  # whether a line of today's record was counted into it

    def sections(self):
        """(Section, whole, rows) of each section, in the report's order."""
        return [(section, self.wholes[section.key], self.rows[section.key])
                for section in SECTIONS]

    def counted(self):
        """Each section's rows, and the wholes by the sections' titles: all
        the counts written."""
        return [*self.rows.values(),
                {section.title: whole for section, whole, _ in self.sections()}]

    def add(self, key, label, count=1):
        rows = self.rows[key]
        if BY_KEY[key].capped and label not in rows and len(rows) >= MAX_DISTINCT + (
                OTHERS in rows):
            label = OTHERS
        rows[label] += count

    def update(self, other):
        """Add the counts of another Today, as one run over both inputs would."""
        for section, whole, rows in other.sections():
            self.wholes[section.key] += whole
            for label, count in rows.items():
                self.add(section.key, label, count)

    def count(self, facts, times=1):
        """Count `times` servers whose ok line had these facts (as
        facts_of gives them)."""
        self.wholes["greeting"] += times
        self.wholes["offered"] += times
        hello = facts["HELLO"]
        self.add("greeting", hello or NONE, times)
        self.add("offered", facts["STARTTLS_OFFERED"] or NONE, times)
        if hello == b"ehlo":
            self.wholes["keywords"] += times
            for keyword in keyword_rows(facts["EXTENSIONS"]):
                self.add("keywords", keyword, times)
        if not facts["STARTTLS"]:
            return
        self.wholes["starttls"] += times
        self.add("starttls", facts["STARTTLS"], times)
        if facts["STARTTLS"] == b"failed":
            self.wholes["failures"] += times
            self.add("failures", facts["TLS_FAILURE"] or NONE, times)
        if facts["STARTTLS"] != b"ok":
            return
        for key in ("versions", "ciphers", "tls_keywords"):
            self.wholes[key] += times
        self.add("versions", facts["TLS_VERSION"] or NONE, times)
        self.add("ciphers", facts["CIPHER"] or NONE, times)
        for keyword in keyword_rows(facts["TLS_EXTENSIONS"]):
            self.add("tls_keywords", keyword, times)
        if not facts["CERT_SHA256"]:
            return
        for key in ("validation", "keys", "issuers", "expiry"):
            self.wholes[key] += times
        words = set(facts["VALIDATION"].split(record.ITEM_SEPARATOR))
        for word in words:
            self.add("validation", word or NONE, times)
        self.add("keys", facts["CERT_KEY"] or NONE, times)
        self.add("issuers", SELF_SIGNED if b"self-signed" in words else
                 facts["CERT_ISSUER"] or NONE, times)
        self.add("expiry", facts["EXPIRY"], times)

def keyword_rows(field):
    """The rows an EXTENSIONS field counts in: each keyword, each AUTH
    mechanism as `AUTH PLAIN`, and `AUTH` once for a server that offers it."""
    rows = set()
    for item in field.split(record.ITEM_SEPARATOR) if field else ():
        keyword, equals, mechanism = item.partition(b"=")
        if keyword == b"AUTH":
            rows.add(b"AUTH")
            if equals:
                rows.add(b"AUTH " + mechanism)
        else:
            rows.add(item)
    return rows


def expiry(began, not_after):
    """The row of a certificate's end against the time of the exchange:
    EXPIRED, EXPIRING (within EXPIRING_DAYS), LATER, or NONE when either
    time is unknown (no --timestamp, or an unreadable certificate).  Times
    as the record writes them compare as text."""
    limit = expiring_by(began)
    if limit is None or not TIMESTAMP.fullmatch(not_after):
        return NONE
    if not_after < began:
        return EXPIRED
    return EXPIRING if not_after <= limit else LATER


TIMESTAMP = re.compile(rb"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
EXPIRING_TIME = datetime.timedelta(days=EXPIRING_DAYS)


@functools.lru_cache(maxsize=1024)  # lines come in the order their exchanges began
def expiring_by(began):
    """The time EXPIRING_DAYS after BEGAN, as the record writes it; None if
    BEGAN is not a time."""
    if not TIMESTAMP.fullmatch(began):
        return None
    try:
        moment = datetime.datetime.fromisoformat(began[:-1].decode())
        return (moment + EXPIRING_TIME).isoformat().encode() + b"Z"
    except (ValueError, OverflowError):
        return None


# Where the times of a line of today's record stand among its groups, after
# the TAB that marks it.
_BEGAN, _NOT_AFTER = READ.index("BEGAN"), READ.index("CERT_NOT_AFTER")


def gathered(counted, marker):
    """A Counter of the tuples GROUPS found (in a Counter, the group that
    marks a line of today's record at index `marker`), with the two times
    of each line of today's record replaced by its row of expiry and an
    empty field: lines of the same facts then count as one, and what is
    left to do for each line is only to compare two times."""
    result = collections.Counter()
    began, not_after = marker + 1 + _BEGAN, marker + 1 + _NOT_AFTER
    for written, count in counted.items():
        if written[marker:] and written[marker]:
            written = (written[:began] + (b"",) + written[began + 1:not_after]
                       + (expiry(written[began], written[not_after]),) + written[not_after + 1:])
        result[written] += count
    return result


def facts_of(groups):
    """The facts of a line of today's record by the names of READ, from the
    groups GROUPS found as gathered() gives them (the last without the CR
    of a CRLF line end), with the row of its expiry as EXPIRY instead of
    its two times."""
    facts = dict(zip(READ, groups))
    facts["EXPIRY"] = facts.pop("CERT_NOT_AFTER")
    del facts["BEGAN"]
    facts["TLS_FAILURE"] = facts["TLS_FAILURE"].removesuffix(b"\r")
    return facts


def facts_fault(facts):
    """What keeps the facts of a line from being what smtpprobe writes,
    or None."""
    for name, words in WORDS.items():
        if facts[name] not in words:
            return f"{name} {shown(facts[name][:60])} is not one of its words"
    validation = facts["VALIDATION"]
    if validation and not set(validation.split(record.ITEM_SEPARATOR)) <= VALIDATION_WORDS:
        return f"VALIDATION {shown(validation[:60])} is not made of its words"
    return None


# Reading a report back ----------------------------------------------------------

_NUMBER = rb"(0|[1-9][0-9]{0,%d})" % (tallyfiles.MAX_DIGITS - 1)
HEADINGS = [re.compile(re.escape(section.title) + rb" \(of " + _NUMBER + b" "
                       + re.escape(section.whole) + (b"" if section.total is None else
                                                     b"; " + _NUMBER + b" " + section.total)
                       + rb"\):\n")
            for section in SECTIONS]


def starts_today(line):
    """Whether a line is the heading of the first of today's sections."""
    return bool(HEADINGS[0].fullmatch(line))


def form(section):
    """What the heading of a section looks like, for a message."""
    total = b"" if section.total is None else b"; T " + section.total
    return shown(b"%s (of N %s%s):" % (section.title, section.whole, total))


class Reader:
    """Today's sections of a report, read a line at a time after the empty
    line that ends its software rows; faults go to `fault(message)` (the
    caller knows the line)."""

    def __init__(self, shares):
        self.shares = shares
        self.today = Today()
        self.next = 0          # the index of the section whose heading comes next
        self.expect_heading = True
        self.totals = {}       # what the heading says the rows add up to, by Section.key
        self.last_row = None   # (count, label) of the section's last row

    def line(self, line, fault):
        if self.expect_heading:
            self.heading(line, fault)
        elif line == LF:
            self.expect_heading = True
        else:
            try:
                self.row(line)
            except BadRow as error:
                fault(str(error))

    def heading(self, line, fault):
        if self.next == len(SECTIONS):
            fault(f"a line after the last section: {shown(line[:-1][:60])}")
            return
        section = SECTIONS[self.next]
        found = HEADINGS[self.next].fullmatch(line)
        self.next += 1
        self.expect_heading = False
        self.last_row = None
        if not found:
            fault(f"not the heading {form(section)}: {shown(line[:-1][:60])}")
            return
        self.today.wholes[section.key] = int(found[1])
        if section.total is not None:
            self.totals[section.key] = int(found[2])

    def row(self, line):
        section = SECTIONS[self.next - 1]
        whole = self.today.wholes[section.key]
        count, label = tallyfiles.report_row(line, whole, self.shares)
        if not label or record.TAB in label:
            raise BadRow("an empty label" if not label else "a TAB in a label")
        if section.labels and label not in section.labels:
            raise BadRow(f"{shown(label[:60])} is not a row of {shown(section.title)}")
        if count > whole:
            raise BadRow(f"a count of {count}, more than the {whole} of its heading")
        if self.last_row and (count, label) >= self.last_row:
            raise BadRow("a row out of order: tally writes the rows of a section by count, "
                         "largest first, then in descending byte order, each label once")
        self.last_row = count, label
        self.today.rows[section.key][label] += count

    def faults_at_end(self, connections):
        """What is wrong with the sections as a whole, in a report of
        `connections` successful connections: messages."""
        if self.next < len(SECTIONS):
            return [f"no heading {form(SECTIONS[self.next])}"]
        if self.expect_heading:
            return ["an empty line after the last section"]
        faults = []
        wholes, rows = self.today.wholes, self.today.rows
        for part, whole, of in ((b"servers that greeted", wholes["greeting"], connections),
                                (b"servers sent STARTTLS", wholes["starttls"], wholes["greeting"]),
                                (b"certificates", wholes["validation"], wholes["versions"])):
            if whole > of:
                faults.append(f"{whole} {part.decode()}, more than the {of} they are among")
        for section in SECTIONS:
            counted = sum(rows[section.key].values())
            should = wholes[section.key] if section.total is None else self.totals.get(
                section.key, counted)
            if counted != should:
                faults.append(f"the rows of {shown(section.title)} add up to {counted}, "
                              f"not {should}")
            if section.same_whole_as:
                key, label = section.same_whole_as
                same = wholes[key] if label is None else rows[key].get(label, 0)
                if same != wholes[section.key]:
                    faults.append(f"{shown(section.title)} is of {wholes[section.key]} "
                                  f"{section.whole.decode()}, but {shown(BY_KEY[key].title)} "
                                  f"says {same}")
            if section.capped and len(rows[section.key]) > MAX_DISTINCT + (
                    OTHERS in rows[section.key]):
                faults.append(f"{shown(section.title)} has more than {MAX_DISTINCT} rows "
                              f"besides {shown(OTHERS)}")
        return faults


# --diff --------------------------------------------------------------------------

def difference(old, new, changed_rows, change_row):
    """Today's sections of two reports (Today, or None for a report without
    them) compared row by row: each heading, the change of its number, then
    changed_rows of its rows."""
    if old is None and new is None:
        return b""
    old, new = old or Today(), new or Today()
    parts = []
    for section in SECTIONS:
        old_whole, new_whole = old.wholes[section.key], new.wholes[section.key]
        parts += [LF, section.title + b":\n",
                  change_row % (old_whole, new_whole, new_whole - old_whole, section.whole),
                  changed_rows(old.rows[section.key], new.rows[section.key])]
    return b"".join(parts)
