"""Suppression comments and frontmatter ignores, per the spec:

    <!-- notelint-disable RULE[,RULE] --> ... <!-- notelint-enable RULE -->
    <!-- notelint-disable-next-line RULE -->
    <!-- notelint-disable-file RULE -->
    %% notelint-disable RULE %%            (the same, in an Obsidian comment)
    notelint: {ignore: [RULE]}             (frontmatter)

No rule named means every rule. Names or codes are accepted; an unknown one is returned
as a problem for the `invalid-suppression` rule to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from notelint import registry
from notelint.note import Note

DIRECTIVE = re.compile(r"^\s*notelint-(disable-next-line|disable-file|disable|enable)\b([^\n]*?)\s*$", re.S)
ALL = "*"


@dataclass
class Suppressions:
    file_wide: set[str] = field(default_factory=set)
    next_line: dict[int, set[str]] = field(default_factory=dict)  # 1-based line -> rules off there
    events: list[tuple[int, str, set[str]]] = field(default_factory=list)  # (line, disable|enable, rules)
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, message)

    def suppressed(self, rule_name: str, line: int) -> bool:
        if ALL in self.file_wide or rule_name in self.file_wide:
            return True
        off_here = self.next_line.get(line)
        if off_here and (ALL in off_here or rule_name in off_here):
            return True
        # replay the range directives that precede the line (a directive applies from its own line)
        all_off, off, back_on = False, set(), set()
        for ev_line, kind, names in self.events:
            if ev_line > line:
                break
            if kind == "disable":
                if ALL in names:
                    all_off, back_on = True, set()
                else:
                    off |= names
                    back_on -= names
            elif ALL in names:
                all_off, off, back_on = False, set(), set()
            else:
                off -= names
                if all_off:
                    back_on |= names
        return rule_name in off or (all_off and rule_name not in back_on)


def _names(raw: str, start: int, end: int, problems: list) -> set[str]:
    parts = [p for p in re.split(r"[\s,]+", raw.strip()) if p]
    if not parts:
        return {ALL}
    out: set[str] = set()
    for part in parts:
        rule = registry.lookup(part)
        if rule is None:
            hint = registry.closest(part)
            problems.append((start, end, f"suppression names unknown rule `{part}`" + (f" (did you mean `{hint}`?)" if hint else "")))
        else:
            out.add(rule.name)
    return out


def collect(note: Note) -> Suppressions:
    sup = Suppressions()
    fm = note.frontmatter
    own = fm.data.get("notelint") if fm.data else None
    if isinstance(own, dict) and "ignore" in own:
        ignore = own["ignore"]
        if isinstance(ignore, str):
            ignore = [ignore]
        pair = fm.key_node("notelint")
        start = fm.start + pair[0].start_mark.index if pair else 0
        for name in ignore if isinstance(ignore, list) else []:
            sup.file_wide |= _names(str(name), start, start + len("notelint"), sup.problems)
    if "notelint-" not in note.text:
        return sup
    for comment in note.markdown.comments:
        m = DIRECTIVE.match(comment.body)
        if not m:
            continue
        kind, raw = m.group(1), m.group(2)
        names = _names(raw, comment.start, comment.end, sup.problems)
        if not names:
            continue  # only unknown rules were named: reported, and nothing is switched off
        if kind == "disable-file":
            sup.file_wide |= names
        elif kind == "disable-next-line":
            sup.next_line.setdefault(note.position(comment.end)[0] + 1, set()).update(names)
        else:
            sup.events.append((note.position(comment.start)[0], kind, names))
    return sup


def of(note: Note) -> Suppressions:
    """The note's suppressions, computed once per note."""
    if "suppressions" not in note._cache:
        note._cache["suppressions"] = collect(note) if note.readable else Suppressions()
    return note._cache["suppressions"]
