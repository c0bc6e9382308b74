"""Declared rule options: each rule lists its options with a type, a default and a doc
line, so configuration is validated (unknown option or bad value: exit 2) and documented
from one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    """The kind of an option holding a list of tables (TOML `[[rules.NAME.OPTION]]`), each
    validated field by field, e.g. the schemas of required-sections."""

    fields: tuple[Option, ...]
    required: tuple[str, ...] = ()

    def describe(self) -> str:
        names = ", ".join(f"`{f.name}`" + ("" if f.name in self.required else "?") for f in self.fields)
        return f"list of tables ({names})"

    def validate(self, value: Any) -> str | None:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return f"must be a list of tables, not {value!r}"
        known = {f.name: f for f in self.fields}
        for i, table in enumerate(value, 1):
            for key, item in table.items():
                field = known.get(key)
                if field is None:
                    return f"table {i}: unknown key `{key}` (known keys: {', '.join(known)})"
                problem = field.validate(item)
                if problem:
                    return f"table {i}: `{key}` {problem}"
            missing = [r for r in self.required if r not in table]
            if missing:
                return f"table {i}: missing key{'s' if len(missing) > 1 else ''} {', '.join(f'`{m}`' for m in missing)}"
        return None

    def fill(self, table: dict) -> dict:
        """The table with every absent field at its default."""
        return {**{f.name: f.default for f in self.fields}, **table}


@dataclass(frozen=True)
class Option:
    name: str
    # int, bool, str, list (of str), dict (str -> str), a Table, or a tuple of allowed string values
    kind: type | tuple | Table
    default: Any
    doc: str
    minimum: int | None = None

    def describe_kind(self) -> str:
        if isinstance(self.kind, Table):
            return self.kind.describe()
        if isinstance(self.kind, tuple):
            return " | ".join(f'"{c}"' for c in self.kind)
        return {int: "integer", bool: "boolean", str: "string", list: "list of strings",
                dict: "table of string = string"}.get(self.kind, str(self.kind))

    def validate(self, value: Any) -> str | None:
        """None when `value` is acceptable, else what is wrong with it."""
        if isinstance(self.kind, Table):
            return self.kind.validate(value)
        if isinstance(self.kind, tuple):
            if value not in self.kind:
                return f"must be one of {self.describe_kind()}, not {value!r}"
            return None
        if self.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                return f"must be an integer, not {value!r}"
            if self.minimum is not None and value < self.minimum:
                return f"must be at least {self.minimum}, not {value}"
            return None
        if self.kind is bool:
            return None if isinstance(value, bool) else f"must be true or false, not {value!r}"
        if self.kind is str:
            return None if isinstance(value, str) else f"must be a string, not {value!r}"
        if self.kind is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return f"must be a list of strings, not {value!r}"
            return None
        if self.kind is dict:
            if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                return f"must be a table of string = string, not {value!r}"
            return None
        return None
