"""mxsurvey: survey which mail server software runs on the internet.

Four programs joined by pipes (mxlookup | smtpprobe | mtaguess | tally);
each stage lives in a module of its own and they meet only in `record`.
"""

__version__ = "0.1.0"
