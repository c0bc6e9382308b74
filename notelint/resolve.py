"""Where a note's image and note references point: the resolver behind dangling-image,
dangling-link, unreadable-image, orphan-image and duplicate-image.

Resolution follows the apps (see `../shared/notes/obsidian-and-dendron.md` §3, §4):

* Markdown (`![a](d)`, reference definitions) and HTML (`<img src>`) destinations are file
  paths: percent-decoded, relative to the note's folder, a leading `/` meaning the vault root.
  In the Obsidian flavor a Markdown destination missing there is then looked up vault-wide the
  way an embed is, as Obsidian does.
* Wikilinks and embeds (`![[x.png|300]]`, `[[Note#H]]`) are resolved like Obsidian: exact vault
  path, then the note's own folder, then the shortest path; letter case does not matter.
* Dendron wikilinks name a note by its hierarchy (`[[a.b.c]]`, `[[dendron://vault/a.b]]`).
* In a Dendron workspace of several vaults each vault is a root of its own: a leading `/`,
  an embed's "vault path" and a relative path's limit are the note's vault
  (`dendron_workspace.py`); files and notes are looked for in that vault, and a wikilink also
  in the others (see `NoteIndex._dendron`).

Nothing here opens an image: existence comes from the vault walk (and one `listdir` for files
the walk did not list), and a path escaping the vault root is reported, never followed.
"""

from __future__ import annotations

import functools
import html
import os
import posixpath
import re
import stat
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from notelint.anchors import AnchorFacts, parse_fragment
from notelint.vault import IMAGE_EXTENSIONS

if TYPE_CHECKING:
    from notelint.workspace import Workspace
    from notelint.note import Note

# schemes that make a destination remote (or not a file): http:, https:, data:, mailto:, …
REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]+:|//)")
WINDOWS_DRIVE = re.compile(r"^[a-zA-Z]:[\\/]")
# attachments Obsidian can link or embed that are not notes
ATTACHMENT_EXTENSIONS = IMAGE_EXTENSIONS | {
    ".pdf", ".mp3", ".wav", ".m4a", ".ogg", ".3gp", ".flac", ".webm", ".mp4", ".mov", ".mkv", ".ogv",
    ".canvas", ".base", ".txt", ".csv", ".json", ".zip", ".html", ".htm", ".docx", ".xlsx", ".pptx",
}
DENDRON_SCHEME = re.compile(r"^dendron://([^/]*)/")
# Markdown links to these usually name a page of the published site, not a file of the vault
PUBLISHED_PAGES = {".html", ".htm"}


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class ImageRef:
    """One local image reference in a note, with the offsets a relinking fix splices."""

    note: str  # vault-relative path of the note holding the reference
    syntax: str  # "markdown", "reference", "html", "embed"
    raw: str  # the destination as written (still %-encoded for markdown)
    start: int  # the whole reference in note.text
    end: int
    dest_start: int  # exactly the characters to splice when relinking
    dest_end: int
    angle: bool = False  # the destination is written inside `<…>`


@dataclass(frozen=True, slots=True)
class Resolution:
    status: str  # "ok", "missing", "case", "outside", "remote"
    target: str | None  # vault-relative file for "ok" and "case"
    candidates: tuple[str, ...] = ()  # for "missing": files that could be meant
    why: str = ""  # what makes them candidates: "case", "name" (same file name) or "content"


@dataclass(frozen=True, slots=True)
class NoteRef:
    """One link to a note (wikilink, note embed, Markdown link to a `.md` file), or to another
    file (`file`: a PDF, video, canvas… or a wikilink to an image that is not an embed)."""

    note: str
    syntax: str  # "wikilink", "embed", "markdown"
    raw: str  # the target as written (Markdown: still %-encoded; wikilink: without #heading and alias)
    heading: str | None  # the `#…` part, decoded, without the `#`
    start: int
    end: int
    dest_start: int  # the target characters (no heading, alias or `.md` removed)
    dest_end: int
    file: bool = False  # the target is a file other than a note
    heading_start: int = -1  # where `heading` is written in the note, -1 when the text differs (%-escapes)


@dataclass(frozen=True, slots=True)
class NoteResolution:
    status: str  # "ok", "missing", "case", "outside", "heading", "skip" (not a note), "vault" (unknown vault name)
    target: str | None  # vault-relative note
    candidates: tuple[str, ...] = ()
    detail: str = ""  # what was looked for, for the message (an anchor as written: `#intro`, `#^blk`; "vault": the name)
    span: tuple[int, int] | None = None  # for "heading": where the missing anchor is written


