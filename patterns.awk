# patterns.awk: which mail server software a greeting and HELP reply come from.
#
# The pattern list of D. J. Bernstein's "*.net mail exchanger survey" of
# 11 May 1998 (comp.mail.misc, comp.mail.sendmail; also
# https://cr.yp.to/surveys/smtpsoftware3.txt), in its original order: the
# first pattern that matches a host's text names its software, and a host
# that no pattern matches is "not sure".
#
# The surviving copy of the post lost parts of four patterns to a filter that
# deleted address- and URL-like tokens.  They are restored here from the
# ordering of the list (by regex length, longest first) and from the servers'
# own texts: line 13, the qmail home page URL (a guess of the right length);
# line 14, qmail 1.01's "send comments to qmail@pobox.com"; lines 32 and 64,
# "Post.Office" in front of " E-mail system" and " v".
#
# Format: /REGEX/ LABEL, optionally followed by " # comment".  REGEX is a
# POSIX awk extended regular expression, matched case-sensitively anywhere in
# the host's text: the greeting and the HELP reply with CRs removed and lines
# joined by single spaces.  REGEX ends at a / as awk ends a regex, not at one
# escaped (\/) nor in a bracket expression ([/]); LABEL is printable text.
# Blank lines and lines starting with # are ignored.
#
# Each "# example:" line above a pattern is such a text, and names the
# software of that pattern: a self-test checks that each example is matched
# by its own pattern and by no pattern before it.

