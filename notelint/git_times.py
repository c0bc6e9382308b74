"""When a file was first and last committed, from `git log --follow`: the one source of a
note's creation and update times that survives checkouts, syncs and copies (mtime does not).

Used only when a rule is configured to fill missing timestamps from git, and only while
fixing; every failure becomes a reason string, never an exception.
"""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=4096)
def commit_times(path: Path) -> tuple[int, int] | str:
    """(first, last) commit times of the file in epoch seconds, or why there are none."""
    try:
        result = subprocess.run(
            ["git", "log", "--follow", "--format=%at", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=60,
            env={**os.environ, "GIT_PAGER": "", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        return "git is not installed"
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git could not be run ({exc})"
    if result.returncode != 0:
        if "not a git repository" in result.stderr:
            return "the vault is not in a git repository"
        return f"git log failed: {result.stderr.strip().splitlines()[0] if result.stderr.strip() else result.returncode}"
    stamps = [int(line) for line in result.stdout.split() if line.isdigit()]
    if not stamps:
        return "the file has no commits yet"
    return min(stamps), max(stamps)