# --------------------------------------------------------------------------- extraction


def image_extension(path: str) -> bool:
    return posixpath.splitext(path)[1].lower() in IMAGE_EXTENSIONS


def is_remote(dest: str) -> bool:
    return bool(REMOTE.match(dest.strip())) and not WINDOWS_DRIVE.match(dest.strip())


def _unwrap_angle(text: str, start: int, end: int) -> tuple[int, int]:
    if end - start >= 2 and text[start] == "<" and text[end - 1] == ">":
        return start + 1, end - 1
    return start, end


def image_refs(note: Note) -> list[ImageRef]:
    """Local image references of one note, in text order (remote ones and note embeds left out)."""
    if not note.readable:
        return []
    text = note.text
    doc = note.markdown
    refs: list[ImageRef] = []
    for img in doc.images:
        if img.dest_start < 0:
            continue
        ds, de = _unwrap_angle(text, img.dest_start, img.dest_end)
        raw = text[ds:de]
        if not raw.strip() or is_remote(raw) or raw.startswith("#"):
            continue
        if posixpath.splitext(_path_part(raw, img.syntax))[1].lower() == ".md":
            continue  # `![](Note.md)` embeds a note: a link, not an image
        syntax = {"inline": "markdown", "reference": "reference", "html": "html"}[img.syntax]
        angle = syntax != "html" and text[ds - 1 : ds] == "<" and text[de : de + 1] == ">"
        refs.append(ImageRef(note.rel, syntax, raw, img.start, img.end, ds, de, angle))
    for w in doc.wikilinks:
        if w.embed and image_extension(w.target) and not is_remote(w.target):
            refs.append(ImageRef(note.rel, "embed", w.target, w.start, w.end, w.target_start, w.target_end))
    refs.sort(key=lambda r: (r.start, r.dest_start))
    return refs


def note_refs(note: Note) -> list[NoteRef]:
    """Links to notes and other files in one note, in text order: wikilinks, embeds, Markdown
    links to `.md` files and to attachments. Image embeds are left to `image_refs`."""
    if not note.readable:
        return []
    text = note.text
    refs: list[NoteRef] = []
    for w in note.markdown.wikilinks:
        target = w.target
        if is_remote(target) and not DENDRON_SCHEME.match(target):
            continue
        ext = posixpath.splitext(target)[1].lower()
        if w.embed and ext in IMAGE_EXTENSIONS:
            continue  # dangling-image's
        refs.append(NoteRef(note.rel, "embed" if w.embed else "wikilink", target, w.heading,
                            w.start, w.end, w.target_start, w.target_end,
                            ext in ATTACHMENT_EXTENSIONS, w.heading_start))
    for link in note.markdown.links:
        if link.syntax == "autolink" or link.dest_start < 0:
            continue
        ds, de = _unwrap_angle(text, link.dest_start, link.dest_end)
        raw = text[ds:de]
        if not raw or is_remote(raw):
            continue
        path, _, fragment = raw.partition("#")
        path = path.split("?", 1)[0]
        ext = posixpath.splitext(_decode(path, "markdown"))[1].lower() if path else ".md"
        if ext != ".md" and (ext not in ATTACHMENT_EXTENSIONS or ext in PUBLISHED_PAGES):
            continue
        heading = _decode(fragment, "markdown") if fragment else None
        if not path and heading is None:
            continue
        heading_start = ds + raw.index("#") + 1 if heading is not None and heading == fragment else -1
        refs.append(NoteRef(note.rel, "markdown", path, heading, link.start, link.end, ds, ds + len(path),
                            ext != ".md", heading_start))
    refs.sort(key=lambda r: (r.start, r.dest_start))
    return refs


def _path_part(raw: str, syntax: str) -> str:
    """The file path a destination names: `?query` and `#fragment` dropped, then decoded."""
    if syntax == "embed":
        return raw.split("#", 1)[0].strip()
    if syntax == "html":  # character references first: in `a&#32;b.png` the `#` is no fragment
        return unquote(html.unescape(raw).split("#", 1)[0].split("?", 1)[0])
    path = raw.split("#", 1)[0].split("?", 1)[0]
    return _decode(path, syntax)


def _decode(raw: str, syntax: str) -> str:
    if syntax == "html":
        raw = html.unescape(raw)
    elif syntax in ("markdown", "inline", "reference"):
        raw = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", raw)  # backslash escapes
    return unquote(raw)


# --------------------------------------------------------------------------- files


