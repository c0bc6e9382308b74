"""A footnote scanner for the footnote formatting rules: `[^label]` references and `[^label]: text`
definitions, outside the frontmatter, code, math and comments (`formatting.protected`).

notelint's Markdown parser runs without footnotes, so they are read here from the text. A
definition is one at the start of a body line (up to three spaces of indentation, not in a quote
or list: those the rules leave alone) and runs, as in GitHub Flavored Markdown, over the lines
that continue it: lazy lines of its paragraph and, after blank lines, lines indented four spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notelint.formatting import is_protected
from notelint.note import Note

REF = re.compile(r"\[\^([^\]\s\[]+)\]")
DEFINITION = re.compile(r"[ ]{0,3}\[\^([^\]\s\[]+)\]:")
# a line that starts another block, so it does not continue a definition's paragraph
BLOCK_START = re.compile(
    r"[ ]{0,3}(?:\[\^[^\]\s\[]+\]:|#{1,6}(?:[ \t]|$)|>|```|~~~|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)"
    r"|(?:\*[ \t]*){3,}$|(?:-[ \t]*){3,}$|(?:_[ \t]*){3,}$|=+[ \t]*$|\$\$|<|\|)"
)


@dataclass(slots=True)
class Ref:
    start: int
    end: int
    label: str


@dataclass(slots=True)
class Definition:
    start: int  # the `[`
    label_end: int  # after the `]`
    end: int  # end of the definition's last line (its line break excluded)
    label: str
    first_line: int
    last_line: int


@dataclass(slots=True)
class Footnotes:
    refs: list[Ref]
    definitions: list[Definition]


def footnotes(note: Note) -> Footnotes:
    cached = note._cache.get("fmt.footnotes")
    if cached is None:
        cached = note._cache["fmt.footnotes"] = _scan(note)
    return cached


def _blank(s: str) -> bool:
    return not s.strip(" \t")


def _indented(s: str) -> bool:
    return s.startswith(("    ", "\t", " \t", "  \t", "   \t"))


def _scan(note: Note) -> Footnotes:
    text, lines = note.text, note.lines
    if "[^" not in text:
        return Footnotes([], [])
    count = len(lines)
    if text.endswith(("\n", "\r")):
        count -= 1
    first = lines.index_of(note.body_start) if note.body_start < len(text) else count
    if first < count and lines.starts[first] < note.body_start:
        first += 1
    defs: list[Definition] = []
    i = first
    while i < count:
        line = lines.line(i)
        m = DEFINITION.match(line)
        start = lines.starts[i] + (m.start(1) - 2 if m else 0)
        if m is None or is_protected(note, start, lines.starts[i] + m.end()):
            i += 1
            continue
        last = i
        j = i + 1
        while j < count:
            nxt = lines.line(j)
            if _blank(nxt):
                k = j
                while k < count and _blank(lines.line(k)):
                    k += 1
                if k < count and _indented(lines.line(k)):
                    j = k
                    continue
                break
            if _indented(nxt) or (not BLOCK_START.match(nxt) and last == j - 1):
                last = j
                j += 1
                continue
            break
        end = lines.ends[last]
        while end > start and text[end - 1] in " \t":
            end -= 1
        defs.append(Definition(start, lines.starts[i] + m.end() - 1, end, m.group(1), i, last))
        i = last + 1
    labels = {d.start for d in defs}
    doc = note.markdown
    containers = [(x.start, x.end) for x in (*doc.links, *doc.images, *doc.wikilinks)]
    refs: list[Ref] = []
    for m in REF.finditer(text, note.body_start):
        s, e = m.start(), m.end()
        if s in labels or is_protected(note, s, e):
            continue
        if any(cs <= s and e <= ce and (cs, ce) != (s, e) for cs, ce in containers):
            continue  # inside a link's text or a wikilink
        refs.append(Ref(s, e, m.group(1)))
    return Footnotes(refs, defs)
