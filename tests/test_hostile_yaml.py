"""Hostile YAML frontmatter: alias bombs (bounded work), Python tags (never executed), tabs,
duplicate keys (at any depth), absurd nesting and numbers. Each is one `frontmatter-syntax`
finding at the right place, in bounded time, and `fix` never writes the note.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from helpers import run_cli
from notelint import frontmatter

BILLION_LAUGHS = "".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi")),
    ]
)  # 9 ** 9 = 387,420,489 strings if expanded
SENTINEL = "notelint-yaml-was-executed"


def python_tags(sentinel: Path) -> dict[str, str]:
    cmd = f"touch {sentinel}"
    return {
        "apply": f"x: !!python/object/apply:os.system ['{cmd}']\n",
        "apply-subprocess": f"x: !!python/object/apply:subprocess.check_call [['touch', '{sentinel}']]\n",
        "new": f"x: !!python/object/new:os.system ['{cmd}']\n",
        "name": "x: !!python/name:os.system\n",
        "module": "x: !!python/module:os\n",
        "object": "x: !!python/object:os.stat_result {}\n",
        "local-tag": "x: !include secrets.yaml\n",
    }


def test_alias_bomb_is_refused_in_bounded_time():
    start = time.monotonic()
    fm = frontmatter.parse("---\n" + BILLION_LAUGHS + "---\nbody\n")
    assert time.monotonic() - start < 5
    assert fm.error is not None and "aliases" in fm.error.message and "refusing" in fm.error.message
    assert fm.data == {}


def test_a_few_aliases_and_merge_keys_are_fine():
    fm = frontmatter.parse("---\nbase: &b {x: 1}\nc:\n  <<: *b\n  y: 2\nl: &l [1, 2]\nm: *l\n---\n")
    assert fm.error is None
    assert fm.data == {"base": {"x": 1}, "c": {"x": 1, "y": 2}, "l": [1, 2], "m": [1, 2]}


def test_many_plain_keys_are_not_taken_for_a_bomb():
    """The bound counts nodes reached again through aliases, not the size of the block."""
    keys = "".join(f"k{i}: {i}\n" for i in range(60_000))  # 120,000 nodes, no alias
    fm = frontmatter.parse("---\n" + keys + "---\n")
    assert fm.error is None and len(fm.data) == 60_000


def test_self_referencing_alias_is_bounded():
    start = time.monotonic()
    fm = frontmatter.parse("---\na: &a [*a, *a]\n---\n")
    assert time.monotonic() - start < 5
    assert fm.error is not None  # either "undefined alias" or the expansion bound, never a hang


@pytest.mark.parametrize("kind", sorted(python_tags(Path("/x"))))
def test_python_tags_are_refused_and_never_executed(kind, tmp_path):
    sentinel = tmp_path / SENTINEL
    fm = frontmatter.parse("---\n" + python_tags(sentinel)[kind] + "---\n")
    assert not sentinel.exists(), "YAML was executed"
    assert fm.error is not None
    assert "is not allowed" in fm.error.message and "never runs code" in fm.error.message
    assert fm.error.offset == len("---\nx: ")  # at the tag


@pytest.mark.parametrize("yaml_text, line, column, words", [
    ("a:\n\tb: 1\n", 3, 1, "cannot start any token"),  # a tab indents the key
    ("a: 1\nb:\n  c: 1\n  c: 2\n", 5, 3, "duplicate key `c`"),  # nested duplicate
    ("a: 1\nb: 2\na: 3\n", 4, 1, "duplicate key `a`"),
    ("x: " + "[" * 20_000 + "]" * 20_000 + "\n", 2, None, "nesting depth"),
    ("x: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n", 2, None, "nesting depth"),
    ("x: " + "9" * 10_000 + "\n", 2, 1, "quote it to keep it as text"),
    ("? [a, b]\n: 1\n", None, None, "unhashable key"),
    ("x: *undefined\n", 2, 4, "undefined alias"),
])
def test_broken_yaml_is_one_finding_at_the_cause(yaml_text, line, column, words):
    text = "---\n" + yaml_text + "---\n"
    start = time.monotonic()
    fm = frontmatter.parse(text)
    assert time.monotonic() - start < 10
    assert fm.error is not None and words in fm.error.message, fm.error
    from notelint.source import Lines

    got_line, got_column = Lines(text).position(fm.error.offset)
    if line is not None:
        assert got_line == line, fm.error
    if column is not None:
        assert got_column == column, fm.error


def test_hostile_yaml_through_the_cli_never_crashes_nor_writes(tmp_path):
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    sentinel = tmp_path / SENTINEL
    notes = {f"tag-{k}.md": f"---\n{v}---\ntrailing \n" for k, v in python_tags(sentinel).items()}
    notes["bomb.md"] = "---\n" + BILLION_LAUGHS + "---\ntrailing \n"
    notes["deep.md"] = "---\nx: " + "[" * 20_000 + "]" * 20_000 + "\n---\ntrailing \n"
    notes["tabs.md"] = "---\na:\n\tb: 1\n---\ntrailing \n"
    notes["dup.md"] = "---\ntitle: a\ntitle: b\n---\ntrailing \n"
    notes["ok.md"] = "---\ntitle: fine\n---\ntrailing \n"
    for name, text in notes.items():
        (vault / name).write_text(text)
    before = {name: (vault / name).read_bytes() for name in notes}
    start = time.monotonic()
    result = run_cli("check", "--format", "json", "vault", cwd=tmp_path)
    assert time.monotonic() - start < 30
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.returncode == 1
    found = json.loads(result.stdout)
    syntax = {f["path"].removeprefix("vault/") for f in found if f["rule"] == "frontmatter-syntax"}
    assert syntax == set(notes) - {"ok.md"}
    fixed = run_cli("fix", "vault", cwd=tmp_path)
    assert "Traceback" not in fixed.stderr and "internal error" not in fixed.stderr, fixed.stderr
    assert not sentinel.exists(), "YAML was executed"
    for name in set(notes) - {"ok.md"}:
        assert (vault / name).read_bytes() == before[name], name
    assert (vault / "ok.md").read_bytes() != before["ok.md"]  # the readable note was fixed
