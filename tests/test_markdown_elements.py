"""Elements of notelint.markdown that the fixture of test_positions.py does not reach: tags next
to words, emphasis and long lines; comments and `<img>` tags inside HTML blocks; the rendered text
of headings; angle-bracket definitions; the verbatim lines. Positions are 1-based line:column in
code points, as users see them."""

import pytest

from notelint.note import Note


def note(text: str, flavor: str = "obsidian") -> Note:
    return Note.from_text(text, "t.md", flavor=flavor)


def tags(n: Note) -> list[tuple[str, int, int]]:
    return [(t.name, *n.position(t.start)) for t in n.markdown.tags]


# --------------------------------------------------------------------------- tags


@pytest.mark.parametrize("flavor", ["obsidian", "dendron"])
def test_a_hash_one_character_after_a_word_is_no_tag(flavor):
    assert tags(note("a#b #c\n", flavor)) == [("c", 1, 5)]


def test_emphasis_around_a_tag_still_closes_in_a_heading_and_the_tag_keeps_its_column():
    n = note("# *a #tag b* c\n")
    assert n.markdown.headings[0].plain == "a #tag b c"
    assert tags(n) == [("tag", 1, 6)]


def test_every_tag_of_a_line_with_a_hundred_and_twenty_tags_is_found_and_what_follows_too():
    line = " ".join(f"#t{i}" for i in range(120)) + " [x](y.png)\n"
    n = note(line)
    found = tags(n)
    assert len(found) == 120
    assert found[-1] == ("t119", 1, line.index("#t119") + 1)
    assert [(link.dest, *n.position(link.start)) for link in n.markdown.links] == [("y.png", 1, line.index("[x]") + 1)]


@pytest.mark.parametrize("flavor", ["obsidian", "dendron"])
def test_an_all_digit_hash_is_skipped_as_text_and_the_tags_after_it_are_found(flavor):
    assert tags(note("#1984 and #y1984\n", flavor)) == [("y1984", 1, 11)]


def test_dendron_tags_are_read_with_dendrons_grammar_in_the_parsed_note():
    assert tags(note("x #a.b #c++\n", "dendron")) == [("a.b", 1, 3), ("c++", 1, 8)]
    assert tags(note("x #a.b #c++\n", "obsidian")) == [("a", 1, 3), ("c", 1, 8)]


def test_a_tag_thirty_block_quotes_deep_is_found_at_its_column():
    # markdown-it's default nesting limit for CommonMark is 20; notelint's parser allows 100
    n = note("> " * 30 + "deep #q\n\nafter #r\n")
    assert tags(n) == [("q", 1, 66), ("r", 3, 7)]
    assert [b.depth for b in n.markdown.blocks if b.kind == "blockquote"] == list(range(1, 31))


# --------------------------------------------------------------------------- HTML blocks

HTML_NOTE = (
    "intro\n"
    "\n"
    "<div>\n"
    "<!-- <img src=\"hidden.png\"> --><img src=a.png alt='single'>\n"
    "<img src=\"b.png\" alt=\"\">\n"
    "<img src='c.png'>\n"
    "<img alt=\"dq\" src=\"d.png\">\n"
    "</div>\n"
)


def test_a_comment_inside_an_html_block_has_its_own_span_kind_and_body():
    n = note(HTML_NOTE)
    assert [(c.kind, n.position(c.start), n.position(c.end), c.body) for c in n.markdown.comments] == [
        ("html", (4, 1), (4, 32), ' <img src="hidden.png"> ')]


def test_img_tags_in_an_html_block_give_src_alt_and_exact_positions_whatever_the_quoting():
    """Unquoted, double- and single-quoted `src`; `alt` single-quoted, empty, missing and before
    `src`; an image right after a comment, and one commented out before it (not an image)."""
    n = note(HTML_NOTE)
    got = [(i.syntax, i.src, i.alt, n.position(i.start), n.position(i.end), n.position(i.dest_start),
            n.text[i.dest_start:i.dest_end]) for i in n.markdown.images]
    assert got == [
        ("html", "a.png", "single", (4, 32), (4, 60), (4, 41), "a.png"),
        ("html", "b.png", "", (5, 1), (5, 25), (5, 11), "b.png"),
        ("html", "c.png", "", (6, 1), (6, 18), (6, 11), "c.png"),
        ("html", "d.png", "dq", (7, 1), (7, 27), (7, 20), "d.png"),
    ]


def test_an_unclosed_html_comment_hides_everything_to_the_end_of_the_note():
    n = note("intro #a\n\n<!-- open\nmore #x\n")
    assert [(c.kind, n.position(c.start), n.position(c.end), c.body) for c in n.markdown.comments] == [
        ("html", (3, 1), (4, 8), " open\nmore #x")]
    assert tags(n) == [("a", 1, 7)]


# --------------------------------------------------------------------------- headings as rendered


def test_a_heading_reads_image_alt_text_and_each_line_break_as_one_space():
    # setext heading over three lines: a soft break, then a hard break (`\` at the end of a line)
    n = note("See ![the *big* logo](x.png)\nnext\\\nlast\n===\n")
    h = n.markdown.headings[0]
    assert (h.plain, h.plain_targets) == ("See the big logo next last", "See the big logo next last")


def test_a_dendron_heading_shows_a_wikilink_by_its_alias_and_targets_by_its_target():
    h = note("# See [[Alias|some.note]]\n", "dendron").markdown.headings[0]
    assert (h.plain, h.plain_targets) == ("See Alias", "See some.note")


# --------------------------------------------------------------------------- definitions


def test_a_definition_destination_loses_its_angle_brackets_only_when_it_has_both():
    n = note("![a][one] ![b][two]\n\n[one]: <img/my logo.png>\n[two]: img/x.png>\n")
    assert [(d.label, d.dest, n.position(d.start), n.position(d.end), n.position(d.dest_start),
             n.text[d.dest_start:d.dest_end]) for d in n.markdown.definitions] == [
        ("one", "img/my logo.png", (3, 1), (3, 25), (3, 9), "img/my logo.png"),
        ("two", "img/x.png>", (4, 1), (4, 18), (4, 8), "img/x.png>"),
    ]
    assert [(i.src, n.position(i.dest_start)) for i in n.markdown.images] == [
        ("img/my logo.png", (3, 9)), ("img/x.png>", (4, 8))]


# --------------------------------------------------------------------------- verbatim lines


def test_verbatim_lines_are_exactly_the_lines_of_code_and_html_blocks():
    n = note("a\n\n```\ncode\n```\nafter\n\n<div>\nx\ny\n</div>\n\nz\n")
    assert n.markdown.verbatim_lines() == {2, 3, 4, 7, 8, 9, 10}


def test_a_definition_in_a_block_quote_with_its_destination_on_the_next_line_skips_the_markers():
    # was: the next line's `>` read as the destination, and `![x][a]` reported dangling as `>`
    n = note("![x][a] ![y][b]\n\n> [a]:\n> img/a.png\n\n> > [b]:\n> >   <img/b c.png>\n")
    assert [(d.label, d.dest, n.position(d.dest_start), n.text[d.dest_start:d.dest_end])
            for d in n.markdown.definitions] == [
        ("a", "img/a.png", (4, 3), "img/a.png"), ("b", "img/b c.png", (7, 8), "img/b c.png")]
    assert [i.src for i in n.markdown.images] == ["img/a.png", "img/b c.png"]
