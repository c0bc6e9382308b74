"""paragraph-blank-lines: exactly one blank line before and after every paragraph."""

import bisect

from notelint.finding import Edit
from notelint.fmt_spacing import (FOOTNOTE_DEFINITION, LIST_MARKER, body_first_line, ends_in_backslash_break,
                                  line_break, line_count, protected_break)
from notelint.formatting import FormatRule, is_protected, protected
from notelint.plugin_rule import PluginRule


def continues(line: str) -> bool:
    """Whether a line ends in a hard line break, so the next line stays in its paragraph."""
    return line.endswith(("<br>", "<br/>", "  ")) or ends_in_backslash_break(line)


class ParagraphBlankLines(FormatRule):
    name = "paragraph-blank-lines"
    code = "NL511"
    summary = "Paragraphs have exactly one blank line before and after them, and each line not ending in a hard break is a paragraph"
    rationale = (
        "One blank line around every paragraph makes the source read as it renders. Lines of a "
        "paragraph joined by a plain line break become paragraphs of their own (lines ending in two "
        "spaces, `<br>`, `<br/>` or `\\` stay together): that changes how the note renders, so the fix "
        "is unsafe. Paragraphs in lists, blockquotes and footnotes, tables, code, math, HTML, comments "
        "and the frontmatter are never touched, nor is a line indented enough to become code once it "
        "stands alone."
    )
    bad = "# Heading\nFirst line.\nSecond line.\n"
    good = "# Heading\n\nFirst line.\n\nSecond line.\n"
    fix = "unsafe"
    plugin = (PluginRule("paragraph-blank-lines"),)

    def format(self, note):
        lines = note.lines
        text = note.text
        doc = note.markdown
        first_body = body_first_line(note)
        count = line_count(note)
        nested = set()
        tables = set()
        for b in doc.blocks:
            if b.kind in ("list_item", "blockquote"):
                nested.update(range(b.first_line, b.last_line + 1))
            elif b.kind == "table":
                tables.update(range(b.first_line, b.last_line + 1))
        gaps = {}  # (previous content line, next content line) -> blank lines wanted
        inner = []  # lines after which a blank line is inserted
        for b in doc.blocks:
            if b.kind != "paragraph" or b.first_line in nested or b.first_line in tables or b.first_line < first_body:
                continue
            head = lines.line(b.first_line).lstrip()
            if _indent(lines.line(b.first_line)) >= 4:
                continue  # a lazy continuation line: set apart, it would become code
            if head.startswith(">") or LIST_MARKER.match(head) or FOOTNOTE_DEFINITION.match(head):
                continue
            if _all_protected(note, b.start, b.end):
                continue  # a math block or comment the parser sees as a paragraph
            p = b.first_line - 1
            while p >= first_body and lines.blank(p):
                p -= 1
            if p >= first_body:
                gaps[(p, b.first_line)] = 1
            elif not note.frontmatter.present and b.first_line > 0:
                gaps[(-1, b.first_line)] = 0  # blank lines opening the note
            q = b.last_line + 1
            while q < count and lines.blank(q):
                q += 1
            gaps[(b.last_line, q)] = 0 if q >= count else 1
            for i in range(b.first_line, b.last_line):
                if continues(lines.line(i)) or protected_break(note, i):
                    continue
                if _indent(lines.line(i + 1)) >= 4:
                    continue  # standing alone, the indented line would become code
                inner.append(i)
        for i in inner:
            at = lines.starts[i + 1]
            yield self.finding(note, at, None, "paragraph line not ending in a hard line break runs into the next; "
                               "add a blank line to make it a paragraph of its own",
                               [Edit(at, at, line_break(note, i))])
        for (p, q), wanted in sorted(gaps.items()):
            found = q - p - 1
            if found == wanted:
                continue
            start = lines.ends[p] if p >= 0 else 0
            end = lines.starts[q] if q < count else len(text)
            if is_protected(note, start, max(end, start + 1)):
                continue
            if p < 0:
                edit = Edit(0, lines.starts[q], "")
                message = f"{found} blank line{'s' if found > 1 else ''} before the first paragraph; remove them"
            elif q >= count:
                edit = Edit(lines.starts[p + 1], len(text), "")
                message = f"{found} blank line{'s' if found > 1 else ''} after the last paragraph; remove them"
            elif found == 0:
                edit = Edit(lines.starts[q], lines.starts[q], line_break(note, p))
                message = "no blank line between a paragraph and the block next to it; add one"
            else:
                edit = Edit(lines.starts[p + 2], lines.starts[q], "")
                message = f"{found} blank lines between a paragraph and the block next to it; keep one"
            yield self.finding(note, edit.start if found else lines.starts[q], None, message, [edit])


def _all_protected(note, start: int, end: int) -> bool:
    """Whether text[start:end], but whitespace, lies inside protected spans (math, comments)."""
    spans = protected(note)
    pos = start
    text = note.text
    while pos < end:
        if text[pos].isspace():
            pos += 1
            continue
        i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
        if i < 0 or spans[i][1] <= pos:
            return False
        pos = spans[i][1]
    return True


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))
