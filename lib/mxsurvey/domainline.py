"""What a line of mxlookup's input holds besides a domain name.

Researchers start from a top list as it is published, and from lists of
their own with a column or two about each domain:

    example.net                    a domain, one a line
    1,example.net                  a top list's RANK,DOMAIN (Tranco, Alexa,
                                   Umbrella): the domain; the rank dropped
    example.net<TAB>COLUMNS...     a domain and columns of the user's, which
                                   mxlookup passes on after its own fields

and, by mistake, what names a domain without being one: a URL, an e-mail
address, a host and port.  Such a line is named with what it is and what
to give instead, and never goes to DNS (where `postmaster@example.net` is
a name like any other).
"""

import re

from . import record

TAB = b"\t"
_BLANKS = b" \t\r"
# What a line that is more than a domain (or not one) holds.
_SPECIAL = re.compile(rb"[\t,:@/]")
# RANK,DOMAIN as top lists write it; spaces around either are dropped.
_RANKED = re.compile(rb" *[0-9]+ *, *([^,]*?) *")
_URL = re.compile(rb"[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@]*@)?(\[[^]/]*\]|[^:/?#]*)")
_HOST_PORT = re.compile(rb"(\[[^]]*\]|[^:\[\]]+):[0-9]{1,5}")


class NotADomain(ValueError):
    """A line that names something else than a domain; says what, and what
    to give instead."""


def split(line):
    """(the name field, the columns to pass on) of an input line, the
    columns as bytes that start with a TAB (or empty), printable as
    record.printable_fields writes them.  A line of a top list gives its
    domain.  Raises NotADomain for a URL, an e-mail address, host:port or
    a line of CSV that is not RANK,DOMAIN.  A blank or comment line is
    given back whole, for parse_domain to skip."""
    if not _SPECIAL.search(line):  # a domain alone, most lines of a list
        return line, b""
    line = line.lstrip(b" \t")  # blanks before the name, TABs among them, are not columns
    if line.rstrip(_BLANKS)[:1] in (b"", b"#"):
        return line, b""
    name, tab, columns = line.partition(TAB)
    name = name.strip(b" \r")
    columns = tab + columns if columns.strip(_BLANKS) else b""
    ranked = _RANKED.fullmatch(name)
    if ranked:
        name = ranked.group(1)
    elif b"," in name:
        raise NotADomain("a line of CSV that is not RANK,DOMAIN: give the domains alone, "
                         "one a line (as cut -d, -f2 does)")
    _refuse_look_alikes(name)
    return name, record.printable_fields(columns)


def _refuse_look_alikes(name):
    url = _URL.match(name)
    if url:
        raise NotADomain(f"a URL, not a domain name: give its host alone, "
                         f"{_shown(url.group(1))}")
    if b"@" in name:
        domain = name.rpartition(b"@")[2]
        raise NotADomain(f"an e-mail address, not a domain name: give the domain after "
                         f"the @, {_shown(domain)}")
    host_port = _HOST_PORT.fullmatch(name)
    if host_port:
        raise NotADomain(f"a host and port, not a domain name: give the host alone, "
                         f"{_shown(host_port.group(1))}; mxlookup finds the port-25 "
                         f"servers of a domain")
    if b"/" in name:
        raise NotADomain("a path or a URL without its scheme, not a domain name: "
                         "give the host alone")


def _shown(text):
    return record.quoted(text)[1:-1] or "(none given)"
