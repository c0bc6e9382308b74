"""Mutation testing of the modules that guard users' notes: `python tools/mutation.py [MODULE...]`.

Why a wrapper around mutmut 3 and not a bare `mutmut run`:
- the rules live in top-level `rules/` but are imported as `notelint.rules` (pyproject's
  package-dir). mutmut names a mutant after its file's path and activates it by the module's
  `__module__`, so `rules/x.py` imported as `notelint.rules.x` would never be switched on. Each
  module is therefore mutated in a staging copy (`.mutation/<module>/`) where the rules sit at
  `notelint/rules/`, as installed;
- each module gets its own test selection (pyproject `[tool.notelint-mutation.modules]`), so a
  mutant runs only the tests written for that module that reach the mutated function (mutmut
  records which tests call which function), and the modules can be run one at a time;
- `NOTELINT_MUTATION=1` tells the tests to run the CLI in-process (tests/helpers.py `run_cli`), so
  mutmut sees which tests reach which function through the CLI, and turns off the session guard
  that lists the work tree (mutmut writes its own files there while tests run);
- the score is computed here, conservatively: killed / every mutant, so a mutant no test reaches
  counts against the score. A second score leaves out the survivors explained as equivalent in
  `tools/mutation-equivalents.toml` (each with the mutated line, checked against the mutant, so an
  entry whose function changed shows as stale instead of excusing a different mutant).

Prints one line per module and the total; writes `.mutation/results.json`. Survivors are listed with
`--survivors`; `mutmut show NAME` inside `.mutation/<module>/` prints one mutant's diff.
`--try NAME` runs the work tree's tests for that mutant's module against that one mutant (from the
last run's staging copy), so a new test can be checked against a survivor in seconds.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EQUIVALENTS = Path(__file__).resolve().with_name("mutation-equivalents.toml")
STAGING = REPO / ".mutation"
# the files of the repository the tests read (README, docs, examples, action.yml …); tool folders left out
SKIPPED = {".git", ".venv", ".ci-venv", ".mutation", "__pycache__", ".pytest_cache", ".hypothesis",
           "node_modules", "build", "dist", ".notelint_cache", "mutants"}
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test, pytest's internal error, a timeout (mutmut's stats.py)
SURVIVED = {0}
NO_TESTS = {5, 33}


def settings() -> tuple[dict, dict[str, list[str]]]:
    """pyproject's `[tool.mutmut]` (shared settings) and the module -> test files table."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    tool = data.get("tool", {})
    return tool.get("mutmut", {}), tool.get("notelint-mutation", {}).get("modules", {})


def staged_path(module: str) -> str:
    """Where `module` sits in the staging copy: `rules/x.py` is `notelint/rules/x.py`, as installed."""
    return "notelint/" + module if module.startswith("rules/") else module


