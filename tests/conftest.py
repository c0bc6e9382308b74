"""Session-wide guard: the tests leave the work tree as they found it.

A test that runs notelint on a fixture vault or on examples/sample-vault in place writes
`.notelint_cache/` there (git does not show it: the folder ignores itself), and one that fixes
in place would rewrite the fixtures. Tests copy what they change to `tmp_path`, or pass
`--no-cache` where the cache is not under test. This guard lists every file under the repository
before the first test and after the last one, and fails the run naming each file that appeared,
vanished or was rewritten.
"""

from __future__ import annotations

import os

import pytest

from helpers import GOLDEN, MUTATION, REPO, UPDATE

# Folders of tools, not of the project: the virtualenvs, Python's and pytest's caches, and
# hypothesis's example database (`.hypothesis/`, kept on purpose to replay failures).
SKIPPED = {".git", ".venv", ".ci-venv", ".mutation", "__pycache__", ".pytest_cache", ".hypothesis", "node_modules", "build", "dist"}


def tree(root=REPO) -> dict[str, tuple[int, int]]:
    """Every file under the repository (tool folders left out) with its size and mtime."""
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED and not d.endswith(".egg-info")]
        for name in files:
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            out[os.path.relpath(path, root)] = (st.st_size, st.st_mtime_ns)
    return out


def changes(before: dict, after: dict) -> list[str]:
    lines = [f"left behind: {p}" for p in sorted(set(after) - set(before))]
    lines += [f"removed: {p}" for p in sorted(set(before) - set(after))]
    lines += [f"rewritten: {p}" for p in sorted(set(before) & set(after)) if before[p] != after[p]]
    return lines


@pytest.fixture(scope="session", autouse=True)
def work_tree_stays_clean():
    if MUTATION:  # mutmut writes its own files under the tree while tests run (tools/mutation.py)
        yield
        return
    before = tree()
    yield
    problems = changes(before, tree())
    if UPDATE:  # NOTELINT_UPDATE_GOLDEN=1 rewrites the golden files on purpose
        golden = os.path.relpath(GOLDEN, REPO) + os.sep
        problems = [line for line in problems if not line.split(": ", 1)[1].startswith(golden)]
    assert not problems, ("the tests changed the work tree (copy fixtures to tmp_path, or pass --no-cache):\n  "
                          + "\n  ".join(problems))
