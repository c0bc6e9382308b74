"""The unified diff `fix --diff` and `baseline --diff` print (git's, with its no-newline marker)."""

from __future__ import annotations

import difflib


def unified_diff(old: str, new: str, path: str) -> str:
    """`old` -> `new` as `a/PATH` -> `b/PATH`; a last line without a newline is marked as git marks it."""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{path}", tofile=f"b/{path}")
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)
