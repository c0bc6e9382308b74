"""Suppression comments and frontmatter ignores."""

from notelint.config import Config, select_rules
from notelint.engine import check_note
from notelint.note import Note
from notelint.vault import Vault
from pathlib import Path


def lines_reported(text: str, flavor: str = "obsidian") -> list[tuple[int, str]]:
    rules, _ = select_rules(Config(), flavor)
    vault = Vault(root=Path("."), flavor=flavor, config=Config())
    return sorted((f.line, f.rule) for f in check_note(Note.from_text(text, flavor=flavor), rules, vault))


def test_disable_next_line():
    text = "<!-- notelint-disable-next-line whitespace -->\na \nb \n"
    assert lines_reported(text) == [(3, "whitespace")]


def test_disable_enable_range_and_all_rules():
    text = "a \n<!-- notelint-disable -->\nb \nc \n<!-- notelint-enable -->\nd \n"
    assert lines_reported(text) == [(1, "whitespace"), (6, "whitespace")]


def test_enable_one_rule_inside_a_disable_all_range():
    text = "<!-- notelint-disable -->\na \n<!-- notelint-enable whitespace -->\nb \n"
    assert lines_reported(text) == [(4, "whitespace")]


def test_disable_file_by_code_and_obsidian_comment():
    assert lines_reported("%% notelint-disable-file NL003 %%\na \n") == []
    assert lines_reported("<!-- notelint-disable-file whitespace, frontmatter-syntax -->\na \n") == []


def test_frontmatter_ignore():
    assert lines_reported("---\nnotelint:\n  ignore: [whitespace]\n---\na \n") == []
    assert lines_reported("---\nnotelint: {ignore: whitespace}\n---\na \n") == []


def test_unknown_rule_in_suppression_is_reported_and_suppresses_nothing():
    text = "<!-- notelint-disable-next-line whitespcae -->\na \n"
    assert lines_reported(text) == [(1, "invalid-suppression"), (2, "whitespace")]


def test_directives_inside_code_do_nothing():
    text = "```\n<!-- notelint-disable-file -->\n```\na \n"
    assert lines_reported(text) == [(4, "whitespace")]
