"""What a rule reports, and the fix it proposes, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `text[start:end]` of the note's text by `replacement` (code-point offsets).

    `path` names the note the edit is in when that is not the finding's own file (a
    duplicate image's finding is about the image; its fix edits the notes that show it)."""

    start: int
    end: int
    replacement: str
    path: str | None = None  # vault-relative; None: the finding's path


@dataclass(frozen=True, slots=True)
class Fix:
    """Edits applied together or not at all; `safe` fixes run with plain `notelint fix`."""

    edits: tuple[Edit, ...]
    safe: bool = True

    @property
    def start(self) -> int:
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        return max(e.end for e in self.edits)


@dataclass(slots=True)
class Finding:
    path: str  # vault-relative, `/`-separated; the reporter makes it relative to the cwd
    line: int
    column: int
    rule: str
    code: str
    message: str
    severity: str = "error"
    end_line: int | None = None
    end_column: int | None = None
    fix: Fix | None = None
    related: list[str] = field(default_factory=list)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)
