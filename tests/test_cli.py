"""The shared command-line policy: line reading, the error grammar and the
exit statuses, exercised through a small program body in-process."""

import io
import os

import pytest
from hypothesis import given, strategies as st

from mxsurvey import cli, output
from programs import pipeline

USAGE = """\
echo-lines: write each input line back.

Usage:
  echo-lines [--fail=WHAT] [--count=N] [<file>...]
  echo-lines (-h | --help | --version)

Options:
  --fail=WHAT  Fail in one of the ways the policy knows.
  --count=N    A number option [default: 1].
  -h, --help   Show this help.
  --version    Show the version.
"""


class Pieces(io.RawIOBase):
    """A stream whose reads return the given pieces, as a pipe would."""

    def __init__(self, pieces):
        self.pieces = list(pieces)

    def readable(self):
        return True

    def read1(self, size=-1):
        return self.pieces.pop(0) if self.pieces else b""


def body(args, ctx):
    cli.int_option(args, "--count", minimum=1)
    fail = args["--fail"]
    if fail == "fatal":
        raise cli.Fatal("cannot go on")
    if fail == "usage":
        raise cli.UsageError("--fail: no such thing")
    if fail == "pipe":
        raise BrokenPipeError
    if fail == "interrupt":
        ctx.stdout.write(b"finished\n")
        raise KeyboardInterrupt
    for chunk in cli.numbered_chunks(ctx, args["<file>"]):
        for source, lineno, line in chunk:
            if line.startswith(b"bad"):
                ctx.bad_line(source, lineno, "a bad line")
            else:
                ctx.stdout.write(line + b"\n")


def run(argv, stdin=b""):
    out, err = io.BytesIO(), io.BytesIO()
    status = cli.run("echo-lines", USAGE, body, argv, io.BytesIO(stdin), out, err)
    return status, out.getvalue(), err.getvalue().decode()


def test_lines_go_through():
    assert run([], b"a\nb\nlast") == (0, b"a\nb\nlast\n", "")


def test_bad_lines_are_named_skipped_and_make_exit_1(tmp_path):
    path = tmp_path / "input"
    path.write_bytes(b"good\nbad one\ngood again\n")
    status, out, err = run([str(path)])
    assert (status, out) == (1, b"good\ngood again\n")
    assert err == f"echo-lines: {path}:2: a bad line\n"


def test_stdin_is_named_stdin():
    assert run([], b"bad\n")[2] == "echo-lines: stdin:1: a bad line\n"


def test_a_missing_file_stops_the_run_before_any_is_read(tmp_path):
    path = tmp_path / "there"
    path.write_bytes(b"x\n")
    status, out, err = run([str(path), str(tmp_path / "missing")])
    assert (status, out) == (cli.EXIT_FATAL, b"")
    assert err == f"echo-lines: cannot open {tmp_path / 'missing'}: No such file or directory\n"
    status, out, err = run([str(path), str(tmp_path)])
    assert (status, out, err) == (cli.EXIT_FATAL, b"", f"echo-lines: cannot read {tmp_path}: "
                                                        f"Is a directory\n")


def test_help_and_version_go_to_stdout_and_exit_0():
    status, out, err = run(["--help"])
    assert (status, err) == (0, "")
    assert out.startswith(b"echo-lines: write each input line back.")
    assert run(["--version"])[:2] == (0, b"echo-lines " + cli.__version__.encode() + b"\n")


def test_usage_errors_exit_2_with_the_usage_on_stderr():
    status, out, err = run(["--no-such-option"])
    assert (status, out) == (2, b"")
    assert err.startswith("echo-lines: usage error")
    assert "Usage:" in err and "Options:" not in err


@pytest.mark.parametrize("argv, reason", [
    (["--no-such-option"], "unknown option --no-such-option"),
    (["--count"], "--count requires argument"),
    (["--count=1", "--count", "2"], "--count given more than once"),
])
def test_a_usage_error_says_what_is_wrong(argv, reason):
    status, _, err = run(argv)
    assert status == 2
    assert err.splitlines()[0] == f"echo-lines: usage error: {reason}; the usage is:"


