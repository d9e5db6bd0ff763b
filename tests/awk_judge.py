"""Real awk as the judge of what a regex means, and random awk EREs to judge.

`regexes()` draws awk EREs from a grammar of the features awk offers, each
with the set of features it uses, so that a test can leave a regex out of a
comparison with an awk known to read one of its features differently (as
mtaguess --awk writes them, awkere.py, every awk reads them alike):

    interval     a{2,3}: mawk 1.3.4-20200120 has no intervals and reads the
                 braces literally; POSIX and gawk read an interval.
    leading-op   *a, (+a), a|?b: gawk reads a literal, mawk refuses the
                 regex; POSIX leaves it undefined.  mtaguess reads gawk's way.
    empty        (), a|: gawk matches the empty string, mawk refuses the
                 regex; POSIX leaves it undefined.  mtaguess reads gawk's way.
    collating    [[.a.]], [[=a=]]: POSIX and gawk know them, mawk does not.
    stacked      a+?, a**: POSIX leaves repeated repetitions undefined; gawk
                 applies each in turn, as mtaguess does; mawk gets some
                 wrong (/.+?c/ does not match "c").
    nul          \\0: mawk finds a NUL at the end of a record (/^\\0/ matches an
                 empty line); gawk does not, nor does mtaguess.
    octal-meta   \\52 (a `*`): gawk reads the operator, mawk the character;
                 an escape stands for a character in POSIX awk, and so it
                 does in mtaguess.

and one of the texts, which no writing of a regex avoids:

    nul-text     a text with a NUL: mawk matches some anchored regexes as if
                 it ended there (/^x$/ matches "x\\0y", /($)$/ does not
                 match "\\0"); gawk and mtaguess match the whole text.
"""

import os
import subprocess

from hypothesis import strategies as st

# mtaguess reads these as gawk does, and mawk cannot judge them.
NOT_FOR_MAWK = {"interval", "leading-op", "empty", "collating", "stacked", "nul"}
# mtaguess reads these as POSIX and mawk do, and gawk cannot judge them.
NOT_FOR_GAWK = {"octal-meta"}

AWK_ENV = dict(os.environ, LC_ALL="C")


def run_awk(awk, program, texts, tmp_path, warnings=True):
    """The lines `awk` prints for `program` over `texts`, one text a line;
    without `warnings`, not even gawk's warnings of escapes are allowed."""
    source, data = tmp_path / f"{awk}.awk", tmp_path / f"{awk}.txt"
    source.write_bytes(program)
    data.write_bytes(b"".join(text + b"\n" for text in texts))
    done = subprocess.run([awk, "-f", str(source), str(data)], capture_output=True,
                          env=AWK_ENV, timeout=120)
    # gawk warns of escapes such as \- that mean the character; nothing else
    complaints = [line for line in done.stderr.decode("utf-8", "replace").splitlines()
                  if not warnings or "warning: regexp escape sequence" not in line]
    assert done.returncode == 0 and not complaints, complaints
    return done.stdout.split(b"\n")[:-1]


def match_table_program(regexes):
    """An awk program printing, for each input line, a 0 or 1 per regex."""
    tests = b" ".join(b"(/" + regex + b"/ ? 1 : 0)" for regex in regexes)
    return b"{ print " + tests + b" }\n"


# The grammar ------------------------------------------------------------------

LITERALS = [bytes([c]) for c in b"abcx -,#}]1"] + [b"\xe9"]
ESCAPES = [rb"\.", rb"\*", rb"\[", rb"\]", rb"\(", rb"\)", rb"\|", rb"\+", rb"\?", rb"\{",
           rb"\}", rb"\^", rb"\$", rb"\\", rb"\/", rb'\"', rb"\t", rb"\b", rb"\101", rb"\141",
           rb"\-"]
OCTAL_META = [rb"\52", rb"\56", rb"\174"]  # * . |
CLASSES = [b"[:alpha:]", b"[:digit:]", b"[:space:]", b"[:punct:]", b"[:upper:]", b"[:blank:]",
           b"[:alnum:]", b"[:cntrl:]", b"[:print:]", b"[:xdigit:]"]
