"""Positions and fix splices of elements at the start of continuation lines in nested containers.

Where a container's indent ends inside a tab, a parser that hands inline content over without its
container prefixes (markdown-it, notelint's parser before issue 17) writes the rest of that tab as
spaces; pulldown-cmark reports byte ranges into the source instead. These tests pin exact line:column (code points), spans, and the exact bytes a
fix splices there: plain examples first, then a hypothesis property over generated nestings of
`> `, `- `, `* `, `1. `, `1.   `, `1.\\t`, `> [!note]` callouts and tab/space indents, with lazy and
non-lazy continuation lines, LF and CRLF, ASCII and CJK text.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notelint.config import Config
from notelint.engine import Workspace, check_note, fix_note
from notelint.note import Note
from notelint.registry import lookup
from notelint.vault import Vault

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@lru_cache(maxsize=None)
def _vault() -> Vault:
    """A vault holding one image, `img/a.png`: `assets/images/a.png` dangles and is relinked to it."""
    root = Path(tempfile.mkdtemp(prefix="notelint-nested-"))
    (root / "img").mkdir()
    (root / "img" / "a.png").write_bytes(PNG)
    return Vault(root=root, flavor="obsidian", config=Config(), notes=["note.md"], assets=["img/a.png"])


def _rules() -> list:
    return [lookup("tag-style")({"convention": "lower-kebab"}, "obsidian"),
            lookup("dangling-image")(None, "obsidian"), lookup("tag-syntax")(None, "obsidian")]


def run(text: str) -> tuple[Note, list, str]:
    """(the note, its findings, the text `notelint fix --unsafe-fixes` writes) in a one-note vault."""
    note = Note.from_text(text, "note.md")
    rules, vault = _rules(), _vault()
    ws = Workspace(vault, rules, ["note.md"], None)
    ws._notes["note.md"] = note
    ws.prepare_rules()
    found = check_note(note, rules, vault)
    return note, found, fix_note(note, rules, vault, unsafe=True).text


def spans(note: Note) -> list[tuple[str, tuple[int, int], tuple[int, int], str]]:
    """Every tag, image and wikilink as (kind, start line:col, end line:col, its source text)."""
    doc, text = note.markdown, note.text
    out = [("tag", t.start, t.end) for t in doc.tags] + [("image", i.start, i.end) for i in doc.images]
    out += [("embed" if w.embed else "wikilink", w.start, w.end) for w in doc.wikilinks]
    return sorted((k, note.position(s), note.position(e), text[s:e]) for k, s, e in out)


# --------------------------------------------------------------------------- the tab bug, pinned

TAB_LINES = [  # (what the continuation line is indented with, the column its first element starts at)
    ("- item\n\t  ", 4),  # tab then spaces (issue 20): the tab passes the item's content column
    ("- item\n  \t", 4),  # spaces then tab
    ("- item\n\t\t", 3),  # several tabs
    ("- a\n  - b\n\t\t  ", 5),
    ("> item\n>\t", 3),  # a tab inside a blockquote
    ("> - item\n>\t  ", 5),
    ("1.\titem\n\t", 2),  # ordered list with a tab after the marker
    ("1.\titem\n\t  ", 4),
    ("* 1. item\n\t   ", 5),
]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("head, col", TAB_LINES, ids=[repr(h) for h, _ in TAB_LINES])
def test_elements_after_a_tab_indent_start_where_they_are_written(head, col, newline):
    line = "#Project 研究 ![](assets/images/a.png) [[x]] ![[a.png]]"
    text = ("Para\n\n" + head + line + "\n").replace("\n", newline)
    note, found, fixed = run(text)
    n = head.count("\n") + 3
    assert spans(note) == sorted([
        ("tag", (n, col), (n, col + 8), "#Project"),
        ("image", (n, col + 12), (n, col + 36), "![](assets/images/a.png)"),
        ("wikilink", (n, col + 37), (n, col + 42), "[[x]]"),
        ("embed", (n, col + 43), (n, col + 53), "![[a.png]]"),
    ])
    assert sorted((f.rule, f.line, f.column, f.end_column) for f in found) == [
        ("dangling-image", n, col + 12, col + 36), ("tag-style", n, col, col + 8)]
    assert fixed == text.replace("#Project", "#project").replace("(assets/images/a.png)", "(img/a.png)")


def test_tab_then_spaces_fix_splices_exactly_the_tag_name():
    """Issue 20: `- item\\n\\t  #Project next`: the tag at 4:4 spans `#Project`, the rename edit
    replaces exactly `Project` (offsets 11..18), and `fix` writes `#project`."""
    text = "- item\n\t  #Project next\n"
    note, found, fixed = run(text)
    assert [(t.name, note.position(t.start), text[t.start:t.end]) for t in note.markdown.tags] == [
        ("Project", (2, 4), "#Project")]
    [style] = [f for f in found if f.rule == "tag-style"]
    assert (style.line, style.column, style.end_line, style.end_column) == (2, 4, 2, 12)
    assert [(e.start, e.end, e.replacement) for e in style.fix.edits] == [(11, 18, "project")]
    assert fixed == "- item\n\t  #project next\n"
    assert fixed.encode() == b"- item\n\t  #project next\n"


QUOTE_AFTER_TAB = [  # a tag written straight after a `>` whose line prefix holds a tab: (text, line, column)
    ("- x\n\t>#Project next\n", 2, 3),  # a quote inside a tab-indented list item
    (">\t>#Project next\n", 1, 4),  # a quote inside a quote, a tab between the markers
    ("> a\n>\t>#Project next\n", 2, 4),
]


@pytest.mark.parametrize("text, line, col", QUOTE_AFTER_TAB, ids=[repr(t) for t, _, _ in QUOTE_AFTER_TAB])
def test_a_tag_right_after_a_quote_marker_behind_a_tab_is_a_tag(text, line, col):
    """The tab is part of the line's container prefix, so `#Project` starts the quote's content."""
    note, found, fixed = run(text)
    assert [(t.name, note.position(t.start), text[t.start:t.end]) for t in note.markdown.tags] == [
        ("Project", (line, col), "#Project")]
    assert fixed == text.replace("#Project", "#project")


def test_tag_syntax_reports_a_cut_short_tag_after_a_tab_indent_at_its_hash():
    note, found, _ = run("- item\n\t  #node.js and more\n")
    assert [(f.rule, f.line, f.column, f.end_column) for f in found if f.rule == "tag-syntax"] == [
        ("tag-syntax", 2, 4, 12)]


def test_a_quote_continuation_is_fixed_to_exactly_the_new_name():
    """`_ContentMap` picks the content line an offset is in with `bisect_right`: an element at the
    very start of a later content line belongs to that line, not to the end of the one before."""
    for text in ("> first\n> #Project next\n", "> #Project next\n", "- a\n  #Project next\n"):
        note, found, fixed = run(text)
        assert fixed == text.replace("#Project", "#project"), text
    note = Note.from_text("> first\n> #Project next\n")
    [tag] = note.markdown.tags
    assert (note.position(tag.start), note.text[tag.start:tag.end]) == ((2, 3), "#Project")


# --------------------------------------------------------------------------- property

QUOTE, CALLOUT = "> ", "> [!note]"
MARKERS = [QUOTE, CALLOUT, "- ", "* ", "1. ", "1.   ", "1.\t"]
ELEMENTS = ["#Project", "[[x]]", "![](assets/images/a.png)", "![[a.png]]"]
KIND = {"#Project": "tag", "[[x]]": "wikilink", "![](assets/images/a.png)": "image", "![[a.png]]": "embed"}


def _after(text: str, col: int) -> int:
    """The column after writing `text` from column `col` (tabs stop every 4 columns)."""
    for c in text:
        col = (col // 4 + 1) * 4 if c == "\t" else col + 1
    return col


def _indent(draw, col: int, target: int, overshoot: bool) -> str:
    """Spaces and tabs from `col` to `target`; with `overshoot`, a tab may pass it (by up to 3)."""
    style = draw(st.sampled_from(["spaces", "tab-first", "spaces-tab", "tabs"]))
    out = ""
    if style == "spaces-tab" and target - col >= 2:
        out = " " * draw(st.integers(1, target - col - 1))
    if style != "spaces":
        while _after(out + "\t", col) <= target or (overshoot and not out and _after("\t", col) <= target + 3):
            out += "\t"
            if style == "tab-first":
                break
    return out + " " * max(0, target - _after(out, col))


@st.composite
def nested_note(draw):
    """(text, [(kind, start, end, source)] of every element written, newline)."""
    containers = draw(st.lists(st.sampled_from(MARKERS), min_size=1, max_size=4))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    word = draw(st.sampled_from(["item", "研究背景", "数据 data"]))
    lines: list[str] = []
    layout: list[tuple[str, int, int]] = []  # (marker, column of its `>` or marker, content column)

    def prefix(depth: int, overshoot: bool) -> tuple[str, int]:
        """The continuation prefix of the first `depth` containers, and the column it reaches."""
        out, col = "", 0
        for marker, at, content in layout[:depth]:
            if marker in (QUOTE, CALLOUT):
                out += _indent(draw, col, at, False) + ">"
                col = at + 1
        last = layout[depth - 1][2] if depth else 0
        out += _indent(draw, col, last, overshoot)
        return out, _after(out, 0)

    line, col = "", 0
    for marker in containers:
        if line and (layout[-1][0] == CALLOUT or draw(st.booleans())):
            lines.append(line + (word if layout[-1][0] != CALLOUT else draw(st.sampled_from(["", " 标题"]))))
            line, col = prefix(len(layout), False)
        start = col
        line += marker
        col = _after(line, 0)
        layout.append((marker, start, start + 2 if marker in (QUOTE, CALLOUT) else col))
    lines.append(line + (word if layout[-1][0] != CALLOUT else ""))
    placed: list[tuple[str, int, str]] = []  # (kind, line index, column index) of each element
    for _ in range(draw(st.integers(1, 3))):
        lazy = draw(st.one_of(st.none(), st.integers(0, len(layout) - 1)))
        line, _ = prefix(len(layout) if lazy is None else lazy, True)
        first = draw(st.sampled_from(ELEMENTS))
        placed.append((first, len(lines), len(line)))
        line += first
        if draw(st.booleans()):
            line += draw(st.sampled_from([" 研究 ", " and "]))
            second = draw(st.sampled_from(ELEMENTS))
            placed.append((second, len(lines), len(line)))
            line += second
        line += draw(st.sampled_from(["", " tail", " 结束"]))
        lines.append(line)
    text = newline.join(lines) + newline
    starts = [sum(len(x) + len(newline) for x in lines[:i]) for i in range(len(lines))]
    return text, [(KIND[src], starts[i] + c, starts[i] + c + len(src), src) for src, i, c in placed]


def expected_fix(text: str, placed: list) -> str:
    """The text with exactly the intended splices: each tag's name and each dangling destination."""
    out, last = [], 0
    for kind, start, end, src in sorted(placed, key=lambda p: p[1]):
        if kind == "tag":
            out += [text[last:start + 1], "project"]
        elif kind == "image":
            out += [text[last:start + 4], "img/a.png)"]
        else:
            continue
        last = end
    return "".join(out) + text[last:]


