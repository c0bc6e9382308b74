"""The list items of a note, as the list formatting rules (`rules/*list*`) read them: each item's
marker (`-`, `*`, `+`, `1.`, `1)`) with its exact offsets, the line it starts on, what stands before
it on that line (quote prefix, indentation), its checkbox, the list it belongs to and its parent.

pulldown-cmark (the parser behind `note.markdown`) says where every list and item is; its item range
starts at the marker, so markers are found exactly, even the second one of `- - item`. Items whose
marker lies in a protected span (math, comments: `formatting.protected`) are marked `protected`:
the rules never touch them. `reindent_ok` tells whether moving an item's content column (fewer
spaces after the marker, a wider number) keeps every line of the note where it belongs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyromark

from notelint.formatting import is_protected, quote_prefix
from notelint.markdown import OPTIONS, ByteMap, source_for_parser
from notelint.note import Note

ORDERED = re.compile(r"\d{1,9}[.)]")
# what may stand before a marker that is the first on its line (the Obsidian Linter's `( |\t|> )*`)
LINE_START = re.compile(r"(?:[ \t]|>)*")
CHECKBOX = re.compile(r"\[(.)\]")
BLANKISH = " \t\v\f\u00a0\u3000"


@dataclass(slots=True)
class ListInfo:
    start: int
    end: int
    ordered: bool
    parent: int | None  # the item holding this list, or None
    root: int = -1  # index of the outermost list this one is nested in (itself when top level)


@dataclass(slots=True)
class ListItem:
    start: int  # offset of the marker
    marker_end: int  # offset just after the marker
    marker: str  # `-`, `*`, `+`, `1.`, `12)`
    ordered: bool
    number: int | None
    delim: str  # `.` or `)` for ordered items, the bullet otherwise
    end: int  # end of the item's range (pulldown-cmark's)
    line: int  # 0-based line of the marker
    last_line: int  # last line holding any of the item's content (the marker line at least)
    prefix: str  # the line's text before the marker
    quote: str  # the line's blockquote prefix
    first_on_line: bool  # nothing but indentation and quote markers before the marker
    depth: int  # list nesting, 1 for a top-level list's item
    list_index: int
    parent: int | None  # the enclosing item, or None
    protected: bool = False
    children: list[int] = field(default_factory=list)  # items of lists directly inside this one

    def rest(self, note: Note) -> str:
        """The marker line after the marker."""
        return note.text[self.marker_end : note.lines.ends[self.line]]

    def checkbox(self, note: Note) -> re.Match | None:
        """`[ ]`, `[x]`, ... right after the marker's whitespace on its line."""
        rest = self.rest(note)
        stripped = rest.lstrip(" \t")
        if not stripped or len(stripped) == len(rest):
            return None
        return CHECKBOX.match(stripped)

    def empty(self, note: Note) -> bool:
        """Nothing but the marker (and blanks) in the whole item."""
        return self.last_line == self.line and not self.rest(note).strip(BLANKISH)


@dataclass(slots=True)
class ListScan:
    lists: list[ListInfo]
    items: list[ListItem]


def scan(note: Note) -> ListScan:
    """Every list and list item of the note's body, in document order (cached per note)."""
    cached = note._cache.get("fmt_lists.scan")
    if cached is None:
        cached = note._cache["fmt_lists.scan"] = _scan(note)
    return cached


def _scan(note: Note) -> ListScan:
    text = note.text
    lists: list[ListInfo] = []
    items: list[ListItem] = []
    if not any(c in text for c in "-*+0123456789"):
        return ListScan(lists, items)
    src = source_for_parser(text, note.body_start)
    bmap = ByteMap(src)
    list_stack: list[int] = []
    item_stack: list[int] = []
    for ev, r in pyromark.Markdown(options=OPTIONS).events_with_range(src):
        if isinstance(ev, str):
            continue
        ((key, val),) = ev.items()
        tag = val if isinstance(val, str) else next(iter(val))
        if tag not in ("List", "Item"):
            continue
        s, e = bmap(r["start"]), bmap(r["end"])
        if key == "Start" and tag == "List":
            parent = item_stack[-1] if item_stack else None
            info = ListInfo(s, e, val["List"] is not None, parent)
            info.root = lists[items[parent].list_index].root if parent is not None else len(lists)
            list_stack.append(len(lists))
            lists.append(info)
        elif key == "End" and tag == "List":
            list_stack.pop()
        elif key == "Start":
            items.append(_item(note, s, e, len(list_stack), list_stack[-1], item_stack[-1] if item_stack else None))
            if item_stack:
                items[item_stack[-1]].children.append(len(items) - 1)
            item_stack.append(len(items) - 1)
        else:
            item_stack.pop()
    return ListScan(lists, items)


