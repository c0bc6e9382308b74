"""Applying a set of fixes to a text: choose a non-overlapping subset deterministically,
then splice right to left. Everything outside the chosen edits keeps its exact characters."""

from __future__ import annotations

from notelint.finding import Edit, Fix


def choose(fixes: list[tuple[str, Fix]]) -> list[Fix]:
    """Fixes that do not overlap, earliest (then lowest rule code) first; the rest wait for
    the next pass, when they are recomputed on the new text."""
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []
    for _, fix in sorted(fixes, key=lambda cf: (cf[1].start, cf[1].end, cf[0])):
        if all(not _overlap(e, t) for e in fix.edits for t in taken):
            chosen.append(fix)
            taken.extend((e.start, e.end) for e in fix.edits)
    return chosen


def _overlap(edit: Edit, other: tuple[int, int]) -> bool:
    s, e = other
    if edit.start == edit.end and s == e:
        return edit.start == s  # two insertions at one point: order would be a guess
    return edit.start < e and s < edit.end


def apply(text: str, fixes: list[Fix]) -> str:
    edits = sorted((e for f in fixes for e in f.edits), key=lambda e: (e.start, e.end), reverse=True)
    out: list[str] = []
    last = len(text)
    for edit in edits:
        if edit.end > last:
            raise ValueError("overlapping edits")
        out.append(text[edit.end : last])
        out.append(edit.replacement)
        last = edit.start
    out.append(text[:last])
    return "".join(reversed(out))
