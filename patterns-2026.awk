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
# the host's text: everything the server said, in order, with CRs removed and
# lines joined by single spaces.  In 1998's dialogue that is the greeting and
# the replies to HELP and QUIT; in today's (smtpprobe --ehlo), the greeting,
# the replies to EHLO, STARTTLS and EHLO inside TLS, then those to HELP and
# QUIT.  So ^ is the start of the greeting and $ the end of the last reply;
# a regex for the greeting and then the answer to HELP allows the replies to
# EHLO between them.  REGEX ends at a / as awk ends a regex, not at one
# escaped (\/) nor in a bracket expression ([/]); LABEL is printable text.
# Blank lines and lines starting with # are ignored.
#
# A "# version: /CONTEXT/ /VERSION/" line above a pattern says where its
# texts give the version (mtaguess --versions): the longest match of VERSION
# where the leftmost-longest match of CONTEXT ends.  Each example of such a
# pattern is followed by an "# example version:" line, the version it gives
# (or none), which a self-test checks.
#
# Each "# example:" line above a pattern is such a text, and names the
# software of that pattern: a self-test checks that each example is matched
# by its own pattern and by no pattern before it.  A TAB in a reply is
# written as a space, as in patterns.awk.  Where a product's answer to HELP
# is not documented, its example answers "502 5.5.1 Command not implemented";
# the pattern names it by its greeting alone.

# Hosted services, by the host names in their greetings ----------------------

