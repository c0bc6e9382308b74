"""empty-line-around-tables: a table has a blank line before and after it."""

from notelint import fmt_blocks
from notelint.formatting import FormatRule, quote_prefix
from notelint.plugin_rule import PluginRule


class EmptyLineAroundTables(FormatRule):
    name = "empty-line-around-tables"
    code = "NL504"
    summary = "A table has exactly one blank line before and after it, unless it starts or ends the note"
    rationale = (
        "A table needs a blank line before it to be a table in many renderers, and a line of text "
        "right under a table is read as one more row of it. One blank line is inserted (extra ones "
        "are removed) around each table; the table ends at its last line holding a `|`, so text "
        "written right under it is set apart as a paragraph, as the Obsidian Linter does. Inside a "
        "blockquote or callout the blank line is the quote's `>` without trailing space. Cells, code, "
        "math, HTML, comments and the frontmatter are never touched."
    )
    bad = "# Heading\n| a | b |\n|---|---|\n| 1 | 2 |\nMore text.\n"
    good = "# Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nMore text.\n"
    fix = "safe"
    markdownlint = "MD058"
    plugin = (PluginRule("empty-line-around-tables"),)

    def format(self, note):
        lines = note.lines
        blocks = []
        for b in note.markdown.blocks:
            if b.kind != "table":
                continue
            last = b.last_line
            while last > b.first_line + 1 and "|" not in _cells(lines.line(last)):
                last -= 1  # a row without a pipe: text the table swallowed, not a row written as one
            blocks.append((b.first_line, last, fmt_blocks.depth(lines.line(b.first_line))))
        yield from fmt_blocks.around(self, note, blocks, "the table")


def _cells(line: str) -> str:
    return line[len(quote_prefix(line)):]
