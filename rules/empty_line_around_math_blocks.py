"""empty-line-around-math-blocks: a math block has a blank line before and after it."""

from notelint import fmt_blocks
from notelint.formatting import FormatRule, math_spans, quote_prefix
from notelint.options import Option
from notelint.plugin_rule import PluginRule


class EmptyLineAroundMathBlocks(FormatRule):
    name = "empty-line-around-math-blocks"
    code = "NL506"
    summary = "A math block has exactly one blank line before and after it, unless it starts or ends the note"
    rationale = (
        "A `$$` block squeezed against a paragraph is easy to misread as inline math and some "
        "renderers treat it so. One blank line is inserted (extra ones are removed) around each "
        "math block: a `$$ … $$` standing on lines of its own, or a one-line `$$…$$` with at least "
        "`min-dollar-signs` dollar signs. Inside a blockquote or callout the blank line is the quote's "
        "`>` without trailing space. The formula, inline math inside a line of text, code, HTML, "
        "comments and the frontmatter are never touched."
    )
    bad = "Some text\n$$\na^2 + b^2 = c^2\n$$\nmore text\n"
    good = "Some text\n\n$$\na^2 + b^2 = c^2\n$$\n\nmore text\n"
    fix = "safe"
    options = (Option("min-dollar-signs", int, 2,
                      "How many dollar signs at least make a one-line `$$…$$` a math block (the Obsidian "
                      "Linter's `Number of Dollar Signs to Indicate a Math Block`).", minimum=1),)
    plugin = (PluginRule("empty-line-around-math-blocks",
                         options={"commonStyles.minimumNumberOfDollarSignsToBeAMathBlock": "min-dollar-signs"}),)

    def format(self, note):
        yield from fmt_blocks.around(self, note, math_block_lines(note, self.settings["min-dollar-signs"]),
                                     "the math block")


def math_block_lines(note, minimum: int) -> list[tuple[int, int, int]]:
    """(first line, last line, quote depth) of each math block standing on lines of its own."""
    text, lines = note.text, note.lines
    if "$" not in text:
        return []
    doc = note.markdown
    outside = [(0, note.body_start)] if note.body_start else []
    outside += [(b.start, b.end) for b in doc.code_blocks]
    outside += [(b.start, b.end) for b in doc.code_spans]
    outside += [(b.start, b.end) for b in doc.html_blocks]
    outside += [(c.start, c.end) for c in doc.comments]
    out = []
    for start, end in sorted(math_spans(note, outside)):
        first, last = lines.index_of(start), lines.index_of(max(end - 1, start))
        head = text[lines.starts[first]:start]
        if head[len(quote_prefix(head)):].strip(" \t") or text[end:lines.ends[last]].strip(" \t"):
            continue  # math inside a line of text
        body = text[start:end]
        if first == last and not (body.startswith("$" * minimum) and body.endswith("$" * minimum)):
            continue
        if first != last and not body.startswith("$$"):
            continue
        out.append((first, last, fmt_blocks.depth(lines.line(first))))
    return out
