"""smtpprobe --ehlo: today's dialogue against scripted servers on loopback
(real sockets, real TLS with certificates made here), and against aiosmtpd,
a real SMTP server library, with STARTTLS."""

import asyncio
import ssl

import pytest

import certificates
from mxsurvey import cli, record
from programs import CHECKOUT, pipeline, run_inprocess
from scripted_smtp import Farm, esmtp, silent, smtp

pytestmark = pytest.mark.timeout(60)

FIELD = {name: index for index, name in enumerate(record.TODAY)}
NAME = "survey.example.net"
REACH = ["--blocklist", "/dev/null", "--rate", "0", "--connect-timeout", "2",
         "--read-timeout", "2", "--deadline", "8"]
MXHOST = "mx.example.org"
GREETING = b"220 mx.example.org ESMTP Postfix\r\n"
EHLO_REPLY = (b"250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
              b"250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n")
TLS_EHLO_REPLY = (b"250-mx.example.org\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n"
                  b"250-AUTH=LOGIN\r\n250 SMTPUTF8\r\n")
HELP_REPLY = b"214 2.0.0 see https://www.postfix.org/\r\n"
REPLIES = {b"EHLO": EHLO_REPLY, b"HELP": HELP_REPLY, b"QUIT": b"221 2.0.0 Bye\r\n"}
TLS_REPLIES = {**REPLIES, b"EHLO": TLS_EHLO_REPLY}


def probe(lines, *options, port):
    """Run smtpprobe in-process on `lines`, with REACH unless `options` say otherwise."""
    stdin = "".join(f"{line}\n" for line in lines).encode()
    defaults = [item for name, value in zip(REACH[::2], REACH[1::2]) if name not in options
                for item in (name, value)]
    return run_inprocess("smtpprobe", ["--port", str(port), *defaults, *options], stdin)


def fields_of(result):
    """ADDRESS -> its fields, by name, as str."""
    found = {}
    for line in result.lines:
        fields = line.decode("ascii").split("\t")
        assert len(fields) == len(record.TODAY), line
        found[fields[0]] = dict(zip(record.TODAY, fields))
    return found


def parts(fields):
    return record.unescape_parts(fields["TRANSCRIPT"].encode("ascii"))


def serve_tls(farm, pki, stem, leaf, replies=REPLIES, tls_replies=TLS_REPLIES, **context):
    directory, _ = pki
    cert_path, key_path = leaf.write(directory, stem)
    tls = certificates.server_context(cert_path, key_path, **context)
    return farm.serve(esmtp(GREETING, replies, tls, tls_replies))


def ca_file(pki):
    return ["--ca-file", str(pki[0] / "ca.crt")]


# The dialogue ----------------------------------------------------------------

