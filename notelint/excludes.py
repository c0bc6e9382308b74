"""`exclude` patterns: fnmatch globs on vault-relative paths (`*` crosses `/`), or, written
`re:PATTERN`, a Python regular expression searched in the path, which is how the Obsidian
Linter's `filesToIgnore` (JavaScript regexes tested against the vault path) carry over when no
glob says the same."""

from __future__ import annotations

import fnmatch
import functools
import re

REGEX_PREFIX = "re:"


def problem(pattern: str) -> str | None:
    """Why `pattern` is no usable exclude pattern, or None."""
    if pattern.startswith(REGEX_PREFIX):
        try:
            re.compile(pattern[len(REGEX_PREFIX):])
        except re.error as exc:
            return f"`{pattern}` is not a valid regular expression: {exc}"
    return None


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern[len(REGEX_PREFIX):])


def matches(rel: str, pattern: str) -> bool:
    if pattern.startswith(REGEX_PREFIX):
        return _regex(pattern).search(rel) is not None
    return fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel + "/", pattern)
