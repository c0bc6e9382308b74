"""Property tests of parsing, checking and fixing, over generated notes.

Notes are generated as *bytes* from realistic pieces (BOM, every kind of frontmatter,
headings, lists, quotes, fenced and indented code, HTML and Obsidian comments, tags, CJK,
images, wikilinks, suppression comments, trailing whitespace and blank-line runs, LF / CRLF
/ lone CR / mixed line endings, with or without a final newline), plus random text, random
bytes and corrupted notes. The engine API is used directly (no subprocess), with the rules
the registry finds and random `whitespace` settings.

The default run keeps `max_examples` modest. A long fuzz run of every property is skipped
unless NOTELINT_FUZZ=1 (NOTELINT_FUZZ_EXAMPLES sets the number of examples, default 5000):

    NOTELINT_FUZZ=1 python -m pytest tests/test_fix_properties.py -m slow

Bugs the properties found are pinned, once fixed, by plain regression tests at the end of this file.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notelint import engine, registry
from notelint.config import Config
from notelint.engine import Workspace, check_note, fix_note, writable
from notelint.note import Note
from notelint.source import DecodeError, Lines, dominant_newline, encode
from notelint.vault import Vault

BOM = b"\xef\xbb\xbf"
NEWLINES = ("\n", "\r\n", "\r")
BREAK = re.compile(r"\r\n|\r|\n")
FENCE_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")  # would close a frontmatter block
DEFAULT = settings(max_examples=examples(200), deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ = os.environ.get("NOTELINT_FUZZ") == "1"
FUZZ_EXAMPLES = int(os.environ.get("NOTELINT_FUZZ_EXAMPLES", "5000"))

# A whitespace-only line between a lone CR and an LF is reported but not fixed: emptying it would
# fuse the two breaks into one CRLF and join the paragraphs around it.
CR_BLANK_LF = re.compile(r"\r[ \t]+\n")


# --------------------------------------------------------------------------- generation

WORDS = [
    "alpha", "beta", "研究背景：数据", "研究方法", "#tag", "#nested/tag-1", "#自动驾驶", "#123", "C#",
    "issue#12", "![a](x.png)", "![图](assets/图 1.png)", "![t](<img/with space.png> \"T\")", "[[Wiki Link]]",
    "[[note#Heading|alias]]", "![[img.png|300]]", "`code span`", "`` a ` b ``", "**bold**", "_em_",
    "<span>inline</span>", "http://x.org/#frag", "<https://x.com/#auto>", "%% inline hidden %%",
    "<!-- inline -->", "[ref][r]", "[t](http://x.org)", "\\#escaped", "&#35;x", "café", "😀", "a: b", "**注意：**",
]
TRAIL = st.sampled_from(["", "", "", " ", "  ", "   ", "\t", " \t", "\t ", "    ", "  \t  "])
BLANK = st.sampled_from(["", "", " ", "  ", "\t", " \t "])
# any characters but line breaks (and surrogates, which UTF-8 cannot hold)
LINE_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")
RANDOM_LINE = st.text(LINE_CHARS, max_size=16)
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), RANDOM_LINE), min_size=1, max_size=5).map(" ".join)
SUPPRESSIONS = [
    "<!-- notelint-disable-next-line whitespace -->", "<!-- notelint-disable whitespace -->",
    "<!-- notelint-enable whitespace -->", "<!-- notelint-disable -->", "<!-- notelint-enable -->",
    "%% notelint-disable-file NL003 %%", "<!-- notelint-disable-next-line whitespcae -->",
]

# the lines of each kind of frontmatter; the trailing whitespace inside is content, never fixed
FRONTMATTER = {
    "none": None,
    "valid": ["---", "title: Note  ", "tags: [a, b]\t", "created: 1701259204127", "desc: ''   ", "---"],
    "valid-dots": ["---  ", "id: abc \t", "...\t"],
    "empty": ["---", "---"],
    "invalid-yaml": ["---", "title: GPT4Video: A Unified Model  ", "---"],
    "unterminated": ["---", "title: never closed  ", "tags: [a]"],
    "list": ["---", "- a  ", "- b", "---"],
    "duplicate-keys": ["---", "a: 1  ", "b: x", "a: 2", "---"],
    "unclosed-quote": ["---", "title: 'abc  ", "---"],
    "python-tag": ["---", "x: !!python/object/apply:os.system ['echo']  ", "---"],
    "tabs": ["---", "a:", "\tb: 1  ", "---"],
    "alias-bomb": ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
                   *(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")), "---"],
    "late": ["", "---", "title: late  ", "---"],  # not frontmatter: a warning, and Markdown
}
VALID_FM = {"valid", "valid-dots", "empty"}
BROKEN_FM = {"invalid-yaml", "unterminated", "list", "duplicate-keys", "unclosed-quote", "python-tag", "tabs",
             "alias-bomb"}


@dataclass
class Case:
    data: bytes
    flavor: str = "obsidian"
    ws: tuple = ()  # whitespace rule settings, as sorted items
    kind: str = "structured"  # structured, text, bytes, corrupt
    fm_kind: str = "none"
    fm_block: str | None = None  # text of a valid frontmatter block (fences and breaks included)
    fences: list[str] = field(default_factory=list)  # exact text of each fenced code block
    newline: str = "\n"  # "\n", "\r\n", "\r" or "mixed"
    hard_breaks: list[str] = field(default_factory=list)  # "line  " + break + start of the next line

    @property
    def settings(self) -> dict:
        return dict(self.ws)


@st.composite
def _block(draw, counter: list[int]) -> tuple[str, list[str]]:
    kind = draw(st.sampled_from([
        "heading", "setext", "paragraph", "paragraph", "hard-break", "blank", "blank", "list", "quote",
        "fence", "indented", "html-comment", "html-block", "obsidian-comment", "table", "hr",
        "suppression", "random", "definition", "deep",
    ]))
    text, trail = draw(TEXT), draw(TRAIL)
    if kind == "heading":
        return kind, [f"{'#' * draw(st.integers(1, 6))} {text}{trail}"]
    if kind == "setext":
        return kind, [text + trail, draw(st.sampled_from(["===", "---", "-- ", "====  "]))]
    if kind == "paragraph":
        return kind, [draw(TEXT) + draw(TRAIL) for _ in range(draw(st.integers(1, 3)))]
    if kind == "hard-break":
        counter[0] += 1
        if draw(st.booleans()):  # tracked: a new paragraph whose first line ends in a two-space break
            return kind, ["", f"hardbreak-{counter[0]}-line  ", f"continued-{counter[0]} {text}{trail}"]
        return "other", [text + draw(st.sampled_from(["  ", "   ", "\\"])), draw(TEXT) + trail]
    if kind == "blank":
        return kind, [draw(BLANK) for _ in range(draw(st.integers(1, 4)))]
    if kind == "list":
        out = []
        for _ in range(draw(st.integers(1, 4))):
            depth, marker = draw(st.integers(0, 2)), draw(st.sampled_from(["-", "*", "1.", "- [ ]", "+"]))
            out.append(f"{'  ' * depth}{marker} {draw(TEXT)}{draw(TRAIL)}")
            if draw(st.booleans()):
                out.append(f"{'  ' * (depth + 1)}continued {draw(TEXT)}{draw(TRAIL)}")
        return kind, out
    if kind == "quote":
        return kind, [f"{'> ' * draw(st.integers(1, 3))}{draw(TEXT)}{draw(TRAIL)}" if draw(st.booleans()) else ">" + draw(TRAIL)
                      for _ in range(draw(st.integers(1, 3)))]
    if kind == "fence":
        counter[0] += 1
        mark = draw(st.sampled_from(["```", "~~~", "````"]))
        # always an info string: an opener without one could close a fence opened by random text
        opening = mark + draw(st.sampled_from(["python", "text", " js  ", "mermaid\t"]))
        body = [f"fence-{counter[0]}-marker{draw(st.sampled_from(['  ', '   ', chr(9), ' ' + chr(9)]))}"]
        body += draw(st.lists(st.sampled_from(["", "   ", "\t", "x = 1  ", "  indented\t", "研究背景：数据 ", "#not-a-tag  ", "  "]),
                              max_size=4))
        closing = [mark + draw(st.sampled_from(["", "  "]))] if draw(st.integers(0, 5)) else []  # sometimes unclosed
        return kind, ["", opening, *body, *closing]
    if kind == "indented":
        return kind, ["", "    code   ", "\tcode\t", "    ", "    #nottag  "][: draw(st.integers(2, 5))]
    if kind == "html-comment":
        return kind, draw(st.sampled_from([[f"<!-- comment {text} -->{trail}"], ["<!--", "  inside  ", "-->" + trail]]))
    if kind == "html-block":
        return kind, ["", "<div>", "  html  " + trail, "</div>", ""]
    if kind == "obsidian-comment":
        return kind, draw(st.sampled_from([[f"%% {text} %%{trail}"], ["%%", "hidden " + trail, "%%"]]))
    if kind == "table":
        return kind, ["| a | b |" + trail, "|---|---|", f"| {text} | 2 |" + draw(TRAIL)]
    if kind == "hr":
        return kind, [draw(st.sampled_from(["---", "***", "___", "- - -"])) + trail]
    if kind == "suppression":
        return kind, [draw(st.sampled_from(SUPPRESSIONS))]
    if kind == "definition":
        return kind, [f"[r]: http://x.org/img.png{trail}"]
    if kind == "deep":  # deeper than markdown-it's nesting limit of 100, notelint's parser before issue 17
        marker = draw(st.sampled_from(["> ", "- ", "> - ", "1. ", ">"]))
        return kind, ["", marker * draw(st.integers(40, 160)) + text + trail, draw(TEXT) + draw(TRAIL)]
    return kind, [draw(RANDOM_LINE) for _ in range(draw(st.integers(1, 3)))]


@st.composite
def structured_cases(draw, fm_kinds: list[str] | None = None) -> Case:
    counter = [0]
    fm_kind = draw(st.sampled_from(fm_kinds or list(FRONTMATTER)))
    fm_lines = list(FRONTMATTER[fm_kind] or [])
    body: list[str] = []
    fence_ranges: list[tuple[int, int]] = []  # (first, last) line index of each fence, opening to closing
    break_lines: list[tuple[int, int]] = []  # (line index, number) of each tracked hard break
    for _ in range(draw(st.integers(0, 10))):
        kind, lines = draw(_block(counter))
        start = len(fm_lines) + len(body)
        body.extend(lines)
        if kind == "fence":
            fence_ranges.append((start + 1, start + len(lines) - 1))
        if kind == "hard-break":
            break_lines.append((start + 1, counter[0]))
    if fm_kind == "unterminated":  # nothing in the body may close it
        body = ["x" + line if FENCE_LINE.match(line) else line for line in body]
    lines = fm_lines + body
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r\n", "\r", "mixed"]))
    seps = []
    for i, line in enumerate(lines):
        sep = draw(st.sampled_from(NEWLINES)) if newline == "mixed" else newline
        if line == "" and seps and seps[-1] == "\r" and sep == "\n":
            sep = "\r"  # "\r" + "" + "\n" would be one CRLF break: keep the intended empty line
        seps.append(sep)
    if lines and not draw(st.integers(0, 3)):
        seps[-1] = ""  # no final newline
    starts, ends, parts, pos = [], [], [], 0
    for line, sep in zip(lines, seps):
        starts.append(pos)
        ends.append(pos + len(line))
        parts.append(line + sep)
        pos += len(line) + len(sep)
    text = "".join(parts)
    fences = [text[starts[a]:ends[b]] for a, b in fence_ranges]
    hard_breaks = [text[starts[a]:starts[a + 1]] + f"continued-{k}" for a, k in break_lines]
    fm_block = None
    if fm_kind in VALID_FM:
        close = len(fm_lines) - 1
        fm_block = text[: ends[close] + len(seps[close])]
    if fm_kind != "late" and not fm_lines and draw(st.booleans()):
        text = text.lstrip("\r\n")  # sometimes the body starts at byte 0 (the tracked substrings survive)
    bom = draw(st.booleans())
    data = (BOM if bom else b"") + text.encode("utf-8")
    ws = {
        "max-blank-lines": draw(st.sampled_from([1, 1, 1, 2])),
        "br-spaces": draw(st.sampled_from([2, 2, 2, 0, 3])),
        "strict": draw(st.booleans()),
        "final-newline": draw(st.sampled_from([True, True, False])),
    }
    return Case(data, draw(st.sampled_from(["obsidian", "dendron"])), tuple(sorted(ws.items())), "structured",
                fm_kind, fm_block, fences, newline, hard_breaks)


BAD_BYTES = [b"\xff", b"\xc3", b"\x00", b"\xe9", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80"]


@st.composite
def corrupt_cases(draw) -> Case:
    """A realistic note made unreadable: a bad byte, a NUL, Latin-1 or UTF-16."""
    case = draw(structured_cases())
    how = draw(st.sampled_from(["insert", "insert", "latin-1", "utf-16"]))
    text = case.data.decode("utf-8")
    if how == "latin-1":
        case.data = ("café " + text.lstrip("\ufeff")).encode("latin-1", "replace")
    elif how == "utf-16":
        case.data = ("\ufeff" + text.lstrip("\ufeff")).encode(draw(st.sampled_from(["utf-16-le", "utf-16-be"])))
    else:
        at = draw(st.integers(0, len(case.data)))
        case.data = case.data[:at] + draw(st.sampled_from(BAD_BYTES)) + case.data[at:]
    case.kind, case.fences, case.fm_block = "corrupt", [], None
    return case


def random_text_cases() -> st.SearchStrategy[Case]:
    alphabet = st.one_of(st.sampled_from(list(" \t\r\n#>-*`~%|:![]\ufeff") + ["---", "```", "  \n", "\r\n", "研"]),
                         st.characters(blacklist_categories=("Cs",)))
    texts = st.lists(alphabet, max_size=60).map("".join)
    return st.builds(lambda t, flavor: Case(t.encode("utf-8"), flavor, kind="text", newline="mixed"),
                     texts, st.sampled_from(["obsidian", "dendron"]))


def random_bytes_cases() -> st.SearchStrategy[Case]:
    return st.builds(lambda b: Case(b, kind="bytes", newline="mixed"), st.binary(max_size=200))


ANY_CASE = st.one_of(structured_cases(), structured_cases(), structured_cases(), random_text_cases(),
                     random_bytes_cases(), corrupt_cases())

# --------------------------------------------------------------------------- running the engine


# The rules whose fixes only touch whitespace: the properties that describe what a fix may change
# (only whitespace, never code or frontmatter, nothing left) hold for these. The properties that
# hold for every rule (parsing never raises, positions in the file, idempotence, clean notes and
# broken notes untouched, BOM and line endings kept) run with every registered rule (`every=True`),
# each note in a one-note vault whose context the rules `prepare` first, as `notelint` does.
CORE_RULES = ("unreadable-note", "frontmatter-syntax", "whitespace", "invalid-suppression")
EMPTY_ROOT = Path(tempfile.mkdtemp(prefix="notelint-props-"))  # no assets, no config: nothing leaks in


@lru_cache(maxsize=None)
def rules_for(flavor: str, ws: tuple, every: bool = False) -> list:
    classes = [c for c in registry.all_rules() if every or c.name in CORE_RULES]
    return [cls(dict(ws) if cls.name == "whitespace" else None, flavor) for cls in classes]


@lru_cache(maxsize=None)
def vault_for(flavor: str) -> Vault:
    return Vault(root=EMPTY_ROOT, flavor=flavor, config=Config(), notes=["note.md"])


def load(case: Case) -> Note:
    return Note.from_bytes(EMPTY_ROOT / "note.md", "note.md", case.data, case.flavor)


def _context(case: Case, note: Note, every: bool) -> tuple[list, Vault]:
    rules, vault = rules_for(case.flavor, case.ws, every), vault_for(case.flavor)
    if every:  # vault-aware rules see a vault holding only this note
        ws = Workspace(vault, rules, ["note.md"], None)
        ws._notes["note.md"] = note
        ws.prepare_rules()
    return rules, vault


def findings_of(case: Case, note: Note, every: bool = False) -> list:
    """The note's findings as `check` reports them, `unused-suppression`'s included (the engine
    judges those after every per-note rule has run, as the fixer does)."""
    rules, vault = _context(case, note, every)
    return engine._fixable_findings(note, rules, rules, vault)


def fix(case: Case, note: Note, every: bool = False):
    rules, vault = _context(case, note, every)
    return fix_note(note, rules, vault)


def real_line_count(text: str) -> int:
    """Lines a person sees: the empty "line" after a final line break is not one."""
    n = len(Lines(text))
    return max(1, n - 1 if text.endswith(("\n", "\r")) else n)


def breaks(text: str) -> set[str]:
    return set(BREAK.findall(text))


def shape(text: str) -> tuple[list[str], list[int], int]:
    """(non-blank lines without trailing whitespace, blank lines before each, blank lines at the end)."""
    lines = Lines(text)
    count = len(lines) - (1 if text.endswith(("\n", "\r")) else 0)
    content, gaps, gap = [], [], 0
    for i in range(count):
        line = lines.line(i)
        if line.strip(" \t"):
            content.append(line.rstrip(" \t"))
            gaps.append(gap)
            gap = 0
        else:
            gap += 1
    return content, gaps, gap


# --------------------------------------------------------------------------- properties


def check_parsing_and_positions(case: Case) -> None:
    note = load(case)
    if note.readable:
        assert encode(note.text, note.bom) == case.data, "decoding must keep every byte"
        assert note.bom == case.data.startswith(BOM)
        note.lines, note.frontmatter, note.markdown  # noqa: B018 - parsing must not raise
        if case.fm_kind in BROKEN_FM:
            assert note.frontmatter.error is not None, case.fm_kind
        if case.fm_kind in VALID_FM:
            assert note.frontmatter.present and note.frontmatter.error is None, note.frontmatter.error
        if case.fm_kind == "late":
            assert not note.frontmatter.present and note.frontmatter.warning is not None
    else:
        assert isinstance(note.read_error, DecodeError)
    if case.kind == "corrupt":
        assert not note.readable, "a bad byte, a NUL, Latin-1 or UTF-16 is never read as UTF-8 text"
    findings = findings_of(case, note, every=True)
    if not note.readable:
        assert [f.rule for f in findings] == ["unreadable-note"]
        assert all(f.fix is None for f in findings)
        n = len(Lines(case.data.decode("utf-8", "replace")))
        for f in findings:
            assert 1 <= f.line <= n and f.column >= 1, (f.line, f.column, n)
        return
    lines = note.lines
    last = real_line_count(note.text)
    for f in findings:
        where = (f.rule, f.line, f.column, f.end_line, f.end_column, f.message)
        assert 1 <= f.line <= last, where
        assert 1 <= f.column <= len(lines.line(f.line - 1)) + 1, where
        if f.end_line is not None:
            assert f.line <= f.end_line <= len(lines), where
            assert 1 <= f.end_column <= len(lines.line(f.end_line - 1)) + 1, where
            assert (f.line, f.column) < (f.end_line, f.end_column), where
        if f.fix is not None:
            for e in f.fix.edits:
                assert 0 <= e.start <= e.end <= len(note.text), where


def check_idempotent(case: Case) -> None:
    note = load(case)
    first = fix(case, note, every=True)
    if not writable(note):
        assert first.text == note.text and not first.changed(note)
        return
    assert first.problem is None, first.problem
    fixed = note.derive(first.text)
    again = fix(case, fixed, every=True)
    assert again.text == first.text, "a second fix changed the text"
    assert again.problem is None and not again.changed(fixed)
    # plain `fix` applies safe fixes only (an Obsidian epoch with milliseconds keeps its unsafe one)
    left = [(f.rule, f.line, f.column, f.message) for f in findings_of(case, fixed, every=True)
            if f.fix is not None and f.fix.safe]
    assert left == [], left


def check_clean_is_identical(case: Case) -> None:
    note = load(case)
    fixable = [f for f in findings_of(case, note, every=True) if f.fix is not None and f.fix.safe]
    outcome = fix(case, note, every=True)
    if not fixable:
        assert outcome.text == note.text and not outcome.changed(note)
        assert outcome.applied == 0
        if note.readable:
            assert encode(outcome.text, note.bom) == case.data
    else:
        assert outcome.changed(note), f"fixable findings, but fix changed nothing ({outcome.problem})"
        assert outcome.applied >= 1


def check_verbatim_kept(case: Case) -> None:
    note = load(case)
    out = fix(case, note).text
    if not note.readable:  # a NUL in a random line: nothing is fixed (see check_broken_untouched)
        return
    for block in case.fences:
        # (an unclosed fence ending the file with a whitespace-only line and no line break: that
        # line is the fence's too, in pulldown-cmark; markdown-it-py left it out, and fixed it)
        assert block in out, f"fenced code changed by fix: {block!r}"
    if case.settings.get("br-spaces", 2) == 2:
        for hard_break in case.hard_breaks:
            assert hard_break in out, f"a two-space hard break was removed: {hard_break!r}"
    if case.fm_block is not None:
        assert out.startswith(case.fm_block), f"frontmatter changed by fix: {case.fm_block!r}"


def check_broken_untouched(case: Case) -> None:
    note = load(case)
    outcome = fix(case, note, every=True)
    if not note.readable or note.frontmatter.error:
        assert outcome.text == note.text and outcome.applied == 0 and outcome.problem
        assert not writable(note)
        assert all(f.fix is None for f in findings_of(case, note, every=True)), "a finding on an unwritable note claims a fix"


def check_bom_and_line_endings(case: Case) -> None:
    note = load(case)
    if not note.readable:
        return
    outcome = fix(case, note, every=True)
    data = encode(outcome.text, note.bom)
    assert data.startswith(BOM) == case.data.startswith(BOM)
    # a second BOM is text, kept as is (a fix may insert frontmatter before it, never drop it)
    assert outcome.text.count("\ufeff") == note.text.count("\ufeff")
    before, after = breaks(note.text), breaks(outcome.text)
    if before:
        assert after <= before, f"fix introduced {after - before}"
        if len(before) == 1 and after:  # one kind of line break: the output uses it, and only it
            assert after == before and dominant_newline(outcome.text) == note.newline
    else:  # no line break at all: a final newline, if added, is "\n"
        assert after <= {"\n"}
    wants_newline = any(f.fix is not None and f.message.startswith("no line break at the end")
                        for f in findings_of(case, note, every=True))
    if wants_newline:
        # the last line has no line break: fix adds the file's dominant one, after that line
        nl = note.newline
        assert outcome.text.endswith(nl) and not outcome.text[: -len(nl)].endswith(("\r", "\n")), (
            repr(outcome.text[-20:]), repr(nl))


def check_only_whitespace_changes(case: Case) -> None:
    """Fix removes trailing whitespace and surplus blank lines; it never joins or reorders lines."""
    note = load(case)
    outcome = fix(case, note)
    if not outcome.changed(note):
        return
    max_blank = case.settings.get("max-blank-lines", 1)
    content_before, gaps_before, end_before = shape(note.text)
    content_after, gaps_after, end_after = shape(outcome.text)
    assert content_after == content_before
    assert end_after <= end_before
    for i, (b, a) in enumerate(zip(gaps_before, gaps_after)):
        assert min(b, max_blank) <= a <= b, f"blank lines before line {content_before[i]!r}: {b} -> {a}"


def check_fixed_is_clean(case: Case) -> None:
    """An oracle that does not use the rule: after fix (no suppressions), outside code/HTML blocks and
    frontmatter there is no trailing whitespace but a hard break, no run of blank lines longer than
    allowed, no blank line at the end, and the final line break is there."""
    note = load(case)
    if not writable(note) or "notelint" in note.text:
        return
    outcome = fix(case, note)
    fixed = note.derive(outcome.text)
    text = fixed.text
    if not text:
        return
    br = case.settings.get("br-spaces", 2)
    max_blank = case.settings.get("max-blank-lines", 1)
    lines = fixed.lines
    count = len(lines) - (1 if text.endswith(("\n", "\r")) else 0)
    first = lines.index_of(fixed.body_start) if fixed.frontmatter.present else 0
    if lines.starts[first] < fixed.body_start:
        first += 1  # the closing fence ends the file without a line break: it is frontmatter
    verbatim = fixed.markdown.verbatim_lines()
    run = 0
    for i in range(first, count):
        line = lines.line(i)
        if i in verbatim:
            run = 0
        elif not line.strip(" \t") and CR_BLANK_LF.match(text, lines.starts[i] - 1):
            run = 0  # reported without a fix (see CR_BLANK_LF)
        elif not line.strip(" \t"):
            assert line == "", f"line {i + 1}: a whitespace-only line is left: {line!r}"
            run += 1
            assert run <= max_blank, f"line {i + 1}: {run} blank lines in a row"
            assert i < count - 1, f"line {i + 1}: a blank line at the end of the file is left"
        else:
            run = 0
            tail = line[len(line.rstrip(" \t")):]
            assert tail in ("", " " * br), f"line {i + 1}: trailing whitespace {tail!r} is left"
    if case.settings.get("final-newline", True):
        assert text.endswith(("\n", "\r")), "no final line break"


ALL_PROPERTIES = [check_parsing_and_positions, check_idempotent, check_clean_is_identical, check_verbatim_kept,
                  check_broken_untouched, check_bom_and_line_endings, check_only_whitespace_changes,
                  check_fixed_is_clean]

# --------------------------------------------------------------------------- tests (default run)


@DEFAULT
@given(ANY_CASE)
def test_parsing_and_checking_never_raise_and_positions_are_in_the_file(case):
    check_parsing_and_positions(case)


@DEFAULT
@given(ANY_CASE)
def test_fix_is_idempotent_and_leaves_nothing_fixable(case):
    check_idempotent(case)


@DEFAULT
@given(ANY_CASE)
def test_note_without_fixable_findings_is_byte_identical_after_fix(case):
    check_clean_is_identical(case)


@DEFAULT
@given(structured_cases())
def test_fix_never_changes_fenced_code_or_frontmatter(case):
    check_verbatim_kept(case)


@DEFAULT
@given(st.one_of(corrupt_cases(), structured_cases(sorted(BROKEN_FM)), random_bytes_cases()))
def test_unreadable_notes_and_broken_frontmatter_are_never_changed(case):
    check_broken_untouched(case)
    note = load(case)
    if case.kind == "corrupt" or case.fm_kind in BROKEN_FM:
        assert not writable(note)


@DEFAULT
@given(st.one_of(structured_cases(), random_text_cases()))
def test_fix_keeps_bom_and_line_endings(case):
    check_bom_and_line_endings(case)


@DEFAULT
@given(st.one_of(structured_cases(), random_text_cases()))
def test_fix_only_removes_whitespace_and_never_joins_lines(case):
    check_only_whitespace_changes(case)


@DEFAULT
@given(st.one_of(structured_cases(), random_text_cases()))
def test_fixed_note_has_no_whitespace_problem_left(case):
    check_fixed_is_clean(case)


# --------------------------------------------------------------------------- the long fuzz run


@pytest.mark.slow
@pytest.mark.skipif(not FUZZ, reason="long fuzz run: set NOTELINT_FUZZ=1 (and NOTELINT_FUZZ_EXAMPLES)")
@settings(DEFAULT, max_examples=FUZZ_EXAMPLES)
@given(ANY_CASE)
def test_fuzz_every_property(case):
    for prop in ALL_PROPERTIES:
        prop(case)


# --------------------------------------------------------------------------- pinned examples


def _case(data: bytes, **ws) -> Case:
    return Case(data, ws=tuple(sorted(ws.items())))


@pytest.mark.parametrize("data", [
    b"---\ntitle: x  \n---\n\n```py\ncode  \n```\ntext  \t\n",
    b"\xef\xbb\xbf# T\r\n\r\n\r\n\r\npara \r\n",
    b"a\rb \r\r\r\rc",
    b"---\n- a\n---\nx  \t\n",
    b"caf\xe9 \n\n\n",
    b"\n",  # only blank lines: the fix empties the file (it used to report a fix that changed nothing)
    b"\r\n\r\n",
    b"  \n\t\r",
    b"---  \nid: abc \t\n...\t",  # the closing fence ends the file: frontmatter, never touched
    # found by the long fuzz run: a lone CR in the frontmatter fused with the next LF when the
    # block was blanked for markdown-it, so every Markdown position after it was one line early
    b"---  \nid: abc \t\r...\t\n- alpha  \r\n  continued #nested/tag-1\n- alpha\n# alpha",
])
def test_properties_hold_on_pinned_examples(data):
    """A few hand-written notes through every property, so a regression shows a readable input."""
    for prop in ALL_PROPERTIES:
        prop(_case(data))


def test_the_properties_can_fail():
    """The checks are not vacuous: a fix that breaks them is caught."""
    case = _case(b"a  \t\n\n\n\nb\n")
    outcome = fix(case, load(case))
    assert outcome.text == "a\n\nb\n"
    with pytest.raises(AssertionError):  # a fence that is not in the fixed text
        check_verbatim_kept(Case(b"a \n", fences=["```\nnot there  \n```"]))
    with pytest.raises(AssertionError):  # frontmatter that is not a prefix
        check_verbatim_kept(Case(b"---\na: 1\n---\n", fm_block="---\na: 1  \n---\n"))


def test_whitespace_only_line_between_lone_cr_and_lf_keeps_its_line_break():
    """Emptying the line would fuse `\r` and `\n` into one CRLF and join two paragraphs."""
    case = _case(b"a\r \nb\n")
    outcome = fix(case, load(case))
    assert real_line_count(outcome.text) == 3, repr(outcome.text)  # "a", a blank line, "b"


@pytest.mark.parametrize("data, line, column", [
    (b"ok\rline\r\xff\r", 3, 1),  # lone CR endings: reported as 1:9
    (b"\xef\xbb\xbfab\xff\n", 1, 3),  # BOM: reported as 1:4, but columns of readable notes exclude the BOM
])
def test_unreadable_note_position_uses_the_same_lines_and_columns_as_other_findings(data, line, column):
    """Lone CR counts as a line break and the BOM is not a column, as for readable notes."""
    case = _case(data)
    [finding] = findings_of(case, load(case))
    assert (finding.line, finding.column) == (line, column)


def test_frontmatter_closing_fence_at_end_of_file_is_not_touched():
    """The closing fence as the last line, with no line break: still frontmatter, never touched."""
    case = _case(b"---\nid: abc\n---\t")
    outcome = fix(case, load(case))
    assert outcome.text.startswith("---\nid: abc\n---\t"), repr(outcome.text)


def test_fixable_finding_on_a_lone_dash_line_is_really_fixable():
    """`---` alone opens an unclosed frontmatter: reported, and no fix is claimed that fix refuses."""
    case = _case(b"---")
    note = load(case)
    fixable = [f for f in findings_of(case, note) if f.fix is not None]
    outcome = fix(case, note)
    assert not fixable or (outcome.changed(note) and outcome.problem is None), (fixable, outcome)


def test_hard_break_inside_a_multi_line_setext_heading_is_kept():
    """Only a heading's last line cannot hard-break; earlier setext lines render a <br>."""
    case = _case(b"first line  \nsecond line\n===\n")
    outcome = fix(case, load(case))
    assert outcome.text == "first line  \nsecond line\n===\n"


def test_a_note_ending_in_an_unused_suppression_counts_it_as_fixable():
    """Found by the property below under mutmut: a note whose only fixable finding is an unused
    `disable-next-line` at its end. `check` reports it and `fix` removes it; the property must
    see it too, or it calls the removal a change to a clean note."""
    case = Case(data=b"---\ntitle: Note  \n---\n<!-- notelint-disable-next-line whitespace -->\n", flavor="obsidian",
                ws=(("br-spaces", 2), ("final-newline", True), ("max-blank-lines", 1), ("strict", False)),
                kind="structured", fm_kind="valid", fm_block="---\ntitle: Note  \n---\n", fences=[], newline="\n",
                hard_breaks=[])
    note = load(case)
    lint = {r.name for r in registry.all_rules() if r.category == "lint"}  # formatting rules would restyle it
    assert [f.rule for f in findings_of(case, note, every=True)
            if f.fix is not None and f.fix.safe and f.rule in lint] == ["unused-suppression"]
    check_clean_is_identical(case)
    check_idempotent(case)
