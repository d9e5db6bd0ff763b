"""The pattern file: its syntax, its errors, and what its regexes mean."""

import pytest

from mxsurvey import patterns
from mxsurvey.patterns import PatternError


def parse(text, source="p.awk"):
    return patterns.parse(text.encode() if isinstance(text, str) else text, source)


def matches(regex, text):
    """Whether the awk ERE `regex` (bytes) matches `text` (bytes)."""
    found = patterns.Matcher(parse(b"/" + regex + b"/ it")).first(text)
    return found is not None


def error_of(text, source="p.awk"):
    with pytest.raises(PatternError) as caught:
        parse(text, source)
    return str(caught.value)


# The line format -------------------------------------------------------------

def test_a_pattern_line_has_a_regex_a_label_and_where_it_came_from():
    [pattern] = parse("\n# a comment\n  \n/Sendmail/ sendmail\n", "x/pats.awk")
    assert (pattern.regex, pattern.label, pattern.where) == (
        b"Sendmail", "sendmail", "x/pats.awk:4")


def test_the_label_is_the_rest_of_the_line_slashes_stars_and_all():
    labels = [p.label for p in parse(
        "/PC.TCP/ PC/TCP SMTPSRV\n/Mail.Link/ Mail*Link\n"
        "/CISCO/ CISCO MultiNet, formerly TGV/MultiNet\n"
        "/Help/ unknown (Help ... Not recognized)\n/E/ Eureka! Gold\n")]
    assert labels == ["PC/TCP SMTPSRV", "Mail*Link", "CISCO MultiNet, formerly TGV/MultiNet",
                      "unknown (Help ... Not recognized)", "Eureka! Gold"]


def test_a_comment_after_the_label_is_not_part_of_it():
    [commented, tabbed, glued] = parse(
        "/Duhmail..Black Hole v/ sendmail # *\n/x/ X\t# why\n/y/ C#mail\n")
    assert (commented.label, tabbed.label, glued.label) == ("sendmail", "X", "C#mail")


def test_a_hash_inside_the_regex_is_a_character():
    [pattern] = parse("/unimplemented..#5.5.1/ qmail # old qmail\n")
    assert pattern.regex == b"unimplemented..#5.5.1"
    assert patterns.Matcher([pattern]).first(b"502 unimplemented (#5.5.1)") == 0


def test_spaces_inside_the_slashes_count():
    [pattern] = parse("/ Smail ready/ Smail\n")
    assert pattern.regex == b" Smail ready"
    matcher = patterns.Matcher([pattern])
    assert matcher.first(b"220 host Smail ready") == 0
    assert matcher.first(b"220 host.Smail ready") is None


def test_an_escaped_slash_does_not_end_the_regex():
    [pattern] = parse(r"/http:\/\/pobox.com\/ qmail/ qmail" + "\n")
    assert pattern.regex == rb"http:\/\/pobox.com\/ qmail"
    assert pattern.label == "qmail"
    assert patterns.Matcher([pattern]).first(b"see http://pobox.com/ qmail") == 0


def test_an_escaped_backslash_before_the_slash_leaves_it_closing():
    [pattern] = parse(r"/a\\/ backslash" + "\n")
    assert (pattern.regex, pattern.label) == (rb"a\\", "backslash")
    assert patterns.Matcher([pattern]).first(b"xa\\y") == 0


@pytest.mark.parametrize("regex, text", [
    (rb"[/]", b"a/b"), (rb"[]/]", b"]"), (rb"[^]/]x", b"ax"), (rb"a[]/]", b"a/"),
    (rb"[[:alpha:]/]", b"/"), (rb"[\/]", b"/"), (rb"[a/]b", b"/b"), (rb"[\]/]", b"/"),
])
def test_a_slash_inside_a_bracket_expression_does_not_end_the_regex(regex, text):
    # as gawk and mawk read a regex constant (test_awk_judge.py judges it)
    [pattern] = parse(b"/" + regex + b"/ label\n")
    assert (pattern.regex, pattern.label) == (regex, "label")
    assert patterns.Matcher([pattern]).first(text) == 0


@pytest.mark.parametrize("line, message", [
    ("/[[.a.]/]/ x", "p.awk:1: no space between the regex and the label"),  # [[.a.] ends it
    ("/[[=a=]/]/ x", "p.awk:1: no space between the regex and the label"),
    ("/[/ x", "p.awk:1: the regex has no closing /: the [ at column 2 opens a bracket "
              "expression, in which / is a character"),
    ("/[]/ x", "p.awk:1: the regex has no closing /: the [ at column 2 opens a bracket "
               "expression, in which / is a character"),
    ("  /x[[:alpha:]/ x", "p.awk:1: the regex has no closing /: the [ at column 5 opens a "
                          "bracket expression, in which / is a character"),
    ("/a[b", "p.awk:1: the regex has no closing /"),
])
def test_a_bracket_expression_ends_where_the_awks_end_it(line, message):
    assert error_of(line + "\n") == message


