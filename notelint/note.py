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
from notelint import markdown, templates
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
    template: bool = False  # a template file (`templates.py`): its placeholders are masked, not parsed
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
    def from_text(cls, text: str, rel: str = "note.md", flavor: str = "obsidian", bom: bool = False,
                  template: bool = False) -> Note:
        """A note that lives only in memory (fix passes, tests)."""
        return cls(path=Path(rel), rel=rel, text=text, bom=bom, flavor=flavor, template=template)

    def derive(self, text: str) -> Note:
        """The same note with new text: what a fix pass re-checks."""
        return Note(path=self.path, rel=self.rel, text=text, bom=self.bom, raw=b"", flavor=self.flavor,
                    read_only=self.read_only, origin=self.text if self.origin is None else self.origin,
                    template=self.template)

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
    def placeholders(self) -> list[tuple[int, int]]:
        """(start, end) of each placeholder of a template (`{{date}}`, `<% … %>`); none in a note."""
        return templates.placeholder_spans(self.text) if self.template else []

    @cached_property
    def frontmatter(self) -> fm_mod.Frontmatter:
        return fm_mod.parse(self.text, self.template)

    @property
    def body_start(self) -> int:
        fm = self.frontmatter
        return fm.block_end if fm.present else 0

    @cached_property
    def markdown(self) -> markdown.MarkdownDoc:
        fm = self.frontmatter
        # a template is parsed with its placeholders masked (same length), then what they make up is dropped
        source, lines = self.text, self.lines
        if self.placeholders:  # (same line table: the mask keeps every line break)
            source = templates.mask(self.text, self.placeholders)
            lines = Lines(source)
        start = 0 if fm.present and fm.error and fm.block_end >= len(self.text) else self.body_start
        # (an unclosed block swallows the file; it is parsed as plain Markdown instead of nothing)
        doc = markdown.parse(source, start, lines, self.flavor)
        templates.hide_placeholder_elements(doc, self.text, self.placeholders, self.flavor)
        return doc

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)
