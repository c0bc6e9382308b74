"""A top-level frontmatter key's array, in any of the forms the Obsidian Linter reads (a flow list
`[a, b]`, block `- a` lines, one string, a space- or comma-delimited string), with the offsets of
its value and of each item, and the same array written back in one of the plugin's styles as a
splice of that key's value only (from right after `key:` to the value's last character).

Shared by the YAML array rules (format-yaml-array, dedupe-yaml-array-values,
sort-yaml-array-values, move-tags-to-yaml). Items keep the text they were written with (quotes
included) wherever YAML reads that text back as the same value in the new place; otherwise a
string is quoted with the configured escape character. Every rewrite is checked: the new
frontmatter must parse, every other key must read as before, and the key must read (as Obsidian
reads it) as the values meant, or no fix is offered.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from notelint import frontmatter as fm_mod
from notelint.finding import Edit
from notelint.fmt_yaml_keys import key_line_insert
from notelint.options import Option

TAG_KEYS = ("tag", "tags")  # the plugin's order (`OBSIDIAN_TAG_KEYS`): the first present is used
ALIAS_KEYS = ("alias", "aliases")
NORMAL_STYLES = ("single-line", "multi-line")
ALIAS_STYLES = ("single-line", "multi-line", "single string to single-line", "single string to multi-line",
                "single string comma delimited")
TAG_STYLES = ALIAS_STYLES + ("single string space delimited", "single-line space delimited")
NULL = "tag:yaml.org,2002:null"
STR = "tag:yaml.org,2002:str"
GAP = re.compile(r"[\s\-\[\],]*")  # what may lie between the items of a list: no comment, no other syntax


@dataclass
class Item:
    raw: str  # as written, quotes included
    data: Any  # the value YAML reads
    start: int
    end: int


@dataclass
class ArrayValue:
    """`form`: "flow", "block", "string" (a str scalar), "scalar" (another scalar), "null".
    `start`/`end`: the span a rewrite replaces (right after the colon to the value's end).
    `fixable`: False when a rewrite could lose something (a comment among the items, an item that
    is no one-line scalar, an alias, a multi-line string)."""

    key: str
    form: str
    start: int
    end: int
    key_start: int
    items: list[Item] = field(default_factory=list)
    indent: str = "  "
    fixable: bool = True
    node: Any = None
    current: str = ""  # the text the span holds now


# The plugin's general array settings, which dedupe, sort and format-yaml-array all read: the
# options, and their `commonStyles` keys for `notelint import obsidian-linter`.
def style_options() -> tuple[Option, ...]:
    return (
        Option("alias-array-style", ALIAS_STYLES, "single-line", "The style `aliases` is written in when fixed (the plugin's general setting)."),
        Option("tag-array-style", TAG_STYLES, "single-line", "The style `tags` is written in when fixed (the plugin's general setting)."),
        Option("escape-character", ('"', "'"), '"', "The quote put around an item that needs one in its new place."),
        Option("remove-unnecessary-escapes", bool, False, "Drop quotes a multi-line list item does not need."),
    )


COMMON_STYLES = {
    "commonStyles.aliasArrayStyle": "alias-array-style",
    "commonStyles.tagArrayStyle": "tag-array-style",
    "commonStyles.escapeCharacter": "escape-character",
    "commonStyles.removeUnnecessaryEscapeCharsForMultiLineArrays": "remove-unnecessary-escapes",
}


def present_key(note, keys: tuple[str, ...]) -> str | None:
    """The first of `keys` the frontmatter holds (the plugin's choice between `tag`/`tags`)."""
    fm = note.frontmatter
    if not fm.present or fm.error or not isinstance(fm.root, yaml.MappingNode):
        return None
    for k in keys:
        if fm.key_node(k) is not None:
            return k
    return None


def top_keys(note) -> list[str]:
    fm = note.frontmatter
    if not fm.present or fm.error or not isinstance(fm.root, yaml.MappingNode):
        return []
    return [k.value for k, _ in fm.root.value if isinstance(k, yaml.ScalarNode)]


def array_keys(note, settings: dict, verb: str):
    """(key, style) of each frontmatter array a dedupe or sort rule visits, as the plugin does: the
    first alias key and the first tag key present (each in its common style) when `<verb>-alias-key`
    and `<verb>-tag-key` are on, then every other top-level key (style None) when `<verb>-array-keys`
    is on, less `ignore-keys`."""
    fm = note.frontmatter
    if not fm.present or fm.error:
        return
    for part, keys, style in (("alias", ALIAS_KEYS, "alias-array-style"), ("tag", TAG_KEYS, "tag-array-style")):
        if settings[f"{verb}-{part}-key"]:
            key = present_key(note, keys)
            if key is not None:
                yield key, settings[style]
    if settings[f"{verb}-array-keys"]:
        skip = set(TAG_KEYS + ALIAS_KEYS) | set(settings["ignore-keys"])
        for key in top_keys(note):
            if key not in skip:
                yield key, None


def read(note, key: str) -> ArrayValue | None:
    """The value of top-level `key` as an array, or None when the key is absent, a mapping, or
    a list whose items are not all scalars (the plugin leaves arrays of objects alone)."""
    fm = note.frontmatter
    pair = fm.key_node(key)
    if pair is None:
        return None
    k, v = pair
    text = note.text
    base = fm.start
    key_start, key_end = base + k.start_mark.index, base + k.end_mark.index
    colon = key_end
    while colon < len(text) and text[colon] in " \t":
        colon += 1
    if colon >= len(text) or text[colon] != ":":
        return None
    start = colon + 1
    data = fm.data.get(key) if isinstance(fm.data, dict) else None
    if isinstance(v, yaml.SequenceNode):
        if any(not isinstance(i, yaml.ScalarNode) for i in v.value):
            return None
        vs, ve = base + v.start_mark.index, base + v.end_mark.index
        items = []
        fixable = isinstance(data, list) and len(data) == len(v.value)
        prev = vs
        for n, node in enumerate(v.value):
            s, e = base + node.start_mark.index, base + node.end_mark.index
            raw = text[s:e]
            if s < prev or e > ve or not raw or "\n" in raw or "\r" in raw or node.tag == NULL or raw[0] in "*&!":
                fixable = False
            prev = e
            items.append(Item(raw, data[n] if fixable else None, s, e))
        if v.flow_style:
            form, end = "flow", ve
        else:
            form = "block"
            end = items[-1].end if items else ve
            if text[start:vs].strip(" \t\r\n"):
                fixable = False  # a comment between the key and the list
        # the gaps between items: only list syntax and whitespace
        gaps = [text[start:items[0].start] if items else text[start:end]]
        gaps += [text[a.end:b.start] for a, b in zip(items, items[1:])]
        gaps.append(text[items[-1].end:end] if items else "")
        if any(not GAP.fullmatch(g) for g in gaps):
            fixable = False
        indent = "  "
        if form == "block" and items:
            ls = text.rfind("\n", 0, vs) + 1
            indent = text[ls:vs] if not text[ls:vs].strip(" ") else "  "
        value = ArrayValue(key, form, start, end, key_start, items, indent, fixable, v)
        value.current = text[start:end]
        return value
    if isinstance(v, yaml.ScalarNode):
        s, e = base + v.start_mark.index, base + v.end_mark.index
        if v.tag == NULL and s == e:
            value = ArrayValue(key, "null", start, start, key_start, [], fixable=False, node=v)
            value.current = ""
            return value
        raw = text[s:e]
        fixable = "\n" not in raw and "\r" not in raw and v.style not in ("|", ">") and not raw.startswith(("*", "&", "!"))
        if text[start:s].strip(" \t"):
            fixable = False
        form = "string" if v.tag == STR else "scalar"
        if v.tag == NULL:
            form, fixable = "null", False
        value = ArrayValue(key, form, start, e, key_start, [Item(raw, data, s, e)], fixable=fixable, node=v)
        value.current = text[start:e]
        return value
    return None


# --------------------------------------------------------------------------- splitting strings


def split_string(raw: str, delimiter: str) -> list[str]:
    """The plugin's `convertYAMLStringToArray`: split on `delimiter` outside quotes, trimmed."""
    out, cur, i = [], "", 0
    while i < len(raw):
        c = raw[i]
        if c == delimiter:
            out.append(cur.strip())
            cur = ""
        elif c in "\"'":
            close = raw.find(c, i + 1)
            if close != -1:
                cur += raw[i:close + 1]
                i = close
            else:
                cur += c
        else:
            cur += c
        i += 1
    if cur.strip():
        out.append(cur.strip())
    return out


def string_items(value: ArrayValue, kind: str) -> list[Item] | None:
    """The items of a string value as the plugin splits it: tags on commas when there is one, else
    on spaces; aliases on commas; any other key is one item. None when it cannot be split safely."""
    item = value.items[0]
    data = item.data
    if not isinstance(data, str) or kind == "list":
        return [item]
    raw = item.raw
    if raw[:1] in "\"'":
        # a quoted string: split the value itself, items re-quoted where needed when written
        source = data
    else:
        source = raw
    if kind == "tags":
        parts = split_string(source, ",") if "," in source else split_string(source, " ")
    else:
        parts = split_string(source, ",")
    parts = [p for p in parts if p]
    out = []
    for p in parts:
        out.append(Item(p, p, item.start, item.end))
    return out or None


# --------------------------------------------------------------------------- reading as Obsidian reads


def as_read(kind: str, value: Any) -> list | None:
    """What Obsidian reads from a value: tags split on commas and spaces, aliases on commas."""
    if value is None:
        return []
    if isinstance(value, list):
        if kind == "tags":
            return [str(v).strip().lstrip("#") if isinstance(v, str) else v for v in value]
        return list(value)
    if isinstance(value, str):
        if kind == "tags":
            return [w.lstrip("#") for w in re.split(r"[,\s]+", value) if w]
        if kind == "aliases":
            return [w.strip() for w in value.split(",") if w.strip()]
        return [value]
    return [value]


# --------------------------------------------------------------------------- writing


def _reads_back(source: str, expected: Any) -> bool:
    try:
        return yaml.load(source, Loader=fm_mod._Loader) == expected
    except yaml.YAMLError:
        return False


def quote(value: str, char: str) -> str:
    if char == "'":
        return "'" + value.replace("'", "''") + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow_item(item: Item, char: str) -> str | None:
    if _reads_back(f"[{item.raw}]", [item.data]):
        return item.raw
    if isinstance(item.data, str):
        return quote(item.data, char)
    return None


def block_item(item: Item, char: str, unescape: bool) -> str | None:
    if unescape and isinstance(item.data, str) and item.raw[:1] in "\"'" and _reads_back(f"- {item.data}", [item.data]):
        return item.data
    if _reads_back(f"- {item.raw}", [item.data]):
        return item.raw
    if isinstance(item.data, str):
        return quote(item.data, char)
    return None


def render(items: list[Item], style: str, nl: str, indent: str = "  ", char: str = '"',
           unescape: bool = False) -> str | None:
    """The text after `key:` for `items` in one of the plugin's styles (`formatYamlArrayValue`),
    or None when an item cannot be written there."""
    if not items:
        if style in ("single-line", "multi-line", "single-line space delimited"):
            return " []"
        return None  # the plugin writes `key: ` (a trailing space): leave such a value alone
    if len(items) == 1 and style in ("single string to single-line", "single string to multi-line",
                                     "single string space delimited", "single string comma delimited",
                                     "single-line space delimited"):
        return " " + items[0].raw
    if style in ("single-line", "single string to single-line", "single-line space delimited"):
        parts = [flow_item(i, char) for i in items]
        if None in parts:
            return None
        sep = " " if style == "single-line space delimited" else ", "
        return " [" + sep.join(parts) + "]"
    if style in ("multi-line", "single string to multi-line"):
        parts = [block_item(i, char, unescape) for i in items]
        if None in parts:
            return None
        return "".join(f"{nl}{indent}- {p}" for p in parts)
    if style == "single string space delimited":
        return " " + " ".join(i.raw for i in items)
    if style == "single string comma delimited":
        return " " + ", ".join(i.raw for i in items)
    return None


def check_edits(note, edits: list[Edit], key: str, kind: str, expected: list | None) -> bool:
    """Whether the frontmatter after `edits` parses, every other key reads as before, and `key`
    reads (as Obsidian reads a `kind` value) as `expected` (None: not checked)."""
    text = note.text
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.replacement + text[e.end:]
    fm = fm_mod.parse(text, note.template)
    if not fm.present or fm.error is not None or not isinstance(fm.data, dict):
        return False
    before = note.frontmatter.data if isinstance(note.frontmatter.data, dict) else {}
    if set(fm.data) - {key} != set(before) - {key}:
        return False
    if any(fm.data[k] != before[k] for k in before if k != key):
        return False
    if expected is not None and (key not in fm.data or as_read(kind, fm.data[key]) != expected):
        return False
    return True


def key_kind(key: str) -> str:
    if key in TAG_KEYS:
        return "tags"
    if key in ALIAS_KEYS:
        return "aliases"
    return "list"


def rewrite(note, value: ArrayValue, items: list[Item], style: str, char: str = '"', unescape: bool = False,
            expected: list | None = None) -> Edit | None:
    """An edit writing `items` as `value`'s key's value in `style`, checked (see `check_edits`);
    None when the value already reads so, cannot be written safely, or `value` is not fixable."""
    if not value.fixable:
        return None
    indent = value.indent if value.form == "block" else "  "
    new = render(items, style, note.newline, indent, char, unescape)
    if new is None or new == value.current:
        return None
    edit = Edit(value.start, value.end, new)
    kind = key_kind(value.key)
    if expected is None:
        expected = as_read(kind, [i.data for i in items])
    if not check_edits(note, [edit], value.key, kind, expected):
        return None
    return edit


def insert_array(note, key: str, items: list[Item], style: str, char: str = '"') -> Edit | None:
    """An edit adding `key` with `items` at the end of the frontmatter, creating the block when
    the note has none (as the plugin does)."""
    fm = note.frontmatter
    nl = note.newline
    new = render(items, style, nl, "  ", char)
    if new is None:
        return None
    if not fm.present and nl == "\r" and note.text.startswith("\n"):
        return None
    return key_line_insert(note, [f"{key}:{new}"])


# --------------------------------------------------------------------------- sorting


# ICU's root collation order of ASCII punctuation and symbols (JavaScript's `localeCompare`)
_PUNCT = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"


def _primary(c: str) -> tuple[int, int, str]:
    if c.isspace():
        return (0, 0, c)
    i = _PUNCT.find(c)
    if i >= 0:
        return (1, i, c)
    cat = unicodedata.category(c)
    if cat.startswith("P"):
        return (1, 100, c)
    if cat.startswith("S"):
        return (2, 0, c)
    if c.isdigit():
        return (3, 0, str(unicodedata.digit(c, 0)) if unicodedata.digit(c, None) is not None else c)
    return (4, 0, c.lower())


def locale_key(s: str) -> tuple:
    """An approximation of `a.localeCompare(b)` in the root locale: letters compared without
    accents first, then accents, then lower case before upper case."""
    decomposed = unicodedata.normalize("NFD", s)
    base = [c for c in decomposed if not unicodedata.combining(c)]
    primary = tuple(_primary(c) for c in base)
    secondary = tuple(unicodedata.combining(c) for c in decomposed)
    tertiary = tuple(0 if not c.isupper() else 1 for c in base)
    return (primary, secondary, tertiary)


def plugin_sort(values: list[str], descending: bool = False) -> list[int]:
    """Indices of `values` in the plugin's order: case-insensitive, then lower case first;
    descending is the ascending order reversed."""
    order = sorted(range(len(values)), key=lambda i: (locale_key(values[i].lower()), locale_key(values[i])))
    if descending:
        order.reverse()
    return order