# example: 220 gate.example.net Raptor SMTP proxy ready 554 Sorry, you are not authorized to make this connection.
/Sorry, you are not authorized to make this connection/ Raptor proxy
# example: 220 fw.example.net Raptor SMTP proxy ready 421 Sorry, unable to contact destination SMTP daemon.
/Sorry, unable to contact destination SMTP daemon/ Raptor proxy
# example: 220 mail.example.net MERCUR SMTP-Server (v3.10.04) for Windows NT ready at Mon, 11 May 1998 05:12:30 +0200 214-Commands supported: 214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY
/MERCUR SMTP-Server .v.* for Windows NT ready at/ MERCUR
# example: 220 pc.example.net MERCUR SMTP-Server (v2.20.03) for Windows 95 ready at Mon, 11 May 1998 05:14:02 +0200 214-Commands supported: 214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/MERCUR SMTP-Server .v.* for Windows 95 ready at/ MERCUR
# example: 220 mail.example.net ESMTP service ready 502 HELP refused: forging of mail requires recognizable SMTP
/forging of mail requires recognizable SMTP/ unknown (requires recognizable SMTP)
# example: 220 mail.example.net MDaemon 2.7 SP4 ESMTP ready 502 Help system currently inactive
/MDaemon .* Help system currently inactive/ MDaemon
# example: 220 exchange.example.net ESMTP Server (Microsoft Exchange Internet Mail Connector 4.0.994.63) ready 214-This server supports the following commands: 214 HELO EHLO RCPT DATA RSET MAIL QUIT HELP ETRN
/Microsoft Exchange Internet Mail Connector/ MS Exchange
# example: 220 mail.example.net ESMTP Server (Microsoft Exchange Internet Mail Service 5.5.1960.3) ready 214-This server supports the following commands: 214 HELO EHLO RCPT DATA RSET MAIL QUIT HELP ETRN TURN
/Microsoft Exchange Internet Mail Service/ MS Exchange
# example: 220 fw.example.net CheckPoint FireWall-1 secure SMTP server 502 Command not implemented
/CheckPoint FireWall-1 secure SMTP server/ CheckPoint firewall
# example: 220 mail.example.net Stalker Internet Mail Server V.1.6 is ready. 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Stalker Internet Mail Server .*is ready/ Stalker
# example: 220 mail.example.net ESMTP NTMail (v3.02.13) ready for mail 214-This is an NT Server running Internet Shopper's NTMail (v3.02.13) 214 Commands: HELO EHLO MAIL RCPT DATA RSET VRFY NOOP QUIT HELP
/NT Server running Internet Shopper/ NT Mail
# example: 220 mail.example.net Simple Mail Transfer Service Ready 214-Commands: 214 HELO MAIL RCPT DATA RSET SEND SOML SAML NOOP QUIT HELP
/Simple Mail Transfer Service Ready/ unknown (Simple Mail Transfer Service Ready)
# example: 220 mail.example.net ESMTP 214 qmail home page: http://pobox.com/~djb/qmail.html
# example: 220 mail.example.net ESMTP 214-qmail home page: http://pobox.com/~djb/qmail.html 214 send comments to qmail@pobox.com
/http:..pobox.com.~djb.qmail.html/ qmail
# example: 220 mail.example.net ESMTP 214 send comments to qmail@pobox.com
/send comments to qmail@pobox.com/ qmail
# example: 220 mail.example.net Mercury 1.31 ESMTP server ready. 214-Recognized SMTP commands are: 214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY
/Mercury 1\... ESMTP server ready/ Mercury
# example: 220 nw.example.net Mercury 1.21 SMTP server ready. 214-Recognized SMTP commands are: 214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Mercury 1\... SMTP server ready/ Mercury
# example: 220 pc.example.net PC/TCP SMTPSRV by FTP Software ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/PC.TCP SMTPSRV by FTP Software/ PC/TCP SMTPSRV
# example: 220 mac.example.net VOPMail SMTP Receiver Version 3.0 Ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/VOPMail SMTP Receiver Version / VOPMail
# example: 220 bbs.example.net SMTP service ready. Running on The Major BBS with Internet Connectivity Option 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Running on The Major BBS with / Major BBS
# example: 220 mail.example.net ESMTP (IPAD 2.52.10) ready at Mon, 11 May 1998 03:22:16 -0500 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/ ESMTP .IPAD 2....... ready at/ IPAD
# example: 220 mac.example.net CommuniGate SMTPGate is ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/CommuniGate SMTPGate is ready/ CommuniGate SMTP
# example: 220 vms.example.net WIN/TCP SMTP server ready 214-Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP 214 Report bugs to The Wollongong Group
/bugs to The Wollongong Group/ Wollongong SMTP
# example: 220 mail.example.net Microsoft SMTP MAIL ready at Mon, 11 May 1998 03:15:06 -0700 Version: 5.0.1460.8 214-This server supports the following commands: 214 HELO EHLO RCPT DATA RSET MAIL QUIT HELP TURN ETRN
/Microsoft SMTP MAIL ready at/ Microsoft SMTP MAIL
# example: 220 mail.example.net Eureka! Gold Internet Server ESMTP ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/Eureka! Gold Internet Server/ Eureka! Gold Internet Server
# example: 220 mac.example.net ESMTP Eudora Internet Mail Server 2.0 ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/Eudora Internet Mail Server/ Eudora Internet Mail Server, formerly AIMS, formerly MailShare
# example: 220 mail.example.net ESMTP (IPAD 2.52) ready at Mon, 11 May 1998 03:24:51 -0500 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/ ESMTP .IPAD 2.... ready at/ IPAD
# example: 220 mac.example.net Apple Internet Mail Server 1.1.1 ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Apple Internet Mail Server/ Eudora Internet Mail Server, formerly AIMS, formerly MailShare
# example: 220 gw.example.net GroupWise Internet Agent 4.1 Ready (C)1993, 1996 Novell, Inc. 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/ GroupWise Internet Agent / Groupwise Internet Agent
# example: 220 mail.example.net ESMTP (IPAD 2.5) ready at Mon, 11 May 1998 03:26:03 -0500 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/ ESMTP .IPAD 2... ready at/ IPAD
# example: 220 mail.example.net ESMTP (IPAD 1.5) ready at Mon, 11 May 1998 03:27:40 -0500 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/ ESMTP .IPAD 1... ready at/ IPAD
# example: 220 mail.example.net Ready for business, iSMTP 3.1 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Ready for business. iSMTP/ iSMTP
# example: 220 mail.example.net ESMTP server (Post.Office v3.1.2 release 215 ID# 0-41211U100L2S100) ready Mon, 11 May 1998 03:17:25 -0400 214-This SMTP server is a part of the Post.Office E-mail system. For information about 214-Post.Office, please see http://www.software.com 214- 214- Supported commands: 214- 214- EHLO HELO MAIL RCPT DATA 214- VRFY RSET NOOP QUIT 214- 214- SMTP Extensions supported through EHLO: 214- 214- EXPN HELP SIZE 214- 214-For more information about a listed topic, use "HELP <topic>" 214 Please report mail-related problems to Postmaster at this site.
/Post.Office E-mail system/ Post.Office
# example: 220 nw.example.net Mercury SMTP server ready. 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Mercury SMTP server ready/ Mercury
# example: 220 mac.example.net CommuniGate SMTP is ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/CommuniGate SMTP is ready/ CommuniGate SMTP
# example: 220 mail.example.net ESMTP server (Netscape Messaging Server - Version 3.01) ready Mon, 11 May 1998 03:20:11 -0400 214-Commands: 214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN
/Netscape Messaging Server/ Netscape Messaging Server, formerly Netscape Mail Server
# example: 220 mail.example.net ESMTP Service (Worldmail 1.3.167) ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/ESMTP Service .Worldmail / Worldmail
# example: 220 mail.example.net ESMTP Service (WorldMail 1.3.122) ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/ESMTP Service .WorldMail / Worldmail
# example: 220 vax.example.net TGV/MultiNet SMTP server V3.5 ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY
/TGV.MultiNet SMTP server/ CISCO MultiNet, formerly TGV/MultiNet
# example: 220 AS400.EXAMPLE.NET running IBM AS/400 SMTP V03R02M00 on Mon, 11 May 1998 03:15:02 -0500 214-The following commands are recognized: 214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY
/running IBM AS.400 SMTP/ AS/400 SMTP
# example: 220 mac.example.net Mail*Link SMTP Package 1.0 ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Mail.Link SMTP Package/ Mail*Link
# example: 220 fc.example.net FirstClass Mail Server ESMTP ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/FirstClass Mail Server / FirstClass
# example: 220 fw.example.net This is Fwmail version 1.2 ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/This is Fwmail version / Fwmail
# example: 220 pc.example.net NetManage SMTP service ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/NetManage SMTP service/ NetManage SMTP service
# example: 220 mail.example.net MailSite SMTP Receiver Version 2.1.4 Ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/MailSite SMTP Receiver/ MailSite SMTP Receiver
# example: 220 bbs.example.net Worldgroup SMTP server ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Worldgroup SMTP server/ Worldgroup SMTP server
# example: 220 blackhole.example.net ESMTP Duhmail (Black Hole v0.1) ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/Duhmail..Black Hole v/ sendmail # *
# example: 220 mail.example.net ESMTP Service (NPlex 2.0.118) ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/ESMTP Service .NPlex / NPlex
# example: 220 gate.example.net Generic SMTP handler ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Generic SMTP handler/ Raptor firewall
# example: 220 mail.example.net ESMTP server (Netscape Mail Server v2.02) ready Mon, 11 May 1998 03:21:40 -0400 214-Commands: 214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN
/Netscape Mail Server/ Netscape Messaging Server, formerly Netscape Mail Server
# example: 220 mail.example.net SMTP Server SLmail 2.6 Ready ESMTP spoken here 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/ SMTP Server SLmail / SLmail
# example: 220 nt.example.net EMWAC SMTP Receiver Version 0.83 Ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/EMWAC SMTP Receiver/ EMWAC SMTP Receiver
# example: 220 gw.example.net GroupWise SMTP/MIME Daemon 4.1 v3 Ready (C)1993, 1997 Novell, Inc. 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/GroupWise SMTP.MIME/ GroupWise
# example: 220 nt.example.net ESMTP MetaInfo Sendmail 2.0.11/2.0.11; Mon, 11 May 1998 03:19:55 -0500 214-This is MetaInfo Sendmail version 2.0.11 214-Topics: 214- HELO EHLO MAIL RCPT DATA 214- RSET NOOP QUIT HELP VRFY 214-For more info use "HELP <topic>". 214 End of HELP info
/MetaInfo Sendmail/ MetaInfo Sendmail, port of sendmail to NT
# example: 220 mail.example.net IMS SMTP Receiver Version 0.84 Ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/IMS SMTP Receiver/ IMS SMTP Receiver
# example: 220 mac.example.net running MailShare 1.0 at Mon, 11 May 1998 03:25:12 -0400 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/running MailShare/ Eudora Internet Mail Server, formerly AIMS, formerly MailShare
# example: 220 mac.example.net ListSTAR Package SMTP ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/ListSTAR Package/ ListSTAR
# example: 220 vax.example.net TGV MultiNet V3.5 SMTP service ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/TGV MultiNet V/ CISCO MultiNet, formerly TGV/MultiNet
# example: 220 mail.example.net AltaVista Mail V1.0/1.0 BL22 SMTP ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/AltaVista Mail/ AltaVista Mail
# example: 220 bbs.example.net MindWire-SMTP 1.0 ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/MindWire-SMTP / MindWire-SMTP
# example: 220 notes.example.net Lotus SMTP MTA Service Ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/Lotus SMTP MTA/ Lotus SMTP MTA
# example: 220 vax.example.net MX V4.2-1 VAX SMTP server ready at Mon, 11 May 1998 03:12:44 EDT 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN
/MX V.\..-. VAX/ VMS MX
# example: 220 VMS.EXAMPLE.NET -- Server SMTP (PMDF#12345 V4.3-10) 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN
/\(PMDF#..... V/ PMDF
# example: 220 mail.example.net ESMTP VMailer 502 Error: command not implemented
/ESMTP VMailer/ VMailer
# example: 220 mail.example.net ESMTP server (Post.Office v2.0 release 42 ID# 0-12345U100L2S100) ready Mon, 11 May 1998 03:18:31 -0400 214 Supported commands: EHLO HELO MAIL RCPT DATA VRFY RSET NOOP QUIT
/Post.Office v/ Post.Office
# example: 220 mail.example.net Connect2-SMTP 4.00.030 ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Connect2-SMTP/ Connect2-SMTP
# example: 220 vms.example.net -- Server SMTP (PMDF V5.0-7 #12345) 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN
/ SMTP \(PMDF / PMDF
# example: 220 vax.example.net MX V4.1 VAX SMTP server ready at Mon, 11 May 1998 03:13:10 EDT 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN
/MX V.\.. VAX/ VMS MX
# example: 220 mail.example.net TFS Gateway /SMTP/ ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/TFS Gateway / TFS Gateway
# example: 220 axp.example.net MX V4.2 AXP SMTP server ready at Mon, 11 May 1998 03:13:52 EDT 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN
/MX V.\.. AXP/ VMS MX
# example: 220 mail.example.net ZMailer Server 2.99.49p9 #3 ESMTP ready at Mon, 11 May 1998 06:12:44 +0300 214-This is ZMailer smtpserver by Rayan Zachariassen and Matti Aarnio 214-The following commands are recognized: 214 EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY EXPN HELP
/Zachariassen/ Zmailer
# example: 220 mail.example.net Pony Express SMTP server ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/Pony Express/ Pony Express
# example: 220 vms.example.net SMTP-OpenVMS V1.0 ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/SMTP.OpenVMS/ SMTP-OpenVMS
# example: 220 mail.example.net Smail ready at Mon, 11 May 98 03:10 EDT 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/ Smail ready/ Smail
# example: 220 VM.EXAMPLE.NET running IBM VM SMTP Level 320 on Mon, 11 May 98 03:12:04 EDT 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY
/IBM VM SMTP/ IBM VM SMTP
# example: 220 mail.example.net IMA SMTP Server ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/ IMA SMTP / IMA SMTP
# example: 220 mail.example.net NASTA Gate SMTP ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/NASTA Gate/ NASTA Gate
# example: 220 firewall.example.net SMTP/smap Ready. 214-Commands: 214-HELO MAIL RCPT DATA RSET 214 NOOP QUIT HELP VRFY EXPN
/SMTP.smap/ smap
# example: 220 mail.example.net Smail-3.2 (#1 1996-Jul-4) ready at Mon, 11 May 98 03:10 EDT 214-The following SMTP commands are recognized: 214 HELO MAIL RCPT DATA VRFY EXPN QUIT RSET NOOP DEBUG HELP
/Smail-3.2/ Smail
# example: 220 mail.example.net Smail 3.1.29.1 #8 ready at Mon, 11 May 98 03:11 EDT 214-The following SMTP commands are recognized: 214 HELO MAIL RCPT DATA VRFY EXPN QUIT RSET NOOP DEBUG HELP
/Smail 3.1/ Smail
# example: 220 mail.example.net smail 3.1.28.1 #2 ready at Mon, 11 May 98 03:11 EDT 214-The following SMTP commands are recognized: 214 HELO MAIL RCPT DATA VRFY EXPN QUIT RSET NOOP DEBUG HELP
/smail 3.1/ Smail
# example: 220 mail.example.net Smail3.2.0.101 ready at Mon, 11 May 98 03:12 EDT 214-The following SMTP commands are recognized: 214 HELO MAIL RCPT DATA VRFY EXPN QUIT RSET NOOP DEBUG HELP
/Smail3.2/ Smail
# example: 220 mail.example.net Smail3.1.29.1 #3 ready at Mon, 11 May 98 03:12 EDT 214-The following SMTP commands are recognized: 214 HELO MAIL RCPT DATA VRFY EXPN QUIT RSET NOOP DEBUG HELP
/Smail3.1/ Smail
# example: 220 pc.example.net SLmail95 v2.5 ESMTP Ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/SLmail95/ SLmail
# example: 220 nt.example.net SLmailNT v3.0 ESMTP Ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/SLmailNT/ SLmail
# example: 220 nt.example.net SLMAILNT ESMTP Ready 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP
/SLMAILNT/ SLmail
# example: 220 mail.example.net ESMTP Sendmail 8.8.8/8.8.8; Mon, 11 May 1998 03:10:00 -0400 (EDT) 214-This is Sendmail version 8.8.8 214-Topics: 214- HELO EHLO MAIL RCPT DATA 214- RSET NOOP QUIT HELP VRFY 214- EXPN VERB ETRN DSN 214-For more info use "HELP <topic>". 214-To report bugs in the implementation send email to 214- sendmail-bugs@sendmail.org. 214-For local information send email to Postmaster at your site. 214 End of HELP info
/Sendmail/ sendmail
# example: 220 vms.example.net -- Server ESMTP (PMDF V5.1-10 #10612) 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY EXPN
/PMDF V/ PMDF
# example: 220 fw.example.net SMTPXD (AltaVista Firewall 97) ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/SMTPXD/ AltaVista firewall
# example: 220 mail.example.net (IMail 4.03 118271-1) NT-ESMTP Server X1 214-Commands: 214 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY
/IMail/ IMail
# example: 220 mail.example.net ESMTP Exim 1.82 #1 Mon, 11 May 1998 08:10:00 +0100 214-Commands supported: 214- HELO EHLO MAIL RCPT DATA VRFY EXPN 214 NOOP QUIT RSET HELP
/Exim/ Exim
# example: 220 vax.example.net SMTP server (UCX V4.1) ready 214 Commands: HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/UCX / UCX
# example: 220 mail.example.net Service ready (PP MTA) 214-Pleased to meet you. Known commands: 214 HELO MAIL RCPT DATA RSET NOOP QUIT HELP
/[pP][pP].*Pleased to meet you/ PP
# example: 220 mail.example.net SMTP service ready 500 Help ... Not recognized
/Help \.\.\. Not recognized/ unknown (Help ... Not recognized)
# example: 220 mail.example.net SMTP service ready 500 HELP ... Not recognized
/HELP \.\.\. Not recognized/ unknown (Help ... Not recognized)
# example: 220 mail.example.net sendmail 4.1/SMI-4.1 ready at Mon, 11 May 98 03:10:00 EDT 214-Commands: 214- HELO MAIL RCPT DATA RSET 214- NOOP QUIT HELP VRFY EXPN 214-For more info use "HELP <topic>". 214-smtp 214 End of HELP info
/For more info use .HELP/ sendmail
# example: 220 mail.example.net ESMTP 502 unimplemented (#5.5.1)
/unimplemented..#5.5.1/ qmail
# example: 220 mail.example.net MS Mail SMTP Gateway ready 214 All set, fire away
/ All set, fire away/ MSMail SMTP gateway
# example: 220 mail.example.net Server SMTP (Complaints/bugs to:  postmaster@example.net) 214-Commands: 214 HELO MAIL RCPT DATA RSET QUIT NOOP HELP
/Complaints.bugs to/ MMDF
