"""What today's mail servers say, by the label patterns-2026.awk gives them:
the greeting, the EHLO reply, the replies to HELP and QUIT.

The texts are those of the examples in patterns-2026.awk (each from a real
server or from the software's documented defaults), with the EHLO replies
of the same software's default configuration.  `{host}` is the name the
server goes by, `{id}` a queue or session identifier, `{date}` the time in
RFC 5322 form.  A hosted service names itself, not the customer's
exchanger.  EHLO lists STARTTLS only where the world's server offers it:
`{starttls}` stands for that line.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    weight: int
    greeting: str
    ehlo: tuple          # the lines after the first, which is `250-{host}...`
    ehlo_first: str
    help: tuple
    quit: str


NOT_IMPLEMENTED = ("502 5.5.1 Command not implemented",)

TEXTS = {
    "Postfix": Texts(
        40, "220 {host} ESMTP Postfix (Debian/GNU)",
        ("PIPELINING", "SIZE 10240000", "VRFY", "ETRN", "{starttls}", "ENHANCEDSTATUSCODES",
         "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"),
        "{host}", ("502 5.5.2 Error: command not recognized",), "221 2.0.0 Bye"),
    "Exim": Texts(
        20, "220 {host} ESMTP Exim 4.97 {date}",
        ("SIZE 52428800", "8BITMIME", "PIPELINING", "PIPE_CONNECT", "{starttls}", "HELP"),
        "{host} Hello {client} [{peer}]",
        ("214-Commands supported:",
         "214 AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP"),
        "221 {host} closing connection"),
    "Microsoft Exchange": Texts(
        10, "220 {host} Microsoft ESMTP MAIL Service ready at {date}",
        ("SIZE 37748736", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES", "{starttls}", "8BITMIME",
         "BINARYMIME", "CHUNKING"),
        "{host} Hello [{peer}]",
        ("214-This server supports the following commands:",
         "214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT"),
        "221 2.0.0 Service closing transmission channel"),
    "Exchange Online": Texts(
        8, "220 BL2NAM06FT004.mail.protection.outlook.com Microsoft ESMTP MAIL Service "
           "ready at {date}",
        ("SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES", "{starttls}",
         "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8"),
        "BL2NAM06FT004.mail.protection.outlook.com Hello [{peer}]",
        ("214-This server supports the following commands:",
         "214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT"),
        "221 2.0.0 Service closing transmission channel"),
    "Google": Texts(
        8, "220 mx.google.com ESMTP {id} - gsmtp",
        ("SIZE 157286400", "8BITMIME", "{starttls}", "ENHANCEDSTATUSCODES", "PIPELINING",
         "CHUNKING", "SMTPUTF8"),
        "mx.google.com at your service, [{peer}]",
        ("214 2.0.0  https://www.google.com/search?btnI&q=RFC+5321 {id} - gsmtp",),
        "221 2.0.0 closing connection {id} - gsmtp"),
    "OpenSMTPD": Texts(
        4, "220 {host} ESMTP OpenSMTPD",
        ("8BITMIME", "ENHANCEDSTATUSCODES", "SIZE 36700160", "DSN", "{starttls}", "HELP"),
        "{host} Hello {client} [{peer}], pleased to meet you",
        ("214-2.0.0 This is OpenSMTPD",
         "214-2.0.0 To report bugs in the implementation, please contact bugs@openbsd.org",
         "214-2.0.0 with full details", "214 2.0.0 End of HELP info"),
        "221 2.0.0 Bye"),
    "Proofpoint": Texts(
        4, "220 mx0b-00164701.pphosted.com ESMTP mfa-m0214089",
        ("SIZE 36700160", "{starttls}", "PIPELINING", "8BITMIME"),
        "mx0b-00164701.pphosted.com Hello [{peer}], pleased to meet you",
        NOT_IMPLEMENTED, "221 2.0.0 mx0b-00164701.pphosted.com Closing connection"),
    "Mimecast": Texts(
        3, "220 eu-smtp-inbound-1.mimecast.com ESMTP",
        ("8BITMIME", "AUTH PLAIN XOAUTH2", "ENHANCEDSTATUSCODES", "PIPELINING",
         "SIZE 146800640", "{starttls}", "SMTPUTF8"),
        "eu-smtp-inbound-1.mimecast.com Hello [{peer}]",
        NOT_IMPLEMENTED, "221 2.0.0 Bye"),
    "sendmail": Texts(
        3, "220 {host} ESMTP Sendmail 8.17.1/8.17.1; {date}",
        ("ENHANCEDSTATUSCODES", "PIPELINING", "8BITMIME", "SIZE", "DSN", "ETRN", "DELIVERBY",
         "{starttls}", "HELP"),
        "{host} Hello [{peer}], pleased to meet you",
        ("502 5.3.0 Sendmail 8.17.1 -- HELP not implemented",),
        "221 2.0.0 {host} closing connection"),
    "not sure": Texts(
        4, "220 {host} ESMTP Service ready",
        ("SIZE 20971520", "{starttls}", "8BITMIME"), "{host}",
        ("214 See RFC 5321",), "221 Bye"),
}
