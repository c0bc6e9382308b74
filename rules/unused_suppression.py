"""unused-suppression: a suppression comment or frontmatter ignore that silences nothing.

The engine judges the directives after every rule has reported (`engine._suppress`, and the
fix loop's `engine._fixable_findings`), since whether one is used depends on all their
findings, vault-wide ones included; this module words the findings and builds their fixes.
"""

from __future__ import annotations

import copy
import re

import yaml

from notelint import registry, rendering, suppression, yaml_edit
from notelint.finding import Edit, Finding, Fix
from notelint.rule import Rule

# what may stand before a comment on its own line: indentation and block quote markers
CONTAINER_PREFIX = re.compile(r"[ \t]*(?:>[ \t]*)*")
BLOCK_ITEM = re.compile(r"[ \t]*-[ \t]+")
WHERE = {
    "disable-next-line": "on the next line",
    "disable-line": "on its line",
    "disable": "in its range",
    "disable-file": "in this note",
    "ignore": "in this note",
}


class UnusedSuppression(Rule):
    name = "unused-suppression"
    code = "NL005"
    summary = "A suppression comment or frontmatter ignore silences nothing"
    rationale = (
        "A suppression outlives the finding it was written for: the line gets fixed, the rule "
        "reconfigured, and the comment stays, keeping the rule off where a new problem would go "
        "unreported. Only rules that ran on the note are judged (a suppression for a rule this "
        "run did not carry, or one switched off by per-file-ignores, is left alone, as rumdl's "
        "MD087 does), and a directive naming no rule never is. Where two suppressions cover one "
        "finding, the wider one counts and the narrower one is reported. `fix` removes the "
        "directive, or only its unused names; the removal is safe when the note renders the same "
        "without it, otherwise it needs `--unsafe-fixes`. Off by default, like ruff's RUF100 and "
        "rumdl's MD087: enable it with `extend-select = [\"unused-suppression\"]`."
    )
    bad = "<!-- notelint-disable-next-line whitespace -->\nA line with nothing to report.\n"
    good = "<!-- notelint-disable-next-line whitespace -->\nA line with trailing spaces   \n"
    example_with = ("whitespace",)  # a suppression is judged only when its rule runs
    default = False
    fix = "safe"
    severity = "warning"

    def report(self, note, sup: suppression.Suppressions, dead: list[tuple[int, list[suppression.Name]]]) -> list[Finding]:
        """A finding per directive in `dead` (from `Suppressions.unused`), with its removal."""
        out = []
        for index, names in dead:
            entry = sup.entries[index]
            line, column = note.position(entry.start)
            end_line, end_column = note.position(entry.end)
            out.append(Finding(note.rel, line, column, self.name, self.code, _message(entry, names),
                               self.severity, end_line, end_column, _removal(note, sup, index, names)))
        return out


def _message(entry: suppression.Entry, names: list[suppression.Name]) -> str:
    named = [n.rule for n in names if n.rule != suppression.ALL]
    if entry.kind == "enable":
        what = "`notelint-enable" + (" " + ", ".join(named) if named else "") + "`"
        return f"{what} re-enables nothing: no range above disables it; remove it"
    shown = ", ".join(f"`{r}`" for r in named)
    images = [n.rule for n in names if (r := registry.lookup(n.rule)) is not None and r.scope == "vault"]
    hint = (f" ({', '.join(f'`{r}`' for r in images)} reports image files, which no note can suppress: "
            "use per-file-ignores)") if images else ""
    whole = len(names) == len(entry.names)
    return (f"suppression of {shown} silences nothing {WHERE[entry.kind]}{hint}; "
            f"remove {'it' if whole else 'the unused name' + ('s' if len(names) > 1 else '')}")


def _removal(note, sup: suppression.Suppressions, index: int, names: list[suppression.Name]) -> Fix | None:
    entry = sup.entries[index]
    if entry.form == "frontmatter":  # an item naming several rules is kept while one is used
        return _frontmatter_removal(note, entry) if len(names) == len(entry.names) else None
    text = note.text
    if len(names) == len(entry.names):
        edit = _comment_removal(note, entry.start, entry.end)
    else:
        edit = _names_removal(note, entry, names)
        if edit is None:
            return None
    new = text[: edit.start] + edit.replacement + text[edit.end :]
    return Fix((edit,), safe=rendering.same_rendering(note, new))


