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


def start(program):
    checkout = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    venv = os.path.join(checkout, ".venv")
    venv_python = os.path.join(venv, "bin", "python")
    if os.path.exists(venv_python) and os.path.realpath(sys.prefix) != os.path.realpath(venv):
        script = os.path.join(checkout, "bin", program)
        os.execv(venv_python, [venv_python, script, *sys.argv[1:]])
    module = importlib.import_module(MODULES[program])
    sys.exit(module.main())
