"""A finding's fix and fingerprint in the terms machine formats use.

Rules describe a fix as code-point offsets into a note's text (`Edit`); JSON, SARIF and
editors want 1-based line and column (code points, end exclusive, like the findings' own
positions), the file each edit is in, and a short message. A fingerprint names a finding
across runs without its line number, so a dashboard keeps an alert (and its dismissal) when
lines are added above it: GitHub code scanning matches results by `partialFingerprints`
(docs.github.com, "SARIF support for code scanning": "Data for preventing duplicated alerts"),
GitLab Code Quality by `fingerprint`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from notelint.formats.item import Item, display_path, printable

if TYPE_CHECKING:
    from notelint.finding import Edit, Finding
    from notelint.source import Lines

FINGERPRINT_KEY = "notelint/v1"  # SARIF partialFingerprints key: our own scheme, not GitHub's line hash
_SHOWN = 40  # characters of an edit's old or new text quoted in a fix message


def note_lines(item: Item, rel: str) -> Lines | None:
    """The line table of a note of the item's vault (None: not a readable note)."""
    ws = item.ws
    if ws is None or rel not in ws.vault.notes and rel not in ws._notes:
        return None
    note = ws.note(rel)
    return note.lines if note.readable else None


def fix_view(item: Item) -> dict | None:
    """`{applicability, message, edits: [{path, start: {line, column}, end: {…}, content}]}`, or
    None when the finding has no fix (or a note it edits can no longer be read)."""

    f = item.finding
    if f.fix is None or item.ws is None:
        return None
    edits = []
    described = []
    for edit in sorted(f.fix.edits, key=lambda e: (e.path or f.path, e.start, e.end)):
        rel = edit.path or f.path
        lines = note_lines(item, rel)
        if lines is None or edit.end > len(lines.text):
            return None
        start_line, start_column = lines.position(edit.start)
        end_line, end_column = lines.position(edit.end)
        path = item.path if rel == f.path else display_path(item.ws.vault.root, rel)
        edits.append({"path": path, "start": {"line": start_line, "column": start_column},
                      "end": {"line": end_line, "column": end_column}, "content": edit.replacement})
        described.append(describe_edit(edit, lines.text[edit.start:edit.end], None if rel == f.path else path))
    message = "; ".join(described[:3]) + (f"; and {len(described) - 3} more" if len(described) > 3 else "")
    return {"applicability": "safe" if f.fix.safe else "unsafe", "message": message, "edits": edits}


def describe_edit(edit: Edit, old: str, elsewhere: str | None) -> str:
    if not edit.replacement:
        text = f"delete {_quote(old)}"
    elif edit.start == edit.end:
        text = f"insert {_quote(edit.replacement)}"
    else:
        text = f"replace {_quote(old)} with {_quote(edit.replacement)}"
    return f"{text} in {elsewhere}" if elsewhere else text


def _quote(text: str) -> str:

    return "`" + printable(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…") + "`"


def fingerprints(items: Sequence[Item]) -> list[str]:
    """One digest per item: rule code, path, the finding's line with its whitespace collapsed
    (its message where there is no line: an image or an unreadable file), and how many
    earlier findings of that rule share that path and text. No line number, no column."""
    seen: Counter = Counter()
    out = []
    for item in items:
        f = item.finding
        lines = note_lines(item, f.path)
        context = " ".join(lines.line(f.line - 1).split()) if lines is not None and f.line <= len(lines) else f.message
        key = (f.code, item.path, context)
        occurrence = seen[key]
        seen[key] += 1
        data = "\0".join((f.code, item.path, context, str(occurrence)))
        out.append(hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32])
    return out


def fixable(f: Finding) -> bool:
    """Plain `notelint fix` would apply this finding's fix (the spec's `fixable`)."""
    return f.fix is not None and f.fix.safe
