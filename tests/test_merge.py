"""tally --merge against one run over all the input, and tally --diff."""

import collections
import itertools
import random
import re

import pytest
from hypothesis import given, settings, strategies as st

from mxsurvey import cli, reportfile, tallyfiles
from programs import pipeline, run_inprocess
from programs import every_bad_line_shown
from tally_inputs import coreutils_counts, mtaguess_lines, table_rows
from world.survey1998 import FAILURES_1998, SOFTWARE_1998


def tally(args, stdin=b""):
    result = run_inprocess("tally", args, stdin)
    assert result.status == 0, result
    assert result.stderr == b""
    return result.stdout


# A report of no addresses: tally writes none, but one reads.
EMPTY_REPORT = (b"0 addresses\n0 successful connections\n\nReasons for connection failures:\n"
                b"\nServer software tallies:\n")
NOTHING_TO_MERGE = "tally: no report and no rows to merge"


def shards(data, parts, seed):
    """The lines of `data` dealt at random into `parts` inputs."""
    rng = random.Random(seed)
    dealt = [[] for _ in range(parts)]
    for line in data.split(b"\n")[:-1]:  # data ends in LF; splitlines would cut at CR too
        dealt[rng.randrange(parts)].append(line)
    return [b"".join(line + b"\n" for line in lines) for lines in dealt]


def written(tmp_path, contents, name="shard"):
    """The contents written to files; their paths."""
    paths = []
    for number, content in enumerate(contents, 1):
        path = tmp_path / f"{name}{number}"
        path.write_bytes(content)
        paths.append(str(path))
    return paths


# Merging is what one run over all the input writes -----------------------------

# Labels that look like rows, or like nothing: spaces before, inside and
# after, digits, CR, NUL and bytes above 0x7F.  Few, so that they tie.
LABEL_PIECES = [b" ", b"  7 ", b"9", b"a", b"b", b"\r", b"\x00", b"\xff", b"%", b"-"]
label = st.lists(st.sampled_from(LABEL_PIECES), max_size=3).map(b"".join)
lines = st.lists(st.tuples(label, st.sampled_from([b"", b"\tx", b"\tx\ty"])), max_size=60).map(
    lambda drawn: b"".join(field + rest + b"\n" for field, rest in drawn))


@settings(max_examples=60, deadline=None)
@given(data=lines, parts=st.integers(1, 5), seed=st.integers(0, 2**16), percent=st.booleans(),
       shared=st.lists(st.booleans(), min_size=5, max_size=5))
def test_merged_counts_are_one_run_over_all_lines(tmp_path_factory, data, parts, seed, percent,
                                                  shared):
    """Each shard's rows written with --percent or without."""
    paths = written(tmp_path_factory.mktemp("merge"), [
        tally(["--counts", *(["--percent"] if with_shares else [])], part)
        for part, with_shares in zip(shards(data, parts, seed), shared)])
    share = ["--percent"] if percent else []
    if not data:  # nothing counted: nothing to merge
        result = run_inprocess("tally", ["--merge", *share, *paths])
        assert (result.status, result.stdout, result.errors) == (cli.EXIT_FATAL, b"", [NOTHING_TO_MERGE])
        return
    assert tally(["--merge", *share, *paths]) == tally(["--counts", *share], data)


def test_merged_counts_are_what_coreutils_print(tmp_path):
    data = mtaguess_lines(table_rows(FAILURES_1998), table_rows(SOFTWARE_1998))
    paths = written(tmp_path, [coreutils_counts(part) for part in shards(data, 7, seed=5)])
    assert tally(["--merge", *paths]) == coreutils_counts(data)


@pytest.mark.parametrize("percent", [[], ["--percent"]])
def test_merged_reports_are_the_report_of_all_lines(tmp_path, percent):
    data = mtaguess_lines(table_rows(FAILURES_1998), table_rows(SOFTWARE_1998))
    paths = written(tmp_path, [tally([], part) for part in shards(data, 5, seed=6)])
    assert tally(["--merge", *percent, *paths]) == tally(percent, data)


@pytest.mark.parametrize("percent", [[], ["--percent"]])
@pytest.mark.parametrize("parts", [1, 2, 5])
def test_reports_may_come_concatenated_on_stdin(parts, percent):
    data = mtaguess_lines(table_rows(FAILURES_1998), table_rows(SOFTWARE_1998))
    concatenated = b"".join(tally(percent, part) for part in shards(data, parts, seed=parts))
    assert tally(["--merge", *percent], concatenated) == tally(percent, data)


