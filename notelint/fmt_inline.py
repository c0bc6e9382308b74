"""What the inline formatting rules share (emphasis-style, strong-style, blockquote-style,
default-language-for-code-fences, no-bare-urls): pulldown-cmark's events of a note with code-point
offsets, the spans a rule must keep out of, and one safety net — a fix whose result pulldown-cmark
renders differently from the note it started from (a `_` that can no longer close emphasis inside a
word, a blockquote line whose spaces made indented code or a list's continuation) is not offered.

The events are the ones `markdown.py` reads (the same parser and options, the frontmatter blanked),
kept here whole because notelint's elements (`mdelements.py`) do not list emphasis, strong, block
quotes as nodes or inline HTML.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pyromark

from notelint.finding import Edit
from notelint.formatting import protected
from notelint.markdown import OPTIONS, ByteMap, source_for_parser
from notelint.note import Note

ANCHOR_TAG = re.compile(r"<a[\s]+([^>]+)>((?:.(?!</a>))*.)</a>")


@dataclass(frozen=True, slots=True)
class Node:
    """One element of the parse: `kind` is pulldown-cmark's tag name (Emphasis, Strong, BlockQuote,
    CodeBlock, Link, Image, InlineHtml, ...), `start`/`end` code-point offsets into the note's text."""

    kind: str
    start: int
    end: int
    data: object = None


def parse(text: str, body_start: int) -> list[Node]:
    """Every start tag and inline HTML piece of the text's Markdown, in document order."""
    src = source_for_parser(text, body_start)
    bmap = ByteMap(src)
    out: list[Node] = []
    for ev, r in pyromark.Markdown(options=OPTIONS).events_with_range(src):
        if isinstance(ev, str):
            continue
        ((key, val),) = ev.items()
        if key == "Start":
            kind = val if isinstance(val, str) else next(iter(val))
            data = None if isinstance(val, str) else val[kind]
            out.append(Node(kind, bmap(r["start"]), bmap(r["end"]), data))
        elif key in ("InlineHtml", "Html"):
            out.append(Node(key, bmap(r["start"]), bmap(r["end"]), val))
    return out


def nodes(note: Note) -> list[Node]:
    cached = note._cache.get("fmt_inline.nodes")
    if cached is None:
        cached = note._cache["fmt_inline.nodes"] = parse(note.text, _parse_start(note))
    return cached


def _parse_start(note: Note) -> int:
    fm = note.frontmatter
    return 0 if fm.present and fm.error and fm.block_end >= len(note.text) else note.body_start


def render(text: str, body_start: int) -> str:
    """The note's HTML, strong-in-emphasis and emphasis-in-strong of the same text written one way
    (`***a***` is `<em><strong>`, `__*a*__` `<strong><em>`: both bold italic)."""
    html = pyromark.html(source_for_parser(text, body_start), options=OPTIONS)
    return html.replace("<strong><em>", "<em><strong>").replace("</em></strong>", "</strong></em>")


def splice(text: str, edits: Iterable[Edit]) -> str:
    out, last = [], len(text)
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out.append(text[e.end:last])
        out.append(e.replacement)
        last = e.start
    out.append(text[:last])
    return "".join(reversed(out))


def keep_safe(note: Note, groups: Sequence[Sequence[Edit]],
              same: Callable[[str, list[Edit]], bool] | None = None) -> list[bool]:
    """Which groups of edits (one group per finding) may be applied: all of them when the note with
    every group applied is still what it was (`same(new text, edits applied)`; by default: renders
    the same HTML); otherwise each half is tried in turn (on top of what was taken before it), down
    to single groups, so every group taken keeps the text what it was with all taken before it."""
    if not groups:
        return []
    start = _parse_start(note)
    if same is None:
        before = render(note.text, start)

        def same(new: str, _edits: list[Edit]) -> bool:
            return render(new, start) == before

    ok = [False] * len(groups)

    def settle(lo: int, hi: int, taken: list[Edit]) -> list[Edit]:
        # halves of a failing range are tried in turn, so a few bad groups among many cost
        # a few renderings each, not one per group
        trial = taken + [e for g in groups[lo:hi] for e in g]
        if same(splice(note.text, trial), trial):
            ok[lo:hi] = [True] * (hi - lo)
            return trial
        if hi - lo == 1:
            return taken
        mid = (lo + hi) // 2
        return settle(mid, hi, settle(lo, mid, taken))

    settle(0, len(groups), [])
    return ok


