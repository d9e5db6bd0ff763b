"""mtaguess on today's dialogue: servers on loopback that name their software
only in their reply to EHLO (before TLS or inside it), recorded by the real
smtpprobe --ehlo and labelled in a real pipe; gawk and mawk, running
mtaguess --awk on texts cut from the records by sed, label them alike."""

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import certificates
from awk_judge import AWK_ENV
from mxsurvey import guess, patterns, record
from programs import CHECKOUT, pipeline
from scripted_smtp import esmtp

pytestmark = pytest.mark.timeout(120)

PROBE = ("smtpprobe --ehlo survey.example.net --blocklist /dev/null --rate 0 "
         "--connect-timeout 10 --read-timeout 10 --deadline 30")
EHLO = b"250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n"
TLS_EHLO = b"250-mx.example.org\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
BARE = b"220 mx.example.org ESMTP\r\n"
NOT_KNOWN = b"502 5.5.2 Error: command not recognized\r\n"

# (label by patterns-2026.awk, its version, greeting, EHLO reply, EHLO reply
# inside TLS, HELP reply)
SERVERS = [
    # Named in the reply to EHLO before TLS.
    ("Stalwart", "", BARE,
     b"250-mx.example.org you had me at EHLO\r\n250-STARTTLS\r\n250-SIZE 104857600\r\n"
     b"250 8BITMIME\r\n", None, NOT_KNOWN),
    ("Google", "", BARE,
     b"250-mx.google.com at your service, [127.0.0.1]\r\n250-SIZE 157286400\r\n"
     b"250-STARTTLS\r\n250 SMTPUTF8\r\n", None, NOT_KNOWN),
    # Named only inside TLS: the extensions offered after STARTTLS.
    ("Microsoft Exchange", "", BARE, EHLO,
     b"250-mx.example.org Hello [127.0.0.1]\r\n250-SIZE 37748736\r\n250-AUTH NTLM LOGIN\r\n"
     b"250-X-EXPS GSSAPI NTLM\r\n250 XRDST\r\n", NOT_KNOWN),
    # Named by the answer to HELP, the replies to EHLO between it and the
    # greeting its pattern is anchored at.
    ("Postfix", "", BARE, EHLO, TLS_EHLO, b"500 5.5.2 Error: command not recognized\r\n"),
    ("Courier", "", BARE, EHLO, TLS_EHLO, b"502 ESMTP command error\r\n"),
    # Named by the greeting, the version with it.
    ("Exim", "4.97.1", b"220 mx.example.org ESMTP Exim 4.97.1 Mon, 11 May 2026 10:15:02 +0200\r\n",
     EHLO, TLS_EHLO, NOT_KNOWN),
    ("not sure", "", BARE, EHLO, TLS_EHLO, NOT_KNOWN),
]

# The text awk reads, cut from the transcript by sed alone: a line break,
# with the notes after it, is a space, and the notes go.
TEXTS = (r"cut -f3 probed | sed -e 's/\\r\\n\(\\\[[a-z]*\]\)*/ /g' -e 's/\\\[[a-z]*\]//g' "
         r"-e 's/ $//'")


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    ca = certificates.authority()
    cert, key = certificates.issue(certificates.name("mx.example.org"), ca,
                                   sans=["mx.example.org"]).write(directory, "mx")
    return certificates.server_context(cert, key)


