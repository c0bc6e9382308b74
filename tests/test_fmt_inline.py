"""The inline formatting rules (group B2): emphasis-style, strong-style, blockquote-style,
default-language-for-code-fences and no-bare-urls, and their shared helpers (`fmt_inline`)."""

from __future__ import annotations

import pytest

from notelint import edits, fmt_inline
from notelint.finding import Edit
from notelint.note import Note
from notelint.rules.blockquote_style import BlockquoteStyle
from notelint.rules.default_language_for_code_fences import DefaultLanguageForCodeFences
from notelint.rules.emphasis_style import EmphasisStyle
from notelint.rules.no_bare_urls import NoBareUrls
from notelint.rules.strong_style import StrongStyle
from helpers import fixed

RULES = {r.name: r for r in (EmphasisStyle, StrongStyle, BlockquoteStyle, DefaultLanguageForCodeFences, NoBareUrls)}


def rule(name: str, **options):
    return RULES[name](options)


def findings(r, text: str) -> list:
    return list(r.check(Note.from_text(text)))



def assert_idempotent(r, text: str) -> str:
    out = fixed(r, text)
    assert findings(r, out) == [] or all(f.fix is None for f in findings(r, out))
    assert fixed(r, out) == out
    return out


PROTECTED = (
    "---\ntitle: '*a* _b_ **c** __d__ https://fm.example.com'\n---\n"
    "```\n*a* _b_ **c** __d__ >x https://code.example.com\n```\n\n"
    "Inline `*a* _b_ **c** __d__ https://span.example.com` code.\n\n"
    "$$\n*a* _b_ **c** __d__ https://math.example.com\n$$\n\n"
    "Math $*a* + _b_$ inline.\n\n"
    "<!-- *a* _b_ **c** __d__ https://comment.example.com -->\n\n"
    "%% *a* _b_ **c** __d__ https://obsidian.example.com %%\n"
)


# ---------------------------------------------------------------- emphasis-style


def test_emphasis_underscore_fix_output():
    r = rule("emphasis-style", style="underscore")
    assert fixed(r, "This is *one* and _two_ and ***three***.\n") == "This is _one_ and _two_ and _**three**_.\n"


def test_emphasis_consistent_follows_the_first():
    r = rule("emphasis-style")
    assert fixed(r, "_first_ then *second* and *third*\n") == "_first_ then _second_ and _third_\n"
    assert fixed(r, "*first* then _second_\n") == "*first* then *second*\n"


def test_emphasis_finding_position_after_cjk():
    r = rule("emphasis-style", style="asterisk")
    (f,) = findings(r, "# 标题\n\n中文文本 _强调_ 结束\n")
    assert (f.line, f.column, f.end_line, f.end_column) == (3, 6, 3, 10)
    assert "use `*`" in f.message
    assert f.fix.edits == (Edit(11, 12, "*"), Edit(14, 15, "*"))


def test_emphasis_inside_a_word_is_left_alone():
    r = rule("emphasis-style", style="underscore")
    assert findings(r, "foo*bar*baz\n") == []  # `foo_bar_baz` would be no emphasis
    r = rule("emphasis-style", style="asterisk")
    assert findings(r, "snake_case_name and __init__\n") == []


@pytest.mark.parametrize("style", ["asterisk", "underscore"])
def test_emphasis_never_touches_protected_regions(style):
    r = rule("emphasis-style", style=style)
    assert fixed(r, PROTECTED) == PROTECTED


def test_emphasis_leaves_links_wikilinks_and_html_alone():
    r = rule("emphasis-style", style="underscore")
    text = "[*a*](https://x.com) [[b*c*d]] <span>*e*</span>\n\n<div>\n*f*\n</div>\n"
    assert fixed(r, text).startswith("[*a*](https://x.com) [[b*c*d]] <span>_e_</span>")
    assert "<div>\n*f*\n</div>" in fixed(r, text)


def test_emphasis_in_callouts_and_nested_lists():
    r = rule("emphasis-style", style="asterisk")
    text = "> [!note] _title_\n> - _item_\n>   - _nested_\n\n- a\n  - _b_\n"
    assert assert_idempotent(r, text) == "> [!note] *title*\n> - *item*\n>   - *nested*\n\n- a\n  - *b*\n"


def test_emphasis_crlf_stays_crlf():
    r = rule("emphasis-style", style="underscore")
    assert assert_idempotent(r, "*a*\r\nb *c*\r\n") == "_a_\r\nb _c_\r\n"


