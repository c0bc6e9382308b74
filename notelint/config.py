"""Configuration: `.notelint.toml`, `notelint.toml` or `[tool.notelint]` in
`pyproject.toml` at the vault root (first found wins), or `--config FILE`.

Everything is validated here, once: an unknown key, an unknown rule under `[rules]`, an
unknown option or a value of the wrong type is a `ConfigError` naming the file and the key
(exit 2), never a silent default.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notelint import registry
from notelint.rule import Rule

CONFIG_FILES = (".notelint.toml", "notelint.toml", "pyproject.toml")
TOP_LEVEL_KEYS = ("flavor", "select", "extend-select", "ignore", "exclude", "templates", "per-file-ignores", "rules")
FLAVORS = ("obsidian", "dendron")


class ConfigError(Exception):
    """A configuration mistake; the message names the file and the key."""


@dataclass
class Config:
    source: Path | None = None
    flavor: str | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)  # globs of template files, besides the apps' settings
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    rule_settings: dict[str, dict[str, Any]] = field(default_factory=dict)

    def ignored_for(self, rel: str) -> set[str]:
        """Rule names `per-file-ignores` switches off for this vault-relative path."""
        out: set[str] = set()
        for pattern, rules in self.per_file_ignores.items():
            if fnmatch.fnmatchcase(rel, pattern):
                for entry in rules:
                    out.update(r.name for r in registry.matching(entry))
        return out


def find_config_file(root: Path) -> tuple[Path, dict] | None:
    """The first config file at `root` that configures notelint, with its notelint table."""
    for name in CONFIG_FILES:
        path = root / name
        if not path.is_file():
            continue
        table = _read_toml(path)
        if name == "pyproject.toml":
            tool = table.get("tool", {})
            if not isinstance(tool, dict) or "notelint" not in tool:
                continue
            return path, tool["notelint"]
        return path, table
    return None


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:  # tomllib decodes the bytes itself and lets this through
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} "
                          f"at offset {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def load(root: Path, explicit: Path | None = None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such config file")
        table = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            table = table.get("tool", {}).get("notelint", {})
        return parse(table, explicit)
    found = find_config_file(root)
    if found is None:
        return Config()
    return parse(found[1], found[0])


def parse(table: Any, source: Path | None) -> Config:
    where = str(source) if source else "configuration"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: the notelint configuration must be a table")
    for key in table:
        if key not in TOP_LEVEL_KEYS:
            raise ConfigError(f"{where}: unknown key `{key}` (known keys: {', '.join(TOP_LEVEL_KEYS)})")
    cfg = Config(source=source)
    flavor = table.get("flavor")
    if flavor is not None and flavor not in FLAVORS:
        raise ConfigError(f"{where}: `flavor` must be \"obsidian\" or \"dendron\", not {flavor!r}")
    cfg.flavor = flavor
    if "select" in table:
        cfg.select = _str_list(table["select"], where, "select")
    cfg.extend_select = _str_list(table.get("extend-select", []), where, "extend-select")
    cfg.ignore = _str_list(table.get("ignore", []), where, "ignore")
    cfg.exclude = _str_list(table.get("exclude", []), where, "exclude")
    cfg.templates = _str_list(table.get("templates", []), where, "templates")
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [rules]")
    cfg.per_file_ignores = {k: _str_list(v, where, f"per-file-ignores.{k}") for k, v in pfi.items()}
    rules = table.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: `rules` must be a table of rule tables")
    for name, settings in rules.items():
        rule = registry.lookup(name)
        if rule is None:
            hint = registry.closest(name)
            raise ConfigError(f"{where}: unknown rule `rules.{name}`" + (f" (did you mean `{hint}`?)" if hint else ""))
        if not isinstance(settings, dict):
            raise ConfigError(f"{where}: `rules.{name}` must be a table of options")
        cfg.rule_settings[rule.name] = validate_options(rule, settings, f"{where}: `rules.{name}")
    return cfg


def validate_options(rule: type[Rule], settings: dict, prefix: str) -> dict[str, Any]:
    known = {o.name: o for o in rule.options}
    for key, value in settings.items():
        option = known.get(key)
        if option is None:
            names = ", ".join(known) or "none"
            raise ConfigError(f"{prefix}.{key}`: unknown option of rule {rule.name} (its options: {names})")
        problem = option.validate(value)
        if problem:
            raise ConfigError(f"{prefix}.{key}` {problem}")
    return dict(settings)


def _str_list(value: Any, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings")
    return list(value)


def select_rules(cfg: Config, flavor: str, cli_select: list[str] | None = None,
                 cli_ignore: list[str] | None = None, cli_extend: list[str] | None = None,
                 strict: bool = False) -> tuple[list[Rule], list[str]]:
    """Instantiate the rules that run, configured; returns (rules, warnings).

    Like ruff: `select` (command line over config) replaces the defaults, `extend-select`
    adds to them, `ignore` removes. An unknown selector is a warning, an error when strict.
    """
    warnings: list[str] = []

    def expand(entries: list[str], key: str) -> set[str]:
        names: set[str] = set()
        for entry in entries:
            hits = registry.matching(entry)
            if not hits:
                hint = registry.closest(entry)
                msg = f"unknown rule `{entry}` in {key}" + (f" (did you mean `{hint}`?)" if hint else "")
                if strict:
                    raise ConfigError(msg)
                warnings.append(msg)
            names.update(r.name for r in hits)
        return names

    select = cli_select if cli_select is not None else cfg.select
    if select is None:
        chosen = {r.name for r in registry.all_rules() if r.default}
    else:
        chosen = expand(select, "select")
    chosen |= expand(cfg.extend_select + (cli_extend or []), "extend-select")
    chosen -= expand(cfg.ignore + (cli_ignore or []), "ignore")
    rules = [cls(cfg.rule_settings.get(cls.name), flavor) for cls in registry.all_rules() if cls.name in chosen]
    return rules, warnings
