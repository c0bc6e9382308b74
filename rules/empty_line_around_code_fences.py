"""empty-line-around-code-fences: a fenced code block has a blank line before and after it."""

import re

from notelint import fmt_blocks
from notelint.formatting import FormatRule, quote_prefix
from notelint.plugin_rule import PluginRule


FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")


class EmptyLineAroundCodeFences(FormatRule):
    name = "empty-line-around-code-fences"
    code = "NL502"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "A fenced code block has exactly one blank line before and after it, unless it starts or ends the note"
    rationale = (
        "A fence that touches the paragraph or list item around it is easy to misread and some "
        "renderers join them. One blank line is inserted (extra ones are removed) between a ``` or "
        "~~~ fenced block and the content around it; inside a blockquote or callout the blank line is "
        "written as the quote's `>` without trailing space. The code itself is never touched, nor "
        "indented code, math, HTML, comments or the frontmatter."
    )
    bad = "Some text\n```js\nvar x = 1;\n```\nMore text\n"
    good = "Some text\n\n```js\nvar x = 1;\n```\n\nMore text\n"
    fix = "safe"
    markdownlint = "MD031"
    plugin = (PluginRule("empty-line-around-code-fences"),)

    def format(self, note):
        lines = note.lines
        blocks = []
        for b in note.markdown.code_blocks:
            if not b.fenced:
                continue
            level = fmt_blocks.depth(lines.line(b.first_line))
            if _closed(lines.line(b.first_line), lines.line(b.last_line)) if b.last_line > b.first_line else False:
                blocks.append((b.first_line, b.last_line, level))
            else:
                # an unclosed fence runs on: a blank line after it would only join the code
                yield from fmt_blocks.around(self, note, [(b.first_line, b.last_line, level)], "the code block",
                                             after=False)
        yield from fmt_blocks.around(self, note, blocks, "the code block")


def _closed(first: str, last: str) -> bool:
    """Whether `last` is the closing fence of the block `first` opens."""
    opening = FENCE.match(first[len(quote_prefix(first)):])
    closing = FENCE.fullmatch(last[len(quote_prefix(last)):].rstrip(" \t"))
    if opening is None or closing is None:
        return False
    fence, close = opening.group(1), closing.group(1)
    return close[0] == fence[0] and len(close) >= len(fence)
