"""Runs that reuse earlier work: per-note results from the cache, the vault index, whole runs.

The main process reads each note's bytes once (or only its stat signature, when the cache
saw the file unchanged), digests them and asks the cache (`cache.py`). What the cache
cannot answer is computed, over worker processes when there is enough of it (`parallel.py`):

* `check_notes`: findings of the per-note rules, before suppressions (`engine.check` applies
  them from each note's suppression entries, a cached note fact). The cacheable ones (`is_cacheable`) come
  from the cache or from workers. Rules with vault context are prepared here from the vault
  index, which the workers that parsed the notes sent back with their findings (`preparse`);
  then only the notes some rule's `screen` picks are checked with them, by workers forked
  after `prepare` (they share the rules' context). A `check` run holds no parsed note.
* `prepare_rules`, `vault_findings`, `finish`: when the vault is exactly as at a run the
  cache remembers, the rules are not prepared at all and that run's findings are reused.
* `note_facts`, `asset_facts`: the cached vault index rules build their context from.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notelint import checking, parallel, scoped, suppression
from notelint.rule import Rule as BaseRule
from notelint.cache import (dump_finding, is_cacheable, json_fact, listing_digest, load_finding,
                            stat_signature, vault_state)
from notelint.cache import note_digest as cache_digest  # (kept per note here: `note_digest`)

if TYPE_CHECKING:
    from notelint.workspace import Workspace
    from notelint.finding import Finding
    from notelint.note import Note
    from notelint.rule import Rule


def note_digest(note: Note) -> str | None:
    """`cache.note_digest`, kept with the note for the bytes it was taken of: a note held in memory
    is asked for its digest by every fact and by the check (ten times a note, 4 s of a 100,000-note
    run); bytes set anew (`fix` writing a note) are digested anew."""
    held = note._cache.get("digest")
    if held is not None and held[0] is note.raw:
        return held[1]
    digest = cache_digest(note)
    note._cache["digest"] = (note.raw, digest)
    return digest


def peek(ws: Workspace, rel: str) -> tuple[str | None, bool, Note | None] | None:
    """(digest, read-only?, the note if held in memory) of a note when it is known without reading
    the file: held in memory (possibly rewritten by `fix`), read earlier in this run, or unchanged
    since the cache last saw it (its stat signature). None when it must be read: its stat signature
    is kept (taken before the read, whoever reads it) for `remember`."""
    note = ws._notes.get(rel)
    if note is not None:
        return note_digest(note), bool(note.read_only), note
    memo = _memo(ws)
    if rel in memo:
        return (*memo[rel], None)
    cache = ws.cache
    if cache is not None:
        sig = stat_signature(os.path.join(ws.vault.root, rel))  # (str: no Path per note)
        known = cache.known_digest(rel, sig)
        if known is not None:
            memo[rel] = known
            return (*known, None)
        ws.read_sigs[rel] = sig
    return None


def remember(ws: Workspace, rel: str, digest: str | None, read_only: bool) -> None:
    """A note was read, here or by a worker: its digest serves the rest of the run and, under the
    stat signature `peek` took before the read, the next run."""
    _memo(ws)[rel] = (digest, read_only)
    if ws.cache is not None:
        ws.cache.remember_digest(rel, ws.read_sigs.pop(rel, None), digest, read_only)


def fingerprint(ws: Workspace, rel: str) -> tuple[str | None, bool, Note | None]:
    """(digest, read-only?, the note if it had to be read) of a note: `peek`, else read here.
    A note read only for its digest is set aside (`set_aside`) for whoever needs its text next."""
    found = peek(ws, rel)
    if found is not None:
        return found
    note = checking.load_note(ws.vault, rel)
    remember(ws, rel, note_digest(note), bool(note.read_only))
    set_aside(ws, note)
    return note_digest(note), bool(note.read_only), note


# notes read but not yet parsed are kept for their next reader up to this many bytes of text in
# all: enough for every note of a large vault, bounded for a huge one (beyond it, read again)
SET_ASIDE_BYTES = 64 * 1024 * 1024


def set_aside(ws: Workspace, note: Note) -> None:
    size = len(note.raw) + len(note.text)
    if ws.set_aside_bytes + size <= SET_ASIDE_BYTES:
        ws.set_aside[note.rel] = note
        ws.set_aside_bytes += size


def read_note(ws: Workspace, rel: str) -> Note:
    """The note from disk: the one set aside when it was read earlier in this run, else read now."""
    note = ws.set_aside.pop(rel, None)
    if note is not None:
        ws.set_aside_bytes -= len(note.raw) + len(note.text)
        return note
    note = checking.load_note(ws.vault, rel)
    remember(ws, rel, note_digest(note), bool(note.read_only))
    return note


def _memo(ws: Workspace) -> dict[str, tuple[str | None, bool]]:
    return ws.cache.digests if ws.cache is not None else ws.digests


def _many(count: int, minimum: int) -> bool:
    """Enough work to pay for worker processes, and more than one process to use."""
    return count >= parallel.threshold(minimum) and parallel.jobs() > 1


# --------------------------------------------------------------------------- checking


def check_notes(ws: Workspace, rules: list[Rule]) -> list[Finding]:
    """Findings of the per-note `rules` on `ws.targets`, from the cache where it knows them."""
    cacheable = [r for r in rules if is_cacheable(r)]
    contextual = [r for r in rules if not is_cacheable(r)]
    cache = ws.cache
    results: dict[str, list[Finding]] = {}
    todo: list[str] = []
    if cacheable:
        for rel in ws.targets:
            found = peek(ws, rel) if cache is not None else None  # (without a cache nothing is looked up)
            if found is not None and found[0]:
                hit = cache.findings(rel, found[0], found[1])
                if hit is not None:
                    results[rel] = hit
                    continue
            todo.append(rel)
    rows_by_rel: dict[str, tuple[str | None, bool, list[list]]] = {}
    preparsed = ws.context.get("preparsed-rows", {})
    for rel in todo:
        pre = preparsed.get(rel)
        if pre is not None and (rel not in ws._notes or note_digest(ws._notes[rel]) == pre[0]):
            rows_by_rel[rel] = pre  # checked by a worker while it parsed the note (not rewritten since)
    if cacheable:
        prepare_config_rules(ws, cacheable)
    # notes held in memory (rewritten by `fix`, or parsed already by a rule's `prepare`) are
    # checked here; the others are read and checked by workers when there are enough of them
    remote = [rel for rel in todo if rel not in ws._notes and rel not in rows_by_rel]
    facts: dict[str, list | None] = {}  # suppression entries of the notes checked but not kept here
    if _many(len(remote), parallel.MIN_NOTES):
        items = [(rel, cache.digest_with(rel) if cache is not None else None) for rel in remote]
        done = parallel.pool_map(parallel.check_chunk, parallel.chunks(items, parallel.CHUNK), ws.vault, cacheable)
        if done is not None:
            for chunk in done:
                for rel, digest, read_only, rows, fact in chunk:
                    remember(ws, rel, digest, read_only)
                    hit = cache.findings(rel, digest, read_only) if rows is None else None
                    if hit is not None:
                        results[rel] = hit
                    elif rows is not None:
                        rows_by_rel[rel] = (digest, read_only, rows)
                        facts[rel] = fact
                    # (else: cached for other permissions: checked below, in this process)
    for rel in todo:
        if rel in rows_by_rel or rel in results:
            continue
        note = ws._notes.get(rel)
        if note is None:  # read here, once: its cached findings may still serve (a file touched, not changed)
            note = read_note(ws, rel)
            digest, read_only = note_digest(note), bool(note.read_only)
            hit = cache.findings(rel, digest, read_only) if cache is not None and digest else None
            if hit is not None:
                results[rel] = hit
                continue
            facts[rel] = suppression.fact(note)
        rows_by_rel[rel] = (note_digest(note), bool(note.read_only), parallel.check_rows(note, cacheable, ws.vault))
    clocked = {r.name for r in cacheable if r.clock_dependent}
    for rel, (digest, read_only, rows) in rows_by_rel.items():
        # keyed by the bytes that were checked; a finding that time alone can make wrong (a
        # date in the future) is not kept: such a note is checked again next run. The rows are
        # the findings before suppressions: `engine.check` applies those (and judges them).
        if cache is not None and digest is not None and not any(row[3] in clocked for row in rows):
            cache.put_findings(rel, digest, read_only, rows)
        if rel in facts:
            ws.suppression_facts[rel] = facts[rel]
            if cache is not None and digest is not None:
                cache.put_note_fact(rel, digest, suppression.FACT, facts[rel])
        results[rel] = [load_finding(row) for row in rows]  # the cache's own path: warm == cold
    reused = ws.context.get("vault-results")
    if contextual and reused is not None and not all(rel in reused["notes"] for rel in ws.targets):
        warnings = ws.prepare_rules()  # (not expected: the vault state covers the targets) compute them after all
        if cache is not None:
            cache.pending["warnings"] = list(warnings)  # what the entry stored for this state repeats
        reused = None
    recording = cache.pending["notes"] if cache is not None and cache.state and reused is None else None
    contextual_rows = _contextual_rows(ws, contextual) if contextual and reused is None else {}
    findings: list[Finding] = []
    for rel in ws.targets:
        findings.extend(results.get(rel, ()))
        if not contextual:
            continue
        rows = reused["notes"][rel] if reused is not None else contextual_rows[rel]
        if recording is not None:
            recording[rel] = rows
        findings.extend(load_finding(row) for row in rows)
    return findings


def _contextual_rows(ws: Workspace, contextual: list[Rule]) -> dict[str, list[list]]:
    """The rows of the rules with vault context (prepared) on each note to check. A note held in
    memory is checked here; of the others, only those some rule's `screen` says it may report on
    are read and parsed again, by workers forked now (they share the rules' vault context) when
    there are many: the rest have no finding of these rules, and no parsed note is held."""
    out: dict[str, list[list]] = {}
    pending: list[str] = []
    for rel in ws.targets:
        if rel in ws._notes:
            out[rel] = parallel.check_rows(ws._notes[rel], contextual, ws.vault)
        elif any(rule.screen(rel) for rule in (r.for_path(rel) for r in contextual) if rule is not None):
            pending.append(rel)
        else:
            out[rel] = []
    done = None
    if _many(len(pending), parallel.MIN_NOTES):
        done = parallel.pool_map(parallel.context_chunk, parallel.chunks(pending, parallel.CHUNK), ws.vault,
                                 contextual, fork_only=True)
    if done is not None:
        out.update((rel, rows) for chunk in done for rel, rows in chunk)
    else:
        for rel in pending:  # read here, checked, and not kept
            note = read_note(ws, rel) if rel not in ws._notes else ws._notes[rel]
            out[rel] = parallel.check_rows(note, contextual, ws.vault)
    return out


# --------------------------------------------------------------------------- whole runs


def prepare_rules(ws: Workspace) -> list[str]:
    """`ws.prepare_rules()`, unless the vault is exactly as it was at a run the cache remembers
    (every note's bytes, every image's stat signature, the config, the notes asked for): then
    the rules with vault context are not prepared at all and their findings come from the cache.
    Returns the rules' warnings either way."""
    cache = ws.cache
    contextual = [r for r in ws.rules if not is_cacheable(r)]
    if cache is None or not contextual or any(getattr(r, "fixing", False) for r in ws.rules):
        return _prepare_with_parsed_notes(ws, contextual)
    # the notes to check that must be read anyway are read (and parsed, and checked) by workers
    # first, once: the vault state needs their digests, and a state the cache does not know
    # (the usual case when notes changed) needs them parsed
    early = preparse(ws, [rel for rel in ws.targets if peek(ws, rel) is None])
    notes = [(rel, _state_digest(*fingerprint(ws, rel)[:2])) for rel in _state_notes(ws)]
    assets = []
    for rel in ws.vault.all_assets:
        sig, racy = cache.asset_before(ws.vault.abs(rel))
        # an image written within the last tick could change again unseen by its stat
        # signature: such a state is not remembered (None), and the next run computes again
        assets.append((rel, None if sig is None or racy else sig))
    listing = listing_digest(ws.vault)
    cache.state = vault_state(cache.key, notes, assets, ws.targets, ws.explicit, listing)
    cache.scope, cache.scope_whole = scoped.whole_scope(cache.key, listing, assets, ws.targets, ws.explicit,
                                                        ws.vault.in_vault)
    entry = cache.vault_results(cache.state) if cache.state else None
    if entry is None:
        warnings = _prepare_with_parsed_notes(ws, contextual, early)
        cache.pending["warnings"] = list(warnings)
        return warnings
    ws.context["vault-results"] = entry
    ws.stale = False
    return list(entry.get("warnings", []))


def _state_digest(digest: str | None, read_only: bool) -> str | None:
    """A note's part of the vault state: its bytes, and whether `fix` may write it (a finding's
    fix is dropped on a read-only note, so a `chmod` changes what the rules report)."""
    return digest if digest is None or not read_only else digest + "-r"


def _state_notes(ws: Workspace) -> list[str]:
    """The notes whose bytes rules with vault context may read: every note of the vault, those
    `exclude` matches (links resolve to them), and notes outside every vault named as PATHs."""
    notes = ws.vault.all_notes
    extra = [rel for rel in ws.targets if not ws.vault.in_vault(rel)]
    return sorted({*notes, *extra}) if extra else notes


def _prepare_with_parsed_notes(ws: Workspace, contextual: list[Rule], early: dict | None = None) -> list[str]:
    """`ws.prepare_rules()`, after parsing the notes to check over processes when the rules with
    vault context are going to read all of them in this process anyway (they run here); `early`:
    the rows of those parsed already."""
    early = early or {}
    rows = {**early, **preparse(ws, [rel for rel in ws.targets if rel not in early])} if contextual else {}
    warnings = list(ws.prepare_rules())
    if rows:
        ws.context["preparsed-rows"] = rows
    return warnings


def preparse(ws: Workspace, rels: list[str]) -> dict[str, tuple[str | None, bool, list[list]]]:
    """Parse many notes in workers, once each: each comes back with the findings of the cacheable
    rules (which `check_notes` then takes instead of checking again) and its vault index facts
    (`index_kinds`, which the rules' `prepare` then reads without parsing). A `fix` run keeps the
    parsed notes too (`parallel.parse_chunk`). Notes already in memory, and small inputs, are left
    to be parsed lazily here (and kept). Where no pool runs (one core, `NOTELINT_JOBS=1`), a
    `check` of many notes does the workers' work here, dropping each note once checked: 100,000
    notes held took 3.3 GB in one process."""
    todo = [rel for rel in rels if rel not in ws._notes]
    if len(todo) < parallel.threshold(parallel.MIN_NOTES):
        return {}
    cacheable = [r for r in ws.note_rules if is_cacheable(r)]
    prepare_config_rules(ws, cacheable)
    keep = keeps_notes(ws)
    kinds = {**index_kinds(ws), suppression.FACT: suppression.fact}
    tasks = [(kinds, chunk, keep) for chunk in parallel.chunks(todo, parallel.CHUNK)]
    done = parallel.pool_map(parallel.parse_chunk, tasks, ws.vault, cacheable) if parallel.jobs() > 1 else None
    if done is None:
        if keep:
            return {}  # (`fix`: parsed lazily here, and kept for the fix)
        done = [parallel.parse_notes(ws.vault, cacheable, *task) for task in tasks]
    rows: dict[str, tuple[str | None, bool, list[list]]] = {}
    for i, chunk in enumerate(done):
        done[i] = None  # each chunk's pickles are freed as soon as they are unpacked
        for rel, digest, read_only, found, facts, blob in chunk:
            remember(ws, rel, digest, read_only)
            if blob is not None:  # the note as the worker read it: this process neither reads nor parses it again
                ws._notes[rel] = checking.parsed_note(ws.vault, rel, pickle.loads(blob))
            keep_facts(ws, rel, digest, facts)
            rows[rel] = (digest, read_only, found)
    return rows


def keeps_notes(ws: Workspace) -> bool:
    """Whether parsed notes are worth holding in this process: in a `fix` run, which rewrites them
    here. A `check` run holds none it can help (see `parallel.parse_chunk`)."""
    return any(getattr(r, "fixing", False) for r in ws.rules)


def index_kinds(ws: Workspace) -> dict[str, Callable[[Note], Any]]:
    """Fact kind -> extract of every vault index fact the rules read of the notes: the per-note
    rules' `index_facts` and the vault-scope rules' `vault_facts`. A worker that parses a note
    computes them all at once, so that no note is parsed twice for its facts."""
    out: dict[str, Callable[[Note], Any]] = {}
    for rule in ws.rules:
        for instance in rule.instances():
            out.update(instance.index_facts)
            if rule.scope == "vault" and instance.vault_facts:
                out.update(instance.vault_facts)
    return out


def keep_facts(ws: Workspace, rel: str, digest: str | None, facts: dict[str, Any]) -> None:
    """Facts a worker computed of a note as read now: for the rest of the run (`ws.fresh_facts`,
    which `note_facts` reads first) and for the next (the cache, keyed by the note's bytes)."""
    for kind, value in facts.items():
        ws.fresh_facts.setdefault(kind, {})[rel] = value
        if ws.cache is not None and digest is not None:
            ws.cache.put_note_fact(rel, digest, kind, value)


def prepare_config_rules(ws: Workspace, rules: list[Rule]) -> None:
    """`prepare` the cacheable rules that declare `cacheable = True` while overriding it (their
    `prepare` reads only the config: section-label takes required-sections' schemas), before they
    check in workers or here: a run whose vault context is reused whole never prepares them."""
    if ws.config_prepared:
        return
    for rule in rules:
        for instance in rule.instances():
            if type(instance).prepare is not BaseRule.prepare:
                list(instance.prepare(ws))  # (its warnings come with `ws.prepare_rules`)
    ws.config_prepared = True


def vault_findings(ws: Workspace) -> list[Finding]:
    """What the vault-scope rules report (before filtering for the files asked for)."""
    reused = ws.context.get("vault-results")
    if reused is not None:
        return [load_finding(row) for row in reused["vault"]]
    rows = scoped.reused(ws, fingerprint)  # (the rules' findings when what they read is unchanged)
    if rows is None:
        scoped.record(ws)
        try:
            rows = [dump_finding(f) for rule in ws.vault_rules for f in rule.check_vault(ws)]
        except BaseException:
            ws.reads = None
            raise
        scoped.keep(ws, rows, fingerprint)
    if ws.cache is not None and ws.cache.state:
        ws.cache.pending["vault"] = rows
    return [load_finding(row) for row in rows]


def finish(ws: Workspace) -> None:
    """After a check: forget deleted files, remember this run's vault results, write the cache."""
    cache = ws.cache
    if cache is None:
        return
    if ws.explicit is None and set(ws.vault.notes) <= set(ws.targets):
        cache.prune(_state_notes(ws), ws.vault.all_assets)
    pending = cache.pending
    if cache.state and "vault-results" not in ws.context and pending["vault"] is not None:
        notes = pending["notes"]
        contextual = any(not is_cacheable(r) for r in ws.note_rules)
        if not contextual or all(rel in notes for rel in ws.targets):
            cache.put_vault_results(cache.state, pending["warnings"], notes, pending["vault"])
    cache.state = cache.scope = cache.scope_whole = None  # a later check of this workspace (after `fix`) starts over
    cache.pending = {"notes": {}, "vault": None, "warnings": []}
    cache.save()


# --------------------------------------------------------------------------- facts: the vault index


def note_facts(ws: Workspace, kind: str, extract: Callable[[Note], Any],
               rels: Iterable[str] | None = None) -> dict[str, Any]:
    """`extract(note)` for every note (default: every note of the vault), cached by the note's
    content, computed over processes when many are missing. `kind` names the fact (and should
    change when `extract` changes meaning); `extract` must be a module-level function returning
    JSON data (lists, dicts, strings, numbers), so it can run in a worker and be cached."""
    cache = ws.cache
    rels = list(ws.vault.notes if rels is None else rels)
    if ws.reads is not None:
        scoped.read_facts(ws, kind, rels)
    out: dict[str, Any] = {}
    todo: list[str] = []
    fresh = ws.fresh_facts.get(kind, {})
    # a few notes' facts are computed rather than looked up in a table not decoded yet (five
    # notes read and parsed: 5 ms; the headings of a 10,000-note vault decoded: 25 ms)
    lookup = cache is not None and cache.facts_at_hand(kind, len(rels))
    held = cache.fact_getter(kind) if lookup else None
    memo, in_memory = _memo(ws), ws._notes
    for rel in rels:  # (10,000 notes, four kinds, in a pre-commit run: kept tight)
        if rel in fresh:  # computed by the worker that parsed the note this run
            out[rel] = fresh[rel]
            continue
        known = memo.get(rel) if rel not in in_memory else None
        digest = known[0] if known is not None else (peek(ws, rel) or (None,))[0]
        if held is not None and digest:
            hit, value = held(rel, digest)
            if hit:
                out[rel] = value
                continue
        todo.append(rel)
    # notes not in memory are read once, where the fact is computed: by workers when many
    remote = [rel for rel in todo if rel not in ws._notes]
    computed: dict[str, tuple[str | None, Any]] = {}
    keep = keeps_notes(ws)
    if len(remote) >= parallel.threshold(parallel.MIN_NOTES) and (not keep or parallel.jobs() > 1):
        items = [(rel, cache.digest_with(rel, kind) if cache is not None else None) for rel in remote]
        kinds = {**index_kinds(ws), kind: extract}
        tasks = [(kind, kinds, c, keep) for c in parallel.chunks(items, parallel.CHUNK)]
        done = parallel.pool_map(parallel.facts_chunk, tasks, ws.vault, []) if parallel.jobs() > 1 else None
        if done is None and not keep:  # one process: every index fact of a note at once, the note not kept
            done = [parallel.notes_facts(ws.vault, *task) for task in tasks]
        if done is not None:
            for chunk in done:
                for rel, digest, read_only, parsed, facts, blob in chunk:
                    remember(ws, rel, digest, read_only)
                    if not parsed:  # the bytes the cache holds the fact of (a file touched, not changed)
                        out[rel] = cache.note_fact(rel, digest, kind)[1]
                        continue
                    # every index fact of the note came with it: the next kind asked is taken here
                    keep_facts(ws, rel, digest, facts)
                    out[rel] = facts[kind]
                    if blob is not None:  # (`fix`) the note as the worker parsed it, for its check here
                        ws._notes[rel] = checking.parsed_note(ws.vault, rel, pickle.loads(blob))
    for rel in todo:
        if rel in computed or rel in out:
            continue
        note = ws._notes.get(rel)
        if note is None:
            note = read_note(ws, rel)
            digest = note_digest(note)
            # kept with what `extract` parsed: the next fact asked of it (rules ask for several,
            # one kind at a time), or its check, neither reads nor parses it again
            ws._notes[rel] = note
            hit, value = cache.note_fact(rel, digest, kind) if lookup and digest else (False, None)
            if hit:  # (a file touched, not changed)
                computed[rel] = (None, value)  # (None: nothing new to store)
                continue
        computed[rel] = (note_digest(note), extract(note))
    for rel in todo:
        if rel not in computed:
            continue  # served by the cache
        digest, value = computed[rel]
        value = json_fact(value, kind)
        if cache is not None and digest is not None:
            cache.put_note_fact(rel, digest, kind, value)
        out[rel] = value
    return out


def asset_facts(ws: Workspace, kind: str, extract: Callable[[str], Any],
                rels: Iterable[str] | None = None) -> dict[str, Any]:
    """`extract(absolute path)` for every image (default: every asset of the vault), cached by
    the file's stat signature (see `cache.py`), over processes when many are missing. The same
    contract as `note_facts`: a module-level function returning JSON data, never raising."""
    cache = ws.cache
    rels = list(ws.vault.assets if rels is None else rels)
    if ws.reads is not None:
        scoped.read_assets(ws, rels)
    out: dict[str, Any] = {}
    todo: list[tuple[str, str]] = []
    for rel in rels:
        path = ws.vault.abs(rel)
        if cache is not None:
            found, value = cache.asset_fact(rel, path, kind)
            if found:
                out[rel] = value
                continue
        todo.append((rel, str(path)))
    before = {rel: cache.asset_before(Path(path)) for rel, path in todo} if cache is not None else {}
    # the first file in this process: its imports (Pillow, imagehash, numpy) are then loaded
    # once, before the fork, instead of once per worker
    values: list[Any] = [extract(todo[0][1])] if todo else []
    rest = todo[1:]
    if len(rest) >= parallel.threshold(parallel.MIN_ASSETS) and parallel.jobs() > 1:
        size = max(1, min(parallel.CHUNK, len(rest) // (parallel.jobs() * 4) or 1))
        tasks = [(extract, c) for c in parallel.chunks(rest, size)]
        done = parallel.pool_map(parallel.asset_chunk, tasks, ws.vault, [])
        if done is not None:
            values += [v for chunk in done for v in chunk]
    if len(values) < len(todo):
        values += [extract(path) for _rel, path in rest]
    for (rel, _path), value in zip(todo, values):
        value = json_fact(value, kind)
        if cache is not None:
            cache.put_asset_fact(rel, before[rel], kind, value)
        out[rel] = value
    return out
