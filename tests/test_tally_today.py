"""tally's sections of today's dialogue: counted from what smtpprobe --ehlo
recorded of real TLS servers on loopback, through mtaguess, against what
the servers were made to offer; --merge against one run over all lines;
reports read back strictly."""

import random
import ssl

import pytest
from hypothesis import given, settings, strategies as st

import certificates
import hostile_tls
from mxsurvey import cli, record, todayreport
from programs import pipeline, run_inprocess
from scripted_smtp import esmtp
from test_merge import damaged, lines_of
from test_tally import run_measured

FIELD = {name: index for index, name in enumerate(record.TODAY)}
NAME = "survey.example.net"
MXHOST = "mx.example.org"
GREETING = b"220 mx.example.org ESMTP Postfix\r\n"
EHLO_TLS = (b"250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
            b"250 8BITMIME\r\n")
INSIDE_TLS = b"250-mx.example.org\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
EHLO_PLAIN = b"250-mx.example.org\r\n250-SIZE 1000\r\n250 AUTH=LOGIN\r\n"
HELP = b"214 2.0.0 see https://www.postfix.org/\r\n"
QUIT = b"221 2.0.0 Bye\r\n"


def tally(args, stdin=b""):
    result = run_inprocess("tally", args, stdin)
    assert (result.status, result.stderr) == (cli.EXIT_OK, b""), result
    return result.stdout


def sections_of(report):
    """{heading: {label: count}} of a report's sections, the 1998 ones too."""
    found = {}
    for block in report.decode().split("\n\n")[1:]:
        heading, *rows = block.rstrip("\n").split("\n")
        found[heading] = {label: int(count) for count, label in
                          (row.lstrip(" ").split(" ", 1) for row in rows)}
    return found


# Real servers ------------------------------------------------------------------

def tls_server(farm, pki, stem, leaf, **context):
    cert_path, key_path = leaf.write(pki[0], stem)
    tls = certificates.server_context(cert_path, key_path, **context)
    replies = {b"EHLO": EHLO_TLS, b"HELP": HELP, b"QUIT": QUIT}
    return farm.serve(esmtp(GREETING, replies, tls, {**replies, b"EHLO": INSIDE_TLS}))


async def greets_and_closes(peer):
    await peer.send(GREETING)


