"""Lean start-up: heavy libraries load only when a run needs them, and `--version` is quick."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

HEAVY = ("PIL", "imagehash", "numpy", "scipy", "pywt", "ruamel", "ruamel.yaml")

PROBE = """
import contextlib, io, json, sys
from notelint.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _loaded(*args: str, cwd: Path) -> list[str]:
    import json

    result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], cwd=cwd,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("args", [("--version",), ("rules",), ("rules", "--format", "json"), ("rule", "whitespace")])
def test_commands_that_lint_nothing_import_no_heavy_library(args, tmp_path):
    assert _loaded(*args, cwd=tmp_path) == []


def test_checking_notes_without_images_imports_no_image_library(tmp_path):
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\n# A\n\nText with a #tag and [[b]].\n", "utf-8")
    (tmp_path / "b.md").write_text("# B\n", "utf-8")
    assert _loaded("check", "--no-cache", ".", cwd=tmp_path) == []


def _best_of(n: int, argv: list[str]) -> float:
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True, timeout=60)
        best = min(best, time.perf_counter() - t)
    return best


def test_version_answers_within_150_ms():
    exe = Path(sys.executable).with_name("notelint")
    argv = [str(exe), "--version"] if exe.exists() else [sys.executable, "-m", "notelint", "--version"]
    # the best of several runs: the machine is shared, and the goal is about notelint's own cost
    assert _best_of(7, argv) < 0.150


def test_a_frontmatter_only_run_never_parses_markdown(tmp_path, monkeypatch):
    """Parsing is lazy: with only frontmatter rules selected, the Markdown parser never runs."""
    from notelint import cli, markdown

    (tmp_path / "dendron.yml").write_text("version: 5\n", "utf-8")
    for i in range(30):
        (tmp_path / f"n{i}.md").write_text(f"---\nid: n{i}\ntitle: N{i}\nbad: [\n---\n# N\n\n- #tag [[x]] ![](i.png)\n",
                                           "utf-8")
    calls = []
    real = markdown.parse
    monkeypatch.setattr(markdown, "parse", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setenv("NOTELINT_JOBS", "1")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--no-cache", "--select", "frontmatter-syntax", "-q", "."]) == 1
    assert calls == []
    assert cli.main(["check", "--no-cache", "--select", "frontmatter-syntax,whitespace", "-q", "."]) == 1
    assert calls, "the counter counts: whitespace needs the Markdown (code blocks keep their spaces)"
