"""mtaguess --versions: each version annotation of the shipped lists gives,
for each example of its pattern, the version written after it, in mtaguess
and in gawk and mawk running mtaguess --awk --versions; bad annotations are
named; and the hint on today's list comes when the list of 1998 names few."""

import random
import re
import subprocess
import sys

import pytest
from hypothesis import assume, given, strategies as st

import survey_lines
from awk_judge import regexes, run_awk, texts
from mxsurvey import ere, guess, patterns, versions
from programs import run, run_inprocess
from test_awk_judge import BATCH, as_common_field

EXAMPLE_VERSION = "# example version: "
NONE = "none"


def annotated_examples(path):
    """(text, version written after it or None, line of its pattern, whether
    the pattern has a version annotation) for every example of a list."""
    found, pending, annotated = [], [], False
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith(survey_lines.EXAMPLE):
            pending.append([line[len(survey_lines.EXAMPLE):], None])
        elif line.startswith(EXAMPLE_VERSION):
            assert pending and pending[-1][1] is None, f"{path.name}:{number}: no example before"
            pending[-1][1] = line[len(EXAMPLE_VERSION):]
        elif line.startswith("# version: /"):
            annotated = True
        elif line.startswith("/"):
            found += [(text, version, number, annotated) for text, version in pending]
            pending, annotated = [], False
    return found


@pytest.mark.parametrize("path", survey_lines.PATTERN_FILES, ids=lambda path: path.name)
def test_each_example_gives_the_version_written_after_it(tmp_path, path):
    examples = annotated_examples(path)
    for text, version, line, annotated in examples:
        assert (version is not None) == annotated, (
            f"{path.name}:{line}: an annotated pattern's examples each have an "
            f"'{EXAMPLE_VERSION}' line, and only they", text)
    rng = random.Random(0)
    lines = b"".join(b"10.0.0.1\tok\t%s\n" % as_common_field(text.encode(), rng)
                     for text, *_ in examples)
    done = run("mtaguess", ["--versions", "--explain", "-f", path], lines)
    assert done.status == 0, done.errors
    got = [line.split(b"\t")[:3] for line in done.lines]
    expected = [(version if version not in (None, NONE) else "").encode()
                for _, version, _, _ in examples]
    assert [version for _, version, _ in got] == expected
    assert [where for _, _, where in got] == [
        f"{path}:{line}".encode() for _, _, line, _ in examples]
    program = run("mtaguess", ["--awk", "--versions", "-f", path]).stdout
    for awk in ("gawk", "mawk"):
        assert run_awk(awk, program, [text.encode() for text, *_ in examples], tmp_path) == [
            label + b"\t" + version for label, version, _ in got], awk


def test_todays_list_gives_versions_for_most_products_that_say_them():
    annotated = [p for p in patterns.read_files([patterns.pattern_file("patterns-2026.awk")])
                 if p.version_rule]
    assert {"Exim", "sendmail", "Microsoft IIS SMTP", "Postfix", "Haraka", "MDaemon"} <= {
        p.label for p in annotated}
    assert len(annotated) >= 40


# The version is taken as match() and substr() take it, in every awk: at the
# leftmost-longest match of CONTEXT, the longest match of VERSION.
CASES = [
    # (CONTEXT, VERSION, text, version)
    (rb"Exim ", rb"[0-9]+(\.[0-9]+)+", b"ESMTP Exim 4.97.1 ready", b"4.97.1"),
    (rb"Exim ", rb"[0-9]+(\.[0-9]+)+", b"Exim x.yz Exim 4.96", b""),  # the first Exim only
    (rb"v(ersion)? ?", rb"[0-9.]+", b"version 2.1 v3", b"2.1"),      # longest CONTEXT
    (rb"a|ab", rb"c|cd|b", b"xabcd", b"cd"),                          # leftmost-longest both
    (rb"\[", rb"[^]]+", b"Server [Free Edition] 1.91", b"Free Edition"),
    (rb"^220 ", rb"[^ ]+", b"220 mx.example.org ESMTP 220 x", b"mx.example.org"),
    (rb"ready$", rb"x", b"ready", b""),
    (rb"v", rb"[0-9]{1,4}", b"v12345", b"1234"),                      # written nested for mawk
]


