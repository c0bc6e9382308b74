"""The blank-lines-around-blocks formatting rules of group A1 (heading-blank-lines and the
empty-line-around-* rules): their fixes, positions, what they never touch, blockquotes, CRLF,
idempotence, and the Obsidian Linter's own examples (tests/plugin_cases)."""

import json
from pathlib import Path

import pytest

from notelint import cli, edits
from notelint.note import Note
from notelint.registry import lookup
from helpers import fixed

CASES = Path(__file__).parent / "plugin_cases"
ALIASES = {
    "heading-blank-lines": "heading-blank-lines",
    "empty-line-around-code-fences": "empty-line-around-code-fences",
    "empty-line-around-blockquotes": "empty-line-around-blockquotes",
    "empty-line-around-tables": "empty-line-around-tables",
    "empty-line-around-horizontal-rules": "empty-line-around-horizontal-rules",
    "empty-line-around-math-blocks": "empty-line-around-math-blocks",
}
RULES = list(ALIASES)


def rule(name, **options):
    return lookup(name)(options)


def findings(r, text):
    return list(r.check(Note.from_text(text)))



def check_fix(r, before, after):
    got = fixed(r, before)
    assert got == after
    assert fixed(r, got) == got  # idempotent
    assert not findings(r, got)


# --------------------------------------------------------------- the plugin's examples


def plugin_cases():
    out = []
    for name, alias in ALIASES.items():
        data = json.loads((CASES / f"{alias}.json").read_text("utf-8"))
        assert data["alias"] == alias
        for case in data["cases"]:
            out.append(pytest.param(name, case, id=f"{alias}: {case['description'][:40]}"))
    return out


def option_name(r, key):
    return next(p.options[key] for p in r.plugin if key in p.options)


@pytest.mark.parametrize(("name", "case"), plugin_cases())
def test_plugin_example_in_memory(name, case):
    cls = lookup(name)
    options = {option_name(cls, k): v for k, v in case["options"].items()}
    r = cls(options)
    assert fixed(r, case["before"]) == case["after"]
    assert fixed(r, case["after"]) == case["after"]


def test_every_rule_names_its_plugin_alias():
    for name, alias in ALIASES.items():
        cls = lookup(name)
        assert [p.alias for p in cls.plugin] == [alias]
        assert cls.default is False and cls.fix == "safe"


# --------------------------------------------------------------- heading-blank-lines


def test_heading_fix_and_positions():
    r = rule("heading-blank-lines")
    text = "# Title\nSome text\n## Section\n\n\nMore text\n"
    fs = findings(r, text)
    got = sorted((f.line, f.column, f.message) for f in fs)
    assert got == [
        (1, 8, "no blank line after the heading; insert one"),
        (3, 1, "no blank line before the heading; insert one"),
        (5, 1, "2 blank lines after the heading; keep one"),  # the second blank line is the extra one
    ]
    check_fix(r, text, "# Title\n\nSome text\n\n## Section\n\nMore text\n")


def test_heading_position_after_cjk_text():
    r = rule("heading-blank-lines")
    fs = findings(r, "研究背景\n## 方法\n\n正文\n")
    assert [(f.line, f.column) for f in fs] == [(2, 1)]
    fs = findings(r, "## 研究方法\n正文\n")
    assert [(f.line, f.column) for f in fs] == [(1, 8)]  # the end of the heading line, in code points


def test_heading_last_heading_loses_trailing_breaks_but_keeps_final_newline_for_whitespace():
    r = rule("heading-blank-lines")
    assert fixed(r, "text\n\n## End\n\n\n") == "text\n\n## End"
    r.final_newline = True  # what `prepare` sets when whitespace's final-newline is on (its default)
    assert fixed(r, "text\n\n## End\n\n\n") == "text\n\n## End\n"
    assert not findings(r, "text\n\n## End\n")


def test_heading_with_whitespace_rule_on_settles(tmp_path):
    (tmp_path / ".notelint.toml").write_text('extend-select = ["heading-blank-lines"]\n')
    note = tmp_path / "n.md"
    note.write_bytes(b"# Title\ntext\n## End\n")
    assert cli.main(["fix", "--no-cache", "-q", "--exit-zero", str(note)]) == 0
    assert note.read_bytes() == b"# Title\n\ntext\n\n## End\n"


def test_heading_blank_lines_at_note_start_removed():
    check_fix(rule("heading-blank-lines"), "\n\n# T\n\ntext\n", "# T\n\ntext\n")


def test_heading_after_frontmatter():
    check_fix(rule("heading-blank-lines"), "---\na: 1\n---\n# T\n\ntext\n", "---\na: 1\n---\n\n# T\n\ntext\n")
    r = rule("heading-blank-lines", **{"empty-line-after-yaml": False})
    check_fix(r, "---\na: 1\n---\n\n\n# T\n\ntext\n", "---\na: 1\n---\n# T\n\ntext\n")


