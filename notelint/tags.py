"""Tags of a note and of a vault: frontmatter tags with their exact offsets, spelling
normalisation and conventions, and the vault-wide tag index that tag-style and
`notelint tags` share (built once per run, kept in `ws.context["tags"]`)."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from notelint import frontmatter as fm_mod
from notelint import mdscan

if TYPE_CHECKING:
    from notelint.workspace import Workspace
    from notelint.note import Note

TAG_KEYS = ("tags", "tag")
NUMERIC_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
CONVENTIONS = ("preserve", "lower-snake", "lower-kebab", "camel", "pascal")


@dataclass(slots=True)
class FrontmatterTag:
    """One tag value in `tags:`/`tag:`. `start`/`end` are offsets in the note text of the
    tag's own characters when `exact` (the raw text equals the value, so a splice of just
    these characters is safe), else of the whole YAML node."""

    key: str  # "tags" or "tag"
    value: str
    start: int
    end: int
    exact: bool
    node: yaml.ScalarNode
    in_string: bool = False  # one part of a comma-separated string
    in_list: bool = False

    @property
    def numeric(self) -> bool:
        return self.node.tag in NUMERIC_TAGS or self.value.isdigit()


def scalar_span(note: Note, node: yaml.Node) -> tuple[int, int, bool]:
    """(start, end, exact) of a scalar's characters in the note text."""
    base = note.frontmatter.start
    s, e = base + node.start_mark.index, base + node.end_mark.index
    raw = note.text[s:e]
    value = node.value if isinstance(node.value, str) else ""
    if not node.style and raw == value:  # plain (libyaml gives "", the pure loader None)
        return s, e, True
    if node.style in ("'", '"') and raw[1:-1] == value:
        return s + 1, e - 1, True
    return s, e, False


# How each app splits a string value of `tags:` into tags.
# Obsidian: on commas and whitespace. `parseFrontMatterTags` reads the key with
# `parseFrontMatterStringArray(frontmatter, key, nospaces = true)` (obsidian-api `obsidian.d.ts`:
# `nospaces?: boolean`), and the help documents the comma form (obsidian-help, Editing and
# formatting/Tags.md: "separating them using commas: `tags: recipe, cooking`"). Dataview reads
# tags the same way (`extractTags`: `splitFrontmatterTagOrAlias(value, /[,\s]+/)`).
# Dendron: a string is one tag (`_.isString(note.tags) ? [note.tags] : note.tags` in its link
# finder and `TagUtils`), so `a, b` is one tag with a comma; its parts are still listed, as
# `in_string` tags, for the tag index and for tag-syntax's fix to a list.
STRING_TAG_WORD = {"obsidian": re.compile(r"[^,\s]+"), "dendron": re.compile(r"[^,]+")}


def frontmatter_tags(note: Note) -> list[FrontmatterTag]:
    """Every tag value under `tags:` and `tag:` (lists, flow lists, strings), positioned."""
    fm = note.frontmatter
    if not note.readable or not fm.present or fm.error or fm.root is None:
        return []
    out: list[FrontmatterTag] = []
    for key in TAG_KEYS:
        pair = fm.key_node(key)
        if pair is None:
            continue
        value = pair[1]
        if isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.ScalarNode) and item.tag != "tag:yaml.org,2002:null":
                    s, e, exact = scalar_span(note, item)
                    out.append(FrontmatterTag(key, item.value, s, e, exact, item, in_list=True))
        elif isinstance(value, yaml.ScalarNode) and value.tag != "tag:yaml.org,2002:null" and value.value:
            out.extend(_string_tags(note, key, value))
    return out


def _string_tags(note: Note, key: str, node: yaml.ScalarNode) -> list[FrontmatterTag]:
    """The tags of a string value as the flavor splits it (see STRING_TAG_WORD), each at its own
    characters when the raw text is the value; one whole tag when the flavor does not split."""
    s, e, exact = scalar_span(note, node)
    text = node.value
    if note.flavor == "dendron" and "," not in text:
        return [FrontmatterTag(key, text, s, e, exact, node)]
    out = []
    for m in STRING_TAG_WORD.get(note.flavor, STRING_TAG_WORD["obsidian"]).finditer(text):
        part = m.group(0)
        word = part.strip()
        if not word:
            continue
        if exact:
            ws = s + m.start() + len(part) - len(part.lstrip())
            out.append(FrontmatterTag(key, word, ws, ws + len(word), True, node, in_string=True))
        else:
            out.append(FrontmatterTag(key, word, s, e, False, node, in_string=True))
    return out


def read_tag(flavor: str, written: str) -> str | None:
    """The tag the flavor reads from `written` (which starts with `#`), or None."""
    return mdscan.tag_name(flavor, written, 0)


# --------------------------------------------------------------------------- frontmatter edits


