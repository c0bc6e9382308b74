"""Golden findings and golden fixed files for the fixture vaults, through the real CLI."""

import json
import shutil
from pathlib import Path

import pytest

from helpers import FIXTURES, GOLDEN, UPDATE, assert_golden, run_cli

# Every fixture folder that is a vault root (a rule's own fixture vaults are picked up here
# as soon as they exist; their golden files are written with NOTELINT_UPDATE_GOLDEN=1).
VAULT_MARKERS = ("dendron.yml", ".obsidian", ".notelint.toml")
VAULTS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and any((p / m).exists() for m in VAULT_MARKERS))


@pytest.mark.parametrize("vault", VAULTS)
def test_check_text_output_matches_golden(vault):
    result = run_cli("check", "--no-cache", vault, cwd=FIXTURES)
    assert result.returncode == 1, result.stderr
    _assert_stderr(vault, result.stderr)
    assert_golden(GOLDEN / f"{vault}.check.txt", result.stdout)


def _assert_stderr(vault, stderr):
    """A warning a fixture is built to give (a Dendron vault listed but not on disk) is golden
    too (`<vault>.check.stderr`); every other fixture gives none."""
    path = GOLDEN / f"{vault}.check.stderr"
    if stderr or path.exists():
        assert_golden(path, stderr)


@pytest.mark.parametrize("vault", VAULTS)
def test_check_json_output_matches_golden_and_spec_fields(vault):
    result = run_cli("check", "--no-cache", "--format", "json", vault, cwd=FIXTURES)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)
    required = {"path", "line", "column", "rule", "code", "severity", "message", "fixable"}
    optional = {"end_line", "end_column", "related", "unsafe_fixable", "fix"}
    for f in findings:
        assert required <= set(f) <= required | optional
        assert f["path"].startswith(vault + "/") and "\\" not in f["path"]
        assert f["line"] >= 1 and f["column"] >= 1
        assert f["severity"] in ("error", "warning")
    assert findings == sorted(findings, key=lambda f: (f["path"], f["line"], f["column"]))
    assert_golden(GOLDEN / f"{vault}.check.json", result.stdout)


def _tree(root: Path) -> dict[str, bytes]:
    # the results cache is the one thing a run may write besides fixed notes (spec)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".notelint_cache" not in p.relative_to(root).parts}


@pytest.mark.parametrize("vault", VAULTS)
def test_fix_matches_golden_tree_and_is_idempotent(vault, tmp_path):
    work = tmp_path / vault
    shutil.copytree(FIXTURES / vault, work)
    before = _tree(work)
    first = run_cli("fix", vault, cwd=tmp_path)
    assert first.returncode in (0, 1), first.stderr
    after = _tree(work)
    golden_dir = GOLDEN / f"{vault}.fixed"
    changed = {name: data for name, data in after.items() if before[name] != data}
    assert set(after) == set(before), "fix must not create or delete files"
    if UPDATE:
        shutil.rmtree(golden_dir, ignore_errors=True)
    for name, data in changed.items():
        assert_golden(golden_dir / name, data)
    if not UPDATE:
        expected_changed = {p.relative_to(golden_dir).as_posix() for p in golden_dir.rglob("*") if p.is_file()}
        assert set(changed) == expected_changed
    second = run_cli("fix", vault, cwd=tmp_path)
    assert _tree(work) == after, "a second fix changed files"
    # whitespace is left only in notes fix must refuse to write (broken frontmatter)
    left = [line for line in second.stdout.splitlines() if "[whitespace]" in line]
    for line in left:
        assert any(bad in line for bad in ("bad-yaml", "unclosed-quote", "duplicate-keys")), line
    if vault == "dendron-vault":
        assert left, "the note with invalid YAML still has its (unfixed) trailing whitespace"


def test_fix_never_touches_broken_notes(tmp_path):
    work = tmp_path / "v"
    shutil.copytree(FIXTURES / "dendron-vault", work)
    broken = ["notes.bad-yaml.md", "notes.latin1.md", "notes.binary.md", "notes.unterminated.md",
              "notes.unclosed-quote.md", "notes.duplicate-keys.md", "notes.not-mapping.md", "notes.python-tag.md"]
    before = {n: (work / n).read_bytes() for n in broken}
    run_cli("fix", "v", cwd=tmp_path)
    assert {n: (work / n).read_bytes() for n in broken} == before


def test_fix_keeps_bom_and_crlf(tmp_path):
    work = tmp_path / "v"
    shutil.copytree(FIXTURES / "dendron-vault", work)
    run_cli("fix", "v/notes.crlf-bom.md", cwd=tmp_path)
    data = (work / "notes.crlf-bom.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.endswith(b"end\r\n")
    assert b"# CRLF and BOM\r\n\r\nText with trailing space\r\n" in data


def test_clean_notes_stay_byte_identical(tmp_path):
    work = tmp_path / "v"
    shutil.copytree(FIXTURES / "dendron-vault", work)
    clean = ["root.md", "notes.clean.md", "notes.file-ignore.md"]
    before = {n: (work / n).read_bytes() for n in clean}
    mtimes = {n: (work / n).stat().st_mtime_ns for n in clean}
    run_cli("fix", "v", cwd=tmp_path)
    assert {n: (work / n).read_bytes() for n in clean} == before
    assert {n: (work / n).stat().st_mtime_ns for n in clean} == mtimes, "a clean note was rewritten"


def test_check_writes_nothing(tmp_path):
    work = tmp_path / "v"
    shutil.copytree(FIXTURES / "obsidian-vault", work)
    before = _tree(work)
    result = run_cli("check", "v", cwd=tmp_path)
    assert result.returncode == 1
    assert _tree(work) == before
