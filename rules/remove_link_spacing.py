"""remove-link-spacing: no whitespace at the ends of a link's text."""

from notelint.finding import Edit
from notelint.formatting import FormatRule, is_protected
from notelint.plugin_rule import PluginRule


class RemoveLinkSpacing(FormatRule):
    name = "remove-link-spacing"
    code = "NL512"
    summary = "No spaces or tabs at the start or end of a link's text or a wikilink's display text"
    rationale = (
        "`[ text ](url)` and `[[note| text ]]` show stray spaces inside the link, and other tools "
        "underline them. Only the whitespace at the ends of the text is removed; the target, images "
        "(`![alt](src)`, whose alt text is not shown as a link) and links inside code, math and "
        "comments are never touched."
    )
    bad = "See [ the docs ](https://example.com) and [[Note| a note ]].\n"
    good = "See [the docs](https://example.com) and [[Note|a note]].\n"
    fix = "safe"
    markdownlint = "MD039"
    plugin = (PluginRule("remove-link-spacing"),)

    def format(self, note):
        text = note.text
        spans = []  # (text start, text end) of each link text
        for link in note.markdown.links:
            if link.syntax != "inline" or text[link.start] != "[" or link.dest_start < 0:
                continue
            close = text.rfind("]", link.start, link.dest_start)
            if close > link.start:
                spans.append((link.start + 1, close, "link text"))
        for w in note.markdown.wikilinks:
            bar = text.find("|", w.start, w.end)
            if bar >= 0 and text.startswith("]]", w.end - 2):
                spans.append((bar + 1, w.end - 2, "wikilink display text"))
        for start, end, what in sorted(spans):
            inner = text[start:end]
            stripped = inner.strip()
            if stripped == inner or not stripped:
                continue  # (only whitespace: removing it would leave nothing to click)
            lead = len(inner) - len(inner.lstrip())
            trail = len(inner) - len(inner.rstrip())
            if is_protected(note, start, start + lead) if lead else False:
                continue
            if is_protected(note, end - trail, end) if trail else False:
                continue
            edits = []
            if lead:
                edits.append(Edit(start, start + lead, ""))
            if trail:
                edits.append(Edit(end - trail, end, ""))
            at = start if lead else end - trail
            yield self.finding(note, at, end if not lead else start + lead,
                               f"whitespace at the {'start' if lead and not trail else 'end' if not lead else 'ends'} of the {what}; remove it",
                               edits)
