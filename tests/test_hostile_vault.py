"""Hostile vault layouts: a folder named `x.md`, symlink loops, links out of the vault, named
pipes and devices named `.md`, unreadable files and folders, odd file names. The run ends,
every problem is a finding naming the file, nothing is opened that could block, and `fix`
writes only regular notes inside the vault.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
import time
from pathlib import Path

import pytest

from helpers import run_cli
from notelint.cli import main

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def no_crash(result) -> None:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr


def make_vault(root: Path) -> Path:
    vault = root / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text("{}")
    (vault / "good.md").write_text("# Good\n\ntrailing \n")
    return vault


def check_json(cwd: Path, *args: str, timeout_ok: float = 30) -> tuple[int, list[dict]]:
    start = time.monotonic()
    result = run_cli("check", "--no-cache", "--format", "json", "--select", "unreadable-note,whitespace", *args, cwd=cwd)
    assert time.monotonic() - start < timeout_ok
    no_crash(result)
    return result.returncode, json.loads(result.stdout)


def by_path(found: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in found:
        out.setdefault(f["path"], []).append(f)
    return out


def test_a_folder_named_like_a_note_is_walked_not_read(tmp_path):
    vault = make_vault(tmp_path)
    (vault / "x.md").mkdir()
    (vault / "x.md" / "inside.md").write_text("inside \n")
    (vault / "y.md").mkdir()  # empty
    code, found = check_json(tmp_path, "vault")
    assert code == 1
    paths = by_path(found)
    assert "vault/x.md" not in paths and "vault/y.md" not in paths
    assert [f["rule"] for f in paths["vault/x.md/inside.md"]] == ["whitespace"]
    code, found = check_json(tmp_path, "vault/x.md")  # a folder on the command line, even named .md
    assert {f["path"] for f in found} == {"vault/x.md/inside.md"}


def test_symlink_loops_end_and_each_note_is_reported_once(tmp_path):
    vault = make_vault(tmp_path)
    (vault / "sub").mkdir()
    (vault / "sub" / "n.md").write_text("n \n")
    (vault / "sub" / "up").symlink_to("..")  # a loop through the parent
    (vault / "here").symlink_to(".")  # a loop through itself
    (vault / "loop-a").symlink_to("loop-b")  # links to each other, leading nowhere
    (vault / "loop-b").symlink_to("loop-a")
    (vault / "self.md").symlink_to("self.md")  # a note that is a link to itself
    (vault / "gone.md").symlink_to("nowhere.md")  # a dangling link
    code, found = check_json(tmp_path, "vault", timeout_ok=20)
    assert code == 1
    paths = by_path(found)
    ws = sorted(p for p, fs in paths.items() if any(f["rule"] == "whitespace" for f in fs))
    assert ws == ["vault/good.md", "vault/sub/n.md"]  # once each, not again through `up` or `here`
    [loop] = paths["vault/self.md"]
    assert loop["rule"] == "unreadable-note" and "symbolic link loop" in loop["message"]
    [gone] = paths["vault/gone.md"]
    assert gone["rule"] == "unreadable-note" and "link to nothing" in gone["message"]
    code, found = check_json(tmp_path, "vault/self.md")  # named on the command line: same finding
    assert [f["path"] for f in found] == ["vault/self.md"] and "loop" in found[0]["message"]


def test_a_note_linked_from_outside_the_vault_is_checked_but_never_written(tmp_path):
    vault = make_vault(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"outside \n")
    (vault / "linked.md").symlink_to(outside)
    code, found = check_json(tmp_path, "vault")
    [f] = by_path(found)["vault/linked.md"]
    assert f["rule"] == "whitespace" and f["fixable"] is False
    result = run_cli("fix", "vault", cwd=tmp_path)
    no_crash(result)
    assert outside.read_bytes() == b"outside \n"
    assert (vault / "linked.md").is_symlink()
    assert (vault / "good.md").read_text() == "# Good\n\ntrailing\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_pipes_and_devices_named_md_are_reported_and_never_opened(tmp_path):
    """Opening a named pipe for reading blocks until a writer comes: the run would hang."""
    vault = make_vault(tmp_path)
    os.mkfifo(vault / "pipe.md")
    (vault / "zero.md").symlink_to("/dev/zero")  # never ends
    (vault / "pipe-link.md").symlink_to(vault / "pipe.md")
    code, found = check_json(tmp_path, "vault", timeout_ok=20)
    assert code == 1
    paths = by_path(found)
    assert "named pipe" in paths["vault/pipe.md"][0]["message"]
    assert "named pipe" in paths["vault/pipe-link.md"][0]["message"]
    assert "device" in paths["vault/zero.md"][0]["message"]
    assert [f["rule"] for f in paths["vault/good.md"]] == ["whitespace"]  # the run went on
    code, found = check_json(tmp_path, "vault/pipe.md", timeout_ok=20)  # named explicitly
    assert [f["path"] for f in found] == ["vault/pipe.md"]
    fixed = run_cli("fix", "vault", cwd=tmp_path)
    no_crash(fixed)
    assert (vault / "pipe.md").exists() and not (vault / "pipe.md").is_file()


def _run_in_process(tmp_path, monkeypatch, capsys, *args) -> tuple[int, list[dict], str]:
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--no-cache", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, json.loads(out), err


def test_an_unreadable_file_is_a_finding_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    """Simulated (the tests may run as root, who can read anything); see the chmod test below."""
    vault = make_vault(tmp_path)
    (vault / "secret.md").write_text("secret\n")
    real = pathlib.Path.read_bytes

    def read_bytes(self):
        if self.name == "secret.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    code, found, _ = _run_in_process(tmp_path, monkeypatch, capsys, "vault")
    assert code == 1
    paths = by_path(found)
    [f] = paths["vault/secret.md"]
    assert f["rule"] == "unreadable-note" and "Permission denied" in f["message"] and not f["fixable"]
    assert paths["vault/good.md"]


def test_an_unreadable_folder_is_a_finding_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    vault = make_vault(tmp_path)
    (vault / "locked").mkdir()
    (vault / "locked" / "in.md").write_text("in \n")
    real = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, found, _ = _run_in_process(tmp_path, monkeypatch, capsys, "vault")
    assert code == 1
    paths = by_path(found)
    [f] = paths["vault/locked"]
    assert f["rule"] == "unreadable-note" and "folder cannot be read: Permission denied" in f["message"]
    assert paths["vault/good.md"]


@pytest.mark.permissions  # run as an unprivileged user by .ci/permission-tests when CI runs as root
@pytest.mark.skipif(IS_ROOT or sys.platform == "win32", reason="root reads every file; chmod is POSIX")
def test_unreadable_file_and_folder_for_real(tmp_path):
    vault = make_vault(tmp_path)
    (vault / "secret.md").write_text("secret \n")
    (vault / "locked").mkdir()
    (vault / "locked" / "in.md").write_text("in \n")
    os.chmod(vault / "secret.md", 0)
    os.chmod(vault / "locked", 0)
    try:
        code, found = check_json(tmp_path, "vault")
        fixed = run_cli("fix", "vault", cwd=tmp_path)
        no_crash(fixed)
    finally:
        os.chmod(vault / "locked", 0o755)
        os.chmod(vault / "secret.md", 0o644)
    paths = by_path(found)
    assert "cannot be read" in paths["vault/secret.md"][0]["message"]
    assert "cannot be read" in paths["vault/locked"][0]["message"]
    assert (vault / "secret.md").read_text() == "secret \n"


ODD_NAMES = [
    "with space.md", "hash#1.md", "100% done.md", "emoji 😀.md", "研究背景.md", "-dash.md", "back\\slash.md",
    "tab\there.md", "line\nbreak.md", "quote\"s.md", "..double-dot.md", "x" * 240 + ".md", "研" * 80 + ".md",
]


def test_odd_file_names_are_reported_with_their_exact_names_and_fixed(tmp_path):
    vault = make_vault(tmp_path)
    for name in ODD_NAMES:
        (vault / name).write_bytes(b"text \n")
    raw = os.fsencode(vault) + b"/caf\xe9-latin1-name.md"  # not UTF-8: Python holds it as a surrogate
    with open(raw, "wb") as fh:
        fh.write(b"text \n")
    code, found = check_json(tmp_path, "vault")
    assert code == 1
    got = {f["path"] for f in found}
    for name in ODD_NAMES:
        assert f"vault/{name}" in got, name
    [latin] = [p for p in got if "latin1-name" in p]
    assert os.fsencode(latin) == b"vault/caf\xe9-latin1-name.md"  # JSON `\udce9` maps back to the byte
    for fmt in ("text", "github", "sarif"):
        result = run_cli("check", "--no-cache", "--format", fmt, "vault", cwd=tmp_path)
        no_crash(result)
        assert result.returncode == 1, (fmt, result.stderr)
    fixed = run_cli("fix", "--no-cache", "vault", cwd=tmp_path)
    no_crash(fixed)
    assert fixed.returncode == 0, fixed.stderr + fixed.stdout
    for name in ODD_NAMES:
        assert (vault / name).read_bytes() == b"text\n", name
    with open(raw, "rb") as fh:
        assert fh.read() == b"text\n"
    leftovers = [p for p in os.listdir(vault) if p.endswith(".notelint-tmp")]
    assert leftovers == []


def test_a_file_name_starting_with_a_dash_after_double_dash(tmp_path):
    vault = make_vault(tmp_path)
    (vault / "-rf.md").write_text("x \n")
    result = run_cli("check", "--no-cache", "--", "-rf.md", cwd=vault)
    no_crash(result)
    assert result.returncode == 1 and result.stdout.startswith("-rf.md:1:2:")


def test_broken_config_files_are_one_clear_error_or_ignored(tmp_path):
    vault = make_vault(tmp_path)
    (vault / ".obsidian" / "app.json").write_bytes(b"{not json \xff")  # Obsidian's file: ignored if unreadable
    code, found = check_json(tmp_path, "vault")
    assert code == 1 and [f["path"] for f in found] == ["vault/good.md"]
    (vault / ".notelint.toml").write_bytes(b'select = ["whitespace"]\n\xe9\x00\n')  # ours: an error, exit 2
    result = run_cli("check", "vault", cwd=tmp_path)
    no_crash(result)
    assert result.returncode == 2
    assert ".notelint.toml: not valid TOML: not UTF-8 text (byte 0xe9 at offset 24)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