def flow_item(word):
    """A tag as a flow-list item: plain when YAML reads it back unchanged, else quoted."""
    try:
        if yaml.safe_load(f"[{word}]") == [word]:
            return word
    except yaml.YAMLError:
        pass
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def apply_edits(text, edits):
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.replacement + text[e.end:]
    return text


def value_with_item(note, ft, new_value):
    """The value of `ft.key` once this one tag (a whole scalar, one word of a string, or one
    list item) reads `new_value`: what a fix must parse to before it is kept (see `parses_to`)."""
    pair = note.frontmatter.key_node(ft.key)
    if pair is None:
        return None
    if isinstance(pair[1], yaml.ScalarNode):
        if not ft.in_string:
            return new_value
        if not ft.exact:
            return None
        offset = ft.start - scalar_span(note, ft.node)[0]
        return ft.node.value[:offset] + new_value + ft.node.value[offset + len(ft.value):]
    if not isinstance(pair[1], yaml.SequenceNode):
        return None
    current = note.frontmatter.data.get(ft.key)
    if not isinstance(current, list):
        return None
    out = list(current)
    for i, item in enumerate(pair[1].value):
        if item is ft.node:
            out[i] = new_value
            return out
    return None


def parses_to(note, edits, key, expected):
    """The fix is kept only if the new frontmatter parses and `key` holds what was meant."""
    fm = fm_mod.parse(apply_edits(note.text, edits), note.template)
    return fm.error is None and fm.data.get(key) == expected


# --------------------------------------------------------------------------- spelling


@functools.lru_cache(maxsize=65536)  # the index normalises every use: 27,000 in the benchmark vault
def normalise(name: str) -> str:
    """Tags equal up to case and `_`/`-` share this key: Obsidian ignores case in tags, and
    `video_generation`, `video-generation` and `videoGeneration` are one idea spelled three ways."""
    return name.casefold().replace("_", "").replace("-", "")


def _segments(name: str, flavor: str) -> list[str]:
    return re.split(r"([/.])" if flavor == "dendron" else r"(/)", name)


def _words(segment: str) -> list[str]:
    return [w for w in re.split(r"[-_]+", segment) if w]


def _camel_word(word: str, first: bool) -> str:
    if word.isupper() or first:
        word = word.lower() if word.isupper() else word
        return word if first else word[:1].upper() + word[1:]
    return word[:1].upper() + word[1:]


def convert(name: str, convention: str, flavor: str = "obsidian") -> str:
    """The spelling of `name` in a convention; hierarchy separators (`/`, Dendron's `.`) are
    kept and each level is converted on its own."""
    if convention == "preserve":
        return name
    out = []
    for part in _segments(name, flavor):
        if part in ("/", "."):
            out.append(part)
        elif convention == "lower-snake":
            out.append(part.lower().replace("-", "_"))
        elif convention == "lower-kebab":
            out.append(part.lower().replace("_", "-"))
        else:
            words = _words(part)
            camel = "".join(_camel_word(w, i == 0) for i, w in enumerate(words))
            if convention == "pascal":
                camel = camel[:1].upper() + camel[1:]
            out.append(camel or part)
    return "".join(out)


# --------------------------------------------------------------------------- the index


@dataclass(slots=True)
class TagUse:
    """One written occurrence of a tag: `start`/`end` delimit the tag's characters (no `#`)."""

    rel: str
    name: str
    start: int
    end: int
    inline: bool
    exact: bool = True


@dataclass
class TagIndex:
    """Every tag of the vault, grouped by normalised key; per-key counts are computed once."""

    flavor: str
    uses: dict[str, list[TagUse]] = field(default_factory=dict)
    # note -> its tag uses as the index holds them (`tag_use_rows`), for the notes it was built from
    rows: dict[str, list[list]] = field(default_factory=dict, repr=False)
    _stats: dict[str, tuple[Counter, dict[str, list[str]], str]] = field(default_factory=dict, repr=False)

    def add(self, use: TagUse) -> None:
        key = normalise(use.name)
        self.uses.setdefault(key, []).append(use)
        self._stats.pop(key, None)

    def _summary(self, key: str) -> tuple[Counter, dict[str, list[str]], str]:
        """(uses per spelling, notes per spelling, majority spelling) of one tag."""
        if key not in self._stats:
            uses = self.uses.get(key, [])
            counts = Counter(u.name for u in uses)
            notes: dict[str, set[str]] = {}
            for u in uses:
                notes.setdefault(u.name, set()).add(u.rel)
            # ties go to the spelling in more notes, then to the one with fewer capitals (both
            # apps recommend lower case), then to the first in sort order: never to read order
            majority = min(counts, key=lambda s: (-counts[s], -len(notes[s]), sum(c.isupper() for c in s), s)) if counts else ""
            self._stats[key] = (counts, {s: sorted(n) for s, n in notes.items()}, majority)
        return self._stats[key]

    def spellings(self, key: str) -> Counter:
        return self._summary(key)[0]

    def majority(self, key: str) -> str:
        """The most used spelling of a tag."""
        return self._summary(key)[2]

    def canonical(self, key: str, aliases: dict[str, str], convention: str) -> str:
        """The spelling every use of this tag should have: the configured alias, else the
        majority spelling, in the configured convention."""
        target = alias_target(key, aliases)
        name = target if target is not None else self.majority(key)
        return convert(name, convention, self.flavor)

    def notes_using(self, key: str, spelling: str) -> list[str]:
        return self._summary(key)[1].get(spelling, [])


