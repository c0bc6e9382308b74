"""Applying a set of fixes to a text: choose a non-overlapping subset deterministically,
then splice right to left. Everything outside the chosen edits keeps its exact characters."""

from __future__ import annotations

import bisect

from notelint.finding import Edit, Fix


def choose(fixes: list[tuple[str, Fix]]) -> list[Fix]:
    """Fixes that do not overlap, earliest (then lowest rule code) first; the rest wait for
    the next pass, when they are recomputed on the new text."""
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []  # sorted (start, end) of the chosen edits, which never overlap
    for _, fix in sorted(fixes, key=lambda cf: (cf[1].start, cf[1].end, cf[0])):
        if not _self_overlapping(fix) and not any(_hits(e, taken) for e in fix.edits):
            chosen.append(fix)
            for e in fix.edits:
                bisect.insort(taken, (e.start, e.end))
    return chosen


def _self_overlapping(fix: Fix) -> bool:
    """A fix whose own edits overlap cannot be spliced (a rule's bug): it is never chosen."""
    edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
    return any(_overlap(b, (a.start, a.end)) for a, b in zip(edits, edits[1:]))


def _hits(edit: Edit, taken: list[tuple[int, int]]) -> bool:
    """Whether `edit` overlaps a taken edit. Only the last one starting before it and the few
    starting inside it can (taken edits are disjoint), so a note with 200,000 trailing-space
    fixes is checked in n log n, not n² (which took minutes)."""
    i = bisect.bisect_left(taken, (edit.start, -1))
    j = max(i - 1, 0)
    while j < len(taken) and (j < i or taken[j][0] <= edit.end):
        if _overlap(edit, taken[j]):
            return True
        j += 1
    return False


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
