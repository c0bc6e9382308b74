"""The fix loop's guards (`engine.fix_note`), driven by fake rules that exist only here.

No shipped rule breaks a note or never settles, so these rules are made to: one whose fix breaks
the frontmatter's YAML, one that unfences it, one that opens a frontmatter block in a note that
had none, one that needs many passes, one whose fixes undo each other and one that grows the note
for ever. They are registered for a run by patching `registry.all_rules` (what `perpath.select_rules`
reads), never by a file under `rules/`, and selected with `--select` (they are off by default).
Each test checks the bytes on disk, what `notelint fix` prints (text and JSON) and its exit code.
"""

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
from notelint.vault import Vault

NOT_PARSED = "not fixed: the fixed text would not parse as well as the original"
UNDOING = "not fixed: its fixes undo each other (please report this)"
STILL_CHANGING = "not fixed: still changing after 100 passes"


class _Splice(Rule):
    """While `find` is in the note, one finding whose safe fix replaces its first occurrence by
    `replace` (one edit a pass: the loop needs a pass per occurrence)."""

    fix = "safe"
    default = False
    find = ""
    replace = ""

    def check(self, note):
        at = note.text.find(self.find)
        if at >= 0:
            yield self.finding(note, at, at + len(self.find), f"fake: `{self.find}`",
                               [Edit(at, at + len(self.find), self.replace)])


def _splice(name: str, code: str, find: str, replace: str) -> type[Rule]:
    return type(f"Fake_{code}", (_Splice,), {"name": name, "code": code, "find": find, "replace": replace})


BREAK_YAML = _splice("fake-break-yaml", "NL901", "title: ok", "title: [ok")  # a flow list never closed
UNFENCE = _splice("fake-unfence", "NL902", "\n---\n", "\n--\n")  # the closing fence goes
OPEN_FENCE = _splice("fake-open-fence", "NL903", "START", "---")  # a block opened on line 1, never closed
AS_LIST = _splice("fake-as-list", "NL904", "title: ok", "- title")  # the block becomes a list, not a mapping
COUNT_DOWN = _splice("fake-count-down", "NL905", "x", "")  # one `x` less a pass
GROW = _splice("fake-grow", "NL906", "grow", "grow+")  # a new text every pass, for ever


class Flip(Rule):
    """Turns `ping` into `pong` and `pong` back into `ping`: the second pass restores the first text."""

    name = "fake-flip"
    code = "NL907"
    fix = "safe"
    default = False

    def check(self, note):
        for word, other in (("ping", "pong"), ("pong", "ping")):
            at = note.text.find(word)
            if at >= 0:
                yield self.finding(note, at, at + 4, "fake flip", [Edit(at, at + 4, other)])
                return


FAKES = (BREAK_YAML, UNFENCE, OPEN_FENCE, AS_LIST, COUNT_DOWN, GROW, Flip)


@pytest.fixture
def fakes(monkeypatch):
    """The shipped rules plus the fake ones, for this test's runs only."""
    real = registry.all_rules()
    monkeypatch.setattr(registry, "all_rules", lambda: tuple(sorted((*real, *FAKES), key=lambda r: r.code)))
    monkeypatch.delenv("NOTELINT_OUTPUT_FORMAT", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def vault_with(tmp_path: Path, data: bytes) -> Path:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "note.md").write_bytes(data)
    return tmp_path / "note.md"


