#!/usr/bin/env python3
"""Benchmark notelint at vault scale, with realistic images, against rumdl and markdownlint-cli2.

One command, from a clone of the repository:

    python3 benchmarks/vault_bench.py                 # 10,000 notes, 2,000 images
    python3 benchmarks/vault_bench.py --notes 500     # a quick run while developing
    python3 benchmarks/vault_bench.py --notes 100000  # also times 10,000 notes: is growth linear?

The vault (`vault_data.py`) is a seeded Dendron vault: notes of about 3 KB (frontmatter with id,
title, desc, created and updated; `##` entries with labelled bullets; tags, wikilinks, image
references, some CJK) and images the size of pasted screenshots (PNG, 1280–2560 px, 100 KB–
1.5 MB) and photos (JPEG, 3000–4000 px), with byte copies and re-encoded or resized copies.
Images dominate what notelint's image rules cost, so thumbnails would flatter it. Generating
2,000 of them takes minutes, so the vault is kept in the work folder under its parameters
(default `$TMPDIR/notelint-vault-bench`) and the next run reuses it; each run works on its own
copy (images hard-linked). It then times, each in a fresh process with its peak memory:

* notelint cold with images (`--no-cache`), cold on the notes only (the image rules off), cold
  in one process, first run (empty cache, writes it), warm (second run), and 5 changed notes
  (`notelint check f1 ... f5` with the cache warm);
* rumdl (`pip install rumdl` into a private venv) and markdownlint-cli2 (`npm install` into a
  private folder) on the same vault, each skipped with a message if it cannot be installed;
* above 10,000 notes, also cold on a vault of a tenth the size (`--base-notes`): the time ratio
  tells whether time grows linearly (goal: 100,000 notes <= 11 x 10,000).

It prints a table and the ratios issue 17's goals are stated in, all from this one run. Run it
with the Python of an environment where notelint is installed (`pip install -e .`); without one
it makes a venv in the work folder and installs the repository there. Peak memory is the largest
resident set of any one process of the run (`getrusage(RUSAGE_CHILDREN)` of a fresh wrapper).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from vault_data import working_copy  # noqa: E402

IMAGE_RULES = ("duplicate-image", "unreadable-image", "orphan-image")  # the rules that open image files
FINDING = re.compile(r"^\S.*?:\d+:\d+: \S+ \[([a-z-]+)\]", re.M)  # the text format's rule name

# --------------------------------------------------------------------------- running


def measure(argv: list[str], cwd: Path, env: dict | None = None, output: Path | None = None) -> dict:
    """Wall time and peak RSS (MB, largest process) of one command, in a fresh wrapper; its
    standard output goes to `output` when given."""
    wrapper = (
        "import hashlib, json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "wall = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.argv[1] and open(sys.argv[1], 'wb').write(r.stdout)\n"
        "print(json.dumps({'wall': wall, 'rss': rss, 'code': r.returncode, 'sha': hashlib.sha256(r.stdout).hexdigest(),"
        " 'err': r.stderr.decode('utf-8', 'replace')[-600:], 'lines': r.stdout.count(b'\\n')}))\n"
    )
    done = subprocess.run([sys.executable, "-c", wrapper, str(output or ""), *argv], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})
    return json.loads(done.stdout)


def snapshot(work: Path, python: str) -> dict:
    """A copy of this repository's source (rules inside the package, as installed), so that
    edits to the working tree during a run do not change what is measured. Returns the env."""
    target = work / "snapshot"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(REPO / "notelint", target / "notelint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", target / "notelint" / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONPATH": str(target)}
    where = subprocess.run([python, "-c", "import notelint.rules, notelint; print(notelint.rules.__file__)"],
                           capture_output=True, text=True, env={**os.environ, **env}, cwd=work)
    if not where.stdout.startswith(str(target)):
        sys.exit(f"the snapshot in {target} is not what Python imports ({where.stdout.strip() or where.stderr})")
    return env


def notelint_python(work: Path) -> str:
    """This interpreter if it imports notelint, else the Python of a venv made in the work folder
    from this repository. It also generates the vault (notelint brings Pillow and numpy)."""
    probe = subprocess.run([sys.executable, "-c", "import notelint.cli"], capture_output=True)
    if probe.returncode == 0:
        return sys.executable
    venv = work / "notelint-venv"
    if not (venv / "bin" / "notelint").exists():
        print(f"notelint is not importable here; installing {REPO} into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(REPO)], check=True)
    return str(venv / "bin" / "python")


def vault(python: str, cache: Path, notes: int, images: int, seed: int) -> dict:
    """The pristine generated vault for these parameters (made now or reused), as `vault_data`
    describes it; generated by `python`, which has Pillow and numpy."""
    done = subprocess.run([python, str(Path(__file__).with_name("vault_data.py")), "--cache", str(cache),
                           "--notes", str(notes), "--images", str(images), "--seed", str(seed)],
                          stdout=subprocess.PIPE, text=True)
    if done.returncode:
        sys.exit(f"generating the vault failed (exit {done.returncode})")
    return json.loads(done.stdout)


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


def rule_counts(output: Path) -> Counter:
    """Findings per rule in a text-format report."""
    return Counter(FINDING.findall(output.read_text("utf-8", "replace")))


def without_image_rules(output: Path) -> str:
    """A text-format report with the findings of the image rules left out."""
    return "".join(line for line in output.read_text("utf-8", "replace").splitlines(keepends=True)
                   if FINDING.match(line) is None or FINDING.match(line).group(1) not in IMAGE_RULES)


def describe(facts: dict, seed: int) -> str:
    how = "reused" if facts["reused"] else f"generated in {facts['seconds']:.0f} s"
    return (f"vault: {len(facts['notes']) + 1:,} notes ({facts['note_bytes'] / 1e6:.1f} MB), seed {seed}, {how}, "
            f"{facts['root']}\n  " + facts["images"].replace("\n", "\n  "))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--images", type=int, default=None, help="default: one per 5 notes")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--changed", type=int, default=5, help="notes changed for the pre-commit case")
    ap.add_argument("--base-notes", type=int, default=None,
                    help="also time cold on a vault of this many notes (images in proportion) and print the "
                         "time ratio; default: a tenth of --notes above 10,000 notes, else none (0: none)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "notelint-vault-bench",
                    help="work folder: generated vaults, tool installations, the run's copy (default: %(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the run's copy of the vault (with its cache, edits)")
    ap.add_argument("--no-others", action="store_true", help="time notelint only")
    ap.add_argument("--snapshot", action="store_true",
                    help="run a copy of the source taken at the start (the tree is being edited meanwhile)")
    args = ap.parse_args(argv)
    images = args.notes // 5 if args.images is None else args.images
    base = args.base_notes if args.base_notes is not None else (args.notes // 10 if args.notes > 10_000 else 0)
    work = args.work.resolve()
    run_dir = work / "run"
    (run_dir / "out").mkdir(parents=True, exist_ok=True)
    python = notelint_python(work)
    cache = work / "vaults"
    facts = vault(python, cache, args.notes, images, args.seed)
    print(describe(facts, args.seed), flush=True)
    root = run_dir / "vault"
    working_copy(Path(facts["root"]), root)
    try:
        measured(args, python, work, run_dir, root, facts, images, base)
    finally:
        if args.keep:
            print(f"kept {run_dir}")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)
        print(f"generated vaults stay in {cache} for the next run (delete it to free the space)")
    return 0


def measured(args, python: str, work: Path, run_dir: Path, root: Path, facts: dict, images: int, base: int) -> None:
    """Times every run of the table on the working copy `root` and prints the table and ratios."""
    nl = [python, "-m", "notelint"]
    # compiled bytecode as an installed package has it (this repository's environment may set
    # PYTHONDONTWRITEBYTECODE), kept in the work folder
    env = {"NO_COLOR": "1", "NOTELINT_PROGRESS": "0", "PYTHONDONTWRITEBYTECODE": "",
           "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    if args.snapshot:
        env.update(snapshot(work, python))
    warmup = run_dir / "warmup"  # compiles every module once, as an installation would have
    working_copy(Path(vault(python, work / "vaults", 20, 10, args.seed)["root"]), warmup)
    measure([*nl, "check", "--no-cache", "-q", "."], warmup, env)
    rows: list[tuple[str, dict]] = []

    def run(label: str, cmd: list[str], cwd: Path = root, extra: dict | None = None) -> dict:
        output = run_dir / "out" / f"{len(rows):02}.txt"
        result = measure(cmd, cwd, {**env, **(extra or {})}, output)
        result["output"] = output
        rows.append((label, result))
        print(f"  {label:<62} {result['wall']:7.2f} s {result['rss']:7.0f} MB  exit {result['code']}", flush=True)
        if result["code"] not in (0, 1):
            print("    stderr: " + result["err"].strip().replace("\n", "\n    "))
        return result

    cores = str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    # all cores, forced: by default notelint leaves out cores the load average says are busy
    every = {"NOTELINT_JOBS": cores}
    cold = run(f"notelint check --no-cache (cold, with images, {cores} processes)",
               [*nl, "check", "--no-cache", "-q", "."], extra=every)
    notes_only = run("notelint check --no-cache, 3 image rules off (cold, notes only)",
                     [*nl, "check", "--no-cache", "-q", "--ignore", ",".join(IMAGE_RULES), "."], extra=every)
    # every formatting rule (codes NL5xx) on as well: issue 21 allows them 30% on top of a cold check
    formatting = run("notelint check --no-cache, every formatting rule on (cold, with images)",
                     [*nl, "check", "--no-cache", "-q", "--extend-select", "NL5", "."], extra=every)
    formatting_notes = run("notelint check --no-cache, formatting rules on, image rules off",
                           [*nl, "check", "--no-cache", "-q", "--extend-select", "NL5", "--ignore", ",".join(IMAGE_RULES), "."],
                           extra=every)
    jobs1 = run("notelint check --no-cache (cold, with images, one process)",
                [*nl, "check", "--no-cache", "-q", "."], extra={"NOTELINT_JOBS": "1"})
    first = run("notelint check (empty cache, writes it)", [*nl, "check", "-q", "."])
    warm = run("notelint check (warm cache)", [*nl, "check", "-q", "."])
    changed = random.Random(args.seed + 1).sample(facts["notes"], min(args.changed, len(facts["notes"])))
    for rel in changed:
        with open(root / rel, "a", encoding="utf-8") as fh:
            fh.write("\nOne more line, with a trailing space \n")
    few = run(f"notelint check {len(changed)} changed notes (warm; the pre-commit case)",
              [*nl, "check", "-q", *changed])
    version = run("notelint --version", [*nl, "--version"])
    small = None
    if base:
        base_images = round(images * base / args.notes)
        base_facts = vault(python, work / "vaults", base, base_images, args.seed)
        print(describe(base_facts, args.seed), flush=True)
        base_root = run_dir / "base-vault"
        working_copy(Path(base_facts["root"]), base_root)
        small = run(f"notelint check --no-cache, {base:,} notes, {base_images:,} images (cold, with images)",
                    [*nl, "check", "--no-cache", "-q", "."], cwd=base_root, extra=every)
    rumdl = mdl = None
    if not args.no_others:
        cmd = rumdl_command(work)
        if cmd:
            rumdl = run("rumdl check --no-cache . (cold)", [*cmd, "check", "--no-cache", "."])
        cmd = markdownlint_command(work)
        if cmd:
            mdl = run('markdownlint-cli2 "**/*.md"', [*cmd, "**/*.md"])

    same = cold["sha"] == first["sha"] == warm["sha"] == jobs1["sha"]
    print(f"  outputs of cold, one-process, first and warm runs identical: {'yes' if same else 'NO'}")
    subset = without_image_rules(cold["output"]) == notes_only["output"].read_text("utf-8", "replace")
    print(f"  notes-only output = cold output without the image rules' findings: {'yes' if subset else 'NO'}")
    counts = rule_counts(cold["output"])
    print("  findings of the cold run: " + ", ".join(f"{rule} {n:,}" for rule, n in counts.most_common()))
    print()
    print(f"| run | wall (s) | peak RSS (MB) | exit |")
    print("|---|---:|---:|---:|")
    for label, r in rows:
        print(f"| {label} | {r['wall']:.2f} | {r['rss']:.0f} | {r['code']} |")
    print()
    if hasattr(os, "getloadavg"):
        print("load average at the end (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
              + f" on {cores} cores (other programs share the machine)")
    print("Ratios from this run (issue 17's goals):")

    def line(label: str, value: str, goal: str = "") -> None:
        print(f"  {label:<46} = {value}" + (f"  ({goal})" if goal else ""))

    if mdl:
        line("cold with images / markdownlint-cli2", f"{cold['wall'] / mdl['wall']:.3f}", "<= 0.3, moonshot <= 0.15")
    if rumdl:
        line("cold notes-only / rumdl cold", f"{notes_only['wall'] / rumdl['wall']:.3f}", "<= 1.5, moonshot <= 1")
        line("warm / rumdl cold", f"{warm['wall'] / rumdl['wall']:.3f}", "<= 0.3")
    line(f"{len(changed)} changed notes, warm", f"{few['wall']:.2f} s", "< 0.5 s")
    if small:
        scale = args.notes / base
        line(f"cold {args.notes:,} notes / cold {base:,} notes", f"{cold['wall'] / small['wall']:.2f}",
             f"<= {1.1 * scale:.3g}: {scale:.3g}x the notes, linear within 10%")
        line(f"peak RSS, cold {args.notes:,} notes", f"{cold['rss']:.0f} MB", "< 1 GB")
    line("cold, formatting rules on / cold", f"{formatting['wall'] / cold['wall']:.3f}", "<= 1.3 (issue 21)")
    line("notes-only, formatting rules on / notes-only", f"{formatting_notes['wall'] / notes_only['wall']:.3f}")
    line("peak RSS, largest notelint process",
         f"{max(r['rss'] for r in (cold, notes_only, jobs1, first, warm, few)):.0f} MB")
    print("Other figures:")
    line("cold notes-only / cold with images", f"{notes_only['wall'] / cold['wall']:.3f}")
    line("parallel cold / one-process cold", f"{cold['wall'] / jobs1['wall']:.3f}")
    line("warm / cold", f"{warm['wall'] / cold['wall']:.3f}")
    line("first run (writes the cache) / cold", f"{first['wall'] / cold['wall']:.3f}")
    line("notelint --version", f"{version['wall'] * 1000:.0f} ms")

if __name__ == "__main__":
    sys.exit(main())
