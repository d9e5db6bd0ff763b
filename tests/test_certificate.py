"""The facts of a certificate and its validation, from certificates made
here, names hostile ones among them; and the EHLO keywords of a reply."""

import re

import pytest
from cryptography import x509
from hypothesis import given, settings, strategies as st

import certificates
from mxsurvey import certificate, esmtp, record

PRINTABLE_FIELD = re.compile(rb"[\x20-\x7e]*\Z")
MXHOST = "mx.example.org"

HOSTILE_TEXT = certificates.hostile_text(max_size=40)
HOSTILE_DNS_NAME = certificates.hostile_dns_name(max_size=40)


@settings(max_examples=60, deadline=None)
@given(common_name=HOSTILE_TEXT, sans=st.lists(HOSTILE_DNS_NAME, max_size=4),
       organization=HOSTILE_TEXT)
def test_no_byte_of_a_hostile_name_reaches_the_record_unescaped(common_name, sans, organization):
    ca = certificates.issue(certificates.name("CA", organization), ca=True)
    leaf = certificates.issue(certificates.name(common_name), ca, sans=sans)
    found, cert = certificate.facts(leaf.der)
    assert cert is not None
    for value in found.values():
        assert PRINTABLE_FIELD.match(value), value
        assert b"\t" not in value
    cn_items = found["CERT_CN"].split(record.ITEM_SEPARATOR)
    assert [record.unescape(item)[0] for item in cn_items] == [
        common_name.encode("utf-8", "surrogatepass")]
    san_items = found["CERT_SAN"].split(record.ITEM_SEPARATOR) if sans else []
    assert [record.unescape(item)[0] for item in san_items] == [
        san.encode("utf-8", "surrogatepass") for san in sans]
    issuer = record.unescape(found["CERT_ISSUER"])[0].decode("utf-8", "surrogatepass")
    assert issuer == ca.cert.subject.rfc4514_string()
    line = record.today_line(b"127.0.0.1", b"ok", b"", [b"", b"", b""], found)
    assert line.count(b"\t") == len(record.TODAY) - 1 and line.count(b"\n") == 1


def test_a_certificate_that_cannot_be_read_has_its_fingerprint_only():
    leaf = certificates.issue(certificates.name(MXHOST), sans=[MXHOST])
    broken = leaf.der[:-20]
    found, cert = certificate.facts(broken)
    assert cert is None
    assert found == {"CERT_SHA256": certificate.sha256(broken)}
    assert certificate.validation(cert, [broken], MXHOST, None, certificates.NOW) == [
        "unparsable"]


@pytest.mark.parametrize("pattern, host, matches", [
    ("mx.example.org", "mx.example.org", True),
    ("MX.Example.ORG", "mx.example.org", True),
    ("*.example.org", "mx.example.org", True),
    ("*.example.org", "a.mx.example.org", False),
    ("*.example.org", "example.org", False),
    ("*.org", "example.org", False),
    ("m*.example.org", "mx.example.org", False),
    ("mx.example.org.", "mx.example.org", True),
    ("*.0.0.127", "1.0.0.127", False),
])
def test_names_are_matched_as_openssl_matches_them(pattern, host, matches):
    leaf = certificates.issue(certificates.name("ignored"), sans=[pattern])
    assert certificate._name_matches(leaf.cert, host) is matches


def test_the_common_name_counts_only_when_there_are_no_dns_names():
    without = certificates.issue(certificates.name(MXHOST))
    with_other = certificates.issue(certificates.name(MXHOST), sans=["other.example.org"])
    assert certificate._name_matches(without.cert, MXHOST)
    assert not certificate._name_matches(with_other.cert, MXHOST)


def test_an_expired_leaf_with_a_good_chain_is_expired_only():
    ca = certificates.authority()
    store = x509.verification.Store([ca.cert])
    leaf = certificates.issue(certificates.name(MXHOST), ca, sans=[MXHOST],
                              not_before=certificates.NOW - 90 * certificates.DAY,
                              not_after=certificates.NOW - certificates.DAY)
    assert certificate.validation(leaf.cert, [leaf.der], MXHOST, store, certificates.NOW) == [
        "expired"]
    assert certificate.validation(leaf.cert, [leaf.der], MXHOST, store,
                                  certificates.NOW - 30 * certificates.DAY) == ["trusted"]


def test_a_chain_with_a_bad_signature_is_invalid():
    ca = certificates.authority()
    impostor = certificates.issue(ca.cert.subject, ca=True)  # the CA's name, another key
    store = x509.verification.Store([ca.cert])
    leaf = certificates.issue(certificates.name(MXHOST), impostor, sans=[MXHOST])
    assert certificate.validation(leaf.cert, [leaf.der], MXHOST, store, certificates.NOW) == [
        "invalid"]


@pytest.mark.parametrize("reply, keywords", [
    (b"250-mx.example.org Hello\r\n250-SIZE 35882577\r\n250-8bitmime\r\n250 STARTTLS\r\n",
     {b"SIZE", b"8BITMIME", b"STARTTLS"}),
    (b"250-mx\r\n250-AUTH LOGIN PLAIN XOAUTH2\r\n250-AUTH=LOGIN PLAIN\r\n250 CHUNKING\r\n",
     {b"AUTH=LOGIN", b"AUTH=PLAIN", b"AUTH=XOAUTH2", b"CHUNKING"}),
    (b"250-mx\r\n250-AUTH\r\n250-\r\n250-=junk\r\n250-X\tY\r\n250 REQUIRETLS\n",
     {b"AUTH", b"REQUIRETLS"}),
    (b"250 mx.example.org only a name\r\n", set()),
])
def test_the_ehlo_keywords_are_read_as_the_rfc_writes_them(reply, keywords):
    assert esmtp.extensions(reply) == keywords


@given(st.binary(max_size=300))
def test_any_ehlo_reply_gives_keywords_that_fit_one_field(reply):
    field = record.items(sorted(esmtp.extensions(b"250-mx\r\n" + reply)))
    assert re.fullmatch(rb"[A-Z0-9=,_-]*", field)