class FileIndex:
    """Which files exist in the vault, by exact path, lower-cased path and lower-cased name."""

    def __init__(self, root, files: list[str]):
        self.root = root
        self.files = set(files)
        self.by_lower: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for rel in sorted(files):
            self.by_lower.setdefault(rel.lower(), []).append(rel)
            self.by_name.setdefault(posixpath.basename(rel).lower(), []).append(rel)
        self._listed: dict[str, set[str] | None] = {}

    def exists(self, rel: str) -> bool:
        """True when exactly this path (letter case included) is a file inside the vault."""
        if rel in self.files:
            return True
        folder, name = posixpath.split(rel)
        if folder not in self._listed:
            try:
                self._listed[folder] = set(os.listdir(os.path.join(self.root, folder)))
            except OSError:
                self._listed[folder] = None
        listed = self._listed[folder]
        return bool(listed and name in listed and os.path.isfile(os.path.join(self.root, rel)) and inside(self.root, rel))

    def case_variants(self, rel: str) -> list[str]:
        return [f for f in self.by_lower.get(rel.lower(), []) if f != rel]

    def named(self, name: str, base: str = "") -> list[str]:
        """Files of that name (any letter case), in the folder `base` and below ('' = anywhere)."""
        found = self.by_name.get(name.lower(), [])
        return [f for f in found if f.startswith(base + "/")] if base else found


@functools.lru_cache(maxsize=65536)
def inside(root, rel: str) -> bool:
    """True when `rel` (symlinks followed) stays under the vault root."""
    real_root = _realpath(os.fspath(root))
    path = os.path.join(root, rel)
    name = os.path.basename(path)
    try:
        link = not name or stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        link = True
    # a file that is not a link is where its folder really is: the folder's real path is looked
    # up once per folder (a full `realpath` lstats every component, per image)
    real = os.path.realpath(path) if link else os.path.join(_realpath(os.path.dirname(path)), name)
    return os.path.commonpath([real, real_root]) == real_root


@functools.lru_cache(maxsize=4096)
def _realpath(path: str) -> str:
    return os.path.realpath(path)


def _normal(folder: str, path: str, base: str = "") -> str | None:
    """`path` joined to `folder` (a leading `/` is `base`, the root of the note's vault) and
    normalised; None when it climbs above that root."""
    if path.startswith("/"):
        joined = posixpath.join(base, path.lstrip("/")) if base else path.lstrip("/")
    else:
        joined = posixpath.join(folder, path) if folder else path
    norm = posixpath.normpath(joined) if joined else "."
    if norm == ".." or norm.startswith("../") or norm.startswith("/"):
        return None
    if base and norm != base and not norm.startswith(base + "/"):
        return None  # out of the note's vault (into another vault or the workspace around it)
    return norm


def obsidian_lookup(files: FileIndex, folder: str, linkpath: str, base: str = "") -> tuple[str | None, bool]:
    """Obsidian's resolution of a link path: exact vault path, then the note's own folder, then
    the shortest matching path; case-insensitive. `base` is the root of the note's vault in a
    Dendron workspace ('' = the whole root). Returns (file, unambiguous?): False when files
    differing only in letter case tie for the match."""
    linkpath = linkpath.strip().lstrip("/")
    if not linkpath:
        return None, False
    norm = posixpath.normpath(linkpath)
    if norm.startswith("../") or norm == "..":
        return None, False
    for path in (posixpath.join(base, norm) if base else norm, posixpath.join(folder, norm) if folder else None):
        if path is None:
            continue
        if files.exists(path):
            return path, True
        variants = files.case_variants(path)
        if variants:
            return variants[0], len(variants) == 1
    lower = "/" + norm.lower()
    start = len(base) if base else 0  # the path's suffix is matched within the note's vault
    matches = [f for f in files.named(posixpath.basename(norm), base) if ("/" + f[start:].lstrip("/").lower()).endswith(lower)]
    if matches:
        best = min(matches, key=lambda f: (len(f), f))
        exact = [f for f in matches if f.endswith(norm) and len(f) == len(best)]
        if exact:
            return exact[0], True
        return best, sum(len(f) == len(best) and f.lower() == best.lower() for f in matches) == 1
    return None, False


def _indexed(ws: Workspace, note: Note) -> bool:
    """Whether the vault index describes this note (`Workspace.indexed`; a stand-in workspace
    without one: the note it holds)."""
    indexed = getattr(ws, "indexed", None)
    return indexed(note) if indexed is not None else ws._notes.get(note.rel) is note


# --------------------------------------------------------------------------- images