def test_a_trusted_server_is_recorded_step_by_step(farm, pki):
    leaf = certificates.issue(certificates.name(MXHOST), pki[1], sans=[MXHOST, "mx2.example.org"])
    server = serve_tls(farm, pki, "trusted", leaf)
    result = probe([f"{server}\t{MXHOST}\texample.org\t10"], "--ehlo", NAME, *ca_file(pki),
                   port=farm.port)
    assert result.status == 0, result
    fields = fields_of(result)[server]
    assert farm.heard[server] == [[b"EHLO survey.example.net\r\n", b"STARTTLS\r\n", b"<tls>",
                                   b"EHLO survey.example.net\r\n", b"HELP\r\n", b"QUIT\r\n"]]
    assert parts(fields) == [
        (None, GREETING), ("ehlo", EHLO_REPLY), ("starttls", b"220 2.0.0 go ahead\r\n"),
        ("tls", b""), ("ehlo", TLS_EHLO_REPLY), ("help", HELP_REPLY),
        ("quit", b"221 2.0.0 Bye\r\n")]
    assert fields["STATUS"] == "ok"
    assert (fields["MXHOST"], fields["DOMAIN"], fields["PREFERENCE"]) == (
        MXHOST, "example.org", "10")
    assert fields["BEGAN"] == ""  # no --timestamp
    assert fields["HELLO"] == "ehlo"
    assert fields["EXTENSIONS"] == "8BITMIME,ENHANCEDSTATUSCODES,PIPELINING,SIZE,STARTTLS"
    assert fields["STARTTLS_OFFERED"] == "yes"
    assert fields["STARTTLS"] == "ok"
    assert fields["TLS_VERSION"] == "TLSv1.3"
    assert fields["CIPHER"].startswith("TLS_")
    assert fields["TLS_EXTENSIONS"] == "AUTH=LOGIN,AUTH=PLAIN,PIPELINING,SMTPUTF8"
    assert fields["CERT_CN"] == MXHOST
    assert fields["CERT_SAN"] == f"{MXHOST},mx2.example.org"
    assert fields["CERT_ISSUER"] == "CN=mxsurvey test CA,O=mxsurvey tests"
    assert fields["CERT_NOT_BEFORE"] == leaf.cert.not_valid_before_utc.strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert fields["CERT_NOT_AFTER"] == leaf.cert.not_valid_after_utc.strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert fields["CERT_KEY"] == "EC-256"
    assert fields["CERT_SIGNATURE"] == "ecdsa-with-SHA256"
    assert fields["CERT_SHA256"] == leaf.sha256
    assert fields["VALIDATION"] == "trusted"


def test_the_certificate_is_asked_for_by_the_exchangers_name(farm, pki):
    names = []

    def remember(sslobject, server_name, context):
        names.append(server_name)

    directory = pki[0]
    cert_path, key_path = certificates.issue(
        certificates.name(MXHOST), pki[1], sans=[MXHOST]).write(directory, "sni")
    tls = certificates.server_context(cert_path, key_path)
    tls.sni_callback = remember
    server = farm.serve(esmtp(GREETING, REPLIES, tls))
    bare = farm.serve(esmtp(GREETING, REPLIES, tls))
    result = probe([f"{server}\t{MXHOST}\texample.org\t10", bare], "--ehlo", NAME, *ca_file(pki),
                   port=farm.port)
    found = fields_of(result)
    assert sorted(names, key=str) == sorted([MXHOST, None], key=str)
    assert found[bare]["VALIDATION"] == "trusted"  # no MXHOST: no name to match
    assert (found[bare]["MXHOST"], found[bare]["DOMAIN"], found[bare]["PREFERENCE"]) == ("", "", "")


@pytest.mark.parametrize("case, words", [
    ("expired", "expired"),
    ("not-yet-valid", "not-yet-valid"),
    ("self-signed", "self-signed"),
    ("unknown-issuer", "unknown-issuer"),
    ("name-mismatch", "name-mismatch"),
    ("expired-self-signed-elsewhere", "expired,self-signed,name-mismatch"),
])
def test_validation_says_what_is_wrong_in_words_of_its_own(farm, pki, case, words):
    now, day = certificates.NOW, certificates.DAY
    subject = certificates.name(MXHOST)
    leaf = {
        "expired": lambda: certificates.issue(
            subject, pki[1], sans=[MXHOST], not_before=now - 60 * day, not_after=now - day),
        "not-yet-valid": lambda: certificates.issue(
            subject, pki[1], sans=[MXHOST], not_before=now + day, not_after=now + 60 * day),
        "self-signed": lambda: certificates.issue(subject, sans=[MXHOST]),
        "unknown-issuer": lambda: certificates.issue(
            subject, certificates.authority("another CA"), sans=[MXHOST]),
        "name-mismatch": lambda: certificates.issue(
            certificates.name("mail.example.com"), pki[1], sans=["mail.example.com"]),
        "expired-self-signed-elsewhere": lambda: certificates.issue(
            certificates.name("localhost"), sans=["localhost"],
            not_before=now - 60 * day, not_after=now - day),
    }[case]()
    server = serve_tls(farm, pki, case, leaf)
    result = probe([f"{server}\t{MXHOST}\texample.org\t10"], "--ehlo", NAME, *ca_file(pki),
                   port=farm.port)
    fields = fields_of(result)[server]
    assert fields["VALIDATION"] == words
    assert fields["CERT_SHA256"] == leaf.sha256
    assert fields["STARTTLS"] == "ok"


