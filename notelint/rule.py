"""The interface every rule implements. A rule is one module in `rules/` holding one
subclass of `Rule`; the registry finds it, so adding a rule means adding one file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from notelint.finding import Edit, Finding, Fix
from notelint.options import Option
from notelint.plugin_rule import PluginRule

if TYPE_CHECKING:
    from notelint.workspace import Workspace
    from notelint.note import Note
    from notelint.perpath import PathRules


class Rule:
    """Base class. Subclasses set the class attributes and override `check` (per note)
    or `check_vault` (one call over the whole vault; set `scope = "vault"`).

    A per-note rule that needs to know the rest of the vault (which images exist, how
    other notes spell a tag) overrides `prepare`, called once per run before any `check`;
    such a rule `uses_vault`, so its findings are never cached by the note's content alone.
    A vault-scope rule whose findings are fixed by editing notes (relinking a duplicate
    image) returns those edits from `note_fixes`, which the fix loop applies note by note.
    """

    name: ClassVar[str] = ""
    code: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    rationale: ClassVar[str] = ""
    bad: ClassVar[str] = ""
    good: ClassVar[str] = ""
    default: ClassVar[bool] = True
    # "lint" (finds mistakes) or "format" (normalises style; off by default, `formatting.FormatRule`)
    category: ClassVar[str] = "lint"
    # The Obsidian Linter rules this rule does the work of (`notelint import obsidian-linter` maps
    # their settings onto this rule's options), and the markdownlint rule id where one exists.
    plugin: ClassVar[tuple[PluginRule, ...]] = ()
    markdownlint: ClassVar[str] = ""
    # Where this rule deliberately gives other bytes than the Obsidian Linter on one of the plugin's
    # published examples: (the example's description, why). `tests/test_plugin_cases.py` holds each
    # listed example to differ and every other one to match byte for byte.
    differences: ClassVar[tuple[tuple[str, str], ...]] = ()
    # "none", "safe" or "unsafe". The class value is what `notelint rules` and the docs show; a rule
    # whose option changes it (tag-style's `safe-fix`) sets `self.fix` in `__init__`.
    fix: str = "none"
    severity: ClassVar[str] = "error"
    scope: ClassVar[str] = "note"  # "note" or "vault"
    # False: the rule also runs on notes that could not be decoded or whose frontmatter is broken
    needs_valid_note: ClassVar[bool] = True
    options: ClassVar[tuple[Option, ...]] = ()
    # The documentation's examples are checked (tests/test_rule_examples.py): `bad` must give at least one
    # finding of the rule and `good` none, each as the text of the note `example_note` in a vault that also
    # holds `example_files` (vault path -> text or bytes). A `dendron.yml` there makes it a Dendron vault, a
    # `.notelint.toml` gives the rule's options; images, other notes and headings to link to go there too.
    # The rule's page lists these files, so the examples read as they are meant.
    example_note: ClassVar[str] = "note.md"
    example_files: ClassVar[Mapping[str, str | bytes]] = {}
    # other rules the examples run with, when the rule judges their findings (unused-suppression)
    example_with: ClassVar[tuple[str, ...]] = ()
    # set by the engine for `notelint fix` runs: a rule may then do costly work for a fix
    # (e.g. ask git for a file's history) that a plain `check` skips
    fixing: bool = False
    # Whether the results cache (`cache.py`) may keep this per-note rule's findings, keyed by
    # the note's bytes and the config. None: yes unless `uses_vault`. False: never (findings
    # depend on the clock, file times, git, the environment). True: yes even though `prepare`
    # is overridden, because it only reads the config or returns warnings.
    cacheable: ClassVar[bool | None] = None
    # A cacheable rule whose findings can go stale with time alone (a date "in the future" today
    # is not next year) sets `clock_dependent = True`: a note with any finding of that rule is
    # checked again on every run instead of being served from the cache. Its checks must only be
    # able to go from "finding" to "no finding" as time passes (time moves forward), so a note
    # without such a finding keeps its cached results, and the cache never hides a finding.
    clock_dependent: ClassVar[bool] = False
    # A vault-scope rule whose `check_vault` reads of the notes only these facts (`(kind, extract)`
    # as given to `ws.note_facts`) and, whole, the notes it asks `ws.note` for: its findings are
    # reused while those, the file names and the images are unchanged (`scoped.py`). None: never.
    vault_facts: ClassVar[tuple[tuple[str, Any], ...] | None] = None
    # A per-note rule with vault context: the facts (`(kind, extract)`) its `prepare` reads of
    # every note through `ws.note_facts`. The worker that parses a note computes them with its
    # findings (`incremental.index_kinds`), so a note is parsed once for all of them.
    index_facts: ClassVar[tuple[tuple[str, Any], ...]] = ()
    # Names of other rules whose options this rule reads (section-label reads required-sections'
    # schemas): where [[overrides]] change those, this rule gets an instance of its own there.
    reads_options_of: ClassVar[tuple[str, ...]] = ()
    # Set by `perpath.select_rules` when [[overrides]] or per-file-ignores make rules differ by
    # path; `for_path` then looks up this rule as configured for one path.
    per_path: PathRules | None = None
    # The options of every rule where this instance applies, for `options_of` (None: the
    # vault's top-level `[rules]`; set on the instances made for overrides).
    configured: dict[str, dict[str, Any]] | None = None

    def __init__(self, settings: dict[str, Any] | None = None, flavor: str = "obsidian"):
        self.flavor = flavor
        self.settings = {o.name: o.default for o in self.options}
        self.settings.update(settings or {})

    def for_path(self, rel: str) -> Rule | None:
        """This rule as configured for a vault-relative path: None where it does not run there
        (overrides, per-file-ignores), another instance where overrides give it other options,
        else itself. Every per-note check, fix and vault finding goes through this lookup."""
        return self if self.per_path is None else self.per_path.rule_for(self, rel)

    def instances(self) -> list[Rule]:
        """This rule and its instances for overrides: each is prepared with the vault."""
        return [self] if self.per_path is None else self.per_path.instances(self)

    def options_of(self, name: str, ws: Workspace) -> dict[str, Any] | None:
        """Another rule's configured options where this instance applies (see `reads_options_of`)."""
        configured = self.configured if self.configured is not None else ws.vault.config.rule_settings
        return configured.get(name)

    @classmethod
    def example_vault(cls, kind: str) -> dict[str, bytes]:
        """Every file of the vault the `bad` or `good` example (`kind`) is meant in, as bytes. A rule whose
        example is about bytes rather than text (a note that is not UTF-8) overrides this."""
        files = {path: data.encode("utf-8") if isinstance(data, str) else data for path, data in cls.example_files.items()}
        files[cls.example_note] = getattr(cls, kind).encode("utf-8")
        return files

    @property
    def fixable(self) -> bool:
        return self.fix != "none"

    def check(self, note: Note) -> Iterable[Finding]:
        return ()

    def check_vault(self, ws: Workspace) -> Iterable[Finding]:
        """Findings about the whole vault (any file), for `scope = "vault"` rules."""
        return ()

    def prepare(self, ws: Workspace) -> Iterable[str]:
        """Compute vault-wide context once per run (called again after `fix` wrote notes);
        returns configuration warnings to print on stderr (e.g. a glob that matches nothing)."""
        return ()

    def screen(self, rel: str) -> bool:
        """After `prepare`, for a per-note rule with vault context: False only when `check` can
        report nothing on note `rel` as it is on disk, judged from the vault index (its facts),
        so the note need not be read and parsed again to be checked. True when in doubt.
        `tests/test_screen.py` holds every rule's screen to that on the fixture vaults."""
        return True

    def note_fixes(self, note: Note) -> Iterable[Fix]:
        """Edits to this note that fix this vault-scope rule's findings (after `prepare`)."""
        return ()

    @property
    def uses_vault(self) -> bool:
        """True when findings depend on more than the note's own text."""
        return self.scope == "vault" or type(self).prepare is not Rule.prepare

    # ------------------------------------------------------------------ helpers
    def finding(
        self,
        note: Note,
        start: int,
        end: int | None,
        message: str,
        edits: Iterable[Edit] | None = None,
        severity: str | None = None,
        related: list[str] | None = None,
    ) -> Finding:
        """A finding at offsets of the note's text, with an optional fix."""
        line, column = note.position(start)
        end_line = end_column = None
        if end is not None and end > start:
            end_line, end_column = note.position(end)
        fix = None
        if edits is not None:
            edits = tuple(edits)
            if edits:
                fix = Fix(edits, safe=self.fix != "unsafe")
        return Finding(note.rel, line, column, self.name, self.code, message,
                       severity or self.severity, end_line, end_column, fix, related or [])

    def file_finding(self, rel: str, message: str, line: int = 1, column: int = 1,
                     related: list[str] | None = None) -> Finding:
        """A finding about a whole file (an image, an unreadable note)."""
        return Finding(rel, line, column, self.name, self.code, message, self.severity, related=related or [])


def iter_findings(rules: Iterable[Rule], note: Note) -> Iterator[Finding]:
    for rule in rules:
        yield from rule.check(note)
