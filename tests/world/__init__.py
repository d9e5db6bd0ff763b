"""A 1998 internet on one machine, for surveying it with the four programs.

From a seed number and a spec, `generate` makes a world: a list of domains,
DNS zones for them, and for every exchanger address how its server behaves.
`responder` serves the zones, `farm` plays the servers (thousands of
addresses per process), and `runner` starts them, surveys the world with
`mxlookup | smtpprobe | mtaguess | tally` and compares the report with the
world's truth.  `survey1998` is the spec that reproduces the table of
D. J. Bernstein's survey of 11 May 1998, with `software` supplying the texts
each server sends.

`today` makes today's world instead (`tools/demo --today`): ESMTP servers
with STARTTLS and the certificates of `pki`, played by `esmtpserver`
beside the 1998 ones in the same farm, some over IPv6, surveyed with
today's dialogue and checked address by address (`todaysurvey`).

Every IPv4 address is inside 127.0.0.0/8.  The two unreachable kinds need a
private network namespace with its own routes; without one they are left
out of the world, and the runner says so.
"""
