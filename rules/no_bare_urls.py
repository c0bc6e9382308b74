"""no-bare-urls: a bare URL is written as an autolink, `<https://…>`."""

import bisect
import re

from notelint import fmt_inline
from notelint.finding import Edit
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

_IP4 = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)){3}"
_H = r"[a-fA-F\d]{1,4}"
_IP6 = (
    rf"(?:(?:{_H}:){{7}}(?:{_H}|:)|(?:{_H}:){{6}}(?:{_IP4}|:{_H}|:)|(?:{_H}:){{5}}(?::{_IP4}|(?::{_H}){{1,2}}|:)"
    rf"|(?:{_H}:){{4}}(?:(?::{_H}){{0,1}}:{_IP4}|(?::{_H}){{1,3}}|:)|(?:{_H}:){{3}}(?:(?::{_H}){{0,2}}:{_IP4}|(?::{_H}){{1,4}}|:)"
    rf"|(?:{_H}:){{2}}(?:(?::{_H}){{0,3}}:{_IP4}|(?::{_H}){{1,5}}|:)|(?:{_H}:){{1}}(?:(?::{_H}){{0,4}}:{_IP4}|(?::{_H}){{1,6}}|:)"
    rf"|(?::(?:(?::{_H}){{0,5}}:{_IP4}|(?::{_H}){{1,7}}|:)))(?:%[0-9a-zA-Z]{{1,}})?"
)
# the plugin's `urlRegex` (spamscanner/url-regex-safe, strict) and `simpleURIRegex`, case-insensitive, ASCII like JavaScript's
URL = re.compile(
    rf"(?:(?:(?:[a-z]+:)?//)|www\.)(?:localhost|{_IP4}|{_IP6}"
    r"|(?:(?:[a-z0-9][-_]*)*[a-z0-9]+)(?:\.(?:[a-z0-9]-*)*[a-z0-9]+)*(?:\.(?:[a-z]{2,})))"
    r"(?::\d{2,5})?(?:(?:[/?#][a-z0-9\-_%/&=?$.+~!*‘(,#@]*[a-z0-9\-%_/$+~!*‘(,])|[/])?",
    re.I | re.A,
)
URI = re.compile(r"(([a-z\-0-9]+:)/{2,3})([^\s/?#]*[^\s\")'.?!/]|[/])?(([/?#][^\s\")']*[^\s\")'.?!])|[/])?", re.I | re.A)
SCHEME = re.compile(r"[a-z][a-z0-9+.\-]{1,31}://", re.I | re.A)  # an autolink needs a scheme
QUOTES = "'\"‘’“”`[]"  # a URL alone between two of these is left as it is
TRAILING = "?!.,:*_~"  # punctuation that ends a sentence, not a URL (GFM autolinks)
URI_SCHEMES_LEFT = ("http", "ftp", "https", "smtp")


