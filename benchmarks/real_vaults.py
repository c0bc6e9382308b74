#!/usr/bin/env python3
"""Measure notelint on real vaults: how many findings an owner would accept, and whether `fix`
breaks a reference that worked (issue 16's two goals).

    python3 benchmarks/real_vaults.py CORPUS [CORPUS ...] [--venv DIR | --notelint CMD] [--out DIR]

A CORPUS is a folder holding the vault (or Dendron workspace) under `CORPUS/root/` and, next to
it, `CORPUS/judgements.json`; a folder without `root/` is taken as the vault itself, its
judgements in `<folder>.judgements.json`. Third-party vaults stay outside the repository: this
script only reads them, and runs `fix` on a temporary copy.

For each corpus it:

1. runs `notelint check --no-cache --format json .` in the vault root and groups the findings by
   rule and by message pattern (quoted text and numbers blanked out);
2. keys every finding by `path::rule::text of its line::n` (n counts identical keys in order), so
   a judgement survives line moves and can be re-applied to a later notelint version; the
   judgement file maps keys to `{"verdict": "right" | "wrong" | "artefact", "reason": ...}`
   (`artefact`: a flaw of the sample, not of notelint, such as a target note not collected) and
   gives the precision of the findings other than whitespace: right / (right + wrong);
3. copies the vault, runs `notelint fix --no-cache .` on the copy and checks, note by note, that
   no reference that resolved before stops resolving, by notelint's own resolver (new
   dangling-link or dangling-image findings) and by an independent check of the apps' rules
   (`independent_refs` below: the target file exists where Obsidian or Dendron would look).

It writes `report.md` and `report.json` (and `fix.diff`) in `--out` (default: each corpus folder)
and, with `--unjudged FILE`, the keys still to judge with their line and message.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import unquote

WHITESPACE_RULES = {"whitespace"}
VERDICTS = ("right", "wrong", "artefact")
SKIP_DIRS = {".git", ".obsidian", ".notelint_cache", ".trash", "node_modules", ".next"}


# --------------------------------------------------------------------------- running notelint


def notelint_command(args) -> list[str]:
    if args.venv:
        return [str(Path(args.venv) / "bin" / "notelint")]
    return args.notelint.split()


def run_check(cmd: list[str], root: Path, extra: list[str] | None = None) -> list[dict]:
    """Findings of `notelint check --no-cache --format json .` run in the vault root."""
    done = subprocess.run([*cmd, "check", "--no-cache", "--format", "json", *(extra or []), "."],
                          cwd=root, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"notelint check failed in {root} (exit {done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout or "[]")


def run_fix(cmd: list[str], root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*cmd, "fix", "--no-cache", "."], cwd=root, capture_output=True, text=True)


# --------------------------------------------------------------------------- keys and patterns


def line_text(root: Path, rel: str, line: int, cache: dict) -> str:
    """The stripped text of a finding's line ("" for binary files or lines past the end)."""
    if rel not in cache:
        try:
            cache[rel] = (root / rel).read_bytes().decode("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            cache[rel] = []
    lines = cache[rel]
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def finding_keys(findings: list[dict], root: Path) -> list[str]:
    """`path::rule::line text::n` for each finding, n counting earlier identical keys."""
    cache: dict = {}
    seen: Counter = Counter()
    keys = []
    for f in sorted(findings, key=lambda f: (f["path"], f["line"], f["column"], f["rule"], f["message"])):
        base = f"{f['path']}::{f['rule']}::{line_text(root, f['path'], f['line'], cache)}"
        keys.append((f, f"{base}::{seen[base]}"))
        seen[base] += 1
    return keys


def message_pattern(message: str) -> str:
    """A message with what varies blanked out, so findings of one cause group together."""
    text = re.sub(r"`[^`]*`", "`…`", message)
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r'"[^"]*"', '"…"', text)
    text = re.sub(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{8,}", "…", text)  # ids, hashes
    text = re.sub(r"\d+", "N", text)
    return text


# --------------------------------------------------------------------------- independent resolution


FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
WIKI = re.compile(r"(!?)\[\[([^\[\]]+?)\]\]")
MD_LINK = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
HTML_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)
REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//|#)")


