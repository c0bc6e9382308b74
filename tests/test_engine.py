"""The engine (`notelint/engine.py`): which notes a run checks, how vault problems, vault-scope
findings and suppressions reach the report, how notes are loaded, and the fix loop's outcome.

Runs are in-process (`cli.main` with capsys, or the engine's functions), so they are fast and
mutmut sees which tests reach which engine function."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from notelint import cli, engine, registry
from notelint.config import Config
from notelint.finding import Edit
from notelint.note import Note
from notelint.rule import Rule
from notelint.source import DecodeError
from notelint.vault import Vault

UNDOING = "not fixed: its fixes undo each other (please report this)"
STILL_CHANGING = "not fixed: still changing after 100 passes"
NOT_PARSED = "not fixed: the fixed text would not parse as well as the original"


# --------------------------------------------------------------------------- helpers


def make(root: Path, files: dict[str, str | bytes], config: str | None = None, dendron: bool = False) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if dendron:
        if not (root / "dendron.yml").exists():
            (root / "dendron.yml").write_text("version: 5\n", "utf-8")
    else:
        (root / ".obsidian").mkdir(exist_ok=True)
    if config is not None:
        (root / ".notelint.toml").write_text(config, "utf-8")
    return root


def run(monkeypatch, capsys, folder: Path, *args: str) -> tuple[int, str, str]:
    """`notelint ARGS` run in `folder`, in this process: (exit code, stdout, stderr)."""
    monkeypatch.chdir(folder)
    monkeypatch.delenv("NOTELINT_OUTPUT_FORMAT", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    capsys.readouterr()
    try:
        status = cli.main(list(args))
    except SystemExit as stop:
        status = stop.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return status, out, err


def found(monkeypatch, capsys, folder: Path, *args: str) -> list[tuple[str, int, int, str, str]]:
    """(path, line, column, code, message) of every finding `notelint check --format json ARGS` reports."""
    status, out, err = run(monkeypatch, capsys, folder, "check", "--no-cache", "--format", "json", *args)
    assert status in (0, 1), err
    return [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(out)]


class _Fake(Rule):
    fix = "safe"
    default = False


class NoOp(_Fake):
    """A fix whose edit writes back the very characters it replaces: the text does not change."""

    name = "fake-noop"
    code = "NL911"

    def check(self, note):
        at = note.text.find("same")
        if at >= 0:
            yield self.finding(note, at, at + 4, "fake: same", [Edit(at, at + 4, "same")])


class Cycle(_Fake):
    """`start` becomes `ping`, then `ping` and `pong` turn into each other: a loop that does not
    come back to the original text."""

    name = "fake-cycle"
    code = "NL912"

    def check(self, note):
        for word, other in (("start", "ping"), ("ping", "pong"), ("pong", "ping")):
            at = note.text.find(word)
            if at >= 0:
                yield self.finding(note, at, at + len(word), "fake cycle", [Edit(at, at + len(word), other)])
                return


class DropX(_Fake):
    """One `x` less a pass."""

    name = "fake-drop-x"
    code = "NL913"

    def check(self, note):
        at = note.text.find("x")
        if at >= 0:
            yield self.finding(note, at, at + 1, "fake: x", [Edit(at, at + 1, "")])


FAKES = (NoOp, Cycle, DropX)


@pytest.fixture
def fakes(monkeypatch):
    real = registry.all_rules()
    monkeypatch.setattr(registry, "all_rules", lambda: tuple(sorted((*real, *FAKES), key=lambda r: r.code)))


def outcome(note: Note, *rules: type[Rule], unsafe: bool = False) -> engine.FixOutcome:
    vault = Vault(root=Path("/nonexistent-vault"), flavor="obsidian", config=Config(), notes=[note.rel])
    return engine.fix_note(note, [r() for r in rules], vault, unsafe)


def rule_class(name: str) -> type[Rule]:
    return next(r for r in registry.all_rules() if r.name == name)


# --------------------------------------------------------------------------- the fix loop's outcome


def test_a_note_that_cannot_be_decoded_is_never_fixed_and_says_why():
    note = Note.from_bytes(Path("n.md"), "n.md", b"trailing \xff \n")
    assert outcome(note, rule_class("whitespace")) == engine.FixOutcome(
        "", 0, 0, "not fixed: the file could not be read as UTF-8 text", {})


def test_a_note_with_broken_frontmatter_is_never_fixed_and_says_why():
    note = Note.from_text("---\ntitle: [x\n---\ntrailing \n")
    assert outcome(note, rule_class("whitespace")) == engine.FixOutcome(
        note.text, 0, 0, "not fixed: its frontmatter cannot be parsed", {})


def test_a_read_only_note_is_never_fixed_and_the_reason_is_given():
    note = Note.from_text("trailing \n")
    note.read_only = "the file is read-only (make it writable to let notelint fix it)"
    assert outcome(note, rule_class("whitespace")) == engine.FixOutcome(
        "trailing \n", 0, 0, "not fixed: the file is read-only (make it writable to let notelint fix it)", {})


def test_a_fix_that_breaks_the_frontmatter_reports_the_passes_and_no_fix_applied():
    class BreakYaml(_Fake):
        name, code = "fake-break", "NL914"

        def check(self, note):
            at = note.text.find("title: ok")
            if at >= 0:
                yield self.finding(note, at, at + 9, "fake", [Edit(at, at + 9, "title: [ok")])

    note = Note.from_text("---\ntitle: ok\n---\nbody\n")
    assert outcome(note, BreakYaml) == engine.FixOutcome(note.text, 2, 0, NOT_PARSED, {})


def test_a_fix_that_changes_nothing_ends_the_loop_with_nothing_applied():
    assert outcome(Note.from_text("the same text\n"), NoOp) == engine.FixOutcome("the same text\n", 1, 0, None, {})


def test_fixes_looping_between_two_new_texts_are_caught_as_undoing_each_other():
    """start -> ping -> pong -> ping: the third pass brings back a text of the second, not the original."""
    assert outcome(Note.from_text("start\n"), Cycle) == engine.FixOutcome("start\n", 3, 0, UNDOING, {})


def test_the_fix_loop_copes_with_a_text_holding_a_lone_surrogate():
    """(a file name read with surrogateescape that a fix writes into a note)"""
    assert outcome(Note.from_text("\udcffxx\n"), DropX) == engine.FixOutcome("\udcff\n", 3, 2, None, {"NL913": 2})


def test_fix_note_applies_only_safe_fixes_unless_unsafe_is_asked_for():
    """The library default is the CLI's: without `unsafe=True` an unsafe rule's fix is left out."""
    class UnsafeDropX(DropX):
        fix = "unsafe"

    note = Note.from_text("axb\n")
    vault = Vault(root=Path("/nonexistent-vault"), flavor="obsidian", config=Config(), notes=[note.rel])
    assert engine.fix_note(note, [UnsafeDropX()], vault) == engine.FixOutcome("axb\n", 1, 0, None, {})
    assert engine.fix_note(note, [UnsafeDropX()], vault, unsafe=True) == engine.FixOutcome("ab\n", 2, 1, None, {"NL913": 1})


def test_show_fixes_counts_each_rules_fixes_and_unsafe_ones_need_the_flag(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"n.md": "a \nb \n\n\n\nc\n#tag #Tag\n"})
    status, out, err = run(monkeypatch, capsys, root, "fix", "--no-cache", "--show-fixes",
                           "--select", "whitespace,tag-style", ".")
    assert (status, err) == (1, "")
    assert "Applied 3 fixes:\n- n.md:\n    3 × NL003 (whitespace)\nFixed 3 findings in 1 file." in out
    assert (root / "n.md").read_text() == "a\nb\n\nc\n#tag #Tag\n"
    status, out, err = run(monkeypatch, capsys, root, "fix", "--no-cache", "--show-fixes", "--unsafe-fixes",
                           "--select", "whitespace,tag-style", ".")
    assert (status, err) == (0, "")
    assert "Applied 1 fix:\n- n.md:\n    1 × NL202 (tag-style)\nFixed 1 finding in 1 file." in out
    assert (root / "n.md").read_text() == "a\nb\n\nc\n#tag #tag\n"


# --------------------------------------------------------------------------- vault-scope findings


def duplicate_vault(root: Path, config: str | None = None) -> Path:
    from notelint.rules.duplicate_image import DuplicateImage

    files = dict(DuplicateImage.example_files)  # attachments/chart.png and an identical chart-copy.png
    files.update({"k.md": "![](attachments/chart.png)\n" * 3, "m.md": "![](attachments/chart-copy.png)\n",
                  "n.md": "![](attachments/chart-copy.png)\n"})
    return make(root, files, config)


def test_fix_relinks_a_copy_only_in_notes_where_the_rule_runs(monkeypatch, capsys, tmp_path):
    root = duplicate_vault(tmp_path, '[per-file-ignores]\n"n.md" = ["duplicate-image"]\n')
    status, out, err = run(monkeypatch, capsys, root, "fix", "--no-cache", "--select", "duplicate-image,whitespace", ".")
    assert err == ""
    assert (root / "m.md").read_text() == "![](attachments/chart.png)\n"
    assert (root / "n.md").read_text() == "![](attachments/chart-copy.png)\n"
    assert "Fixed 1 finding in 1 file." in out
    # the vault context is computed again after the fix: the copy is now used by n.md alone
    assert "; 1 reference in `n.md`: point it at `chart.png`" in out


ORPHANS = {"a.png": b"\x89PNG not really", "b.png": b"\x89PNG not really either", "n.md": "no images here\n"}


def test_per_file_ignores_silence_a_vault_finding_on_that_file_only(monkeypatch, capsys, tmp_path):
    """(one rule selected: the per-path lookup is shared by every rule, made from the first)"""
    root = make(tmp_path, ORPHANS, '[per-file-ignores]\n"a.png" = ["orphan-image"]\n')
    assert [(p, code) for p, _l, _c, code, _m in found(monkeypatch, capsys, root, "--select", "orphan-image", ".")] == [
        ("b.png", "NL405")]


def test_naming_files_reports_vault_findings_on_them_or_related_to_them_only(monkeypatch, capsys, tmp_path):
    """As pre-commit runs it: an image named is reported, an image a named note uses too, an
    image elsewhere is not."""
    root = make(tmp_path, {**ORPHANS, "c.png": b"not an image", "m.md": "![](c.png)\n"})
    sel = ("--select", "orphan-image,unreadable-image")
    assert [p for p, *_ in found(monkeypatch, capsys, root, *sel, "b.png")] == ["b.png"]
    assert [p for p, *_ in found(monkeypatch, capsys, root, *sel, "n.md")] == []
    assert [(p, code) for p, _l, _c, code, _m in found(monkeypatch, capsys, root, *sel, "m.md")] == [("c.png", "NL403")]
    assert [p for p, *_ in found(monkeypatch, capsys, root, *sel, ".")] == ["a.png", "b.png", "c.png"]


def test_an_excluded_image_is_never_reported_even_when_a_note_uses_it(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"a-private/bad.png": b"not an image", "b/bad.png": b"not an image",
                           "n.md": "![](a-private/bad.png) ![](b/bad.png)\n"}, 'exclude = ["a-private/*"]\n')
    assert [(p, code) for p, _l, _c, code, _m in found(monkeypatch, capsys, root, "--select", "unreadable-image", ".")] == [
        ("b/bad.png", "NL403")]


# --------------------------------------------------------------------------- folders that cannot be read


def locked_folder(monkeypatch, name: str) -> None:
    """`name` cannot be listed (as an unreadable folder would be for a user without root)."""
    real = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path)) == name:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_that_cannot_be_read_is_reported_at_its_first_line(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"locked/x.md": "x\n", "n.md": "fine\n"})
    locked_folder(monkeypatch, "locked")
    status, out, err = run(monkeypatch, capsys, root, "check", "--no-cache", "--format", "json", ".")
    assert status == 1
    [f] = json.loads(out)
    assert f == {"path": "locked", "line": 1, "column": 1, "rule": "unreadable-note", "code": "NL001",
                 "severity": "error", "message": "folder cannot be read: Permission denied", "fixable": False}


def test_naming_files_leaves_unreadable_folders_unreported(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"locked/x.md": "x\n", "n.md": "trailing \n"})
    locked_folder(monkeypatch, "locked")
    assert [(p, code) for p, _l, _c, code, _m in found(monkeypatch, capsys, root, "n.md")] == [("n.md", "NL003")]


# --------------------------------------------------------------------------- loading a note


def test_a_named_pipe_is_reported_never_opened(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"n.md": "fine\n"})
    os.mkfifo(root / "p.md")
    assert found(monkeypatch, capsys, root, ".") == [
        ("p.md", 1, 1, "NL001", "the file is a named pipe (FIFO), not a regular file; it was not read; "
                                "the file is never changed by `notelint fix`")]


def test_a_note_that_cannot_be_read_is_reported_with_the_systems_reason(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"n.md": "fine\n", "secret.md": "trailing \n"})
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "secret.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert found(monkeypatch, capsys, root, ".") == [
        ("secret.md", 1, 1, "NL001", "the file cannot be read: Permission denied; "
                                     "the file is never changed by `notelint fix`")]


def test_a_link_to_a_read_only_note_is_not_fixed_and_says_why(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"target.md": "trailing \n"})
    os.chmod(root / "target.md", 0o444)
    os.symlink("target.md", root / "link.md")
    status, out, err = run(monkeypatch, capsys, root, "fix", "--no-cache", "--select", "whitespace", ".")
    assert (root / "target.md").read_text() == "trailing \n"
    reason = "not fixed: the file is read-only (make it writable to let notelint fix it)"
    assert err == f"notelint: link.md: {reason}\nnotelint: target.md: {reason}\n"
    assert status == 1


# --------------------------------------------------------------------------- which notes a run checks


def dendron_workspace(root: Path) -> Path:
    files = {"dendron.yml": "version: 1\nvaults:\n  - fsPath: group/v\n", "group/v/a.md": "trailing \n",
             "group/readme.md": "trailing \n", "templates/t.md": "trailing \n", "skip.md": "trailing \n",
             "keep.md": "trailing \n"}
    return make(root, files, 'exclude = ["skip.md"]\n', dendron=True)


def checked(monkeypatch, capsys, root: Path, *paths: str) -> list[str]:
    return [p for p, *_ in found(monkeypatch, capsys, root, "--select", "whitespace", *paths)]


def test_a_folder_outside_every_vault_gives_its_notes(monkeypatch, capsys, tmp_path):
    root = dendron_workspace(tmp_path)
    assert checked(monkeypatch, capsys, root, "templates") == ["templates/t.md"]


def test_a_folder_holding_a_vault_gives_the_vaults_notes_only(monkeypatch, capsys, tmp_path):
    root = dendron_workspace(tmp_path)
    assert checked(monkeypatch, capsys, root, "group") == ["group/v/a.md"]


def test_a_note_named_after_the_whole_folder_is_checked_too(monkeypatch, capsys, tmp_path):
    root = dendron_workspace(tmp_path)
    assert checked(monkeypatch, capsys, root, ".") == ["group/v/a.md"]
    assert checked(monkeypatch, capsys, root, ".", "templates/t.md") == ["group/v/a.md", "templates/t.md"]


def test_an_excluded_note_named_is_skipped_and_the_next_one_checked(monkeypatch, capsys, tmp_path):
    root = dendron_workspace(tmp_path)
    assert checked(monkeypatch, capsys, root, "skip.md", "keep.md") == ["keep.md"]


# --------------------------------------------------------------------------- suppressions and unused-suppression


UNUSED_SEL = ("--select", "whitespace,unused-suppression")
DEAD = "<!-- notelint-disable-next-line whitespace -->\nclean\n"
USED = "<!-- notelint-disable-next-line whitespace -->\ntrailing \n"
DEAD_MSG = "suppression of `whitespace` silences nothing on the next line; remove it"


def test_a_suppression_that_silences_nothing_is_reported_in_a_note_without_findings(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"dead.md": DEAD, "used.md": USED, "other.md": "<!-- notelint-disable-next-line tag-style -->\n#Tag\n"})
    assert found(monkeypatch, capsys, root, *UNUSED_SEL, ".") == [("dead.md", 1, 1, "NL005", DEAD_MSG)]


def test_unused_suppression_turned_off_for_a_note_by_per_file_ignores(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"a.md": DEAD, "b.md": DEAD}, '[per-file-ignores]\n"b.md" = ["unused-suppression"]\n')
    assert found(monkeypatch, capsys, root, *UNUSED_SEL, ".") == [("a.md", 1, 1, "NL005", DEAD_MSG)]
    status, out, err = run(monkeypatch, capsys, root, "fix", "--no-cache", *UNUSED_SEL, ".")
    assert (status, err) == (0, "")
    assert (root / "a.md").read_text() == "clean\n"
    assert (root / "b.md").read_text() == DEAD


def test_the_notes_own_suppression_can_silence_an_unused_suppression_finding(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"n.md": "<!-- notelint-disable-next-line unused-suppression -->\n" + DEAD})
    assert found(monkeypatch, capsys, root, *UNUSED_SEL, ".") == []


def test_an_unused_suppression_in_a_read_only_note_is_not_fixable(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"n.md": DEAD})
    os.chmod(root / "n.md", 0o444)
    status, out, err = run(monkeypatch, capsys, root, "check", "--no-cache", "--format", "json", *UNUSED_SEL, ".")
    [f] = json.loads(out)
    assert (f["path"], f["code"], f["fixable"]) == ("n.md", "NL005", False)


def test_a_suppression_keeps_silencing_when_the_findings_come_from_the_cache(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"used.md": USED, "n.md": "trailing \n"})
    for _ in range(2):
        status, out, err = run(monkeypatch, capsys, root, "check", "--format", "json", "--select", "whitespace", ".")
        assert [(f["path"], f["line"]) for f in json.loads(out)] == [("n.md", 1)]


def test_fix_removes_only_the_dead_suppression_and_fixes_the_rest(monkeypatch, capsys, tmp_path):
    text = DEAD + USED + "tail \n#Tag #tag\n"
    root = make(tmp_path, {"n.md": text}, '[per-file-ignores]\n"other.md" = ["whitespace"]\n')
    status, out, err = run(monkeypatch, capsys, root, "fix", "--no-cache", "--select",
                           "whitespace,unused-suppression,tag-style", ".")
    assert err == ""
    assert (root / "n.md").read_text() == "clean\n" + USED + "tail\n#Tag #tag\n"
    assert "Fixed 2 findings in 1 file." in out


def test_a_rule_switched_off_for_a_note_does_not_stop_the_rules_after_it(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"n.md": "trailing \n<!-- notelint-disable-next-line no-such-rule -->\nx\n"},
                '[per-file-ignores]\n"n.md" = ["whitespace"]\n')
    assert [(p, line, code) for p, line, _c, code, _m in
            found(monkeypatch, capsys, root, "--select", "whitespace,invalid-suppression", ".")] == [("n.md", 2, "NL004")]


# --------------------------------------------------------------------------- options and paths


def test_without_a_path_the_current_folder_is_checked(monkeypatch, tmp_path):
    root = make(tmp_path, {"n.md": "x\n"})
    monkeypatch.chdir(root)
    [ws], _warnings = engine.prepare([], engine.RunOptions(no_cache=True, select=["whitespace"]))
    assert (ws.vault.root, ws.targets, ws.explicit) == (root, ["n.md"], None)


def test_command_line_rule_choices_reach_the_run(monkeypatch, capsys, tmp_path):
    root = make(tmp_path, {"n.md": DEAD + "trailing \n#Tag #tag\n", "only-tags.toml": 'select = ["tag-style"]\n'})

    def codes(*args):
        return [code for _p, _l, _c, code, _m in found(monkeypatch, capsys, root, *args, ".")]

    assert codes() == ["NL003", "NL202"]
    assert codes("--config", "only-tags.toml") == ["NL202"]
    assert codes("--ignore", "whitespace") == ["NL202"]
    assert codes("--extend-select", "unused-suppression") == ["NL005", "NL003", "NL202"]


def test_a_warning_two_instances_of_a_rule_give_is_printed_once(monkeypatch, capsys, tmp_path):
    config = ('[rules.frontmatter-fields]\nrequire = [{paths = ["nomatch/*"], keys = ["title"]}]\n'
              '[[overrides]]\npaths = ["n.md"]\n[overrides.rules.frontmatter-fields]\n'
              'require = [{paths = ["nomatch/*"], keys = ["title"]}, {paths = ["*"], keys = ["id"]}]\n')
    root = make(tmp_path, {"n.md": "---\ntitle: t\nid: x\n---\nbody\n"}, config)
    status, out, err = run(monkeypatch, capsys, root, "check", "--no-cache", "--select", "frontmatter-fields", ".")
    assert err == "notelint: warning: frontmatter-fields: require table 1: the glob 'nomatch/*' matches no note\n"
    assert status == 0
