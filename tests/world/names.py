"""Names for a 1998 DNS: pronounceable words made into .net domains, ISPs'
domains in a few top-level domains, and their mail hosts.  Every name is
new: a namer never hands out the same one twice."""

ONSETS = ("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
          "w", "z", "br", "ch", "cr", "dr", "fl", "gr", "pl", "sh", "st", "th", "tr")
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "oo", "ou")
CODAS = ("", "", "", "n", "r", "s", "t", "l", "x", "ck", "m", "nd")
ISP_SUFFIXES = ("net", "link", "online", "web", "com", "serve", "ip", "", "", "")
ISP_TLDS = ("net",) * 14 + ("com",) * 4 + ("edu", "org", "de", "uk", "ca", "au")
HUB_PREFIXES = ("mail", "mx", "smtp", "mailhost", "relay", "mailgate", "mx1", "mx2", "mail2",
                "smtp1", "mx3", "post", "mailer", "mail1", "smtp2")
OWN_PREFIXES = ("mail", "mail", "mail", "smtp", "mx", "mailhost", "post", "mx1", "ns1", "www")


class Names:
    def __init__(self, rng):
        self.rng = rng
        self.taken = set()

    def _new(self, make):
        while True:
            name = make()
            if name not in self.taken:
                self.taken.add(name)
                return name

    def word(self, syllables=None):
        rng = self.rng
        count = syllables or rng.choice((1, 2, 2, 2, 3))
        return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                       for _ in range(count))

    def _domain_label(self):
        rng = self.rng
        kind = rng.random()
        if kind < 0.12:
            return f"{self.word()}{rng.randrange(1, 100)}"
        if kind < 0.22:
            return f"{self.word(1)}-{self.word()}"
        return self.word()

    def domain(self):
        """A .net domain of its own."""
        return self._new(lambda: f"{self._domain_label()}.net")

    def isp(self):
        """An ISP's domain: mostly .net, some elsewhere."""
        rng = self.rng
        return self._new(lambda: f"{self.word()}{rng.choice(ISP_SUFFIXES)}.{rng.choice(ISP_TLDS)}")

    def hub(self, isp):
        """A mail host of an ISP, under its domain."""
        rng = self.rng
        return self._new(lambda: f"{rng.choice(HUB_PREFIXES)}{rng.choice(('', '', '', rng.randrange(2, 20)))}.{isp}")

    def exchanger(self, domain):
        """A domain's own mail host."""
        rng = self.rng
        return self._new(lambda: f"{rng.choice(OWN_PREFIXES)}.{domain}")
