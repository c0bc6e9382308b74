"""Configuration: `.notelint.toml`, `notelint.toml` or `[tool.notelint]` in `pyproject.toml`
at the vault root (first found wins; finding more than one is a warning), or `--config FILE`.

Everything is validated here, once, file by file: an unknown or misplaced key, an unknown rule
(under `[rules]` or in any selector list), an unknown option or a value of the wrong type is a
`ConfigError` naming the file, the line where tomllib's input has it (`tomlpos`), and the key as
written (`tool.notelint.` included in a pyproject.toml), so exit 2, never a silent default.

`extend = "../base.toml"` inherits a file (relative to the one naming it; chains; a cycle is an
error) and combines as ruff's `extend` does (ruff_workspace `Configuration::combine`): the
extending file's `flavor`, `exclude`, `templates` and `per-file-ignores` replace the base's; `[rules.NAME]`
merge option by option, the extending file's winning; the base's `select`/`extend-select`/
`ignore` come first and the extending file's after (so its `select` starts over, its `ignore`
adds); the base's `[[overrides]]` come before the extending file's.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notelint import excludes, registry, tomlpos
from notelint.rule import Rule

CONFIG_FILES = (".notelint.toml", "notelint.toml", "pyproject.toml")
TOP_LEVEL_KEYS = ("extend", "flavor", "select", "extend-select", "ignore", "exclude", "templates", "per-file-ignores",
                  "rules", "overrides")
OVERRIDE_KEYS = ("paths", "select", "extend-select", "ignore", "rules")
SELECTOR_KEYS = ("select", "extend-select", "ignore")
FLAVORS = ("obsidian", "dendron")
PYPROJECT_TABLE = ("tool", "notelint")


class ConfigError(Exception):
    """A configuration mistake; the message names the file, the line where known, and the key."""


@dataclass
class Selection:
    """One `select` / `extend-select` / `ignore` triple: of one config file, one `[[overrides]]`
    table, or the command line. `select` (when given) starts over, then `extend-select` adds
    and `ignore` removes."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)

    def apply(self, chosen: set[str]) -> set[str]:
        if self.select is not None:
            chosen = rule_names(self.select)
        return (chosen | rule_names(self.extend_select)) - rule_names(self.ignore)

    def may_add(self) -> set[str]:
        """Every rule this selection could switch on somewhere."""
        return rule_names(self.select or []) | rule_names(self.extend_select)

    def describe(self) -> list:
        return [self.select, self.extend_select, self.ignore]


@dataclass
class Override:
    """One `[[overrides]]` table: settings for the paths its globs match."""

    paths: list[str]
    selection: Selection
    rule_settings: dict[str, dict[str, Any]]
    label: str  # where it is written, for messages: "FILE: [[overrides]] table 2"

    def matches(self, rel: str) -> bool:
        return any(fnmatch.fnmatchcase(rel, pattern) for pattern in self.paths)

    def describe(self) -> list:
        return [self.paths, self.selection.describe(), self.rule_settings]


@dataclass
class Config:
    source: Path | None = None
    flavor: str | None = None
    # the rule selections of the config files, an extended file's first
    selections: list[Selection] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)  # globs of template files, besides the apps' settings
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    # every rule's top-level options (`[rules.NAME]`), merged over the `extend` chain
    rule_settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # printed on stderr, e.g. a second config file

    def ignored_by_file(self, rel: str) -> set[str]:
        """Rule names `per-file-ignores` switches off for this vault-relative path (which rules
        run where, overrides included, is `Rule.for_path`)."""
        out: set[str] = set()
        for pattern, rules in self.per_file_ignores.items():
            if fnmatch.fnmatchcase(rel, pattern):
                out |= rule_names(rules)
        return out


def rule_names(selectors: list[str]) -> set[str]:
    """The names of the rules `selectors` (names, codes, code prefixes, `ALL`) stand for."""
    return {rule.name for entry in selectors for rule in registry.matching(entry)}


# --------------------------------------------------------------------------- finding and reading


