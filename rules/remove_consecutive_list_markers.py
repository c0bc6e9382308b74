"""remove-consecutive-list-markers: `- - item` (a pasted item's doubled marker) becomes `- item`."""

import re

from notelint.finding import Edit
from notelint.fmt_lists import content_col, reindent_ok, scan
from notelint.formatting import FormatRule, is_protected
from notelint.plugin_rule import PluginRule

DOUBLED = re.compile(r"- - (?=\w)")


class RemoveConsecutiveListMarkers(FormatRule):
    name = "remove-consecutive-list-markers"
    code = "NL524"
    summary = "A doubled list marker (`- - item`, from copy-pasting an item) becomes one"
    rationale = (
        "Pasting a list item onto an empty item leaves `- - item`, which renders as an item holding "
        "a nested list of one. Only a `- - ` followed by a letter is fixed, as in the Obsidian "
        "Linter, never one in code, math or a comment, and not where removing the marker would "
        "move the item's following lines into or out of it."
    )
    bad = "- item 1\n- - pasted item\n"
    good = "- item 1\n- pasted item\n"
    fix = "safe"
    plugin = (PluginRule("remove-consecutive-list-markers"),)

    def format(self, note):
        found = scan(note)
        text = note.text
        inner_at = {it.start: i for i, it in enumerate(found.items)}
        for index, item in enumerate(found.items):
            if item.protected or not item.first_on_line or item.marker != "-":
                continue
            m = DOUBLED.match(text, item.start)
            if m is None or not text[m.end()].isalpha():
                continue
            inner = inner_at.get(item.start + 2)
            if inner is None or found.items[inner].parent != index:
                continue
            if is_protected(note, item.start, m.end() + 1):
                continue
            col = content_col(note, found.items[inner])
            if not reindent_ok(note, found, inner, col - 2):
                continue
            yield self.finding(note, item.start + 2, item.start + 4,
                               "a second list marker right after the first; remove it",
                               [Edit(item.start + 2, item.start + 4, "")])

