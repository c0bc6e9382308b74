"""Markdown elements of a note, each with its exact offsets in the note's text.

pulldown-cmark (through pyromark) parses the note and reports every block and inline event with
its UTF-8 byte range in the source, at every nesting level: no container prefixes stripped, no
tabs expanded, so a range becomes a code-point offset by one bisect (`ByteMap`). This module walks
those events into notelint's elements (`mdelements.py`); what pulldown-cmark cannot express, or
reads differently from what notelint reports, notelint's own scanners read from the source inside
its ranges (`mdscan.py`: tags, wikilinks, destinations, comments, repeated definitions).

The frontmatter is blanked (spaces, line breaks kept) before parsing, so offsets and line
numbers are the file's. It replaced markdown-it-py here for speed (README, "Design";
benchmarks/README.md, "Markdown parser evaluation"); `rendering.py` still renders with
markdown-it-py.
"""

from __future__ import annotations

import bisect
import re

import pyromark

from notelint import mdscan
from notelint.mdelements import (  # noqa: F401 - the element classes are this module's public face
    Block,
    CodeBlock,
    CodeSpan,
    Comment,
    Definition,
    Heading,
    HtmlBlock,
    Image,
    Link,
    MarkdownDoc,
    Span,
    Tag,
    WikiLink,
)
from notelint.source import LINE_BREAK, Lines

_O = pyromark.Options
OPTIONS = _O.ENABLE_TABLES | _O.ENABLE_STRIKETHROUGH | _O.ENABLE_WIKILINKS
LONE_CR = re.compile(r"\r(?!\n)")
NON_ASCII = re.compile(r"[^\x00-\x7f]")
FRONTMATTER_CHAR = re.compile(r"[^\r\n]")
CLOSING = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")  # an ATX heading's closing sequence
CONTAINERS = {"Paragraph": "paragraph", "Item": "list_item", "BlockQuote": "blockquote", "Table": "table"}
INLINE = {"Link", "Image", "Emphasis", "Strong", "Strikethrough"}
ENDS_IMPLIED = {"Paragraph", "Item", "BlockQuote", "Table", "List", "CodeBlock", "HtmlBlock", "Heading"}


class ByteMap:
    """UTF-8 byte offset -> code-point offset of one string (identity for ASCII text)."""

    def __init__(self, text: str):
        self.bytes_at: list[int] = []  # byte offset just after each non-ASCII character
        self.extra: list[int] = []  # extra bytes (UTF-8 length - 1) up to and including it
        extra = 0
        for m in NON_ASCII.finditer(text):
            c = ord(m.group())
            extra += 1 if c < 0x800 else 2 if c < 0x10000 else 3
            self.bytes_at.append(m.start() + extra + 1)
            self.extra.append(extra)

    def __call__(self, b: int) -> int:
        if not self.extra:
            return b
        k = bisect.bisect_right(self.bytes_at, b) - 1
        return b - (self.extra[k] if k >= 0 else 0)


def source_for_parser(text: str, body_start: int) -> str:
    """The note as pulldown-cmark reads it: the frontmatter blanked character for character
    (line breaks kept), and each lone CR read as LF. pulldown-cmark does not end an HTML block's
    line at a lone CR (a `<!-- c -->` line would swallow the rest of the note); CR and LF are one
    byte and one code point each, so every offset stays the note's."""
    src = FRONTMATTER_CHAR.sub(" ", text[:body_start]) + text[body_start:]
    return LONE_CR.sub("\n", src) if "\r" in src else src


def parse(text: str, body_start: int, lines: Lines, flavor: str = "obsidian") -> MarkdownDoc:
    """Parse the note text (Markdown after `body_start`) into positioned elements."""
    src = source_for_parser(text, body_start)
    doc = _Walk(text, lines, flavor).run(src, ByteMap(src), lines.index_of(body_start))
    mdscan.resolve_references(doc)
    mdscan.obsidian_comments(doc, text, body_start, lines)
    for coll in (doc.links, doc.images, doc.wikilinks, doc.tags, doc.comments, doc.code_spans,
                 doc.code_blocks, doc.html_blocks, doc.headings, doc.definitions):
        coll.sort(key=lambda x: x.start)
    return doc


