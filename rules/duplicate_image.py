"""duplicate-image: the same picture stored twice, found by content digest or by a
perceptual hash confirmed on thumbnails, so that different screenshots are never joined."""

from __future__ import annotations

import posixpath

from notelint.example_files import png
from notelint.finding import Edit, Fix
from notelint.options import Option
from notelint.resolve import REFS_FACT, image_ref_rows
from notelint.rule import Rule


class DuplicateImage(Rule):
    name = "duplicate-image"
    code = "NL404"
    summary = "Images that are the same picture: identical bytes, or resized, re-encoded or converted copies"
    rationale = (
        "A screenshot pasted twice, a figure saved as PNG and again as a smaller JPEG, a WebP copy from the "
        "web clipper: each copy costs space, and an edit lands on one copy and not the other.\n\n"
        "Only images that notes reference take part, and a group is reported while two or more of its "
        "members are referenced (an unreferenced copy is `orphan-image`'s business). In a Dendron workspace "
        "copies are looked for within each vault (two vaults cannot share one file). Images matched by "
        "`exclude` take part (notes may use them) but are never reported or relinked, and a linted copy "
        "is preferred as the canonical file. Exact copies are "
        "found by SHA-256 of the bytes. Near copies need two tests: a 16x16 perceptual hash (phash, 256 "
        "bits) within `max-distance` bits finds candidates, then the two images must have the same aspect "
        "ratio (within `max-aspect-difference`) and greyscale thumbnails that correlate at least "
        "`min-correlation`. The common 8x8 hash at distance 10 joins thousands of different screenshots "
        "and diagrams (they share white space and layout: 3,348 false pairs for imagededup's defaults on "
        "notelint's benchmark, none for these defaults, with every resized, re-encoded and converted copy "
        "found). Nearly blank images all hash alike and are matched by bytes only; EXIF orientation "
        "is applied and transparency is composited onto white before hashing. Crops and added borders "
        "are not detected.\n\n"
        "One finding per copy, on the image, naming the canonical file (the one most referenced, then the "
        "largest in pixels, then the shortest path) and how they differ. `notelint fix` points every "
        "reference to a copy at the canonical file, in the reference's own syntax (Markdown, HTML, "
        "`![[embed]]` with its size kept); it never deletes a file: the copies then show up as "
        "`orphan-image` (a rule that is off by default) for you to remove.\n\n"
        "Signatures are cached in `.notelint_cache/images.json` by path, size and modification time, "
        "with the content digest as identity (a renamed file is not decoded again); `--no-cache` skips it. "
        "Decoding runs on all cores; JPEGs are decoded at reduced size (`draft`), 3x faster than a full decode."
    )
    bad = "![chart](attachments/chart.png)\n\n![chart again](attachments/chart-copy.png)   <!-- the same picture -->\n"
    good = "![chart](attachments/chart.png)\n\n![chart again](attachments/chart.png)\n"
    example_files = {"attachments/chart.png": png(), "attachments/chart-copy.png": png()}
    fix = "safe"
    severity = "warning"
    scope = "vault"
    # the notes' image references, and what the relinks read of the notes (`scoped.py`); set below
    vault_facts: tuple = ()
    options = (
        Option("perceptual", bool, True, "Also find near copies (resized, re-encoded, converted); false: identical bytes only."),
        Option("max-distance", int, 24, "Candidate stage: most phash bits (of 256) that may differ. Measured (`benchmarks/image_bench.py`): copies median 2, p99 12, max 26 bits from their original; different captures of one app 30 and more, other kinds 34 and more. Higher finds more distant copies and risks joining captures of one app screen.", minimum=0),
        Option("max-aspect-difference", int, 3, "Verification: most difference of the aspect ratios, in percent (copies: under 1%).", minimum=0),
        Option("min-correlation", int, 90, "Verification: least Pearson correlation of the 32x32 greyscale thumbnails, in percent. Measured: copies 98 and above; unrelated images the hash lets through 60-75; two captures of one app screen can reach 98, which only the hash tells apart.", minimum=0),
        Option("max-pixels", int, 100_000_000, "Images with more pixels are not decoded (matched by bytes only): a guard against decompression bombs.", minimum=1),
    )

    def prepare(self, ws):
        self._ws = ws
        self._result = None  # computed on first use: `check` runs need it, a fix of unrelated notes may not
        return ()

    # ---------------------------------------------------------------- analysis
    def _analysis(self) -> _Result:
        if self._result is None:
            self._result = _analyse(self, self._ws)
        return self._result

    def check_vault(self, ws):
        if getattr(self, "_ws", None) is not ws:
            self.prepare(ws)
        yield from self._analysis().findings

    def note_fixes(self, note):
        ws = getattr(self, "_ws", None)
        if ws is None:
            return
        result = self._analysis()
        if not result.canonical_of:
            return
        from notelint.resolve import image_refs, vault_images

        index = vault_images(ws)
        for ref in image_refs(note):
            res = index.resolve(ref)
            canonical = result.canonical_of.get(res.target) if res.status == "ok" else None
            if canonical is None:
                continue
            new = index.relink(note.rel, ref, canonical)
            if new is not None and new != note.text[ref.dest_start:ref.dest_end]:
                yield Fix((Edit(ref.dest_start, ref.dest_end, new),))


