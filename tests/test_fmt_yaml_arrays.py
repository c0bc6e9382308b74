"""The YAML array and tag formatting rules (group D2): format-tags-in-yaml, format-yaml-array,
dedupe-yaml-array-values, sort-yaml-array-values, move-tags-to-yaml, and their support module."""

import yaml

from notelint import edits
from notelint import fmt_yaml_arrays as arr
from notelint.note import Note
from notelint.rules.dedupe_yaml_array_values import DedupeYamlArrayValues
from notelint.rules.format_tags_in_yaml import FormatTagsInYaml
from notelint.rules.format_yaml_array import FormatYamlArray
from notelint.rules.move_tags_to_yaml import MoveTagsToYaml
from notelint.rules.sort_yaml_array_values import SortYamlArrayValues
from helpers import fixed


def findings(rule, text):
    return list(rule.check(Note.from_text(text)))



def settled(rule, text):
    """The fixed text, checked to be stable: fixing it again changes nothing, nothing is reported."""
    out = fixed(rule, text)
    assert fixed(rule, out) == out
    assert not [f for f in findings(rule, out) if f.fix is not None]
    return out


def fm_data(text):
    return yaml.safe_load(text.split("---", 2)[1])


# --------------------------------------------------------------------------- support module


def test_read_gives_items_with_offsets():
    text = "---\ntitle: x\nlist: [a, 'b c', 3]\n---\n"
    value = arr.read(Note.from_text(text), "list")
    assert value.form == "flow" and value.fixable
    assert [i.raw for i in value.items] == ["a", "'b c'", "3"]
    assert [i.data for i in value.items] == ["a", "b c", 3]
    assert [text[i.start:i.end] for i in value.items] == ["a", "'b c'", "3"]
    assert text[value.start:value.end] == " [a, 'b c', 3]"


def test_read_block_list_keeps_its_indent_and_refuses_comments():
    value = arr.read(Note.from_text("---\nk:\n- a\n- b\n---\n"), "k")
    assert value.form == "block" and value.indent == "" and value.fixable
    assert not arr.read(Note.from_text("---\nk:\n  - a # why\n  - b\n---\n"), "k").fixable
    assert not arr.read(Note.from_text("---\nk: # mine\n  - a\n---\n"), "k").fixable
    assert arr.read(Note.from_text("---\nk:\n  - x: 1\n---\n"), "k") is None  # list of mappings


def test_split_string_keeps_quoted_delimiters():
    assert arr.split_string('a, "b, c", d', ",") == ["a", '"b, c"', "d"]
    assert arr.split_string("a b  c", " ") == ["a", "b", "", "c"]  # as the plugin's; string_items drops ""
    value = arr.read(Note.from_text("---\ntags: a b  c\n---\n"), "tags")
    assert [i.raw for i in arr.string_items(value, "tags")] == ["a", "b", "c"]


def test_plugin_sort_is_case_insensitive_then_lower_first():
    values = ["computer", "research", "androids", "Computer"]
    assert [values[i] for i in arr.plugin_sort(values)] == ["androids", "computer", "Computer", "research"]
    assert [values[i] for i in arr.plugin_sort(values, True)] == ["research", "Computer", "computer", "androids"]
    assert [v for v in (["b", "_c", "1", "é", "e"][i] for i in arr.plugin_sort(["b", "_c", "1", "é", "e"]))] == [
        "_c", "1", "b", "e", "é"]


# --------------------------------------------------------------------------- format-tags-in-yaml


def test_format_tags_removes_hashes_from_a_string_value():
    rule = FormatTagsInYaml()
    text = "---\ntags: #one #two #nested/four\ntitle: x\n---\nbody #tag\n"
    assert settled(rule, text) == "---\ntags: one two nested/four\ntitle: x\n---\nbody #tag\n"


