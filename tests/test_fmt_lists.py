"""The list formatting rules (group B1): space-after-list-markers, unordered-list-style,
ordered-list-style, convert-bullet-list-markers, remove-consecutive-list-markers,
remove-empty-list-markers, remove-empty-lines-between-list-markers-and-checklists, and the list
scanner they share (`notelint/fmt_lists.py`)."""

from __future__ import annotations

import pytest

from notelint import edits
from notelint.fmt_lists import scan
from notelint.note import Note
from notelint.rules.convert_bullet_list_markers import ConvertBulletListMarkers
from notelint.rules.ordered_list_style import OrderedListStyle
from notelint.rules.remove_consecutive_list_markers import RemoveConsecutiveListMarkers
from notelint.rules.remove_empty_lines_between_list_markers_and_checklists import (
    RemoveEmptyLinesBetweenListMarkersAndChecklists,
)
from notelint.rules.remove_empty_list_markers import RemoveEmptyListMarkers
from notelint.rules.space_after_list_markers import SpaceAfterListMarkers
from notelint.rules.unordered_list_style import UnorderedListStyle
from helpers import fixed

ALL = (SpaceAfterListMarkers, UnorderedListStyle, OrderedListStyle, ConvertBulletListMarkers,
       RemoveConsecutiveListMarkers, RemoveEmptyListMarkers, RemoveEmptyLinesBetweenListMarkersAndChecklists)


def findings(rule, text: str) -> list:
    return list(rule.check(Note.from_text(text)))



# a note where every list-like line is content the rules must never touch
UNTOUCHABLE = (
    "---\ntags:\n  -   a\n  * b\n---\n"
    "```\n-   x\n1. a\n3. b\n-\n- - c\n• d\n- a\n\n- b\n```\n"
    "$$\n-   y\n*   z\n3. w\n$$\n"
    "%%\n-   c\n+\n- - e\n• f\n%%\n"
    "<!--\n*   d\n-\n5. g\n-->\n"
    "Text `•   h` and `- - i`\n"
)


@pytest.mark.parametrize("rule_class", ALL, ids=lambda r: r.name)
def test_code_math_comments_and_frontmatter_are_never_touched(rule_class):
    rule = rule_class({"list-style": "+"} if rule_class is UnorderedListStyle else None)
    assert findings(rule, UNTOUCHABLE) == []


# ---------------------------------------------------------------- the scanner


def test_scan_finds_every_marker_exactly():
    text = "- a\n  * b\n- - c\n> 1. x\n> 4) y\n>    - z\n  + t\n"
    items = scan(Note.from_text(text)).items
    assert [(text[i.start:i.marker_end], i.line, i.first_on_line) for i in items] == [
        ("-", 0, True), ("*", 1, True), ("-", 2, True), ("-", 2, False),
        ("1.", 3, True), ("4)", 4, True), ("-", 5, True), ("+", 6, True)]
    assert [i.depth for i in items] == [1, 2, 1, 2, 1, 1, 2, 1]
    assert items[5].number == 4 and items[5].delim == ")"
    assert items[4].quote == "> "


def test_scan_sees_no_items_in_a_setext_underline_or_code():
    assert scan(Note.from_text("Title\n-\n\n    - code\n")).items == []


# ---------------------------------------------------------------- space-after-list-markers


def test_space_after_markers_and_checkboxes():
    rule = SpaceAfterListMarkers()
    before = "1.   Item 1\n2.  Item 2\n\n-   [ ] Item 1\n- [x]    Item 2\n\t-  [ ] Item 3"
    assert fixed(rule, before) == "1. Item 1\n2. Item 2\n\n- [ ] Item 1\n- [x] Item 2\n\t- [ ] Item 3"


def test_space_after_marker_position_after_cjk_and_in_a_callout():
    rule = SpaceAfterListMarkers()
    (f,) = findings(rule, "> [!note] 中文\n> - [x]   中文内容\n")
    assert (f.line, f.column, f.end_line, f.end_column) == (2, 8, 2, 11)
    assert fixed(rule, "> [!note] 中文\n> - [x]   中文内容\n") == "> [!note] 中文\n> - [x] 中文内容\n"
    assert fixed(rule, "> 1.   a\n> >   -  b\n") == "> 1. a\n> >   - b\n"


