"""The spacing formatting rules of group A2: their fixes, positions, what they never touch, and the
Obsidian Linter's own examples (tests/plugin_cases)."""

import json
from pathlib import Path

import pytest

from notelint import edits
from notelint.note import Note
from notelint.registry import lookup
from helpers import fixed

CASES = Path(__file__).parent / "plugin_cases"
MINE = {
    "add-blank-line-after-yaml": "add-blank-line-after-yaml",
    "compact-yaml": "compact-yaml",
    "headings-start-line": "headings-start-line",
    "move-math-block-indicators-to-their-own-line": "move-math-block-indicators-to-own-line",
    "paragraph-blank-lines": "paragraph-blank-lines",
    "remove-link-spacing": "remove-link-spacing",
    "remove-multiple-spaces": "remove-multiple-spaces",
    "two-spaces-between-lines-with-content": "two-spaces-between-lines-with-content",
}


def rule(name, **options):
    cls = lookup(name)
    assert cls is not None, name
    return cls({k.replace("_", "-"): v for k, v in options.items()})


def findings(r, text, rel="note.md"):
    return list(r.check(Note.from_text(text, rel)))



def check_fix(r, before, after):
    assert fixed(r, before) == after
    assert fixed(r, after) == after
    assert not [f for f in findings(r, after) if f.fix is not None]


def plugin_cases():
    out = []
    for alias, name in MINE.items():
        path = CASES / f"{alias}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            out.append(pytest.param(name, alias, case, id=f"{alias}-{i}"))
    return out


@pytest.mark.parametrize("name,alias,case", plugin_cases())
def test_plugin_example(name, alias, case):
    cls = lookup(name)
    mapping = next(p for p in cls.plugin if p.alias == alias)
    settings = {}
    for key, value in case["options"].items():
        assert key in mapping.options, f"{alias}: option {key} not mapped"
        settings[mapping.options[key]] = mapping.values.get(key, {}).get(value, value)
    out = fixed(cls(settings), case["before"], case.get("file", "note.md"))
    differs = case["description"] in {d for d, _ in cls.differences}
    if differs:
        assert out != case["after"]
    else:
        assert out == case["after"]
        assert fixed(cls(settings), out, case.get("file", "note.md")) == out


def positions(r, text):
    return [(f.line, f.column) for f in findings(r, text)]


# ---------------------------------------------------------------- add-blank-line-after-yaml

def test_blank_line_after_yaml_is_added_with_the_note_s_line_ending():
    r = rule("add-blank-line-after-yaml")
    check_fix(r, "---\nkey: value\n---\nText\n", "---\nkey: value\n---\n\nText\n")
    check_fix(r, "---\r\nkey: value\r\n---\r\nText\r\n", "---\r\nkey: value\r\n---\r\n\r\nText\r\n")
    assert positions(r, "---\nkey: 中文\n---\n中文\n") == [(4, 1)]


def test_blank_line_after_yaml_leaves_notes_without_body_or_frontmatter_alone():
    r = rule("add-blank-line-after-yaml")
    for text in ("---\nkey: value\n---", "---\nkey: value\n---\n", "---\nk: v\n---\n\n\n", "Text\n", "---\nk: v\n---\n\nText"):
        assert fixed(r, text) == text


def test_blank_line_after_yaml_honours_disabled_rules():
    r = rule("add-blank-line-after-yaml")
    text = "---\ndisabled rules: [add-blank-line-after-yaml]\n---\nText\n"
    assert fixed(r, text) == text


# ---------------------------------------------------------------- compact-yaml

def test_compact_yaml_removes_leading_and_trailing_blank_lines_only_by_default():
    r = rule("compact-yaml")
    check_fix(r, "---\n\n\ntitle: A\n\ndate: today\n\n---\n\nBody\n\n\ntext\n",
              "---\ntitle: A\n\ndate: today\n---\n\nBody\n\n\ntext\n")
    assert positions(r, "---\n\ntitle: 中文\n\n---\n") == [(2, 1), (4, 1)]


def test_compact_yaml_inner_new_lines_keeps_blank_lines_inside_values_and_comments():
    r = rule("compact-yaml", inner_new_lines=True)
    before = "---\r\n\r\n# comment\r\na: 1\r\n\r\n\r\nb: |\r\n  x\r\n\r\n  y\r\nc: 'q'\r\n\r\n---\r\nbody\r\n\r\n\r\nx\r\n"
    after = "---\r\n# comment\r\na: 1\r\nb: |\r\n  x\r\n\r\n  y\r\nc: 'q'\r\n---\r\nbody\r\n\r\n\r\nx\r\n"
    check_fix(r, before, after)