def alias_target(key: str, aliases: dict[str, str]) -> str | None:
    """The canonical spelling configured for a normalised key: an alias whose spelling
    normalises to it, or an alias target that does."""
    for spelling, target in aliases.items():
        if normalise(spelling) == key:
            return target
    for target in aliases.values():
        if normalise(target) == key:
            return target
    return None


def note_uses(note: Note) -> list[TagUse]:
    uses = [TagUse(note.rel, t.name, t.start + 1, t.end, True) for t in note.markdown.tags]
    for ft in frontmatter_tags(note):
        if not ft.numeric and ft.value.strip():
            name = ft.value.strip().lstrip("#") if ft.exact else ft.value
            uses.append(TagUse(note.rel, name, ft.start, ft.end, False, ft.exact and name == ft.value))
    return uses


TAG_USES_FACT = "tag-uses-2"  # the cached fact's name: change it when tag_use_rows changes


def tag_use_rows(note: Note) -> list[list]:
    """`note_uses` as JSON rows (for the results cache and worker processes)."""
    if not note.readable:
        return []
    return [[u.name, u.start, u.end, u.inline, u.exact] for u in note_uses(note)]


def index(ws: Workspace) -> TagIndex:
    """The vault's tag index, built once per run (the context is cleared after fixes), from
    the cached vault index (`ws.note_facts`): after a few edits only those notes are parsed.
    Templates are left out: a template's tags are not uses (it has no say in a tag's spelling)."""
    found = ws.context.get("tags")
    if found is None:
        found = TagIndex(ws.vault.flavor)
        notes = [rel for rel in ws.vault.notes if rel not in ws.vault.templates]
        if hasattr(ws, "note_facts"):
            rows = ws.note_facts(TAG_USES_FACT, tag_use_rows, notes)
        else:
            rows = {rel: tag_use_rows(ws.note(rel)) for rel in notes}
        for rel in notes:
            mine = rows.get(rel) or ()
            for row in mine:
                found.add(TagUse(rel, *row))
            found.rows[rel] = list(mine)
        ws.context["tags"] = found
    return found


# --------------------------------------------------------------------------- `notelint tags`


def listing(ws: Workspace, aliases: dict[str, str], convention: str) -> list[dict]:
    """One row per tag used in the notes asked about: canonical spelling, uses, notes, and
    every spelling with its count; most used first."""
    idx = index(ws)
    wanted = set(ws.targets)
    groups: dict[str, list[TagUse]] = {}  # by canonical spelling: an alias joins two keys
    for key, uses in idx.uses.items():
        mine = [u for u in uses if u.rel in wanted]
        if mine:
            groups.setdefault(idx.canonical(key, aliases, convention), []).extend(mine)
    rows = []
    for tag, mine in groups.items():
        counts = Counter(u.name for u in mine)
        rows.append({
            "tag": tag,
            "count": len(mine),
            "notes": len({u.rel for u in mine}),
            "spellings": [{"spelling": s, "count": n} for s, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
        })
    rows.sort(key=lambda r: (-r["count"], r["tag"].casefold(), r["tag"]))
    return rows


def render_listing(rows: list[dict], fmt: str, stream) -> None:
    if fmt == "json":
        import json

        json.dump(rows, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        return
    if not rows:
        stream.write("No tags.\n")
        return
    stream.write(f"{'count':>5}  {'notes':>5}  tag\n")
    for r in rows:
        others = [f"{s['spelling']} ({s['count']})" for s in r["spellings"]]
        extra = f"  (written as {', '.join(others)})" if len(others) > 1 or r["spellings"][0]["spelling"] != r["tag"] else ""
        stream.write(f"{r['count']:>5}  {r['notes']:>5}  {r['tag']}{extra}\n")
    uses = sum(r["count"] for r in rows)
    spelled = sum(1 for r in rows if len(r["spellings"]) > 1)
    stream.write(f"{len(rows)} tag{'s' if len(rows) != 1 else ''}, {uses} use{'s' if uses != 1 else ''}"
                 + (f"; {spelled} spelled more than one way (see `notelint check --select tag-style`)" if spelled else "")
                 + ".\n")