def prose(text: str) -> str:
    """The note's text with front matter, fenced code, code spans and comments blanked out
    (links there are not links in either app)."""
    if text.startswith("---\n") or text.startswith("---\r\n"):
        end = re.search(r"^---[ \t]*\r?$", text[4:], re.M)
        if end:
            text = " " * (4 + end.end()) + text[4 + end.end():]
    out, fence = [], None
    for line in text.split("\n"):
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            out.append("")
            continue
        if m:
            fence = m.group(1)
            out.append("")
            continue
        out.append(line)
    text = "\n".join(out)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"%%.*?%%", " ", text, flags=re.S)
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", " ", text, flags=re.S)


class Files:
    """Every file under the vault root, by lower-cased path and lower-cased name."""

    def __init__(self, root: Path):
        self.root = root
        self.paths: set[str] = set()
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            rel = Path(folder).relative_to(root).as_posix()
            for name in names:
                self.paths.add(name if rel == "." else f"{rel}/{name}")
        self.lower = {p.lower(): p for p in self.paths}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for p in self.paths:
            self.by_name[posixpath.basename(p).lower()].append(p)

    def get(self, rel: str) -> str | None:
        return self.lower.get(posixpath.normpath(rel).lower()) if rel else None


def dendron_vaults(root: Path) -> list[tuple[str, str]]:
    """(name, fsPath) of the vaults `dendron.yml` lists: `workspace.vaults` (current) or the
    top-level `vaults` (older files); name defaults to the folder name. Source: Dendron's
    `DendronConfig`/`DVault` (dendronhq/dendron `packages/common-all/src/types/workspace.ts`)."""
    text = (root / "dendron.yml").read_text(encoding="utf-8")
    try:
        import yaml

        data = yaml.safe_load(text) or {}
        vaults = (data.get("workspace") or {}).get("vaults") or data.get("vaults") or []
        found = [(v.get("name") or posixpath.basename(v["fsPath"].rstrip("/")), v["fsPath"].rstrip("/"))
                 for v in vaults if isinstance(v, dict) and v.get("fsPath")]
    except ImportError:
        found = [(posixpath.basename(p), p) for p in re.findall(r"fsPath:\s*['\"]?([^'\"\n]+)", text)]
    return found or [("vault", ".")]


def _wiki_target(inner: str, flavor: str) -> str:
    """The file part of `[[…]]`: no alias, no `#anchor`; table-escaped pipes allowed.
    Obsidian writes `[[target|alias]]`, Dendron `[[alias|target]]` (Dendron docs, wiki links)."""
    inner = inner.replace("\\|", "|")
    if "|" in inner:
        inner = inner.split("|", 1)[1] if flavor == "dendron" else inner.split("|", 1)[0]
    return inner.split("#", 1)[0].strip()