@pytest.mark.parametrize("context, version, text, taken", CASES)
def test_a_version_is_taken_as_awk_takes_it(context, version, text, taken, tmp_path):
    pattern_file = tmp_path / "p.awk"
    pattern_file.write_bytes(b"# version: /" + context + b"/ /" + version + b"/\n/./ any\n")
    rule = patterns.read_files([str(pattern_file)])[0].version_rule
    assert rule.take(text) == taken
    program = run("mtaguess", ["--awk", "--versions", "-f", pattern_file]).stdout
    for awk in ("gawk", "mawk"):
        assert run_awk(awk, program, [text], tmp_path) == [b"any\t" + taken], awk


def version_rules(pairs):
    """VersionRules of the drawn pairs of awk EREs that may be one: neither
    matches the empty string, VERSION has no anchor."""
    return [versions.VersionRule(context, version, "drawn") for context, version in pairs
            if not (ere.may_match_empty(context) or ere.may_match_empty(version)
                    or ere.has_anchor(version))]


@BATCH
@given(st.lists(st.tuples(regexes(), regexes()), min_size=40, max_size=40),
       st.lists(texts(max_size=16), min_size=30, max_size=30))
def test_random_annotations_take_what_gawk_and_mawk_take(tmp_path, pairs, sample):
    """Every rule's version of every text is what awk's match(), RSTART,
    RLENGTH and substr() make of it, in the statements mtaguess --awk
    writes.  mawk is not asked about a text with a NUL: it may take the
    NUL for the end of the text (awk_judge.py: nul-text); nor about rules
    with optional parts (`?`, `{`): its match() may set RLENGTH short of
    the longest match where two of them follow each other (.?.?x takes 2
    bytes of "xyz"), which no writing of a random regex avoids."""
    rules = version_rules([(context, version) for (context, _), (version, _) in pairs])
    assume(len(rules) >= 5)
    program = b"{ line = \"\" }\n" + b"".join(
        b"{ " + rule.awk_action() + b"; line = line version \"\\037\" }\n" for rule in rules
    ) + b"{ print line }\n"
    ours = [[rule.take(text) for rule in rules] for text in sample]
    for_mawk = [b"?" not in rule.context + rule.version and b"{" not in rule.context + rule.version
                for rule in rules]
    for awk in ("gawk", "mawk"):
        judged = [(text, our) for text, our in zip(sample, ours)
                  if awk == "gawk" or b"\0" not in text]
        theirs = run_awk(awk, program, [text for text, _ in judged], tmp_path, warnings=False)
        wrong = [(text, rule.context, rule.version, our_one, their_one)
                 for (text, our), their in zip(judged, theirs)
                 for rule, our_one, their_one, judged_by_mawk in zip(
                     rules, our, their.split(b"\x1f"), for_mawk)
                 if our_one != their_one and (awk == "gawk" or judged_by_mawk)]
        assert not wrong, (awk, "text, CONTEXT, VERSION, ours, theirs:", wrong[0])


@pytest.mark.parametrize("text, message", [
    ("# version: /a/\n/x/ y\n", "p.awk:1: a version annotation is /CONTEXT/ /VERSION/: "
                                 "no VERSION regex"),
    ("# version: /a//b/\n/x/ y\n", "p.awk:1: a version annotation is /CONTEXT/ /VERSION/, "
                                   "a space between"),
    ("# version: /a/ /b*/\n/x/ y\n", "p.awk:1: invalid version annotation: the version's "
                                     "VERSION regex matches the empty string"),
    ("# version: /a/ /^b/\n/x/ y\n", "p.awk:1: invalid version annotation: the version's "
                                     "VERSION regex has an anchor"),
    ("# version: /a(/ /b/\n/x/ y\n", "p.awk:1: invalid version annotation: "),
    ("# version: /a/ /b/ c\n/x/ y\n", "p.awk:1: text after a version annotation's /VERSION/"),
    ("/x/ y\n# version: /a/ /b/\n", "p.awk:2: a version annotation with no pattern after it"),
    ("# version: /a/ /b/\n# version: /a/ /b/\n/x/ y\n",
     "p.awk:2: a second version annotation; the one of {dir}/p.awk:1 has no pattern yet"),
])
def test_a_bad_version_annotation_is_named_by_file_and_line(text, message, tmp_path):
    (tmp_path / "p.awk").write_text(text)
    done = run_inprocess("mtaguess", ["-f", str(tmp_path / "p.awk")], b"")
    assert done.status != 0 and len(done.errors) == 1
    expected = f"mtaguess: {tmp_path}/" + message.format(dir=tmp_path)
    assert done.errors[0].startswith(expected), done.errors


