"""Inputs for tally and the coreutils pipeline that judges its counts."""

import random
import subprocess

from mxsurvey import record

STATUS_OF = {label: status for status, label in record.FAILURE_LABELS.items()}


def coreutils_counts(data, field=1):
    """What the coreutils pipeline that --counts stands for prints."""
    return subprocess.run(
        ["bash", "-c", f"cut -f {field} | LC_ALL=C sort | LC_ALL=C uniq -c | LC_ALL=C sort -rn"],
        input=data, capture_output=True, check=True, timeout=60).stdout


def table_rows(table):
    """(count, label) for each `uniq -c` row of a table."""
    return [(int(count), label) for count, label in
            (row.strip().split(" ", 1) for row in table.splitlines())]


def mtaguess_lines(failures, software, seed=1998):
    """Shuffled mtaguess lines (bytes, each ending in LF) that a report
    of these (count, label) rows counts back."""
    lines = []
    for count, label in failures:
        status = STATUS_OF[label]
        lines += [f"{label}\t10.0.{n >> 8 & 255}.{n & 255}\t{status}\t\\[{status}]"
                  for n in range(count)]
    for count, label in software:
        lines += [f"{label}\t10.1.{n >> 8 & 255}.{n & 255}\tok\t220 mx{n} ESMTP ready\\r\\n"
                  f"\tmx{n}.example.net\texample.net\t10" for n in range(count)]
    random.Random(seed).shuffle(lines)
    return "".join(line + "\n" for line in lines).encode()

