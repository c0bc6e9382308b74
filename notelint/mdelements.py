"""The Markdown elements notelint reads from a note, each with code-point offsets into `Note.text`.

Kept apart from the parser (`markdown.py`) and the source scanners (`mdscan.py`), which both build
them: rules only ever see these classes, so the parser behind them can change without the rules
noticing (issue 17 swapped markdown-it-py for pulldown-cmark this way).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class Heading(Span):
    """`text` is the heading as written (Markdown included); `plain` is what a reader sees
    (emphasis, code and link markup gone, a wikilink by its display text, an image by its alt),
    and `plain_targets` the same with each wikilink by its target, as Dendron's
    mdast-util-to-string sees wikilink nodes. Anchor slugs are made from the rendered text."""

    level: int
    text: str
    text_start: int
    text_end: int
    plain: str = ""
    plain_targets: str = ""


@dataclass(slots=True)
class Block(Span):
    """A block by line range: `kind` is paragraph, list_item, blockquote, table, hr."""

    kind: str
    first_line: int  # 0-based, inclusive
    last_line: int  # 0-based, inclusive
    depth: int = 0  # list nesting for list items, quote nesting for blockquotes


@dataclass(slots=True)
class CodeBlock(Span):
    """Fenced or indented code; `first_line`..`last_line` (0-based) include the fences."""

    fenced: bool
    info: str
    first_line: int
    last_line: int


@dataclass(slots=True)
class HtmlBlock(Span):
    first_line: int
    last_line: int


@dataclass(slots=True)
class CodeSpan(Span):
    pass


@dataclass(slots=True)
class Link(Span):
    """`[text](dest)`, `[text][ref]` or `<autolink>`; `dest` is raw (still %-encoded)."""

    dest: str
    syntax: str  # "inline", "reference", "autolink"
    dest_start: int = -1
    dest_end: int = -1
    reference: str | None = None


@dataclass(slots=True)
class Image(Span):
    """`![alt](src "title")`, `![alt][ref]` or `<img src>`; `src` is raw (still %-encoded)."""

    src: str
    alt: str
    syntax: str  # "inline", "reference", "html"
    title: str = ""
    dest_start: int = -1
    dest_end: int = -1
    reference: str | None = None


@dataclass(slots=True)
class WikiLink(Span):
    """`[[target#heading|alias]]` (Dendron: `[[alias|target]]`); `embed` for `![[…]]`."""

    target: str
    heading: str | None
    alias: str | None
    embed: bool
    target_start: int
    target_end: int
    heading_start: int = -1  # where `heading` starts in the note text (after its `#`), -1 without one


@dataclass(slots=True)
class Tag(Span):
    """An inline `#tag`; `name` excludes the `#`."""

    name: str


@dataclass(slots=True)
class Comment(Span):
    """An HTML comment `<!-- -->` or an Obsidian comment `%% %%`; `body` excludes the markers."""

    kind: str  # "html" or "obsidian"
    body: str


@dataclass(slots=True)
class Definition(Span):
    """A link reference definition `[label]: dest "title"`."""

    label: str
    dest: str
    dest_start: int
    dest_end: int


@dataclass(slots=True)
class MarkdownDoc:
    """Everything the rules may ask of a note's Markdown, positioned."""

    headings: list[Heading] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    html_blocks: list[HtmlBlock] = field(default_factory=list)
    code_spans: list[CodeSpan] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    wikilinks: list[WikiLink] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)

    @property
    def embeds(self) -> list[WikiLink]:
        return [w for w in self.wikilinks if w.embed]

    def verbatim_lines(self) -> set[int]:
        """0-based lines whose bytes are content, not formatting: code and HTML blocks."""
        out: set[int] = set()
        for b in self.code_blocks:
            out.update(range(b.first_line, b.last_line + 1))
        for h in self.html_blocks:
            out.update(range(h.first_line, h.last_line + 1))
        return out
