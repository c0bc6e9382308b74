"""Output formats: the dispatch from `--format` to a writer, and the pieces every writer shares
(display paths, the JSON finding, the summary, `--statistics`, escaping control characters)."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Sequence

from notelint.finding import Finding
from notelint.formats.located import fix_view
from notelint.formats import FORMATS, PEOPLE_FORMATS  # noqa: F401 - the names callers use from here
from notelint.formats.item import Item, display_path, printable  # noqa: F401 - (as above)


def use_color(stream) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


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


def json_dict(item: Item) -> dict:
    """The spec's JSON finding, plus `fix` (edits at 1-based code-point line/column, end
    exclusive) where the finding has one."""

    out = as_dict(item.finding, item.path, item.related)
    fix = fix_view(item)
    if fix is not None:
        out["fix"] = fix
    return out


def render(items: Sequence[Item], fmt: str, stream, *, summary: str = "", quiet: bool = False) -> None:
    """Write `items` (already sorted by path and position) in format `fmt`."""
    from notelint.formats import annotations, gitlab, junit, text

    if fmt == "sarif":  # SARIF 2.1.0 for code-scanning dashboards (sarif.py)
        from notelint import sarif

        sarif.write(items, stream)
    elif fmt == "json":
        json.dump([json_dict(item) for item in items], stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif fmt in ("github", "azure"):
        getattr(annotations, fmt)(items, stream)
    elif fmt == "gitlab":
        gitlab.write(items, stream)
    elif fmt == "junit":
        junit.write(items, stream)
    else:
        getattr(text, fmt if fmt in PEOPLE_FORMATS else "text")(items, stream, use_color(stream))
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


def statistics(findings: Sequence[Finding], stream, fmt: str = "text") -> None:
    """Counts per rule, most frequent first, like `ruff --statistics`; with `--format json` an
    array of `{code, name, count, fixable}` (`fixable`: every one of them is; `fixable_count`:
    how many are)."""
    counts = Counter((f.code, f.rule) for f in findings)
    fixable = Counter((f.code, f.rule) for f in findings if f.fix is not None and f.fix.safe)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if fmt == "json":
        json.dump([{"code": code, "name": rule, "count": n, "fixable": fixable[(code, rule)] == n,
                    "fixable_count": fixable[(code, rule)]} for (code, rule), n in rows], stream, indent=2)
        stream.write("\n")
        return
    for (code, rule), n in rows:
        mark = "[*]" if fixable[(code, rule)] == n else "[-]" if fixable[(code, rule)] else "   "
        stream.write(f"{n:>6}\t{code}\t{mark} {rule}\n")


def failure_line(exc: Exception) -> str:
    """What a run that raised tells the user, on one line: a mistake in the config or the
    command line as it is, anything else as an internal error to report."""
    from notelint.config import ConfigError
    from notelint.engine import UsageError

    if isinstance(exc, ConfigError | UsageError):
        return f"notelint: error: {exc}\n"
    return (f"notelint: internal error: {type(exc).__name__}: {exc} "
            "(set NOTELINT_DEBUG=1 for a traceback, and please report it)\n")


def err(message: str) -> None:
    from notelint import progress

    progress.clear()  # a progress bar on the line would run into the message
    sys.stderr.write(f"notelint: {message}\n")