def test_heading_bottom_false_leaves_lines_after_headings():
    r = rule("heading-blank-lines", bottom=False)
    check_fix(r, "# A\n\n\ntext\n\n\n## B\n# C\nx\n", "# A\n\n\ntext\n\n## B\n# C\nx\n")


def test_heading_never_touches_code_math_comments_html_quotes_lists():
    r = rule("heading-blank-lines")
    text = ("text\n\n```\n# not\n```\n\n<!--\n# c\n-->\n\n%%\n# d\n%%\n\n$$\n# m\n$$\n\n"
            "<div>\n# html\n</div>\n\n> # quoted\n> text\n\n- # in a list\n  text\n\n   ## indented\ntext\n\n"
            "#tag is not a heading\ntext\n")
    assert not findings(r, text)


def test_heading_frontmatter_untouched():
    r = rule("heading-blank-lines")
    text = "---\ntitle: x\n# comment: y\n---\n\n# T\n\ntext\n"
    assert not findings(r, text)


def test_heading_setext_is_left_alone():
    assert not findings(rule("heading-blank-lines"), "#tag line\n===\ntext\n")


def test_heading_crlf_stays_crlf():
    check_fix(rule("heading-blank-lines"), "# A\r\ntext\r\n## B\r\nmore\r\n", "# A\r\n\r\ntext\r\n\r\n## B\r\n\r\nmore\r\n")


# --------------------------------------------------------------- code fences


def test_code_fence_fix_and_positions():
    r = rule("empty-line-around-code-fences")
    text = "Some text\n```js\nvar x = 1;\n```\nMore text\n"
    assert sorted((f.line, f.column, f.message) for f in findings(r, text)) == [
        (2, 1, "no blank line before the code block; insert one"),
        (4, 4, "no blank line after the code block; insert one"),
    ]
    check_fix(r, text, "Some text\n\n```js\nvar x = 1;\n```\n\nMore text\n")


def test_code_fence_extra_blank_lines_collapse_and_tilde_fences():
    check_fix(rule("empty-line-around-code-fences"), "a\n\n\n\n~~~\nx\n~~~\n\n\nb\n", "a\n\n~~~\nx\n~~~\n\nb\n")


def test_code_fence_content_untouched():
    r = rule("empty-line-around-code-fences")
    text = "a\n\n```\nline\n\n\n\nline\n```\n\nb\n"
    assert not findings(r, text)


def test_code_fence_in_blockquote_and_list():
    r = rule("empty-line-around-code-fences")
    check_fix(r, "> text\n> ```\n> code\n> ```\n> more\n", "> text\n>\n> ```\n> code\n> ```\n>\n> more\n")
    check_fix(r, "- item\n  ```\n  code\n  ```\n- next\n", "- item\n\n  ```\n  code\n  ```\n\n- next\n")
    check_fix(r, "> [!note] Title\n> ```\n> x\n> ```\n", "> [!note] Title\n>\n> ```\n> x\n> ```\n")


def test_code_fence_in_comments_untouched():
    r = rule("empty-line-around-code-fences")
    assert not findings(r, "a\n<!--\ntext\n```\nx\n```\n-->\nb\n")
    assert not findings(r, "a\n%%\ntext\n```\nx\n```\n%%\nb\n")


def test_code_fence_crlf():
    check_fix(rule("empty-line-around-code-fences"), "a\r\n```\r\nx\r\n```\r\nb\r\n", "a\r\n\r\n```\r\nx\r\n```\r\n\r\nb\r\n")


def test_indented_code_is_not_a_fence():
    assert not findings(rule("empty-line-around-code-fences"), "a\n\n    code\nb\n")


# --------------------------------------------------------------- blockquotes


def test_blockquote_fix_and_nested():
    r = rule("empty-line-around-blockquotes")
    text = "# Heading\n> Quote content\n> continued\n"
    assert [(f.line, f.column) for f in findings(r, text)] == [(2, 1)]
    check_fix(r, text, "# Heading\n\n> Quote content\n> continued\n")
    check_fix(r, "text\n\n> a\n> > b\n> > c\n", "text\n\n> a\n>\n> > b\n> > c\n")


def test_blockquote_lazy_continuation_belongs_to_the_quote():
    # "text" continues the quote's paragraph: the blank line goes after it, not between
    check_fix(rule("empty-line-around-blockquotes"), "> quote\ntext\n# H\n", "> quote\ntext\n\n# H\n")


def test_blockquote_in_code_untouched():
    assert not findings(rule("empty-line-around-blockquotes"), "text\n```\n> not a quote\n```\n")


def test_blockquote_crlf():
    check_fix(rule("empty-line-around-blockquotes"), "a\r\n> q\r\n", "a\r\n\r\n> q\r\n")


# --------------------------------------------------------------- tables


def test_table_fix_positions_and_swallowed_text():
    r = rule("empty-line-around-tables")
    text = "中文文本\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\nMore text.\n"
    assert sorted((f.line, f.column) for f in findings(r, text)) == [(2, 1), (4, 10)]
    check_fix(r, text, "中文文本\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\nMore text.\n")


