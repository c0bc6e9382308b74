"""What notelint reads where pulldown-cmark (its parser since issue 17) and markdown-it-py (before)
part ways: each decision of benchmarks/README.md, "Decision", pinned on the note text. Positions
are 1-based line:column in code points, as users see them."""

import time

import pytest

from notelint.note import Note


def note(text: str, flavor: str = "obsidian") -> Note:
    return Note.from_text(text, "t.md", flavor=flavor)


def wikilinks(n: Note) -> list[tuple[str, bool, int, int]]:
    return [(w.target, w.embed, *n.position(w.start)) for w in n.markdown.wikilinks]


# --------------------------------------------------------------------------- definitions


def test_every_definition_of_a_repeated_label_is_listed_and_the_first_one_resolves():
    """pulldown-cmark keeps only the first `[r]:` of a label and makes no event for a definition;
    notelint lists each one, as before, at its own line (in a quote, a list, with a title on the
    next line), and a reference takes the first one's destination, as CommonMark says."""
    text = '![a][r]\n\n[r]: /one.png\n[R]: /two.png\n  "title"\n\n> [r]: /three.png\n- [r]: /four.png\n'
    n = note(text)
    got = [(d.label, d.dest, n.position(d.start), n.position(d.end), text[d.dest_start:d.dest_end])
           for d in n.markdown.definitions]
    assert got == [
        ("r", "/one.png", (3, 1), (3, 14), "/one.png"),
        ("R", "/two.png", (4, 1), (5, 10), "/two.png"),
        ("r", "/three.png", (7, 3), (7, 18), "/three.png"),
        ("r", "/four.png", (8, 3), (8, 17), "/four.png"),
    ]
    [image] = n.markdown.images
    assert (image.src, n.position(image.dest_start)) == ("/one.png", (3, 6))


def test_a_definition_like_line_inside_a_paragraph_or_code_is_no_definition():
    text = "text\n[r]: /in-paragraph.png\n\n```\n[r]: /in-code.png\n```\n\n[r]: /real.png\n[r]: /again.png\n"
    assert [d.dest for d in note(text).markdown.definitions] == ["/real.png", "/again.png"]


# --------------------------------------------------------------------------- wikilinks


@pytest.mark.parametrize(("text", "want", "code_spans"), [
    # the wikilink starts first and keeps the backquote: no code span
    ("[[a `b]]` c\n", [("a `b", False, 1, 1)], 0),
    # the pattern's `]]` is the last of a run of brackets: the target keeps a `]`
    ("[[a]]] [[[b]]\n", [("a]", False, 1, 1), ("[b", False, 1, 8)], 0),
    # a wikilink never spans lines (pulldown-cmark reads `[[a\nb]]` as one)
    ("[[a\nb]] [[c]]\n", [("c", False, 2, 5)], 0),
    ("[see [[a]]](b.md)\n", [("a]", False, 1, 6)], 0),
    # escapes: `\[[` is no wikilink, `\![[` a plain one, `!\[[` none
    ("\\[[a]] \\![[b]] !\\[[c]]\n", [("b", False, 1, 10)], 0),
    ("x ![[i.png]] `[[code]]`\n", [("i.png", True, 1, 3)], 1),
])
def test_wikilinks_are_read_by_notelints_own_pattern_as_before(text, want, code_spans):
    n = note(text)
    assert wikilinks(n) == want
    assert len(n.markdown.code_spans) == code_spans


def test_an_unescaped_pipe_in_a_table_ends_the_cell_and_so_the_wikilink():
    n = note("| a | b | c |\n|---|---|---|\n| [[n|al]] | [[m\\|al]] |\n")
    assert [(w.target, w.alias, n.position(w.start)) for w in n.markdown.wikilinks] == [("m", "al", (3, 14))]


def test_a_hash_inside_a_wikilink_is_its_heading_and_a_tag_after_a_broken_one_is_found():
    n = note("[[a #h]] [[b\n#t]]\n")
    assert [(w.target, w.heading) for w in n.markdown.wikilinks] == [("a", "h")]
    assert [(t.name, *n.position(t.start)) for t in n.markdown.tags] == [("t", 2, 1)]


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize("text", [
    ">" * 10_000 + " x #deep [l](y.md)\n\nafter #after\n",
    "- " * 10_000 + "x #deep [l](y.md)\n\nafter #after\n",
    "> - " * 5_000 + "x #deep [l](y.md)\n\nafter #after\n",
])
def test_ten_thousand_nested_quotes_or_lists_parse_fast_and_keep_their_tags_and_links(text):
    """markdown-it recursed per level and stopped at 100, so notelint read lines past 96 levels as
    text; pulldown-cmark nests without recursion in Python and notelint's walk is one loop, so the
    blocks keep their real depth and nothing is lost."""
    start = time.perf_counter()
    n = note(text)
    doc = n.markdown
    assert time.perf_counter() - start < 5
    col = text.index("#deep") + 1
    assert [(t.name, *n.position(t.start)) for t in doc.tags] == [("deep", 1, col), ("after", 3, 7)]
    assert [(link.dest, *n.position(link.start)) for link in doc.links] == [("y.md", 1, text.index("[l]") + 1)]
    assert max(b.depth for b in doc.blocks) == (5_000 if text.startswith("> -") else 10_000)