# ---------------------------------------------------------------- strong-style


def test_strong_fix_output_and_nesting():
    r = rule("strong-style", style="underscore")
    assert fixed(r, "**a** and ***b*** and **_c_**\n") == "__a__ and *__b__* and ___c___\n"
    r = rule("strong-style", style="asterisk")
    assert fixed(r, "__a__ and ___b___\n") == "**a** and _**b**_\n"


def test_strong_consistent_and_position():
    r = rule("strong-style")
    fs = findings(r, "__一__ 和 **二**\n")
    assert [(f.line, f.column, f.end_column) for f in fs] == [(1, 9, 14)]
    assert fixed(r, "__一__ 和 **二**\n") == "__一__ 和 __二__\n"


def test_strong_inside_a_word_is_left_alone():
    r = rule("strong-style", style="underscore")
    assert findings(r, "un**believ**able\n") == []


@pytest.mark.parametrize("style", ["asterisk", "underscore"])
def test_strong_never_touches_protected_regions(style):
    r = rule("strong-style", style=style)
    assert fixed(r, PROTECTED) == PROTECTED


def test_strong_crlf_blockquote_idempotent():
    r = rule("strong-style", style="asterisk")
    assert assert_idempotent(r, "> __a__\r\n> - __b__\r\n") == "> **a**\r\n> - **b**\r\n"


# ---------------------------------------------------------------- blockquote-style


def test_blockquote_space_fix_output():
    r = rule("blockquote-style")
    text = ">a\n>>b\n> >c\n>>>> d\n>\n> \n>  e\n"
    assert assert_idempotent(r, text) == "> a\n> > b\n> > c\n> > > > d\n>\n>\n> e\n"


def test_blockquote_no_space_fix_output():
    r = rule("blockquote-style", style="no space")
    assert assert_idempotent(r, "> a\n> > b\n> >> c\n") == ">a\n>>b\n>>>c\n"


def test_blockquote_finding_position():
    r = rule("blockquote-style")
    (f,) = findings(r, "中文\n\n>>引用\n")
    assert (f.line, f.column) == (3, 2)
    assert f.fix.edits == (Edit(5, 6, " > "),)
    assert fixed(r, "中文\n\n>>引用\n") == "中文\n\n> > 引用\n"


def test_blockquote_keeps_list_indentation_and_callouts():
    r = rule("blockquote-style")
    # a list marker's spaces are kept (they may nest it); a continuation line's collapse to one
    text = ">[!note] Title\n>- item\n>  - sibling\n>    continued\n"
    assert assert_idempotent(r, text) == "> [!note] Title\n> - item\n>  - sibling\n> continued\n"


def test_blockquote_in_a_list_item():
    r = rule("blockquote-style")
    assert assert_idempotent(r, "- >a\n  >b\n") == "- > a\n  > b\n"


def test_blockquote_leaves_code_html_math_and_comments():
    r = rule("blockquote-style")
    text = ">```\n>code\n>```\n\n>     indented code\n\n><div>\n>x\n></div>\n\n>$$\n>m\n>$$\n"
    out = fixed(r, text)
    assert ">```\n>code\n>```" in out
    assert ">     indented code" in out
    assert ">$$\n>m\n>$$" in out


def test_blockquote_no_space_keeps_indented_code():
    r = rule("blockquote-style", style="no space")
    text = "> a\n>\n>     code\n"
    assert assert_idempotent(r, text) == ">a\n>\n>     code\n"


def test_blockquote_crlf_and_frontmatter():
    r = rule("blockquote-style")
    text = "---\nq: '>x'\n---\r\n>a\r\n>\r\n"
    assert assert_idempotent(r, text) == "---\nq: '>x'\n---\r\n> a\r\n>\r\n"


# ---------------------------------------------------------------- default-language-for-code-fences


def test_default_language_fix_output_and_position():
    r = rule("default-language-for-code-fences", **{"default-language": "python"})
    text = "中文\n\n```\nx\n```\n\n~~~~  \ny\n~~~~\n\n```js\nz\n```\n"
    fs = findings(r, text)
    assert [(f.line, f.column) for f in fs] == [(3, 1), (7, 1)]
    assert assert_idempotent(r, text) == "中文\n\n```python\nx\n```\n\n~~~~python  \ny\n~~~~\n\n```js\nz\n```\n"


def test_default_language_empty_does_nothing():
    assert findings(rule("default-language-for-code-fences"), "```\nx\n```\n") == []


