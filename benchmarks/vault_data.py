#!/usr/bin/env python3
"""The generated vault of `vault_bench.py`: notes, realistic images, cached by its parameters.

Real vaults hold pasted screenshots and photos, not thumbnails, and decoding them is most of
what the image rules cost, so the images here have their sizes: PNG screenshots 1280–2560 px
wide of 100 KB–1.5 MB (flat areas, rows of text-like glyph stripes, a gradient panel with grain)
and JPEG photos 3000–4000 px wide (blended colour fields and grain), with byte copies and
re-encoded or resized copies for duplicate-image to find. Making each picture from scratch
would take minutes for 2,000 of them, so the costly parts are made once per process as pools
(rows of glyph stripes, a sheet of grain) and every picture is cut and assembled from them;
the encoder is the rest. Everything follows from the seed, in any number of processes.

    python3 benchmarks/vault_data.py OUT --notes 10000 --images 2000 --seed 8
    python3 benchmarks/vault_data.py --cache DIR --notes 10000   # reuse or make; prints JSON

`cached_vault` keeps one pristine vault per (notes, images, seed, this file's source, Pillow
version) and `working_copy` hands a run its own copy with the images hard-linked, so a run may
edit notes and write its cache without touching the pristine vault.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import sys
import time
from pathlib import Path

WORDS = ("model video vision language agent memory graph transformer diffusion token prompt retrieval "
         "benchmark dataset alignment reasoning planning robot audio speech image caption embedding "
         "search index cache parser linter vault note journal meeting project paper review draft").split()
CJK = ("研究背景 研究动机 研究方法 贡献和创新点 相关工作 实验结果 多模态 大语言模型 视频理解 图像生成 "
       "知识图谱 检索增强 强化学习 数据集 基准测试 注意力机制").split()
LABELS = ("研究背景", "研究动机", "研究方法", "贡献和创新点")
TAGS = ("paper", "video", "llm", "vision", "agent", "todo", "reading", "idea", "Video", "to_read")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
BYTE_COPIES, LOSSY_COPIES, PHOTOS = 0.10, 0.05, 0.10  # shares of all images; photos: of the originals


# --------------------------------------------------------------------------- notes


def _sentence(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


def _note_id(rnd: random.Random) -> str:
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(23))


def note_names(n: int, rnd: random.Random) -> list[str]:
    names = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            day = 1 + i // 4
            names.append(f"daily.journal.{2020 + day // 365}.{1 + day % 365 // 31:02}.{1 + day % 31:02}-{i}")
        elif kind == 1:
            names.append(f"projects.{rnd.choice(WORDS)}.{rnd.choice(WORDS)}-{i}")
        elif kind == 2:
            names.append(f"papers.{rnd.choice(WORDS)}-{rnd.choice(WORDS)}-{i}")
        else:
            names.append(f"meet.{rnd.choice(WORDS)}.{i}")
    return names


def note_text(i: int, name: str, names: list[str], images: list[str], rnd: random.Random) -> str:
    created = 1_600_000_000_000 + rnd.randrange(0, 100_000_000_000)
    updated = created + rnd.randrange(0, 10_000_000_000)
    title = name.split(".")[-1].replace("-", " ").title()
    out = ["---", f"id: {_note_id(rnd)}", f"title: {title}", f"desc: '{_sentence(rnd, 6)}'",
           f"created: {created}", f"updated: {updated}"]
    if i % 3 == 0:
        out.append(f"tags: [{rnd.choice(TAGS)}, {rnd.choice(TAGS)}]")
    out += ["---", "", f"# {title}", ""]
    size = 0
    entry = 0
    while size < 2600:
        entry += 1
        block = [f"## {rnd.choice(WORDS).title()} {rnd.choice(WORDS)} {entry}", ""]
        for label in LABELS:
            text = _sentence(rnd, rnd.randrange(8, 18))
            if rnd.random() < 0.25:
                text += " " + "，".join(rnd.sample(CJK, 3)) + "。"
            bold = rnd.random() < 0.97
            block.append(f"- {'**' + label + '**' if bold else label}: {text}")
        block.append("")
        if rnd.random() < 0.5:
            block.append(f"See [[{rnd.choice(names)}]] and #{rnd.choice(TAGS)} for more.")
        if rnd.random() < 0.5 and images:
            block.append(f"![figure {entry}](/assets/images/{rnd.choice(images)})")
        if rnd.random() < 0.01:
            block.append("![lost](/assets/images/missing-figure.png)")
        if rnd.random() < 0.01:
            block.append(f"A dangling [[{name}.child.that.does.not.exist]] link.")
        if rnd.random() < 0.02:
            block.append("Trailing spaces here   ")
        block += [_sentence(rnd, rnd.randrange(10, 30)), ""]
        out += block
        size += len("\n".join(block).encode("utf-8"))
    return "\n".join(out[:-1]) + "\n"


# --------------------------------------------------------------------------- image pools

STRIP_WIDTH = 2600
GRAIN = (3200, 4200)  # a sheet of grain, larger than any photo
_POOLS: dict = {}


def _pools(seed: int) -> dict:
    """Glyph-stripe rows per text size and a grain sheet, made once per process from the seed."""
    if _POOLS.get("seed") != seed:
        import numpy as np

        rng = np.random.default_rng(seed)
        strips = {size: [_glyph_row(rng, size) for _ in range(24)] for size in range(11, 31)}
        grain = rng.integers(-10, 11, GRAIN, dtype=np.int16).astype(np.int8)
        _POOLS.clear()
        _POOLS.update(seed=seed, strips=strips, grain=grain)
    return _POOLS


def _glyph_row(rng, size: int):
    """One line of 'text' (alpha 0..255, size x STRIP_WIDTH): words of glyph-like strokes with
    an x-height band, ascenders and descenders on some glyphs, antialiased edges."""
    import numpy as np

    glyph = max(4, int(size * 0.55))
    columns = np.arange(STRIP_WIDTH)
    which = columns // glyph
    strokes = (rng.random(STRIP_WIDTH) < 0.42) * rng.uniform(0.45, 1.0, STRIP_WIDTH)
    words = np.zeros(STRIP_WIDTH // glyph + 1, bool)
    g = 0
    while g < len(words):
        n = int(rng.integers(2, 11))
        words[g:g + n] = True
        g += n + 1
    ink = strokes * words[which]
    top, base = size // 5, size - size // 5
    xh = top + (base - top) // 3
    row = np.zeros((size, STRIP_WIDTH), np.float32)
    row[xh:base] = ink
    tall = (rng.random(len(words)) < 0.35)[which]
    row[top:xh] = ink * tall
    deep = (rng.random(len(words)) < 0.12)[which]
    row[base:size - 1] = ink * deep
    row[xh] *= 0.6  # a softer top edge, as antialiasing leaves
    return (row * 255).astype(np.uint8)


# --------------------------------------------------------------------------- pictures


def screenshot(seed: int, pool_seed: int, panel: float = 1.0):
    """A pasted screenshot (PNG): flat chrome, a sidebar, text rows, sometimes a code block and
    a gradient panel with grain (a chart or a picture in the page)."""
    import numpy as np
    from PIL import Image

    pools = _pools(pool_seed)
    rng = np.random.default_rng(seed)
    w = int(rng.integers(1280, 2561))
    h = min(1600, int(w * rng.uniform(0.42, 0.85)))
    dark = rng.random() < 0.3
    bg = np.array((30, 32, 38) if dark else (250, 250, 251), np.int16) + rng.integers(-6, 7, 3)
    fg = np.array((212, 214, 220) if dark else (28, 30, 36), np.int16)
    accent = rng.integers(30, 225, 3)
    img = np.empty((h, w, 3), np.uint8)
    img[:] = bg
    alpha = np.zeros((h, w), np.uint8)
    top = int(rng.choice([0, 40, 56]))
    img[:top] = accent
    side = int(w * rng.uniform(0.12, 0.24)) if rng.random() < 0.6 else 0
    img[top:, :side] = np.clip(bg + (12 if dark else -14), 0, 255)
    size = int(rng.integers(12, 23))
    strips = pools["strips"]

    def write(y: int, x0: int, x1: int, s: int) -> None:
        strip = strips[s][int(rng.integers(24))]
        shift = int(rng.integers(0, STRIP_WIDTH - (x1 - x0) + 1))
        alpha[y:y + s, x0:x1] = np.maximum(alpha[y:y + s, x0:x1], strip[:, shift:shift + x1 - x0])

    for y in range(top + 24, h - 2 * size, int(size * 1.8)):  # the sidebar's items
        if side and rng.random() < 0.8:
            write(y, 20, int(side * rng.uniform(0.4, 0.9)), size)
    left = side + int(rng.integers(24, 120))
    right = w - int(rng.integers(24, 160))
    y = top + 24
    while y < h - 2 * size:
        roll = rng.random()
        if roll < 0.08:  # a heading
            s = min(30, int(size * 1.5))
            write(y, left, int(left + (right - left) * rng.uniform(0.2, 0.6)), s)
            y += int(s * 1.8)
        elif roll < 0.14 and y + 8 * size < h:  # a code block on its own background
            lines = int(rng.integers(3, 9))
            bottom = min(h - size, y + int(lines * size * 1.5) + size)
            img[y:bottom, left:right] = np.clip(bg + (14 if dark else -10), 0, 255)
            for yy in range(y + size // 2, bottom - size, int(size * 1.5)):
                write(yy, left + 2 * size * int(rng.integers(1, 4)), int(left + (right - left) * rng.uniform(0.3, 0.8)), size)
            y = bottom + size
        elif roll < 0.2:  # a paragraph break
            y += size
        else:
            end = right if rng.random() < 0.7 else int(left + (right - left) * rng.uniform(0.2, 0.95))
            write(y, left, end, size)
            y += int(size * rng.uniform(1.4, 1.8))
    out = Image.composite(Image.new("RGB", (w, h), tuple(int(c) for c in fg)), Image.fromarray(img),
                          Image.fromarray(alpha))
    share = min(0.6, (rng.uniform(0.0, 0.2) if rng.random() < 0.7 else 0.0) * panel + (panel > 1) * 0.05 * panel)
    pw, ph = int((right - left) * share ** 0.5), int(h * share ** 0.5)
    if pw > 32 and ph > 32:  # a chart or a pasted picture: smooth colour with grain
        panel = _colour_field(rng, pw, ph, pools, grain=int(rng.integers(2, 7)))
        out.paste(panel, (int(rng.integers(left, max(left + 1, right - pw))), int(rng.integers(top, h - ph))))
    return out


def photo(seed: int, pool_seed: int):
    """A photo (JPEG), 3000–4000 px wide: colour fields at three scales, blobs, grain."""
    import numpy as np
    from PIL import ImageDraw

    pools = _pools(pool_seed)
    rng = np.random.default_rng(seed)
    w = int(rng.integers(3000, 4001))
    h = int(w * rng.choice([0.75, 2 / 3, 0.5625]))  # landscape: within the grain sheet
    img = _colour_field(rng, w, h, pools, grain=0)
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(3, 9))):
        x, y, r = int(rng.integers(w)), int(rng.integers(h)), int(rng.integers(w // 40, w // 8))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(c) for c in rng.integers(0, 256, 3)))
    return _grained(img, rng, pools, int(rng.integers(4, 11)))


def _colour_field(rng, w: int, h: int, pools: dict, grain: int):
    import numpy as np
    from PIL import Image

    field = None
    for cells, weight in ((3, 1.0), (8, 0.35), (24, 0.18)):
        small = Image.fromarray((rng.random((cells, max(2, cells * w // h), 3)) * 255).astype(np.uint8))
        layer = small.resize((w, h), Image.Resampling.BILINEAR)
        field = layer if field is None else Image.blend(field, layer, weight)
    return _grained(field, rng, pools, grain) if grain else field


def _grained(img, rng, pools: dict, strength: int):
    """Adds a window of the grain sheet, scaled to +-strength."""
    import numpy as np
    from PIL import Image

    w, h = img.size
    sheet = pools["grain"]
    y, x = int(rng.integers(0, sheet.shape[0] - h + 1)), int(rng.integers(0, sheet.shape[1] - w + 1))
    noise = sheet[y:y + h, x:x + w].astype(np.int16) * strength // 10
    return Image.fromarray(np.clip(np.asarray(img, np.int16) + noise[:, :, None], 0, 255).astype(np.uint8))


# --------------------------------------------------------------------------- the image set


def plan_images(count: int, rnd: random.Random) -> list[tuple]:
    """(name, kind, argument) per image: originals ("screenshot"/"photo", seed), byte copies
    ("copy", index of the original) and re-encoded or resized copies ("lossy", index, how)."""
    plan: list[tuple] = []
    originals: list[int] = []
    for i in range(count):
        roll = rnd.random()
        if originals and roll < BYTE_COPIES:
            src = rnd.choice(originals)
            plan.append((f"copy-{i:05}{Path(plan[src][0]).suffix}", "copy", src))
        elif originals and roll < BYTE_COPIES + LOSSY_COPIES:
            src = rnd.choice(originals)
            how = rnd.choice(("half", "jpeg", "web")) if plan[src][1] == "screenshot" else "web"
            plan.append((f"resized-{i:05}.{'png' if how == 'half' else 'jpg'}", "lossy", (src, how)))
        elif rnd.random() < PHOTOS:
            plan.append((f"photo-{i:05}.jpg", "photo", rnd.randrange(1 << 31)))
            originals.append(i)
        else:
            plan.append((f"screen-{i:05}.png", "screenshot", rnd.randrange(1 << 31)))
            originals.append(i)
    return plan


def _make_original(folder: Path, name: str, kind: str, seed: int, pool_seed: int) -> int:
    path = folder / name
    if kind == "photo":
        photo(seed, pool_seed).save(path, "JPEG", quality=85)
        return path.stat().st_size
    panel = 1.0
    for _ in range(5):  # the panel's grain decides the size: bring it within 100 KB–1.5 MB
        screenshot(seed, pool_seed, panel).save(path, "PNG", compress_level=3)
        size = path.stat().st_size
        if size > 1_500_000:
            panel /= 2
        elif size < 100_000:
            panel *= 2
        else:
            break
    return path.stat().st_size


def _make_copy(folder: Path, name: str, kind: str, arg, names: list[str]) -> int:
    from PIL import Image

    path = folder / name
    if kind == "copy":
        shutil.copyfile(folder / names[arg], path)
        return path.stat().st_size
    src, how = arg
    with Image.open(folder / names[src]) as img:
        img = img.convert("RGB")
        if how == "half":  # the same screenshot pasted again at half the size
            img.resize((img.width // 2, img.height // 2), Image.Resampling.BICUBIC).save(path, "PNG")
        elif how == "jpeg":  # a screenshot that went through an app that saves JPEG
            img.save(path, "JPEG", quality=88)
        else:  # exported for the web: 1600 px wide
            img.resize((1600, round(img.height * 1600 / img.width)), Image.Resampling.BICUBIC).save(
                path, "JPEG", quality=80)
    return path.stat().st_size


def make_images(folder: Path, count: int, seed: int, jobs: int = 0) -> list[str]:
    """Writes `count` images into `folder` over `jobs` processes (0: every usable core)."""
    folder.mkdir(parents=True, exist_ok=True)
    plan = plan_images(count, random.Random(seed))
    names = [name for name, _, _ in plan]
    if not jobs:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with concurrent.futures.ProcessPoolExecutor(max(1, jobs), mp_context=context) as pool:
        originals = [pool.submit(_make_original, folder, name, kind, arg, seed)
                     for name, kind, arg in plan if kind in ("screenshot", "photo")]
        for done in originals:
            done.result()
        copies = [pool.submit(_make_copy, folder, name, kind, arg, names)
                  for name, kind, arg in plan if kind in ("copy", "lossy")]
        for done in copies:
            done.result()
    return names


def image_summary(folder: Path, names: list[str]) -> str:
    """One line per kind: count, width range, size range and mean; then the overall mean."""
    from PIL import Image

    kinds: dict[str, list[tuple[int, int]]] = {}
    for name in names:
        with Image.open(folder / name) as img:
            width = img.width
        kinds.setdefault(name.split("-")[0], []).append((width, (folder / name).stat().st_size))
    lines = []
    for kind, rows in sorted(kinds.items()):
        widths, sizes = [w for w, _ in rows], [s for _, s in rows]
        lines.append(f"{kind:>8}: {len(rows):5,}  {min(widths)}–{max(widths)} px wide, "
                     f"{min(sizes) / 1e3:,.0f} KB–{max(sizes) / 1e3:,.0f} KB, mean {sum(sizes) / len(sizes) / 1e3:,.0f} KB")
    total = sum(s for rows in kinds.values() for _, s in rows)
    lines.append(f"     all: {len(names):5,} images, {total / 1e6:,.0f} MB, mean {total / max(1, len(names)) / 1e3:,.0f} KB")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the vault


def generate(root: Path, notes: int, images: int, seed: int, jobs: int = 0) -> list[str]:
    """Writes the vault into `root` (which must not exist); returns the notes' paths."""
    rnd = random.Random(seed)
    root.mkdir(parents=True)
    (root / "dendron.yml").write_text("version: 5\nworkspace:\n  vaults:\n    - fsPath: .\n", "utf-8")
    image_names = make_images(root / "assets" / "images", images, seed, jobs)
    names = note_names(notes, rnd)
    for i, name in enumerate(names):
        (root / f"{name}.md").write_text(note_text(i, name, names, image_names, rnd), "utf-8")
    (root / "root.md").write_text("---\nid: root\ntitle: Root\ndesc: ''\nupdated: 1600000000000\n"
                                  "created: 1600000000000\n---\n\n# Root\n", "utf-8")
    return [f"{n}.md" for n in names]


