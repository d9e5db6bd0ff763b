"""Where mail for a domain goes: its mail exchangers in preference order and
their addresses, found the way RFC 5321 section 5.1 tells a sender to.

- MX records, lowest preference first (ties in the order of the names'
  text, so that runs repeat).
- No MX record at all (NOERROR, no data): the implicit MX, the domain itself
  at preference 0, as djbdns's dnsmx reports it.
- A null MX (RFC 7505: one MX, preference 0, exchange `.`): no mail at all.
- CNAMEs are followed here, for the domain and for each exchanger, when an
  answer ends in a CNAME without the data (as an authoritative server's
  answer does when the target is in another zone); chains are bounded and
  loops detected.

Every exchanger's addresses are looked up once per run and shared.  A
domain's outcome is one of the statuses below; the failed ones are the
reasons mxlookup writes for domains without an address.  A server that
refuses the question (REFUSED), cannot answer it (SERVFAIL, any other error),
sends a referral instead of an answer, or leads into a CNAME loop counts as
SERVFAIL: the question went unanswered, through no fault of the domain's
that we could see.
"""

import asyncio
import socket

from . import dnsquery, dnswire

FOUND = "found"
IMPLICIT = "implicit"  # found, by the implicit MX
NULLMX = "nullmx"
NXDOMAIN = "nxdomain"
NOADDRESS = "noaddress"
SERVFAIL = "servfail"
TIMEOUT = "timeout"
FAILURES = (NULLMX, NXDOMAIN, NOADDRESS, SERVFAIL, TIMEOUT)

_NODATA = "nodata"  # the name exists, without records of the type asked for
MAX_CHAIN = 16  # names in a CNAME chain, the first included
_NULL_MX = [(0, dnswire.ROOT)]


class Outcome:
    """A domain's status and routes: (exchanger text, preference, addresses)
    in preference order, for the exchangers that have addresses."""

    __slots__ = ("status", "routes")

    def __init__(self, status, routes=()):
        self.status = status
        self.routes = routes


class Exchanger:
    """A host name's presentation text, its addresses (IPv4 first, each
    family in numeric order) and, without addresses, why."""

    __slots__ = ("text", "addresses", "failure")

    def __init__(self, text, addresses, failure):
        self.text = text
        self.addresses = addresses
        self.failure = failure


class Router:
    def __init__(self, resolver, ipv6=False):
        self.resolver = resolver
        self.ipv6 = ipv6
        self._hosts = {}  # name -> Exchanger, or the task finding it

    async def route(self, domain):
        """The Outcome for a domain (a lower-case wire-form name)."""
        status, exchanges = await self._answer(domain, dnswire.MX)
        if status == _NODATA:
            host = await self._host(domain)
            if host.addresses:
                return Outcome(IMPLICIT, [(host.text, 0, host.addresses)])
            return Outcome(host.failure)
        if status != FOUND:
            return Outcome(status)
        if exchanges == _NULL_MX:
            return Outcome(NULLMX)
        preferences = {}
        for preference, name in exchanges:
            if name != dnswire.ROOT and preference < preferences.get(name, 65536):
                preferences[name] = preference
        if len(preferences) == 1:
            hosts = [await self._host(name) for name in preferences]
        else:
            hosts = await asyncio.gather(*(self._host(name) for name in preferences))
        routes = sorted((preference, host.text, host.addresses)
                        for preference, host in zip(preferences.values(), hosts)
                        if host.addresses)
        if routes:
            return Outcome(FOUND, [(text, preference, addresses)
                                   for preference, text, addresses in routes])
        return Outcome(_worst(host.failure for host in hosts))

    async def _host(self, name):
        """The Exchanger for a name, looked up at most once per run: the
        first to ask looks it up, later ones wait for its future."""
        entry = self._hosts.get(name)
        if isinstance(entry, Exchanger):
            return entry
        if entry is not None:
            return await entry
        future = self._hosts[name] = asyncio.get_running_loop().create_future()
        try:
            host = await self._look_up_host(name)
        except BaseException:
            del self._hosts[name]
            future.cancel()
            raise
        self._hosts[name] = host
        future.set_result(host)
        return host

    async def _look_up_host(self, name):
        if self.ipv6:
            answers = await asyncio.gather(
                self._answer(name, dnswire.A), self._answer(name, dnswire.AAAA))
        else:
            answers = [await self._answer(name, dnswire.A)]
        addresses = []
        for (_, found), family in zip(answers, (socket.AF_INET, socket.AF_INET6)):
            addresses += sorted(set(found), key=lambda text: socket.inet_pton(family, text))
        if addresses:
            return Exchanger(dnswire.name_text(name), addresses, None)
        failure = _worst(_host_failure(status) for status, _ in answers)
        return Exchanger(dnswire.name_text(name), addresses, failure)

    async def _answer(self, name, rtype):
        """(status, values) for the records of `rtype` at the end of name's
        CNAME chain; status FOUND, _NODATA, NXDOMAIN, SERVFAIL or TIMEOUT."""
        seen = {name}
        while True:
            try:
                response = await self.resolver.query(name, rtype)
            except dnsquery.Timeout:
                return TIMEOUT, ()
            if response.rcode not in (dnswire.NOERROR, dnswire.NXDOMAIN) or response.referral:
                return SERVFAIL, ()
            owner = name
            while True:
                values = [value for record_owner, record_type, value in response.records
                          if record_type == rtype and record_owner == owner]
                if values:
                    return FOUND, values
                target = _cname(response.records, owner)
                if target is None:
                    break
                if target in seen or len(seen) >= MAX_CHAIN:
                    return SERVFAIL, ()
                seen.add(target)
                owner = target
            if response.rcode == dnswire.NXDOMAIN:
                return NXDOMAIN, ()
            if owner == name:
                return _NODATA, ()
            name = owner  # the chain leaves the answer: ask about where it ends


def _cname(records, owner):
    for record_owner, record_type, value in records:
        if record_type == dnswire.CNAME and record_owner == owner:
            return value
    return None


def _host_failure(status):
    """Why a host name gave no address, in a domain's terms."""
    return status if status in (SERVFAIL, TIMEOUT) else NOADDRESS


def _worst(failures):
    """A domain whose exchangers all failed: a temporary failure of any of
    them (timeout, then servfail) says more than `noaddress`."""
    failures = set(failures)
    for failure in (TIMEOUT, SERVFAIL):
        if failure in failures:
            return failure
    return NOADDRESS
