"""notelint's Markdown layer before issue 17 (markdown-it-py), kept as the reference it was replaced against.

Not used by notelint: this is `notelint/markdown.py` as it was (git history has it too), so that
`parser_eval.py` can compare every element of today's `markdown.parse` (pyromark) with what
markdown-it-py gave, note by note, and time both. The element classes and the reference and `%%`
passes, which the swap left as they were, are imported from today's modules rather than kept
twice. Its own docstring follows.


Neither Markdown parser for Python reports columns: mistune reports nothing (its nested
states re-parse de-indented copies of the text), markdown-it-py reports block line ranges
(`token.map`) only. This module takes markdown-it-py's block structure and adds the
columns itself:

* a block's inline content is the block's source lines minus container prefixes
  (`>`, list indentation), so each content line is aligned back to its source line once
  (a table cell's text also lacks the backslash of each escaped pipe `\\|`, mapped back too);
* the few inline rules whose tokens we need (code spans, links, images, autolinks, inline
  HTML, and our wikilink and tag rules) are wrapped to record where in the content they
  started and ended.

Every element therefore carries `start`/`end` offsets into `Note.text`, and a position is
one bisect away. The frontmatter is blanked out (newlines kept) before parsing, so line
numbers are the file's. See README, "Design", for why mistune could not do this.
"""

from __future__ import annotations

import bisect
import functools
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import blockquote, list_block, paragraph
from markdown_it.rules_inline import StateInline

# The element classes, the tag/wikilink grammar and the reference and `%%` passes did not
# change with the parser: they are today's (`mdelements.py`, `mdscan.py`), so `parser_eval.py`
# compares like with like.
from notelint.mdelements import (
    Block,
    CodeBlock,
    CodeSpan,
    Definition,
    Heading,
    HtmlBlock,
    Image,
    Link,
    MarkdownDoc,
    Tag,
    WikiLink,
)
from notelint.mdscan import DEFINITION, WIKILINK  # the grammar, too
from notelint.mdscan import html as _html
from notelint.mdscan import obsidian_comments as _obsidian_comments
from notelint.mdscan import resolve_references as _resolve_references
from notelint.mdscan import split_wikilink as _split_wikilink
from notelint.mdscan import tag_name as _tag_name
from notelint.source import LINE_BREAK, Lines

# --------------------------------------------------------------------------- parser


def _tag_rule(flavor: str):
    def hashtag(state: StateInline, silent: bool) -> bool:
        pos = state.pos
        src = state.src
        if src[pos] != "#" or (pos > 0 and not src[pos - 1].isspace()):
            return False
        name = _tag_name(flavor, src, pos)
        if name is None:
            return False
        end = pos + 1 + len(name)
        if end > state.posMax:
            return False
        if not silent:
            tok = state.push("nl_tag", "", 0)
            tok.content = name
        state.pos = end
        return True

    return hashtag


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    src = state.src
    if src[pos] not in "![":
        return False
    m = WIKILINK.match(src, pos, state.posMax)
    if not m:
        return False
    if not silent:
        tok = state.push("nl_wikilink", "", 0)
        tok.content = m.group(2)
        tok.meta["embed"] = bool(m.group(1))
        tok.meta["inner"] = (m.start(2) - pos, m.end(2) - pos)
    state.pos = m.end()
    return True


def _record_span(fn, kind: str):
    """Wrap an inline rule so each token it pushes remembers its source span in the content."""

    @functools.wraps(fn)
    def rule(state: StateInline, silent: bool) -> bool:
        if silent:
            return fn(state, silent)
        start = state.pos
        n = len(state.tokens)
        ok = fn(state, silent)
        if ok:
            end = state.pos
            for tok in state.tokens[n:]:
                if tok.type != "text" and "span" not in tok.meta:
                    tok.meta["span"] = (start, end)
            if kind in ("link", "image"):
                head = next((t for t in state.tokens[n:] if t.type in ("link_open", "image")), None)
                if head is not None:
                    _record_destination(state, head, start, end, kind)
        return ok

    return rule


def _record_destination(state: StateInline, head, start: int, end: int, kind: str) -> None:
    """Find the raw destination of the link or image just parsed at `start`."""
    saved = state.pos
    try:
        label_end = state.md.helpers.parseLinkLabel(state, start + (1 if kind == "image" else 0), kind != "image")
    finally:
        state.pos = saved
    if label_end < 0:
        return
    head.meta["label"] = (start + (2 if kind == "image" else 1), label_end)
    pos = label_end + 1
    src = state.src
    if pos < end and src[pos] == "(":
        pos += 1
        while pos < end and src[pos] in " \t\n":
            pos += 1
        res = state.md.helpers.parseLinkDestination(src, pos, end)
        if res.ok:
            head.meta["dest"] = (pos, res.pos, res.str)
            return
    # reference style: [text][label], [text][] or [text]
    if pos < end and src[pos] == "[" and src[pos + 1 : end - 1].strip():
        head.meta["ref"] = src[pos + 1 : end - 1]
    else:
        head.meta["ref"] = src[head.meta["label"][0] : head.meta["label"][1]]