def test_compact_yaml_leaves_broken_yaml_alone():
    r = rule("compact-yaml")
    text = "---\n\na: [1\n\n---\nbody\n"
    assert fixed(r, text) == text


# ---------------------------------------------------------------- headings-start-line

def test_headings_start_line_removes_the_indentation_of_headings():
    r = rule("headings-start-line")
    check_fix(r, "Text\n   ## Heading ##\n  # 中文\n", "Text\n## Heading ##\n# 中文\n")
    assert positions(r, "中文\n  # H\n") == [(2, 1)]


def test_headings_start_line_never_touches_code_tags_quotes_lists_or_math():
    r = rule("headings-start-line")
    text = ("  #tag\n\n```\n  # code\n```\n\n    # indented code\n\n> # quoted\n\n- item\n  # in the item\n\n"
            "para\n    # continuation\n\n$$\n  # math\n$$\n\n<!--\n  # comment\n-->\n")
    assert fixed(r, text) == text


def test_headings_start_line_keeps_the_frontmatter():
    r = rule("headings-start-line")
    text = "---\nk: |\n  # not a heading\n---\n  # H\n"
    assert fixed(r, text) == "---\nk: |\n  # not a heading\n---\n# H\n"


# ---------------------------------------------------------------- remove-link-spacing

def test_remove_link_spacing_trims_link_and_wikilink_text():
    r = rule("remove-link-spacing")
    check_fix(r, "[ a ](b) [\tc](d) [[n| e ]] ![[n|\tf\t]] ![ alt ](i.png)\r\n",
              "[a](b) [c](d) [[n|e]] ![[n|f]] ![ alt ](i.png)\r\n")
    assert positions(r, "中文 [ x ](y)\n") == [(1, 5)]
    assert positions(r, "中文 [x ](y)\n") == [(1, 6)]


def test_remove_link_spacing_never_touches_code_references_or_empty_text():
    r = rule("remove-link-spacing")
    text = "`[ a ](b)`\n\n```\n[ c ](d)\n```\n\n[ e ][ref] [ ](x) <!-- [ f ](g) --> %% [ h ](i) %% $[ j ](k)$\n\n[ref]: http://x\n"
    assert fixed(r, text) == text


def test_remove_link_spacing_keeps_inline_code_inside_the_text():
    r = rule("remove-link-spacing")
    check_fix(r, "> [ `x` ](y)\n", "> [`x`](y)\n")


# ---------------------------------------------------------------- remove-multiple-spaces

def test_remove_multiple_spaces_collapses_runs_between_words():
    r = rule("remove-multiple-spaces")
    check_fix(r, "a  b   c\r\n# Heading  two\r\n中文  文字\r\n", "a b c\r\n# Heading two\r\n中文 文字\r\n")
    assert positions(r, "中文  文字\n") == [(1, 3)]


def test_remove_multiple_spaces_keeps_structure_and_breaks():
    r = rule("remove-multiple-spaces")
    check_fix(r, "-   item  two\n    - [ ]  task  x\n>  quote  x\n> > [!note]  T\nend  \nnext\n",
              "-   item two\n    - [ ]  task x\n>  quote x\n> > [!note] T\nend  \nnext\n")


def test_remove_multiple_spaces_never_touches_code_math_links_tables_comments():
    r = rule("remove-multiple-spaces")
    text = ("---\nk: a  b\n---\n`c  d` $x  y$ [l  m](u) ![i  j](k) [[w  x]] #t\n\n| a  b | c |\n|---|---|\n| x  y | z |\n\n"
            "<!-- a  b -->\n\n%% a  b %%\n\n```\na  b\n```\n\n    code  x\n\n<div>\na  b\n</div>\n\n$$\na  b\n$$\n")
    assert fixed(r, text) == text


# ---------------------------------------------------------------- move-math-block-indicators-to-own-line

def test_math_indicators_move_to_their_own_lines():
    r = rule("move-math-block-indicators-to-own-line")
    check_fix(r, "Text $$x = 1$$\n", "Text\n$$\nx = 1\n$$\n")
    check_fix(r, "$$x\r\ny$$\r\n", "$$\r\nx\r\ny\r\n$$\r\n")
    assert positions(r, "中文 $$x$$\n") == [(1, 4)]