@settings(max_examples=examples(150), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(nested_note())
def test_elements_at_the_start_of_nested_continuation_lines_keep_their_spans_and_fixes(case):
    text, placed = case
    note, found, fixed = run(text)
    doc = note.markdown
    got = [("tag", t.start, t.end, text[t.start:t.end]) for t in doc.tags]
    got += [("image", i.start, i.end, text[i.start:i.end]) for i in doc.images]
    got += [("embed" if w.embed else "wikilink", w.start, w.end, text[w.start:w.end]) for w in doc.wikilinks]
    assert sorted(got) == sorted(placed)
    for w in doc.wikilinks:
        assert text[w.target_start:w.target_end] == w.target
    for i in doc.images:
        assert text[i.dest_start:i.dest_end] == "assets/images/a.png"
    want = sorted([("tag-style", *note.position(s), *note.position(e)) for k, s, e, _ in placed if k == "tag"]
                  + [("dangling-image", *note.position(s), *note.position(e)) for k, s, e, _ in placed
                     if k == "image"])
    assert sorted((f.rule, f.line, f.column, f.end_line, f.end_column) for f in found) == want
    assert fixed == expected_fix(text, placed)


def test_a_tabbed_item_in_two_quotes_is_text_as_commonmark_js_reads_it():
    """Found by the property above in CI: in `> > 1.\t> item` / `> >     > #Project` markdown-it
    (notelint's parser before issue 17) read the second line as an indented code block, so
    `#Project` was no tag. commonmark.js and pulldown-cmark (notelint's parser since) read it as
    text in the inner quote, as the generator lays it out, so it is now a tag at the same column,
    found and fixed exactly as when two spaces stand in place of the tab."""
    for text in ("> > 1.\t> item\n> >     > #Project\n", "> > 1.  > item\n> >     > #Project\n"):
        note, found, fixed = run(text)
        assert note.markdown.code_blocks == []
        assert [(note.position(t.start), text[t.start:t.end]) for t in note.markdown.tags] == [((2, 11), "#Project")]
        assert [(f.rule, f.line, f.column) for f in found] == [("tag-style", 2, 11)]
        assert fixed == text.replace("#Project", "#project")