def _record_reference(fn, found: list):
    @functools.wraps(fn)
    def rule(state, start_line: int, end_line: int, silent: bool) -> bool:
        ok = fn(state, start_line, end_line, silent)
        if ok and not silent:
            found.append((start_line, state.line))
        return ok

    return rule


MAX_NESTING = 100  # markdown-it's recursion guard (block and inline levels)
DEEP = MAX_NESTING - 4  # from here on, no more block quotes or lists are opened


def _depth_guard(state, start_line: int, end_line: int, silent: bool) -> bool:
    """Past `DEEP` levels of block quotes and lists, a line that would open one more is read
    as a paragraph. At `maxNesting` markdown-it skips the whole rest of the document, so a
    5,000-deep list would hide every tag and link after it; this way later lines stay parsed,
    positioned and checked, and the recursion stays bounded."""
    if state.level < DEEP or silent:
        return False
    if not (blockquote(state, start_line, end_line, True) or list_block(state, start_line, end_line, True)):
        return False
    return paragraph(state, start_line, end_line, False)


def commonmark() -> MarkdownIt:
    """A plain parser for the syntax notelint reads: CommonMark, GFM tables and strikethrough."""
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").enable("strikethrough")


@functools.lru_cache(maxsize=4)
def _parser(flavor: str) -> tuple[MarkdownIt, list]:
    md = commonmark()
    md.block.ruler.before(md.block.ruler.__rules__[0].name, "nl_depth_guard", _depth_guard)
    md.inline.ruler.before("link", "nl_wikilink", _wikilink_rule)
    md.inline.ruler.before("link", "nl_tag", _tag_rule(flavor))
    wrapped = {
        "backticks": "code",
        "link": "link",
        "image": "image",
        "autolink": "autolink",
        "html_inline": "html",
        "nl_wikilink": "wikilink",
        "nl_tag": "tag",
    }
    for rule in list(md.inline.ruler.__rules__):
        if rule.name in wrapped:
            md.inline.ruler.at(rule.name, _record_span(rule.fn, wrapped[rule.name]))
    references: list = []
    for rule in list(md.block.ruler.__rules__):
        if rule.name == "reference":
            md.block.ruler.at("reference", _record_reference(rule.fn, references), {"alt": rule.alt})
    return md, references


# --------------------------------------------------------------------------- mapping


class _ContentMap:
    """Maps offsets in an inline token's content back to offsets in the note text.

    Each content line is `pad` spaces followed by a literal piece of its source line (see
    `_locate`); an offset in the literal piece maps one to one, an offset in the pad to the tab
    the pad stands for."""

    def __init__(self, lines: Lines, first_line: int, content: str):
        self.starts: list[int] = []  # content offset where each content line starts
        self.bases: list[int] = []  # note offset of each content line's first literal character
        self.pads: list[int] = []  # spaces markdown-it wrote for the rest of a partly consumed tab
        self.escaped: list[int] = []  # content offsets of a `|` written `\\|` (table cells only)
        offset = 0
        for k, cline in enumerate(content.split("\n")):
            li = min(first_line + k, len(lines) - 1)
            s, e = lines.starts[li], lines.ends[li]
            at, pad = _locate(lines.text[s:e], cline)
            self.starts.append(offset)
            self.bases.append(s + at)
            self.pads.append(pad)
            offset += len(cline) + 1

    @classmethod
    def table_cell(cls, lines: Lines, line: int, content: str, cell_start: int) -> _ContentMap:
        """A GFM table cell: one line, found from `cell_start` on. markdown-it drops the `\\` of
        every escaped pipe (`escapedSplit` in its table rule; GFM spec, Tables: "include a pipe
        in a cell's content by escaping it"), so each `|` of the cell text stands for the two
        characters `\\|` in the source, and every offset after it moves one further per pipe."""
        self = cls.__new__(cls)
        written = content.replace("|", "\\|")
        at = lines.text.find(written, cell_start, lines.ends[line])
        self.starts = [0]
        self.bases = [at if at >= 0 else cell_start]
        self.pads = [0]
        self.escaped = [i for i, c in enumerate(content) if c == "|"]
        return self

    def __call__(self, offset: int) -> int:
        k = bisect.bisect_right(self.starts, offset) - 1
        # a pipe's own offset maps to its backslash, so a span starting there covers both
        shift = bisect.bisect_left(self.escaped, offset) if self.escaped else 0
        # an offset inside the pad maps to the tab it replaces (one character before the literal)
        into = max(offset - self.starts[k] - self.pads[k], -1)
        return self.bases[k] + into + shift


