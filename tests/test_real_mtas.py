"""smtpprobe --ehlo against real mail servers on loopback (tests/realmtas.py):
each started once for this module with STARTTLS and a certificate made here,
probed once by bin/smtpprobe as a real process, and its record compared with
what the server was configured to do; mtaguess -f patterns-2026.awk names
the product where the greeting or the reply to HELP names it."""

import pytest

import certificates
import realmtas
from mxsurvey import record
from programs import run

pytestmark = pytest.mark.timeout(120)

NAME = "survey.example.net"
MXHOST = "mx.example.org"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """The test's CA (ca.crt) and the servers' certificate (mx.crt, mx.key),
    RSA-2048: every server here can show it."""
    directory = tmp_path_factory.mktemp("pki")
    ca = certificates.authority()
    ca.write(directory, "ca")
    leaf = certificates.issue(certificates.name(MXHOST), ca, sans=[MXHOST],
                              key=certificates.rsa_key(2048))
    cert, key = leaf.write(directory, "mx")
    return directory / "ca.crt", cert, key, leaf


class Probed:
    """A server's record, its fields by name, and mtaguess's label of it."""

    def __init__(self, recipe, line, label, server_output):
        self.recipe = recipe
        self.line = line
        self.fields = dict(zip(record.TODAY, line.decode("ascii").split("\t")))
        self.label = label
        self.server_output = server_output

    def parts(self):
        return record.unescape_parts(self.fields["TRANSCRIPT"].encode("ascii"))

    def reply(self, step, inside_tls=False):
        """The reply to STEP's command, in clear or inside TLS."""
        seen_tls = False
        for name, data in self.parts():
            seen_tls = seen_tls or name == "tls"
            if name == step and seen_tls == inside_tls:
                return data
        return None


@pytest.fixture(scope="module", params=realmtas.RECIPES, ids=lambda recipe: recipe.name)
def probed(request, pki):
    ca_file, cert, key, _ = pki
    recipe = request.param(realmtas.free_port(), MXHOST, cert, key)
    try:
        server = realmtas.Running(recipe)
    except realmtas.Absent as why:
        pytest.skip(str(why))
    with server:
        result = run("smtpprobe", [
            "--blocklist", "/dev/null", "--ehlo", NAME, "--ca-file", ca_file,
            "--port", server.port, "--rate", "0", "--read-timeout", "5", "--deadline", "20",
        ], stdin=f"127.0.0.1\t{MXHOST}\texample.org\t10\n".encode(), timeout=60)
    assert result.status == 0, result
    [line] = result.lines
    guessed = run("mtaguess", ["-f", "patterns-2026.awk"], stdin=line + b"\n")
    assert guessed.status == 0, guessed
    label = guessed.stdout.decode("ascii").split("\t", 1)[0]
    return Probed(recipe, line, label, server.output_at_stop)


# What every server's record holds --------------------------------------------------

def test_the_dialogue_runs_to_its_end(probed):
    steps = [step for step, _ in probed.parts()]
    tls = ["starttls", "tls", "ehlo"] if probed.fields["STARTTLS"] == "ok" else ["starttls"]
    assert probed.fields["STATUS"] == "ok", probed.line
    assert steps[:2] == [None, "ehlo"], probed.line
    if probed.fields["STARTTLS"] == "ok":
        assert steps == [None, "ehlo", *tls, "help", "quit"], probed.line
    assert probed.fields["HELLO"] == "ehlo"
    assert (probed.fields["MXHOST"], probed.fields["DOMAIN"], probed.fields["PREFERENCE"]) == (
        MXHOST, "example.org", "10")


def test_the_keywords_are_those_the_configuration_implies(probed):
    assert probed.fields["EXTENSIONS"] == ",".join(sorted(probed.recipe.offers)), probed.line
    assert probed.fields["STARTTLS_OFFERED"] == "yes"
    size = "" if probed.recipe.size is None else f" {probed.recipe.size}"
    assert f"250-SIZE{size}\r\n".encode() in probed.reply("ehlo")


# TLS with the test's certificate ---------------------------------------------------

def test_starttls_completes_with_the_tests_certificate(probed, pki):
    if probed.recipe.handshake_fails:
        return  # the next test
    leaf = pki[3]
    fields = probed.fields
    assert fields["STARTTLS"] == "ok", probed.line
    assert fields["TLS_VERSION"] == "TLSv1.3", probed.line
    assert fields["CIPHER"].startswith("TLS_")
    assert fields["CERT_SHA256"] == leaf.sha256
    assert fields["CERT_CN"] == MXHOST and fields["CERT_SAN"] == MXHOST
    assert fields["CERT_KEY"] == "RSA-2048"
    assert fields["VALIDATION"] == "trusted"
    inside = set(fields["TLS_EXTENSIONS"].split(","))
    assert inside == probed.recipe.offers_in_tls(), probed.line


def test_a_handshake_the_server_fails_is_recorded_as_failed(probed):
    """OpenSMTPD 6.8.0p2 built with OpenSSL 3 answers STARTTLS with 220 and
    then sends an alert (internal_error) to every client: the survey records
    a failed handshake, not a server without TLS."""
    if not probed.recipe.handshake_fails:
        return  # the test above
    fields = probed.fields
    assert fields["STARTTLS_OFFERED"] == "yes"
    assert probed.reply("starttls").startswith(b"220 ")
    assert fields["STARTTLS"] == "failed", probed.line
    _, notes = record.unescape(fields["TRANSCRIPT"].encode("ascii"))
    assert probed.parts()[-1][0] == "starttls" and notes[-1] == "handshake", probed.line
    for name in ("TLS_VERSION", "CIPHER", "TLS_EXTENSIONS", "CERT_SHA256", "VALIDATION"):
        assert fields[name] == "", name
    assert "SSL routines" in probed.server_output


# The product, as patterns-2026.awk names it ---------------------------------------

# What mtaguess -f patterns-2026.awk says of each: every one of these names
# its product in its greeting ("220 localhost Python SMTP 1.4.6" is
# aiosmtpd's), and a pattern knows each name.
PRODUCT = {"Postfix": "Postfix", "Exim": "Exim", "OpenSMTPD": "OpenSMTPD",
           "Sendmail": "sendmail", "chasquid": "chasquid", "Haraka": "Haraka",
           "aiosmtpd": "aiosmtpd"}
# Courier names itself only in an EHLO keyword (XVERP=Courier): its greeting
# (`220 mx.example.org ESMTP`), its reply to HELP (`502 ESMTP command
# error`) and to QUIT (`221 Bye.`) name nothing, so a list that reads those
# may name it or leave it `not sure`, never name another product.
UNNAMED = {"Courier": {"Courier", "not sure"}}


def test_mtaguess_names_the_product(probed):
    name = probed.recipe.name
    assert probed.label in UNNAMED.get(name, {PRODUCT.get(name)}), probed.line
