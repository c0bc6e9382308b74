"""Which images are the same picture: signatures for many files (cached, over all cores),
then groups by exact digest and by a two-stage perceptual test.

Stage 1, candidates: pairs whose 256-bit phashes differ in at most `max_distance` bits,
found by numpy popcount over the packed hashes (all pairs, in blocks; a BK-tree was
measured 100x slower at these thresholds). Stage 2, verification: the two images must
have the same aspect ratio (within `max_aspect`) and their greyscale thumbnails a Pearson
correlation of at least `min_correlation`. Stage 2 throws out the unrelated images a
generous hash threshold lets through (other diagrams on white, other photos); two captures
of one app screen can correlate 0.98 at thumbnail size, so it is the 256-bit hash that keeps
those apart, with a wide measured margin (see `benchmarks/image_bench.py`). Flat images
(blank canvases, which all hash alike) and images that could not be decoded match by exact
bytes only. Groups are the connected components of the matches.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from notelint.cache import stat_key
from notelint.imaging.cache import ImageCache
from notelint.imaging.hashing import DEFAULT_MAX_PIXELS, Signature, aspect_difference, digest_file, signature

POOL_MIN_IMAGES = 24  # fewer images to decode than this: one process (a pool costs ~50 ms to start)
PROGRESS_MIN_IMAGES = 300  # a progress line on a terminal from this many images to decode


@dataclass(frozen=True)
class Thresholds:
    max_distance: int = 24  # phash16 bits (of 256)
    max_aspect: float = 0.03  # relative aspect-ratio difference
    min_correlation: float = 0.90  # Pearson correlation of the thumbnails


# --------------------------------------------------------------------- signatures


def _hash_file(job: tuple[str, int]) -> Signature:
    path, max_pixels = job
    return signature(path, max_pixels)


def signatures(root: Path, rels: Iterable[str], cache: ImageCache, max_pixels: int = DEFAULT_MAX_PIXELS,
               workers: int | None = None,
               compute: Callable[[list[str]], dict[str, Signature]] | None = None) -> dict[str, Signature]:
    """Signature of every file (vault-relative paths), from the cache where it is current.

    A file absent from the cache by path is digested; if its content is known (a rename,
    a copy) the cached signature is reused; the rest are decoded, over all cores when
    there are enough of them, or handed to `compute` (the run's shared image facts, so
    that the rules decode a file once between them). Files that cannot be read get a
    signature with `problem`.
    """
    root = Path(root)
    found: dict[str, Signature] = {}
    stats: dict[str, list[int]] = {}
    todo: list[str] = []
    for rel in rels:
        try:
            st = os.stat(root / rel)
        except OSError as exc:
            found[rel] = Signature("", 0, problem=f"the file cannot be read: {exc.strerror or exc}")
            continue
        stats[rel] = stat_key(st)
        digest = cache.digest_for(rel, stats[rel])
        sig = cache.signature(digest) if digest else None
        if sig is not None:
            found[rel] = sig
        else:
            todo.append(rel)
    if todo and cache.enabled and cache.signatures:
        # known content under a new name: digest it (1.6 GB/s) instead of decoding it
        still = []
        for rel in todo:
            try:
                digest, _ = digest_file(root / rel)
            except OSError:
                still.append(rel)
                continue
            sig = cache.signature(digest)
            if sig is None:
                still.append(rel)
            else:
                found[rel] = sig
                cache.remember(rel, stats[rel], sig)
        todo = still
    if compute is not None:
        computed = compute(todo) if todo else {}
        fresh = [computed[rel] for rel in todo]
    else:
        fresh = _compute([str(root / rel) for rel in todo], max_pixels, workers)
    for rel, sig in zip(todo, fresh):
        found[rel] = sig
        if rel in stats and sig.digest:
            cache.remember(rel, stats[rel], sig)
    return found


def _compute(paths: list[str], max_pixels: int, workers: int | None) -> list[Signature]:
    if not paths:
        return []
    bar = progress_stage(len(paths))
    try:
        return _compute_all(paths, max_pixels, workers, bar.advance if bar else None)
    finally:
        if bar:
            bar.close()


def _compute_all(paths: list[str], max_pixels: int, workers: int | None, advance) -> list[Signature]:
    import imagehash  # noqa: F401 - imported once here, so forked workers do not each import it

    jobs = [(p, max_pixels) for p in paths]
    workers = workers or _cores()
    if workers <= 1 or len(paths) < POOL_MIN_IMAGES:
        results = []
        for job in jobs:
            results.append(_hash_file(job))
            if advance:
                advance()
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        context = None  # no fork on this platform: spawn (workers import what they need)
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, min(32, len(jobs) // (workers * 8)))
    results = []
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for sig in pool.map(_hash_file, jobs, chunksize=chunk):
                results.append(sig)
                if advance:
                    advance()
    except (OSError, BrokenProcessPool):
        # no processes to be had (a sandbox, a killed worker): finish in this one
        for job in jobs[len(results):]:
            results.append(_hash_file(job))
            if advance:
                advance()
    return results


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def progress_stage(total: int):
    """The shared progress bar (drawn only on a terminal) when many images need decoding."""
    if total < PROGRESS_MIN_IMAGES:
        return None
    from notelint import progress

    return progress.stage("images", total)


# ------------------------------------------------------------------------ groups


def candidate_pairs(hashes: list[str], max_distance: int) -> list[tuple[int, int, int]]:
    """(i, j, distance) for i < j whose hex hashes differ in at most max_distance bits.

    All pairs, vectorised: the hashes are packed into 64-bit words, one column per word, and
    each block of rows is compared with every later row by XOR and popcount.
    """
    import numpy as np

    n = len(hashes)
    if n < 2:
        return []
    packed = np.frombuffer(b"".join(bytes.fromhex(h) for h in hashes), dtype=np.uint8).reshape(n, -1)
    popcount = getattr(np, "bitwise_count", None)  # numpy >= 2.0
    if popcount is not None and packed.shape[1] % 8 == 0:
        columns = [np.ascontiguousarray(c) for c in packed.view(np.uint64).T]
    else:
        table = np.array([bin(v).count("1") for v in range(256)], dtype=np.uint8)
        columns = [np.ascontiguousarray(c) for c in packed.T]

        def popcount(x):
            return table[x]
    out: list[tuple[int, int, int]] = []
    block = max(16, min(512, 2_000_000 // n))
    for lo in range(0, n - 1, block):
        hi = min(n, lo + block)
        dist = None
        for col in columns:
            bits = popcount(col[lo:hi, None] ^ col[None, lo + 1:]).astype(np.uint16)
            dist = bits if dist is None else dist + bits
        rows, cols = np.nonzero(dist <= max_distance)
        for r, c in zip(rows.tolist(), cols.tolist()):
            i, j = lo + r, lo + 1 + c
            if i < j:
                out.append((i, j, int(dist[r, c])))
    return out


def correlation(a: bytes, b: bytes) -> float:
    import numpy as np

    x = np.frombuffer(a, dtype=np.uint8).astype(np.float64)
    y = np.frombuffer(b, dtype=np.uint8).astype(np.float64)
    if x.shape != y.shape or not x.size:
        return 0.0
    x -= x.mean()
    y -= y.mean()
    denom = float(np.sqrt((x * x).sum() * (y * y).sum()))
    return float((x * y).sum() / denom) if denom else 0.0


@dataclass(frozen=True)
class Match:
    """Why two files were joined (for messages and the benchmark)."""

    a: str
    b: str
    exact: bool
    distance: int = 0
    correlation: float = 1.0


@dataclass
class Grouping:
    groups: list[list[str]]  # sorted lists of 2+ paths showing the same picture
    matches: list[Match]  # the pairs that joined them
    candidates: set[str]  # paths that took part in stage 2 (their thumbnails are worth caching)


def find_groups(sigs: dict[str, Signature], thresholds: Thresholds = Thresholds(),
                thumbs: Callable[[list[str]], dict[str, Signature]] | None = None) -> Grouping:
    """Groups of the same picture, the matches joining them, and the stage-2 candidates.

    `thumbs` re-computes signatures with thumbnails for the paths given (candidates whose
    cached signature has none); they replace the entries of `sigs`. Without it, a pair
    lacking a thumbnail is not joined.
    """
    parent = {rel: rel for rel in sigs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    matches: list[Match] = []
    by_digest: dict[str, list[str]] = {}
    for rel in sorted(sigs):
        sig = sigs[rel]
        if sig.digest and sig.size:  # empty files are not pictures
            by_digest.setdefault(sig.digest, []).append(rel)
    for members in by_digest.values():
        for other in members[1:]:
            union(members[0], other)
            matches.append(Match(members[0], other, True))
    # one representative per distinct content takes part in the perceptual stage
    reps = [members[0] for members in by_digest.values() if sigs[members[0]].phash]
    reps.sort()
    pairs = candidate_pairs([sigs[r].phash for r in reps], thresholds.max_distance)
    pairs = [(reps[i], reps[j], d) for i, j, d in pairs
             if aspect_difference(sigs[reps[i]], sigs[reps[j]]) <= thresholds.max_aspect]
    if pairs and thumbs is not None:
        missing = sorted({r for a, b, _ in pairs for r in (a, b) if not sigs[r].thumb})
        if missing:
            sigs.update(thumbs(missing))
    for a, b, d in pairs:
        corr = correlation(sigs[a].thumb, sigs[b].thumb)
        if corr >= thresholds.min_correlation:
            union(a, b)
            matches.append(Match(a, b, False, d, corr))
    groups: dict[str, list[str]] = {}
    for rel in sorted(sigs):
        groups.setdefault(find(rel), []).append(rel)
    return Grouping(sorted(g for g in groups.values() if len(g) > 1), matches,
                    {r for a, b, _ in pairs for r in (a, b)})