@pytest.mark.timeout(120)
def test_each_section_counts_what_the_servers_were_made_to_offer(farm, pki, tmp_path):
    now, day, ca = certificates.NOW, certificates.DAY, pki[1]
    subject = certificates.name(MXHOST)
    servers = [tls_server(farm, pki, f"trusted{n}", certificates.issue(
        subject, ca, sans=[MXHOST], not_after=now + 90 * day)) for n in range(3)]
    servers.append(tls_server(  # TLS 1.2, an RSA key, a week before it expires
        farm, pki, "rsa", certificates.issue(subject, ca, sans=[MXHOST], not_after=now + 7 * day,
                                             key=certificates.rsa_key(2048)),
        maximum=ssl.TLSVersion.TLSv1_2, ciphers="ECDHE-RSA-AES128-GCM-SHA256"))
    servers.append(tls_server(farm, pki, "selfsigned", certificates.issue(
        certificates.name("localhost"), sans=["localhost"], not_before=now - 60 * day,
        not_after=now - day)))
    servers.append(farm.serve(esmtp(GREETING, {  # offers STARTTLS, refuses it
        b"EHLO": EHLO_TLS, b"STARTTLS": b"454 4.7.0 TLS not available\r\n",
        b"HELP": HELP, b"QUIT": QUIT})))
    servers.append(farm.serve(esmtp(GREETING, {  # no STARTTLS
        b"EHLO": EHLO_PLAIN, b"HELP": HELP, b"QUIT": QUIT})))
    servers.append(farm.serve(esmtp(GREETING, {  # HELO only
        b"EHLO": b"502 5.5.1 no\r\n", b"HELO": b"250 mx.example.org\r\n",
        b"HELP": HELP, b"QUIT": QUIT})))
    servers.append(farm.serve(greets_and_closes))
    servers.append(farm.unused())
    (tmp_path / "addresses").write_text("".join(
        f"{server}\t{MXHOST}\texample.org\t10\n" for server in servers))
    result = pipeline(
        f"smtpprobe --quiet --ehlo {NAME} --timestamp --ca-file {pki[0] / 'ca.crt'} "
        f"--port {farm.port} "
        f"--blocklist /dev/null --rate 0 --read-timeout 3 --deadline 10 < addresses "
        f"| mtaguess -f patterns-2026.awk | tally > report", cwd=tmp_path)
    assert (result.status, result.stderr) == (cli.EXIT_OK, b""), result
    report = (tmp_path / "report").read_bytes()
    found = sections_of(report)
    assert report.startswith(
        b"10 addresses\n9 successful connections (9 of them in today's dialogue)\n")
    assert found["Reasons for connection failures:"] == {"connection refused": 1}
    assert found["Greeting used (of 9 servers that greeted):"] == {
        "ehlo": 7, "helo": 1, "(none)": 1}
    assert found["EHLO keywords (of 7 servers that answered EHLO; 27 keywords offered):"] == {
        "PIPELINING": 6, "SIZE": 7, "STARTTLS": 6, "8BITMIME": 6, "AUTH": 1, "AUTH LOGIN": 1}
    assert found["STARTTLS offered (of 9 servers that greeted):"] == {
        "yes": 6, "no": 2, "(none)": 1}
    assert found["STARTTLS outcome (of 6 servers sent STARTTLS):"] == {"ok": 5, "refused": 1}
    assert found["TLS versions (of 5 servers with TLS):"] == {"TLSv1.3": 4, "TLSv1.2": 1}
    ciphers = found["TLS ciphers (of 5 servers with TLS):"]
    assert ciphers.pop("ECDHE-RSA-AES128-GCM-SHA256") == 1
    assert sum(ciphers.values()) == 4 and all(name.startswith("TLS_") for name in ciphers)
    assert found["EHLO keywords inside TLS (of 5 servers with TLS; 25 keywords offered):"] == {
        "PIPELINING": 5, "AUTH": 5, "AUTH PLAIN": 5, "AUTH LOGIN": 5, "8BITMIME": 5}
    assert found["Certificate validation (of 5 certificates; 7 findings):"] == {
        "trusted": 4, "expired": 1, "self-signed": 1, "name-mismatch": 1}
    assert found["Certificate keys (of 5 certificates):"] == {"EC-256": 4, "RSA-2048": 1}
    assert found["Certificate issuers (of 5 certificates):"] == {
        "CN=mxsurvey test CA,O=mxsurvey tests": 4, "(self-signed)": 1}
    assert found["Certificate expiry, from the exchange (of 5 certificates):"] == {
        "later": 3, "within 30 days": 1, "expired": 1}
    # What a person reads, a program reads back: the report merges into itself.
    merged = pipeline("tally --merge report; tally --merge --percent report > shares; "
                      "tally --merge shares", cwd=tmp_path)
    assert (merged.status, merged.stderr) == (cli.EXIT_OK, b"")
    assert merged.stdout == report * 2


@pytest.mark.timeout(120)
def test_failed_handshakes_are_counted_by_why_they_failed(farm, tmp_path):
    hostile = [hostile_tls.garbage(), hostile_tls.garbage(), hostile_tls.alert("handshake_failure"),
               hostile_tls.reset_in_handshake()]
    servers = [farm.serve(esmtp(GREETING, {b"EHLO": EHLO_TLS, b"HELP": HELP, b"QUIT": QUIT},
                                tls=handshake)) for handshake in hostile]
    (tmp_path / "addresses").write_text("".join(f"{server}\n" for server in servers))
    result = pipeline(
        f"smtpprobe --quiet --ehlo {NAME} --port {farm.port} --blocklist /dev/null --rate 0 "
        f"--read-timeout 3 --deadline 10 < addresses | tee probed "
        f"| mtaguess -f patterns-2026.awk | tally > report", cwd=tmp_path)
    assert (result.status, result.stderr) == (cli.EXIT_OK, b""), result
    # The section counts what smtpprobe wrote in TLS_FAILURE, each reason once a server.
    written = [line.split("\t")[FIELD["TLS_FAILURE"]]
               for line in (tmp_path / "probed").read_text().splitlines()]
    assert written.count("not-tls") == 2 and "" not in written, written
    found = sections_of((tmp_path / "report").read_bytes())
    assert found["STARTTLS outcome (of 4 servers sent STARTTLS):"] == {"failed": 4}
    assert found["TLS handshake failures (of 4 handshakes that failed):"] == {
        reason: written.count(reason) for reason in written}