class Spans:
    """Sorted, merged spans with an overlap test."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                if e > merged[-1][1]:
                    merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        self.spans = merged

    def hits(self, start: int, end: int | None = None) -> bool:
        """Whether text[start:end] (or the character at start) overlaps a span."""
        end = start + 1 if end is None or end <= start else end
        spans = self.spans
        i = bisect.bisect_right(spans, (start, float("inf"))) - 1
        if i >= 0 and spans[i][1] > start:
            return True
        return i + 1 < len(spans) and spans[i + 1][0] < end


def no_go(note: Note, links: bool = True) -> Spans:
    """Where an inline rule never edits: the protected spans (frontmatter, code, math, HTML,
    comments), inline HTML tags, and — with `links` — links (text and destination), images,
    wikilinks, tags, link reference definitions and the text of `<a>` anchors."""
    key = f"fmt_inline.no_go.{links}"
    cached = note._cache.get(key)
    if cached is not None:
        return cached
    spans = list(protected(note))
    spans += [(n.start, n.end) for n in nodes(note) if n.kind in ("InlineHtml", "Html")]
    if links:
        doc = note.markdown
        spans += [(x.start, x.end) for x in doc.links]
        spans += [(x.start, x.end) for x in doc.images]
        spans += [(x.start, x.end) for x in doc.wikilinks]
        spans += [(x.start, x.end) for x in doc.tags]
        spans += [(x.start, x.end) for x in doc.definitions]
        if "<a" in note.text:
            spans += [m.span() for m in ANCHOR_TAG.finditer(note.text, note.body_start)]
    cached = note._cache[key] = Spans(spans)
    return cached


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS" if ch else False


def _space(ch: str) -> bool:
    return not ch or ch.isspace()


def _underscore_can(text: str, at: int, width: int, opening: bool) -> bool:
    """Whether `width` underscores written at text[at:at+width] could open (or close) emphasis by
    CommonMark's flanking rules (`_` inside a word cannot)."""
    i, j = at, at + width
    while i > 0 and text[i - 1] == "_":
        i -= 1
    while j < len(text) and text[j] == "_":
        j += 1
    before, after = text[i - 1] if i > 0 else "", text[j] if j < len(text) else ""
    left = not _space(after) and (not _punct(after) or _space(before) or _punct(before))
    right = not _space(before) and (not _punct(before) or _space(after) or _punct(after))
    if opening:
        return left and (not right or _punct(before))
    return right and (not left or _punct(after))


STYLE_CHAR = {"asterisk": "*", "underscore": "_"}


def delimiter_findings(rule, note: Note, kind: str, width: int):
    """emphasis-style (`Emphasis`, one delimiter character) and strong-style (`Strong`, two): each
    element whose delimiters are not the style's, one finding swapping both ends. `consistent`
    takes the style of the note's first such element. Elements whose delimiters lie in code, math,
    comments, HTML, links, wikilinks or tags are left alone (the plugin ignores those regions too)."""
    text = note.text
    if "*" not in text and "_" not in text:
        return
    avoid = no_go(note)
    found = []  # (start, end, delimiter) of each element that may be restyled
    for n in nodes(note):
        if n.kind != kind or n.end - n.start < 2 * width + 1:
            continue
        opening, closing = text[n.start:n.start + width], text[n.end - width:n.end]
        if opening != closing or opening not in ("*" * width, "_" * width):
            continue
        if avoid.hits(n.start, n.start + width) or avoid.hits(n.end - width, n.end):
            continue
        found.append((n.start, n.end, opening[0]))
    if not found:
        return
    style = rule.settings["style"]
    want = STYLE_CHAR.get(style) or min(found)[2]
    todo = [(s, e, c) for s, e, c in found if c != want]
    if want == "_":  # `_` neither opens nor closes inside a word: those are known before rendering
        todo = [(s, e, c) for s, e, c in todo if _underscore_can(text, s, width, True) and _underscore_can(text, e - width, width, False)]
    groups = [[Edit(s, s + width, want * width), Edit(e - width, e, want * width)] for s, e, _ in todo]
    ok = keep_safe(note, groups)
    how = f"style: {style}" if style in STYLE_CHAR else f"the note's first uses `{want * width}`"
    what = "emphasis" if kind == "Emphasis" else "strong emphasis"
    for (s, e, c), group, good in zip(todo, groups, ok):
        # (where `want` would not render the same — `_` inside a word is no emphasis — the element
        # keeps its delimiters and is not reported: there is nothing to change it to)
        if good:
            yield rule.finding(note, s, e, f"{what} written with `{c * width}`; use `{want * width}` ({how})", group)
