"""Shared helpers of the spacing formatting rules (blank lines, line ends, math block indicators).

Everything here reads a `Note` and returns offsets into `note.text`; nothing writes."""

from __future__ import annotations

import re

from notelint.formatting import merge, is_protected, quote_prefix
from notelint.note import Note

LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
CHECKBOX = re.compile(r"\[.\](?:[ \t]+|$)")
FOOTNOTE_DEFINITION = re.compile(r"[ \t]*\[\^[^\]]*\]:")


def line_break(note: Note, i: int) -> str:
    """The line break that ends line `i` ('' for the last line), else the note's own newline."""
    lines = note.lines
    if i + 1 < len(lines):
        return note.text[lines.ends[i]:lines.starts[i + 1]]
    return ""


def newline_near(note: Note, i: int) -> str:
    """The line break to write next to line `i`: its own, else the previous line's, else the note's."""
    return line_break(note, i) or (line_break(note, i - 1) if i > 0 else "") or note.newline


def body_first_line(note: Note) -> int:
    """Index of the first line of the body (0 without frontmatter)."""
    if not note.frontmatter.present:
        return 0
    lines = note.lines
    i = lines.index_of(note.body_start)
    if lines.starts[i] < note.body_start:
        i += 1  # the closing fence ends the file without a line break
    return i


def line_count(note: Note) -> int:
    """Lines of the note, not counting the empty "line" after a final line break."""
    n = len(note.lines)
    if note.text.endswith(("\n", "\r")):
        n -= 1
    return n


def structure_prefix(line: str) -> int:
    """Length of a line's container markup: blockquote markers, a list marker with its spaces and a
    checkbox. Spacing inside it is structure, not text."""
    pos = len(quote_prefix(line))
    m = LIST_MARKER.match(line, pos)
    if m:
        pos = m.end()
        c = CHECKBOX.match(line, pos)
        if c:
            pos = c.end()
    return pos


def code_like_spans(note: Note) -> list[tuple[int, int]]:
    """Code blocks and spans, HTML blocks and comments: where a `$` is not math."""
    doc = note.markdown
    spans = [(0, note.body_start)] if note.body_start else []
    spans += [(b.start, b.end) for b in doc.code_blocks]
    spans += [(b.start, b.end) for b in doc.code_spans]
    spans += [(b.start, b.end) for b in doc.html_blocks]
    spans += [(c.start, c.end) for c in doc.comments]
    return merge(spans)


DOLLARS = re.compile(r"(?<!\\)\$+")


def math_blocks(note: Note, minimum: int) -> list[tuple[int, int, int, int]]:
    """(start, opening end, closing start, end) of each math block: a run of at least `minimum`
    (and at least 2) dollar signs, closed by the next run at least as long. An unclosed one is no
    math block. Runs inside code, comments, HTML blocks and the frontmatter do not count."""
    text = note.text
    if "$$" not in text:
        return []
    hidden = code_like_spans(note)

    def inside(pos: int) -> bool:
        return any(s <= pos < e for s, e in hidden)

    runs = [m for m in DOLLARS.finditer(text, note.body_start) if not inside(m.start())]
    out = []
    i = 0
    while i < len(runs):
        m = runs[i]
        k = len(m.group())
        if k < 2:
            i += 1
            continue
        j = i + 1
        while j < len(runs) and len(runs[j].group()) < k:
            j += 1
        if j >= len(runs):
            break
        close = runs[j]
        if k >= minimum:
            out.append((m.start(), m.end(), close.start(), close.end()))
        i = j + 1
    return out


def protected_break(note: Note, i: int) -> bool:
    """Whether the line break ending line `i` lies inside code, math, a comment or HTML."""
    end = note.lines.ends[i]
    return is_protected(note, end, end + 1)


def ends_in_backslash_break(line: str) -> bool:
    """Whether a line ends in a backslash hard line break: an odd number of backslashes (`\\\\` is an
    escaped backslash, not a break)."""
    n = len(line) - len(line.rstrip("\\"))
    return n % 2 == 1