def test_without_timestamps_no_certificate_has_a_known_expiry():
    lines = [line(hello=b"ehlo", starttls=b"ok", began=b"")]
    found = sections_of(tally([], b"".join(lines)))
    assert found["Certificate expiry, from the exchange (of 1 certificates):"] == {"(none)": 1}


# Lines of today's record, made up --------------------------------------------------

def line(label=b"Postfix", status=b"ok", hello=b"ehlo", extensions=b"PIPELINING,STARTTLS",
         offered=b"yes", starttls=b"ok", version=b"TLSv1.3", cipher=b"TLS_AES_256_GCM_SHA384",
         tls_extensions=b"AUTH=PLAIN,PIPELINING", issuer=b"CN=R11,O=Let's Encrypt,C=US",
         key=b"EC-256", validation=b"trusted", began=b"2026-05-01T00:00:00Z",
         not_after=b"2026-05-20T00:00:00Z", transcript=b"220 mx ESMTP\\r\\n", end=b"\n"):
    """A mtaguess line of today's record; the facts of TLS only where
    STARTTLS is ok, as smtpprobe writes them."""
    if status != b"ok":
        label = record.FAILURE_LABELS[status.decode()].encode()
    fields = dict.fromkeys(record.TODAY, b"")
    fields.update(ADDRESS=b"192.0.2.1", STATUS=status, TRANSCRIPT=transcript, MXHOST=b"mx.e.org",
                  DOMAIN=b"e.org", PREFERENCE=b"10", BEGAN=began)
    if status == b"ok":
        fields.update(HELLO=hello, EXTENSIONS=extensions if hello == b"ehlo" else b"",
                      STARTTLS_OFFERED=offered if hello else b"", STARTTLS=starttls)
    if status == b"ok" and starttls == b"ok":
        fields.update(TLS_VERSION=version, CIPHER=cipher, TLS_EXTENSIONS=tls_extensions,
                      CERT_ISSUER=issuer, CERT_NOT_AFTER=not_after, CERT_KEY=key,
                      CERT_SHA256=b"ab" * 32, VALIDATION=validation, CERT_CN=b"mx.e.org")
    return label + b"\t" + b"\t".join(fields.values()) + end


PLAIN_1998 = b"sendmail\t192.0.2.9\tok\t220 mx ESMTP Sendmail\\r\\n\tmx.e.org\te.org\t10\n"
FAILED_1998 = b"timed out\t192.0.2.8\ttimeout\t\\[timeout]\n"

today_lines = st.lists(st.builds(
    line,
    label=st.sampled_from([b"Postfix", b"Exim"]),
    status=st.sampled_from([b"ok", b"ok", b"ok", b"timeout"]),
    hello=st.sampled_from([b"ehlo", b"ehlo", b"helo", b"refused", b""]),
    extensions=st.lists(st.sampled_from([b"AUTH=PLAIN", b"AUTH", b"SIZE", b"STARTTLS", b"X-Y"]),
                        unique=True).map(lambda items: b",".join(sorted(items))),
    starttls=st.sampled_from([b"ok", b"ok", b"refused", b"unanswered", b"failed", b""]),
    version=st.sampled_from([b"TLSv1.3", b"TLSv1.2", b""]),
    cipher=st.sampled_from([b"TLS_AES_256_GCM_SHA384", b"AES128-SHA"]),
    issuer=st.sampled_from([b"CN=R11,O=Let's Encrypt,C=US", b"CN=a\\x2cb", b""]),
    key=st.sampled_from([b"EC-256", b"RSA-2048", b""]),
    validation=st.sampled_from([b"trusted", b"expired,self-signed", b"unknown-issuer"]),
    began=st.sampled_from([b"", b"2026-05-01T00:00:00Z"]),
    not_after=st.sampled_from([b"2026-04-01T00:00:00Z", b"2026-05-31T00:00:00Z",
                               b"2027-01-01T00:00:00Z"]),
) | st.sampled_from([PLAIN_1998, FAILED_1998]), min_size=1, max_size=40).map(b"".join)


