"""`Rule.screen`: a rule with vault context says, from the vault index alone, on which notes its
`check` may report; the others are not read again to be checked (`incremental._contextual_rows`).
A screen that says no where `check` reports would lose a finding, so every such rule is held
to it on every fixture vault, with options that make it report more."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notelint import checking, engine
from notelint.cache import is_cacheable

FIXTURES = Path(__file__).parent / "fixtures"
VAULTS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
OPTIONS = {  # besides the defaults: options that make the screened rules report more
    "defaults": "",
    "stricter": '[rules.note-id]\nrequire-new-style = true\n\n[rules.tag-style]\nconvention = "lower-kebab"\n',
}


def _workspace(tmp_path: Path, vault: str, extra: str) -> engine.Workspace:
    root = tmp_path / vault
    shutil.copytree(FIXTURES / vault, root)
    config = root / ".notelint.toml"
    text = config.read_text("utf-8") if config.exists() else ""
    for block in filter(None, extra.split("\n\n")):  # each `[rules.X]` table, merged into the vault's own
        header, _, body = block.partition("\n")
        text = text.replace(header + "\n", block + "\n", 1) if header + "\n" in text else text + "\n" + block + "\n"
    config.write_text(text, "utf-8")
    workspaces, _warnings = engine.prepare([str(root)], engine.RunOptions(select=["ALL"], no_cache=True))
    ws = workspaces[0]
    ws.prepare_rules()
    return ws


@pytest.mark.parametrize("options", sorted(OPTIONS))
@pytest.mark.parametrize("vault", VAULTS)
def test_a_note_screened_out_has_no_finding_of_that_rule(tmp_path, vault, options):
    ws = _workspace(tmp_path, vault, OPTIONS[options])
    contextual = [r for r in ws.note_rules if not is_cacheable(r)]
    screened_out = 0
    for rel in ws.targets:
        note = checking.load_note(ws.vault, rel)  # as a worker reads it: not the note held here
        for rule in contextual:
            instance = rule.for_path(rel)
            if instance is None or instance.screen(rel):
                continue
            screened_out += 1
            found = list(instance.check(note)) if note.readable or not instance.needs_valid_note else []
            assert found == [], f"{instance.name} screened out {rel} but reports {found}"
    if contextual and ws.targets:
        assert screened_out, "no note was screened out: the screens were not exercised"


def test_the_rules_with_vault_context_screen_and_the_others_are_cached(tmp_path):
    """Which rules need the vault index to check a note, by default: each of them has a screen."""
    ws = _workspace(tmp_path, "dendron-vault", "")
    contextual = sorted(r.name for r in ws.note_rules if not is_cacheable(r))
    assert contextual == ["dangling-image", "dangling-link", "note-id", "tag-style"]
    for rule in ws.note_rules:
        if rule.name in contextual:
            assert type(rule).screen is not engine.Rule.screen, rule.name


def test_a_note_held_or_read_again_gets_the_same_findings(tmp_path):
    """A rule with vault context reads a note's links and tags from the index when the note
    was read from the bytes the index describes, and parses them when it was not (a fix pass)."""
    ws = _workspace(tmp_path, "links-dendron", "")
    contextual = [r for r in ws.note_rules if not is_cacheable(r)]
    for rel in ws.targets:
        for rule in contextual:
            rule.screen(rel)  # (reads the note's facts, as a run's screening does before the check)
        ws._notes.pop(rel, None)  # (without a cache, facts are read from the notes held here)
        read_again = checking.load_note(ws.vault, rel)
        assert ws.indexed(read_again)
        in_memory = read_again.derive(read_again.text)  # what a fix pass checks: not the index's
        assert not ws.indexed(in_memory)
        assert checking.note_findings(read_again, contextual, ws.vault) == \
            checking.note_findings(in_memory, contextual, ws.vault)
