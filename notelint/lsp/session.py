"""One vault as the language server sees it: the last whole check of the files on disk, kept
warm, and the editor's unsaved buffers linted against it.

A buffer is linted like `check` lints a note: the per-note rules run on the buffer's text, with
the vault context the last whole check prepared (links, ids, tag spellings as saved on disk).
The vault-scope rules' findings come from that check; those about an image the buffer embeds
(a duplicate, an unreadable file) are shown on the embed too, since the image itself is never
open in the editor. Nothing here speaks LSP, and nothing here writes a note.
"""

from __future__ import annotations

import difflib
from collections import Counter
import os
import posixpath
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from notelint import baseline, config as config_mod, engine, suppression
from notelint.checking import judged_rules, note_findings, unused_findings
from notelint.finding import Edit, Finding, Fix
from notelint.note import Note
from notelint.resolve import image_refs, vault_images
from notelint.source import LINE_BREAK
from notelint.vault import find_root, is_note_name
from notelint.workspace import Workspace

CONFIG_NAMES = (".notelint.toml", "notelint.toml", "pyproject.toml")
PROJECTED_RULES = ("duplicate-image", "unreadable-image")  # about an image; shown where a note embeds it


@dataclass
class ConfigProblem:
    """A config that would not load: shown on the config file, while the last good one stays in use."""

    path: Path
    message: str
    line: int = 1
    column: int = 1


@dataclass
class Session:
    """A vault: its root, the workspace of its last whole check, and that check's vault-scope findings."""

    root: Path
    ws: Workspace | None = None
    scope: dict[str, list[Finding]] = field(default_factory=dict)  # path -> vault-scope findings
    problem: ConfigProblem | None = None
    warnings: list[str] = field(default_factory=list)
    generation: int = 0  # counts refreshes that produced a new vault model
    lock: threading.Lock = field(default_factory=threading.Lock)  # one refresh at a time
    _images_about: tuple | None = field(default=None, repr=False)

    @classmethod
    def around(cls, folder: Path) -> Session:
        """The session of the vault holding `folder` (the root `check` would find)."""
        return cls(find_root(Path(os.path.abspath(folder))))

    # ------------------------------------------------------------------ the files on disk
    def refresh(self) -> None:
        """Check the whole vault as saved (warm: from the cache), and keep its model. A config
        that fails to load keeps the last good model and is recorded as `problem`."""
        with self.lock:
            try:
                workspaces, warnings = engine.prepare([str(self.root)], engine.RunOptions())
                ws = workspaces[0]
                engine.check(ws)
                if ws.stale or "vault-results" in ws.context:
                    ws.prepare_rules()  # warm: the check came from the cache; buffers need the context
            except config_mod.ConfigError as exc:
                self.problem = config_problem(self.root, str(exc))
                return
            self.problem = None
            self.warnings = warnings
            scope: dict[str, list[Finding]] = {}
            for f in ws.scope_findings:
                scope.setdefault(f.path, []).append(f)
            self.ws, self.scope = ws, scope
            self.generation += 1

    def rel(self, path: Path) -> str | None:
        """The vault-relative path of a file, None when it lies outside the vault."""
        rel = os.path.relpath(os.path.abspath(path), self.root)
        if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
            return None
        return rel.replace(os.sep, "/")

    def lints(self, rel: str) -> bool:
        """Whether a buffer at `rel` is a note this vault lints (not excluded, not a template
        folder of a Dendron workspace outside every vault, a Markdown name)."""
        ws = self.ws
        return ws is not None and is_note_name(posixpath.basename(rel)) and ws.vault.linted(rel)

    # ------------------------------------------------------------------ buffers
    def note(self, rel: str, text: str) -> Note:
        """The buffer as a note of this vault (never read from disk)."""
        vault = self.ws.vault
        return Note(path=vault.abs(rel), rel=rel, text=text, flavor=vault.flavor, template=rel in vault.templates)

    def lint(self, rel: str, text: str) -> list[Finding]:
        """The findings `check` would report on the note if it were saved with `text`, its vault
        as last checked; plus the findings about the images it embeds."""
        ws = self.ws
        note = self.note(rel, text)
        raw = note_findings(note, ws.note_rules, ws.vault) + list(self.scope.get(rel, []))
        found = _suppress(ws, note, raw)
        found += self._projected(note)
        found.sort(key=Finding.sort_key)
        return found

    def _projected(self, note: Note) -> list[Finding]:
        """The vault-scope findings about images the note embeds, each shown on the embed: a copy's
        with its relink fix, and on the canonical file's embeds a pointer to its copies (so pasting
        a duplicate flags both notes)."""
        about = self._about_images()
        if not about:
            return []
        index = vault_images(self.ws)
        out = []
        for ref in image_refs(note):
            target = index.resolve(ref).target
            for f, copy in about.get(target, ()):
                line, column = note.position(ref.start)
                end_line, end_column = note.position(ref.end)
                fix = None
                if not copy:
                    message = f"`{target}` has a copy stored as `{f.path}`"
                    related = [f.path]
                else:
                    message, related = f"`{target}`: {f.message}", [target, *f.related]
                    if f.rule == "duplicate-image" and f.related:
                        relink = index.relink(note.rel, ref, f.related[0])
                        if relink is not None and relink != note.text[ref.dest_start:ref.dest_end]:
                            fix = Fix((Edit(ref.dest_start, ref.dest_end, relink),))
                out.append(Finding(note.rel, line, column, f.rule, f.code, message, f.severity,
                                   end_line, end_column, fix, related=related))
        return out

    def _about_images(self) -> dict[str, list[tuple[Finding, bool]]]:
        """image -> (finding, whether the image is the finding's own file) for the projected rules."""
        cached = self._images_about
        if cached is not None and cached[0] == self.generation:
            return cached[1]
        about: dict[str, list[tuple[Finding, bool]]] = {}
        for path, found in self.scope.items():
            for f in found:
                if f.rule in PROJECTED_RULES:
                    about.setdefault(path, []).append((f, True))
                    if f.rule == "duplicate-image" and f.related:
                        about.setdefault(f.related[0], []).append((f, False))
        self._images_about = (self.generation, about)
        return about

    # ------------------------------------------------------------------ edits for the editor
    def fix_all(self, rel: str, text: str, unsafe: bool = False) -> str | None:
        """The buffer as `notelint fix` would leave it (None: it would not write it)."""
        ws = self.ws
        outcome = engine.fix_note(self.note(rel, text), ws.rules, ws.vault, unsafe)
        return None if outcome.problem else outcome.text

    def format(self, rel: str, text: str) -> str | None:
        """The buffer with the enabled formatting rules' safe fixes applied (the `whitespace`
        rule counts: its parts are the Obsidian Linter's spacing rules)."""
        ws = self.ws
        rules = [r for r in ws.rules if r.category == "format" or r.plugin]
        if not rules:
            return text
        outcome = engine.fix_note(self.note(rel, text), rules, ws.vault, False)
        return None if outcome.problem else outcome.text

    def disable(self, rel: str, text: str, finding: Finding) -> str | None:
        """The buffer with the narrowest suppression of `finding` (a line comment, else the whole
        note for its rule), kept only if it silences that rule there and adds no finding."""
        note = self.note(rel, text)
        if not engine.writable(note):
            return None
        new = baseline.plan_one(note, finding)
        if new is None:
            return None
        before = Counter(f.rule for f in self.lint(rel, text))
        after = Counter(f.rule for f in self.lint(rel, new))
        if after[finding.rule] >= before[finding.rule] or any(after[r] > before[r] for r in after):
            return None
        return new


