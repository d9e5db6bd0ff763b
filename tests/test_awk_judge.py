"""Real awk is the judge: of what each regex means, and of every label.

gawk and mawk run under LC_ALL=C, once per batch of regexes and texts.  The
features on which they disagree are listed in awk_judge.py, with the
reading mtaguess takes (POSIX where it says, gawk where POSIX leaves it
open); a regex using one is judged only by the awk that reads it so.
"""

import os
import random
import re
import subprocess

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import survey_lines
from awk_judge import (AWK_ENV, NOT_FOR_GAWK, NOT_FOR_MAWK, match_table_program, regexes, run_awk,
                       texts)
from mxsurvey import ere, patterns, record
from programs import run

# A failure names the regex and the text; shrinking a batch would take long.
# EXAMPLES=300 in the environment looks further than a run of the suite does
# (mawk 1.3.4 then shows a bug that mtaguess --awk does not write around:
# /(x*by*)*/ does not match a text without a b, where the empty match is
# one).
BATCH = settings(max_examples=int(os.environ.get("EXAMPLES", 40)), deadline=None,
                 derandomize=True,
                 phases=[Phase.explicit, Phase.generate],
                 suppress_health_check=[HealthCheck.too_slow,
                                        HealthCheck.function_scoped_fixture,
                                        HealthCheck.data_too_large])


def batch_matcher(regex_list):
    return patterns.Matcher([patterns.pattern(regex, f"r{index}", "batch", index)
                             for index, regex in enumerate(regex_list)])


def unjudged_by_mawk(regex_list, sample, ours, theirs):
    """mawk's table with our answer where mawk cannot judge: a text with a
    NUL, for a regex with an anchor (awk_judge.py: nul-text)."""
    anchored = [ere.has_anchor(regex) for regex in regex_list]
    return [[our if b"\0" in text and anchor else their
             for our, their, anchor in zip(our_row, their_row, anchored)]
            for text, our_row, their_row in zip(sample, ours, theirs)]


def first_disagreement(regex_list, sample, ours, theirs):
    for text, our_row, their_row in zip(sample, ours, theirs):
        for regex, our, their in zip(regex_list, our_row, their_row):
            if our != their:
                return f"/{regex!r}/ on {text!r}: mtaguess {our}, awk {their}"
    return None


@BATCH
@given(st.lists(regexes(), min_size=30, max_size=30), st.lists(texts(), min_size=30, max_size=30))
def test_each_regex_means_what_awk_makes_of_it(tmp_path, drawn, sample):
    regex_list = [regex for regex, _ in drawn]
    matcher = batch_matcher(regex_list)
    ours = [set(matcher.match_text(text)) for text in sample]
    for awk, not_for in (("gawk", NOT_FOR_GAWK), ("mawk", NOT_FOR_MAWK)):
        judged = [index for index, (_, features) in enumerate(drawn) if not features & not_for]
        if not judged:
            continue
        table = run_awk(awk, match_table_program([regex_list[i] for i in judged]), sample,
                        tmp_path)
        theirs = [[flag == ord("1") for flag in line] for line in table]
        our_rows = [[index in found for index in judged] for found in ours]
        if awk == "mawk":
            theirs = unjudged_by_mawk([regex_list[i] for i in judged], sample, our_rows, theirs)
        assert our_rows == theirs, (awk, first_disagreement(
            [regex_list[i] for i in judged], sample, our_rows, theirs))


# What the texts of common fields are made of: printable bytes but the
# backslash, and TABs; n, r and t as in the escapes \r\n and \t.
COMMON_TEXT_BYTES = [bytes([c]) for c in b"abcx  -.*]{}1\t,#A/\"[()|^$+?nrt"]


def as_common_field(text, rng):
    """An escaped transcript whose joined text is `text`: each space a space
    or a line break, with or without a last line end."""
    field = b"".join(record.ESCAPED_LINE_END if byte == b" " and rng.random() < 0.5
                     else record.escape(byte) for byte in (bytes([c]) for c in text))
    if field.endswith(record.ESCAPED_LINE_END) or rng.random() < 0.5:
        field += record.ESCAPED_LINE_END
    return field


@BATCH
@given(st.lists(regexes(), min_size=20, max_size=20),
       st.lists(texts(COMMON_TEXT_BYTES, 16), min_size=20, max_size=20),
       st.lists(texts(max_size=6), min_size=5, max_size=5), st.randoms())
