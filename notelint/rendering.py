"""Whether an edit changes what a reader sees: the note's body rendered to HTML and compared.

Inserting or removing a suppression comment must not change a note's rendering. An HTML
comment is hidden by every renderer, but a comment *line* can still split a paragraph, end a
list or a table, or land in a code block where it shows as text. Instead of predicting each
Markdown context, the edit is tried: both texts are rendered by CommonMark rules (markdown-it,
with the GFM tables the apps read), the `notelint-…` comments are dropped from the HTML, and
whitespace the browser collapses is normalised. Equal HTML means the same note on screen.

Obsidian hides `%%…%%` comments before rendering ("Comments", Obsidian Help, Basic formatting
syntax): their text is removed first, their line breaks kept. Dendron has no such comments
and shows them as text.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from notelint.note import Note

MAX_NESTING = 100  # markdown-it's recursion guard (block and inline levels); its preset says 20


def commonmark() -> MarkdownIt:
    """A renderer for the syntax notelint reads: CommonMark, GFM tables and strikethrough."""
    # imported here, for start-up time: markdown-it costs 17 ms to import, and a `check` renders
    # nothing (unused-suppression, which imports this module, renders only for its fixes)
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").enable("strikethrough")


DIRECTIVE_COMMENT = re.compile(r"<!--\s*notelint-.*?-->", re.S)
# whitespace next to a block element's tags is never shown; within text any run shows as one space
BLOCK_TAG = re.compile(r"\s*(</?(?:p|li|ul|ol|blockquote|h[1-6]|table|thead|tbody|tr|th|td|hr|pre|div)\b[^>]*>)\s*")
WHITESPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _renderer():
    return commonmark()


def visible_html(note: Note) -> str:
    """The note's body as a reader sees it, normalised for comparison (computed once per note)."""
    if "visible-html" not in note._cache:
        text = note.text
        if note.flavor == "obsidian" and "%%" in text:
            for c in sorted((c for c in note.markdown.comments if c.kind == "obsidian"), key=lambda c: -c.start):
                text = text[: c.start] + text[c.end :]
        html = _renderer().render(text[note.body_start :] if note.body_start <= len(text) else "")
        html = WHITESPACE.sub(" ", DIRECTIVE_COMMENT.sub("", html))
        note._cache["visible-html"] = BLOCK_TAG.sub(r"\1", html).strip()
    return note._cache["visible-html"]


def same_rendering(note: Note, text: str) -> bool:
    """Whether the note with `text` instead of its own shows the same body (and the same
    frontmatter, byte for byte: a frontmatter edit is checked by its YAML data instead)."""
    new = note.derive(text)
    if new.text[: new.body_start] != note.text[: note.body_start]:
        return False
    return visible_html(new) == visible_html(note)