def _suppress(ws: Workspace, note: Note, raw: list[Finding]) -> list[Finding]:
    """The findings the note's suppressions leave, and `unused-suppression`'s, as `check` does."""
    if not note.readable or not raw and "notelint" not in note.text and "noqa" not in note.text:
        return raw
    sup = suppression.of(note)
    if sup.empty:
        return raw
    kept, used = suppression.apply(raw, sup)
    unused_rule = next((r for r in ws.rules if r.name == suppression.UNUSED_RULE), None)
    here = unused_rule.for_path(note.rel) if unused_rule is not None else None
    if here is not None:
        dead = sup.unused(used, judged_rules(ws.rules, ws.vault, note.rel))
        if dead:
            kept.extend(unused_findings(here, note, sup, dead))
    return kept


# --------------------------------------------------------------------------- config problems

_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_FILE_LINE = re.compile(r"^[^:]+:(\d+):")


def config_problem(root: Path, message: str) -> ConfigProblem:
    """Where a config error points: the config file found at the root, at the line the message names."""
    found = config_mod.find_config_file(root)
    path = found[0] if found else root / ".notelint.toml"
    line = column = 1
    if m := _TOML_AT.search(message):
        line, column = int(m.group(1)), int(m.group(2))
    elif m := _FILE_LINE.match(message):
        line = int(m.group(1))
    return ConfigProblem(Path(path), message, line, column)


def is_config(path: Path) -> bool:
    return path.name in CONFIG_NAMES


# --------------------------------------------------------------------------- text edits


def text_edits(old: str, new: str) -> list[Edit]:
    """The line-wise splices turning `old` into `new`: the editor keeps its marks and folds on
    the lines no fix touched (one edit replacing the whole note would move them all)."""
    if old == new:
        return []
    a, b = _split_lines(old), _split_lines(new)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(Edit(starts[i1], starts[i2], "".join(b[j1:j2])))
    return edits


def _split_lines(text: str) -> list[str]:
    """The text's lines, each with its line break (`\\n`, `\\r\\n`, `\\r`)."""
    out, last = [], 0
    for m in LINE_BREAK.finditer(text):
        out.append(text[last:m.end()])
        last = m.end()
    if last < len(text):
        out.append(text[last:])
    return out