def test_reports_with_no_rows_or_counts_of_seven_digits_come_concatenated():
    """A report's head is never taken for rows, even where its first two
    lines have the form of rows (counts of seven digits and more)."""
    big = (b"1000003 addresses\n1000001 successful connections\n\n"
           b"Reasons for connection failures:\n      2 timed out\n\n"
           b"Server software tallies:\n1000001 sendmail\n")
    empty = EMPTY_REPORT
    assert tally(["--merge"], empty + big + empty + empty + big + empty) == (
        b"2000006 addresses\n2000002 successful connections\n\n"
        b"Reasons for connection failures:\n      4 timed out\n\n"
        b"Server software tallies:\n2000002 sendmail\n")
    # Rows of --counts labelled so are rows: no empty line follows them.
    rows = b"1000003 addresses\n1000001 successful connections\n      1 x\n"
    assert tally(["--merge"], rows + rows) == (
        b"2000006 addresses\n2000002 successful connections\n      2 x\n")


@pytest.mark.timeout(60)
def test_concatenated_reports_as_real_processes(tmp_path):
    """Two reports of 331 addresses each, 303 of them successful."""
    data = mtaguess_lines([(28, "timed out")], [(303, "sendmail")])
    (tmp_path / "guesses").write_bytes(data)
    expected = tally([], data + data)
    assert expected.startswith(b"662 addresses\n606 successful connections\n")
    result = pipeline("tally guesses > r1 && cp r1 r2 && cat r1 r2 | tally --merge", cwd=tmp_path)
    assert (result.status, result.stdout, result.stderr) == (0, expected, b"")
    result = pipeline("(tally --percent guesses; tally guesses) | tally --merge --percent",
                      cwd=tmp_path)
    assert (result.status, result.stdout, result.stderr) == (0, tally(["--percent"], data + data),
                                                              b"")


def test_rows_may_come_concatenated_on_stdin():
    data = mtaguess_lines([(40, "timed out")], [(300, "sendmail"), (77, "qmail"), (77, "IMail")])
    concatenated = b"".join(tally(["--counts"], part) for part in shards(data, 4, seed=8))
    assert tally(["--merge"], concatenated) == tally(["--counts"], data)


def test_counts_widen_past_seven_digits_and_ties_go_by_descending_bytes():
    rows = (b"9999999 b\n      1 a\n"
            b"      1 b\n12345678 a\n"
            b"      2 Z\n      2 z\n      2 \xff\n")
    assert tally(["--merge"], rows) == (
        b"12345679 a\n10000000 b\n      2 \xff\n      2 z\n      2 Z\n")


def test_a_label_is_everything_after_the_count_and_one_space():
    rows = b"      3  12 x \n      2 \t\r\n      1 \n      1 \n"
    assert tally(["--merge"], rows) == b"      3  12 x \n      2 \t\r\n      2 \n"


def test_empty_inputs_merge_with_either_kind(tmp_path):
    report = tally([], mtaguess_lines([(1, "timed out")], [(2, "sendmail")]))
    paths = written(tmp_path, [b"", report, b""])
    assert tally(["--merge", *paths]) == report
    result = run_inprocess("tally", ["--merge", paths[0]])
    assert (result.status, result.stdout, result.errors) == (cli.EXIT_FATAL, b"", [NOTHING_TO_MERGE])
    # A report of no addresses still reads, and adds nothing.
    assert tally(["--merge", paths[1]], EMPTY_REPORT) == report
    assert tally(["--merge", paths[1], "-"], EMPTY_REPORT) == report


@pytest.mark.timeout(60)
def test_merge_as_a_real_process_in_a_pipe(tmp_path):
    data = mtaguess_lines([(3, "connection refused")], [(5, "sendmail"), (2, "qmail")])
    written(tmp_path, shards(data, 3, seed=1), name="guesses")
    result = pipeline("for f in guesses*; do tally --counts $f; done | tally --merge",
                      cwd=tmp_path)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == b"      5 sendmail\n      3 connection refused\n      2 qmail\n"


# Outputs written with --percent -------------------------------------------------