def shards(data, parts, seed):
    rng = random.Random(seed)
    dealt = [[] for _ in range(parts)]
    for each in data.splitlines(keepends=True):
        dealt[rng.randrange(parts)].append(each)
    return [b"".join(lines) for lines in dealt]


@settings(max_examples=60, deadline=None)
@given(data=today_lines, parts=st.integers(1, 4), seed=st.integers(0, 2**16),
       shared=st.lists(st.booleans(), min_size=4, max_size=4), percent=st.booleans())
def test_merged_reports_are_one_run_over_all_lines(tmp_path_factory, data, parts, seed, shared,
                                                   percent):
    directory = tmp_path_factory.mktemp("shards")
    paths = []
    for number, (part, with_shares) in enumerate(zip(shards(data, parts, seed), shared)):
        if not part:
            continue
        path = directory / f"shard{number}"
        path.write_bytes(tally(["--percent"] if with_shares else [], part))
        paths.append(str(path))
    share = ["--percent"] if percent else []
    assert tally(["--merge", *share, *paths]) == tally(share, data)


@settings(max_examples=40, deadline=None)
@given(data=today_lines, percent=st.booleans())
def test_a_report_reads_back_as_itself(data, percent):
    share = ["--percent"] if percent else []
    report = tally(share, data)
    assert tally(["--merge", *share], report) == report
    assert tally(["--merge", *share], report.replace(b"\n", b"\r\n")) == report


def test_lines_of_1998_give_the_1998_report_byte_for_byte_and_mixed_ones_add_sections():
    report_1998 = tally([], PLAIN_1998 + FAILED_1998)
    assert b"Greeting" not in report_1998
    mixed = tally([], PLAIN_1998 + FAILED_1998 + line())
    assert mixed.startswith(b"3 addresses\n2 successful connections (1 of them in today's "
                            b"dialogue)\n\nReasons for connection failures:\n      1 timed out\n")
    assert sections_of(mixed)["Greeting used (of 1 servers that greeted):"] == {"ehlo": 1}
    # A today's line that did not connect makes the sections, of no server.
    failed = tally([], line(status=b"timeout", label=b"timed out"))
    assert b"Greeting used (of 0 servers that greeted):\n\nEHLO keywords" in failed


def test_rows_go_by_count_then_by_descending_bytes_and_auth_mechanisms_are_rows():
    lines = (line(extensions=b"AUTH=LOGIN,AUTH=PLAIN,SIZE") + line(extensions=b"AUTH,SIZE")
             + line(extensions=b"PIPELINING"))
    report = tally([], lines)
    heading = b"EHLO keywords (of 3 servers that answered EHLO; 7 keywords offered):\n"
    keywords = report.split(heading)[1]
    assert keywords.split(b"\n\n")[0] == (b"      2 SIZE\n      2 AUTH\n      1 PIPELINING\n"
                                          b"      1 AUTH PLAIN\n      1 AUTH LOGIN")


def test_values_past_the_cap_are_counted_in_one_row(monkeypatch):
    monkeypatch.setattr(todayreport, "MAX_DISTINCT", 5)
    lines = b"".join(line(cipher=b"CIPHER-%d" % (n % 8)) for n in range(16))
    found = sections_of(tally([], lines))["TLS ciphers (of 16 servers with TLS):"]
    assert found == {**{f"CIPHER-{n}": 2 for n in range(5)}, "(others)": 6}
    report = tally([], lines)
    assert tally(["--merge"], report) == report  # the row of the rest reads back