def fix(monkeypatch, capsys, folder: Path, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(folder)
    status = cli.main(["fix", "--no-cache", *args, "."])
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return status, out, err


def outcome(text: str, *rules: type[Rule]) -> engine.FixOutcome:
    vault = Vault(root=Path("/nonexistent-vault"), flavor="obsidian", config=Config(), notes=["note.md"])
    return engine.fix_note(Note.from_text(text), [r() for r in rules], vault)


# ----------------------------------------------------------- a fix that breaks the note


BROKEN_CASES = [  # (rule, original text): each fix leaves the note's frontmatter unreadable
    (BREAK_YAML, "---\r\ntitle: ok\r\n---\r\ntrailing \r\n"),  # YAML syntax: CRLF, a BOM below
    (UNFENCE, "---\ntitle: ok\n---\ntrailing \n"),  # the block is never closed
    (OPEN_FENCE, "START\ntitle: ok\ntrailing \n"),  # no frontmatter before; an unclosed one after
    (AS_LIST, "---\ntitle: ok\n---\ntrailing \n"),  # a list, not a mapping of keys
]


@pytest.mark.parametrize("rule, text", BROKEN_CASES, ids=[r.name for r, _ in BROKEN_CASES])
def test_a_fix_that_breaks_the_frontmatter_keeps_the_original_bytes(fakes, monkeypatch, capsys, tmp_path, rule, text):
    """The whole note is left as it was, the whitespace fix on another line included (a fix is
    all or nothing per note), the message names the note, and the findings stay (exit 1)."""
    original = b"\xef\xbb\xbf" + text.encode("utf-8")
    note = vault_with(tmp_path, original)
    before = os.stat(note)
    status, out, err = fix(monkeypatch, capsys, tmp_path, "--select", f"{rule.name},whitespace")
    assert note.read_bytes() == original
    assert os.stat(note).st_ino == before.st_ino and os.stat(note).st_mtime_ns == before.st_mtime_ns  # never rewritten
    assert err == f"notelint: note.md: {NOT_PARSED}\n"
    assert status == 1
    assert f"{rule.code} [{rule.name}] fake:" in out and "NL003 [whitespace]" in out  # both findings are still reported
    assert "Fixed 0 findings in 0 files." in out


def test_the_guard_message_and_findings_with_json_output(fakes, monkeypatch, capsys, tmp_path):
    """With `--format json` stdout stays one JSON document (the unfixed finding, still fixable);
    the message goes to stderr."""
    original = b"---\ntitle: ok\n---\nbody\n"
    note = vault_with(tmp_path, original)
    status, out, err = fix(monkeypatch, capsys, tmp_path, "--select", BREAK_YAML.name, "--format", "json")
    assert note.read_bytes() == original
    assert err == f"notelint: note.md: {NOT_PARSED}\n"
    assert status == 1
    [finding] = json.loads(out)
    assert (finding["path"], finding["line"], finding["code"]) == ("note.md", 2, "NL901")
    assert finding["fix"]["edits"][0]["content"] == "title: [ok"


# ----------------------------------------------------------- the bound on passes


def test_thirty_passes_settle_fully(fakes, monkeypatch, capsys, tmp_path):
    """More passes than any fixture needs, and well under the bound: every `x` is gone."""
    note = vault_with(tmp_path, ("count " + "x" * 30 + "\n").encode())
    status, out, err = fix(monkeypatch, capsys, tmp_path, "--select", COUNT_DOWN.name)
    assert note.read_bytes() == b"count \n"
    assert (status, err) == (0, "")
    assert "Fixed 30 findings in 1 file." in out
    result = outcome("x" * 30, COUNT_DOWN)
    assert (result.text, result.passes, result.applied, result.problem) == ("", 31, 30, None)


def test_the_bound_is_exactly_one_hundred_passes():
    """99 changes settle on the 100th pass (which finds nothing left); 100 changes do not."""
    settled = outcome("x" * 99, COUNT_DOWN)
    assert (settled.text, settled.passes, settled.applied, settled.problem) == ("", 100, 99, None)
    cut = outcome("x" * 100, COUNT_DOWN)
    assert (cut.text, cut.passes, cut.applied, cut.problem) == ("x" * 100, 100, 0, STILL_CHANGING)


# ----------------------------------------------------------- fixes that never settle


def test_fixes_that_grow_for_ever_stop_after_the_bound(fakes, monkeypatch, capsys, tmp_path):
    original = b"# Grow\r\n\r\ngrow\r\n"
    note = vault_with(tmp_path, original)
    before = os.stat(note)
    status, out, err = fix(monkeypatch, capsys, tmp_path, "--select", GROW.name)
    assert note.read_bytes() == original
    assert os.stat(note).st_mtime_ns == before.st_mtime_ns
    assert err == f"notelint: note.md: {STILL_CHANGING}\n"
    assert status == 1
    assert "note.md:3:1: NL906 [fake-grow] fake: `grow` (fixable)" in out and "Fixed 0 findings in 0 files." in out
    status, out, err = fix(monkeypatch, capsys, tmp_path, "--select", GROW.name, "--format", "json")
    assert (status, err) == (1, f"notelint: note.md: {STILL_CHANGING}\n")
    assert [f["code"] for f in json.loads(out)] == ["NL906"]
    assert note.read_bytes() == original


def test_fixes_that_undo_each_other_are_caught_at_once(fakes, monkeypatch, capsys, tmp_path):
    original = b"ping\n"
    note = vault_with(tmp_path, original)
    status, out, err = fix(monkeypatch, capsys, tmp_path, "--select", Flip.name)
    assert note.read_bytes() == original
    assert err == f"notelint: note.md: {UNDOING}\n"
    assert status == 1
    assert "note.md:1:1: NL907 [fake-flip] fake flip (fixable)" in out
    status, out, err = fix(monkeypatch, capsys, tmp_path, "--select", Flip.name, "--format", "json")
    assert (status, err) == (1, f"notelint: note.md: {UNDOING}\n")
    assert [f["code"] for f in json.loads(out)] == ["NL907"]
    result = outcome("ping\n", Flip)
    assert (result.text, result.passes, result.applied) == ("ping\n", 2, 0)  # pass 2 brings back the original
