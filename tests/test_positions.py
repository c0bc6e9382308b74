"""Positions of every Markdown element, pinned on one fixture with nested lists, blockquotes, a
table, CJK text, code, comments and URLs; then the same file with CRLF, lone CR and a BOM must
give the same lines and columns (1-based, in code points)."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import FIXTURES, examples
from notelint.note import Note

FIXTURE = FIXTURES / "positions" / "everything.md"

# (kind, line, column, what the source holds at that position)
EXPECTED = [
    ("heading", 6, 1, "# Heading with #htag"),
    ("tag", 6, 16, "#htag"),
    ("tag", 8, 16, "#para-tag"),
    ("image", 8, 30, '![inline](img/a.png "A title")'),
    ("image-dest", 8, 40, "img/a.png"),
    ("wikilink", 8, 66, "[[Note A]]"),
    ("wikilink-target", 8, 68, "Note A"),
    ("tag", 10, 13, "#l1"),
    ("image", 11, 15, "![two](<img/with space.png>)"),
    ("image-dest", 11, 22, "<img/with space.png>"),
    ("wikilink", 12, 19, "[[Note B#Section|alias]]"),
    ("wikilink-target", 12, 21, "Note B"),
    ("embed", 12, 48, "![[deep.png|300]]"),
    ("wikilink-target", 12, 51, "deep.png"),
    ("tag", 13, 22, "#l3cont"),
    ("tag", 15, 9, "#q1"),
    ("image", 16, 18, "![q2](img/q2.png)"),
    ("image-dest", 16, 24, "img/q2.png"),
    ("tag", 17, 21, "#q3"),
    ("tag", 19, 9, "#自动驾驶"),
    ("image", 19, 19, "![图](assets/images/图.png)"),
    ("image-dest", 19, 24, "assets/images/图.png"),
    ("tag", 19, 47, "#尾巴"),
    ("tag", 23, 8, "#cell"),
    ("code-span", 25, 11, "`#code`"),
    ("link", 26, 8, "<https://x.com/#auto>"),
    ("link", 26, 30, "[t](http://x.org/#frag)"),
    ("image", 26, 54, "![ref image][logo]"),
    ("image-dest", 39, 9, "img/logo.png"),  # a reference image's destination is in its definition
    ("comment", 28, 1, "<!-- #hidden ![h](hidden.png) -->"),
    ("comment", 29, 1, "%% #obsidian-hidden ![[hidden.png]] %%"),
    ("image", 31, 1, '<img src="img/html.png" alt="html">'),
    ("image-dest", 31, 11, "img/html.png"),
    ("code-block", 33, 1, "```python"),
    ("code-block", 37, 1, "    indented #nottag"),
    ("definition", 39, 1, '[logo]: img/logo.png "Logo"'),
    # table rows with escaped pipes `\\|`: markdown-it drops each `\\`, and nothing after it may move
    ("wikilink", 43, 3, "[[Note C\\|C]]"),
    ("wikilink-target", 43, 5, "Note C"),
    ("tag", 43, 22, "#t1"),
    ("image", 43, 28, "![e](img/e.png)"),
    ("image-dest", 43, 33, "img/e.png"),
    ("wikilink", 43, 48, "[[Note D#Part\\|D]]"),
    ("wikilink-target", 43, 50, "Note D"),
    ("code-span", 43, 67, "`x\\|y`"),
    ("tag", 43, 74, "#t2"),
    ("wikilink", 44, 8, "[[图表\\|图]]"),
    ("wikilink-target", 44, 10, "图表"),
    ("embed", 44, 20, "![[pic.png\\|200]]"),
    ("wikilink-target", 44, 23, "pic.png"),
    ("link", 44, 38, "<https://e.com/>"),
    ("link", 44, 55, "[t](d.md)"),
    ("wikilink", 48, 10, "[[Q\\|q]]"),
    ("wikilink-target", 48, 12, "Q"),
    ("link", 48, 21, "[l](q.md)"),
    ("tag", 48, 31, "#qt"),
    ("image", 53, 13, "![li](img/li.png)"),
    ("image-dest", 53, 19, "img/li.png"),
    ("wikilink", 53, 33, "[[L\\|l]]"),
    ("wikilink-target", 53, 35, "L"),
    ("tag", 53, 42, "#lt"),
]

# (kind, line, column, depth)
EXPECTED_BLOCKS = [
    ("list_item", 10, 1, 1),
    ("list_item", 11, 1, 2),
    ("list_item", 12, 1, 3),
    ("blockquote", 15, 1, 1),
    ("blockquote", 16, 1, 2),
    ("list_item", 17, 1, 1),
    ("table", 21, 1, 0),
    ("table", 41, 1, 0),
    ("blockquote", 46, 1, 1),
    ("table", 46, 1, 0),
    ("list_item", 50, 1, 1),
    ("table", 51, 1, 1),
]


def elements(note: Note) -> list[tuple[str, int, int]]:
    """Every element as (kind, line, column), sorted by position."""
    doc = note.markdown
    found = []

    def add(kind, offset):
        found.append((kind, *note.position(offset)))

    for h in doc.headings:
        add("heading", h.start)
    for t in doc.tags:
        add("tag", t.start)
    for i in doc.images:
        add("image", i.start)
        add("image-dest", i.dest_start)
    for w in doc.wikilinks:
        add("embed" if w.embed else "wikilink", w.start)
        add("wikilink-target", w.target_start)
    for link in doc.links:
        add("link", link.start)
    for c in doc.code_spans:
        add("code-span", c.start)
    for c in doc.comments:
        add("comment", c.start)
    for c in doc.code_blocks:
        add("code-block", c.start)
    for d in doc.definitions:
        add("definition", d.start)
    return sorted(found, key=lambda e: (e[1], e[2], e[0]))


def load(data: bytes, flavor: str = "obsidian") -> Note:
    return Note.from_bytes(Path("everything.md"), "everything.md", data, flavor)


def lf_bytes() -> bytes:
    data = FIXTURE.read_bytes()
    assert b"\r" not in data, "the fixture is kept with LF endings (see .gitattributes)"
    return data


def test_every_element_is_at_its_pinned_position():
    note = load(lf_bytes())
    expected = sorted(((k, line, col) for k, line, col, _ in EXPECTED), key=lambda e: (e[1], e[2], e[0]))
    assert elements(note) == expected


def test_the_pinned_positions_hold_what_they_claim():
    """Guards the table above: each (line, column) really is where the snippet starts."""
    lines = lf_bytes().decode("utf-8").split("\n")
    for kind, line, col, snippet in EXPECTED:
        assert lines[line - 1][col - 1:].startswith(snippet), (kind, line, col, snippet)


def test_block_positions_and_nesting_depth():
    note = load(lf_bytes())
    got = [(b.kind, *note.position(b.start), b.depth) for b in note.markdown.blocks
           if b.kind in {"list_item", "blockquote", "table"}]
    assert [(k, line, depth) for k, line, _, depth in got] == [(k, line, depth) for k, line, _, depth in EXPECTED_BLOCKS]
    assert all(col == 1 for _, _, col, _ in got)


def test_element_spans_cover_exactly_their_source():
    note = load(lf_bytes())
    doc = note.markdown
    assert [note.text[t.start:t.end] for t in doc.tags] == ["#" + t.name for t in doc.tags]
    assert all(note.text[w.target_start:w.target_end] == w.target for w in doc.wikilinks)
    for image in doc.images:
        raw = note.text[image.dest_start:image.dest_end]
        assert raw.strip("<>") == image.src
    heading = doc.headings[0]
    assert note.text[heading.text_start:heading.text_end] == "Heading with #htag"


def test_nothing_is_found_in_code_comments_urls_or_escapes():
    doc = load(lf_bytes()).markdown
    names = {t.name for t in doc.tags}
    assert names == {"htag", "para-tag", "l1", "l3cont", "q1", "q3", "自动驾驶", "尾巴", "cell", "t1", "t2", "qt", "lt"}
    srcs = {i.src for i in doc.images}
    assert not srcs & {"code.png", "indented.png", "hidden.png"}
    assert {w.target for w in doc.wikilinks} == {"Note A", "Note B", "deep.png", "Note C", "Note D", "图表", "pic.png",
                                                 "Q", "L"}
    assert [h.text for h in doc.headings] == ["Heading with #htag"]


def element_spans(note: Note) -> list[tuple[str, int, int, str]]:
    """Every element as (kind, line, column, the exact source text of its span)."""
    doc, text = note.markdown, note.text
    found = []

    def add(kind, start, end):
        found.append((kind, *note.position(start), text[start:end]))

    for t in doc.tags:
        add("tag", t.start, t.end)
    for i in doc.images:
        add("image", i.start, i.end)
        if i.dest_start >= 0:
            add("image-dest", i.dest_start, i.dest_end)
    for w in doc.wikilinks:
        add("embed" if w.embed else "wikilink", w.start, w.end)
        add("wikilink-target", w.target_start, w.target_end)
        if w.heading is not None:
            add("wikilink-heading", w.heading_start, w.heading_start + len(w.heading))
    for link in doc.links:
        add("link", link.start, link.end)
    for c in doc.code_spans:
        add("code-span", c.start, c.end)
    return sorted(found, key=lambda e: (e[1], e[2], e[0]))


def test_escaped_pipes_in_table_rows_keep_starts_and_ends():
    """Each span in a table row after N escaped pipes covers exactly its source, end included
    (a relink splices `target_start:target_end`); the wikilink `\\|` is the alias separator."""
    note = load(lf_bytes())
    got = [e for e in element_spans(note) if e[1] >= 41]
    pinned = [(k, line, col, snippet) for k, line, col, snippet in EXPECTED if line >= 41]
    pinned.append(("wikilink-heading", 43, 57, "Part"))
    assert got == sorted(pinned, key=lambda e: (e[1], e[2], e[0]))
    by_target = {w.target: (w.alias, w.heading) for w in note.markdown.wikilinks}
    assert by_target["Note C"] == ("C", None)
    assert by_target["Note D"] == ("D", "Part")
    assert by_target["pic.png"] == ("200", None)


def test_escaped_pipe_wikilink_outside_a_table_is_read_like_inside():
    """`[[note\\|alias]]` in a paragraph: the backslash is not part of the target (Obsidian help,
    Advanced formatting syntax); Dendron's order is `alias|target`."""
    note = Note.from_text("See [[Note\\|alias]] and [[a#H\\|b]].\n", "p.md")
    got = [(w.target, w.alias, w.heading, note.text[w.target_start:w.target_end]) for w in note.markdown.wikilinks]
    assert got == [("Note", "alias", None, "Note"), ("a", "b", "H", "a")]
    dendron = Note.from_text("| a |\n| - |\n| [[Alias\\|dendron.note]] |\n", "d.md", flavor="dendron")
    link = dendron.markdown.wikilinks[0]
    assert (link.target, link.alias, dendron.text[link.target_start:link.target_end]) == (
        "dendron.note", "Alias", "dendron.note")


