"""The vault-scope rules' findings reused while what they read is unchanged (`notelint/scoped.py`):
a note edited where it references no image does not make unreadable-image and duplicate-image
run again, and every change of what they read does, with the findings of a `--no-cache` run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import settled_runs_in, write_files

from notelint import cli, registry, scoped
from notelint.example_files import png
from notelint.resolve import NOTE_REFS_FACT, REFS_FACT, image_ref_rows, note_ref_rows

CONFIG = 'select = ["unreadable-image", "duplicate-image", "whitespace"]\n'
VAULT_RULES = ("unreadable-image", "duplicate-image")


def _vault(root: Path) -> Path:
    write_files(root, {
        ".notelint.toml": CONFIG,
        "a.md": "# A\n\n![ok](img/ok.png)\n\n![bad](img/bad.png)\n",
        "b.md": "# B\n\n![copy](img/copy.png)\n\ntext\n",
        "c.md": "# C\n\nno image here\n",
    })
    (root / "img").mkdir()
    (root / "img" / "ok.png").write_bytes(png())
    (root / "img" / "copy.png").write_bytes(png())
    (root / "img" / "bad.png").write_bytes(png()[:60])
    return root


@pytest.fixture
def runs(tmp_path, monkeypatch, capsys):
    """(vault, run(*args) -> findings, calls of the vault-scope rules' `check_vault`)."""
    root = _vault(tmp_path / "v")
    settled_runs_in(root, monkeypatch)
    calls: list[str] = []
    for name in VAULT_RULES:
        rule = registry.lookup(name)

        def counted(self, ws, real=rule.check_vault, name=name):
            calls.append(name)
            yield from real(self, ws)

        monkeypatch.setattr(rule, "check_vault", counted)

    def run(*args: str) -> list[dict]:
        assert cli.main(["check", "--format", "json", *args, "."]) in (0, 1)
        return json.loads(capsys.readouterr().out)

    return root, run, calls


def test_a_note_edited_away_from_its_image_references_reuses_the_vault_scope_findings(runs):
    root, run, calls = runs
    first = run()
    assert {f["rule"] for f in first} == set(VAULT_RULES)
    assert sorted(calls) == sorted(VAULT_RULES)
    with open(root / "c.md", "a", encoding="utf-8") as fh:
        fh.write("a line \n")  # a whitespace finding, no image reference
    calls.clear()
    warm = run()
    assert calls == [], "unreadable-image and duplicate-image ran again for a note without images"
    assert warm == run("--no-cache") != first


def _check_files(capsys, *files: str) -> list[dict]:
    assert cli.main(["check", "--format", "json", *files]) in (0, 1)
    return json.loads(capsys.readouterr().out)


def test_a_run_given_files_reuses_the_findings_of_a_whole_vault_run(runs, capsys):
    """Pre-commit after a check of the vault: the files named take the whole-vault run's
    findings (duplicate-image's relink of the copy in b.md included)."""
    root, run, calls = runs
    run()
    with open(root / "c.md", "a", encoding="utf-8") as fh:
        fh.write("a line \n")  # no image reference changes
    calls.clear()
    os.chdir(root)
    named = _check_files(capsys, "c.md", "img/copy.png")
    assert calls == [], "a run given files computed what the whole-vault run had found"
    assert {f["rule"] for f in named} == {"duplicate-image", "whitespace"}
    assert any(f["rule"] == "duplicate-image" and f["fix"] for f in named)
    assert named == _check_files(capsys, "--no-cache", "c.md", "img/copy.png")


def test_a_whole_vault_run_never_takes_the_findings_of_a_run_given_files(runs, capsys):
    """A run given files computes duplicate-image's relinks only for the groups it names: what it
    keeps is for runs given the same files, not for a whole-vault run (which would lose fixes)."""
    root, run, calls = runs
    os.chdir(root)
    _check_files(capsys, "c.md")
    calls.clear()
    whole = run()
    assert sorted(calls) == sorted(VAULT_RULES)
    assert whole == run("--no-cache")
    assert any(f["rule"] == "duplicate-image" and f["fix"] for f in whole)


def _add_reference(root: Path) -> None:
    with open(root / "c.md", "a", encoding="utf-8") as fh:
        fh.write("\n![again](img/bad.png)\n")


def _mend_image(root: Path) -> None:
    (root / "img" / "bad.png").write_bytes(png(shade=90))


def _add_image(root: Path) -> None:
    (root / "img" / "copy2.png").write_bytes(png())
    with open(root / "c.md", "a", encoding="utf-8") as fh:
        fh.write("\n![another](img/copy2.png)\n")


def _protect_relinked_note(root: Path) -> None:
    (root / "b.md").chmod(0o444)  # `fix` will not write it: its relink goes (its bytes stay as they were)


@pytest.mark.parametrize("change", [_add_reference, _mend_image, _add_image, _protect_relinked_note])
def test_a_change_to_what_the_vault_scope_rules_read_runs_them_again(runs, change):
    root, run, calls = runs
    before = run()
    calls.clear()
    change(root)
    after = run()
    assert calls, "the vault-scope findings were reused after a change they depend on"
    assert after == run("--no-cache")
    assert [f for f in after if f["rule"] in VAULT_RULES] != [f for f in before if f["rule"] in VAULT_RULES]


def test_an_edit_elsewhere_in_a_relinked_note_reuses_the_findings(runs):
    """duplicate-image's relinks read of b.md its references and whether `fix` may write it, not
    the note whole: text added after its reference changes nothing they report."""
    root, run, calls = runs
    run()
    with open(root / "b.md", "a", encoding="utf-8") as fh:
        fh.write("more text\n")
    calls.clear()
    after = run()
    assert calls == []
    assert after == run("--no-cache")


def _size_of(path: str):
    """An image fact for the test below (module level: facts may be computed in workers)."""
    return os.path.getsize(path) if os.path.exists(path) else None


READS = {  # what a rule reads beyond what the scope key and its declared facts cover
    "a fact it did not declare": lambda ws: ws.note_facts(NOTE_REFS_FACT, note_ref_rows),
    "a fact of a note outside the lists": lambda ws: ws.note_facts(REFS_FACT, image_ref_rows, ["elsewhere/x.md"]),
    "a fact of an image outside the lists": lambda ws: ws.asset_facts("size-test", _size_of, ["elsewhere/x.png"]),
}


@pytest.mark.parametrize("reads", sorted(READS))
def test_findings_are_not_kept_when_a_rule_reads_more_than_it_declared(runs, monkeypatch, reads):
    root, run, calls = runs
    rule = registry.lookup("unreadable-image")
    counted = rule.check_vault

    def reading_more(self, ws):
        READS[reads](ws)
        yield from counted(self, ws)

    monkeypatch.setattr(rule, "check_vault", reading_more)
    run()
    with open(root / "c.md", "a", encoding="utf-8") as fh:
        fh.write("a line \n")
    calls.clear()
    warm = run()
    assert "unreadable-image" in calls
    assert warm == run("--no-cache")


def test_a_note_a_vault_scope_rule_reads_whole_runs_it_again_when_it_changes(runs, monkeypatch):
    """A rule may read a note whole (`ws.note`): its findings are then kept with that note's digest
    and read-only flag, and any change to the note runs the rules again."""
    root, run, calls = runs
    rule = registry.lookup("unreadable-image")
    counted = rule.check_vault

    def reading_a_note(self, ws):
        ws.note("c.md")
        yield from counted(self, ws)

    monkeypatch.setattr(rule, "check_vault", reading_a_note)
    run()
    calls.clear()
    assert run() and calls == []  # nothing changed: reused
    with open(root / "b.md", "a", encoding="utf-8") as fh:
        fh.write("another line\n")  # a note it does not read
    run()
    assert calls == []
    with open(root / "c.md", "a", encoding="utf-8") as fh:
        fh.write("a line\n")
    assert run() == run("--no-cache")
    assert "unreadable-image" in calls
    calls.clear()
    (root / "c.md").chmod(0o444)  # its bytes as they were, but no longer written by `fix`
    run()
    assert "unreadable-image" in calls


def test_an_excluded_note_dropping_its_image_reference_runs_them_again(runs):
    """An image used only by a note `exclude` matches is still used (resolve.py `all_refs`): the
    excluded note's references are part of what the findings were computed from."""
    root, run, calls = runs
    (root / ".notelint.toml").write_text(CONFIG + 'exclude = ["private/**"]\n', "utf-8")
    (root / "img" / "bad2.png").write_bytes(png()[:70])
    write_files(root, {"private/p.md": "# P\n\n![only here](../img/bad2.png)\n"})
    before = run()
    assert any(f["path"] == "img/bad2.png" for f in before)
    (root / "private" / "p.md").write_text("# P\n\nno image now\n", "utf-8")
    calls.clear()
    after = run()
    assert "unreadable-image" in calls
    assert after == run("--no-cache") and not any(f["path"] == "img/bad2.png" for f in after)


def test_a_note_outside_every_vault_named_with_the_vault(tmp_path, monkeypatch, capsys):
    """A Dendron workspace's note outside its vaults, named on the command line with the vault:
    its facts are digested with the others, and a second run reuses the findings."""
    root = write_files(tmp_path / "w", {
        "dendron.yml": "version: 5\nworkspace:\n  vaults:\n    - fsPath: main\n",
        ".notelint.toml": CONFIG,
        "main/a.md": "# A\n\n![ok](assets/ok.png)\n\n![copy](assets/copy.png)\n",
        "docs/o.md": "# O\n\ntrailing \n",
    })
    (root / "main" / "assets").mkdir()
    (root / "main" / "assets" / "ok.png").write_bytes(png())
    (root / "main" / "assets" / "copy.png").write_bytes(png())
    settled_runs_in(root, monkeypatch)

    def run(*args: str) -> list[dict]:
        assert cli.main(["check", "--format", "json", *args, "main", "docs/o.md"]) in (0, 1)
        return json.loads(capsys.readouterr().out)

    first = run()
    assert {f["rule"] for f in first} == {"duplicate-image", "whitespace"}
    with open(root / "main" / "a.md", "a", encoding="utf-8") as fh:
        fh.write("a line \n")
    assert run() == run("--no-cache") != first


def test_a_note_whose_name_is_not_utf8_is_digested_with_the_others(runs):
    """A file name of undecodable bytes (a Latin-1 name synced from an old machine) reaches the
    digest of the notes' facts as escaped text, never as an error."""
    root, run, calls = runs
    name = os.fsdecode(b"caf\xe9.md")
    (root / name).write_text("# Caf\n\n![ok](img/ok.png)\n", "utf-8")
    first = run()
    with open(root / "c.md", "a", encoding="utf-8") as fh:
        fh.write("a line \n")
    calls.clear()
    warm = run()
    assert calls == []
    assert warm == run("--no-cache") != first


def test_a_kind_digest_tells_a_nan_from_a_null_and_holds_any_json_data():
    """orjson writes a NaN or an infinity as null: such rows are digested from `json`'s text."""
    nan, inf = float("nan"), float("inf")
    texts = [scoped.facts_text(rows) for rows in (
        [["a.md", [1, "x"]]], [["a.md", None]], [["a.md", nan]], [["a.md", inf]], [["a.md", -inf]],
        [["a.md", 2**70]], [["a.md", "\ud800"]], [["a.md", "null"]],
    )]
    assert len(set(texts)) == len(texts)
    assert texts[0].startswith(b"o") and all(t.startswith(b"j") for t in texts[1:7])
    assert texts[7].startswith(b"j")  # (the word in a string: the slow path, still right)