def find_config_file(root: Path) -> tuple[Path, list[str]] | None:
    """The first file at `root` that configures notelint, and a warning for each other one there
    (it would be ignored without a word otherwise)."""
    found = [root / name for name in CONFIG_FILES if _configures(root / name)]
    if not found:
        return None
    used, *ignored = found
    warnings = [f"{shown(root)}: both `{used.name}` and `{other.name}` configure notelint; using `{used.name}`, "
                f"`{other.name}` is ignored (merge them, or `extend` one from the other)" for other in ignored]
    return used, warnings


def _configures(path: Path) -> bool:
    if not path.is_file():
        return False
    if path.name != "pyproject.toml":
        return True
    try:  # a text test, as `vault.find_root` does: an ignored pyproject.toml is never parsed
        return configures_notelint(path.read_text("utf-8", "replace"))
    except OSError:
        return False


# `[tool.notelint]` or `[tool.notelint.rules.x]`, not another tool's `[tool.notelint-mutation]`
TOOL_TABLE = re.compile(r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*notelint[ \t]*[\].]", re.M)


def configures_notelint(pyproject_text: str) -> bool:
    """Whether a pyproject.toml's text has a `[tool.notelint…]` table header."""
    return TOOL_TABLE.search(pyproject_text) is not None


def load(root: Path, explicit: Path | None = None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such config file")
        return load_file(explicit)
    found = find_config_file(root)
    if found is None:
        return Config()
    cfg = load_file(found[0])
    cfg.warnings = found[1] + cfg.warnings
    return cfg


def load_file(path: Path) -> Config:
    """One config file with everything it `extend`s, validated and combined."""
    return _config_from(_load_chain(Path(os.path.abspath(path)), ()), path)


def _load_chain(path: Path, chain: tuple[Path, ...]) -> dict:
    """The validated table of `path`, combined over the files it extends (base first)."""
    src = _Source.read(path)
    own = _validate(src.table, src)
    base_name = own.pop("extend", None)
    if base_name is None:
        return own
    base = Path(os.path.abspath(path.parent / os.path.expandvars(os.path.expanduser(base_name))))
    if base == path or base in chain:
        cycle = " -> ".join(shown(p) for p in (*chain, path, base))
        raise src.error(("extend",), f"{src.key('extend')} makes a cycle: {cycle}")
    if not base.is_file():
        raise src.error(("extend",), f"{src.key('extend')}: no such file {shown(base)}")
    return _combine(_load_chain(base, (*chain, path)), own)


def _combine(base: dict, own: dict) -> dict:
    """`own` over `base`, as ruff combines an extending configuration with its base."""
    out = {**base, **own}
    out["selections"] = base.get("selections", []) + own.get("selections", [])
    out["overrides"] = base.get("overrides", []) + own.get("overrides", [])
    out["warnings"] = base.get("warnings", []) + own.get("warnings", [])
    rules = {name: dict(options) for name, options in base.get("rules", {}).items()}
    for name, options in own.get("rules", {}).items():
        rules.setdefault(name, {}).update(options)
    out["rules"] = rules
    return out


def _config_from(table: dict, source: Path) -> Config:
    return Config(source=source, flavor=table.get("flavor"), selections=table.get("selections", []),
                  exclude=table.get("exclude", []), templates=table.get("templates", []),
                  per_file_ignores=table.get("per-file-ignores", {}),
                  rule_settings=table.get("rules", {}), overrides=table.get("overrides", []),
                  warnings=table.get("warnings", []))


def parse(table: Any, source: Path | None) -> Config:
    """A config from a table already read (no `extend`: that needs a file to be relative to)."""
    src = _Source(source or Path("configuration"), (), "", table)
    checked = _validate(table, src)
    if "extend" in checked:
        raise src.error(("extend",), f"{src.key('extend')} needs a config file to be relative to")
    return _config_from(checked, source)


def load_file_text(path: Path, text: str) -> None:
    """Validate `text` as the config file `path` would hold it (its own keys; a base it
    `extend`s is read from disk), raising ConfigError: a file is checked before it is written."""
    table = tomllib.loads(text)
    if path.name == "pyproject.toml":
        tool = table.get("tool")
        src = _Source(path, PYPROJECT_TABLE, text, tool.get("notelint", {}) if isinstance(tool, dict) else {})
    else:
        src = _Source(path, (), text, table)
    _validate(src.table, src)


@dataclass
class _Source:
    """One config file: its notelint table, and how to name its keys and lines in messages."""

    path: Path
    prefix: tuple[str, ...]  # ("tool", "notelint") in a pyproject.toml
    text: str
    table: Any

    @classmethod
    def read(cls, path: Path) -> _Source:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{shown(path)}: cannot be read: {exc.strerror or exc}") from None
        try:
            text = data.decode("utf-8")
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{shown(path)}: not valid TOML: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{shown(path)}: not valid TOML: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} "
                              f"at offset {exc.start})") from None
        if path.name != "pyproject.toml":
            return cls(path, (), text, table)
        tool = table.get("tool")
        return cls(path, PYPROJECT_TABLE, text, tool.get("notelint", {}) if isinstance(tool, dict) else {})

    def key(self, *parts: str | int) -> str:
        """A key as written in this file, for messages: `tool.notelint.rules.whitespace`."""
        shown = [p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else json.dumps(p, ensure_ascii=False)
                 for p in (*self.prefix, *parts) if isinstance(p, str)]
        return "`" + ".".join(shown) + "`"

    def error(self, parts: tuple[str | int, ...], message: str, value: str | None = None) -> ConfigError:
        """`FILE:LINE: message` (the line of `value` inside the key's value, if given)."""
        line = tomlpos.line_of(self.text, (*self.prefix, *parts)) if self.text else None
        if line is not None and value is not None:
            line = _line_of_value(self.text, line, value)
        where = f"{shown(self.path)}:{line}" if line else shown(self.path)
        tables = [f"[[{'.'.join((*self.prefix, *[str(q) for q in parts[:i]]))}]] table {p + 1}"
                  for i, p in enumerate(parts) if isinstance(p, int)]
        return ConfigError(f"{where}: " + "".join(t + ": " for t in tables) + message)


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when it is under it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _line_of_value(text: str, start: int, value: str) -> int:
    """The first line from `start` on that holds `value` as a TOML string (a list spread over lines)."""
    quoted = (json.dumps(value, ensure_ascii=False), f"'{value}'")
    for lineno, line in enumerate(text.splitlines()[start - 1:], start):
        if any(q in line for q in quoted):
            return lineno
    return start