# --------------------------------------------------------------------------- property: table rows

_NAME = st.text(alphabet="abcxyz图表", min_size=1, max_size=4)
_ESCAPED_WORD = st.lists(_NAME, min_size=1, max_size=3).map("\\|".join)  # `a\|b\|c`


@st.composite
def _piece(draw) -> tuple[str | None, str]:
    """(kind of the element it makes, or None for plain text; its source text)."""
    kind = draw(st.sampled_from(["text", "tag", "wikilink", "embed", "image", "link", "code"]))
    if kind == "text":
        return None, draw(_ESCAPED_WORD)
    if kind == "tag":
        return "tag", "#" + draw(st.text(alphabet="abcxyz", min_size=1, max_size=5))
    if kind in ("wikilink", "embed"):
        inner = draw(_NAME) + draw(st.sampled_from(["", "#" + draw(_NAME)]))
        inner += draw(st.sampled_from(["", "\\|" + draw(_NAME)]))
        return kind, ("!" if kind == "embed" else "") + f"[[{inner}]]"
    if kind == "image":
        return "image", f"![{draw(_NAME)}](img/{draw(_NAME)}.png)"
    if kind == "link":
        return "link", f"[{draw(_NAME)}]({draw(_NAME)}.md)"
    return "code-span", f"`{draw(_ESCAPED_WORD)}`"


