"""empty-line-around-blockquotes: a blockquote has a blank line before and after it."""

from notelint import fmt_blocks
from notelint.formatting import FormatRule
from notelint.plugin_rule import PluginRule


class EmptyLineAroundBlockquotes(FormatRule):
    name = "empty-line-around-blockquotes"
    code = "NL503"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "A blockquote (or callout) has exactly one blank line before and after it, unless it starts or ends the note"
    rationale = (
        "Text right under a blockquote continues the quote (a lazy continuation line), and a quote "
        "right under a paragraph is easily taken for part of it. One blank line is inserted (extra "
        "ones are removed) around each blockquote; around a nested one the blank line keeps the outer "
        "quote's `>` (without trailing space), so the outer quote is not split. The quoted text, code, "
        "math, HTML, comments and the frontmatter are never touched."
    )
    bad = "# Heading\n> Quote content\n> continued\n"
    good = "# Heading\n\n> Quote content\n> continued\n"
    fix = "safe"
    plugin = (PluginRule("empty-line-around-blockquotes"),)

    def format(self, note):
        blocks = [(b.first_line, b.last_line, b.depth) for b in note.markdown.blocks if b.kind == "blockquote"]
        yield from fmt_blocks.around(self, note, blocks, "the blockquote")