def test_a_comment_that_only_starts_like_an_annotation_is_a_comment(tmp_path):
    (tmp_path / "p.awk").write_text("# version: 2026-05, by the postmaster\n/x/ y\n")
    [pattern] = patterns.read_files([str(tmp_path / "p.awk")])
    assert pattern.version_rule is None


# The hint -------------------------------------------------------------------

def lines_of(count, text=b"220 mx.example.org ESMTP\\r\\n500 5.5.2 Error: command not "
                            b"recognized\\r\\n"):
    return b"".join(b"192.0.2.%d\tok\t%s\n" % (number % 250 + 1, text)
                    for number in range(count))


HINT = re.compile(r"mtaguess: (\d+) of (\d+) hosts that greeted are `not sure` by "
                  r"patterns\.awk, .* -f patterns-2026\.awk \(/.*/patterns-2026\.awk\)$")


def test_a_run_of_todays_servers_on_the_list_of_1998_is_told_of_todays_list():
    done = run("mtaguess", [], lines_of(guess.HINT_LEAST))
    assert done.status == 0 and len(done.lines) == guess.HINT_LEAST
    [said] = done.errors
    assert HINT.match(said).groups() == (str(guess.HINT_LEAST),) * 2


@pytest.mark.parametrize("options, count", [
    (["-f", "patterns.awk"], 100),            # a list named: never
    ([], guess.HINT_LEAST - 1),               # too few hosts to say
])
def test_no_hint_when_a_list_is_named_or_few_hosts_greeted(options, count):
    done = run("mtaguess", options, lines_of(count))
    assert done.status == 0 and done.errors == []


def test_no_hint_for_the_survey_of_1998():
    probed = b"".join(line + b"\n" for line in survey_lines.smtpprobe_lines(3000))
    done = run("mtaguess", [], probed)
    assert done.status == 0 and done.errors == []


def test_a_long_run_is_told_once_when_enough_hosts_have_greeted():
    """The hint comes as soon as HINT_AFTER hosts greeted, not at the end
    only, and once: a survey that runs for days says it early."""
    done = run("mtaguess", [], lines_of(3 * guess.HINT_AFTER))
    [said] = done.errors
    greeted = int(HINT.match(said).group(2))
    assert guess.HINT_AFTER <= greeted < 3 * guess.HINT_AFTER


# A list of several hundred patterns -------------------------------------------

def test_explain_names_the_pattern_in_a_list_of_several_hundred(tmp_path):
    """bench.largelist's list begins with patterns-2026.awk, line for line,
    so each of its examples is named by the same line of the large list."""
    large = tmp_path / "large.awk"
    made = subprocess.run([sys.executable, "-m", "bench.largelist"], cwd=survey_lines.CHECKOUT,
                          capture_output=True, check=True)
    large.write_bytes(made.stdout)
    assert sum(1 for line in large.read_text().splitlines() if line.startswith("/")) > 500
    examples = annotated_examples(survey_lines.PATTERNS_2026)
    rng = random.Random(1)
    lines = b"".join(b"10.0.0.1\tok\t%s\n" % as_common_field(text.encode(), rng)
                     for text, *_ in examples)
    done = run("mtaguess", ["--explain", "--versions", "-f", large], lines)
    assert done.status == 0, done.errors
    assert [line.split(b"\t")[2] for line in done.lines] == [
        f"{large}:{line}".encode() for _, _, line, _ in examples]
    assert [line.split(b"\t")[1] for line in done.lines] == [
        (version if version not in (None, NONE) else "").encode()
        for _, version, _, _ in examples]