def test_the_system_store_does_not_trust_the_tests_own_ca(farm, pki):
    leaf = certificates.issue(certificates.name(MXHOST), pki[1], sans=[MXHOST])
    server = serve_tls(farm, pki, "system", leaf)
    result = probe([f"{server}\t{MXHOST}\texample.org\t10"], "--ehlo", NAME, port=farm.port)
    assert fields_of(result)[server]["VALIDATION"] == "unknown-issuer"


def test_an_intermediate_the_server_sends_completes_the_chain(farm, pki):
    directory, ca = pki
    intermediate = certificates.issue(certificates.name("mxsurvey intermediate"), ca, ca=True)
    leaf = certificates.issue(certificates.name(MXHOST), intermediate, sans=[MXHOST])
    alone = leaf.write(directory, "leaf-alone")
    with_chain = leaf.write(directory, "leaf-chain", chain=[intermediate])
    sends_chain = farm.serve(esmtp(GREETING, REPLIES, certificates.server_context(*with_chain)))
    leaf_only = farm.serve(esmtp(GREETING, REPLIES, certificates.server_context(*alone)))
    result = probe([f"{sends_chain}\t{MXHOST}", f"{leaf_only}\t{MXHOST}"], "--ehlo", NAME,
                   *ca_file(pki), port=farm.port)
    found = fields_of(result)
    assert found[sends_chain]["VALIDATION"] == "trusted"
    assert found[leaf_only]["VALIDATION"] == "unknown-issuer"


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1 is deprecated")
def test_old_servers_are_recorded_not_judged_tls_1_0_and_a_small_rsa_key(farm, pki):
    leaf = certificates.issue(certificates.name(MXHOST), pki[1], sans=[MXHOST],
                              key=certificates.rsa_key(1024))
    try:
        server = serve_tls(farm, pki, "old", leaf, maximum=ssl.TLSVersion.TLSv1)
    except ssl.SSLError as why:
        pytest.skip(f"this OpenSSL cannot serve TLS 1.0: {why}")
    result = probe([f"{server}\t{MXHOST}"], "--ehlo", NAME, *ca_file(pki), port=farm.port)
    fields = fields_of(result)[server]
    assert fields["STARTTLS"] == "ok", fields
    assert fields["TLS_VERSION"] == "TLSv1"
    assert fields["CERT_KEY"] == "RSA-1024"
    assert fields["CERT_SIGNATURE"] == "ecdsa-with-SHA256"  # signed by the EC CA
    assert fields["TLS_EXTENSIONS"] == "AUTH=LOGIN,AUTH=PLAIN,PIPELINING,SMTPUTF8"


def test_helo_follows_an_ehlo_refused_with_5xx(farm):
    replies = {b"EHLO": b"502 5.5.1 EHLO not implemented\r\n", b"HELO": b"250 mx.example.org\r\n",
               b"HELP": HELP_REPLY, b"QUIT": b"221 bye\r\n"}
    server = farm.serve(esmtp(GREETING, replies))
    fields = fields_of(probe([server], "--ehlo", NAME, port=farm.port))[server]
    assert farm.heard[server] == [[b"EHLO survey.example.net\r\n", b"HELO survey.example.net\r\n",
                                   b"HELP\r\n", b"QUIT\r\n"]]
    assert (fields["HELLO"], fields["EXTENSIONS"], fields["STARTTLS_OFFERED"],
            fields["STARTTLS"]) == ("helo", "", "no", "")
    assert [step for step, _ in parts(fields)] == [None, "ehlo", "helo", "help", "quit"]


