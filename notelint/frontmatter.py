"""Finding and reading a note's YAML frontmatter, with offsets into the note's text.

The block is split by hand (python-frontmatter loses the offsets, the BOM and the
unclosed case) and parsed with PyYAML's safe loader (libyaml when present). Only safe
loading is used: YAML tags such as `!!python/object` are refused, never executed. The
composed node tree is kept because its marks are code-point offsets, which is what a
byte-exact splice of one value needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from notelint.source import LINE_BREAK

try:  # libyaml is ~10x faster; the pure loader gives the same marks and errors
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader


class _DateTolerantLoader(_Loader):
    """The safe loader, except that a date-shaped value that is no real date (`2023-13-45`)
    stays text: frontmatter-timestamps reports it at the value, instead of the whole block
    failing to load (Obsidian and Dendron read such a value as text too)."""


def _timestamp_or_text(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_DateTolerantLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
_Loader = _DateTolerantLoader

OPEN = re.compile(r"\A---[ \t]*(?:\r\n|\r|\n|\Z)")
CLOSE = re.compile(r"(?:(?<=\n)|(?<=\r))(?:---|\.\.\.)[ \t]*(?=\r\n|\r|\n|\Z)")  # a line start after any break, lone CR too
LATE_OPEN = re.compile(r"\A(?:[ \t]*(?:\r\n|\r|\n))+---[ \t]*(?:\r\n|\r|\n)(?=[^\r\n]*:)")
# Expanding aliases can multiply a few lines into gigabytes ("billion laughs").
MAX_EXPANDED_NODES = 100_000


@dataclass(slots=True)
class FrontmatterError:
    """Why the frontmatter cannot be trusted, and where (offset into the note text)."""

    message: str
    offset: int
    end: int | None = None


@dataclass(slots=True)
class Frontmatter:
    """The frontmatter block of one note.

    `start`/`end` delimit the YAML text between the fences; `block_end` is where the
    body begins (after the closing fence's line break). `present` is False when the note
    has no frontmatter at all; `error` is set when it has one that cannot be read.
    """

    present: bool = False
    start: int = 0
    end: int = 0
    block_end: int = 0
    yaml_text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    root: yaml.Node | None = None
    error: FrontmatterError | None = None
    warning: FrontmatterError | None = None

    def key_node(self, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        """The (key node, value node) pair of a top-level key, for positions and splices."""
        if not isinstance(self.root, yaml.MappingNode):
            return None
        for k, v in self.root.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
        return None


def split(text: str) -> Frontmatter:
    """Locate the frontmatter block; no YAML parsing yet."""
    m = OPEN.match(text)
    if not m:
        fm = Frontmatter()
        late = LATE_OPEN.match(text)
        if late and CLOSE.search(text, late.end()):
            fence = late.group(0).rindex("---")
            fm.warning = FrontmatterError(
                "frontmatter must start on line 1: after leading blank lines Obsidian and Dendron read it as text",
                fence,
                fence + 3,
            )
        return fm
    close = CLOSE.search(text, m.end())
    if not close:
        return Frontmatter(
            present=True,
            start=m.end(),
            end=len(text),
            block_end=len(text),
            error=FrontmatterError(
                "frontmatter opened by `---` on line 1 is never closed: add a `---` line after the last key", 0, 3
            ),
        )
    block_end = close.end()
    brk = re.match(r"\r\n|\r|\n", text[block_end : block_end + 2])
    if brk:
        block_end += brk.end()
    return Frontmatter(present=True, start=m.end(), end=close.start(), block_end=block_end,
                       yaml_text=text[m.end() : close.start()])


def parse(text: str, template: bool = False) -> Frontmatter:
    """Split and parse; errors become `Frontmatter.error`, never exceptions.

    In a template (`templates.py`) every placeholder is masked by a neutral scalar of the same
    length first, so `created: {{date}}` reads as a value, every mark is still an offset into the
    note, and only the template's own mistakes remain errors. In a note, an error at a placeholder
    says how to make the file a template."""
    fm = _parse(text, template)
    if fm.error is not None and not template and ("{{" in fm.yaml_text or "<%" in fm.yaml_text):
        from notelint import templates

        hit = [text[s:e] for s, e in templates.placeholder_spans(text) if s <= fm.error.offset < e]
        if hit:
            fm.error.message += (f" (`{hit[0]}` is a template placeholder: if this file is a template, keep it in "
                                 "the folder Obsidian's Templates or Templater settings name, or list it under "
                                 "`templates` in .notelint.toml)")
    return fm


def _parse(text: str, template: bool) -> Frontmatter:
    source, spans = text, []
    if template:
        from notelint import templates

        spans = templates.placeholder_spans(text)
        source = templates.mask(text, spans)
    fm = split(source)
    if template and not fm.present and spans:
        fm = _after_commands(text, source, spans) or fm
    if not fm.present or fm.error:
        return fm
    try:
        root = yaml.compose(fm.yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        fm.error = _marked_error(fm, exc)
        return fm
    except yaml.YAMLError as exc:
        fm.error = FrontmatterError(f"invalid YAML in frontmatter: {exc}", fm.start)
        return fm
    except RecursionError:
        fm.error = FrontmatterError("frontmatter YAML is nested too deeply to read", fm.start)
        return fm
    fm.root = root
    if root is None:
        return fm  # empty block: no keys
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        fm.error = FrontmatterError(
            f"frontmatter is {kind}, not a mapping of keys to values", fm.start + root.start_mark.index
        )
        return fm
    first_line = len(LINE_BREAK.findall(source, 0, fm.start))  # the fence's line (and commands above it)
    problem = _check_nodes(root, fm.start, first_line, text if source is not text else None)
    if problem:
        fm.error = problem
        return fm
    try:
        data = yaml.load(fm.yaml_text, Loader=_Loader)
    except yaml.YAMLError as exc:  # constructor errors, e.g. an unknown !!tag
        fm.error = _marked_error(fm, exc) if isinstance(exc, yaml.MarkedYAMLError) else FrontmatterError(
            f"invalid YAML in frontmatter: {exc}", fm.start
        )
        return fm
    except (RecursionError, ValueError, OverflowError) as exc:
        why = str(exc)
        if "integer string conversion" in why:  # Python refuses ints of more than 4,300 digits
            why = "a number has thousands of digits (quote it to keep it as text)"
        fm.error = FrontmatterError(f"frontmatter YAML cannot be read: {why}", fm.start)
        return fm
    fm.data = data if isinstance(data, dict) else {}
    return fm


# A Templater execution command (`<%* … %>`, `<%_* … %>`, `<%-* … %>`) renders to nothing.
_COMMAND = re.compile(r"<%[-_]?\*")


def _after_commands(text: str, masked: str, spans: list[tuple[int, int]]) -> Frontmatter | None:
    """The frontmatter of a Templater template that runs commands before it (`<%* … -%>` above
    `---`): Templater renders the commands to nothing, so in the new note the block is on line 1.
    A warning when the commands leave a line break before it, which would put it on line 2 (trims:
    `<%_`/`_%>` all whitespace before/after, `<%-`/`-%>` one line break; Templater
    `docs/src/commands/whitespace-control.md`). None when other text comes first."""
    lead = len(masked) - len(masked.lstrip(" \t\r\n"))
    if lead == 0 or masked[lead - 1] not in "\r\n":
        return None
    commands = [(s, e) for s, e in spans if s < lead]
    if not commands or not all(_COMMAND.match(text, s) for s, _ in commands):
        return None
    fm = split(masked[lead:])
    if not fm.present:
        return None
    fm.start, fm.end, fm.block_end = fm.start + lead, fm.end + lead, fm.block_end + lead
    if fm.error is not None:
        fm.error.offset += lead
        return fm
    gaps = [text[prev:s] for prev, (s, _) in zip([0] + [e for _, e in commands], commands)]
    gaps.append(text[commands[-1][1] : lead])
    for i, (s, e) in enumerate(commands):
        gaps[i] = _trim(gaps[i], text[s + 2], at_end=True)
        gaps[i + 1] = _trim(gaps[i + 1], text[e - 3], at_end=False)
    if "".join(gaps):
        end = commands[-1][1]
        fm.warning = FrontmatterError(
            "the Templater commands before the frontmatter leave a line break, so a note made from this "
            "template starts with a blank line and Obsidian reads its frontmatter as text; "
            "end the command with `-%>`", end - 2, end)
    return fm


def _trim(gap: str, mark: str, at_end: bool) -> str:
    """Whitespace `gap` after Templater's trim next to it: `_` takes all of it, `-` one line break."""
    if mark == "_":
        return ""
    if mark == "-":
        return re.sub(r"(?:\r\n|\r|\n)\Z", "", gap) if at_end else re.sub(r"\A(?:\r\n|\r|\n)", "", gap)
    return gap


def _marked_error(fm: Frontmatter, exc: yaml.MarkedYAMLError) -> FrontmatterError:
    mark = exc.problem_mark
    problem = exc.problem or "invalid YAML"
    # An unclosed quote is reported by PyYAML at the end of the stream; the opening
    # quote (context mark) is where the writer has to look.
    if exc.context_mark is not None and (mark is None or "end of stream" in problem):
        mark = exc.context_mark
    context = f"{exc.context}: " if exc.context else ""
    if "constructor for the tag" in problem:
        found = re.search(r"tag '([^']*)'", problem)
        tag = (found.group(1) if found else "?").replace("tag:yaml.org,2002:", "!!")
        problem = f"the YAML tag `{tag}` is not allowed: notelint reads plain YAML only and never runs code"
        context = ""
    offset = fm.start + (mark.index if mark is not None else 0)
    offset = min(offset, fm.end)
    message = f"invalid YAML in frontmatter: {context}{problem}".rstrip()
    return FrontmatterError(message, offset)


def _check_nodes(root: yaml.Node, base: int, first_line: int = 1,
                 written: str | None = None) -> FrontmatterError | None:
    """Duplicate keys (PyYAML silently keeps the last) and alias bombs, without recursion.
    `first_line`: line breaks before the YAML text; `written`: the note's own text when the YAML
    read was masked, for naming a key as written."""
    seen: set[int] = set()
    visited: set[int] = set()
    expanded = 0  # nodes reached once more through an alias (a long block of plain keys is no bomb)
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) not in visited:
            visited.add(id(node))
        elif (expanded := expanded + 1) > MAX_EXPANDED_NODES:
            return FrontmatterError(
                f"frontmatter YAML expands to more than {MAX_EXPANDED_NODES:,} values through aliases; refusing to read it",
                base + root.start_mark.index,
            )
        if isinstance(node, yaml.MappingNode):
            if id(node) not in seen:  # an alias to a checked mapping: count it, skip the keys
                keys: dict[Any, yaml.Node] = {}
                for k, _ in node.value:
                    if isinstance(k, yaml.ScalarNode):
                        if k.value in keys and k.value != "<<":
                            first = keys[k.value]
                            shown = k.value if written is None else written[base + k.start_mark.index : base + k.end_mark.index]
                            return FrontmatterError(
                                f"duplicate key `{shown}` in frontmatter (first on line {first.start_mark.line + first_line + 1}); "
                                "YAML readers disagree on which one wins: keep one",
                                base + k.start_mark.index,
                                base + k.end_mark.index,
                            )
                        keys[k.value] = k
            seen.add(id(node))
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            seen.add(id(node))
            stack.extend(node.value)
    return None