class _Result:
    def __init__(self):
        self.findings: list = []
        self.canonical_of: dict[str, str] = {}  # copy -> canonical file


def _analyse(rule: DuplicateImage, ws) -> _Result:
    from notelint.resolve import vault_images

    result = _Result()
    index = vault_images(ws)
    refs = index.references()
    images = sorted(refs)
    if len(images) < 2:
        return result  # nothing to compare: no image is decoded, no cache is written
    from notelint.imaging import facts
    from notelint.imaging.cache import ImageCache
    from notelint.imaging.groups import Thresholds, find_groups, signatures

    root = ws.vault.root
    settings = rule.settings
    no_cache = hasattr(ws, "cache") and ws.cache is None  # `--no-cache` (the results cache is off)
    cache = ImageCache(root, enabled=not no_cache)

    def decoded(rels):  # the run's image facts: one opening per file, shared with unreadable-image
        return facts.signatures(ws, rels, settings["max-pixels"])

    sigs = signatures(root, images, cache, compute=decoded)
    if not settings["perceptual"]:
        sigs = {rel: _without_hash(sig) for rel, sig in sigs.items()}
    thresholds = Thresholds(settings["max-distance"], settings["max-aspect-difference"] / 100,
                            settings["min-correlation"] / 100)
    groups = []
    relinks = []  # (finding, copy, canonical file) whose references `fix` may relink
    for part in _by_vault(ws.vault, sigs).values():  # copies in two vaults cannot share one file
        grouping = _remembered(cache, part, thresholds)
        if grouping is None:
            grouping = find_groups(part, thresholds, thumbs=decoded)
            _remember(cache, part, thresholds, grouping)
        for rel in grouping.candidates:  # `part`: find_groups put the thumbnails it decoded again there
            cache.keep_thumb(part[rel])
        groups += grouping.groups
    cache.save(live=set(ws.vault.all_assets))
    linted = ws.vault.linted
    # given only some files (pre-commit), the engine reports a copy only when it or an image of its
    # group is named: the relinks of the others would read every note that uses them for nothing
    named = getattr(ws, "explicit", None)
    for group in groups:
        # an excluded image is a candidate (it exists and notes use it), but a linted one is preferred
        # as the canonical file, and an excluded copy is neither reported nor relinked
        canonical = min(group, key=lambda r: (not linted(r), -len(refs[r]), -(sigs[r].width * sigs[r].height), len(r), r))
        for copy in group:
            if copy == canonical or rule.for_path(copy) is None or not linted(copy):
                continue
            result.canonical_of[copy] = canonical
            related = [canonical] + [r for r in group if r not in (canonical, copy)]
            finding = rule.file_finding(copy, _message(copy, canonical, sigs, refs), related=related)
            result.findings.append(finding)
            if named is not None and copy not in named and not named.intersection(related):
                continue
            relinks.append((finding, copy, canonical))
    # every reference to a copy, in the notes fix may write: what `note_fixes` will do. What it
    # reads of those notes is a fact of each (not the note whole): a run after an edit elsewhere
    # in such a note reuses these findings (`scoped.py`)
    notes = sorted({ref.note for _finding, copy, _canonical in relinks for ref in refs[copy]})
    if hasattr(ws, "note_facts"):
        texts = ws.note_facts(RELINK_FACT, relink_fact, notes)
    else:
        texts = {rel: relink_fact(ws.note(rel)) for rel in notes}
    for finding, copy, canonical in relinks:
        edits = []
        for ref in refs[copy]:
            may_write, written = texts.get(ref.note) or (False, [])
            may_write = may_write and linted(ref.note) and not _read_only(ws, ref.note)
            new = index.relink(ref.note, ref, canonical) if may_write else None
            if new is not None and [ref.dest_start, new] not in written:
                edits.append(Edit(ref.dest_start, ref.dest_end, new, ref.note))
        if edits:
            finding.fix = Fix(tuple(edits))
    return result