@pytest.mark.timeout(60)
def test_a_report_with_shares_reads_as_the_same_report_without(tmp_path):
    data = mtaguess_lines([(28, "timed out"), (3, "connection refused")],
                          [(303, "sendmail"), (1, "qmail")])
    (tmp_path / "guesses").write_bytes(data)
    result = pipeline("tally guesses > plain && tally --percent guesses > shares && "
                      "tally --merge shares && tally --diff plain shares", cwd=tmp_path)
    assert (result.status, result.stderr) == (0, b"")
    plain = (tmp_path / "plain").read_bytes()
    assert result.stdout == plain + (
        b"    335     335      +0 addresses\n"
        b"    304     304      +0 successful connections\n"
        b"\n"
        b"Reasons for connection failures:\n"
        b"     28      28      +0 timed out\n"
        b"      3       3      +0 connection refused\n"
        b"\n"
        b"Server software tallies:\n"
        b"    303     303      +0 sendmail\n"
        b"      1       1      +0 qmail\n")


def test_shares_from_0_0_to_100_0_percent_are_dropped():
    rows = b"   1999 100.0% a b\n      1   0.1% \n      1   0.0% 9.9% x\n      2  50.0% a b\n"
    assert tally(["--merge"], rows) == b"   2001 a b\n      1 9.9% x\n      1 \n"


def test_rows_with_and_without_shares_do_not_mix_in_one_input(tmp_path):
    shared, plain = written(tmp_path, [
        b"      3  75.0% a\n      1  25.0% b\n      1 c\n",
        b"      3 a\n      1  25.0% b\n"])
    result = run_inprocess("tally", ["--merge", shared, plain])
    assert result.status == 1
    assert result.errors == [
        f"tally: {shared}:3: a row without a share among rows with one (--percent)",
        f"tally: {plain}:2: a row with a share (--percent) among rows without one"]
    assert result.stdout == b"      6 a\n      1 b\n"


def test_a_reports_headings_say_whether_its_rows_have_shares(tmp_path):
    with_shares = (b"4 addresses\n3 successful connections\n\n"
                   b"Reasons for connection failures (% of addresses):\n      1  25.0% timed out\n\n"
                   b"Server software tallies (% of successful connections):\n")
    plain, shared, one_without, mixed_headings = written(tmp_path, [
        b"4 addresses\n3 successful connections\n\nReasons for connection failures:\n"
        b"      1  25.0% timed out\n\nServer software tallies:\n      3 sendmail\n",
        with_shares + b"      3 100.0% sendmail\n",
        with_shares + b"      3 sendmail\n",
        with_shares.replace(b"tallies (% of successful connections)", b"tallies")
        + b"      3 100.0% sendmail\n"])
    result = run_inprocess("tally", ["--merge", plain, shared, one_without, mixed_headings])
    assert result.status == 1
    assert result.errors == [
        f'tally: {plain}:5: " 25.0% timed out" is not a reason for a connection failure',
        f"tally: {plain}:1: the report from here to line 8 is left out",
        f"tally: {one_without}:8: a row without a share under a heading with shares (--percent)",
        f"tally: {one_without}:1: the report from here to line 8 is left out",
        f"tally: {mixed_headings}:7: the headings disagree: one is of a report with shares "
        f"(--percent), the other of one without",
        f"tally: {mixed_headings}:1: the report from here to line 8 is left out"]
    assert result.stdout == tally(["--merge"], (tmp_path / "shard2").read_bytes())
    assert result.lines[-1] == b"      3 sendmail"


def test_a_share_in_a_report_is_checked_against_its_head(tmp_path):
    head = (b"331 addresses\n303 successful connections\n\n"
            b"Reasons for connection failures (% of addresses):\n")
    software = b"\nServer software tallies (% of successful connections):\n"
    report, = written(tmp_path, [
        head + b"     28   9.5% timed out\n" + software + b"    303 100.0% sendmail\n"
        + head + b"     28   8.5% timed out\n" + software + b"    303  99.0% sendmail\n"
        + head + b"     28   8.5% timed out\n" + software + b"    303 100.0% sendmail\n"])
    result = run_inprocess("tally", ["--merge", report])
    assert result.status == 1
    assert result.errors == [f"tally: {report}:5: 28 of 331 is 8.5%, not 9.5%",
                             f"tally: {report}:1: the report from here to line 8 is left out",
                             f"tally: {report}:16: 303 of 303 is 100.0%, not 99.0%",
                             f"tally: {report}:9: the report from here to line 16 is left out"]
    assert result.lines[:2] == [b"331 addresses", b"303 successful connections"]