def test_space_after_marker_keeps_crlf_and_is_idempotent():
    rule = SpaceAfterListMarkers()
    out = fixed(rule, "-   a\r\n-  b\r\n    -\tc\r\n")
    assert out == "- a\r\n- b\r\n    - c\r\n"
    assert findings(rule, out) == []


def test_space_after_marker_leaves_code_content_and_moved_lines_alone():
    rule = SpaceAfterListMarkers()
    assert findings(rule, "-      code in the item\n") == []  # 5+ spaces: indented code
    assert findings(rule, "-   a\n\n  b\n") == []  # `b` would move into the item
    assert findings(rule, "1.  a\n\n        code\n") == []  # the code's indentation is its content
    # a nested item keeps its place: fixed
    assert fixed(rule, "-   a\n    - b\n        - c\n") == "- a\n    - b\n        - c\n"


# ---------------------------------------------------------------- unordered-list-style


def test_unordered_consistent_takes_the_first_bullet_and_skips_checklists():
    before = "1. one\n\n- [ ] task\n\n* a\n  - b\n+ c\n"
    assert fixed(UnorderedListStyle(), before) == "1. one\n\n- [ ] task\n\n* a\n  * b\n* c\n"


def test_unordered_style_in_blockquotes_and_its_position():
    rule = UnorderedListStyle({"list-style": "+"})
    text = "> - a\n> > * 中\n> >   - b\n"
    fs = findings(rule, text)
    assert [(f.line, f.column) for f in fs] == [(1, 3), (2, 5), (3, 7)]
    assert fixed(rule, text) == "> + a\n> > + 中\n> >   + b\n"


def test_unordered_style_crlf_idempotent_and_never_makes_a_rule():
    rule = UnorderedListStyle({"list-style": "-"})
    out = fixed(rule, "* a\r\n+ b\r\n- * *\r\n")
    assert out == "- a\r\n- b\r\n- * *\r\n"  # `- - -` would be a horizontal rule
    assert findings(rule, out) == []


# ---------------------------------------------------------------- ordered-list-style


def test_ordered_ascending_per_list_and_level():
    rule = OrderedListStyle()
    assert fixed(rule, "1. a\n2. b\n4. c\n\ntext\n\n1. d\n1. e\n") == "1. a\n2. b\n3. c\n\ntext\n\n1. d\n2. e\n"
    assert fixed(rule, "1. a\n2. b\n  1. x\n  5. y\n4. c\n") == "1. a\n2. b\n  1. x\n  2. y\n3. c\n"


def test_ordered_lazy_parenthesis_and_preserve_start():
    assert fixed(OrderedListStyle({"number-style": "lazy", "list-end-style": ")"}), "1. a\n2. b\n\t1. c\n5. d\n") \
        == "1) a\n1) b\n\t1) c\n1) d\n"
    assert fixed(OrderedListStyle({"preserve-start": True}), "4. a\n2. b\n  2. x\n  5. y\n") \
        == "4. a\n5. b\n  2. x\n  3. y\n"
    assert fixed(OrderedListStyle({"number-style": "preserve"}), "4. a\n2) b\n") == "4. a\n2. b\n"


def test_ordered_in_blockquote_position_and_crlf():
    rule = OrderedListStyle()
    text = "> 中文\n>\n> 1. a\n> 4. b\r\n"
    (f,) = findings(rule, text)
    assert (f.line, f.column, f.end_column) == (4, 3, 5)
    out = fixed(rule, text)
    assert out == "> 中文\n>\n> 1. a\n> 2. b\r\n"
    assert findings(rule, out) == []


def test_ordered_wider_number_that_would_move_a_nested_item_is_left():
    # `1.` -> `10.` would move the content to column 4, so `   - x` would leave the item
    text = "1. a\n" * 9 + "1. j\n   - x\n"
    out = fixed(OrderedListStyle(), text)
    assert out.endswith("9. a\n1. j\n   - x\n")
    assert fixed(OrderedListStyle(), "9. a\n10. b\n    - x\n") == "1. a\n2. b\n    - x\n"


# ---------------------------------------------------------------- convert-bullet-list-markers


def test_convert_bullets():
    rule = ConvertBulletListMarkers()
    assert fixed(rule, "• item 1\n  § item 2\n> • quoted\r\n") == "- item 1\n  - item 2\n> - quoted\r\n"
    assert findings(rule, "•word\ntext • mid\n") == []


