"""mxsurvey: survey which mail server software runs on the internet.

Four programs joined by pipes (mxlookup | smtpprobe | mtaguess | tally);
each stage lives in a module of its own and they meet only in `record`.
"""

# The one place of the version: pyproject.toml reads it, and the tests hold
# the man pages' titles and CHANGELOG.md's newest heading to it.
__version__ = "0.2.0"
