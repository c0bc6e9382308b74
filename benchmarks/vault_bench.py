#!/usr/bin/env python3
"""Benchmark notelint at vault scale against rumdl and markdownlint-cli2.

One command, from a clone of the repository:

    python3 benchmarks/vault_bench.py                 # 10,000 notes, 2,000 images (a few minutes)
    python3 benchmarks/vault_bench.py --notes 500     # a quick run while developing

It generates a seeded Dendron vault (notes of about 3 KB: frontmatter with id, title, desc,
created and updated; `##` entries with labelled bullets; tags, wikilinks, image references,
some CJK; small PNG and JPEG images, some of them byte copies or re-encoded copies), then
times, each in a fresh process with its peak memory:

* notelint cold (`--no-cache`), first run (empty cache, writes it), warm (second run), and
  5 changed notes (`notelint check f1 ... f5` with the cache warm);
* rumdl (`pip install rumdl` into a private venv) and markdownlint-cli2 (`npm install` into a
  private folder) on the same notes, each skipped with a message if it cannot be installed.

It prints a table and the ratios the project's goals are stated in. Run it with the Python of
an environment where notelint is installed (`pip install -e .`); without one it makes a venv in
the work folder and installs the repository there. Peak memory is the largest resident set of
any one process of the run (`getrusage(RUSAGE_CHILDREN)` of a fresh wrapper process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORDS = ("model video vision language agent memory graph transformer diffusion token prompt retrieval "
         "benchmark dataset alignment reasoning planning robot audio speech image caption embedding "
         "search index cache parser linter vault note journal meeting project paper review draft").split()
CJK = ("研究背景 研究动机 研究方法 贡献和创新点 相关工作 实验结果 多模态 大语言模型 视频理解 图像生成 "
       "知识图谱 检索增强 强化学习 数据集 基准测试 注意力机制").split()
LABELS = ("研究背景", "研究动机", "研究方法", "贡献和创新点")
TAGS = ("paper", "video", "llm", "vision", "agent", "todo", "reading", "idea", "Video", "to_read")


# --------------------------------------------------------------------------- the vault


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


def make_images(folder: Path, count: int, rnd: random.Random) -> list[str]:
    """Small PNG and JPEG images; about 10% byte copies and 5% re-encoded or resized copies."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        Image = None
    names: list[str] = []
    originals: list[tuple[str, bytes, object]] = []
    for i in range(count):
        roll = rnd.random()
        if originals and roll < 0.10:  # a byte copy under another name
            src, data, _ = rnd.choice(originals)
            name = f"copy-{i:05}{Path(src).suffix}"
            (folder / name).write_bytes(data)
        elif originals and roll < 0.15 and Image is not None:  # the same picture, re-encoded smaller
            src, _, img = rnd.choice(originals)
            name = f"resized-{i:05}.jpg"
            img.resize((img.width // 2, img.height // 2)).convert("RGB").save(folder / name, "JPEG", quality=80)
        else:
            jpeg = rnd.random() < 0.4
            name = f"img-{i:05}.{'jpg' if jpeg else 'png'}"
            if Image is None:
                data = _plain_png(rnd)
                (folder / name).write_bytes(data)
                originals.append((name, data, None))
            else:
                img = Image.new("RGB", (160, 120), tuple(rnd.randrange(256) for _ in range(3)))
                draw = ImageDraw.Draw(img)
                for _ in range(6):
                    x, y = rnd.randrange(150), rnd.randrange(110)
                    draw.rectangle((x, y, x + rnd.randrange(10, 80), y + rnd.randrange(10, 60)),
                                   fill=tuple(rnd.randrange(256) for _ in range(3)))
                img.save(folder / name, "JPEG" if jpeg else "PNG", **({"quality": 85} if jpeg else {}))
                originals.append((name, (folder / name).read_bytes(), img))
        names.append(name)
    return names


def _plain_png(rnd: random.Random) -> bytes:
    """A 32x32 RGB PNG without Pillow (zlib and struct only)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(rnd.randrange(256) for _ in range(96)) for _ in range(32))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def generate(root: Path, notes: int, images: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    root.mkdir(parents=True)
    (root / "dendron.yml").write_text("version: 5\nworkspace:\n  vaults:\n    - fsPath: .\n", "utf-8")
    image_names = make_images(root / "assets" / "images", images, rnd)
    names = note_names(notes, rnd)
    for i, name in enumerate(names):
        (root / f"{name}.md").write_text(note_text(i, name, names, image_names, rnd), "utf-8")
    (root / "root.md").write_text("---\nid: root\ntitle: Root\ndesc: ''\nupdated: 1600000000000\n"
                                  "created: 1600000000000\n---\n\n# Root\n", "utf-8")
    return [f"{n}.md" for n in names]


# --------------------------------------------------------------------------- running


def measure(argv: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Wall time and peak RSS (MB, largest process) of one command, in a fresh wrapper."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "wall = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "import hashlib\n"
        "print(json.dumps({'wall': wall, 'rss': rss, 'code': r.returncode, 'out': r.stdout.decode('utf-8', 'replace')[-400:],"
        " 'sha': hashlib.sha256(r.stdout).hexdigest(),"
        " 'err': r.stderr.decode('utf-8', 'replace')[-600:], 'lines': r.stdout.count(b'\\n')}))\n"
    )
    done = subprocess.run([sys.executable, "-c", wrapper, *argv], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    return json.loads(done.stdout)


def snapshot(work: Path) -> dict:
    """A copy of this repository's source (rules inside the package, as installed), so that
    edits to the working tree during a run do not change what is measured. Returns the env."""
    target = work / "snapshot"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(REPO / "notelint", target / "notelint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", target / "notelint" / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import notelint.rules, notelint; print(notelint.rules.__file__)"],
                           capture_output=True, text=True, env={**os.environ, **env}, cwd=work)
    if not where.stdout.startswith(str(target)):
        sys.exit(f"the snapshot in {target} is not what Python imports ({where.stdout.strip() or where.stderr})")
    return env


def notelint_command(work: Path) -> list[str] | None:
    """notelint of this interpreter, or of a venv made in the work folder from this repository."""
    probe = subprocess.run([sys.executable, "-c", "import notelint.cli"], capture_output=True)
    if probe.returncode == 0:
        return [sys.executable, "-m", "notelint"]
    venv = work / "notelint-venv"
    if not (venv / "bin" / "notelint").exists():
        print(f"notelint is not importable here; installing {REPO} into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(REPO)], check=True)
    return [str(venv / "bin" / "notelint")]


def rumdl_command(work: Path) -> list[str] | None:
    found = shutil.which("rumdl")
    if found:
        return [found]
    venv = work / "rumdl-venv"
    exe = venv / "bin" / "rumdl"
    if not exe.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "rumdl"], check=True, capture_output=True,
                           timeout=600)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            print(f"rumdl skipped: it could not be installed ({exc})")
            return None
    return [str(exe)]


def markdownlint_command(work: Path) -> list[str] | None:
    folder = work / "markdownlint"
    exe = folder / "node_modules" / ".bin" / "markdownlint-cli2"
    if not exe.exists():
        if not shutil.which("npm"):
            print("markdownlint-cli2 skipped: npm is not installed")
            return None
        folder.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder),
                            "markdownlint-cli2"], check=True, capture_output=True, timeout=600)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            print(f"markdownlint-cli2 skipped: it could not be installed ({exc})")
            return None
    return [str(exe)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--images", type=int, default=None, help="default: one per 5 notes")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--changed", type=int, default=5, help="notes changed for the pre-commit case")
    ap.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (vault, venvs)")
    ap.add_argument("--no-others", action="store_true", help="time notelint only")
    ap.add_argument("--snapshot", action="store_true",
                    help="run a copy of the source taken at the start (the tree is being edited meanwhile)")
    args = ap.parse_args(argv)
    images = args.notes // 5 if args.images is None else args.images
    work = args.work or Path(tempfile.mkdtemp(prefix="notelint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    vault = work / "vault"
    try:
        if vault.exists():
            shutil.rmtree(vault)
        t = time.perf_counter()
        notes = generate(vault, args.notes, images, args.seed)
        size = sum(p.stat().st_size for p in vault.rglob("*.md"))
        print(f"vault: {len(notes) + 1:,} notes ({size / 1e6:.1f} MB), {images:,} images, seed {args.seed}, "
              f"generated in {time.perf_counter() - t:.1f} s in {vault}", flush=True)
        rows: list[tuple[str, dict]] = []
        nl = notelint_command(work)
        # compiled bytecode as an installed package has it (this repository's environment may set
        # PYTHONDONTWRITEBYTECODE), kept in the work folder
        env = {"NO_COLOR": "1", "NOTELINT_PROGRESS": "0", "PYTHONDONTWRITEBYTECODE": "",
               "PYTHONPYCACHEPREFIX": str(work / "pycache")}
        if args.snapshot:
            env.update(snapshot(work))
        warmup = work / "warmup-vault"  # compiles every module once, as an installation would have
        shutil.rmtree(warmup, ignore_errors=True)
        generate(warmup, 20, 10, args.seed)
        measure([*nl, "check", "--no-cache", "-q", "."], warmup, env)

        def run(label: str, cmd: list[str], cwd: Path = vault, extra: dict | None = None) -> dict:
            result = measure(cmd, cwd, {**env, **(extra or {})})
            rows.append((label, result))
            print(f"  {label:<44} {result['wall']:7.2f} s {result['rss']:7.0f} MB  exit {result['code']}", flush=True)
            if result["code"] not in (0, 1):
                print("    stderr: " + result["err"].strip().replace("\n", "\n    "))
            return result

        cores = str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
        # all cores, forced: by default notelint leaves out cores the load average says are busy
        cold = run(f"notelint check --no-cache (cold, {cores} processes)", [*nl, "check", "--no-cache", "-q", "."],
                   extra={"NOTELINT_JOBS": cores})
        jobs1 = run("notelint check --no-cache, one process", [*nl, "check", "--no-cache", "-q", "."],
                    extra={"NOTELINT_JOBS": "1"})
        first = run("notelint check (empty cache, writes it)", [*nl, "check", "-q", "."])
        warm = run("notelint check (warm cache)", [*nl, "check", "-q", "."])
        changed = random.Random(args.seed + 1).sample(notes, min(args.changed, len(notes)))
        for rel in changed:
            with open(vault / rel, "a", encoding="utf-8") as fh:
                fh.write("\nOne more line, with a trailing space \n")
        few = run(f"notelint check {len(changed)} changed notes (warm)", [*nl, "check", "-q", *changed])
        version = run("notelint --version", [*nl, "--version"])
        rumdl = mdl = None
        if not args.no_others:
            cmd = rumdl_command(work)
            if cmd:
                rumdl = run("rumdl check --no-cache . (cold)", [*cmd, "check", "--no-cache", "."])
            cmd = markdownlint_command(work)
            if cmd:
                mdl = run('markdownlint-cli2 "**/*.md"', [*cmd, "**/*.md"])
        same = cold["sha"] == first["sha"] == warm["sha"] == jobs1["sha"]
        print(f"  outputs of cold, first, warm and one-process runs identical: {'yes' if same else 'NO'}")
        print()
        print(f"| run | wall (s) | peak RSS (MB) | exit |")
        print("|---|---:|---:|---:|")
        for label, r in rows:
            print(f"| {label} | {r['wall']:.2f} | {r['rss']:.0f} | {r['code']} |")
        print()
        if hasattr(os, "getloadavg"):
            print("load average at the end (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
                  + f" on {cores} cores (other programs share the machine)")
        print("Ratios (goal):")
        if mdl:
            print(f"  notelint cold / markdownlint-cli2            = {cold['wall'] / mdl['wall']:.3f}  (< 1, aim < 0.3)")
        if rumdl:
            print(f"  notelint warm / rumdl cold                   = {warm['wall'] / rumdl['wall']:.3f}  (< 1)")
        print(f"  notelint warm / notelint cold                = {warm['wall'] / cold['wall']:.3f}")
        print(f"  parallel cold / one-process cold             = {cold['wall'] / jobs1['wall']:.3f}")
        print(f"  {len(changed)} changed notes, warm                   = {few['wall']:.2f} s  (< 1 s)")
        print(f"  peak memory, largest notelint process        = {max(r['rss'] for r in (cold, first, warm, few)):.0f} MB  (< 500 MB)")
        print(f"  notelint --version                           = {version['wall'] * 1000:.0f} ms  (< 150 ms)")
        print(f"  (first run, writing the cache: {first['wall']:.2f} s)")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        elif args.keep:
            print(f"kept {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
