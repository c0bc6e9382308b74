"""Runs the rules: paths -> vaults -> notes -> findings, and the fix loop.

Each PATH belongs to the vault found above it; paths of one vault are checked together so
vault-wide rules see the whole vault but report only what involves the files asked for.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from notelint import config as config_mod
from notelint import edits as edits_mod
from notelint import suppression, templates
from notelint.finding import Finding
from notelint.note import Note
from notelint.rule import Rule
from notelint.source import DecodeError
from notelint.vault import Vault, find_root, is_note_name, open_vault, special_file

if False:  # typing only (cache.py is imported when a run opens the cache)
    from notelint.cache import ResultsCache

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


@dataclass
class Workspace:
    """One vault, the rules configured for it, and the notes the user asked about."""

    vault: Vault
    rules: list[Rule]
    targets: list[str]  # vault-relative notes to check
    explicit: set[str] | None  # every file named on the command line (None: whole folders)
    _notes: dict[str, Note] = field(default_factory=dict)
    stale: bool = True  # the rules' vault context must be (re)computed before checking
    # indexes several rules share (image references, tag spellings), built by the first
    # rule that needs one and dropped whenever a fix rewrote a note
    context: dict = field(default_factory=dict)
    cache: ResultsCache | None = None  # `.notelint_cache/` (None with --no-cache)
    # suppression entries (`suppression.fact`) of notes this run checked without keeping them
    suppression_facts: dict = field(default_factory=dict)

    def note_facts(self, kind: str, extract, rels=None) -> dict:
        """`extract(note)` (a module-level function returning JSON data) for every note of
        the vault (or `rels`): the cached vault index, computed over processes when many
        notes changed. See `incremental.note_facts`."""
        from notelint import incremental

        return incremental.note_facts(self, kind, extract, rels)

    def asset_facts(self, kind: str, extract, rels=None) -> dict:
        """`extract(absolute path)` for every image (or `rels`), cached by the file's stat
        signature, over processes when many changed (image hashes). See `incremental.asset_facts`."""
        from notelint import incremental

        return incremental.asset_facts(self, kind, extract, rels)

    def prepare_rules(self) -> list[str]:
        """Let every rule compute its vault context; returns their warnings."""
        self.context.clear()
        warnings: list[str] = []
        for rule in self.rules:
            for instance in rule.instances():  # the rule's instances for [[overrides]] too
                for warning in instance.prepare(self):
                    if warning not in warnings:  # an instance for overrides may warn alike
                        warnings.append(warning)
        self.stale = False
        return warnings

    def replace_note(self, rel: str, note: Note) -> None:
        """A note `fix` rewrote: later checks read the new text, with fresh vault context."""
        self._notes[rel] = note
        self.suppression_facts.pop(rel, None)
        self.stale = True

    def note(self, rel: str) -> Note:
        if rel not in self._notes:
            self._notes[rel] = load_note(self.vault, rel)
        return self._notes[rel]

    @property
    def note_rules(self) -> list[Rule]:
        return [r for r in self.rules if r.scope == "note"]

    @property
    def vault_rules(self) -> list[Rule]:
        return [r for r in self.rules if r.scope == "vault"]


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
        rules, rule_warnings = config_mod.select_rules(
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
            from notelint.cache import ResultsCache

            ws.cache = ResultsCache.open(vault, rules)
        from notelint import incremental

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


def load_note(vault: Vault, rel: str) -> Note:
    path = vault.abs(rel)
    special = special_file(path)  # a named pipe would block the run for ever: never opened
    if special:
        note = Note(path=path, rel=rel, flavor=vault.flavor)
        note.read_error = DecodeError(special)
        return note
    try:
        data = path.read_bytes()
    except OSError as exc:
        note = Note(path=path, rel=rel, flavor=vault.flavor)
        note.read_error = DecodeError(f"the file cannot be read: {exc.strerror or exc}")
        return note
    note = Note.from_bytes(path, rel, data, vault.flavor)
    note.template = rel in vault.templates
    try:
        st = os.lstat(path)
    except OSError:
        st = None
    linked = st is None or stat.S_ISLNK(st.st_mode)
    if linked:
        real = os.path.realpath(path)
    else:  # the folder's real path is looked up once per folder, not once per note
        real = os.path.join(_real_folder(os.path.dirname(path)), os.path.basename(path))
    root = _real_folder(str(vault.root))
    if os.path.commonpath([real, root]) != root:
        note.read_only = "it is a link to a file outside the vault"
    elif not (os.stat(real) if linked else st).st_mode & stat.S_IWUSR:
        note.read_only = "the file is read-only (make it writable to let notelint fix it)"
    return note


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def note_findings(note: Note, rules: list[Rule], vault: Vault) -> list[Finding]:
    """Findings of the per-note rules on one note (each as configured for its path), before
    suppressions (which `check` applies from the note's cached suppression entries, so the cache
    keeps what they silenced). A template's placeholders are no mistakes: findings on them are dropped."""
    findings: list[Finding] = []
    for rule in rules:
        rule = rule.for_path(note.rel)
        if rule is None or (not note.readable and rule.needs_valid_note):
            continue
        findings.extend(rule.check(note))
    if note.readable and findings:
        findings = templates.outside_placeholders(note, findings)
    if not writable(note):
        for f in findings:
            f.fix = None  # `fix` will not write this note, so nothing here is fixable
    return findings


