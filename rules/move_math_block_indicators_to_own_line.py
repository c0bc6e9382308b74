"""move-math-block-indicators-to-own-line: `$$` opening and closing a math block stand on their own lines."""

import re

from notelint.finding import Edit
from notelint.fmt_spacing import LIST_MARKER, math_blocks, newline_near, structure_prefix
from notelint.formatting import FormatRule, quote_prefix
from notelint.options import Option
from notelint.plugin_rule import PluginRule


class MoveMathBlockIndicatorsToOwnLine(FormatRule):
    name = "move-math-block-indicators-to-own-line"
    code = "NL510"
    summary = "The `$$` that open and close a math block stand on lines of their own"
    rationale = (
        "A display math block whose `$$` shares a line with its formula or with text reads as inline "
        "math to some renderers and is hard to edit. Line breaks are inserted before and after the "
        "indicators (inside a blockquote or callout the new lines carry its `>` prefix, inside a list "
        "item its indentation); the formula itself, inline math with fewer dollar signs than "
        "`min-dollar-signs`, math in a table row or a heading (a line break would end them), code, "
        "comments and the frontmatter are never touched."
    )
    bad = "The formula:\n$$L = \\frac{1}{2} \\rho v^2 S C_L$$\n"
    good = "The formula:\n$$\nL = \\frac{1}{2} \\rho v^2 S C_L\n$$\n"
    fix = "safe"
    options = (Option("min-dollar-signs", int, 2,
                      "How many dollar signs at least open a math block (the Obsidian Linter's "
                      "`Number of Dollar Signs to Indicate a Math Block`).", minimum=2),)
    plugin = (PluginRule("move-math-block-indicators-to-their-own-line",
                         options={"commonStyles.minimumNumberOfDollarSignsToBeAMathBlock": "min-dollar-signs"}),)

    def format(self, note):
        text = note.text
        lines = note.lines
        blocks = math_blocks(note, self.settings["min-dollar-signs"])
        if not blocks:
            return
        keep = set()  # table rows and headings: a line break there would break the row or the heading
        for b in note.markdown.blocks:
            if b.kind == "table":
                keep.update(range(b.first_line, b.last_line + 1))
        keep.update(lines.index_of(h.start) for h in note.markdown.headings)
        for start, open_end, close_start, end in blocks:
            if close_start <= open_end:
                continue
            i = lines.index_of(start)
            if i in keep or lines.index_of(close_start) in keep:
                continue
            line_start = lines.starts[i]
            first_line = text[line_start:lines.ends[i]]
            prefix = _continuation(first_line, start - line_start)
            nl = newline_near(note, i)
            edits = []
            before = text[line_start:start]
            if before[structure_prefix(before):].strip():
                trimmed = len(before) - len(before.rstrip(" \t"))
                edits.append(Edit(start - trimmed, start, nl + prefix))
            j = lines.index_of(open_end)
            if text[open_end:lines.ends[j]].strip():
                edits.append(Edit(open_end, open_end, nl + prefix))
            k = lines.index_of(close_start)
            closing_line_head = text[lines.starts[k]:close_start]
            head = closing_line_head[len(quote_prefix(closing_line_head)):] if k != i else text[open_end:close_start]
            if head.strip():
                edits.append(Edit(close_start, close_start, nl + prefix))
            if not edits:
                continue
            yield self.finding(note, start, end,
                               "math block indicator shares its line with other content; put `$$` on its own line",
                               edits)


def _continuation(line: str, at: int) -> str:
    """What a new line inside the block must start with: the blockquote prefix, and inside a list
    item the item's content indentation."""
    prefix = quote_prefix(line)
    rest = line[len(prefix):at]
    m = LIST_MARKER.match(rest)
    if m:
        return prefix + " " * len(m.group().expandtabs(4))
    indent = re.match(r"[ \t]*", rest).group()
    return prefix + indent
