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

Every exchanger's addresses are looked up once per run and shared; those
an MX answer carries for exchangers within the domain itself are taken from
it (see Router._take_glue).

One domain's name servers may answer with thousands of exchangers of
thousands of addresses each, which a survey need not follow: a sender tries
a few (Postfix at most smtp_mx_address_limit = 5 addresses, Exim
hosts_max_try = 5), and the largest MX sets of real domains hold about a
dozen.  So a domain's MAX_EXCHANGERS most preferred exchangers (ties by
their names' text) are looked up and the rest left out, and an exchanger
keeps the MAX_ADDRESSES numerically lowest addresses of each family: the
limits stand well above what real domains publish, and a domain yields
32 x 32 addresses at most (twice that with IPv6).  The Outcome counts what
was left out.

A domain's outcome is one of the statuses below; the failed ones are the
reasons mxlookup writes for domains without an address.  A server that
refuses the question (REFUSED), cannot answer it (SERVFAIL, any other error),
sends a referral instead of an answer, or leads into a CNAME loop counts as
SERVFAIL: the question went unanswered, through no fault of the domain's
that we could see.

Without IPv6 (AAAA) lookups, a domain whose exchangers have no IPv4
address is not simply NOADDRESS: its mail may well go over IPv6.  So for
such a domain alone (its A lookups found nothing), its exchangers are
asked for AAAA, most preferred first, until one has an address: as a rule
one query for the domain, and one for each exchanger in a run.  If one
has, the domain is IPV6ONLY: reached only over IPv6, which mxlookup -6
writes the lines of.
"""

import asyncio
import socket

from . import dnsquery, dnswire

FOUND = "found"
IMPLICIT = "implicit"  # found, by the implicit MX
NULLMX = "nullmx"
NXDOMAIN = "nxdomain"
NOADDRESS = "noaddress"
IPV6ONLY = "ipv6only"  # no IPv4 address, but an IPv6 one (AAAA), not asked for
SERVFAIL = "servfail"
TIMEOUT = "timeout"
FAILURES = (NULLMX, NXDOMAIN, NOADDRESS, IPV6ONLY, SERVFAIL, TIMEOUT)

_NODATA = "nodata"  # the name exists, without records of the type asked for
MAX_CHAIN = 16  # names in a CNAME chain, the first included
MAX_EXCHANGERS = 32  # looked up for one domain, the most preferred
MAX_ADDRESSES = 32  # of each family kept for one exchanger
_NULL_MX = [(0, dnswire.ROOT)]


class Outcome:
    """A domain's status and routes: (exchanger text, preference, addresses)
    in preference order, for the exchangers that have addresses; and how
    many exchangers and addresses were left out, over the limits."""

    __slots__ = ("status", "routes", "exchangers_cut", "addresses_cut")

    def __init__(self, status, routes=(), exchangers_cut=0, addresses_cut=0):
        self.status = status
        self.routes = routes
        self.exchangers_cut = exchangers_cut
        self.addresses_cut = addresses_cut


# An exchanger is a plain tuple, (text, addresses, failure, cut): its name's
# presentation text, its addresses (IPv4 first, each family in numeric
# order) as a tuple, without addresses why, and how many addresses were
# left out over MAX_ADDRESSES.  A run keeps one for every exchanger it
# meets, and the garbage collector stops tracking tuples of strings and
# numbers, so they do not slow down every collection as objects would.


class Router:
    def __init__(self, resolver, ipv6=False):
        self.resolver = resolver
        self.ipv6 = ipv6
        self._hosts = {}  # name -> exchanger, or the future of the lookup finding it
        self._has_ipv6 = {}  # name -> whether it has AAAA records (asked without ipv6)

    async def route(self, domain):
        """The Outcome for a domain (a lower-case wire-form name)."""
        answer = await self._answer(domain, dnswire.MX)
        if answer.status == _NODATA:
            text, addresses, failure, cut = await self._host(domain)
            if addresses:
                return Outcome(IMPLICIT, [(text, 0, addresses)], 0, cut)
            return Outcome(await self._ipv6_only(failure, [domain]))
        if answer.status != FOUND:
            return Outcome(answer.status)
        if answer.values == _NULL_MX:
            return Outcome(NULLMX)
        preferences = {}
        for preference, name in answer.values:
            if name != dnswire.ROOT and preference < preferences.get(name, 65536):
                preferences[name] = preference
        exchangers_cut = max(0, len(preferences) - MAX_EXCHANGERS)
        if exchangers_cut:
            preferences = dict(sorted(
                preferences.items(),
                key=lambda item: (item[1], dnswire.name_text(item[0])))[:MAX_EXCHANGERS])
        self._take_glue(answer, preferences)
        hosts = await self._hosts_of(preferences)
        routes = sorted((preference, text, addresses)
                        for preference, (text, addresses, _, _) in zip(preferences.values(), hosts)
                        if addresses)
        addresses_cut = sum(cut for _, _, _, cut in hosts)
        if routes:
            return Outcome(FOUND, [(text, preference, addresses)
                                   for preference, text, addresses in routes],
                           exchangers_cut, addresses_cut)
        by_preference = sorted(preferences, key=lambda name: (
            preferences[name], dnswire.name_text(name)))
        failure = await self._ipv6_only(_worst(failure for _, _, failure, _ in hosts),
                                        by_preference)
        return Outcome(failure, (), exchangers_cut)

    async def _ipv6_only(self, failure, names):
        """IPV6ONLY for a NOADDRESS `failure` if one of the exchangers
        `names` (in preference order) has an IPv6 address and IPv6 was not
        asked for; else `failure`.  Each name is asked at most once a run,
        and no more names once one has."""
        if failure != NOADDRESS or self.ipv6:
            return failure
        for name in names:
            if await self._asked_once(self._has_ipv6, name, self._has_aaaa):
                return IPV6ONLY
        return failure

    async def _has_aaaa(self, name):
        return (await self._answer(name, dnswire.AAAA)).status == FOUND

    async def _hosts_of(self, names):
        """The exchangers for names, those not yet known looked up at once."""
        found = {}
        for name in names:
            host = self._hosts.get(name)
            if isinstance(host, tuple):
                found[name] = host
        missing = [name for name in names if name not in found]
        if len(missing) == 1:
            found[missing[0]] = await self._host(missing[0])
        elif missing:
            found.update(zip(missing, await asyncio.gather(*map(self._host, missing))))
        return [found[name] for name in names]

    async def _host(self, name):
        """The exchanger for a name, looked up at most once per run."""
        return await self._asked_once(self._hosts, name, self._look_up_host)

    @staticmethod
    async def _asked_once(known, name, look_up):
        """known[name], looked up with look_up(name) at most once per run:
        the first to ask looks it up, those who ask while it is in flight
        wait for its future instead of asking the DNS again."""
        entry = known.get(name)
        if entry is None:
            future = known[name] = asyncio.get_running_loop().create_future()
            try:
                value = await look_up(name)
            except BaseException:
                del known[name]
                future.cancel()
                raise
            known[name] = value
            if not future.done():  # a waiter cancelled at the end of a run cancels it
                future.set_result(value)
            return value
        if isinstance(entry, asyncio.Future):
            return await entry
        return entry

    def _take_glue(self, answer, exchangers):
        """Keep the addresses an MX answer carries for exchangers at or below
        the name it answers for, as adns does: that is data of the domain's
        own zone, which no other domain's answer can forge.  An exchanger is
        taken only with every family asked for (A, and AAAA with --ipv6);
        the others are looked up."""
        glue = {}
        for owner, rtype, address in answer.additional:
            if rtype == dnswire.A or (rtype == dnswire.AAAA and self.ipv6):
                glue.setdefault(owner, {}).setdefault(rtype, []).append(address)
        for name in exchangers:
            families = glue.get(name)
            if (families and dnswire.A in families
                    and (dnswire.AAAA in families or not self.ipv6)
                    and name not in self._hosts and _within(name, answer.owner)):
                self._hosts[name] = _exchanger(
                    name, families[dnswire.A], families.get(dnswire.AAAA, ()), None)

    async def _look_up_host(self, name):
        if self.ipv6:
            ipv4, ipv6 = await asyncio.gather(
                self._answer(name, dnswire.A), self._answer(name, dnswire.AAAA))
        else:
            ipv4, ipv6 = await self._answer(name, dnswire.A), _NO_ANSWER
        failure = _worst(_host_failure(answer.status) for answer in (ipv4, ipv6)
                         if answer is not _NO_ANSWER)
        return _exchanger(name, ipv4.values, ipv6.values, failure)

    async def _answer(self, name, rtype):
        """The _Answer for the records of `rtype` at the end of name's CNAME
        chain: status FOUND, _NODATA, NXDOMAIN, SERVFAIL or TIMEOUT."""
        seen = {name}
        while True:
            try:
                response = await self.resolver.query(name, rtype)
            except dnsquery.Timeout:
                return _Answer(TIMEOUT)
            if response.rcode not in (dnswire.NOERROR, dnswire.NXDOMAIN) or response.referral:
                return _Answer(SERVFAIL)
            owner = name
            while True:
                values = [value for record_owner, record_type, value in response.records
                          if record_type == rtype and record_owner == owner]
                if values:
                    return _Answer(FOUND, values, owner, response.additional)
                target = _cname(response.records, owner)
                if target is None:
                    break
                if target in seen or len(seen) >= MAX_CHAIN:
                    return _Answer(SERVFAIL)
                seen.add(target)
                owner = target
            if response.rcode == dnswire.NXDOMAIN:
                return _Answer(NXDOMAIN)
            if owner == name:
                return _Answer(_NODATA)
            name = owner  # the chain leaves the answer: ask about where it ends


class _Answer:
    """What the DNS says about one name and type: a status and, when FOUND,
    the values, the name that holds them and the response's additional
    records."""

    __slots__ = ("status", "values", "owner", "additional")

    def __init__(self, status, values=(), owner=None, additional=()):
        self.status = status
        self.values = values
        self.owner = owner
        self.additional = additional


_NO_ANSWER = _Answer(_NODATA)  # AAAA, when not asked for


def _exchanger(name, ipv4, ipv6, failure):
    """An exchanger with its IPv4 addresses, then IPv6, each in numeric
    order and cut to MAX_ADDRESSES."""
    ipv4 = sorted(set(ipv4), key=_ipv4_key)
    ipv6 = sorted(set(ipv6), key=_ipv6_key)
    addresses = tuple(ipv4[:MAX_ADDRESSES] + ipv6[:MAX_ADDRESSES])
    cut = len(ipv4) + len(ipv6) - len(addresses)
    return dnswire.name_text(name), addresses, None if addresses else failure, cut


def _ipv4_key(address):
    return socket.inet_pton(socket.AF_INET, address)


def _ipv6_key(address):
    return socket.inet_pton(socket.AF_INET6, address)


def _within(name, base):
    """Whether a name is `base` or below it (both in lower-case wire form)."""
    offset = 0
    while len(name) - offset >= len(base):
        if name[offset:] == base:
            return True
        offset += name[offset] + 1
    return False


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
