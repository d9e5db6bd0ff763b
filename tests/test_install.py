"""mxsurvey installs as a Python tool, each way the README gives: pip into a
virtual environment, pipx, and make install (into its PREFIX, and staged in
a DESTDIR, then moved to the PREFIX as a package manager would).  Each
installs from a copy of the checkout, which is deleted before the installed
programs run, with no network: pip takes every wheel from build/wheels, which
`make test` downloads before the tests start."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mxsurvey import __version__
from programs import BIN, CHECKOUT, MODULES
from survey_lines import smtpprobe_lines

WHEELS = CHECKOUT / "build" / "wheels"
# Not copied: what make and the tests make in a checkout, and its history.
NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__",
                                    ".hypothesis", ".pytest_cache")
POSTFIX = b"127.0.0.1\tok\t220 mx.example.net ESMTP Postfix (Debian/GNU)\\r\\n\n"
# What runs as the interpreter of a `.venv` that is not the installation's own.
BETRAYER = "#!/bin/sh\necho \"$0 $*\" >> {marker}\nexit 99\n"


def offline_env(**more):
    if not any(WHEELS.glob("setuptools-*.whl")):
        pytest.fail(f"{WHEELS} holds no wheels: `make build/wheels` downloads them (make test does)")
    return dict(os.environ, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELS), **more)


def sh(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, timeout=300, **kwargs)


def copy_of_checkout(place):
    shutil.copytree(CHECKOUT, place, symlinks=True, ignore=NOT_SOURCE)
    return place


class Installed:
    def __init__(self, root, bin_dir, man_dir):
        self.root = root        # everything the installation wrote is below it
        self.bin = bin_dir      # the programs, what a user puts on PATH
        self.man = man_dir      # the man pages (man1/)
        self.way = None
        self.marker = root / "betrayed"

    def program(self, name):
        return str(self.bin / name)

    def python(self):
        """The interpreter of the programs' virtual environment."""
        return Path(self.program("tally")).resolve().parent / "python"

    def package(self):
        """The installed mxsurvey package directory."""
        [launch] = self.root.rglob("site-packages/mxsurvey/launch.py")
        return launch.parent


def install_with_pip(root, source):
    sh([sys.executable, "-m", "venv", root / "venv"])
    sh([root / "venv" / "bin" / "python", "-m", "pip", "install", source], env=offline_env())
    return Installed(root, root / "venv" / "bin", root / "venv" / "share" / "man" / "man1")


def install_with_pipx(root, source):
    # pipx itself from the wheels too; the programs in pipx's usual places,
    # ~/.local/bin and ~/.local/share/man, below `root`.
    sh([sys.executable, "-m", "venv", root / "pipx-itself"])
    sh([root / "pipx-itself" / "bin" / "python", "-m", "pip", "install", "pipx"],
       env=offline_env())
    local = root / "local"
    env = offline_env(PIPX_HOME=str(root / "pipx"), PIPX_BIN_DIR=str(local / "bin"),
                      PIPX_MAN_DIR=str(local / "share" / "man"), USE_EMOJI="0")
    sh([root / "pipx-itself" / "bin" / "pipx", "install", source], env=env)
    return Installed(root, local / "bin", local / "share" / "man" / "man1")


def install_with_make(root, source):
    prefix = root / "prefix"
    sh(["make", "-s", "-C", source, "install", f"PREFIX={prefix}"], env=offline_env())
    return Installed(root, prefix / "bin", prefix / "share" / "man" / "man1")


def files_holding(directory, data):
    return [path for path in directory.rglob("*")
            if path.is_file() and not path.is_symlink() and data in path.read_bytes()]


def install_with_make_destdir(root, source):
    prefix, stage = root / "prefix", root / "stage"
    sh(["make", "-s", "-C", source, "install", f"PREFIX={prefix}", f"DESTDIR={stage}"],
       env=offline_env())
    staged = Path(f"{stage}{prefix}")
    assert files_holding(staged, bytes(stage)) == []
    staged.rename(prefix)
    shutil.rmtree(stage)
    return Installed(root, prefix / "bin", prefix / "share" / "man" / "man1")


WAYS = {"pip": install_with_pip, "make": install_with_make,
        "make DESTDIR": install_with_make_destdir, "pipx": install_with_pipx}


@pytest.fixture(scope="module", params=sorted(WAYS))
def installed(request, tmp_path_factory):
    """mxsurvey installed one way from a copy of the checkout, the copy gone,
    and a `.venv` that would betray a re-run planted at every directory above
    the installed package."""
    root = tmp_path_factory.mktemp("install")
    source = copy_of_checkout(tmp_path_factory.mktemp("source") / "mxsurvey")
    done = WAYS[request.param](root, source)
    shutil.rmtree(source)
    done.way = request.param
    for directory in [done.package(), *done.package().parents]:
        if directory == root.parent:
            break
        python = directory / ".venv" / "bin" / "python"
        python.parent.mkdir(parents=True, exist_ok=True)
        python.write_text(BETRAYER.format(marker=done.marker))
        python.chmod(0o755)
    return done


