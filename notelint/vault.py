"""The vault: where its root is, which flavor it is, and which files are notes and assets.

Discovery walks with `os.scandir`, never follows a directory symlink twice (loops end),
skips tool folders and the cache, and records folders it could not read instead of failing.
Files matched by `exclude` are walked too: they are not linted, but links and images still
resolve to them (`exclude` means "do not lint", not "does not exist").

A Dendron workspace (`dendron.yml` listing `workspace.vaults`) holds several vaults, each a
root of its own (`dendron_workspace.py`); files outside every vault are not notes.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from notelint import excludes
from notelint.config import Config, configures_notelint
from notelint.dendron_workspace import SubVault, read_vaults
from notelint.templates import TemplateSet, read_templates

CACHE_DIR = ".notelint_cache"
SKIP_DIRS = {".git", ".hg", ".svn", ".obsidian", ".trash", "node_modules", CACHE_DIR, ".venv", "__pycache__"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg", ".avif", ".tif", ".tiff"}
ROOT_MARKERS = (".notelint.toml", "notelint.toml", "dendron.yml", ".obsidian")


def find_root(start: Path) -> Path:
    """Nearest ancestor holding `.notelint.toml`, `notelint.toml`, `dendron.yml` or
    `.obsidian/` (or a pyproject.toml with `[tool.notelint]`); else `start` itself. A folder
    whose `dendron.yml` is that of a vault listed by an enclosing workspace gives way to the
    workspace."""
    start = Path(os.path.realpath(start))  # Path.resolve raises on a symlink loop; realpath does not
    if start.is_file() or not start.exists():
        start = start.parent
    for folder in (start, *start.parents):
        for marker in ROOT_MARKERS:
            if (folder / marker).exists():
                return _workspace_around(folder) if marker == "dendron.yml" else folder
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if configures_notelint(pyproject.read_text("utf-8", "replace")):
                    return folder
            except OSError:
                pass
    return start


def _workspace_around(folder: Path) -> Path:
    """The Dendron workspace whose `dendron.yml` lists `folder` as one of its vaults (a
    self-contained vault keeps a `dendron.yml` of its own), else `folder`: a file given alone, as
    pre-commit gives it, is then checked with the workspace it belongs to, as Dendron reads it."""
    for above in folder.parents:
        if (above / "dendron.yml").is_file():
            rel = Path(os.path.relpath(folder, above)).as_posix()
            listed = read_vaults(above).vaults or ()
            if any(sub.notes == rel or sub.notes.startswith(rel + "/") for sub in listed):
                return above
            return folder
    return folder


def detect_flavor(root: Path) -> str:
    if (root / "dendron.yml").is_file():
        return "dendron"
    return "obsidian"


def read_obsidian_app(root: Path) -> dict:
    """`.obsidian/app.json` (attachment folder, link format, excluded files), if readable."""
    try:
        data = json.loads((root / ".obsidian" / "app.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class Vault:
    """The folder notelint was pointed at and its files, relative to `root`, `/`-separated, sorted.

    `notes` and `assets` are what is linted. Files matched by `exclude` are listed apart: they
    are not linted and take no part in vault-wide findings, but links resolve to them and their
    references count (an image used only by an excluded note is no orphan). In a Dendron
    workspace, `vaults` lists its vaults on disk; notes outside every vault are not notes of the
    workspace (`outside_notes`: linted only when named as a PATH), and images there are ignored.
    """

    root: Path
    flavor: str
    config: Config
    notes: list[str] = field(default_factory=list)  # linted notes
    assets: list[str] = field(default_factory=list)  # linted images
    others: list[str] = field(default_factory=list)  # every other file in a vault (PDF, audio, video, canvas), for file links
    problems: list[tuple[str, str]] = field(default_factory=list)  # (rel path, what went wrong)
    app: dict = field(default_factory=dict)
    vaults: list[SubVault] | None = None  # the workspace's vaults on disk; None: the root is the one vault
    excluded_notes: list[str] = field(default_factory=list)  # in a vault, matched by `exclude`
    excluded_assets: list[str] = field(default_factory=list)
    outside_notes: list[str] = field(default_factory=list)  # outside every vault, not excluded
    absent_vaults: list[str] = field(default_factory=list)  # names of vaults listed but not on disk
    warnings: list[str] = field(default_factory=list)  # e.g. a listed vault not on disk
    templates: TemplateSet = field(default_factory=TemplateSet)  # `rel in vault.templates`: a template file
    # (folder, its names) of every folder the walk listed, for the cache's listing digest
    listing: list[tuple[str, str]] = field(default_factory=list)

    def abs(self, rel: str) -> Path:
        return self.root / rel

    def rel(self, path: Path) -> str:
        return Path(os.path.relpath(os.path.abspath(path), self.root)).as_posix()

    def excluded(self, rel: str) -> bool:
        return any(excludes.matches(rel, pat) for pat in self.config.exclude)

    @property
    def all_notes(self) -> list[str]:
        """Every note links can resolve to: the linted ones and the excluded ones."""
        return sorted(self.notes + self.excluded_notes) if self.excluded_notes else self.notes

    @property
    def all_assets(self) -> list[str]:
        """Every image references can resolve to: the linted ones and the excluded ones."""
        return sorted(self.assets + self.excluded_assets) if self.excluded_assets else self.assets

    def vault_of(self, rel: str) -> SubVault | None:
        """The workspace vault holding `rel` (a file or a folder; the innermost when vaults
        nest), or None: no vault holds it, or the workspace lists none."""
        for sub in self.vaults or ():  # innermost first (see `read_vaults`)
            if sub.holds(rel):
                return sub
        return None

    def base_of(self, rel: str) -> str:
        """The folder a leading `/` of a path in `rel` means: the root of its vault's notes
        ('' for the workspace root, also for a file outside every vault)."""
        sub = self.vault_of(rel) if self.vaults else None
        return sub.notes if sub is not None else ""

    def in_vault(self, rel: str) -> bool:
        return self.vaults is None or self.vault_of(rel) is not None

    def holds_vault(self, folder: str) -> bool:
        """True when a vault of the workspace lies inside `folder` ('.' holds them all)."""
        return folder == "." or any(sub.notes.startswith(folder + "/") for sub in self.vaults or ())

    def linted(self, rel: str) -> bool:
        """True for a file notelint reports on when it checks the whole folder."""
        return self.in_vault(rel) and not self.excluded(rel)

    def vault_named(self, name: str) -> SubVault | None:
        return next((sub for sub in self.vaults_in_order if sub.name == name), None)

    @property
    def vaults_in_order(self) -> list[SubVault]:
        """The vaults in `dendron.yml` order (lookups without a vault name try them so)."""
        return sorted(self.vaults or (), key=lambda sub: sub.order)


def open_vault(root: Path, config: Config) -> Vault:
    flavor = config.flavor or detect_flavor(root)
    vault = Vault(root=root, flavor=flavor, config=config)
    vault.app = read_obsidian_app(root) if (root / ".obsidian").is_dir() else {}
    vault.templates = read_templates(root, config.templates)
    if flavor == "dendron":
        listed = read_vaults(root)
        vault.vaults, vault.absent_vaults, vault.warnings = listed.vaults, listed.absent, listed.warnings
    _discover(vault)
    return vault


def is_note_name(name: str) -> bool:
    return name.lower().endswith(".md")


def special_file(path: str | os.PathLike) -> str:
    """Why `path` must not be opened as a note, or '' for a regular file. Reading a named
    pipe blocks for ever and a device such as /dev/zero never ends; a broken or looping
    symbolic link cannot be read. Any other error is left to the read, which reports it."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if not os.path.islink(path):
            return ""
        if exc.errno == errno.ELOOP:
            return "the file is a symbolic link loop; it was not read"
        return "the file is a symbolic link to nothing (its target does not exist); it was not read"
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return ""
    kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a special file")
    return f"the file is {kind}, not a regular file; it was not read"


