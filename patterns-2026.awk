# patterns-2026.awk: which mail server software today's mail exchangers run.
#
# A companion to patterns.awk, the survey's own list of 1998, which knows
# little of the software that answers on port 25 today.  Use it with
#
#     mtaguess -f patterns-2026.awk
#
# The patterns were written from the software's documented default greetings
# and its answers to HELP: the banners its configuration sets out of the box
# (Postfix's smtpd_banner, Exim's smtp_banner, sendmail's greeting and help
# file) and the texts in its source.  A product whose greeting names nothing
# by default is named here only by its answer to HELP, or not at all; a host
# that hides its software from both comes out "not sure".  Hosted services
# are named by the host names their greetings carry.
#
# The first pattern that matches a host's text names its software, so the
# specific come before the general: the hosted services first, then the
# products by their greetings, then by their answers to HELP alone.
#
# Format: /REGEX/ LABEL, optionally followed by " # comment".  REGEX is a
# POSIX awk extended regular expression, matched case-sensitively anywhere in
# the host's text: the greeting and the HELP reply with CRs removed and lines
# joined by single spaces.  Blank lines and lines starting with # are ignored.
#
# Each "# example:" line above a pattern is such a text, and names the
# software of that pattern: a self-test checks that each example is matched
# by its own pattern and by no pattern before it.  A TAB in a reply is
# written as a space, as in patterns.awk.  Where a product's answer to HELP
# is not documented, its example answers "502 5.5.1 Command not implemented";
# the pattern names it by its greeting alone.

# Hosted services, by the host names in their greetings ----------------------

# example: 220 mx.google.com ESMTP 586e51a60fabf-2b28f1504ccsi401649fac.13 - gsmtp 214 2.0.0  https://www.google.com/search?btnI&q=RFC+5321 586e51a60fabf-2b28f1504ccsi401649fac.13 - gsmtp
/ - gsmtp/ Google
# example: 220 BL2NAM06FT004.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Mon, 11 May 2026 08:15:02 +0000 214-This server supports the following commands: 214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT
/\.mail\.protection\.outlook\.com Microsoft ESMTP MAIL Service/ Exchange Online
# example: 220 mta4123.mail.ne1.yahoo.com ESMTP ready 502 5.5.1 Command not implemented
# example: 220 mtaproxy121.aol.mail.ne1.yahoo.com ESMTP ready 502 5.5.1 Command not implemented
/\.yahoo\.com ESMTP ready/ Yahoo
# example: 220 mx0b-00164701.pphosted.com ESMTP mfa-m0214089 502 5.5.1 Command not implemented
/\.pphosted\.com ESMTP/ Proofpoint
# example: 220 eu-smtp-inbound-1.mimecast.com ESMTP 502 5.5.1 Command not implemented
/\.mimecast\.com ESMTP/ Mimecast
# example: 220 inbound-smtp.us-east-1.amazonaws.com ESMTP Amazon SES f3K9qLx2VbN7tRw8ZpYc 502 5.5.1 Command not implemented
# example: 220 email-smtp.amazonaws.com ESMTP SimpleEmailService-d-GI38EMLB2 hkD7YwduxMJw9KrXpof7 502 5.5.1 Command not implemented
/ ESMTP (Amazon SES|SimpleEmailService-)/ Amazon SES
# example: 220 mx.zohomail.com SMTP Server ready May 11, 2026 1:15:02 AM PDT 503 Must issue a EHLO/HELO command first.
/\.zoho(mail)?\.[a-z]+ SMTP Server ready/ Zoho

# Products, by their default greetings ----------------------------------------