def test_format_tags_in_a_block_list_crlf():
    rule = FormatTagsInYaml()
    text = "---\r\ntags:\r\n  - #a\r\n  - ##b\r\nother: '#keep'\r\n---\r\n#body\r\n"
    assert settled(rule, text) == "---\r\ntags:\r\n  - a\r\n  - b\r\nother: '#keep'\r\n---\r\n#body\r\n"


def test_format_tags_position_after_cjk():
    (f,) = findings(FormatTagsInYaml(), "---\ntitle: 中文\ntag: 中文 #x\n---\n")
    assert (f.line, f.column) == (3, 9)


def test_format_tags_keeps_a_real_comment_and_other_keys():
    rule = FormatTagsInYaml()
    text = "---\ntags: a # a comment\nnote: '#x'\n---\n"
    assert findings(rule, text) == []
    assert fixed(rule, text) == text


def test_format_tags_in_broken_flow_list_is_reported_not_fixed_by_the_engine():
    (f,) = findings(FormatTagsInYaml(), "---\ntags: [#one #two]\n---\n")
    assert f.fix is not None  # the rule offers it; `fix` leaves notes with unparsable frontmatter alone
    assert (f.line, f.column) == (2, 8)


# --------------------------------------------------------------------------- format-yaml-array


def test_format_yaml_array_plugin_example():
    rule = FormatYamlArray({"alias-array-style": "multi-line", "force-single-line-array-style": ["test"]})
    text = "---\ntags:\n  - computer\n  - research\naliases: Title 1, Title2\ntest: this is a value\n---\n\n# Notes\n"
    assert settled(rule, text) == (
        "---\ntags: [computer, research]\naliases:\n  - Title 1\n  - Title2\ntest: [this is a value]\n---\n\n# Notes\n")


def test_format_yaml_array_crlf_and_position():
    rule = FormatYamlArray({"default-array-style": "multi-line"})
    text = "---\r\ntitle: 中文\r\nlist: [a, 'b', \"x: y\"]\r\n---\r\nbody [a, b]\r\n"
    (f,) = findings(rule, text)
    assert (f.line, f.column) == (3, 8)
    assert settled(rule, text) == "---\r\ntitle: 中文\r\nlist:\r\n  - a\r\n  - 'b'\r\n  - \"x: y\"\r\n---\r\nbody [a, b]\r\n"


def test_format_yaml_array_quotes_an_item_that_needs_it():
    rule = FormatYamlArray()
    text = "---\nlist:\n  - a, b\n  - c\n---\n"
    out = settled(rule, text)
    assert out == '---\nlist: ["a, b", c]\n---\n'
    assert fm_data(out) == fm_data(text)
    assert settled(FormatYamlArray({"escape-character": "'"}), text) == "---\nlist: ['a, b', c]\n---\n"


def test_format_yaml_array_tag_styles():
    text = "---\ntags: [computer, science]\n---\n"
    assert settled(FormatYamlArray({"tag-array-style": "single string space delimited"}), text) == \
        "---\ntags: computer science\n---\n"
    assert settled(FormatYamlArray({"tag-array-style": "single string comma delimited"}), text) == \
        "---\ntags: computer, science\n---\n"


def test_format_yaml_array_never_changes_what_obsidian_reads():
    # `[computer science]` is one tag: the space-delimited single-line style would merge them
    text = "---\ntags: [computer, science]\n---\n"
    assert fixed(FormatYamlArray({"tag-array-style": "single-line space delimited"}), text) == text
    # a tag with a space cannot be written space-delimited
    text = "---\ntags:\n  - thought provoking\n  - x\n---\n"
    assert fixed(FormatYamlArray({"tag-array-style": "single string space delimited"}), text) == text
    # Obsidian reads `a b, c` as three tags; `[a b, c]` would be two
    text = "---\ntags: a b, c\n---\n"
    assert fixed(FormatYamlArray(), text) == text