class NoBareUrls(FormatRule):
    name = "no-bare-urls"
    code = "NL534"
    summary = "A bare URL is written as an autolink: `<https://example.com>`"
    rationale = (
        "CommonMark only links a URL written as `<https://…>`; a bare one is a link in Obsidian but plain text "
        "in many other renderers, and its end is a guess. A URL alone between quotes, backticks or brackets "
        "(`'https://…'`, `[https://…]`) is left as it is, as are URLs in links, images, wikilinks, tags, "
        "link definitions, HTML (tags, attributes and `<a>` text), code, math, comments and the frontmatter. "
        "`<<https://…>>` is reduced to `<https://…>`, and trailing punctuation (`,`, `!`, `*`, `_`, `~`, as in "
        "GFM's autolinks) stays outside the brackets. A URL without a scheme (`www.example.com`) is left "
        "alone, since `<www.example.com>` is not a link; a wrap is only made where it gives an autolink and "
        "leaves everything around it as it was. With `no-bare-uris`, other schemes (`obsidian://…`) are wrapped too."
    )
    bad = "# Sources\n\nSee https://example.com/docs for details.\n"
    good = "# Sources\n\nSee <https://example.com/docs> for details.\n"
    fix = "safe"
    markdownlint = "MD034"
    options = (
        Option("no-bare-uris", bool, False, "Also wrap bare URIs of other schemes (`obsidian://…`, `zotero://…`), not only web URLs."),
    )
    plugin = (PluginRule("no-bare-urls", options={"no-bare-uris": "no-bare-uris"}),)

    def format(self, note):
        text = note.text
        low = text.lower()
        if "//" not in text and "www." not in low:
            return
        avoid = fmt_inline.no_go(note)
        body = note.body_start
        todo = []  # (start, end, replacement, message)
        for n in fmt_inline.nodes(note):
            if n.kind != "Link" or not isinstance(n.data, dict) or n.data.get("link_type") != "Autolink":
                continue
            todo += self._chevrons(note, n.start, n.end, body)
        taken = [(s, e) for s, e, _, _ in todo]
        for m in URL.finditer(text, body):
            todo += self._bare(note, m.start(), m.end(), avoid, taken, uri=False)
        if self.settings["no-bare-uris"] and "://" in text:
            urls = list(taken)
            for m in URI.finditer(text, body):
                if any(s < m.end() and m.start() < e for s, e in urls):
                    continue  # the URL pass deals with these characters
                todo += self._bare(note, m.start(), m.end(), avoid, taken, uri=True)
        todo.sort()
        groups = [[Edit(s, e, r)] for s, e, r, _ in todo]
        start = fmt_inline._parse_start(note)
        before = [n for n in fmt_inline.nodes(note) if not _autolink(n)]

        def same(new, edits):
            """Each wrap is an autolink, and every other element is where it was (moved by the edits)."""
            after = fmt_inline.parse(new, start)
            links = {(n.start, n.end) for n in after if _autolink(n)}
            ordered = sorted(edits, key=lambda e: e.start)
            ends, shifts, shift = [], [], 0
            for e in ordered:
                at = e.start + shift
                if (at, at + len(e.replacement)) not in links:
                    return False
                shift += len(e.replacement) - (e.end - e.start)
                ends.append(e.end)
                shifts.append(shift)

            def moved(p):
                k = bisect.bisect_right(ends, p) - 1
                return p + (shifts[k] if k >= 0 else 0)

            rest = [n for n in after if not _autolink(n)]
            return len(rest) == len(before) and all(
                (a.kind, _shape(a), moved(a.start), moved(a.end)) == (b.kind, _shape(b), b.start, b.end)
                for a, b in zip(before, rest))

        for (s, e, _, message), group, good in zip(todo, groups, fmt_inline.keep_safe(note, groups, same)):
            if good:
                yield self.finding(note, s, e, message, group)

    def _chevrons(self, note, s, e, body):
        """`<<https://…>>`: the autolink's extra angle brackets go."""
        text = note.text
        url = text[s + 1:e - 1]
        if not (URL.fullmatch(url) or (self.settings["no-bare-uris"] and URI.fullmatch(url))):
            return []
        i, j = s, e
        while i > body and text[i - 1] == "<":
            i -= 1
        while j < len(text) and text[j] == ">":
            j += 1
        if (i, j) == (s, e) or fmt_inline.no_go(note, links=False).hits(i, s) or fmt_inline.no_go(note, links=False).hits(e, j):
            return []
        return [(i, j, f"<{url}>", "URL in more than one pair of angle brackets; keep one")]

    def _bare(self, note, a, b, avoid, taken, uri):
        text = note.text
        url = text[a:b]
        if uri and url[: url.find(":")] in URI_SCHEMES_LEFT:
            return []
        if url.endswith(">"):
            url, b = url[:-1], b - 1
        trimmed = url.rstrip(TRAILING)  # `https://a.com/x,` ends at the `x`, as GFM's autolinks do
        url, b = trimmed, b - (len(url) - len(trimmed))
        opening = url.count("(")
        if opening and opening != url.count(")") and text[b:b + 1] == ")":
            url, b = url + ")", b + 1
        elif not opening and url.endswith(")"):
            url, b = url[:-1], b - 1
        if not url or avoid.hits(a, b) or any(s < b and a < e for s, e in taken):
            return []
        prev = text[a - 1] if a > note.body_start else ""
        nxt = text[b] if b < len(text) else ""
        if (prev and prev in QUOTES or url[0] in QUOTES) and (nxt and nxt in QUOTES or url[-1] in QUOTES):
            return []  # alone between quotes, backticks or brackets: meant as written
        if prev in ("<", "\\") or nxt == ">" or not SCHEME.match(url):
            return []
        taken.append((a, b))
        what = "URI" if uri else "URL"
        return [(a, b, f"<{url}>", f"bare {what}; write it as an autolink, `<{url}>`")]


def _autolink(n) -> bool:
    return n.kind == "Link" and isinstance(n.data, dict) and n.data.get("link_type") == "Autolink"


def _shape(n):
    return n.kind if n.kind != "Link" else (n.kind, str(n.data))