class _Walk:
    """One pass over pulldown-cmark's events, keeping the open elements on a stack."""

    def __init__(self, text: str, lines: Lines, flavor: str):
        self.text, self.lines, self.flavor = text, lines, flavor
        self.doc = MarkdownDoc()
        self.stack: list[list] = []  # open elements: [kind, start, payload...]
        self.links: list[list] = []  # the open links and images among them
        self.open_blocks: list[str] = []  # the kinds of the open elements that are not inline
        self.in_wikilink = 0
        self.list_depth = 0
        self.quote_depth = 0
        self.texts: list[tuple[int, int]] = []  # text ranges where a tag may start
        self.regions: list[tuple[int, int, int]] = []  # where a wikilink may start: (s, e, bound)
        self.cell_end = len(text)  # a wikilink ends within its table cell
        self.implied: list[int] | None = None  # a tight list item's text: reported as a paragraph
        self.in_image = 0
        self.heading: list | None = None  # (shown, by target[, source end]) pieces of the open heading

    def run(self, src: str, bmap: ByteMap, body_line: int) -> MarkdownDoc:
        parser = pyromark.Markdown(options=OPTIONS)
        for ev, r in parser.events_with_range(src):
            s, e = bmap(r["start"]), bmap(r["end"])
            if isinstance(ev, str):  # SoftBreak, HardBreak, Rule
                self.bare(ev, s)
                continue
            ((key, val),) = ev.items()
            if key == "Start":
                self.start(val if isinstance(val, str) else next(iter(val)), val, s, e)
            elif key == "End":
                self.end(val if isinstance(val, str) else next(iter(val)), s, e)
            else:
                self.leaf(key, val, s, e)
        self.end_implied()
        doc, text = self.doc, self.text
        mdscan.wikilinks(doc, src, self.regions, self.flavor)  # (a lone CR ends a line there too)
        mdscan.tags(doc, text, self.texts, self.flavor)
        if "]:" in src:
            known = {}
            for d in parser.reference_definitions(src).values():
                ds, de = bmap(d["span"]["start"]), bmap(d["span"]["end"])
                known[self.lines.index_of(ds)] = self.lines.index_of(max(ds, de - 1))
            if known:
                mdscan.definitions(doc, text, self.lines, body_line, known)
        return doc

    def block(self, kind: str, s: int, e: int, depth: int) -> Block:
        first, last = self.lines.index_of(s), self.lines.index_of(max(s, e - 1))
        return Block(self.lines.starts[first], self.lines.ends[last], kind, first, last, depth)

    def end_implied(self) -> None:
        """markdown-it reported a paragraph in a tight list item; pulldown-cmark has no event for it."""
        if self.implied is not None:
            s, e = self.implied
            self.doc.blocks.append(self.block("paragraph", s, e, self.list_depth))
            self.implied = None

    def info(self, s: int) -> str:
        """A fence's info string as written (pulldown-cmark's has its backslash escapes resolved)."""
        text = self.text
        end = self.lines.ends[self.lines.index_of(s)]
        i = s
        while i < end and text[i] == text[s]:
            i += 1
        return text[i:end].strip()

    def bare(self, ev: str, s: int) -> None:
        if ev == "Rule":
            self.end_implied()
            self.doc.blocks.append(self.block("hr", s, s, self.list_depth))
        elif self.heading is not None:
            self.heading.append((" ", " "))

    def start(self, tag: str, val, s: int, e: int) -> None:
        if tag in ENDS_IMPLIED:
            self.end_implied()
        if tag == "List":
            self.list_depth += 1
            return
        if tag in CONTAINERS:
            if tag == "BlockQuote":
                self.quote_depth += 1
            depth = self.quote_depth if tag == "BlockQuote" else self.list_depth
            self.stack.append([CONTAINERS[tag], s, depth, len(self.doc.blocks)])
            self.doc.blocks.append(None)  # filled at its end: blocks are listed in document order
        elif tag == "Heading":
            self.stack.append(["heading", s, int(val["Heading"]["level"][1])])
            self.heading = []
        elif tag == "CodeBlock":
            fenced = val["CodeBlock"] != "Indented"
            self.stack.append(["code", s, fenced, self.info(s) if fenced else ""])
        elif tag == "HtmlBlock":
            self.stack.append(["html", s])
        elif tag == "TableCell":
            self.stack.append(["cell", s, self.cell_end])
            self.cell_end = e
        elif tag in ("Link", "Image"):
            data = val[tag]
            if tag == "Image":
                self.in_image += 1
            if isinstance(data["link_type"], dict):
                self.in_wikilink += 1
            el = [tag, s, data, data["link_type"], [], -1]  # ..., alt text pieces, end of the last child
            self.stack.append(el)
            self.links.append(el)
        else:
            self.stack.append([tag, s])
        if tag not in INLINE:
            self.open_blocks.append(self.stack[-1][0])

    def end(self, tag: str, s: int, e: int) -> None:
        if tag in ("Item", "Paragraph", "BlockQuote", "Table"):
            self.end_implied()
        if tag == "List":
            self.list_depth -= 1
            return
        el = self.stack.pop()
        kind = el[0]
        if tag not in INLINE:
            self.open_blocks.pop()
        elif kind in ("Link", "Image"):
            self.links.pop()
            if self.links:  # an image's alt text is in the alt of the image around it
                self.links[-1][4].append("".join(el[4]))
        if self.links:
            self.links[-1][5] = e
        doc, lines = self.doc, self.lines
        if kind in ("blockquote", "paragraph", "list_item", "table"):
            doc.blocks[el[3]] = self.block(kind, s, e, el[2])
            if kind == "blockquote":
                self.quote_depth -= 1
        elif kind == "heading":
            self.end_heading(el, s, e)
        elif kind == "code":
            first, last = lines.index_of(s), lines.index_of(max(s, e - 1))
            doc.code_blocks.append(CodeBlock(lines.starts[first], lines.ends[last], el[2], el[3], first, last))
        elif kind == "html":
            first, last = lines.index_of(s), lines.index_of(max(s, e - 1))
            hs, he = lines.starts[first], lines.ends[last]
            doc.html_blocks.append(HtmlBlock(hs, he, first, last))
            mdscan.html(doc, self.text, hs, he)
        elif kind == "cell":
            self.cell_end = el[2]
        elif kind in ("Link", "Image"):
            self.end_link(el, s, e)

    def end_heading(self, el: list, s: int, e: int) -> None:
        text, lines = self.text, self.lines
        parts = self.heading or []
        self.heading = None
        first, last = lines.index_of(s), lines.index_of(max(s, e - 1))
        atx = first == last  # a setext heading's range holds its underline
        ts, te = heading_text(text, lines, s, first, last, atx)
        if ts == te:  # pulldown-cmark reads `# # \t` as the text `#`
            parts = []
        elif parts and len(parts[-1]) == 3 and "#" in text[te : parts[-1][2]]:  # and `# a # \t`'s last `#`
            cut = CLOSING.sub("", parts[-1][0])
            parts[-1] = (cut, cut)
        shown = "".join(p[0] for p in parts).strip()
        targets = "".join(p[1] for p in parts).strip()
        written = text[ts:te]
        if not atx and first < last - 1:  # a setext heading over lines: each without its container prefix
            written = _unprefixed(LINE_BREAK.split(written), ts - lines.starts[first], self.quote_depth > 0)
        self.doc.headings.append(Heading(s if atx else lines.starts[first], lines.ends[first if atx else last],
                                         el[2], written, ts, te, shown, targets))

    def end_link(self, el: list, s: int, e: int) -> None:
        tag, _, data, lt, children, last_child = el
        if tag == "Image":
            self.in_image -= 1
        if isinstance(lt, dict):  # a wikilink or an embed: notelint's scanner reads it (mdscan.wikilinks)
            self.in_wikilink -= 1
            self.regions.append((s, e, self.cell_end))
            if self.heading is not None:
                inner = self.text[s + (3 if tag == "Image" else 2) : e - 2]
                target, _, _, _, alias = mdscan.split_wikilink(inner, self.flavor)
                self.heading.append((alias.strip() if alias is not None else target, target))
            return
        if self.heading is not None and tag == "Image" and not self.in_image:
            alt = "".join(c for c in children)
            self.heading.append((alt, alt))
        _link(self.doc, self.text, tag, data, lt, children, last_child, s, e)

    def leaf(self, key: str, val, s: int, e: int) -> None:
        block = self.open_blocks[-1] if self.open_blocks else None
        if self.links:
            self.links[-1][5] = e
        if block == "list_item":
            self.implied = [s, e] if self.implied is None else [self.implied[0], e]
        if key == "Text":
            if not self.in_image and block not in ("code", "html"):
                self.texts.append((s, e))
                self.regions.append((s, e, self.cell_end))
            if self.links:  # alt text is every text inside the image, emphasis included
                self.links[-1][4].append(val)
            if self.heading is not None and not self.in_image and not self.in_wikilink:
                self.heading.append((val, val, e))
        elif key == "Code":
            self.doc.code_spans.append(CodeSpan(s, e))
            if self.heading is not None:
                self.heading.append((val, val))
        elif key == "InlineHtml":
            mdscan.html(self.doc, self.text, s, e)