def test_a_line_may_end_with_cr_lf():
    found = parse(b"# a list from elsewhere\r\n/Sendmail/ sendmail\r\n\r\n/qmail/ qmail # q\r\n"
                  b"/Exim/ Exim")
    assert [(p.regex, p.label, p.lineno) for p in found] == [
        (b"Sendmail", "sendmail", 2), (b"qmail", "qmail", 4), (b"Exim", "Exim", 5)]
    assert error_of(b"/a/ x\r\r\n") == "p.awk:1: control character 0x0d in the label"


@pytest.mark.parametrize("label, code", [
    ("a\u0085b", "0085"), ("a\u2028b", "2028"), ("a\u2029b", "2029"), ("\u202eevil", "202E"),
    ("zero\u200bwidth", "200B"), ("no\u00a0break", "00A0"), ("private\ue000", "E000"),
    ("a\ufeffb", "FEFF"), ("a\u0378b", "0378"),  # unassigned
])
def test_a_label_holds_only_printable_characters(label, code):
    assert error_of(f"/ok/ fine\n/x/ {label}\n") == (
        f"p.awk:2: unprintable character U+{code} in the label")


def test_utf8_in_labels_and_regexes_is_allowed():
    [pattern] = parse("/Caf\u00e9/ caf\u00e9 \u2014 a label\n")
    assert pattern.label == "caf\u00e9 \u2014 a label"
    assert patterns.Matcher([pattern]).first("le Caf\u00e9".encode()) == 0


def test_a_file_without_a_final_newline_still_has_its_last_pattern():
    assert [p.label for p in parse("/a/ A\n/b/ B")] == ["A", "B"]


@pytest.mark.parametrize("line, message", [
    ("/Sendmail sendmail", "p.awk:3: the regex has no closing /"),
    ("/abc\\/ x", "p.awk:3: the regex has no closing /"),
    ("/Sendmail/", "p.awk:3: no label after the regex"),
    ("/Sendmail/   ", "p.awk:3: no label after the regex"),
    ("/Sendmail/ # only a comment", "p.awk:3: no label after the regex"),
    ("/Sendmail/sendmail", "p.awk:3: no space between the regex and the label"),
    ("Sendmail/ sendmail", "p.awk:3: a pattern line starts with /REGEX/"),
    ("/a(b/ x", "p.awk:3: invalid regex: unmatched ( at byte 2"),
    ("/a[bc/ x", "p.awk:3: the regex has no closing /: the [ at column 3 opens a bracket "
                 "expression, in which / is a character"),
    ("/a[[.b.]/ x", "p.awk:3: invalid regex: unterminated bracket expression at byte 2"),
    ("/[[:alfa:]]/ x", "p.awk:3: invalid regex: unknown class [:alfa:] at byte 2"),
    ("/[z-a]/ x", "p.awk:3: invalid regex: a range that counts down at byte 5"),
    ("/a{3,2}/ x", "p.awk:3: invalid regex: interval {3,2} counts down at byte 2"),
    ("/a{1001}/ x", "p.awk:3: invalid regex: repetition count above 1000 at byte 2"),
    ("/^*/ x", "p.awk:3: invalid regex: a repetition of ^ or $, which awks read differently "
               "at byte 2"),
    ("/a\\y/ x", "p.awk:3: invalid regex: \\y is not an awk escape at byte 3"),
    ("/a\tb/ x\rmore", "p.awk:3: control character 0x0d in the label"),
    ("/a\x01b/ x", "p.awk:3: control character 0x01 in the regex; write it as an escape "
                   "such as \\t or \\001"),
])
def test_a_bad_line_is_named_by_file_and_line(line, message):
    assert error_of(f"# first\n/ok/ fine\n{line}\n/ok/ after\n") == message


def test_a_byte_that_is_not_utf8_is_named_with_its_column():
    assert error_of(b"/ok/ fine\n/caf\xe9/ x\n") == "p.awk:2: not UTF-8: byte 0xe9 at column 5"


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    with pytest.raises(PatternError) as caught:
        patterns.read_files([str(tmp_path / "nothing.awk")])
    assert str(caught.value) == f"cannot read {tmp_path / 'nothing.awk'}: No such file or directory"


