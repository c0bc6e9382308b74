"""remove-empty-lines-between-list-markers-and-checklists: no blank lines between list items of
one kind (ordered, `-`, `+`, `*`, checklist)."""

import re

from notelint.finding import Edit
from notelint.fmt_lists import scan
from notelint.formatting import FormatRule, is_protected, quote_prefix
from notelint.plugin_rule import PluginRule

# the Obsidian Linter's five kinds of item lines, each with some text after the marker
KINDS = (
    ("checklist", re.compile(r"[ \t]*- \[.\][ \t]+.+")),
    ("ordered", re.compile(r"[ \t]*\d+\.[ \t]+.+")),
    ("+", re.compile(r"[ \t]*\+[ \t]+.+")),
    ("-", re.compile(r"[ \t]*-(?! \[.\])[ \t]+.+")),
    ("*", re.compile(r"[ \t]*\*[ \t]+.+")),
)
BLANK = " \t\v\f\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u3000"


def kind(body: str) -> str | None:
    for name, pattern in KINDS:
        if pattern.fullmatch(body):
            return name
    return None


class RemoveEmptyLinesBetweenListMarkersAndChecklists(FormatRule):
    name = "remove-empty-lines-between-list-markers-and-checklists"
    code = "NL526"
    summary = "No blank lines between list items of the same kind"
    rationale = (
        "Blank lines between items make a loose list, whose items render as separate paragraphs "
        "with extra space between them. Blank lines are removed only between two item lines of the "
        "same kind (ordered `1.`, `-`, `+`, `*`, or checklist `- [ ]`), as in the Obsidian Linter; "
        "a blank line before a paragraph or code that continues an item stays. In a blockquote or "
        "callout the blank lines are the quote's own `>` lines. Never in code, math or comments. "
        "The fix makes a loose list tight, which changes how it renders, so it is unsafe."
    )
    bad = "- Item 1\n\n- Item 2\n"
    good = "- Item 1\n- Item 2\n"
    fix = "unsafe"
    plugin = (PluginRule("remove-empty-lines-between-list-markers-and-checklists"),)

    def format(self, note):
        found = scan(note)
        lines = note.lines
        heads: dict[int, str] = {}  # line -> kind, for each line where a list item starts
        for item in found.items:
            if item.protected or not item.first_on_line:
                continue
            line = lines.line(item.line)
            q = quote_prefix(line)
            k = kind(line[len(q):])
            if k is not None:
                heads[item.line] = f"{q.replace(' ', '')}{k}"
        for i, k in sorted(heads.items()):
            j = i + 1
            q = quote_prefix(lines.line(i))
            depth = q.count(">")
            while j < len(lines) and _blank(lines.line(j), depth):
                j += 1
            if j == i + 1 or heads.get(j) != k or j >= len(lines):
                continue
            start, end = lines.starts[i + 1], lines.starts[j]
            if is_protected(note, start, end):
                continue
            n = j - i - 1
            yield self.finding(note, start, None,
                               f"{n} blank line{'s' if n > 1 else ''} between two list items; remove {'them' if n > 1 else 'it'}",
                               [Edit(start, end, "")])


def _blank(line: str, depth: int) -> bool:
    q = quote_prefix(line)
    if q.count(">") != depth:
        return False
    return not line[len(q):].strip(BLANK)
