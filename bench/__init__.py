"""make bench: each program of the survey against the tool a user would
reach for instead, on the same data in the same run (python -m bench)."""
