"""remove-trailing-punctuation-in-heading: no `.`, `:`, `!` ... at the end of a heading (the Obsidian
Linter's `remove-trailing-punctuation-in-heading`)."""

import re

from notelint.finding import Edit
from notelint.fmt_headings import atx_headings
from notelint.formatting import FormatRule, is_protected
from notelint.options import Option
from notelint.plugin_rule import PluginRule

# the plugin's htmlEntitiesRegex: a heading ending in `&…;` is left alone (the `;` is the entity's)
ENTITY_AT_END = re.compile(r"&\S+;$")
CLOSING = re.compile(r"(?:^|[ \t])#+$")


class RemoveTrailingPunctuationInHeading(FormatRule):
    name = "remove-trailing-punctuation-in-heading"
    code = "NL543"
    summary = "Headings do not end in punctuation (`.,;:!` and their full-width forms by default)"
    rationale = (
        "A heading is a title, not a sentence; a trailing period or colon is noise in the outline and "
        "in the heading's link anchor. The trailing run of the configured characters is removed (so "
        "`Wait...` loses all three dots, where the plugin removes one per run). A heading ending in an "
        "HTML entity (`&amp;`), an escaped character (`\\.`), inline code, math or a comment is left "
        "alone. Removing text changes the heading's anchor, so `[[note#Heading.]]` links break: the fix "
        "is unsafe."
    )
    bad = "# A heading that ends in a period.\n"
    good = "# A heading that ends in a period\n"
    fix = "unsafe"
    markdownlint = "MD026"
    options = (
        Option("punctuation", str, ".,;:!。，；：！", "The characters removed from the end of headings."),
    )
    plugin = (PluginRule("remove-trailing-punctuation-in-heading", options={"punctuation-to-remove": "punctuation"}),)

    def format(self, note):
        marks = self.settings["punctuation"]
        if not marks:
            return
        text = note.text
        for h in atx_headings(note):
            content = text[h.text_start : h.text_end]
            if not content or ENTITY_AT_END.search(content):
                continue
            end = h.text_end
            start = end
            while start > h.text_start and text[start - 1] in marks:
                start -= 1
            if start == end or is_protected(note, start, end):
                continue
            if start > h.text_start and text[start - 1] == "\\":
                start += 1  # an escaped mark is the author's: keep it and what follows it
                if start == end:
                    continue
            if CLOSING.search(text[h.text_start : start].rstrip(" \t")) and start > h.text_start:
                continue  # removing would turn the text's last `#`s into a closing sequence
            removed = text[start:end]
            yield self.finding(note, start, end, f"heading ends in {removed!r}; remove it",
                               [Edit(start, end, "")])
