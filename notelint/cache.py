"""The results cache, `.notelint_cache/` at the vault root: what makes a second run cheap.

It holds, per note, the findings of the rules whose findings depend on the note's own bytes
only (`Rule.uses_vault` is False), and per note and per image the *facts* vault-wide rules
index (ids, tags, image references, image signatures): the cached vault index.

A stale entry must never hide a finding, so everything is keyed by what it was computed from:

* the **run key** names the cache file: notelint's version, a digest of the source of
  notelint and of every rule module (a rule edited in place changes it), the parser
  versions, the flavor, every selected rule with its settings, `per-file-ignores`, `exclude`, the
  `[[overrides]]` (with the selections they apply after), `.obsidian/app.json` and the
  template files the settings name (`templates.py`). Another
  config or another notelint reads another file.
* a **note entry** holds the BLAKE2b digest of the note's raw bytes and whether the note can
  be written (that decides `fixable`); a different digest is a miss.
* an **image entry** holds the file's stat signature (size, mtime, ctime, inode). `ctime`
  changes on every write and cannot be set back by tools, so a changed image is a miss. An
  image written in the second before the entry was made ("racy", as git calls it) also
  stores the SHA-256 of its bytes, which the next run compares before trusting the entry.

Findings are stored with their fixes (edits), so `fixable` is right from the cache; the fix
loop itself never reads the cache (it re-checks the text each pass), and the report after
`fix` reads it for the notes `fix` did not change.

The image entries live in a file of their own (`assets-<key>.json`), read only by a run that asks
for an image fact: a warm run or a run on a few changed notes (the vault-wide results reused)
reads none, and the image entries were half the bytes of a 10,000-note vault's cache (5 of
10.6 MB, most of it the grey thumbnails duplicate-image compares). So do the notes' facts
(`facts-<key>.json`, 7.6 of 13 MB once every parsed note's vault index facts were kept): a warm
run, or a run on named files that nothing changed, reads none of them, and a run on a few changed
notes decodes only the kinds of facts it asks for (`fact_file.py`). Each image entry checks
itself against the file's stat signature, and each note fact entry against the note's digest, so
the files need not be written together.

The files are JSON (the facts file JSON Lines; never pickle: a cache planted in a shared vault must
not run code), written to a temporary file and moved into place with `os.replace`. It is encoded by
orjson, ten times faster than `json` (0.01 s against 0.1 s for the 12 MB of a 10,000-note vault,
rewritten on every run that changed a note), except where orjson would not write what `json` reads
back unchanged (`encode`); it is read by `json`, which keeps integers of any size. A missing,
corrupt, or foreign file is ignored and rebuilt; a read-only vault is simply not cached.
`--no-cache` opens nothing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

try:  # the fast encoder (`encode`); without it `json` writes the same data
    import orjson
except ImportError:  # pragma: no cover - a dependency
    orjson = None

from notelint import __version__
from notelint.fact_file import FactFile
from notelint.finding import Edit, Finding, Fix
from notelint.vault import CACHE_DIR
from notelint.writer import TMP_SUFFIX, replace_file

if TYPE_CHECKING:
    from notelint.note import Note
    from notelint.rule import Rule
    from notelint.vault import Vault

# Facts every run with findings reads (`engine` applies each note's suppressions, a fact): kept
# with the note's findings in the results file, not in the facts file a warm run never opens.
RESULT_KINDS = frozenset({"suppressions"})
# 2: the image entries moved to `assets-<key>.json`; 3: the note facts to `facts-<key>.json`;
# 4: that file holds one line per fact kind (`fact_file.py`)
FORMAT = 4
KEEP_FILES = 8  # result files of other configs kept (pre-commit and CI may select differently)
KEEP_STATES = 3  # whole-run results kept for this many vault states (see vault_state)
RACY_NS = 2_000_000_000  # a file changed this close to the entry's creation is verified by content


# --------------------------------------------------------------------------- keys


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of notelint's own source and every rule module: editing a rule invalidates."""
    from notelint import registry

    folders = [Path(__file__).resolve().parent]
    try:
        folders += [Path(p).resolve() for p in registry._rules_package().__path__]
    except Exception:  # noqa: BLE001 - no rules package: the key just covers notelint itself
        pass
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            h.update(path.name.encode())
            try:
                h.update(path.read_bytes())
            except OSError:
                h.update(b"?")
    return h.hexdigest()


