"""blockquote-style: a space after each `>` of a blockquote, or none."""

import re

from notelint import fmt_inline
from notelint.finding import Edit
from notelint.formatting import FormatRule, math_spans
from notelint.options import Option
from notelint.plugin_rule import PluginRule

PREFIX = re.compile(r"[ \t>]*")
# the plugin's `startsWithListMarkerRegex`: a list item or checklist marker starts the line's content
LIST_MARKER = re.compile(r"\s*(?:- |\* |\+ |\d+[.)] |- \[.\] )")


def add_space(prefix: str, list_line: bool, content: bool) -> str:
    """`>` followed by one space; a line with nothing after its markers ends in `>`."""
    if not content:
        out = re.sub(r">([^ >])", r"> \1", prefix)
        return re.sub(r"[ \t]+\Z", "", out.replace(">>", "> >"))
    out = re.sub(r">([^ ]|\Z)", r"> \1", prefix).replace(">>", "> >")
    if list_line:
        return out  # the spaces before a list marker may nest the list: kept
    return re.sub(r">(?:[ \t]{2,}|\t+)", "> ", out)


def remove_space(prefix: str, list_line: bool, content: bool) -> str:
    if list_line:
        return re.sub(r">[ \t]+>", ">>", prefix)
    return re.sub(r">[ \t]+", ">", prefix)


class BlockquoteStyle(FormatRule):
    name = "blockquote-style"
    code = "NL532"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Blockquote markers written one way: `> text` (a space after each `>`) or `>text`"
    rationale = (
        "`>text`, `> text` and `>>text` all make a blockquote, but one way of writing them keeps diffs and "
        "searches simple. With `space`, every `>` is followed by one space (`> > nested`) and a line with "
        "nothing after its markers ends in `>`; with `no space`, the markers are written together (`>>nested`). "
        "Only the markers at a line's start change, and only where the note renders the same afterwards: "
        "spaces that indent a list, a list item's continuation or code inside the quote are kept. Lines of "
        "code blocks, HTML blocks, math blocks and comments are never touched, nor is the frontmatter."
    )
    bad = "# Quote\n\n>A quote without a space\n>>and a nested one\n"
    good = "# Quote\n\n> A quote without a space\n> > and a nested one\n"
    fix = "safe"
    markdownlint = "MD027"
    options = (
        Option("style", ("space", "no space"), "space",
               "`space`: each `>` is followed by a space (`> > text`); `no space`: none (`>>text`)."),
    )
    plugin = (PluginRule("blockquote-style", options={"style": "style"}),)

    def format(self, note):
        quotes = [n for n in fmt_inline.nodes(note) if n.kind == "BlockQuote"]
        if not quotes:
            return
        lines, text = note.lines, note.text
        skip = self._skipped_lines(note)
        containing: dict[int, list] = {}
        for q in quotes:
            first, last = lines.index_of(q.start), lines.index_of(max(q.start, q.end - 1))
            for i in range(first, last + 1):
                containing.setdefault(i, []).append((q.start, first))
        change = add_space if self.settings["style"] == "space" else remove_space
        todo = []  # (start, end, replacement, markers as written, markers wanted)
        for i in sorted(containing):
            if i in skip:
                continue
            ls = lines.starts[i]
            orig = cur = lines.line(i)
            lo = len(orig)
            # each quote holding the line rewrites its markers, the innermost first (as the plugin
            # does); a quote starting on this line reads them from its own `>`, others from the line's start
            for start, first in sorted(containing[i], reverse=True):
                at = start - ls if first == i else 0
                lo = min(lo, at)
                n = PREFIX.match(cur, at).end() - at
                rest = orig[PREFIX.match(orig, at).end():]
                new = change(cur[at:at + n], bool(LIST_MARKER.match(rest)), rest.strip() != "")
                cur = cur[:at] + new + cur[at + n:]
            if cur == orig:
                continue
            a = 0
            while a < min(len(cur), len(orig)) and cur[a] == orig[a]:
                a += 1
            b = 0
            while b < min(len(cur), len(orig)) - a and cur[-1 - b] == orig[-1 - b]:
                b += 1
            was = orig[lo:PREFIX.match(orig, lo).end()]
            want = cur[lo:PREFIX.match(cur, lo).end()]
            todo.append((ls + a, ls + len(orig) - b, cur[a:len(cur) - b], was, want))
        groups = [[Edit(s, e, r)] for s, e, r, _, _ in todo]
        ok = fmt_inline.keep_safe(note, groups)
        style = self.settings["style"]
        for (s, e, _, was, want), group, good in zip(todo, groups, ok):
            if good:
                yield self.finding(note, s, e if e > s else None,
                                   f"blockquote markers {was!r} do not follow the `{style}` style; write {want!r}", group)

    def _skipped_lines(self, note):
        """Lines of code blocks, HTML blocks, comments and display math: never rewritten."""
        lines = note.lines
        doc = note.markdown
        spans = [(b.start, b.end) for b in doc.code_blocks]
        spans += [(b.start, b.end) for b in doc.html_blocks]
        spans += [(c.start, c.end) for c in doc.comments]
        outside = spans + [(c.start, c.end) for c in doc.code_spans]
        spans += [(s, e) for s, e in math_spans(note, outside) if note.text.startswith("$$", s)]
        out = set()
        for s, e in spans:
            out.update(range(lines.index_of(s), lines.index_of(max(s, e - 1)) + 1))
        return out