def test_table_in_blockquotes():
    r = rule("empty-line-around-tables")
    check_fix(r, "> text\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n> after\n",
              "> text\n>\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n>\n> after\n")
    check_fix(r, "> text\n> > | a | b |\n> > |---|---|\n", "> text\n>\n> > | a | b |\n> > |---|---|\n")


def test_table_in_code_and_comment_untouched():
    r = rule("empty-line-around-tables")
    assert not findings(r, "a\n```\n| a | b |\n|---|---|\n```\n")
    assert not findings(r, "a\n<!--\n| a | b |\n|---|---|\n-->\n")


# --------------------------------------------------------------- horizontal rules


def test_hr_fix_and_positions():
    r = rule("empty-line-around-horizontal-rules")
    text = "- a\n***\n- b\n"
    assert sorted((f.line, f.column) for f in findings(r, text)) == [(2, 1), (2, 4)]
    check_fix(r, text, "- a\n\n***\n\n- b\n")


def test_hr_setext_and_frontmatter_untouched():
    r = rule("empty-line-around-horizontal-rules")
    assert not findings(r, "---\na: b\n---\nContent\n---\n")
    assert not findings(r, "a\n\n```\nx\n***\ny\n```\n")


def test_hr_in_blockquote():
    check_fix(rule("empty-line-around-horizontal-rules"), "> a\n> ***\n> b\n", "> a\n>\n> ***\n>\n> b\n")


# --------------------------------------------------------------- math blocks


def test_math_fix_and_positions():
    r = rule("empty-line-around-math-blocks")
    text = "Some text\n$$\na^2\n$$\nmore text\n"
    assert sorted((f.line, f.column) for f in findings(r, text)) == [(2, 1), (4, 3)]
    check_fix(r, text, "Some text\n\n$$\na^2\n$$\n\nmore text\n")


def test_math_single_line_and_dollar_count():
    check_fix(rule("empty-line-around-math-blocks"), "a\n$$x$$\nb\n", "a\n\n$$x$$\n\nb\n")
    assert not findings(rule("empty-line-around-math-blocks", **{"min-dollar-signs": 3}), "a\n$$x$$\nb\n")
    assert not findings(rule("empty-line-around-math-blocks"), "a\n$x$\nb\n")


def test_math_inline_in_text_and_code_untouched():
    r = rule("empty-line-around-math-blocks")
    assert not findings(r, "text $$x$$ more\ntext\n")
    assert not findings(r, "a\n```\n$$\nx\n$$\n```\n")
    assert not findings(r, "a\n`$$x$$`\nb\n")


def test_math_in_callout():
    check_fix(rule("empty-line-around-math-blocks"), "> [!note] T\n> $$\n> x\n> $$\n> text\n",
              "> [!note] T\n>\n> $$\n> x\n> $$\n>\n> text\n")


def test_math_crlf():
    check_fix(rule("empty-line-around-math-blocks"), "a\r\n$$\r\nx\r\n$$\r\nb\r\n", "a\r\n\r\n$$\r\nx\r\n$$\r\n\r\nb\r\n")


# --------------------------------------------------------------- shared behaviour


@pytest.mark.parametrize("name", RULES)
def test_frontmatter_is_never_edited(name):
    r = rule(name)
    text = "---\nk: |\n  # x\n  > y\n  | a | b |\n  |---|---|\n  ***\n---\n\ntext\n"
    for f in findings(r, text):
        for e in f.fix.edits:
            assert e.start >= text.index("\n---\n") + 5


@pytest.mark.parametrize("name", RULES)
def test_linter_disable_range_is_respected(name):
    body = {"heading-blank-lines": "text\n# H\ntext\n", "empty-line-around-code-fences": "a\n```\nx\n```\nb\n",
            "empty-line-around-blockquotes": "a\n> q\n", "empty-line-around-tables": "a\n| x | y |\n|---|---|\n",
            "empty-line-around-horizontal-rules": "- a\n***\n- b\n", "empty-line-around-math-blocks": "a\n$$\nx\n$$\nb\n"}[name]
    r = rule(name)
    assert findings(r, body)
    assert not findings(r, "<!-- linter-disable -->\n\n" + body)


def test_unclosed_fence_gets_no_blank_line_after_it():
    # the fence in the list item runs on: a blank line after it would only become part of the code
    r = rule("empty-line-around-code-fences")
    check_fix(r, "- item\n  ```\n|---|---|\n", "- item\n\n  ```\n|---|---|\n")
    check_fix(r, "text\n```\ncode\n", "text\n\n```\ncode\n")


def test_math_spanning_quote_levels_settles():
    r = rule("empty-line-around-math-blocks")
    got = fixed(r, "$$\ncode\n> x\n> $$\n> ***\n")
    assert fixed(r, got) == got
    assert got.replace(">\n", "") == "$$\ncode\n> x\n> $$\n> ***\n"
