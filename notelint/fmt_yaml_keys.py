"""What the YAML-key formatting rules share (yaml-key-sort, yaml-title, yaml-title-alias,
remove-yaml-keys, escape-yaml-special-characters, force-yaml-escape): the top-level key blocks of
a frontmatter by line, the Obsidian Linter's scalar quoting, the first H1's text, and a check that
a set of splices leaves the frontmatter parsing.

A key block is whole lines: the comment and blank lines right above a key (a blank line belongs to
the key that follows it, as in the plugin), the key's line and every line of its value. Moving or
deleting whole blocks never changes a byte inside them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

from notelint.finding import Edit
from notelint.formatting import is_protected
from notelint.note import Note

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader


@dataclass(frozen=True, slots=True)
class KeyBlock:
    key: str
    start: int  # start of the block's first line (its leading comments and blank lines)
    key_line: int  # start of the key's own line
    key_start: int  # the key itself
    key_end: int
    end: int  # start of the line after the value's last line
    value: yaml.Node


def block_mapping(note: Note) -> yaml.MappingNode | None:
    """The frontmatter's root mapping when it is a readable block mapping with scalar keys."""
    fm = note.frontmatter
    if not fm.present or fm.error is not None:
        return None
    root = fm.root
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    if not all(isinstance(k, yaml.ScalarNode) for k, _ in root.value):
        return None
    return root


def key_blocks(note: Note) -> list[KeyBlock] | None:
    """The top-level key blocks in order, or None when the frontmatter is no block mapping (or a
    key does not start its own line)."""
    root = block_mapping(note)
    if root is None:
        return None
    fm, lines, text = note.frontmatter, note.lines, note.text
    base = fm.start
    heads = []  # (key node, value node, key line start)
    for k, v in root.value:
        ks = base + k.start_mark.index
        line_start = lines.starts[lines.index_of(ks)]
        if text[line_start:ks].strip(" ") or ks < base:
            return None
        if isinstance(v, yaml.ScalarNode) and v.style in ("|", ">") and "+" in text[base + v.start_mark.index:
                                                                           base + v.start_mark.index + 3]:
            return None  # a `|+` value keeps its trailing blank lines: where it ends is not clear by lines
        heads.append((k, v, line_start, ks))
    if not heads:
        return []
    out: list[KeyBlock] = []
    # where each key's leading comments and blank lines start
    leads = []
    first_line = lines.index_of(base)
    for i, (_k, v, line_start, _ks) in enumerate(heads):
        lo = first_line if i == 0 else lines.index_of(_value_end_line_start(note, heads[i - 1]))
        j = lines.index_of(line_start)
        while j - 1 >= lo:
            content = lines.line(j - 1)
            stripped = content.strip(" \t")
            if stripped == "" or content.startswith("#"):
                j -= 1
            else:
                break
        leads.append(lines.starts[j])
    for i, (k, v, line_start, ks) in enumerate(heads):
        end = leads[i + 1] if i + 1 < len(heads) else _value_end_line_start(note, heads[i])
        out.append(KeyBlock(k.value, leads[i], line_start, ks, base + k.end_mark.index, end, v))
    return out


def _value_end_line_start(note: Note, head) -> int:
    """The start of the line after the last line of the key's value (or of the key's line)."""
    k, v, line_start, ks = head
    base = note.frontmatter.start
    end = base + max(node_end(v), k.end_mark.index)
    text = note.text
    # a block node's end mark may lie at the start of the next line, past its line break
    while end > ks and text[end - 1] in " \t\r\n":
        end -= 1
    i = note.lines.index_of(end)
    nxt = note.lines.starts[i + 1] if i + 1 < len(note.lines) else len(text)
    return min(nxt, note.frontmatter.end)


def node_end(node: yaml.Node) -> int:
    """Where a node's own text ends (offset into the YAML text): a block collection's end mark lies
    past the comments that follow it, so it ends with its last entry."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        if isinstance(node, yaml.MappingNode):
            k, v = last
            if node_end(v) < k.end_mark.index:
                return k.end_mark.index
            node = v
        else:
            node = last
    return node.end_mark.index


def block_of(note: Note, key: str) -> KeyBlock | None:
    for b in key_blocks(note) or ():
        if b.key == key:
            return b
    return None


def parses_after(note: Note, edits: list[Edit]) -> bool:
    """Whether the frontmatter still parses as a mapping once `edits` (inside it) are applied."""
    fm = note.frontmatter
    text = note.text
    lo = fm.start
    out, last = [], lo
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < fm.start or e.end > fm.end:
            return False
        out.append(text[last : e.start])
        out.append(e.replacement)
        last = e.end
    out.append(text[last : fm.end])
    return loads_as_mapping("".join(out))


def loads_as_mapping(source: str) -> bool:
    try:
        data = yaml.load(source, Loader=_Loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return False
    return data is None or isinstance(data, dict)


# ------------------------------------------------------------------ quoting (the plugin's utils/yaml.ts)
def is_escaped(value: str) -> bool:
    """`isValueEscapedAlready`: the text starts and ends with the same quote."""
    return len(value) > 1 and ((value[0] == "'" and value[-1] == "'") or (value[0] == '"' and value[-1] == '"'))


def basic_escape(value: str, quote: str, force: bool = False) -> str:
    """`basicEscapeString`: quote a value holding `'`, `"` or `: ` (or any, with `force`) with the
    quote it does not contain; unchanged when already quoted or holding both quotes."""
    if is_escaped(value):
        return value
    single, double = "'" in value, '"' in value
    if not single and not double and ": " not in value and not force:
        return value
    if single and double:
        return value
    if single:
        return f'"{value}"'
    if double:
        return f"'{value}'"
    return f"{quote}{value}{quote}"


def reads_as(source: str, value: str) -> bool:
    """Whether `source`, as a YAML value, reads back as the string `value`."""
    if "\n" in source or "\r" in source:
        return False
    try:
        return yaml.load(f"k: {source}\n", Loader=_Loader) == {"k": value}
    except (yaml.YAMLError, ValueError, RecursionError):
        return False


def _dump(value: str, quote: str, force: bool) -> str:
    """js-yaml's `dump` of a string: plain when it reads back, else quoted with `quote`."""
    if not force and value and reads_as(value, value):
        return value
    if quote == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


