"""Each man page is checked against the usage text inside its program, so
the two cannot drift, and renders without groff warnings."""

import importlib
import re
import shutil
import subprocess

import pytest

from programs import CHECKOUT, MODULES

OPTION = re.compile(r"(?<![\w-])(--?[a-zA-Z0-9][\w-]*)")


def usage_options(program):
    usage = importlib.import_module(MODULES[program]).USAGE
    return sorted(set(OPTION.findall(usage)))


def man_text(program):
    return (CHECKOUT / "man" / f"{program}.1").read_text()


@pytest.mark.parametrize("program", sorted(MODULES))
def test_every_option_of_the_usage_is_in_the_man_page(program):
    page = man_text(program).replace("\\-", "-")
    missing = [option for option in usage_options(program) if option not in page]
    assert not missing, f"man/{program}.1 does not document {missing}"


@pytest.mark.parametrize("program", sorted(MODULES))
def test_every_option_of_the_man_page_is_in_the_usage(program):
    section = re.search(r"^\.SH \"?OPTIONS\"?\n(.*?)^\.SH ", man_text(program), re.M | re.S)
    assert section, f"man/{program}.1 has no OPTIONS section"
    documented = set(re.findall(r"\\-\\-[a-z0-9][\w\\-]*", section.group(1)))
    documented = {option.replace("\\-", "-") for option in documented}
    unknown = sorted(documented - set(usage_options(program)))
    assert not unknown, f"man/{program}.1 documents options {program} does not have: {unknown}"


@pytest.mark.parametrize("program", sorted(MODULES))
def test_the_man_page_has_the_usual_sections(program):
    page = man_text(program)
    assert page.startswith(".TH " + program.upper() + " 1") or re.search(
        rf"^\.TH {program.upper()} 1", page, re.M)
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES",
                    "SEE ALSO"):
        assert re.search(rf'^\.SH "?{section}"?$', page, re.M), f"no {section} in {program}.1"


@pytest.mark.skipif(not shutil.which("groff"), reason="groff is not installed")
@pytest.mark.parametrize("program", sorted(MODULES))
def test_the_man_page_renders_without_warnings(program):
    rendered = subprocess.run(
        ["groff", "-man", "-Tutf8", "-ww", "-z", str(CHECKOUT / "man" / f"{program}.1")],
        capture_output=True, text=True, check=True)
    assert rendered.stderr == ""


@pytest.mark.parametrize("program", sorted(MODULES))
def test_the_man_page_names_the_version_of_the_program(program):
    from mxsurvey import __version__
    title = man_text(program).splitlines()[0]
    assert f'"mxsurvey {__version__}"' in title, title