def check_note(note: Note, rules: list[Rule], vault: Vault) -> list[Finding]:
    """Findings of the per-note rules on one note, suppressions applied."""
    findings = note_findings(note, rules, vault)
    if note.readable and findings:
        findings, _used = suppression.apply(findings, suppression.of(note))
    return findings


def judged_rules(rules: list[Rule], vault: Vault, rel: str) -> set[str]:
    """The rules whose suppressions in note `rel` this run can judge: those that ran on it
    (enabled, and not switched off for it by per-file-ignores). As rumdl's MD087, and unlike
    ruff's RUF100 (which also reports codes that are not enabled), a suppression for a rule
    that did not run is never reported: a pre-commit or CI run with `--select` would otherwise
    call every other suppression unused, and `fix` would remove them."""
    return {r.name for r in rules if r.for_path(rel) is not None} - {suppression.UNUSED_RULE}


def unused_findings(rule: Rule, note: Note, sup: suppression.Suppressions, dead) -> list[Finding]:
    """`unused-suppression`'s findings for the `dead` directives of a note, less those the
    note's own suppressions silence."""
    found = [f for f in rule.report(note, sup, dead) if not sup.suppressed(rule.name, f.line)]
    if not writable(note):
        for f in found:
            f.fix = None
    return found


def writable(note: Note) -> bool:
    return note.readable and not note.frontmatter.error and not note.read_only


def check(ws: Workspace) -> list[Finding]:
    if ws.stale:
        ws.prepare_rules()
    findings: list[Finding] = []
    for rel, problem in ws.vault.problems:
        if ws.explicit is not None and rel not in ws.explicit:
            continue  # given only some files (pre-commit), report only on those
        findings.append(Finding(rel, 1, 1, "unreadable-note", "NL001", problem))
    from notelint import incremental

    raw = incremental.check_notes(ws, ws.note_rules)  # cached, over processes when many
    by_name = {rule.name: rule for rule in ws.rules}
    targets = set(ws.targets)
    for f in incremental.vault_findings(ws):  # the vault-scope rules' (from the cache if the vault is unchanged)
        if ws.explicit is not None and f.path not in ws.explicit and not set(f.related) & ws.explicit:
            continue
        if f.path not in targets and not ws.vault.linted(f.path):
            continue  # an excluded file, or one outside every vault: resolved against, never reported
        if by_name[f.rule].for_path(f.path) is None:
            continue
        raw.append(f)
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
