"""`%%` and `<!--` inside code start no comment: the elements written after them, on later lines,
are still found, at their exact positions. Obsidian's help ("Basic formatting syntax", Comments, and
Code) treats code spans and code blocks as literal text, so comment markers in them are text too."""

import pytest

from notelint.note import Note

AFTER = "next #t1 [[w1]] ![](i.png)"  # on the line after the marker: tag 6, wikilink 10, image 17
AFTER_SPANS = [("tag", 6, "#t1"), ("wikilink", 10, "[[w1]]"), ("image", 17, "![](i.png)")]

CASES = {
    "code span %%": ("a `%%` b\n", 2),
    "double-backtick span %%": ("a `` x %% ` `` b\n", 2),
    "triple-backtick span %%": ("a ``` %% ``` b\n", 2),
    "code span <!--": ("a `<!--` b\n", 2),
    "double-backtick span <!--": ("a `` <!-- `` b\n", 2),
    "backtick fence %%": ("```\n%%\n```\n", 4),
    "tilde fence %%": ("~~~md\n%% x\n~~~\n", 4),
    "backtick fence <!--": ("```\n<!--\n```\n", 4),
    "tilde fence <!--": ("~~~\n<!--\n~~~\n", 4),
    "indented code %%": ("    %% code\n\n", 3),
    "indented code <!--": ("    <!-- code\n\n", 3),
    "fence in a list %%": ("- a\n  ```\n  %%\n  ```\n", 5),
    "fence in a quote %%": ("> ```\n> %%\n> ```\n", 4),
}


def elements(note: Note) -> list[tuple[str, int, int, str]]:
    doc, text = note.markdown, note.text
    out = [("tag", t.start, t.end) for t in doc.tags] + [("image", i.start, i.end) for i in doc.images]
    out += [("wikilink", w.start, w.end) for w in doc.wikilinks]
    return sorted((k, *note.position(s), text[s:e]) for k, s, e in out)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("name", CASES)
def test_comment_markers_in_code_hide_nothing_after_them(name, newline):
    head, line = CASES[name]
    text = (head + AFTER + "\n%% real #hidden %%\n").replace("\n", newline)
    note = Note.from_text(text, "c.md")
    assert elements(note) == sorted((k, line, col, src) for k, col, src in AFTER_SPANS)
    assert [(c.kind, note.position(c.start)) for c in note.markdown.comments] == [("obsidian", (line + 1, 1))]


def test_a_real_comment_after_a_code_span_holding_percent_signs_on_the_same_line():
    text = "a `%%` %% hidden #no [[no]] %% #t7 ``%% x`` #t8\n#t9\n"
    note = Note.from_text(text, "c.md")
    assert elements(note) == [("tag", 1, 32, "#t7"), ("tag", 1, 45, "#t8"), ("tag", 2, 1, "#t9")]
    [comment] = note.markdown.comments
    assert (note.position(comment.start), text[comment.start:comment.end]) == ((1, 8), "%% hidden #no [[no]] %%")
