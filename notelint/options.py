"""Declared rule options: each rule lists its options with a type, a default and a doc
line, so configuration is validated (unknown option or bad value: exit 2) and documented
from one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Option:
    name: str
    kind: type | tuple  # int, bool, str, list (of str), or a tuple of allowed string values
    default: Any
    doc: str
    minimum: int | None = None

    def describe_kind(self) -> str:
        if isinstance(self.kind, tuple):
            return " | ".join(f'"{c}"' for c in self.kind)
        return {int: "integer", bool: "boolean", str: "string", list: "list of strings"}.get(self.kind, str(self.kind))

    def validate(self, value: Any) -> str | None:
        """None when `value` is acceptable, else what is wrong with it."""
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
        return None
