"""The Obsidian Linter's own suppressions switch notelint's formatting rules off as they switch off
the plugin's: `<!-- linter-disable -->` / `%%linter-disable%%` ranges (to `linter-enable`, or the
end of the note) and a frontmatter `disabled rules: [alias, ...]` or `[all]`. Lint rules ignore them."""

from __future__ import annotations

import re

import pytest

from notelint.finding import Edit
from notelint.formatting import FormatRule, is_protected, plugin_off, protected
from notelint.note import Note
from notelint.plugin_rule import PluginRule


class Shout(FormatRule):
    """A formatting rule for these tests: every `x` outside protected text should be `X`."""

    name = "shout"
    code = "NL599"
    plugin = (PluginRule("shout-alias"),)

    def format(self, note):
        for m in re.finditer("x", note.text):
            if not is_protected(note, m.start(), m.end()):
                yield self.finding(note, m.start(), m.end(), "lower-case x", [Edit(m.start(), m.end(), "X")])


def lines_found(text: str) -> list[int]:
    return [f.line for f in Shout().check(Note.from_text(text))]


def test_a_range_switches_the_rule_off_between_disable_and_enable():
    text = "x\n<!-- linter-disable -->\nx\n<!-- linter-enable -->\nx\n"
    assert lines_found(text) == [1, 5]


def test_the_obsidian_comment_form_and_spacing_inside_it():
    text = "x\n%%linter-disable %%\nx\n%% linter-enable%%\nx\n"
    assert lines_found(text) == [1, 5]


def test_an_unclosed_range_runs_to_the_end_of_the_note():
    assert lines_found("x\n<!-- linter-disable -->\nx\n\nx") == [1]


def test_a_directive_inside_code_is_no_directive():
    text = "x\n```\n<!-- linter-disable -->\n```\nx\n"
    assert lines_found(text) == [1, 5]


@pytest.mark.parametrize("value", ["[shout-alias]", "[other, shout-alias]", "[all]", "all", "shout-alias"])
def test_disabled_rules_in_the_frontmatter_switch_it_off_for_the_note(value):
    assert lines_found(f"---\ndisabled rules: {value}\n---\nx\n") == []


def test_disabled_rules_naming_another_rule_leave_it_on():
    assert lines_found("---\ndisabled rules: [capitalize-headings]\n---\nx\n") == [4]


def test_lint_rules_ignore_the_plugins_suppressions():
    from notelint.registry import lookup

    whitespace = lookup("whitespace")()
    note = Note.from_text("---\ndisabled rules: [all]\n---\n<!-- linter-disable -->\ntrailing \n")
    assert [f.line for f in whitespace.check(note)] == [5]


def test_protected_text_is_code_math_comments_and_frontmatter():
    text = "---\na: x\n---\n`x` $x$ <!-- x --> %% x %%\n$$\nx\n$$\n```\nx\n```\nx $5 and $6 x $y$\n"
    note = Note.from_text(text)
    spans = protected(note)
    free = [i for i, c in enumerate(text) if c == "x" and not is_protected(note, i)]
    assert [note.position(i) for i in free] == [(11, 1), (11, 13)]
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_the_suppressions_are_read_once_per_note():
    note = Note.from_text("<!-- linter-disable -->\nx\n")
    assert plugin_off(note) is plugin_off(note)
