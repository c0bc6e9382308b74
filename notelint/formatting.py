"""What every formatting rule (category "format") shares: off by default, the Obsidian Linter's own
suppressions honoured, and one answer to "may this text be touched?".

A formatting rule normalises style; it never changes what a note says. So it leaves alone every
byte that is content rather than formatting: the frontmatter (unless it is a YAML rule), fenced and
indented code, inline code, math, HTML blocks and comments, and Obsidian `%%` comments
(`protected`). And where the owner told the Obsidian Linter to keep out, notelint keeps out too:
`<!-- linter-disable -->` / `%%linter-disable%%` ranges (to `linter-enable`, or the note's end) and a
frontmatter `disabled rules: [alias, ...]` (or `all`) switch the corresponding rules off there.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from notelint.finding import Finding, Fix
from notelint.note import Note
from notelint.rule import Rule

RANGE_DIRECTIVE = re.compile(r"\s*linter-(disable|enable)\s*")
DISABLED_KEY = "disabled rules"
QUOTE_PREFIX = re.compile(r"[ ]{0,3}>(?:[ ]?>)*[ ]?|[ ]{0,3}(?:>[ ]?)+")
# `$$` opens a display math block at a line's start (after a quote prefix); inline `$…$` needs a
# non-space after the opening and before the closing `$`, and no digit right after it ($5 and $6).
DISPLAY_MATH = re.compile(r"\$\$")
INLINE_MATH = re.compile(r"(?<![\\$])\$(?=[^\s$])((?:\\.|[^$\\\n])*?[^\s\\$])\$(?!\d)")


class FormatRule(Rule):
    """Base of the formatting rules: subclasses implement `format` (not `check`)."""

    category: ClassVar[str] = "format"
    default: ClassVar[bool] = False
    fix = "safe"
    # True when some of a safe rule's fixes are unsafe (marked so on their findings): they apply
    # only with `--unsafe-fixes`, and the rule's page says so
    some_unsafe: ClassVar[bool] = False
    # a YAML rule edits inside the frontmatter; every other formatting rule never does
    yaml_rule: ClassVar[bool] = False
    # True when the safe fix never changes what the note renders to (only its Markdown source):
    # tests/test_format_properties.py renders notes with markdown-it before and after to hold it
    render_neutral: ClassVar[bool] = False

    def format(self, note: Note) -> Iterable[Finding]:
        return ()

    def unsafe(self, finding: Finding) -> Finding:
        """The finding with its fix marked unsafe (for a rule with `some_unsafe`)."""
        if finding.fix is not None:
            finding.fix = Fix(finding.fix.edits, safe=False)
        return finding

    def check(self, note: Note) -> Iterator[Finding]:
        if not note.readable or note.template:
            return
        aliases = {p.alias for p in self.plugin}
        off = plugin_off(note)
        if off.everything or aliases & off.rules:
            return
        ranges = off.ranges
        for f in self.format(note):
            if ranges and _in_ranges(note, f, ranges):
                continue
            yield f


class PluginOff:
    """Where the Obsidian Linter's own suppressions switch its rules off in one note."""

    __slots__ = ("everything", "rules", "ranges")

    def __init__(self, everything: bool, rules: frozenset[str], ranges: list[tuple[int, int]]):
        self.everything, self.rules, self.ranges = everything, rules, ranges


def plugin_off(note: Note) -> PluginOff:
    """The note's `disabled rules` and `linter-disable` ranges, computed once per note."""
    cached = note._cache.get("format.plugin_off")
    if cached is None:
        cached = note._cache["format.plugin_off"] = _plugin_off(note)
    return cached


def _plugin_off(note: Note) -> PluginOff:
    everything, rules = False, frozenset()
    data = note.frontmatter.data if note.frontmatter.present and not note.frontmatter.error else None
    value = data.get(DISABLED_KEY) if isinstance(data, dict) else None
    if value is not None:
        items = value if isinstance(value, list) else [value]
        names = frozenset(str(v).strip() for v in items if v is not None)
        everything, rules = "all" in names, names
    ranges: list[tuple[int, int]] = []
    if "linter-" in note.text:
        start = None
        for c in note.markdown.comments:
            m = RANGE_DIRECTIVE.fullmatch(c.body)
            if m is None:
                continue
            if m.group(1) == "disable" and start is None:
                start = c.start
            elif m.group(1) == "enable" and start is not None:
                ranges.append((start, c.end))
                start = None
        if start is not None:
            ranges.append((start, len(note.text)))  # an unclosed range runs to the note's end
    return PluginOff(everything, rules, ranges)