def test_the_software_named_in_any_reply_is_named_by_mtaguess_and_awk(farm, tls, tmp_path):
    addresses = [farm.serve(esmtp(greeting, {b"EHLO": ehlo, b"HELP": help_reply,
                                             b"QUIT": b"221 2.0.0 Bye\r\n"},
                                  tls if tls_ehlo else None,
                                  {b"EHLO": tls_ehlo, b"HELP": help_reply,
                                   b"QUIT": b"221 2.0.0 Bye\r\n"} if tls_ehlo else None))
                 for _, _, greeting, ehlo, tls_ehlo, help_reply in SERVERS]
    (tmp_path / "addresses").write_text("".join(f"{a}\tmx.example.org\n" for a in addresses))
    done = pipeline(f"{PROBE} -p {farm.port} < addresses > probed && "
                    "mtaguess -f patterns-2026.awk --versions probed > guessed && "
                    f"{TEXTS} > texts && "
                    f"mtaguess -f {CHECKOUT}/patterns-2026.awk --awk --versions > guess.awk",
                    cwd=tmp_path)
    assert done.status == 0, done
    probed = (tmp_path / "probed").read_bytes()
    assert probed.count(b"\\[tls]") == sum(1 for server in SERVERS if server[4])
    guessed = {line.split("\t")[2]: tuple(line.split("\t")[:2])
               for line in (tmp_path / "guessed").read_text().splitlines()}
    expected = {address: (label, version)
                for address, (label, version, *_) in zip(addresses, SERVERS)}
    assert guessed == expected
    ordered = [guessed[line.split("\t")[0]] for line in probed.decode().splitlines()]
    for awk in ("gawk", "mawk"):
        judged = subprocess.run([awk, "-f", "guess.awk", "texts"], cwd=tmp_path, env=AWK_ENV,
                                capture_output=True, check=True)
        assert [tuple(line.split("\t")) for line in judged.stdout.decode().splitlines()] \
            == ordered, awk


def test_a_version_tally_is_one_pipe_away(farm, tls, tmp_path):
    greetings = [b"220 a.example.org ESMTP Exim 4.96 Mon, 11 May 2026 10:15:02 +0200\r\n"] * 3 + [
        b"220 b.example.org ESMTP Exim 4.98 Mon, 11 May 2026 10:15:02 +0200\r\n",
        b"220 c.example.org ESMTP Postfix (Debian/GNU)\r\n"]
    addresses = [farm.serve(esmtp(greeting, {b"EHLO": EHLO, b"HELP": NOT_KNOWN}))
                 for greeting in greetings]
    (tmp_path / "addresses").write_text("".join(f"{a}\n" for a in addresses))
    done = pipeline(f"{PROBE} --starttls never -p {farm.port} < addresses | "
                    "mtaguess -f patterns-2026.awk --versions | tally --counts --field 1,2",
                    cwd=tmp_path)
    assert done.status == 0, done
    rows = [line.split(None, 1) for line in done.stdout.decode().splitlines()]
    assert rows[0] == ["3", "Exim\t4.96"]
    assert sorted(rows[1:]) == [["1", "Exim\t4.98"], ["1", "Postfix\t"]], rows


# The record's form: step notes after a line break ------------------------------

REGEXES = [rb"^220 [^ ]+ ESMTP( 250[- ].*)? 500 x( 221 .*)?$", rb"a b$", rb"^a", rb" $", rb"  ",
           rb"b c", rb"0 a", rb"x 2", rb"^b b", rb"a\tb", rb"[ab]{3}"]
LINE = st.text(alphabet="ab x2\t50-", max_size=8).map(str.encode)
REPLY = st.lists(st.tuples(LINE, st.sampled_from([b"\r\n", b"\n", b""])), max_size=3).map(
    lambda lines: b"".join(line + end for line, end in lines))


@settings(max_examples=300, deadline=None)
@given(REPLY, st.lists(st.tuples(st.sampled_from(sorted(record.STEPS)), REPLY), max_size=6),
       st.sampled_from([b"", b"220 mx ESMTP\r\n"]))
def test_todays_transcripts_are_labelled_as_their_text_is_matched(greeting, steps, start):
    """The matching of a whole line, step notes and all, as it stands gives
    the label that matching its text (record.transcript_text) gives."""
    matcher = patterns.Matcher([patterns.pattern(regex, f"r{index}", "drawn", index)
                                for index, regex in enumerate(REGEXES)])
    field = record.escape(start + greeting) + b"".join(
        record.note(step) + record.escape(data) for step, data in steps)
    if not field:
        return
    line = b"192.0.2.1\tok\t" + field
    labelled = guess.Labeller(matcher, explain=False).chunk([line])
    expected = min(matcher.match_text(record.transcript_text(field)))
    label = f"r{expected}" if expected < len(REGEXES) else patterns.NOT_SURE
    assert labelled == label.encode() + b"\t" + line + b"\n"
