"""Finds every rule: each module of the `notelint.rules` package (the top-level `rules/`
folder of the repository) holds one `Rule` subclass."""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import pkgutil
import sys
from functools import lru_cache
from pathlib import Path

from notelint.rule import Rule


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, ordered by code; names and codes are checked to be unique."""
    package = _rules_package()
    found: list[type[Rule]] = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"notelint.rules.{info.name}")
        classes = [
            obj for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__
        ]
        if len(classes) != 1:
            raise RuntimeError(f"rules/{info.name}.py must define exactly one Rule subclass, found {len(classes)}")
        found.append(classes[0])
    names = [r.name for r in found]
    codes = [r.code for r in found]
    for label, values in (("name", names), ("code", codes)):
        dupes = {v for v in values if values.count(v) > 1}
        if dupes:
            raise RuntimeError(f"rule {label}s must be unique: {sorted(dupes)}")
    return tuple(sorted(found, key=lambda r: r.code))


def _rules_package():
    try:
        return importlib.import_module("notelint.rules")
    except ModuleNotFoundError:
        # A source checkout run without installing: `rules/` sits beside `notelint/`.
        init = Path(__file__).resolve().parent.parent / "rules" / "__init__.py"
        spec = importlib.util.spec_from_file_location("notelint.rules", init, submodule_search_locations=[str(init.parent)])
        module = importlib.util.module_from_spec(spec)
        sys.modules["notelint.rules"] = module
        spec.loader.exec_module(module)
        return module


def lookup(name_or_code: str) -> type[Rule] | None:
    key = name_or_code.strip()
    for rule in all_rules():
        if key == rule.name or key.upper() == rule.code:
            return rule
    return None


def matching(selector: str) -> list[type[Rule]]:
    """Rules a `select`/`ignore` entry names: `ALL`, a name, a code, or a code prefix (`NL1`)."""
    key = selector.strip()
    if key.upper() == "ALL":
        return list(all_rules())
    exact = lookup(key)
    if exact is not None:
        return [exact]
    if len(key) >= 2 and key[:2].upper() == "NL":
        return [r for r in all_rules() if r.code.startswith(key.upper())]
    return []


def closest(name: str) -> str | None:
    """The rule name or code `name` is most likely a typo of, only when one is really close
    (like ruff, which suggests nothing rather than a guess): codes are compared with codes,
    names with names (case, `_` and spaces aside), or `name` starts exactly one rule's name."""
    key = name.strip()
    if key[:2].upper() == "NL":
        match = difflib.get_close_matches(key.upper(), [r.code for r in all_rules()], n=1, cutoff=0.8)
        return match[0] if match else None
    key = "-".join(key.lower().replace("_", "-").split())
    names = [r.name for r in all_rules()]
    match = difflib.get_close_matches(key, [*names, "all"], n=1, cutoff=0.8)
    if match:
        return "ALL" if match[0] == "all" else match[0]
    starting = [n for n in names if n.startswith(key)] if len(key) >= 4 else []
    return starting[0] if len(starting) == 1 else None
