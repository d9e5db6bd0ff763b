"""What the mail servers of May 1998 said: a greeting, a reply to HELP and a
reply to QUIT for each label of the survey, in several variants where the
software came in several versions or set-ups.

A text is a template.  Lines are joined with CRLF when a server is made; the
fields are filled per server:

    {host}   the exchanger's name        {v}  one of the variant's versions
    {date}   Mon, 11 May 1998 03:41:07 -0400      {n}  a serial number
    {date2}  Mon, 11 May 98 03:41:07 EDT
    {ctime}  Mon May 11 03:41:07 1998

Only the labels' own wording decides the survey (patterns.awk, first match);
the tests check every text of every variant against it with awk, and check
that a `not sure` text matches no pattern at all.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    greeting: tuple          # lines of the reply, codes included
    help: tuple
    quit: tuple = ("221 {host} closing connection",)
    versions: tuple = ("",)
    weight: float = 1.0


def reply(code, *lines):
    """A multi-line reply: `code-` on every line but the last, `code ` on it."""
    return tuple(f"{code}-{line}" for line in lines[:-1]) + (f"{code} {lines[-1]}",)


def one(line):
    return (line,)


# sendmail's own help file, as versions 5, 8.6, 8.7 and 8.8 shipped it.
SENDMAIL_5_HELP = reply(
    214, "Commands:",
    "    HELO    MAIL    RCPT    DATA    RSET",
    "    NOOP    QUIT    HELP    VRFY    EXPN",
    'For more info use "HELP <topic>".',
    "To report bugs in the implementation send email to",
    "    sendmail@okeeffe.Berkeley.EDU.",
    "For local information contact postmaster at this site.",
    "End of HELP info")


def sendmail_8_help(name="Sendmail", topics="EXPN\tVERB\tETRN\tDSN",
                    bugs="sendmail-bugs@sendmail.org"):
    return reply(
        214, f"This is {name} version {{v}}", "Topics:",
        "\tHELO\tEHLO\tMAIL\tRCPT\tDATA", "\tRSET\tNOOP\tQUIT\tHELP\tVRFY", f"\t{topics}",
        'For more info use "HELP <topic>".',
        "To report bugs in the implementation send email to", f"\t{bugs}.",
        "For local information send email to Postmaster at your site.",
        "End of HELP info")


SENDMAIL = (
    Variant(one("220 {host} ESMTP Sendmail {v}; {date}"), sendmail_8_help(),
            versions=("8.8.8/8.8.8", "8.8.7/8.8.7", "8.8.5/8.8.5", "8.8.6/8.8.6",
                      "8.8.8/8.8.5", "8.8.4/8.8.4", "8.8.3/8.8.3"), weight=46),
    Variant(one("220 {host} ESMTP Sendmail {v}; {date}"),
            sendmail_8_help("sendmail"), versions=("8.9.0/8.9.0", "8.9.0.Beta5/8.9.0.Beta5"),
            weight=2),
    Variant(one("220 {host} ESMTP Sendmail {v}; {date}"),
            sendmail_8_help(topics="EXPN\tVERB\tETRN\tDSN", bugs="sendmail-bugs@sendmail.ORG"),
            versions=("8.7.6/8.7.3", "8.7.5/8.7.3", "8.7.3/8.7.3", "8.7.1/8.7.1"), weight=8),
    Variant(one("220 {host} Sendmail {v} ready at {date}"),
            sendmail_8_help(topics="EXPN\tVERB", bugs="sendmail@CS.Berkeley.EDU"),
            versions=("8.6.12/8.6.12", "8.6.12/8.6.9", "8.6.10/8.6.10", "8.6.9/8.6.9"),
            weight=11),
    Variant(one("220 {host} Sendmail {v} ready at {date2}"), SENDMAIL_5_HELP,
            versions=("5.65/4.0", "5.67b/IDA-1.5", "5.65v3.2 (1.1.3.6/24Jun97-0923AM)",
                      "4.1/SMI-4.1", "5.61/1.34"), weight=4),
    Variant(one("220 {host} Sendmail {v} ready at {date}"),
            sendmail_8_help(topics="EXPN\tVERB", bugs="sendmail@CS.Berkeley.EDU"),
            versions=("SMI-8.6/SMI-SVR4", "SMI-8.6/SMI-SVR4"), weight=8),
    Variant(one("220 {host} HP Sendmail ({v}) ready at {date}"), SENDMAIL_5_HELP,
            versions=("1.37.109.16/15.6", "1.37.109.8/15.6"), weight=2),
    Variant(one("220 {host} Sendmail {v} ready at {date}"), SENDMAIL_5_HELP,
            versions=("AIX 4.1/UCB 5.64/4.03", "AIX 3.2/UCB 5.64/4.03"), weight=2),
    Variant(one("220 {host} Sendmail {v} ready at {date}"), SENDMAIL_5_HELP,
            versions=("931110.SGI/930416.SGI", "950413.SGI.8.6.12/950213.SGI.AUTOCF"), weight=1),
    # SunOS 4.1 says `sendmail`: only the help text's last pattern knows it.
    Variant(one("220 {host} sendmail {v} ready at {date2}"), SENDMAIL_5_HELP,
            versions=("4.1/SMI-4.1",), weight=1),
    # The greeting made anonymous, the help file left alone.
    Variant(one("220 {host} ESMTP server ready at {date}"), sendmail_8_help(),
            versions=("8.8.8", "8.8.5"), weight=2),
    Variant(one("220 {host} ESMTP mail service ready"), sendmail_8_help("sendmail"),
            versions=("8.9.0",), weight=1),
    Variant(one("220-{host} ESMTP Sendmail {v}; {date}")
            + ("220-Unauthorized use of this system is prohibited.",
               "220 Report problems to postmaster@{host}"),
            sendmail_8_help(), versions=("8.8.8/8.8.8", "8.8.7/8.8.7"), weight=1),
    Variant(one("220 {host} ESMTP Sendmail {v}; {date}"),
            one("502 Sendmail {v} -- HELP not implemented"),
            versions=("8.8.8/8.8.8", "8.8.5/8.8.5"), weight=2),
    Variant(one("220 {host} ESMTP Duhmail (Black Hole v{v}); {date}"),
            one("502 Duhmail -- HELP not implemented"), versions=("1.0", "1.1"), weight=0.03),
)

POST_OFFICE_HELP = reply(
    214, "This SMTP server is a part of the Post.Office E-mail system.  For",
    "information about Post.Office, please see http://www.software.com", "",
    "      Supported commands:", "",
    "           EHLO     HELO     MAIL     RCPT     DATA",
    "           VRFY     RSET     NOOP     QUIT", "",
    "      SMTP Extensions supported through EHLO:", "",
    "           EXPN     HELP     SIZE", "",
    'For more information about a listed topic, use "HELP <topic>"',
    "Please report mail-related problems to Postmaster at this site.")

POST_OFFICE = (
    Variant(one("220 {host} ESMTP server (Post.Office v{v} ID# 0-{n}U2500L250S0) ready {date}"),
            POST_OFFICE_HELP, one("221 {host} ESMTP server closing connection"),
            versions=("3.1 release PO205e", "3.1.2 release 215", "3.5.1 release 219",
                      "3.1 release PO203a", "3.5.3 release 223"), weight=8),
    Variant(one("220 {host} SMTP server (Post.Office v{v} ID# 127-{n}U100L2S0) ready {date}"),
            POST_OFFICE_HELP, one("221 {host} SMTP server closing connection"),
            versions=("2.0 release 83", "3.0 release 106"), weight=2),
    Variant(one("220 {host} ESMTP server (Post.Office v{v} ID# 0-{n}U500L50S0) ready {date}"),
            one("502 Command not implemented"), one("221 {host} ESMTP server closing connection"),
            versions=("3.1 release PO205e", "3.5 release 217"), weight=1),
)

IMAIL = (
    Variant(one("220 {host} (IMail {v} {n}-1) NT-ESMTP Server X1"),
            reply(214, "Commands supported:",
                  "HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN TURN"),
            one("221 Goodbye"), versions=("4.05", "4.04", "4.03", "4.02"), weight=6),
    Variant(one("220 {host} (IMail {v} {n}-2) NT-SMTP Server X1"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY"), one("221 Goodbye"),
            versions=("3.52", "3.51", "3.12"), weight=2),
)

EXCHANGE_HELP_55 = reply(214, "This server supports the following commands:",
                         "HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH TURN ETRN BDAT VRFY")
MS_EXCHANGE = (
    Variant(one("220 {host} ESMTP Server (Microsoft Exchange Internet Mail Service {v}) ready"),
            EXCHANGE_HELP_55, one("221 closing connection"),
            versions=("5.5.1960.3", "5.5.1960.6", "5.5.2232.9"), weight=3),
    Variant(one("220 {host} ESMTP Server (Microsoft Exchange Internet Mail Service {v}) ready"),
            reply(214, "This server supports the following commands:",
                  "HELO EHLO RCPT DATA RSET MAIL QUIT HELP ETRN XEXCH50 TURN"),
            one("221 closing connection"),
            versions=("5.0.1457.7", "5.0.1458.49", "5.0.1460.8"), weight=5),
    Variant(one("220 {host} ESMTP Server (Microsoft Exchange Internet Mail Connector {v}) ready"),
            reply(214, "This server supports the following commands:",
                  "HELO EHLO RCPT DATA RSET MAIL QUIT HELP ETRN"),
            one("221 closing connection"), versions=("4.0.994.63", "4.0.993.5"), weight=3),
)

NT_MAIL = (
    Variant(one("220 {host} NTMail (v{v}) ESMTP server ready for action at {date}"),
            reply(214, "This is an NT Server running Internet Shopper's NTMail",
                  "Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN ETRN",
                  "End of HELP"),
            one("221 {host} closing down"), versions=("3.03.0017", "3.02.13", "3.03.0014"),
            weight=3),
    Variant(one("220 {host} ESMTP NT Server running Internet Shopper NTMail v{v} ready"),
            one("214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            one("221 {host} closing down"), versions=("3.02.13", "3.01.03"), weight=1),
)

QMAIL = (
    Variant(one("220 {host} ESMTP"),
            one("214 qmail home page: http://pobox.com/~djb/qmail.html"), one("221 {host}"),
            weight=6),
    Variant(one("220 {host} ESMTP"),
            reply(214, "qmail home page: http://pobox.com/~djb/qmail.html",
                  "send comments to qmail@pobox.com"), one("221 {host}"), weight=3),
    Variant(one("220 {host} SMTP"), one("502 unimplemented (#5.5.1)"), one("221 {host}"),
            weight=1),
)

NETSCAPE = (
    Variant(one("220 {host} ESMTP server (Netscape Messaging Server - Version {v}) ready {date}"),
            reply(214, "Commands supported:", "    HELO EHLO MAIL RCPT DATA",
                  "    VRFY RSET NOOP QUIT", "    HELP EXPN ETRN", "End of HELP info"),
            one("221 {host} ESMTP server closing connection"),
            versions=("3.01", "3.5", "3.52", "3.54"), weight=4),
    Variant(one("220 {host} ESMTP server (Netscape Mail Server v{v}) ready {date}"),
            reply(214, "Commands supported:", "    HELO EHLO MAIL RCPT DATA",
                  "    VRFY RSET NOOP QUIT", "End of HELP info"),
            one("221 {host} ESMTP server closing connection"), versions=("2.02", "2.0", "2.01"),
            weight=1),
)

NOT_SURE = (
    Variant(one("220 {host} SMTP ready"), one("214 No help available"), weight=3),
    Variant(one("220 {host} ESMTP server ready"), one("502 Command not implemented"), weight=3),
    Variant(one("220 {host} Mail server ready at {ctime}"),
            reply(214, "Commands:", "HELO MAIL RCPT DATA RSET NOOP QUIT"), weight=2),
    Variant(("220-{host} SMTP service", "220 Welcome, please be nice"),
            one("500 Command unrecognized"), one("221 Bye"), weight=1),
    Variant(one("220 {host} SMTP/{v} ready"), one("214 Read RFC 821"),
            versions=("1.0", "2.1", "2.3b"), weight=1),
    # A Swedish site, in Latin-1 as its server sent it.
    Variant(one("220 {host} ESMTP v\xe4lkommen"), one("214 Hj\xe4lp finns inte"),
            one("221 Hej d\xe5"), weight=0.5),
)

EUDORA = (
    Variant(one("220 {host} ESMTP Eudora Internet Mail Server {v} ready."),
            reply(214, "Commands recognized:", "   HELO   MAIL   RCPT   DATA   RSET",
                  "   NOOP   QUIT   HELP   VRFY   EXPN", "End of HELP"),
            versions=("2.0", "2.01", "1.2"), weight=3),
    Variant(one("220 {host} Apple Internet Mail Server {v} ready at {date}"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("1.1.1", "1.0"),
            weight=2),
    Variant(one("220 {host} SMTP running MailShare {v} ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("1.0", "1.0b8"),
            weight=1),
)

ZMAILER_HELP = reply(
    214, "The following commands are recognized:",
    "  EHLO, HELO, MAIL, RCPT, DATA, BDAT, RSET, VRFY, EXPN, HELP, NOOP, QUIT",
    "  TICK, VERB, ONEX, TURN, ETRN", "",
    "The normal sequence is: HELO (MAIL RCPT+ DATA)+ QUIT.", "",
    "This mailer will always accept 8-bit and binary message data,",
    "though you are better off using MIME.", "",
    "ZMailer by Rayan Zachariassen and Matti Aarnio",
    "Send comments and bug reports to zmailer-bugs@nic.funet.fi")
ZMAILER = (
    Variant(one("220 {host} ZMailer Server {v} #1 ESMTP ready at {date}"), ZMAILER_HELP,
            versions=("2.99.49p9", "2.99.50-s1", "2.99.47", "2.99.48"), weight=3),
    Variant(one("220 {host} Server SMTP (ZMailer {v}) ready at {date}"),
            reply(214, "This is ZMailer by Rayan Zachariassen", "End of HELP"),
            versions=("2.2.1 #16", "2.2 #3"), weight=1),
)

SMAIL_HELP = reply(
    214, "The following SMTP commands are recognized:", "",
    "   HELO hostname                   - startup and give your hostname",
    "   MAIL FROM:<sender-address>      - start transaction from sender",
    "   RCPT TO:<recipient-address>     - name recipient for message",
    "   VRFY <address>                  - verify deliverability of address",
    "   EXPN <address>                  - expand mailing list address",
    "   DATA                            - start text of mail message",
    "   RSET                            - reset state, drop transaction",
    "   NOOP                            - do nothing",
    "   HELP                            - produce this help message",
    "   QUIT                            - close SMTP connection", "",
    "The normal sequence of events in sending a message is to state the",
    "sender address with a MAIL FROM command, give the recipients with",
    "as many RCPT TO commands as are required (one address per command)",
    "and then to specify the mail message text after the DATA command.",
    "Multiple messages may be specified.  End the last one with a QUIT.")
SMAIL = (
    Variant(one("220 {host} Smail{v} ready at {date2}"), SMAIL_HELP,
            one("221 {host} closing connection"),
            versions=("3.1.28.1 #28", "3.1.29.1 #9", "3.1.29.1 #2"), weight=4),
    Variant(one("220 {host} ESMTP Smail-{v} ready at {date}"), SMAIL_HELP,
            versions=("3.2.0.101 #1", "3.2.0.97 #3", "3.2 #1"), weight=2),
    Variant(one("220 {host} Smail {v} ready at {date2}"), SMAIL_HELP,
            versions=("3.1.28.1 #4", "3.1.29.1 #1"), weight=1),
    Variant(one("220 {host} smail {v} ready at {date2}"), SMAIL_HELP,
            versions=("3.1.28.1 #12",), weight=0.5),
    Variant(one("220 {host} Smail ready at {date2}"), SMAIL_HELP, weight=0.5),
    Variant(one("220 {host} Smail{v} ready at {date}"), SMAIL_HELP,
            versions=("3.2.0.90 #1",), weight=0.5),
)

SMAP = (
    Variant(one("220 {host} SMTP/smap Ready."),
            reply(214, "Commands:", "    HELO    MAIL    RCPT    DATA    RSET",
                  "    NOOP    QUIT    HELP    VRFY    EXPN"), one("221 Closing connection"),
            weight=3),
    Variant(one("220 {host} SMTP/smap Ready."), one("502 Command not implemented"),
            one("221 Closing connection"), weight=1),
)

EXIM = (
    Variant(one("220 {host} ESMTP Exim {v} {date}"),
            reply(214, "Commands supported:", "    HELO EHLO MAIL RCPT DATA",
                  "    NOOP QUIT RSET HELP VRFY EXPN"), one("221 {host} closing connection"),
            versions=("1.92 #1", "1.90 #3", "1.82 #1", "2.00 #1"), weight=1),
)

METAINFO = (
    Variant(one("220 {host} ESMTP MetaInfo Sendmail {v} ready at {date}"),
            sendmail_8_help("MetaInfo Sendmail", topics="EXPN\tVERB\tETRN",
                            bugs="support@metainfo.com"),
            versions=("2.5", "2.6", "2.0"), weight=1),
)

MAILSITE = (
    Variant(one("220 {host} MailSite SMTP Receiver Version {v} Ready"),
            reply(214, "Commands supported:", "HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP"),
            versions=("2.1.5", "2.0.9", "2.1.2"), weight=1),
)

LOTUS = (
    Variant(one("220 {host} Lotus SMTP MTA Service Ready"),
            reply(214, "Commands:", "HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=2),
    Variant(one("220 {host} Lotus SMTP MTA v{v} ESMTP Service Ready"),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY"),
            versions=("1.1.03", "1.06"), weight=1),
)

MICROSOFT_SMTP_MAIL = (
    Variant(one("220 {host} Microsoft SMTP MAIL ready at {date} Version: {v}"),
            EXCHANGE_HELP_55, one("221 {host} Service closing transmission channel"),
            versions=("5.5.1877.197.19", "5.5.1774.114.11", "5.5.1877.117.11"), weight=1),
)

MDAEMON = (
    Variant(one("220 {host} ESMTP MDaemon {v} ready"),
            one("214 Help system currently inactive"), versions=("2.7 SP4 R", "2.71 SP1 R",
                                                                 "2.5 b2 R"), weight=1),
)

SLMAIL_HELP = reply(214, "Commands supported:",
                    "HELO MAIL RCPT DATA RSET SEND SOML SAML HELP NOOP QUIT")
SLMAIL = (
    Variant(one("220 {host} SMTP Server SLmail v{v} Ready ESMTP spoken here"), SLMAIL_HELP,
            versions=("2.6.1108", "2.5.0026"), weight=3),
    Variant(one("220 {host} SLmail95 SMTP Server v{v} ready"), SLMAIL_HELP,
            versions=("2.0.1007",), weight=1),
    Variant(one("220 {host} SLmailNT SMTP Server v{v} ready"), SLMAIL_HELP,
            versions=("2.1.2003",), weight=1),
    Variant(one("220 {host} SLMAILNT ESMTP Server v{v} Ready"), SLMAIL_HELP,
            versions=("2.6",), weight=0.5),
)

IPAD_HELP = reply(214, "Commands:", "HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY")
IPAD = (
    Variant(one("220 {host} ESMTP (IPAD {v}) ready at {date}"), IPAD_HELP,
            versions=("2.51/64", "2.52/32", "2.52/64"), weight=2),
    Variant(one("220 {host} ESMTP (IPAD {v}) ready at {date}"), IPAD_HELP,
            versions=("2.52", "2.51"), weight=2),
    Variant(one("220 {host} ESMTP (IPAD {v}) ready at {date}"), IPAD_HELP,
            versions=("2.5", "2.4"), weight=1),
    Variant(one("220 {host} ESMTP (IPAD {v}) ready at {date}"), IPAD_HELP,
            versions=("1.5", "1.2"), weight=1),
)

MMDF = (
    Variant(one("220 {host} Server SMTP (Complaints/bugs to:  postmaster)"),
            reply(214, "Commands:", "    HELO MAIL RCPT DATA RSET SEND SOML SAML",
                  "    NOOP QUIT HELP VRFY EXPN TICK", "End of HELP info"),
            one("221 {host} says goodbye to you"), weight=1),
)

WORLDMAIL = (
    Variant(one("220 {host} ESMTP Service (Worldmail {v}) ready"),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            versions=("1.3.167", "1.3.122"), weight=2),
    Variant(one("220 {host} ESMTP Service (WorldMail {v}) ready"),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            versions=("1.3.167",), weight=1),
)

RAPTOR_FIREWALL = (
    Variant(one("220 {host} SMTP server ready"),
            reply(214, "Generic SMTP handler", "Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP"),
            weight=1),
)

MAJOR_BBS = (
    Variant(one("220 {host} SMTP Server - Running on The Major BBS with Worldgroup Internet"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

WORLDGROUP = (
    Variant(one("220 {host} Worldgroup SMTP server ready ({v})"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("3.0", "2.0"), weight=1),
)

PP = (
    Variant(("220-{host} PP SMTP server (PP-{v}) Pleased to meet you",
             "220 Complaints/bugs to:  postmaster@{host}"),
            reply(214, "Commands:", "HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            versions=("6.0 #4", "6.0 #2"), weight=1),
)

GROUPWISE = (
    Variant(one("220 {host} GroupWise SMTP/MIME Daemon {v} Ready (C)1993, 1996 Novell, Inc."),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("4.1 v3", "4.1 v2"),
            weight=1),
)

PMDF = (
    Variant(one("220 {host} -- Server ESMTP (PMDF {v})"),
            reply(214, "Commands:", "HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            versions=("V5.1-10 #8694", "V5.1-9 #2290", "V5.0-8 #10120"), weight=3),
    Variant(one("220 {host} -- Server SMTP (PMDF {v})"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            versions=("V4.3-10 #8411", "V4.2-14 #1"), weight=1),
    Variant(one("220 {host} -- Server ESMTP (PMDF#{v})"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            versions=("10692 V4.3-13", "10120 V5.0-7"), weight=1),
)

MERCUR = (
    Variant(one("220 {host} MERCUR SMTP-Server (v{v}) for Windows NT ready at {date}"),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY"),
            versions=("2.11", "3.00", "2.10"), weight=2),
    Variant(one("220 {host} MERCUR SMTP-Server (v{v}) for Windows 95 ready at {date}"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("2.10",), weight=1),
)

REQUIRES_RECOGNIZABLE_SMTP = (
    Variant(one("220 {host} ESMTP ready"),
            one("502 No HELP here: forging of mail requires recognizable SMTP"), weight=1),
)

ALTAVISTA_MAIL = (
    Variant(one("220 {host} AltaVista Mail V{v} SMTP server ready"),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP"),
            versions=("1.0/1.0 BL21", "2.0/2.0 BL6"), weight=1),
)

STALKER = (
    Variant(one("220 {host} Stalker Internet Mail Server V.{v} is ready."),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY ETRN"),
            versions=("1.6", "1.7", "1.5"), weight=1),
)

GROUPWISE_AGENT = (
    Variant(one("220 {host} GroupWise Internet Agent {v} Ready (C)1993, 1997 Novell, Inc."),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("5.2", "5.0"),
            weight=1),
)

CONNECT2 = (
    Variant(one("220 {host} Connect2-SMTP {v} ESMTP ready"),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP"),
            versions=("4.00.91.7B", "3.20.8"), weight=1),
)

MERCURY = (
    Variant(one("220 {host} Mercury {v} ESMTP server ready."),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("1.40", "1.31"),
            weight=2),
    Variant(one("220 {host} Mercury {v} SMTP server ready."),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("1.21", "1.20"),
            weight=1),
    Variant(one("220 {host} Mercury SMTP server ready."),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

ALTAVISTA_FIREWALL = (
    Variant(one("220 {host} SMTPXD ready"), one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"),
            weight=1),
    Variant(one("220 {host} SMTPXD (AltaVista Firewall 97) ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

SIMPLE_SERVICE = (
    Variant(one("220 {host} Simple Mail Transfer Service Ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

VOPMAIL = (
    Variant(one("220 {host} VOPMail SMTP Receiver Version {v} Ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("3.1", "3.0"), weight=1),
)

VMS_MX = (
    Variant(one("220 {host} MX V{v} VAX SMTP server ready at {date}"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            versions=("4.2", "4.1"), weight=2),
    Variant(one("220 {host} MX V{v} VAX SMTP server ready at {date}"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            versions=("4.2-1", "4.1-5"), weight=1),
    Variant(one("220 {host} MX V{v} AXP SMTP server ready at {date}"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN"),
            versions=("4.2",), weight=1),
)

CHECKPOINT = (
    Variant(one("220 {host} CheckPoint FireWall-1 secure SMTP server"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

IMA = (
    Variant(one("220 {host} IMA SMTP server {v} ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("1.0", "1.1"), weight=1),
)

NASTA = (
    Variant(one("220 {host} NASTA Gate SMTP server ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

FIRSTCLASS = (
    Variant(one("220 {host} FirstClass Mail Server {v} ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("3.5", "5.0"), weight=1),
)

EMWAC = (
    Variant(one("220 {host} EMWAC SMTP Receiver Version {v} Ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("0.81", "0.83"),
            weight=1),
)

IMS = (
    Variant(one("220 {host} IMS SMTP Receiver Version {v} Ready"),
            reply(214, "Commands supported:", "HELO MAIL RCPT DATA RSET NOOP QUIT HELP"),
            versions=("0.86", "0.91", "0.84"), weight=1),
)

NPLEX = (
    Variant(one("220 {host} ESMTP Service (NPlex {v}) ready"),
            one("214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("2.0.119",
                                                                             "2.0.108"), weight=1),
)

FWMAIL = (
    Variant(one("220 {host} This is Fwmail version {v}, ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("1.5", "1.4"), weight=1),
)

COMMUNIGATE = (
    Variant(one("220 {host} CommuniGate SMTPGate is ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
    Variant(one("220 {host} CommuniGate SMTP is ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

SMTP_OPENVMS = (
    Variant(one("220 {host} SMTP-OpenVMS server V{v} ready at {date}"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("1.1", "1.0"), weight=1),
)

MAIL_LINK = (
    Variant(one("220 {host} Mail*Link SMTP Package ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

LISTSTAR = (
    Variant(one("220 {host} ListSTAR Package SMTP server ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

MULTINET = (
    Variant(one("220 {host} TGV/MultiNet SMTP server ready at {date}"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY"), weight=1),
    Variant(one("220 {host} TGV MultiNet V{v} SMTP server ready at {date}"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY"), versions=("4.0", "3.5"),
            weight=1),
)

VMAILER = (
    Variant(one("220 {host} ESMTP VMailer"), one("502 Error: command not implemented"),
            weight=1),
)

TFS = (
    Variant(one("220 {host} TFS Gateway /SMTP ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

RAPTOR_PROXY = (
    Variant(one("554 Sorry, you are not authorized to make this connection."),
            one("503 Sorry, you are not authorized to make this connection."), weight=1),
    Variant(one("220 {host} Raptor SMTP proxy ready"),
            one("554 Sorry, you are not authorized to make this connection."), weight=1),
    Variant(one("421 Sorry, unable to contact destination SMTP daemon."),
            one("421 Sorry, unable to contact destination SMTP daemon."), weight=1),
)

MSMAIL = (
    Variant(one("220 {host} MS Mail SMTP gateway. All set, fire away"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

AS400 = (
    Variant(one("220 {host} running IBM AS/400 SMTP V{v} on {date}."),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), versions=("03R02M00", "03R07M00"),
            weight=1),
)

HELP_NOT_RECOGNIZED = (
    Variant(one("220 {host} SMTP server ready"), one("500 Help ... Not recognized"), weight=1),
)

IBM_VM = (
    Variant(one("220 {host} running IBM VM SMTP Level {v} on {date}"),
            reply(214, "The following commands are recognized:",
                  "HELO MAIL RCPT DATA RSET NOOP QUIT HELP VERB TICK"),
            versions=("320", "310"), weight=1),
)

EUREKA = (
    Variant(one("220 {host} Eureka! Gold Internet Server ready"),
            one("214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP"), weight=1),
)

# The labels of patterns.awk (and `not sure`), with their texts.  Labels that
# the 1998 survey never saw (PC/TCP SMTPSRV, UCX, ...) have no texts here.
TEXTS = {
    "sendmail": SENDMAIL,
    "Post.Office": POST_OFFICE,
    "IMail": IMAIL,
    "MS Exchange": MS_EXCHANGE,
    "NT Mail": NT_MAIL,
    "qmail": QMAIL,
    "Netscape Messaging Server, formerly Netscape Mail Server": NETSCAPE,
    "not sure": NOT_SURE,
    "Eudora Internet Mail Server, formerly AIMS, formerly MailShare": EUDORA,
    "Zmailer": ZMAILER,
    "IMS SMTP Receiver": IMS,
    "Smail": SMAIL,
    "smap": SMAP,
    "Exim": EXIM,
    "MetaInfo Sendmail, port of sendmail to NT": METAINFO,
    "MailSite SMTP Receiver": MAILSITE,
    "Lotus SMTP MTA": LOTUS,
    "Microsoft SMTP MAIL": MICROSOFT_SMTP_MAIL,
    "MDaemon": MDAEMON,
    "SLmail": SLMAIL,
    "IPAD": IPAD,
    "MMDF": MMDF,
    "Worldmail": WORLDMAIL,
    "Raptor firewall": RAPTOR_FIREWALL,
    "Major BBS": MAJOR_BBS,
    "Worldgroup SMTP server": WORLDGROUP,
    "PP": PP,
    "GroupWise": GROUPWISE,
    "PMDF": PMDF,
    "MERCUR": MERCUR,
    "unknown (requires recognizable SMTP)": REQUIRES_RECOGNIZABLE_SMTP,
    "AltaVista Mail": ALTAVISTA_MAIL,
    "Stalker": STALKER,
    "Groupwise Internet Agent": GROUPWISE_AGENT,
    "Connect2-SMTP": CONNECT2,
    "Mercury": MERCURY,
    "AltaVista firewall": ALTAVISTA_FIREWALL,
    "unknown (Simple Mail Transfer Service Ready)": SIMPLE_SERVICE,
    "VOPMail": VOPMAIL,
    "VMS MX": VMS_MX,
    "CheckPoint firewall": CHECKPOINT,
    "IMA SMTP": IMA,
    "NASTA Gate": NASTA,
    "FirstClass": FIRSTCLASS,
    "EMWAC SMTP Receiver": EMWAC,
    "NPlex": NPLEX,
    "Fwmail": FWMAIL,
    "CommuniGate SMTP": COMMUNIGATE,
    "SMTP-OpenVMS": SMTP_OPENVMS,
    "Mail*Link": MAIL_LINK,
    "ListSTAR": LISTSTAR,
    "CISCO MultiNet, formerly TGV/MultiNet": MULTINET,
    "VMailer": VMAILER,
    "TFS Gateway": TFS,
    "Raptor proxy": RAPTOR_PROXY,
    "MSMail SMTP gateway": MSMAIL,
    "AS/400 SMTP": AS400,
    "unknown (Help ... Not recognized)": HELP_NOT_RECOGNIZED,
    "IBM VM SMTP": IBM_VM,
    "Eureka! Gold Internet Server": EUREKA,
}
