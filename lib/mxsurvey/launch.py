"""Start a program from its thin executable in bin/.

Run from a checkout, the executable prefers the checkout's own virtual
environment (made by `make`), so `bin/mtaguess` works without activating it.
Installed copies carry the interpreter in their first line and have no
checkout around them.  Nothing here imports a dependency, so the switch of
interpreter happens before anything could fail to import.
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


CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def in_checkout_venv(script):
    """Run `script` again under the checkout's .venv interpreter, unless it
    already runs there or there is none (an installed copy)."""
    venv = os.path.join(CHECKOUT, ".venv")
    venv_python = os.path.join(venv, "bin", "python")
    if os.path.exists(venv_python) and os.path.realpath(sys.prefix) != os.path.realpath(venv):
        os.execv(venv_python, [venv_python, os.path.realpath(script), *sys.argv[1:]])


def start(program):
    in_checkout_venv(os.path.join(CHECKOUT, "bin", program))
    module = importlib.import_module(MODULES[program])
    sys.exit(module.main())
