"""Start a program from its thin executable in bin/ of a checkout.

Run from a checkout, the executable prefers the checkout's own virtual
environment (made by `make`), so `bin/mtaguess` works without activating it.
An installed mxsurvey starts its programs from console entry points, which
call each module's main() and never come here.  Nothing here imports a
dependency, so the switch of interpreter happens before anything could fail
to import, and a checkout without its dependencies says what to run.
"""

import importlib
import os
import sys

MODULES = {
    "mxlookup": "mxsurvey.lookup",
    "smtpprobe": "mxsurvey.probe",
    "mtaguess": "mxsurvey.guess",
    "tally": "mxsurvey.tally",
}

# The directory that holds lib/ when this file is lib/mxsurvey/launch.py.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# What a checkout has at its top, and a directory that merely holds a .venv
# (an installation's prefix, a site-packages' parent) has not.
CHECKOUT_MARKERS = ("pyproject.toml", "Makefile", "patterns.awk")
EXIT_FATAL = 3  # as cli's: cli itself needs a dependency


def checkout():
    """The checkout this module lies in, or None for an installed copy."""
    if all(os.path.isfile(os.path.join(ROOT, name)) for name in CHECKOUT_MARKERS):
        return ROOT
    return None


def in_checkout_venv(script):
    """Run `script` again under the checkout's .venv interpreter, unless this
    is no checkout, it already runs there, or there is none yet."""
    root = checkout()
    if root is None:
        return
    venv = os.path.join(root, ".venv")
    venv_python = os.path.join(venv, "bin", "python")
    if os.path.exists(venv_python) and os.path.realpath(sys.prefix) != os.path.realpath(venv):
        os.execv(venv_python, [venv_python, os.path.realpath(script), *sys.argv[1:]])


def start(program):
    in_checkout_venv(os.path.join(ROOT, "bin", program))
    try:
        module = importlib.import_module(MODULES[program])
    except ModuleNotFoundError as error:
        # The standard library is always there and mxsurvey is beside this
        # file: what is missing is a dependency.
        if (error.name or "mxsurvey").partition(".")[0] == "mxsurvey":
            raise
        sys.stderr.write(f"{program}: the dependencies are not installed (no module "
                         f"{error.name}): run make (or pip install .)\n")
        sys.exit(EXIT_FATAL)
    sys.exit(module.main())
