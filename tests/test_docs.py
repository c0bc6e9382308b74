"""Generated documentation stays in sync with the rule registry."""

from notelint import docs, registry
from helpers import REPO


def test_readme_rules_table_is_generated_from_the_registry():
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split(docs.TABLE_START, 1)[1].split(docs.TABLE_END, 1)[0]
    assert section.strip() == docs.rules_table(), "run `python -m notelint.docs --write`"


def test_every_rule_has_a_current_docs_page():
    for rule in registry.all_rules():
        page = REPO / "docs" / "rules" / f"{rule.name}.md"
        assert page.read_text("utf-8") == docs.rule_page(rule), f"{page} is stale: run `python -m notelint.docs --write`"


def test_every_rule_is_fully_documented():
    for rule in registry.all_rules():
        assert rule.name and rule.code.startswith("NL") and len(rule.code) == 5, rule
        assert rule.summary and rule.rationale and rule.bad and rule.good, rule.name
        assert rule.fix in ("none", "safe", "unsafe") and rule.scope in ("note", "vault")
        for option in rule.options:
            assert option.doc and option.validate(option.default) is None, (rule.name, option.name)


def test_readme_obsidian_linter_table_is_generated_from_the_rules():
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split(docs.PLUGIN_START, 1)[1].split(docs.PLUGIN_END, 1)[0]
    assert section.strip() == docs.plugin_table(), "run `python -m notelint.docs --write`"


def test_every_formatting_rule_names_its_obsidian_linter_rule_on_its_page():
    formatting = [r for r in registry.all_rules() if r.category == "format"]
    for rule in formatting:
        assert not rule.default, f"{rule.name}: a formatting rule is off by default"
        assert rule.plugin, f"{rule.name}: names no Obsidian Linter rule"
        page = docs.rule_page(rule)
        for p in rule.plugin:
            assert f"`{p.alias}`" in page
    assert {r.category for r in registry.all_rules()} <= {"lint", "format"}
