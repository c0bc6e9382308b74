"""The vault: where its root is, which flavor it is, and which files are notes and assets.

Discovery walks with `os.scandir`, never follows a directory symlink twice (loops end),
skips tool folders, the cache and `exclude` globs, and records folders it could not read
instead of failing.
"""

from __future__ import annotations

import errno
import fnmatch
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from notelint.config import Config
from notelint.templates import TemplateSet, read_templates

CACHE_DIR = ".notelint_cache"
SKIP_DIRS = {".git", ".hg", ".svn", ".obsidian", ".trash", "node_modules", CACHE_DIR, ".venv", "__pycache__"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg", ".avif", ".tif", ".tiff"}
ROOT_MARKERS = (".notelint.toml", "notelint.toml", "dendron.yml", ".obsidian")


def find_root(start: Path) -> Path:
    """Nearest ancestor holding `.notelint.toml`, `notelint.toml`, `dendron.yml` or
    `.obsidian/` (or a pyproject.toml with `[tool.notelint]`); else `start` itself."""
    start = Path(os.path.realpath(start))  # Path.resolve raises on a symlink loop; realpath does not
    if start.is_file() or not start.exists():
        start = start.parent
    for folder in (start, *start.parents):
        for marker in ROOT_MARKERS:
            if (folder / marker).exists():
                return folder
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "[tool.notelint" in pyproject.read_text("utf-8", "replace"):
                    return folder
            except OSError:
                pass
    return start


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
    root: Path
    flavor: str
    config: Config
    notes: list[str] = field(default_factory=list)  # vault-relative, `/`-separated, sorted
    assets: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # every other file (PDF, audio, video, canvas), for file links
    problems: list[tuple[str, str]] = field(default_factory=list)  # (rel path, what went wrong)
    app: dict = field(default_factory=dict)
    templates: TemplateSet = field(default_factory=TemplateSet)  # `rel in vault.templates`: a template file

    def abs(self, rel: str) -> Path:
        return self.root / rel

    def rel(self, path: Path) -> str:
        return Path(os.path.relpath(os.path.abspath(path), self.root)).as_posix()

    def excluded(self, rel: str) -> bool:
        return any(fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(rel + "/", pat) for pat in self.config.exclude)


def open_vault(root: Path, config: Config) -> Vault:
    flavor = config.flavor or detect_flavor(root)
    vault = Vault(root=root, flavor=flavor, config=config)
    vault.app = read_obsidian_app(root) if (root / ".obsidian").is_dir() else {}
    vault.templates = read_templates(root, config.templates)
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
    notes, assets, others = [], [], []
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            vault.problems.append((vault.rel(folder), f"folder cannot be read: {exc.strerror or exc}"))
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:  # a symlink loop or a second link to a folder already walked
            continue
        seen_dirs.add(key)
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            vault.problems.append((vault.rel(folder), f"folder cannot be read: {exc.strerror or exc}"))
            continue
        base = vault.rel(folder)  # once per folder: relpath per entry was a third of a warm run's walk
        for entry in entries:
            rel = entry.name if base == "." else f"{base}/{entry.name}"
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:  # a symlink loop: neither (a note named so is reported, see below)
                is_dir = is_file = False
            if is_dir:
                if entry.name in SKIP_DIRS or vault.excluded(rel):
                    continue
                stack.append(Path(entry.path))
            elif is_file and not vault.excluded(rel):
                if is_note_name(entry.name):
                    notes.append(rel)
                elif os.path.splitext(entry.name)[1].lower() in IMAGE_EXTENSIONS:
                    assets.append(rel)
                else:
                    others.append(rel)
            elif not is_dir and is_note_name(entry.name) and not vault.excluded(rel):
                notes.append(rel)  # a pipe, device or broken link named .md: reported, never opened (special_file)
    vault.notes = sorted(notes)
    vault.assets = sorted(assets)
    vault.others = sorted(others)