# Malformed inputs -------------------------------------------------------------

def test_malformed_rows_are_named_skipped_and_make_exit_1(tmp_path):
    good, bad = written(tmp_path, [
        b"      4 sendmail\n",
        b"      2 qmail\n"
        b"   2 qmail\n"              # padded to 4 columns, not 7
        b"0000002 qmail\n"           # leading zeros
        b"      0 qmail\n"
        b"qmail\n"
        b"\n"
        b"      2\n"                 # no space, so no label
        b"     -2 qmail\n"
        b"      1 sendmail\n"
        b"      1 sendm"])           # cut short
    result = run_inprocess("tally", ["--merge", good, bad])
    assert result.status == 1
    assert result.errors == [
        f'tally: {bad}:2: the count "2" is not right-aligned in 7 columns',
        f'tally: {bad}:3: the count "0000002" is not right-aligned in 7 columns',
        f"tally: {bad}:4: a count of 0",
        f'tally: {bad}:5: not a row (COUNT LABEL): "qmail"',
        f'tally: {bad}:6: not a row (COUNT LABEL): ""',
        f'tally: {bad}:7: not a row (COUNT LABEL): "      2"',
        f'tally: {bad}:8: not a row (COUNT LABEL): "     -2 qmail"',
        f"tally: {bad}:10: the last line has no LF: is the file cut short?",
    ]
    assert result.stdout == b"      5 sendmail\n      2 qmail\n"


def test_malformed_reports_are_named(tmp_path):
    head = b"3 addresses\n2 successful connections\n\nReasons for connection failures:\n"
    paths = written(tmp_path, [
        head + b"      1 timed out\n\nServer software tallies:\n      2 sendmail\n",
        head + b"      1 timed out\n\nServer software tallies:\n      1 sendmail\n",
        head + b"      1 timed out\n\nSoftware:\n      2 sendmail\n",
        head + b"      1 timed out\n",
        head + b"      1 timed out\n\nServer software tallies:\n      2 sendmail\n  oops\n",
        head,
    ])
    with every_bad_line_shown():
        result = run_inprocess("tally", ["--merge", *paths])
    assert result.status == 1
    assert result.errors == [
        f"tally: {paths[1]}:2: 2 successful connections, but the software rows add up to 1",
        f"tally: {paths[1]}:1: 3 addresses, but the rows add up to 2",
        f"tally: {paths[1]}:1: the report from here to line 8 is left out",
        f'tally: {paths[2]}:7: not the heading "Server software tallies:": "Software:"',
        f"tally: {paths[2]}:1: the report from here to line 8 is left out",
        f'tally: {paths[3]}:6: no heading "Server software tallies:"',
        f"tally: {paths[3]}:1: the report from here to line 5 is left out",
        f'tally: {paths[4]}:9: not a row (COUNT LABEL): "  oops"',
        f"tally: {paths[4]}:1: the report from here to line 9 is left out",
        f'tally: {paths[5]}:5: no heading "Server software tallies:"',
        f"tally: {paths[5]}:1: the report from here to line 4 is left out",
    ]
    assert result.stdout == tally([], mtaguess_lines([(1, "timed out")], [(2, "sendmail")]))


def test_malformed_reports_concatenated_are_named_at_their_own_lines(tmp_path):
    head = b"3 addresses\n2 successful connections\n\nReasons for connection failures:\n"
    good = head + b"      1 timed out\n\nServer software tallies:\n      2 sendmail\n"
    concatenated, = written(tmp_path, [
        good                                                          # lines 1-8
        + head + b"      1 timed out\n"                               # 9-13: cut short
        + head + b"      1 timed out\n\nServer software tallies:\n"  # 14-20: rows missing
        + good])                                                      # 21-28
    result = run_inprocess("tally", ["--merge", concatenated])
    assert result.status == 1
    assert result.errors == [
        f'tally: {concatenated}:14: no heading "Server software tallies:"',
        f"tally: {concatenated}:9: the report from here to line 13 is left out",
        f"tally: {concatenated}:15: 2 successful connections, "
        f"but the software rows add up to 0",
        f"tally: {concatenated}:14: 3 addresses, but the rows add up to 1",
        f"tally: {concatenated}:14: the report from here to line 20 is left out"]
    assert result.lines[:2] == [b"6 addresses", b"4 successful connections"]


