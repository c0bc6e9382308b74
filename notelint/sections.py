"""Sections of templated notes: which schema applies to a note, the entries a note is cut
into, and the section labels found in an entry, each with exact offsets.

Shared by `required-sections` (are the sections there?) and `section-label` (are they
written alike?), so both read a note the same way. A section is written either as a
heading deeper than the entry's heading, or as a label at the start of a list item or
paragraph: `**研究背景**：…`, `__Background__: …`, `研究背景：…`, `**Background:** …`.
"""

from __future__ import annotations

import bisect
import fnmatch
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from notelint.options import Option, Table

if TYPE_CHECKING:
    from notelint.markdown import Block, Heading
    from notelint.note import Note

# The schema table, declared once: required-sections takes it as its `schemas` option and
# section-label reads the same settings, so the two can never disagree on its shape.
SCHEMA_TABLE = Table(
    (
        Option("paths", list, [], "fnmatch globs on vault-relative paths (`*` crosses dots and slashes)"),
        Option("level", int, 0, "heading level that starts an entry; 0: the whole note is one entry", minimum=0),
        Option("sections", list, [], "required sections, in their expected order"),
        Option("optional", list, [], "sections allowed but not required"),
        Option("order", bool, None, "overrides the rule's `order` for this schema"),
        Option("allow-empty", bool, None, "overrides the rule's `allow-empty` for this schema"),
        Option("strict", bool, None, "overrides the rule's `strict` for this schema"),
    ),
    required=("paths", "sections"),
)

# Container prefixes before a block's text: block quote markers, list markers, indentation.
_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*")
_COLON = r"(?P<colon>[:：])"
# `**label**：`, `**label：**`, `__label__：`, `__label：__`, `label：` at the start of a block
_BOLD = re.compile(r"(?P<mark>\*\*|__)(?P<text>(?:(?!(?P=mark))[^\r\n:：])+?)(?:(?P=mark)[ \t]*" + _COLON
                   + r"|[ \t]*(?P<inner>[:：])(?P=mark))")
_PLAIN = re.compile(r"(?P<text>[^*_`\[\]<>!#|:：\r\n][^*`\[\]<>!#|:：\r\n]*?)[ \t]*" + _COLON)
# A plain "label" longer than this, or with more words, is prose, not a label (strict mode).
PLAIN_LABEL_MAX = 30
PLAIN_LABEL_MAX_SPACES = 4


def normalize(label: str) -> str:
    """The form labels are compared in: NFKC, trimmed, inner whitespace collapsed, and
    case-folded (which changes Latin, Greek and Cyrillic letters only)."""
    return " ".join(unicodedata.normalize("NFKC", label).split()).casefold()


@dataclass(frozen=True)
class Schema:
    """One `[[rules.required-sections.schemas]]` table, defaults filled in."""

    number: int  # 1-based position in the configuration, for messages
    paths: tuple[str, ...]
    level: int
    sections: tuple[str, ...]
    optional: tuple[str, ...]
    order: bool | None = None
    allow_empty: bool | None = None
    strict: bool | None = None

    def matches(self, rel: str) -> bool:
        return any(fnmatch.fnmatchcase(rel, glob) for glob in self.paths)

    def known(self) -> dict[str, str]:
        """Normalized label -> the section's configured name (required and optional)."""
        out: dict[str, str] = {}
        for name in (*self.sections, *self.optional):
            out.setdefault(normalize(name), name)
        return out

    def describe(self) -> str:
        return f"schema {self.number} ({', '.join(self.paths) or 'no paths'})"


def schemas_from(settings: dict[str, Any] | None) -> list[Schema]:
    """The schemas of required-sections' settings (already validated by the config)."""
    out = []
    for i, table in enumerate((settings or {}).get("schemas") or [], 1):
        t = SCHEMA_TABLE.fill(table)
        out.append(Schema(i, tuple(t["paths"]), t["level"], tuple(t["sections"]), tuple(t["optional"]),
                          t["order"], t["allow-empty"], t["strict"]))
    return out


def schema_for(schemas: list[Schema], rel: str) -> Schema | None:
    """The first schema whose paths match the note."""
    return next((s for s in schemas if s.matches(rel)), None)


@dataclass(frozen=True)
class Entry:
    """A part of a note that must hold the sections: from a heading of the schema's level
    to the next heading of that level or higher, or the whole note (level 0)."""

    start: int  # where findings about the entry point: its heading, or the note's first text
    end: int
    begin: int  # where its content begins: its heading, or the note's body
    heading: Heading | None
    level: int

    def title(self, limit: int = 40) -> str:
        text = self.heading.text.strip() if self.heading else ""
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def entries(note: Note, level: int) -> list[Entry]:
    headings = sorted(note.markdown.headings, key=lambda h: h.start)
    if level == 0:
        start = headings[0].start if headings else _first_text(note)
        return [Entry(start, len(note.text), note.body_start, headings[0] if headings else None, 0)]
    out = []
    for i, h in enumerate(headings):
        if h.level != level:
            continue
        end = next((n.start for n in headings[i + 1:] if n.level <= level), len(note.text))
        out.append(Entry(h.start, end, h.start, h, level))
    return out


def _first_text(note: Note) -> int:
    body = note.text[note.body_start:]
    return note.body_start + len(body) - len(body.lstrip())


