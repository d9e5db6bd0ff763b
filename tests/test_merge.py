"""tally --merge against one run over all the input, and tally --diff."""

import random

import pytest
from hypothesis import given, settings, strategies as st

from programs import pipeline, run_inprocess
from tally_inputs import coreutils_counts, mtaguess_lines, table_rows
from world.survey1998 import FAILURES_1998, SOFTWARE_1998


def tally(args, stdin=b""):
    result = run_inprocess("tally", args, stdin)
    assert result.status == 0, result
    assert result.stderr == b""
    return result.stdout


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
@given(data=lines, parts=st.integers(1, 5), seed=st.integers(0, 2**16), percent=st.booleans())
def test_merged_counts_are_one_run_over_all_lines(tmp_path_factory, data, parts, seed, percent):
    paths = written(tmp_path_factory.mktemp("merge"),
                    [tally(["--counts"], part) for part in shards(data, parts, seed)])
    share = ["--percent"] if percent else []
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
    assert tally(["--merge", paths[0]]) == b""
    # A shard that probed nothing still writes a report, and adds nothing.
    assert tally(["--merge", paths[1]], tally([], b"")) == report
    assert tally(["--merge", paths[1], "-"], tally([], b"")) == report


@pytest.mark.timeout(60)
def test_merge_as_a_real_process_in_a_pipe(tmp_path):
    data = mtaguess_lines([(3, "connection refused")], [(5, "sendmail"), (2, "qmail")])
    written(tmp_path, shards(data, 3, seed=1), name="guesses")
    result = pipeline("for f in guesses*; do tally --counts $f; done | tally --merge",
                      cwd=tmp_path)
    assert (result.status, result.stderr) == (0, b"")
    assert result.stdout == b"      5 sendmail\n      3 connection refused\n      2 qmail\n"


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
    result = run_inprocess("tally", ["--merge", *paths])
    assert result.status == 1
    assert result.errors == [
        f"tally: {paths[1]}:2: 2 successful connections, but the software rows add up to 1",
        f"tally: {paths[1]}:1: 3 addresses, but the rows add up to 2",
        f'tally: {paths[2]}:7: not the heading "Server software tallies:"',
        f'tally: {paths[3]}:6: no heading "Server software tallies:"',
        f'tally: {paths[4]}:9: not a row (COUNT LABEL): "  oops"',
        f'tally: {paths[5]}:5: no heading "Server software tallies:"',
    ]
    assert result.lines == [
        b"12 addresses", b"7 successful connections", b"",
        b"Reasons for connection failures:", b"      5 timed out", b"",
        b"Server software tallies:", b"      7 sendmail"]


def test_reports_and_rows_do_not_merge(tmp_path):
    report, counts = written(tmp_path, [tally([], b""), b"      1 sendmail\n"])
    result = run_inprocess("tally", ["--merge", report, counts])
    assert (result.status, result.stdout) == (1, b"")
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
    report, counts = written(tmp_path, [tally([], b""), b"      1 sendmail\n"])
    missing = str(tmp_path / "missing")
    result = run_inprocess("tally", ["--diff", missing, counts])
    assert (result.status, result.stdout) == (1, b"")
    assert result.errors == [f"tally: cannot open {missing}: No such file or directory"]
    result = run_inprocess("tally", ["--diff", report, counts])
    assert (result.status, result.stdout) == (1, b"")
    assert result.errors == [
        f"tally: {report} is a report and {counts} is rows of --counts: "
        f"compare outputs of one kind"]


@pytest.mark.parametrize("argv", [["--diff", "a"], ["--diff", "a", "b", "c"],
                                  ["--diff", "--percent", "a", "b"], ["--merge", "--field", "2"]])
def test_bad_command_lines_exit_2(argv):
    result = run_inprocess("tally", argv)
    assert (result.status, result.stdout) == (2, b"")
