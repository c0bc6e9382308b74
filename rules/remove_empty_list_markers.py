"""remove-empty-list-markers: delete list items that hold nothing (`-`, `1.`, `- [ ]`)."""

import re

from notelint.finding import Edit
from notelint.fmt_lists import BLANKISH, CHECKBOX, scan
from notelint.formatting import FormatRule, is_protected, quote_prefix
from notelint.plugin_rule import PluginRule

# a line holding nothing but a marker (the Obsidian Linter's `-|\*|\+|\d+[.)]|- \[.\]`)
BARE = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)]|- \[.\])[ \t]*")


class RemoveEmptyListMarkers(FormatRule):
    name = "remove-empty-list-markers"
    code = "NL525"
    summary = "List items with no content (a bare marker or checkbox) are removed"
    rationale = (
        "A bare `-`, `1.` or `- [ ]` left behind while editing renders as an empty bullet or an "
        "empty task (or, under an item's text, as a stray `*` in it). The marker's line is deleted "
        "with its line break; blank lines around it are kept, in blockquotes and callouts too. Only "
        "list items and lines inside a list item are touched: a `-` under a line of text is a "
        "heading underline and stays, and so does a marker in code, math or a comment. The fix "
        "deletes list items (an ordered list's numbers are not redone), so it is unsafe."
    )
    bad = "- item 1\n-\n- item 2\n"
    good = "- item 1\n- item 2\n"
    fix = "unsafe"
    plugin = (PluginRule("remove-empty-list-markers"),)

    def format(self, note):
        found = scan(note)
        if not found.items:
            return
        lines = note.lines
        bare: set[int] = set()  # lines holding an empty item
        for item in found.items:
            if item.protected or not item.first_on_line or item.last_line != item.line or item.children:
                continue
            rest = item.rest(note).strip(BLANKISH)
            if not rest or (item.marker == "-" and CHECKBOX.fullmatch(rest) and item.rest(note).startswith(" [")):
                bare.add(item.line)
        # a bare marker line inside an item's paragraph (`* item\n    *`: not an item, as an empty
        # item cannot interrupt a paragraph, but meant as one)
        headings = {lines.index_of(h.start) for h in note.markdown.headings}
        headings |= {lines.index_of(max(h.start, h.end - 1)) for h in note.markdown.headings}
        for item in found.items:
            for i in range(item.line + 1, item.last_line + 1):
                if i in headings or i in bare:
                    continue
                line = lines.line(i)
                if BARE.fullmatch(line[len(quote_prefix(line)):]):
                    bare.add(i)
        for i in sorted(bare):
            start, end = lines.starts[i], lines.ends[i]
            if is_protected(note, start, end):
                continue
            if i + 1 < len(lines):
                cut = (start, lines.starts[i + 1])  # the line with its own line break
            elif i > 0 and lines.ends[i - 1] >= note.body_start:
                cut = (lines.ends[i - 1], end)  # the last line: with the break before it
            else:
                cut = (start, end)
            line = lines.line(i)
            at = start + len(line) - len(line.lstrip(" \t>"))
            yield self.finding(note, at, end, f"empty list item `{line.strip(' >')}`; remove it",
                               [Edit(cut[0], cut[1], "")])
