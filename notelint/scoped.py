"""The vault-scope rules' findings, reused while what those rules read is unchanged.

A run on a few changed notes misses the whole-run reuse (`incremental.prepare_rules`: every
note's bytes are part of that vault state), yet unreadable-image and duplicate-image read of the
notes only their image references: a note edited elsewhere (a tag added, a line typed) changes
nothing they report, and resolving the vault's 20,000 references and going over 2,000 images
again cost most of such a run. So their findings are kept under a *scope key*: the run key, every
file name, every image's stat signature, the notes asked for and the files named. With them is
kept what else the rules read: a digest of every note's facts of the kinds they declare
(`Rule.vault_facts`) and the digest of each note they read whole (`ws.note`: duplicate-image's
relinks). A later run with the same scope key takes the findings when those are unchanged.

While the rules run, what they read is recorded (`Workspace.reads`, filled by `incremental`
and `Workspace.note`). A fact kind no rule declared, or facts or images outside the vault's
lists, and nothing is kept: a stale entry must never hide a finding. A rule that declares
nothing (`vault_facts = None`) turns the reuse off.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

try:  # the fast encoder; without it `json` writes the text digested
    import orjson
except ImportError:  # pragma: no cover - a dependency
    orjson = None

from notelint.cache import digest_with_assets

if TYPE_CHECKING:
    from notelint.workspace import Workspace

Fingerprint = Callable[["Workspace", str], tuple]  # `incremental.fingerprint`: (digest, read-only?, note)


def scope_key(key: str, listing: str, assets: list[tuple[str, list[int] | None]], targets: list[str],
              explicit: set[str] | None, in_vault: Callable[[str], bool] | None = None) -> str | None:
    """The digest of everything the vault-scope rules may read besides the notes; None when an
    image's signature could not be trusted (unreadable, or written within the last tick). With
    `in_vault`, the notes asked for enter only when they lie outside every vault: the rules'
    findings do not depend on which notes of the vault were asked for (`whole_scope`)."""
    h = hashlib.blake2b(f"scope\0{key}\0{listing}".encode(), digest_size=16)
    if in_vault is not None:
        targets = [rel for rel in targets if not in_vault(rel)]
    return digest_with_assets(h, assets, targets, explicit)


def whole_scope(key: str, listing: str, assets: list[tuple[str, list[int] | None]], targets: list[str],
                explicit: set[str] | None, in_vault: Callable[[str], bool]) -> tuple[str | None, str | None]:
    """(this run's scope key, the key of a whole-vault run it may reuse). A run given files
    (pre-commit) may take the findings of a run given folders (no files named): duplicate-image
    then computed its relinks for every group, a superset of what a run given files computes, and
    the engine keeps the same findings of both (those naming or related to a file given). So a
    whole-vault run keys its findings without the notes asked for, and a run given files looks for
    its own entry first, then for the whole-vault one."""
    whole = scope_key(key, listing, assets, targets, None, in_vault)
    if explicit is None:
        return whole, None
    return scope_key(key, listing, assets, targets, explicit), whole


def declared(ws: Workspace) -> dict[str, Callable] | None:
    """Fact kind -> extract of every fact the vault-scope rules read; None when one declares none."""
    out: dict[str, Callable] = {}
    for rule in ws.vault_rules:
        if rule.vault_facts is None:
            return None
        out.update(rule.vault_facts)
    return out


def _notes(ws: Workspace) -> list[str]:
    """The notes whose facts are digested: every note of the vault (`exclude` matched too) and
    the notes outside every vault that were asked for."""
    notes = ws.vault.all_notes
    extra = [rel for rel in ws.targets if not ws.vault.in_vault(rel)]
    return sorted({*notes, *extra}) if extra else notes


def _fact_digests(ws: Workspace, kinds: dict[str, Callable]) -> dict[str, str]:
    """Kind -> digest of every note's fact of that kind (once a run)."""
    memo = ws.context.setdefault("scope-facts", {})
    rels = _notes(ws)
    for kind, extract in kinds.items():
        if kind not in memo:
            facts = ws.note_facts(kind, extract, rels)
            memo[kind] = hashlib.blake2b(facts_text([[rel, facts.get(rel)] for rel in rels]), digest_size=16).hexdigest()
    return {kind: memo[kind] for kind in kinds}


def facts_text(rows: list) -> bytes:
    """The bytes a kind's digest is taken of: orjson's (ten times faster), unless they hold a
    `null`, which may be a NaN or an infinity orjson wrote so: then `json`'s, which keeps them
    apart. Each encoder's text is tagged, so the two never stand for each other."""
    if orjson is not None:
        try:
            text = orjson.dumps(rows)
        except TypeError:  # an integer past 64 bits, a lone surrogate
            text = b"null"
        if b"null" not in text:
            return b"o" + text
    return b"j" + json.dumps(rows, ensure_ascii=True, check_circular=False).encode("ascii")


def reused(ws: Workspace, fingerprint: Fingerprint) -> list[list] | None:
    """The vault-scope findings (cached rows) of an earlier run that read what this one would."""
    cache, kinds = ws.cache, declared(ws)
    if cache is None or cache.scope is None or kinds is None:
        return None
    for scope in (cache.scope, cache.scope_whole):
        entry = cache.scoped_results(scope) if scope is not None else None
        if entry is not None and _still(ws, entry, kinds, fingerprint):
            return entry["rows"]
    return None


def _still(ws: Workspace, entry: dict, kinds: dict[str, Callable], fingerprint: Fingerprint) -> bool:
    """Whether what the rules read at the entry's run reads the same now."""
    if sorted(entry["facts"]) != sorted(kinds) or _fact_digests(ws, kinds) != entry["facts"]:
        return False
    for rel, known in entry["notes"].items():
        digest, read_only, _note = fingerprint(ws, rel)
        if [digest, read_only] != known:
            return False
    return all(fingerprint(ws, rel)[1] == read_only for rel, read_only in entry.get("modes", {}).items())


def record(ws: Workspace) -> None:
    """Start recording what the vault-scope rules read (when their findings could be kept)."""
    usable = ws.cache is not None and ws.cache.scope is not None and declared(ws) is not None
    ws.reads = {"kinds": set(), "notes": set(), "modes": set(), "outside": False} if usable else None


def read_facts(ws: Workspace, kind: str, rels: Iterable[str]) -> None:
    """`ws.note_facts(kind, …, rels)` was asked while recording."""
    ws.reads["kinds"].add(kind)
    if not set(rels) <= set(_notes(ws)):
        ws.reads["outside"] = True


def read_assets(ws: Workspace, rels: Iterable[str]) -> None:
    """`ws.asset_facts(…, rels)` was asked while recording: images the scope key covers?"""
    if not set(rels) <= set(ws.vault.all_assets):
        ws.reads["outside"] = True


def keep(ws: Workspace, rows: list[list], fingerprint: Fingerprint) -> None:
    """Stop recording; remember the findings with what they were computed from, if that is known."""
    reads, ws.reads = ws.reads, None
    kinds = declared(ws)
    cache = ws.cache
    if reads is None or kinds is None or cache is None or cache.scope is None:
        return
    if reads["outside"] or not reads["kinds"] <= set(kinds):
        return
    notes: dict[str, list[Any]] = {}
    for rel in sorted(reads["notes"]):
        digest, read_only, _note = fingerprint(ws, rel)
        if digest is None:
            return  # a note known only in memory, or unreadable: nothing to compare it with
        notes[rel] = [digest, read_only]
    modes = {rel: fingerprint(ws, rel)[1] for rel in sorted(reads["modes"])}  # whether each may be written
    cache.put_scoped_results(cache.scope, {"facts": _fact_digests(ws, kinds), "notes": notes, "modes": modes,
                                           "rows": rows})
