"""tag-syntax: what it reports (exact positions), what it leaves alone, and what its fixes write."""

import pytest

from notelint.engine import check_note, fix_note
from notelint.note import Note
from notelint.registry import lookup


class _Vault:
    class config:  # noqa: N801 - stands in for Vault.config
        @staticmethod
        def ignored_for(rel):
            return set()


def rule(flavor="obsidian", **settings):
    return lookup("tag-syntax")(settings, flavor)


def findings(text, flavor="obsidian", **settings):
    note = Note.from_text(text, "n.md", flavor=flavor)
    return sorted((f.line, f.column, f.message) for f in check_note(note, [rule(flavor, **settings)], _Vault))


def fixed(text, flavor="obsidian", unsafe=False, **settings):
    note = Note.from_text(text, "n.md", flavor=flavor)
    out = fix_note(note, [rule(flavor, **settings)], _Vault, unsafe)
    again = fix_note(note.derive(out.text), [rule(flavor, **settings)], _Vault, unsafe)
    assert again.text == out.text, "a second fix changed the text"
    return out.text


def test_sample_note_has_no_tag_syntax_finding():
    from helpers import REPO

    path = REPO / "examples" / "sample-vault" / "daily.journal.2023.11.29.md"
    note = Note.from_bytes(path, path.name, path.read_bytes(), "dendron")
    assert note.markdown.tags, "the sample note has tags"
    assert list(rule("dendron").check(note)) == []


@pytest.mark.parametrize("flavor", ["obsidian", "dendron"])
@pytest.mark.parametrize("after", [".", ",", ";", "!", "?", ")", "...", "'s", "’s", "[^1]", "**", "\"", ":", ""])
def test_sentence_punctuation_after_a_tag_is_not_flagged(flavor, after):
    assert findings(f"See #reading{after} next\n", flavor) == []


@pytest.mark.parametrize("written, column_end", [("#c++", "`+`"), ("#node.js", "`.`"), ("#R&D", "`&`"), ("#a#b", "`#`"),
                                                  ("#todo:call", "`:`"), ("#v1.2", "`.`")])
def test_obsidian_tag_cut_short_is_reported_at_the_tag(written, column_end):
    got = findings(f"- x\n  - nested {written} end\n")
    assert [(line, col) for line, col, _ in got] == [(2, 12)]
    assert f"{column_end} cannot be part of a tag" in got[0][2]


def test_an_escaped_pipe_after_a_tag_ends_it_without_a_finding():
    """In a table `\\|` is a literal `|` in the cell (Obsidian's tag ends there, as the writer meant)."""
    assert findings("| a | b |\n| - | - |\n| #tag\\|x | y |\n") == []
    assert findings("text #tag\\|x\n") == []


def test_dendron_keeps_characters_obsidian_drops_but_not_its_punctuation():
    assert findings("#c++ #R&D #a.b #GPT-4\n", "dendron") == []
    got = findings("> #todo:call #x@y #q(one)\n", "dendron")
    assert [(line, col) for line, col, _ in got] == [(1, 3), (1, 14), (1, 19)]
    assert "Dendron reads `#todo:call` as the tag `#todo`" in got[0][2]


@pytest.mark.parametrize("flavor", ["obsidian", "dendron"])
def test_full_width_punctuation_swallowed_into_a_tag_is_reported(flavor):
    got = findings("研究 #自动驾驶，然后 text #tag。\n", flavor)
    assert [(line, col) for line, col, _ in got] == [(1, 4), (1, 18)]
    assert "put a space after `#自动驾驶`" in got[0][2]


def test_tags_in_code_urls_and_comments_are_never_reported():
    text = "`#c++` https://x.org/#a.b <!-- #c++ --> %% #c++ %%\n\n```\n#c++\n```\n"
    assert findings(text) == []


@pytest.mark.parametrize("flavor", ["obsidian", "dendron"])
def test_hashes_in_frontmatter_are_yaml_comments_fixed_to_a_list(flavor):
    text = "---\ntitle: x\ntags: #project #idea\n---\nbody\n"
    got = findings(text, flavor)
    assert [(line, col) for line, col, _ in got] == [(3, 7), (3, 16)]
    assert "is a YAML comment, not a tag" in got[0][2]
    assert fixed(text, flavor) == "---\ntitle: x\ntags: [project, idea]\n---\nbody\n"


