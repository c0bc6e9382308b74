"""`--format sarif`: findings as a SARIF 2.1.0 log, for code-scanning dashboards.

GitHub code scanning, GitLab and Azure DevOps read SARIF. One run, tool `notelint`, every
registered rule in `tool.driver.rules` (so `ruleIndex` is stable between runs), one result
per finding. Paths are relative URIs on the base `%SRCROOT%` (the current directory, which
is what the text and JSON paths are relative to), percent-encoded so names with spaces,
`#`, `%`, emoji or CJK stay one URI. Columns count Unicode code points, as the spec's do,
and the run says so (`columnKind: unicodeCodePoints`), so a dashboard underlines the
right character in CJK lines too.

A result with a fix carries `fixes` (one `artifactChange` per file, each edit a `replacement`
of a `deletedRegion` by `insertedContent`, SARIF 2.1.0 §3.55-3.57) and every result carries
`partialFingerprints` (§3.27.17) under our own key, computed without the line number
(`formats/located.py`), so a dashboard keeps an alert when lines are added above it.
`helpUri` and `informationUri` come from `[project.urls]` (`urls.py`) and are left out while
the project has no public address; the rule's whole documentation is in `help` either way.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from notelint import __version__, urls
from notelint.finding import Finding
from notelint.formats.located import FINGERPRINT_KEY, fingerprints, fix_view
from notelint.formats.item import Item

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"


def uri(path: str) -> str:
    """A `/`-separated relative path as a relative URI reference (RFC 3986), UTF-8 percent-encoded.
    A file name that is not UTF-8 (lone surrogates in Python) is encoded as its own bytes."""
    return quote(os.fsencode(path), safe="/")


def _root_uri(cwd: Path) -> str:
    """`file:` URI of the folder the relative URIs start from, ending in `/` as SARIF requires."""
    text = cwd.resolve().as_uri()
    return text if text.endswith("/") else text + "/"


def _rule_descriptor(rule, project: dict[str, str]) -> dict:
    help_text = rule.rationale
    markdown = rule.rationale
    if rule.bad or rule.good:
        help_text += f"\n\nBad:\n{rule.bad}\n\nGood:\n{rule.good}"
        fence = "```"
        while fence in rule.bad or fence in rule.good:  # an example holding a fence gets a longer one
            fence += "`"
        markdown += (f"\n\nBad:\n\n{fence}markdown\n{rule.bad}\n{fence}\n\n"
                     f"Good:\n\n{fence}markdown\n{rule.good}\n{fence}")
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale or rule.summary},
        "help": {"text": help_text or rule.summary, "markdown": markdown or rule.summary},
        "defaultConfiguration": {"enabled": bool(rule.default), "level": _level(rule.severity)},
        "properties": {"fix": rule.fix, "scope": rule.scope, "tags": ["notelint", "markdown", "vault"]},
    }
    page = urls.rule_page(rule.name, project)
    if page:
        descriptor["helpUri"] = page
    return descriptor


def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def _location(path: str, f: Finding | None = None) -> dict:
    physical: dict = {"artifactLocation": {"uri": uri(path), "uriBaseId": SRCROOT}}
    if f is not None:
        region = {"startLine": max(1, f.line), "startColumn": max(1, f.column)}
        if f.end_line is not None and f.end_column is not None:
            region["endLine"] = max(region["startLine"], f.end_line)
            region["endColumn"] = max(1, f.end_column)
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(item: Item, fingerprint: str, index: dict[str, int]) -> dict:
    f, path, related = item.finding, item.path, item.related
    fixable = f.fix is not None and f.fix.safe
    text = f.message + (" (fixable with `notelint fix`)" if fixable else "")
    result: dict = {
        "ruleId": f.code,
        "level": _level(f.severity),
        "message": {"text": text},
        "locations": [_location(path, f)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"rule": f.rule, "fixable": fixable},
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    if f.fix is not None and not f.fix.safe:
        result["properties"]["unsafe_fixable"] = True
    if related:
        result["relatedLocations"] = [
            {"id": i, **_location(r), "message": {"text": f"also involved: {r}"}} for i, r in enumerate(related, 1)
        ]
    fix = fix_view(item)
    if fix is not None:
        result["fixes"] = [_fix(fix)]
    return result


def _fix(fix: dict) -> dict:
    """A `fix` object: the edits of each file as replacements of code-point regions."""
    changes: dict[str, list] = {}
    for edit in fix["edits"]:
        region = {"startLine": edit["start"]["line"], "startColumn": edit["start"]["column"],
                  "endLine": edit["end"]["line"], "endColumn": edit["end"]["column"]}
        changes.setdefault(edit["path"], []).append(
            {"deletedRegion": region, "insertedContent": {"text": edit["content"]}})
    return {
        "description": {"text": fix["message"]},
        "artifactChanges": [{"artifactLocation": {"uri": uri(path), "uriBaseId": SRCROOT}, "replacements": edits}
                            for path, edits in changes.items()],
    }


def log(items: Sequence[Item], cwd: Path | None = None) -> dict:
    """The SARIF log of `items` (sorted findings with their display paths), as a dict."""
    from notelint import registry

    rules = registry.all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    project = urls.project_urls()
    driver = {"name": "notelint", "version": __version__, "semanticVersion": __version__}
    if urls.repository(project):
        driver["informationUri"] = urls.repository(project)
    driver["rules"] = [_rule_descriptor(r, project) for r in rules]
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(cwd or Path(os.getcwd()))}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(item, fp, index) for item, fp in zip(items, fingerprints(items))],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(items: Sequence[Item], stream) -> None:
    json.dump(log(items), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
