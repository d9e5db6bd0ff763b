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
# joined by single spaces.  Blank lines and lines starting with # are ignored.

/Sorry, you are not authorized to make this connection/ Raptor proxy
/Sorry, unable to contact destination SMTP daemon/ Raptor proxy
/MERCUR SMTP-Server .v.* for Windows NT ready at/ MERCUR
/MERCUR SMTP-Server .v.* for Windows 95 ready at/ MERCUR
/forging of mail requires recognizable SMTP/ unknown (requires recognizable SMTP)
/MDaemon .* Help system currently inactive/ MDaemon
/Microsoft Exchange Internet Mail Connector/ MS Exchange
/Microsoft Exchange Internet Mail Service/ MS Exchange
/CheckPoint FireWall-1 secure SMTP server/ CheckPoint firewall
/Stalker Internet Mail Server .*is ready/ Stalker
/NT Server running Internet Shopper/ NT Mail
/Simple Mail Transfer Service Ready/ unknown (Simple Mail Transfer Service Ready)
/http:..pobox.com.~djb.qmail.html/ qmail
/send comments to qmail@pobox.com/ qmail
/Mercury 1\... ESMTP server ready/ Mercury
/Mercury 1\... SMTP server ready/ Mercury
/PC.TCP SMTPSRV by FTP Software/ PC/TCP SMTPSRV
/VOPMail SMTP Receiver Version / VOPMail
/Running on The Major BBS with / Major BBS
/ ESMTP .IPAD 2....... ready at/ IPAD
/CommuniGate SMTPGate is ready/ CommuniGate SMTP
/bugs to The Wollongong Group/ Wollongong SMTP
/Microsoft SMTP MAIL ready at/ Microsoft SMTP MAIL
/Eureka! Gold Internet Server/ Eureka! Gold Internet Server
/Eudora Internet Mail Server/ Eudora Internet Mail Server, formerly AIMS, formerly MailShare
/ ESMTP .IPAD 2.... ready at/ IPAD
/Apple Internet Mail Server/ Eudora Internet Mail Server, formerly AIMS, formerly MailShare
/ GroupWise Internet Agent / Groupwise Internet Agent
/ ESMTP .IPAD 2... ready at/ IPAD
/ ESMTP .IPAD 1... ready at/ IPAD
/Ready for business. iSMTP/ iSMTP
/Post.Office E-mail system/ Post.Office
/Mercury SMTP server ready/ Mercury
/CommuniGate SMTP is ready/ CommuniGate SMTP
/Netscape Messaging Server/ Netscape Messaging Server, formerly Netscape Mail Server
/ESMTP Service .Worldmail / Worldmail
/ESMTP Service .WorldMail / Worldmail
/TGV.MultiNet SMTP server/ CISCO MultiNet, formerly TGV/MultiNet
/running IBM AS.400 SMTP/ AS/400 SMTP
/Mail.Link SMTP Package/ Mail*Link
/FirstClass Mail Server / FirstClass
/This is Fwmail version / Fwmail
/NetManage SMTP service/ NetManage SMTP service
/MailSite SMTP Receiver/ MailSite SMTP Receiver
/Worldgroup SMTP server/ Worldgroup SMTP server
/Duhmail..Black Hole v/ sendmail # *
/ESMTP Service .NPlex / NPlex
/Generic SMTP handler/ Raptor firewall
/Netscape Mail Server/ Netscape Messaging Server, formerly Netscape Mail Server
/ SMTP Server SLmail / SLmail
/EMWAC SMTP Receiver/ EMWAC SMTP Receiver
/GroupWise SMTP.MIME/ GroupWise
/MetaInfo Sendmail/ MetaInfo Sendmail, port of sendmail to NT
/IMS SMTP Receiver/ IMS SMTP Receiver
/running MailShare/ Eudora Internet Mail Server, formerly AIMS, formerly MailShare
/ListSTAR Package/ ListSTAR
/TGV MultiNet V/ CISCO MultiNet, formerly TGV/MultiNet
/AltaVista Mail/ AltaVista Mail
/MindWire-SMTP / MindWire-SMTP
/Lotus SMTP MTA/ Lotus SMTP MTA
/MX V.\..-. VAX/ VMS MX
/\(PMDF#..... V/ PMDF
/ESMTP VMailer/ VMailer
/Post.Office v/ Post.Office
/Connect2-SMTP/ Connect2-SMTP
/ SMTP \(PMDF / PMDF
/MX V.\.. VAX/ VMS MX
/TFS Gateway / TFS Gateway
/MX V.\.. AXP/ VMS MX
/Zachariassen/ Zmailer
/Pony Express/ Pony Express
/SMTP.OpenVMS/ SMTP-OpenVMS
/ Smail ready/ Smail
/IBM VM SMTP/ IBM VM SMTP
/ IMA SMTP / IMA SMTP
/NASTA Gate/ NASTA Gate
/SMTP.smap/ smap
/Smail-3.2/ Smail
/Smail 3.1/ Smail
/smail 3.1/ Smail
/Smail3.2/ Smail
/Smail3.1/ Smail
/SLmail95/ SLmail
/SLmailNT/ SLmail
/SLMAILNT/ SLmail
/Sendmail/ sendmail
/PMDF V/ PMDF
/SMTPXD/ AltaVista firewall
/IMail/ IMail
/Exim/ Exim
/UCX / UCX
/[pP][pP].*Pleased to meet you/ PP
/Help \.\.\. Not recognized/ unknown (Help ... Not recognized)
/HELP \.\.\. Not recognized/ unknown (Help ... Not recognized)
/For more info use .HELP/ sendmail
/unimplemented..#5.5.1/ qmail
/ All set, fire away/ MSMail SMTP gateway
/Complaints.bugs to/ MMDF
