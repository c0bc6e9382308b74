"""The heading formatting rules: header-increment, file-name-heading, capitalize-headings,
remove-trailing-punctuation-in-heading."""

from __future__ import annotations

import pytest

from notelint import edits
from notelint.note import Note
from notelint.rules.capitalize_headings import CapitalizeHeadings
from notelint.rules.file_name_heading import FileNameHeading
from notelint.rules.header_increment import HeaderIncrement, new_levels
from notelint.rules.remove_trailing_punctuation_in_heading import RemoveTrailingPunctuationInHeading
from helpers import fixed


def findings(rule, text: str, rel: str = "note.md") -> list:
    return list(rule.check(Note.from_text(text, rel)))



def settled(rule, text: str, rel: str = "note.md") -> str:
    """The fixed text, checked to be a fixed point (a second fix changes nothing)."""
    once = fixed(rule, text, rel)
    assert fixed(rule, once, rel) == once
    assert not [f for f in findings(rule, once, rel) if f.fix is not None]
    return once


FENCE = "```\n# a heading in code.\n```\n"
PROTECTED = [
    "```\n### in a fence.\n```\n",
    "Text `# not a heading.` here\n",
    "<!--\n### in an html comment.\n-->\n",
    "%%\n### in an obsidian comment.\n%%\n",
    "$$\n### in math.\n$$\n",
]


# ---------------------------------------------------------------- header-increment

def test_header_increment_closes_up_skipped_levels():
    rule = HeaderIncrement()
    assert settled(rule, "# A\n### B\n#### C\n") == "# A\n## B\n### C\n"


def test_header_increment_reports_each_heading_at_its_hashes():
    found = findings(HeaderIncrement(), "# A\n\n中文段落\n\n### B\n")
    assert [(f.line, f.column, f.end_line, f.end_column) for f in found] == [(5, 1, 5, 4)]
    assert found[0].message.startswith("H3 heading should be an H2")
    assert found[0].fix is not None and not found[0].fix.safe


def test_header_increment_start_at_h2():
    rule = HeaderIncrement({"start-at-h2": True})
    assert settled(rule, "# A\n## B\n") == "## A\n### B\n"


def test_header_increment_levels_algorithm_is_idempotent():
    for levels in ([1, 3, 6, 5, 2, 6], [2, 2, 4, 1, 6], [6, 1, 3]):
        for h2 in (False, True):
            once = new_levels(levels, h2)
            assert new_levels(once, h2) == once


@pytest.mark.parametrize("block", PROTECTED)
def test_header_increment_ignores_protected_headings(block):
    text = "# A\n\n" + block + "\n## B\n"
    assert findings(HeaderIncrement(), text) == []


def test_header_increment_leaves_quoted_headings_and_frontmatter_alone():
    text = "---\ntitle: x\n# not: a heading\n---\n# A\n\n> ### quoted\n\n## B\n"
    assert findings(HeaderIncrement(), text) == []


def test_header_increment_sees_headings_holding_code_and_math():
    assert settled(HeaderIncrement(), "# `a`\n### $b$ c\n") == "# `a`\n## $b$ c\n"


def test_header_increment_keeps_crlf():
    assert settled(HeaderIncrement(), "# A\r\n### B\r\n") == "# A\r\n## B\r\n"


# ---------------------------------------------------------------- file-name-heading

def test_file_name_heading_inserts_the_stem_as_h1():
    assert settled(FileNameHeading(), "Text\n", "My Note.md") == "# My Note\nText\n"


def test_file_name_heading_uses_the_whole_dendron_stem_and_escapes_markdown():
    assert settled(FileNameHeading(), "Text\n", "proj.a_b.c.md") == "# proj.a\\_b.c\nText\n"


def test_file_name_heading_goes_after_the_frontmatter_untouched():
    text = "---\ntitle: x  # comment\n---\nText\n"
    out = settled(FileNameHeading(), text, "n.md")
    assert out == "---\ntitle: x  # comment\n---\n# n\nText\n"


def test_file_name_heading_finding_position():
    found = findings(FileNameHeading(), "---\na: 1\n---\nText\n", "n.md")
    assert [(f.line, f.column) for f in found] == [(4, 1)]


def test_file_name_heading_fence_at_end_of_file():
    assert settled(FileNameHeading(), "---\na: 1\n---", "n.md") == "---\na: 1\n---\n# n\n"


@pytest.mark.parametrize("text", ["# Title\nText\n", "Title\n=====\n\nText\n", "Intro\n\n  # Indented title\n",
                                  "# Title with `code` and $x$\n"])
def test_file_name_heading_is_satisfied_by_any_top_level_h1(text):
    assert findings(FileNameHeading(), text) == []


@pytest.mark.parametrize("text", [FENCE, "> # quoted\n", "%%\n# commented\n%%\n", "## Only an H2\n",
                                  "<!--\n# comment\n-->\n"])
