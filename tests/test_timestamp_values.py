"""frontmatter-timestamps on odd numbers: decimal, negative, zero, boolean, huge, digit strings.

Each value's finding is pinned (message, column span, fix), and no safe fix may drop a digit: a
fix is safe only if the value it writes is exactly the one the owner wrote (in milliseconds).
"""

from decimal import Decimal

import pytest
from test_frontmatter_timestamps import dendron, findings

NO_FIX = None
RANGE = "as milliseconds, before 1990, so not a time a note was written; correct it by hand"
NOT_INT = "is not an integer; Dendron expects integer epoch milliseconds such as 1701259204127"
UNREAD = "cannot be read as a time; Dendron expects integer epoch milliseconds such as 1701259204127"
OBSIDIAN_ANY = "write `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (Obsidian's Date or Date & time)"

# value as written -> (message, fix: None or (safe, replacement))
DENDRON = {
    "1701259204127.5": (f"created 1701259204127.5 {NOT_INT}", NO_FIX),  # half a millisecond: no integer form
    "1701259204.1275": (f"created 1701259204.1275 {NOT_INT}", NO_FIX),  # seconds, with a sub-millisecond digit
    "1701259204.5": ("created 1701259204.5 is a decimal number of seconds (2023-11-29T12:00:04.500Z), but Dendron "
                     "stores integer epoch milliseconds; write 1701259204500", (True, "1701259204500")),
    "1701259204127.0": ("created 1701259204127.0 is a decimal number of milliseconds (2023-11-29T12:00:04.127Z), but "
                        "Dendron stores integer epoch milliseconds; write 1701259204127", (True, "1701259204127")),
    # YAML 1.1 (PyYAML) reads an exponent without a sign as a string
    "1.7012592041275e12": (f"created 1.7012592041275e12 {UNREAD}", NO_FIX),
    "1.701259204127e+12": ("created 1.701259204127e+12 is a decimal number of milliseconds (2023-11-29T12:00:04.127Z), "
                           "but Dendron stores integer epoch milliseconds; write 1701259204127", (True, "1701259204127")),
    "1.7012592041275e+12": (f"created 1.7012592041275e+12 {NOT_INT}", NO_FIX),
    "-1000": (f"created -1000 is 1969-12-31T23:59:59Z {RANGE}", NO_FIX),
    "-1701259204127": (f"created -1701259204127 is 1916-02-03T11:59:55.873Z {RANGE}", NO_FIX),
    "0": (f"created 0 is 1970-01-01T00:00:00Z {RANGE}", NO_FIX),
    "true": ("created true is not a time (bool); Dendron expects integer epoch milliseconds such as 1701259204127", NO_FIX),
    "100000000000000000000000000000": ("created 100000000000000000000000000000 is beyond the year 9999 as milliseconds, "
                                       "more than a day in the future; correct it by hand", NO_FIX),
    "1e400": (f"created 1e400 {UNREAD}", NO_FIX),
    ".nan": (f"created .nan {NOT_INT}", NO_FIX),
    "-.inf": (f"created -.inf {NOT_INT}", NO_FIX),
    "'1701259204127'": ("created '1701259204127' is a string, not an integer: Dendron reads only a bare integer; write "
                        "1701259204127", (True, "1701259204127")),
    "'1701259204'": ("created '1701259204' is a string, not an integer, and looks like seconds: as milliseconds it is "
                     "1970-01-20; as seconds it is 2023-11-29T12:00:04Z; write 1701259204000", (True, "1701259204000")),
    "'1701259204127.5'": (f"created '1701259204127.5' {UNREAD}", NO_FIX),
    # digits to Python's str.isdigit, not to Dendron (JavaScript's Number reads none of them)
    "'²'": (f"created '²' {UNREAD}", NO_FIX),
    "'١٧٠١٢٥٩٢٠٤١٢٧'": (f"created '١٧٠١٢٥٩٢٠٤١٢٧' {UNREAD}", NO_FIX),
    "'０１２３'": (f"created '０１２３' {UNREAD}", NO_FIX),
}

OBSIDIAN = {
    "1701259204127.5": (f"created 1701259204127.5 is not a date (float); {OBSIDIAN_ANY}", NO_FIX),
    "-1000": (f"created -1000 cannot be read as a date; {OBSIDIAN_ANY}", NO_FIX),
    "0": (f"created 0 cannot be read as a date; {OBSIDIAN_ANY}", NO_FIX),
    "true": (f"created true is not a date (bool); {OBSIDIAN_ANY}", NO_FIX),
    "1701259204": ("created 1701259204 is a Unix time in seconds (2023-11-29T12:00:04Z), which Obsidian shows as a "
                   "number, not a date; write 2023-11-29T12:00:04 (UTC)", (True, "2023-11-29T12:00:04")),
    # Date & time holds whole seconds: writing it drops the 127 ms, so that fix is unsafe
    "1701259204127": ("created 1701259204127 is a Unix time in milliseconds (2023-11-29T12:00:04.127Z), which Obsidian "
                      "shows as a number, not a date; write 2023-11-29T12:00:04 (UTC) (Date & time has whole seconds: "
                      "the 127 ms would be dropped, so only `fix --unsafe-fixes` writes it)", (False, "2023-11-29T12:00:04")),
    "1701259204000": ("created 1701259204000 is a Unix time in milliseconds (2023-11-29T12:00:04Z), which Obsidian "
                      "shows as a number, not a date; write 2023-11-29T12:00:04 (UTC)", (True, "2023-11-29T12:00:04")),
    "'١٧٠١٢٥٩٢٠٤١٢٧'": (f"created '١٧٠١٢٥٩٢٠٤١٢٧' cannot be read as a date; {OBSIDIAN_ANY}", NO_FIX),
}


def _created(value: str, flavor: str):
    [f] = [f for f in findings(dendron(created=value), flavor) if f.line == 6]  # `created: ` is line 6
    return f


@pytest.mark.parametrize("flavor, value", [("dendron", v) for v in DENDRON] + [("obsidian", v) for v in OBSIDIAN])
def test_an_odd_timestamp_value_is_reported_where_it_is_written(flavor, value):
    message, fix = (DENDRON if flavor == "dendron" else OBSIDIAN)[value]
    f = _created(value, flavor)
    assert f.message == message
    assert (f.line, f.column, f.end_line, f.end_column) == (6, 10, 6, 10 + len(value))  # the value, quotes included
    assert (None if f.fix is None else (f.fix.safe, [e.replacement for e in f.fix.edits])) == (
        None if fix is None else (fix[0], [fix[1]]))


@pytest.mark.parametrize("value", [v for v in DENDRON if not v.startswith(("'", ".", "-.")) and v not in ("true", "1e400")])
def test_no_safe_dendron_fix_changes_the_number_written(value):
    """The milliseconds a safe fix writes are exactly the value written, in its unit: no digit dropped."""
    f = _created(value, "dendron")
    if f.fix is None or not f.fix.safe:
        return
    [edit] = f.fix.edits
    written = Decimal(value)
    assert Decimal(edit.replacement) in (written, written * 1000)