def cache_key(notes: int, images: int, seed: int) -> str:
    """Names a generated vault: its parameters and what the bytes depend on (this file, Pillow)."""
    import PIL

    source = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=6).hexdigest()
    return f"vault-{notes}n-{images}i-s{seed}-{source}-pil{PIL.__version__}"


def cached_vault(cache: Path, notes: int, images: int, seed: int, jobs: int = 0) -> tuple[Path, dict, bool]:
    """The pristine vault for these parameters, generated if missing; (root, facts, reused)."""
    root = cache / cache_key(notes, images, seed)
    done = root / ".generated.json"
    if done.exists():
        return root, json.loads(done.read_text("utf-8")), True
    shutil.rmtree(root, ignore_errors=True)  # an interrupted generation
    t = time.perf_counter()
    note_paths = generate(root, notes, images, seed, jobs)
    folder = root / "assets" / "images"
    facts = {"notes": note_paths, "seconds": round(time.perf_counter() - t, 1),
             "note_bytes": sum((root / p).stat().st_size for p in note_paths),
             "images": image_summary(folder, sorted(os.listdir(folder)))}
    done.write_text(json.dumps(facts), "utf-8")
    return root, facts, False


def working_copy(pristine: Path, target: Path) -> None:
    """A copy a run may change: notes and settings copied, images hard-linked (copied where
    links are impossible). `check` never writes an image, so linking them is safe."""
    shutil.rmtree(target, ignore_errors=True)

    def place(src: str, dst: str) -> None:
        if Path(src).suffix.lower() in IMAGE_SUFFIXES:
            try:
                os.link(src, dst)
                return
            except OSError:
                pass
        shutil.copy2(src, dst)

    shutil.copytree(pristine, target, copy_function=place, ignore=shutil.ignore_patterns(".generated.json"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to create; with --cache, the cache folder")
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--images", type=int, default=None, help="default: one per 5 notes")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--jobs", type=int, default=0, help="processes (default: every usable core)")
    ap.add_argument("--cache", action="store_true",
                    help="reuse or make the pristine vault for these parameters under OUT; print it as JSON")
    args = ap.parse_args(argv)
    images = args.notes // 5 if args.images is None else args.images
    if args.cache:
        root, facts, reused = cached_vault(args.out, args.notes, images, args.seed, args.jobs)
        print(json.dumps({"root": str(root), "reused": reused, **facts}))
        return 0
    t = time.perf_counter()
    generate(args.out, args.notes, images, args.seed, args.jobs)
    folder = args.out / "assets" / "images"
    print(image_summary(folder, sorted(os.listdir(folder))))
    print(f"generated in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