def test_starttls_always_is_tried_when_not_offered_and_never_is_not(farm):
    replies = {b"EHLO": b"250-mx.example.org\r\n250 SIZE\r\n", b"STARTTLS": b"454 4.7.0 no TLS\r\n",
               b"HELP": HELP_REPLY, b"QUIT": b"221 bye\r\n"}
    server = farm.serve(esmtp(GREETING, replies))
    always = fields_of(probe([server], "--ehlo", NAME, "--starttls", "always",
                             port=farm.port))[server]
    assert (always["STARTTLS_OFFERED"], always["STARTTLS"]) == ("no", "refused")
    never = fields_of(probe([server], "--ehlo", NAME, "--starttls", "never",
                            port=farm.port))[server]
    assert (never["STARTTLS_OFFERED"], never["STARTTLS"]) == ("no", "")
    assert farm.heard[server] == [
        [b"EHLO survey.example.net\r\n", b"STARTTLS\r\n", b"HELP\r\n", b"QUIT\r\n"],
        [b"EHLO survey.example.net\r\n", b"HELP\r\n", b"QUIT\r\n"]]


def test_the_time_the_exchange_began_is_stamped_on_request(farm):
    server = farm.serve(esmtp(GREETING, REPLIES))
    refusing = farm.unused()
    result = probe([server, refusing], "--ehlo", NAME, "--starttls", "never", "--timestamp",
                   port=farm.port)
    check = pipeline("date -u +%Y-%m-%dT%H:%M:%SZ")
    for fields in fields_of(result).values():
        assert fields["BEGAN"][:13] == check.stdout.decode()[:13]  # to the hour
        assert len(fields["BEGAN"]) == len("2026-01-01T00:00:00Z")
    assert fields_of(result)[refusing]["STATUS"] == "refused"


# Hostile and broken servers: each address still one whole line ------------

async def _garbage_instead_of_server_hello(peer):
    await peer.reader.read(1)
    await peer.send(b"HTTP/1.0 400 Bad Request\r\n\r\n" * 4)
    await peer.drain_input()


async def _handshake_never_ends(peer):
    await peer.drain_input()


@pytest.mark.parametrize("tls, note", [
    (_garbage_instead_of_server_hello, "handshake"),
    (_handshake_never_ends, "timeout"),
], ids=["garbage", "silent"])
def test_a_failed_handshake_ends_the_exchange_with_what_came_before(farm, tls, note):
    server = farm.serve(esmtp(GREETING, REPLIES, tls))
    result = probe([f"{server}\t{MXHOST}"], "--ehlo", NAME, "--read-timeout", "0.5",
                   port=farm.port)
    fields = fields_of(result)[server]
    data, notes = record.unescape(fields["TRANSCRIPT"].encode("ascii"))
    assert data == GREETING + EHLO_REPLY + b"220 2.0.0 go ahead\r\n"
    assert notes == ("ehlo", "starttls", note)
    assert (fields["STATUS"], fields["STARTTLS"], fields["TLS_VERSION"], fields["CERT_SHA256"]) == (
        "ok", "failed", "", "")
    assert fields["EXTENSIONS"].endswith("STARTTLS")


async def _quiet_after_greeting(peer):
    await peer.send(GREETING)
    await peer.drain_input()


def _dripping(interval):
    async def behaviour(peer):
        await peer.send(GREETING)
        await peer.read_line()
        for byte in EHLO_REPLY:
            await peer.send(bytes([byte]))
            await asyncio.sleep(interval)
        await peer.drain_input()
    return behaviour


