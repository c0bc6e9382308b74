"""headings-start-line: an ATX heading starts at the start of its line."""

import re

from notelint.finding import Edit
from notelint.formatting import FormatRule, is_protected
from notelint.plugin_rule import PluginRule

INDENTED_HEADING = re.compile(r"([ \t]+)#+[ \t]")


class HeadingsStartLine(FormatRule):
    name = "headings-start-line"
    code = "NL509"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Headings start at the beginning of their line, without leading whitespace"
    rationale = (
        "A heading indented by a few spaces still renders, but other Markdown tools (and a fourth "
        "space) read it as text or code; a heading that starts its line is a heading everywhere. "
        "Only real headings are changed: indented code, math, the frontmatter, a `#tag` and a `#` "
        "line that continues a paragraph are never touched, nor a heading nested in a list item, "
        "where the indentation keeps it inside the item."
    )
    bad = "   ## Heading\nText\n"
    good = "## Heading\nText\n"
    fix = "safe"
    markdownlint = "MD023"
    plugin = (PluginRule("headings-start-line"),)

    def format(self, note):
        lines = note.lines
        doc = note.markdown
        nested = set()
        for b in doc.blocks:
            if b.kind in ("list_item", "blockquote"):
                nested.update(range(b.first_line, b.last_line + 1))
        for h in doc.headings:
            i = lines.index_of(h.start)
            if i in nested:
                continue
            start = lines.starts[i]
            m = INDENTED_HEADING.match(note.text, start, lines.ends[i])
            if m is None or m.end(1) != h.start or is_protected(note, start, h.start + 1):
                continue
            yield self.finding(note, start, h.start, "heading indented from the start of its line; remove the leading whitespace",
                               [Edit(start, h.start, "")])
