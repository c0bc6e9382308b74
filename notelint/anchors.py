"""Anchors: what follows `#` in a link or note reference, and the headings and blocks a note
offers them. `resolve.NoteIndex` asks here whether a `#…` part of a link finds its place.

Sources of each rule (see also `../shared/notes/obsidian-and-dendron.md` §3, §4):

* Obsidian (obsidian-help `Linking notes and files/Internal links.md`): `[[Note#Heading]]`,
  nested headings chained `[[Note#H1#H2]]`, blocks `[[Note#^id]]` whose ids hold "only letters,
  numbers, and dashes", written ` ^id` at the end of a block or on its own line after it. A
  heading matches by its text, both sides normalised the way Obsidian's `stripHeading` does
  (obsidian.d.ts: "stripping out special characters and shrinking consecutive spaces"; the
  character set is the one public reimplementations of the API use), ignoring case.
* Dendron note references (dendron-site `vault/dendron.topic.note-reference.md`; parser
  `LinkUtils.parseNoteRefRaw` in dendronhq/dendron `packages/unified/src/remark/utils.ts`):
  `![[note#start,N:#end]]`. After the `#`, the start anchor runs to the first `:` or `#`; a
  `,N` in it is a line offset; `:#end` names the end anchor. `*` is a wildcard ("to the next
  header"), `^id` a block, `^begin`/`^end` the note's first and last block (`noteRefsV2.ts`
  `findAnchor`). A heading anchor matches when, lower-cased, it equals the heading's slug
  (`MdastUtils.matchHeading`): the docs say to write `#my-heading`, not `#My Heading`.
* Dendron block anchors (`packages/unified/src/remark/blockAnchors.ts`, `BLOCK_LINK_REGEX`):
  `^` then letters, digits, `-` and `_` ("the underscores are an extension over Obsidian") at
  the end of a line.
* Slugs: github-slugger, as Dendron (`getSlugger`) and GitHub use it: the slug of the heading's
  rendered text; a repeated slug gets `-1`, `-2`, … Dendron pins `github-slugger@^1.3.0`, so
  both 1.3's character rules and the Unicode-category rules of 1.4 and later are accepted.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notelint.note import Note

# --------------------------------------------------------------------------- link side


@dataclass(frozen=True, slots=True)
class Anchor:
    """One anchor of a link: `kind` is "heading", "block" or "wildcard"; `name` is the heading
    text or block id (without `^`); `start`..`end` is the anchor as written, from its `#`, in
    offsets of the fragment (the text after the link's first `#`, so the first anchor starts at -1)."""

    kind: str
    name: str
    start: int
    end: int

    @property
    def written(self) -> str:
        """The anchor as the user wrote it, with its `#`: `#configure`, `#^blk`."""
        return "#" + ("^" + self.name if self.kind == "block" else self.name)


# Dendron's reference grammar after the `#`: anchorStart `[^\]:#]+`, then `(:#anchorEnd)?`.
DENDRON_REF = re.compile(r"([^:#]+)(?::#([^:#]+))?")
DENDRON_SPECIAL_BLOCKS = {"begin", "end"}


def _anchor(text: str, at: int) -> Anchor:
    """The anchor `text` found at offset `at` of the fragment (its `#` is at `at - 1`)."""
    name = text.strip()
    end = at + len(text.rstrip())
    if name == "*":
        return Anchor("wildcard", name, at - 1, end)
    if name.startswith("^"):
        return Anchor("block", name[1:].strip(), at - 1, end)
    return Anchor("heading", name, at - 1, end)


def parse_fragment(fragment: str, note_ref: bool = False) -> list[Anchor]:
    """The anchors of a link's `#…` part (without the first `#`). `note_ref` reads Dendron's
    note-reference grammar (start, `,N` offset, `:#` end); otherwise `#` chains headings."""
    if not note_ref:
        out, pos = [], 0
        for part in fragment.split("#"):
            if part.strip():
                out.append(_anchor(part, pos))
            pos += len(part) + 1
        return out
    m = DENDRON_REF.match(fragment)
    if not m:
        return []
    start_text = m.group(1).split(",", 1)[0]  # `summary,1`: the offset skips lines, it names nothing
    anchors = [_anchor(start_text, 0)] if start_text.strip() else []
    if m.group(2) is not None and m.group(2).strip():
        anchors.append(_anchor(m.group(2), m.start(2)))
    return anchors


# --------------------------------------------------------------------------- slugs

_REMOVED_CATEGORIES = {"No", "Ps", "Pe", "Pi", "Pf", "Po", "Pd", "Sm", "Sc", "Sk", "So",
                       "Cc", "Cf", "Co", "Cn", "Zs", "Zl", "Zp"}
# symbols that are also Alphabetic (circled and squared Latin letters) are kept
_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))


def _slug_keeps(ch: str) -> bool:
    if ch in " -":
        return True
    if unicodedata.category(ch) not in _REMOVED_CATEGORIES:
        return True
    return any(lo <= ord(ch) <= hi for lo, hi in _ALPHABETIC_SYMBOLS)