def test_math_indicators_in_quotes_callouts_and_lists_keep_their_prefix():
    r = rule("move-math-block-indicators-to-own-line")
    check_fix(r, "> [!note]\n> Text $$x$$\n", "> [!note]\n> Text\n> $$\n> x\n> $$\n")
    check_fix(r, "- item $$y$$\n", "- item\n  $$\n  y\n  $$\n")
    check_fix(r, "> - $$y$$\n", "> - $$\n>   y\n>   $$\n")


def test_math_indicators_leave_inline_math_code_and_settled_blocks_alone():
    r = rule("move-math-block-indicators-to-own-line")
    text = ("$x$ and `$$y$$`\n\n```\n$$z$$\n```\n\n<!-- $$w$$ -->\n\n$$\na\n$$\n\n---\n\n\\$$ not math $$\n\n"
            "# Heading $$h$$\n\n| a | $$t$$ |\n|---|---|\n| $$u$$ | b |\n")
    assert fixed(r, text) == text


def test_math_indicators_minimum_dollar_signs():
    r = rule("move-math-block-indicators-to-own-line", min_dollar_signs=3)
    assert fixed(r, "$$x$$\n") == "$$x$$\n"
    check_fix(r, "$$$x$$$\n", "$$$\nx\n$$$\n")


# ---------------------------------------------------------------- two-spaces-between-lines-with-content

def test_two_spaces_end_continued_lines():
    r = rule("two-spaces-between-lines-with-content")
    check_fix(r, "a\nb \nc\n\nd\n", "a  \nb  \nc\n\nd\n")
    check_fix(r, "a\r\nb\r\n", "a  \r\nb\r\n")
    assert positions(r, "中文\nb\n") == [(1, 3)]


def test_two_spaces_in_quotes_callouts_and_lists():
    r = rule("two-spaces-between-lines-with-content")
    check_fix(r, "> [!note] T\n> x\n> y\n\n- i\n  j\n  - k\n    l\n",
              "> [!note] T\n> x  \n> y\n\n- i  \n  j\n  - k  \n    l\n")


def test_two_spaces_other_indicators_replace_existing_breaks():
    check_fix(rule("two-spaces-between-lines-with-content", line_break_indicator="<br>"),
              "a <br/>\nb\\\nc  \nd\n", "a<br>\nb<br>\nc<br>\nd\n")
    check_fix(rule("two-spaces-between-lines-with-content", line_break_indicator="\\"),
              "a\nb\\\\\nc\n", "a\\\nb\\\\\\\nc\n")


def test_two_spaces_never_touch_code_comments_html_tables_headings():
    r = rule("two-spaces-between-lines-with-content")
    text = ("---\na: 1\nb: 2\n---\n# H\n\n```\nx\ny\n```\n\n`code\nspan`\n\n%% c\nd %%\n\n<div>\ne\nf\n</div>\n\n"
            "| a | b |\n|---|---|\n| c | d |\n\nSetext\n===\n\n$$\nm\nn\n$$\n")
    assert fixed(r, text) == text


# ---------------------------------------------------------------- paragraph-blank-lines

def test_paragraph_blank_lines_surround_and_split_paragraphs():
    r = rule("paragraph-blank-lines")
    check_fix(r, "\n\n# H\nA\nB  \nC\n\n\n\nD\n- list\n\n\n", "\n\n# H\n\nA\n\nB  \nC\n\nD\n\n- list\n\n\n")
    check_fix(r, "A\r\nB\r\n", "A\r\n\r\nB\r\n")
    assert positions(r, "中文\nB\n") == [(2, 1)]


def test_paragraph_blank_lines_never_touch_lists_quotes_code_math_comments_or_frontmatter():
    r = rule("paragraph-blank-lines")
    text = ("---\na: 1\n---\n> q\n> r\n\n- i\n  j\n\n```\nx\ny\n```\n\n$$\nm\nn\n$$\n\n%% c\nd %%\n\n"
            "<!-- e\nf -->\n\n| a | b |\n|---|---|\n| c | d |\n\n[^1]: note\n    more\n")
    assert fixed(r, text) == text


def test_paragraph_blank_lines_keep_an_indented_line_from_becoming_code():
    r = rule("paragraph-blank-lines")
    assert fixed(r, "A\n    B\n") == "A\n    B\n"


def test_paragraph_blank_lines_is_unsafe():
    r = rule("paragraph-blank-lines")
    assert all(not f.fix.safe for f in findings(r, "A\nB\n"))
