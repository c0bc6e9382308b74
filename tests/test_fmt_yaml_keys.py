"""The YAML-key formatting rules: yaml-key-sort, yaml-title, yaml-title-alias, remove-yaml-keys,
escape-yaml-special-characters and force-yaml-escape (support: notelint/fmt_yaml_keys.py)."""

from __future__ import annotations

import yaml

from notelint import edits
from notelint.fmt_yaml_keys import escape, first_h1, key_blocks
from notelint.note import Note
from notelint.rules.escape_yaml_special_characters import EscapeYamlSpecialCharacters
from notelint.rules.force_yaml_escape import ForceYamlEscape
from notelint.rules.remove_yaml_keys import RemoveYamlKeys
from notelint.rules.yaml_key_sort import YamlKeySort
from notelint.rules.yaml_title import YamlTitle
from notelint.rules.yaml_title_alias import YamlTitleAlias
from helpers import fixed


def findings(rule, text: str, rel: str = "note.md") -> list:
    return list(rule.check(Note.from_text(text, rel=rel)))



def settled(rule, text: str, rel: str = "note.md") -> str:
    """`fixed`, checked to be idempotent and to leave a frontmatter that parses."""
    out = fixed(rule, text, rel)
    assert fixed(rule, out, rel) == out
    assert findings(rule, out, rel) == [] or all(f.fix is None for f in findings(rule, out, rel))
    note = Note.from_text(out, rel=rel)
    assert note.frontmatter.error is None
    return out


# ------------------------------------------------------------------ support
def test_key_blocks_attach_comments_and_blank_lines_to_the_key_below():
    text = "---\na: 1\n\n# about b\nb:\n  x: 1\n  # inner\n# about c\nc: [1]\n# trailer\n---\n"
    blocks = key_blocks(Note.from_text(text))
    assert [(b.key, text[b.start : b.end]) for b in blocks] == [
        ("a", "a: 1\n"),
        ("b", "\n# about b\nb:\n  x: 1\n  # inner\n"),
        ("c", "# about c\nc: [1]\n"),
    ]


def test_escape_follows_the_plugin():
    assert escape("plain") == "plain"
    assert escape("it's") == '"it\'s"'
    assert escape('say "hi"') == "'say \"hi\"'"
    assert escape("a: b", "'") == "'a: b'"
    assert escape("") == '""'
    assert escape("2024") == '"2024"'
    assert escape("C:\\x's") != '"C:\\x\'s"'  # that would not read back
    assert yaml.safe_load("k: " + escape("C:\\x's")) == {"k": "C:\\x's"}


def test_first_h1_skips_code_math_comments_and_quotes():
    text = ("```\n# code\n```\n$$\n# math\n$$\n%%\n# comment\n%%\n<!--\n# html\n-->\n\n"
            "> # quoted\n\n## Two\n# A [link](x.md), [[T|alias]] and \\*stars\\*\n")
    assert first_h1(Note.from_text(text)) == "A link, alias and *stars*"


# ------------------------------------------------------------------ remove-yaml-keys
REMOVE = RemoveYamlKeys({"yaml-keys-to-remove": ["status:", "date"]})


def test_remove_yaml_keys_deletes_the_key_and_its_value_lines_only():
    text = "---\na: 1 # kept\n# about status\nstatus: |\n  multi\n  line\nmeta:\n  status: nested\ndate:\n  - 1\n---\nstatus: body\n"
    assert settled(REMOVE, text) == "---\na: 1 # kept\n# about status\nmeta:\n  status: nested\n---\nstatus: body\n"


def test_remove_yaml_keys_position_and_unsafe_fix():
    (f,) = findings(REMOVE, "---\ntitle: 漢字\nstatus: WIP\n---\n")
    assert (f.line, f.column, f.end_column) == (3, 1, 7)
    assert f.fix is not None and not f.fix.safe


def test_remove_yaml_keys_keeps_crlf():
    assert settled(REMOVE, "---\r\nstatus: 1\r\nx: 2\r\n---\r\nText\r\n") == "---\r\nx: 2\r\n---\r\nText\r\n"


def test_remove_yaml_keys_without_keys_or_frontmatter_does_nothing():
    assert findings(RemoveYamlKeys(), "---\nstatus: 1\n---\n") == []
    assert findings(REMOVE, "status: 1\n\n```yaml\nstatus: 1\n```\n") == []


# ------------------------------------------------------------------ force-yaml-escape
FORCE = ForceYamlEscape({"force-yaml-escape-keys": ["a", "b", "c", "d", "e", "f", "g"]})


