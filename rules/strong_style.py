"""strong-style: one delimiter for strong emphasis (`**text**` or `__text__`)."""

from notelint import fmt_inline
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule


class StrongStyle(FormatRule):
    name = "strong-style"
    code = "NL531"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Strong emphasis written with one delimiter throughout: `**text**` or `__text__`"
    rationale = (
        "Mixing `**bold**` and `__bold__` in one vault makes diffs and searches noisier for no gain. "
        "`consistent` keeps the style of the note's first strong emphasis. Only the delimiter characters are "
        "swapped, and only where the note still renders the same afterwards: `**` inside a word is left alone, "
        "since `__` cannot embolden there. Strong emphasis in code, math, comments, HTML, links, wikilinks and "
        "tags is never touched, nor is the frontmatter."
    )
    bad = "# Notes\n\nThis is **important** and this is __also important__.\n"
    good = "# Notes\n\nThis is **important** and this is **also important**.\n"
    fix = "safe"
    markdownlint = "MD050"
    options = (
        Option("style", ("consistent", "asterisk", "underscore"), "consistent",
               "The strong delimiter: `asterisk` (`**`), `underscore` (`__`), or `consistent` (the note's first strong emphasis decides)."),
    )
    plugin = (PluginRule("strong-style", options={"style": "style"}),)

    def format(self, note):
        yield from fmt_inline.delimiter_findings(self, note, "Strong", 2)
