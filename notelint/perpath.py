"""Which rules run on a vault-relative path, and with which options.

The selection is made in layers, in order: the default rules; each config file's `select` /
`extend-select` / `ignore` (an `extend`ed file's first); each `[[overrides]]` table whose `paths`
match, in the order written, so a later one wins; the command line's `--select` /
`--extend-select` / `--ignore` last, so `--select X` runs X even where the config ignores it,
as in ruff since astral-sh/ruff#2312; then `per-file-ignores`, which always hold (ruff's do too).
Options merge the same way: `[rules.NAME]`, then each matching `[overrides.rules.NAME]`, option
by option.

Where the options of a rule differ, the rule gets one more instance per distinct set of options
(a *variant*), made before the run and prepared with the vault like the first instance, so its
vault-wide context is computed under its own options (tag spellings under that folder's
`convention`); a rule that reads another rule's options (`Rule.reads_options_of`) gets a variant
where those differ. `Rule.for_path` is the one lookup engine and rules go through.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from notelint import registry
from notelint.config import Config, ConfigError, Override, Selection, unknown_selector
from notelint.rule import Rule



class PathRules:
    def __init__(self, cfg: Config, layers: list[Selection], rules: list[Rule]):
        self.cfg = cfg
        self.layers = layers  # the top-level selections, the command line's last (see `layers`)
        self.base = {rule.name: rule for rule in rules}
        self._combos: dict[str, tuple] = {}  # path -> the overrides and per-file-ignores matching it
        self._scopes: dict[tuple, dict[str, Rule | None]] = {}  # combination -> rule name -> instance
        self._variants: dict[tuple[str, str], Rule] = {}  # (name, options as JSON) -> instance

    @staticmethod
    def layers(cfg: Config, command_line: Selection) -> list[Selection]:
        """The selections that apply everywhere, in order; overrides go before the last one."""
        return [*cfg.selections, command_line]

    @staticmethod
    def candidates(cfg: Config, layers: list[Selection]) -> set[str]:
        """Every rule that runs on at least one path (a superset: overrides can only add)."""
        *config_layers, command_line = layers
        chosen = _defaults()
        for layer in config_layers:
            chosen = layer.apply(chosen)
        for override in cfg.overrides:
            chosen |= override.selection.may_add()
        return command_line.apply(chosen)

    # ------------------------------------------------------------------ lookups

    def rule_for(self, base: Rule, rel: str) -> Rule | None:
        combo = self._combo(rel)
        scope = self._scopes.get(combo)
        if scope is None:
            scope = self._scopes[combo] = self._scope(combo)
        return scope.get(base.name)

    def enabled(self, rel: str) -> set[str]:
        """The names of the rules that run on `rel`."""
        return self._enabled(self._combo(rel))

    def instances(self, base: Rule) -> list[Rule]:
        """The rule and its variants made so far (`materialise` makes them all)."""
        return [base] + [v for (name, _), v in self._variants.items() if name == base.name]

    def materialise(self, rels: Iterable[str]) -> None:
        """Make every variant these paths need, so that all can be prepared before checking."""
        for rel in rels:
            combo = self._combo(rel)
            if combo not in self._scopes:
                self._scopes[combo] = self._scope(combo)

    def describe(self) -> list:
        """Everything the choice of rules and options per path depends on, as JSON (cache key)."""
        return [[layer.describe() for layer in self.layers], [o.describe() for o in self.cfg.overrides],
                self.cfg.per_file_ignores]

    # ------------------------------------------------------------------ internals

    def _combo(self, rel: str) -> tuple:
        combo = self._combos.get(rel)
        if combo is None:
            overrides = tuple(i for i, o in enumerate(self.cfg.overrides) if o.matches(rel))
            combo = self._combos[rel] = (overrides, frozenset(self.cfg.ignored_by_file(rel)))
        return combo

    def _matching(self, combo: tuple) -> list[Override]:
        return [self.cfg.overrides[i] for i in combo[0]]

    def _enabled(self, combo: tuple) -> set[str]:
        *config_layers, command_line = self.layers
        chosen = _defaults()
        for layer in [*config_layers, *(o.selection for o in self._matching(combo)), command_line]:
            chosen = layer.apply(chosen)
        return chosen - combo[1]

    def _scope(self, combo: tuple) -> dict[str, Rule | None]:
        enabled = self._enabled(combo)
        overrides = self._matching(combo)
        settings = self.cfg.rule_settings
        if overrides:
            settings = {name: dict(options) for name, options in settings.items()}
            for override in overrides:
                for name, options in override.rule_settings.items():
                    settings.setdefault(name, {}).update(options)
        scope: dict[str, Rule | None] = {}
        for name, base in self.base.items():
            scope[name] = self._instance(base, settings, overrides) if name in enabled else None
        return scope

    def _instance(self, base: Rule, settings: dict[str, dict[str, Any]], overrides: list[Override]) -> Rule:
        own = settings.get(base.name, {})
        read = {other: settings.get(other) for other in base.reads_options_of}
        top = self.cfg.rule_settings
        if own == top.get(base.name, {}) and all(read[o] == top.get(o) for o in read):
            return base
        key = (base.name, json.dumps([own, read], sort_keys=True, default=repr))
        variant = self._variants.get(key)
        if variant is None:
            try:
                variant = type(base)(own, base.flavor)
            except ConfigError as exc:  # a value only the rule can judge (an unknown time zone)
                setters = [o for o in overrides if base.name in o.rule_settings] or overrides
                raise ConfigError(f"{setters[-1].label}: {exc}") from None
            variant.fixing = base.fixing
            variant.per_path = self
            variant.configured = {**top, **{o: s for o, s in read.items() if s is not None}}
            self._variants[key] = variant
        return variant


def _defaults() -> set[str]:
    return {rule.name for rule in registry.all_rules() if rule.default}


def select_rules(cfg: Config, flavor: str, cli_select: list[str] | None = None,
                 cli_ignore: list[str] | None = None, cli_extend: list[str] | None = None,
                 strict: bool = False) -> tuple[list[Rule], list[str]]:
    """Instantiate the rules that run on at least one path, configured; returns (rules, warnings).

    Which rule runs where, with which options, is `perpath.PathRules` (set on each rule when
    overrides or per-file-ignores make paths differ). An unknown selector on the command line
    is an error (exit 2) like one in the config; `strict` (`--strict-config`) is kept for
    compatibility and changes nothing.
    """
    for flag, entries in (("--select", cli_select), ("--extend-select", cli_extend), ("--ignore", cli_ignore)):
        for entry in entries or []:
            if not registry.matching(entry):
                raise ConfigError(f"{flag}: {unknown_selector(entry)}")
    if cli_select is not None and not cli_select:
        raise ConfigError("--select: no rule given (name rules, codes, prefixes like NL4, or ALL)")
    command_line = Selection(cli_select, cli_extend or [], cli_ignore or [])
    layers = PathRules.layers(cfg, command_line)
    chosen = PathRules.candidates(cfg, layers)
    rules = [cls(cfg.rule_settings.get(cls.name), flavor) for cls in registry.all_rules() if cls.name in chosen]
    if cfg.overrides or cfg.per_file_ignores:
        per_path = PathRules(cfg, layers, rules)
        for rule in rules:
            rule.per_path = per_path
    return rules, []
