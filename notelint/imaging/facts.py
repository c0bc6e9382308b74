"""One fact per image and run: the probe verdict, the signature and, for an HTML report, the
preview, all from one opening of the file (`opener.py`).

unreadable-image and duplicate-image read `image_facts(ws, rels, max_pixels)`. A fact is
computed by `image_fact` through `ws.asset_facts` (cached in the results cache by the file's
stat signature, computed over worker processes when many are missing) and kept in
`ws.context` for the rest of the run, so whichever rule asks second, and a `--no-cache` run,
decodes nothing again.

When the run writes an HTML report (`want_previews`, set by the CLI before the run) the same
decode makes the preview. Previews are large, so they travel with this run's facts only and
are taken out before the results cache is written (`_keep_previews`); the report stores
the ones it shows in the image cache (`cache.py`) by content digest, where the next report
finds them without decoding (`previews`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from notelint.imaging import hashing, probe, thumbnails
from notelint.imaging.opener import open_image

VERSION = 1  # bump when a fact's shape or content changes (with hashing.ALGORITHM, it names the kind)
LINK = "\x00link"  # a link-mode preview's src: the report puts the URL relative to itself there
_wanted = {"previews": ""}  # "embed", "link" or "" (no HTML report in this run)


def want_previews(mode: str) -> None:
    """Make this run's image facts carry previews ("embed" or "link"; "" for none)."""
    _wanted["previews"] = mode


def kind(max_pixels: int) -> str:
    return f"image-{VERSION}.{hashing.ALGORITHM}-{max_pixels}"


def image_fact(path: str, max_pixels: int, previews: str = "") -> dict:
    """Probe verdict, signature and (when `previews` names a mode) preview of one file, as
    JSON data, from one `open_image`. Module-level: worker processes run it."""
    limit = max(max_pixels, thumbnails.MAX_PIXELS) if previews else max_pixels
    opened = open_image(path, limit, colour=previews == "embed")
    try:
        sig = hashing.from_opened(opened, max_pixels)
        shown = thumbnails.from_opened(opened, embed=previews == "embed", link=LINK) if previews else None
        verdict = probe.from_opened(opened, max_pixels)  # last: it decodes an animation's other frames
    finally:
        opened.close()
    fact = {"probe": probe.to_json(verdict), "sig": {"d": sig.digest, **sig.to_json()}}
    if shown is not None:
        fact["preview"] = {previews: asdict(shown)}
    return fact


def image_facts(ws, rels: Iterable[str], max_pixels: int) -> dict[str, dict]:
    """The fact of every image in `rels` (vault-relative): this run's, else the results
    cache's, else computed (`image_fact`); each file is opened at most once per run."""
    memo = ws.context.setdefault("image-facts", {}).setdefault(max_pixels, {})
    missing = [rel for rel in dict.fromkeys(rels) if rel not in memo]
    if missing:
        extract = functools.partial(image_fact, max_pixels=max_pixels, previews=_wanted["previews"])
        if hasattr(ws, "asset_facts"):
            found = ws.asset_facts(kind(max_pixels), extract, missing)
        else:
            found = {rel: extract(str(ws.vault.abs(rel))) for rel in missing}
        _keep_previews(ws, found)
        memo.update(found)
    return {rel: memo[rel] for rel in rels if rel in memo}


def _keep_previews(ws, found: dict[str, dict]) -> None:
    """Move the previews out of the facts into this run's `ws.context`. The facts are the very
    objects the results cache will write (asset_facts hands back what it stores), so the
    cache never holds a preview; tests/test_image_opens.py checks that."""
    shown = ws.context.setdefault("image-previews", {})
    for rel, fact in found.items():
        if isinstance(fact, dict) and "preview" in fact:
            shown.setdefault(rel, {}).update(fact.pop("preview"))


def signatures(ws, rels: Iterable[str], max_pixels: int) -> dict[str, hashing.Signature]:
    """duplicate-image's view of the facts."""
    return {rel: hashing.Signature.from_json(fact["sig"]["d"], fact["sig"])
            for rel, fact in image_facts(ws, rels, max_pixels).items()}


def previews(ws, rels: list[str], embed: bool, link_for) -> dict[str, thumbnails.Preview]:
    """The report's preview of each image: from this run's decode, else from the image cache,
    else from one opening now (an image no rule read, or an unchanged vault whose rules did not
    run). What is shown is remembered in the image cache by content digest. `link_for(rel)`
    gives the URL of a link-mode preview."""
    from notelint.cache import stat_key
    from notelint.imaging.cache import ImageCache

    mode = "embed" if embed else "link"
    cache = ImageCache(ws.vault.root, enabled=getattr(ws, "cache", None) is not None)
    decoded = ws.context.get("image-previews", {})
    digests = {rel: fact["sig"].get("d", "") for facts in ws.context.get("image-facts", {}).values()
               for rel, fact in facts.items()}
    out: dict[str, thumbnails.Preview] = {}
    for rel in rels:
        path = Path(ws.vault.abs(rel))
        try:
            key = stat_key(os.stat(path))
        except OSError:
            key = None
        value = decoded.get(rel, {}).get(mode)
        if value is None and key is not None:
            value = cache.preview(rel, key, mode)
        digest = digests.get(rel) or (cache.digest_for(rel, key) if key is not None else None)
        if value is None:
            opened = open_image(path, thumbnails.MAX_PIXELS, colour=embed, max_bytes=thumbnails.MAX_BYTES)
            try:
                value = asdict(thumbnails.from_opened(opened, embed=embed, link=LINK))
            finally:
                opened.close()
            digest = opened.digest
        if key is not None and digest:
            cache.remember_preview(rel, key, digest, mode, value)
        preview = thumbnails.Preview(**value)
        if preview.src == LINK:
            preview.src = link_for(rel)
        out[rel] = preview
    cache.save(live=set(ws.vault.all_assets))
    return out
