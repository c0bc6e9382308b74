"""What lies inside the vault: a symbolic link is followed to where it really points, and a folder
whose name merely starts like the vault's (`notes` and `notes-private`, `notes2`) is outside it.

"Inside" is `os.path.commonpath` on real paths (`resolve.inside` for link and image targets,
`checking.load_note` for notes), never a string prefix: `/x/notes-private/a.png` starts with
`/x/notes` but is not under it.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli, write_files

# not an image at all: read, it would be an unreadable-image finding
NOT_A_PNG = b"\x89PNG\r\n\x1a\nthis is no image"


def _layout(tmp_path: Path) -> Path:
    """`notes/` (the vault) beside `notes-private/` and `notes2/`, linked into from inside."""
    write_files(tmp_path, {
        "notes/.obsidian/app.json": "{}",
        "notes/n.md": "# N\n\n![a](secret.png)\n\n![[private.png]]\n",
        "notes-private/secret.png": NOT_A_PNG,
        "notes-private/private.png": NOT_A_PNG,
        "notes-private/diary.md": "diary \n",
        "notes2/other.md": "other \n",
    })
    vault = tmp_path / "notes"
    (vault / "secret.png").symlink_to("../notes-private/secret.png")
    (vault / "private.png").symlink_to(tmp_path / "notes-private" / "private.png")
    (vault / "diary.md").symlink_to("../notes-private/diary.md")
    (vault / "two").symlink_to("../notes2")  # a folder
    return vault


def _check(vault: Path, *args: str) -> list[dict]:
    result = run_cli("check", "--no-cache", "--format", "json", *args, ".", cwd=vault)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def test_an_image_linked_into_a_sibling_named_like_the_vault_is_outside_and_never_read(tmp_path):
    vault = _layout(tmp_path)
    found = _check(vault, "--select", "dangling-image,unreadable-image,duplicate-image")
    assert [(f["path"], f["line"], f["rule"]) for f in found] == [("n.md", 3, "dangling-image"), ("n.md", 5, "dangling-image")]
    assert all("resolves outside the vault root; it was not read" in f["message"] for f in found)
    assert not any(f["fixable"] for f in found)


def test_a_note_or_folder_linked_into_a_sibling_named_like_the_vault_is_checked_but_never_written(tmp_path):
    vault = _layout(tmp_path)
    found = _check(vault, "--select", "whitespace")
    assert [(f["path"], f["rule"], f["fixable"]) for f in found] == [
        ("diary.md", "whitespace", False), ("two/other.md", "whitespace", False)]
    result = run_cli("fix", ".", cwd=vault)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (tmp_path / "notes-private" / "diary.md").read_bytes() == b"diary \n"
    assert (tmp_path / "notes2" / "other.md").read_bytes() == b"other \n"
    assert (vault / "diary.md").is_symlink() and (vault / "two").is_symlink()


def test_a_link_to_the_vaults_parent_and_a_link_loop_end_and_write_nothing_outside(tmp_path):
    vault = _layout(tmp_path)
    (vault / "up").symlink_to("..")  # the parent holds the vault itself and its siblings
    (vault / "loop-a").symlink_to("loop-b")
    (vault / "loop-b").symlink_to("loop-a")
    found = _check(vault, "--select", "whitespace,dangling-image,unreadable-image,unreadable-note")
    by_path = {}
    for f in found:
        by_path.setdefault(f["path"], []).append((f["rule"], f["fixable"]))
    # every folder once: up/notes is the vault; notes2 is walked as two/ or as up/notes2, whichever comes first
    [twice] = {"two/other.md", "up/notes2/other.md"} & set(by_path)
    assert by_path == {"diary.md": [("whitespace", False)], twice: [("whitespace", False)],
                       "up/notes-private/diary.md": [("whitespace", False)],
                       "n.md": [("dangling-image", False), ("dangling-image", False)]}
    result = run_cli("fix", ".", cwd=vault)
    assert "Traceback" not in result.stderr
    assert (tmp_path / "notes-private" / "diary.md").read_bytes() == b"diary \n"
    assert (tmp_path / "notes2" / "other.md").read_bytes() == b"other \n"