def independent_refs(root: Path) -> dict[str, list[tuple[str, bool]]]:
    """For each note, its references in order as (reference as written, target file exists).

    Obsidian (help: Internal links, Embed files; observed order in obsidian-and-dendron.md §3):
    a wikilink names a vault path or a file name anywhere in the vault (`.md` implied for notes,
    case ignored); a Markdown destination is percent-decoded, relative to the note's folder or
    to the root with `/`, and is also looked up by file name vault-wide.
    Dendron (docs: links, note references, images): `[[x.y]]` is `x.y.md` in the note's vault or
    in the vault `dendron://name/` names; `[[path/file.ext]]` is relative to the workspace root or
    the vault; a Markdown destination starting with `/` is relative to the note's vault root.
    Only existence is checked, never anchors.
    """
    files = Files(root)
    flavor = "dendron" if (root / "dendron.yml").exists() else "obsidian"
    vaults = dendron_vaults(root) if flavor == "dendron" else [("", ".")]
    by_name = {name: path for name, path in vaults}
    refs: dict[str, list[tuple[str, bool]]] = {}
    for rel in sorted(p for p in files.paths if p.lower().endswith(".md")):
        vault = next((path for _, path in vaults if path == "." or rel.startswith(path + "/")), None)
        if flavor == "dendron" and vault is None:
            continue  # outside every vault: not a note of the workspace
        try:
            text = (root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        body = prose(text)
        found = []
        for m in WIKI.finditer(body):
            target = _wiki_target(m.group(2), flavor)
            if not target or "*" in target:
                found.append((m.group(0), True))  # a link into this note, or a Dendron wildcard
                continue
            found.append((m.group(0), _wiki_exists(files, flavor, rel, vault, by_name, target)))
        for m in MD_LINK.finditer(body):
            dest = m.group(2).strip("<>")
            if REMOTE.match(dest):
                continue
            found.append((m.group(0), _path_exists(files, flavor, rel, vault, dest)))
        for m in HTML_IMG.finditer(body):
            if not REMOTE.match(m.group(1)):
                found.append((m.group(0), _path_exists(files, flavor, rel, vault, m.group(1))))
        refs[rel] = found
    return refs


def _wiki_exists(files: Files, flavor: str, note: str, vault: str | None, by_name: dict, target: str) -> bool:
    if flavor == "dendron":
        m = re.match(r"dendron://([^/]*)/(.*)", target)
        if m:
            vault, target = by_name.get(m.group(1), vault), m.group(2)
        prefix = "" if vault in (None, ".") else vault + "/"
        if "/" in target or (posixpath.splitext(target)[1] and not re.fullmatch(r"[\w.-]+", target)):
            return bool(files.get(target) or files.get(prefix + target))
        return bool(files.get(f"{prefix}{target}.md") or files.get(prefix + target)
                    or files.get(target))
    name = target if posixpath.splitext(target)[1] else target + ".md"
    if files.get(name) or files.get(target):
        return True
    base = posixpath.basename(name).lower()
    suffix = "/" + name.lower()
    return any(p.lower().endswith(suffix) or p.lower() == name.lower() for p in files.by_name.get(base, []))


def _path_exists(files: Files, flavor: str, note: str, vault: str | None, dest: str) -> bool:
    path = unquote(dest.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return True
    if path.startswith("/"):
        base = "" if flavor == "obsidian" or vault in (None, ".") else vault
        if files.get(posixpath.join(base, path.lstrip("/"))):
            return True
    elif files.get(posixpath.join(posixpath.dirname(note), path)):
        return True
    if flavor == "obsidian":  # Obsidian also finds a Markdown destination by its file name
        return bool(files.by_name.get(posixpath.basename(path).lower()))
    return False


# --------------------------------------------------------------------------- fix safety


def broken_references(before: dict, after: dict) -> list[dict]:
    """References that resolved before `fix` and do not after, note by note: pairwise when the
    note has as many references as before, else by the set of references that resolved."""
    broken = []
    for note, refs in before.items():
        new = after.get(note)
        if new is None:
            broken.extend({"note": note, "before": r, "after": "(note gone)"} for r, ok in refs if ok)
        elif len(new) == len(refs):
            broken.extend({"note": note, "before": r, "after": n} for (r, ok), (n, ok2) in zip(refs, new)
                          if ok and not ok2)
        else:
            still = {r for r, ok in new if ok}
            broken.extend({"note": note, "before": r, "after": "(not found after fix)"}
                          for r, ok in refs if ok and r not in still)
    return broken


def fix_safety(cmd: list[str], root: Path) -> dict:
    """Run `fix` on a copy; what it changed and which working references it broke."""
    with tempfile.TemporaryDirectory(prefix="nl-real-") as tmp:
        copy = Path(tmp) / "vault"
        shutil.copytree(root, copy, symlinks=True)
        before_files = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
        refs_before = independent_refs(copy)
        dangling = ["--select", "dangling-link,dangling-image"]
        nl_before = run_check(cmd, copy, dangling)
        done = run_fix(cmd, copy)
        refs_after = independent_refs(copy)
        nl_after = run_check(cmd, copy, dangling)
        diff, changed = [], []
        for path, old in sorted(before_files.items()):
            new = path.read_bytes() if path.exists() else b""
            if new != old:
                rel = path.relative_to(copy).as_posix()
                changed.append(rel)
                diff.extend(difflib.unified_diff(old.decode("utf-8", "replace").splitlines(True),
                                                 new.decode("utf-8", "replace").splitlines(True),
                                                 f"a/{rel}", f"b/{rel}"))
    outside = []
    if (root / "dendron.yml").exists():  # files of the workspace that no vault holds are not notes
        folders = [path for _, path in dendron_vaults(root)]
        outside = [p for p in changed if not any(f == "." or p.startswith(f + "/") for f in folders)]
    old_keys = Counter((f["path"], f["rule"], f["message"]) for f in nl_before)
    new_dangling = [f for f in nl_after if old_keys[(f["path"], f["rule"], f["message"])] == 0]
    return {
        "fix_exit": done.returncode,
        "fix_stderr": done.stderr.strip()[-2000:],
        "files_changed": changed,
        "changed_outside_vaults": outside,
        "diff": "".join(diff),
        "broken_independent": broken_references(refs_before, refs_after),
        "new_dangling_notelint": [{k: f[k] for k in ("path", "line", "rule", "message")} for f in new_dangling],
        "references_checked": sum(len(v) for v in refs_before.values()),
        "references_resolved_before": sum(ok for v in refs_before.values() for _, ok in v),
    }


# --------------------------------------------------------------------------- judging and reports


def load_judgements(path: Path) -> dict:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    judged = data.get("judgements", data)
    bad = {k: v for k, v in judged.items() if v.get("verdict") not in VERDICTS}
    if bad:
        raise SystemExit(f"{path}: unknown verdicts for {len(bad)} keys, e.g. {next(iter(bad))}")
    return judged


def evaluate(corpus: Path, cmd: list[str], check_fix: bool) -> dict:
    root = corpus / "root" if (corpus / "root").is_dir() else corpus
    jpath = corpus / "judgements.json" if root != corpus else corpus.with_name(corpus.name + ".judgements.json")
    findings = run_check(cmd, root)
    judged = load_judgements(jpath)
    rows = []
    for f, key in finding_keys(findings, root):
        j = judged.get(key, {})
        rows.append({**{k: f.get(k) for k in ("path", "line", "column", "rule", "message", "fixable")},
                     "key": key, "pattern": message_pattern(f["message"]),
                     "line_text": key.split("::")[2], "verdict": j.get("verdict"),
                     "reason": j.get("reason", ""), "label": j.get("pattern", "")})
    result = {"corpus": str(corpus), "root": str(root), "judgements": str(jpath),
              "notes": sum(1 for p in root.rglob("*.md") if not set(p.relative_to(root).parts) & SKIP_DIRS),
              "findings": rows, "summary": summarize(rows)}
    if check_fix:
        result["fix"] = fix_safety(cmd, root)
    return result


def summarize(rows: list[dict]) -> dict:
    per_rule: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        c = per_rule[r["rule"]]
        c["findings"] += 1
        c[r["verdict"] or "unjudged"] += 1
    lint = [r for r in rows if r["rule"] not in WHITESPACE_RULES]
    right = sum(r["verdict"] == "right" for r in lint)
    wrong = sum(r["verdict"] == "wrong" for r in lint)
    return {
        "findings": len(rows),
        "whitespace": len(rows) - len(lint),
        "other": len(lint),
        "right": right,
        "wrong": wrong,
        "artefact": sum(r["verdict"] == "artefact" for r in lint),
        "unjudged": sum(r["verdict"] is None for r in lint),
        "precision": round(right / (right + wrong), 4) if right + wrong else None,
        "per_rule": {rule: dict(c) for rule, c in sorted(per_rule.items())},
    }


def pct(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def markdown(results: list[dict], command: str) -> str:
    out = ["# notelint on real vaults", "", f"Command: `{command}`", "",
           "| corpus | notes | findings | whitespace | other | right | wrong | artefact | unjudged | precision |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        s = r["summary"]
        out.append(f"| {Path(r['corpus']).name} | {r['notes']} | {s['findings']} | {s['whitespace']} | {s['other']} "
                   f"| {s['right']} | {s['wrong']} | {s['artefact']} | {s['unjudged']} | {pct(s['precision'])} |")
    total = summarize([row for r in results for row in r["findings"]])
    out.append(f"| **all** | {sum(r['notes'] for r in results)} | {total['findings']} | {total['whitespace']} "
               f"| {total['other']} | {total['right']} | {total['wrong']} | {total['artefact']} | {total['unjudged']} "
               f"| {pct(total['precision'])} |")
    out += ["", "Precision = right / (right + wrong) over findings other than whitespace; `artefact` findings "
            "(flaws of the sample) and unjudged ones are left out.", ""]
    for r in results:
        name = Path(r["corpus"]).name
        out += [f"## {name}", "", "| rule | findings | right | wrong | artefact | unjudged |", "|---|---|---|---|---|---|"]
        for rule, c in r["summary"]["per_rule"].items():
            out.append(f"| {rule} | {c.get('findings', 0)} | {c.get('right', 0)} | {c.get('wrong', 0)} "
                       f"| {c.get('artefact', 0)} | {c.get('unjudged', 0)} |")
        labels: dict[str, Counter] = defaultdict(Counter)
        for row in r["findings"]:
            if row["verdict"]:
                labels[row["label"] or "-"][row["verdict"]] += 1
        if labels:
            out += ["", "### Judged patterns (the judgement file's `pattern` labels)", "",
                    "| label | right | wrong | artefact |", "|---|---|---|---|"]
            for label, c in sorted(labels.items(), key=lambda kv: -sum(kv[1].values())):
                out.append(f"| {label} | {c['right']} | {c['wrong']} | {c['artefact']} |")
        out += ["", "### Message patterns", ""]
        groups: dict[tuple, list] = defaultdict(list)
        for row in r["findings"]:
            groups[(row["rule"], row["pattern"])].append(row)
        for (rule, pattern), rows in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            verdicts = Counter(x["verdict"] or "unjudged" for x in rows)
            out.append(f"- **{rule}** ×{len(rows)} ({', '.join(f'{k} {v}' for k, v in sorted(verdicts.items()))}): "
                       f"{pattern}")
            for x in rows[:2]:
                out.append(f"  - `{x['path']}:{x['line']}` {x['message']}")
        if "fix" in r:
            fx = r["fix"]
            out += ["", "### fix on a copy", "",
                    f"- exit {fx['fix_exit']}; {len(fx['files_changed'])} files changed"
                    + (f", {len(fx['changed_outside_vaults'])} of them outside every Dendron vault: "
                       + ", ".join(f"`{p}`" for p in fx["changed_outside_vaults"]) if fx["changed_outside_vaults"] else ""),
                    f"- references checked (independent resolver): {fx['references_checked']}, "
                    f"resolving before fix: {fx['references_resolved_before']}",
                    f"- broken by fix (independent resolver): **{len(fx['broken_independent'])}**",
                    f"- new dangling findings after fix (notelint's resolver): **{len(fx['new_dangling_notelint'])}**"]
            for b in fx["broken_independent"][:20]:
                out.append(f"  - `{b['note']}`: `{b['before']}` → `{b['after']}`")
            for b in fx["new_dangling_notelint"][:20]:
                out.append(f"  - `{b['path']}:{b['line']}` {b['message']}")
        out.append("")
    return "\n".join(out)


def write_unjudged(results: list[dict], path: Path) -> int:
    """A judgement skeleton of what is still unjudged (fill `verdict` and `reason`)."""
    todo = {}
    for r in results:
        for row in r["findings"]:
            if row["verdict"] is None and row["rule"] not in WHITESPACE_RULES:
                todo[row["key"]] = {"verdict": "", "reason": "", "where": f"{row['path']}:{row['line']}",
                                    "message": row["message"], "corpus": Path(r["corpus"]).name}
    path.write_text(json.dumps(todo, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(todo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--notelint", default="notelint", help="command that runs notelint (default: on PATH)")
    parser.add_argument("--venv", help="a virtualenv whose bin/notelint to run")
    parser.add_argument("--out", type=Path, help="folder for report.md/report.json/fix.diff (default: first corpus)")
    parser.add_argument("--no-fix", action="store_true", help="skip the fix-safety run")
    parser.add_argument("--unjudged", type=Path, help="write the findings still to judge to this JSON file")
    args = parser.parse_args(argv)
    cmd = notelint_command(args)
    results = [evaluate(c.resolve(), cmd, not args.no_fix) for c in args.corpora]
    out = args.out or args.corpora[0]
    out.mkdir(parents=True, exist_ok=True)
    command = " ".join([Path(sys.argv[0]).name if argv is None else "real_vaults.py",
                        *(sys.argv[1:] if argv is None else argv)])
    (out / "report.md").write_text(markdown(results, command), encoding="utf-8")
    (out / "fix.diff").write_text("".join(r.get("fix", {}).get("diff", "") for r in results), encoding="utf-8")
    for r in results:
        r.get("fix", {}).pop("diff", None)
    (out / "report.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    total = summarize([row for r in results for row in r["findings"]])
    print(f"{total['findings']} findings, {total['other']} other than whitespace: right {total['right']}, "
          f"wrong {total['wrong']}, artefact {total['artefact']}, unjudged {total['unjudged']}; "
          f"precision {pct(total['precision'])}")
    for r in results:
        if "fix" in r:
            print(f"{Path(r['corpus']).name}: fix changed {len(r['fix']['files_changed'])} files, broke "
                  f"{len(r['fix']['broken_independent'])} references (independent), "
                  f"{len(r['fix']['new_dangling_notelint'])} new dangling findings (notelint)")
    if args.unjudged:
        print(f"{write_unjudged(results, args.unjudged)} findings to judge written to {args.unjudged}")
    print(f"report: {out / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