def test_reports_and_rows_do_not_merge(tmp_path):
    report, counts = written(tmp_path, [EMPTY_REPORT, b"      1 sendmail\n"])
    result = run_inprocess("tally", ["--merge", report, counts])
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == [
        f"tally: {report} is a report and {counts} is rows of --counts: merge outputs of one kind"]


# --diff ------------------------------------------------------------------------

def test_diff_of_rows_in_the_new_order_then_the_rows_gone(tmp_path):
    old, new = written(tmp_path, [
        b"     50 qmail\n     40 sendmail\n      7 Gone\n      7 Also gone\n      3 Same\n",
        b"12345678 qmail\n     45 sendmail\n      3 Same\n      3 New\n"], name="month")
    assert tally(["--diff", old, new]) == (
        b"     50 12345678 +12345628 qmail\n"
        b"     40      45      +5 sendmail\n"
        b"      3       3      +0 Same\n"
        b"      0       3      +3 New\n"
        b"      7       0      -7 Gone\n"
        b"      7       0      -7 Also gone\n")


def test_diff_of_reports_keeps_the_report_layout(tmp_path):
    may = mtaguess_lines([(5, "timed out"), (2, "connection refused")],
                         [(30, "sendmail"), (4, "Post.Office")])
    june = mtaguess_lines([(6, "timed out"), (1, "host unreachable")],
                          [(31, "sendmail"), (2, "qmail")])
    old, new = written(tmp_path, [tally([], may), tally([], june)], name="report")
    assert tally(["--diff", old, new]) == (
        b"     41      40      -1 addresses\n"
        b"     34      33      -1 successful connections\n"
        b"\n"
        b"Reasons for connection failures:\n"
        b"      5       6      +1 timed out\n"
        b"      0       1      +1 host unreachable\n"
        b"      2       0      -2 connection refused\n"
        b"\n"
        b"Server software tallies:\n"
        b"     30      31      +1 sendmail\n"
        b"      0       2      +2 qmail\n"
        b"      4       0      -4 Post.Office\n")


def test_diff_against_an_empty_file_and_stdin(tmp_path):
    report = tally([], mtaguess_lines([(1, "timed out")], [(2, "sendmail")]))
    empty, = written(tmp_path, [b""])
    assert tally(["--diff", empty, "-"], report) == (
        b"      0       3      +3 addresses\n"
        b"      0       2      +2 successful connections\n"
        b"\n"
        b"Reasons for connection failures:\n"
        b"      0       1      +1 timed out\n"
        b"\n"
        b"Server software tallies:\n"
        b"      0       2      +2 sendmail\n")
    assert tally(["--diff", "-", empty], b"      2 a\n") == b"      2       0      -2 a\n"


def test_diff_of_a_missing_file_or_of_two_kinds_writes_nothing(tmp_path):
    report, counts = written(tmp_path, [EMPTY_REPORT, b"      1 sendmail\n"])
    missing = str(tmp_path / "missing")
    result = run_inprocess("tally", ["--diff", missing, counts])
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == [f"tally: cannot open {missing}: No such file or directory"]
    result = run_inprocess("tally", ["--diff", report, counts])
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == [
        f"tally: {report} is a report and {counts} is rows of --counts: "
        f"compare outputs of one kind"]


@pytest.mark.parametrize("argv", [["--diff", "a"], ["--diff", "a", "b", "c"],
                                  ["--diff", "--percent", "a", "b"], ["--merge", "--field", "2"]])
def test_bad_command_lines_exit_2(argv):
    result = run_inprocess("tally", argv)
    assert (result.status, result.stdout) == (2, b"")


# Labels that start as a share does --------------------------------------------

@pytest.mark.parametrize("percent", [[], ["--percent"]])
@pytest.mark.parametrize("software", [[(2, "100.0% sendmail")],
                                      [(2, "100.0% sendmail"), (1, " 50.0% x")]])
def test_a_label_that_starts_as_a_share_is_read_as_written(percent, software):
    """A report says whether its rows have shares, so a label from some
    patterns file that starts as a share does is not taken for one."""
    lines = mtaguess_lines([(1, "timed out")], software)
    report = tally(percent, lines)
    assert tally(["--merge", *percent], report + report) == tally(percent, lines + lines)
    assert tally(["--merge"], report) == tally([], lines)


# Counts as large as tally reads back --------------------------------------------

MAX_COUNT = tallyfiles.MAX_COUNT