def escape(value: str, quote: str = '"', force: bool = False, skip_validation: bool = False) -> str:
    """`escapeStringIfNecessaryAndPossible`: the value as YAML source that reads back as itself."""
    basic = basic_escape(value, quote, force)
    if skip_validation:
        return basic
    if reads_as(basic, value):
        return basic
    default = _dump(value, quote, force)
    other = _dump(value, "'" if quote == '"' else '"', force)
    if other == value or len(other) < len(default):
        return other
    return default


def is_numeric(value: str) -> bool:
    """The plugin's `isNumeric`: a string JavaScript reads as a finite number."""
    s = value.strip()
    if not s:
        return False
    try:
        return float(s) == float(s) and s.lower() not in ("inf", "-inf", "+inf", "infinity", "nan")
    except ValueError:
        return False


# ------------------------------------------------------------------ titles
H1 = re.compile(r"#[ \t]+(.*)")
WIKI = re.compile(r"!?\[\[([^\]\|]*?)(?:\|([^\]]*))?\]\]")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~=$%&^])")


def first_h1(note: Note) -> str:
    """The text of the first `# ` heading of the body (not in code, math or comments), its links
    and images written as their text, Markdown escapes removed; '' without one."""
    text = note.text
    for h in note.markdown.headings:
        if h.level != 1:
            continue
        line_start = note.lines.starts[note.lines.index_of(h.start)]
        m = H1.match(text, line_start, note.lines.ends[note.lines.index_of(h.start)])
        if m is None or is_protected(note, line_start):
            continue
        title = m.group(1)
        title = WIKI.sub(lambda w: w.group(2) if w.group(2) is not None else w.group(1), title)
        title = LINK.sub(lambda lk: lk.group(1), title)
        title = UNESCAPE.sub(r"\1", title)
        return title.strip(" \t\r")
    return ""


def file_title(note: Note) -> str:
    """The note's file name without its extension."""
    name = note.rel.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name.rsplit(".", 1)[0] if "." in name else name


def key_line_insert(note: Note, lines: list[str]) -> Edit | None:
    """An edit adding whole lines (each without its line break) as the last keys of the frontmatter,
    or creating a frontmatter block holding them at the top of a note that has none."""
    fm = note.frontmatter
    nl = note.newline
    body = "".join(line + nl for line in lines)
    if not fm.present:
        if fm.warning is not None:
            return None
        if nl == "\r" and note.text.startswith("\n"):
            nl = "\n"
            body = "".join(line + nl for line in lines)
        return Edit(0, 0, f"---{nl}{body}---{nl}")
    if fm.error is not None:
        return None
    root = fm.root
    if root is not None and (not isinstance(root, yaml.MappingNode) or root.flow_style):
        return None
    at = fm.end
    if at > fm.start and note.text[at - 1] not in "\r\n":
        return None
    if root is not None and root.value and root.value[0][0].start_mark.column:
        return None  # an indented mapping: a key at column 0 would not join it
    return Edit(at, at, body)


def line_break_at(text: str, pos: int) -> str:
    if text.startswith("\r\n", pos):
        return "\r\n"
    if pos < len(text) and text[pos] in "\r\n":
        return text[pos]
    return ""


def is_plain(node: yaml.Node) -> bool:
    """A plain (unquoted, not block) scalar; libyaml gives its style as '', the pure loader as None."""
    return isinstance(node, yaml.ScalarNode) and node.style in (None, "")


def value_edit(note, block, source: str) -> Edit | None:
    """An edit making the value of a top-level key `source` (None when it already is)."""
    base = note.frontmatter.start
    node = block.value
    text = note.text
    if isinstance(node, yaml.ScalarNode) and node.style in (None, "", "'", '"') and node.tag != "tag:yaml.org,2002:null":
        start, end = base + node.start_mark.index, base + node.end_mark.index
        if "\n" not in text[start:end] and "\r" not in text[start:end]:
            return None if text[start:end] == source else Edit(start, end, source)
    colon = text.find(":", block.key_end)
    if colon < 0:
        return None
    end = block.end
    while end > colon + 1 and text[end - 1] in " \t\r\n":
        end -= 1
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        raw = text[colon + 1 : end]
        if raw.strip(" \t") in ("", "~", "null", "Null", "NULL"):
            return Edit(colon + 1, end, " " + source)
        return None  # `key: null # comment` and the like: leave it
    return Edit(colon + 1, end, " " + source)