@pytest.mark.parametrize("argv, message", [
    (["--count=zero"], "--count takes a whole number, not 'zero'"),
    (["--count=0"], "--count must be at least 1, not '0'"),
    (["--fail=usage"], "--fail: no such thing"),
])
def test_bad_option_values_exit_2(argv, message):
    status, out, err = run(argv)
    assert status == 2
    assert err.splitlines()[0] == f"echo-lines: {message}"


def test_fatal_errors_exit_1_in_one_line():
    assert run(["--fail=fatal"]) == (cli.EXIT_FATAL, b"", "echo-lines: cannot go on\n")


def test_a_broken_pipe_is_quiet():
    assert run(["--fail=pipe"]) == (cli.EXIT_BROKEN_PIPE, b"", "")


def test_an_interrupt_flushes_what_was_finished_and_exits_130():
    assert run(["--fail=interrupt"]) == (130, b"finished\n", "")


@given(st.lists(st.binary(min_size=1, max_size=50), max_size=20))
def test_line_chunks_splits_like_splitlines_on_lf(pieces):
    data = b"".join(pieces)
    lines = [line for chunk in cli.line_chunks(Pieces(pieces)) for line in chunk]
    expected = data.split(b"\n")
    if expected[-1] == b"":
        expected.pop()
    assert lines == expected


def test_line_chunks_yields_what_each_read_completed():
    chunks = list(cli.line_chunks(Pieces([b"a\nb", b"c\n", b"d\ne\n"])))
    assert chunks == [[b"a"], [b"bc"], [b"d", b"e"]]


@pytest.mark.parametrize("pieces, expected", [
    ([b"ok\n", b"x" * 30, b"x" * 30, b"\nnext\n"], [b"ok", None, b"next"]),
    ([b"x" * 11 + b"\nok\n"], [None, b"ok"]),
    ([b"x" * 30], [None]),
    ([b"x" * 10 + b"\n"], [b"x" * 10]),
])
def test_overlong_lines_come_out_as_none(pieces, expected):
    lines = [line for chunk in cli.line_chunks(Pieces(pieces), max_line=10) for line in chunk]
    assert lines == expected


def test_usage_lines_is_the_usage_section():
    assert cli.usage_lines(USAGE) == (
        "Usage:\n  echo-lines [--fail=WHAT] [--count=N] [<file>...]\n"
        "  echo-lines (-h | --help | --version)\n")


def test_a_failed_write_names_what_could_not_be_written():
    fd = os.open("/dev/full", os.O_WRONLY)
    try:
        with pytest.raises(cli.WriteError) as failed:
            cli.Output(fd, "the file").write(b"a line\n")
    finally:
        os.close(fd)
    assert str(failed.value) == "cannot write the file: No space left on device"


@pytest.mark.parametrize("reader_may_leave", [True, False])
def test_a_reader_gone_is_a_quiet_end_of_stdout_only(reader_may_leave):
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        with pytest.raises(OSError) as failed:
            cli.Output(write_end, "a pipe", reader_may_leave).write(b"a line\n")
    finally:
        os.close(write_end)
    if reader_may_leave:
        assert type(failed.value) is BrokenPipeError
    else:
        assert str(failed.value) == "cannot write a pipe: Broken pipe"


@given(st.lists(st.binary(max_size=5).map(lambda line: line.replace(b"\n", b"")), max_size=6),
       st.binary(max_size=5).map(lambda tail: tail.replace(b"\n", b"")), st.data())
def test_line_end_is_the_end_of_the_line_a_position_is_in(lines, tail, data):
    text = b"".join(line + b"\n" for line in lines) + tail
    position = data.draw(st.integers(0, len(text)))
    end = output.line_end(text, position)
    starts = {0} | {i + 1 for i, byte in enumerate(text) if byte == 10}
    if position in starts:
        assert end == position
    else:
        assert end == min([start for start in starts if start > position] + [len(text)])


def test_every_program_names_ten_bad_lines_and_counts_the_rest():
    result = pipeline("yes 'no fields at all' | head -25 | mtaguess")
    assert (result.status, result.stdout) == (1, b"")
    assert result.errors == [f"mtaguess: stdin:{n}: fewer than 3 fields" for n in range(1, 11)] + [
        "mtaguess: 15 more bad lines not shown"]