def test_format_yaml_array_leaves_comments_nested_and_plain_values():
    rule = FormatYamlArray()
    for text in ("---\nlist:\n  - a # first\n  - b\n---\n",
                 "---\ngists:\n  - id: x\n    url: y\n---\n",
                 "---\nnested:\n  - [a]\n---\n",
                 "---\ntitle: plain value\nref: &x [a]\nother: *x\n---\n",
                 "---\nlist: [a, b]\n---\n"):
        assert findings(rule, text) == [], text


def test_format_yaml_array_keeps_a_trailing_comment():
    assert settled(FormatYamlArray(), "---\nlist: [a,b]   # why\n---\n") == "---\nlist: [a, b]   # why\n---\n"


def test_format_yaml_array_does_not_touch_the_body():
    text = "---\nlist: [a, b]\n---\n```\nlist:\n  - a\n```\n- a\n- b\n"
    assert findings(FormatYamlArray(), text) == []


# --------------------------------------------------------------------------- dedupe-yaml-array-values


def test_dedupe_is_case_sensitive_and_keeps_the_first():
    rule = DedupeYamlArrayValues()
    text = "---\ntags: [computer, research, computer, Computer]\n---\n"
    (f,) = findings(rule, text)
    assert (f.line, f.column) == (2, 28)
    assert settled(rule, text) == "---\ntags: [computer, research, Computer]\n---\n"


def test_dedupe_keeps_a_block_list_block_with_its_indent_crlf():
    rule = DedupeYamlArrayValues()
    text = "---\r\narr:\r\n- 中文\r\n- 中文\r\n- b\r\n---\r\n"
    (f,) = findings(rule, text)
    assert (f.line, f.column) == (4, 3)
    assert settled(rule, text) == "---\r\narr:\r\n- 中文\r\n- b\r\n---\r\n"


def test_dedupe_compares_values_not_quotes_and_respects_ignore_keys():
    assert settled(DedupeYamlArrayValues(), "---\nlist: [a, \"a\", 'a', b]\n---\n") == "---\nlist: [a, b]\n---\n"
    text = "---\narr2: [a, a]\n---\n"
    assert findings(DedupeYamlArrayValues({"ignore-keys": ["arr2"]}), text) == []
    assert findings(DedupeYamlArrayValues({"dedupe-array-keys": False}), text) == []


def test_dedupe_tags_in_the_configured_style():
    rule = DedupeYamlArrayValues({"tag-array-style": "multi-line"})
    assert settled(rule, "---\ntags: [a, b, a]\n---\n") == "---\ntags:\n  - a\n  - b\n---\n"


def test_dedupe_leaves_strings_comments_and_body():
    rule = DedupeYamlArrayValues()
    for text in ("---\ntags: a a\n---\n", "---\nlist:\n  - a # one\n  - a\n---\n",
                 "---\nx: 1\n---\n- a\n- a\n"):
        assert fixed(rule, text) == text


# --------------------------------------------------------------------------- sort-yaml-array-values


def test_sort_ascending_and_descending():
    text = "---\ntags: [computer, research, androids, Computer]\naliases:\n  - Title 1\n  - Title 2\n---\n"
    assert settled(SortYamlArrayValues({"alias-array-style": "multi-line"}), text) == \
        "---\ntags: [androids, computer, Computer, research]\naliases:\n  - Title 1\n  - Title 2\n---\n"
    assert settled(SortYamlArrayValues({"alias-array-style": "multi-line", "sort-order": "Descending Alphabetical"}),
                   text) == "---\ntags: [research, Computer, computer, androids]\naliases:\n  - Title 2\n  - Title 1\n---\n"


def test_sort_position_crlf_and_ignore_keys():
    rule = SortYamlArrayValues({"ignore-keys": ["arr2"]})
    text = "---\r\ntitle: 中文\r\narr1: [中文, b, a]\r\narr2: [b, a]\r\n---\r\n"
    (f,) = findings(rule, text)
    assert (f.line, f.column) == (3, 8)
    assert settled(rule, text) == "---\r\ntitle: 中文\r\narr1: [a, b, 中文]\r\narr2: [b, a]\r\n---\r\n"


