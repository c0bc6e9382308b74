"""An evaluation adapter: notelint's `MarkdownDoc` built from pyromark (pulldown-cmark) events.

Not used by notelint. `parser_eval.py` times it and compares its elements with
`notelint.markdown.parse` element by element, so that the evaluation of a native parser rests on
what it really gives for every construct, not on its bare parse time.

pulldown-cmark reports UTF-8 byte ranges for every event at every nesting level (no container
prefixes to strip, no tab pads), so a range becomes a code-point offset by one bisect over the
non-ASCII characters. What it cannot express is scanned here, on the source text inside its
ranges: tags (Obsidian/Dendron grammar), the raw destination span of a link or image, the
target/heading/alias split of a wikilink (and the `\\|` of a table), HTML and `%%` comments,
`<img>` tags. The scanners are notelint's own (imported from `notelint.markdown`).
"""

from __future__ import annotations

import bisect
import re

import pyromark

from notelint import markdown as nm
from notelint.source import Lines

O = pyromark.Options
OPTIONS = O.ENABLE_TABLES | O.ENABLE_STRIKETHROUGH | O.ENABLE_WIKILINKS
PARSER = pyromark.Markdown(options=OPTIONS)
LONE_CR = re.compile(r"\r(?!\n)")
NON_ASCII = re.compile(r"[^\x00-\x7f]")
BLOCK_KINDS = {"Paragraph": "paragraph", "Item": "list_item"}
INLINE = {"Link", "Image", "Emphasis", "Strong", "Strikethrough"}


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


def _skip_ws(text: str, i: int, end: int) -> int:
    while i < end and text[i] in " \t\r\n":
        i += 1
    return i


def _destination(text: str, s: int, e: int, label_end: int) -> tuple[int, int, str] | None:
    """The raw destination of an inline link/image `[...](dest "title")` spanning s..e, given
    where its label ends (the `]`): (start, end, destination as markdown-it's helper returns)."""
    i = label_end + 1
    if i >= e or text[i] != "(":
        return None
    i = _skip_ws(text, i + 1, e)
    if i < e and text[i] == "<":
        j = i + 1
        while j < e and text[j] not in "<>\n\r":
            j += 2 if text[j] == "\\" else 1
        return (i, j + 1, _unescape(text[i + 1 : j])) if j < e and text[j] == ">" else None
    j, depth = i, 0
    while j < e:
        c = text[j]
        if c == "\\" and j + 1 < e:
            j += 2
            continue
        if c in " \t\r\n" or ord(c) < 0x20:
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    return i, j, _unescape(text[i:j])


_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def _unescape(s: str) -> str:
    return _ESCAPE.sub(r"\1", s)


