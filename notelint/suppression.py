"""Suppression comments and frontmatter ignores, per the spec:

    <!-- notelint-disable RULE[,RULE] --> ... <!-- notelint-enable RULE -->
    <!-- notelint-disable-next-line RULE -->
    text <!-- notelint-disable-line RULE -->   (the comment's own line)
    <!-- notelint-disable-file RULE -->
    %% notelint-disable RULE %%            (the same, in an Obsidian comment)
    notelint: {ignore: [RULE]}             (frontmatter)

No rule named means every rule. Names or codes are accepted; an unknown one is returned
as a problem for the `invalid-suppression` rule to report.

Each directive (each item of a frontmatter `ignore` list) is an `Entry`. `Suppressions.silencer`
names the entry that silences a finding, so `unused-suppression` can tell the entries that
silence nothing. The entries are also a cached note fact (`fact`, `from_fact`): a warm run
applies suppressions without parsing the note.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from notelint import registry

if TYPE_CHECKING:
    from notelint.finding import Finding
    from notelint.note import Note

# The spec's directives, and `disable-line` (the line the comment starts on), which users bring from
# markdownlint (README "Configuration": `<!-- markdownlint-disable-line -->`) and rumdl
# (docs/inline-configuration.md). A kind ends at a space or a comma: `notelint-disable-line` is never
# `disable` naming a rule `-line` (which switched the rule off to the end of the note). The rule names
# are on the comment's first line; the `-->` or `%%` may close it on a later one.
DIRECTIVE = re.compile(
    r"^\s*notelint-(disable-next-line|disable-line|disable-file|disable|enable)(?![\w-])([^\n]*?)\s*$", re.S)
ANY_DIRECTIVE = re.compile(r"^\s*(notelint-[\w-]+)")  # what a comment that is no directive tried to be
KINDS = ("disable-next-line", "disable-line", "disable-file", "disable", "enable")
LINE_KINDS = ("disable-next-line", "disable-line")  # entries that silence one line (`Entry.target`)
NAME = re.compile(r"[^\s,]+")
ALL = "*"
FACT = "suppressions"  # the note-fact kind the entries are cached under
UNUSED_RULE = "unused-suppression"
FILE_WIDE = ("ignore", "disable-file")


@dataclass(slots=True)
class Name:
    """One rule a directive names (ALL: no rule named), with where it is written."""

    rule: str
    start: int
    end: int


@dataclass(slots=True)
class Entry:
    """One directive: `kind` is ignore (a frontmatter item), disable-file, disable, enable or
    disable-next-line or disable-line; `form` is frontmatter, html or obsidian; `start`/`end` span
    the comment (the item, in frontmatter); `line` is where it starts and `target` the line a
    disable-next-line or disable-line applies to."""

    kind: str
    form: str
    start: int
    end: int
    line: int
    target: int
    names: list[Name]

    def to_json(self) -> list:
        return [self.kind, self.form, self.start, self.end, self.line, self.target,
                [[n.rule, n.start, n.end] for n in self.names]]

    @classmethod
    def from_json(cls, row: list) -> Entry:
        kind, form, start, end, line, target, names = row
        return cls(kind, form, start, end, line, target, [Name(*n) for n in names])


@dataclass
class _Range:
    """The range directives in force from `line` on: entry index per rule switched off by a
    named `disable`, the blanket `disable` in force (or None) and the rules enabled again
    inside it (one of them disabled again by name answers to that `disable`, not the blanket)."""

    line: int
    off: dict[str, int]
    all_off: int | None
    back_on: frozenset[str]


@dataclass
class Suppressions:
    entries: list[Entry] = field(default_factory=list)
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, message)

    def __post_init__(self) -> None:
        self._file_wide = [i for i, e in enumerate(self.entries) if e.kind in FILE_WIDE]
        self._one_line: dict[int, list[int]] = {}
        for i, e in enumerate(self.entries):
            if e.kind in LINE_KINDS:
                self._one_line.setdefault(e.target, []).append(i)
        self._ranges: list[_Range] = []
        self._dead_enables: dict[int, list[Name]] = {}  # enable entries' names that enable nothing
        off: dict[str, int] = {}
        all_off: int | None = None
        back_on: set[str] = set()
        events = sorted((e.line, e.start, i) for i, e in enumerate(self.entries) if e.kind in ("disable", "enable"))
        for line, _start, i in events:
            entry = self.entries[i]
            for name in entry.names:
                if entry.kind == "disable":
                    if name.rule == ALL:
                        all_off, back_on = i, set()
                    else:
                        off[name.rule] = i  # (kept in back_on: the blanket range no longer covers it)
                elif name.rule == ALL:
                    if all_off is None and not off:
                        self._dead_enables.setdefault(i, []).append(name)
                    all_off, off, back_on = None, {}, set()
                else:
                    if name.rule not in off and (all_off is None or name.rule in back_on):
                        self._dead_enables.setdefault(i, []).append(name)
                    off.pop(name.rule, None)
                    if all_off is not None:
                        back_on.add(name.rule)
            self._ranges.append(_Range(line, dict(off), all_off, frozenset(back_on)))
        self._range_lines = [r.line for r in self._ranges]

    @property
    def empty(self) -> bool:
        return not self.entries

    def silencer(self, rule: str, line: int) -> tuple[int, str] | None:
        """(entry index, name) of the suppression that silences `rule` on `line`, or None.
        Where several would, the widest answers (file-wide, then a range, then a line comment;
        a blanket one before a named one, the first written before later ones), as rumdl's
        MD087 does: the narrower one is the one whose removal would change nothing."""
        for i in self._file_wide:
            hit = self._named(i, rule)
            if hit is not None:
                return hit
        k = bisect.bisect_right(self._range_lines, line) - 1  # a directive applies from its own line
        if k >= 0:
            state = self._ranges[k]
            if state.all_off is not None and rule not in state.back_on:
                return state.all_off, ALL
            if rule in state.off:
                return state.off[rule], rule
        for i in self._one_line.get(line, ()):
            hit = self._named(i, rule)
            if hit is not None:
                return hit
        return None

    def _named(self, i: int, rule: str) -> tuple[int, str] | None:
        names = {n.rule for n in self.entries[i].names}
        if ALL in names:
            return i, ALL
        if rule in names:
            return i, rule
        return None

    def suppressed(self, rule_name: str, line: int) -> bool:
        return self.silencer(rule_name, line) is not None

    def unused(self, used: set[tuple[int, str]], judged: set[str]) -> list[tuple[int, list[Name]]]:
        """(entry index, names) of every directive that silences nothing: a name of a `judged`
        rule (one that ran on the note) that silenced no finding, or an `enable` that closes no
        range. Blanket directives are never judged: they also switch off rules this run did not
        carry (rumdl's MD087 leaves them alone for the same reason)."""
        out = []
        for i, entry in enumerate(self.entries):
            if entry.kind == "enable":
                dead = [n for n in self._dead_enables.get(i, ()) if n.rule != UNUSED_RULE]
            else:
                dead = [n for n in entry.names if n.rule in judged and n.rule != UNUSED_RULE
                        and (i, n.rule) not in used]
            if dead:
                out.append((i, dead))
        return out


def apply(findings: list[Finding], sup: Suppressions) -> tuple[list[Finding], set[tuple[int, str]]]:
    """(the findings no suppression silences, the (entry, name) pairs that silenced some).
    An unreadable note is never silenced: nothing in it could be read."""
    if sup.empty or not findings:
        return findings, set()
    kept, used = [], set()
    for f in findings:
        hit = None if f.rule == "unreadable-note" else sup.silencer(f.rule, f.line)
        if hit is None:
            kept.append(f)
        else:
            used.add(hit)
    return kept, used


def _names(raw: str, offset: int, start: int, end: int, problems: list) -> list[Name]:
    """The rules named in `raw` (which starts at `offset` of the note's text); unknown names
    are problems reported at `start`..`end`."""
    out: list[Name] = []
    for m in NAME.finditer(raw):
        rule = registry.lookup(m.group())
        if rule is None:
            hint = registry.closest(m.group())
            problems.append((start, end, f"suppression names unknown rule `{m.group()}`" + (f" (did you mean `{hint}`?)" if hint else "")))
        elif rule.name not in {n.rule for n in out}:
            out.append(Name(rule.name, offset + m.start(), offset + m.end()))
    return out


def collect(note: Note) -> Suppressions:
    entries: list[Entry] = []
    problems: list[tuple[int, int, str]] = []
    _frontmatter_entries(note, entries, problems)
    if "notelint-" in note.text:
        for comment in note.markdown.comments:
            m = DIRECTIVE.match(comment.body)
            if not m:
                unread = _not_a_directive(comment.body)
                if unread:
                    problems.append((comment.start, comment.end, unread))
                continue
            kind = m.group(1)
            body_at = comment.start + (4 if comment.kind == "html" else 2)
            raw_at = body_at + m.start(2)
            if NAME.search(m.group(2)):
                names = _names(m.group(2), raw_at, comment.start, comment.end, problems)
                if not names:
                    continue  # only unknown rules were named: reported, and nothing is switched off
            else:
                names = [Name(ALL, raw_at, raw_at)]
            line = note.position(comment.start)[0]
            if kind == "disable-next-line":  # the line after the comment's end (`-->` may sit on a line of its own)
                target = note.position(comment.end)[0] + 1
            else:
                target = line if kind == "disable-line" else 0
            entries.append(Entry(kind, comment.kind, comment.start, comment.end, line, target, names))
    return Suppressions(entries, problems)


def _not_a_directive(body: str) -> str | None:
    """Why a comment starting with a `notelint-` word suppresses nothing, or None for any other
    comment: a misspelt directive would otherwise leave the finding silently reported."""
    m = ANY_DIRECTIVE.match(body)
    if m is None:
        return None
    if m.group(1).removeprefix("notelint-") in KINDS:  # text goes on past the first line
        return (f"`{m.group(1)}` is not read: write its rule names on the comment's first line, "
                "with nothing after them but the comment's end")
    return f"`{m.group(1)}` is not a suppression directive (known: {', '.join('notelint-' + k for k in KINDS)})"


def _frontmatter_entries(note: Note, entries: list[Entry], problems: list) -> None:
    """One `ignore` entry per item of `notelint: {ignore: [...]}` (a string is one item)."""
    fm = note.frontmatter
    own = fm.data.get("notelint") if fm.data else None
    if not isinstance(own, dict) or "ignore" not in own:
        return
    pair = fm.key_node("notelint")
    key_start = fm.start + pair[0].start_mark.index if pair else 0
    key_end = key_start + len("notelint")
    ignore = own["ignore"]
    items = [ignore] if isinstance(ignore, str) else ignore if isinstance(ignore, list) else []
    nodes = _ignore_item_nodes(pair[1] if pair else None, len(items))
    for item, node in zip(items, nodes):
        start, end = (fm.start + node.start_mark.index, fm.start + node.end_mark.index) if node else (key_start, key_end)
        text = str(item)
        if NAME.search(text) is None:
            names = [Name(ALL, start, end)]
        else:
            found = _names(text, start, key_start, key_end, problems)
            names = [Name(n.rule, start, end) for n in found]  # the item as a whole is the name
        if names:
            entries.append(Entry("ignore", "frontmatter", start, end, note.position(start)[0], 0, names))


def _ignore_item_nodes(value: yaml.Node | None, count: int) -> list[yaml.Node | None]:
    """The YAML nodes of the `ignore` items (for their positions), or Nones when the
    composed tree does not line up with the loaded data (aliases, merge keys)."""
    if isinstance(value, yaml.MappingNode):
        for k, v in value.value:
            if isinstance(k, yaml.ScalarNode) and k.value == "ignore":
                nodes = v.value if isinstance(v, yaml.SequenceNode) else [v]
                if len(nodes) == count and all(isinstance(n, yaml.ScalarNode) for n in nodes):
                    return list(nodes)
    return [None] * count


def of(note: Note) -> Suppressions:
    """The note's suppressions, computed once per note."""
    if "suppressions" not in note._cache:
        note._cache["suppressions"] = collect(note) if note.readable else Suppressions()
    return note._cache["suppressions"]


def fact(note: Note) -> list | None:
    """The note's suppression entries as JSON data (the note fact `FACT`); None when it has none."""
    sup = of(note)
    return [e.to_json() for e in sup.entries] if sup.entries else None


def from_fact(data: list | None) -> Suppressions:
    return Suppressions([Entry.from_json(row) for row in data or ()])