def test_hashes_in_block_list_items_lose_the_hash_and_crlf_bom_survive():
    text = "---\r\ntags:\r\n  - #inbox\r\n  - ok\r\n  - '#quoted'\r\n---\r\nbody\r\n"
    got = findings(text)
    assert [(line, col) for line, col, _ in got] == [(3, 5), (5, 6)]
    assert fixed(text) == "---\r\ntags:\r\n  - inbox\r\n  - ok\r\n  - 'quoted'\r\n---\r\nbody\r\n"


def test_hash_that_breaks_the_yaml_is_explained_and_the_note_left_alone():
    text = "---\ntags: [#alpha, #beta]\n---\nbody\n"
    got = findings(text)
    assert [(line, col) for line, col, _ in got] == [(2, 8), (2, 16)]
    assert "so the list never closes and the frontmatter cannot be read" in got[0][2]
    assert fixed(text) == text


def test_deprecated_key_is_renamed_and_its_string_kept():
    text = "---\ntag: reading, to-read\n---\n"
    got = findings(text)
    assert [(line, col) for line, col, _ in got] == [(2, 1)]
    assert "Obsidian 1.9 and later ignore it" in got[0][2]
    assert fixed(text) == "---\ntags: reading, to-read\n---\n"


@pytest.mark.parametrize("value", ["recipe, cooking", "workplace_filler meeting", "a,b  c ,d", "meeting", "'a, b'"])
def test_obsidian_reads_a_string_as_tags_split_at_commas_and_spaces(value):
    """Obsidian's help documents `tags: recipe, cooking`; its parseFrontMatterTags splits a string at
    commas and whitespace, so these are the tags the writer meant: nothing to report, nothing to fix."""
    text = f"---\ntags: {value}\n---\n"
    assert findings(text) == []
    assert fixed(text, unsafe=True) == text


def test_each_word_of_an_obsidian_string_is_checked_as_a_tag_and_never_joined():
    """The real-vault case: `vegetable. root` is two tags to Obsidian, `vegetable.` and `root`. The
    `.` is reported at its word; no fix, safe or unsafe, invents `vegetable.-root`."""
    text = "---\ntags: ingredient, vegetable. root, 2023\n---\n"
    got = findings(text)
    assert [(line, col) for line, col, _ in got] == [(2, 19), (2, 36)]
    assert "frontmatter tag `vegetable.` holds `.`" in got[0][2]
    assert "frontmatter tag `2023` is only digits" in got[1][2]
    assert fixed(text, unsafe=True) == text
    quoted = "---\ntags: \"ok #x\"\n---\n"
    assert [(line, col) for line, col, _ in findings(quoted)] == [(2, 11)]
    assert fixed(quoted) == "---\ntags: \"ok x\"\n---\n"


def test_dendron_comma_string_becomes_the_list_its_message_shows():
    text = "---\ntags: reading, to-read, [x]\n---\n"
    got = findings(text, "dendron")
    assert [(line, col) for line, col, _ in got] == [(2, 7)]
    assert got[0][2].endswith('Dendron reads a string as one tag, here one tag with a comma in it; '
                              'write `tags: [reading, to-read, "[x]"]`')
    assert fixed(text, "dendron") == "---\ntags: [reading, to-read, \"[x]\"]\n---\n"


def test_dendron_comma_string_fix_never_joins_words():
    """`vegetable. root` stays two words in one list item: the safe fix lists what was written, and
    joining them into `vegetable.-root` is only the unsafe fix of the item, named in its message."""
    text = "---\ntags: ingredient, vegetable. root\n---\n"
    listed = "---\ntags: [ingredient, vegetable. root]\n---\n"
    assert fixed(text, "dendron") == listed
    again = findings(listed, "dendron")
    assert [(line, col) for line, col, _ in again] == [(2, 20)]
    assert "write `vegetable.-root` if it is one tag, or make each word a list item if these are 2 tags" in again[0][2]
    assert fixed(text, "dendron", unsafe=True) == "---\ntags: [ingredient, vegetable.-root]\n---\n"