def _discover(vault: Vault) -> None:
    root = vault.root
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    files: list[tuple[str, str]] = []  # (kind, rel): kind "note", "image" or "other"
    listing: list[tuple[str, str]] = []
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            _problem(vault, vault.rel(folder), f"folder cannot be read: {exc.strerror or exc}")
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:  # a symlink loop or a second link to a folder already walked
            continue
        seen_dirs.add(key)
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            _problem(vault, vault.rel(folder), f"folder cannot be read: {exc.strerror or exc}")
            continue
        base = vault.rel(folder)  # once per folder: relpath per entry was a third of a warm run's walk
        dir_names: list[str] = []
        file_names: list[str] = []
        for entry in entries:
            rel = entry.name if base == "." else f"{base}/{entry.name}"
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:  # a symlink loop: neither (a note named so is reported, see below)
                is_dir = is_file = False
            if is_dir:
                if entry.name not in SKIP_DIRS:
                    dir_names.append(entry.name)
                    stack.append(Path(entry.path))
                continue
            file_names.append(entry.name)  # (any non-folder: a pipe or a broken link is a name too)
            if is_note_name(entry.name):
                files.append(("note", rel))  # a pipe, device or broken link named .md too: reported, never opened (special_file)
            elif is_file and os.path.splitext(entry.name)[1].lower() in IMAGE_EXTENSIONS:
                files.append(("image", rel))
            elif is_file:
                files.append(("other", rel))
        listing.append((base, "\0".join(sorted(dir_names) + sorted(file_names))))
    vault.listing = listing
    _sort(vault, files)


def _sort(vault: Vault, files: list[tuple[str, str]]) -> None:
    """Linted, excluded, or outside every vault (images there are nobody's). Other files
    (attachments that are not images) are listed whether excluded or not: only links resolve to them."""
    lists = {("note", True): vault.notes, ("note", False): vault.excluded_notes,
             ("image", True): vault.assets, ("image", False): vault.excluded_assets}
    for kind, rel in files:
        if kind == "other":
            if vault.in_vault(rel):
                vault.others.append(rel)
            continue
        if not vault.in_vault(rel):
            if kind == "note" and not vault.excluded(rel):
                vault.outside_notes.append(rel)
            continue
        lists[kind, not vault.excluded(rel)].append(rel)
    for found in (*lists.values(), vault.outside_notes, vault.others):
        found.sort()


def _problem(vault: Vault, rel: str, message: str) -> None:
    """A folder that cannot be read is reported where it could hold linted files."""
    if not vault.excluded(rel) and (vault.in_vault(rel) or vault.holds_vault(rel)):
        vault.problems.append((rel, message))