def test_the_largest_count_is_read_back_and_no_larger_is_written():
    rows = b"%7d a\n" % MAX_COUNT
    assert tally(["--merge"], rows) == rows
    assert tally(["--merge"], tally(["--merge"], rows)) == rows
    result = run_inprocess("tally", ["--merge"], rows + b"      1 a\n")
    assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
    assert result.errors == [
        f'tally: the count of "a" adds up to {MAX_COUNT + 1}, more than tally reads back '
        f'({MAX_COUNT})']
    result = run_inprocess("tally", ["--merge"], b"%d a\n      1 b\n" % (MAX_COUNT + 1))
    assert (result.status, result.stdout) == (1, b"      1 b\n")
    assert result.errors == [
        f"tally: stdin:1: a count of 20 digits, more than tally counts ({MAX_COUNT})"]


def report_of(failures, software, percent=False):
    return reportfile.report(collections.Counter(failures), collections.Counter(software),
                             percent)


def test_merged_reports_whose_sums_are_too_large_are_not_written():
    """Rows each small enough, but their sum is not: in a row, or in the
    head's addresses."""
    half = MAX_COUNT // 2 + 1
    for reports, too_large in [
            ([report_of({b"timed out": half}, {}), report_of({b"timed out": half}, {})],
             "timed out"),
            ([report_of({b"timed out": half}, {}), report_of({}, {b"qmail": half})],
             "addresses")]:
        result = run_inprocess("tally", ["--merge"], b"".join(reports))
        assert (result.status, result.stdout) == (cli.EXIT_FATAL, b"")
        assert result.errors == [
            f'tally: the count of "{too_large}" adds up to {2 * half}, more than tally reads '
            f'back ({MAX_COUNT})']
    big_head = b"%d addresses\n" % (MAX_COUNT + 1) + report_of({}, {}).split(b"\n", 1)[1]
    result = run_inprocess("tally", ["--merge"], big_head + report_of({}, {b"qmail": 1}))
    assert result.status == 1
    assert result.errors == [
        f"tally: stdin:1: a count of 20 digits, more than tally counts ({MAX_COUNT})",
        "tally: stdin:1: the report from here to line 6 is left out"]
    assert result.stdout == report_of({}, {b"qmail": 1})


# Damaged reports ----------------------------------------------------------------

FAILURE_LABELS = sorted(reportfile.FAILURE_LABELS)
# Software labels that look like rows, like shares, like failures: any a
# patterns file may give.
SOFTWARE_LABELS = [b"sendmail", b"qmail", b"100.0% sendmail", b" 50.0% x", b"9", b"  7 a",
                   b"timed out?", b"\xff", b"a b "]
# Sums below 10**6 only: a report of more addresses cut short after its
# first line or two (`1000000 addresses`) has the form of rows of --counts.
a_count = st.one_of(st.integers(1, 3), st.integers(1, 99_999))
reports = st.lists(
    st.tuples(st.dictionaries(st.sampled_from(FAILURE_LABELS), a_count, max_size=3),
              st.dictionaries(st.sampled_from(SOFTWARE_LABELS), a_count, max_size=4),
              st.booleans()).map(lambda drawn: report_of(*drawn)),
    min_size=1, max_size=3)


def lines_of(data):
    return re.findall(rb"[^\n]*\n", data)


def test_a_report_without_its_empty_line_or_with_a_heading_twice_is_named(tmp_path):
    good = report_of({b"timed out": 1}, {b"sendmail": 2})
    paths = written(tmp_path, [
        good.replace(b"\n\nServer", b"\nServer"),
        good.replace(b"failures:\n", b"failures:\nReasons for connection failures:\n"),
        good.replace(b"tallies:\n", b"tallies:\nServer software tallies:\n"),
        good + b"\n",
        good])
    result = run_inprocess("tally", ["--merge", *paths])
    assert result.status == 1
    assert result.errors == [
        f'tally: {paths[0]}:6: no empty line before the heading "Server software tallies:"',
        f"tally: {paths[0]}:1: the report from here to line 7 is left out",
        f'tally: {paths[1]}:5: the heading "Reasons for connection failures:" again',
        f"tally: {paths[1]}:1: the report from here to line 9 is left out",
        f'tally: {paths[2]}:8: the heading "Server software tallies:" again',
        f"tally: {paths[2]}:1: the report from here to line 9 is left out",
        f"tally: {paths[3]}:9: an empty line among the software rows",
        f"tally: {paths[3]}:1: the report from here to line 9 is left out"]
    assert result.stdout == good