def _comment_removal(note, start: int, end: int) -> Edit:
    """Delete the comment: its whole line when nothing else is on it (but quote markers or
    indentation), else the comment and the spaces that would be left over."""
    text, lines = note.text, note.lines
    first, last = lines.index_of(start), lines.index_of(max(start, end - 1))
    line_start, line_end = lines.starts[first], lines.ends[last]
    before, after = text[line_start:start], text[end:line_end]
    if CONTAINER_PREFIX.fullmatch(before) and not after.strip(" \t"):
        if last + 1 < len(lines):
            cut_start, cut_end = line_start, lines.starts[last + 1]
            if first and lines.blank(first - 1) and last + 2 < len(lines) and lines.blank(last + 1):
                cut_end = lines.starts[last + 2]  # between blank lines: one of them goes too
        else:  # the last line, without a line break: take the one before it
            cut_start, cut_end = (lines.ends[first - 1] if first else line_start), line_end
    elif not after.strip(" \t"):
        cut_start, cut_end = line_start + len(before.rstrip(" \t")), end
    else:
        cut_start, cut_end = start, end + len(after) - len(after.lstrip(" \t"))
    # The edit also "replaces" the next character by itself: two comment lines next to each
    # other are then never removed in the same pass, each removal being judged safe alone (two
    # comment lines may be all that keeps two paragraphs apart).
    return Edit(cut_start, cut_end + 1, text[cut_end : cut_end + 1]) if cut_end < len(text) else Edit(cut_start, cut_end, "")


def _names_removal(note, entry: suppression.Entry, dead: list[suppression.Name]) -> Edit | None:
    """Rewrite the list of names without the dead ones (names not known, which
    invalid-suppression reports, stay as written)."""
    text = note.text
    opener = 4 if entry.form == "html" else 2
    closer = 3 if entry.form == "html" else 2
    body_start = entry.start + opener
    m = suppression.DIRECTIVE.match(text[body_start : entry.end - closer])
    if m is None:
        return None
    tokens = list(suppression.NAME.finditer(text, body_start + m.start(2), body_start + m.end(2)))
    gone = {n.start for n in dead}
    kept = [t.group() for t in tokens if t.start() not in gone]
    if not tokens or not kept:
        return None
    return Edit(tokens[0].start(), tokens[-1].end(), ", ".join(kept))


def _frontmatter_removal(note, entry: suppression.Entry) -> Fix | None:
    """Remove one item of `notelint: {ignore: [...]}`; the `ignore` key (or the whole
    `notelint` key) when it was the last. Every edit is checked by reading the YAML back: the
    data must be the old data without that item, or no fix is offered."""
    fm = note.frontmatter
    pair = fm.key_node("notelint")
    if pair is None or fm.error or not isinstance(pair[1], yaml.MappingNode):
        return None
    own_key, own = pair
    ignore = next(((k, v) for k, v in own.value if isinstance(k, yaml.ScalarNode) and k.value == "ignore"), None)
    if ignore is None:
        return None
    items = ignore[1].value if isinstance(ignore[1], yaml.SequenceNode) else [ignore[1]]
    starts = [fm.start + n.start_mark.index for n in items]
    if entry.start not in starts:
        return None
    position = starts.index(entry.start)
    expected = copy.deepcopy(fm.data)
    listed = expected["notelint"]["ignore"]
    if isinstance(listed, list):
        del listed[position]
    if not isinstance(listed, list) or not listed:
        del expected["notelint"]["ignore"]
        if not expected["notelint"]:
            del expected["notelint"]
    edit = _yaml_edit(note, own_key, own, ignore, items, position)
    if edit is None:
        return None
    new = note.derive(note.text[: edit.start] + edit.replacement + note.text[edit.end :])
    if new.frontmatter.error or new.frontmatter.data != expected:
        return None
    return Fix((edit,), safe=True)


def _yaml_edit(note, own_key, own, ignore, items, position: int) -> Edit | None:
    base = note.frontmatter.start
    text = note.text
    remaining = [n for i, n in enumerate(items) if i != position]
    seq = ignore[1]
    if remaining and isinstance(seq, yaml.SequenceNode):
        if seq.flow_style:
            sources = [text[base + n.start_mark.index : base + n.end_mark.index] for n in remaining]
            return Edit(base + seq.start_mark.index, base + seq.end_mark.index, "[" + ", ".join(sources) + "]")
        item_start = base + items[position].start_mark.index
        return _whole_lines(note, item_start, base + items[position].end_mark.index, BLOCK_ITEM)
    # the last item: remove `ignore`, or `notelint` when it holds nothing else
    if len(own.value) == 1:
        return _whole_lines(note, base + own_key.start_mark.index, base + own.end_mark.index, None)
    if own.flow_style:
        return None
    return _whole_lines(note, base + ignore[0].start_mark.index, base + ignore[1].end_mark.index, None)


def _whole_lines(note, start: int, end: int, lead: re.Pattern | None) -> Edit | None:
    """Delete the lines from `start`'s to `end`'s, when only indentation (or `lead`, such as
    `- `) precedes `start` on its line."""
    lines = note.lines
    first = lines.index_of(start)
    before = note.text[lines.starts[first] : start]
    if not (lead.fullmatch(before) if lead else not before.strip(" \t")):
        return None
    return Edit(lines.starts[first], yaml_edit.line_after(note, end), "")