BRACKET_ITEMS = [b"a", b"b", b"c", b"x", b" ", b".", b"*", b"1", b"a-c", b"0-9", b"x-z", b"\\]",
                 b"\\\\", b"\\t", b"+--", b"\xe9", b"\x80-\xff"] + CLASSES
TEXT_BYTES = [bytes([c]) for c in b"abcxabcx -.*]{}1\t,#A/\\\"[()|^$+?"] + [
    b"\xe9", b"\x00", b"\x08", b"\x1b", b"\xff"]


@st.composite
def brackets(draw):
    features = set()
    items = draw(st.lists(st.sampled_from(BRACKET_ITEMS), min_size=1, max_size=4))
    if draw(st.booleans()) and draw(st.booleans()):
        items.append(draw(st.sampled_from([b"[.-.]", b"[.a.]", b"[=b=]"])))
        features.add("collating")
    body = b"".join(items)
    if draw(st.booleans()) and draw(st.booleans()):
        body = b"]" + body
    if draw(st.booleans()) and draw(st.booleans()):
        body += b"-"
    negated = b"^" if draw(st.booleans()) else b""
    return b"[" + negated + body + b"]", features


@st.composite
def atoms(draw, depth):
    kind = draw(st.sampled_from(
        ["literal"] * 6 + ["escape", "dot", "dot", "bracket", "bracket", "octal-meta"]
        + (["group", "group"] if depth < 2 else [])))
    if kind == "literal":
        return draw(st.sampled_from(LITERALS)), set()
    if kind == "escape":
        if draw(st.integers(0, 9)) == 0:
            return rb"\0", {"nul"}
        return draw(st.sampled_from(ESCAPES)), set()
    if kind == "octal-meta":
        return draw(st.sampled_from(OCTAL_META)), {"octal-meta"}
    if kind == "dot":
        return b".", set()
    if kind == "bracket":
        return draw(brackets())
    inner, features = draw(alternations(depth + 1))
    return b"(" + inner + b")", features | ({"empty"} if not inner else set())


@st.composite
def repetitions(draw):
    kind = draw(st.sampled_from(["*", "+", "?", "*", "interval"]))
    if kind != "interval":
        return kind.encode(), set()
    low = draw(st.integers(0, 3))
    high = draw(st.one_of(st.none(), st.integers(low, 4)))
    form = draw(st.sampled_from(["{n}", "{n,}", "{n,m}", "{,m}"]))
    text = {"{n}": f"{{{low}}}", "{n,}": f"{{{low},}}",
            "{n,m}": f"{{{low},{high if high is not None else low + 1}}}",
            "{,m}": f"{{,{high if high is not None else 2}}}"}[form]
    return text.encode(), {"interval"}


@st.composite
def branches(draw, depth):
    features = set()
    parts = []
    if draw(st.integers(0, 5)) == 0:
        parts.append(b"^")
    elif draw(st.integers(0, 7)) == 0:
        parts.append(draw(st.sampled_from([b"*", b"+", b"?"])))  # literal here
        features.add("leading-op")
    for _ in range(draw(st.integers(0 if depth else 1, 4))):
        atom, atom_features = draw(atoms(depth))
        features |= atom_features
        repeats = draw(st.sampled_from([0, 0, 0, 1, 1, 2]))
        for _ in range(repeats):
            repeat, repeat_features = draw(repetitions())
            atom += repeat
            features |= repeat_features
        if repeats > 1:
            features.add("stacked")
        parts.append(atom)
    if draw(st.integers(0, 5)) == 0:
        parts.append(b"$")
    if not parts:
        features.add("empty")
    return b"".join(parts), features


@st.composite
def alternations(draw, depth=0):
    count = draw(st.sampled_from([1, 1, 1, 2, 3]))
    drawn = [draw(branches(depth)) for _ in range(count)]
    features = set().union(*(features for _, features in drawn))
    if count > 1 and any(not branch for branch, _ in drawn):
        features.add("empty")
    return b"|".join(branch for branch, _ in drawn), features


def regexes():
    """(awk ERE, the set of features it uses)."""
    return alternations().filter(lambda drawn: drawn[0] and drawn[0] != b"^")


def texts(alphabet=TEXT_BYTES, max_size=12):
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map(b"".join)
