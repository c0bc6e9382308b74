"""Properties every formatting rule keeps, on generated notes built from the constructs a vault holds
(headings, lists, checklists, quotes and callouts, tables, code, math, comments, links, footnotes,
CJK text, frontmatter, CRLF line breaks):

- the fix is idempotent: once fixed, the rule reports nothing fixable and a second fix changes nothing;
- protected text (code blocks and spans, math, comments; the frontmatter unless it is a YAML rule)
  keeps its bytes;
- a CRLF note stays CRLF (no bare LF is introduced);
- a rule marked `render_neutral` does not change what markdown-it renders.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import examples
from notelint import edits, registry, rendering
from notelint.formatting import protected
from notelint.note import Note
from helpers import fixed

FORMAT_RULES = [r for r in registry.all_rules() if r.category == "format"]

BLOCKS = [
    "# Heading one", "## Heading two!", "### 中文标题", "Some paragraph text\nwith a second line",
    "A line with  two  spaces and trailing  ", "- item one\n- item two\n  - nested *em*",
    "* star item\n+ plus item", "1. first\n1. second\n3) third", "- [ ] task\n- [x] done",
    "> quote line\n> more quote", "> [!note] Callout\n> body of the callout", "> > nested quote",
    "```js\nvar x = 1;  \n\n\n- not a list\n```", "    indented code", "| a | b |\n|---|---|\n| 1 | 2 |",
    "---", "***", "$$\n\\frac{a}{b}\n$$", "inline $x_1$ math and `code  span`", "<!-- a comment  -->",
    "%% obsidian comment %%", "text with https://example.com/a_b and [a link]( https://x.org )",
    "*em* _em_ **strong** __strong__ snake_case_word", "A footnote[^1] here.\n\n[^1]: The note.",
    "[[wiki link#Heading|alias]] and #tag", "![image](assets/a.png)", "<div>\nhtml block\n</div>",
    "Ends with a colon:", "  - indented item", "Text\n\n\n\nafter gaps",
    "Text right above a table\n| c | d |\n|---|---|", "> lazy quote\ncontinued lazily", "***both*** and *__mixed__*",
    "  #  Spaced heading  ", ">no space quote", "-   wide item\n1.  wide number", "a [ spaced link ](x) b",
    "Text above a rule\n***\ntext below", "```\nunclosed fence", "---\nnot: frontmatter\n---",
]
FRONTMATTER = ["", "---\ntitle: A note\ntags: [b, a, a]\n---\n", "---\n# comment\nb: 2\na: 1\naliases:\n  - x\n---\n"]


@st.composite
def notes(draw):
    parts = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=8))
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]), min_size=len(parts), max_size=len(parts)))
    body = "".join(p + s for p, s in zip(parts, seps))
    if draw(st.booleans()):
        body = body.rstrip("\n")
    return draw(st.sampled_from(FRONTMATTER)) + body



def protected_texts(text: str, yaml_rule: bool) -> list[str]:
    note = Note.from_text(text)
    return [text[s:e] for s, e in protected(note) if not (yaml_rule and s == 0)]


PROPERTY = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("rule_class", FORMAT_RULES, ids=[r.name for r in FORMAT_RULES])
@PROPERTY
@given(text=notes())
def test_a_fix_is_idempotent_and_keeps_protected_text(rule_class, text):
    rule = rule_class()
    once = fixed(rule, text)
    assert fixed(rule, once) == once
    assert not [f for f in rule.check(Note.from_text(once)) if f.fix is not None]
    # every protected piece is still there, byte for byte (a rule may move a whole line, as
    # move-footnotes-to-the-bottom does, so only presence is held, not place)
    missing = [k for k in protected_texts(text, rule_class.yaml_rule) if k not in once]
    assert not missing, f"{rule_class.name} changed protected text: {missing}"


@pytest.mark.parametrize("rule_class", FORMAT_RULES, ids=[r.name for r in FORMAT_RULES])
@PROPERTY
@given(text=notes())
def test_a_crlf_note_stays_crlf(rule_class, text):
    if "\n" not in text:
        return  # a note of one line has no line break to follow
    crlf = text.replace("\n", "\r\n")
    once = fixed(rule_class(), crlf)
    assert not re.search(r"(?<!\r)\n", once), f"{rule_class.name} put a bare LF into a CRLF note"
    assert once.replace("\r\n", "\n") == fixed(rule_class(), text)


NEUTRAL = [r for r in FORMAT_RULES if r.render_neutral]


@pytest.mark.parametrize("rule_class", NEUTRAL, ids=[r.name for r in NEUTRAL])
@PROPERTY
@given(text=notes())
def test_a_render_neutral_fix_renders_the_same(rule_class, text):
    once = fixed(rule_class(), text)
    assert rendering.visible_html(Note.from_text(once)) == rendering.visible_html(Note.from_text(text))


def test_some_rules_are_held_to_render_the_same():
    assert len(NEUTRAL) >= 5