def test_force_yaml_escape_quotes_plain_values_only():
    text = "---\na: 12\nb: &x y\nc:\nd: [1]\ne: it's\nf: 'done'\ng: |\n  text\nz: plain\n---\n"
    assert settled(FORCE, text) == "---\na: \"12\"\nb: &x y\nc:\nd: [1]\ne: \"it's\"\nf: 'done'\ng: |\n  text\nz: plain\n---\n"


def test_force_yaml_escape_single_quote_character_and_position():
    rule = ForceYamlEscape({"force-yaml-escape-keys": ["title"], "escape-character": "'"})
    (f,) = findings(rule, "---\ntitle: 漢字 text # note\n---\n")
    assert (f.line, f.column, f.end_column) == (2, 8, 15)
    assert settled(rule, "---\r\ntitle: 漢字 text # note\r\n---\r\n") == "---\r\ntitle: '漢字 text' # note\r\n---\r\n"


def test_force_yaml_escape_never_touches_the_body():
    text = "---\nother: 1\n---\ntitle: x\n```\ntitle: y\n```\n"
    assert findings(ForceYamlEscape({"force-yaml-escape-keys": ["title"]}), text) == []


# ------------------------------------------------------------------ escape-yaml-special-characters
ESCAPE = EscapeYamlSpecialCharacters()


def test_escape_yaml_quotes_values_with_quotes_and_colons():
    text = ("---\nk: it's\n\"a: b\": c\nq: x # it's\nb: |\n  it's: here\nl:\n  - id: 1\n    name: O'Brien\n"
            "  - a: b\nm: {a: it's}\nn: C:\\path's\n# it's: comment\n---\n```\nk: it's\n```\n")
    assert settled(ESCAPE, text) == (
        "---\nk: \"it's\"\n\"a: b\": c\nq: x # it's\nb: |\n  it's: here\nl:\n  - id: 1\n    name: \"O'Brien\"\n"
        "  - \"a: b\"\nm: {a: it's}\nn: C:\\path's\n# it's: comment\n---\n```\nk: it's\n```\n")


def test_escape_yaml_position_after_cjk_and_crlf():
    (f,) = findings(ESCAPE, "---\r\n漢字: it's\r\n---\r\n")
    assert (f.line, f.column) == (2, 5)
    assert settled(ESCAPE, "---\r\n漢字: it's\r\n---\r\n") == "---\r\n漢字: \"it's\"\r\n---\r\n"


def test_escape_yaml_single_line_arrays_only_with_the_option():
    text = "---\nk: [it's, \"x\", a: b, 'q']\nj: []\n---\n"
    assert findings(ESCAPE, text) == []
    rule = EscapeYamlSpecialCharacters({"try-to-escape-single-line-arrays": True, "escape-character": "'"})
    assert settled(rule, text) == "---\nk: [\"it's\", \"x\", 'a: b', 'q']\nj: []\n---\n"


def test_escape_yaml_reports_a_broken_frontmatter_line():
    (f,) = findings(ESCAPE, "---\nkey: value: with colon\n---\n")
    assert (f.line, f.column) == (2, 6)
    assert f.fix.edits[0].replacement == '"value: with colon"'


# ------------------------------------------------------------------ yaml-title
def test_yaml_title_inserts_or_replaces_the_value():
    rule = YamlTitle()
    assert settled(rule, "---\ntags: [a] # c\n---\n# New one\n") == "---\ntags: [a] # c\ntitle: New one\n---\n# New one\n"
    assert settled(rule, "---\ntitle: old # keep\n---\n# New\n") == "---\ntitle: New # keep\n---\n# New\n"
    assert settled(rule, "---\ntitle:\n  - a\nx: 1\n---\n# New\n") == "---\ntitle: New\nx: 1\n---\n# New\n"
    assert settled(rule, "Text\n", rel="dir/My note.md") == "---\ntitle: My note\n---\nText\n"
    assert settled(rule, "# 2024\n") == '---\ntitle: "2024"\n---\n# 2024\n'


def test_yaml_title_position_crlf_and_modes():
    rule = YamlTitle({"mode": "filename", "title-key": "name"})
    (f,) = findings(rule, "---\nname: x\n---\n", rel="漢字.md")
    assert (f.line, f.column) == (2, 1)
    assert settled(rule, "---\r\nname: x\r\n---\r\n# H\r\n", rel="漢字.md") == "---\r\nname: 漢字\r\n---\r\n# H\r\n"
    first = YamlTitle({"mode": "first-h1"})
    assert settled(first, "```\n# code\n```\n> # quote\n") == '---\ntitle: ""\n---\n```\n# code\n```\n> # quote\n'