@st.composite
def _table_note(draw) -> tuple[str, list[tuple[str, int, str]]]:
    """A note holding one table row of generated cells, in a container, with its elements'
    (kind, offset, source text)."""
    cells = draw(st.lists(st.lists(_piece(), min_size=1, max_size=4), min_size=1, max_size=4))
    prefix, opener = draw(st.sampled_from([("", ""), ("> ", ""), ("> > ", ""), ("  ", "- item\n")]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lead, trail = draw(st.booleans()), draw(st.booleans())
    n = len(cells)
    head = opener + prefix + "| " + " | ".join(f"h{i}" for i in range(n)) + " |\n"
    head += prefix + "| " + " | ".join("---" for _ in range(n)) + " |\n"
    head = "Before 研究\n\n" + head
    row = prefix + ("| " if lead or n == 1 else "")
    expected = []
    for i, cell in enumerate(cells):
        if i:
            row += " | "
        for j, (kind, src) in enumerate(cell):
            if j:
                row += " "
            if kind is not None:
                expected.append((kind, len(head) + len(row), src))
            row += src
    row += " |" if trail or n == 1 else ""
    text = (head + row + "\nafter\n").replace("\n", newline)
    shift = newline.count("\r")  # CRLF: each line break before the row is one character longer
    breaks = head.count("\n")
    return text, [(k, off + shift * breaks, src) for k, off, src in expected]


@settings(max_examples=examples(300), deadline=None)
@given(_table_note())
def test_every_element_of_a_table_row_with_escaped_pipes_spans_its_source(case):
    text, expected = case
    note = Note.from_text(text, "row.md")
    doc = note.markdown
    got = [(t.start, "tag", text[t.start:t.end]) for t in doc.tags]
    got += [(i.start, "image", text[i.start:i.end]) for i in doc.images]
    got += [(w.start, "embed" if w.embed else "wikilink", text[w.start:w.end]) for w in doc.wikilinks]
    got += [(x.start, "link", text[x.start:x.end]) for x in doc.links]
    got += [(c.start, "code-span", text[c.start:c.end]) for c in doc.code_spans]
    assert sorted(got) == sorted((off, kind, src) for kind, off, src in expected)
    for w in doc.wikilinks:  # the target and heading spans hold exactly what was parsed
        assert text[w.target_start:w.target_end] == w.target
        assert "\\" not in w.target
        if w.heading is not None:
            assert text[w.heading_start:w.heading_start + len(w.heading)] == w.heading


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
def test_line_endings_and_bom_do_not_move_anything(newline, bom):
    reference = elements(load(lf_bytes()))
    data = lf_bytes().replace(b"\n", newline.encode())
    if bom:
        data = b"\xef\xbb\xbf" + data
    note = load(data)
    assert note.bom == bom
    assert elements(note) == reference


def test_mixed_line_endings_count_each_break_once():
    text = "a #one\r\nb #two\rc #three\nd #four\n"
    note = Note.from_text(text, "mixed.md")
    assert [(t.name, *note.position(t.start)) for t in note.markdown.tags] == [
        ("one", 1, 3), ("two", 2, 3), ("three", 3, 3), ("four", 4, 3)]


def test_deep_nesting_keeps_columns():
    text = "".join("  " * d + f"- d{d} #t{d}\n" for d in range(12)) + "> " * 6 + "deep #q\n"
    note = Note.from_text(text, "deep.md")
    got = [(t.name, *note.position(t.start)) for t in note.markdown.tags]
    assert got == [(f"t{d}", d + 1, 2 * d + 6 + len(str(d)) - 1) for d in range(12)] + [("q", 13, 18)]


def test_astral_characters_count_as_one_column():
    note = Note.from_text("😀𝓐 #emoji ![x](a.png)\n", "astral.md")
    assert note.position(note.markdown.tags[0].start) == (1, 4)
    assert note.position(note.markdown.images[0].start) == (1, 11)


def test_dendron_tags_follow_dendrons_grammar():
    # `」` is in Dendron's PUNCTUATION_MARKS and ends a tag; `。` is not (tests/test_tags_grammar.py)
    text = "---\nid: x\n---\nDendron #a.b #GPT-4 #tag」end #c++ #x/y, #1abc #.no\n- [[alias|target.note]] #自动驾驶\n"
    note = Note.from_text(text, "x.md", flavor="dendron")
    assert [(t.name, *note.position(t.start)) for t in note.markdown.tags] == [
        ("a.b", 4, 9), ("GPT-4", 4, 14), ("tag", 4, 21), ("c++", 4, 30), ("x/y", 4, 35), ("自动驾驶", 5, 25)]
    link = note.markdown.wikilinks[0]
    assert (link.target, link.alias, note.position(link.target_start)) == ("target.note", "alias", (5, 11))


def test_obsidian_tags_follow_obsidians_grammar():
    text = "Obsidian #a.b #GPT-4 #c++ #1abc #123 #x/y\n"
    note = Note.from_text(text, "x.md", flavor="obsidian")
    assert [(t.name, *note.position(t.start)) for t in note.markdown.tags] == [
        ("a", 1, 10), ("GPT-4", 1, 15), ("c", 1, 22), ("1abc", 1, 27), ("x/y", 1, 38)]


def test_findings_point_into_crlf_and_cjk_lines():
    """End to end through a rule: trailing whitespace after CJK text in a CRLF file."""
    from notelint.engine import check_note
    from notelint.registry import lookup

    note = Note.from_bytes(Path("c.md"), "c.md", "- 研究背景：数据  \r\n  - 嵌套 \t\r\n".encode(), "obsidian")
    rule = lookup("whitespace")(None, "obsidian")
    got = [(f.line, f.column) for f in check_note(note, [rule], vault=_NoConfigVault())]
    assert got == [(2, 7)]  # the two-space hard break on line 1 is kept; line 2's " \t" starts at col 7


class _NoConfigVault:
    class config:  # noqa: N801 - stands in for Vault.config
        @staticmethod
        def ignored_for(rel):
            return set()


# --------------------------------------------------------------------------- the line table


def test_line_table_offset_is_the_inverse_of_position():
    """`Lines.offset(line, column)` (where templates and the HTML report turn a finding back into
    text) gives the offset `position` came from, with `\\r\\n`, `\\r` and `\\n` each one break."""
    text = "ab\r\ncd\ref\n\n€x"
    lines = Note.from_text(text).lines
    assert [lines.offset(*lines.position(o)) for o in range(len(text) + 1)] == list(range(len(text) + 1))
    assert [lines.offset(line, 1) for line in range(1, 6)] == [0, 4, 7, 10, 11]
    assert lines.offset(5, 2) == 12 and lines.offset(1, 3) == 2


def test_a_blank_line_holds_only_spaces_and_tabs():
    """A form feed, a no-break space or any other character makes a line not blank (the unused-
    suppression fix and the baseline take runs of blank lines with a removed comment)."""
    text = "a\n \t\n\n\f\n\u00a0\nXX\n\u3000\n"
    lines = Note.from_text(text).lines
    assert [lines.blank(i) for i in range(len(lines))] == [False, True, True, False, False, False, False, True]