def _locate(line: str, cline: str) -> tuple[int, int]:
    """(where the literal part of a content line begins in its source line, the spaces before it).

    markdown-it's `StateBlock.getLines` cuts each line of a block after the container's indent
    and, when that indent ends inside a tab (`- item` then `\\t  next`: the tab reaches column 4,
    the item's content starts at column 2), writes the rest of that tab as spaces (`"  "`) before
    the line's remaining characters (`"  next"`): markdown-it-py `rules_block/state_block.py`,
    getLines, "partially expanding tabs". So a content line is `pad` spaces (0 to 3) plus a suffix of
    the source line, the tab at the suffix's start - 1. The suffix may lose trailing whitespace (the
    block's last line) and a heading its closing `#`s; then it is found inside the line."""
    lead = len(cline) - len(cline.lstrip(" "))
    for pad in range(min(lead, 3) + 1):
        literal = cline[pad:]
        for source in (line, line.rstrip()):  # the block's last line lost its trailing whitespace
            at = len(source) - len(literal)
            if source.endswith(literal):  # the smallest pad that fits: the char before is the tab
                return at, pad
    i = line.find(cline)
    return (i, 0) if i >= 0 else (0, 0)


# --------------------------------------------------------------------------- building


def parse(text: str, body_start: int, lines: Lines, flavor: str = "obsidian") -> MarkdownDoc:
    """Parse the note text (Markdown after `body_start`) into positioned elements."""
    md, references = _parser(flavor)
    references.clear()
    # Blank the frontmatter but keep its line breaks, so markdown-it's line numbers are ours.
    head = text[:body_start]
    # One "\n" per line break: keeping the breaks themselves would fuse a lone "\r" and the next
    # "\n" (`a: 1\r...\n`) into one CRLF, and every line after the frontmatter would be off by one.
    src = "\n" * len(LINE_BREAK.findall(head)) + text[body_start:]
    # markdown-it normalises line breaks; only line indexes cross back, never offsets.
    tokens = md.parse(src, {})
    doc = MarkdownDoc()
    _walk(tokens, doc, lines, text, flavor)
    for first, last in references:
        _definitions(doc, lines, text, first, last)
    _resolve_references(doc)
    _obsidian_comments(doc, text, body_start, lines)
    return doc


def _line_span(lines: Lines, first: int, last_excl: int) -> tuple[int, int]:
    last = max(first, last_excl - 1)
    last = min(last, len(lines) - 1)
    return lines.starts[first], lines.ends[last]


def _walk(tokens, doc: MarkdownDoc, lines: Lines, text: str, flavor: str) -> None:
    list_depth = 0
    quote_depth = 0
    parents: list = []  # open block tokens, innermost last
    row_cursor: dict[int, int] = {}  # table row line -> end of the cell before
    for i, tok in enumerate(tokens):
        t = tok.type
        if tok.nesting == 1:
            parents.append(tok)
        elif tok.nesting == -1 and parents:
            parents.pop()
        if t in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif t in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif t == "blockquote_open":
            quote_depth += 1
            s, e = _line_span(lines, *tok.map)
            doc.blocks.append(Block(s, e, "blockquote", tok.map[0], tok.map[1] - 1, quote_depth))
        elif t == "blockquote_close":
            quote_depth -= 1
        elif t == "list_item_open" and tok.map:
            s, e = _line_span(lines, *tok.map)
            doc.blocks.append(Block(s, e, "list_item", tok.map[0], tok.map[1] - 1, list_depth))
        elif t in ("paragraph_open", "table_open", "hr") and tok.map:
            s, e = _line_span(lines, *tok.map)
            doc.blocks.append(Block(s, e, t.replace("_open", ""), tok.map[0], tok.map[1] - 1, list_depth))
        elif t in ("fence", "code_block") and tok.map:
            s, e = _line_span(lines, *tok.map)
            doc.code_blocks.append(CodeBlock(s, e, t == "fence", tok.info.strip(), tok.map[0], tok.map[1] - 1))
        elif t == "html_block" and tok.map:
            s, e = _line_span(lines, *tok.map)
            doc.html_blocks.append(HtmlBlock(s, e, tok.map[0], tok.map[1] - 1))
            _html(doc, text, s, e)
        elif t == "heading_open" and tok.map:
            s, e = _line_span(lines, *tok.map)
            inline = tokens[i + 1]
            cmap = _ContentMap(lines, tok.map[0], inline.content)
            ts = cmap(0) if inline.content else e
            te = cmap(len(inline.content)) if inline.content else e
            if tok.markup.startswith("#"):
                s = text.find("#", s, e) if text.find("#", s, e) >= 0 else s
            plain, plain_targets = _rendered(inline.children or [], flavor)
            doc.headings.append(Heading(s, e, int(tok.tag[1]), inline.content, ts, te, plain, plain_targets))
        elif t == "inline" and tok.map:
            parent = parents[-1] if parents else None
            if parent is not None and parent.type in ("th_open", "td_open"):
                line = tok.map[0]
                # cells are searched left to right: what lies between two is a pipe and spaces,
                # which no cell text starts with (a `|` in a cell is written `\\|`)
                cmap = _ContentMap.table_cell(lines, line, tok.content, row_cursor.get(line, lines.starts[line]))
                row_cursor[line] = cmap(len(tok.content))
            else:
                cmap = _ContentMap(lines, tok.map[0], tok.content)
            _inline(tok.children or [], doc, cmap, tok.content, flavor, text)


