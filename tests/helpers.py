"""Shared test helpers: run the real CLI, and compare against golden files.

Set NOTELINT_UPDATE_GOLDEN=1 to rewrite golden files from the current output (then read
the diff before committing it)."""

import contextlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("NOTELINT_UPDATE_GOLDEN") == "1"
# tools/mutation.py sets this: the CLI then runs in the test's own process, where mutmut can see
# which functions each test reaches (a child process's calls are invisible to it)
MUTATION = os.environ.get("NOTELINT_MUTATION") == "1"
# tests that time a signal against a child process: under mutmut the child runs through its
# trampolines and the timing no longer holds, so a mutant would be "killed" by the clock
# hypothesis examples per property: every surviving mutant runs the whole selection, so under
# mutmut the properties run a quarter of their examples (a killed mutant stops at the first failure)
def examples(n: int) -> int:
    return max(10, n // 4) if MUTATION else n


NOT_UNDER_MUTATION = {"condition": MUTATION, "reason": "times a signal against a child process"}
# the 30-second budgets on huge inputs: 35 s of every surviving source mutant's 48 s; they time the
# whole pipeline, and the smaller tests beside them pin what those inputs must produce
TOO_SLOW_FOR_MUTATION = {"condition": MUTATION, "reason": "a time budget on a huge input, too slow for every mutant"}


def run_cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "NOTELINT_OUTPUT_FORMAT"}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    if MUTATION:
        return _run_in_process(list(args), cwd, full_env)
    return subprocess.run([sys.executable, "-m", "notelint", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def _run_in_process(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """`run_cli` without a child process: same arguments, working folder, environment and streams."""
    from notelint.cli import main

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    os.environ.clear()
    os.environ.update(env)
    time.tzset()  # a TZ the test sets must reach the timestamp rule, as in a child process
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        time.tzset()
    out.flush()
    err.flush()
    return subprocess.CompletedProcess(["notelint", *args], code, _as_text(out), _as_text(err))


def _as_text(stream: io.TextIOWrapper) -> str:
    """What `subprocess.run(text=True)` would give: decoded, with universal newlines."""
    return stream.buffer.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (vault-relative name -> text or bytes) under `root`, making folders."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def assert_golden(path: Path, actual: str | bytes) -> None:
    """Compare with a golden file, or write it when updating."""
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"missing golden file {path}; run with NOTELINT_UPDATE_GOLDEN=1"
    expected = path.read_bytes()
    if isinstance(actual, str):
        assert actual == expected.decode("utf-8")
    else:
        assert actual == expected, f"{path} differs"



def settled_runs_in(root: Path, monkeypatch) -> None:
    """Run the CLI in-process in `root`, one process, with every file looking older than the
    cache's "racy" window (cache.py): files a test has just written are then remembered by their
    stat signatures, as they would be a few seconds later."""
    from notelint import cache as cache_mod

    monkeypatch.chdir(root)
    monkeypatch.setenv("NOTELINT_JOBS", "1")
    real_ns = time.time_ns
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: real_ns() + 10 * cache_mod.RACY_NS)


def fixed(rule, text: str, rel: str = "note.md") -> str:
    """The note's text once one rule's fixes (unsafe ones too) are applied until nothing changes,
    as `notelint fix --unsafe-fixes` would for that rule alone."""
    from notelint import edits
    from notelint.note import Note

    for _ in range(100):
        fixes = [(f.code, f.fix) for f in rule.check(Note.from_text(text, rel)) if f.fix is not None]
        if not fixes:
            return text
        new = edits.apply(text, edits.choose(fixes))
        if new == text:
            return text
        text = new
    raise AssertionError(f"{rule.name}: the fixes never settle")
