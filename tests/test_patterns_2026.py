"""patterns-2026.awk names today's software, through the real programs:
scripted servers on loopback speak as today's software does, smtpprobe
records them and mtaguess, run elsewhere than the checkout, finds the list
by its name alone."""

import pytest

from programs import pipeline
from scripted_smtp import smtp

pytestmark = pytest.mark.timeout(120)

# Generous timeouts: the servers answer at once, so only a busy machine waits.
PROBE = "smtpprobe --blocklist /dev/null --rate 0 --connect-timeout 10 --read-timeout 10"

# (label by patterns-2026.awk, label by the survey's patterns.awk, greeting, HELP reply)
SERVERS = [
    ("Postfix", "not sure", b"220 mx.example.net ESMTP Postfix (Debian/GNU)\r\n",
     b"502 5.5.2 Error: command not recognized\r\n"),
    ("Postfix", "not sure", b"220 mx.example.net ESMTP\r\n",
     b"500 5.5.2 Error: command not recognized\r\n"),
    # Older Postfix's words, which simplesmtp copied: either of them.
    ("not sure", "not sure", b"220 mx.example.net ESMTP\r\n",
     b"502 5.5.2 Error: command not recognized\r\n"),
    ("Exim", "Exim", b"220 mx.example.net ESMTP Exim 4.96 Mon, 11 May 2026 10:15:02 +0200\r\n",
     b"214-Commands supported:\r\n214 AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP\r\n"),
    ("Microsoft Exchange", "not sure",
     b"220 mail.example.com Microsoft ESMTP MAIL Service ready at Mon, 11 May 2026 10:15:02 +0200\r\n",
     b"214-This server supports the following commands:\r\n"
     b"214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT\r\n"),
    ("Exchange Online", "not sure",
     b"220 BL2NAM06FT004.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at "
     b"Mon, 11 May 2026 08:15:02 +0000\r\n",
     b"214-This server supports the following commands:\r\n"
     b"214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT\r\n"),
    ("Google", "not sure", b"220 mx.google.com ESMTP a1si401649fac.13 - gsmtp\r\n",
     b"214 2.0.0  https://www.google.com/search?btnI&q=RFC+5321 a1si401649fac.13 - gsmtp\r\n"),
    ("qmail", "not sure", b"220 mx.example.net ESMTP\r\n",
     b"214 netqmail home page: http://qmail.org/netqmail\r\n"),
    ("OpenSMTPD", "not sure", b"220 mx.example.org ESMTP OpenSMTPD\r\n",
     b"214-2.0.0 This is OpenSMTPD\r\n214-2.0.0 To report bugs in the implementation, please "
     b"contact bugs@openbsd.org\r\n214-2.0.0 with full details\r\n214 2.0.0 End of HELP info\r\n"),
    ("Courier", "not sure", b"220 mx.example.net ESMTP\r\n", b"502 ESMTP command error\r\n"),
    ("not sure", "not sure", b"220 mx.example.net ready\r\n", b"502 unknown command\r\n"),
]


def labels(output):
    """ADDRESS -> label, from lines that `cut -f1,2` made of mtaguess's."""
    return dict(reversed(line.split("\t")) for line in output.decode().splitlines())


def test_todays_software_is_named_where_the_survey_list_is_not_sure(farm, tmp_path):
    addresses = [farm.serve(smtp(greeting, reply)) for _, _, greeting, reply in SERVERS]
    (tmp_path / "addresses").write_text("".join(f"{address}\tmx\n" for address in addresses))
    # From an empty directory, so that the list is found beside patterns.awk.
    done = pipeline(f"{PROBE} -p {farm.port} < addresses > probed && "
                    "mtaguess -f patterns-2026.awk probed | cut -f1,2 > today && "
                    "mtaguess probed | cut -f1,2 > survey", cwd=tmp_path)
    assert done.status == 0, done
    today, survey = (labels((tmp_path / name).read_bytes()) for name in ("today", "survey"))
    assert today == {address: label for address, (label, _, _, _) in zip(addresses, SERVERS)}
    assert survey == {address: label for address, (_, label, _, _) in zip(addresses, SERVERS)}