def _parser_versions() -> list[str]:
    out = []
    for name in ("yaml", "markdown_it", "pyromark"):
        module = sys.modules.get(name)
        if module is None and name == "markdown_it":
            # read from its source, not imported: a `check` renders nothing, and the import costs
            # 17 ms of every run (`rendering.py` imports it when it renders)
            version = declared_version(name)
            if version is not None:
                out.append(f"{name}:{version}")
                continue
        if module is None:
            try:
                module = __import__(name)
            except ImportError:
                out.append(f"{name}:-")
                continue
        out.append(f"{name}:{getattr(module, '__version__', '?')}")
    return out


def declared_version(name: str) -> str | None:
    """`__version__` as the package's `__init__.py` assigns it (one literal), without importing it."""
    try:
        spec = importlib.util.find_spec(name)
        with open(spec.origin, encoding="utf-8") as fh:
            found = re.search(r'^__version__ = (["\'])([^"\'\\]+)\1$', fh.read(), re.M)
    except (ImportError, AttributeError, TypeError, ValueError, OSError):
        return None
    return found.group(2) if found else None


def run_key_inputs(vault: Vault, rules: list[Rule]) -> dict[str, Any]:
    """Everything per-note results depend on besides the note itself, by name. Each name has a
    test that changes it between two warm runs (tests/test_cache_key.py, which fails when a name
    is added here without one)."""
    return {
        "format": FORMAT,
        "notelint": __version__,
        "code": code_digest(),
        "parsers": _parser_versions(),
        "flavor": vault.flavor,
        "rules": [[r.name, r.code, r.settings, bool(getattr(r, "fixing", False))] for r in rules],
        "per-file-ignores": vault.config.per_file_ignores,
        # `exclude` of the config and of the command line: an excluded file takes no part in
        # vault-wide findings (duplicate-image between an image and an excluded copy)
        "exclude": vault.config.exclude,
        # which rules run where, with which options: [[overrides]] and the selections they follow
        "per-path": next((r.per_path.describe() for r in rules if r.per_path is not None), None),
        # every rule's configured options, selected or not: a rule may read another's (section-label
        # takes its labels from required-sections' schemas)
        "settings": vault.config.rule_settings,
        "app": vault.app,
        "templates": vault.templates.key(),  # from `.obsidian/templates.json`, Templater's and Daily notes' settings
        "tz": _time_zone(),  # rules reading dates in `local` time
    }


def _time_zone() -> list:
    """The local time zone as `timezone = "local"` reads it: `TZ`, the zone's names and offsets,
    and today's UTC offset (a daylight-saving switch changes what the rule's `local` means)."""
    return [os.environ.get("TZ"), list(time.tzname), time.timezone, time.altzone, time.daylight,
            time.localtime().tm_gmtoff]


def run_key(vault: Vault, rules: list[Rule]) -> str:
    """The digest of `run_key_inputs`: names the results file of this configuration."""
    text = json.dumps(run_key_inputs(vault, rules), sort_keys=True, default=repr, ensure_ascii=True)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def listing_digest(vault: Vault) -> str:
    """The names in every folder of the vault (excluded ones too; not tool folders), and the bytes
    of `dendron.yml`: rules also ask whether a file the walk did not list exists (a linked PDF, an
    excluded note), so adding, removing or renaming any file must change the vault state. The
    names are those the vault's own walk listed (`vault._discover`: one walk a run, not two)."""
    h = hashlib.blake2b(digest_size=16)
    for folder, names in sorted(vault.listing):
        h.update(folder.encode("utf-8", "surrogateescape") + b"\0")
        h.update(names.encode("utf-8", "surrogateescape") + b"\1")
    try:
        h.update((vault.root / "dendron.yml").read_bytes())
    except OSError:
        pass
    return h.hexdigest()


