"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit (`pre-commit try-repo`).

The hook repository is a snapshot of this working tree committed into a temporary git repo, so
the tests see uncommitted work too and pre-commit installs notelint's environment once per test
session (the snapshot's revision does not change between tests). Skipped, with the reason, only
when git or pre-commit is missing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

try:
    import pre_commit  # noqa: F401
except ImportError:  # pragma: no cover - only on machines without the test extra
    pytest.skip("pre-commit cannot be imported: install the test extra (pip install '.[test]')",
                allow_module_level=True)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "notelint tests", "GIT_AUTHOR_EMAIL": "tests@notelint.invalid",
    "GIT_COMMITTER_NAME": "notelint tests", "GIT_COMMITTER_EMAIL": "tests@notelint.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}

# complete Dendron frontmatter, so that whitespace is the only thing to report
FM_A = b"---\nid: a1b2c3d4e5f6g7h8i9j0k1l\ntitle: A\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n"
FM_B = b"---\nid: b2c3d4e5f6g7h8i9j0k1l2m\ntitle: B\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n"
WHITESPACE_NOTE = FM_A + b"\nTrailing spaces   \n\nfine line\n"
CLEAN_NOTE = FM_B + b"\nA clean note.\n"
FIXED_NOTE = FM_A + b"\nTrailing spaces\n\nfine line\n"


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This working tree (tracked and untracked, not ignored files) committed to a fresh repo."""
    snap = tmp_path_factory.mktemp("hook-repo")
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=REPO, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = REPO / os.fsdecode(name)
        if not src.is_file():
            continue  # deleted but not yet staged
        dst = snap / os.fsdecode(name)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    git("init", "-q", cwd=snap)
    git("add", "-A", cwd=snap)
    git("commit", "-q", "-m", "snapshot", cwd=snap)
    return snap, git("rev-parse", "HEAD", cwd=snap)


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def vault(tmp_path) -> Path:
    """A git repo holding a small Dendron vault, everything committed."""
    (tmp_path / "dendron.yml").write_text("version: 5\n")
    (tmp_path / "notes.a.md").write_bytes(WHITESPACE_NOTE)
    (tmp_path / "notes.b.md").write_bytes(CLEAN_NOTE)
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-q", "-m", "vault", cwd=tmp_path)
    return tmp_path


def try_repo(hook: str, cwd: Path, hook_repo, home: Path, *extra: str) -> subprocess.CompletedProcess:
    repo, rev = hook_repo
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTELINT_")}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(home), NO_COLOR="1", PRE_COMMIT_COLOR="never")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(repo), hook, "--ref", rev, *extra],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
    )


def test_check_hook_fails_on_findings_at_exact_positions(vault, hook_repo, pre_commit_home):
    done = try_repo("notelint", vault, hook_repo, pre_commit_home, "--all-files")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "notes.a.md:9:16: NL003 [whitespace]" in out
    assert "notes.b.md" not in out.split("Failed")[-1]
    assert (vault / "notes.a.md").read_bytes() == WHITESPACE_NOTE  # check writes nothing


def test_check_hook_passes_on_a_clean_vault(vault, hook_repo, pre_commit_home):
    (vault / "notes.a.md").write_bytes(FIXED_NOTE)
    done = try_repo("notelint", vault, hook_repo, pre_commit_home, "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_check_hook_sees_only_the_staged_files(vault, hook_repo, pre_commit_home):
    # notes.a.md is committed with a defect; only the new note is staged, so only it is checked.
    (vault / "notes.c.md").write_bytes(b"---\nid: c3\ntitle: C\n---\n\nnew   \n")
    (vault / "assets").mkdir()
    (vault / "assets" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # image files reach the hook too
    git("add", "notes.c.md", "assets/pic.png", cwd=vault)
    done = try_repo("notelint", vault, hook_repo, pre_commit_home)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "notes.c.md:6:4: NL003 [whitespace]" in out
    assert "notes.a.md" not in out
    assert "Traceback" not in out


def test_fix_hook_fixes_then_passes(vault, hook_repo, pre_commit_home):
    first = try_repo("notelint-fix", vault, hook_repo, pre_commit_home, "--all-files")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (vault / "notes.a.md").read_bytes() == FIXED_NOTE
    assert (vault / "notes.b.md").read_bytes() == CLEAN_NOTE
    second = try_repo("notelint-fix", vault, hook_repo, pre_commit_home, "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr
    assert (vault / "notes.a.md").read_bytes() == FIXED_NOTE


# --------------------------------------------------------------------------- the README's snippet


def readme_precommit_config() -> str:
    """The first ```yaml block of the README's "pre-commit" section: the config a user copies."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert block.startswith("# .pre-commit-config.yaml\n")
    return block


def notelint_on_path(folder: Path) -> str:
    """A PATH on which `notelint` is this test environment's notelint, as after Quick start."""
    folder.mkdir()
    exe = folder / "notelint"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m notelint "$@"\n')
    exe.chmod(0o755)
    return os.pathsep.join([str(folder), os.environ["PATH"]])


def run_pre_commit(repo: Path, home: Path, path: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTELINT_")}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(home), NO_COLOR="1", PRE_COMMIT_COLOR="never", PATH=path)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)


def hook_lines(out: str) -> list[str]:
    """`notelint fix....Failed` lines, dots dropped: [`notelint fix Failed`, ...]."""
    return [" ".join(line.replace(".", " ").split()) for line in out.splitlines()
            if line.startswith("notelint") and line.rstrip().endswith(("Passed", "Failed"))]


def test_readme_pre_commit_config_works_as_written(vault, tmp_path):
    import yaml

    config = readme_precommit_config()
    (vault / ".pre-commit-config.yaml").write_text(config)
    git("add", ".pre-commit-config.yaml", cwd=vault)
    path = notelint_on_path(tmp_path / "bin")
    first = run_pre_commit(vault, tmp_path / "home", path)
    out = first.stdout + first.stderr
    # the fix hook repairs the note and fails (a file changed); the check hook, second, then passes
    assert first.returncode == 1, out
    assert hook_lines(first.stdout) == ["notelint fix Failed", "notelint check Passed"], out
    assert "files were modified by this hook" in out
    assert (vault / "notes.a.md").read_bytes() == FIXED_NOTE
    second = run_pre_commit(vault, tmp_path / "home", path)
    assert second.returncode == 0 and hook_lines(second.stdout) == ["notelint fix Passed", "notelint check Passed"]

    # why the README puts the fix hook first: in the other order, the check hook fails on what
    # the fix hook repairs a moment later
    (vault / "notes.a.md").write_bytes(WHITESPACE_NOTE)
    hooks = yaml.safe_load(config)["repos"][0]["hooks"]
    reversed_config = {"repos": [{"repo": "local", "hooks": hooks[::-1]}]}
    (vault / ".pre-commit-config.yaml").write_text(yaml.safe_dump(reversed_config))
    swapped = run_pre_commit(vault, tmp_path / "home", path)
    assert hook_lines(swapped.stdout) == ["notelint check Failed", "notelint fix Failed"], swapped.stdout
