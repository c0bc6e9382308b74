"""notelint's own grammar, scanned on the note text inside the parser's ranges.

pulldown-cmark (`markdown.py`) gives block and inline structure with byte ranges; what it cannot
express, or expresses differently from what notelint has always reported, is read here from the
source text itself: tags (Obsidian and Dendron grammar), wikilinks and their target/heading/alias,
the raw destination of a link, HTML comments and `<img>` tags, `%%` comments, and link reference
definitions (also a repeated label, which CommonMark ignores). Each function gets the note text and
the ranges to look in, and adds elements to a `MarkdownDoc`.
"""

from __future__ import annotations

import bisect
import re

from notelint.mdelements import Comment, Definition, Image, MarkdownDoc, Span, Tag, WikiLink
from notelint.source import Lines

# Obsidian ends a tag at whitespace, ASCII punctuation but `_ - /`, and the General and
# Supplemental Punctuation blocks (the class Dataview and other plugins use to match Obsidian):
# letters of any script, digits, emoji and CJK punctuation such as `，` stay in the tag.
OBSIDIAN_STOP = "\u2000-\u206f\u2e00-\u2e7f'!\"#$%&()*+,.:;<=>?@^`{|}~\\[\\]\\\\\\s"
OBSIDIAN_TAG = re.compile(rf"#([^{OBSIDIAN_STOP}]+)")
# Dendron's PUNCTUATION_MARKS (packages/unified/src/remark/hashtag.ts), verbatim: these, and
# whitespace and `@ # | [ ]`, end a tag; `.` is allowed inside (hierarchy) but not first or last.
DENDRON_PUNCTUATION = (
    ",;:'\"<>()?!`~\u00ab\u2039\u00bb\u203a\u201e\u201c\u201f\u201d\u2019\u275d\u275e\u276e\u276f\u2e42"
    "\u301d\u301e\u301f\uff02\u201a\u2018\u201b\u275b\u275c\u275f\uff3b\uff3d\u3010\u3011\u2026\u2025"
    "\u300c\u300d\u300e\u300f\u00b7\u061f\u060c\u0964\u0965\u203d\u2e18\u00a1\u00bf\u2048\u2049"
)
_DENDRON_STOP = r"@#|\[\]\s" + re.escape(DENDRON_PUNCTUATION)
DENDRON_TAG = re.compile(rf"#([^0-9.{_DENDRON_STOP}](?:[^{_DENDRON_STOP}]*[^.{_DENDRON_STOP}])?)")
WIKILINK = re.compile(r"(!?)\[\[([^\n]+?)\]\](?!\])")
HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
IMG_TAG = re.compile(
    r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))[^>]*>""", re.I | re.S
)
IMG_ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
DEFINITION = re.compile(
    # a destination on the next line of a block quote comes after that line's `>` markers
    r"""\[((?:[^\[\]\\]|\\.)+)\]:[ \t]*(?:(?:\r\n|\r|\n)(?:[ \t]*>)*)?[ \t]*(<[^<>\r\n]*>|[^\s<]+)"""
)


def tag_name(flavor: str, src: str, pos: int) -> str | None:
    """The tag starting at `src[pos] == '#'`, or None when it is not one in this flavor."""
    if flavor == "dendron":
        m = DENDRON_TAG.match(src, pos)
        if m and m.group(1)[-1] in "*~":  # `**bold #tag**`: remark closes the emphasis first
            m = DENDRON_TAG.match("#" + m.group(1).rstrip("*~"))
        return m.group(1) if m else None
    m = OBSIDIAN_TAG.match(src, pos)
    if not m or m.group(1).isdigit():  # `#1984` is not a tag, `#y1984` is
        return None
    return m.group(1)


def split_wikilink(inner: str, flavor: str) -> tuple[str, int, str | None, int, str | None]:
    """(target, its offset, heading, its offset, alias) of a wikilink's inner text. Obsidian
    writes `target#heading|alias`, Dendron `alias|target#heading`. The first `|` splits, escaped
    or not: in a table the alias pipe must be written `\\|` (Obsidian help, "Advanced formatting
    syntax", Tables: `[[Format your notes\\|Formatting]]`), and outside a table Obsidian reads
    `[[note\\|alias]]` the same way (the backslash is not part of the target)."""
    alias = None
    target, t_off = inner, 0
    pipe = inner.find("|")
    if pipe >= 0:
        before = inner[:pipe]
        if before.endswith("\\"):
            before = before[:-1]
        if flavor == "dendron":
            alias, target, t_off = before, inner[pipe + 1 :], pipe + 1
        else:
            target, alias = before, inner[pipe + 1 :]
    heading, h_off = None, -1
    hash_at = target.find("#")
    if hash_at >= 0:
        target, heading, h_off = target[:hash_at], target[hash_at + 1 :], t_off + hash_at + 1
    stripped = target.strip()
    t_off += len(target) - len(target.lstrip())
    return stripped, t_off, heading, h_off, alias


def _escaped(text: str, pos: int) -> bool:
    """Whether `text[pos]` follows an odd run of backslashes (a CommonMark escape)."""
    n = 0
    while pos - n > 0 and text[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def wikilinks(doc: MarkdownDoc, text: str, regions: list[tuple[int, int, int]], flavor: str) -> None:
    """`[[…]]` and `![[…]]` by notelint's `WIKILINK`, starting in a region (s, e, bound): a text run
    or a wikilink pulldown-cmark found, `bound` the end of its table cell (an unescaped `|` splits
    cells) or of the note. Read left to right as markdown-it read them with notelint's old rule, so
    a wikilink keeps what it swallows (`[[a `b]]` is one, `[[a]]]` has target `a]`) and one across
    lines is none; elements starting inside one are dropped."""
    taken: list[tuple[int, int]] = []
    done = -1
    limit, limit_bound, close = -1, -1, -1  # where the line (or cell) of the last `[[` ends, and its last `]]`
    for s, e, bound in sorted(regions):
        end = min(e + 1, bound)
        q = text.find("[[", max(s, done), end)
        while q >= 0:
            if q >= limit or bound != limit_bound:
                line_end = text.find("\n", q, bound)
                limit = bound if line_end < 0 else line_end
                limit_bound = bound
                close = text.rfind("]]", q, limit)
            # WIKILINK matches from q exactly when a `]]` starts 3 or more after it on the line: the
            # last `]` of a run is followed by none; checked first, a line of 10,000 `[` stays linear
            at = q - 1 if q > 0 and text[q - 1] == "!" and q - 1 >= done and not _escaped(text, q - 1) else q
            m = None if close < q + 3 or _escaped(text, q) else WIKILINK.match(text, at, bound)
            if m is None:
                q = text.find("[[", q + 1, end)
                continue
            inner = m.start(2)
            target, t_off, heading, h_off, alias = split_wikilink(m.group(2), flavor)
            doc.wikilinks.append(WikiLink(m.start(), m.end(), target, heading, alias, bool(m.group(1)),
                                          inner + t_off, inner + t_off + len(target),
                                          inner + h_off if heading is not None else -1))
            taken.append((m.start(), m.end()))
            done = m.end()
            q = text.find("[[", done, end)
    if taken:
        _drop_inside(doc, taken)


def _drop_inside(doc: MarkdownDoc, spans: list[tuple[int, int]]) -> None:
    """Code spans, links, images and HTML comments that start inside a wikilink are its text."""
    starts = [s for s, _ in spans]

    def inside(x: Span) -> bool:
        k = bisect.bisect_right(starts, x.start - 1) - 1
        return k >= 0 and spans[k][0] < x.start < spans[k][1]

    doc.code_spans = [x for x in doc.code_spans if not inside(x)]
    doc.links = [x for x in doc.links if not inside(x)]
    doc.images = [x for x in doc.images if not inside(x)]
    doc.comments = [x for x in doc.comments if not inside(x)]


def tags(doc: MarkdownDoc, text: str, texts: list[tuple[int, int]], flavor: str) -> None:
    """`#tag` at the start of a text range's line content or after whitespace, outside wikilinks."""
    spans = sorted((w.start, w.end) for w in doc.wikilinks)
    starts = [s for s, _ in spans]
    for s, e in texts:
        pos = text.find("#", s, e)
        while pos >= 0:
            k = bisect.bisect_right(starts, pos) - 1
            if k >= 0 and pos < spans[k][1]:  # inside a wikilink: its heading, not a tag
                pos = text.find("#", spans[k][1], e)
                continue
            if pos == 0 or text[pos - 1].isspace() or pos == s and _line_lead(text, pos):
                name = tag_name(flavor, text, pos)
                if name is not None and not any(c in "\r\n" for c in name):
                    doc.tags.append(Tag(pos, pos + 1 + len(name), name))
                    pos = text.find("#", pos + 1 + len(name), e)
                    continue
            pos = text.find("#", pos + 1, e)


def _line_lead(text: str, pos: int) -> bool:
    """Whether only quote markers, spaces and tabs stand between `pos` and its line's start."""
    i = pos - 1
    while i >= 0 and text[i] in " \t>":
        i -= 1
    return i < 0 or text[i] in "\r\n"


_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def destination(text: str, e: int, label_end: int) -> tuple[int, int, str] | None:
    """The raw destination of an inline link or image `[…](dest "title")` ending at `e`, from the
    `]` of its label: (start, end, destination with backslash escapes resolved)."""
    i = label_end + 1
    if i >= e or text[i] != "(":
        return None
    i += 1
    while i < e and text[i] in " \t\r\n":
        i += 1
    if i < e and text[i] == "<":
        j = i + 1
        while j < e and text[j] not in "<>\n\r":
            j += 2 if text[j] == "\\" else 1
        return (i, j + 1, _ESCAPE.sub(r"\1", text[i + 1 : j])) if j < e and text[j] == ">" else None
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
    return i, j, _ESCAPE.sub(r"\1", text[i:j])


def html(doc: MarkdownDoc, text: str, s: int, e: int) -> None:
    """Comments and `<img>` tags inside an HTML block or an inline HTML token."""
    chunk = text[s:e]
    comments = [(m.start(), m.end()) for m in HTML_COMMENT.finditer(chunk)]
    for cs, ce in comments:
        doc.comments.append(Comment(s + cs, s + ce, "html", chunk[cs + 4 : ce - 3]))
    if chunk.startswith("<!--") and not comments:  # unclosed comment runs to the block's end
        doc.comments.append(Comment(s, e, "html", chunk[4:]))
        return
    for m in IMG_TAG.finditer(chunk):
        if any(cs <= m.start() < ce for cs, ce in comments):
            continue
        g = 1 if m.group(1) is not None else 2 if m.group(2) is not None else 3
        alt = IMG_ALT.search(m.group(0))
        doc.images.append(Image(s + m.start(), s + m.end(), m.group(g), (alt.group(1) or alt.group(2) or "") if alt else "",
                                "html", dest_start=s + m.start(g), dest_end=s + m.end(g)))


DEFINITION_LEAD = re.compile(r"[ \t>*+\-\d.)]*")  # container prefixes: quotes, list markers, indent


def definitions(doc: MarkdownDoc, text: str, lines: Lines, first_line: int, known: dict[int, int]) -> None:
    """Every link reference definition, on the lines from `first_line` that no leaf block covers.

    pulldown-cmark makes no event for a definition and its `reference_definitions` keeps only
    the first of a label (`known`: its first line -> last line); a later `[R]:` that CommonMark
    ignores is still listed, as markdown-it listed it, so `resolve` sees what the note says."""
    covered = _covered_lines(doc, lines)
    n = len(lines)
    li = first_line
    while li < n:
        if li in covered:
            li += 1
            continue
        lead = DEFINITION_LEAD.match(text, lines.starts[li], lines.ends[li]).end()
        m = DEFINITION.match(text, lead) if text.startswith("[", lead) else None
        if m is None:
            li += 1
            continue
        last = known.get(li)
        if last is None:  # a repeated label: its title may sit alone on the next line
            last = lines.index_of(m.end())
            nxt = last + 1
            if nxt < n and nxt not in covered:
                at = DEFINITION_LEAD.match(text, lines.starts[nxt], lines.ends[nxt]).end()
                if at < lines.ends[nxt] and text[at] in "\"'(":
                    last = nxt
        ds, de, dest = m.start(2), m.end(2), m.group(2)
        if dest.startswith("<") and dest.endswith(">"):
            ds, de, dest = ds + 1, de - 1, dest[1:-1]
        doc.definitions.append(Definition(m.start(), lines.ends[last], m.group(1), dest, ds, de))
        li = last + 1


def _covered_lines(doc: MarkdownDoc, lines: Lines) -> set[int]:
    """Lines inside a paragraph, table, rule, heading, code or HTML block: none holds a definition."""
    out: set[int] = set()
    for b in doc.blocks:
        if b.kind in ("paragraph", "table", "hr"):
            out.update(range(b.first_line, b.last_line + 1))
    for c in (*doc.code_blocks, *doc.html_blocks):
        out.update(range(c.first_line, c.last_line + 1))
    for h in doc.headings:
        out.update(range(lines.index_of(h.start), lines.index_of(h.end) + 1))
    return out


def label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def resolve_references(doc: MarkdownDoc) -> None:
    """Reference-style images and links take their raw destination (and its span) from the
    first matching definition, as CommonMark does."""
    if not doc.definitions:
        return
    defs: dict[str, Definition] = {}
    for d in doc.definitions:
        defs.setdefault(label_key(d.label), d)
    for el in (*doc.images, *doc.links):
        if el.syntax == "reference" and el.reference is not None:
            d = defs.get(label_key(el.reference))
            if d is not None:
                if isinstance(el, Image):
                    el.src = d.dest
                else:
                    el.dest = d.dest
                el.dest_start, el.dest_end = d.dest_start, d.dest_end


def obsidian_comments(doc: MarkdownDoc, text: str, body_start: int, lines: Lines) -> None:
    """`%%…%%` hides everything between the markers (outside code), even across blocks."""
    if "%%" not in text[body_start:]:
        return
    code = sorted([(c.start, c.end) for c in doc.code_blocks] + [(c.start, c.end) for c in doc.code_spans])
    starts = [c[0] for c in code]

    def in_code(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and code[i][0] <= pos < code[i][1]

    marks = [m.start() for m in re.finditer("%%", text[body_start:])]
    marks = [body_start + p for p in marks if not in_code(body_start + p)]
    regions = []
    i = 0
    while i < len(marks):
        open_at = marks[i]
        close_at = marks[i + 1] if i + 1 < len(marks) else None
        end = close_at + 2 if close_at is not None else len(text)
        regions.append((open_at, end))
        doc.comments.append(Comment(open_at, end, "obsidian", text[open_at + 2 : (close_at if close_at is not None else end)]))
        i += 2
    if not regions:
        return

    def hidden(span: Span) -> bool:
        return any(rs <= span.start < re_ for rs, re_ in regions)

    doc.tags = [x for x in doc.tags if not hidden(x)]
    doc.links = [x for x in doc.links if not hidden(x)]
    doc.images = [x for x in doc.images if not hidden(x)]
    doc.wikilinks = [x for x in doc.wikilinks if not hidden(x)]
    doc.headings = [x for x in doc.headings if not hidden(x)]
    doc.definitions = [x for x in doc.definitions if not hidden(x)]
    doc.comments.sort(key=lambda c: c.start)
