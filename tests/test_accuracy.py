"""The real texts of tests/corpus: patterns-2026.awk names none of them
wrongly, and tools/accuracy reports each list on them, nmap's among them."""

import subprocess
import sys

import pytest

from programs import CHECKOUT

pytestmark = pytest.mark.timeout(300)

ACCURACY = CHECKOUT / "tools" / "accuracy"
NMAP_PROBES = "/usr/share/nmap/nmap-service-probes"


def accuracy(*args):
    return subprocess.run([sys.executable, str(ACCURACY), *args], capture_output=True,
                          text=True, timeout=240)


def test_patterns_2026_names_no_text_of_the_corpus_wrongly():
    done = accuracy("--require-none-wrong")
    print(done.stdout)  # the table, for the CI log
    assert done.returncode == 0, done.stdout + done.stderr
    assert "wrong:" not in done.stdout
    [totals] = [line for line in done.stdout.splitlines() if line.startswith("all ")]
    ours, with_survey, nmap = totals.split()[2:]
    assert ours.endswith("/0") and with_survey.endswith("/0"), totals
    # every text is counted under every list
    texts = int(totals.split()[1])
    assert all(sum(map(int, cell.split("/"))) == texts for cell in (ours, with_survey, nmap))


def test_a_wrong_label_fails_the_check(tmp_path):
    corpus = tmp_path / "corpus.tsv"
    corpus.write_text("# a Postfix greeting said to be Exim's\n"
                      "Exim\thttps://example.org/\t220 mx.example.net ESMTP Postfix\\r\\n\n"
                      "Exim\thttps://example.org/\t220 mx.example.net ESMTP Exim 4.96\\r\\n\n")
    done = accuracy("--corpus", str(corpus), "--require-none-wrong")
    assert done.returncode == 1
    assert "wrong: Postfix for Exim: 220 mx.example.net ESMTP Postfix\\r\\n" in done.stdout
    assert accuracy("--corpus", str(corpus)).returncode == 0


def test_another_version_of_the_list_is_measured_in_its_place(tmp_path):
    corpus = tmp_path / "corpus.tsv"
    corpus.write_text("Exim\thttps://example.org/\t220 mx.example.net ESMTP Exim 4.96\\r\\n\n"
                      "Postfix\thttps://example.org/\t220 mx.example.net ESMTP Postfix\\r\\n\n")
    earlier = tmp_path / "earlier.awk"
    earlier.write_text("# example: 220 mx ESMTP Postfix\n/ ESMTP Postfix/ Postfix\n")
    done = accuracy("--corpus", str(corpus), "--list", str(earlier))
    totals = [line for line in done.stdout.splitlines() if line.startswith("all ")]
    # the 1998 list after it names Exim
    assert totals and totals[0].split()[1:4] == ["2", "1/1/0", "2/0/0"], done.stdout
    assert "2/0/0" in accuracy("--corpus", str(corpus)).stdout


@pytest.mark.parametrize("line, message", [
    ("Postfix\t220 mx ESMTP Postfix\\r\\n", "a text is LABEL, SOURCE and TRANSCRIPT"),
    ("Postfix\tsrc\t220 mx\\q\\r\\n", "transcript: bad escape"),
    ("Postfix\tsrc\tESMTP Postfix\\r\\n", "the transcript is a server's replies"),
    ("Postfix\tother\t220 mx ESMTP Postfix\\r\\n", "the same transcript as line 1"),
])
def test_a_bad_corpus_line_is_named_by_file_and_line(tmp_path, line, message):
    corpus = tmp_path / "corpus.tsv"
    corpus.write_text("Postfix\tsrc\t220 mx ESMTP Postfix\\r\\n\n" + line + "\n")
    done = accuracy("--corpus", str(corpus))
    assert done.returncode != 0
    assert f"{corpus}:2: {message}" in done.stderr


def test_nmap_rules_are_read_from_the_installed_nmap(tmp_path):
    rules = tmp_path / "probes"
    rules.write_text("Probe TCP NULL q||\n"
                     "match smtp m|^220 [-.\\w]+ ESMTP Postfix| p/Postfix smtpd/\n"
                     "match smtp m|^220 [-.\\w]+ ESMTP Exim|i p/Exim smtpd/\n"
                     "Probe TCP Help q|HELP\\r\\n|\n"
                     "match smtp m|^220 .*\\r\\n214 qmail home page|s p/qmail smtpd/\n")
    corpus = tmp_path / "corpus.tsv"
    corpus.write_text("Postfix\ts\t220 mx.example.net ESMTP Postfix\\r\\n\n"
                      "Exim\ts\t220 mx.example.net esmtp exim 4.96\\r\\n\n"
                      "qmail\ts\t220 mx.example.net ESMTP\\r\\n214 qmail home page: http://x\\r\\n\n"
                      "Exim\ts\t220 mx.example.net ready\\r\\n\n")
    done = accuracy("--corpus", str(corpus), "--nmap", str(rules))
    assert done.returncode == 0, done.stderr
    [totals] = [line for line in done.stdout.splitlines() if line.startswith("all ")]
    assert totals.split()[-1] == "3/1/0"
    assert "nmap: 3 rules" in done.stdout
    assert (CHECKOUT / "tools" / "accuracy").read_text().count(NMAP_PROBES) == 1


def test_the_report_says_where_the_texts_come_from(tmp_path):
    corpus = tmp_path / "corpus.tsv"
    corpus.write_text(
        "Postfix\thttps://github.com/rapid7/recog/blob/main/xml/smtp_banners.xml\t"
        "220 mx.example.net ESMTP Postfix\\r\\n\n"
        "Exim\thttps://example.org/post\t220 mx.example.net ESMTP Exim 4.96\\r\\n\n"
        "Exim\thttps://example.org/other\t220 mx.example.org ESMTP Exim 4.97\\r\\n\n"
        "Postfix\tDebian 12 package postfix, default configuration, recorded with smtpprobe\t"
        "220 vm.example.test ESMTP Postfix (Debian/GNU)\\r\\n\n")
    done = accuracy("--corpus", str(corpus))
    assert done.returncode == 0, done.stderr
    assert ("texts by source: published elsewhere 2 (50%), real MTAs recorded 1 (25%), "
            "recog's examples 1 (25%)") in done.stdout.splitlines()
