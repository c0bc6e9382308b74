"""Output formats: text (for people), json (for programs), github (workflow annotations)."""

from __future__ import annotations

import functools
import json
import os
import posixpath
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from notelint.finding import Finding

FORMATS = ("text", "json", "github", "sarif", "html")  # html: html_report.py (needs the workspaces)


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


def use_color(stream) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def _paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def as_dict(f: Finding, path: str, related: list[str]) -> dict:
    out = {
        "path": path,
        "line": f.line,
        "column": f.column,
    }
    if f.end_line is not None:
        out["end_line"] = f.end_line
        out["end_column"] = f.end_column
    out.update({
        "rule": f.rule,
        "code": f.code,
        "severity": f.severity,
        "message": f.message,
        "fixable": f.fix is not None and f.fix.safe,
    })
    if f.fix is not None and not f.fix.safe:
        out["unsafe_fixable"] = True
    if related:
        out["related"] = related
    return out


def render(items: Sequence[tuple[Finding, str, list[str]]], fmt: str, stream, *, summary: str = "",
           quiet: bool = False) -> None:
    """`items` are (finding, display path, display related paths), already sorted."""
    if fmt == "sarif":  # SARIF 2.1.0 for code-scanning dashboards (sarif.py)
        from notelint import sarif

        sarif.write(items, stream)
        return
    if fmt == "json":
        json.dump([as_dict(f, p, r) for f, p, r in items], stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    if fmt == "github":
        for f, p, _ in items:
            level = "error" if f.severity == "error" else "warning"
            end = f",endLine={f.end_line},endColumn={f.end_column}" if f.end_line else ""
            msg = _gh_escape(f"{f.code} [{f.rule}] {f.message}")
            stream.write(f"::{level} file={_gh_prop(p)},line={f.line},col={f.column}{end},title={_gh_prop(f.rule)}::{msg}\n")
        return
    color = use_color(stream)
    for f, p, r in items:
        loc = _paint(f"{p}:{f.line}:{f.column}:", "1", color)
        code = _paint(f.code, "31" if f.severity == "error" else "33", color)
        fixable = " (fixable)" if f.fix is not None and f.fix.safe else " (unsafe fix)" if f.fix is not None else ""
        related = f" [related: {', '.join(r)}]" if r else ""
        stream.write(f"{loc} {code} [{f.rule}] {f.message}{related}{fixable}\n")
    if summary and not quiet:
        stream.write(summary + "\n")


def summary_line(findings: Sequence[Finding], notes_checked: int) -> str:
    if not findings:
        return f"All clear: {notes_checked} note{'s' if notes_checked != 1 else ''} checked, no findings."
    files = len({f.path for f in findings})
    fixable = sum(1 for f in findings if f.fix is not None and f.fix.safe)
    tail = f" ({fixable} fixable with `notelint fix`)" if fixable else ""
    return (f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} in {files} file{'s' if files != 1 else ''}"
            f"{tail}; {notes_checked} note{'s' if notes_checked != 1 else ''} checked.")


def statistics(findings: Sequence[Finding], stream) -> None:
    """Counts per rule, most frequent first, like `ruff --statistics`."""
    counts = Counter((f.code, f.rule) for f in findings)
    fixable = Counter((f.code, f.rule) for f in findings if f.fix is not None and f.fix.safe)
    for (code, rule), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        mark = "[*]" if fixable[(code, rule)] == n else "[-]" if fixable[(code, rule)] else "   "
        stream.write(f"{n:>6}\t{code}\t{mark} {rule}\n")


def _gh_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_escape(text).replace(":", "%3A").replace(",", "%2C")


def err(message: str) -> None:
    from notelint import progress

    progress.clear()  # a progress bar on the line would run into the message
    sys.stderr.write(f"notelint: {message}\n")