def heading_text(text: str, lines: Lines, s: int, first: int, last: int, atx: bool) -> tuple[int, int]:
    """The span of a heading's inline content, from `s`, where pulldown-cmark's range starts: markup,
    indentation and closing `#`s stripped, then whitespace as markdown-it trimmed it (Unicode
    whitespace, `\u3000` too); an empty ATX heading's span is its line end."""
    if atx:
        i, le = s, lines.ends[first]
        while i < le and text[i] == "#":
            i += 1
        body = text[i:le]
        ts = i + len(body) - len(body.lstrip())
        rest = text[ts:le].rstrip(" \t")
        if re.fullmatch(r"#+", rest):
            rest = ""
        elif (m := re.search(r"[ \t]+#+$", rest)) is not None:
            rest = rest[: m.start()]
        te = ts + len(rest.rstrip())
        return (ts, te) if te > ts else (le, le)
    le = lines.ends[max(first, last - 1)]  # the underline is not content
    return s, s + len(text[s:le].rstrip())


def _unprefixed(pieces: list[str], indent: int, in_quote: bool) -> str:
    """A setext heading's lines joined as markdown-it gave them: after the first, each loses its
    container prefix (quote markers and indentation, at most the first line's `indent`), but a
    lazy line in a quote (no `>`) is kept as written."""
    out = [pieces[0]]
    for line in pieces[1:]:
        if in_quote and not line.lstrip(" \t").startswith(">"):
            out.append(line)
            continue
        k = 0
        while k < min(indent, len(line)) and line[k] in " \t>":
            k += 1
        out.append(line[k:])
    return "\n".join(out)


