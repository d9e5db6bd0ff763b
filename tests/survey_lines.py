"""smtpprobe lines like a survey's, made from the example texts of patterns.awk.

The mix follows the May 1998 tallies: sendmail most of the time, a long tail
of other software, failures and `not sure` hosts in their proportions.  Each
line gets its own host name and address, so no two transcripts are equal.
"""

import random
import re
from collections import defaultdict
from pathlib import Path

from mxsurvey import record

CHECKOUT = Path(__file__).resolve().parent.parent
PATTERNS = CHECKOUT / "patterns.awk"
PATTERNS_2026 = CHECKOUT / "patterns-2026.awk"
PATTERN_FILES = [PATTERNS, PATTERNS_2026]  # the survey's list, and today's
EXAMPLE = "# example: "

# Hosts per label in the survey of 11 May 1998 (the software tallies of ten
# hosts or more, the failures, and the hosts no pattern named).
TALLIES = {
    "sendmail": 11583, "Post.Office": 1102, "IMail": 778, "MS Exchange": 638,
    "NT Mail": 566, "qmail": 552,
    "Netscape Messaging Server, formerly Netscape Mail Server": 511,
    "Eudora Internet Mail Server, formerly AIMS, formerly MailShare": 277,
    "Zmailer": 211, "IMS SMTP Receiver": 189, "Smail": 179, "smap": 158, "Exim": 138,
    "MetaInfo Sendmail, port of sendmail to NT": 136, "MailSite SMTP Receiver": 104,
    "Lotus SMTP MTA": 79, "Microsoft SMTP MAIL": 75, "MDaemon": 68, "SLmail": 51,
    "IPAD": 51, "MMDF": 50, "Worldmail": 39, "Raptor firewall": 39, "Major BBS": 35,
    "Worldgroup SMTP server": 30, "PP": 28, "GroupWise": 28, "PMDF": 27, "MERCUR": 27,
    "unknown (requires recognizable SMTP)": 26, "AltaVista Mail": 26, "Stalker": 23,
    "Groupwise Internet Agent": 21, "Connect2-SMTP": 18, "Mercury": 15,
    "AltaVista firewall": 14,
}
FAILURES = {"timeout": 741, "refused": 651, "hostunreach": 303, "netunreach": 111,
            "disconnect": 63}
NOT_SURE = 454
# A sendmail 8.8 HELP reply as servers sent it, TABs and all; most sendmail
# hosts answered so.
SENDMAIL_8_8 = (
    "220 mail.example.net ESMTP Sendmail 8.8.8/8.8.8; Mon, 11 May 1998 03:10:00 -0400 (EDT) "
    "214-This is Sendmail version 8.8.8 214-Topics: 214-\tHELO\tEHLO\tMAIL\tRCPT\tDATA "
    "214-\tRSET\tNOOP\tQUIT\tHELP\tVRFY 214-\tEXPN\tVERB\tETRN\tDSN "
    "214-For more info use \"HELP <topic>\". 214-To report bugs in the implementation send "
    "email to 214-\tsendmail-bugs@sendmail.org. 214-For local information send email to "
    "Postmaster at your site. 214 End of HELP info")
NOT_SURE_TEXTS = [
    "220 {host} SMTP service ready 502 Command not implemented",
    "220 {host} ESMTP ready 214-Commands: 214 HELO MAIL RCPT DATA RSET NOOP QUIT",
    "220-{host} Welcome 220 {host} mail server ready 500 Unknown command",
]

_REPLY_START = re.compile(r" (?=[2-5][0-9][0-9][ -])")


def examples(path=PATTERNS):
    """(label, text) for every example line in a pattern file, in order."""
    found, pending = [], []
    for line in Path(path).read_text().splitlines():
        if line.startswith(EXAMPLE):
            pending.append(line[len(EXAMPLE):])
        elif line.startswith("/"):
            label = re.sub(r"\s#.*", "", line[line.index("/", 1) + 1:]).strip()
            found.extend((label, text) for text in pending)
            pending = []
    return found


def transcript(text):
    """The escaped transcript whose joined text is `text`: each reply line
    (and each line of a multi-line reply) ended by CRLF."""
    lines = _REPLY_START.split(text)
    return record.escape("".join(line + "\r\n" for line in lines).encode())


def smtpprobe_lines(count, seed=1998, path=PATTERNS):
    """`count` smtpprobe lines (bytes, without LF) in the survey's mix."""
    rng = random.Random(seed)
    by_label = defaultdict(list)
    for label, text in examples(path):
        by_label[label].append(text)
    by_label["sendmail"] += [SENDMAIL_8_8] * 8 * len(by_label["sendmail"])
    kinds = [("ok", texts) for label, texts in by_label.items() if label in TALLIES]
    weights = [TALLIES[label] for label in by_label if label in TALLIES]
    kinds += [(status, None) for status in FAILURES] + [("ok", NOT_SURE_TEXTS)]
    weights += list(FAILURES.values()) + [NOT_SURE]
    lines = []
    for number, (status, texts) in enumerate(rng.choices(kinds, weights, k=count)):
        address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        host = f"mx{number % 7}.isp{number}.net"
        field = b""
        if texts:
            text = rng.choice(texts).replace("mail.example.net", host)
            field = transcript(text.format(host=host) if "{host}" in text else text)
        lines.append(b"\t".join([address.encode(), status.encode(), field,
                                 host.encode(), f"isp{number}.net".encode(), b"10"]))
    return lines
