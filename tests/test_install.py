"""`make install` gives programs that work from any directory, with their
pattern file and man pages, and no checkout around them."""

import subprocess

import pytest

from programs import CHECKOUT, MODULES


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    root = tmp_path_factory.mktemp("install")
    subprocess.run(["make", "-s", "-C", str(CHECKOUT), "install", f"DESTDIR={root}",
                    "PREFIX=/opt/mxsurvey"], check=True, capture_output=True)
    return root / "opt" / "mxsurvey"


@pytest.mark.parametrize("program", sorted(MODULES))
def test_installed_programs_run_from_anywhere(prefix, program):
    done = subprocess.run([str(prefix / "bin" / program), "--version"], cwd="/",
                          capture_output=True, check=True)
    assert done.stdout.startswith(program.encode() + b" ")
    assert (prefix / "share" / "man" / "man1" / f"{program}.1").exists()


def test_installed_mtaguess_reads_the_installed_patterns(prefix):
    assert (prefix / "share" / "mxsurvey" / "patterns.awk").read_bytes() == (
        CHECKOUT / "patterns.awk").read_bytes()
    line = b"127.0.0.1\tok\t220 mx.example.net ESMTP Exim 1.92 ready\\r\\n\n"
    done = subprocess.run([str(prefix / "bin" / "mtaguess")], input=line, cwd="/",
                          capture_output=True, check=True)
    assert done.stdout == b"Exim\t" + line


def test_installed_mtaguess_finds_the_list_for_today_beside_the_default(prefix):
    installed = prefix / "share" / "mxsurvey" / "patterns-2026.awk"
    assert installed.read_bytes() == (CHECKOUT / "patterns-2026.awk").read_bytes()
    line = (b"127.0.0.1\tok\t220 mx.example.net ESMTP Postfix (Debian/GNU)\\r\\n"
            b"502 5.5.2 Error: command not recognized\\r\\n\n")
    done = subprocess.run(
        [str(prefix / "bin" / "mtaguess"), "-f", "patterns-2026.awk", "--explain"],
        input=line, cwd="/", capture_output=True, check=True)
    label, where, rest = done.stdout.split(b"\t", 2)
    assert (label, where.rsplit(b":", 1)[0], rest) == (b"Postfix", bytes(installed), line)


def test_installed_pipeline_counts(prefix):
    lines = b"".join([
        b"127.0.0.1\tok\t220 mx ESMTP Exim 1.92\\r\\n\n",
        b"127.0.0.2\ttimeout\t\n",
        b"127.0.0.3\tok\t220 x IMail 4.0\\r\\n\n",
        b"127.0.0.4\tok\t220 y Exim 1.90\\r\\n\n",
    ])
    done = subprocess.run(f"{prefix}/bin/mtaguess | {prefix}/bin/tally --counts",
                          shell=True, input=lines, cwd="/", capture_output=True, check=True)
    assert done.stdout == b"      2 Exim\n      1 timed out\n      1 IMail\n"