def parse(text: str, body_start: int, lines: Lines, flavor: str = "obsidian") -> nm.MarkdownDoc:
    """Same contract as `notelint.markdown.parse`."""
    # Blank the frontmatter character for character (newlines kept): offsets stay the note's.
    src = re.sub(r"[^\r\n]", " ", text[:body_start]) + text[body_start:]
    # pulldown-cmark misses a lone CR as the end of an HTML block's line (a `<!-- -->` line then
    # swallows the rest of the note); CR and LF are one byte and one code point each
    if "\r" in src:
        src = LONE_CR.sub("\n", src)
    bmap = ByteMap(src)
    doc = nm.MarkdownDoc()
    line_of = lines.index_of
    stack: list[list] = []  # open elements: [kind, start, payload...]
    list_depth = quote_depth = 0
    texts: list[tuple[int, int]] = []  # code-point ranges of Text events where tags may start
    implied: list | None = None  # a tight list item's text: markdown-it still makes a paragraph
    in_image = 0
    heading_parts: list | None = None

    def end_implied() -> None:
        nonlocal implied
        if implied is not None:
            s, e = implied
            doc.blocks.append(nm.Block(lines.starts[line_of(s)], lines.ends[line_of(e)], "paragraph",
                                       line_of(s), line_of(e), list_depth))
            implied = None

    for ev, r in PARSER.events_with_range(src):
        s, e = bmap(r["start"]), bmap(r["end"])
        if isinstance(ev, str):  # SoftBreak, HardBreak, Rule
            if ev == "Rule":
                end_implied()
                li = line_of(s)
                doc.blocks.append(nm.Block(lines.starts[li], lines.ends[li], "hr", li, li, list_depth))
            elif heading_parts is not None:
                heading_parts.append((" ", " "))
            continue
        (key, val), = ev.items()
        if key == "Start":
            tag = val if isinstance(val, str) else next(iter(val))
            if tag in ("Paragraph", "Item", "BlockQuote", "Table", "List", "CodeBlock", "HtmlBlock", "Heading"):
                end_implied()
            if tag == "List":
                list_depth += 1
            elif tag == "BlockQuote":
                quote_depth += 1
                stack.append(["quote", s, quote_depth, len(doc.blocks)])
                doc.blocks.append(None)  # filled at its end: blocks are listed in document order
            elif tag in BLOCK_KINDS:
                stack.append([BLOCK_KINDS[tag], s, list_depth, len(doc.blocks)])
                doc.blocks.append(None)
            elif tag == "Table":
                stack.append(["table", s, list_depth, len(doc.blocks)])
                doc.blocks.append(None)
            elif tag == "Heading":
                stack.append(["heading", s, int(val["Heading"]["level"][1])])
                heading_parts = []
            elif tag == "CodeBlock":
                kind = val["CodeBlock"]
                stack.append(["code", s, kind != "Indented", kind["Fenced"].strip() if kind != "Indented" else ""])
            elif tag == "HtmlBlock":
                stack.append(["html", s])
            elif tag in ("Link", "Image"):
                data = val[tag]
                lt = data["link_type"]
                if tag == "Image":
                    in_image += 1
                stack.append([tag, s, data, lt, [], -1])  # ..., text children, end of the last child
            else:
                stack.append([tag, s])
            continue
        if key == "End":
            if val in ("Item", "Paragraph") or (isinstance(val, dict) and "BlockQuote" in val) or val == "Table":
                end_implied()
            if isinstance(val, dict) and "List" in val:
                list_depth -= 1
                continue
            el = stack.pop()
            kind = el[0]
            if stack and stack[-1][0] in ("Link", "Image"):
                stack[-1][5] = e
            last = line_of(max(s, e - 1))
            first = line_of(s)
            if kind == "quote":
                doc.blocks[el[3]] = nm.Block(lines.starts[first], lines.ends[last], "blockquote", first, last, el[2])
                quote_depth -= 1
            elif kind in ("paragraph", "list_item", "table"):
                doc.blocks[el[3]] = nm.Block(lines.starts[first], lines.ends[last], kind, first, last, el[2])
            elif kind == "heading":
                parts = heading_parts or []
                heading_parts = None
                atx = text[s] == "#"
                le = lines.ends[first if atx else last]
                hs = s if atx else lines.starts[first]
                ts, te = _heading_text(text, lines, s, first, last, atx)
                shown = "".join(p[0] for p in parts).strip()
                targets = "".join(p[1] for p in parts).strip()
                doc.headings.append(nm.Heading(hs, le, el[2], text[ts:te], ts, te, shown, targets))
            elif kind == "code":
                doc.code_blocks.append(nm.CodeBlock(lines.starts[first], lines.ends[last], el[2], el[3], first, last))
            elif kind == "html":
                hs, he = lines.starts[first], lines.ends[last]
                doc.html_blocks.append(nm.HtmlBlock(hs, he, first, last))
                nm._html(doc, text, hs, he)
            elif kind in ("Link", "Image"):
                _link(doc, text, el, s, e, flavor)
                if kind == "Image":
                    in_image -= 1
                if heading_parts is not None and isinstance(el[3], dict):
                    w = doc.wikilinks[-1]
                    heading_parts.append((w.alias.strip() if w.alias is not None else w.target, w.target))
                elif heading_parts is not None and kind == "Image" and not in_image:
                    alt = "".join(c[2] for c in el[4])
                    heading_parts.append((alt, alt))
            continue
        # leaf events
        block = next((x[0] for x in reversed(stack) if x[0] not in INLINE), None)
        if block == "list_item":
            implied = [s, e] if implied is None else [implied[0], e]
        if stack and stack[-1][0] in ("Link", "Image"):
            stack[-1][5] = e
        if key == "Text":
            if not in_image and block not in ("code", "html"):
                texts.append((s, e))
            owner = next((x for x in reversed(stack) if x[0] in ("Link", "Image")), None)
            if owner is not None:  # alt text is every text inside the image, emphasis included
                owner[4].append((s, e, val))
            if heading_parts is not None and not in_image:
                wl = next((x for x in reversed(stack) if x[0] == "Link" and isinstance(x[3], dict)), None)
                if wl is None:
                    heading_parts.append((val, val, s, e))
        elif key == "Code":
            doc.code_spans.append(nm.CodeSpan(s, e))
            if heading_parts is not None:
                heading_parts.append((val, val, s, e))
        elif key == "InlineHtml":
            nm._html(doc, text, s, e)
            if heading_parts is not None:
                heading_parts.append(("", "", s, e))
    _tags(doc, text, texts, flavor, lines)
    for d in PARSER.reference_definitions(src).values():
        ds, de = bmap(d["span"]["start"]), bmap(d["span"]["end"])
        nm._definitions(doc, lines, text, line_of(ds), line_of(max(ds, de - 1)) + 1)
    doc.definitions.sort(key=lambda d: d.start)
    nm._resolve_references(doc)
    nm._obsidian_comments(doc, text, body_start, lines)
    for coll in (doc.links, doc.images, doc.wikilinks, doc.tags, doc.comments, doc.code_spans,
                 doc.code_blocks, doc.html_blocks, doc.headings):
        coll.sort(key=lambda x: x.start)
    return doc