def test_files_are_read_in_order_as_one_list(tmp_path):
    (tmp_path / "a.awk").write_text("/a/ A\n")
    (tmp_path / "b.awk").write_text("\n/b/ B\n")
    found = patterns.read_files([str(tmp_path / "b.awk"), str(tmp_path / "a.awk")])
    assert [(p.label, p.lineno) for p in found] == [("B", 2), ("A", 1)]


def test_the_shipped_pattern_file_has_the_98_patterns_of_the_survey():
    found = patterns.read_files([str(patterns_file())])
    assert len(found) == 98
    assert (found[0].label, found[-1].label) == ("Raptor proxy", "MMDF")
    assert found[45].label == "sendmail"  # "Duhmail..Black Hole v": its "# *" is a comment


def patterns_file():
    from mxsurvey import guess
    return guess.default_patterns()


# What a regex means -----------------------------------------------------------

@pytest.mark.parametrize("regex, text, expected", [
    # awk's escapes: \b is a backspace, \/ a slash, \ddd a byte in octal
    (rb"a\bc", b"a\x08c", True),
    (rb"a\bc", b"a c", False),
    (rb"\/\"\t", b'/"\t', True),
    (rb"\101\0z", b"A\x00z", True),
    (rb"\.", b"x", False),
    (rb"\.", b".", True),
    # `.` and negated brackets take any byte, NUL, ESC and high bytes too
    (rb"a.c", b"a\x00c", True),
    (rb"a.c", b"a\xffc", True),
    (rb"a[^b]c", b"a\x1bc", True),
    (rb"a.c", b"a\xc3\xa9c", False),  # a UTF-8 character is two bytes
    (b"caf\xc3\xa9", b"un caf\xc3\xa9", True),
    # brackets: a ] first is literal, classes, ranges, - at the ends
    (rb"[]a]", b"]", True),
    (rb"[^]a]", b"]", False),
    (rb"[[:digit:][:space:]]x", b"\tx", True),
    (rb"[[:alpha:]]", b"\xe9", False),  # the C locale
    (rb"[a-c-]", b"-", True),
    (rb"[\]]", b"]", True),
    (rb"[a\-z]", b"q", False),  # an escaped - is not a range
    (rb"[[.-.]]", b"-", True),
    # `*+?{` at the start of a regex, of a group, or after | are literals
    (rb"*a", b"*a", True),
    (rb"*a", b"a", False),
    (rb"(+a)", b"+a", True),
    (rb"b|?a", b"?a", True),
    (rb"{2}a", b"{2}a", True),
    # a { that does not start an interval is a literal
    (rb"a{x}", b"a{x}", True),
    (rb"a{2", b"a{2", True),
    (rb"a{2}", b"aa", True),
    (rb"a{2}", b"a{2}", False),
    (rb"a{,2}b", b"b", True),
    # anchors are anchors anywhere
    (rb"a^b", b"a^b", False),
    (rb"(^|x)a", b"ba", False),
    (rb"(^|x)a", b"xa", True),
    (rb"a$", b"a ", False),
    # repetitions stack, empty groups match the empty string
    (rb"a**b", b"b", True),
    (rb"a{1}{2}", b"a", False),
    (rb"()x", b"x", True),
    (rb"a||b", b"c", True),
    # a ) with no ( is a literal
    (rb"a)", b"a)", True),
])
def test_a_regex_means_what_awk_makes_of_it(regex, text, expected):
    assert matches(regex, text) is expected


def test_a_regex_is_matched_with_the_text_as_one_record():
    assert matches(rb"MDaemon .* Help system", b"220 MDaemon 2.7 ready 502 Help system inactive")
    assert not matches(rb"^502", b"220 ready 502 Help")


# The awk program ---------------------------------------------------------------

def test_the_awk_program_writes_each_regex_for_every_awk_and_labels_as_awk_strings():
    found = parse('/a\\/b[]x]/ say "hi" \\ there\n/c{2}/ plain\n/Mercury 1\\... ESMTP/ M\n',
                  "p.awk")
    program = patterns.awk_program(found, ["p.awk"]).decode()
    rules = [line for line in program.splitlines() if not line.startswith("#")]
    assert rules == ['/a\\/b[\\]x]/ { print "say \\"hi\\" \\\\ there"; next }',
                     '/cc/ { print "plain"; next }',
                     '/Mercury 1\\... ESMTP/ { print "M"; next }',
                     '{ print "not sure" }']
    assert "LC_ALL=C" in program
