"""The spec of the 1998 world: the table of the *.net mail exchanger survey of
11 May 1998, written down as the post printed it, and the shape of the DNS
behind its 20310 addresses.

The table is the truth the full world must reproduce.  Row order is that of
`sort | uniq -c | sort -rn` in the C locale: count descending, and among equal
counts the whole line in reverse byte order; `report_order` states that rule
and a test holds it against the order the post printed.
"""

from dataclasses import dataclass, field, replace

FAILURES_1998 = """\
    741 timed out
    651 connection refused
    303 host unreachable
    111 network unreachable
     63 immediate disconnect
"""

SOFTWARE_1998 = """\
  11583 sendmail
   1102 Post.Office
    778 IMail
    638 MS Exchange
    566 NT Mail
    552 qmail
    511 Netscape Messaging Server, formerly Netscape Mail Server
    454 not sure
    277 Eudora Internet Mail Server, formerly AIMS, formerly MailShare
    211 Zmailer
    189 IMS SMTP Receiver
    179 Smail
    158 smap
    138 Exim
    136 MetaInfo Sendmail, port of sendmail to NT
    104 MailSite SMTP Receiver
     79 Lotus SMTP MTA
     75 Microsoft SMTP MAIL
     68 MDaemon
     51 SLmail
     51 IPAD
     50 MMDF
     39 Worldmail
     39 Raptor firewall
     35 Major BBS
     30 Worldgroup SMTP server
     28 PP
     28 GroupWise
     27 PMDF
     27 MERCUR
     26 unknown (requires recognizable SMTP)
     26 AltaVista Mail
     23 Stalker
     21 Groupwise Internet Agent
     18 Connect2-SMTP
     15 Mercury
     14 AltaVista firewall
      8 unknown (Simple Mail Transfer Service Ready)
      8 VOPMail
      8 VMS MX
      8 CheckPoint firewall
      7 IMA SMTP
      6 NASTA Gate
      6 FirstClass
      6 EMWAC SMTP Receiver
      5 NPlex
      4 Fwmail
      4 CommuniGate SMTP
      3 SMTP-OpenVMS
      3 Mail*Link
      3 ListSTAR
      3 CISCO MultiNet, formerly TGV/MultiNet
      2 VMailer
      2 TFS Gateway
      2 Raptor proxy
      2 MSMail SMTP gateway
      2 AS/400 SMTP
      1 unknown (Help ... Not recognized)
      1 IBM VM SMTP
      1 Eureka! Gold Internet Server
"""

# The probe statuses of the failures, with the survey's wording of each.
TIMEOUT, REFUSED, HOSTUNREACH, NETUNREACH, DISCONNECT = (
    "timeout", "refused", "hostunreach", "netunreach", "disconnect")
FAILURE_WORDING = {
    TIMEOUT: "timed out",
    REFUSED: "connection refused",
    HOSTUNREACH: "host unreachable",
    NETUNREACH: "network unreachable",
    DISCONNECT: "immediate disconnect",
}
NEED_ROUTES = (HOSTUNREACH, NETUNREACH)  # only a private network namespace has them
NOT_SURE = "not sure"


def parse_table(text):
    """`%7d LABEL` rows as [(label, count)], in their order."""
    rows = []
    for line in text.splitlines():
        count, label = line[:7], line[8:]
        rows.append((label, int(count)))
    return rows


def format_rows(rows):
    return "".join(f"{count:7d} {label}\n" for label, count in rows)


def report_order(counts):
    """[(label, count)] as `sort | uniq -c | sort -rn` orders them under LC_ALL=C."""
    return sorted(counts.items(),
                  key=lambda row: (row[1], f"{row[1]:7d} {row[0]}".encode()), reverse=True)


@dataclass(frozen=True)
class DnsShape:
    """How the addresses hide behind names: shares of exchangers, domains and
    the odd cases a walk of the 1997 DNS turned up.  Each odd case appears at
    least once in any world, however small."""
    hub_share: float = 0.30          # addresses that are an ISP's mail hub
    implicit_share: float = 0.15     # own servers reached through the domain's A record
    multihomed_share: float = 0.03   # exchangers with two addresses
    alias_share: float = 0.01        # addresses that a second exchanger name also has
    backup_share: float = 0.30       # own domains with a hub as second MX
    cname_share: float = 0.01        # domains whose MX names a CNAME
    customers_alpha: float = 1.3     # Pareto shape of the number of domains a hub serves
    customers_cap: int = 400
    null_mx_share: float = 0.002     # MX 0 .
    nxdomain_share: float = 0.01     # listed names that do not exist
    no_address_share: float = 0.005  # the MX names an exchanger that has no address
    no_address_backup_share: float = 0.003  # ... but a second MX works
    barren_share: float = 0.003      # a domain with neither MX nor address
    mixed_case_share: float = 0.002  # listed in capitals, as some zones were


@dataclass(frozen=True)
class Spec:
    name: str
    failures: dict                    # status -> count
    software: dict                    # label -> count
    silent_share: float = 0.7         # timeouts that accept and never speak; the rest drop the SYN
    dns: DnsShape = field(default_factory=DnsShape)

    @property
    def addresses(self):
        return sum(self.failures.values()) + sum(self.software.values())

    def without(self, statuses):
        """The spec with some failure kinds left out (their rows vanish)."""
        return replace(self, failures={status: count for status, count in self.failures.items()
                                       if status not in statuses})

    def scaled(self, addresses, name=None):
        """A smaller spec in the same proportions, every row kept at least once."""
        factor = addresses / self.addresses
        return replace(
            self, name=name or f"{self.name}-small",
            failures={status: max(1, round(count * factor))
                      for status, count in self.failures.items()},
            software={label: max(1, round(count * factor))
                      for label, count in self.software.items()})


def survey_1998():
    wording = {words: status for status, words in FAILURE_WORDING.items()}
    return Spec(
        name="1998",
        failures={wording[label]: count for label, count in parse_table(FAILURES_1998)},
        software=dict(parse_table(SOFTWARE_1998)))