def test_rows_of_one_count_swapped_between_sections_are_named():
    """The sums agree, but no software is a reason for a failure, nor the
    other way round."""
    good = report_of({b"timed out": 3}, {b"sendmail": 3, b"qmail": 1})
    swapped = good.replace(b"timed out", b"TMP").replace(b"sendmail", b"timed out")
    result = run_inprocess("tally", ["--merge"], swapped.replace(b"TMP", b"sendmail"))
    assert result.status == cli.EXIT_FATAL  # the only report left out
    assert result.errors == [
        'tally: stdin:5: "sendmail" is not a reason for a connection failure',
        'tally: stdin:8: "timed out" is a reason for a connection failure, not server software',
        "tally: stdin:1: the report from here to line 9 is left out", NOTHING_TO_MERGE]
    assert result.stdout == b""


@st.composite
def damaged(draw, reports):
    """The reports one after another, and then damaged once: a line lost,
    repeated, swapped with another, moved, its count changed, or the whole
    cut short (not at the end of a report)."""
    lines = lines_of(b"".join(reports))
    place = st.integers(0, len(lines) - 1)
    how = draw(st.sampled_from(["delete", "repeat", "swap", "move", "recount", "cut"]))
    if how == "cut":
        ends = set(itertools.accumulate(len(report) for report in reports))
        whole = b"".join(lines)
        cut = draw(st.integers(1, len(whole) - 1).filter(lambda at: at not in ends))
        return whole[:cut]
    i, j = draw(place), draw(place)
    if how == "delete":
        del lines[i]
    elif how == "repeat":
        lines.insert(j, lines[i])
    elif how == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif how == "move":
        lines.insert(j, lines.pop(i))
    else:
        count = draw(st.one_of(st.integers(0, 10), st.integers(0, 10**20)))
        lines[i] = re.sub(rb"^( *)[0-9]+", lambda found: b"%*d" % (len(found[0]), count),
                          lines[i])
    return b"".join(lines)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), reports=reports)
def test_a_damaged_report_is_named_or_read_right(tmp_path_factory, data, reports):
    """A damaged report is never added up wrong: the merge either is what
    the undamaged reports give, or names what is wrong, FILE:LINE."""
    whole = b"".join(reports)
    broken = data.draw(damaged(reports))
    good, bad = written(tmp_path_factory.mktemp("damaged"), [whole, broken])
    expected = tally(["--merge", good])
    for argv, undamaged in [(["--merge", bad], expected),
                            (["--diff", good, bad], tally(["--diff", good, good]))]:
        result = run_inprocess("tally", argv)
        if result.status == 0:
            assert (result.stdout, result.stderr) == (undamaged, b"")
        else:
            assert broken != whole
            assert result.status in (cli.EXIT_BAD_INPUT, cli.EXIT_FATAL)
            # Each message names the damaged file, most its lines (one
            # may say it is of another kind than the undamaged one).
            named = [error for error in result.errors if error != NOTHING_TO_MERGE
                     and not re.fullmatch(r"tally: [0-9]+ more bad lines? not shown", error)]
            assert all(bad in error for error in named), result.errors
            assert re.match(rf"tally: {re.escape(bad)}:[0-9]+: ", result.errors[0])
    # A report with a fault is left out whole: the others are added up.
    # (Not so where reports with and without shares were mixed up: a row
    # with a share moved into a report without is read as a label.)
    result = run_inprocess("tally", ["--merge", bad])
    one_kind = len({b"(% of addresses)" in report for report in reports}) == 1
    if result.status == 1 and one_kind and reportfile.HEAD.match(result.stdout):
        subsets = itertools.chain.from_iterable(
            itertools.combinations(reports, size) for size in range(len(reports) + 1))
        assert result.stdout in {tally(["--merge"], b"".join(subset))
                                 for subset in subsets if subset}


def test_a_report_of_one_address_is_named_in_the_singular():
    result = run_inprocess("tally", ["--merge"], b"1 addresses\n1 successful connections\n\n"
                           b"Reasons for connection failures:\n\nServer software tallies:\n")
    assert result.errors == [
        "tally: stdin:2: 1 successful connection, but the software rows add up to 0",
        "tally: stdin:1: 1 address, but the rows add up to 0",
        "tally: stdin:1: the report from here to line 6 is left out",
        NOTHING_TO_MERGE]