RELINK_FACT = "relink-texts-1"  # the cached fact's name: change it when relink_fact changes


def relink_fact(note) -> list:
    """[whether the note's text lets `fix` write it (decoded, frontmatter parsed), [[start, text]
    of each image reference's destination]]: what the relinks of duplicate-image read of a note
    besides its references. (Its bytes alone decide it: the file's permissions are `_read_only`'s.)"""
    from notelint.resolve import image_refs

    if not note.readable or note.frontmatter.error:
        return [False, []]
    return [True, [[r.dest_start, note.text[r.dest_start:r.dest_end]] for r in image_refs(note)]]


def _read_only(ws, rel: str) -> bool:
    """Whether `fix` will not write note `rel` (a read-only file, a link out of the vault)."""
    if hasattr(ws, "read_only"):
        return ws.read_only(rel)
    return bool(ws.note(rel).read_only)


def _by_vault(vault, sigs: dict) -> dict[str, dict]:
    """The signatures split by the workspace vault each image is in (one part without vaults)."""
    parts: dict[str, dict] = {}
    for rel, sig in sigs.items():
        parts.setdefault(vault.base_of(rel), {})[rel] = sig
    return parts


def _without_hash(sig):
    from dataclasses import replace

    return replace(sig, phash="", thumb=b"")


def _message(copy: str, canonical: str, sigs, refs) -> str:
    a, b = sigs[copy], sigs[canonical]
    if a.digest == b.digest:
        how = "identical bytes"
    else:
        diffs = []
        if a.format != b.format and a.format and b.format:
            diffs.append(f"{a.format} vs {b.format}")
        if (a.width, a.height) != (b.width, b.height):
            diffs.append(f"{a.width}x{a.height} vs {b.width}x{b.height} px")
        diffs.append(f"{_size(a.size)} vs {_size(b.size)}")
        if a.phash and b.phash:
            from notelint.imaging.hashing import hamming

            diffs.append(f"{hamming(a.phash, b.phash)} of 256 hash bits differ")
        how = "the same picture: " + ", ".join(diffs)
    notes = sorted({r.note for r in refs[copy]})
    n = len(refs[copy])
    where = f"`{notes[0]}`" if len(notes) == 1 else f"{len(notes)} notes"
    return (f"duplicate of `{canonical}` ({how}); {n} reference{'s' if n != 1 else ''} in {where}: "
            f"point {'them' if n != 1 else 'it'} at `{posixpath.basename(canonical)}` with `notelint fix`, "
            f"then delete this copy")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _groups_key(sigs, thresholds) -> str:
    """What a grouping depends on: each image's path, content digest and hash, and the thresholds
    (thumbnails follow from the content)."""
    import hashlib
    import json

    material = [[rel, sigs[rel].digest, sigs[rel].size, sigs[rel].phash] for rel in sorted(sigs)]
    limits = [thresholds.max_distance, thresholds.max_aspect, thresholds.min_correlation]
    text = json.dumps([material, limits], separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _remembered(cache, sigs, thresholds):
    """The grouping of an image set seen before, from the image cache, or None."""
    from notelint.imaging.groups import Grouping, Match

    value = cache.remembered_groups(_groups_key(sigs, thresholds))
    if value is None:
        return None
    try:
        return Grouping([list(g) for g in value["groups"]], [Match(*m) for m in value["matches"]],
                        set(value["candidates"]))
    except (KeyError, TypeError, ValueError):
        return None  # a damaged entry: compute again


def _remember(cache, sigs, thresholds, grouping) -> None:
    value = {"groups": grouping.groups, "candidates": sorted(grouping.candidates),
             "matches": [[m.a, m.b, m.exact, m.distance, m.correlation] for m in grouping.matches]}
    cache.remember_groups(_groups_key(sigs, thresholds), value)


DuplicateImage.vault_facts = ((REFS_FACT, image_ref_rows), (RELINK_FACT, relink_fact))