class ImageIndex:
    """Every image reference of the vault and where each one resolves; built once per run."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.vault = ws.vault
        self.flavor = ws.vault.flavor
        self.files = FileIndex(ws.vault.root, ws.vault.all_assets)  # excluded images too: they exist
        # every note's references, read when first needed (`refs`): a run on a few notes whose
        # vault-scope findings are reused (`scoped.py`) reads only those notes' (`refs_of`)
        self._refs: dict[str, list[ImageRef]] | None = None
        self._target_refs: dict[str, list[ImageRef]] | None = None
        self._excluded_refs: dict[str, list[ImageRef]] | None = None  # read when first needed
        self._resolved: dict[tuple[str, str, str], Resolution] = {}
        self._references: dict[str, list[ImageRef]] | None = None
        self._hashes: dict[str, tuple] | None = None  # the image hash cache, read when first needed

    @property
    def refs(self) -> dict[str, list[ImageRef]]:
        """Note rel path -> its image references, for every note of the vault (not excluded ones)."""
        if self._refs is None:
            have = self._target_refs or {}
            rest = self._read_refs([rel for rel in self.vault.notes if rel not in have])
            self._refs = {rel: have[rel] if rel in have else rest[rel] for rel in self.vault.notes}
        return self._refs

    def _read_refs(self, rels: list[str]) -> dict[str, list[ImageRef]]:
        if hasattr(self.ws, "note_facts"):  # from the results cache, or computed over processes
            rows = self.ws.note_facts(REFS_FACT, image_ref_rows, rels)
            return {rel: [ImageRef(rel, *row) for row in rows.get(rel) or []] for rel in rels}
        return {rel: image_refs(self.ws.note(rel)) for rel in rels}

    # ------------------------------------------------------------------ resolving
    def resolve(self, ref: ImageRef) -> Resolution:
        """Memoised by what `_resolve` reads (syntax, destination, the note's folder), not by the
        reference: the notes of a folder link the same images over and over (20,000 references
        to 2,000 images in the benchmark vault), and each distinct one is resolved once."""
        key = (ref.syntax, ref.raw, posixpath.dirname(ref.note))
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolved[key] = self._resolve(ref)
        return cached

    def _resolve(self, ref: ImageRef) -> Resolution:
        if is_remote(ref.raw):
            return Resolution("remote", None)
        path = _path_part(ref.raw, ref.syntax)
        folder = posixpath.dirname(ref.note)
        base = self.vault.base_of(folder)
        if WINDOWS_DRIVE.match(path) or path.startswith("\\\\"):
            return Resolution("outside", None)
        if ref.syntax == "embed":
            found, _ = obsidian_lookup(self.files, folder, path, base)
            if found is not None:
                return self._checked(found, "ok")
            in_vault = posixpath.normpath(path.lstrip("/"))
            if _normal(folder, path, base) is None or in_vault.startswith(".."):
                return Resolution("outside", None)
            return self._missing(path, base, None, posixpath.join(base, in_vault) if base else in_vault)
        rel = _normal(folder, path, base)
        if rel is None:
            return Resolution("outside", None)
        if self.files.exists(rel):
            return self._checked(rel, "ok")
        if self.flavor == "obsidian" and ref.syntax in ("markdown", "reference") and not path.startswith("/"):
            found, unique = obsidian_lookup(self.files, folder, path)
            if found is not None and unique:
                exact = posixpath.basename(found) == posixpath.basename(path) and found.endswith(posixpath.normpath(path))
                return self._checked(found, "ok" if exact else "case")
        variants = self.files.case_variants(rel)
        if len(variants) == 1:
            return self._checked(variants[0], "case")
        return self._missing(path, base, variants, rel)

    def _checked(self, rel: str, status: str) -> Resolution:
        if not inside(self.vault.root, rel):
            return Resolution("outside", None)  # a symlink out of the vault: never read it
        return Resolution(status, rel)

    def _missing(self, path: str, base: str, variants: list[str] | None = None, rel: str | None = None) -> Resolution:
        """A missing target, with the files of the note's vault that could be meant: other case
        of the path, else the same file name elsewhere, else a file with the content the missing
        path had (hash cache)."""
        if variants:
            return Resolution("missing", None, tuple(variants), "case")
        name = posixpath.basename(path.rstrip("/"))
        named = tuple(f for f in self.files.named(name, base) if inside(self.vault.root, f)) if name else ()
        if named or rel is None:
            return Resolution("missing", None, named, "name" if named else "")
        same = tuple(f for f in self.same_content(rel) if not base or f.startswith(base + "/"))
        return Resolution("missing", None, same, "content" if same else "")

    def load_hash_cache(self) -> None:
        """Read duplicate-image's hash cache now (before that rule rewrites it this run), so
        `same_content` knows what missing files held. Skipped with `--no-cache`."""
        if self._hashes is None:
            no_cache = getattr(self.ws, "cache", True) is None
            self._hashes = {} if no_cache else _cached_digests(self.vault.root)

    def same_content(self, rel: str) -> tuple[str, ...]:
        """Images holding exactly the bytes `rel` held when duplicate-image's hash cache last
        saw it (the file was moved or renamed since); empty without that cache."""
        self.load_hash_cache()
        known = self._hashes.get(rel)
        if known is None:
            return ()
        import hashlib

        digest, (size, *_rest) = known
        out = []
        for other in self.vault.assets:
            path = os.path.join(self.vault.root, other)
            try:
                if other == rel or os.stat(path).st_size != size or not inside(self.vault.root, other):
                    continue
                with open(path, "rb") as fh:
                    if hashlib.sha256(fh.read()).hexdigest() == digest:
                        out.append(other)
            except OSError:
                continue
        return tuple(out)

    def expected_path(self, ref: ImageRef) -> str | None:
        """The vault path a Markdown or HTML destination names (None for embeds, or outside)."""
        if ref.syntax == "embed":
            return None
        folder = posixpath.dirname(ref.note)
        return _normal(folder, _path_part(ref.raw, ref.syntax), self.vault.base_of(folder))

    def refs_of(self, note: Note) -> list[ImageRef]:
        """The note's references: from the index when it is the note the index was built from,
        else (a fix pass's new text, or a note checked in a worker) parsed again."""
        if not _indexed(self.ws, note):
            return image_refs(note)
        found = self.indexed_refs(note.rel)
        return image_refs(note) if found is None else found

    def indexed_refs(self, rel: str) -> list[ImageRef] | None:
        """The references of note `rel` as it is on disk, from the vault index; None for a note
        the index does not cover (outside every vault, or `exclude`d)."""
        if self._refs is not None:
            return self._refs.get(rel)
        # the notes asked for, read at once (as the whole vault would be)
        if self._target_refs is None:
            self._known = set(self.vault.notes)
            asked = [r for r in getattr(self.ws, "targets", ()) if r in self._known]
            self._target_refs = self._read_refs(asked)
        found = self._target_refs.get(rel)
        if found is None and rel in self._known:  # (a note not asked for, checked all the same)
            found = self._target_refs[rel] = self._read_refs([rel])[rel]
        return found

    # ------------------------------------------------------------------ queries
    def all_refs(self) -> list[ImageRef]:
        """Every reference, also those of notes `exclude` matches: an image used only by an
        excluded note is used (not an orphan), and it is a duplicate candidate like any other."""
        if self._excluded_refs is None:
            self._excluded_refs = self._read_refs(self.vault.excluded_notes)
        return [r for refs in (*self.refs.values(), *self._excluded_refs.values()) for r in refs]

    def references(self) -> dict[str, list[ImageRef]]:
        """Image rel path -> the references resolving to it ("ok")."""
        if self._references is None:
            out: dict[str, list[ImageRef]] = {}
            for ref in self.all_refs():
                res = self.resolve(ref)
                if res.status == "ok" and res.target:
                    out.setdefault(res.target, []).append(ref)
            self._references = out
        return self._references

    def relink(self, note_rel: str, ref: ImageRef, target_rel: str) -> str | None:
        """`link_text`, if the reference rewritten so resolves to exactly `target_rel` (a fix must
        never write a reference that does not work); else None."""
        text = self.link_text(note_rel, ref, target_rel)
        res = self._resolve(replace(ref, note=note_rel, raw=text))
        return text if res.status == "ok" and res.target == target_rel else None

    def link_text(self, note_rel: str, ref: ImageRef, target_rel: str) -> str:
        """The destination text making `ref` (in its own syntax) point at `target_rel`. A leading
        `/` and an embed's path start at the root of the note's vault."""
        folder = posixpath.dirname(note_rel)
        base = self.vault.base_of(folder)
        in_vault = posixpath.relpath(target_rel, base) if base else target_rel
        if ref.syntax == "embed":
            name = posixpath.basename(target_rel)
            if "/" not in ref.raw.strip("/") and len(self.files.named(name, base)) == 1:
                return name
            return in_vault
        if ref.raw.startswith("/"):
            path = "/" + in_vault
        else:
            path = posixpath.relpath(target_rel, folder or ".")
        if ref.syntax == "html":
            return html.escape(quote(path, safe="/!$&'()*+,;=:@~-._"), quote=True)
        if ref.angle:
            return path.replace("%", "%25").replace("<", "%3C").replace(">", "%3E").replace("\n", "%0A")
        if re.search(r"%[0-9A-Fa-f]{2}", ref.raw):
            return quote(path, safe="/!$&'*+,;=:@~-._")
        return re.sub(r"[%\s()<>\\\[\]]", lambda m: quote(m.group(0)), path)


def _cached_digests(root) -> dict[str, tuple]:
    """vault path -> (content digest, [size, mtime_ns, ctime_ns, inode]) from duplicate-image's hash cache
    (`notelint/imaging/cache.py`), read only; empty when there is none."""
    try:
        from notelint.imaging.cache import ImageCache
    except ImportError:
        return {}
    try:
        files = ImageCache(root).files
    except Exception:  # noqa: BLE001 - the cache is an accelerator; without it there is no candidate
        return {}
    out = {}
    for rel, entry in files.items():
        if isinstance(entry, list) and len(entry) == 5 and isinstance(entry[4], str):
            out[rel] = (entry[4], entry[:4])
    return out


# public names for the path helpers other modules use
normal_path = _normal  # (note folder, destination path, root of its vault) -> vault path, None when it escapes
path_part = _path_part  # (raw destination, syntax) -> the decoded file path it names

REFS_FACT = "image-refs-1"  # the cached fact's name: change it when image_ref_rows changes


def image_ref_rows(note: Note) -> list[list]:
    """`image_refs` as JSON rows (for the results cache and worker processes)."""
    return [[r.syntax, r.raw, r.start, r.end, r.dest_start, r.dest_end, r.angle] for r in image_refs(note)]


def vault_images(ws: Workspace) -> ImageIndex:
    """The vault's image index, built once per run and shared by the rules."""
    index = ws.context.get("images")
    if index is None:
        index = ws.context["images"] = ImageIndex(ws)
    return index


# --------------------------------------------------------------------------- notes


@dataclass
class NoteIndex:
    """Notes by path and name (Obsidian) or hierarchy name (Dendron), with lazy headings."""

    ws: Workspace
    files: FileIndex = field(init=False)
    by_fname: dict[str, list[str]] = field(init=False)
    _headings: dict[str, AnchorFacts] = field(default_factory=dict)

    def __post_init__(self):
        notes = self.ws.vault.all_notes  # excluded notes too: links resolve to them
        self.files = FileIndex(self.ws.vault.root, notes)
        self.by_fname = {}
        for rel in notes:
            fname = posixpath.basename(rel)[:-3]
            self.by_fname.setdefault(fname.lower(), []).append(rel)
        self._refs: dict[str, list[NoteRef]] | None = None
        self._other_files: FileIndex | None = None
        self._by_stem: dict[str, list[str]] | None = None

    def refs_of(self, note: Note) -> list[NoteRef]:
        """The note's links to notes, from the results cache when the note is unchanged."""
        if not hasattr(self.ws, "note_facts") or not _indexed(self.ws, note):
            return note_refs(note)
        refs = self.indexed_refs(note.rel)
        return note_refs(note) if refs is None else refs

    def indexed_refs(self, rel: str) -> list[NoteRef] | None:
        """The links of note `rel` (one asked for) as it is on disk, from the vault index; None
        for another note."""
        if self._refs is None:
            rows = self.ws.note_facts(NOTE_REFS_FACT, note_ref_rows, self.ws.targets)
            self._refs = {r: [NoteRef(r, *row) for row in value or []] for r, value in rows.items()}
        return self._refs.get(rel)

    def headings(self, rel: str) -> AnchorFacts:
        """The headings and block ids of a note, read the first time a link asks for them."""
        if rel not in self._headings:
            if hasattr(self.ws, "note_facts") and not (rel in self.ws._notes and self.ws._notes[rel].raw == b""):
                value = self.ws.note_facts(HEADINGS_FACT, heading_facts, [rel])[rel]
            else:
                value = heading_facts(self.ws.note(rel))
            self._headings[rel] = AnchorFacts.from_rows(value)
        return self._headings[rel]

    def resolve(self, ref: NoteRef) -> NoteResolution:
        folder = posixpath.dirname(ref.note)
        flavor = self.ws.vault.flavor
        if ref.syntax == "markdown":
            if not ref.raw:
                return self._heading(ref, ref.note, "ok")
            path = _decode(ref.raw, "markdown")
            base = self.ws.vault.base_of(folder)
            rel = _normal(folder, path, base)
            if rel is None or WINDOWS_DRIVE.match(path):
                return NoteResolution("outside", None, detail=path)
            if self.files.exists(rel):
                return self._heading(ref, rel, "ok")
            if flavor == "obsidian" and not path.startswith("/"):
                found, unique = obsidian_lookup(self.files, folder, path)
                if found is not None and unique:
                    exact = found.endswith(posixpath.normpath(path))
                    return self._heading(ref, found, "ok" if exact else "case")
            variants = self.files.case_variants(rel)
            if len(variants) == 1:
                return self._heading(ref, variants[0], "case")
            name = posixpath.basename(path)
            return NoteResolution("missing", None, tuple(variants or self.files.named(name, base)), rel)
        target = ref.raw
        if not target:
            return self._heading(ref, ref.note, "ok")  # [[#Heading]]: a link into this note
        if flavor == "dendron":
            return self._dendron(ref, target)
        name = target if target.lower().endswith(".md") else target + ".md"
        found, _ = obsidian_lookup(self.files, folder, name)
        if found is not None:
            return self._heading(ref, found, "ok")
        if self.files.exists(target) or posixpath.splitext(target)[1].lower() in ATTACHMENT_EXTENSIONS:
            return NoteResolution("skip", None)
        return NoteResolution("missing", None, tuple(self.files.named(posixpath.basename(name))), target)

    def _dendron(self, ref: NoteRef, target: str) -> NoteResolution:
        """A note named by its hierarchy, ignoring case (Dendron looks names up lower-cased,
        `cleanName` in `NoteDictsUtils.findByFname`). `dendron://name/` picks the vault; a name
        dendron.yml does not list is reported. Without it the note's own vault is tried first,
        then the others in dendron.yml order: publishing looks in the note's own vault
        (`unified/src/remark/dendronPub.ts`: `getNoteByFnameFromEngine({fname, vault})`), the
        editor in every vault (`plugin-core/src/features/DefinitionProvider.ts`: `getNotesByFname`
        without a vault), and `dendron doctor findBrokenLinks` calls a link missing from its own
        vault "ambiguous", not broken, when there are several (`engine-server/src/doctor/service.ts`)."""
        vault = self.ws.vault
        order = vault.vaults_in_order
        m = DENDRON_SCHEME.match(target)
        if m:
            target = target[m.end():]
            if vault.vaults is not None:
                named = vault.vault_named(m.group(1))
                if named is None and m.group(1) in vault.absent_vaults:
                    return NoteResolution("skip", None)  # listed but not cloned here: nothing to check against
                if named is None:
                    return NoteResolution("vault", None, detail=m.group(1))
                order = [named]
        else:
            own = vault.vault_of(ref.note)
            order = [own] + [sub for sub in order if sub is not own] if own is not None else order
        if target.lower().endswith(".md"):
            target = target[:-3]
        hits = self.by_fname.get(target.lower(), [])
        for sub in order or [None]:
            found = [h for h in hits if sub is None or vault.vault_of(h) is sub]
            exact = [h for h in found if posixpath.basename(h)[:-3] == target]
            if exact:
                return self._heading(ref, exact[0], "ok")
            if len(found) == 1:  # other letter case works everywhere Dendron looks (cleanName lower-cases)
                return self._heading(ref, found[0], "ok")
        if "/" in target or posixpath.splitext(target)[1].lower() in ATTACHMENT_EXTENSIONS:
            folder = posixpath.dirname(ref.note)
            found, _ = obsidian_lookup(self.files, folder, target, vault.base_of(folder))
            if found is not None:
                return self._heading(ref, found, "ok")
        return NoteResolution("missing", None, tuple(hits), target)

    def _heading(self, ref: NoteRef, rel: str, status: str) -> NoteResolution:
        """`status` for `rel` when every anchor of the link's `#…` part is in that note, else
        "heading" naming the first missing anchor as written (`notelint/anchors.py`)."""
        if ref.heading is None or not ref.heading.strip():
            return NoteResolution(status, rel)
        flavor = self.ws.vault.flavor
        note_ref = flavor == "dendron" and ref.syntax == "embed"
        facts = None
        for anchor in parse_fragment(ref.heading, note_ref):
            if anchor.kind == "wildcard":
                continue
            if facts is None:
                facts = self.headings(rel)
            if not facts.has(anchor, flavor, note_ref):
                if ref.heading_start < 0:
                    span = (ref.start, ref.end)
                else:
                    span = (ref.heading_start + anchor.start, ref.heading_start + anchor.end)
                return NoteResolution("heading", rel, detail=anchor.written, span=span)
        return NoteResolution(status, rel)

    def resolve_reference(self, ref: NoteRef) -> NoteResolution:
        """Where any reference `note_refs` found leads: links to files other than notes and
        Dendron's wildcard note references (`![[journal.2021.*]]`) here, note links by `resolve`."""
        if ref.file:
            return self._resolve_file(ref)
        if self.ws.vault.flavor == "dendron" and ref.syntax == "embed" and "*" in ref.raw:
            return self._resolve_pattern(ref)
        return self.resolve(ref)

    def other_files(self) -> FileIndex:
        """Every file of the vault that is not a note (images, PDFs, audio, video, canvases)."""
        if self._other_files is None:
            vault = self.ws.vault
            self._other_files = FileIndex(vault.root, [*vault.all_assets, *vault.others])
        return self._other_files

    def _resolve_file(self, ref: NoteRef) -> NoteResolution:
        """A link to a file: Obsidian's lookup (exact path, the note's folder, the shortest path
        ending so; `Internal links.md`: other files are linked with their extension). A Markdown
        destination is first a path from the note's folder. In a Dendron workspace a leading `/`
        and the suffix lookup stay within the note's own vault, as for images."""
        files = self.other_files()
        folder = posixpath.dirname(ref.note)
        base = self.ws.vault.base_of(folder)
        path = _decode(ref.raw, "markdown") if ref.syntax == "markdown" else DENDRON_SCHEME.sub("", ref.raw)
        if ref.syntax == "markdown":
            rel = _normal(folder, path, base)
            if rel is None or WINDOWS_DRIVE.match(path):
                return NoteResolution("outside", None, detail=path)
            if files.exists(rel):
                return NoteResolution("ok", rel)
        elif _normal(folder, path, base) is None:
            return NoteResolution("outside", None, detail=path)
        found, _ = obsidian_lookup(files, folder, path, base)
        if found is not None:
            return NoteResolution("ok", found)
        as_note = self.resolve(replace(ref, file=False, heading=None))  # a Dendron note `lib.json.md`
        if as_note.status in ("ok", "case"):
            return as_note
        return NoteResolution("missing", None, detail=path)

    def _resolve_pattern(self, ref: NoteRef) -> NoteResolution:
        """Dendron's wildcard reference (`![[demo.journal.2021.*]]`, dendron-site
        `dendron.topic.note-reference.md`, "Wildcard Link Reference") embeds every note whose
        hierarchy name matches; it is dangling only when none does."""
        pattern = DENDRON_SCHEME.sub("", ref.raw)
        if pattern.lower().endswith(".md"):
            pattern = pattern[:-3]
        matcher = re.compile(".*".join(re.escape(p) for p in pattern.lower().split("*")) + r"\Z")
        if any(matcher.match(fname) for fname in self.by_fname):
            return NoteResolution("ok", None)
        return NoteResolution("missing", None, detail=pattern)

    def files_like(self, ref: NoteRef) -> list[str]:
        """Files that are not notes named as the missing note `ref` plus an extension: what
        `[[MIPS Instruction Set]]` meant when only `MIPS Instruction Set.pdf` exists."""
        if self._by_stem is None:
            self._by_stem = {}
            for rel in self.other_files().files:
                stem = posixpath.splitext(posixpath.basename(rel))[0].lower()
                self._by_stem.setdefault(stem, []).append(rel)
        target = DENDRON_SCHEME.sub("", ref.raw).strip().lstrip("/").lower()
        if not target:
            return []
        stem = posixpath.basename(target)
        return sorted(f for f in self._by_stem.get(stem, [])
                      if ("/" + posixpath.splitext(f)[0].lower()).endswith("/" + target))


NOTE_REFS_FACT = "note-refs-2"
HEADINGS_FACT = "anchor-facts-1"


def note_ref_rows(note: Note) -> list[list]:
    """`note_refs` as JSON rows (for the results cache and worker processes)."""
    return [[r.syntax, r.raw, r.heading, r.start, r.end, r.dest_start, r.dest_end, r.file, r.heading_start]
            for r in note_refs(note)]


def heading_facts(note: Note) -> list[list[str]]:
    """`AnchorFacts` of a note (headings, slugs, block ids) as JSON data."""
    return AnchorFacts.of(note).rows()


def vault_notes(ws: Workspace) -> NoteIndex:
    """The vault's note index, built once per run and shared by the rules."""
    index = ws.context.get("notes")
    if index is None:
        index = ws.context["notes"] = NoteIndex(ws)
    return index