def vault_state(key: str, notes: list[tuple[str, str | None]], assets: list[tuple[str, list[int] | None]],
                targets: list[str], explicit: set[str] | None, listing: str = "") -> str | None:
    """One digest of everything rules with vault context can read: every note's bytes, every
    image's stat signature, every file name, the run key and what was asked for. None if a file
    was unreadable."""
    h = hashlib.blake2b(f"{key}\0{listing}".encode(), digest_size=16)
    for rel, digest in notes:
        if digest is None:
            return None
        h.update(f"n\0{rel}\0{digest}\0".encode("utf-8", "surrogatepass"))
    return digest_with_assets(h, assets, targets, explicit)


def digest_with_assets(h, assets: list[tuple[str, list[int] | None]], targets: list[str],
                       explicit: set[str] | None) -> str | None:
    """`h` (a blake2b under way) finished with every image's stat signature and what was asked
    for; None when a signature could not be trusted. Shared by `vault_state` and `scoped.py`."""
    for rel, sig in assets:
        if sig is None:
            return None
        h.update(f"a\0{rel}\0{sig}\0".encode("utf-8", "surrogatepass"))
    h.update(json.dumps([targets, sorted(explicit) if explicit is not None else None]).encode())
    return h.hexdigest()


def json_fact(value: Any, kind: str) -> Any:
    """A fact's value as the cache gives it back (tuples become lists), so a fact reads the same
    whether it was just computed or cached; a value JSON cannot hold is a bug in the rule."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"fact {kind!r} must be JSON data (lists, dicts, strings, numbers): {exc}") from None


def encode(data: Any, exotic: bool) -> bytes:
    """The cache's JSON bytes, as `json.loads` reads them back. orjson refuses (TypeError)
    integers past 64 bits, lone surrogates (a file name of undecodable bytes) and keys that are not
    strings, and writes NaN and infinities as null: such data, and data that may hold a non-finite
    float (`exotic`, see `nonfinite`), is written by `json`."""
    if orjson is not None and not exotic:
        try:
            return orjson.dumps(data)
        except TypeError:
            pass
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def nonfinite(value: Any) -> bool:
    """Whether JSON data holds a NaN or an infinity (which orjson would write as null)."""
    if isinstance(value, float):
        return value != value or value in (float("inf"), float("-inf"))
    if isinstance(value, list | tuple):
        return any(nonfinite(v) for v in value)
    if isinstance(value, dict):
        return any(nonfinite(v) for v in value.values())
    return False


def stat_key(st: os.stat_result) -> list[int]:
    """What identifies an unchanged file without reading it (a rewrite that restores the old
    mtime still moves ctime)."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def stat_signature(path: Path | str) -> list[int] | None:
    try:
        return stat_key(os.stat(path))
    except OSError:
        return None


def ensure_cache_folder(folder: Path) -> None:
    """`.notelint_cache/` with its own `.gitignore` (never committed) and `CACHEDIR.TAG` (backup
    tools skip it); OSError when it cannot be made."""
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", "utf-8")
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# notelint cache\n", "utf-8")


def note_digest(note: Note) -> str | None:
    """The key of a note's content, or None when the note must not be cached (not read from
    disk: an unreadable file, or a text that exists only in memory)."""
    if not note.raw and (note.read_error is not None or note.text):
        return None
    return digest_bytes(note.raw)


def is_cacheable(rule: Rule) -> bool:
    """Findings that depend on the note's bytes (and the run key) only: cached, and computed
    in workers. Rules with vault context (unless they declare `cacheable = True`: their `prepare`
    only reads the config) or marked `cacheable = False` run in the main process, every time.
    A rule is cacheable only if its instances for [[overrides]] are (options decide for some)."""
    return all(_cacheable(instance) for instance in rule.instances())


def _cacheable(rule: Rule) -> bool:
    declared = getattr(rule, "cacheable", None)
    if declared is not None:
        return bool(declared) and rule.scope == "note"
    return not rule.uses_vault


# --------------------------------------------------------------------------- findings <-> JSON


