"""space-after-list-markers: one space after a list marker and after a checkbox."""

from notelint.finding import Edit
from notelint.fmt_lists import CHECKBOX, content_col, reindent_ok, scan, width
from notelint.formatting import FormatRule, is_protected
from notelint.plugin_rule import PluginRule


class SpaceAfterListMarkers(FormatRule):
    name = "space-after-list-markers"
    code = "NL520"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Exactly one space after a list marker and after a task checkbox"
    rationale = (
        "`1.   Item` and `- [x]    done` render like `1. Item` and `- [x] done`, but the extra "
        "spaces make the source ragged and shift the item's content column. Only real list items are "
        "touched (in blockquotes and callouts too), never a marker-like line in code, math or a "
        "comment, nor an item whose spaces make its content an indented code block. The spaces after "
        "a marker are left as they are where taking them out would move a following line of the "
        "item (a nested item, a paragraph, code) into or out of it."
    )
    bad = "1.   Item one\n2.  Item two\n\n- [x]    Done\n"
    good = "1. Item one\n2. Item two\n\n- [x] Done\n"
    fix = "safe"
    markdownlint = "MD030"
    plugin = (PluginRule("space-after-list-markers"),)

    def format(self, note):
        found = scan(note)
        text = note.text
        for index, item in enumerate(found.items):
            if item.protected or not item.first_on_line:
                continue
            rest = item.rest(note)
            content = rest.lstrip(" \t")
            if not content.strip():
                continue  # an empty item: nothing to space from
            ws_end = item.marker_end + len(rest) - len(content)
            if text[item.marker_end : ws_end] != " " and not is_protected(note, item.marker_end, ws_end):
                head = text[note.lines.starts[item.line] + len(item.quote) : item.marker_end]
                new_col = width(head) + 1
                if content_col(note, item) - new_col < 4 and reindent_ok(note, found, index, new_col):
                    yield self.finding(
                        note, item.marker_end, ws_end,
                        f"{_describe(text[item.marker_end:ws_end])} after the list marker `{item.marker}`; use one space",
                        [Edit(item.marker_end, ws_end, " ")])
            box = CHECKBOX.match(content)
            if box is None or box.group(1) not in " xX":
                continue
            after = content[3:]
            words = after.lstrip(" \t")
            if not words.strip() or len(words) == len(after):
                continue
            s = ws_end + 3
            e = s + len(after) - len(words)
            if text[s:e] != " " and not is_protected(note, s, e):
                yield self.finding(note, s, e, f"{_describe(text[s:e])} after the checkbox `{content[:3]}`; use one space",
                                   [Edit(s, e, " ")])


def _describe(ws: str) -> str:
    tabs = ws.count("\t")
    spaces = len(ws) - tabs
    parts = []
    if spaces:
        parts.append(f"{spaces} space{'s' if spaces != 1 else ''}")
    if tabs:
        parts.append(f"{tabs} tab{'s' if tabs != 1 else ''}")
    return " and ".join(parts)
