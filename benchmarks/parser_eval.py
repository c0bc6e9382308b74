#!/usr/bin/env python3
"""Native Markdown parsers against notelint's former markdown-it-py layer (issue 17, item 2).

notelint's `markdown.parse` runs on pyromark (pulldown-cmark) since issue 17; the markdown-it-py
layer it replaced is kept, unchanged, as `benchmarks/markdown_it_doc.py`, the reference every
element is compared with.

    pip install -e '.[eval]'                  # pyromark and markdown-it-pyrs, not runtime deps
    python3 benchmarks/parser_eval.py          # 1,000 generated notes + the repo's fixture notes
    python3 benchmarks/parser_eval.py --show 3 # also print up to 3 differing elements per kind

Prints three tables:

1. parse time per note (ms) on notes like `vault_bench.py`'s and on the fixture vaults: the bare
   parse of markdown-it-py, of the former markdown-it-py parser (its wikilink and tag rules), the
   former full layer (`markdown_it_doc.parse`, every element positioned), pyromark's
   `events_with_range`, notelint's `markdown.parse` (pyromark turned into notelint's elements,
   notelint's own scanners for what pulldown-cmark cannot express), and markdown-it-pyrs's `tree`;
2. agreement: on every note, each kind of element of `notelint.markdown.parse` against
   `markdown_it_doc.parse` (same fields, same offsets), as notes that differ;
3. probes: one small note per construct notelint reads, agree or differ (with the first
   difference), which is the construct table of benchmarks/README.md.

Times are the minimum over `--repeat` runs of the whole corpus, in one process.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO))

import markdown_it_doc  # noqa: E402
import vault_data  # noqa: E402

from notelint import frontmatter  # noqa: E402
from notelint import markdown as nm  # noqa: E402
from notelint.source import LINE_BREAK, DecodeError, Lines, decode  # noqa: E402

REF = "former markdown-it-py layer (markdown_it_doc.parse, all elements)"
NEW = "**notelint markdown.parse** (pyromark -> all elements)"
KINDS = ("headings", "blocks", "code_blocks", "html_blocks", "code_spans", "links", "images", "wikilinks",
         "tags", "comments", "definitions")

# (construct, flavor, note): each probe isolates one construct notelint reads
PROBES = [
    ("ATX heading, closing #s, tag", "obsidian", "# Title #tag ##\n\ntext\n"),
    ("setext heading", "obsidian", "Title\n=====\n\ntext\n"),
    ("heading in blockquote", "obsidian", "> ## Quoted *em* [[n|alias]]\n"),
    ("paragraph + tags (Obsidian)", "obsidian", "a #tag, #日本語 #1984 #y1984 x#no #a/b-c_d\n"),
    ("tags (Dendron)", "dendron", "a #tag.sub #.no #a. #b, #1x\n"),
    ("tag after emphasis marker", "obsidian", "**#bold** and *#em* and ~~#s~~\n"),
    ("tag escaped / entity", "obsidian", "\\#no &#35;no #yes\n"),
    ("tag in link text", "obsidian", "[see #t](x.md)\n"),
    ("tag in image alt", "obsidian", "![alt #t](x.png)\n"),
    ("list items, tight, nested", "obsidian", "- a #t1\n  - b #t2\n    - c\n- d\n"),
    ("list items, loose", "obsidian", "- a\n\n- b\n\n  more\n"),
    ("ordered list", "obsidian", "1. one\n2. two #t\n"),
    ("blockquote nested list", "obsidian", "> - q #q1\n>   - r [x](y.md)\n> > deeper #q2\n"),
    ("callout", "obsidian", "> [!note] Title #c\n> body ![[img.png]]\n"),
    ("tab-indented continuation", "obsidian", "- item\n\t  #tag cont [[Note]]\n"),
    ("tab inside list content", "obsidian", "-\tone #a\n\t-\ttwo #b\n"),
    ("CRLF", "obsidian", "# H\r\n\r\n- a #t\r\n  b [[n]]\r\n\r\n> q ![i](p.png)\r\n"),
    ("lone CR", "obsidian", "# H\r\rtext #t\r[[n]]\r"),
    ("CJK text", "obsidian", "研究背景：#自动驾驶 ![图](assets/图.png) [[笔记#标题|别名]] #尾巴\n"),
    ("emoji (4-byte UTF-8)", "obsidian", "😀 #tag 😀 [[n]] `c😀`\n"),
    ("code span", "obsidian", "a `#no [[x]]` b ``x ` y`` #t\n"),
    ("fenced code", "obsidian", "```python\n#no [[x]]\n```\n~~~\ncode\n~~~\n"),
    ("unclosed fence", "obsidian", "```\n#no\n"),
    ("indented code", "obsidian", "para\n\n    #no code\n\n    more\n\nafter #t\n"),
    ("html block + comment", "obsidian", "<div>\n#no ![x](y.png)\n</div>\n\n<!-- c\n#no -->\n"),
    ("inline html comment", "obsidian", "a <!-- #no --> b #t <span>x</span>\n"),
    ("multi-line inline comment", "obsidian", "a <!-- one\ntwo --> b\n"),
    ("<img> tag", "obsidian", 'x <img src="a.png" alt="A"> y\n\n<img src=\'b.png\'>\n'),
    ("%% comment inline / across blocks", "obsidian", "a %% #no %% #t\n\n%%\n# Hidden\n[[x]]\n%%\nend\n"),
    ("%% inside code", "obsidian", "`%%` #t %%x%%\n"),
    ("inline link + title", "obsidian", '[a](b.md "T") [c](<d e.md>) [f](g(h).md)\n'),
    ("link with escapes", "obsidian", "[a](b\\_c.md) [x\\]](y.md)\n"),
    ("reference link / image + definition", "obsidian", "[a][r] ![b][r] [r]\n\n[r]: /x.png \"T\"\n"),
    ("definition in blockquote, dest next line", "obsidian", "> [r]:\n> /x.png\n\n![a][r]\n"),
    ("duplicate definitions", "obsidian", "![a][r]\n\n[r]: /one.png\n[R]: /two.png\n"),
    ("definition in a list item", "obsidian", "- ![a][r]\n\n  [r]: /x.png\n"),
    ("empty / closing-only headings", "obsidian", "#\n\n# \n\n## ##\n\n# a #\n"),
    ("setext heading over two lines", "obsidian", "one *two*\nthree\n---\n"),
    ("collapsed / shortcut refs", "obsidian", "[r][] ![r][]\n\n[R]: y.png\n"),
    ("autolink", "obsidian", "<https://x.com/#a> <a@b.co>\n"),
    ("bare URL (no linkify)", "obsidian", "https://x.com/#frag and www.x.com\n"),
    ("wikilink forms", "obsidian", "[[a]] [[a#h]] [[a#h|al]] [[#h]] [[a#^blk]] ![[i.png|300]]\n"),
    ("wikilink (Dendron alias|target)", "dendron", "[[alias|a.b#h]] ![[a.b]]\n"),
    ("wikilink in table with \\|", "obsidian", "| a | b |\n|---|---|\n| [[n\\|al]] | #t |\n"),
    ("table escaped pipes", "obsidian", "| `x\\|y` | [[a#b\\|c]] #t1 |\n|---|---|\n| ![e](e.png) | z |\n"),
    ("table in list", "obsidian", "- | a | b |\n  |---|---|\n  | #t | [[n]] |\n"),
    ("wikilink vs code span", "obsidian", "[[a `b]]` c\n"),
    ("wikilink vs link def", "obsidian", "[[a]]\n\n[a]: /x\n"),
    ("wikilink extra bracket", "obsidian", "[[a]]] [[[b]]\n"),
    ("wikilink across lines", "obsidian", "[[a\nb]] [[c]]\n"),
    ("empty wikilink", "obsidian", "[[]] [[ ]] x\n"),
    ("wikilink inside link text", "obsidian", "[see [[a]]](b.md)\n"),
    ("image in link", "obsidian", "[![a](i.png)](x.md)\n"),
    ("hr and thematic breaks", "obsidian", "a\n\n---\n\n***\n- - -\n"),
    ("math (not parsed by notelint)", "obsidian", "$#no$ and $$\n#x\n$$\n"),
    ("footnote (not parsed by notelint)", "obsidian", "a[^1] #t\n\n[^1]: note #f\n"),
    ("frontmatter then body", "obsidian", "---\nid: 1\ntags: [a]\n---\n# T\n#t\n"),
    ("frontmatter with CJK", "obsidian", "---\ntitle: 标题\n---\n[[n]] #t\n"),
    ("deep nesting (120 quotes)", "obsidian", ">" * 120 + " #deep\n\nafter #t\n"),
]


# --------------------------------------------------------------------------- corpus


def generated(n: int, seed: int) -> list[tuple[str, str]]:
    rnd = random.Random(seed)
    names = vault_data.note_names(n, rnd)
    images = [f"img-{i:05}.png" for i in range(max(1, n // 5))]
    return [(vault_data.note_text(i, name, names, images, rnd), "dendron") for i, name in enumerate(names)]


def fixtures() -> list[tuple[str, str]]:
    out = []
    for folder in (REPO / "tests" / "fixtures", REPO / "examples"):
        for path in sorted(folder.rglob("*.md")):
            try:
                text, _ = decode(path.read_bytes())
            except (DecodeError, OSError):
                continue
            dendron = any((p / "dendron.yml").exists() for p in path.parents if folder in (p, *p.parents))
            out.append((text, "dendron" if dendron else "obsidian"))
    return out


def prepared(corpus):
    """(text, body_start, lines, flavor, blanked source) per note, as `Note.markdown` computes them."""
    out = []
    for text, flavor in corpus:
        fm = frontmatter.parse(text)
        start = 0 if fm.present and fm.error and fm.block_end >= len(text) else (fm.block_end if fm.present else 0)
        src = "\n" * len(LINE_BREAK.findall(text[:start])) + text[start:]
        out.append((text, start, Lines(text), flavor, src))
    return out


# --------------------------------------------------------------------------- timing


def candidates():
    """name -> function(note) for every parser that is installed."""
    bare = markdown_it_doc.commonmark()
    funcs = {
        "markdown-it-py bare parse (CommonMark+tables)": lambda n: bare.parse(n[4]),
        "former markdown-it-py parser (tokens only)": lambda n: markdown_it_doc._parser(n[3])[0].parse(n[4]),
        REF: lambda n: markdown_it_doc.parse(n[0], n[1], n[2], n[3]),
    }
    import pyromark

    fast = pyromark.Markdown(options=nm.OPTIONS)
    funcs["pyromark events_with_range (bare)"] = lambda n: tuple(fast.events_with_range(n[4]))
    funcs["pyromark + reference_definitions (bare)"] = lambda n: (
        tuple(fast.events_with_range(n[4])), fast.reference_definitions(n[4]))
    funcs[NEW] = lambda n: nm.parse(n[0], n[1], n[2], n[3])
    try:
        import markdown_it_pyrs

        rs = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])
        funcs["markdown-it-pyrs tree (bare)"] = lambda n: rs.tree(n[4])
        funcs["markdown-it-pyrs tree + walk (bare)"] = lambda n: list(rs.tree(n[4]).walk())
    except ImportError as exc:
        print(f"markdown-it-pyrs not installed ({exc}); pip install -e '.[eval]'", file=sys.stderr)
    return funcs


def time_all(notes, funcs, repeat: int) -> dict[str, float]:
    out = {}
    for name, fn in funcs.items():
        for n in notes[:20]:  # warm caches (parser construction, lru_cache)
            fn(n)
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            for n in notes:
                fn(n)
            best = min(best, time.perf_counter() - t0)
        out[name] = best / len(notes) * 1000
    return out


# --------------------------------------------------------------------------- agreement


def rows(doc, kind):
    return sorted(dataclasses.astuple(x) for x in getattr(doc, kind))


def differences(note) -> dict[str, tuple[list, list]]:
    text, start, lines, flavor, _ = note
    want = markdown_it_doc.parse(text, start, lines, flavor)
    try:
        got = nm.parse(text, start, lines, flavor)
    except Exception as exc:  # noqa: BLE001 - a crash is a finding of the comparison
        return {"(crash)": ([repr(exc)], [])}
    out = {}
    for kind in KINDS:
        a, b = rows(want, kind), rows(got, kind)
        if a != b:
            out[kind] = ([x for x in a if x not in b], [x for x in b if x not in a])
    return out


def agreement(label: str, notes, show: int) -> None:
    per_kind: dict[str, int] = {}
    examples: dict[str, list] = {}
    for note in notes:
        for kind, diff in differences(note).items():
            per_kind[kind] = per_kind.get(kind, 0) + 1
            examples.setdefault(kind, []).append(diff)
    total = sum(1 for n in notes if differences(n))
    print(f"\n{label}: {len(notes)} notes, {total} with any element differing")
    print("| element kind | notes differing |")
    print("|---|---:|")
    for kind in (*KINDS, "(crash)"):
        if kind in per_kind or kind != "(crash)":
            print(f"| {kind} | {per_kind.get(kind, 0)} |")
    for kind, diffs in examples.items():
        for only_md, only_fast in diffs[:show]:
            print(f"  {kind}: markdown-it-py only {only_md[:3]}\n  {' ' * len(kind)}  pyromark only {only_fast[:3]}")


def probes() -> None:
    print("\n| construct | markdown.parse (pyromark) vs markdown_it_doc.parse (markdown-it-py) |")
    print("|---|---|")
    for name, flavor, text in PROBES:
        note = prepared([(text, flavor)])[0]
        diff = differences(note)
        if not diff:
            print(f"| {name} | same |")
            continue
        kind, (a, b) = next(iter(diff.items()))
        more = f" (+{len(diff) - 1} kinds)" if len(diff) > 1 else ""
        print(f"| {name} | differs: {kind}{more}: markdown-it-py {_short(a)} / pyromark {_short(b)} |")


def pyrs_ranges(label: str, texts: list[str]) -> None:
    """markdown-it-pyrs: notes where a plain text node's `srcmap` does not slice out its own text
    (escapes and entities aside), i.e. where its byte ranges could not position a tag."""
    try:
        import markdown_it_pyrs
    except ImportError:
        return
    rs = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])
    bad, first = 0, None
    for text in texts:
        b = text.encode()
        for n in rs.tree(text).walk():
            if n.name != "text" or not n.srcmap:
                continue
            src = b[n.srcmap[0] : n.srcmap[1]].decode(errors="replace")
            if src != n.meta.get("content", "") and "\\" not in src and "&" not in src:
                bad += 1
                first = first or (n.meta.get("content", ""), src[:60])
                break
    print(f"\nmarkdown-it-pyrs, {label}: {bad} of {len(texts)} notes have a text node whose srcmap is not "
          f"its text; first: {first}")


def _short(items: list) -> str:
    return "; ".join(str(x)[:90] for x in items[:2]).replace("|", "\\|") or "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", type=int, default=1000, help="generated notes (default 1000)")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each corpus (min is kept)")
    ap.add_argument("--show", type=int, default=0, help="differing elements printed per kind")
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args(argv)

    gen = prepared(generated(args.notes, args.seed))
    fix = prepared(fixtures())
    size = sum(len(n[0].encode()) for n in gen) / len(gen)
    funcs = candidates()
    if not args.no_timing:
        print(f"Parse time per note, ms (min of {args.repeat} runs; Python {sys.version.split()[0]})")
        t_gen = time_all(gen, funcs, args.repeat)
        t_fix = time_all(fix, funcs, args.repeat)
        ref = REF
        print(f"| parser | generated ({len(gen)} notes, {size / 1000:.1f} KB avg) | x former | "
              f"fixtures ({len(fix)} notes) | x former |")
        print("|---|---:|---:|---:|---:|")
        for name in funcs:
            print(f"| {name} | {t_gen[name]:.3f} | {t_gen[name] / t_gen[ref]:.3f} | {t_fix[name]:.3f} | "
                  f"{t_fix[name] / t_fix[ref]:.3f} |")
    agreement("Agreement of markdown.parse with markdown_it_doc.parse, generated notes", gen, args.show)
    agreement("Agreement of markdown.parse with markdown_it_doc.parse, fixture notes", fix, args.show)
    probes()
    pyrs_ranges("generated notes", [n[0] for n in gen])
    pyrs_ranges("fixture notes", [n[0] for n in fix])
    pyrs_ranges("probes", [t for _, _, t in PROBES])
    return 0


if __name__ == "__main__":
    sys.exit(main())