# --------------------------------------------------------------------------- validation


def _validate(table: Any, src: _Source) -> dict:
    """The keys of one file, checked and normalised (rules by their names)."""
    if not isinstance(table, dict):
        raise src.error((), f"{src.key() if src.prefix else 'the notelint configuration'} must be a table")
    for key in table:
        if key not in TOP_LEVEL_KEYS:
            raise src.error((key,), f"unknown key {src.key(key)} (known keys: {', '.join(TOP_LEVEL_KEYS)})")
    out: dict = {}
    if "extend" in table:
        if not isinstance(table["extend"], str):
            raise src.error(("extend",), f"{src.key('extend')} must be a path (a string)")
        out["extend"] = table["extend"]
    if "flavor" in table:
        if table["flavor"] not in FLAVORS:
            raise src.error(("flavor",), f"{src.key('flavor')} must be \"obsidian\" or \"dendron\", "
                                         f"not {table['flavor']!r}")
        out["flavor"] = table["flavor"]
    selection = _selection(table, src, ())
    if selection is not None:
        out["selections"] = [selection]
    if "exclude" in table:
        out["exclude"] = _str_list(table["exclude"], src, ("exclude",))
        for pattern in out["exclude"]:
            problem = excludes.problem(pattern)
            if problem:
                raise src.error(("exclude",), f"{src.key('exclude')}: {problem}")
    if "templates" in table:
        out["templates"] = _str_list(table["templates"], src, ("templates",))
    if "per-file-ignores" in table:
        pfi = table["per-file-ignores"]
        if not isinstance(pfi, dict):
            raise src.error(("per-file-ignores",), f"{src.key('per-file-ignores')} must be a table of glob = [rules]")
        out["per-file-ignores"] = {glob: _selectors(rules, src, ("per-file-ignores", glob))
                                   for glob, rules in pfi.items()}
    out["rules"] = _rules(table.get("rules", {}), src, ("rules",))
    if "overrides" in table:
        out["overrides"] = _overrides(table["overrides"], src)
    return out


