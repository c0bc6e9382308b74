"""Where a key is written in a TOML file, so a config error can name its line.

`tomllib` reports no positions for the values it returns, so this reads the text once more,
line by line: table headers (`[a.b]`, `[[a]]`, the n-th `[[a]]` being element n of the array)
and `key = value` lines (bare, quoted and dotted keys), skipping the inside of multi-line
arrays, inline tables and strings. It is a best effort for messages only: a key it cannot
place gives no line, never a wrong one from a guess about values.
"""

from __future__ import annotations

import re

# a key: bare (A-Za-z0-9_-) or quoted, possibly dotted with spaces around the dots (TOML 1.0 §Keys)
_KEY_PART = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_KEY = re.compile(rf"\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_HEADER = re.compile(rf"\s*(\[\[?)\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]\]?")
_PART = re.compile(_KEY_PART)

Path = tuple[str | int, ...]  # keys, and 0-based indexes into arrays of tables


def line_of(text: str, path: Path) -> int | None:
    """The 1-based line where `path` is defined (its `key =` line or its table header), or
    where the first key under it is, if it is a table that only dotted keys create."""
    found: int | None = None
    for lineno, full in _definitions(text):
        if full == path:
            return lineno
        if found is None and full[: len(path)] == path:
            found = lineno
    return found


def _definitions(text: str):
    """(line, full key path) for every table header and every key of the text."""
    counts: dict[tuple, int] = {}  # array-of-tables path -> elements seen
    table: tuple = ()
    depth = 0  # open brackets/braces of a value continuing over lines
    in_string: str | None = None  # an open multi-line string's delimiter
    for lineno, line in enumerate(text.splitlines(), 1):
        if in_string is not None or depth:
            depth, in_string = _scan(line, depth, in_string)
            continue
        header = _HEADER.match(line)
        if header is not None and not _KEY.match(line):
            parts = _split(header.group(2))
            if header.group(1) == "[[":
                counts[tuple(parts)] = counts.get(tuple(parts), 0) + 1
            table = _resolve(parts, counts)
            if header.group(1) == "[[" and counts[tuple(parts)] == 1:
                yield lineno, table[:-1]  # the array itself, at its first header
            yield lineno, table
            continue
        key = _KEY.match(line)
        if key is None:
            continue
        yield lineno, table + tuple(_split(key.group(1)))
        depth, in_string = _scan(line[key.end():], 0, None)


def _split(dotted: str) -> list[str]:
    out = []
    for part in _PART.findall(dotted):
        if part[:1] == '"':
            part = part[1:-1].encode("utf-8").decode("unicode_escape") if "\\" in part else part[1:-1]
        elif part[:1] == "'":
            part = part[1:-1]
        out.append(part)
    return out


def _resolve(parts: list[str], counts: dict[tuple, int]) -> tuple:
    """A header's key path with the current element index after every array of tables in it."""
    out: list[str | int] = []
    for i in range(len(parts)):
        out.append(parts[i])
        seen = counts.get(tuple(parts[: i + 1]))
        if seen:
            out.append(seen - 1)
    return tuple(out)


def _scan(rest: str, depth: int, in_string: str | None) -> tuple[int, str | None]:
    """Bracket depth and open multi-line string after reading `rest` of a value."""
    i = 0
    while i < len(rest):
        if in_string is not None:
            end = rest.find(in_string, i)
            if end < 0:
                return depth, in_string
            i = end + len(in_string)
            in_string = None
            continue
        ch = rest[i]
        if ch == "#":
            break
        if rest.startswith(('"""', "'''"), i):
            in_string = rest[i:i + 3]
            i += 3
            continue
        if ch in "\"'":
            close = _string_end(rest, i)
            i = close + 1 if close >= 0 else len(rest)
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return depth, in_string


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    i = start + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    return -1
