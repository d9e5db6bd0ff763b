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
@given(data=lines, parts=st.integers(1, 5), seed=st.integers(0, 2**16), percent=st.booleans(),
       shared=st.lists(st.booleans(), min_size=5, max_size=5))
def test_merged_counts_are_one_run_over_all_lines(tmp_path_factory, data, parts, seed, percent,
                                                  shared):
    """Each shard's rows written with --percent or without."""
    paths = written(tmp_path_factory.mktemp("merge"), [
        tally(["--counts", *(["--percent"] if with_shares else [])], part)
        for part, with_shares in zip(shards(data, parts, seed), shared)])
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
    empty = tally([], b"")
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
    shared, plain, report = written(tmp_path, [
        b"      3  75.0% a\n      1  25.0% b\n      1 c\n",
        b"      3 a\n      1  25.0% b\n",
        b"4 addresses\n3 successful connections\n\nReasons for connection failures:\n"
        b"      1  25.0% timed out\n\nServer software tallies:\n      3 sendmail\n"])
    result = run_inprocess("tally", ["--merge", shared, plain])
    assert result.status == 1
    assert result.errors == [
        f"tally: {shared}:3: a row without a share among rows with one (--percent)",
        f"tally: {plain}:2: a row with a share (--percent) among rows without one"]
    assert result.stdout == b"      6 a\n      1 b\n"
    result = run_inprocess("tally", ["--merge", report])
    assert result.status == 1
    assert result.errors == [
        f"tally: {report}:8: a row without a share among rows with one (--percent)"]


def test_a_share_in_a_report_is_checked_against_its_head(tmp_path):
    head = b"331 addresses\n303 successful connections\n\nReasons for connection failures:\n"
    report, = written(tmp_path, [
        head + b"     28   9.5% timed out\n\nServer software tallies:\n    303 100.0% sendmail\n"
        + head + b"     28   8.5% timed out\n\nServer software tallies:\n    303  99.0% sendmail\n"])
    result = run_inprocess("tally", ["--merge", report])
    assert result.status == 1
    assert result.errors == [f"tally: {report}:5: 28 of 331 is 8.5%, not 9.5%",
                             f"tally: {report}:16: 303 of 303 is 100.0%, not 99.0%"]


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
        f"tally: {concatenated}:15: 2 successful connections, "
        f"but the software rows add up to 0",
        f"tally: {concatenated}:14: 3 addresses, but the rows add up to 1"]
    assert result.lines[:2] == [b"8 addresses", b"4 successful connections"]


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