def test_yaml_title_leaves_flow_and_broken_frontmatter_alone():
    assert findings(YamlTitle(), "---\n{a: 1}\n---\n# X\n") == []
    assert findings(YamlTitle(), "---\na: [\n---\n# X\n") == []


# ------------------------------------------------------------------ yaml-title-alias
ALIAS = YamlTitleAlias()


def test_yaml_title_alias_adds_and_updates():
    assert settled(ALIAS, "# Obsidian\n") == (
        "---\naliases:\n  - Obsidian\nlinter-yaml-title-alias: Obsidian\n---\n# Obsidian\n")
    before = "---\n# c\naliases:\n    - Old  # x\n    - 'Other'\nlinter-yaml-title-alias: Old\n---\n# New\n"
    assert settled(ALIAS, before) == (
        "---\n# c\naliases:\n    - New  # x\n    - 'Other'\nlinter-yaml-title-alias: New\n---\n# New\n")
    assert settled(ALIAS, "---\naliases: [Other]\n---\n# New\n") == (
        "---\naliases: [New, Other]\nlinter-yaml-title-alias: New\n---\n# New\n")
    assert settled(ALIAS, "---\naliases: Other\n---\n# New\n") == (
        "---\naliases:\n  - New\n  - Other\nlinter-yaml-title-alias: New\n---\n# New\n")


def test_yaml_title_alias_prepends_into_a_block_list():
    assert settled(ALIAS, "---\naliases:\n  - Other\n---\n# New\n") == (
        "---\naliases:\n  - New\n  - Other\nlinter-yaml-title-alias: New\n---\n# New\n")


def test_yaml_title_alias_drops_the_file_name():
    text = "---\naliases:\n  - note\n  - Other\nlinter-yaml-title-alias: note\n---\nText\n"
    assert settled(ALIAS, text) == "---\naliases:\n  - Other\n---\nText\n"


def test_yaml_title_alias_crlf_cjk_and_position():
    (f,) = findings(ALIAS, "---\r\ntags: a\r\n---\r\n# 新しい\r\n")
    assert (f.line, f.column) == (3, 1)
    assert settled(ALIAS, "---\r\ntags: a\r\n---\r\n# 新しい\r\n") == (
        "---\r\ntags: a\r\naliases:\r\n  - 新しい\r\nlinter-yaml-title-alias: 新しい\r\n---\r\n# 新しい\r\n")


def test_yaml_title_alias_leaves_non_text_aliases_alone():
    assert findings(ALIAS, "---\naliases:\n  - [a, b]\n---\n# New\n") == []
    assert findings(ALIAS, "---\naliases: {a: 1}\n---\n# New\n") == []


# ------------------------------------------------------------------ yaml-key-sort
def test_yaml_key_sort_moves_whole_blocks_and_never_nested_keys():
    rule = YamlKeySort({"yaml-key-priority-sort-order": ["title", "date:"],
                        "yaml-sort-order-for-other-keys": "Ascending Alphabetical"})
    text = ("---\n# top\nzeta: 1\nmeta:\n  title: nested\n  date: x\n  # inner\n# about date\ndate: 2020-01-01\n"
            "\ntitle: T\n# trailer\n---\nbody\n")
    assert settled(rule, text) == (
        "---\n\ntitle: T\n# about date\ndate: 2020-01-01\nmeta:\n  title: nested\n  date: x\n  # inner\n"
        "# top\nzeta: 1\n# trailer\n---\nbody\n")


def test_yaml_key_sort_position_crlf_and_end_placement():
    rule = YamlKeySort({"yaml-key-priority-sort-order": ["id"], "priority-keys-at-start-of-yaml": False,
                        "yaml-sort-order-for-other-keys": "Descending Alphabetical"})
    (f,) = findings(rule, "---\r\nid: 1\r\na: 漢字\r\nb: 2\r\n---\r\n")
    assert (f.line, f.column) == (2, 1)
    assert settled(rule, "---\r\nid: 1\r\na: 漢字\r\nb: 2\r\n---\r\n") == "---\r\nb: 2\r\na: 漢字\r\nid: 1\r\n---\r\n"


def test_yaml_key_sort_offers_no_fix_that_breaks_an_alias():
    rule = YamlKeySort({"yaml-sort-order-for-other-keys": "Ascending Alphabetical"})
    assert findings(rule, "---\nb: &x 1\na: *x\n---\n") == []
    assert findings(rule, "---\na: 1\nb: 2\n---\n") == []
