"""Formats for people: `text` (one finding a line, notelint's default), `concise` and
`grouped` (ruff's `--output-format concise` and `grouped`: `path:line:col: CODE [*] message`,
and the same under one heading per file, positions aligned), and the `--show-fixes` listing.

Every path and message goes through `printable`, so a file name holding a newline or an
escape sequence stays on its line and cannot drive the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from notelint.formats.item import Item, printable


def _paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def _code(item: Item, color: bool) -> str:
    f = item.finding
    return _paint(f.code, "31" if f.severity == "error" else "33", color)


def _star(item: Item) -> str:
    """ruff's `[*]`: plain `notelint fix` repairs it."""
    fix = item.finding.fix
    return "[*] " if fix is not None and fix.safe else ""


def text(items: Sequence[Item], stream, color: bool) -> None:
    for item in items:
        f = item.finding
        loc = _paint(f"{printable(item.path)}:{f.line}:{f.column}:", "1", color)
        fixable = " (fixable)" if f.fix is not None and f.fix.safe else " (unsafe fix)" if f.fix is not None else ""
        related = f" [related: {printable(', '.join(item.related))}]" if item.related else ""
        stream.write(f"{loc} {_code(item, color)} [{f.rule}] {printable(f.message)}{related}{fixable}\n")


def concise(items: Sequence[Item], stream, color: bool) -> None:
    for item in items:
        f = item.finding
        loc = _paint(f"{printable(item.path)}:{f.line}:{f.column}:", "1", color)
        stream.write(f"{loc} {_code(item, color)} {_star(item)}{printable(f.message)}\n")


def grouped(items: Sequence[Item], stream, color: bool) -> None:
    for path, group in groupby(items, key=lambda item: item.path):
        group = list(group)
        stream.write(_paint(f"{printable(path)}:", "1", color) + "\n")
        width = max(len(f"{i.finding.line}:{i.finding.column}") for i in group)
        for item in group:
            f = item.finding
            position = f"{f.line}:{f.column}".ljust(width)
            stream.write(f"  {position} {_code(item, color)} {_star(item)}{printable(f.message)}\n")
        stream.write("\n")


def show_fixes(fixed: dict[str, dict[str, int]], stream, *, dry: bool, color: bool = False) -> None:
    """`--show-fixes`: per file, each rule and how many fixes it made, most first, as ruff
    prints it (`Fixed 3 errors:` / `- path:` / `    2 × NL003 (whitespace)`)."""
    from notelint import registry

    total = sum(sum(counts.values()) for counts in fixed.values())
    if not total:
        stream.write(("No fixes would be applied." if dry else "No fixes applied.") + "\n")
        return
    width = len(str(max(n for counts in fixed.values() for n in counts.values())))
    noun = "fix" if total == 1 else "fixes"
    stream.write(_paint(f"{'Would apply' if dry else 'Applied'} {total} {noun}:", "1;32", color) + "\n")
    for path in sorted(fixed):
        stream.write(f"- {_paint(printable(path), '1', color)}:\n")
        for code, n in sorted(fixed[path].items(), key=lambda kv: (-kv[1], kv[0])):
            rule = registry.lookup(code)
            stream.write(f"    {n:>{width}} × {_paint(code, '31', color)} ({rule.name if rule else code})\n")
