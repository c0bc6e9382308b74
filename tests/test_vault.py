"""Vault discovery: root and flavor, skipped folders, excludes, symlink loops."""

import os
from pathlib import Path

from notelint.config import Config
from notelint.vault import detect_flavor, find_root, open_vault


def test_root_is_the_nearest_marked_ancestor(tmp_path):
    (tmp_path / "v" / "a" / "b").mkdir(parents=True)
    (tmp_path / "v" / "dendron.yml").write_text("version: 5\n")
    note = tmp_path / "v" / "a" / "b" / "n.md"
    note.write_text("x\n")
    assert find_root(note) == (tmp_path / "v").resolve()
    assert detect_flavor(tmp_path / "v") == "dendron"
    (tmp_path / "v" / "a" / ".obsidian").mkdir()
    assert find_root(note) == (tmp_path / "v" / "a").resolve()
    assert detect_flavor(tmp_path / "v" / "a") == "obsidian"


def test_unmarked_path_is_its_own_root(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    assert find_root(folder) == folder.resolve()


def test_discovery_skips_tool_folders_and_follows_no_loops(tmp_path):
    for d in (".git", ".obsidian", ".trash", "node_modules", ".notelint_cache", "notes", "x.md"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "n.md").write_text("x\n")
    (tmp_path / "notes" / "pic.PNG").write_bytes(b"")
    os.symlink(tmp_path, tmp_path / "notes" / "loop")  # a directory symlink back to the root
    os.symlink(tmp_path / "notes", tmp_path / "notes" / "again")
    vault = open_vault(tmp_path, Config())
    assert vault.notes == ["notes/n.md", "x.md/n.md"]
    assert vault.assets == ["notes/pic.PNG"]


def test_exclude_globs(tmp_path):
    for rel in ("archive/old.md", "a.excalidraw.md", "keep.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x\n")
    vault = open_vault(tmp_path, Config(exclude=["archive/**", "*.excalidraw.md"]))
    assert vault.notes == ["keep.md"]


def test_note_linked_from_outside_is_checked_but_never_written(tmp_path):
    from helpers import run_cli

    outside = tmp_path / "outside.md"
    outside.write_bytes(b"outside   \n")
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    os.symlink(outside, vault / "linked.md")
    result = run_cli("check", ".", cwd=vault)
    assert result.returncode == 1 and "linked.md:1:8" in result.stdout
    run_cli("fix", ".", cwd=vault)
    assert outside.read_bytes() == b"outside   \n"
    assert Path(vault / "linked.md").is_symlink()


def test_note_linked_inside_the_vault_is_fixed_through_the_link(tmp_path):
    from helpers import run_cli

    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "real.md").write_bytes(b"x \n")
    os.symlink(tmp_path / "real.md", tmp_path / "alias.md")
    run_cli("fix", ".", cwd=tmp_path)
    assert (tmp_path / "real.md").read_bytes() == b"x\n"
    assert (tmp_path / "alias.md").is_symlink()
