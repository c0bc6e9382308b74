"""empty-line-around-horizontal-rules: a horizontal rule has a blank line before and after it."""

from notelint import fmt_blocks
from notelint.formatting import FormatRule
from notelint.plugin_rule import PluginRule


class EmptyLineAroundHorizontalRules(FormatRule):
    name = "empty-line-around-horizontal-rules"
    code = "NL505"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "A horizontal rule has exactly one blank line before and after it, unless it starts or ends the note"
    rationale = (
        "A `---` right under a line of text is a heading underline, not a rule; spacing every "
        "horizontal rule (`***`, `---`, `___`) apart keeps it one, whatever is edited next to it. One "
        "blank line is inserted (extra ones are removed) around each rule. A `---` under a paragraph "
        "(a heading), the frontmatter fences, code, math, HTML and comments are never touched."
    )
    bad = "- Content 1\n***\n- Content 2\n"
    good = "- Content 1\n\n***\n\n- Content 2\n"
    fix = "safe"
    plugin = (PluginRule("empty-line-around-horizontal-rules"),)

    def format(self, note):
        lines = note.lines
        blocks = [(b.first_line, b.last_line, fmt_blocks.depth(lines.line(b.first_line)))
                  for b in note.markdown.blocks if b.kind == "hr"]
        yield from fmt_blocks.around(self, note, blocks, "the horizontal rule")