def _heading_text(text: str, lines: Lines, s: int, first: int, last: int, atx: bool) -> tuple[int, int]:
    """The span of a heading's inline content: markup, indentation and closing `#`s stripped."""
    if atx:
        i, le = s, lines.ends[first]
        while i < le and text[i] == "#":
            i += 1
        body = text[i:le]
        ts = i + len(body) - len(body.lstrip(" \t"))
        rest = text[ts:le].rstrip(" \t")
        if re.fullmatch(r"#+", rest):
            rest = ""
        elif (m := re.search(r"[ \t]+#+$", rest)) is not None:
            rest = rest[: m.start()]
        te = ts + len(rest.rstrip(" \t"))
        return (ts, te) if te > ts else (le, le)  # no content: markdown.py puts both at the line end
    end_line = max(first, last - 1)
    seg = text[lines.starts[first] : lines.ends[end_line]]
    ts = lines.starts[first] + len(seg) - len(seg.lstrip(" \t>"))
    te = len(text[: lines.ends[end_line]].rstrip(" \t"))
    return ts, max(ts, te)


def _link(doc: nm.MarkdownDoc, text: str, el: list, s: int, e: int, flavor: str) -> None:
    tag, _, data, lt, children, last_child = el
    if isinstance(lt, dict):  # a wikilink or an embed
        embed = tag == "Image"
        inner_at = s + (3 if embed else 2)
        inner = text[inner_at : e - 2]
        target, t_off, heading, h_off, alias = nm._split_wikilink(inner, flavor)
        doc.wikilinks.append(nm.WikiLink(s, e, target, heading, alias, embed, inner_at + t_off,
                                         inner_at + t_off + len(target),
                                         inner_at + h_off if heading is not None else -1))
        return
    if lt == "Autolink" or lt == "Email":
        href = ("mailto:" if lt == "Email" else "") + text[s + 1 : e - 1]
        doc.links.append(nm.Link(s, e, href, "autolink", s + 1, e - 1))
        return
    if lt.startswith("Collapsed") and text.startswith("[]", e):
        e += 2  # pulldown-cmark's range of `[r][]` stops before the `[]`
    label_end = last_child if last_child >= 0 else s + (2 if tag == "Image" else 1)
    label_end = text.find("]", label_end, e)
    if lt == "Inline":
        dest = _destination(text, s, e, label_end)
        ds, de, raw = dest if dest else (-1, -1, data["dest_url"])
        if tag == "Image":
            alt = "".join(c[2] for c in children)
            doc.images.append(nm.Image(s, e, raw, alt, "inline", data["title"], ds, de))
        else:
            doc.links.append(nm.Link(s, e, raw, "inline", ds, de))
        return
    ref = data["id"]
    if tag == "Image":
        alt = "".join(c[2] for c in children)
        doc.images.append(nm.Image(s, e, data["dest_url"], alt, "reference", data["title"], reference=ref))
    else:
        doc.links.append(nm.Link(s, e, data["dest_url"], "reference", reference=ref))


def _tags(doc: nm.MarkdownDoc, text: str, texts: list[tuple[int, int]], flavor: str, lines: Lines) -> None:
    """`#tag` at the start of a Text range or after whitespace, scanned on the source text."""
    for s, e in texts:
        pos = text.find("#", s, e)
        while pos >= 0:
            before = text[pos - 1] if pos > 0 else "\n"
            line_start = lines.starts[lines.index_of(pos)]
            lead = text[line_start:pos]
            if before.isspace() or pos == s and not lead.strip(" \t>"):
                name = nm._tag_name(flavor, text, pos)
                if name is not None and not any(c in "\r\n" for c in name):
                    doc.tags.append(nm.Tag(pos, pos + 1 + len(name), name))
                    pos = text.find("#", pos + 1 + len(name), e)
                    continue
            pos = text.find("#", pos + 1, e)
