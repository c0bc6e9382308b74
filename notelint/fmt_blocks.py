"""Blank lines around blocks, shared by the "empty line around …" formatting rules and
heading-blank-lines: find the blank lines between a block and the content above or below it, and
make them exactly one (or none), quote-prefix aware, as the Obsidian Linter does.

A *gap* is the run of blank lines between two content lines. Inside a blockquote a blank line is a
line holding only quote markers (`>`), and the one a fix inserts is written as the markers of the
shallower of the two lines around it, without trailing space (`>`, `> >`), so it separates the
blocks without ending the quote. A block that starts the note (nothing but blank lines above it) or
ends it (nothing but blank lines below it) gets no blank line there; the frontmatter counts as
content above the body. Edits are whole-line splices: inserting a blank line, deleting extra ones.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from notelint.finding import Edit, Finding
from notelint.formatting import protected, protected_lines, quote_prefix
from notelint.note import Note


def depth(line: str) -> int:
    """How many blockquote levels a line is in (`> > x`: 2)."""
    return quote_prefix(line).count(">")


def line_count(note: Note) -> int:
    """Lines of the note, not counting the empty "line" after a final line break."""
    n = len(note.lines)
    if note.text.endswith(("\n", "\r")):
        n -= 1
    return n


def first_body_line(note: Note) -> int:
    if not note.frontmatter.present:
        return 0
    return note.lines.index_of(note.body_start) if note.body_start < len(note.text) else line_count(note)


def is_blank(note: Note, i: int, max_depth: int) -> bool:
    """Line `i` is empty once its quote markers (at most `max_depth` of them) are taken off, and
    is not inside code, math, HTML or a comment."""
    line = note.lines.line(i)
    prefix = quote_prefix(line)
    if prefix.count(">") > max_depth or line[len(prefix):].strip(" \t"):
        return False
    return i not in protected_lines(note)


def inside_protected(note: Note, pos: int) -> bool:
    """Whether `pos` lies strictly inside a protected span (code, math, HTML, comment, frontmatter):
    a line may be inserted at a protected span's edge, never inside it."""
    spans = protected(note)
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


@dataclass
class Gap:
    """The blank lines `blanks` between content line `above` and content line `below`; `above` is
    None at the note's start, `below` None at its end."""

    above: int | None
    below: int | None
    blanks: list[int]


def gap_above(note: Note, line: int, max_depth: int) -> Gap:
    first = first_body_line(note)
    blanks = []
    i = line - 1
    while i >= first and is_blank(note, i, max_depth):
        blanks.append(i)
        i -= 1
    blanks.reverse()
    if i < 0 or (i < first and not note.frontmatter.present):
        return Gap(None, line, blanks)
    return Gap(i, line, blanks)  # (i == first - 1: the frontmatter's closing fence)


def gap_below(note: Note, line: int, max_depth: int) -> Gap:
    count = line_count(note)
    blanks = []
    i = line + 1
    while i < count and is_blank(note, i, max_depth):
        blanks.append(i)
        i += 1
    return Gap(line, None if i >= count else i, blanks)


def line_break(note: Note, i: int) -> str:
    """The line break ending line `i` (the note's own, so CRLF stays CRLF)."""
    lines = note.lines
    if i + 1 < len(lines.starts):
        return note.text[lines.ends[i] : lines.starts[i + 1]]
    return note.newline


def empty_line(note: Note, above: int, below: int) -> str:
    """The blank line to put between lines `above` and `below`: the quote markers of the shallower
    one, no trailing space."""
    a, b = note.lines.line(above), note.lines.line(below)
    line = a if depth(a) <= depth(b) else b
    levels = min(depth(a), depth(b))
    if levels == 0:
        return ""
    prefix = quote_prefix(line)
    cut = 0
    for _ in range(levels):
        cut = prefix.index(">", cut) + 1
    return prefix[:cut].rstrip(" \t")


def one_blank_line(rule, note: Note, gap: Gap, what: str, side: str) -> Finding | None:
    """A finding making `gap` exactly one blank line (None when it is, or at the note's edges).
    `what` names the block ("the table"), `side` is "before" or "after"."""
    if gap.above is None or gap.below is None:
        return None
    lines = note.lines
    if not gap.blanks:
        at = lines.starts[gap.below]
        if inside_protected(note, at):
            return None
        text = empty_line(note, gap.above, gap.below) + line_break(note, gap.above)
        where = at if side == "before" else lines.ends[gap.above]  # the block's first line, or its last line's end
        return rule.finding(note, where, None, f"no blank line {side} {what}; insert one", [Edit(at, at, text)])
    if len(gap.blanks) == 1:
        return None
    # keep the shallowest blank line (the one that separates most), delete the others
    keep = min(gap.blanks, key=lambda i: (depth(lines.line(i)), i))
    edits = _delete_lines(note, [i for i in gap.blanks if i != keep])
    if any(inside_protected(note, e.start) or inside_protected(note, e.end) for e in edits):
        return None
    n = len(gap.blanks)
    first_extra = next(i for i in gap.blanks if i != keep)
    return rule.finding(note, lines.starts[first_extra], None,
                        f"{n} blank lines {side} {what}; keep one", edits)


def no_blank_line(rule, note: Note, gap: Gap, message: str) -> Finding | None:
    """A finding deleting every blank line of `gap` (None when there is none)."""
    if not gap.blanks:
        return None
    edits = _delete_lines(note, gap.blanks)
    if any(inside_protected(note, e.start) or inside_protected(note, e.end) for e in edits):
        return None
    return rule.finding(note, note.lines.starts[gap.blanks[0]], None, message, edits)


def _delete_lines(note: Note, indexes: list[int]) -> list[Edit]:
    """Edits deleting whole lines (with their breaks), contiguous lines in one edit."""
    lines = note.lines
    edits: list[Edit] = []
    for i in sorted(indexes):
        start, end = lines.starts[i], lines.starts[i + 1]
        if edits and edits[-1].end == start:
            edits[-1] = Edit(edits[-1].start, end, "")
        else:
            edits.append(Edit(start, end, ""))
    return edits


def around(rule, note: Note, blocks: list[tuple[int, int, int]], what: str, after: bool = True) -> Iterator[Finding]:
    """Findings giving each block (`first_line`, `last_line`, quote depth) one blank line before
    and (with `after`) after, unless it starts or ends the note; one finding per gap."""
    seen: set[tuple[int | None, int | None]] = set()
    for first, last, level in blocks:
        # (a blank line as deep as the block's own edge line counts, so an inserted one is seen next time)
        gaps = [(gap_above(note, first, max(level, depth(note.lines.line(first)))), "before")]
        if after:
            gaps.append((gap_below(note, last, max(level, depth(note.lines.line(last)))), "after"))
        for gap, side in gaps:
            key = (gap.above, gap.below)
            if key in seen:
                continue
            seen.add(key)
            f = one_blank_line(rule, note, gap, what, side)
            if f is not None:
                yield f
