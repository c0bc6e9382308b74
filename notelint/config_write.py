"""Adding `per-file-ignores` entries to the vault's TOML config file, as a splice.

The baseline (`notelint check --add-suppressions`) needs this for findings about image files,
which have no text to hold a comment. The file is never re-dumped: the new `"glob" = [rules]`
lines go right under the `[per-file-ignores]` header (or a new table at the end), and the
result is read back with `tomllib`, which must give the old data plus exactly the new entries.
"""

from __future__ import annotations

import copy
import glob
import json
import re
import tomllib
from pathlib import Path

from notelint.source import dominant_newline


def add_per_file_ignores(root: Path, source: Path | None, entries: dict[str, list[str]]) -> tuple[Path, bytes | None, bytes] | str:
    """(the config file, its bytes before or None when it is new, its bytes after), or why the
    entries cannot be added. `entries` maps vault-relative paths (escaped here into globs that
    match only them) to rule names."""
    path = source if source is not None else root / ".notelint.toml"
    old = None
    text = ""
    if source is not None:
        try:
            old = path.read_bytes()
            text = old.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return f"{path} cannot be read: {exc}"
    prefix = "tool.notelint." if path.name == "pyproject.toml" else ""
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return f"{path} is not valid TOML: {exc}"
    table = _table(before, prefix)
    if table is None:
        return f"{path} has no [{prefix.rstrip('.')}] table to add per-file-ignores to"
    globs = {glob.escape(rel): rules for rel, rules in sorted(entries.items())}
    nl = dominant_newline(text)
    lines = "".join(f"{json.dumps(g, ensure_ascii=False)} = [{', '.join(json.dumps(r) for r in rules)}]{nl}"
                    for g, rules in globs.items())
    current = table.get("per-file-ignores")
    if current is None:
        sep = "" if not text else (nl if text.endswith(("\n", "\r")) else nl + nl)
        new = f"{text}{sep}[{prefix}per-file-ignores]{nl}{lines}"
    else:
        clash = sorted(set(globs) & set(current)) if isinstance(current, dict) else []
        if clash:
            return f"per-file-ignores in {path} already has `{clash[0]}`: add the rules to it by hand"
        header = re.search(rf"(?m)^[ \t]*\[[ \t]*{re.escape(prefix)}per-file-ignores[ \t]*\][ \t]*(?:#[^\r\n]*)?(\r\n|\r|\n|$)", text)
        if header is None:
            return f"per-file-ignores in {path} is not a `[{prefix}per-file-ignores]` table: add the entries by hand"
        at = header.end()
        new = text[:at] + ("" if header.group(1) else nl) + lines + text[at:]
    try:
        after = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        return f"the entries cannot be written into {path} safely (a file name TOML cannot hold?): add them by hand"
    expected = _table(copy.deepcopy(before), prefix)
    expected.setdefault("per-file-ignores", {}).update(globs)
    if _table(after, prefix) != expected or _strip(after, prefix) != _strip(before, prefix):
        return f"the entries cannot be written into {path} safely: add them by hand"
    return path, old, new.encode("utf-8")


def _table(data: dict, prefix: str) -> dict | None:
    for part in prefix.rstrip(".").split(".") if prefix else ():
        data = data.get(part)
        if not isinstance(data, dict):
            return None
    return data


def _strip(data: dict, prefix: str) -> dict:
    """The data without notelint's table (compared whole: nothing else may change)."""
    if not prefix:
        return {}
    rest = copy.deepcopy(data)
    rest.get("tool", {}).pop("notelint", None)
    return rest
