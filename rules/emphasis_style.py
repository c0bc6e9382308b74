"""emphasis-style: one delimiter for emphasis (`*text*` or `_text_`)."""

from notelint import fmt_inline
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule


class EmphasisStyle(FormatRule):
    name = "emphasis-style"
    code = "NL530"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Emphasis written with one delimiter throughout: `*text*` or `_text_`"
    rationale = (
        "Mixing `*emphasis*` and `_emphasis_` in one vault makes diffs and searches noisier for no gain. "
        "`consistent` keeps the style of the note's first emphasis. Only the delimiter characters are swapped, "
        "and only where the note still renders the same afterwards: `*` inside a word (`snake*case*`) is left "
        "alone, since `_` cannot emphasise there. Emphasis in code, math, comments, HTML, links, wikilinks and "
        "tags is never touched, nor is the frontmatter."
    )
    bad = "# Notes\n\nThis is *important* and this is _also important_.\n"
    good = "# Notes\n\nThis is *important* and this is *also important*.\n"
    fix = "safe"
    markdownlint = "MD049"
    options = (
        Option("style", ("consistent", "asterisk", "underscore"), "consistent",
               "The emphasis delimiter: `asterisk` (`*`), `underscore` (`_`), or `consistent` (the note's first emphasis decides)."),
    )
    plugin = (PluginRule("emphasis-style", options={"style": "style"}),)

    def format(self, note):
        yield from fmt_inline.delimiter_findings(self, note, "Emphasis", 1)
