"""Benchmark of duplicate-image: recall, false pairs and speed on a generated image set.

    python benchmarks/image_bench.py            # builds the set (seeded) in /tmp, runs everything
    python benchmarks/image_bench.py --quick    # a quarter of the set, no imagededup

The set is built here, deterministically from `--seed`: originals of the kinds notes vaults
hold (photos: noise and gradients, JPEG; screenshots of documents, code and app UIs, PNG;
sparse diagrams on white, PNG), each family of screenshots or diagrams sharing its chrome
and layout (the hard negatives: different captures of the same app, similar diagrams), and
copies of every original: resized 25/50/75/150 %, JPEG quality 95/75/50, resized 50 % +
JPEG 80, WebP 80, the other format (PNG <-> JPEG), greyscale, palette PNG, RGBA with a
transparent background, EXIF-rotated JPEG; and, not goals, a 2 % crop and 16 px padding.

It prints recall per transformation and false pairs (pairs of images of *different*
originals that end in one group) for notelint's two-stage test, for a plain 8x8 phash at
Hamming distance <= 10 (the algorithm and default threshold of imagededup and most tools),
and for imagededup itself (its PHash with defaults) when it can be installed into a private
virtualenv under /tmp (it pulls torch; `--no-imagededup` skips it). Then speed: images per
second of a plain `imagehash.phash(Image.open(p))` loop, of notelint's signature in one
process and over all cores (cold, no cache), and of a warm run (every signature cached),
in-process and as a whole `notelint check` of a vault referencing every image.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

EASY = ["resize25", "resize50", "resize75", "resize150", "jpeg95", "jpeg75", "jpeg50", "resize50+jpeg80",
        "webp80", "other-format", "greyscale", "palette", "transparent", "exif-rotated"]
HARD = ["crop2", "pad16"]  # not goals: reported for information
KINDS = {"photo": (24, 1), "document": (7, 5), "code": (5, 5), "ui": (5, 5), "diagram": (6, 4)}  # families, members
WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at which but have an they "
         "you were her she there been one all we their has would when if so what out up more other about into them "
         "notelint vault image link note tag heading section summary method result paper model data figure table "
         "def return import class self value list dict none true false print range len str int float yield").split()


# ------------------------------------------------------------------------- the set


def _font(size):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def photo(rng: random.Random, family: int, member: int):
    import numpy as np
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    w, h = rng.choice([(2400, 1600), (2000, 1500), (3000, 2000), (1600, 1200)])
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    img = None
    for cells, alpha in ((3, 1.0), (8, 0.4), (24, 0.25)):
        small = Image.fromarray((nrng.random((cells, cells * w // h + 1, 3)) * 255).astype("uint8"), "RGB")
        layer = small.resize((w, h), Image.Resampling.BICUBIC)
        img = layer if img is None else Image.blend(img, layer, alpha)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 9)):
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randint(w // 30, w // 6)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    img = img.filter(ImageFilter.BoxBlur(2))
    grain = Image.fromarray(nrng.integers(0, 24, (h, w), dtype=np.uint8), "L").convert("RGB")
    arr = np.asarray(img)
    arr = np.asarray(ImageChops.add(img, grain, offset=-12))
    return Image.fromarray(arr, "RGB"), "JPEG"


def _text_line(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def document(rng: random.Random, family: int, member: int):
    """A document or browser capture; a family shares window chrome, margins and font size."""
    from PIL import Image, ImageDraw

    frng = random.Random(family * 7919)
    w, h = frng.choice([(1920, 1080), (2560, 1440)])
    size = frng.choice([16, 18, 20, 24])
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 40), fill=(230, 230, 235))
    for i in range(3):
        d.ellipse((12 + 22 * i, 12, 28 + 22 * i, 28), fill=[(255, 95, 87), (254, 188, 46), (40, 200, 64)][i])
    d.rectangle((200, 8, w - 200, 32), fill="white")
    d.text((210, 12), f"https://example.org/{_text_line(rng, 2).replace(' ', '/')}", fill=(60, 60, 60), font=_font(14))
    margin = frng.randint(80, 400)
    y = 80
    d.text((margin, y), _text_line(rng, rng.randint(3, 7)).title(), fill="black", font=_font(size * 2))
    y += size * 3
    while y < h - size * 2:
        if rng.random() < 0.12:
            y += size
            continue
        d.text((margin, y), _text_line(rng, rng.randint(6, (w - 2 * margin) // (size * 3))), fill=(20, 20, 20), font=_font(size))
        y += int(size * 1.6)
    return img, "PNG"


def code(rng: random.Random, family: int, member: int):
    """An editor capture: dark theme, line numbers, coloured tokens."""
    from PIL import Image, ImageDraw

    frng = random.Random(family * 104729)
    w, h = frng.choice([(1920, 1080), (1600, 1000)])
    size = frng.choice([16, 18, 20])
    bg = frng.choice([(30, 30, 30), (40, 44, 52), (0, 43, 54)])
    img = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 60, h), fill=tuple(max(0, c - 10) for c in bg))
    colours = [(86, 156, 214), (206, 145, 120), (181, 206, 168), (220, 220, 170), (212, 212, 212), (197, 134, 192)]
    y, n, indent = 16, 1, 0
    while y < h - size:
        d.text((8, y), f"{n:>3}", fill=(110, 110, 110), font=_font(size))
        if rng.random() > 0.1:
            x = 80 + indent * size * 2
            for _ in range(rng.randint(1, 6)):
                word = rng.choice(WORDS)
                d.text((x, y), word, fill=rng.choice(colours), font=_font(size))
                x += int(d.textlength(word + " ", font=_font(size)))
            indent = max(0, min(4, indent + rng.choice([-1, 0, 0, 1])))
        y += int(size * 1.5)
        n += 1
    return img, "PNG"


def ui(rng: random.Random, family: int, member: int):
    """An app window: same chrome and sidebar per family, different content."""
    from PIL import Image, ImageDraw

    frng = random.Random(family * 15485863)
    w, h = frng.choice([(1920, 1080), (1440, 900)])
    accent = tuple(frng.randrange(40, 220) for _ in range(3))
    img = Image.new("RGB", (w, h), (248, 248, 250))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 56), fill=accent)
    d.text((24, 16), frng.choice(["Notes", "Tasks", "Mail", "Board"]), fill="white", font=_font(22))
    side = frng.randint(200, 320)
    d.rectangle((0, 56, side, h), fill=(235, 236, 240))
    for i in range(frng.randint(6, 14)):
        d.text((24, 80 + i * 36), _text_line(frng, 2), fill=(50, 50, 60), font=_font(16))
    sel = rng.randint(0, 5)
    d.rectangle((8, 74 + sel * 36, side - 8, 102 + sel * 36), outline=accent, width=2)
    x0, y0 = side + 24, 80
    cols = rng.randint(2, 4)
    cw = (w - x0 - 24) // cols - 16
    for i in range(rng.randint(3, 9)):
        cx = x0 + (i % cols) * (cw + 16)
        cy = y0 + (i // cols) * 220
        if cy + 200 > h:
            break
        d.rounded_rectangle((cx, cy, cx + cw, cy + 200), radius=10, fill="white", outline=(220, 220, 225))
        d.text((cx + 16, cy + 16), _text_line(rng, 3), fill=(20, 20, 20), font=_font(18))
        for j in range(rng.randint(1, 5)):
            d.text((cx + 16, cy + 52 + j * 26), _text_line(rng, 4), fill=(90, 90, 100), font=_font(14))
        if rng.random() < 0.5:
            d.rounded_rectangle((cx + 16, cy + 160, cx + 120, cy + 188), radius=6, fill=accent)
    return img, "PNG"


def diagram(rng: random.Random, family: int, member: int):
    """A sparse diagram on white; a family shares its boxes, members move one and relabel."""
    from PIL import Image, ImageDraw

    frng = random.Random(family * 32452843)
    w, h = frng.choice([(1600, 1000), (1200, 800), (2000, 1200)])
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    boxes = []
    for _ in range(frng.randint(3, 7)):
        bw, bh = frng.randint(160, 300), frng.randint(70, 120)
        boxes.append([frng.randint(20, w - bw - 20), frng.randint(20, h - bh - 20), bw, bh, _text_line(frng, 2)])
    moved = rng.randrange(len(boxes))
    boxes[moved][0] = rng.randint(20, w - boxes[moved][2] - 20)
    boxes[moved][1] = rng.randint(20, h - boxes[moved][3] - 20)
    boxes[rng.randrange(len(boxes))][4] = _text_line(rng, 2)
    for a, b in zip(boxes, boxes[1:]):
        d.line((a[0] + a[2] // 2, a[1] + a[3] // 2, b[0] + b[2] // 2, b[1] + b[3] // 2), fill=(80, 80, 80), width=3)
    for x, y, bw, bh, label in boxes:
        d.rounded_rectangle((x, y, x + bw, y + bh), radius=12, fill=(235, 243, 255), outline=(40, 90, 160), width=3)
        d.text((x + 14, y + bh // 2 - 10), label, fill=(20, 20, 20), font=_font(20))
    return img, "PNG"


MAKERS = {"photo": photo, "document": document, "code": code, "ui": ui, "diagram": diagram}


def _save(img, path: Path, fmt: str, **kw) -> None:
    if fmt == "JPEG" and img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    if fmt == "PNG":
        kw.setdefault("compress_level", 3)  # faster to build; decoding costs about the same
    img.save(path, fmt, **kw)


def copies(img, fmt: str):
    """(transformation, image, format, save options) for every copy of one original."""
    from PIL import Image, ImageOps

    w, h = img.size
    ext_other = "PNG" if fmt == "JPEG" else "JPEG"

    def resized(f):
        return img.resize((max(1, round(w * f)), max(1, round(h * f))), Image.Resampling.BICUBIC)

    out = [
        ("resize25", resized(0.25), fmt, {}),
        ("resize50", resized(0.5), fmt, {}),
        ("resize75", resized(0.75), fmt, {}),
        ("resize150", resized(1.5), fmt, {}),
        ("jpeg95", img, "JPEG", {"quality": 95}),
        ("jpeg75", img, "JPEG", {"quality": 75}),
        ("jpeg50", img, "JPEG", {"quality": 50}),
        ("resize50+jpeg80", resized(0.5), "JPEG", {"quality": 80}),
        ("webp80", img, "WEBP", {"quality": 80}),
        ("other-format", img, ext_other, {"quality": 85} if ext_other == "JPEG" else {}),
        ("greyscale", ImageOps.grayscale(img), fmt, {}),
        ("palette", img.convert("P", palette=Image.Palette.ADAPTIVE, colors=256), "PNG", {}),
    ]
    rgba = img.convert("RGBA")
    bg = img.convert("RGB").getpixel((w - 2, h - 2))
    if fmt == "PNG" and min(bg) >= 200:
        # a light background made transparent, stored as transparent *black* (what many
        # exporters write): shown on white it is the same picture; naive greyscale is not
        import numpy as np

        arr = np.array(rgba)
        mask = (np.abs(arr[:, :, :3].astype(int) - np.array(bg, dtype=int)) <= 2).all(axis=2)
        arr[mask] = 0
        rgba = Image.fromarray(arr, "RGBA")
    # (photos and dark themes: an RGBA copy with an opaque alpha channel)
    out.append(("transparent", rgba, "PNG", {}))
    rotated = img.transpose(Image.Transpose.ROTATE_90)  # stored turned; orientation 6 turns it back
    exif = Image.Exif()
    exif[0x0112] = 6
    out.append(("exif-rotated", rotated, "JPEG", {"quality": 90, "exif": exif.tobytes()}))
    cw, ch = round(w * 0.02), round(h * 0.02)
    out.append(("crop2", img.crop((cw, ch, w - cw, h - ch)), fmt, {}))
    padded = ImageOps.expand(img, 16, fill="white")
    out.append(("pad16", padded, fmt, {}))
    return out


def build(folder: Path, seed: int, scale: float) -> list[dict]:
    """Generate the set (or reuse it when the manifest says it was built with these settings)."""
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        data = json.loads(manifest_path.read_text())
        if data.get("seed") == seed and data.get("scale") == scale:
            return data["images"]
    shutil.rmtree(folder, ignore_errors=True)
    images_dir = folder / "vault" / "img"
    images_dir.mkdir(parents=True)
    rng = random.Random(seed)
    images = []
    oid = 0
    for kind, (families, members) in KINDS.items():
        fam_count = max(1, round(families * scale)) if kind != "photo" else max(2, round(families * scale))
        for family in range(fam_count):
            for member in range(members):
                img, fmt = MAKERS[kind](random.Random(rng.randrange(1 << 30)), family + seed * 1000, member)
                ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
                name = f"{kind}-{family:02d}-{member}"
                orig = f"{name}.{ext[fmt]}"
                _save(img, images_dir / orig, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
                images.append({"file": orig, "orig": oid, "kind": kind, "family": f"{kind}-{family}", "transform": "original"})
                for transform, copy, cfmt, opts in copies(img, fmt):
                    file = f"{name}.{transform}.{ext[cfmt]}"
                    _save(copy, images_dir / file, cfmt, **opts)
                    images.append({"file": file, "orig": oid, "kind": kind, "family": f"{kind}-{family}", "transform": transform})
                oid += 1
                print(f"\rbuilding the image set: {oid} originals, {len(images)} files", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    vault = folder / "vault"
    (vault / ".notelint.toml").write_text('select = ["duplicate-image"]\n')
    lines = [f"![{im['transform']}](img/{im['file']})" for im in images]
    (vault / "index.md").write_text("# Every image\n\n" + "\n".join(lines) + "\n")
    manifest_path.write_text(json.dumps({"seed": seed, "scale": scale, "images": images}))
    return images


# --------------------------------------------------------------------------- scoring


def score(images: list[dict], groups: list[list[str]]) -> tuple[dict, int, Counter]:
    """(recall per transformation, false pairs, false pairs per kind) of a grouping."""
    group_of = {}
    for gi, g in enumerate(groups):
        for f in g:
            group_of[f] = gi
    by_name = {im["file"]: im for im in images}
    originals = {im["orig"]: im["file"] for im in images if im["transform"] == "original"}
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for im in images:
        if im["transform"] == "original":
            continue
        o = originals[im["orig"]]
        hits[im["transform"]][1] += 1
        if group_of.get(im["file"]) is not None and group_of.get(im["file"]) == group_of.get(o):
            hits[im["transform"]][0] += 1
    false_pairs = 0
    per_kind: Counter = Counter()
    for g in groups:
        origs = Counter(by_name[f]["orig"] for f in g)
        members = sum(origs.values())
        same = sum(c * (c - 1) // 2 for c in origs.values())
        bad = members * (members - 1) // 2 - same
        false_pairs += bad
        if bad:
            per_kind[by_name[g[0]]["kind"]] += bad
    return {t: hits[t][0] / hits[t][1] for t in hits}, false_pairs, per_kind


def pairs_to_groups(files: list[str], pairs) -> list[list[str]]:
    parent = {f: f for f in files}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = defaultdict(list)
    for f in files:
        groups[find(f)].append(f)
    return [g for g in groups.values() if len(g) > 1]


def pair_score(images: list[dict], pairs) -> tuple[dict, int]:
    """Recall and false pairs counted on pairs (no grouping), as imagededup reports them."""
    by_name = {im["file"]: im for im in images}
    originals = {im["orig"]: im["file"] for im in images if im["transform"] == "original"}
    found = {frozenset(p) for p in pairs}
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for im in images:
        if im["transform"] != "original":
            hits[im["transform"]][1] += 1
            if frozenset((im["file"], originals[im["orig"]])) in found:
                hits[im["transform"]][0] += 1
    false = sum(1 for p in found if len({by_name[f]["orig"] for f in p}) > 1)
    return {t: hits[t][0] / hits[t][1] for t in hits}, false


# ---------------------------------------------------------------------------- runs


def time_interleaved(paths: list[Path]) -> tuple[dict, dict]:
    """Per file: the plain loop's work, then notelint's signature, alternately, so that both
    see the same machine load (this machine is shared). Returns (seconds by format for
    each, phash 8x8 of every file)."""
    import imagehash
    from PIL import Image

    from notelint.imaging.hashing import signature

    base: Counter = Counter()
    ours: Counter = Counter()
    count: Counter = Counter()
    hashes = {}
    for p in paths:
        fmt = p.suffix.lower().lstrip(".")
        start = time.perf_counter()
        hashes[p.name] = imagehash.phash(Image.open(p))
        mid = time.perf_counter()
        signature(p)
        end = time.perf_counter()
        base[fmt] += mid - start
        ours[fmt] += end - mid
        count[fmt] += 1
    return {"base": base, "ours": ours, "count": count}, hashes


def time_alternating(paths: list[Path]) -> tuple[float, float]:
    """Best wall time of the plain loop and of notelint's pooled hashing (no cache), run
    alternately twice so that both meet the same load on a shared machine."""
    import imagehash
    from PIL import Image

    from notelint.imaging.groups import _compute

    plain, pool = [], []
    for _ in range(2):
        start = time.perf_counter()
        for p in paths:
            imagehash.phash(Image.open(p))
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        _compute([str(p) for p in paths], 100_000_000, None)
        pool.append(time.perf_counter() - start)
    return min(plain), min(pool)


def notelint_run(vault: Path, rels: list[str], fresh: bool, workers: int | None = None):
    from notelint.imaging.cache import ImageCache
    from notelint.imaging.groups import Thresholds, find_groups, signatures

    if fresh:
        shutil.rmtree(vault / ".notelint_cache", ignore_errors=True)
    start = time.perf_counter()
    cache = ImageCache(vault)
    sigs = signatures(vault, rels, cache, workers=workers)
    hashed = time.perf_counter() - start
    grouping = find_groups(sigs, Thresholds())
    for rel in grouping.candidates:
        cache.keep_thumb(sigs[rel])
    cache.save(set(rels))
    return hashed, time.perf_counter() - start, sigs, grouping


def imagededup_venv(allow_install: bool) -> Path | None:
    venv = Path("/tmp/notelint-imagededup-venv")
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import imagededup.methods"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    if not allow_install:
        return None
    print("installing imagededup (and torch) into /tmp/notelint-imagededup-venv ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "imagededup"], check=True, capture_output=True,
                       timeout=1800)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"imagededup could not be installed ({type(exc).__name__}); skipping it", file=sys.stderr)
        return None
    return python if subprocess.run(probe, capture_output=True).returncode == 0 else None


IMAGEDEDUP_SCRIPT = r"""
import json, sys, time, logging
logging.disable(logging.CRITICAL)
from imagededup.methods import PHash
folder = sys.argv[1]
t0 = time.perf_counter()
ph = PHash(verbose=False)
enc = ph.encode_images(image_dir=folder)
t1 = time.perf_counter()
dup = ph.find_duplicates(encoding_map=enc)  # max_distance_threshold=10, its default
t2 = time.perf_counter()
pairs = sorted({tuple(sorted((a, b))) for a, bs in dup.items() for b in bs})
json.dump({"encode": t1 - t0, "search": t2 - t1, "n": len(enc), "pairs": pairs}, sys.stdout)
"""


def run_imagededup(python: Path, folder: Path) -> dict | None:
    try:
        out = subprocess.run([str(python), "-c", IMAGEDEDUP_SCRIPT, str(folder)], capture_output=True, text=True,
                             timeout=3600, env={**os.environ, "OMP_NUM_THREADS": "1", "TQDM_DISABLE": "1"})
    except subprocess.SubprocessError as exc:
        print(f"imagededup failed ({exc}); skipping it", file=sys.stderr)
        return None
    if out.returncode != 0:
        print(f"imagededup failed: {out.stderr.strip().splitlines()[-1:]}; skipping it", file=sys.stderr)
        return None
    return json.loads(out.stdout)


def distance_stats(images, sigs) -> None:
    """The margin the candidate threshold sits in: phash16 distances of copies to their
    original, and the smallest between different originals (hard negatives) per kind."""
    from notelint.imaging.groups import candidate_pairs, correlation
    from notelint.imaging.hashing import hamming

    by_file = {im["file"]: im for im in images}
    originals = {im["orig"]: im["file"] for im in images if im["transform"] == "original"}
    copy_d, copy_c = [], []
    for im in images:
        if im["transform"] in EASY:
            a, b = sigs[f"img/{im['file']}"], sigs[f"img/{originals[im['orig']]}"]
            if a.phash and b.phash:
                copy_d.append(hamming(a.phash, b.phash))
                if a.thumb and b.thumb:
                    copy_c.append(correlation(a.thumb, b.thumb))
    copy_d.sort()
    copy_c.sort()
    origs = sorted(f"img/{f}" for f in originals.values() if sigs[f"img/{f}"].phash)
    nearest: dict[str, int] = {}
    for i, j, d in candidate_pairs([sigs[r].phash for r in origs], 256):
        kind = by_file[origs[i][4:]]["kind"]
        if kind == by_file[origs[j][4:]]["kind"]:
            nearest[kind] = min(nearest.get(kind, 256), d)
    if copy_d:
        print(f"  phash16 distance copy->original (easy): median {copy_d[len(copy_d) // 2]}, "
              f"p99 {copy_d[int(len(copy_d) * 0.99)]}, max {copy_d[-1]}; thumbnail correlation min {copy_c[0]:.3f}")
    print("  smallest phash16 distance between different originals of one kind: "
          + ", ".join(f"{k} {v}" for k, v in sorted(nearest.items())))


def recall_table(rows: dict[str, dict], transforms: list[str]) -> str:
    names = list(rows)
    lines = [f"{'transformation':<18}" + "".join(f"{n:>22}" for n in names)]
    for t in transforms:
        lines.append(f"{t:<18}" + "".join(f"{rows[n].get(t, float('nan')):>22.3f}" for n in names))
    easy = {n: sum(rows[n].get(t, 0) for t in EASY) / len(EASY) for n in names}
    lines.append(f"{'easy (mean)':<18}" + "".join(f"{easy[n]:>22.3f}" for n in names))
    lines.append(f"{'easy (min)':<18}" + "".join(f"{min(rows[n].get(t, 0) for t in EASY):>22.3f}" for n in names))
    return "\n".join(lines)


def sweep(images, sigs_by_rel: dict) -> None:
    """Recall and false pairs over a grid of thresholds (how the defaults were chosen)."""
    from notelint.imaging.groups import Thresholds, find_groups

    print("\nthreshold sweep (max-distance / min-correlation / max-aspect): easy recall min, mean; false pairs")
    for dist in (16, 24, 32, 40, 48, 64):
        for corr in (0.80, 0.85, 0.90, 0.93, 0.95):
            g = find_groups(dict(sigs_by_rel), Thresholds(dist, 0.03, corr))
            rec, fp, per_kind = score(images, [[r.split("/")[-1] for r in grp] for grp in g.groups])
            easy = [rec[t] for t in EASY]
            print(f"  {dist:>3} / {corr:.2f} / 3%: min {min(easy):.3f} mean {sum(easy) / len(easy):.3f}  false pairs {fp}"
                  + (f" {dict(per_kind)}" if fp else ""))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=Path("/tmp/notelint-image-bench"), help="where the set is built")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0, help="size of the set (1.0: 133 originals, 2,261 files)")
    ap.add_argument("--quick", action="store_true", help="--scale 0.25 and --no-imagededup")
    ap.add_argument("--no-imagededup", action="store_true", help="do not install or run imagededup")
    ap.add_argument("--sweep", action="store_true", help="also print recall and false pairs over a threshold grid")
    ap.add_argument("--sample", type=int, default=0, help="time the single-process loops on every Nth file only")
    args = ap.parse_args(argv)
    if args.quick:
        args.scale, args.no_imagededup = 0.25, True
    images = build(args.dir, args.seed, args.scale)
    vault = args.dir / "vault"
    files = [im["file"] for im in images]
    paths = [vault / "img" / f for f in files]
    rels = [f"img/{f}" for f in files]
    kinds = Counter(im["kind"] for im in images if im["transform"] == "original")
    total_mb = sum(p.stat().st_size for p in paths) / 1e6
    print(f"image set: {len(images)} files ({total_mb:.0f} MB), {sum(kinds.values())} originals {dict(kinds)}; "
          f"{len({im['family'] for im in images})} families; cores: {os.cpu_count()}")

    # --- quality: notelint's two-stage test (full run, cold, all cores)
    cold_hash, cold_total, sigs, grouping = notelint_run(vault, rels, fresh=True)
    groups = [[r.split("/", 1)[1] for r in g] for g in grouping.groups]
    nl_recall, nl_false, nl_kinds = score(images, groups)

    # --- plain loop (the baseline) and phash 8x8 <= 10 from its hashes
    sample = paths[:: args.sample] if args.sample > 1 else paths
    timing, base_hashes = time_interleaved(sample)
    base_time, sig_time = sum(timing["base"].values()), sum(timing["ours"].values())
    import numpy as np

    names = list(base_hashes)
    h = np.array([base_hashes[n].hash.flatten() for n in names], dtype=np.uint8)
    packed = np.packbits(h, axis=1)
    from notelint.imaging.groups import candidate_pairs

    p8 = candidate_pairs([bytes(row).hex() for row in packed], 10)
    p8_pairs = [(names[i], names[j]) for i, j, _ in p8]
    sample_images = [im for im in images if im["file"] in base_hashes]
    p8_recall, p8_false = pair_score(sample_images, p8_pairs)

    rows = {"notelint (groups)": nl_recall, "phash8<=10 (pairs)": p8_recall}
    dedup = None
    if not args.no_imagededup:
        python = imagededup_venv(allow_install=True)
        if python is None:
            print("imagededup: not installed (pip could not install it with torch); its column is left out")
        else:
            flat = args.dir / "flat"
            if not flat.exists():
                flat.mkdir()
                for p in paths:
                    os.link(p, flat / p.name)
            dedup = run_imagededup(python, flat)
            if dedup:
                rows["imagededup PHash"] = pair_score(images, [tuple(p) for p in dedup["pairs"]])[0]
    print("\nrecall per transformation (copy found together with its original)")
    print(recall_table(rows, EASY + HARD))
    print("\nfalse pairs (images of different originals reported as the same picture)")
    print(f"  notelint, two-stage (phash16 + verification), groups: {nl_false}" + (f" {dict(nl_kinds)}" if nl_false else ""))
    print(f"  phash 8x8, Hamming <= 10, pairs: {p8_false}")
    if dedup:
        print(f"  imagededup PHash (defaults: 8x8, threshold 10), pairs: "
              f"{pair_score(images, [tuple(p) for p in dedup['pairs']])[1]}")
    distance_stats(images, sigs)
    exact = sum(1 for m in grouping.matches if m.exact)
    print(f"  (notelint: {len(grouping.groups)} groups, {len(grouping.matches)} matches of which {exact} exact; "
          f"{len(grouping.candidates)} images reached verification)")

    # --- speed
    n = len(sample)
    print("\nspeed (cold: nothing cached; the two single-process loops interleaved file by file)")
    print(f"  imagehash.phash(Image.open(p)) loop, 1 process : {n / base_time:7.1f} images/s ({1000 * base_time / n:.1f} ms/image)")
    print(f"  notelint signature, 1 process                  : {n / sig_time:7.1f} images/s ({1000 * sig_time / n:.1f} ms/image)"
          f"  -> {base_time / sig_time:.2f}x per image")
    for fmt in sorted(timing["count"]):
        c = timing["count"][fmt]
        print(f"    {fmt:<5} {c:>5} files: plain {1000 * timing['base'][fmt] / c:6.1f} ms, notelint "
              f"{1000 * timing['ours'][fmt] / c:6.1f} ms  -> {timing['base'][fmt] / timing['ours'][fmt]:.2f}x")
    print(f"  notelint, all cores, first run of the whole set: {len(paths) / cold_total:7.1f} images/s "
          f"({1000 * cold_total / len(paths):.1f} ms/image; hashing {cold_hash:.1f} s of {cold_total:.1f} s, grouping included)")
    part = paths[::4]
    plain_s, pool_s = time_alternating(part)
    print(f"  on every 4th file ({len(part)}), alternating 2 rounds, best of each (wall-clock):")
    print(f"    plain loop, 1 process                        : {len(part) / plain_s:7.1f} images/s")
    print(f"    notelint hashing over {os.cpu_count()} cores               : {len(part) / pool_s:7.1f} images/s"
          f"  -> {plain_s / pool_s:.2f}x per image")
    if dedup:
        print(f"  imagededup PHash encode_images (its own pool)   : {dedup['n'] / dedup['encode']:7.1f} images/s "
              f"(search {dedup['search']:.2f} s)")
    import resource

    warm, warm_cpu = [], []
    for _ in range(3):
        cpu = time.process_time()
        _, total, _, _ = notelint_run(vault, rels, fresh=False)
        warm.append(total)
        warm_cpu.append(time.process_time() - cpu)
    print("speed (warm: every signature cached; wall-clock on a shared machine, and CPU time)")
    print(f"  notelint in-process, {len(rels)} images: {min(warm):.3f} s wall, {min(warm_cpu):.3f} s CPU "
          f"(best of 3: load the cache, stat every file, find the groups)")
    env = {**os.environ, "NO_COLOR": "1"}
    cli, cli_cpu = [], []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "notelint", "check", "--select", "duplicate-image", str(vault)],
                             capture_output=True, text=True, env=env)
        cli.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    summary = out.stdout.strip().splitlines()[-1:] if out.stdout.strip() else [out.stderr.strip()[-200:]]
    print(f"  `notelint check --select duplicate-image` of a vault referencing all {len(rels)} images: "
          f"{min(cli):.2f} s wall, {min(cli_cpu):.2f} s CPU (best of 3, the whole process with Python start-up); "
          f"it said: {summary[0] if summary else ''}")
    if args.sweep:
        sweep(images, {r: s for r, s in sigs.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