@pytest.mark.parametrize("text", [
    "[" * 10_000 + "a" + "](x)" * 10_000 + " #t\n",
    "*a _" * 10_000 + "x" + "_ a*" * 10_000 + " #t\n",
    "[[" * 5_000 + "x\n" + "[" * 20_000 + " #t\n",
    "|" + "[[x]]|" * 5_000 + "\n|" + "-|" * 5_000 + "\n",
])
def test_deeply_nested_or_long_inline_markup_parses_in_linear_time(text):
    start = time.perf_counter()
    note(text).markdown
    assert time.perf_counter() - start < 3


# --------------------------------------------------------------------------- line breaks, alt text


def test_a_lone_cr_ends_an_html_comment_line_as_lf_does():
    """pulldown-cmark does not end an HTML block's line at a lone CR (the comment would swallow
    the note); notelint hands it each lone CR as LF, same length, and keeps the note's bytes."""
    text = "<!-- c -->\rtext #t\r[[n]]\r"
    n = note(text)
    assert n.text == text
    assert [(c.kind, n.position(c.start), n.position(c.end)) for c in n.markdown.comments] == [("html", (1, 1), (1, 11))]
    assert [(t.name, *n.position(t.start)) for t in n.markdown.tags] == [("t", 2, 6)]
    assert wikilinks(n) == [("n", False, 3, 1)]


def test_image_alt_text_keeps_the_hash_of_a_tag_and_the_tag_in_it_is_no_tag():
    """markdown-it's tag token lost its `#` in the alt (`alt t`); pulldown-cmark's text is the
    alt as written. A tag inside alt text is not one: it is not shown as a tag."""
    n = note("![alt #t](x.png) #real\n")
    assert [i.alt for i in n.markdown.images] == ["alt #t"]
    assert [t.name for t in n.markdown.tags] == ["real"]


# --------------------------------------------------------------------------- as markdown-it gave them


def test_a_fence_info_string_is_as_written():
    n = note("```py \\_x {.a}\ncode\n```\n")
    assert [(c.fenced, c.info) for c in n.markdown.code_blocks] == [(True, "py \\_x {.a}")]


def test_headings_keep_their_text_without_closing_sequences_or_container_prefixes():
    n = note("# a # \t\n\n# # \t\n\n> one\n> two\n> ---\n\n> #x\n> ---\n")
    got = [(h.level, h.text, h.plain, n.position(h.start)) for h in n.markdown.headings]
    assert got == [(1, "a", "a", (1, 1)), (1, "", "", (3, 1)), (2, "one\ntwo", "one two", (5, 1)),
                   (2, "#x", "#x", (9, 1))]


@pytest.mark.parametrize(("text", "want"), [
    (">#t\n", [("t", 1, 2)]),  # after a quote marker a tag starts its line's content
    ("ab\n>#t\n", [("t", 2, 2)]),
    ("x\n\n>#t", [("t", 3, 2)]),
    ("*#no*\n", []),  # after emphasis, an inline HTML tag or a word it does not
    ("<aX>#no\n", []),
])
def test_a_tag_right_after_a_quote_marker_is_one_and_right_after_markup_is_none(text, want):
    n = note(text)
    assert [(t.name, *n.position(t.start)) for t in n.markdown.tags] == want


@pytest.mark.parametrize(("text", "want"), [
    ("- a\n- [r]: /x.png\n\n![i][r]\n", [("/x.png", 2, 3)]),  # the item right after a paragraph
    ("[r]: /x.png\n\n```\nc\n```\n", [("/x.png", 1, 1)]),  # before a code block
    ("```\nc\n```\n[r]: /x.png\n", [("/x.png", 4, 1)]),  # right after one
    ("# h\n[r]: /x.png\n", [("/x.png", 2, 1)]),  # right after a heading
    ("[r]: /x.png is here\n---\n\n[s]: /y.png\n", [("/y.png", 4, 1)]),  # a setext heading is none
    ("| a | b |\n|---|---|\n[r]: /x.png | y\n\n[s]: /real.png\n", [("/real.png", 5, 1)]),  # a table row is none
])
def test_definitions_are_found_next_to_every_kind_of_block_and_never_inside_one(text, want):
    n = note(text)
    assert [(d.dest, *n.position(d.start)) for d in n.markdown.definitions] == want


