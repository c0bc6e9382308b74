"""Template files: which notes of a vault are templates, and their placeholders.

A template is text waiting to be filled in: `created: {{date}}` is not meant as YAML, and
`[[{{title}}]]` links to nothing until the template is used. Which files are templates is read
once per run from the apps' own settings (`Vault.templates`, set in `open_vault`; `Note.template`
carries it to the per-note code):

* Obsidian's core Templates plugin: `.obsidian/templates.json`, key `folder` ("Template folder
  location"; obsidianmd/obsidian-help `en/Plugins/Templates.md`);
* Templater: `.obsidian/plugins/templater-obsidian/data.json`, key `templates_folder`, and the
  template files its settings name (`folder_templates[].template`, `file_templates[].template`,
  `enabled_templates_hotkeys`, `startup_templates`; SilentVoid13/Templater
  `src/settings/Settings.ts`). Templater resolves those with `normalizePath` and
  `getAbstractFileByPath`, so they are vault paths with their extension (`utils/Utils.ts`,
  `resolve_tfile`);
* the core Daily notes plugin's template file: `.obsidian/daily-notes.json`, key `template`
  (written without `.md` by the app, e.g. `"Templates/Daily"`);
* the `templates` key of notelint's configuration: fnmatch globs on vault-relative paths, for
  folders no settings file names (QuickAdd, Periodic Notes, a vault kept without `.obsidian/`).

Folders are matched with their sub-folders (Templater lists them with `Vault.recurseChildren`).
Dendron's templates are not detected: Dendron's docs say "a template is just a regular note"
(dendron-site `vault/dendron.topic.templates.md`): its engine loads it with its id and its
frontmatter like any note, so an id it shares or a YAML error breaks it in Dendron too. A
Dendron user can still list template notes under `templates`.

Placeholders are masked by neutral text of the same length (`mask`), so the frontmatter and the
Markdown of a template parse as the filled-in note would, and every position stays exact.
"""

from __future__ import annotations

import bisect
import fnmatch
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from notelint.source import LINE_BREAK, Lines

if TYPE_CHECKING:
    from notelint.finding import Finding, Fix
    from notelint.markdown import MarkdownDoc
    from notelint.note import Note

# Obsidian core Templates: `{{date}}`, `{{time}}`, `{{title}}`, `{{date:FORMAT}}`, `{{time:FORMAT}}`
# (obsidian-help `en/Plugins/Templates.md`); the same braces serve Dendron's Handlebars templates
# (`{{fm.name}}`, `{{ CURRENT_YEAR }}`, `{{{raw}}}`; dendron-site `dendron.topic.templates.*`),
# QuickAdd (`{{VALUE}}`) and Periodic Notes: in a template, any `{{…}}` on one line is one.
# Templater: `<% … %>` (interpolation), `<%* … %>` (JavaScript execution), `<%+ … %>` (dynamic),
# with whitespace control `<%_`, `<%-`, `_%>`, `-%>` (Templater `docs/src/commands/overview.md`,
# `whitespace-control.md`); execution commands often span lines.
# (Scanned by `placeholder_spans` in one pass: as a regex, `<%[\s\S]*?%>|\{\{[^\r\n]*?\}\}\}?`, whose
# backtracking over a hostile file of unclosed `<%` would take quadratic time.)
_OPENER = re.compile(r"<%|\{\{")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
# Findings of these rules are never about a placeholder: masked placeholders are plain scalars,
# so a YAML error the mask leaves is the template's own (a duplicate `{{key}}` is one)
_ALWAYS_KEPT = {"frontmatter-syntax", "unreadable-note"}


# --------------------------------------------------------------------------- which files


@dataclass(frozen=True, slots=True)
class TemplateSet:
    """The template files of one vault: folders (with sub-folders), single files, and globs."""

    folders: tuple[str, ...] = ()
    files: frozenset[str] = frozenset()
    globs: tuple[str, ...] = ()

    def __contains__(self, rel: str) -> bool:
        if not (self.folders or self.files or self.globs):
            return False
        path = unicodedata.normalize("NFC", rel)
        return (path in self.files or any(path.startswith(folder + "/") for folder in self.folders)
                or any(fnmatch.fnmatchcase(rel, glob) for glob in self.globs))

    def key(self) -> list:
        """What decides which files are templates, for the results cache's run key."""
        return [sorted(self.folders), sorted(self.files), list(self.globs)]