def test_convert_section_sign_is_an_unsafe_fix():
    fs = findings(ConvertBulletListMarkers(), "中 text\n§ 823 BGB\n• x\n")
    assert [(f.line, f.column, f.fix.safe) for f in fs] == [(2, 1, False), (3, 1, True)]


# ---------------------------------------------------------------- remove-consecutive-list-markers


def test_remove_consecutive_markers():
    rule = RemoveConsecutiveListMarkers()
    before = "- item 1\n- - copypasted item A\n- item 2\n  - indented item\n  - - copypasted item B"
    out = fixed(rule, before)
    assert out == "- item 1\n- copypasted item A\n- item 2\n  - indented item\n  - copypasted item B"
    assert findings(rule, out) == []


def test_remove_consecutive_markers_positions_quotes_and_limits():
    rule = RemoveConsecutiveListMarkers()
    (f,) = findings(rule, "> - - 中文\r\n")
    assert (f.line, f.column, f.end_column) == (1, 5, 7)
    assert fixed(rule, "> - - 中文\r\n") == "> - 中文\r\n"
    assert findings(rule, "- - 1 number\n- - [link](x)\n") == []  # not a letter after the second marker


# ---------------------------------------------------------------- remove-empty-list-markers


def test_remove_empty_markers():
    rule = RemoveEmptyListMarkers()
    assert fixed(rule, "- a\n-\n- b\n\n1. c\n2.\n3. \n\ntext\n") == "- a\n- b\n\n1. c\n\ntext\n"
    assert fixed(rule, "- [ ] a\n- [x]\n- [ ]   \n") == "- [ ] a\n"
    assert fixed(rule, "* a\n    *\n* b\n") == "* a\n* b\n"


def test_remove_empty_markers_is_unsafe_keeps_headings_quotes_and_crlf():
    rule = RemoveEmptyListMarkers()
    fs = findings(rule, "> - a\n> -\n> - b\r\n-")
    assert [(f.line, f.column, f.fix.safe) for f in fs] == [(2, 3, False), (4, 1, False)]
    assert fixed(rule, "> - a\n> -\n> - b\r\n-") == "> - a\n> - b"
    assert findings(rule, "Title\n-\n\n- a\n  -\n\ntext\n*\n") == []  # heading underlines, a paragraph's `*`
    assert fixed(rule, "text\n\n-\n\nmore\n") == "text\n\n\nmore\n"  # the blank lines stay


# ---------------------------------------------------------------- remove-empty-lines-between-...


def test_remove_empty_lines_between_items_of_one_kind():
    rule = RemoveEmptyLinesBetweenListMarkersAndChecklists()
    before = "1. a\n\n2. b\n\n- c\n\n\t- d\n\n- e\n\n- [x] f\n\n- [ ] g\n"
    assert fixed(rule, before) == "1. a\n2. b\n\n- c\n\t- d\n- e\n\n- [x] f\n- [ ] g\n"


def test_remove_empty_lines_is_unsafe_and_positioned():
    fs = findings(RemoveEmptyLinesBetweenListMarkersAndChecklists(), "- 中文\n\n  \n- b\n")
    assert [(f.line, f.column, f.fix.safe) for f in fs] == [(2, 1, False)]


def test_remove_empty_lines_in_quotes_and_crlf_but_not_across_quotes_or_paragraphs():
    rule = RemoveEmptyLinesBetweenListMarkersAndChecklists()
    assert fixed(rule, "> - a\n>\n> - b\n") == "> - a\n> - b\n"
    assert fixed(rule, "- a\r\n\r\n- b\r\n") == "- a\r\n- b\r\n"
    unchanged = "> - a\n\n> - b\n\n- c\n\n  para\n\n- d\n\ntext\n2. e\n\n3. f\n"
    assert findings(rule, unchanged) == []


@pytest.mark.parametrize("rule_class", ALL, ids=lambda r: r.name)
def test_fixing_the_fixed_text_changes_nothing(rule_class):
    text = ("• a\n- - b\n-   c\n\n* d\n+ e\n-\n3. f\n\n7. g\n> 1)  h\n>\n> 1)  i\r\n"
            "- [x]    j\n\n- [ ] k\n")
    once = fixed(rule_class(), text)
    assert once != text
    assert fixed(rule_class(), once) == once