# example: 220 mx.google.com ESMTP 586e51a60fabf-2b28f1504ccsi401649fac.13 - gsmtp 214 2.0.0  https://www.google.com/search?btnI&q=RFC+5321 586e51a60fabf-2b28f1504ccsi401649fac.13 - gsmtp
# example: 220 smtp.gmail.com ESMTP x62sm16538695wmf.13 - gsmtp
# Before " - gsmtp" Google's servers greeted with their name and a queue id.
# example: 220 mx.google.com ESMTP h6si2778348nfh.21 214 2.0.0 http://www.google.com/search?btnI&q=RFC+2821 h6si2778348nfh.21
/ - gsmtp|^220 mx\.google\.com ESMTP [0-9a-z]+\.[0-9]+/ Google
# example: 220 BL2NAM06FT004.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Mon, 11 May 2026 08:15:02 +0000 214-This server supports the following commands: 214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT
# example: 220 DM3NAM03FT051.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Fri, 19 Apr 2019 20:03:00 +0000
# example: 220 SC1PR80CA0174.outlook.office365.com Microsoft ESMTP MAIL Service ready at Mon, 27 Mar 2023 18:17:53 +0000
# Before Microsoft 365, Exchange Online (BPOS) greeted from msoutlookonline.net.
# example: 220 smtpx17.msoutlookonline.net Microsoft ESMTP MAIL Service ready at Fri, 30 May 2008 05:09:46 -0700
# Its servers are named in outlook.com and office365.com, and in the clouds of
# governments and of 21Vianet in office365.us and outlook.cn.
/\.((mail\.protection\.outlook|outlook\.office365|[a-z0-9]+\.prod\.outlook)\.com|mail\.protection\.(office365\.us|partner\.outlook\.cn)|msoutlookonline\.net) Microsoft ESMTP MAIL Service/ Exchange Online
# example: 220 mta4123.mail.ne1.yahoo.com ESMTP ready 502 5.5.1 Command not implemented
# example: 220 mtaproxy121.aol.mail.ne1.yahoo.com ESMTP ready 502 5.5.1 Command not implemented
# Yahoo's refusals point to its help pages.
# example: 421 VS1-IP Excessive unknown recipients - possible Open Relay http://help.yahoo.com/help/us/mail/spam/spam-18.html (#4.1.8)
# example: 421 4.7.0 [TS01] Messages from <OUR_IP_ADDRESS> temporarily deferred due to user complaints -; see http://postmaster.yahoo.com/421-ts01.html
/\.yahoo\.com ESMTP ready|^220 YSmtp[^ ]* ESMTP service ready|^[45][0-9][0-9][ -].* https?:\/\/(help\.yahoo\.com\/help|postmaster\.yahoo\.com)\// Yahoo
# example: 220 BAY004-MC2F22.hotmail.com Sending unsolicited commercial or bulk e-mail to Microsoft's computer network is prohibited. Other restrictions are found at http://privacy.microsoft.com/en-us/anti-spam.mspx. Fri, 6 Oct 2017 17:36:56 -0700
/^220 [^ ]+\.hotmail\.com Sending unsolicited commercial or bulk e-mail to Microsoft's computer network is prohibited\./ Outlook.com
# example: 220 mx0b-00164701.pphosted.com ESMTP mfa-m0214089 502 5.5.1 Command not implemented
# Proofpoint Essentials is named in ppe-hosted.com.
/\.pphosted\.com ESMTP|^[2-5][0-9][0-9][ -][^ ]+\.ppe-hosted\.com( |$)/ Proofpoint
# Proofpoint's refusals point to its page for checking an address.
# example: 554 Blocked - see https://ipcheck.proofpoint.com/?ip=78.225.183.108
# example: 554 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=1.1.1.1
/^[45][0-9][0-9][ -].* https?:\/\/(ipcheck\.proofpoint\.com\/|support\.proofpoint\.com\/dnsbl-lookup\.cgi)/ Proofpoint
# example: 220 eu-smtp-inbound-1.mimecast.com ESMTP 502 5.5.1 Command not implemented
/\.mimecast\.com ESMTP/ Mimecast
# example: 220 inbound-smtp.us-east-1.amazonaws.com ESMTP Amazon SES f3K9qLx2VbN7tRw8ZpYc 502 5.5.1 Command not implemented
# example: 220 email-smtp.amazonaws.com ESMTP SimpleEmailService-d-GI38EMLB2 hkD7YwduxMJw9KrXpof7 502 5.5.1 Command not implemented
# In 2012 SES greeted with its name alone, no session id after it.
# example: 220 email-smtp.amazonaws.com ESMTP SimpleEmailService
/ ESMTP (Amazon SES|SimpleEmailService(-| |$))/ Amazon SES
# example: 220 mx.zohomail.com SMTP Server ready May 11, 2026 1:15:02 AM PDT 503 Must issue a EHLO/HELO command first.
/\.zoho(mail)?\.[a-z]+ SMTP Server ready/ Zoho
# GMX's and Web.de's servers are Nemesis; they name their domain first.
# example: 554-gmx.net (mxgmx015) Nemesis ESMTP Service not available 554-No SMTP service 554-IP address is black listed. 554 For explanation visit http://postmaster.gmx.com/en/error-messages?ip=185.xx.xx.xx&c=bl
# example: 220 gmx.com (mrgmx001) Nemesis ESMTP Service ready 250-gmx.com Hello [192.168.139.1] [xxx.xxx.xxx.xxx] 250-SIZE 31457280 250-AUTH LOGIN PLAIN 250 STARTTLS
# example: 220 mx0.gmx.net GMX Mailservices ESMTP {mx079} 250-mx0.gmx.net GMX Mailservices 250-8BITMIME 250-ENHANCEDSTATUSCODES 250 SIZE
/gmx\.(net|com|de) (\([a-z0-9]+\) Nemesis|GMX Mailservices) ESMTP/ GMX
# example: 220 smtp.web.de ESMTP Web.de V4.91#2 Sun, 24 Nov 2002 16:51:20 +0100
# example: 220 smtp01.web.de ESMTP WEB.DE V4.110#2 Mon, 25 Jul 2011 12:16:08 +0200 250-smtp01.web.de Hello Zerobit [178.5.114.130] 250-SIZE 69920427 250-PIPELINING 250-AUTH PLAIN LOGIN 250-STARTTLS 250 HELP
/(^[2-5][0-9][0-9][ -]|[ .])web\.de (ESMTP (Web\.de|WEB\.DE) V[0-9]|\([a-z0-9]+\) Nemesis ESMTP)/ Web.de
# 1&1's and IONOS's servers, of the same house, greet in the same words.
# example: 220 smtp.1und1.de (mrbap1) Welcome to Nemesis ESMTP server
# example: 554-kundenserver.de (mxeue010) Nemesis ESMTP Service not available 554-No SMTP service 554 invalid DNS PTR resource record, IP=198.179.57.23
/(^[2-5][0-9][0-9][ -]|[ .])(1und1|kundenserver|ionos)\.[a-z.]+ \([a-z0-9]+\) (Welcome to )?Nemesis ESMTP/ IONOS
# example: 421 smtp.strato.de : No SMTP service (MBL-B)
/^[2-5][0-9][0-9][ -]([^ ]+\.)?strato\.de[ :]/ Strato
# domainfactory's relays greet as "dfex".
# example: 220 smtprelay01.ispgateway.de ESMTP dfex 250-smtprelay01.ispgateway.de Hello MacbookPro-Christian [89.26.38.13] 250-SIZE 104857600 250-8BITMIME 250-PIPELINING 250-AUTH PLAIN LOGIN 250-STARTTLS 250 HELP
# example: 220 smtprelay06.xxx.xx ESMTP dfex
/^220 [^ ]+ ESMTP dfex( |$)/ domainfactory
# example: 220 p3plsmtpa06-06.prod.phx3.secureserver.net ESMTP 250-p3plsmtpa06-06.prod.phx3.secureserver.net hello [190.165.92.132], secureserver.net 250-HELP 250-AUTH LOGIN PLAIN 250-SIZE 31457280 250-PIPELINING 250-8BITMIME 250 OK
/^220 [^ ]+\.secureserver\.net ESMTP( |$)/ GoDaddy
# example: 554 IP=98.130.1.230 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)
# example: 554 IP=x.x.x.x - Dialup/transient IP not allowed. Use a mailgateway or contact toda@rx.t-online.de if obsolete. (DIAL)
/ to[sd]a@rx\.t-online\.de( |$)/ T-Online
# example: 554 cmgw-3.mail.tiscali.it Tu5K1y00g1wtCLS01 IP: 74.208.74.90, You are not allowed to send mail. Please see http://csi.cloudmark.com/reset-request/?ip=74.208.74.90 if you feel this is in error.
/^[2-5][0-9][0-9][ -][^ ]+\.mail\.tiscali\.it / Tiscali
# Tencent's servers greet in the name of their own XMail.
# example: 220 newxmesmtplogicsvrsza5.qq.com XMail Esmtp QQ Mail Server.
# example: 220 smtp.qq.com Esmtp QQ Mail Server 250-smtp.qq.com 250-PIPELINING 250-SIZE 73400320 250-AUTH LOGIN PLAIN 250-AUTH=LOGIN 250-MAILCOMPRESS 250 8BITMIME
/qq\.com (XMail )?Esmtp QQ Mail Server/ QQ Mail
# example: 220 smtp4m.mail.yandex.net ESMTP (Want to use Yandex.Mail for your domain? Visit http://pdd.yandex.ru)
# example: 220 sas1-37da021029ee.qloud-c.yandex.net SMTP
/\.yandex\.(net|ru) E?SMTP( |$)/ Yandex
# example: 220 mxs.mail.ru ESMTP ready
# example: 220 Mail.Ru ESMTP
# example: 220 smtp5.mail.ru ESMTP ready 250-smtp5.mail.ru 250-SIZE 31457280 250-8BITMIME 250-AUTH PLAIN LOGIN 250 STARTTLS
# example: 220 smtp50.i.mail.ru ESMTP ready (Looking for Mail for your domain? Visit https://biz.mail.ru)
/^220 (mxs\.mail\.ru|Mail\.Ru|[^ ]+\.mail\.ru) ESMTP/ Mail.ru
# example: 220 dmail-rmail-pgvm40 ESMTP welcome to HanMail.Net(tm) ready
/ ESMTP welcome to HanMail\.Net\(tm\) ready/ HanMail
# example: 220 smtp-mail.cloud.toast.com SMTP Server (NHN Cloud Email SMTP) ready 250-smtp-mail.cloud.toast.com Hello a [10.162.169.253]) 250-PIPELINING 250-ENHANCEDSTATUSCODES 250-8BITMIME 250-STARTTLS 250-AUTH LOGIN PLAIN 250 AUTH=LOGIN PLAIN
/ SMTP Server \(NHN Cloud Email SMTP\) ready/ NHN Cloud Email
# example: 220 Welcome to Road Runner. NO UCE *** FOR AUTHORIZED USE ONLY! ***
/^220 Welcome to Road Runner\. NO UCE / Road Runner
# example: 220-mtaig-maa03.mx.aol.com ESMTP Internet Inbound 220-AOL and its affiliated companies do not 220-authorize the use of its proprietary computers and computer 220-networks to accept, transmit, or distribute unsolicited bulk 220-e-mail sent from the internet. 220-Effective immediately: 220-AOL may no longer accept connections from IP addresses 220 which no do not have reverse-DNS (PTR records) assigned.
# example: 220-rly-mc02.mx.aol.com ESMTP mail_relay_in-mc02.5; Tue, 12 May 2009 14:17:08 -0400 220-America Online (AOL) and its affiliated companies do not 220- authorize the use of its proprietary computers and computer 220- networks to accept, transmit, or distribute unsolicited bulk 220- e-mail sent from the internet. Effective immediately: AOL 220- may no longer accept connections from IP addresses which 220 have no reverse-DNS (PTR record) assigned.
# example: 554- (RTR:BL) https://postmaster.aol.com/error-codes#554rtrbl 554 Connecting IP: 198.54.120.192
/\.mx\.aol\.com ESMTP |^[45][0-9][0-9][ -].* https?:\/\/postmaster\.aol\.com\// AOL
# Apple's mail exchangers for iCloud greet as its "iscream" proxy.
# example: 220 iCloud iscream SMTP proxy - p00-iscream-smtp-d759469dd-ss5bd 3.5.0 (2403B23-529c1e05a5df)
/^220 iCloud iscream SMTP proxy / iCloud
# example: 220 SG ESMTP service ready at ismtpd0002p1sjc2.sendgrid.net
/ ESMTP service ready at [^ ]+\.sendgrid\.net/ SendGrid
# example: 220 Mailgun Influx ready
/^220 Mailgun Influx ready/ Mailgun
# Fastmail's servers are named in messagingengine.com and fastmail.com.
# example: 220 smtp.fastmail.com ESMTP ready
/^220[ -][^ ]+\.(messagingengine|fastmail)\.com ESMTP ready/ Fastmail
# AT&T's Maillennium.
# example: 220 some.server.net - Maillennium ESMTP/MULTIBOX in2 #46
/ Maillennium ESMTP\// Maillennium
# Alibaba's mail exchangers, for its own mail and the domains it hosts.
# example: 220 smtp.aliyun-inc.com MX AliMail Server
# example: 220 smtp.aliyun.com MX AliMail Server(127.0.0.1)
/^220[ -][^ ]+ MX AliMail Server( |\(|$)/ AliMail
# example: 220 resimta-a2p-650779.sys.comcast.net resimta-a2p-650779.sys.comcast.net ESMTP server ready 250-resimta-a2p-650779.sys.comcast.net hello [5.161.254.101], pleased to meet you 250-HELP 250-SIZE 36700160 250-ENHANCEDSTATUSCODES 250-8BITMIME 250-STARTTLS 250 OK
# example: 554 example.com eaxmple.com 203.0.113.2 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000010
/\.comcast\.net ESMTP server ready|^[45][0-9][0-9][ -].* https?:\/\/postmaster\.comcast\.net\// Comcast
# example: 220 msag500.nifty.com ESMTP Nifty Mail Server 250-msag500.nifty.com Hello softbank219*********.bbtec.net [219.***.**.**], pleased to meet you 250-ENHANCEDSTATUSCODES 250-PIPELINING 250-8BITMIME 250-SIZE 20971520 250-DSN 250-AUTH=PLAIN LOGIN CRAM-MD5 250-AUTH PLAIN LOGIN CRAM-MD5 250-DELIVERBY 250 HELP
/\.nifty\.com ESMTP Nifty Mail Server( |$)/ Nifty
# example: 220 avasout06 smtp relay.plus.net 501 EHLO requires valid address
/^220 [^ ]+ smtp relay\.plus\.net( |$)/ Plusnet
# example: 220 dcmimail1.emirates.net.ae Server IN ESMTP (Etisalt Mail Server 10.5) Ready
/ Server IN ESMTP \(Etisalt Mail Server [0-9]/ Etisalat
# example: 220 smtp.mailtrap.io ESMTP ready 250-smtp.mailtrap.io 250-SIZE 5242880 250-PIPELINING 250-ENHANCEDSTATUSCODES       250-8BITMIME 250-DSN 250-AUTH PLAIN LOGIN CRAM-MD5 250 STARTTLS
/^220 ([^ ]+\.)?mailtrap\.io ESMTP/ Mailtrap
# Orange's servers (mwinf...) say ME and number their refusals OFRnnn.
# example: 550 mwinf5c14 ME Adresse IP source bloquee pour incident de spam. Client host blocked for spamming issues. OFR006_102 Ref http://csi.cloudmark.com/reset-request/?ip=xxx.xxx.xxx.xxx [102]
/^[2-5][0-9][0-9][ -]mwinf[0-9a-z]+ ME .* OFR[0-9]+_[0-9]+ / Orange
# OVH's shared servers greet with the name of a cluster (player...).
# example: 220 ssl0.ovh.net player739 250-player739.ha.ovh.net 250-SIZE 104850000 250-AUTH PLAIN LOGIN 250-AUTH=PLAIN LOGIN 250-ENHANCEDSTATUSCODES 250 8BITMIME
# example: 220 ssl0.ovh.net player739 250-player739.ha.ovh.net 250-SIZE 104850000 250-AUTH PLAIN LOGIN 250-AUTH=PLAIN LOGIN 250-ENHANCEDSTATUSCODES 250 8BITMIME
/^220 [a-z0-9.-]+\.ovh\.net player[0-9]+( |$)/ OVH
# example: 220 smtp.naver.com ESMTP for naver.com 250-tsmtp03.nm.naver.com Pleased to meet you 250-SIZE 20971520 250-8BITMIME 250-HELP 250-PIPELINING 250-AUTH LOGIN PLAIN 250-STARTTLS 250 ENHANCEDSTATUSCODES 220 2.7.0 Ready to start TLS. 250-tsmtp03.nm.naver.com Pleased to meet you 250-SIZE 20971520 250-8BITMIME 250-HELP 250-PIPELINING 250-AUTH LOGIN PLAIN 250 ENHANCEDSTATUSCODES
/^220 [^ ]+ ESMTP for naver\.com( |$)|\.nm\.naver\.com Pleased to meet you( |$)/ Naver
# example: 220 smtp106.alice.it ESMTP Service ready 250-smtp106.alice.it 250-DSN 250-8BITMIME 250-PIPELINING 250-HELP 250-AUTH=LOGIN 250-AUTH LOGIN CRAM-MD5 DIGEST-MD5 PLAIN 250-DELIVERBY 300 250 SIZE 31457280
/^220 smtp[0-9]*\.alice\.it ESMTP Service ready( |$)/ Alice.it
# example: 220 atria.uberspace.de ESMTP 250-atria.uberspace.de 250-STARTTLS 250-PIPELINING 250-8BITMIME 250 AUTH LOGIN PLAIN
/^220 [a-z0-9-]+\.uberspace\.de ESMTP( |$)/ Uberspace
# example: 554 mxcmd04.ad.aruba.it bizsmtp hYzf1o0274Aa5Bp01 Connection refused from XXXX. See http://csi.cloudmark.com/reset-request/?ip=XXXX for more  information.
# example: 220 pepi1sm-sfepd02.ad.aruba.it Aruba SMTP ESMTP server ready
/^[2-5][0-9][0-9][ -][a-z0-9-]+(\.[a-z0-9-]+)*\.aruba\.it (bizsmtp|Aruba SMTP ESMTP server ready)( |$)/ Aruba
# example: 220 smtp.postmarkapp.com ESMTP sc-ams-smtp1
/^220 smtp\.postmarkapp\.com ESMTP( |$)/ Postmark
# example: 220 iemsa300501.mailsv.softbank.jp ESMTP server ready Thu, 12 Mar 2015 19:05:54 +0900
/^220 [^ ]+\.mailsv\.softbank\.jp ESMTP server ready( |$)/ SoftBank
# example: 220 smtp.mandrillapp.com ESMTP 250-relay-4.eu-west-1.relay-prod 250-PIPELINING 250-SIZE 26214400 250-STARTTLS 250-AUTH PLAIN LOGIN 250-ENHANCEDSTATUSCODES 250-8BITMIME 250 CHUNKING
/^220 smtp\.mandrillapp\.com ESMTP( |$)/ Mandrill
# example: 220 mx.cloudflare.net Cloudflare Email ESMTP Service ready 250-mx.cloudflare.net greets client.example.com 250-AUTH PLAIN LOGIN 250-SIZE 5242880 250-8BITMIME 250 ENHANCEDSTATUSCODES
/^220 [^ ]+ Cloudflare Email ESMTP Service ready( |$)/ Cloudflare
# Forcepoint's (before, Websense's) hosted MailControl.
# example: 220 cluster-g.mailcontrol.com ESMTP MailControl
/^220 [a-z0-9-]+\.mailcontrol\.com ESMTP MailControl( |$)/ Forcepoint MailControl

# Products, by their default greetings ----------------------------------------

# Exchange 5.x had an SMTP service of its own, the Internet Mail Service.
# example: 220 foo.bar Microsoft Exchange Internet Mail Service 5.0.1460.8 ready
# example version: 5.0.1460.8
# example: 220 foo.bar ESMTP Server (Microsoft Exchange Internet Mail Service 5.5.2653.13) ready
# example version: 5.5.2653.13
# version: /Microsoft Exchange Internet Mail Service / /[0-9]+(\.[0-9]+)+/
/Microsoft Exchange Internet Mail Service [0-9]/ Microsoft Exchange
# IIS's SMTP service (and Exchange 2003 on it) says its version; Exchange
# 2007 and later say the same words without it.
# example: 220 mail.example.com Microsoft ESMTP MAIL Service, Version: 10.0.17763.1697 ready at  Mon, 11 May 2026 10:15:02 +0200  214-This server supports the following commands: 214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH TURN ETRN BDAT VRFY
# example version: 10.0.17763.1697
# example: 220 msx.r33net.local Microsoft ESMTP MAIL Service, Version: 6.0.3790.1830 ready at Wed, 24 Feb 2010 10:28:45 +0100
# example version: 6.0.3790.1830
# version: /Microsoft ESMTP MAIL Service, Version: / /[0-9]+(\.[0-9]+)+/
/Microsoft ESMTP MAIL Service, Version: [0-9]/ Microsoft IIS SMTP
# example: 220 foo.bar Microsoft SMTP MAIL ready at Wed, 29 Nov 2017 23:48:59 +0000 Version: 5.5.1877.197.19
# example version: 5.5.1877.197.19
# version: / Version: / /[0-9]+(\.[0-9]+)+/
/ Microsoft SMTP MAIL ready at .* Version: [0-9]/ Microsoft IIS SMTP
# example: 220 mail.example.com Microsoft ESMTP MAIL Service ready at Mon, 11 May 2026 10:15:02 +0200 214-This server supports the following commands: 214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT
# example: 220 per-mail.***.org Microsoft ESMTP MAIL Service ready at Thu, 6 Sep 2018 15:14:16 +0800
/Microsoft ESMTP MAIL Service/ Microsoft Exchange
# Postfix's smtpd_banner is "$myhostname ESMTP $mail_name", and Debian's and
# Ubuntu's packages add their names.  Zimbra runs Postfix, and greets so;
# so do Mail-in-a-Box, in words of its own, and mailcow, whose mail_name is
# Postcow.
# example: 220 vm ESMTP Postfix (Debian/GNU) 500 5.5.2 Error: command not recognized
# example version: none
# example: 220 vm ESMTP Postfix 500 5.5.2 Error: command not recognized
# example version: none
# example: 220 mail-tester.com ESMTP Postfix (Ubuntu)
# example version: none
# A banner that adds $mail_version, as Postfix's documentation of
# smtpd_banner shows, gives the version.
# example: 220 mx.example.org ESMTP Postfix 3.7.11
# example version: 3.7.11
# version: / ESMTP ([Pp]ost[Ff]ix) / /[0-9]+(\.[0-9]+)+/
/ ESMTP ([Pp]ost[Ff]ix)/ Postfix
# example: 220-domain.com ESMTP Postcow
/ ESMTP Postcow( |$)/ Postfix
# example: 220 foo.bar SMTP Postfix
/ SMTP Postfix/ Postfix
# Postfix's postscreen greets with "220-" and its banner, and smtpd then
# with "220 " and the same: a banner without the product's name, twice.
# example: 220-mail.localdomain ESMTP 220 mail.localdomain ESMTP
/^220-[^ ]+ ESMTP 220 [^ ]+ ESMTP( [2-5][0-9][0-9][ -]|$)/ Postfix
# example: 220 foo.bar Hi, I'm a Mail-in-a-Box (Ubuntu/Postfix; see https://mailinabox.email/)
# example: 220 foo.bar ESMTP Hi, I'm a Mail-in-a-Box (Ubuntu/Postfix; see https://mailinabox.email/)
/ I'm a Mail-in-a-Box \(Ubuntu\/Postfix; / Postfix
# Exim's smtp_banner is "$smtp_active_hostname ESMTP Exim $version_number
# $tod_full".
# example: 220 mx.example.net ESMTP Exim 4.96 Mon, 11 May 2026 10:15:02 +0200 214-Commands supported: 214 AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP
# example version: 4.96
# example: 220 myhost.test.ex ESMTP Exim x.yz Tue, 2 Mar 1999 09:44:33 +0000
# example version: none
# version: / ESMTP \(?(Exim|EXIM) / /[0-9]+(\.[0-9]+)+/
# It refuses a client that talks before its greeting in words of its own.
/ ESMTP \(?(Exim|EXIM)( |\)|$)|^554 SMTP synchronization error( |$)/ Exim
# Products with "Sendmail" in their names that are not sendmail come first.
# example: 220 foo.bar ESMTP MetaInfo Sendmail 2.5 Build 2630 (Berkeley 8.8.6)/8.8.4; Mon, 30 Jul
# example version: 2.5
# version: / MetaInfo Sendmail / /[0-9]+(\.[0-9]+)+/
/ MetaInfo Sendmail [0-9]/ MetaInfo Sendmail
# example: 220 192.168.1.1 (IntraStore TurboSendmail) ESMTP Service ready
/\(IntraStore TurboSendmail\) ESMTP Service ready/ IntraStore TurboSendmail
# example: 220 mail.example.net ESMTP Sendmail 8.17.1/8.17.1; Mon, 11 May 2026 10:15:02 +0200 (CEST) 502 5.3.0 Sendmail 8.17.1 -- HELP not implemented
# example version: 8.17.1
# example: 220 mail.example.net ESMTP Sendmail 8.13.4/8.13.4/Debian-3sarge3; Mon, 11 May 2026 10:15:02 +0200 214-2.0.0 This is sendmail version 8.13.4 214-2.0.0 Topics: 214-2.0.0  HELO EHLO MAIL RCPT DATA 214-2.0.0  RSET NOOP QUIT HELP VRFY 214-2.0.0  EXPN VERB ETRN DSN AUTH 214-2.0.0  STARTTLS 214-2.0.0 For more info use "HELP <topic>". 214-2.0.0 To report bugs in the implementation send email to 214-2.0.0  sendmail-bugs@sendmail.org. 214-2.0.0 For local information send email to Postmaster at your site. 214 2.0.0 End of HELP info
# example version: 8.13.4
# version: / ESMTP (Debian )?Sendmail / /[0-9]+(\.[0-9]+)+/
/ ESMTP (Debian )?Sendmail[ ;]/ sendmail
# example: 220 Sendmail ESMTP ready
# example: 220 foo.bar Sendmail SMI-8.6/SMI-SVR4 ready at Sun, 29 Jul 2001 22:58:46 -0400
# example: 220 flare.sunspot.noao.edu Sendmail 4.1/SMI-4.1 ready at Fri, 5 Jul 93 13:13:01 MDT
# example: 220 mail.example.com ESMTP sendmail (AIX/PPC)
# example: 220 smtp sendmail v8.12.11 (IBM AIX 4.3)
# example: 220-mail.example.com ESMTP AIX Sendmail 7.5.3
# Older ones give its version and that of its configuration, a slash between.
/ Sendmail (AIX ?[0-9]|SMI-[0-9]|[0-9.]+\/SMI-[0-9]|[0-9]+\.[0-9][^ ;]*\/[^ ;]+( ready at |;))|^220 Sendmail ESMTP ready| ESMTP sendmail \(AIX| AIX Sendmail [0-9]| sendmail v8\.[0-9]/ sendmail
# example: 220 mx.example.org ESMTP OpenSMTPD 214-2.0.0 This is OpenSMTPD 214-2.0.0 To report bugs in the implementation, please contact bugs@openbsd.org 214-2.0.0 with full details 214 2.0.0 End of HELP info
/ ESMTP OpenSMTPD|This is OpenSMTPD/ OpenSMTPD
# example: 220 mx.example.net ESMTP Haraka/3.0.2 ready 250 Not implemented
# example version: 3.0.2
# example: 220 mail.example.org ESMTP Haraka 2.8.8 ready 250 Not implemented
# example version: 2.8.8
# version: / ESMTP Haraka[\/ ]/ /[0-9]+(\.[0-9]+)+/
/ ESMTP Haraka/ Haraka
# ZoneMTA, WildDuck's outbound server, ends its greeting with its version
# unless told not to.
# example: 220 mx05 ESMTP Welcome to feeder! [zone-mta/3.1.0]
/ \[zone-mta\/[0-9]+\.[0-9]/ ZoneMTA
# example: 220 mail.example.net ESMTP MDaemon 23.5.2; Mon, 11 May 2026 10:15:02 +0200 502 5.5.1 Command not implemented
# example version: 23.5.2
# example: 220 foo.bar ESMTP MDaemon 3.5.7 ready
# example version: 3.5.7
# version: / ESMTP (MSA )?MDaemon / /[0-9]+(\.[0-9]+)+/
# example: 220 xxxxxxxxxxxxxxxxxxxxxxxxxxx ESMTP MSA MDaemon 13.5.1; Thu, 15 Sep 2022 10:38:04 +0200 250-xxxxxxxxxxxxxxxxxxxxxxxxxxx Hello localhost, pleased to meet you 250-AUTH LOGIN CRAM-MD5 PLAIN 250-8BITMIME 250-STARTTLS 250 SIZE 220 Begin TLS negotiation 250-xxxxxxxxxxxxxxxxxxxxxxxxxxx.com Hello localhost, pleased to meet you 250-AUTH LOGIN CRAM-MD5 PLAIN 250-8BITMIME 250 SIZE
# example version: 13.5.1
/ ESMTP (MSA )?MDaemon [0-9]/ MDaemon
# example: 220 foo.bar ESMTP service ready [1] MDaemon v2.84 R
# example version: 2.84
# example: 220 foo.bar ESMTP service ready [1] MDaemon v2.8.7.0 R
# example version: 2.8.7.0
# version: /MDaemon v/ /[0-9]+(\.[0-9]+)+/
/ ESMTP service ready \[[0-9]+\] (using |\()?MDaemon v[0-9]/ MDaemon
# IceWarp was called Merak.
# example: 220 mail.example.net ESMTP IceWarp 13.0.3.10 x64; Mon, 11 May 2026 10:15:02 +0200 502 5.5.1 Command not implemented
# example version: 13.0.3.10
# example: 220 foo.bar SMTP Merak 8.0.3; Thu, 30 Nov 2017 20:01:41 +1000
# example version: 8.0.3
# version: / E?SMTP (IceWarp|Merak|MERAK) / /[0-9]+(\.[0-9]+)+/
/ E?SMTP (IceWarp|Merak|MERAK) [0-9]/ IceWarp
# example: 220 mail.example.net ESMTP MailEnable Service, Version: 10.45-- ready at 05/11/26 10:15:02 502 5.5.1 Command not implemented
# example version: 10.45
# example: 220 ESMTP MailEnable Service, Version: 9.53
# example version: 9.53
# example: 220 example.home ESMTP Mail Enable SMTP Service, Version: 1.5018-- ready at Thu, 20 Apr 2023 22:17:45 +0300
# example version: 1.5018
# version: / ESMTP (MailEnable|Mail Enable SMTP) Service, Version: / /[0-9]+(\.[0-9]+)+/
/ ESMTP (MailEnable|Mail Enable SMTP) Service, Version: |, this server offers [0-9]+ extensions( |$)|211 Help:->Supported Commands: HELO,EHLO,QUIT,HELP,RCPT,MAIL,DATA,RSET,NOOP/ MailEnable
# Kerio Connect was called Kerio MailServer.
# example: 220 mail.example.net Kerio MailServer 6.7.3 ESMTP ready 502 5.5.1 Command not implemented
# example version: 6.7.3
# example: 220 foo.bar Kerio Connect 8.0.2 ESMTP ready
# example version: 8.0.2
# version: / Kerio (Connect|MailServer) / /[0-9]+(\.[0-9]+)+/
/ Kerio (Connect|MailServer) [0-9]| 214 [0-9.]+ Commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY QUIT( |$)/ Kerio Connect
# example: 220 mail.example.net ESMTP CommuniGate Pro 6.3.20 is glad to see you! 502 5.5.1 Command not implemented
# example version: 6.3.20
# example: 220 foo.bar ESMTP CommuniGate Pro 5.3.1
# example version: 5.3.1
# version: / ESMTP CommuniGate Pro / /[0-9]+(\.[0-9]+)+/
/ ESMTP CommuniGate Pro( |$)| ESMTP is glad to see you!|Stalker Internet Mail Server V\.[0-9]|214-Copyright \(c\) 1995-[0-9]+, Stalker Software/ CommuniGate Pro
# Lotus Domino became IBM Domino with release 9.
# example: 220   ESMTP Service (Lotus Domino Release 7.0) ready at Thu, 30 Nov 2017 17:00:41 +0800
# example version: 7.0
# example: 220  ESMTP Service (IBM Domino Release 9.0.1FP8) ready at Thu, 30 Nov 2017 13:51:59 -0800
# example version: 9.0.1FP8
# version: / Domino (Release |Build |Versione )?V?/ /[0-9]+(\.[0-9]+)+(FP[0-9]+)?/
/ ESMTP Service \((Lotus|IBM|HCL) Domino (Release |Build |Versione )?V?[0-9]/ Lotus Domino
# example: 220 foo.bar Lotus SMTP MTA Service Ready
# example: 220 Lotus Notes ESMTP Server X1.0 on FooBar R45 Server/Foo Bar/US ready at Fri, 15 Feb 2002 09:46:19 -0800.
/ Lotus SMTP MTA Service Ready|Lotus Notes ESMTP Server X[0-9]|214-Enter one of the following commands: 214-HELO EHLO MAIL RCPT DATA RSET NOOP QUIT 214 HELP/ Lotus Domino
# example: 220 foo.bar GroupWise Internet Agent 5.5.1 Ready (C)1993, 1998 Novell, Inc.
# example version: 5.5.1
# example: 220 foo.bar GroupWise SMTP/MIME Daemon 4.1 v3 Ready (C)1993, 1996 Novell, Inc.
# example version: 4.1
# version: / GroupWise (Internet Agent|SMTP\/MIME Daemon) / /[0-9]+(\.[0-9]+)+/
/ GroupWise (Internet Agent|SMTP\/MIME Daemon) [0-9]/ GroupWise
# Netscape's server became iPlanet's, Sun's and Oracle's.
# example: 220 foo.bar ESMTP service (Netscape Messaging Server 4.15 Patch 7 (built Sep 12 2001))
# example version: 4.15
# example: 220 foo.bar ESMTP server (Netscape Messaging Server - Version 3.6) ready Thu, 30 Nov 2017 04:19:10 -0500
# example version: 3.6
# version: /\(Netscape Messaging Server (- Version )?/ /[0-9]+(\.[0-9]+)+/
/\(Netscape Messaging Server / Oracle Communications Messaging Server
# example: 220 oi-mta-02.oi.com.br -- Server ESMTP (Oracle Communications Messaging Server 7.0.5.36.0 64bit (built May 29 2015))
# example: 220 smtpin127.mac.com -- Server ESMTP (Oracle Communications Messaging Server 7u4-23.01(7.0.4.23.0) 64bit (built Aug 10 2011))
# example: 220 venus -- Server ESMTP (iPlanet Messaging Server 5.1 (built May  7 2001))
/ -- Server ESMTP \(((Oracle Communications|Sun Java(\(tm\))? System|Sun ONE|iPlanet) Messaging Server [0-9]|SUN JES MTA [0-9])/ Oracle Communications Messaging Server
# example: 220 foo.bar -- Server ESMTP (Sun Internet Mail Server sims.4.0.2000.10.12.16.25.p8)
/\(Sun Internet Mail Server sims\.[0-9]/ Sun Internet Mail Server
# example: 220 X1 NT-ESMTP Server foo.bar (IMail 6.06 899085-1)
# example version: 6.06
# example: 220 X1 NT-ESMTP Server foo.bar (IMail 6.06 EVAL 11347-1)
# example version: 6.06
# version: /\(IMail / /[0-9]+(\.[0-9]+)+/
/ NT-ESMTP Server [^ ]+ \(IMail [0-9]|\(IMail [0-9][^)]*\) NT-E?SMTP Server|211 DATA EXPN HELO MAIL NOOP QUIT RCPT RSET SAML SEND SOML TURN VRFY/ IMail
# example: 220 ArGoSoft Mail Server, Version 1.4 (1.4.0.7)
# example version: 1.4
# example: 220 ArGoSoft Mail Server Freeware, Version 1.8 (1.8.8.8)
# example version: 1.8
# version: /ArGoSoft Mail Server.*, Version / /[0-9]+(\.[0-9]+)+/
/ArGoSoft Mail Server.*, Version [0-9]/ ArGoSoft
# example: 220 foo.bar AppleShare IP Mail Server 6.2 SMTP Server Ready
# example version: 6.2
# example: 220 foo.bar AppleShare IP Mail Server 6.2.1 SMTP Server Ready
# example version: 6.2.1
# version: / AppleShare IP Mail Server / /[0-9]+(\.[0-9]+)+/
/ AppleShare IP Mail Server [0-9][.0-9]* SMTP Server Ready/ AppleShare IP Mail Server
# example: 220 foo.bar running Eudora Internet Mail Server 2.2
# example version: 2.2
# example: 220 foo.bar running Eudora Internet Mail Server 3.0.2
# example version: 3.0.2
# version: / running Eudora Internet Mail Server / /[0-9]+(\.[0-9]+)+/
/ running (Eudora Internet Mail Server|EIMS) (X )?[0-9]/ Eudora Internet Mail Server
# example: 220 foo.bar IMS SMTP Receiver Version 0.83 Ready
# example version: 0.83
# version: / IMS SMTP Receiver Version / /[0-9]+(\.[0-9]+)+/
/ IMS SMTP Receiver Version [0-9]/ EMWAC IMS
# example: 220 foo.bar FTGate server ready -attitude [C.o.r.E]
/ FTGate [Ss]erver [Rr]eady/ FTGate
# example: 220 foo.bar running IBM VM SMTP Level 640 on Thu, 30 Nov 2017 01:08:59 PDT
# example: 220 foo.bar running IBM VM SMTP Level 3A0 on Mon, 10 Sep 2001 07:21:54 EDT
/ running IBM VM SMTP / IBM VM SMTP
# example: 220 foo.bar SMTP Server (JAMES SMTP Server 2.3.2) ready Tue, 19 May 2015 00:36:13 +0200 (CEST)
# example version: 2.3.2
# version: /\(JAMES E?SMTP Server / /[0-9]+(\.[0-9]+)+/
/ E?SMTP Server \(JAMES E?SMTP Server [0-9]/ Apache James
# James built without a version number says nothing where the number was.
# example: 220 www.example.org JAMES SMTP Server Server (JAMES SMTP Server ) ready
/ JAMES E?SMTP Server Server \(JAMES E?SMTP Server \) ready/ Apache James
# The greeting of the smtpserver.xml James ships in its distributions.
# example: 220 Apache JAMES awesome SMTP Server
/^220 Apache JAMES awesome SMTP Server/ Apache James
# example: 220 foo.bar (Mail-Max Version 3.073, Thu, 30 Nov 2017 17:24:59 +0800 ) ESMTP Mail Server Ready.
# example version: 3.073
# example: 220 foo.bar (Mail-Max Version 4.2.4.7, Wed, 31 Jan 2001 03:44:35 +0100 WST) ESMTP Mail Server Ready.
# example version: 4.2.4.7
# version: /\(Mail-Max Version / /[0-9]+(\.[0-9]+)+/
/\(Mail-Max Version [0-9]| ESMTP MailMax [0-9]| Mailmax version [0-9][^ ]* ESMTP Mail Server Ready/ Mail-Max
# example: 220 foo.bar MailSite SMTP Receiver Ready
# example version: none
# example: 220  MailSite ESMTP Receiver Version 10.2.0.0 Ready
# example version: 10.2.0.0
# version: / MailSite E?SMTP Receiver Version / /[0-9]+(\.[0-9]+)+/
/ MailSite E?SMTP Receiver (Version [0-9][.0-9]* )?Ready/ MailSite
# example: 220 MERCUR SMTP-Server (v3.30.09 SA-0000005) for Windows NT ready at Thu, 30 Nov 2017  10:01:06 +0100
# example version: 3.30.09
# version: /MERCUR SMTP-Server \(v/ /[0-9]+(\.[0-9]+)+/
/MERCUR SMTP-Server \(v[0-9]/ MERCUR
# example: 220 foo.bar Mercury 1.43 ESMTP server ready.
# example version: 1.43
# example: 220 foo.bar Mercury/32 v3.30 ESMTP server ready.
# example version: 3.30
# version: / Mercury(\/32 v| )/ /[0-9]+(\.[0-9]+)+/
/ Mercury(\/32 v| )[0-9][.0-9a-z]* (SMTP\/)?E?SMTP server ready|214-Recognized SMTP commands are: 214- +HELO +EHLO +MAIL +RCPT +DATA +RSET/ Mercury
# example: 220 foo.bar WindowsNT SMTP Server v3.03.0018/7.aavn/SP ESMTP ready at Thu, 30 Nov 2017 10:15:31 +0100
/ NTMail \(v[0-9]| WindowsNT SMTP Server v[0-9][^ ]*\/SP ESMTP ready at/ NTMail
# example: 220 foo.bar UCX V4.2-21I, OpenVMS V6.2 VAX ready at Wed, 20 May 2015 01:15:16 GMT
# example: 220 foo.bar V5.7-ECO4, OpenVMS V8.4 IA64 ready at Wed, 20 May 2015 01:22:32 +0100 (BST)
/ V[0-9][^ ]*, OpenVMS V[0-9][^ ]* (Alpha|VAX|IA64|x86_64) ready at / OpenVMS TCP/IP Services
# example: 220 foo.bar ESMTP PMailServer 1.78; Fri,  6 Apr 2018 04:34:11
# example version: 1.78
# example: 220 foo.bar ESMTP PMailServer [Free Edition] 1.91; Fri, 22 May 2015 02:04:56
# example version: 1.91
# version: / E?SMTP PMailServer (\[[^]]*\] )?/ /[0-9]+(\.[0-9]+)+/
/ E?SMTP PMailServer / PMail Server
# example: 220 foo.bar ESMTP server (Post.Office v3.1 release PO205e ID# 0-42000U100L2S100) ready Tue, 6 Feb 2001 19:38:32 +0100
# example version: 3.1
# example: 220 foo.bar ESMTP server (post.office v3.8.4 release 116 ID# 1001-65749U100L10S0V38) ready Thu, 30 Nov 2017 18:46:24 +0900
# example version: 3.8.4
# version: / E?SMTP server \([Pp]ost\.[Oo]ffice v/ /[0-9]+(\.[0-9]+)+/
/ E?SMTP server \([Pp]ost\.[Oo]ffice v[0-9]|This SMTP server is a part of the Post\.Office E-mail system/ Post.Office
# example: 220 foo.bar SAP 8.04(53) ESMTP service ready
/ SAP [0-9][^ ]* E?SMTP service ready/ SAP
# example: 220 foo.bar ESMTP ecelerity 4.2.37.61980 r(:) Thu, 30 Nov 2017 09:58:54 +0000
# example version: 4.2.37.61980
# example: 220 foo.bar ESMTP ecelerity 3.3.1.44388 r(44388) Thu, 30 Nov 2017 03:10:11 -0700
# example version: 3.3.1.44388
# version: / ESMTP ecelerity / /[0-9]+(\.[0-9]+)+/
# example: 220 ecbuild-14 ESMTP ecelerity HEAD r(9610M) Wed, 08 Mar 2006 16:21:51 -0500 250-ecbuild-14 says EHLO to 10.80.116.73 250-PIPELINING 250-XDUMPCONTEXT 250-8BITMIME 250-AUTH=LOGIN 250-AUTH LOGIN 250 STARTTLS
# example version: none
/ ESMTP ecelerity ([0-9]|HEAD )/ Momentum
# example: 220 foo.bar Smtp Server SLMail v2.7 Ready ESMTP spoken here
# example version: 2.7
# example: 220 foo.bar SMTP Server SLmail 3.2.3113 Ready ESMTP spoken here
# example version: 3.2.3113
# version: / Server SL[Mm]ail v?/ /[0-9]+(\.[0-9]+)+/
/ (SMTP|Smtp) Server SL[Mm]ail v?[0-9][.0-9]* Ready ESMTP spoken here/ SLmail
# example: 220 foo.bar (PowerMTA(TM) v3.2r24) ESMTP service ready
# example version: 3.2r24
# version: /\(PowerMTA\(TM\) v/ /[0-9]+(\.[0-9]+)+(r[0-9]+)?/
/\(PowerMTA\(TM\) v[0-9]|214 2\.0\.0 try reading the RFCs: http:\/\/www\.imc\.org\/rfcs\.html/ PowerMTA
# example: 220 foo.bar VOPmail ESMTP Receiver Version 4.0.179.0 Ready
# example version: 4.0.179.0
# version: / VOPmail ESMTP Receiver Version / /[0-9]+(\.[0-9]+)+/
/ VOPmail ESMTP Receiver Version [0-9]/ VOPMail
# example: 220 foo.bar VPOP3 SMTP Server Ready
# example: 220 foo.bar VPOP3 ESMTP Server Ready
/ VPOP3 E?SMTP Server (Ready|access not allowed)/ VPOP3
# example: 220 foo.bar ESMTP Lyris ListManager service ready
/ ESMTP Lyris (ListManager )?service ready/ Lyris ListManager
# example: 220 foo.bar ESMTP - WinRoute Pro 4.2.4
# example version: 4.2.4
# example: 220 ESMTP - WinRoute Pro 4.2.1 Thu, 16 Nov 2017 11:48:15 +0300
# example version: 4.2.1
# version: /ESMTP - WinRoute Pro / /[0-9]+(\.[0-9]+)+/
/ESMTP - WinRoute Pro [0-9]/ WinRoute
# example: 220 foo.bar ZMailer Server 2.99.57 #1 ESMTP ready at Thu, 16 Nov 2017 12:00:12 +0300
# example version: 2.99.57
# example: 220 foo.bar ZMailer Server 2.99.55 #16 ESMTP+IDENT ready at Thu, 16 Nov 2017 06:51:42 -0300
# example version: 2.99.55
# version: / ZMailer Server / /[0-9]+(\.[0-9]+)+/
/ ZMailer Server [0-9][.0-9]* #[0-9]+ ESMTP|214 SMTP server comments and bug reports to: <zmhacks@nic\.funet\.fi>/ Zmailer
# Twisted's greeting, with ESMTP after it where its server speaks ESMTP.
# example: 220 foo.bar NO UCE NO UBE NO RELAY PROBES ESMTP
# example: 220 vm.example.test NO UCE NO UBE NO RELAY PROBES 500 Command not implemented
/^220 [^ ]+ NO UCE NO UBE NO RELAY PROBES( ESMTP)?( |$)/ Twisted
# example: 220 ESMTP on WinWebMail [3.9.0.7] ready.  http://www.winwebmail.com
# example version: 3.9.0.7
# version: /ESMTP on WinWebMail \[/ /[0-9]+(\.[0-9]+)+/
/ESMTP on WinWebMail \[[0-9]/ WinWebMail
# example: 220 foo.bar Service ready by David.fx (0486) ESMTP Server (Tobit.Software, Germany)
/ Service ready by (David\.fx|DvISE PostMan) \([0-9]+\) ESMTP Server \(Tobit\.? ?Software, Germany\)/ Tobit David
# example: 220 vagrant-centos ESMTP MAILSAC
/ ESMTP MAILSAC/ Mailsac
# example: 220 mail.example.net ESMTP Citadel server ready.
/ ESMTP Citadel server ready/ Citadel
# example: 220 smtp.example.com Stalwart ESMTP at your service
# Its first versions said SMTP and their version number.
# example: 220 mail.cloud.mydomain.net Stalwart SMTP v0.4.0 at your service. 250-mail.cloud.mydomain.net says hello 250-STARTTLS 250-SMTPUTF8 250-SIZE 104857600 250-REQUIRETLS 250-PIPELINING 250-ENHANCEDSTATUSCODES 250-CHUNKING 250-BINARYMIME 250 8BITMIME
/ Stalwart (ESMTP|SMTP v[0-9][^ ]*) at your service/ Stalwart
# example: 220 mail.typebot.io ESMTP Postal/TNSDKD
/ ESMTP Postal\/[A-Za-z0-9]+( |$)/ Postal
# example: 220 vm ESMTP chasquid
/ ESMTP chasquid( |$)/ chasquid
# mox names itself and its version after ESMTP.
# example: 220 mail.smartus.cz ESMTP mox v0.0.11
/ ESMTP mox v[0-9]+\.[0-9]/ mox
# example: 220 vm ESMTP qpsmtpd 0.94 ready; send us your mail, but not your spam. 214-This is qpsmtpd 0.94 214-See http://smtpd.develooper.com/ 214 To report bugs or send comments, mail to <ask@develooper.com>.
# example version: 0.94
# version: / ESMTP qpsmtpd |This is qpsmtpd / /[0-9]+(\.[0-9]+)+/
/ ESMTP qpsmtpd [0-9]|This is qpsmtpd [0-9]/ qpsmtpd
# aiosmtpd greets with "Python SMTP" and its version; the smtpd module of
# Python's standard library before it, as a proxy.
# example: 220 localhost Python SMTP 1.4.6 250 Supported commands: AUTH DATA EHLO HELO HELP MAIL NOOP QUIT RCPT RSET VRFY
# example version: 1.4.6
# version: / Python SMTP / /[0-9]+(\.[0-9]+)+/
/^220 [^ ]+ Python SMTP [0-9]+\.[0-9]/ aiosmtpd
# example: 220 localhost Python SMTP proxy version 0.3 250 Supported commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY
# example version: 0.3
# version: / Python SMTP proxy version / /[0-9]+(\.[0-9]+)+/
/^220 [^ ]+ Python SMTP proxy version [0-9]/ Python smtpd
# Mail servers in libraries, greeting with their names.
# example: 220 vm ESMTP node.js simplesmtp 502 5.5.2 Error: command not recognized
/ ESMTP node\.js simplesmtp/ simplesmtp
# example: 220 vm ESMTP Net::Server::Mail (Perl) Service ready 250 Ok
/ Net::Server::Mail \(Perl\) Service ready/ Net::Server::Mail
# SubEthaSMTP, the Java library under fakeSMTP and Wiser, names itself and
# its version, "null" when its jar carries none.
# example: 220 octoo.local ESMTP SubEthaSMTP null
/ ESMTP SubEthaSMTP( |$)/ SubEthaSMTP
# Mail catchers and probes for developers and testers.
# example: 220 mailhog.example ESMTP MailHog
/ ESMTP MailHog( |$)/ MailHog
# example: 220 oast.fun interactsh ESMTP Service ready
/^220 [^ ]+ interactsh ESMTP Service ready/ interactsh
# example: 220 Papercut.Service v6.0.0.0 ESMTP ready
/ Papercut\.Service v[0-9][^ ]* ESMTP ready/ Papercut
# clamsmtpd and proxsmtpd, the one's code shared by the other, greet with a
# fixed name of their own, whatever the server behind them; the reply to
# HELP is that server's.
# example: 220 smtp.passthru 250 Supported commands: AUTH DATA EHLO HELO HELP MAIL NOOP QUIT RCPT RSET VRFY
# example: 220 smtp.passthru 250 Supported commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY
/^220 smtp\.passthru( |$)/ clamsmtp/proxsmtp
# DavMail, a gateway from mail clients to Exchange, greets with its
# version and the time.
# example: 220 DavMail 5.2.0-2961 SMTP ready at Thu Jun 13 09:00:50 EDT 2019
/^220 DavMail [0-9][^ ]* SMTP ready at / DavMail
# example: 220 MacGyver SMTP Ready.
/^220 MacGyver SMTP Ready\./ Net::SMTP::Server
# example: 220 vm.example.test Salmon Mail router SMTPD, version 3.3.0 250 Supported commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY
# example version: 3.3.0
# version: / Salmon Mail router SMTPD, version / /[0-9]+(\.[0-9]+)+/
/ Salmon Mail router SMTPD, version [0-9]/ Salmon
# Coremail, the server of NetEase's 126.com and 163.com and of many others.
# example: 220 126.com Anti-spam GT for Coremail System (126com[071018]) 250-mail 250-AUTH LOGIN PLAIN 250-AUTH=LOGIN PLAIN 250 8BITMIME
# example: 220 163.com Anti-spam GT for Coremail System (163com[20141201])
# example: 220 163.com Coremail SMTP(Anti Spam) System
/ Anti-spam GT for Coremail System \(| Coremail SMTP\(Anti Spam\) System/ Coremail
# example: 220 testsrv.com SMTP Guerrilla(1.5.1-90-gf9c4965) #1 (1) 2019-08-04T13:40:52+03:00
# example version: 1.5.1-90-gf9c4965
# version: / SMTP Guerrilla\(/ /[0-9][^)]*/
# example: 220 receive.cinnox.com SMTP Guerrilla(unknown) #2457 (1) 2023-05-30T10:25:17Z 250-receive.cinnox.com Hello 250-SIZE 67108864 250-PIPELINING 250-STARTTLS 250-ENHANCEDSTATUSCODES 250 HELP
# example version: none
/ SMTP Guerrilla\(/ go-guerrilla
# example: 220 kona.carleton.edu -- Server ESMTP (PMDF V6.2#30648)
# example version: V6.2#30648
# version: / -- Server ESMTP \(PMDF / /V[0-9][^)]*/
/ -- Server ESMTP \(PMDF V[0-9]/ PMDF
# example: 220 example.com SurgeSMTP (Version 7.1f-15) http://surgemail.com
# example version: 7.1f-15
# example: 220 SMTP example.com (Surgemail Version 3.7b6-6)
# example version: 3.7b6-6
# version: /(SurgeSMTP \(|Surgemail )Version / /[0-9][^) ]*/
/ SurgeSMTP \(Version [0-9]|\(Surgemail Version [0-9]/ SurgeMail
# example: 220 example.com ESMTP Xpressions Version 8.11.119 (WIN-NT) Release Build 18409 ready
# example version: 8.11.119
# version: / ESMTP Xpressions Version / /[0-9]+(\.[0-9]+)+/
/ ESMTP Xpressions Version [0-9]/ Xpressions
# example: 220 Welcome to my smtp server(EQManager V3.5) ESMTP 250-Welcome to my smtp server(EQManager V3.5) 250-AUTH LOGIN PLAIN 250-AUTH=LOGIN PLAIN 250-PIPELINING 250-SIZE 10485760 250 8BITMIME
# example version: 3.5
# version: /\(EQManager V/ /[0-9]+(\.[0-9]+)+/
/\(EQManager V[0-9]/ EQManager
# example: 220 xxx.xxx.xxx.xxx ESMTP IdeaSmtpServer v0.80.1 ready.
# example version: 0.80.1
# version: / ESMTP IdeaSmtpServer v/ /[0-9]+(\.[0-9]+)+/
/ ESMTP IdeaSmtpServer v[0-9]/ IdeaSmtpServer
# example: 220 0b939e3ef53b Microsoft Graph SMTP OAuth Relay 250-0b939e3ef53b 250-SIZE 33554432 250-8BITMIME 250-SMTPUTF8 250-AUTH LOGIN PLAIN 250 HELP
/ Microsoft Graph SMTP OAuth Relay( |$)/ smtp-oauth-relay
# example: 220 <1140475332.2874633136@mast> [XMail 1.22 ESMTP Server] service ready; Mon, 20 Feb 2006 22:42:12 -0000
# example version: 1.22
# version: /\[XMail / /[0-9]+(\.[0-9]+)+/
/\[XMail [0-9][^]]* ESMTP Server\]/ XMail
# example: 220 mast MasqMail 0.2.21 ESMTP
# example version: 0.2.21
# version: / MasqMail / /[0-9]+(\.[0-9]+)+/
/ MasqMail [0-9][^ ]* ESMTP( |$)/ MasqMail
# Openwave's (before, Software.com's) InterMail gives its build after a v and a letter.
# example: 220 moon.telcotest.cti2.com ESMTP server (InterMail vK.4.03.00.00 201-232-121 license d3f1e9b0ca21d978198f8b681cb00234) ready Wed, 28 Feb 2001 11:22:59 +0200
# example version: K.4.03.00.00
# version: /\(InterMail v/ /[A-Z]\.[0-9]+(\.[0-9]+)*/
/ ESMTP server \(InterMail v[A-Z]\.[0-9]/ Openwave
# example: 220 testdrive.mirapoint.com ESMTP Mirapoint 1.1.0; Wed, 28 Feb 2001 04:23:27 -0500 (EST)
# example version: 1.1.0
# version: / ESMTP Mirapoint / /[0-9]+(\.[0-9]+)+/
/ ESMTP Mirapoint [0-9]/ Mirapoint
# example: 220 s0mailgw01.prontomail.co.il ESMTP Service (NPlex 2.0.119) ready
# example version: 2.0.119
# version: / ESMTP Service \(NPlex / /[0-9]+(\.[0-9]+)+/
/ ESMTP Service \(NPlex [0-9]/ Commtouch NPlex
# example: 220 mail.inetsim.org INetSim Mail Service ready. 214-Commands supported: 214-    HELO MAIL RCPT DATA 214-    RSET NOOP QUIT EXPN 214-    HELP VRFY EHLO AUTH 214-    ETRN STARTTLS 214 For more info use "HELP <topic>".
/ INetSim Mail Service ready\./ INetSim
# example: 220 EventMachine SMTP Server 250 Ok, but unimplemented
/^220 EventMachine SMTP Server( |$)/ EventMachine SmtpServer
# example: 220 localhost ESMTP msmtpd 500 Expected EHLO or HELO
/^220 [^ ]+ ESMTP msmtpd( |$)/ msmtpd
# example: 220 nullmailer-smtpd ready 214 2.0.0 Help not available
/^220 nullmailer-smtpd ready( |$)/ nullmailer
# example: 220 127.0.0.1 tcllib smtpd 1.5; Tue, 08 Dec 2026 04:23:52 +0000 214-Topics: 214-   HELO MAIL DATA RSET NOOP QUIT 214-For more information use "HELP <topic>". 214 End of HELP
# example version: 1.5
# version: / tcllib smtpd / /[0-9]+(\.[0-9]+)+/
/ tcllib smtpd [0-9]/ tcllib smtpd
# example: 220 Greta Mailpit (101) ESMTP Service ready 250-Greta greets ba-dd.cloudflare-email.net 250-SIZE 0 250-AUTH LOGIN PLAIN 250 ENHANCEDSTATUSCODES
/ Mailpit (\([0-9]+\) )?ESMTP Service ready( |$)/ Mailpit
# example: 220 a4360929b762 Mailrise 0.0.post1.dev1+gbf98187 250-a4360929b762 250-SIZE 33554432 250-8BITMIME 250-SMTPUTF8 250 HELP
# example version: 0.0.post1.dev1+gbf98187
# version: /^220 [^ ]+ Mailrise / /[0-9][^ ]*/
/^220 [^ ]+ Mailrise [0-9]/ Mailrise
# aws-smtp-relay, which passes mail on to Amazon SES.
# example: 220 ns03 AWS SMTP Relay ESMTP Service ready 250-ns03 greets ns03 250-SIZE 0 250 ENHANCEDSTATUSCODES
/ AWS SMTP Relay ESMTP Service ready( |$)/ AWS SMTP Relay
# slimta's sample configuration names the agent; its EHLO reply greets the client.
# example: 220 localhost ESMTP Mail Delivery Agent 500 5.5.2 Syntax error, command unrecognized
/^220 [^ ]+ ESMTP Mail (Delivery|Submission) Agent( |$)/ slimta
# Test servers, which catch mail and deliver none.
# Postfix's smtp-sink, a test server, greets with its default host name.
# example: 220 smtp-sink ESMTP 500 5.5.1 Error: unknown command
/^220 smtp-sink ESMTP( |$)/ smtp-sink
# example: 220 localhost Dumbster SMTP service ready 250 OK 211 No help available
/ Dumbster SMTP service ready( |$)/ Dumbster
# example: 220 (none) smtp4dev ready 250 Nice to meet you. SIZE
/ smtp4dev ready( |$)/ smtp4dev
# example: 220 localhost FakeSMTPd Service ready 250 localhost Hello survey.example.test 500 Command unrecognized
/ FakeSMTPd Service ready( |$)/ fakesmtpd
# example: 220 Bonzo SMTP Server 0.2.0 502 Error: command "EHLO" not implemented 250 Hello 127.0.0.1 502 Error: command "HELP" not implemented
# example version: 0.2.0
# version: /^220 Bonzo SMTP Server / /[0-9]+(\.[0-9]+)+/
/^220 Bonzo SMTP Server [0-9]/ bonzo
# example: 220 unknown mailfront ESMTP 214 2.0.0 Help not available.
/^220 [^ ]+ mailfront ESMTP( |$)/ mailfront
# example: 220 mail.sf-mail.de Qsmtpd 0.34dev ESMTP 250-mail.sf-mail.de 250-ENHANCEDSTATUSCODES 250-PIPELINING 250-8BITMIME 250-STARTTLS 250 SIZE
# example version: 0.34dev
# version: / Qsmtpd / /[0-9][^ ]*/
/ Qsmtpd [0-9][^ ]* ESMTP/ Qsmtpd
# example: 220 test-sample.jp E-POST ESMTP Receiver v5 (5.0x) Bld:xxxxxxxxx
/ E-POST ESMTP Receiver v[0-9]/ E-POST Mail Server
# example: 220 mail.example.com IBM PROFs ESMTP gateway AIX 4.3.3 Fri, 11 Jan 2019 11:38:14 +0300
/ IBM PROFs ESMTP gateway/ IBM PROFS gateway
# example: 220 operamail.com InterChange ESMTP v3.62 Ready
# example version: 3.62
# version: / InterChange ESMTP v/ /[0-9]+(\.[0-9]+)+/
/ InterChange ESMTP v[0-9]/ InterChange
# example: 220 minirelay server v0.9.74d ready 250-net 250-auth login 250 help
# example version: 0.9.74d
# version: /^220 minirelay server v/ /[0-9]+(\.[0-9]+)+[a-z]?/
/^220 minirelay server v[0-9]/ MiniRelay
# SmtpServer, a .NET library, greets with its version after the host name.
# example: 220 mail.xx v4.3.0.0 ESMTP ready
/^220 [^ ]+ v[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ ESMTP ready( |$)/ SmtpServer (.NET)
# Proxmox Mail Gateway's Postfix, with the banner it sets.
# example: 220-afriendsmailserver ESMTP Proxmox
/^220[ -][^ ]+ ESMTP Proxmox( |$)/ Proxmox Mail Gateway
# Dovecot's submission service, in front of a relay.
# example: 220 vm.example.test Dovecot (Debian) ready. 500 5.5.1 Unknown command
/^220 [^ ]+ Dovecot (\([A-Za-z]+\) )?ready\./ Dovecot

# Filters, firewalls and their SMTP proxies, by their greetings --------------

# example: 220 foo.bar ESMTP Symantec Mail Security
# example: 220 foo.bar ESMTP Symantec Messaging Gateway
# Symantec's hosted service (MessageLabs, Symantec.cloud) is named in messagelabs.com.
/ ESMTP Symantec (Mail Security|Messaging Gateway)| SMTP NAVIEG [0-9]| SMTP NAVGW [0-9]|^[2-5][0-9][0-9][ -][^ ]*\.messagelabs\.com[ !]/ Symantec
# example: 220 mail.example.com ESMTP Example Sophos Email Appliance v4.4.1.1
# example version: 4.4.1.1
# example: 220 mail.example.com ESMTP Sophos Email Appliance v4.5.3.6
# example version: 4.5.3.6
# version: / Sophos Email Appliance v/ /[0-9]+(\.[0-9]+)+/
# Sophos's hosted email is named in hydra.sophos.com.
/ Sophos Email Appliance v[0-9]|^[2-5][0-9][0-9][ -][^ ]+\.hydra\.sophos\.com( |$)/ Sophos
# Trend Micro's InterScan VirusWall, and its InterScan Messaging Security
# Virtual Appliance.
# example: 220 mail1.microsoft.com InterScan VirusWall NT ESMTP 3.24 (build 01/19/2000) ready at Thu, 08 Mar 2001 01:24:14 -0800 (Pacific Standard Time)
/ InterScan VirusWall( NT)? ESMTP [0-9]|^220 Trend Micro ESMTP [0-9]/ Trend Micro
# example: 220 ESMTP IMSVA
# Trend Micro's hosted email security is named in tmes.trendmicro and hes.trendmicro.
/ ESMTP IMSVA( |$)|^[2-5][0-9][0-9][ -][^ ]+\.(tmes|hes)\.trendmicro\.(com|eu)( |$)/ Trend Micro
# example: 220 AVG ESMTP Proxy Server 7.0.300/7.0.300 [265.8.8]
# example version: 7.0.300
# version: / AVG ESMTP Proxy Server / /[0-9]+(\.[0-9]+)+/
/ AVG ESMTP Proxy Server [0-9]/ AVG
# example: 220 foo.bar ESMTP SonicWALL (9.0.5.2077)
# example version: 9.0.5.2077
# example: 220 foo.bar ESMTP SonicWall (9.1.1.3113)
# example version: 9.1.1.3113
# version: / ESMTP SonicW(ALL|all) \(/ /[0-9]+(\.[0-9]+)+/
/ ESMTP SonicW(ALL|all) \([0-9]/ SonicWall Email Security
# example: 220 foo.bar McAfee WebShield ASaP v1.0.1: Sun, 29 Jul 2001 22:46:18 -0700
# example: 220 foo.bar McAfee VirusScreen ASaP v1.1: Sun, 20 Jul 2003 09:20:52 -0700
/ WebShield SMTP V[0-9].* Network Associates| McAfee (WebShield|VirusScreen) ASaP v[0-9]/ McAfee
# example: 220 foo.bar MAILsweeper ESMTP Receiver Version 4.2.1.0 Ready
# example version: 4.2.1.0
# version: / MAILsweeper ESMTP Receiver Version / /[0-9]+(\.[0-9]+)+/
/ MAILsweeper ESMTP Receiver Version [0-9]/ MAILsweeper
# example: 220 CSM Internet Mail Scanner SMTP-Gateway read.
# example: 220 CSM Internet Mail Scanner SMTP-Gateway ready.
/CSM Internet Mail Scanner SMTP-Gateway/ CSM Internet Mail Scanner
# example: 220 Cellopoint E-mail Firewall v3.9.12 Build 0324 ready
# example version: 3.9.12
# version: /Cellopoint E-mail Firewall v/ /[0-9]+(\.[0-9]+)+/
/Cellopoint E-mail Firewall v[0-9]/ Cellopoint
# example: 220 CheckPoint FireWall-1 secure SMTP server
# example: 220 CheckPoint FireWall-1 secure ESMTP server
/CheckPoint FireWall-1 secure E?SMTP server/ Check Point FireWall-1
# Cisco PIX's MailGuard hides the greeting behind asterisks.
# example: 220 ***************************
# example: 220 SMTP/cmap ready________________________________________________________________________
/SMTP\/cmap ready|^220[ -]\*\*\*\*\*\*\*\*/ Cisco PIX
# example: 220 foo.bar SMTP/smap Ready.
/ SMTP\/smap Ready\./ smap
# rblsmtpd, of ucspi-tcp, answers for a blocked client in place of the MTA.
# example: 220 rblsmtpd.local 250 rblsmtpd.local 553 You are listed in our local blocklist
/^220 rblsmtpd\.local( |$)/ rblsmtpd
# example: 220 192.168.1.1 SMTP AnalogX Proxy 4.15 (Release) ready
# example version: 4.15
# version: / SMTP AnalogX Proxy / /[0-9]+(\.[0-9]+)+/
/ SMTP AnalogX Proxy [0-9]/ AnalogX Proxy
# The Barracuda Spam Firewall follows ESMTP with a tag of 32 hexadecimal
# digits in parentheses.
# example: 220 barracuda.choopa.net ESMTP (2cca12787012f064281cf8557700560b)
/^220 [^ ]+ ESMTP \([0-9a-f]{32}\)( |$)/ Barracuda
# Its refusals name Barracuda's own list of addresses and its page.
# example: 554-Service unavailable; Client host [bl11-253-215.dsl.telepac.pt] blocked using 554-Barracuda Reputation; 554 http://www.barracudanetworks.com/reputation/?r=1&ip=85.244.xxx.yyy
# Its hosted service is named in barracudanetworks.com.
/Barracuda Reputation; (554 )?https?:\/\/www\.barracudanetworks\.com\/reputation\/|^[2-5][0-9][0-9][ -][^ ]+\.barracudanetworks\.com( |$)/ Barracuda
# Administrators often name Cisco's Email Security Appliances after their
# old name, IronPort.
# example: 554 ironportin-lyk-3.it.gu.se
# Cisco's hosted ESA is named in iphmx.com.
/^[2-5][0-9][0-9][ -][Ii]ron[Pp]ort[a-z0-9-]*\.[a-z0-9.-]+( ESMTP)?( |$)|^[2-5][0-9][0-9][ -][^ ]+\.iphmx\.com( |$)/ Cisco ESA
# amavis, the content filter between an MTA and its virus scanners, answers
# on a port of its own (10024) and points to its home page.
# example: 220 [127.0.0.1] ESMTP amavis service ready 214-2.0.0 See amavis home page at: 214 2.0.0 http://www.ijs.si/software/amavisd/
/ ESMTP amavis(d-new)? service ready|214-2\.0\.0 See amavis home page at:/ amavis
# example: 220 CCProxy 7.3 SMTP Service Ready(Unregistered)
# example version: 7.3
# version: /CCProxy / /[0-9]+(\.[0-9]+)+/
/CCProxy [0-9][.0-9]* SMTP Service Ready/ CCProxy

# Products, by their answers to HELP alone ------------------------------------

# qmail-smtpd greets with control/smtpgreeting, by default only the host
# name; its HELP reply names qmail 1.03, netqmail or notqmail.
# example: 220 mx.example.net ESMTP 214 netqmail home page: http://qmail.org/netqmail
# example: 220 mx.example.net ESMTP 214 qmail home page: http://pobox.com/~djb/qmail.html
# example: 220 mx.example.net ESMTP 214 notqmail home page: https://notqmail.org
/qmail home page: http|^421 unable to read controls \(#4\.3\.0\)/ qmail
# Postfix has no HELP command; Postfix 3.7 answers any command it does not
# know with "500 5.5.2 Error: command not recognized".  The 502 of older
# Postfix is also simplesmtp's, Node's server that copied its words, behind
# the same bare greeting: that answer names neither.  The reply to QUIT may
# follow.
# In today's dialogue the replies to EHLO, STARTTLS and EHLO inside TLS
# come between the greeting and the answer to HELP.
# example: 220 vm ESMTP 500 5.5.2 Error: command not recognized
# example: 220 vm ESMTP 250-vm 250-PIPELINING 250-SIZE 10240000 250-STARTTLS 250 8BITMIME 220 2.0.0 Ready to start TLS 250-vm 250-PIPELINING 250 8BITMIME 500 5.5.2 Error: command not recognized 221 2.0.0 Bye
# It answers a client that breaks the rules of pipelining in words of its own.
/^220 [^ ]+ ESMTP( 250[- ].*)? 500 5\.5\.2 Error: command not recognized( 221 .*)?$| 221 2\.7\.0 Error: I can break rules, too\. Goodbye\./ Postfix
# example: 220 mx.example.net ESMTP 214-Commands supported: 214 AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP
# Exim 3 and the first of 4 listed them on two lines, indented.
/214-Commands supported: (214 .*HELO EHLO MAIL RCPT DATA (BDAT )?NOOP QUIT RSET HELP|214- +HELO EHLO MAIL RCPT DATA( ETRN)?( AUTH)? 214 +NOOP QUIT RSET HELP)/ Exim
# sendmail's help file begins with its version; without the help file it
# answers with the version too.
# example: 220 mail.example.net ESMTP ready; Mon, 11 May 2026 10:15:02 +0200 214-2.0.0 This is sendmail version 8.13.4 214-2.0.0 Topics: 214-2.0.0  HELO EHLO MAIL RCPT DATA 214-2.0.0  RSET NOOP QUIT HELP VRFY 214-2.0.0  EXPN VERB ETRN DSN AUTH 214-2.0.0  STARTTLS 214-2.0.0 For more info use "HELP <topic>". 214-2.0.0 To report bugs in the implementation send email to 214-2.0.0  sendmail-bugs@sendmail.org. 214-2.0.0 For local information send email to Postmaster at your site. 214 2.0.0 End of HELP info
# example version: 8.13.4
# version: /This is [Ss]endmail version / /[0-9]+(\.[0-9]+)+/
/This is [Ss]endmail version ([0-9]|AIX[0-9])/ sendmail
# example: 220 mail.example.net ESMTP 502 5.3.0 Sendmail 8.17.1 -- HELP not implemented
# example version: 8.17.1
# version: / Sendmail / /[0-9]+(\.[0-9]+)+/
/Sendmail [0-9][^ ]* -- HELP not implemented/ sendmail
# Exchange 2007 and later, with a banner of the administrator's own; IIS
# lists TURN and ETRN too.
# example: 220 mail.example.com ESMTP 214-This server supports the following commands: 214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT
/214 HELO EHLO (STARTTLS )?RCPT DATA RSET MAIL QUIT HELP (AUTH )?BDAT/ Microsoft Exchange
# Courier's esmtpd greets with the host name alone.
# example: 220 vm ESMTP 502 ESMTP command error
# example: 220 vm ESMTP 250-vm Ok. 250-PIPELINING 250 8BITMIME 502 ESMTP command error 221 Bye.
/^220 [^ ]+ ESMTP( 250[- ].*)? 502 ESMTP command error( 221 .*)?$/ Courier
# nginx's mail proxy greets with its server_name and "ESMTP ready", as do
# other servers, and answers HELP, which it does not pass on, in words of its
# own.
# example: 220 mail.example.test ESMTP ready 500 5.5.1 Invalid command
# example: 220 mail.example.test ESMTP ready 250-mail.example.test 250-PIPELINING 250 STARTTLS 500 5.5.1 Invalid command 221 2.0.0 Bye
/^220 [^ ]+ ESMTP ready( 250[- ].*)? 500 5\.5\.1 Invalid command( 221 .*)?$/ nginx
# Nodemailer's smtp-server, under many Node mail servers, points to the RFC.
# example: 220 vm ESMTP 214 See https://tools.ietf.org/html/rfc5321 for details
/214 See https:\/\/tools\.ietf\.org\/html\/rfc5321 for details/ Nodemailer smtp-server
# example: 421 user-PC You talk too soon
/^421 [^ ]+ You talk too soon( |$)/ Nodemailer smtp-server
# example: 220 andris-outfunnel ESMTP Welcome to My Awesome SMTP Server 250-andris-outfunnel Nice to meet you, [::1] 250-8BITMIME 250-SMTPUTF8 250-STARTTLS 250-SIZE 10485760 250-XCLIENT NAME ADDR PORT PROTO HELO LOGIN 250 XFORWARD NAME ADDR PORT PROTO HELO IDENT SOURCE
/^220 [^ ]+ ESMTP( .*)? 250-[^ ]+ Nice to meet you, [^ ]+ 250-/ Nodemailer smtp-server
# Cisco's Email Security Appliance (IronPort) lists its commands in lower case.
# example: 220 C680.lab.test ESMTP 214-The following commands are recognized 214- auth data ehlo helo 214- help mail noop quit 214 rcpt rset vrfy
/214-The following commands are recognized 214- +auth +data +ehlo +helo 214- +help +mail +noop +quit 214 +rcpt +rset +vrfy/ Cisco ESA
# hMailServer greets with a welcome message of the administrator's choosing
# (its old versions named themselves), and answers HELP with a list of its own.
# example: 220 mail.example.net ESMTP 211 DATA HELO EHLO MAIL NOOP QUIT RCPT RSET SAML TURN VRFY
/211 DATA HELO EHLO MAIL NOOP QUIT RCPT RSET SAML TURN VRFY| ESMTP hMailServer [0-9]|^220 \(SMTP\) hMailServer [0-9]/ hMailServer
# blackhole, a Python server that takes mail and keeps none, answers HELP with 250.
# example: 220 mx.example.test ESMTP 250 Supported commands: AUTH DATA EHLO ETRN EXPN HELO MAIL NOOP QUIT RCPT RSET VRFY
/250 Supported commands: AUTH DATA EHLO ETRN EXPN HELO MAIL NOOP QUIT RCPT RSET VRFY( |$)/ blackhole
# pymta greets the client's address and lists its commands in its own order.
# example: 220 localhost Hello 127.0.0.1 214-Commands supported 214 NOOP HELO QUIT AUTH RCPT DATA RSET HELP MAIL EHLO
/214 NOOP HELO QUIT AUTH RCPT DATA RSET HELP MAIL EHLO( |$)/ pymta

# mailfront (Bruce Guenter's) greets with the name it is given.
# example: 220 vm ESMTP 214 2.0.0 Help not available.
/^220 [^ ]+ ESMTP( 250[- ].*)? 214 2\.0\.0 Help not available\.( 221 .*)?$/ mailfront
# The npm package smtp-protocol greets with the host name alone.
# example: 220 vm 503 Bad sequence: HELO, EHLO, or LHLO expected.
/^220 [^ ]+ 503 Bad sequence: HELO, EHLO, or LHLO expected\./ smtp-protocol

# Products, by their answers to EHLO alone ------------------------------------

# Many products greet with a banner of the administrator's choosing, and
# name themselves in the first line of their reply to EHLO, or by the
# extensions they alone offer.
# Stalwart's reply to EHLO, in its source and in session logs.
# example: 220 mail.example.org ESMTP 250-mail.example.org you had me at EHLO 250-STARTTLS 250-SMTPUTF8 250-SIZE 104857600 250-PIPELINING 250-ENHANCEDSTATUSCODES 250 8BITMIME
/ 250[- ][^ ]+ you had me at EHLO( |$)/ Stalwart
# Postfix's reply to EHLO: its host name alone, then the extensions in the
# order of its source (smtpd.c): PIPELINING, SIZE, VRFY, ETRN, ...
# example: 220 mail.example.test ESMTP 250-mail.example.test 250-PIPELINING 250-SIZE 10240000 250-ETRN 250-AUTH PLAIN LOGIN 250-AUTH=PLAIN LOGIN 250-ENHANCEDSTATUSCODES 250-8BITMIME 250-DSN 250 CHUNKING
/ 250-[^ ]+ 250-PIPELINING 250-SIZE( [0-9]+)? (250-VRFY )?250-ETRN( |$)/ Postfix
# Google's reply to EHLO names the host and the client's address.
# example: 220 mail.example.org ESMTP 250-mx.google.com at your service, [192.0.2.25] 250-SIZE 157286400 250-8BITMIME 250-STARTTLS 250-ENHANCEDSTATUSCODES 250-PIPELINING 250-CHUNKING 250 SMTPUTF8
/ 250[- ][^ ]+\.google\.com at your service, \[/ Google
# Exchange 2013 and later offer XRDST; 2007 and 2010 XEXCH50; all of them
# X-ANONYMOUSTLS.
# example: 220 mail.example.com ESMTP 250-mail.example.com Hello [192.0.2.25] 250-SIZE 37748736 250-PIPELINING 250-DSN 250-ENHANCEDSTATUSCODES 250-STARTTLS 250-X-ANONYMOUSTLS 250-AUTH NTLM 250-X-EXPS GSSAPI NTLM 250-8BITMIME 250-BINARYMIME 250-CHUNKING 250 XRDST
# example: 220 mail.example.com ESMTP 250-mail.example.com Hello [192.0.2.25] 250-SIZE 10485760 250-PIPELINING 250-DSN 250-ENHANCEDSTATUSCODES 250-STARTTLS 250-X-ANONYMOUSTLS 250-AUTH NTLM 250-X-EXPS GSSAPI NTLM 250-8BITMIME 250-BINARYMIME 250-CHUNKING 250-XEXCH50 250 XRDST
/ 250[- ](XRDST|XEXCH50|X-ANONYMOUSTLS)( |$)/ Microsoft Exchange
# Exim's: the client's name and address, then SIZE, 8BITMIME and PIPELINING
# in the order of its source (smtp_in.c); PIPECONNECT is its own.
# example: 220 mx.example.test ESMTP 250-mx.example.test Hello survey.example.test [127.0.0.1] 250-SIZE 7654321 250-8BITMIME 250-DSN 250-PIPELINING 250-PIPECONNECT 250-CHUNKING 250-STARTTLS 250-PRDR 250-SMTPUTF8 250 HELP
/ Hello [^ ]+ \[[0-9a-fA-F.:]+\] 250-SIZE( [0-9]+)? (250-LIMITS [A-Z0-9= ]+ )?250-8BITMIME (250-DSN )?250-PIPELINING( |$)| 250-(X_)?PIPE_?CONNECT( |$)/ Exim
# Courier's names it among its extensions.
# example: 220 mx.example.test ESMTP 250-mx.example.test Ok. 250-STARTTLS 250-XVERP=Courier 250-XEXDATA 250-XSECURITY=NONE,STARTTLS 250-PIPELINING 250-8BITMIME 250-SMTPUTF8 250-SIZE 250 DSN
/ 250-XVERP=Courier( |$)/ Courier
# Haraka's says so whatever the greeting.
# example: 220 mx.example.test ESMTP Mail service (1780F1) 250-mx.example.test Hello runsc [127.0.0.1], Haraka is at your service. 250-PIPELINING 250-8BITMIME 250-SMTPUTF8 250-SIZE 5678901 250 STARTTLS
/Haraka is at your service\./ Haraka
# sendmail's: pleased to meet you, then its extensions in the order of its
# source (srvrsmtp.c).
# example: 220 mx.example.test ESMTP 250-mx.example.test Hello localhost [127.0.0.1], pleased to meet you 250-ENHANCEDSTATUSCODES 250-PIPELINING 250-8BITMIME 250-SIZE 4567890 250-DSN 250-ETRN 250-STARTTLS 250-DELIVERBY 250 HELP
/, pleased to meet you 250-ENHANCEDSTATUSCODES 250-PIPELINING 250-8BITMIME 250-SIZE( |$)/ sendmail
