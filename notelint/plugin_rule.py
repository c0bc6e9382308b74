"""How one Obsidian Linter rule maps onto a notelint rule: the plugin's alias, which of its settings
become which of the rule's options, and what enabling it switches on. Read by
`notelint import obsidian-linter` (`plugin_import.py`), the rule pages and the README's mapping table,
so the mapping lives once, on the rule that does the work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PluginRule:
    """`alias`: the plugin rule's alias (its key in `data.json`'s `ruleConfigs`).

    `options`: plugin config key (the kebab-case key of the option in `data.json`) -> notelint
    option name. `values`: per plugin config key, plugin value -> notelint value, where they are
    spelt differently (a key absent here passes its value through unchanged).
    `sets`: notelint options set when the plugin rule is enabled; `unsets`: set when the notelint
    rule is selected for another of its plugin rules but this one is not enabled (the parts of
    `whitespace`). `unmapped`: plugin config keys with no notelint equivalent -> why, for the
    import's comments.
    """

    alias: str
    options: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[Any, Any]] = field(default_factory=dict)
    sets: Mapping[str, Any] = field(default_factory=dict)
    unsets: Mapping[str, Any] = field(default_factory=dict)
    unmapped: Mapping[str, str] = field(default_factory=dict)
