"""The resolution property (issue 16, "Deliver"): `fix` never turns a reference that resolved into
one that does not.

Every fixture vault under tests/fixtures/ (discovered, so a vault added there is covered without
editing this file) is copied, every image and note reference in it is resolved with notelint's own
resolver (`notelint.resolve`, the flavor's resolution: Obsidian's lookup order, Dendron's hierarchy
names), `fix` is run (and, on a fresh copy, `fix --unsafe-fixes`), and every reference is resolved
again. References are paired per note by their order of occurrence: the written references before
and after are aligned (difflib) on their text, so a reference a fix rewrote pairs with the reference
it was. Then:

* a reference that resolved ("ok") before resolves after, to the same file, or to the canonical
  copy of that image when duplicate-image relinked it (the same picture, by that rule's finding);
* a reference that resolved is never lost (a fix deleting it is as bad as breaking it);
* a reference a fix rewrote resolves after (a relink must point at a file that is there); only a
  `#heading` it did not touch may still be missing.
"""

from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import FIXTURES
from notelint import engine, resolve
from notelint.cli import main

VAULTS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@dataclass(frozen=True)
class Ref:
    written: str  # the whole reference as it stands in the note (`![a](x.png)`, `[[Note#H|alias]]`)
    status: str  # the resolver's verdict: "ok", "missing", "case", "heading", "outside", ...
    target: str | None  # the file it resolves to, relative to the copied vault


def vault_base(ws, root) -> str:
    """The workspace's vault root relative to the copied fixture ("." when it is the copy itself);
    both real paths, as the vault finder resolves symlinks (a temporary folder may sit behind one)."""
    return Path(os.path.realpath(ws.vault.root)).relative_to(os.path.realpath(root)).as_posix()


def resolve_all(root) -> dict[tuple[str, str], list[Ref]]:
    """(note path, "image" or "note") -> the note's references of that kind, in text order."""
    workspaces, _ = engine.prepare([str(root)], engine.RunOptions(no_cache=True))
    out: dict[tuple[str, str], list[Ref]] = {}
    for ws in workspaces:
        base = vault_base(ws, root)

        def where(rel, base=base):
            return None if rel is None else (rel if base == "." else f"{base}/{rel}")

        images, notes = resolve.vault_images(ws), resolve.vault_notes(ws)
        for rel in ws.vault.notes:
            note = ws.note(rel)
            for kind, refs, index in (("image", resolve.image_refs(note), images),
                                      ("note", resolve.note_refs(note), notes)):
                rows = []
                for ref in refs:
                    res = index.resolve(ref)
                    rows.append(Ref(note.text[ref.start:ref.end], res.status, where(res.target)))
                out[(where(rel), kind)] = rows
    return out


def pairs(before: list[Ref], after: list[Ref]):
    """(before, after or None) for every reference before: aligned on the written text, a replaced
    run paired in order; a reference with no partner after was lost."""
    matcher = difflib.SequenceMatcher(None, [r.written for r in before], [r.written for r in after], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "insert":
            continue
        for k in range(i2 - i1):
            yield before[i1 + k], (after[j1 + k] if j1 + k < j2 else None)


def duplicate_relinks(root) -> set[tuple[str, str]]:
    """(copy, canonical) for every image duplicate-image reports in the vault as it is now."""
    workspaces, _ = engine.prepare([str(root)], engine.RunOptions(select=["duplicate-image"], no_cache=True))
    out = set()
    for ws in workspaces:
        base = vault_base(ws, root)
        prefix = "" if base == "." else base + "/"
        out |= {(prefix + f.path, prefix + f.related[0]) for f in engine.check(ws) if f.related}
    return out


def broken_by_fix(root, *fix_args, capsys) -> list[str]:
    """Run `notelint fix` on the vault copy at `root`; every way a reference got worse."""
    before = resolve_all(root)
    relinks = duplicate_relinks(root)
    main(["fix", "--no-cache", "--quiet", *fix_args, str(root)])
    capsys.readouterr()  # the run's report is not under test here
    after = resolve_all(root)
    problems = []
    for key, refs in before.items():
        for old, new in pairs(refs, after.get(key, [])):
            where = f"{key[0]}: {old.written!r} ({old.status} {old.target})"
            if new is None:
                if old.status == "ok":
                    problems.append(f"{where}: the reference is gone")
                continue
            now = f"{new.written!r} ({new.status} {new.target})"
            if old.status == "ok" and (new.status != "ok" or (
                    new.target != old.target and (old.target, new.target) not in relinks)):
                problems.append(f"{where} became {now}")
            elif new.written != old.written and new.status not in ("ok", "heading"):
                problems.append(f"{where} was rewritten to {now}, which does not resolve")
    return problems


@pytest.mark.parametrize("unsafe", [False, True], ids=["fix", "fix-unsafe"])
@pytest.mark.parametrize("vault", VAULTS)
def test_fix_never_breaks_a_reference_that_resolved(vault, unsafe, tmp_path, capsys):
    root = tmp_path / vault
    shutil.copytree(FIXTURES / vault, root, symlinks=True)
    problems = broken_by_fix(root, *(["--unsafe-fixes"] if unsafe else []), capsys=capsys)
    assert not problems, "\n".join(problems)


def test_the_property_sees_every_kind_of_reference():
    """The fixture vaults hold references of each kind that resolve, and ones a fix relinks, so the
    property above is not vacuous."""
    seen = {"image-ok": 0, "note-ok": 0, "image-fixable": 0, "note-fixable": 0}
    for vault in VAULTS:
        for (_, kind), refs in resolve_all(FIXTURES / vault).items():
            for ref in refs:
                if ref.status == "ok":
                    seen[f"{kind}-ok"] += 1
                elif ref.status == "case":
                    seen[f"{kind}-fixable"] += 1
    assert all(seen.values()), seen