def read_templates(root: Path, globs: list[str]) -> TemplateSet:
    """The vault's template folders and files from the Obsidian settings that name them, plus the
    configured `globs`. A settings file that is missing or not JSON names nothing."""
    settings = root / ".obsidian"
    folders: list[str] = []
    files: list[str] = []
    core = _json(settings / "templates.json")
    folders.append(_vault_path(core.get("folder")))
    templater = _json(settings / "plugins" / "templater-obsidian" / "data.json")
    folders.append(_vault_path(templater.get("templates_folder")))
    for key in ("folder_templates", "file_templates"):
        for rule in _list(templater.get(key)):
            if isinstance(rule, dict):
                files.append(_vault_path(rule.get("template")))
    for key in ("enabled_templates_hotkeys", "startup_templates"):
        files.extend(_vault_path(item) for item in _list(templater.get(key)))
    daily = _vault_path(_json(settings / "daily-notes.json").get("template"))
    if daily and not daily.lower().endswith(".md"):
        daily += ".md"  # the app stores the template as a link path, without the extension
    files.append(daily)
    return TemplateSet(tuple(dict.fromkeys(f for f in folders if f)), frozenset(f for f in files if f), tuple(globs))


def _json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, RecursionError):  # (a hostile file nested thousands deep)
        return {}
    return data if isinstance(data, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _vault_path(value) -> str:
    """A settings path as Obsidian's `normalizePath` reads it: `\\` and `/` runs become one `/`,
    leading and trailing slashes go, non-breaking spaces become spaces, NFC. '' for nothing or the
    vault root (an empty Templater folder means "no folder", not "every note is a template")."""
    if not isinstance(value, str):
        return ""
    path = re.sub(r"[\\/]+", "/", value).strip("/")
    path = path.replace("\u00a0", " ").replace("\u202f", " ")
    return unicodedata.normalize("NFC", path)


# --------------------------------------------------------------------------- placeholders


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every placeholder in a template's text, in order: `<%` to the next `%>`,
    `{{` to the next `}}` on the same line (and one more `}` for Handlebars' `{{{raw}}}`). Linear:
    the next closer and line break are looked up once and reused until passed."""
    if "{{" not in text and "<%" not in text:
        return []
    spans: list[tuple[int, int]] = []
    closers = {"<%": -1, "{{": -1}  # the next `%>` / `}}` found so far (len(text): none)
    brk = -1  # the next line break found so far
    pos = 0
    while (m := _OPENER.search(text, pos)) is not None:
        start, opener = m.start(), m.group()
        if closers[opener] < start + 2:
            found = text.find("%>" if opener == "<%" else "}}", start + 2)
            closers[opener] = found if found >= 0 else len(text)
        close = closers[opener]
        if opener == "{{" and brk < start:
            found = LINE_BREAK.search(text, start)
            brk = found.start() if found else len(text)
        if close == len(text) or (opener == "{{" and brk < close):
            pos = start + 2  # not closed (on its line): text, not a placeholder
            continue
        end = close + 2 + (opener == "{{" and text.startswith("}", close + 2))
        spans.append((start, end))
        pos = end
    return spans


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each placeholder replaced by neutral text of the same length, line breaks kept.

    A placeholder alone on its line(s) (a Templater command, an included block) becomes spaces, as
    a line that renders to nothing. Any other becomes a word (`x` and letters derived from the
    placeholder, so two equal placeholders stay equal and two different ones differ): a plain YAML
    scalar in any position, no YAML keyword, and plain text in Markdown. Lines after the first of a
    multi-line placeholder become spaces, which YAML reads as part of the same scalar."""
    if not spans:
        return text
    lines = Lines(_blank(text, spans))  # the text with every placeholder as spaces: what else is on its lines
    empty = [not lines.line(i).strip() for i in range(len(lines))]
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        chunk = text[start:end]
        whole = empty[lines.index_of(start)] and empty[lines.index_of(end)]
        parts = LINE_BREAK.split(chunk)
        breaks = LINE_BREAK.findall(chunk)
        first = " " * len(parts[0]) if whole else _word(chunk, len(parts[0]))
        masked = [first] + [" " * len(p) for p in parts[1:]]
        out.append("".join(m + (breaks[i] if i < len(breaks) else "") for i, m in enumerate(masked)))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append(re.sub(r"[^\r\n]", " ", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _word(chunk: str, length: int) -> str:
    digest = hashlib.blake2b(chunk.encode("utf-8", "surrogatepass"), digest_size=32).digest()
    letters = "".join(_ALPHABET[b % 26] for b in digest)
    while len(letters) < length:
        letters += letters
    return ("x" + letters)[:length]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) shares a character with a placeholder (an empty range: lies inside one).
    Spans are sorted and disjoint, so only the last one starting before `end` can (bisect)."""
    if end <= start:
        i = bisect.bisect_left(spans, (start,)) - 1
        return i >= 0 and start < spans[i][1]
    i = bisect.bisect_left(spans, (end,)) - 1
    return i >= 0 and start < spans[i][1]


def hide_placeholder_elements(doc: MarkdownDoc, text: str, spans: list[tuple[int, int]], flavor: str) -> None:
    """Drop what a placeholder makes up (`[[{{title}}]]`, `![](<% tp.file.path() %>)`, `#{{tag}}`,
    `#area/{{x}}`) from a template's Markdown parsed from masked text, and give headings their
    written text back. A link whose target is real keeps being checked, whatever its alias says."""
    if not spans:
        return
    doc.tags = [t for t in doc.tags if not _overlaps(t.start, t.end, spans)]
    doc.wikilinks = [w for w in doc.wikilinks if not _overlaps(*_wikilink_reference(w, text, flavor), spans)]
    doc.links = [x for x in doc.links if not _overlaps(*_destination(x), spans)]
    doc.images = [x for x in doc.images if not _overlaps(*_destination(x), spans)]
    doc.definitions = [d for d in doc.definitions if not _overlaps(d.dest_start, d.dest_end, spans)]
    for heading in doc.headings:
        if _overlaps(heading.text_start, heading.text_end, spans):
            heading.text = text[heading.text_start : heading.text_end]


def _wikilink_reference(w, text: str, flavor: str) -> tuple[int, int]:
    """The part of a wikilink that names what it links to: all of it but the alias (after the
    first `|` in Obsidian, before it in Dendron)."""
    if w.alias is None:
        return w.start, w.end
    if flavor == "dendron":
        return w.target_start, w.end
    pipe = text.find("|", w.target_end, w.end)
    return w.start, pipe if pipe >= 0 else w.end


def _destination(element) -> tuple[int, int]:
    if element.dest_start >= 0:
        return element.dest_start, element.dest_end
    return element.start, element.end


# --------------------------------------------------------------------------- findings and fixes


def outside_placeholders(note: Note, findings: list[Finding]) -> list[Finding]:
    """A template's findings minus those about a placeholder; a fix that would edit a placeholder
    is withdrawn (the finding stays). Findings of notes that are no templates pass unchanged."""
    spans = note.placeholders
    if not spans:
        return findings
    kept = []
    for f in findings:
        if f.rule not in _ALWAYS_KEPT:
            start = note.lines.offset(f.line, f.column)
            end = note.lines.offset(f.end_line, f.end_column) if f.end_line is not None else start + 1
            if _overlaps(start, max(end, start + 1), spans):
                continue
        if f.fix is not None and touches_placeholder(note, f.fix):
            f.fix = None
        kept.append(f)
    return kept


def touches_placeholder(note: Note, fix: Fix) -> bool:
    """Whether a fix would change a placeholder's characters or insert text inside one."""
    spans = note.placeholders
    return bool(spans) and any(_overlaps(e.start, e.end, spans) for e in fix.edits)