def test_a_common_field_matches_as_its_joined_text(drawn, common, uncommon, rng):
    matcher = batch_matcher([regex for regex, _ in drawn])
    for text in common:
        field = as_common_field(text, rng)
        assert record.transcript_text(field) == text
        body = field.removesuffix(record.ESCAPED_LINE_END)
        assert sorted(matcher.match_field(body)) == sorted(matcher.match_text(text)), field
    for text in uncommon:
        field = record.escape(text)
        if field.replace(b"\\t", b"").count(b"\\"):
            assert matcher.nothing not in matcher.match_field(field), field


# mtaguess as a whole, against the awk program it writes ------------------------

def rendering(regex, rng):
    """A text that an awk regex of the survey's kind (literals, `.`, `.*`,
    `\\.`, `\\(`, [pP]) matches."""
    out = []
    for token in re.findall(rb"\\.|\[[^]]*\]|\.\*|.", regex):
        if token == b".*":
            out.append(rng.choice([b"", b"x", b" 2.0 (beta) "]))
        elif token == b".":
            out.append(rng.choice([b"(", b"/", b" ", b"*", b"1", b"x"]))
        elif token.startswith(b"["):
            out.append(bytes([rng.choice(token[1:-1])]))
        elif token.startswith(b"\\"):
            out.append(token[1:])
        else:
            out.append(token)
    return b"".join(out)


def near_miss(text, rng):
    if not text:
        return text
    at = rng.randrange(len(text))
    return text[:at] + rng.choice([b"", b"x", b"  ", text[at:at + 1].swapcase()]) + text[at + 1:]


def corpus():
    rng = random.Random(1998)
    shipped = patterns.read_files([survey_lines.PATTERNS])
    examples = [text.encode() for _, text in survey_lines.examples()]
    texts = list(examples)
    for _ in range(8000):
        picked = rng.sample(shipped, rng.randint(1, 3))
        fragments = [rendering(p.regex, rng) for p in picked]
        filler = rng.choice([b" ", b" 214-", b"\t", b"", b" 220 mx.example.net "])
        text = filler.join(fragments)
        texts.append(near_miss(text, rng) if rng.random() < 0.4 else text)
    for _ in range(3000):
        texts.append(near_miss(rng.choice(examples), rng))
    for _ in range(2000):
        size = rng.choice([0, 1, 5, 40, 300])
        texts.append(bytes(rng.choice([0, 9, 27, 32, 65, 92, 128, 200, 255, rng.randrange(256)])
                           for _ in range(size)).replace(b"\n", b" ").replace(b"\r", b""))
    for line in survey_lines.smtpprobe_lines(4000, seed=5):
        address, status, transcript = line.split(b"\t")[:3]
        if status == b"ok":
            texts.append(record.transcript_text(transcript))
    return texts


def probe_line(number, text, rng):
    """An smtpprobe line whose transcript's joined text is `text`."""
    field = as_common_field(text, rng)
    if rng.random() < 0.1:
        field += b"\\[cut]"
    return b"\t".join([b"10.0.%d.%d" % (number >> 8 & 255, number & 255), b"ok", field,
                       b"mx.example.net", b"example.net", b"10"])


@pytest.mark.timeout(300)
def test_mtaguess_labels_every_text_as_gawk_and_mawk_do(tmp_path):
    rng = random.Random(11)
    sample = corpus()
    lines = [probe_line(number, text, rng) for number, text in enumerate(sample)]
    for number in range(0, len(lines), 7):  # failures in between, labelled by status
        lines.insert(number, b"10.9.9.9\ttimeout\t\tmx\texample.net\t10")
    labelled = run("mtaguess", [], b"".join(line + b"\n" for line in lines))
    assert labelled.status == 0, labelled.errors
    ours = [line.split(b"\t", 1)[0] for line in labelled.lines if b"\ttimeout\t" not in line]
    assert len(ours) == len(sample)
    program = run("mtaguess", ["--awk"]).stdout
    for awk in ("gawk", "mawk"):
        theirs = run_awk(awk, program, sample, tmp_path)
        wrong = [(text, our, their) for text, our, their in zip(sample, ours, theirs)
                 if our != their]
        assert not wrong, (awk, len(wrong), wrong[:5])
    assert len(set(ours)) > 50  # the corpus reaches most labels


