"""unordered-list-style: one bullet (`-`, `*` or `+`) for every unordered list item."""

import re

from notelint.finding import Edit
from notelint.fmt_lists import scan
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

# the plugin leaves `- [ ]` / `- [x]` checklist items alone (their bullet is part of the task syntax)
CHECKLIST = re.compile(r"- \[[ x]\]")
THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*")


class UnorderedListStyle(FormatRule):
    name = "unordered-list-style"
    code = "NL521"
    summary = "Unordered list items use one bullet style"
    rationale = (
        "Mixed `-`, `*` and `+` bullets render alike but make a vault's source inconsistent. With "
        "`consistent`, the first bullet of the note (not a `- [ ]` checklist item) sets the style. "
        "Checklist items written `- [ ]` / `- [x]` keep their `-`, as in the Obsidian Linter. Only the "
        "bullet character changes; markers in code, math and comments are never touched. Two adjacent "
        "lists that differed only by their bullet become one list."
    )
    bad = "- Item one\n* Item two\n+ Item three\n"
    good = "- Item one\n- Item two\n- Item three\n"
    fix = "safe"
    markdownlint = "MD004"
    options = (
        Option("list-style", ("consistent", "-", "*", "+"), "consistent",
               "The bullet to use; `consistent` uses the note's first bullet."),
    )
    plugin = (PluginRule("unordered-list-style", options={"list-style": "list-style"}),)

    def format(self, note):
        text = note.text
        items = [it for it in scan(note).items if not it.ordered and not it.protected
                 and not CHECKLIST.match(text, it.start)]
        if not items:
            return
        style = self.settings["list-style"]
        if style == "consistent":
            style = items[0].marker
        lines = note.lines
        by_line: dict[int, list] = {}
        for it in items:
            if it.marker != style:
                by_line.setdefault(it.line, []).append(it)
        for i, changed in by_line.items():
            start = lines.starts[i]
            line = list(text[start : lines.ends[i]])
            for it in changed:
                line[it.start - start] = style
            if THEMATIC_BREAK.fullmatch("".join(line)[len(changed[0].quote) :]):
                continue  # `- * *` would become `- - -`, a horizontal rule
            for it in changed:
                yield self.finding(note, it.start, it.marker_end,
                                   f"list item bullet `{it.marker}`; this note's style is `{style}`",
                                   [Edit(it.start, it.marker_end, style)])