def _selection(table: dict, src: _Source, at: tuple) -> Selection | None:
    if not any(key in table for key in SELECTOR_KEYS):
        return None
    return Selection(
        select=_selectors(table["select"], src, (*at, "select")) if "select" in table else None,
        extend_select=_selectors(table.get("extend-select", []), src, (*at, "extend-select")),
        ignore=_selectors(table.get("ignore", []), src, (*at, "ignore")),
    )


def _selectors(value: Any, src: _Source, at: tuple) -> list[str]:
    """A list of rule selectors, each one naming at least one rule: a typo must never turn a
    run into an empty, green one (spec: Conventions)."""
    entries = _str_list(value, src, at)
    for entry in entries:
        if not registry.matching(entry):
            raise src.error(at, f"{src.key(*at)}: {unknown_selector(entry)}", value=entry)
    return entries


def unknown_selector(entry: str) -> str:
    hint = registry.closest(entry)
    return f"unknown rule `{entry}`" + (f" (did you mean `{hint}`?)" if hint else
                                        " (`notelint rules` lists them; codes and prefixes like NL4 work too)")


def _rules(rules: Any, src: _Source, at: tuple, per_path: bool = False) -> dict[str, dict[str, Any]]:
    if not isinstance(rules, dict):
        raise src.error(at, f"{src.key(*at)} must be a table of rule tables")
    out: dict[str, dict[str, Any]] = {}
    written: dict[str, str] = {}
    for name, settings in rules.items():
        where = (*at, name)
        rule = registry.lookup(name)
        if rule is None:
            hint = registry.closest(name)
            raise src.error(where, f"unknown rule {src.key(*where)}" + (f" (did you mean `{hint}`?)" if hint else ""))
        if rule.name in written:
            raise src.error(where, f"conflicting keys {src.key(*at, written[rule.name])} and {src.key(*where)}: "
                                   f"both configure {rule.name}; keep one")
        written[rule.name] = name
        if not isinstance(settings, dict):
            raise src.error(where, f"{src.key(*where)} must be a table of options")
        if per_path and rule.scope == "vault" and settings:
            raise src.error(where, f"{src.key(*where)}: {rule.name} judges the vault as a whole, so its options "
                                   f"cannot differ by path; set them in [rules.{rule.name}] (`select` and `ignore` "
                                   "in [[overrides]] do apply to its findings by path)")
        out[rule.name] = validate_options(rule, settings, src, where)
    return out


def validate_options(rule: type[Rule], settings: dict, src: _Source, at: tuple) -> dict[str, Any]:
    known = {o.name: o for o in rule.options}
    for key, value in settings.items():
        option = known.get(key)
        if option is None:
            names = ", ".join(known) or "none"
            raise src.error((*at, key), f"{src.key(*at, key)}: unknown option of rule {rule.name} (its options: {names})")
        problem = option.validate(value)
        if problem:
            raise src.error((*at, key), f"{src.key(*at, key)} {problem}")
    return dict(settings)


def _overrides(value: Any, src: _Source) -> list[Override]:
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise src.error(("overrides",), f"{src.key('overrides')} must be tables: write each as "
                                        "[[overrides]] with `paths = [...]` and the settings for them")
    out = []
    for i, table in enumerate(value):
        at = ("overrides", i)
        for key in table:
            if key not in OVERRIDE_KEYS:
                why = ("applies to the whole vault, not to some paths" if key in TOP_LEVEL_KEYS
                       else f"is not a key of [[overrides]] (known keys: {', '.join(OVERRIDE_KEYS)})")
                raise src.error((*at, key), f"{src.key('overrides', key)} {why}")
        if "paths" not in table:
            raise src.error(at, f"{src.key('overrides')}: missing key `paths` (the vault-relative globs it applies to)")
        paths = _str_list(table["paths"], src, (*at, "paths"))
        if not paths:
            raise src.error((*at, "paths"), f"{src.key('overrides', 'paths')} is empty: it would apply to nothing")
        selection = _selection(table, src, at) or Selection()
        settings = _rules(table.get("rules", {}), src, (*at, "rules"), per_path=True)
        out.append(Override(paths, selection, settings, f"{shown(src.path)}: [[{src.key('overrides')[1:-1]}]] table {i + 1}"))
    return out


def _str_list(value: Any, src: _Source, at: tuple) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise src.error(at, f"{src.key(*at)} must be a list of strings")
    return list(value)
