"""ordered-list-style: ordered list numbers ascending (or all the same) and one delimiter."""

import re

from notelint.finding import Edit
from notelint.fmt_lists import content_col, reindent_ok, scan
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

SPACES = re.compile(r"[ \t]*")


def level(prefix: str) -> int:
    """The Obsidian Linter's nesting level of a marker line: the spaces after its last `> `
    (a tab counts as two), two to a level."""
    cut = prefix.rfind("> ")
    if cut != -1:
        prefix = prefix[cut + 2 :]
    return prefix.replace("\t", "  ").count(" ") // 2 + 1


class OrderedListStyle(FormatRule):
    name = "ordered-list-style"
    code = "NL522"
    summary = "Ordered list numbers ascend (or are all alike) and end with one delimiter"
    rationale = (
        "Renumbering a list by hand after inserting an item is error-prone, and a list written "
        "`1.` `2.` `4.` reads wrong in the source although Markdown renders 1, 2, 3. Numbers are "
        "counted per list and per nesting level (two spaces or a tab of indentation to a level, "
        "as the Obsidian Linter counts them). Only the numbers and the `.`/`)` after them change; "
        "markers in code, math and comments are never touched, and a number whose new width would "
        "move a following line of the item into or out of it is left as it is."
    )
    bad = "1. One\n2. Two\n4. Three\n"
    good = "1. One\n2. Two\n3. Three\n"
    fix = "safe"
    markdownlint = "MD029"
    options = (
        Option("number-style", ("ascending", "lazy", "preserve"), "ascending",
               "`ascending`: 1, 2, 3; `lazy`: every item numbered like the first (1 unless "
               "`preserve-start`); `preserve`: numbers kept as written."),
        Option("list-end-style", (".", ")"), ".", "The character after each number."),
        Option("preserve-start", bool, False,
               "Start each list (and nested level) at its first item's number instead of 1."),
    )
    plugin = (PluginRule("ordered-list-style", options={
        "number-style": "number-style", "list-end-style": "list-end-style", "preserve-start": "preserve-start"}),)

    def format(self, note):
        found = scan(note)
        style = self.settings["number-style"]
        end = self.settings["list-end-style"]
        keep_start = self.settings["preserve-start"]
        by_root: dict[int, list[int]] = {}
        for index, item in enumerate(found.items):
            if item.first_on_line and not item.protected:
                by_root.setdefault(found.lists[item.list_index].root, []).append(index)
        for indexes in by_root.values():
            yield from self._list(note, found, indexes, style, end, keep_start)

    def _list(self, note, found, indexes, style, end, keep_start):
        """One outermost list with every item nested in it, as the plugin counts them."""
        counters: dict[int, int] = {}
        last = -1

        def forget(low: int, high: int) -> None:
            for k in range(low + 1, high + 1):
                counters.pop(k, None)

        for index in indexes:
            item = found.items[index]
            lvl = level(item.prefix)
            if not item.ordered:
                forget(lvl, max(lvl, last))
                continue
            number = item.number if (style == "preserve" or keep_start) else 1
            if lvl in counters:
                if style == "ascending":
                    number = counters[lvl] + 1
                    counters[lvl] = number
                elif keep_start:
                    number = counters[lvl]
            else:
                counters[lvl] = number
            if last > lvl:
                forget(lvl, last)
            last = lvl
            want = f"{number}{end}"
            if want == item.marker:
                continue
            if len(want) != len(item.marker):
                new_col = content_col(note, item) + len(want) - len(item.marker)
                if not reindent_ok(note, found, index, new_col):
                    continue
            yield self.finding(note, item.start, item.marker_end,
                               f"ordered list marker `{item.marker}`; it should be `{want}` ({style})",
                               [Edit(item.start, item.marker_end, want)])
