"""Suppression comments and frontmatter ignores."""

import tempfile
from pathlib import Path

from notelint.config import Config, select_rules
from notelint.engine import Workspace, check_note
from notelint.note import Note
from notelint.vault import Vault

EMPTY_ROOT = Path(tempfile.mkdtemp(prefix="notelint-suppression-"))


def lines_reported(text: str, flavor: str = "obsidian") -> list[tuple[int, str]]:
    """Findings of every default rule on one note, in a vault holding only that note."""
    rules, _ = select_rules(Config(), flavor)
    vault = Vault(root=EMPTY_ROOT, flavor=flavor, config=Config(), notes=["note.md"])
    note = Note.from_text(text, flavor=flavor)
    ws = Workspace(vault, rules, ["note.md"], None)
    ws._notes["note.md"] = note
    ws.prepare_rules()
    return sorted((f.line, f.rule) for f in check_note(note, rules, vault))


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
