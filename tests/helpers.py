"""Shared test helpers: run the real CLI, and compare against golden files.

Set NOTELINT_UPDATE_GOLDEN=1 to rewrite golden files from the current output (then read
the diff before committing it)."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("NOTELINT_UPDATE_GOLDEN") == "1"


def run_cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "NOTELINT_OUTPUT_FORMAT"}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "notelint", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


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