def test_every_step_is_under_the_read_timeout_and_the_deadline(farm):
    quiet = farm.serve(_quiet_after_greeting)
    dripping = farm.serve(_dripping(0.05))
    no_greeting = farm.serve(silent)
    result = probe([quiet, dripping, no_greeting], "--ehlo", NAME, "--read-timeout", "0.5",
                   "--deadline", "1.5", port=farm.port)
    found = fields_of(result)
    assert found[quiet]["TRANSCRIPT"] == (
        "220 mx.example.org ESMTP Postfix\\r\\n\\[ehlo]\\[timeout]")
    assert found[quiet]["HELLO"] == ""
    transcript = found[dripping]["TRANSCRIPT"]
    assert transcript.startswith("220 mx.example.org ESMTP Postfix\\r\\n\\[ehlo]250-")
    assert transcript.endswith("\\[deadline]")
    assert (found[no_greeting]["STATUS"], found[no_greeting]["TRANSCRIPT"]) == (
        "timeout", "\\[timeout]")


def test_a_server_that_knows_no_ehlo_and_closes_early_keeps_what_came_before(farm):
    server = farm.serve(smtp(GREETING, b"500 Command unrecognized\r\n", b"250 mx.example.org\r\n"))
    fields = fields_of(probe([server], "--ehlo", NAME, port=farm.port))[server]
    assert farm.heard[server] == [[b"EHLO survey.example.net\r\n", b"HELO survey.example.net\r\n"]]
    assert fields["HELLO"] == "helo"
    # HELP is sent, or not, as the server's close comes after or before;
    # a HELP sent to a closed socket may be answered by a reset.
    assert fields["TRANSCRIPT"] in [
        "220 mx.example.org ESMTP Postfix\\r\\n\\[ehlo]500 Command unrecognized\\r\\n"
        "\\[helo]250 mx.example.org\\r\\n" + ending
        for ending in ("\\[help]\\[closed]", "\\[closed]", "\\[help]\\[reset]")]


def test_hostile_names_in_a_certificate_stay_inside_their_fields(farm, pki):
    evil = "evil\tname\r\n5 fields,more\x00\x1b"
    leaf = certificates.issue(certificates.name(evil), pki[1], sans=[evil, MXHOST])
    server = serve_tls(farm, pki, "hostile", leaf)
    result = probe([f"{server}\t{MXHOST}"], "--ehlo", NAME, *ca_file(pki), port=farm.port)
    assert result.stdout.count(b"\n") == 1
    fields = fields_of(result)[server]
    assert record.unescape(fields["CERT_CN"].encode())[0] == evil.encode()
    assert [record.unescape(item.encode())[0] for item in fields["CERT_SAN"].split(",")] == [
        evil.encode(), MXHOST.encode()]
    assert fields["VALIDATION"] == "trusted"


# The record --------------------------------------------------------------------

def test_mtaguess_names_a_host_alike_in_either_dialogue(farm, pki):
    """The patterns match everything the server said, the greeting first,
    whichever dialogue wrote it: a host that names itself in its greeting
    gets the same label in today's line as in 1998's."""
    leaf = certificates.issue(certificates.name(MXHOST), pki[1], sans=[MXHOST])
    server = serve_tls(farm, pki, "guess", leaf)
    common = f"smtpprobe --port {farm.port} {' '.join(REACH)}"
    today = pipeline(f"echo {server} | {common} --ehlo {NAME} | mtaguess -f patterns-2026.awk",
                     cwd=CHECKOUT)
    then = pipeline(f"echo {server} | {common} | mtaguess -f patterns-2026.awk", cwd=CHECKOUT)
    assert today.status == then.status == 0, (today, then)
    assert today.stdout.split(b"\t")[0] == then.stdout.split(b"\t")[0] == b"Postfix"


def test_the_columns_after_mxlookups_fields_follow_the_facts(farm):
    server = farm.serve(esmtp(GREETING, REPLIES))
    other = farm.serve(esmtp(GREETING, REPLIES))
    result = probe([f"{server}\ta\tb\tc\trank 7\t\x07", f"{other}\tmx.example.org"], "--ehlo",
                   NAME, "--starttls", "never", port=farm.port)
    assert result.status == 0, result
    lines = {line.split(b"\t")[0].decode(): line.split(b"\t") for line in result.lines}
    assert lines[server][3:6] == [b"a", b"b", b"c"]
    assert lines[server][len(record.TODAY):] == [b"rank 7", b"\\x07"]
    assert len(lines[other]) == len(record.TODAY)
    assert lines[server][:len(record.TODAY)][6:] == lines[other][6:]


