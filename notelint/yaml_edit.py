"""Lossless frontmatter edits: replace one top-level value, or insert whole key lines.

Frontmatter is never re-dumped. A value is replaced by splicing the span its composed node
covers (quotes included); a new key is a whole `key: value` line inserted before the closing
fence (or before the first key that comes after it in Dendron's order), with the note's own
line ending, so every other byte (comments, quoting, key order) stays as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from notelint.finding import Edit

if TYPE_CHECKING:
    from notelint.note import Note

# The order in which Dendron writes its keys (`DNodeUtils`), used to place inserted keys.
DENDRON_ORDER = ("id", "title", "desc", "updated", "created")


def scalar_node(note: Note, key: str) -> yaml.ScalarNode | None:
    """The value node of a top-level key when it is a scalar; None otherwise."""
    pair = note.frontmatter.key_node(key)
    if pair is None or not isinstance(pair[1], yaml.ScalarNode):
        return None
    return pair[1]


def value_span(note: Note, node: yaml.Node) -> tuple[int, int]:
    """Offsets of a value node in the note's text (quotes included; for a block scalar, `|` or `>`,
    up to its last character, not over the line breaks that end it)."""
    base = note.frontmatter.start
    start, end = base + node.start_mark.index, base + node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        end = start + len(note.text[start:end].rstrip())
    return start, end


def key_span(note: Note, key: str) -> tuple[int, int] | None:
    """Offsets of a top-level key (the key itself, for positions)."""
    pair = note.frontmatter.key_node(key)
    if pair is None:
        return None
    base = note.frontmatter.start
    return base + pair[0].start_mark.index, base + pair[0].end_mark.index


def replace_value(note: Note, node: yaml.ScalarNode, source: str, keep_quotes: bool = False) -> Edit:
    """Replace a scalar value by `source` (YAML source text).

    An empty value (`key:`) has a zero-width span right after the colon: a space is added.
    With `keep_quotes`, a quoted value keeps its quotes when the text between them is the
    value as written (no escapes), and only that text is replaced.
    """
    start, end = value_span(note, node)
    if start == end:
        return Edit(start, end, " " + source)
    if keep_quotes and node.style in ("'", '"') and note.text[start + 1 : end - 1] == node.value:
        return Edit(start + 1, end - 1, source)
    return Edit(start, end, source)


def scalar_source(value: str) -> str | None:
    """`value` as a YAML scalar that reads back as that exact string: plain when plain
    reads back, else single-quoted; None when no one-line form exists."""
    if "\n" in value or "\r" in value:
        return None
    quoted = "'" + value.replace("'", "''") + "'"
    for candidate in (value, quoted):
        try:
            if candidate and yaml.safe_load(f"k: {candidate}\n") == {"k": value}:
                return candidate
        except yaml.YAMLError:
            continue
    return None


def insert_key(note: Note, key: str, source: str, order: tuple[str, ...] = DENDRON_ORDER) -> Edit | None:
    """An edit inserting the line `key: source`, or None when it cannot be done safely
    (a flow-style or broken block, a frontmatter block that does not start on line 1).

    The line goes before the first existing key that comes later in `order`, else before
    the closing fence. Without a frontmatter block, one is created at the top of the note.
    """
    fm = note.frontmatter
    nl = note.newline
    if not fm.present:
        if fm.warning is not None:
            return None  # a block after blank lines: a second one would make it worse
        if nl == "\r" and note.text.startswith("\n"):
            nl = "\n"  # a lone CR written before the note's first LF would make one CRLF of them
        return Edit(0, 0, f"---{nl}{key}: {source}{nl}---{nl}")
    if fm.error is not None:
        return None
    root = fm.root
    if root is None:
        return Edit(fm.end, fm.end, f"{key}: {source}{nl}")
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not root.value:
        return None
    indent = root.value[0][0].start_mark.column
    rank = order.index(key) if key in order else len(order)
    at = fm.end
    for k, _ in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value in order and order.index(k.value) > rank:
            start = fm.start + k.start_mark.index
            line_start = note.lines.starts[note.lines.index_of(start)]
            if note.text[line_start:start].strip(" ") == "":
                at = line_start
            break
    if at == fm.end and not _ends_with_break(note.text, fm.end):
        return None
    return Edit(at, at, f"{' ' * indent}{key}: {source}{nl}")


def _ends_with_break(text: str, pos: int) -> bool:
    return pos > 0 and text[pos - 1] in "\r\n"


def line_after(note: Note, end: int) -> int:
    """The start of the line after the one holding the last character before `end` (a block
    node's end mark may already lie at the start of the next line, past its line break)."""
    text = note.text
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    i = note.lines.index_of(end)
    return note.lines.starts[i + 1] if i + 1 < len(note.lines) else len(text)
