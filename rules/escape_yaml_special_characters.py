"""escape-yaml-special-characters: quote frontmatter values holding `: `, `'` or `"`."""

import re

import yaml

from notelint.finding import Edit
from notelint.fmt_yaml_keys import basic_escape, reads_as, parses_after
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

BLOCK_INDICATOR = re.compile(r"[|>][-+0-9]*\s*(?:#.*)?")
UNSAFE_START = ("{", "&", "*", "!", "|", ">", "%", "@", "`", "#")


class EscapeYamlSpecialCharacters(FormatRule):
    name = "escape-yaml-special-characters"
    code = "NL554"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Quote frontmatter values that hold `: `, `'` or `\"`"
    rationale = (
        "A plain YAML value may not hold `: ` (`key: a: b` does not parse, and `- a: b` is a mapping, not "
        "the text it looks like), and a value with a quote in it reads wrongly in some tools. Such a value "
        "is quoted with the escape character, or with the quote it does not hold; a value holding both "
        "quotes is left alone. Only single-line values are touched, never a value that is already quoted, "
        "a block scalar, a flow mapping, a comment or a value with a trailing comment; with "
        "`try-to-escape-single-line-arrays` the items of `[a, b]` lists are quoted the same way. A quoted "
        "value always reads back as exactly the text that was written, and the frontmatter must still parse."
    )
    bad = "---\nsources:\n  - Smith: a history\n---\nText\n"
    good = "---\nsources:\n  - \"Smith: a history\"\n---\nText\n"
    fix = "safe"
    yaml_rule = True
    options = (
        Option("try-to-escape-single-line-arrays", bool, False,
               "Also quote the items of single-line `[a, b]` lists (items are split at every comma)."),
        Option("escape-character", ('"', "'"), '"', "The quote to use when the value holds neither quote."),
    )
    plugin = (PluginRule("escape-yaml-special-characters", options={
        "try-to-escape-single-line-arrays": "try-to-escape-single-line-arrays",
        "commonStyles.escapeCharacter": "escape-character",
    }),)
    differences = (
        ("YAML with unescaped values",
         "`key: value: with colon in the middle` is not valid YAML, and notelint never rewrites a note whose "
         "frontmatter does not parse: the rule reports the line (with its fix), `notelint fix` leaves the note "
         "as it is until the frontmatter parses"),
    )

    def format(self, note):
        fm = note.frontmatter
        if not fm.present or fm.end <= fm.start:
            return
        valid = fm.error is None
        if valid and fm.root is None:
            return
        quote = self.settings["escape-character"]
        arrays = self.settings["try-to-escape-single-line-arrays"]
        lines, text = note.lines, note.text
        first, last = lines.index_of(fm.start), lines.index_of(fm.end - 1)
        if fm.end > fm.start and text[fm.end - 1] not in "\r\n":
            return  # (never: the closing fence starts a line)
        skip = _multiline_lines(note) if valid else _block_scalar_lines(note, first, last)
        starts = _node_spans(note) if valid else None
        for i in range(first, last + 1):
            if i in skip:
                continue
            raw = lines.line(i)
            line = raw.strip(" \t")
            if not line or line.startswith("#"):
                continue
            colon = line.find(":")
            starts_with_dash = line.startswith("-")
            if (colon < 0 or colon + 1 >= len(line)) and starts_with_dash and len(line) < 2:
                continue
            value_start = 1
            if not starts_with_dash:
                value_start += colon
            elif colon != -1:
                expected = raw.index("-") + 1
                while expected < len(raw) and raw[expected] == " ":
                    expected += 1
                nxt = lines.line(i + 1) if i + 1 < len(lines) else ""
                actual = len(nxt) - len(nxt.lstrip(" "))
                if expected <= actual:
                    value_start += colon
            value = line[value_start:].strip(" \t")
            if not value or value.startswith(UNSAFE_START) or " #" in value or "\t#" in value:
                continue
            trimmed = raw.rstrip(" \t")
            at = lines.starts[i] + len(trimmed) - len(value)
            end = at + len(value)
            if starts is not None and starts.get(at) != end:
                continue  # not where a value node starts and ends (a quoted key holding `:`, ...)
            if value.startswith("["):
                if arrays and len(value) >= 3:
                    yield from self._array(note, at, value, quote, valid)
                continue
            new = basic_escape(value, quote)
            if new == value or not reads_as(new, value):
                continue
            edit = Edit(at, end, new)
            if valid and not parses_after(note, [edit]):
                continue
            yield self.finding(note, at, end, f"value {_show(value)} holds {_what(value)}; quote it as {new}", [edit])

    def _array(self, note, at: int, value: str, quote: str, valid: bool):
        inner = value[1:-1]
        pos = at + 1
        for item in inner.split(","):
            item_at = pos
            pos += len(item) + 1
            core = item.strip(" \t")
            if core.startswith("["):
                core = core[1:].lstrip(" \t")
            if core.endswith("]"):
                core = core[:-1].rstrip(" \t")
            if not core or "#" in core or core.startswith(UNSAFE_START):
                continue
            new = basic_escape(core, quote)
            if new == core or not reads_as(new, core):
                continue
            start = item_at + item.index(core)
            edit = Edit(start, start + len(core), new)
            if valid and not parses_after(note, [edit]):
                continue
            yield self.finding(note, start, start + len(core),
                               f"list item {_show(core)} holds {_what(core)}; quote it as {new}", [edit])


def _show(value: str) -> str:
    return "`" + (value if len(value) <= 40 else value[:37] + "...") + "`"


def _what(value: str) -> str:
    if ": " in value and "'" not in value and '"' not in value:
        return "`: `"
    return "a quote" if ("'" in value) != ('"' in value) else "`: `"


def _node_spans(note) -> dict[int, int]:
    """Start -> end (trailing whitespace dropped) of every value node and sequence item, and of every
    flow sequence: the places a whole value can be quoted."""
    base, text = note.frontmatter.start, note.text
    out: dict[int, int] = {}

    def add(node):
        s, e = base + node.start_mark.index, base + node.end_mark.index
        while e > s and text[e - 1] in " \t\r\n":
            e -= 1
        out.setdefault(s, e)

    stack = [note.frontmatter.root]
    seen = set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for _k, v in node.value:
                add(v)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                add(v)
                stack.append(v)
    return out


def _multiline_lines(note) -> set[int]:
    """Lines any scalar spanning several lines touches (block scalars, folded plain or quoted text)."""
    base, lines = note.frontmatter.start, note.lines
    out: set[int] = set()
    stack = [note.frontmatter.root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode):
            s = base + node.start_mark.index
            e = base + node.end_mark.index
            while e > s and note.text[e - 1] in " \t\r\n":
                e -= 1
            a, b = lines.index_of(s), lines.index_of(e)
            if b > a:
                out.update(range(a, b + 1))
    return out


def _block_scalar_lines(note, first: int, last: int) -> set[int]:
    """In a frontmatter that does not parse: the lines of `|` / `>` block scalars, found by indentation."""
    lines = note.lines
    out: set[int] = set()
    i = first
    while i <= last:
        raw = lines.line(i)
        stripped = raw.strip(" \t")
        head = stripped.split(": ", 1)[1] if ": " in stripped else stripped[1:].strip() if stripped.startswith("-") else ""
        if BLOCK_INDICATOR.fullmatch(head.strip()) and head.strip():
            indent = len(raw) - len(raw.lstrip(" "))
            j = i + 1
            while j <= last and (lines.blank(j) or len(lines.line(j)) - len(lines.line(j).lstrip(" ")) > indent):
                out.add(j)
                j += 1
            i = j
            continue
        i += 1
    return out