def test_a_definition_ends_where_its_title_ends_and_a_repeat_at_the_end_of_the_note_is_read():
    n = note('[r]: /x "a\nb"\n[r]: /y\n')
    assert [(d.dest, n.position(d.start), n.position(d.end)) for d in n.markdown.definitions] == [
        ("/x", (1, 1), (2, 3)), ("/y", (3, 1), (3, 8))]
    n = note("[r]: /a\n[r]: /b")
    assert [(d.dest, n.position(d.end)) for d in n.markdown.definitions] == [("/a", (1, 8)), ("/b", (2, 8))]


@pytest.mark.parametrize(("text", "want"), [
    # (level, text, start, end, text start, text end) of the one heading, as markdown-it gave them
    ("- a\nXb\n  ---\n", (2, "a\nXb", (1, 1), (3, 6), (1, 3), (2, 3))),
    ("> one\n two\n> ---\n", (2, "one\n two", (1, 1), (3, 6), (1, 3), (2, 5))),
    ("> one\n>  two\n> ---\n", (2, "one\n two", (1, 1), (3, 6), (1, 3), (2, 7))),
    ("x\n\none\n  two\n---\n", (2, "one\n  two", (3, 1), (5, 4), (3, 1), (4, 6))),
    ("Title\n===", (1, "Title", (1, 1), (2, 4), (1, 1), (1, 6))),
    ("# #x\n", (1, "#x", (1, 1), (1, 5), (1, 3), (1, 5))),
    ("## ##\n", (2, "", (1, 1), (1, 6), (1, 6), (1, 6))),
    ("# a\u3000\n", (1, "a", (1, 1), (1, 5), (1, 3), (1, 4))),
    ("# aX\n", (1, "aX", (1, 1), (1, 5), (1, 3), (1, 5))),
    ("a\n\n#", (1, "", (3, 1), (3, 2), (3, 2), (3, 2))),
    ("> # q\n", (1, "q", (1, 3), (1, 6), (1, 5), (1, 6))),
    # setext headings over several lines: each later line without its container prefix, a lazy line as written
    ("> a\nlazy\n> c\n> ===\n", (1, "a\nlazy\nc", (1, 1), (4, 6), (1, 3), (3, 4))),  # a quoted line after a lazy one
    ("> a\n>b\n> ===\n", (1, "a\nb", (1, 1), (3, 6), (1, 3), (2, 3))),  # a quote marker without its space
    ("> a\n >b\n> ===\n", (1, "a\nb", (1, 1), (3, 6), (1, 3), (2, 4))),  # a space before the marker
    ("> a\n  \u00a0> b\n> ===\n", (1, "a\n  \u00a0> b", (1, 1), (3, 6), (1, 3), (2, 7))),  # no-break space: a lazy line
    ("> a\n  X> b\n> ===\n", (1, "a\n  X> b", (1, 1), (3, 6), (1, 3), (2, 7))),  # a lazy line
    ("- a\n  b\n  ---", (2, "a\nb", (1, 1), (3, 6), (1, 3), (2, 4))),  # a list item is no quote
    ("a\n=", (1, "a", (1, 1), (2, 2), (1, 1), (1, 2))),  # an underline ending the note without a line break
    ("a\nb\n=", (1, "a\nb", (1, 1), (3, 2), (1, 1), (2, 2))),
    ("# a #\u3000\n", (1, "a #", (1, 1), (1, 7), (1, 3), (1, 6))),  # only spaces and tabs may follow a closing `#`
])
def test_heading_spans_and_text_are_as_markdown_it_gave_them(text, want):
    n = note(text)
    [h] = n.markdown.headings
    got = (h.level, h.text, n.position(h.start), n.position(h.end), n.position(h.text_start), n.position(h.text_end))
    assert got == want


def test_an_unclosed_fence_at_the_end_of_the_note_has_an_empty_info_string():
    n = note("a\n\n```")
    assert [(c.fenced, c.info, c.first_line, c.last_line) for c in n.markdown.code_blocks] == [(True, "", 2, 2)]
