"""two-spaces-between-lines-with-content: a line followed by more of its paragraph ends in a line break."""

import re

from notelint.finding import Edit
from notelint.fmt_spacing import ends_in_backslash_break, protected_break
from notelint.formatting import FormatRule, is_protected
from notelint.options import Option
from notelint.plugin_rule import PluginRule

CALLOUT = re.compile(r"[ \t]*(?:>[ \t]*)+\[!")
INDICATORS = ("  ", "<br/>", "<br>", "\\")


def ends_in_break(line: str, indicator: str) -> bool:
    """Whether the line already ends in the chosen hard line break."""
    if indicator == "\\":
        return ends_in_backslash_break(line)
    return line.endswith(indicator)


def other_break(line: str) -> int:
    """Length of another hard line break marker ending the (right-stripped) line, else 0."""
    if line.endswith("<br>"):
        return 4
    if line.endswith("<br/>"):
        return 5
    if ends_in_backslash_break(line):
        return 1
    return 0


class TwoSpacesBetweenLinesWithContent(FormatRule):
    name = "two-spaces-between-lines-with-content"
    code = "NL514"
    summary = "Lines continued by more of their paragraph, list item or blockquote end in a hard line break"
    rationale = (
        "Obsidian shows a single line break inside a paragraph as a break, other Markdown renderers "
        "join the lines; an explicit hard line break (two spaces, `<br>`, `<br/>` or `\\`, as "
        "`line-break-indicator` says) renders the same everywhere. Another break marker at the end of "
        "such a line is replaced by the chosen one. The last line of a paragraph, headings, tables, "
        "code, math, HTML, comments and the frontmatter are never touched."
    )
    bad = "First line\nSecond line of the same paragraph\n"
    good = "First line  \nSecond line of the same paragraph\n"
    fix = "safe"
    options = (Option("line-break-indicator", INDICATORS, "  ",
                      "The hard line break to end such lines with: two spaces, `<br/>`, `<br>` or a backslash."),)
    plugin = (PluginRule("two-spaces-between-lines-with-content", options={"line-break-indicator": "line-break-indicator"}),)
    cacheable = True  # `prepare` only reads the run's rules and their options
    stripped_by: str = ""  # set by `prepare`: why two trailing spaces would not survive `whitespace`

    def prepare(self, ws):
        """Two trailing spaces are removed again by `whitespace` when its `br-spaces` is not 2: the
        two fixes would undo each other for ever. Then the finding is reported without a fix."""
        self.stripped_by = ""
        if self.settings["line-break-indicator"] != "  ":
            return ()
        other = next((r for r in ws.rules if r.name == "whitespace"), None)
        if other is None or not other.settings.get("trailing-spaces", True) or other.settings.get("br-spaces") == 2:
            return ()
        self.stripped_by = f"whitespace removes them (its br-spaces is {other.settings.get('br-spaces')})"
        return (f"{self.name}: ends lines with two spaces, which {self.stripped_by}: its findings are not fixed; "
                "set [rules.whitespace] br-spaces = 2, or line-break-indicator to \"<br>\" or \"\\\\\"",)

    def format(self, note):
        indicator = self.settings["line-break-indicator"]
        lines = note.lines
        text = note.text
        for b in note.markdown.blocks:
            if b.kind != "paragraph" or b.last_line <= b.first_line:
                continue
            first = b.first_line
            if CALLOUT.match(lines.line(first)) and lines.line(first + 1).lstrip().startswith(">"):
                first += 1
            for i in range(first, b.last_line):
                line = lines.line(i)
                if ends_in_break(line, indicator) or protected_break(note, i):
                    continue
                body = line.rstrip()
                cut = other_break(body)
                body = body[: len(body) - cut].rstrip()
                start, end = lines.starts[i] + len(body), lines.ends[i]
                if not body.strip() or is_protected(note, start, end):
                    continue
                if text[start:end] == indicator:
                    continue
                if self.stripped_by:
                    yield self.finding(note, start, end, "line continued on the next line without a hard line break; "
                                       f"two spaces would end it, but {self.stripped_by}")
                    continue
                yield self.finding(note, start, end,
                                   f"line continued on the next line without a hard line break; end it with {indicator!r}",
                                   [Edit(start, end, indicator)])