@pytest.mark.parametrize("flavor, value, written", [
    ("obsidian", "recipe, cooking", "[recipe, cooking]"),
    ("obsidian", "a b,c", "[a, b, c]"),
    ("obsidian", "'meeting'", "[meeting]"),
    ("obsidian", "ok: yes", None),  # YAML reads `ok: yes` as a mapping: not a string, not this finding
    ("dendron", "my.example", "[my.example]"),
])
def test_string_tags_list_option_reports_strings_and_lists_the_same_tags(flavor, value, written):
    text = f"---\ntags: {value}\n---\n"
    got = findings(text, flavor, **{"string-tags": "list"})
    if written is None:
        assert all("is a string" not in m for _, _, m in got)
        return
    assert [(line, col) for line, col, _ in got] == [(2, 7 if value[0] != "'" else 8)]
    assert got[0][2].endswith(f"this vault writes tags as a list (`string-tags = \"list\"`); write `tags: {written}`")
    assert fixed(text, flavor, **{"string-tags": "list"}) == f"---\ntags: {written}\n---\n"


def test_deprecated_key_beside_tags_is_reported_without_a_fix():
    text = "---\ntags: [a]\ntag: b\n---\n"
    assert [(line, col) for line, col, _ in findings(text)] == [(3, 1)]
    assert fixed(text) == text


def test_spaces_in_list_items_are_joined_only_by_the_unsafe_fix():
    """Joining words makes a tag name nobody wrote: a guess, so never applied by plain `fix`."""
    text = "---\ntags: [machine learning, 'deep  nets']\n---\n"
    got = findings(text)
    assert [(line, col) for line, col, _ in got] == [(2, 8), (2, 27)]
    note = Note.from_text(text, "n.md")
    assert [f.fix.safe for f in check_note(note, [rule()], _Vault)] == [False, False]
    assert fixed(text, **{"space-replacement": "_"}) == text
    assert fixed(text, unsafe=True, **{"space-replacement": "_"}) == "---\ntags: [machine_learning, 'deep_nets']\n---\n"


def test_ambiguous_problems_are_reported_but_not_fixed():
    text = "---\ntags:\n  - 2023\n  - c++\n  - [nested]\nother: x\n---\n"
    got = findings(text)
    assert [(line, col) for line, col, _ in got] == [(3, 5), (4, 5), (5, 5)]
    assert "only digits" in got[0][2] and "`+`" in got[1][2] and "is a list, not a tag" in got[2][2]
    assert fixed(text) == text
    string = "---\ntags: machine learning\n---\n"  # Dendron reads a string as one tag
    assert "`tags: [machine, learning]` if these are 2 tags" in findings(string, "dendron")[0][2]
    assert fixed(string, "dendron", unsafe=True) == string


def test_dendron_frontmatter_tag_starting_with_a_digit():
    got = findings("---\ntags: [3d-printing, my.example]\n---\n", "dendron")
    assert [(line, col) for line, col, _ in got] == [(2, 8)]
    assert "starts with `3`" in got[0][2]


@pytest.mark.parametrize("yaml_value", ["{a: 1}", "12.5", "", "''", "[a, null, ~]", "!!binary aGVsbG8=", "&x [a]",
                                        ">\n  folded #x\n  text", "\"a\\tb, c\"", "#", "[a, b] #c #d", "true"])
@pytest.mark.parametrize("flavor", ["obsidian", "dendron"])
def test_odd_frontmatter_never_raises_and_fixes_are_idempotent(yaml_value, flavor):
    text = f"---\ntags: {yaml_value}\n---\nbody #x\n"
    findings(text, flavor)
    fixed(text, flavor)


@pytest.mark.parametrize("flavor, value, expected", [
    ("obsidian", "a,  b c", [("a", "a", True), ("b", "b", True), ("c", "c", True)]),
    ("obsidian", "'x y'", [("x", "x", True), ("y", "y", True)]),
    ("obsidian", '"a\\tb"', [("a", '"a\\tb"', False), ("b", '"a\\tb"', False)]),  # escapes: the node's span
    ("dendron", "a b", [("a b", "a b", True)]),
    ("dendron", "a, b c", [("a", "a", True), ("b c", "b c", True)]),
])
def test_string_tags_are_the_tags_the_flavor_reads_each_at_its_characters(flavor, value, expected):
    """The tag index (`notelint tags`, tag-style) counts what the app reads: Obsidian's words."""
    from notelint import tags as tags_mod

    note = Note.from_text(f"---\ntags: {value}\n---\n", "n.md", flavor=flavor)
    got = [(ft.value, note.text[ft.start:ft.end], ft.exact) for ft in tags_mod.frontmatter_tags(note)]
    assert got == expected
    assert [u.name for u in tags_mod.note_uses(note)] == [v for v, _, _ in expected]