@dataclass(frozen=True)
class Label:
    """A section written in a note: a heading, or a label starting a list item or paragraph.

    `start`..`end` covers the label's markup and its colon (what section-label rewrites);
    `text_start`..`text_end` the label's words; `content_end` where the block holding it
    ends (for a heading, where its section ends).
    """

    kind: str  # "heading", "list_item" or "paragraph"
    text: str
    start: int
    end: int
    text_start: int
    text_end: int
    style: str  # "heading", "bold" (`**`), "underscore" (`__`) or "plain"
    colon: str  # ":" or "：" ("" for a heading)
    colon_inside: bool  # `**label：**`
    depth: int  # list depth of a list item or paragraph; the level of a heading
    content_end: int

    @property
    def key(self) -> str:
        return normalize(self.text)

    def plausible(self) -> bool:
        """Whether an unknown label is really a label rather than a sentence ending in a colon."""
        if self.style != "plain":
            return True
        return len(self.text) <= PLAIN_LABEL_MAX and self.text.count(" ") <= PLAIN_LABEL_MAX_SPACES


def labels(note: Note, start: int, end: int, min_heading_level: int = 1) -> list[Label]:
    """Every section label between the offsets: headings of at least `min_heading_level`
    and labelled list items and paragraphs, in document order."""
    doc = note.markdown
    text = note.text
    found: list[Label] = []
    headings = sorted(doc.headings, key=lambda h: h.start)
    for i, h in enumerate(headings):
        if start <= h.start < end and h.level >= min_heading_level:
            section_end = next((n.start for n in headings[i + 1:] if n.level <= h.level), len(text))
            label = _heading_label(text, h, min(section_end, end))
            if label is not None:
                found.append(label)
    hidden = [(c.start, c.end) for c in doc.comments]
    by_line: dict[int, Block] = {}
    for b in doc.blocks:
        if b.kind not in ("list_item", "paragraph") or not start <= b.start < end:
            continue
        kept = by_line.get(b.first_line)
        # a list item and its first paragraph share a line: the (innermost) list item wins
        if kept is None or (b.kind == "list_item" and (kept.kind != "list_item" or b.depth > kept.depth)):
            by_line[b.first_line] = b
    for line, b in sorted(by_line.items()):
        label = _block_label(note, b, line)
        if label is not None and not any(cs <= label.start < ce for cs, ce in hidden):
            # a labelled paragraph's section runs on past the paragraph, to the next label
            found.append(replace(label, content_end=end) if label.kind == "paragraph" else label)
    found.sort(key=lambda lab: lab.start)
    return found


def per_entry(found: list[Label], parts: list[Entry]) -> list[list[Label]]:
    """The labels of each entry, cut out of a whole note's `labels` (sections end with it)."""
    starts = [lab.start for lab in found]
    out = []
    for entry in parts:
        lo, hi = bisect.bisect_left(starts, entry.begin), bisect.bisect_left(starts, entry.end)
        out.append([replace(lab, content_end=entry.end) if lab.content_end > entry.end else lab
                    for lab in found[lo:hi]])
    return out


def _heading_label(text: str, h: Heading, section_end: int) -> Label | None:
    s, e = h.text_start, h.text_end
    raw = text[s:e]
    # `## **Background**` or `## 研究背景：` name the section `Background` / `研究背景`
    m = re.fullmatch(r"(\*\*|__)?(.+?)\1?[ \t]*[:：]?", raw.strip())
    words = m.group(2) if m else raw
    if not words.strip():
        return None
    ws = s + raw.find(words)
    return Label("heading", words.strip(), h.start, h.end, ws, ws + len(words), "heading", "", False,
                 h.level, section_end)


def _block_label(note: Note, block: Block, line: int) -> Label | None:
    text = note.text
    ls, le = note.lines.starts[line], note.lines.ends[line]
    pos = _PREFIX.match(text, ls, le).end()
    m = _BOLD.match(text, pos, le)
    style = "plain"
    if m:
        style = "bold" if m.group("mark") == "**" else "underscore"
        colon = m.group("colon") or m.group("inner")
    else:
        m = _PLAIN.match(text, pos, le)
        if not m:
            return None
        colon = m.group("colon")
    words = m.group("text")
    if not words.strip() or not any(c.isalpha() for c in words):
        return None
    after = m.end()  # past the colon (and the closing `**` of `**label:**`)
    if colon == ":" and after < le and not (text[after].isspace() or ord(text[after]) > 127):
        return None  # `http://…`, `12:30`: not a label
    ts = m.start("text") + len(words) - len(words.lstrip())
    te = m.start("text") + len(words.rstrip())
    return Label(block.kind, words.strip(), m.start(), m.end(), ts, te, style, colon,
                 bool(style != "plain" and m.group("inner")), block.depth, block.end)


def content_is_empty(note: Note, label: Label, following: list[Label]) -> bool:
    """Whether the section holds nothing but markup: for a list item, the item after its
    label; for a paragraph or heading, everything up to the next label of the same or an
    outer level (or the end of the entry)."""
    end = label.content_end
    if label.kind != "list_item":
        for other in following:
            if other.start <= label.start:
                continue
            outer = (other.kind == "heading" and (label.kind != "heading" or other.depth <= label.depth)) or \
                    (other.kind != "heading" and label.kind != "heading" and other.depth <= label.depth)
            if outer:
                end = min(end, other.start)
                break
    body = note.text[label.end:end]
    body = re.sub(r"(?m)^[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*)*", "", body)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return not body.strip()