def _in_ranges(note: Note, f: Finding, ranges: list[tuple[int, int]]) -> bool:
    spans = [(e.start, e.end) for e in f.fix.edits] if f.fix is not None else []
    at = note.lines.offset(f.line, f.column)
    spans.append((at, at))
    return any(s < r_end and e >= r_start and not (s == e == r_end) for s, e in spans for r_start, r_end in ranges)


def protected(note: Note) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) spans of the note's text that are content, not formatting:
    frontmatter, code blocks and spans, HTML blocks, comments of both kinds, math."""
    cached = note._cache.get("format.protected")
    if cached is not None:
        return cached
    doc = note.markdown
    spans = [(0, note.body_start)] if note.body_start else []
    spans += [(b.start, b.end) for b in doc.code_blocks]
    spans += [(b.start, b.end) for b in doc.code_spans]
    spans += [(b.start, b.end) for b in doc.html_blocks]
    spans += [(c.start, c.end) for c in doc.comments]
    spans += math_spans(note, spans)
    note._cache["format.protected"] = merged = merge(spans)
    return merged


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:  # overlapping (adjacent spans stay apart: text may go between them)
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def is_protected(note: Note, start: int, end: int | None = None) -> bool:
    """Whether any of text[start:end] (or the character at `start`) lies in a protected span."""
    spans = protected(note)
    end = start + 1 if end is None or end <= start else end
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    if i >= 0 and spans[i][1] > start:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < end


def protected_lines(note: Note) -> set[int]:
    """0-based lines any protected span (but the frontmatter) touches: code, HTML, comments, math."""
    cached = note._cache.get("format.protected_lines")
    if cached is None:
        lines = note.lines
        cached = set()
        for s, e in protected(note):
            if e <= note.body_start:
                continue
            cached.update(range(lines.index_of(max(s, note.body_start)), lines.index_of(max(e - 1, s)) + 1))
        note._cache["format.protected_lines"] = cached
    return cached


def math_spans(note: Note, outside: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`$$ … $$` display math and `$…$` inline math in the body, not inside `outside` spans
    (code, comments). Obsidian's rules: display math may start anywhere on a line and runs to the
    next `$$`; inline math is a `$` followed by a non-space, closed by a non-space and `$`."""
    text = note.text
    if "$" not in text:
        return []
    body = note.body_start
    skip = merge(outside)

    def hidden(pos: int) -> bool:
        i = bisect.bisect_right(skip, (pos, float("inf"))) - 1
        return i >= 0 and skip[i][1] > pos

    out: list[tuple[int, int]] = []
    pos = body
    while True:
        m = DISPLAY_MATH.search(text, pos)
        if m is None:
            break
        if hidden(m.start()) or (m.start() > 0 and text[m.start() - 1] == "\\"):
            pos = m.end()
            continue
        close = m.end()
        while True:
            c = text.find("$$", close)
            if c < 0 or not hidden(c):
                break
            close = c + 2
        if c < 0:
            break  # an unclosed `$$`: not math
        out.append((m.start(), c + 2))
        pos = c + 2
    blocks = merge(skip + out)
    for m in INLINE_MATH.finditer(text, body):
        i = bisect.bisect_right(blocks, (m.start(), float("inf"))) - 1
        if i >= 0 and blocks[i][1] > m.start():
            continue
        out.append((m.start(), m.end()))
    return out


def quote_prefix(line: str) -> str:
    """The blockquote markers a line starts with (`> `, `> > `, `>`), or ''."""
    m = QUOTE_PREFIX.match(line)
    return m.group() if m and ">" in m.group() else ""


def quote_depth(line: str) -> int:
    return quote_prefix(line).count(">")