def _link(doc: MarkdownDoc, text: str, tag: str, data: dict, lt, children: list, last_child: int,
          s: int, e: int) -> None:
    """A link or image from its event, its raw destination re-read from the source."""
    if lt in ("Autolink", "Email"):
        href = ("mailto:" if lt == "Email" else "") + text[s + 1 : e - 1]
        doc.links.append(Link(s, e, href, "autolink", s + 1, e - 1))
        return
    if lt.startswith("Collapsed") and text.startswith("[]", e):
        e += 2  # pulldown-cmark's range of `[r][]` stops before the `[]`
    label_end = text.find("]", last_child if last_child >= 0 else s + (2 if tag == "Image" else 1), e)
    alt = "".join(children)
    if lt == "Inline":
        dest = mdscan.destination(text, e, label_end)
        ds, de, raw = dest if dest else (-1, -1, data["dest_url"])
        if tag == "Image":
            doc.images.append(Image(s, e, raw, alt, "inline", data["title"], ds, de))
        else:
            doc.links.append(Link(s, e, raw, "inline", ds, de))
    elif tag == "Image":
        doc.images.append(Image(s, e, data["dest_url"], alt, "reference", data["title"], reference=data["id"]))
    else:
        doc.links.append(Link(s, e, data["dest_url"], "reference", reference=data["id"]))
