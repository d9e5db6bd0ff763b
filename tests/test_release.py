"""The version, the dependencies and the programs are each named in one
place, and what names them elsewhere is read from there."""

import re
import tomllib

from mxsurvey import __version__
from programs import CHECKOUT, MODULES


def pyproject():
    return tomllib.loads((CHECKOUT / "pyproject.toml").read_text())


def test_the_changelogs_newest_version_is_the_version():
    headings = re.findall(r"^## (\S+)", (CHECKOUT / "CHANGELOG.md").read_text(), re.M)
    assert headings[0] == __version__


def test_pyproject_reads_the_version_and_the_pins_from_their_one_place():
    project, setuptools = pyproject()["project"], pyproject()["tool"]["setuptools"]
    assert "version" not in project and "dependencies" not in project
    assert sorted(project["dynamic"]) == ["dependencies", "version"]
    assert setuptools["dynamic"] == {"version": {"attr": "mxsurvey.__version__"},
                                     "dependencies": {"file": ["requirements.txt"]}}


def test_each_program_is_a_console_entry_point_of_its_module():
    assert pyproject()["project"]["scripts"] == {
        program: f"{module}:main" for program, module in MODULES.items()}


def test_the_package_holds_links_to_the_pattern_lists_at_the_top():
    for name in ("patterns.awk", "patterns-2026.awk"):
        linked = CHECKOUT / "lib" / "mxsurvey" / name
        assert linked.is_symlink() and linked.resolve() == CHECKOUT / name
        assert name in pyproject()["tool"]["setuptools"]["package-data"]["mxsurvey"]
