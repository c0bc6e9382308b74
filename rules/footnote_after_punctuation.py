"""footnote-after-punctuation: a footnote reference goes after the punctuation it stands next to
(the Obsidian Linter's `footnote-after-punctuation`)."""

import re

from notelint.finding import Edit
from notelint.fmt_footnotes import footnotes
from notelint.formatting import FormatRule, is_protected
from notelint.plugin_rule import PluginRule

PUNCTUATION = ",.;!:?"
WORD_LABEL = re.compile(r"[A-Za-z0-9_]+")  # the plugin's `\[\^\w+\]`
TASK_BEFORE = re.compile(r"- \[.\] $")  # `- [ ] [^1]:` is a footnote in a task, left alone
CONTAINER = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[.\][ \t]+)?)?")


class FootnoteAfterPunctuation(FormatRule):
    name = "footnote-after-punctuation"
    code = "NL572"
    summary = "Footnote references stand after punctuation (`word.[^1]`), not before it (`word[^1].`)"
    rationale = (
        "Typographic convention puts the footnote mark after the sentence's punctuation. The reference "
        "and the punctuation after it (and one space between them) swap places; the footnote and its "
        "text are unchanged. A `[^label]:` that starts a line (a definition, also in a quote, a list or "
        "after a task's box) is never moved, nor is anything in code, math, comments, links or the "
        "frontmatter."
    )
    bad = "A sentence[^1].\n\n[^1]: The footnote.\n"
    good = "A sentence.[^1]\n\n[^1]: The footnote.\n"
    fix = "safe"
    plugin = (PluginRule("footnote-after-punctuation"),)

    def format(self, note):
        text, lines = note.text, note.lines
        for ref in footnotes(note).refs:
            if not WORD_LABEL.fullmatch(ref.label):
                continue
            at = ref.end
            if text[at : at + 1] == " ":
                at += 1
            stop = at
            while stop < len(text) and text[stop] in PUNCTUATION:
                stop += 1
            if stop == at or is_protected(note, at, stop):
                continue
            before = text[lines.starts[lines.index_of(ref.start)] : ref.start]
            if not before or TASK_BEFORE.search(before):
                continue  # at a line's start, or after a task's box: a definition, as the plugin reads it
            if CONTAINER.fullmatch(before) and text[ref.end : ref.end + 1] == ":":
                continue  # a definition in a quote or a list: moving its `:` would break it
            marks = text[at:stop]
            yield self.finding(note, ref.start, stop, f"footnote reference before {marks!r}; put it after: {marks}{text[ref.start:ref.end]}",
                               [Edit(ref.start, stop, marks + text[ref.start : ref.end])])