def _inline(children, doc: MarkdownDoc, cmap: _ContentMap, content: str, flavor: str, text: str) -> None:
    for tok in children:
        span = tok.meta.get("span") if tok.meta else None
        if span is None:
            continue
        s, e = cmap(span[0]), cmap(span[1])
        t = tok.type
        if t == "code_inline":
            doc.code_spans.append(CodeSpan(s, e))
        elif t == "nl_tag":
            doc.tags.append(Tag(s, e, tok.content))
        elif t == "nl_wikilink":
            _wikilink(doc, tok, s, e, cmap, span[0], flavor)
        elif t == "image":
            alt = "".join(c.content for c in (tok.children or []))
            dest = tok.meta.get("dest")
            if dest:
                doc.images.append(Image(s, e, dest[2], alt, "inline", tok.attrs.get("title", "") or "",
                                        cmap(dest[0]), cmap(dest[1])))
            else:
                doc.images.append(Image(s, e, str(tok.attrs.get("src", "")), alt, "reference",
                                        str(tok.attrs.get("title", "") or ""), reference=tok.meta.get("ref")))
        elif t == "link_open":
            if tok.markup == "autolink":
                doc.links.append(Link(s, e, str(tok.attrs.get("href", "")), "autolink", s + 1, e - 1))
            else:
                dest = tok.meta.get("dest")
                if dest:
                    doc.links.append(Link(s, e, dest[2], "inline", cmap(dest[0]), cmap(dest[1])))
                else:
                    doc.links.append(Link(s, e, str(tok.attrs.get("href", "")), "reference",
                                          reference=tok.meta.get("ref")))
        elif t == "html_inline":
            _html(doc, text, s, e)


def _wikilink(doc: MarkdownDoc, tok, s: int, e: int, cmap: _ContentMap, base: int, flavor: str) -> None:
    """Each offset is mapped on its own: in a table cell an escaped pipe before it moves it."""
    inner = base + tok.meta["inner"][0]
    target, t_off, heading, h_off, alias = _split_wikilink(tok.content, flavor)
    doc.wikilinks.append(
        WikiLink(s, e, target, heading, alias, bool(tok.meta.get("embed")),
                 cmap(inner + t_off), cmap(inner + t_off + len(target)),
                 cmap(inner + h_off) if heading is not None else -1)
    )


def _rendered(children, flavor: str) -> tuple[str, str]:
    """A heading's text as rendered: (wikilinks by display text, wikilinks by target). Text, code
    and image alt text count; emphasis, link and HTML markup do not; a tag keeps its `#`."""
    shown: list[str] = []
    targets: list[str] = []
    for tok in children:
        t = tok.type
        if t in ("text", "code_inline"):
            piece = tok.content
        elif t == "image":
            piece = "".join(c.content for c in (tok.children or []))
        elif t == "nl_tag":
            piece = "#" + tok.content
        elif t in ("softbreak", "hardbreak"):
            piece = " "
        elif t == "nl_wikilink":
            target, _, _, _, alias = _split_wikilink(tok.content, flavor)
            shown.append(alias.strip() if alias is not None else target)
            targets.append(target)
            continue
        else:
            continue
        shown.append(piece)
        targets.append(piece)
    return "".join(shown).strip(), "".join(targets).strip()


def _definitions(doc: MarkdownDoc, lines: Lines, text: str, first: int, last_excl: int) -> None:
    s, e = _line_span(lines, first, last_excl)
    m = DEFINITION.search(text, s, e)
    if not m:
        return
    ds, de = m.start(2), m.end(2)
    dest = m.group(2)
    if dest.startswith("<") and dest.endswith(">"):
        ds, de, dest = ds + 1, de - 1, dest[1:-1]
    doc.definitions.append(Definition(m.start(), e, m.group(1), dest, ds, de))

