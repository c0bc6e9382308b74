"""`--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`).

GitLab reads a JSON array of issues with `description`, `check_name`, `fingerprint` (unique
per issue: GitLab shows one issue per fingerprint), `severity` (`info`, `minor`, `major`,
`critical`, `blocker`), `location.path` (relative to the repository root, so run notelint
from there) and `location.lines.begin` (docs.gitlab.com, "Code Quality", "Code Quality report
format"). Errors map to `major` and warnings to `minor`, as rumdl's formatter does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from notelint.formats.located import fingerprints
from notelint.formats.item import Item

SEVERITY = {"error": "major", "warning": "minor"}


def write(items: Sequence[Item], stream) -> None:
    issues = []
    for item, fingerprint in zip(items, fingerprints(items)):
        f = item.finding
        issues.append({
            "description": f"[{f.rule}] {f.message}",
            "check_name": f.code,
            "fingerprint": fingerprint,
            "severity": SEVERITY.get(f.severity, "minor"),
            "location": {"path": item.path, "lines": {"begin": f.line, "end": f.end_line or f.line}},
        })
    json.dump(issues, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
