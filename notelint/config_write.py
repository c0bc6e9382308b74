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
    read = _read(root, source)
    if isinstance(read, str):
        return read
    path, old, text, prefix, before = read
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


def _read(root: Path, source: Path | None) -> tuple[Path, bytes | None, str, str, dict] | str:
    """(the config file, its bytes or None when there is none yet, its text, the key prefix of
    notelint's table there, its data), or why it cannot be read."""
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
    return path, old, text, prefix, before


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


def merge_settings(root: Path, source: Path | None, top: dict[str, object], tables: dict[str, dict[str, object]],
                   force: bool, render, notes: list[str] = ()) -> tuple[Path, bytes | None, bytes, list[str]] | str:
    """Merge top-level keys and `[rules.NAME]` tables into the vault's config file (a new
    `.notelint.toml` when there is none), as splices: new key lines go under their table's header
    (top-level keys before the first table), new tables at the end, and every other byte stays.
    A key the file already has is kept (and named in the returned list) unless `force`, which
    replaces its value. `render(value)` writes a value as TOML; `notes` become a comment block at the
    end (unless the file already ends with the same block). The result is read back: it must
    hold exactly the old data with the new keys, or nothing is written and the reason is returned."""
    read = _read(root, source)
    if isinstance(read, str):
        return read
    path, old, text, prefix, before = read
    nl = dominant_newline(text)
    if prefix and _table(before, prefix) is None:
        text = text + ("" if not text or text.endswith(("\n", "\r")) else nl) + f"{nl if text else ''}[tool.notelint]{nl}"
        before_table: dict = {}
    else:
        before_table = _table(before, prefix) or {}
    expected = copy.deepcopy(before_table)
    kept: list[str] = []
    lines = text.splitlines(keepends=True)

    def header_index(dotted: str) -> int | None:
        pat = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(dotted)}[ \t]*\][ \t]*(?:#.*)?$")
        return next((i for i, ln in enumerate(lines) if pat.match(ln.rstrip("\r\n"))), None)

    def set_keys(at_line: int | None, existing: dict, values: dict, shown: str, target: dict) -> list[str]:
        """The lines to insert for `values` (keys `existing` lacks); existing ones kept or replaced."""
        new_lines = []
        for k, v in values.items():
            if k in existing:
                if not force:
                    kept.append(f"{shown}{k}")
                    continue
                if not _replace_value(lines, at_line, k, render(v)):
                    raise _Unsafe(f"`{shown}{k}` in {path} is written in a form that cannot be replaced safely: change it by hand")
            else:
                new_lines.append(f"{_key(k)} = {render(v)}{nl}")
            target[k] = v
        return new_lines

    try:
        # top-level keys: right after the [tool.notelint] header, or before the first table of .notelint.toml
        if prefix:
            at = header_index("tool.notelint")
            if at is None:
                return f"{path}: `[tool.notelint]` is written in a form notelint cannot add keys to: edit it by hand"
            insert_at = at + 1
        else:
            at = None
            insert_at = next((i for i, ln in enumerate(lines) if re.match(r"^[ \t]*\[", ln)), len(lines))
        block = set_keys(at, before_table, top, "", expected)
        if block:
            if insert_at == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
                lines[-1] += nl
            lines[insert_at:insert_at] = block
        rules_before = before_table.get("rules", {}) if isinstance(before_table.get("rules"), dict) else {}
        for name, values in tables.items():
            dotted = f"{prefix}rules.{name}"
            target = expected.setdefault("rules", {}).setdefault(name, {})
            at = header_index(dotted)
            if at is None:
                if name in rules_before:
                    return f"`rules.{name}` in {path} is not a `[{dotted}]` table: merge its options by hand"
                body = set_keys(None, {}, values, f"rules.{name}.", target)
                if lines and not lines[-1].endswith(("\n", "\r")):
                    lines[-1] += nl
                lines += ([nl] if lines else []) + [f"[{dotted}]{nl}"] + body
            else:
                body = set_keys(at, rules_before.get(name, {}), values, f"rules.{name}.", target)
                lines[at + 1:at + 1] = body
    except _Unsafe as exc:
        return str(exc)
    new = "".join(lines)
    if notes:
        block = "".join(f"# {n}{nl}" for n in notes)
        if block not in new:
            new += ("" if not new or new.endswith(("\n", "\r")) else nl) + (nl if new else "") + block
    try:
        after = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        return f"the settings cannot be merged into {path} safely: merge them by hand"
    if (_table(after, prefix) or {}) != expected or _strip(after, prefix) != _strip(before, prefix):
        return f"the settings cannot be merged into {path} safely: merge them by hand"
    return path, old, new.encode("utf-8"), kept


class _Unsafe(Exception):
    pass


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)


def _replace_value(lines: list[str], header: int | None, key: str, value: str) -> bool:
    """Replace the one-line value of `key` in the table starting after line `header` (None: the
    top level). False when the key is not written on one line as `key = value`."""
    start = 0 if header is None else header + 1
    pat = re.compile(rf"^([ \t]*{re.escape(_key(key))}[ \t]*=[ \t]*)(.*?)([ \t]*(?:#[^\r\n]*)?)(\r\n|\r|\n|)$")
    for i in range(start, len(lines)):
        if re.match(r"^[ \t]*\[", lines[i]):
            return False
        m = pat.match(lines[i])
        if m:
            try:
                tomllib.loads(f"x = {m.group(2)}")
            except tomllib.TOMLDecodeError:
                return False  # a value spread over several lines
            lines[i] = f"{m.group(1)}{value}{m.group(3)}{m.group(4)}"
            return True
    return False