@pytest.mark.parametrize("path", survey_lines.PATTERN_FILES, ids=lambda path: path.name)
def test_each_example_is_named_by_its_own_pattern_first(tmp_path, path):
    """As recog does for its fingerprints: no example is shadowed by an
    earlier pattern, for mtaguess (which says which pattern) and for awk."""
    examples, pending = [], []  # (text, line of its pattern)
    for line_number, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith(survey_lines.EXAMPLE):
            pending.append(line[len(survey_lines.EXAMPLE):])
        elif line.startswith("/"):
            assert pending, f"{path.name}:{line_number} has no example"
            examples += [(text, line_number) for text in pending]
            pending = []
    assert not pending, "examples after the last pattern"
    # The survey's examples are greetings with HELP replies; today's are
    # real texts of the corpus, some of them greetings alone.
    form = (r"220[ -]\S+\.\S+ .* [2-5][0-9][0-9][ -]" if path == survey_lines.PATTERNS
            else r"[2-5][0-9][0-9][ -]")
    for text, _ in examples:
        assert text.isascii() and text.isprintable(), text
        assert re.match(form, text), text

    rng = random.Random(0)
    lines = b"".join(b"10.0.0.1\tok\t%s\n" % as_common_field(text.encode(), rng)
                     for text, _ in examples)
    explained = run("mtaguess", ["--explain", "-f", path], lines)
    assert explained.status == 0, explained.errors
    found = [line.split(b"\t")[1].decode() for line in explained.lines]
    assert found == [f"{path}:{line}" for _, line in examples]
    labels = [line.split(b"\t")[0] for line in explained.lines]
    program = run("mtaguess", ["--awk", "-f", path]).stdout
    for awk in ("gawk", "mawk"):
        assert run_awk(awk, program, [text.encode() for text, _ in examples], tmp_path) == labels


# The regexes as mtaguess --awk writes them ---------------------------------------

def judged_as_written(regex_list, sample, tmp_path):
    """Each regex written for awk (awkere) matches each text of `sample`
    under gawk and under mawk exactly when mtaguess's reading of it does;
    but for mawk, a text with a NUL is not judged by a regex with an anchor
    (awk_judge.py: nul-text)."""
    matcher = batch_matcher(regex_list)
    ours = [[index in set(matcher.match_text(text)) for index in range(len(regex_list))]
            for text in sample]
    written = [pattern.awk_syntax for pattern in matcher.patterns]
    for awk in ("gawk", "mawk"):
        table = run_awk(awk, match_table_program(written), sample, tmp_path, warnings=False)
        theirs = [[flag == ord("1") for flag in line] for line in table]
        if awk == "mawk":
            theirs = unjudged_by_mawk(regex_list, sample, ours, theirs)
        assert ours == theirs, (awk, first_disagreement(
            [f"{regex!r} written {awk_regex!r}" for regex, awk_regex in zip(regex_list, written)],
            sample, ours, theirs))


@BATCH
@given(st.lists(regexes(), min_size=30, max_size=30), st.lists(texts(), min_size=30, max_size=30))
def test_each_regex_as_written_for_awk_means_the_same_to_gawk_and_mawk(tmp_path, drawn, sample):
    judged_as_written([regex for regex, _ in drawn], sample, tmp_path)


ONE_AWK_OR_THE_OTHER = {"interval", "leading-op", "empty", "stacked", "nul", "octal-meta"}


@BATCH
@given(st.lists(regexes().filter(lambda drawn: drawn[1] & ONE_AWK_OR_THE_OTHER),
                min_size=30, max_size=30),
       st.lists(texts(), min_size=30, max_size=30))
def test_what_the_awks_read_differently_is_written_so_that_they_read_it_alike(
        tmp_path, drawn, sample):
    judged_as_written([regex for regex, _ in drawn], sample, tmp_path)


WRITTEN_FOR_AWK = [
    (rb"a{2}", rb"aa"), (rb"a{2,3}", rb"aaa?"), (rb"a{2,}", rb"aa+"), (rb"a{,2}", rb"(a(a)?)?"),
    (rb"(ab){2}c{0}", rb"(ab)(ab)"), (rb"*a", rb"\*a"), (rb"x|+a", rb"x|\+a"),
    (rb"(?a)", rb"(\?a)"), (rb"|x", rb"(x)?"), (rb"x|", rb"(x)?"), (rb"a()b", rb"ab"),
    (rb"()", rb"^"), (rb"(|x)y", rb"((x)?)y"), (rb".+?c", rb"(.+)?c"), (rb"a\0b", rb"a[\000]b"),
    (rb"\52", rb"\*"), (rb"[[.a.][=b=]]", rb"[ab]"),
    (rb"\.v.* for [[:digit:]]", rb"\.v.* for [0-9]"),
    (rb"a{1,3}", rb"a(a(a)?)?"), (rb"(a?){0,2}", rb"(a?)(a?)"), (rb"(a?)?", rb"(a?)"),
    (rb"(b|a?|)", rb"((b|a?))"), (rb"(^a?)?", rb"(^a?)?"),
    (rb"[/]", rb"\/"), (rb"[]/]", rb"[\/\]]"), (b"caf\xe9\\351", rb"caf\351\351"),
]