def test_the_diff_shows_each_rows_change_in_todays_sections(tmp_path):
    (tmp_path / "old").write_bytes(tally([], line() + PLAIN_1998))
    (tmp_path / "new").write_bytes(tally([], line(version=b"TLSv1.2") * 2))
    result = run_inprocess("tally", ["--diff", str(tmp_path / "old"), str(tmp_path / "new")])
    assert result.status == cli.EXIT_OK and result.stderr == b""
    versions = result.stdout.split(b"\nTLS versions:\n")[1].split(b"\n\n")[0]
    assert versions == (b"      1       2      +1 servers with TLS\n"
                        b"      0       2      +2 TLSv1.2\n"
                        b"      1       0      -1 TLSv1.3")


def test_a_report_with_a_section_damaged_is_named_and_left_out():
    report = tally([], line() + line(starttls=b"refused"))
    for damaged, complaint in [
        (report.replace(b"      1 refused\n", b""),
         'the rows of "STARTTLS outcome" add up to 1, not 2'),
        (report.replace(b"(of 1 servers with TLS):\n      1 TLSv1.3", b"(of 1 servers with "
                        b"TLS):\n      1 TLSv1.3\n      1 TLSv1.2"),
         'the rows of "TLS versions" add up to 2'),
        (report.replace(b"      1 AUTH PLAIN", b"      2 AUTH PLAIN"), "more than the 1"),
        (report.replace(b"TLS ciphers (of 1", b"TLS ciphers (of 2"),
         '"TLS ciphers" is of 2 servers with TLS, but "STARTTLS outcome" says 1'),
        (report.replace(b"\nCertificate keys", b"\nCertificate Keys"), "not the heading"),
        (report + b"\n", "an empty line after the last section"),
        (report.split(b"\nGreeting used")[0],
         "which the head announces: is the report cut short?"),
        (report.replace(b" (2 of them in today's dialogue)", b""), "which the head does not "
         "announce"),
        (report.replace(b"(2 of them", b"(1 of them"), "1 in today's dialogue, but 2 servers "
         "that greeted"),
        (report.replace(b"      1 trusted", b"      1 trustworthy"), "is not a row of"),
        (report.replace(b"2 successful connections", b"1 successful connections").replace(
            b"      2 Postfix", b"      1 Postfix\n      1 timed out"), "2 servers that greeted, "
         "more than the 1 they are among"),
    ]:
        result = run_inprocess("tally", ["--merge"], damaged)
        assert result.status == cli.EXIT_FATAL  # its only report left out
        assert any(complaint in error for error in result.errors), (complaint, result.errors)
        assert "the report from here to line" in result.errors[-2]


def test_a_line_with_a_word_smtpprobe_does_not_write_is_named_and_skipped():
    result = run_inprocess("tally", [], line(starttls=b"maybe") + line())
    assert result.status == cli.EXIT_BAD_INPUT
    assert result.errors == ['tally: stdin:1: STARTTLS "maybe" is not one of its words']
    assert result.stdout.startswith(b"1 addresses\n")


def test_a_long_transcript_keeps_the_facts_after_it(monkeypatch):
    from mxsurvey import fieldcount
    monkeypatch.setattr(fieldcount, "MAX_HELD", 300)
    monkeypatch.setattr(fieldcount, "BLOCK_SIZE", 7)
    long = line(transcript=b"x" * 1000, version=b"TLSv1.2")
    result = run_inprocess("tally", [], long + line())
    assert (result.status, result.stderr) == (cli.EXIT_OK, b"")
    assert sections_of(result.stdout)["TLS versions (of 2 servers with TLS):"] == {
        "TLSv1.3": 1, "TLSv1.2": 1}


@pytest.mark.timeout(300)
def test_a_transcript_of_200_mb_is_never_held(tmp_path):
    before, after = line().split(b"220 mx ESMTP\\r\\n")
    (tmp_path / "before").write_bytes(before)
    (tmp_path / "after").write_bytes(after)
    result, peak = run_measured([], "cat before; head -c 200M /dev/zero | tr '\\0' x; cat after",
                                tmp_path)
    assert (result.status, result.stderr) == (cli.EXIT_OK, b"")
    assert b"TLS versions (of 1 servers with TLS):\n      1 TLSv1.3\n" in result.stdout
    assert peak < 100, f"tally held {peak:.0f} MiB"


