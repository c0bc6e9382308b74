"""header-increment: heading levels go up one at a time (the Obsidian Linter's `header-increment`)."""

from notelint.finding import Edit
from notelint.fmt_headings import atx_headings, top_level
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule


def new_levels(levels: list[int], start_at_h2: bool) -> list[int]:
    """The Obsidian Linter's re-levelling, step for step: a skipped level is closed up, and a
    heading that goes back above a section re-opens the levels below it."""
    last = 0
    minimum = 2 if start_at_h2 else 1
    starts: list[int] = []  # the (original) levels that opened each nesting step
    mapping = [0] * 6  # original level - 1 -> new level (0: not mapped yet)
    out = []
    for level in levels:
        level = min(level, 6)
        if mapping[level - 1] >= 0 and level < last:
            remove_to = len(mapping)
            while starts and level <= starts[-1]:
                remove_to = starts.pop()
            remove_to = 0 if not starts else remove_to - 1
            for i in range(len(mapping) - 1, remove_to - 1, -1):
                mapping[i] = 0
        if mapping[level - 1] <= 0:
            new = min(len(starts) + minimum, 6)
            for i in range(last, level - 1):
                mapping[i] = new - 1
            starts.append(level)
            mapping[level - 1] = new
        last = level
        out.append(mapping[level - 1])
    return out


class HeaderIncrement(FormatRule):
    name = "header-increment"
    code = "NL540"
    summary = "Heading levels go up one at a time (an H1 is followed by an H2, not an H3)"
    rationale = (
        "A skipped heading level breaks the outline: screen readers, the outline pane and a table of "
        "contents show a missing level. The fix shifts the headings as the Obsidian Linter does: the "
        "first heading becomes an H1 (an H2 with `start-at-h2`) and every skipped level is closed up, "
        "so later headings change level too, and a document's structure can change: it is unsafe. "
        "Only ATX headings outside quotes and lists are counted, as the plugin does; headings in code, "
        "math and comments are never touched."
    )
    bad = "# Title\n\n### Skipped a level\n"
    good = "# Title\n\n## One level down\n"
    fix = "unsafe"
    markdownlint = "MD001"
    options = (
        Option("start-at-h2", bool, False, "Make H2 the top heading level: H1s become H2s and the other headings shift accordingly."),
    )
    plugin = (PluginRule("header-increment", options={"start-at-h2": "start-at-h2"}),)

    def format(self, note):
        headings = [h for h in atx_headings(note) if top_level(note, h)]
        if not headings:
            return
        levels = new_levels([h.level for h in headings], self.settings["start-at-h2"])
        text = note.text
        for h, new in zip(headings, levels):
            if new == h.level:
                continue
            end = h.start
            while end < len(text) and text[end] == "#":
                end += 1
            why = "headings go up one level at a time"
            if self.settings["start-at-h2"] and h.level == 1:
                why = "H2 is the top heading level"
            yield self.finding(note, h.start, end, f"H{h.level} heading should be an H{new} ({why}); write {'#' * new}",
                               [Edit(h.start, end, "#" * new)])