def dump_finding(f: Finding) -> list:
    fix = None if f.fix is None else [f.fix.safe, [_dump_edit(e) for e in f.fix.edits]]
    return [f.path, f.line, f.column, f.rule, f.code, f.message, f.severity, f.end_line, f.end_column, fix,
            list(f.related)]


def _dump_edit(e: Edit) -> list:
    return [e.start, e.end, e.replacement] if e.path is None else [e.start, e.end, e.replacement, e.path]


def load_finding(row: list) -> Finding:
    """The finding of a cached row; ValueError for a row that is not one (a damaged cache)."""
    path, line, column, rule, code, message, severity, end_line, end_column, fix, related = row
    if not (all(isinstance(v, str) for v in (path, rule, code, message, severity))
            and all(type(v) is int for v in (line, column))
            and all(v is None or type(v) is int for v in (end_line, end_column))
            and isinstance(related, list) and all(isinstance(r, str) for r in related)):
        raise ValueError("not a cached finding")
    if fix is not None:
        edits = tuple(Edit(*e) for e in fix[1] if isinstance(e, list) and len(e) in (3, 4))
        if not isinstance(fix[0], bool) or not edits or len(edits) != len(fix[1]) or not all(
                type(e.start) is int and type(e.end) is int and isinstance(e.replacement, str)
                and (e.path is None or isinstance(e.path, str)) for e in edits):
            raise ValueError("not a cached fix")
        fix = Fix(edits, safe=fix[0])
    return Finding(path, line, column, rule, code, message, severity, end_line, end_column, fix, list(related))


# --------------------------------------------------------------------------- the cache


