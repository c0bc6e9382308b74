"""heading-blank-lines: a heading has one blank line before and after it."""

import re

from notelint import fmt_blocks
from notelint.finding import Edit
from notelint.formatting import FormatRule, is_protected
from notelint.options import Option
from notelint.plugin_rule import PluginRule

BREAKS = re.compile(r"(?:\r\n|\r|\n)+\Z")
ATX = re.compile(r"#{1,6}(?:[ \t]|$)")


class HeadingBlankLines(FormatRule):
    name = "heading-blank-lines"
    code = "NL501"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "A heading has exactly one blank line before and after it, none at the note's start or end"
    rationale = (
        "Headings set apart by one blank line are read as headings by every Markdown tool and keep "
        "a note's sections easy to scan; runs of blank lines around them are noise. As the Obsidian "
        "Linter does, a heading at the start of a line gets one blank line before it (none when it "
        "starts the note; after the frontmatter as `empty-line-after-yaml` says) and, with `bottom`, "
        "one after it; blank lines after the note's last heading at the end of the note are removed. "
        "Headings in blockquotes and list items, `#` lines in code, math, HTML and comments, and the "
        "frontmatter are never touched."
    )
    bad = "# Title\nSome text\n## Section\n\n\nMore text"
    good = "# Title\n\nSome text\n\n## Section\n\nMore text"
    fix = "safe"
    markdownlint = "MD022"
    options = (
        Option("bottom", bool, True, "Insert a blank line after headings too (when false, blank lines after headings are left alone)."),
        Option("empty-line-after-yaml", bool, True,
               "Keep one blank line between the frontmatter and a heading right after it (false: none)."),
    )
    plugin = (PluginRule("heading-blank-lines",
                         options={"bottom": "bottom", "empty-line-after-yaml": "empty-line-after-yaml"}),)

    # findings depend on the note, this rule's options and whitespace's `final-newline` (`prepare`
    # reads only those): the cache keeps them
    cacheable = True
    reads_options_of = ("whitespace",)

    def __init__(self, settings=None, flavor="obsidian"):
        super().__init__(settings, flavor)
        self.final_newline = False

    def prepare(self, ws):
        """Whitespace's `final-newline` (on by default) wants a line break at the note's end: a last
        heading then keeps one, or the two rules' fixes would undo each other."""
        whitespace = self.options_of("whitespace", ws) or {}
        self.final_newline = bool(whitespace.get("final-newline", True))
        return ()

    def format(self, note):
        text, lines = note.text, note.lines
        bottom = self.settings["bottom"]
        after_yaml = self.settings["empty-line-after-yaml"]
        heads = []
        for h in note.markdown.headings:
            i = lines.index_of(h.start)
            if not ATX.match(lines.line(i)) or lines.index_of(h.end) != i or is_protected(note, lines.starts[i], lines.ends[i]):
                continue  # indented, in a list item or a blockquote, a setext heading, or not a heading at all
            heads.append(i)
        if not heads:
            return
        first_body = fmt_blocks.first_body_line(note)
        seen = set()
        what = "the heading"
        for i in heads:
            gap = fmt_blocks.gap_above(note, i, 0)
            if gap.above is None:
                if gap.blanks:  # blank lines before the note's first heading at its very start
                    f = fmt_blocks.no_blank_line(self, note, gap, "blank lines at the start of the note before the heading; remove them")
                    if f is not None:
                        yield f
            elif (gap.above, i) not in seen:
                seen.add((gap.above, i))
                if gap.above == first_body - 1:  # right after the frontmatter
                    if after_yaml:
                        f = fmt_blocks.one_blank_line(self, note, gap, what, "before")
                    else:
                        f = fmt_blocks.no_blank_line(self, note, gap, "blank line between the frontmatter and the heading; remove it")
                elif bottom or not lines.line(gap.above).startswith("#"):
                    f = fmt_blocks.one_blank_line(self, note, gap, what, "before")
                else:
                    f = None
                if f is not None:
                    yield f
            gap = fmt_blocks.gap_below(note, i, 0)
            if gap.below is None:
                end = lines.ends[i]
                if self.final_newline:
                    end += len(fmt_blocks.line_break(note, i)) if end < len(text) else 0
                if end < len(text) and BREAKS.match(text, end):
                    yield self.finding(note, end, None, "line breaks after the heading at the end of the note; remove them",
                                       [Edit(end, len(text), "")])
            elif bottom and (i, gap.below) not in seen:
                seen.add((i, gap.below))
                f = fmt_blocks.one_blank_line(self, note, gap, what, "after")
                if f is not None:
                    yield f
