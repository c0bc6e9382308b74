"""The notes' facts file of the cache (`facts-<key>.json`): one table per fact kind, decoded
only when a rule asks for that kind.

A run reads the kinds it needs, not the file: a check of five changed notes asks for the ids and
the tag uses of every note (0.4 and 0.9 MB of a 10,000-note vault's 8.7 MB), never for the
headings or note references (2 and 1.7 MB) that only a whole-vault run reads; decoding the file
whole cost 0.08-0.11 s of a 0.66 s run.

The file is JSON Lines, each line written by `cache.encode` (compact JSON never holds a raw line
break): a head `{"format", "notelint", "key", "kinds": [kind, ...]}`, then one line per kind,
`{rel: [digest of the note's bytes, fact]}`. A line is split off without being parsed and
decoded the first time its kind is asked; a saved file writes the lines of kinds this run did
not touch back byte for byte.

Facts a worker computed of a few changed notes (`put`) are only merged into a kind this run
decoded anyway, or whose line is small for so many notes (`LOOKUP_BYTES` a note): merging five
notes' headings into a 10,000-note vault's would decode and re-encode 2 MB. A fact not merged is
computed again by the next run that needs it (each entry checks itself against the note's
digest, so nothing stale is read). The same measure tells whether a run asking for a few notes'
facts looks them up or computes them (`cheaper_than`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

LOOKUP_BYTES = 50_000  # decoding this much of a kind's line costs about what reading and parsing a note does


class FactFile:
    """The facts file of one cache: read on first use, written by `save` when a kind changed."""

    def __init__(self, path: Path, head: dict, encode: Callable[[Any, bool], bytes],
                 nonfinite: Callable[[Any], bool]):
        self.path = path
        self.head = head  # format, notelint version, run key: a file with another head is ignored
        self._encode, self._nonfinite = encode, nonfinite
        self._lines: dict[str, bytes] | None = None  # kind -> its line, not decoded yet
        self.tables: dict[str, dict[str, list]] = {}  # kind -> {rel: [digest, fact]}, decoded
        self.exotic: dict[str, bool] = {}  # kind -> may hold a NaN or an infinity
        self.pending: dict[str, dict[str, list]] = {}  # kind -> facts put but not merged yet
        self.dirty: set[str] = set()  # kinds whose table changed
        self.pruned = False  # a kind's line was dropped (damaged): the file must be rewritten

    @property
    def loaded(self) -> bool:
        return self._lines is not None

    def _read(self) -> dict[str, bytes]:
        if self._lines is None:
            self._lines = self._load()
        return self._lines

    def _load(self) -> dict[str, bytes]:
        """Kind -> its line, split off the file unparsed; empty when the file is missing, damaged,
        or of another format, version or key."""
        try:
            with open(self.path, "rb") as fh:
                raw = fh.read()
        except OSError:
            return {}  # no file yet
        head_line, _, rest = raw.partition(b"\n")
        try:
            head = json.loads(head_line)
        except (ValueError, RecursionError):
            return {}  # damaged, or of an older format: rebuilt
        if not isinstance(head, dict) or any(head.get(k) != v for k, v in self.head.items()):
            return {}
        kinds = head.get("kinds")
        lines = rest.split(b"\n")  # (a head naming no kind, alone: one empty line, no match)
        if isinstance(kinds, list) and all(isinstance(k, str) for k in kinds) and len(kinds) == len(lines):
            return dict(zip(kinds, lines))
        return {}

    def table(self, kind: str) -> dict[str, list]:
        """{rel: [digest, fact]} of one kind, decoded on first use (empty when absent or damaged)."""
        table = self.tables.get(kind)
        if table is None:
            lines = self._read()
            line = lines.get(kind)
            table = _decoded(line) if line is not None else {}
            if table is None:  # a damaged line goes with the next save
                del lines[kind]
                self.pruned, table = True, {}
            self.tables[kind] = table
            self.exotic[kind] = line is not None and (b"NaN" in line or b"Infinity" in line)
            self._merge(kind)
        return table

    def cheaper_than(self, kind: str, notes: int) -> bool:
        """Whether looking fact `kind` of this many notes up costs less than reading and parsing
        them (about as much as decoding `LOOKUP_BYTES` of the kind's line each)."""
        return kind in self.tables or len(self._read().get(kind, b"")) <= notes * LOOKUP_BYTES

    def get(self, rel: str, digest: str, kind: str) -> tuple[bool, Any]:
        pending = self.pending.get(kind)
        entry = pending.get(rel) if pending else None
        if entry is None:
            entry = self.table(kind).get(rel)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == digest:
            return True, entry[1]
        return False, None

    def getter(self, kind: str) -> Callable[[str, str], tuple[bool, Any]]:
        """`get` of one kind as a function of (rel, digest): the kind's table decoded now, so
        every later fact of it lands in the table (nothing of it stays pending)."""
        table = self.table(kind)

        def held(rel: str, digest: str) -> tuple[bool, Any]:
            entry = table.get(rel)
            if type(entry) is list and len(entry) == 2 and entry[0] == digest:
                return True, entry[1]
            return False, None

        return held

    def digest_of(self, rel: str, kind: str) -> str | None:
        """The digest of the bytes this file holds fact `kind` of, or None (the kind's pending
        facts are merged as it is decoded)."""
        entry = self.table(kind).get(rel)
        if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str):
            return entry[0]
        return None

    def put(self, rel: str, digest: str, kind: str, value: Any) -> None:
        if kind in self.tables:
            self._set(kind, rel, [digest, value])
        else:
            self.pending.setdefault(kind, {})[rel] = [digest, value]

    def _set(self, kind: str, rel: str, entry: list) -> None:
        self.tables[kind][rel] = entry
        self.exotic[kind] = self.exotic[kind] or self._nonfinite(entry[1])
        self.dirty.add(kind)

    def _merge(self, kind: str) -> None:
        for rel, entry in self.pending.pop(kind, {}).items():
            self._set(kind, rel, entry)

    def prune(self, keep: set[str]) -> None:
        """Forget the notes not in `keep`, in the kinds this run decoded."""
        for kind, table in self.tables.items():
            gone = [rel for rel in table if rel not in keep]
            for rel in gone:
                del table[rel]
            if gone:
                self.dirty.add(kind)

    def _merged(self) -> list[str]:
        """The kinds whose pending facts are worth merging: decoding and encoding the kind's line
        costs less than reading and parsing those notes again (see `cheaper_than`)."""
        return [kind for kind, facts in self.pending.items() if self.cheaper_than(kind, len(facts))]

    @property
    def changed(self) -> bool:
        return bool(self.dirty or self.pruned or self._merged())

    def encoded(self) -> bytes:
        """The file's bytes: the kinds that changed encoded, the others' lines as they were read."""
        for kind in self._merged():
            self.table(kind)  # (decodes the kind's line, if any, and merges)
        self.pending.clear()  # the few left are computed again when a run needs them
        lines = self._read()
        for kind in self.dirty:
            lines[kind] = self._encode(self.tables[kind], self.exotic[kind])
        head = self._encode({**self.head, "kinds": list(lines)}, False)
        return b"\n".join([head, *lines.values()])

    def saved(self) -> None:
        self.dirty.clear()
        self.pruned = False


def _decoded(line: bytes) -> dict | None:
    """A kind's table from its line; None when the line is not a JSON object."""
    try:
        table = json.loads(line)
    except (ValueError, RecursionError, MemoryError):
        return None
    return table if isinstance(table, dict) else None
