"""One note, start to findings: read it from the vault and run the per-note rules on it.

The bottom of the pipeline: the worker processes (`parallel.py`), the incremental layer
(`incremental.py`) and the orchestrator (`engine.py`) all read and check notes through here,
so imports run one way (engine -> workspace -> incremental -> parallel -> checking).
"""

from __future__ import annotations

import functools
import os
import stat

from notelint import suppression, templates
from notelint.finding import Finding
from notelint.note import Note
from notelint.rule import Rule
from notelint.source import DecodeError
from notelint.vault import Vault, special_file


def load_note(vault: Vault, rel: str) -> Note:
    """The note as it is on disk: read once, decoded, never parsed here (parsing is lazy).
    A file that cannot be read or decoded gives a note with `read_error`; one reached through a
    link out of the vault, or not writable, a note with `read_only`."""
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


def parsed_state(note: Note) -> tuple:
    """What a worker sends back of a note it read and parsed (`parsed_note` rebuilds it): its
    bytes (`fix` compares them before writing), text, and parsed frontmatter and Markdown."""
    parsed = {k: note.__dict__[k] for k in ("frontmatter", "markdown") if k in note.__dict__}
    exc = note.read_error
    error = (str(exc), exc.line, exc.column) if exc is not None else None
    return note.raw, note.text, note.bom, error, note.read_only, note.template, parsed


def parsed_note(vault: Vault, rel: str, state: tuple) -> Note:
    """The note a worker read and parsed, as `load_note` and parsing would have made it here."""
    raw, text, bom, error, read_only, template, parsed = state
    note = Note(path=vault.abs(rel), rel=rel, text=text, bom=bom, raw=raw, flavor=vault.flavor,
                read_error=DecodeError(*error) if error is not None else None, read_only=read_only,
                template=template)
    note.__dict__.update(parsed)  # what the cached properties hold
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