@pytest.mark.parametrize("regex, written", WRITTEN_FOR_AWK)
def test_what_the_awks_read_differently_is_written_in_a_form_they_read_alike(
        tmp_path, regex, written):
    assert patterns.pattern(regex, "x", "p.awk", 1).awk_syntax == written
    sample = [b"", b"a", b"aa", b"aaa", b"a{2}", b"*a", b"+a", b"?a", b"(?a)", b"x", b"y", b"xy",
              b"abab", b"ababc", b"c", b"ab", b"a\0b", b"*", b"52", b".v2 for 9", b"/", b"]",
              b"caf\xe9\xe9", b"a{2,3}", b"|x"]
    judged_as_written([regex], sample, tmp_path)


def test_a_regex_too_long_for_mawk_once_written_out_is_refused(tmp_path):
    longest = b"a{1000}" * 8 + b"a{189}"  # 8189 bytes written out
    pattern = patterns.pattern(longest, "x", "p.awk", 1)
    assert pattern.awk_syntax == b"a" * 8189
    judged_as_written([longest], [b"a" * 8188, b"a" * 8189, b"b" + b"a" * 8190], tmp_path)
    source = b"/ok/ fine\n/" + longest + b"a/ long\n"
    with pytest.raises(patterns.PatternError) as refused:
        patterns.parse(source, "p.awk")
    assert str(refused.value) == (
        "p.awk:2: written for every awk (intervals written out), the regex is 8190 bytes, "
        "and mawk takes 8189 at most")


# Where a regex ends in a pattern line ---------------------------------------------

BRACKET_HEAVY = [b"[", b"]", b"^", b":", b"/", b"\\/", b"\\]", b"a", b"[:alpha:]", b"[:digit:]",
                 b"[.", b".]", b"=", b"x"]
SLASHES_AND_BRACKETS = [b"", b"a", b"/", b"]", b"[", b"^", b":", b"1", b"x/a", b"a]", b"=.", b"/]"]


def awk_reading(awk, body, tmp_path):
    """How `awk` reads the rule /BODY/: None if it does not take it, else
    whether it read one regex, BODY (as gawk's pretty-printed program and
    mawk's dump show, where an escaped slash is shown as a slash), and the
    lines it prints over SLASHES_AND_BRACKETS."""
    source, data = tmp_path / f"{awk}.awk", tmp_path / f"{awk}.txt"
    source.write_bytes(b"/" + body + b"/ { print \"hit\"; next } { print \"miss\" }\n")
    data.write_bytes(b"".join(text + b"\n" for text in SLASHES_AND_BRACKETS))
    shown = subprocess.run([awk, "-o-" if awk == "gawk" else "-Wdump", "-f", str(source)],
                           stdin=subprocess.DEVNULL, capture_output=True, env=AWK_ENV, timeout=60)
    done = subprocess.run([awk, "-f", str(source), str(data)], capture_output=True,
                          env=AWK_ENV, timeout=60)
    if shown.returncode or done.returncode:
        return None
    if awk == "gawk":
        whole = shown.stdout.startswith(b"/" + body + b"/ {\n")
    else:
        matches = [line for line in shown.stdout.split(b"\n") if b"\tmatch0\t" in line]
        lexed = b"/" + body.replace(b"\\/", b"/") + b"/"
        whole = len(matches) == 1 and matches[0].endswith(b"\t" + lexed)
    return whole, done.stdout.split(b"\n")[:-1]


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(BRACKET_HEAVY), min_size=1, max_size=7).map(b"".join))
def test_a_regex_ends_where_gawk_and_mawk_end_it(tmp_path, body):
    # In `/BODY/ label` the regex ends where gawk and mawk end the regex of
    # the rule /BODY/; a regex taken means what each awk that takes it makes
    # of it, and one that either does not take is refused.
    readings = {awk: awk_reading(awk, body, tmp_path) for awk in ("gawk", "mawk")}
    try:
        [pattern] = patterns.parse(b"/" + body + b"/ label", "p.awk")
    except patterns.PatternError as error:
        whole = "invalid regex" in str(error)  # ended where BODY ends, then refused
        for awk, reading in readings.items():
            assert reading is None or reading[0] == whole, (awk, body, str(error))
        return
    assert pattern.regex == body
    matcher = patterns.Matcher([pattern])
    ours = [b"hit" if matcher.first(text) == 0 else b"miss" for text in SLASHES_AND_BRACKETS]
    assert readings == {"gawk": (True, ours), "mawk": (True, ours)}, body
