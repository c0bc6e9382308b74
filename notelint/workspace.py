"""A vault being checked: its rules, the notes asked about, and what the run learnt so far.

Held by the orchestrator (`engine.py`) and read by the rules (`prepare`, `check_vault`) and the
incremental layer; the vault index rules build their context from comes through `note_facts` and
`asset_facts`, cached and computed over processes (`incremental.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notelint import incremental
from notelint.note import Note
from notelint.rule import Rule
from notelint.vault import Vault

if TYPE_CHECKING:
    from notelint.cache import ResultsCache


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
    # each note's (digest, read-only?) once read this run, without a cache (with one: `cache.digests`)
    digests: dict = field(default_factory=dict)
    # the stat signature of each note about to be read, taken before the read (`incremental.peek`)
    read_sigs: dict = field(default_factory=dict)
    # notes read for their digest only, kept unparsed for their next reader (`incremental.set_aside`)
    set_aside: dict = field(default_factory=dict)
    set_aside_bytes: int = 0
    # what the vault-scope rules read while they run, when their findings may be kept (`scoped.py`)
    reads: dict | None = None
    # kind -> {note: fact} computed by the workers that parsed the notes this run (`incremental.keep_facts`)
    fresh_facts: dict = field(default_factory=dict)
    # the cacheable rules whose `prepare` reads the config were prepared (`incremental.prepare_config_rules`)
    config_prepared: bool = False
    # the vault-scope rules' findings of the last `check`, before suppressions: the language
    # server lints an open buffer against them (`lsp/session.py`)
    scope_findings: list = field(default_factory=list)

    def note_facts(self, kind: str, extract, rels=None) -> dict:
        """`extract(note)` (a module-level function returning JSON data) for every note of
        the vault (or `rels`): the cached vault index, computed over processes when many
        notes changed. See `incremental.note_facts`."""
        return incremental.note_facts(self, kind, extract, rels)

    def asset_facts(self, kind: str, extract, rels=None) -> dict:
        """`extract(absolute path)` for every image (or `rels`), cached by the file's stat
        signature, over processes when many changed (image hashes). See `incremental.asset_facts`."""
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
        for facts in self.fresh_facts.values():
            facts.pop(rel, None)
        self.stale = True

    def indexed(self, note: Note) -> bool:
        """Whether the vault index (`note_facts`) describes this note: it is the note held here,
        or (none is held) it was read from the bytes the index's facts were taken of. A rule then
        reads the note's links and tags from the index instead of parsing it again."""
        held = self._notes.get(note.rel)
        if held is not None or not note.raw:
            return held is note
        known = (self.cache.digests if self.cache is not None else self.digests).get(note.rel)
        return known is not None and known[0] == incremental.note_digest(note)

    def read_only(self, rel: str) -> bool:
        """Whether note `rel` is never written (`Note.read_only`), known without reading it when its
        stat signature is unchanged (`incremental.fingerprint`)."""
        if self.reads is not None:
            self.reads["modes"].add(rel)
        return incremental.fingerprint(self, rel)[1]

    def note(self, rel: str) -> Note:
        if self.reads is not None:
            self.reads["notes"].add(rel)
        if rel not in self._notes:
            self._notes[rel] = incremental.read_note(self, rel)
        return self._notes[rel]

    @property
    def note_rules(self) -> list[Rule]:
        return [r for r in self.rules if r.scope == "note"]

    @property
    def vault_rules(self) -> list[Rule]:
        return [r for r in self.rules if r.scope == "vault"]