def test_default_language_in_quotes_lists_crlf():
    r = rule("default-language-for-code-fences", **{"default-language": "sh"})
    text = "> ```\r\n> ls\r\n> ```\r\n\r\n- ```\r\n  pwd\r\n  ```\r\n"
    assert assert_idempotent(r, text) == "> ```sh\r\n> ls\r\n> ```\r\n\r\n- ```sh\r\n  pwd\r\n  ```\r\n"


def test_default_language_leaves_comments_code_and_indented_code():
    r = rule("default-language-for-code-fences", **{"default-language": "sh"})
    text = "%%\n```\nx\n```\n%%\n\n<!--\n```\ny\n```\n-->\n\n    ```\n    z\n\n````\n```\n````\n"
    assert fixed(r, text) == text.replace("\n````\n```", "\n````sh\n```")


# ---------------------------------------------------------------- no-bare-urls


def test_no_bare_urls_fix_output():
    r = rule("no-bare-urls")
    text = "See https://example.com/a?b=c, or (https://en.wikipedia.org/wiki/A_(b)), https://x.org/y_!\n"
    out = assert_idempotent(r, text)
    # trailing punctuation is not part of the URL (as in GFM's autolinks)
    assert out == "See <https://example.com/a?b=c>, or (<https://en.wikipedia.org/wiki/A_(b)>), <https://x.org/y>_!\n"


def test_no_bare_urls_position_after_cjk():
    r = rule("no-bare-urls")
    text = "# 链接\n\n参见 https://例子.com 和 https://example.org\n"
    (f,) = findings(r, text)
    assert (f.line, f.column, f.end_column) == (3, 21, 40)
    at = text.index("https://example.org")
    assert f.fix.edits == (Edit(at, at + 19, "<https://example.org>"),)


def test_no_bare_urls_leaves_links_and_html_alone():
    r = rule("no-bare-urls")
    text = ('[x](https://a.com) ![i](https://b.com/i.png) [[https://c.com]] <https://d.com> '
            '<a href="https://e.com">https://f.com</a> <img src="https://g.com/x.png"> www.h.com '
            "'https://i.com' [https://j.com] #tag\n\n[ref]: https://k.com\n")
    assert fixed(r, text) == text


def test_no_bare_urls_never_touches_protected_regions():
    assert fixed(rule("no-bare-urls", **{"no-bare-uris": True}), PROTECTED) == PROTECTED


def test_no_bare_urls_keeps_emphasis_around_it():
    r = rule("no-bare-urls")
    text = "**https://a.com/x** and *https://b.com* and _https://c.com/x_y_\n"
    # the closing delimiters stay outside the brackets, so the emphasis holds
    assert fixed(r, text) == "**<https://a.com/x>** and *<https://b.com>* and _<https://c.com/x_y>_\n"
    # and a wrap that would change what is around it is not offered
    assert findings(r, "**a https://a.com/x**b** c\n") == []


def test_no_bare_urls_chevrons_and_uris():
    r = rule("no-bare-urls")
    assert fixed(r, "<<https://a.com>>\r\n> <https://b.com>>\r\n") == "<https://a.com>\r\n> <https://b.com>\r\n"
    assert findings(r, "obsidian://open?vault=x\n") == []
    r = rule("no-bare-urls", **{"no-bare-uris": True})
    assert fixed(r, "obsidian://open?vault=x and https://a.com\n") == "<obsidian://open?vault=x> and <https://a.com>\n"


def test_no_bare_urls_in_callouts_and_lists():
    r = rule("no-bare-urls")
    text = "> [!info]\n> - see https://a.com\n>   - and https://b.com\n"
    assert assert_idempotent(r, text) == "> [!info]\n> - see <https://a.com>\n>   - and <https://b.com>\n"


# ---------------------------------------------------------------- the shared helpers


def test_keep_safe_takes_groups_while_the_rendering_holds():
    note = Note.from_text("a*b*c *d*\n")
    groups = [[Edit(1, 2, "_"), Edit(3, 4, "_")], [Edit(6, 7, "_"), Edit(8, 9, "_")]]
    assert fmt_inline.keep_safe(note, groups) == [False, True]


def test_nodes_are_offsets_into_the_note_text():
    note = Note.from_text("---\nt: 1\n---\n中文 *强* x\n")
    (em,) = [n for n in fmt_inline.nodes(note) if n.kind == "Emphasis"]
    assert note.text[em.start:em.end] == "*强*"
