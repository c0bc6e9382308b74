"""Findings and edits as LSP values: diagnostics with the rule's code, name, docs link and
related files; text edits in the client's position units."""

from __future__ import annotations

import functools
from pathlib import Path

from lsprotocol import types as lsp

from notelint import urls
from notelint.finding import Edit, Finding
from notelint.lsp.positions import position_to_client, to_client
from notelint.source import Lines

SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
            "info": lsp.DiagnosticSeverity.Information, "hint": lsp.DiagnosticSeverity.Hint}
SOURCE = "notelint"


def diagnostic(f: Finding, lines: Lines, encoding: str, root: Path) -> lsp.Diagnostic:
    """One finding as a diagnostic (a code action request lints the buffer again, so nothing
    needs to travel in `data`)."""
    start = position_to_client(lines, f.line, f.column, encoding)
    if f.end_line is not None and f.end_column is not None:
        end = position_to_client(lines, f.end_line, f.end_column, encoding)
    else:  # a point: the rest of the line shows it (an empty range is invisible in most editors)
        end = position_to_client(lines, f.line, 1 << 30, encoding)
        if end <= start:
            end = start
    page = docs_link(f.rule)
    related = [lsp.DiagnosticRelatedInformation(lsp.Location(file_uri(root / r), _TOP), _related_label(f, i))
               for i, r in enumerate(f.related)]
    return lsp.Diagnostic(
        range=lsp.Range(lsp.Position(*start), lsp.Position(*end)),
        message=f"{f.message} ({f.rule})",
        severity=SEVERITY.get(f.severity, lsp.DiagnosticSeverity.Warning),
        code=f.code,
        code_description=lsp.CodeDescription(href=page) if page else None,
        source=SOURCE,
        related_information=related or None,
    )


_TOP = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))


def _related_label(f: Finding, i: int) -> str:
    if f.rule == "duplicate-image":
        return "the image kept" if i == 0 and "duplicate of" in f.message else "the same picture"
    if f.rule == "note-id":
        return "another note with this id"
    return "related"


@functools.lru_cache(maxsize=None)
def docs_link(rule: str) -> str | None:
    """The rule's documentation page: its web address when the project's `Documentation` URL is
    known, else the page in this checkout's `docs/rules/` (an editable install), else none."""
    page = urls.rule_page(rule)
    if page:
        return page
    local = Path(__file__).resolve().parents[2] / "docs" / "rules" / f"{rule}.md"
    return local.as_uri() if local.is_file() else None


def text_edit(edit: Edit, lines: Lines, encoding: str) -> lsp.TextEdit:
    start = to_client(lines, edit.start, encoding)
    end = to_client(lines, edit.end, encoding)
    return lsp.TextEdit(lsp.Range(lsp.Position(*start), lsp.Position(*end)), edit.replacement)


def file_uri(path: Path) -> str:
    return Path(path).absolute().as_uri()