@pytest.mark.parametrize("not_after, row", [
    (b"2026-04-30T23:59:59Z", "expired"),
    (b"2026-05-01T00:00:00Z", "within 30 days"),  # its last second is the exchange's
    (b"2026-05-31T00:00:00Z", "within 30 days"),
    (b"2026-05-31T00:00:01Z", "later"),
    (b"", "(none)"),
    (b"2026-05-31", "(none)"),
])
def test_a_certificate_expires_within_30_days_of_the_exchange_to_the_second(not_after, row):
    found = sections_of(tally([], line(began=b"2026-05-01T00:00:00Z", not_after=not_after)))
    assert found["Certificate expiry, from the exchange (of 1 certificates):"] == {row: 1}


def test_shares_are_of_the_number_in_each_heading():
    lines = line() * 3 + line(starttls=b"refused") + line(hello=b"helo", starttls=b"")
    report = tally(["--percent"], lines)
    assert b"STARTTLS outcome (of 4 servers sent STARTTLS):\n      3  75.0% ok\n" \
           b"      1  25.0% refused\n" in report
    assert b"Greeting used (of 5 servers that greeted):\n      4  80.0% ehlo\n" in report


def test_a_stamped_report_of_today_merges_and_a_report_of_1998_adds_none_to_its_sections(
        tmp_path):
    today, old = line() + line(version=b"TLSv1.2"), PLAIN_1998 + FAILED_1998
    (tmp_path / "today.report").write_bytes(tally(["--stamp"], today))
    (tmp_path / "1998.report").write_bytes(tally([], old))
    merged = tally(["--merge", str(tmp_path / "1998.report"), str(tmp_path / "today.report")])
    assert merged == tally([], old + today)
    assert tally(["--merge", str(tmp_path / "today.report")]) == tally([], today)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), inputs=st.lists(today_lines, min_size=1, max_size=3),
       percent=st.booleans())
def test_a_damaged_report_of_today_is_named_or_read_right(tmp_path_factory, data, inputs,
                                                          percent):
    """A line lost, repeated, swapped, moved, recounted or cut short is
    named, FILE:LINE, or changes nothing; but for two rows of one count
    swapped between sections of the same words, which the report cannot
    tell."""
    reports = [tally(["--percent"] if percent else [], each) for each in inputs]
    whole = b"".join(reports)
    broken = data.draw(damaged(reports))
    directory = tmp_path_factory.mktemp("damaged")
    (directory / "good").write_bytes(whole)
    (directory / "bad").write_bytes(broken)
    result = run_inprocess("tally", ["--merge", str(directory / "bad")])
    if result.status == cli.EXIT_OK:
        if result.stdout != tally(["--merge", str(directory / "good")]):
            moved = [(one, other) for one, other in zip(lines_of(whole), lines_of(broken))
                     if one != other]
            assert len(moved) == 2 and moved[0] == moved[1][::-1], moved
            assert moved[0][0].split()[0] == moved[0][1].split()[0]  # of one count
        assert result.stderr == b""
    else:
        assert result.status in (cli.EXIT_BAD_INPUT, cli.EXIT_FATAL)
        assert result.errors[0].startswith(f"tally: {directory / 'bad'}:")


@settings(max_examples=40, deadline=None)
@given(data=today_lines.filter(lambda data: b"\t20" in data), columns=st.lists(st.sampled_from(["1", "rank", "a b", ""]),
                                          min_size=1, max_size=3))
def test_further_columns_after_todays_facts_leave_the_report_as_it_is(data, columns):
    # A top list's columns go after today's facts (mxlookup passes them on,
    # smtpprobe --ehlo writes them last): the report is the one without them.
    further = "".join("\t" + column for column in columns).encode()
    widened = b"".join(each + further + b"\n" if each.count(b"\t") + 1 == todayreport.FIELDS
                       else each + b"\n" for each in data.splitlines())
    assert tally([], widened) == tally([], data)
