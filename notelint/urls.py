"""Where notelint lives on the web, read from one place: `[project.urls]` in pyproject.toml,
as installed (`importlib.metadata`, the `Project-URL` fields).

This project has no public address, so the shipped pyproject.toml names none, and SARIF then
carries each rule's documentation inline (`help`) with no `helpUri`: a link nobody can open is
worse than none. Whoever publishes notelint sets `Repository` (the project page) and
`Documentation` (the URL of the `docs/` folder) there, and every link follows, with no other
file to edit.
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def project_urls() -> dict[str, str]:
    """`{label: url}` from the installed metadata; empty when run from a source tree."""
    from importlib import metadata

    try:
        fields = metadata.metadata("notelint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return {}
    return parse(fields)


def parse(fields: list[str]) -> dict[str, str]:
    """Core metadata `Project-URL` fields (`Label, URL`) as a dict; labels compared case-insensitively."""
    urls = {}
    for field in fields:
        label, sep, url = field.partition(",")
        if sep and url.strip():
            urls[label.strip().casefold()] = url.strip()
    return urls


def repository(urls: dict[str, str] | None = None) -> str | None:
    return (project_urls() if urls is None else urls).get("repository")


def rule_page(name: str, urls: dict[str, str] | None = None) -> str | None:
    """The web address of `docs/rules/NAME.md`, when `Documentation` is known."""
    docs = (project_urls() if urls is None else urls).get("documentation")
    return f"{docs.rstrip('/')}/rules/{name}.md" if docs else None
