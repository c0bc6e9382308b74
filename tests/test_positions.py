"""Positions of every Markdown element, pinned on one fixture with nested lists, blockquotes, a
table, CJK text, code, comments and URLs; then the same file with CRLF, lone CR and a BOM must
give the same lines and columns (1-based, in code points)."""

from pathlib import Path

import pytest

from helpers import FIXTURES
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
    assert names == {"htag", "para-tag", "l1", "l3cont", "q1", "q3", "自动驾驶", "尾巴", "cell"}
    srcs = {i.src for i in doc.images}
    assert not srcs & {"code.png", "indented.png", "hidden.png"}
    assert {w.target for w in doc.wikilinks} == {"Note A", "Note B", "deep.png"}
    assert [h.text for h in doc.headings] == ["Heading with #htag"]


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
