"""Runs the rules: paths -> vaults -> notes -> findings, and the fix loop.

Each PATH belongs to the vault found above it; paths of one vault are checked together so
vault-wide rules see the whole vault but report only what involves the files asked for.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from notelint import config as config_mod
from notelint import edits as edits_mod
from notelint import incremental, perpath, suppression
from notelint.cache import ResultsCache
from notelint.checking import check_note, judged_rules, load_note, note_findings, unused_findings, writable
from notelint.finding import Finding
from notelint.note import Note
from notelint.rule import Rule
from notelint.vault import Vault, find_root, is_note_name, open_vault
from notelint.workspace import Workspace

__all__ = [  # the per-note steps live in `checking`, the vault being checked in `workspace`
    "FixOutcome", "RunOptions", "UsageError", "Workspace", "check", "check_note", "fix_note", "judged_rules",
    "load_note", "note_findings", "prepare", "unused_findings", "writable",
]

MAX_FIX_PASSES = 100


class UsageError(Exception):
    """A mistake on the command line (exit 2)."""


@dataclass
class RunOptions:
    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] | None = None
    exclude: list[str] = field(default_factory=list)
    config: Path | None = None
    strict_config: bool = False
    unsafe_fixes: bool = False
    no_cache: bool = False
    fixing: bool = False  # the run is `notelint fix` (rules see it as `Rule.fixing`)


def prepare(paths: list[str], opts: RunOptions) -> tuple[list[Workspace], list[str]]:
    """Group PATHs by vault, load each vault's config and rules; (workspaces, warnings)."""
    warnings: list[str] = []
    groups: dict[Path, list[Path]] = {}
    for raw in paths or ["."]:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{raw}: no such file or folder")
        root = find_root(Path(os.path.abspath(path)))
        groups.setdefault(root, []).append(Path(os.path.abspath(path)))
    workspaces = []
    for root, members in groups.items():
        cfg = config_mod.load(root, opts.config)
        warnings.extend(cfg.warnings)
        cfg.exclude = cfg.exclude + list(opts.exclude)
        vault = open_vault(root, cfg)
        warnings.extend(vault.warnings)
        rules, rule_warnings = perpath.select_rules(
            cfg, vault.flavor, opts.select, opts.ignore, opts.extend_select, opts.strict_config
        )
        warnings.extend(rule_warnings)
        for rule in rules:
            rule.fixing = opts.fixing
        targets, explicit = _targets(vault, members)
        if rules and rules[0].per_path is not None:  # the instances overrides need, made before any is prepared
            rules[0].per_path.materialise([*vault.notes, *vault.assets, *targets])
        ws = Workspace(vault, rules, targets, explicit)
        if not opts.no_cache:
            ws.cache = ResultsCache.open(vault, rules)
        warnings.extend(incremental.prepare_rules(ws))  # skipped when the cache knows this vault state
        workspaces.append(ws)
    return workspaces, warnings


def _targets(vault: Vault, members: list[Path]) -> tuple[list[str], set[str] | None]:
    """The notes to check for the PATHs given, and the files named (None: a folder was given).
    A folder gives its linted notes; notes outside every vault of a Dendron workspace only when
    the folder itself lies outside every vault (a `templates/` folder named on purpose); a file
    is checked when named, unless `exclude` matches it."""
    notes: set[str] = set()
    explicit: set[str] | None = set()
    for path in members:
        if path.is_dir():
            explicit = None
            prefix = vault.rel(path)
            if prefix == ".":
                notes.update(vault.notes)
                continue
            notes.update(n for n in vault.notes if n.startswith(prefix + "/"))
            if not vault.in_vault(prefix) and not vault.holds_vault(prefix):
                notes.update(n for n in vault.outside_notes if n.startswith(prefix + "/"))
        else:
            rel = vault.rel(path)
            if vault.excluded(rel):
                continue
            if explicit is not None:
                explicit.add(rel)
            if is_note_name(path.name):
                notes.add(rel)
    return sorted(notes), explicit


def check(ws: Workspace) -> list[Finding]:
    if ws.stale:
        ws.prepare_rules()
    findings: list[Finding] = []
    for rel, problem in ws.vault.problems:
        if ws.explicit is not None and rel not in ws.explicit:
            continue  # given only some files (pre-commit), report only on those
        findings.append(Finding(rel, 1, 1, "unreadable-note", "NL001", problem))
    raw = incremental.check_notes(ws, ws.note_rules)  # cached, over processes when many
    by_name = {rule.name: rule for rule in ws.rules}
    targets = set(ws.targets)
    ws.scope_findings = []
    for f in incremental.vault_findings(ws):  # the vault-scope rules' (from the cache if the vault is unchanged)
        if ws.explicit is not None and f.path not in ws.explicit and not set(f.related) & ws.explicit:
            continue
        if f.path not in targets and not ws.vault.linted(f.path):
            continue  # an excluded file, or one outside every vault: resolved against, never reported
        if by_name[f.rule].for_path(f.path) is None:
            continue
        raw.append(f)
        ws.scope_findings.append(f)
    findings.extend(_suppress(ws, raw))
    findings.sort(key=Finding.sort_key)
    incremental.finish(ws)  # write the cache
    return findings


