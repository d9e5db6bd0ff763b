"""The README's examples, typed into a served world as its reader would:
every line of README.md that starts with `$ ` (in an indented block) is
run, in order, by `tools/demo --enter` in the world of `tools/demo --serve`
(of `tools/demo --serve --today` under a heading that names today's
world), and must print what the README shows under it.  In the shown
output `...` stands for any text, and a line of `...` alone for any
lines."""

import os
import re
import subprocess

import pytest

from programs import CHECKOUT

DEMO = str(CHECKOUT / "tools" / "demo")
README = CHECKOUT / "README.md"
PROMPT = "    $ "
SHOWN = "    "
ELLIPSIS = "..."
TODAY = "today's world"   # in a heading: its examples are typed in today's world

pytestmark = pytest.mark.timeout(300)


def examples(text, today=False):
    """[(command, shown output lines)] of every `$ ` line, in order, of the
    sections for the 1998 world (or, `today`, for today's): the output is
    the block's lines up to the next command or the block's end."""
    found = []
    taking = False
    in_today = False
    for line in text.splitlines():
        if line.startswith("#"):
            in_today = TODAY in line
        if in_today != today:
            taking = False
        elif line.startswith(PROMPT):
            found.append((line[len(PROMPT):], []))
            taking = True
        elif taking and (line.startswith(SHOWN) or not line.strip()):
            found[-1][1].append(line[len(SHOWN):])
        else:
            taking = False
    return [(command, trimmed(shown)) for command, shown in found]


def trimmed(lines):
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def pattern(shown):
    """A regular expression for the output the lines show."""
    parts = []
    for line in shown:
        if line.strip() == ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(r"[^\n]*".join(map(re.escape, line.split(ELLIPSIS))) + r"\n")
    return "".join(parts)


def test_the_example_reader_finds_commands_outputs_and_wildcards():
    text = ("Words.\n\n    $ one\n    out 1\n\n    out 2\n\n    $ two > file\n    $ three\n"
            "    a...z\n    ...\nMore words.\n\n    not a command\n")
    assert examples(text) == [("one", ["out 1", "", "out 2"]), ("two > file", []),
                              ("three", ["a...z", "..."])]
    shown = pattern(["a...z", "..."])
    assert re.fullmatch(shown, "abcz\nmore\nlines\n")
    assert re.fullmatch(shown, "az\n")
    assert not re.fullmatch(shown, "abc\n")
    assert not re.fullmatch(pattern(["x"]), "x\ny\n")
    sections = "# A\n    $ one\n## In today's world\n    $ two\n    out\n## B\n    $ three\n"
    assert examples(sections) == [("one", []), ("three", [])]
    assert examples(sections, today=True) == [("two", ["out"])]


def served(tmp_path_factory, *options):
    """A served world of the default size, its pid file in a directory of
    the test's own; stopped at the end by tools/demo --stop."""
    runtime = tmp_path_factory.mktemp("runtime")
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime))
    serving = subprocess.Popen([DEMO, "--serve", *options], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env=env, start_new_session=True)
    said = []
    for line in serving.stdout:
        said.append(line.decode())
        if line.startswith(b"Serving "):
            break
    else:
        serving.wait()
        pytest.fail("tools/demo --serve did not serve:\n" + "".join(said))
    try:
        assert any(line.startswith("In a private network namespace") for line in said), said
        yield env
    finally:
        subprocess.run([DEMO, "--stop"], env=env, capture_output=True, timeout=60)
        serving.stdout.read()
        assert serving.wait(timeout=60) == 0


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from served(tmp_path_factory)


@pytest.fixture(scope="module")
def today_world(tmp_path_factory):
    yield from served(tmp_path_factory, "--today")


def test_every_readme_example_prints_what_the_readme_shows(world):
    commands = examples(README.read_text())
    assert len(commands) >= 5, "the README has lost its examples"
    typed_in(world, commands)


def test_every_readme_example_of_today_prints_what_the_readme_shows(today_world):
    commands = examples(README.read_text(), today=True)
    assert len(commands) >= 3, "the README has lost its examples of today's world"
    typed_in(today_world, commands)


def typed_in(world, commands):
    for command, shown in commands:
        done = subprocess.run([DEMO, "--enter", "bash", "-o", "pipefail", "-c", command],
                              env=world, capture_output=True, timeout=120)
        said = done.stdout.decode("utf-8", "replace")
        assert done.returncode == 0, (command, said, done.stderr.decode("utf-8", "replace"))
        assert re.fullmatch(pattern(shown), said), (
            f"$ {command}\nthe README shows:\n" + "\n".join(shown) + f"\nit printed:\n{said}")


def test_enter_without_a_command_starts_the_users_shell_inside_the_world(world):
    done = subprocess.run([DEMO, "--enter"], input=b"ls domains; readlink /proc/self/ns/net\n",
                          env=dict(world, SHELL="/bin/sh"), capture_output=True, timeout=60)
    assert done.returncode == 0, done
    listed, namespace = done.stdout.decode().splitlines()
    assert listed == "domains"
    assert namespace != os.readlink("/proc/self/ns/net")
    assert b"inside the world served by pid" in done.stderr
