"""convert-bullet-list-markers: `•` and `§` used as bullets become Markdown's `-`."""

import re

from notelint.finding import Edit
from notelint.formatting import FormatRule, is_protected, quote_prefix
from notelint.plugin_rule import PluginRule

# a `•` or `§` first on its line (after a quote prefix and indentation), followed by a blank
BULLET = re.compile(r"[ \t]*([•§])(?=[ \t])")
THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*")


class ConvertBulletListMarkers(FormatRule):
    name = "convert-bullet-list-markers"
    code = "NL523"
    summary = "A `•` or `§` bullet at the start of a line becomes a `-` list marker"
    rationale = (
        "Text pasted from word processors and web pages often keeps `•` (or `§`) as a bullet, "
        "which Markdown renders as a plain paragraph. Only a bullet first on its line (in a "
        "blockquote too) and followed by a space or tab is converted, never one in code, math or a "
        "comment. A `§` can also be a section sign opening a line (`§ 823 BGB`), so that fix is unsafe."
    )
    bad = "• Item one\n• Item two\n"
    good = "- Item one\n- Item two\n"
    fix = "safe"
    plugin = (PluginRule("convert-bullet-list-markers"),)
    some_unsafe = True  # `•` is safe; `§` may be a section sign, so its fix is unsafe

    def format(self, note):
        text, lines = note.text, note.lines
        if "•" not in text and "§" not in text:
            return
        first = lines.index_of(note.body_start) if note.body_start else 0
        for i in range(first, len(lines)):
            start = lines.starts[i]
            if start < note.body_start:
                continue
            line = lines.line(i)
            q = quote_prefix(line)
            m = BULLET.match(line, len(q))
            if m is None:
                continue
            at = start + m.start(1)
            if is_protected(note, at):
                continue
            if THEMATIC_BREAK.fullmatch(line[len(q) : m.start(1)] + "-" + line[m.end(1) :]):
                continue  # `•  -  -` would become `-  -  -`, a horizontal rule
            sign = m.group(1)
            f = self.finding(note, at, at + 1, f"`{sign}` used as a list bullet; write `-`", [Edit(at, at + 1, "-")])
            yield self.unsafe(f) if sign == "§" else f