@pytest.mark.parametrize("name", [
    "", "localhost", "-bad.example", "bad-.example", "a..example", "exa mple.org",
    "example.org.", "ex_ample.org", "[192.0.2.300]", "[IPv6:192.0.2.1]", "[2001:db8::1]",
    "a" * 64 + ".example", "survey.example\r\nMAIL FROM:<x@y>"])
def test_a_malformed_client_name_is_refused(name):
    result = run_inprocess("smtpprobe", ["--ehlo", name], b"")
    assert result.status == 2
    assert "--ehlo takes a domain name" in result.stderr.decode()


@pytest.mark.parametrize("options", [["--timestamp"], ["--ca-file", "x"], ["--starttls", "always"]])
def test_the_options_of_todays_dialogue_need_it(options):
    result = run_inprocess("smtpprobe", options, b"")
    assert result.status == 2
    assert "needs --ehlo" in result.stderr.decode()


def test_source_binds_the_local_address_in_both_dialogues(farm):
    seen = []

    async def where_from(peer):
        seen.append(peer.writer.get_extra_info("peername")[0])
        await esmtp(GREETING, REPLIES)(peer)

    server = farm.serve(where_from)
    today = probe([server], "--source", "127.0.0.77", "--ehlo", NAME, port=farm.port)
    then = probe([server], "--source", "127.0.0.78", port=farm.port)
    assert seen == ["127.0.0.77", "127.0.0.78"]
    assert today.lines[0].split(b"\t")[1] == then.lines[0].split(b"\t")[1] == b"ok"


def test_a_source_address_not_of_this_machine_is_fatal():
    result = run_inprocess("smtpprobe", ["--source", "192.0.2.1"], b"127.0.0.1\n")
    assert result.status == cli.EXIT_FATAL
    assert result.errors == ["smtpprobe: cannot connect from 192.0.2.1: "
                             "Cannot assign requested address"]
    assert result.stdout == b""


# A real SMTP server: aiosmtpd with STARTTLS ------------------------------------

def test_aiosmtpd_with_starttls(pki, tmp_path):
    from aiosmtpd.controller import Controller

    directory, ca = pki
    leaf = certificates.issue(certificates.name(MXHOST), ca, sans=[MXHOST],
                              key=certificates.rsa_key(2048))
    tls = certificates.server_context(*leaf.write(directory, "aiosmtpd"))
    with Farm() as farm:  # an address of a block of its own, and a port free there
        address, port = farm.unused(), farm.port
    controller = Controller(object(), hostname=address, port=port, tls_context=tls,
                            require_starttls=False, server_hostname=MXHOST)
    controller.start()
    try:
        result = probe([f"{address}\t{MXHOST}\texample.org\t5"], "--ehlo", NAME, *ca_file(pki),
                       port=port)
    finally:
        controller.stop()
    fields = fields_of(result)[address]
    assert fields["STATUS"] == "ok", fields
    assert fields["HELLO"] == "ehlo"
    assert "STARTTLS" in fields["EXTENSIONS"].split(",")
    assert "STARTTLS" not in fields["TLS_EXTENSIONS"].split(",")  # RFC 3207: not again
    assert "SMTPUTF8" in fields["TLS_EXTENSIONS"].split(",")
    assert fields["STARTTLS"] == "ok"
    assert fields["TLS_VERSION"] in ("TLSv1.2", "TLSv1.3")
    assert fields["CERT_KEY"] == "RSA-2048"
    assert fields["CERT_SHA256"] == leaf.sha256
    assert fields["VALIDATION"] == "trusted"
    steps = [step for step, _ in parts(fields)]
    assert steps == [None, "ehlo", "starttls", "tls", "ehlo", "help", "quit"]