@functools.lru_cache(maxsize=8192)  # (pure; a vault repeats its section headings)
def github_slug(text: str) -> str:
    """github-slugger 1.4 and later (`script/generate-regex`): lower case, then drop other numbers,
    punctuation but `-` and `_`, symbols, controls, format and unassigned characters, and
    separators but the space; each space becomes `-`. No trimming: callers trim, as Dendron does."""
    return "".join(ch for ch in text.lower() if _slug_keeps(ch)).replace(" ", "-")


_LEGACY_SPECIALS = re.compile(r"[\u2000-\u206F\u2E00-\u2E7F\\'!\"#$%&()*+,./:;<=>?@\[\]^`{|}~\u2019]")
# emoji-regex approximated by the emoji blocks, variation selector 16, keycap and skin tones
_LEGACY_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF"
                           "\uFE0F\u20E3\u00A9\u00AE\u2122]")


@functools.lru_cache(maxsize=8192)  # (pure; a vault repeats its section headings)
def github_slug_legacy(text: str) -> str:
    """github-slugger 1.3 (`index.js`): lower case, trim, drop ASCII punctuation but `-` and `_`,
    the General and Supplemental Punctuation blocks and emoji; each whitespace becomes `-`."""
    text = _LEGACY_SPECIALS.sub("", text.lower().strip())
    return re.sub(r"\s", "-", _LEGACY_EMOJI.sub("", text))


class Slugger:
    """github-slugger's `BananaSlug`: unique slugs for one document, `-1`, `-2` for repeats."""

    def __init__(self, slug: Callable[[str], str] = github_slug):
        self._slug = slug
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = out = self._slug(text)
        while out in self._seen:
            self._seen[base] += 1
            out = f"{base}-{self._seen[base]}"
        self._seen[out] = 0
        return out


# --------------------------------------------------------------------------- headings

_OBSIDIAN_STRIP = re.compile(r"[!\"#$%&()*+,.:;<=>?@^`{|}~/\[\]\\\r\n]")


@functools.lru_cache(maxsize=8192)  # (pure; a vault repeats its section headings)
def heading_key(text: str) -> str:
    """A heading or link text as Obsidian compares them: special characters to spaces, runs of
    spaces shrunk, case ignored."""
    return " ".join(_OBSIDIAN_STRIP.sub(" ", text).split()).casefold()


OBSIDIAN_BLOCK_ID = re.compile(r"(?<!\S)\^([A-Za-z0-9-]+)[ \t]*$", re.M)
DENDRON_BLOCK_ID = re.compile(r"\^([A-Za-z0-9_-]+)[ \t]*$", re.M)


@dataclass(frozen=True, slots=True)
class AnchorFacts:
    """What a note offers anchors: heading keys (Obsidian text comparison), heading slugs
    (repeats numbered) and block ids, all lower case."""

    texts: frozenset[str]
    slugs: frozenset[str]
    blocks: frozenset[str]

    @classmethod
    def of(cls, note: Note) -> AnchorFacts:
        if not note.readable:
            return cls(frozenset(), frozenset(), frozenset())
        headings = note.markdown.headings
        texts = {heading_key(t) for h in headings for t in (h.text, h.plain, h.plain_targets)}
        slugs: set[str] = set()
        for rendered in ("plain", "plain_targets"):
            for slug in (github_slug, github_slug_legacy):
                slugger = Slugger(slug)
                slugs.update(slugger.slug(getattr(h, rendered)) for h in headings)
        return cls(frozenset(texts), frozenset(slugs), frozenset(_block_ids(note)))

    def rows(self) -> list[list[str]]:
        return [sorted(self.texts), sorted(self.slugs), sorted(self.blocks)]

    @classmethod
    def from_rows(cls, rows) -> AnchorFacts:
        return cls(*(frozenset(r) for r in rows))

    def has(self, anchor: Anchor, flavor: str, note_ref: bool = False) -> bool:
        """Whether `anchor` finds its heading or block here; `note_ref` for a Dendron note
        reference, whose heading anchors must be slugs."""
        if anchor.kind == "wildcard":
            return True
        name = anchor.name.strip()
        if anchor.kind == "block":
            return name.lower() in self.blocks or (flavor == "dendron" and note_ref and name in DENDRON_SPECIAL_BLOCKS)
        if note_ref:
            return name.lower() in self.slugs
        return (heading_key(name) in self.texts or name.lower() in self.slugs
                or github_slug(name) in self.slugs or github_slug_legacy(name) in self.slugs)


def _block_ids(note: Note) -> set[str]:
    """Block ids at line ends outside frontmatter, code and HTML blocks, in the flavor's grammar."""
    pattern = DENDRON_BLOCK_ID if note.flavor == "dendron" else OBSIDIAN_BLOCK_ID
    skip = note.markdown.verbatim_lines()
    lines = note.lines
    out = set()
    for m in pattern.finditer(note.text, note.body_start):
        if lines.index_of(m.start()) not in skip:
            out.add(m.group(1).lower())
    return out
