"""move-footnotes-to-the-bottom: footnote definitions at the end of the note, in the order they
are referenced (the Obsidian Linter's `move-footnotes-to-the-bottom`)."""

from notelint.finding import Edit
from notelint.fmt_footnotes import footnotes
from notelint.formatting import FormatRule, protected
from notelint.options import Option
from notelint.plugin_rule import PluginRule


class MoveFootnotesToTheBottom(FormatRule):
    name = "move-footnotes-to-the-bottom"
    code = "NL571"
    summary = "Footnote definitions stand at the end of the note, in the order they are referenced"
    rationale = (
        "Definitions scattered through a note interrupt its paragraphs in the source. Each definition "
        "(with the lines that continue it) is moved, unchanged, to the end of the note, after one blank "
        "line, sorted by its first reference; a definition nothing references keeps its place after "
        "the referenced ones. The blank lines it leaves are closed up as the plugin does (at most two "
        "line breaks after it go with it). The note keeps its final line break. Nothing happens when a "
        "label is defined twice (see re-index-footnotes), and code, math, comments, definitions in "
        "quotes or lists and the frontmatter are never touched."
    )
    bad = "Text.[^1]\n\n[^1]: The footnote.\n\nMore text.\n"
    good = "Text.[^1]\n\nMore text.\n\n[^1]: The footnote.\n"
    fix = "safe"
    options = (
        Option("blank-line-between", bool, False, "Put a blank line between footnote definitions."),
    )
    plugin = (PluginRule("move-footnotes-to-the-bottom",
                         options={"include-blank-line-between-footnotes": "blank-line-between"}),)

    def format(self, note):
        found = footnotes(note)
        defs = found.definitions
        if not defs or len({d.label for d in defs}) < len(defs):
            return
        text, lines, nl = note.text, note.lines, note.newline
        chunks = []  # (start, end) removed for each definition
        for d in defs:
            start, end = lines.starts[d.first_line], lines.ends[d.last_line]
            for _ in range(2):
                if text.startswith("\r\n", end):
                    end += 2
                elif text[end : end + 1] in ("\n", "\r") and end < len(text):
                    end += 1
            chunks.append((start, end))
        for ps, pe in protected(note):  # a comment or math block running into or out of a definition
            if any(ps < e and pe > s and not (s <= ps and pe <= e) for s, e in chunks):
                return
        first_ref: dict[str, int] = {}
        for r in found.refs:
            if r.label not in first_ref and not any(s <= r.start < e for s, e in chunks):
                first_ref[r.label] = r.start
        ordered = sorted(range(len(defs)), key=lambda i: (first_ref.get(defs[i].label, len(text)), i))
        # the end of the text that stays: after its last character that is not whitespace
        body = note.body_start
        keep_end = body
        pos = len(text)
        for s, e in reversed([(body, body), *chunks]):
            segment = text[e:pos]
            stripped = segment.rstrip()
            if stripped:
                keep_end = e + len(stripped)
                break
            pos = s
        sep = nl * 2 if self.settings["blank-line-between"] else nl
        moved = sep.join(text[defs[i].start : defs[i].end] for i in ordered)
        tail = (nl * 2 if keep_end > body else "") + moved
        if text.endswith(("\n", "\r")):
            tail += nl
        edits = [Edit(s, e, "") for s, e in chunks if e <= keep_end]
        edits.append(Edit(keep_end, len(text), tail))
        target = _apply(text, edits)
        if target == text or not _same_content(note, target):
            return
        first = next((d for d, (s, e) in zip(defs, chunks) if e <= keep_end), defs[ordered[0]])
        yield self.finding(note, first.start, first.label_end,
                           "footnote definitions belong at the end of the note, in the order they are referenced; move them",
                           edits)


def _same_content(note, target: str) -> bool:
    """The moved text reads as before: every definition is still one (none swallowed by an
    unclosed code fence at the end, say) and code, math and comments hold what they held."""
    after = note.derive(target)
    if len(footnotes(after).definitions) != len(footnotes(note).definitions):
        return False

    def kept(n) -> list[str]:
        return sorted(n.text[s:e] for s, e in protected(n))
    return kept(after) == kept(note)


def _apply(text: str, edits: list) -> str:
    out, at = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        out += [text[at : e.start], e.replacement]
        at = e.end
    out.append(text[at:])
    return "".join(out)
