"""The footnote formatting rules: re-index-footnotes, move-footnotes-to-the-bottom,
footnote-after-punctuation, and the footnote scanner they share."""

from __future__ import annotations

import pytest

from notelint import edits
from notelint.fmt_footnotes import footnotes
from notelint.note import Note
from notelint.rules.footnote_after_punctuation import FootnoteAfterPunctuation
from notelint.rules.move_footnotes_to_the_bottom import MoveFootnotesToTheBottom
from notelint.rules.re_index_footnotes import ReIndexFootnotes
from helpers import fixed


def findings(rule, text: str) -> list:
    return list(rule.check(Note.from_text(text)))



def settled(rule, text: str) -> str:
    once = fixed(rule, text)
    assert fixed(rule, once) == once
    assert not [f for f in findings(rule, once) if f.fix is not None]
    return once


# footnote-looking text in every place a footnote rule must leave alone
UNTOUCHABLE = (
    "```\n[^9]: in code.\n```\n\n"
    "Inline `[^5].` math $[^6].$ comment %%[^7].%% html <!-- [^8]. -->\n\n"
    "$$\n[^4]: in math.\n$$\n\n"
    "%%\n[^3]: in a comment.\n%%\n"
)
FRONTMATTER = "---\nnote: \"x[^1]. [^2]: y\"\n---\n"
ALL = (ReIndexFootnotes, MoveFootnotesToTheBottom, FootnoteAfterPunctuation)


# ---------------------------------------------------------------- the scanner

def test_scanner_reads_references_and_multi_line_definitions():
    text = "A[^x] b[^y].\n\n[^x]: one\nlazy\n\n    indented\n\nAfter.\n[^y]: two\n"
    found = footnotes(Note.from_text(text))
    assert [r.label for r in found.refs] == ["x", "y"]
    assert [(d.label, d.first_line, d.last_line) for d in found.definitions] == [("x", 2, 5), ("y", 8, 8)]


def test_scanner_skips_protected_text_and_the_frontmatter():
    found = footnotes(Note.from_text(FRONTMATTER + UNTOUCHABLE))
    assert found.refs == [] and found.definitions == []


@pytest.mark.parametrize("rule", ALL)
def test_nothing_protected_is_touched(rule):
    text = FRONTMATTER + "Text[^1].\n\n" + UNTOUCHABLE + "\n[^1]: note\n"
    out = settled(rule(), text)
    assert out.startswith(FRONTMATTER)
    assert UNTOUCHABLE in out


# ---------------------------------------------------------------- re-index-footnotes

def test_re_index_renumbers_labels_and_references_together():
    text = "A[^3] b[^x] c[^3].\n\n[^3]: first\n[^x]: second\n"
    assert settled(ReIndexFootnotes(), text) == "A[^1] b[^2] c[^1].\n\n[^1]: first\n[^2]: second\n"


def test_re_index_finding_is_one_fix_at_the_first_change():
    found = findings(ReIndexFootnotes(), "中文[^3]\n\n[^3]: x\n")
    assert [(f.line, f.column) for f in found] == [(1, 5)]
    assert "[^3] → [^1]" in found[0].message and found[0].fix.safe


def test_re_index_drops_identical_repeats_only():
    assert settled(ReIndexFootnotes(), "a[^1]\n[^1]: x\n[^1]: x\n") == "a[^1]\n[^1]: x\n"
    found = findings(ReIndexFootnotes(), "a[^1]\n[^1]: x\n[^1]: y\n")
    assert len(found) == 1 and found[0].fix is None and "defined twice" in found[0].message


def test_re_index_does_not_capture_a_reference_without_definition():
    text = "a[^1] b[^7]\n\n[^7]: x\n"  # renumbering 7 -> 1 would make [^1] point at it
    assert findings(ReIndexFootnotes(), text) == []


def test_re_index_in_blockquote_and_crlf():
    text = "> Quote[^b].\r\n\r\n[^b]: x\r\n"
    assert settled(ReIndexFootnotes(), text) == "> Quote[^1].\r\n\r\n[^1]: x\r\n"


# ---------------------------------------------------------------- move-footnotes-to-the-bottom

def test_move_footnotes_sorts_by_first_reference_and_keeps_final_newline():
    text = "A[^b] then[^a].\n\n[^a]: second\n\nMiddle.\n\n[^b]: first\n\nEnd.\n"
    assert settled(MoveFootnotesToTheBottom(), text) == "A[^b] then[^a].\n\nMiddle.\n\nEnd.\n\n[^b]: first\n[^a]: second\n"


def test_move_footnotes_moves_continuation_lines_with_the_definition():
    text = "A[^1].\n[^1]: one\nlazy\n\n    second para\n\nEnd.\n"
    assert settled(MoveFootnotesToTheBottom(), text) == "A[^1].\nEnd.\n\n[^1]: one\nlazy\n\n    second para\n"


def test_move_footnotes_blank_line_between_and_crlf():
    text = "A[^1] b[^2]\r\n[^2]: two\r\n[^1]: one\r\n\r\nEnd\r\n"
    rule = MoveFootnotesToTheBottom({"blank-line-between": True})
    assert settled(rule, text) == "A[^1] b[^2]\r\nEnd\r\n\r\n[^1]: one\r\n\r\n[^2]: two\r\n"


def test_move_footnotes_finding_position_and_no_finding_when_in_place():
    found = findings(MoveFootnotesToTheBottom(), "A[^1].\n\n[^1]: x\n\nEnd.\n")
    assert [(f.line, f.column, f.end_column) for f in found] == [(3, 1, 5)]
    assert findings(MoveFootnotesToTheBottom(), "A[^1].\n\nEnd.\n\n[^1]: x\n") == []


def test_move_footnotes_leaves_quoted_definitions_and_split_comments():
    text = "A[^1].\n\n> [^1]: quoted\n\nEnd.\n"
    assert findings(MoveFootnotesToTheBottom(), text) == []
    text = "a[^1]\n\n[^1]: x %%start\n\nmore%%\n\nend\n"
    assert findings(MoveFootnotesToTheBottom(), text) == []


# ---------------------------------------------------------------- footnote-after-punctuation

def test_footnote_after_punctuation_swaps_and_drops_one_space():
    assert settled(FootnoteAfterPunctuation(), "Lorem[^1]. Ipsum[^2] , x[^3]?!\n") == "Lorem.[^1] Ipsum,[^2] x?![^3]\n"


def test_footnote_after_punctuation_position_after_cjk():
    found = findings(FootnoteAfterPunctuation(), "中文[^1].\n")
    assert [(f.line, f.column, f.end_column) for f in found] == [(1, 3, 8)]
    assert found[0].fix.safe


@pytest.mark.parametrize("text", [
    "[^1]: a definition\n",
    "- [ ] [^1]: a task's footnote\n",
    "> [^1]: a quoted definition\n",
    "- [^1]: a listed definition\n",
    "See [[note|alias[^1].]]\n",
    "Text[^a b].\n",
])
def test_footnote_after_punctuation_leaves_definitions_and_links(text):
    assert findings(FootnoteAfterPunctuation(), text) == []


def test_footnote_after_punctuation_in_callout_and_crlf():
    text = "> [!note]\r\n> Quoted[^1].\r\n\r\n[^1]: x\r\n"
    assert settled(FootnoteAfterPunctuation(), text) == "> [!note]\r\n> Quoted.[^1]\r\n\r\n[^1]: x\r\n"