# IIS's SMTP service (and Exchange 2003 on it) says its version; Exchange
# 2007 and later say the same words without it.
# example: 220 mail.example.com Microsoft ESMTP MAIL Service, Version: 10.0.17763.1697 ready at  Mon, 11 May 2026 10:15:02 +0200  214-This server supports the following commands: 214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH TURN ETRN BDAT VRFY
/Microsoft ESMTP MAIL Service, Version: [0-9]/ Microsoft IIS SMTP
# example: 220 mail.example.com Microsoft ESMTP MAIL Service ready at Mon, 11 May 2026 10:15:02 +0200 214-This server supports the following commands: 214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT
/Microsoft ESMTP MAIL Service/ Microsoft Exchange
# Postfix's smtpd_banner is "$myhostname ESMTP $mail_name", and Debian's and
# Ubuntu's packages add their names.  Zimbra runs Postfix, and greets so.
# example: 220 mx.example.net ESMTP Postfix (Debian/GNU) 502 5.5.2 Error: command not recognized
# example: 220 mail.example.org ESMTP Postfix (Ubuntu) 502 5.5.2 Error: command not recognized
# example: 220 mail.example.com ESMTP Postfix 502 5.5.2 Error: command not recognized
/ ESMTP Postfix/ Postfix
# Exim's smtp_banner is "$smtp_active_hostname ESMTP Exim $version_number
# $tod_full".
# example: 220 mx.example.net ESMTP Exim 4.96 Mon, 11 May 2026 10:15:02 +0200 214-Commands supported: 214 AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP
/ ESMTP Exim [0-9]/ Exim
# example: 220 mail.example.net ESMTP Sendmail 8.17.1/8.17.1; Mon, 11 May 2026 10:15:02 +0200 (CEST) 502 5.3.0 Sendmail 8.17.1 -- HELP not implemented
# example: 220 mail.example.net ESMTP Sendmail 8.13.4/8.13.4/Debian-3sarge3; Mon, 11 May 2026 10:15:02 +0200 214-2.0.0 This is sendmail version 8.13.4 214-2.0.0 Topics: 214-2.0.0  HELO EHLO MAIL RCPT DATA 214-2.0.0  RSET NOOP QUIT HELP VRFY 214-2.0.0  EXPN VERB ETRN DSN AUTH 214-2.0.0  STARTTLS 214-2.0.0 For more info use "HELP <topic>". 214-2.0.0 To report bugs in the implementation send email to 214-2.0.0  sendmail-bugs@sendmail.org. 214-2.0.0 For local information send email to Postmaster at your site. 214 2.0.0 End of HELP info
/ ESMTP Sendmail [0-9]/ sendmail
# example: 220 mx.example.org ESMTP OpenSMTPD 214-2.0.0 This is OpenSMTPD 214-2.0.0 To report bugs in the implementation, please contact bugs@openbsd.org 214-2.0.0 with full details 214 2.0.0 End of HELP info
/ ESMTP OpenSMTPD|This is OpenSMTPD/ OpenSMTPD
# example: 220 mx.example.net ESMTP Haraka/3.0.2 ready 250 Not implemented
# example: 220 mail.example.org ESMTP Haraka 2.8.8 ready 250 Not implemented
/ ESMTP Haraka/ Haraka
# example: 220 mail.example.net ESMTP MDaemon 23.5.2; Mon, 11 May 2026 10:15:02 +0200 502 5.5.1 Command not implemented
/ ESMTP MDaemon [0-9]/ MDaemon
# IceWarp was called Merak.
# example: 220 mail.example.net ESMTP IceWarp 13.0.3.10 x64; Mon, 11 May 2026 10:15:02 +0200 502 5.5.1 Command not implemented
/ ESMTP (IceWarp|Merak) [0-9]/ IceWarp
# example: 220 mail.example.net ESMTP MailEnable Service, Version: 10.45-- ready at 05/11/26 10:15:02 502 5.5.1 Command not implemented
/ ESMTP MailEnable Service, Version: / MailEnable
# Kerio Connect was called Kerio MailServer.
# example: 220 mail.example.net Kerio MailServer 6.7.3 ESMTP ready 502 5.5.1 Command not implemented
/ Kerio (Connect|MailServer) [0-9]/ Kerio Connect
# example: 220 mail.example.net ESMTP CommuniGate Pro 6.3.20 is glad to see you! 502 5.5.1 Command not implemented
/ ESMTP CommuniGate Pro [0-9]/ CommuniGate Pro

# Products, by their answers to HELP alone ------------------------------------

# qmail-smtpd greets with control/smtpgreeting, by default only the host
# name; its HELP reply names qmail 1.03, netqmail or notqmail.
# example: 220 mx.example.net ESMTP 214 netqmail home page: http://qmail.org/netqmail
# example: 220 mx.example.net ESMTP 214 qmail home page: http://pobox.com/~djb/qmail.html
# example: 220 mx.example.net ESMTP 214 notqmail home page: https://notqmail.org
/qmail home page: http/ qmail
# Postfix has no HELP command; this is its answer to any command it does not
# know (in old versions without the enhanced status code).
# example: 220 mx.example.net ESMTP 502 5.5.2 Error: command not recognized
/502 (5\.5\.2 )?Error: command not recognized/ Postfix
# example: 220 mx.example.net ESMTP 214-Commands supported: 214 AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP
/214-Commands supported: 214 .*HELO EHLO MAIL RCPT DATA (BDAT )?NOOP QUIT RSET HELP/ Exim
# sendmail's help file begins with its version; without the help file it
# answers with the version too.
# example: 220 mail.example.net ESMTP ready; Mon, 11 May 2026 10:15:02 +0200 214-2.0.0 This is sendmail version 8.13.4 214-2.0.0 Topics: 214-2.0.0  HELO EHLO MAIL RCPT DATA 214-2.0.0  RSET NOOP QUIT HELP VRFY 214-2.0.0  EXPN VERB ETRN DSN AUTH 214-2.0.0  STARTTLS 214-2.0.0 For more info use "HELP <topic>". 214-2.0.0 To report bugs in the implementation send email to 214-2.0.0  sendmail-bugs@sendmail.org. 214-2.0.0 For local information send email to Postmaster at your site. 214 2.0.0 End of HELP info
/This is [Ss]endmail version [0-9]/ sendmail
# example: 220 mail.example.net ESMTP 502 5.3.0 Sendmail 8.17.1 -- HELP not implemented
/Sendmail [0-9][^ ]* -- HELP not implemented/ sendmail
# Exchange 2007 and later, with a banner of the administrator's own; IIS
# lists TURN and ETRN too.
# example: 220 mail.example.com ESMTP 214-This server supports the following commands: 214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT
/214 HELO EHLO (STARTTLS )?RCPT DATA RSET MAIL QUIT HELP (AUTH )?BDAT/ Microsoft Exchange
# hMailServer greets with a welcome message of the administrator's choosing.
# example: 220 mail.example.net ESMTP 211 DATA HELO EHLO MAIL NOOP QUIT RCPT RSET SAML TURN VRFY
/211 DATA HELO EHLO MAIL NOOP QUIT RCPT RSET SAML TURN VRFY/ hMailServer