def _suppress(ws: Workspace, raw: list[Finding]) -> list[Finding]:
    """The findings no suppression silences, and `unused-suppression`'s (when it runs) for the
    directives of the notes checked that silenced none of them."""
    unused_rule = next((r for r in ws.rules if r.name == suppression.UNUSED_RULE), None)
    notes = set(ws.vault.notes) | set(ws._notes)
    by_note: dict[str, list[Finding]] = {}
    out: list[Finding] = []
    for f in raw:
        if f.path in notes:
            by_note.setdefault(f.path, []).append(f)
        else:
            out.append(f)  # an image or other file: nothing in it can suppress
    rels = set(by_note) | (set(ws.targets) if unused_rule is not None else set())
    facts = _suppression_facts(ws, sorted(rels))
    targets = set(ws.targets) if unused_rule is not None else set()
    for rel in sorted(rels):
        found = by_note.get(rel, [])
        if not facts.get(rel):  # (most notes) no suppressions
            out.extend(found)
            continue
        sup = suppression.from_fact(facts[rel])
        kept, used = suppression.apply(found, sup)
        out.extend(kept)
        here = unused_rule.for_path(rel) if rel in targets else None
        if here is not None:
            dead = sup.unused(used, judged_rules(ws.rules, ws.vault, rel))
            if dead:
                out.extend(unused_findings(here, ws.note(rel), sup, dead))
    return out


def _suppression_facts(ws: Workspace, rels: list[str]) -> dict:
    """Each note's suppression entries: as the workers read them while checking, else from the
    cached vault index (computed, and cached, for the notes it lacks: parsed here or read again)."""
    out = {rel: ws.suppression_facts[rel] for rel in rels if rel in ws.suppression_facts}
    missing = [rel for rel in rels if rel not in out]
    if missing:
        out.update(ws.note_facts(suppression.FACT, suppression.fact, missing))
    return out


@dataclass
class FixOutcome:
    text: str  # the fixed text (== note.text when nothing changed)
    passes: int
    applied: int
    problem: str | None = None  # why the fix was abandoned, if it was
    by_rule: dict[str, int] = field(default_factory=dict)  # rule code -> fixes applied (`--show-fixes`)

    def changed(self, note: Note) -> bool:
        return self.text != note.text


def fix_note(note: Note, rules: list[Rule], vault: Vault, unsafe: bool = False) -> FixOutcome:
    """Apply fixes until the text stops changing (at most 100 passes).

    A note that could not be decoded, whose frontmatter is broken, or that lies outside
    the vault is never changed. Fixes that undo each other, or a result that parses worse
    than the original, abandon the fix and keep the original text.
    """
    if not note.readable:
        return FixOutcome(note.text, 0, 0, "not fixed: the file could not be read as UTF-8 text")
    if note.frontmatter.error:
        return FixOutcome(note.text, 0, 0, "not fixed: its frontmatter cannot be parsed")
    if note.read_only:
        return FixOutcome(note.text, 0, 0, f"not fixed: {note.read_only}")
    fixers = [r for r in rules if r.fix == "safe" or (unsafe and r.fix == "unsafe")]
    vault_fixers = [r.for_path(note.rel) for r in fixers if r.scope == "vault"]
    vault_fixers = [r for r in vault_fixers if r is not None]
    current = note
    seen = {hashlib.blake2b(note.text.encode("utf-8", "surrogatepass")).digest()}
    applied = 0
    by_rule: dict[str, int] = {}
    for passes in range(1, MAX_FIX_PASSES + 1):
        candidates = [
            (f.code, f.fix) for f in _fixable_findings(current, rules, fixers, vault)
            if f.fix is not None and (f.fix.safe or unsafe)
        ]
        candidates += [(r.code, fix) for r in vault_fixers for fix in r.note_fixes(current) if fix.edits]
        if not candidates:
            break
        chosen = edits_mod.choose(candidates)
        text = edits_mod.apply(current.text, chosen)
        if text == current.text:
            break
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass")).digest()
        if digest in seen:
            return FixOutcome(note.text, passes, 0, "not fixed: its fixes undo each other (please report this)")
        seen.add(digest)
        applied += len(chosen)
        code_of = {id(fix): code for code, fix in candidates}
        for fix in chosen:
            by_rule[code_of[id(fix)]] = by_rule.get(code_of[id(fix)], 0) + 1
        current = note.derive(text)
    else:
        return FixOutcome(note.text, MAX_FIX_PASSES, 0, f"not fixed: still changing after {MAX_FIX_PASSES} passes")
    if current is not note and current.frontmatter.error and not note.frontmatter.error:
        return FixOutcome(note.text, passes, 0, "not fixed: the fixed text would not parse as well as the original")
    return FixOutcome(current.text, passes, applied, by_rule=by_rule)



def _fixable_findings(note: Note, rules: list[Rule], fixers: list[Rule], vault: Vault) -> list[Finding]:
    """The fixers' findings on the note as it is now. When `unused-suppression` is among them
    and the note has suppressions, whether one is used depends on every rule's findings: all
    the per-note rules run (vault-scope rules report on image files, which no note suppresses)."""
    unused_rule = next((r for r in fixers if r.name == suppression.UNUSED_RULE), None)
    sup = suppression.of(note) if unused_rule is not None and note.readable else None
    if sup is None or sup.empty or unused_rule.for_path(note.rel) is None:
        return check_note(note, fixers, vault)
    kept, used = suppression.apply(note_findings(note, [r for r in rules if r.scope == "note"], vault), sup)
    names = {r.name for r in fixers}
    dead = sup.unused(used, judged_rules(rules, vault, note.rel))
    here = unused_rule.for_path(note.rel)
    return [f for f in kept if f.rule in names] + (unused_findings(here, note, sup, dead) if dead else [])
