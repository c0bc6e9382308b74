"""One note: its exact text, where its frontmatter is, and (lazily) its Markdown elements.

Rules read a Note; nothing here writes. The text is the file's text with the BOM removed
(`bom` remembers it) and line endings untouched, so fixes splice it and `source.encode`
gives the file's bytes back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from notelint import frontmatter as fm_mod
from notelint import markdown
from notelint.source import DecodeError, Lines, decode, dominant_newline


@dataclass(eq=False)
class Note:
    path: Path  # absolute
    rel: str  # vault-relative, `/`-separated
    text: str = ""
    bom: bool = False
    raw: bytes = b""
    flavor: str = "obsidian"
    read_error: DecodeError | None = None
    read_only: str = ""  # why the note is checked but never written (a link out of the vault, a read-only file)
    origin: str | None = None  # on a note `derive`d by a fix: the text as read (None: the note as read)
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_bytes(cls, path: Path, rel: str, data: bytes, flavor: str = "obsidian") -> Note:
        note = cls(path=path, rel=rel, raw=data, flavor=flavor)
        try:
            note.text, note.bom = decode(data)
        except DecodeError as exc:
            note.read_error = exc
        return note

    @classmethod
    def from_text(cls, text: str, rel: str = "note.md", flavor: str = "obsidian", bom: bool = False) -> Note:
        """A note that lives only in memory (fix passes, tests)."""
        return cls(path=Path(rel), rel=rel, text=text, bom=bom, flavor=flavor)

    def derive(self, text: str) -> Note:
        """The same note with new text: what a fix pass re-checks."""
        return Note(path=self.path, rel=self.rel, text=text, bom=self.bom, raw=b"", flavor=self.flavor,
                    read_only=self.read_only, origin=self.text if self.origin is None else self.origin)

    @property
    def readable(self) -> bool:
        return self.read_error is None

    @cached_property
    def lines(self) -> Lines:
        return Lines(self.text)

    @cached_property
    def newline(self) -> str:
        return dominant_newline(self.text)

    @cached_property
    def frontmatter(self) -> fm_mod.Frontmatter:
        return fm_mod.parse(self.text)

    @property
    def body_start(self) -> int:
        fm = self.frontmatter
        return fm.block_end if fm.present else 0

    @cached_property
    def markdown(self) -> markdown.MarkdownDoc:
        fm = self.frontmatter
        if fm.present and fm.error and fm.block_end >= len(self.text):
            # an unclosed block swallows the file; parse it as plain Markdown instead of nothing
            return markdown.parse(self.text, 0, self.lines, self.flavor)
        return markdown.parse(self.text, self.body_start, self.lines, self.flavor)

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)