def pipe(programs, stdin):
    done = subprocess.run(["bash", "-o", "pipefail", "-c", programs], input=stdin, cwd="/",
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("options", ["", "-f patterns-2026.awk"])
def test_the_installed_pipeline_counts_as_the_checkouts(installed, options):
    lines = b"".join(line + b"\n" for line in smtpprobe_lines(400)) + POSTFIX
    got = pipe(f"{installed.program('mtaguess')} {options} | {installed.program('tally')}", lines)
    assert got == pipe(f"{BIN}/mtaguess {options} | {BIN}/tally", lines)
    assert re.search(rb"^ *[0-9]+ +sendmail$", got, re.M)
    assert not installed.marker.exists(), installed.marker.read_text()


@pytest.mark.parametrize("program", sorted(MODULES))
def test_each_installed_program_has_its_version_and_help(installed, program):
    version = sh([installed.program(program), "--version"], cwd="/")
    assert version.stdout == f"{program} {__version__}\n".encode()
    usage = sh([installed.program(program), "--help"], cwd="/")
    assert usage.stdout == sh([BIN / program, "--help"]).stdout
    assert not installed.marker.exists(), installed.marker.read_text()


def test_both_pattern_lists_are_installed_in_the_package(installed):
    for name in ("patterns.awk", "patterns-2026.awk"):
        assert (installed.package() / name).read_bytes() == (CHECKOUT / name).read_bytes()
    explained = pipe(f"{installed.program('mtaguess')} --explain -f patterns-2026.awk", POSTFIX)
    label, where, _ = explained.split(b"\t", 2)
    assert (label, Path(where.rsplit(b":", 1)[0].decode())) == (
        b"Postfix", installed.package() / "patterns-2026.awk")


def man(*args, path=None):
    env = dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat")
    env.pop("MANPATH", None)
    if path:
        env["PATH"] = f"{path}:/usr/bin:/bin"
    return sh(["man", *args], env=env, cwd="/").stdout


@pytest.mark.parametrize("program", sorted(MODULES))
def test_the_installed_man_pages_are_found_and_read(installed, program):
    page = installed.man / f"{program}.1"
    rendered = man("-l", page)
    assert rendered == man("-l", CHECKOUT / "man" / f"{program}.1")
    assert f"mxsurvey {__version__}".encode() in rendered
    # man finds the page from the programs' directory on PATH, as a user's would.
    found = man("-w", program, path=installed.bin).decode().strip()
    assert Path(found).resolve() == page.resolve()


def requirements():
    """requirements.txt's pins as NAME==VERSION."""
    lines = (CHECKOUT / "requirements.txt").read_text().splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_the_installation_holds_mxsurvey_and_its_pinned_dependencies(installed):
    listing = sh([installed.python(), "-c", "import importlib.metadata as m\n"
                  "for d in m.distributions(): print(f\"{d.metadata['Name']}=={d.version}\")"])
    found = set(listing.stdout.decode().split())
    wanted = {f"mxsurvey=={__version__}", *requirements()}
    assert wanted <= found
    # make install's environment is the programs' alone; one made by pip or
    # pipx keeps pip (and setuptools, on Pythons that still add it).
    tools = set() if installed.way.startswith("make") else {"pip", "setuptools"}
    assert {pin.split("==")[0] for pin in found - wanted} <= tools
    requires = sh([installed.python(), "-c", "import importlib.metadata as m\n"
                   "print(*m.requires('mxsurvey'), sep='\\n')"])
    assert requires.stdout.decode().split() == requirements()


def content(path):
    if path.is_symlink():
        return os.readlink(path)
    return None if path.is_dir() else path.read_bytes()


def tree(directory):
    return {str(path.relative_to(directory)): content(path) for path in directory.rglob("*")}


def test_make_uninstall_removes_what_make_install_wrote(tmp_path):
    source = copy_of_checkout(tmp_path / "mxsurvey")
    prefix = tmp_path / "prefix"
    for other in ("bin/other", "share/man/man1/other.1", "lib/other/venv/bin/python"):
        (prefix / other).parent.mkdir(parents=True, exist_ok=True)
        (prefix / other).write_text("not mxsurvey's\n")
    before = tree(prefix)
    sh(["make", "-s", "-C", source, "install", f"PREFIX={prefix}"], env=offline_env())
    assert sh([prefix / "bin" / "tally", "--version"]).stdout == f"tally {__version__}\n".encode()
    sh(["make", "-s", "-C", source, "uninstall", f"PREFIX={prefix}"])
    assert tree(prefix) == before
