"""The image signature cache: `.notelint_cache/images.json` at the vault root.

Decoding is what costs (a PNG screenshot takes 25 ms), so a signature is computed once per
distinct file content. Two tables:

* `files`: vault path -> [size, mtime_ns, ctime_ns, inode, digest] (`cache.stat_key`). A file whose
  stat key is unchanged is taken from here without being read; any change re-reads it. The
  ctime and inode are part of the key because `cp -p`, `rsync -t` and archive tools restore an
  old mtime: a same-size rewrite would otherwise keep its old signature and hide a duplicate.
* `signatures`: content digest -> signature. A renamed or copied file is read and digested
  (SHA-256, cheap) but not decoded again.
* `previews`: content digest -> {"embed" | "link": the HTML report's preview}, for the images a
  report showed: the next report shows them without decoding anything.

The cache is only an accelerator: it is ignored whole when it cannot be read or parsed, or
was written by another signature algorithm, Pillow or imagehash version (a new decoder may
shift a hash); a bad entry is a miss. It is written atomically (a temporary file in the
cache folder, then `os.replace`), only when something changed, and a folder that cannot
be written (a read-only vault) just means no cache. The folder holds its own `.gitignore`
(`*`) so it never ends up in the vault's repository.
"""

from __future__ import annotations

import json
from pathlib import Path

from notelint.cache import declared_version, ensure_cache_folder
from notelint.imaging.hashing import ALGORITHM, Signature
from notelint.vault import CACHE_DIR
from notelint.writer import replace_file

FILE_NAME = "images.json"
FORMAT = 3  # 3: previews; 2: files keyed by size, mtime, ctime and inode (1: size and mtime only)


def _versions() -> dict:
    """What a cached signature depends on besides the file's bytes. The versions are read from
    the packages' sources, not imported (numpy and scipy come with imagehash) nor looked up in
    their metadata (30 ms: every run that resolves an image reference reads this cache)."""
    found = {}
    for dist, module in (("Pillow", "PIL._version"), ("ImageHash", "imagehash")):
        found[dist] = declared_version(module)
        if found[dist] is None:
            from importlib import metadata

            try:
                found[dist] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                pass
    return {"format": FORMAT, "algorithm": ALGORITHM, **found}


class ImageCache:
    """Signatures by path (stat key) and by digest; `enabled=False` never touches disk."""

    def __init__(self, root: Path, enabled: bool = True):
        self.root = Path(root)
        self.enabled = enabled
        self.path = self.root / CACHE_DIR / FILE_NAME
        self.files: dict[str, list] = {}
        self.signatures: dict[str, dict] = {}
        self.previews: dict[str, dict] = {}  # digest -> {"embed" | "link": preview fields}
        self.groups: dict = {}  # the last grouping and the key it was computed for (`remembered_groups`)
        self.dirty = False
        self._stamp = _versions() if enabled else {}
        if enabled:
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return  # absent or corrupt: start empty, rewrite on save
        if not isinstance(data, dict) or data.get("stamp") != self._stamp:
            self.dirty = True  # another version wrote it: replace it
            return
        files, sigs = data.get("files"), data.get("signatures")
        if isinstance(files, dict) and isinstance(sigs, dict):
            self.files, self.signatures = files, sigs
        if isinstance(data.get("groups"), dict):
            self.groups = data["groups"]
        if isinstance(data.get("previews"), dict):
            self.previews = data["previews"]

    # -------------------------------------------------------------------- lookups
    def digest_for(self, rel: str, key: list[int]) -> str | None:
        """The digest recorded for this path, if the file is unchanged since (same `cache.stat_key`)."""
        entry = self.files.get(rel)
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == list(key):
            return entry[4] if isinstance(entry[4], str) else None
        return None

    def signature(self, digest: str) -> Signature | None:
        data = self.signatures.get(digest)
        if not isinstance(data, dict):
            return None
        try:
            return Signature.from_json(digest, data)
        except (KeyError, ValueError, TypeError):
            return None  # a damaged entry is a miss

    def preview(self, rel: str, key: list[int], mode: str) -> dict | None:
        """The report's preview of this unchanged file ("embed" or "link"), or None."""
        digest = self.digest_for(rel, key)
        entry = self.previews.get(digest) if digest else None
        value = entry.get(mode) if isinstance(entry, dict) else None
        return value if isinstance(value, dict) else None

    # -------------------------------------------------------------------- updates
    def remember_preview(self, rel: str, key: list[int], digest: str, mode: str, value: dict) -> None:
        if not self.enabled or not digest:
            return
        entry = [*key, digest]
        if self.files.get(rel) != entry:
            self.files[rel] = entry
            self.dirty = True
        previews = self.previews.setdefault(digest, {})
        if previews.get(mode) != value:
            previews[mode] = value
            self.dirty = True

    def remember(self, rel: str, key: list[int], sig: Signature, keep_thumb: bool = False) -> None:
        if not self.enabled or not sig.digest:
            return
        entry = [*key, sig.digest]
        if self.files.get(rel) != entry:
            self.files[rel] = entry
            self.dirty = True
        old = self.signatures.get(sig.digest)
        has_thumb = isinstance(old, dict) and "th" in old
        if old is None or (keep_thumb and sig.thumb and not has_thumb):
            data = sig.to_json()
            if not keep_thumb:
                data.pop("th", None)  # thumbnails are kept only for images that were candidates
            self.signatures[sig.digest] = data
            self.dirty = True

    def remembered_groups(self, key: str) -> dict | None:
        """The grouping stored for exactly these signatures and thresholds (`key`), or None:
        an unchanged image set costs no pair search and no numpy import."""
        if self.groups.get("key") == key and isinstance(self.groups.get("value"), dict):
            return self.groups["value"]
        return None

    def remember_groups(self, key: str, value: dict) -> None:
        if self.enabled and self.groups != {"key": key, "value": value}:
            self.groups = {"key": key, "value": value}
            self.dirty = True

    def keep_thumb(self, sig: Signature) -> None:
        """Store the thumbnail of an image that took part in verification (it will again)."""
        entry = self.signatures.get(sig.digest)
        if self.enabled and sig.thumb and isinstance(entry, dict) and "th" not in entry:
            entry["th"] = sig.thumb.hex()
            self.dirty = True

    def save(self, live: set[str] | None = None) -> None:
        """Write the cache if anything changed; entries of files not in `live` are dropped."""
        if not self.enabled:
            return
        if live is not None:
            gone = [rel for rel in self.files if rel not in live]
            for rel in gone:
                del self.files[rel]
            used = {e[4] for e in self.files.values() if isinstance(e, list) and len(e) == 5}
            unused = [d for d in self.signatures if d not in used]
            for d in unused:
                del self.signatures[d]
            unshown = [d for d in self.previews if d not in used]
            for d in unshown:
                del self.previews[d]
            self.dirty = self.dirty or bool(gone or unused or unshown)
        if not self.dirty:
            return
        folder = self.path.parent
        try:
            ensure_cache_folder(folder)
            payload = json.dumps({"stamp": self._stamp, "files": self.files, "signatures": self.signatures,
                                  "groups": self.groups, "previews": self.previews},
                                 separators=(",", ":"), sort_keys=True).encode("utf-8")
            replace_file(self.path, payload)
            self.dirty = False
        except OSError:
            pass  # a read-only vault or a full disk: the next run hashes again, nothing else is lost