def test_sort_leaves_sorted_lists_comments_and_body():
    rule = SortYamlArrayValues()
    for text in ("---\nlist: [a, b]\n---\n", "---\nlist:\n  - b # keep\n  - a\n---\n",
                 "---\nx: 1\n---\n- b\n- a\n", "---\ntags: b a\n---\n"):
        assert fixed(rule, text) == text


# --------------------------------------------------------------------------- move-tags-to-yaml


def test_move_tags_creates_the_frontmatter_and_skips_code_math_comments():
    rule = MoveTagsToYaml({"tags-to-ignore": ["ignored-tag"]})
    body = ("Text with #test and #markdown\n\n```\n#code\n```\n`#inline` $#math$ <!-- #html -->\n%% #obs %%\n"
            "#ignored-tag here\n")
    assert settled(rule, body) == "---\ntags: [test, markdown]\n---\n" + body


def test_move_tags_appends_to_existing_tags_and_position_after_cjk():
    rule = MoveTagsToYaml()
    text = "---\r\ntags: [test]\r\n---\r\n中文 #test #新\r\n"
    (f,) = findings(rule, text)
    assert (f.line, f.column) == (4, 10)
    assert settled(rule, text) == "---\r\ntags: [test, 新]\r\n---\r\n中文 #test #新\r\n"


def test_move_tags_uses_the_tag_key_and_a_new_key_line():
    assert settled(MoveTagsToYaml(), "---\ntag: a\n---\nsee #x\n") == "---\ntag: [a, x]\n---\nsee #x\n"
    assert settled(MoveTagsToYaml({"tag-array-style": "multi-line"}), "---\ntitle: t\n---\nsee #x #y\n") == \
        "---\ntitle: t\ntags:\n  - x\n  - y\n---\nsee #x #y\n"
    assert settled(MoveTagsToYaml(), "---\ntags:\n---\nsee #x\n") == "---\ntags: [x]\n---\nsee #x\n"


def test_move_tags_remove_hashtag_in_blockquote_and_callout():
    rule = MoveTagsToYaml({"how-to-handle-existing-tags": "Remove hashtag"})
    text = "> [!note] #q\n> text #r\n\n- item #s\n  - nested #s\n"
    assert settled(rule, text) == "---\ntags: [q, r, s]\n---\n> [!note] q\n> text r\n\n- item s\n  - nested s\n"


def test_move_tags_remove_whole_tag_never_joins_lines():
    rule = MoveTagsToYaml({"how-to-handle-existing-tags": "Remove whole tag"})
    assert settled(rule, "Para #a text\n#b\nmore #c\n") == "---\ntags: [a, b, c]\n---\nPara text\nmore\n"
    assert settled(rule, "#a rest\n") == "---\ntags: [a]\n---\nrest\n"


def test_move_tags_body_edits_wait_for_the_tag_to_be_listed():
    # the tag is not yet in the frontmatter: only the frontmatter is edited in this pass
    rule = MoveTagsToYaml({"how-to-handle-existing-tags": "Remove whole tag"})
    found = findings(rule, "see #x\n")
    assert len(found) == 1 and all(e.start == 0 for e in found[0].fix.edits)


def test_move_tags_is_an_unsafe_fix_and_leaves_linter_disable_ranges():
    assert MoveTagsToYaml.fix == "unsafe"
    rule = MoveTagsToYaml()
    text = "<!-- linter-disable -->\n#hidden\n<!-- linter-enable -->\n"
    assert findings(rule, text) == []


def test_sort_descending_with_equal_values_settles():
    rule = SortYamlArrayValues({"sort-order": "Descending Alphabetical"})
    assert settled(rule, "---\nl: [a, b, 'a']\n---\n") == "---\nl: [b, 'a', a]\n---\n"
    assert findings(rule, "---\nl: [b, 'a', a]\n---\n") == []
