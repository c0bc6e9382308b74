"""Every rule's documented examples do what its page says: the `bad` example gives at least one
finding of the rule and the `good` example none. Rules come from the registry, so a new rule is
covered as soon as it exists; each example is checked in the vault the rule declares for it
(`Rule.example_files`, see notelint/rule.py)."""

import pytest

from notelint import engine, registry

RULES = registry.all_rules()


def findings_of(rule, kind: str, root) -> list:
    """The rule's findings when its `kind` example is written as the note of its example vault."""
    for rel, data in rule.example_vault(kind).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if not any((root / marker).exists() for marker in (".notelint.toml", "dendron.yml", ".obsidian")):
        (root / ".notelint.toml").write_text("")  # the vault root is this folder, whatever is above it
    workspaces, _ = engine.prepare([str(root)], engine.RunOptions(select=[rule.name, *rule.example_with], no_cache=True))
    return [f for ws in workspaces for f in engine.check(ws) if f.rule == rule.name]


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_the_bad_example_gives_a_finding_of_its_rule(rule, tmp_path):
    assert findings_of(rule, "bad", tmp_path), f"{rule.name}: its `bad` example gives no {rule.name} finding"


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_the_good_example_gives_no_finding_of_its_rule(rule, tmp_path):
    found = findings_of(rule, "good", tmp_path)
    assert not found, f"{rule.name}: its `good` example gives {[f.message for f in found]}"


def test_the_example_vault_is_shown_on_the_rule_page():
    from notelint import docs

    rule = registry.lookup("dangling-image")
    page = docs.rule_page(rule)
    assert "## Example vault" in page
    for path in rule.example_files:
        assert f"`{path}`" in page
