"""The cache's run key: every input it is made of, changed between warm runs, never leaves a stale result.

`KEY_INPUTS` lists each input of `cache.run_key_inputs` by name with a scenario that changes it;
`test_every_run_key_input_is_listed_here` fails when an input is added to the key without one.
Each scenario runs `check` twice (the second run warm), changes the input, runs warm again and
compares with a `--no-cache` run: equal, and different from what the vault gave before the change
(so the warm run could have been stale). The inputs a subprocess cannot change (notelint's
version, its source, the parsers, the cache format) are changed in-process, with a planted
finding in the cache standing for what the old code found.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Callable

import pytest
from helpers import run_cli, write_files

from notelint import cache as cache_mod
from notelint import cli
from notelint.config import load
from notelint.perpath import select_rules
from notelint.vault import open_vault

TRAILING = "# Note\n\ntrailing \n"


@dataclass
class Scenario:
    """A vault, the command-line arguments and environment of the runs before the change, and the change."""

    files: dict[str, str]
    change: Callable[[Path], None] = lambda root: None
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    args_after: tuple[str, ...] | None = None  # None: the same as before
    env_after: dict[str, str] | None = None


def _write(name: str, text: str) -> Callable[[Path], None]:
    return lambda root: write_files(root, {name: text})


def _remove(name: str) -> Callable[[Path], None]:
    return lambda root: (root / name).unlink()


def _future_local_datetime() -> str:
    """A naive date-time 24.5 hours ahead in UTC: more than a day in the future read in UTC, less
    than one read in Tokyo (UTC+9)."""
    return (datetime.now(UTC) + timedelta(hours=24, minutes=30)).strftime("%Y-%m-%dT%H:%M:%S")


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2"
                    "2a6d6b0000000049454e44ae426082")

# the run key's inputs (cache.run_key_inputs), each with a change that alters the findings
SUBPROCESS_INPUTS: dict[str, Callable[[], Scenario]] = {
    "flavor": lambda: Scenario(
        {".notelint.toml": 'select = ["frontmatter-timestamps"]\n', "a.md": "# A\n"},
        _write(".notelint.toml", 'flavor = "dendron"\nselect = ["frontmatter-timestamps"]\n')),
    "rules": lambda: Scenario(  # the selection on the command line
        {".notelint.toml": "", "a.md": TRAILING}, args=("--select", "frontmatter-syntax"),
        args_after=("--select", "whitespace")),
    "per-file-ignores": lambda: Scenario(
        {".notelint.toml": 'select = ["whitespace"]\nper-file-ignores = {"a.md" = ["whitespace"]}\n', "a.md": TRAILING},
        _write(".notelint.toml", 'select = ["whitespace"]\n')),
    "per-path": lambda: Scenario(
        {".notelint.toml": 'select = ["whitespace"]\n[[overrides]]\npaths = ["a.md"]\nignore = ["whitespace"]\n',
         "a.md": TRAILING},
        _write(".notelint.toml", 'select = ["whitespace"]\n[[overrides]]\npaths = ["b.md"]\nignore = ["whitespace"]\n')),
    "settings": lambda: Scenario(  # section-label takes its labels from required-sections' schemas (not selected)
        {".notelint.toml": 'extend = "base.toml"\nselect = ["section-label"]\n',
         "base.toml": '[[rules.required-sections.schemas]]\npaths = ["*.md"]\nsections = ["Method"]\n',
         "a.md": "# A\n\n- Result: none\n"},
        _write("base.toml", '[[rules.required-sections.schemas]]\npaths = ["*.md"]\nsections = ["Result"]\n')),
    "app": lambda: Scenario(  # `userIgnoreFilters` hides an orphan image from orphan-image
        {".notelint.toml": 'select = ["orphan-image"]\n', ".obsidian/app.json": '{"userIgnoreFilters": ["img/"]}',
         "a.md": "# A\n", "img/unused.png": PNG},
        _write(".obsidian/app.json", '{"userIgnoreFilters": []}')),
    "templates": lambda: Scenario(  # a template's placeholders are no YAML errors
        {".notelint.toml": 'select = ["frontmatter-syntax"]\n', ".obsidian/templates.json": '{"folder": "Templates"}',
         "Templates/t.md": "---\ntitle: {{title}}\n---\n"},
        _write(".obsidian/templates.json", '{"folder": "Other"}')),
    "tz": lambda: Scenario(  # `timezone = "local"` reads a naive time in the TZ of the run
        {".notelint.toml": 'select = ["frontmatter-timestamps"]\n[rules.frontmatter-timestamps]\ntimezone = "local"\n',
         "a.md": f"---\ncreated: {_future_local_datetime()}\n---\n"},
        env={"TZ": "Asia/Tokyo"}, env_after={"TZ": "UTC"}),
    "exclude": lambda: Scenario(  # an excluded image takes no part in duplicate-image
        {".notelint.toml": 'select = ["duplicate-image"]\nexclude = ["img/b.png"]\n', "a.md": "![[a.png]] ![[b.png]]\n",
         "img/a.png": PNG, "img/b.png": PNG},
        _write(".notelint.toml", 'select = ["duplicate-image"]\n')),
}

# changed in this process: (the attribute of notelint.cache, the value the changed notelint has)
INPROCESS_INPUTS: dict[str, tuple[str, object]] = {
    "format": ("FORMAT", cache_mod.FORMAT + 1),
    "notelint": ("__version__", "999.0.0"),
    "code": ("code_digest", lambda: "a rule edited in place"),
    "parsers": ("_parser_versions", lambda: ["yaml:99", "markdown_it:99"]),
}

KEY_INPUTS = {*SUBPROCESS_INPUTS, *INPROCESS_INPUTS}

# what the vault state (cache.vault_state, keying the results of rules with vault context) adds
STATE_INPUTS: dict[str, Callable[[], Scenario]] = {
    "dendron.yml": lambda: Scenario(  # the workspace's vaults: a note outside every vault shares no id
        {".notelint.toml": 'select = ["note-id"]\n', "dendron.yml": "version: 5\nworkspace:\n  vaults:\n    - fsPath: a\n",
         "a/x.md": "---\nid: same\ntitle: X\ndesc: ''\nupdated: 1701259204127\ncreated: 1701259204127\n---\n",
         "b/y.md": "---\nid: same\ntitle: Y\ndesc: ''\nupdated: 1701259204127\ncreated: 1701259204127\n---\n"},
        _write("dendron.yml", "version: 5\nworkspace:\n  vaults:\n    - fsPath: a\n    - fsPath: b\n")),
    "exclude on the command line": lambda: Scenario(
        {".notelint.toml": 'select = ["duplicate-image"]\n', "a.md": "![[a.png]] ![[b.png]]\n",
         "img/a.png": PNG, "img/b.png": PNG},
        args=("--exclude", "img/b.png"), args_after=()),
}


def _check(root: Path, args: tuple[str, ...], env: dict[str, str], *extra: str) -> list[tuple]:
    result = run_cli("check", "--format", "json", *args, *extra, ".", cwd=root, env=env)
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["line"], f["column"], f["rule"], f["message"], f["fixable"]) for f in json.loads(result.stdout)]


def _run_scenario(root: Path, scenario: Scenario) -> None:
    write_files(root, scenario.files)
    if any(name.endswith(".png") for name in scenario.files):
        time.sleep(cache_mod.RACY_NS / 1e9 + 0.1)  # a fresh image keeps the run's vault state out of the cache
    before = _check(root, scenario.args, scenario.env)
    assert _check(root, scenario.args, scenario.env) == before  # warm
    assert (root / ".notelint_cache").is_dir()
    scenario.change(root)
    args = scenario.args if scenario.args_after is None else scenario.args_after
    env = scenario.env if scenario.env_after is None else scenario.env_after
    warm = _check(root, args, env)
    cold = _check(root, args, env, "--no-cache")
    assert cold != before, "the change must alter the findings, or this test could not see a stale result"
    assert warm == cold


@pytest.mark.parametrize("name", sorted(SUBPROCESS_INPUTS))
def test_a_changed_run_key_input_is_never_served_stale(tmp_path, name):
    _run_scenario(tmp_path / "v", SUBPROCESS_INPUTS[name]())


@pytest.mark.parametrize("name", sorted(STATE_INPUTS))
def test_a_changed_vault_state_input_is_never_served_stale(tmp_path, name):
    _run_scenario(tmp_path / "v", STATE_INPUTS[name]())


def _main_json(capsys, *args: str) -> list[str]:
    code = cli.main(["check", "--format", "json", "--select", "whitespace", *args, "."])
    assert code in (0, 1)
    return [f["message"] for f in json.loads(capsys.readouterr().out)]


@pytest.mark.parametrize("name", sorted(INPROCESS_INPUTS))
def test_another_notelint_never_reads_this_ones_results(tmp_path, monkeypatch, capsys, name):
    root = write_files(tmp_path / "v", {".notelint.toml": "", "a.md": TRAILING})
    monkeypatch.chdir(root)
    fresh = _main_json(capsys)
    [path] = (root / ".notelint_cache").glob("results-*.json")
    data = json.loads(path.read_text("utf-8"))
    data["notes"]["a.md"]["f"][0][5] = "PLANTED"  # what the old notelint found
    path.write_text(json.dumps(data), "utf-8")
    assert _main_json(capsys) == ["PLANTED"]  # the planted entry is read while nothing changed
    attribute, value = INPROCESS_INPUTS[name]
    monkeypatch.setattr(cache_mod, attribute, value)
    assert _main_json(capsys) == fresh == _main_json(capsys, "--no-cache")


def test_every_run_key_input_is_listed_here(tmp_path):
    root = write_files(tmp_path / "v", {".notelint.toml": "", "a.md": TRAILING})
    cfg = load(root, None)
    vault = open_vault(root, cfg)
    rules, _ = select_rules(cfg, vault.flavor, None, None, None, False)
    inputs = cache_mod.run_key_inputs(vault, rules)
    assert set(inputs) == KEY_INPUTS, "a run key input without a test in KEY_INPUTS (or a listed one gone)"
    assert cache_mod.run_key(vault, rules) == cache_mod.run_key(vault, rules)
