"""The Obsidian Linter's own published examples, run the way a user would: the plugin's settings
enabling one rule (with the example's options) in `.obsidian/plugins/obsidian-linter/data.json`,
`notelint import obsidian-linter --write`, then `notelint fix` on the example's note (with
`--unsafe-fixes` where the rule's fix, or some of it, is unsafe: only then does a user's `fix` apply it). Each example must come out byte for byte as the plugin's "after", unless the notelint rule
lists it in `differences` (a deliberate difference, documented on the rule's page): then it must
differ. The examples are in `tests/plugin_cases/<alias>.json`, copied from the plugin's sources
(platers/obsidian-linter, MIT licence, `src/rules/<alias>.ts`, `exampleBuilders`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notelint import cli, plugin_import

CASES_DIR = Path(__file__).parent / "plugin_cases"


def _load() -> list:
    out = []
    for path in sorted(CASES_DIR.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for i, case in enumerate(data["cases"]):
            out.append(pytest.param(data["alias"], case, id=f"{data['alias']}-{i + 1}"))
    return out


CASES = _load()


def run_case(alias: str, case: dict, root: Path) -> str:
    """The note's text after import and fix, as the plugin's example would be linted."""
    settings_file = root / plugin_import.SETTINGS
    settings_file.parent.mkdir(parents=True)
    options = {k: v for k, v in case.get("options", {}).items() if not k.startswith("commonStyles.")}
    common = {k.split(".", 1)[1]: v for k, v in case.get("options", {}).items() if k.startswith("commonStyles.")}
    settings = {"ruleConfigs": {alias: {"enabled": True, **options}}}
    if common:
        settings["commonStyles"] = common
    settings_file.write_text(json.dumps(settings), "utf-8")
    assert cli.main(["import", "obsidian-linter", str(root), "--write"]) == 0
    note = root / case.get("file", "note.md")
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_bytes(case["before"].encode("utf-8"))
    rule = plugin_import.plugin_map()[alias][0]
    unsafe = rule.fix == "unsafe" or getattr(rule, "some_unsafe", False)
    assert cli.main(["fix", *(["--unsafe-fixes"] if unsafe else []), "--no-cache", "-q", "--exit-zero", str(note)]) == 0
    return note.read_bytes().decode("utf-8")


def differences(alias: str) -> dict[str, str]:
    found = plugin_import.plugin_map().get(alias)
    assert found is not None, f"no notelint rule does the work of the plugin's `{alias}`"
    return dict(found[0].differences)


@pytest.mark.parametrize(("alias", "case"), CASES)
def test_the_plugin_example_comes_out_byte_for_byte(alias, case, tmp_path, capsys):
    got = run_case(alias, case, tmp_path)
    capsys.readouterr()
    why = differences(alias).get(case["description"])
    if why is None:
        assert got == case["after"], f"{alias}: {case['description']}"
    else:
        assert got != case["after"], f"{alias}: listed as a deliberate difference ({why}) but matches the plugin"


def test_at_least_nine_in_ten_of_the_examples_match():
    """Every example not listed as a deliberate difference is held to match above, so the share
    matching is the share not listed."""
    listed = sum(1 for p in CASES if p.values[1]["description"] in differences(p.values[0]))
    assert len(CASES) >= 100
    assert (len(CASES) - listed) / len(CASES) >= 0.9


def test_every_plugin_rule_notelint_covers_has_its_examples():
    have = {json.loads(p.read_text("utf-8"))["alias"] for p in CASES_DIR.glob("*.json")}
    assert set(plugin_import.plugin_map()) <= have


def test_each_listed_difference_names_an_example():
    described = {(p.values[0], p.values[1]["description"]) for p in CASES}
    for alias, (rule, _plugin) in plugin_import.plugin_map().items():
        for description, why in rule.differences:
            assert why.strip()
            assert any(d == description for a, d in described if a in {p.alias for p in rule.plugin}), (rule.name, description)
