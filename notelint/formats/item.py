"""A finding as reported, and the path and text helpers every output format shares.

Below `reporters` and every module of `formats`, so each format imports what it needs at the
top and `reporters` can load a format only when it is asked for (a faster start).
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from notelint.finding import Finding

if TYPE_CHECKING:
    from notelint.workspace import Workspace


class Item(NamedTuple):
    """One finding as reported: its path and related paths relative to the current folder,
    and the workspace it came from (where the notes its fix edits are read for line/column)."""

    finding: Finding
    path: str
    related: list[str]
    ws: Workspace | None = None


def display_path(vault_root: Path, rel: str) -> str:
    """Relative to the current directory, `/`-separated (the spec's `path`)."""
    # thousands of findings made relpath a tenth of a warm run: when the current folder holds
    # the vault, the root's relative path is computed once and joined
    prefix = _relative_root(vault_root, os.getcwd())
    if prefix == ".." or prefix.startswith("../") or rel.startswith(".."):
        return Path(os.path.relpath(vault_root / rel)).as_posix()
    return posixpath.normpath(posixpath.join(prefix, rel))


@functools.lru_cache(maxsize=64)
def _relative_root(vault_root: Path, cwd: str) -> str:
    return Path(os.path.relpath(vault_root, cwd)).as_posix()


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with control characters (C0, DEL, C1) written as `\\n`, `\\t`, `\\x1b`: a file
    name holding a newline stays on its report line, and an escape sequence in a name or a
    message cannot drive the terminal."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)
