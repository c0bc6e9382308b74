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
