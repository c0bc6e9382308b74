"""default-language-for-code-fences: a fence without a language gets the default one."""

import re

from notelint import fmt_inline
from notelint.finding import Edit
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")


class DefaultLanguageForCodeFences(FormatRule):
    name = "default-language-for-code-fences"
    code = "NL533"
    summary = "A fenced code block without a language gets the default language"
    rationale = (
        "A fence's language lets Obsidian highlight the code and tells readers and tools what it is. With "
        "`default-language` set, a fence whose info string is empty gets that language written right after "
        "its opening backticks or tildes; nothing happens while it is empty (the default). Only the opening "
        "fence line changes: the code itself, fences that name a language, indented code, and fences inside "
        "comments or the frontmatter are never touched."
    )
    bad = "# Snippet\n\n```\nprint('hi')\n```\n"
    good = "# Snippet\n\n```python\nprint('hi')\n```\n"
    fix = "safe"
    markdownlint = "MD040"
    options = (
        Option("default-language", str, "", "The language written on fences that have none (empty: the rule does nothing)."),
    )
    plugin = (PluginRule("default-language-for-code-fences", options={"default-language": "default-language"}),)
    example_files = {".notelint.toml": '[rules.default-language-for-code-fences]\ndefault-language = "python"\n'}

    def format(self, note):
        lang = str(self.settings["default-language"] or "").strip()
        if not lang or ("```" not in note.text and "~~~" not in note.text):
            return
        text, lines = note.text, note.lines
        outside = fmt_inline.Spans([(c.start, c.end) for c in note.markdown.comments] + [(0, note.body_start)])
        for n in fmt_inline.nodes(note):
            if n.kind != "CodeBlock" or not isinstance(n.data, dict) or "Fenced" not in n.data:
                continue
            end = lines.ends[lines.index_of(n.start)]
            m = FENCE.match(text, n.start, end)
            if m is None:
                continue
            at = m.end()
            if text[at:end].strip() or outside.hits(n.start, at):
                continue
            yield self.finding(note, m.start(1), at, f"code fence without a language; add `{lang}`",
                               [Edit(at, at, lang)])