def slug(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def copy_tree(dest: Path) -> None:
    """The repository as the tests see it, with `rules/` also placed inside the package."""
    def ignore(folder, names):
        return [n for n in names if n in SKIPPED or n.endswith(".egg-info")]
    shutil.copytree(REPO, dest, ignore=ignore, symlinks=True)
    shutil.copytree(REPO / "rules", dest / "notelint" / "rules", ignore=ignore)


def mutmut_section(base: dict, module: str, tests: list[str], also_copy: list[str]) -> str:
    """The `[tool.mutmut]` table of one module's staging copy (TOML arrays written as JSON)."""
    table = dict(base)
    table.update({
        "source_paths": ["notelint"],
        "only_mutate": [staged_path(module)],
        "also_copy": also_copy,
        "pytest_add_cli_args_test_selection": tests,
    })
    lines = ["[tool.mutmut]"]
    for key, value in table.items():
        lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def without_table(text: str, header: str) -> str:
    """`text` with the TOML table `header` (and its sub-tables) cut out."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("["):
            name = stripped.strip("[]").strip()
            skipping = name == header or name.startswith(header + ".")
        if not skipping:
            out.append(line)
    return "".join(out)


def stage(module: str, tests: list[str], base: dict, fresh: bool) -> Path:
    """Build (or reuse) the staging copy for `module`; a source change since the last run rebuilds it."""
    dest = STAGING / slug(module)
    stamp = dest / ".source-stamp"
    current = source_stamp()
    if dest.exists() and (fresh or not stamp.exists() or stamp.read_text() != current):
        shutil.rmtree(dest)
    if not dest.exists():
        copy_tree(dest)
        also_copy = sorted(p.name for p in dest.iterdir() if p.name != "notelint" and not p.name.startswith(".mutation"))
        pyproject = without_table((dest / "pyproject.toml").read_text("utf-8"), "tool.mutmut")
        pyproject = without_table(pyproject, "tool.notelint-mutation")
        (dest / "pyproject.toml").write_text(pyproject + "\n" + mutmut_section(base, module, tests, also_copy), "utf-8")
        stamp.write_text(current)
    return dest


def source_stamp() -> str:
    """Changes whenever a Python file of the package, rules or tests changes."""
    newest = []
    for folder in ("notelint", "rules", "tests"):
        for path in sorted((REPO / folder).rglob("*.py")):
            st = path.stat()
            newest.append(f"{path.relative_to(REPO)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(newest)


def run_module(dest: Path, max_children: int) -> int:
    # PYTHONPATH lets the tests' child processes import the mutants too. The folder must exist
    # before the interpreter starts: Python remembers a missing sys.path folder as "no finder",
    # and would then import the unmutated package from the install for the whole run.
    (dest / "mutants").mkdir(exist_ok=True)
    env = dict(os.environ, NOTELINT_MUTATION="1", PYTHONPATH=str(dest / "mutants"), PYTHONHASHSEED="0")
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    return subprocess.run(cmd, cwd=dest, env=env).returncode


def verdicts(dest: Path) -> dict[str, int | None]:
    """mutant name -> exit code of its test run, read from mutmut's `.meta` files."""
    out = {}
    for meta in (dest / "mutants").rglob("*.meta"):
        data = json.loads(meta.read_text("utf-8"))
        out.update(data.get("exit_code_by_key", {}))
    return out


def summary(codes: dict[str, int | None]) -> dict[str, int]:
    counts = {"mutants": len(codes), "killed": 0, "survived": 0, "no tests": 0, "other": 0}
    for code in codes.values():
        if code in KILLED:
            counts["killed"] += 1
        elif code in SURVIVED:
            counts["survived"] += 1
        elif code in NO_TESTS:
            counts["no tests"] += 1
        else:
            counts["other"] += 1
    return counts


def score(counts: dict[str, int]) -> float:
    return 100.0 * counts["killed"] / counts["mutants"] if counts["mutants"] else 0.0


def score_without_equivalents(counts: dict[str, int]) -> float:
    rest = counts["mutants"] - counts["equivalent"]
    return 100.0 * counts["killed"] / rest if rest else 0.0


def equivalents() -> dict[str, dict[str, dict[str, str]]]:
    """module -> mutant name -> {"line": the mutated line, "why": why no test can tell it apart}."""
    if not EQUIVALENTS.exists():
        return {}
    return tomllib.loads(EQUIVALENTS.read_text("utf-8"))


def mutant_source(dest: Path, module: str, mutant: str) -> str | None:
    """The source of one mutant's function in the staging copy, or None if there is no such mutant."""
    path = dest / "mutants" / staged_path(module)
    if not path.exists():
        return None
    name = mutant.rsplit(".", 1)[-1]
    text = path.read_text("utf-8")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            # mutmut renames the function (x_name__mutmut_3, xǁClassǁname__mutmut_3); give the def
            # line its own name back so an entry for a mutated default argument still matches.
            own = name.rsplit("__mutmut_", 1)[0].split("ǁ")[-1].removeprefix("x_")
            source = ast.get_source_segment(text, node)
            return source + "\n" + source.replace(f"def {name}(", f"def {own}(", 1)
    return None


def mutated_lines(dest: Path, module: str, mutant: str) -> list[str]:
    """The lines one mutant changed (stripped), found by comparing its function with mutmut's
    `__mutmut_orig` copy; a mutated default argument gives the def line under the function's own name."""
    name = mutant.rsplit(".", 1)[-1]
    path = dest / "mutants" / staged_path(module)
    if "__mutmut_" not in name or not path.exists():
        return []
    text = path.read_text("utf-8")
    stem = name.rsplit("__mutmut_", 1)[0]
    own = stem.split("ǁ")[-1].removeprefix("x_")
    found = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in (name, stem + "__mutmut_orig"):
            source = ast.get_source_segment(text, node).replace(f"def {node.name}(", f"def {own}(", 1)
            found[node.name] = source.splitlines()
    if len(found) != 2:
        return []
    before, after = found[stem + "__mutmut_orig"], found[name]
    if len(before) != len(after):  # a deleted or added line: every line that differs from here on
        return [a.strip() for a in after if a not in before]
    return [a.strip() for b, a in zip(before, after) if a != b]


def explain(dest: Path, module: str, codes: dict[str, int | None], listed: dict[str, dict[str, str]]):
    """(equivalent survivors, stale entries): an entry is stale when its mutant is killed, gone, or
    no longer holds the recorded line."""
    equivalent, stale = [], []
    for name, entry in listed.items():
        source = mutant_source(dest, module, name) if name in codes else None
        if source is None or codes.get(name) in KILLED or entry.get("line", "").strip() not in source:
            stale.append(name)
        else:
            equivalent.append(name)
    return equivalent, stale


def toml_string(value: str) -> str:
    """A TOML basic string in the file's ASCII-only form (JSON's escapes, but no surrogate pairs)."""
    return "".join(c if ord(c) < 0x80 else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
                   for c in json.dumps(value, ensure_ascii=False))


def rerecord(dest: Path, module: str, codes: dict[str, int | None], listed: dict[str, dict[str, str]]) -> int:
    """Replace, in mutation-equivalents.toml, each of `module`'s entries that records the mutant's renamed
    `def` line by the line the mutant changed, so that the entry goes stale on an edit of that line.
    Entries of killed or vanished mutants are left for the stale report; returns how many changed."""
    text = EQUIVALENTS.read_text("utf-8")
    changed = 0
    for name, entry in listed.items():
        line = entry.get("line", "")
        if not line.startswith("def x") or name not in codes or codes[name] in KILLED:
            continue
        mutated = mutated_lines(dest, module, name)
        if not mutated:
            continue
        old = f"{toml_string(name)} = {{ line = {toml_string(line)},"
        if old not in text:
            print(f"  {name}: entry not in the one-line form, left as it is", file=sys.stderr)
            continue
        text = text.replace(old, f"{toml_string(name)} = {{ line = {toml_string(mutated[0])},", 1)
        changed += 1
    EQUIVALENTS.write_text(text, "utf-8")
    return changed


def module_of(mutant: str, modules: dict[str, list[str]]) -> str | None:
    """The module a mutant name such as `notelint.rules.duplicate_image.x_f__mutmut_3` belongs to."""
    dotted = {staged_path(m).removesuffix(".py").replace("/", "."): m for m in modules}
    owners = [d for d in dotted if mutant.startswith(d + ".")]
    return dotted[max(owners, key=len)] if owners else None


def try_mutant(mutant: str, modules: dict[str, list[str]], extra: list[str]) -> int:
    """Run the work tree's tests of the mutant's module with that mutant switched on; 0 = killed."""
    module = module_of(mutant, modules)
    if module is None:
        print(f"{mutant}: no module of [tool.notelint-mutation.modules] owns it", file=sys.stderr)
        return 2
    mutants = STAGING / slug(module) / "mutants"
    if not mutants.is_dir():
        print(f"{mutant}: no staging copy; run `python tools/mutation.py {module}` first", file=sys.stderr)
        return 2
    # the pytest script, not `python -m pytest`: that puts the work tree first on sys.path, and the
    # unmutated package would be imported in place of the staging copy's
    pytest = Path(sys.executable).with_name("pytest")
    env = dict(os.environ, NOTELINT_MUTATION="1", PYTHONPATH=str(mutants), MUTANT_UNDER_TEST=mutant,
               PYTHONHASHSEED="0")
    tests = extra or [str(REPO / t) for t in modules[module]]
    code = subprocess.run([str(pytest), "-q", "-x", "-p", "no:randomly", *tests], cwd=REPO, env=env).returncode
    print(f"{mutant}: {'killed' if code == 1 else 'survived' if code == 0 else f'pytest exit {code}'}")
    return 0 if code == 1 else 1


def main(argv: list[str] | None = None) -> int:
    base, modules = settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all in [tool.notelint-mutation.modules]); "
                        "a name such as `writer` or `rules/duplicate_image` is enough")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--fresh", action="store_true", help="rebuild the staging copies and forget earlier verdicts")
    parser.add_argument("--survivors", action="store_true", help="list every mutant not killed")
    parser.add_argument("--report-only", action="store_true", help="print the last run's results, run nothing")
    parser.add_argument("--rerecord", action="store_true",
                        help="with --report-only: rewrite equivalents that record a mutant's renamed def line "
                             "with the line the mutant changed (from the last run's staging copy)")
    parser.add_argument("--try", dest="try_mutant", metavar="MUTANT",
                        help="run the work tree's tests (or the test files given as MODULES) against one mutant "
                             "of the last run; exit 0 if they kill it")
    args = parser.parse_args(argv)
    if args.try_mutant:
        return try_mutant(args.try_mutant, modules, args.modules)

    chosen = [m for m in modules if not args.modules or any(m == a or slug(m).endswith(a.replace("/", ".").removesuffix(".py")) for a in args.modules)]
    if not chosen:
        parser.error(f"no module matches {args.modules}; known: {', '.join(modules)}")
    results, failed = {}, []
    listed = equivalents()
    started = time.monotonic()
    for module in chosen:
        dest = STAGING / slug(module)
        if not args.report_only:
            dest = stage(module, modules[module], base, args.fresh)
            t0 = time.monotonic()
            code = run_module(dest, args.max_children)
            if code != 0:
                print(f"mutmut failed on {module} (exit {code}); see the output above", file=sys.stderr)
                failed.append(module)
                continue
            print(f"{module}: {time.monotonic() - t0:.0f} s")
        codes = verdicts(dest) if dest.exists() else {}
        if args.rerecord and dest.exists():
            print(f"{module}: {rerecord(dest, module, codes, listed.get(module, {}))} entries re-recorded")
            listed = equivalents()
        equivalent, stale = explain(dest, module, codes, listed.get(module, {}))
        counts = summary(codes)
        counts["equivalent"] = len(equivalent)
        results[module] = {"counts": counts, "equivalent": sorted(equivalent), "stale equivalents": sorted(stale),
                           "not killed": sorted(n for n, c in codes.items() if c not in KILLED and n not in equivalent)}
    keys = ("mutants", "killed", "survived", "no tests", "other", "equivalent")
    total = {k: sum(r["counts"].get(k, 0) for r in results.values()) for k in keys}
    print(f"\n{'module':36} {'mutants':>7} {'killed':>7} {'survived':>8} {'no tests':>8} {'other':>5} "
          f"{'equiv.':>6} {'score':>7} {'w/o eq.':>7}")
    for module, c in [*((m, r["counts"]) for m, r in results.items()), ("total", total)]:
        c.setdefault("equivalent", 0)
        print(f"{module:36} {c['mutants']:7} {c['killed']:7} {c['survived']:8} {c['no tests']:8} {c['other']:5} "
              f"{c['equivalent']:6} {score(c):6.1f}% {score_without_equivalents(c):6.1f}%")
    print("score = killed / mutants; w/o eq. = killed / (mutants - equivalent survivors listed in "
          "tools/mutation-equivalents.toml)")
    for module, r in results.items():
        for name in r["stale equivalents"]:
            print(f"  stale entry in mutation-equivalents.toml: {module}: {name} (killed, gone or changed)")
    if not args.report_only:
        print(f"wall time {time.monotonic() - started:.0f} s")
    if args.survivors:
        for module, r in results.items():
            for name in r["not killed"]:
                print(f"  {module}: {name}")
    STAGING.mkdir(exist_ok=True)
    saved = STAGING / "results.json"  # every module's last run, so runs of single modules add up
    every = json.loads(saved.read_text("utf-8")).get("modules", {}) if saved.exists() else {}
    every.update(results)
    saved.write_text(json.dumps({"modules": every}, indent=1), "utf-8")
    if failed:
        print(f"mutmut could not run on: {', '.join(failed)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