def _item(note: Note, s: int, e: int, depth: int, list_index: int, parent: int | None) -> ListItem:
    text, lines = note.text, note.lines
    while s < len(text) - 1 and text[s] in " \t\r\n":  # a range may start at the indentation, even
        s += 1  # at the line break before it (a tab-indented item)
    if text[s] not in "-*+0123456789":  # (a quote prefix before the indentation)
        line = lines.index_of(s)
        raw = lines.line(line)
        q = quote_prefix(raw)
        s = lines.starts[line] + len(q) + len(raw[len(q):]) - len(raw[len(q):].lstrip(" \t"))
    m = ORDERED.match(text, s)
    if m:
        marker_end = m.end()
        marker = m.group()
        ordered, number, delim = True, int(marker[:-1]), marker[-1]
    else:
        marker_end = s + 1
        marker = text[s]
        ordered, number, delim = False, None, marker
    line = lines.index_of(s)
    prefix = text[lines.starts[line] : s]
    quote = quote_prefix(prefix)
    last = lines.index_of(max(s, e - 1))
    while last > line and not _content(lines.line(last)):
        last -= 1
    return ListItem(
        start=s, marker_end=marker_end, marker=marker, ordered=ordered, number=number, delim=delim, end=e,
        line=line, last_line=last, prefix=prefix, quote=quote,
        first_on_line=LINE_START.fullmatch(prefix) is not None, depth=depth, list_index=list_index,
        parent=parent, protected=is_protected(note, s, marker_end),
    )


def _content(line: str) -> str:
    """A line without its quote markers and blanks: empty for a blank (or `>`-only) line."""
    return line.replace(">", "").strip(BLANKISH)


def width(s: str, col: int = 0) -> int:
    """The column reached after `s` starting at column `col`, tabs to the next multiple of 4."""
    for c in s:
        col = col + 4 - col % 4 if c == "\t" else col + 1
    return col


def content_col(note: Note, item: ListItem) -> int:
    """The column (after the quote prefix) where the item's content starts on its marker line."""
    line_start = note.lines.starts[item.line]
    head = note.text[line_start + len(item.quote) : item.marker_end]
    rest = item.rest(note)
    ws = rest[: len(rest) - len(rest.lstrip(" \t"))]
    return width(ws, width(head))


def indent_of(line: str, quote: str) -> int | None:
    """The visual indentation of a line inside `quote`'s blockquote level; None for a blank line
    or one outside that level (fewer quote markers: lazy or outside, a column never decides it)."""
    depth = quote.count(">")
    q = quote_prefix(line)
    if q.count(">") < depth:
        return None
    body = line[len(_prefix_of_depth(line, depth)) :] if depth else line
    if not body.strip(BLANKISH):
        return None
    return width(body[: len(body) - len(body.lstrip(" \t"))])


def _prefix_of_depth(line: str, depth: int) -> str:
    seen = 0
    for i, c in enumerate(line):
        if c == ">":
            seen += 1
            if seen == depth:
                return line[: i + 2] if line[i + 1 : i + 2] == " " else line[: i + 1]
    return ""


def reindent_ok(note: Note, scan_: ListScan, index: int, new_col: int) -> bool:
    """Whether moving item `index`'s content column to `new_col` keeps every other line where
    it is: each of its own following lines (a nested item's marker line, a paragraph, a fence) and
    the first line after it stays out of the item, in it, or indented code, as it was; indented
    code does not stay (its relative indentation is its content). An item nested on the marker
    line (`- - a`) moves with it, so its lines are held to the same."""
    item = scan_.items[index]
    old_col = content_col(note, item)
    if old_col == new_col:
        return True
    lines = note.lines
    skip: set[int] = set()
    for c in item.children:
        child = scan_.items[c]
        child_col = content_col(note, child)
        for i in range(child.line + 1, child.last_line + 1):
            v = indent_of(lines.line(i), child.quote)
            if v is None or v >= child_col:
                skip.add(i)  # the nested item's own line; a lazy one is this item's business too
        if child.line == item.line:  # `- - a`: the nested item's own column moves as much
            if not reindent_ok(note, scan_, c, child_col + new_col - old_col):
                return False
    for b in note.markdown.code_blocks:
        if b.fenced and item.line < b.first_line <= item.last_line:
            skip.update(range(b.first_line + 1, b.last_line))
    check = [i for i in range(item.line + 1, item.last_line + 1) if i not in skip]
    count = len(lines)
    after = item.last_line + 1
    while after < count and not _content(lines.line(after)):
        after += 1
    if after < count:
        check.append(after)

    def kind(v: int, col: int) -> int:
        return 0 if v < col else 1 if v < col + 4 else 2

    for i in check:
        v = indent_of(lines.line(i), item.quote)
        if v is None:
            continue
        a, b = kind(v, old_col), kind(v, new_col)
        if a != b or a == 2:
            return False
    return True
