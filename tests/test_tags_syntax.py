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


def findings(text, flavor="obsidian"):
    note = Note.from_text(text, "n.md", flavor=flavor)
    return sorted((f.line, f.column, f.message) for f in check_note(note, [rule(flavor)], _Vault))


def fixed(text, flavor="obsidian", **settings):
    note = Note.from_text(text, "n.md", flavor=flavor)
    out = fix_note(note, [rule(flavor, **settings)], _Vault)
    again = fix_note(note.derive(out.text), [rule(flavor, **settings)], _Vault)
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


def test_comma_string_becomes_a_list_and_deprecated_key_is_renamed():
    text = "---\ntag: reading, to-read, [x]\n---\n"
    got = findings(text)
    assert [(line, col) for line, col, _ in got] == [(2, 1), (2, 6)]
    assert "Obsidian 1.9 and later ignore it" in got[0][2]
    assert fixed(text) == "---\ntags: [reading, to-read, \"[x]\"]\n---\n"


def test_deprecated_key_beside_tags_is_reported_without_a_fix():
    text = "---\ntags: [a]\ntag: b\n---\n"
    assert [(line, col) for line, col, _ in findings(text)] == [(3, 1)]
    assert fixed(text) == text


def test_spaces_in_list_items_use_the_configured_separator():
    text = "---\ntags: [machine learning, 'deep  nets']\n---\n"
    assert [(line, col) for line, col, _ in findings(text)] == [(2, 8), (2, 27)]
    assert fixed(text, **{"space-replacement": "_"}) == "---\ntags: [machine_learning, 'deep_nets']\n---\n"


def test_ambiguous_problems_are_reported_but_not_fixed():
    text = "---\ntags:\n  - 2023\n  - c++\n  - [nested]\nother: x\n---\n"
    got = findings(text)
    assert [(line, col) for line, col, _ in got] == [(3, 5), (4, 5), (5, 5)]
    assert "only digits" in got[0][2] and "`+`" in got[1][2] and "is a list, not a tag" in got[2][2]
    assert fixed(text) == text
    string = "---\ntags: machine learning\n---\n"
    assert "`tags: [machine, learning]` if these are 2 tags" in findings(string)[0][2]
    assert fixed(string) == string


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