def test_file_name_heading_does_not_count_headings_it_cannot_see(text):
    assert len(findings(FileNameHeading(), text)) == 1


def test_file_name_heading_keeps_crlf():
    assert settled(FileNameHeading(), "---\r\na: 1\r\n---\r\nText\r\n", "n.md") == "---\r\na: 1\r\n---\r\n# n\r\nText\r\n"


# ---------------------------------------------------------------- capitalize-headings

def test_capitalize_title_case():
    rule = CapitalizeHeadings({"ignore-cased-words": False})
    assert settled(rule, "# the war of the WORLDS\n") == "# The War of the Worlds\n"


def test_capitalize_keeps_cased_and_ignored_words():
    rule = CapitalizeHeadings()
    assert settled(rule, "# using iPhone and NASA in javascript\n") == "# Using iPhone and NASA in Javascript\n"


def test_capitalize_word_lists_are_read_as_the_plugin_stores_them():
    rule = CapitalizeHeadings({"ignore-cased-words": False, "ignore-words": "macOS,  iOS",
                               "lowercase-words": "a, according to"})
    assert settled(rule, "# a MACOS macOS note according to iOS\n") == "# A Macos macOS Note according to iOS\n"


def test_capitalize_first_letter_and_all_caps():
    assert settled(CapitalizeHeadings({"style": "First letter"}), "## a tale\n") == "## A tale\n"
    assert settled(CapitalizeHeadings({"style": "ALL CAPS"}), "## a tale &amp; more\n") == "## A TALE &amp; MORE\n"


def test_capitalize_never_touches_links_code_tags_and_math():
    text = "# see [[my note|the link]] and [a link](http://x.y/Path) with `code` #tag $x$ [^note]\n"
    out = settled(CapitalizeHeadings({"style": "ALL CAPS"}), text)
    assert out == "# SEE [[my note|the link]] AND [a link](http://x.y/Path) WITH `code` #tag $x$ [^note]\n"
    out = settled(CapitalizeHeadings({"ignore-cased-words": False}), text)
    assert out == "# See [[my note|the link]] and [a link](http://x.y/Path) with `code` #tag $x$ [^note]\n"


def test_capitalize_keeps_spacing_and_closing_hashes():
    assert settled(CapitalizeHeadings(), "#   two  spaces ##\n") == "#   Two  Spaces ##\n"


def test_capitalize_finding_position_after_cjk():
    found = findings(CapitalizeHeadings(), "# 中文 heading\n")
    assert [(f.line, f.column) for f in found] == [(1, 6)]
    assert found[0].fix is not None and not found[0].fix.safe


def test_capitalize_in_blockquote_and_list():
    assert settled(CapitalizeHeadings(), "> ## quoted heading\n\n- ### listed one\n") == \
        "> ## Quoted Heading\n\n- ### Listed One\n"


@pytest.mark.parametrize("block", PROTECTED + ["---\ntitle: # lower heading\n---\n"])
def test_capitalize_ignores_protected_text(block):
    assert findings(CapitalizeHeadings({"style": "ALL CAPS"}), block) == []


def test_capitalize_keeps_crlf():
    assert settled(CapitalizeHeadings(), "# a b\r\n## c d\r\n") == "# A B\r\n## C D\r\n"


# ---------------------------------------------------------------- remove-trailing-punctuation-in-heading

def test_trailing_punctuation_removed():
    rule = RemoveTrailingPunctuationInHeading()
    assert settled(rule, "# Title.\n## Other! ##\n### Wait...\n") == "# Title\n## Other ##\n### Wait\n"


def test_trailing_punctuation_full_width_and_position_after_cjk():
    found = findings(RemoveTrailingPunctuationInHeading(), "# 中文标题。\n")
    assert [(f.line, f.column, f.end_column) for f in found] == [(1, 7, 8)]
    assert settled(RemoveTrailingPunctuationInHeading(), "# 中文标题。\n") == "# 中文标题\n"


@pytest.mark.parametrize("text", ["# Tom &amp;\n", "# Escaped\\.\n", "# Code `x;`\n", "# Math $x.$\n",
                                  "# Title %%c.%%\n", "# a #.\n"])
def test_trailing_punctuation_left_where_it_is_content(text):
    assert [f for f in findings(RemoveTrailingPunctuationInHeading(), text) if f.fix] == []


@pytest.mark.parametrize("block", PROTECTED)
def test_trailing_punctuation_ignores_protected(block):
    assert findings(RemoveTrailingPunctuationInHeading(), block) == []


def test_trailing_punctuation_in_callout_and_crlf():
    rule = RemoveTrailingPunctuationInHeading({"punctuation": ":"})
    assert settled(rule, "> [!note]\r\n> ## Note:\r\n") == "> [!note]\r\n> ## Note\r\n"
