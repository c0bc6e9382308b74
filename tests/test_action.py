"""action.yml, the composite GitHub Action: its steps' `run:` scripts, run as a runner runs them
(`bash --noprofile --norc -eo pipefail`, inputs through `env:`, `$GITHUB_PATH` carried to the
next step), on a small vault.

One thing is stubbed: the interpreter the install step makes its virtualenv with. Installing
notelint for real needs its dependencies from PyPI (Pillow, numpy, scipy: network and minutes),
and the tests run without network. The stub records the `pip install` command the step runs
(so the default source, the action's own checkout, and the `version` input are checked) and
gives the venv a `notelint` that is this test environment's notelint; every other line of
every step runs unchanged."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
EXPR = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")
CONDITION = re.compile(r"^inputs\.([\w-]+) == '([^']*)'$")


def expand(text: str, ctx: dict[str, str]) -> str:
    return EXPR.sub(lambda m: ctx[m.group(1)], str(text))


def condition(step: dict, ctx: dict[str, str]) -> bool:
    if "if" not in step:
        return True
    m = CONDITION.match(step["if"].strip())
    assert m, f"the test understands only `inputs.NAME == 'value'`, not {step['if']!r}"
    return ctx[f"inputs.{m.group(1)}"] == m.group(2)


def stub_python(folder: Path, log: Path) -> Path:
    """A `python3` whose `-m venv DIR` makes DIR/bin with a pip that logs and a real notelint."""
    folder.mkdir()
    stub = folder / "python3"
    stub.write_text(f"""#!/bin/sh
[ "$1 $2" = "-m venv" ] || exit 97
mkdir -p "$3/bin"
printf '#!/bin/sh\\necho "$@" >> {shlex.quote(str(log))}\\n' > "$3/bin/python"
printf '#!/bin/sh\\nexec {shlex.quote(sys.executable)} -m notelint "$@"\\n' > "$3/bin/notelint"
chmod +x "$3/bin/python" "$3/bin/notelint"
""")
    stub.chmod(0o755)
    return folder


def run_action(workspace: Path, tmp: Path, **inputs: str) -> dict:
    """Run every step whose `if` holds; returns {step name: CompletedProcess or the `uses` step's `with`}."""
    ctx = {f"inputs.{name}": str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    ctx.update({f"inputs.{k.replace('_', '-')}": v for k, v in inputs.items()})
    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir()
    ctx.update({"github.action_path": str(REPO), "runner.temp": str(runner_temp)})
    github_path = tmp / "github-path"
    github_path.write_text("")
    pip_log = tmp / "pip.log"
    stubs = stub_python(tmp / "stub-bin", pip_log)
    outcome = {}
    for step in ACTION["runs"]["steps"]:
        if not condition(step, ctx):
            continue
        if "uses" in step:
            outcome[step["name"]] = {k: expand(v, ctx) for k, v in step.get("with", {}).items()}
            continue
        assert step["shell"] == "bash"
        added = [line for line in github_path.read_text().splitlines() if line]
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOTELINT_")}
        env.update({k: expand(v, ctx) for k, v in step.get("env", {}).items()})
        env.update(GITHUB_PATH=str(github_path), RUNNER_TEMP=str(runner_temp), NO_COLOR="1",
                   PATH=os.pathsep.join([*reversed(added), str(stubs), os.environ["PATH"]]))
        script = tmp / "step.sh"
        script.write_text(expand(step["run"], ctx))
        outcome[step["name"]] = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                               cwd=workspace, env=env, capture_output=True, text=True, timeout=120)
        if step["name"] != "Check":
            assert outcome[step["name"]].returncode == 0, outcome[step["name"]].stderr
    outcome["pip"] = pip_log.read_text().splitlines()
    return outcome


@pytest.fixture
def workspace(tmp_path) -> Path:
    ws = tmp_path / "repo"
    (ws / "notes" / ".obsidian").mkdir(parents=True)
    (ws / "notes" / "a.md").write_text("# A\n\ntrailing \n")
    (ws / "notes" / "archive").mkdir()
    (ws / "notes" / "archive" / "old.md").write_text("old \n")
    (ws / "README.md").write_text("not a vault note \n")
    (ws / "archive").mkdir()  # what a shell would expand `archive/**` to, were globbing on
    (ws / "archive" / "other.txt").write_text("")
    return ws


def test_the_action_installs_from_its_own_checkout_and_annotates(workspace, tmp_path):
    out = run_action(workspace, tmp_path, path="notes")
    assert out["pip"] == [f"-m pip install --quiet --disable-pip-version-check {REPO}"]
    assert out["Install notelint"].stdout.startswith("notelint ")
    assert "Write SARIF" not in out and "Upload SARIF" not in out  # sarif defaults to false
    check = out["Check"]
    assert check.returncode == 1, check.stderr
    assert check.stdout.splitlines() == [
        "::error file=notes/a.md,line=3,col=9,endLine=3,endColumn=10,title=whitespace::"
        "NL003 [whitespace] trailing whitespace (1 space); remove it",
        "::error file=notes/archive/old.md,line=1,col=4,endLine=1,endColumn=5,title=whitespace::"
        "NL003 [whitespace] trailing whitespace (1 space); remove it",
    ]


def test_version_args_and_sarif_inputs(workspace, tmp_path):
    from test_sarif import validator

    out = run_action(workspace, tmp_path, path="notes", version="notelint==0.1.0",
                     args="--exclude archive/** --select whitespace", sarif="true", sarif_file="out/nl.sarif")
    assert out["pip"] == ["-m pip install --quiet --disable-pip-version-check notelint==0.1.0"]
    assert out["Upload SARIF"]["sarif_file"] == "out/nl.sarif"
    log = json.loads((workspace / "out" / "nl.sarif").read_text("utf-8"))
    validator().validate(log)
    # `archive/**` reached notelint as a glob, not expanded by the shell (./archive/ exists)
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]] \
        == ["notes/a.md"]
    assert out["Check"].returncode == 1
    assert [line.split(",")[0] for line in out["Check"].stdout.splitlines()] == ["::error file=notes/a.md"]


def test_a_clean_vault_passes(workspace, tmp_path):
    (workspace / "notes" / "a.md").write_text("# A\n")
    (workspace / "notes" / "archive" / "old.md").write_text("old\n")
    out = run_action(workspace, tmp_path, path="notes")
    assert out["Check"].returncode == 0 and out["Check"].stdout == ""