class ResultsCache:
    """One vault's cache for one run key. Read once, written once (`save`) if anything changed."""

    def __init__(self, root: Path, key: str):
        self.folder = root / CACHE_DIR
        self.key = key
        self.path = self.folder / f"results-{key}.json"
        self.assets_path = self.folder / f"assets-{key}.json"
        self.facts_path = self.folder / f"facts-{key}.json"
        self.notes: dict[str, dict] = {}  # rel -> {"d": digest, "ro": bool, "f": findings?, "x": {kind: fact}}
        self._assets: dict[str, dict] | None = None  # `assets`, once read
        self.fact_file = FactFile(self.facts_path, {"format": FORMAT, "notelint": __version__, "key": key},
                                  encode, nonfinite)
        self.dirty = False
        self.assets_dirty = False
        self.digests: dict[str, tuple[str | None, bool]] = {}  # this run's note digests (parallel.fingerprint)
        self.stats: dict[str, list] = {}  # rel -> [stat signature, digest, read-only]: unchanged notes are not read
        self.vault: dict = {}  # vault state -> what the rules with vault context found then
        self.state: str | None = None  # this run's vault state, once computed
        self.scoped: dict = {}  # scope key -> the vault-scope rules' findings then (`scoped.py`)
        self.scope: str | None = None  # this run's scope key, once computed
        self.scope_whole: str | None = None  # a whole-vault run's, which a run given files may reuse
        self.pending: dict = {"notes": {}, "vault": None, "warnings": []}  # this run's, to store
        self.exotic = False  # the data may hold a NaN or an infinity: `encode` then uses `json`
        self.assets_exotic = False  # the same, of the image entries
        self._load()

    @classmethod
    def open(cls, vault: Vault, rules: list[Rule]) -> ResultsCache:
        return cls(vault.root, run_key(vault, rules))

    def _read(self, path: Path) -> tuple[dict, bool] | None:
        """One of this cache's files: (its data, whether it may hold a NaN or an infinity), or None
        when it is missing, unreadable, not JSON, absurdly nested, or of another format, version or key."""
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
            data = json.loads(raw)  # (not orjson: it reads an integer past 64 bits as a float)
        except (OSError, ValueError, RecursionError, MemoryError):
            return None  # no cache yet, or a damaged one: start empty, rebuild
        if not isinstance(data, dict):
            return None
        if data.get("format") != FORMAT or data.get("notelint") != __version__ or data.get("key") != self.key:
            return None
        return data, b"NaN" in raw or b"Infinity" in raw  # (or a string holding the word: no harm)

    def _load(self) -> None:
        read = self._read(self.path)
        if read is None:
            return
        data, self.exotic = read
        notes, vault, stats = data.get("notes"), data.get("vault", {}), data.get("stats", {})
        if all(isinstance(t, dict) for t in (notes, vault, stats)):
            self.notes, self.vault, self.stats = notes, vault, stats
            scoped = data.get("scoped", {})
            self.scoped = scoped if isinstance(scoped, dict) else {}
        else:
            self.exotic = False  # a foreign or damaged file: ignored

    @property
    def assets(self) -> dict[str, dict]:
        """rel -> {"s": stat signature, "h": sha256 if racy, "x": {kind: fact}}: read from its own
        file the first time a run asks for an image fact."""
        if self._assets is None:
            self._assets, self.assets_exotic = self._side_table(self.assets_path, "assets")
        return self._assets

    def _side_table(self, path: Path, name: str) -> tuple[dict, bool]:
        """The table `name` of one of the files read only when needed, and whether it may hold a
        NaN or an infinity; empty when the file is missing, damaged or foreign."""
        read = self._read(path)
        table = read[0].get(name) if read is not None else None
        return (table, read[1]) if isinstance(table, dict) else ({}, False)

    # ------------------------------------------------------------------ notes
    def _note(self, rel: str, digest: str) -> dict | None:
        entry = self.notes.get(rel)
        if isinstance(entry, dict) and entry.get("d") == digest:
            return entry
        return None

    def findings(self, rel: str, digest: str, read_only: bool) -> list[Finding] | None:
        """The cached findings of the cacheable rules on this exact note, or None."""
        entry = self._note(rel, digest)
        if entry is None or entry.get("ro") != read_only or "f" not in entry:
            return None
        try:
            return [load_finding(row) for row in entry["f"]]
        except (TypeError, ValueError):
            return None  # a damaged entry: recompute

    def digest_with(self, rel: str, kind: str | None = None) -> str | None:
        """The digest of the bytes this cache holds the findings (kind None) or fact `kind` of:
        a worker that reads the same bytes need not parse them (a file touched, not changed)."""
        if kind is not None and kind not in RESULT_KINDS:
            return self.fact_file.digest_of(rel, kind)
        entry = self.notes.get(rel)
        if not isinstance(entry, dict) or not isinstance(entry.get("d"), str):
            return None
        held = "f" in entry if kind is None else isinstance(entry.get("x"), dict) and kind in entry["x"]
        return entry["d"] if held else None

    def put_findings(self, rel: str, digest: str, read_only: bool, rows: list[list]) -> None:
        entry = self._note(rel, digest)
        if entry is None:
            entry = self.notes[rel] = {"d": digest}
        entry["ro"] = read_only  # the note's facts kept here (same bytes) stay
        entry["f"] = rows
        self.dirty = True

    def _fact_entry(self, rel: str, digest: str) -> dict | None:
        entry = self.notes.get(rel)
        if isinstance(entry, dict) and entry.get("d") == digest and isinstance(entry.get("x"), dict):
            return entry
        return None

    def note_fact(self, rel: str, digest: str, kind: str) -> tuple[bool, Any]:
        if kind not in RESULT_KINDS:
            return self.fact_file.get(rel, digest, kind)
        entry = self._fact_entry(rel, digest)
        if entry is not None and kind in entry["x"]:
            return True, entry["x"][kind]
        return False, None

    def facts_at_hand(self, kind: str, wanted: int) -> bool:
        """Whether fact `kind` of `wanted` notes is cheaper looked up than computed: a kind kept
        with the findings, a table this run decoded, or one small enough to decode."""
        return kind in RESULT_KINDS or self.fact_file.cheaper_than(kind, wanted)

    def fact_getter(self, kind: str) -> Callable[[str, str], tuple[bool, Any]]:
        """`note_fact` of one kind, as a function of (rel, digest): for a loop over every note."""
        if kind in RESULT_KINDS:
            return lambda rel, digest: self.note_fact(rel, digest, kind)
        return self.fact_file.getter(kind)

    def put_note_fact(self, rel: str, digest: str, kind: str, value: Any) -> None:
        if kind in RESULT_KINDS:
            entry = self._note(rel, digest)
            if entry is None:
                entry = self.notes[rel] = {"d": digest, "ro": None}
            if not isinstance(entry.get("x"), dict):
                entry["x"] = {}
            entry["x"][kind] = value
            self.exotic = self.exotic or nonfinite(value)
            self.dirty = True
            return
        self.fact_file.put(rel, digest, kind, value)

    def known_digest(self, rel: str, sig: list[int] | None) -> tuple[str, bool] | None:
        """(digest, read-only) of a note whose stat signature is what it was when it was last
        read (its ctime changes with any write, its inode with a replacement): no need to read it."""
        rec = self.stats.get(rel)
        if sig is None or not isinstance(rec, list) or len(rec) != 3 or rec[0] != sig:
            return None
        if not isinstance(rec[1], str) or not isinstance(rec[2], bool):
            return None
        return rec[1], rec[2]

    def remember_digest(self, rel: str, sig: list[int] | None, digest: str | None, read_only: bool) -> None:
        """After reading a note: its digest under the stat signature taken before the read,
        unless the file was written too recently for its timestamps to tell a later write."""
        if sig is None or digest is None or max(sig[1], sig[2]) >= time.time_ns() - RACY_NS:
            return
        if self.stats.get(rel) != [sig, digest, read_only]:
            self.stats[rel] = [sig, digest, read_only]
            self.dirty = True

    # ------------------------------------------------------------------ images and other files
    def asset_fact(self, rel: str, path: Path, kind: str) -> tuple[bool, Any]:
        entry = self.assets.get(rel)
        if not isinstance(entry, dict) or not isinstance(entry.get("x"), dict) or kind not in entry["x"]:
            return False, None
        if entry.get("s") != stat_signature(path):
            return False, None
        if entry.get("h"):  # written just before the entry was made: trust its bytes only
            try:
                if hashlib.sha256(path.read_bytes()).hexdigest() != entry["h"]:
                    return False, None
            except OSError:
                return False, None
        return True, entry["x"][kind]

    def asset_before(self, path: Path) -> tuple[list[int] | None, str]:
        """Taken before a fact is computed from the file: its stat signature and, when the file
        is fresh enough to change unseen within one timestamp tick, the digest of its bytes."""
        now = time.time_ns()
        sig = stat_signature(path)
        racy = ""
        if sig is not None and max(sig[1], sig[2]) >= now - RACY_NS:
            try:
                racy = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                sig = None
        return sig, racy

    def put_asset_fact(self, rel: str, before: tuple[list[int] | None, str], kind: str, value: Any) -> None:
        sig, racy = before
        if sig is None:
            return
        entry = self.assets.get(rel)
        if not isinstance(entry, dict) or entry.get("s") != sig or entry.get("h", "") != racy:
            entry = self.assets[rel] = {"s": sig, "h": racy, "x": {}}
        entry["x"][kind] = value
        self.assets_exotic = self.assets_exotic or nonfinite(value)
        self.assets_dirty = True

    # ------------------------------------------------------------------ whole runs
    def vault_results(self, state: str) -> dict | None:
        """What the rules with vault context found when the vault was last in this exact state:
        {"warnings": [...], "notes": {rel: rows}, "vault": rows}, or None."""
        entry = self.vault.get(state)
        if not (isinstance(entry, dict) and isinstance(entry.get("notes"), dict) and isinstance(entry.get("vault"), list)
                and isinstance(entry.get("warnings", []), list)):
            return None
        try:  # a damaged entry is a miss, not a crash later
            for rows in (entry["vault"], *entry["notes"].values()):
                for row in rows:
                    load_finding(row)
        except (TypeError, ValueError):
            return None
        if not all(isinstance(w, str) for w in entry.get("warnings", [])):
            return None
        return entry

    def put_vault_results(self, state: str, warnings: list[str], notes: dict[str, list], vault: list[list]) -> None:
        self.vault[state] = {"t": time.time_ns(), "warnings": list(warnings), "notes": notes, "vault": vault}
        for old in sorted(self.vault, key=lambda s: self.vault[s].get("t", 0) if isinstance(self.vault[s], dict) else 0)[:-KEEP_STATES]:
            del self.vault[old]  # a whole-vault run and a pre-commit run or two
        self.dirty = True

    def scoped_results(self, scope: str) -> dict | None:
        """What the vault-scope rules found at a run with this scope key, and what they read
        then (`scoped.py`): {"facts": {kind: digest}, "notes": {rel: [digest, read-only]},
        "modes": {rel: read-only}, "rows": findings}, or None."""
        entry = self.scoped.get(scope)
        if not (isinstance(entry, dict) and isinstance(entry.get("facts"), dict) and isinstance(entry.get("notes"), dict)
                and isinstance(entry.get("rows"), list)):
            return None
        try:
            for row in entry["rows"]:
                load_finding(row)
        except (TypeError, ValueError):
            return None
        if not all(isinstance(v, list) and len(v) == 2 for v in entry["notes"].values()):
            return None
        modes = entry.get("modes", {})
        if not isinstance(modes, dict) or not all(isinstance(v, bool) for v in modes.values()):
            return None
        return entry

    def put_scoped_results(self, scope: str, entry: dict) -> None:
        self.scoped[scope] = {"t": time.time_ns(), **entry}
        for old in sorted(self.scoped, key=lambda s: self.scoped[s].get("t", 0) if isinstance(self.scoped[s], dict) else 0)[:-KEEP_STATES]:
            del self.scoped[old]
        self.dirty = True

    # ------------------------------------------------------------------ writing
    def prune(self, notes: list[str], assets: list[str]) -> None:
        """Forget files that are no longer in the vault (called on whole-vault runs). Image entries
        and note facts are pruned when this run read them (a later run that does prunes what this
        one left)."""
        keep_n = set(notes)
        for table, keep in ((self.notes, keep_n), (self.stats, keep_n)):
            gone = [rel for rel in table if rel not in keep]
            for rel in gone:
                del table[rel]
            self.dirty = self.dirty or bool(gone)
        self.fact_file.prune(keep_n)
        if self._assets is not None:
            keep_a = set(assets)
            gone = [rel for rel in self._assets if rel not in keep_a]
            for rel in gone:
                del self._assets[rel]
            self.assets_dirty = self.assets_dirty or bool(gone)

    def save(self) -> bool:
        """Write the files of the cache that changed, each atomically; False (silently) if one cannot be."""
        facts_changed = self.fact_file.changed
        if not self.dirty and not self.assets_dirty and not facts_changed:
            return True
        head = {"format": FORMAT, "notelint": __version__, "key": self.key}
        try:
            ensure_cache_folder(self.folder)
            if self.dirty:
                data = {**head, "notes": self.notes, "vault": self.vault, "stats": self.stats, "scoped": self.scoped}
                replace_file(self.path, encode(data, self.exotic), durable=False)
                self.dirty = False
            if self.assets_dirty:
                replace_file(self.assets_path, encode({**head, "assets": self._assets}, self.assets_exotic),
                             durable=False)
                self.assets_dirty = False
            if facts_changed:
                replace_file(self.facts_path, self.fact_file.encoded(), durable=False)
                self.fact_file.saved()
            self._prune_old_files()
        except OSError:
            return False  # a read-only vault, a full disk: run without a cache
        return True


    def _prune_old_files(self) -> None:
        try:
            for prefix in ("results", "assets", "facts"):
                files = sorted(self.folder.glob(f"{prefix}-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
                for old in files[KEEP_FILES:]:
                    old.unlink()
                for tmp in self.folder.glob(f".{prefix}-*{TMP_SUFFIX}"):  # left by a machine that crashed mid-write
                    if tmp.stat().st_mtime < time.time() - 3600:
                        tmp.unlink()
        except OSError:
            pass
