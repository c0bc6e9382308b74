"""Which `#words` are tags, per flavor: Obsidian's tag class and Dendron's own hashtag parser."""

import pytest

from notelint.mdscan import tag_name
from notelint.note import Note


def tags(text, flavor):
    note = Note.from_text(text, "t.md", flavor=flavor)
    return [(t.name, *note.position(t.start)) for t in note.markdown.tags]


@pytest.mark.parametrize("written, obsidian, dendron", [
    ("#a.b", "a", "a.b"),            # Dendron: dots are hierarchy
    ("#a.b.", "a", "a.b"),           # ... but not the last character
    ("#GPT-4", "GPT-4", "GPT-4"),
    ("#c++", "c", "c++"),            # `+` ends an Obsidian tag, not a Dendron one
    ("#R&D", "R", "R&D"),
    ("#x/y,", "x/y", "x/y"),
    ("#1abc", "1abc", None),         # Dendron: first character not a digit
    ("#1984", None, None),           # Obsidian: at least one non-digit
    ("#.no", None, None),
    ("#todo:call", "todo", "todo"),
    ("#tag」end", "tag」end", "tag"),  # `」` is in Dendron's PUNCTUATION_MARKS
    ("#tag。end", "tag。end", "tag。end"),  # `。` is in neither list: both apps keep it in the tag
    ("#自动驾驶，然后", "自动驾驶，然后", "自动驾驶，然后"),
    ("#tag…", "tag", "tag"),         # U+2026 is General Punctuation (Obsidian) and in Dendron's list
    ("#a@b", "a", "a"),
    ("#a|b", "a", "a"),
    ("#emoji🚀ok", "emoji🚀ok", "emoji🚀ok"),
    ("#हिन्दी", "हिन्दी", "हिन्दी"),  # combining vowel signs stay in the tag
])
def test_tag_names_per_flavor(written, obsidian, dendron):
    assert tag_name("obsidian", written, 0) == obsidian
    assert tag_name("dendron", written, 0) == dendron


def test_dendron_emphasis_closes_before_the_tag_ends():
    assert tags("**bold #tag** and *em #x.y*\n", "dendron") == [("tag", 1, 8), ("x.y", 1, 23)]


@pytest.mark.parametrize("flavor", ["obsidian", "dendron"])
def test_no_tags_in_code_urls_entities_comments_or_after_a_word(flavor):
    text = (
        "`#code` C# issue#5 \\#esc &#35;ent https://e.com/#anchor <https://x.com/#auto> [t](http://x.org/#frag)\n"
        "<!-- #hidden -->\n\n```\n#fenced\n```\n\n    #indented\n\n# Heading #inhead\n"
    )
    assert tags(text, flavor) == [("inhead", 10, 11)]


def test_tags_in_nested_lists_quotes_and_crlf_keep_their_columns():
    text = "- a #one\r\n  - b #two\r\n    - c #three\r\n> q #four\r\n> > - deep 自动 #五\r\n"
    assert tags(text, "obsidian") == [("one", 1, 5), ("two", 2, 7), ("three", 3, 9), ("four", 4, 5), ("五", 5, 15)]
