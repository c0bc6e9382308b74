"""re-index-footnotes: footnotes numbered 1, 2, 3, ... in the order they are defined (the Obsidian
Linter's `re-index-footnotes`)."""

from notelint.finding import Edit
from notelint.fmt_footnotes import footnotes
from notelint.formatting import FormatRule
from notelint.plugin_rule import PluginRule


class ReIndexFootnotes(FormatRule):
    name = "re-index-footnotes"
    code = "NL570"
    summary = "Footnotes are numbered 1, 2, 3, ... in the order of their definitions"
    rationale = (
        "After footnotes are deleted or inserted their labels skip or run out of order (`[^3]`, `[^1a]`). "
        "Each definition's label and every reference to it are renumbered together, so each reference "
        "still points at the same text; a second definition identical to the first (label and text) is "
        "removed. Nothing is changed when one label has two different definitions (which one a reference "
        "means is a guess), when a new number would collide with a reference that has no definition, or "
        "inside code, math, comments, links and the frontmatter."
    )
    bad = "Text[^3] and more.[^7]\n\n[^3]: First.\n[^7]: Second.\n"
    good = "Text[^1] and more.[^2]\n\n[^1]: First.\n[^2]: Second.\n"
    fix = "safe"
    plugin = (PluginRule("re-index-footnotes"),)

    def format(self, note):
        found = footnotes(note)
        defs = found.definitions
        if not defs:
            return
        text = note.text
        body = {}  # label -> the first definition's text after its label
        order: list[str] = []
        dropped = []  # identical repeats of a definition
        for d in defs:
            rest = text[d.label_end : d.end]
            if d.label not in body:
                body[d.label] = rest
                order.append(d.label)
            elif body[d.label] == rest:
                dropped.append(d)
            else:
                yield self.finding(note, d.start, d.label_end,
                                   f"footnote [^{d.label}] is defined twice with different text; "
                                   "give one another label (footnotes are not re-indexed until then)")
                return
        new = {label: str(i) for i, label in enumerate(order, 1)}
        defined = set(new)
        orphans = {r.label for r in found.refs if r.label not in defined}
        if orphans & set(new.values()):
            return  # a new number would capture a reference without a definition
        edits = []
        for d in defs:
            if d in dropped:
                continue
            if new[d.label] != d.label:
                edits.append(Edit(d.start + 2, d.label_end - 1, new[d.label]))
        lines = note.lines
        removed = []
        for d in dropped:  # whole lines
            start = lines.starts[d.first_line]
            end = lines.starts[d.last_line + 1] if d.last_line + 1 < len(lines) else len(text)
            if removed and start <= removed[-1][1]:
                start = removed.pop()[0]  # repeats one after another: one removal
            removed.append((start, end))
        if removed and removed[-1][1] == len(text) and not text.endswith(("\n", "\r")) and removed[-1][0] > 0:
            start = removed[-1][0]  # the last line, with no line break: drop the one before it instead
            removed[-1] = (lines.ends[lines.index_of(start) - 1], len(text))
        edits += [Edit(s, e, "") for s, e in removed]
        for r in found.refs:
            if r.label in new and new[r.label] != r.label and not any(s <= r.start < e for s, e in removed):
                edits.append(Edit(r.start + 2, r.end - 1, new[r.label]))
        if not edits:
            return
        edits.sort(key=lambda e: (e.start, e.end))
        renamed = ", ".join(f"[^{lab}] → [^{new[lab]}]" for lab in order if new[lab] != lab)
        message = "footnotes are not numbered in the order they are defined"
        if renamed:
            message += f"; renumber {renamed}"
        if dropped:
            message += f"; remove {len(dropped)} repeated definition{'s' if len(dropped) > 1 else ''}"
        yield self.finding(note, edits[0].start, None, message, edits)
