"""What the heading formatting rules share: which headings are ATX headings notelint may edit, and
which spans of a heading's text are content rather than words (links, code, tags, math, ...).

The Obsidian Linter reads headings with one regex (`^[ \\t]*#+[ \\t]+…$`); notelint reads them from
the parsed Markdown, so a `#` line in a code block, an HTML block or a comment is never a heading,
and then skips any heading that lies in a protected span (`formatting.protected`).
"""

from __future__ import annotations

import bisect
import re

from notelint.formatting import is_protected, merge, protected
from notelint.mdelements import Heading
from notelint.note import Note

# an HTML entity or character reference, an inline HTML tag, a footnote reference, a bare URL:
# never re-cased (`&AMP;` is no entity, `[^A]` is another footnote)
_INLINE_CONTENT = re.compile(
    r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
    r"|</?[A-Za-z][^<>\n]*>"
    r"|\[\^[^\]\s]+\]"
    r"|[A-Za-z][A-Za-z0-9+.-]*://\S+"
)


def atx_headings(note: Note) -> list[Heading]:
    """The note's ATX headings (`# Title`), setext ones left out as the plugin does, none of them
    in a protected span (a `%%` comment, math)."""
    cached = note._cache.get("fmt.atx_headings")
    if cached is not None:
        return cached
    text, lines = note.text, note.lines
    out = []
    for h in note.markdown.headings:
        if h.start >= len(text) or text[h.start] != "#":
            continue
        if lines.index_of(h.start) != lines.index_of(max(h.start, h.end - 1)):
            continue  # a setext heading
        if is_protected(note, h.start):
            continue  # (inline code or math in its text is fine: the rules skip those spans)
        out.append(h)
    note._cache["fmt.atx_headings"] = out
    return out


def line_prefix(note: Note, h: Heading) -> str:
    """What stands before the heading's `#` on its line: indentation, quote or list markers."""
    return note.text[note.lines.starts[note.lines.index_of(h.start)] : h.start]


def top_level(note: Note, h: Heading) -> bool:
    """A heading the plugin's regex sees: only spaces or tabs before its `#`s (not in a quote or list)."""
    return not line_prefix(note, h).strip(" \t")


def inline_excluded(note: Note) -> list[tuple[int, int]]:
    """Sorted, disjoint spans inside which a heading's characters are content, not words:
    protected spans (code, math, comments), links, images, wikilinks, tags, HTML entities and tags,
    footnote references and bare URLs."""
    cached = note._cache.get("fmt.inline_excluded")
    if cached is not None:
        return cached
    doc = note.markdown
    spans = list(protected(note))
    spans += [(x.start, x.end) for x in doc.links]
    spans += [(x.start, x.end) for x in doc.images]
    spans += [(x.start, x.end) for x in doc.wikilinks]
    spans += [(x.start, x.end) for x in doc.tags]
    for h in atx_headings(note):
        for m in _INLINE_CONTENT.finditer(note.text, h.text_start, h.text_end):
            spans.append((m.start(), m.end()))
    merged = merge(spans)
    note._cache["fmt.inline_excluded"] = merged
    return merged


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether text[start:end] overlaps any of the sorted, disjoint `spans`."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    if i >= 0 and spans[i][1] > start:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < end
