"""bin/ in a checkout: the programs switch to the checkout's .venv, and only
in a checkout; without their dependencies they say what to run."""

import shutil
import subprocess
import sys

import pytest

from mxsurvey import __version__, cli, launch
from programs import CHECKOUT, MODULES

BETRAYER = "#!/bin/sh\necho \"$0 $*\" >> {marker}\nexit 99\n"
CHECKOUT_MARKERS = ("pyproject.toml", "Makefile", "patterns.awk")


def run(python, script, *args):
    return subprocess.run([str(python), str(script), *args], capture_output=True, timeout=120,
                          cwd="/")


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """An interpreter with none of the dependencies."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    return venv / "bin" / "python"


@pytest.fixture
def copy_without_venv(tmp_path):
    place = tmp_path / "mxsurvey"
    shutil.copytree(CHECKOUT, place, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "__pycache__", ".hypothesis", "tests"))
    return place


@pytest.mark.parametrize("program", sorted(MODULES))
def test_a_checkout_without_its_dependencies_says_what_to_run(copy_without_venv, bare_python,
                                                              program):
    done = run(bare_python, copy_without_venv / "bin" / program, "--help")
    assert (done.returncode, done.stdout) == (cli.EXIT_FATAL, b"") == (launch.EXIT_FATAL, b"")
    assert done.stderr.decode() in [
        f"{program}: the dependencies are not installed (no module {module}): "
        "run make (or pip install .)\n" for module in ("docopt", "dns", "re2", "cryptography")]


def planted(place, marker):
    python = place / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(BETRAYER.format(marker=marker))
    python.chmod(0o755)


def test_only_a_checkout_switches_to_the_venv_beside_it(tmp_path):
    # lib/ and bin/ as a checkout has them, under a directory that holds a
    # .venv but is no checkout: an installation's prefix, say.
    place, marker = tmp_path / "prefix", tmp_path / "betrayed"
    for part in ("bin", "lib"):
        shutil.copytree(CHECKOUT / part, place / part, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    planted(place, marker)
    done = run(sys.executable, place / "bin" / "tally", "--version")
    assert (done.returncode, done.stdout, marker.exists()) == (
        0, f"tally {__version__}\n".encode(), False)
    # The same directory with a checkout's files at its top is a checkout.
    for name in CHECKOUT_MARKERS:
        shutil.copy(CHECKOUT / name, place / name)
    done = run(sys.executable, place / "bin" / "tally", "--version")
    assert done.returncode == 99
    assert marker.read_text() == f"{place}/.venv/bin/python {place}/bin/tally --version\n"
