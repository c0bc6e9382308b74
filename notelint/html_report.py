"""`--format html`: one self-contained page to judge a vault's findings by looking.

Built from the findings of whatever rules ran plus the vault's own files, so it follows the
rules as they come: a summary by rule, duplicate-image groups as thumbnails side by side
(size, pixels, format, the notes that reference each), dangling references with the
closest existing files, a tag table (tag, uses, spellings), and every finding under its
file with the offending line.

The page makes no requests: CSS is inline, thumbnails are `data:` URIs (or, with
`images="link"`, relative links to the vault's files), and a Content-Security-Policy
forbids anything else. Every string from the vault is HTML-escaped.
"""

from __future__ import annotations

import difflib
import functools
import html
import posixpath
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from notelint import __version__, progress
from notelint.imaging import thumbnails
from notelint.finding import Finding

if TYPE_CHECKING:
    from notelint.workspace import Workspace
    from notelint.note import Note

MAX_PREVIEWS = 400  # images decoded for one report; the rest get a placeholder
LINE_WINDOW = 240  # code points of an offending line shown around the column
MAX_CANDIDATES = 3
DUPLICATE_RULE = "duplicate-image"
DANGLING_RULES = ("dangling-image", "dangling-link")
IMAGE_FILE_RULES = ("duplicate-image", "orphan-image", "unreadable-image")

CSP_EMBED = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
CSP_LINK = "default-src 'none'; img-src data: 'self' file:; style-src 'unsafe-inline'"


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


# --------------------------------------------------------------------------- model


@dataclass(slots=True)
class Entry:
    """One finding with the workspace it came from and its display paths."""

    ws: Workspace
    finding: Finding
    path: str  # as the text output shows it (relative to the current folder)
    related: list[str]


@dataclass(slots=True)
class Reference:
    note: str  # vault-relative path of the note (cards show paths inside the vault: shorter)
    line: int
    anchor: str = ""  # id of the note's findings in this report, when it has any


@dataclass(slots=True)
class Picture:
    """An image of the vault as the report shows it."""

    ws: Workspace
    rel: str
    path: str
    preview: thumbnails.Preview = field(default_factory=thumbnails.Preview)
    references: list[Reference] = field(default_factory=list)


@dataclass(slots=True)
class DuplicateGroup:
    """Files that are the same picture: first those without a finding (the copy the rule
    keeps), then the copies, each with its finding's message."""

    pictures: list[Picture]
    messages: dict[str, str]  # vault-relative image -> its duplicate-image message


@dataclass(slots=True)
class Dangling:
    """One missing file as written, with every place that refers to it."""

    written: str  # the reference as written ("" when it could not be found in the note)
    kind: str  # "image" or "note"
    entries: list[Entry]
    candidates: list[Picture | str]  # pictures for images, display paths for notes


@dataclass(slots=True)
class TagRow:
    name: str  # the most used spelling
    uses: int
    notes: int
    spellings: list[tuple[str, int]]


@dataclass
class Report:
    entries: list[Entry]
    summary: str
    workspaces: list[Workspace]
    anchors: dict[str, str] = field(default_factory=dict)  # display path -> section id
    duplicates: list[DuplicateGroup] = field(default_factory=list)
    dangling: list[Dangling] = field(default_factory=list)
    tags: list[tuple[Workspace, list[TagRow]]] = field(default_factory=list)
    file_pictures: dict[str, Picture] = field(default_factory=dict)  # display path -> picture
    problems: list[str] = field(default_factory=list)  # sections that could not be built


# --------------------------------------------------------------------------- entry points


def write(workspaces: Sequence[Workspace], items: Sequence[tuple[Finding, str, list[str]]], stream, *,
          summary: str = "", images: str = "embed", base_dir: Path | None = None) -> None:
    """Write the report of a run to `stream` (text or binary), UTF-8."""
    page = render(workspaces, items, summary=summary, images=images, base_dir=base_dir)
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(page.encode("utf-8", "replace"))
        buffer.flush()
    else:
        stream.write(page)


def render(workspaces: Sequence[Workspace], items: Sequence[tuple[Finding, str, list[str]]], *,
           summary: str = "", images: str = "embed", base_dir: Path | None = None) -> str:
    """The report as one HTML document. `images`: "embed" (thumbnails as data: URIs) or
    "link" (relative links from `base_dir`, the folder the report is written to)."""
    report = collect(workspaces, items, summary)
    _make_previews(report, embed=images != "link", base_dir=base_dir or Path.cwd())
    return _page(report, csp=CSP_LINK if images == "link" else CSP_EMBED)


def collect(workspaces: Sequence[Workspace], items: Sequence[tuple[Finding, str, list[str]]],
            summary: str = "") -> Report:
    report = Report(_entries(workspaces, items), summary, list(workspaces))
    for e in report.entries:
        report.anchors.setdefault(e.path, f"file-{len(report.anchors) + 1}")
    report.duplicates = _guarded(report, "duplicate images", lambda: _duplicate_groups(report), [])
    report.dangling = _guarded(report, "dangling references", lambda: _dangling_groups(report), [])
    for e in report.entries:
        if e.finding.rule in IMAGE_FILE_RULES and e.path not in report.file_pictures:
            report.file_pictures[e.path] = Picture(e.ws, e.finding.path, e.path)
    report.tags = _guarded(report, "tags", lambda: [(ws, tag_rows(ws)) for ws in workspaces], [])
    return report


def _guarded(report: Report, section: str, build, default):
    """Build one section; if it fails, the report says so at the top and shows the rest."""
    import os

    try:
        return build()
    except Exception as exc:  # noqa: BLE001 - one broken section must not cost the whole report
        if os.environ.get("NOTELINT_DEBUG"):
            raise
        report.problems.append(f"The {section} section could not be built: {type(exc).__name__}: {exc} "
                               "(set NOTELINT_DEBUG=1 for a traceback, and please report it)")
        return default


def _entries(workspaces: Sequence[Workspace], items) -> list[Entry]:
    from notelint.reporters import display_path

    out = []
    for f, path, related in items:
        ws = next((w for w in workspaces if display_path(w.vault.root, f.path) == path), workspaces[0])
        out.append(Entry(ws, f, path, list(related)))
    return out


# --------------------------------------------------------------------------- duplicates and references


def _image_index(ws: Workspace):
    from notelint import resolve

    return resolve.vault_images(ws)


def _references(report: Report, ws: Workspace, rel: str) -> list[Reference]:
    from notelint.reporters import display_path

    out = []
    try:
        refs = _image_index(ws).references().get(rel, [])
    except Exception:  # noqa: BLE001 - a reference list is a nicety; the report must not fail for it
        return out
    for ref in refs:
        note = ws.note(ref.note)
        line = note.position(ref.start)[0] if note.readable else 1
        shown = display_path(ws.vault.root, ref.note)
        out.append(Reference(ref.note, line, report.anchors.get(shown, "")))
    return out


def _duplicate_groups(report: Report) -> list[DuplicateGroup]:
    from notelint.reporters import display_path

    groups: dict[tuple[int, frozenset[str]], tuple[Workspace, dict[str, str]]] = {}
    for e in report.entries:
        f = e.finding
        if f.rule == DUPLICATE_RULE:
            _ws, messages = groups.setdefault((id(e.ws), frozenset([f.path, *f.related])), (e.ws, {}))
            messages.setdefault(f.path, f.message)
    out = []
    for (_id, members), (ws, messages) in groups.items():
        ordered = sorted(members, key=lambda rel: (rel in messages, rel))
        pictures = [Picture(ws, rel, display_path(ws.vault.root, rel)) for rel in ordered]
        for p in pictures:
            p.references = _references(report, ws, p.rel)
        out.append(DuplicateGroup(pictures, messages))
    return out


def _offset(note: Note, f: Finding) -> int:
    lines = note.lines
    if not 1 <= f.line <= len(lines):
        return -1
    return lines.offset(f.line, f.column)


def _dangling_groups(report: Report) -> list[Dangling]:
    """Dangling references grouped by what they name (one missing file, many notes), each with
    the existing files that come closest to it."""
    from notelint.reporters import display_path

    groups: dict[tuple, Dangling] = {}
    closest = _Closest()
    for e in report.entries:
        if e.finding.rule not in DANGLING_RULES:
            continue
        kind = "image" if e.finding.rule == "dangling-image" else "note"
        written, looked_for, found = _dangling_ref(e, kind)
        key = (id(e.ws), kind, looked_for or f"\0{e.path}:{e.finding.line}:{e.finding.column}")
        if key in groups:
            groups[key].entries.append(e)
            continue
        rels = closest(e.ws, kind, looked_for, found) if looked_for else []
        if kind == "image":
            shown: list[Picture | str] = [Picture(e.ws, rel, display_path(e.ws.vault.root, rel)) for rel in rels]
        else:
            shown = [display_path(e.ws.vault.root, rel) for rel in rels]
        groups[key] = Dangling(written, kind, [e], shown)
    return list(groups.values())


def _dangling_ref(e: Entry, kind: str) -> tuple[str, str, list[str]]:
    """(the reference as written, the path it looks for, the resolver's own candidates)."""
    from notelint import resolve

    f, ws = e.finding, e.ws
    try:
        note = ws.note(f.path)
        if not note.readable:
            return "", "", []
        offset = _offset(note, f)
        if kind == "image":
            index = _image_index(ws)
            ref = _ref_at(index.refs.get(f.path, []), offset)
            if ref is None:
                return "", "", []
            return ref.raw, resolve._path_part(ref.raw, ref.syntax), list(index.resolve(ref).candidates)
        ref = _ref_at(resolve.note_refs(note), offset)
        if ref is None:
            return "", "", []
        return ref.raw, ref.raw, list(resolve.vault_notes(ws).resolve_reference(ref).candidates)
    except Exception:  # noqa: BLE001 - without candidates the finding is still shown
        return "", "", []


def _ref_at(refs, offset: int):
    """The reference whose span holds `offset` (findings point at the reference or its target)."""
    if offset < 0:
        return None
    for ref in refs:
        if ref.start <= offset < ref.end or ref.dest_start <= offset <= ref.dest_end:
            return ref
    return None


class _Closest:
    """Existing files most like a missing one: the resolver's own candidates first, then
    difflib's best matches by file name (one name in several folders: the closest path
    first). File-name indexes are built once per vault and kind."""

    def __init__(self):
        self._names: dict[tuple[int, str], dict[str, list[str]]] = {}

    @staticmethod
    def _key(path: str, kind: str) -> str:
        path = path.strip().lstrip("/").lower()
        return path[:-3] if kind == "note" and path.endswith(".md") else path

    def __call__(self, ws: Workspace, kind: str, written: str, found: list[str]) -> list[str]:
        names = self._names.get((id(ws), kind))
        if names is None:
            names = self._names[(id(ws), kind)] = {}
            for rel in ws.vault.assets if kind == "image" else ws.vault.notes:
                names.setdefault(posixpath.basename(self._key(rel, kind)), []).append(rel)
        target = self._key(written, kind)
        out = list(dict.fromkeys(found))
        for name in difflib.get_close_matches(posixpath.basename(target), list(names), n=MAX_CANDIDATES, cutoff=0.6):
            out.extend(sorted(names[name], key=lambda rel: -difflib.SequenceMatcher(None, target, self._key(rel, kind)).ratio()))
        return list(dict.fromkeys(out))[:MAX_CANDIDATES]


# --------------------------------------------------------------------------- tags


def tag_rows(ws: Workspace) -> list[TagRow]:
    """Every tag of the vault (the shared index of `notelint/tags.py`): uses, notes, and each
    spelling with its count; tags written more than one way first."""
    from notelint import tags

    index = tags.index(ws)
    rows = []
    for key, uses in index.uses.items():
        ranked = sorted(index.spellings(key).items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append(TagRow(index.majority(key), len(uses), len({u.rel for u in uses}), ranked))
    rows.sort(key=lambda r: (-(len(r.spellings) > 1), -r.uses, tags.normalise(r.name)))
    return rows


# --------------------------------------------------------------------------- previews


def _make_previews(report: Report, embed: bool, base_dir: Path) -> None:
    """Each picture's preview, made by `imaging.facts.previews` (from this run's one decode of
    the image, or the image cache), at most MAX_PREVIEWS images."""
    from notelint.imaging import facts

    pictures = [p for g in report.duplicates for p in g.pictures]
    pictures += [c for d in report.dangling for c in d.candidates if isinstance(c, Picture)]
    pictures += list(report.file_pictures.values())
    wanted: dict[int, tuple[Workspace, list[str]]] = {}
    seen: set[tuple[int, str]] = set()
    for picture in pictures:
        key = (id(picture.ws), picture.rel)
        if key not in seen and len(seen) < MAX_PREVIEWS:
            wanted.setdefault(id(picture.ws), (picture.ws, []))[1].append(picture.rel)
        seen.add(key)
    made: dict[tuple[int, str], thumbnails.Preview] = {}
    for ws, rels in wanted.values():
        link_for = functools.partial(_link, ws, base_dir)
        found = facts.previews(ws, list(progress.track(rels, len(rels), "previews")), embed, link_for)
        made.update(((id(ws), rel), preview) for rel, preview in found.items())
    for picture in pictures:
        preview = made.get((id(picture.ws), picture.rel))
        picture.preview = preview or thumbnails.Preview(
            problem=f"not previewed: the report shows at most {MAX_PREVIEWS} images")


def _link(ws: Workspace, base_dir: Path, rel: str) -> str:
    return thumbnails.relative_url(ws.vault.abs(rel), base_dir)


# --------------------------------------------------------------------------- HTML


CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --panel: #f6f8fa;
  --line: #d1d9e0; --err: #cf222e; --warn: #9a6700; --mark: #fff0a8; --ok: #1a7f37; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117;
  --panel: #151b23; --line: #3d444d; --err: #ff7b72; --warn: #d29922; --mark: #6e5a00; --ok: #3fb950; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 4rem; color: var(--fg); background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.25rem; margin-top: 2rem;
  border-bottom: 1px solid var(--line); padding-bottom: .3rem; } h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
a { color: inherit; } nav a { margin-right: 1rem; } .muted { color: var(--muted); }
code, pre, .path { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace;
  font-size: 13px; }
.path { word-break: break-all; } td.loc { white-space: nowrap; font-family: ui-monospace, monospace; font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.code { font-weight: 600; white-space: nowrap; } .error { color: var(--err); } .warning { color: var(--warn); }
.fix { color: var(--ok); white-space: nowrap; }
pre.src { margin: 0 0 .3rem; padding: .3rem .5rem; background: var(--panel); border-radius: 4px;
  white-space: pre-wrap; word-break: break-all; tab-size: 4; }
pre.src .ln { color: var(--muted); user-select: none; margin-right: .8rem; }
pre.src mark { background: var(--mark); color: inherit; border-radius: 2px; }
pre.src mark.caret { border-left: 2px solid var(--err); background: none; }
.group { border: 1px solid var(--line); border-radius: 6px; padding: .6rem; margin: .8rem 0; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; }
.card { width: 200px; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; background: var(--panel); }
.thumb { width: 180px; height: 180px; display: flex; align-items: center; justify-content: center;
  background: repeating-conic-gradient(#8882 0% 25%, transparent 0% 50%) 50% / 16px 16px; border-radius: 4px; }
.thumb img { max-width: 180px; max-height: 180px; object-fit: contain; }
.thumb img.pixelated { image-rendering: pixelated; }
.thumb.small { width: 96px; height: 96px; } .thumb.small img { max-width: 96px; max-height: 96px; }
.placeholder { font-size: 12px; overflow: hidden; color: var(--muted); text-align: center; padding: .4rem; background: var(--bg);
  border: 1px dashed var(--line); width: 100%; height: 100%; display: flex; align-items: center; justify-content: center;
  overflow-wrap: anywhere; }
.card .meta { font-size: 12px; margin-top: .3rem; overflow-wrap: anywhere; }
.card ul { margin: .2rem 0 0; padding-left: 1rem; }
.card .finding { margin: .3rem 0; color: var(--warn); }
.cards .card:has(.finding) { border-style: dashed; }
.dangling .cards .card { width: 120px; }
.dangling .group > div { margin-bottom: .3rem; }
ul.places { margin: .2rem 0 .4rem; padding-left: 1.2rem; columns: 2 22rem; }
.spelling { display: inline-block; margin-right: .6rem; white-space: nowrap; }
tr.drift td:first-child::before { content: "\\26A0\\FE0F  "; }
.filehead { display: flex; gap: .8rem; align-items: center; }
.file td.loc { width: 5.5rem; } .file td.code { width: 4.5rem; }
"""


def _page(report: Report, csp: str) -> str:
    roots = ", ".join(esc(_vault_name(ws)) for ws in report.workspaces)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>notelint report: {roots}</title>",
        f"<style>{CSS}</style></head><body>",
        f'<header><h1>notelint report</h1><p class="muted">{roots} · notelint {esc(__version__)}</p></header>',
        '<nav><a href="#summary">Summary</a><a href="#duplicates">Duplicate images</a>'
        '<a href="#dangling">Dangling references</a><a href="#tags">Tags</a><a href="#findings">Findings</a></nav>',
    ]
    parts += [f'<p class="error">{esc(p)}</p>' for p in report.problems]
    parts += _summary_html(report)
    parts += _duplicates_html(report)
    parts += _dangling_html(report)
    parts += _tags_html(report)
    parts += _findings_html(report)
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _vault_name(ws: Workspace) -> str:
    from notelint.reporters import display_path

    shown = display_path(ws.vault.root, ".")
    return f"{shown} ({ws.vault.flavor}, {len(ws.vault.notes)} notes, {len(ws.vault.assets)} images)"


def _summary_html(report: Report) -> list[str]:
    out = ['<section id="summary"><h2>Summary</h2>', f"<p>{esc(report.summary)}</p>"]
    counts: Counter[tuple[str, str]] = Counter()
    fixable: Counter[tuple[str, str]] = Counter()
    files: dict[tuple[str, str], set[str]] = {}
    severity: dict[tuple[str, str], str] = {}
    first: dict[tuple[str, str], str] = {}
    for e in report.entries:
        key = (e.finding.code, e.finding.rule)
        counts[key] += 1
        fixable[key] += e.finding.fix is not None and e.finding.fix.safe
        files.setdefault(key, set()).add(e.path)
        severity.setdefault(key, e.finding.severity)
        first.setdefault(key, report.anchors.get(e.path, ""))
    if not counts:
        out.append("<p>No findings.</p></section>")
        return out
    out.append('<table class="rules"><thead><tr><th>code</th><th>rule</th><th class="num">findings</th>'
               '<th class="num">fixable</th><th class="num">files</th></tr></thead><tbody>')
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        code, rule = key
        out.append(f'<tr><td class="code {esc(severity[key])}">{esc(code)}</td>'
                   f'<td><a href="#{esc(first[key])}">{esc(rule)}</a></td><td class="num">{n}</td>'
                   f'<td class="num">{fixable[key]}</td><td class="num">{len(files[key])}</td></tr>')
    out.append("</tbody></table></section>")
    return out


def _thumb(picture: Picture, small: bool = False) -> str:
    p = picture.preview
    cls = "thumb small" if small else "thumb"
    if p.src:
        dims, pixelated = "", ""
        if p.width and p.height:  # fill the box, small images too (pixelated, so they stay sharp)
            side = 96 if small else 180
            scale = side / max(p.width, p.height)
            dims = f' width="{max(1, round(p.width * scale))}" height="{max(1, round(p.height * scale))}"'
            pixelated = ' class="pixelated"' if scale > 2 else ""
        return (f'<div class="{cls}"><img{pixelated} src="{esc(p.src)}" alt="{esc(picture.path)}" '
                f'title="{esc(picture.path)}"{dims}></div>')
    reason = p.problem or "no preview"
    return (f'<div class="{cls}"><div class="placeholder" data-problem="1" title="{esc(reason)}">'
            f"{esc(reason)}</div></div>")


def _facts(p: thumbnails.Preview) -> str:
    bits = [thumbnails.human_size(p.size)]
    if p.width and p.height:
        bits.append(f"{p.width}×{p.height} px")
    if p.format:
        bits.append(p.format)
    return " · ".join(esc(b) for b in bits)


def _card(picture: Picture, small: bool = False, references: bool = True, note: str = "") -> str:
    out = [f'<div class="card">{_thumb(picture, small)}<div class="meta">'
           f'<div class="path" title="{esc(picture.path)}">{esc(picture.rel)}</div>',
           f'<div class="muted">{_facts(picture.preview)}</div>']
    if note:
        out.append(f'<div class="finding">{esc(note)}</div>')
    if picture.preview.src and picture.preview.problem:
        out.append(f'<div class="warning">{esc(picture.preview.problem)}</div>')
    if references:
        if picture.references:
            out.append("<div>referenced by:</div><ul>")
            for ref in picture.references:
                label = f"{ref.note}:{ref.line}"
                link = f'<a href="#{esc(ref.anchor)}">{esc(label)}</a>' if ref.anchor else esc(label)
                out.append(f'<li class="path">{link}</li>')
            out.append("</ul>")
        else:
            out.append('<div class="muted">not referenced by any note</div>')
    out.append("</div></div>")
    return "".join(out)


def _duplicates_html(report: Report) -> list[str]:
    out = ['<section id="duplicates"><h2>Duplicate images</h2>']
    if not report.duplicates:
        out.append('<p class="muted">No duplicate-image findings in this run.</p></section>')
        return out
    out.append(f"<p>{len(report.duplicates)} group{'s' if len(report.duplicates) != 1 else ''} of images "
               "that are the same picture; each finding says which file it duplicates and what "
               "<code>notelint fix</code> does about it.</p>")
    for i, group in enumerate(report.duplicates, 1):
        n = len(group.pictures)
        out.append(f'<div class="group" id="dup-{i}"><div class="muted">{n} files, one picture</div><div class="cards">')
        out += [_card(p, note=group.messages.get(p.rel, "")) for p in group.pictures]
        out.append("</div></div>")
    out.append("</section>")
    return out


def _dangling_html(report: Report) -> list[str]:
    out = ['<section id="dangling" class="dangling"><h2>Dangling references</h2>']
    if not report.dangling:
        out.append('<p class="muted">No dangling-image or dangling-link findings in this run.</p></section>')
        return out
    refs = sum(len(d.entries) for d in report.dangling)
    out.append(f"<p>{refs} reference{'s' if refs != 1 else ''} to {len(report.dangling)} "
               f"file{'s' if len(report.dangling) != 1 else ''} that do not exist, "
               "with the existing files whose names come closest.</p>")
    for d in report.dangling:
        first = d.entries[0]
        title = f"<code>{esc(d.written)}</code>" if d.written else esc(first.finding.rule)
        places = "".join(
            f'<li><a class="path" href="#{esc(report.anchors.get(e.path, ""))}">'
            f"{esc(f'{e.path}:{e.finding.line}:{e.finding.column}')}</a></li>" for e in d.entries)
        out.append(f'<div class="group"><div>{title}</div><div class="muted">{esc(first.finding.message)}</div>'
                   f'<ul class="places">{places}</ul>')
        if not d.candidates:
            out.append('<div class="muted">No existing file with a similar name.</div>')
        elif d.kind == "image":
            out.append('<div class="muted">Closest existing images:</div><div class="cards">'
                       + "".join(_card(c, small=True, references=False) for c in d.candidates if isinstance(c, Picture))
                       + "</div>")
        else:
            out.append('<div class="muted">Closest existing notes:</div><ul>'
                       + "".join(f'<li class="path">{esc(c)}</li>' for c in d.candidates) + "</ul>")
        out.append("</div>")
    out.append("</section>")
    return out


def _tags_html(report: Report) -> list[str]:
    out = ['<section id="tags"><h2>Tags</h2>']
    several = len(report.tags) > 1
    for ws, rows in report.tags:
        if several:
            out.append(f'<h3 class="path">{esc(_vault_name(ws))}</h3>')
        if not rows:
            out.append('<p class="muted">No tags.</p>')
            continue
        drift = sum(1 for r in rows if len(r.spellings) > 1)
        out.append(f"<p>{len(rows)} tag{'s' if len(rows) != 1 else ''}; "
                   f"{drift} written more than one way (letter case, <code>_</code> or <code>-</code>).</p>")
        out.append('<table class="tags"><thead><tr><th>tag</th><th class="num">uses</th><th class="num">notes</th>'
                   "<th>spellings</th></tr></thead><tbody>")
        for r in rows:
            cls = ' class="drift"' if len(r.spellings) > 1 else ""
            spellings = "".join(f'<span class="spelling"><code>#{esc(s)}</code> ×{n}</span>' for s, n in r.spellings)
            out.append(f"<tr{cls}><td><code>#{esc(r.name)}</code></td><td class=\"num\">{r.uses}</td>"
                       f'<td class="num">{r.notes}</td><td>{spellings}</td></tr>')
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def _findings_html(report: Report) -> list[str]:
    out = ['<section id="findings"><h2>Findings by file</h2>']
    if not report.entries:
        out.append('<p class="muted">No findings.</p></section>')
        return out
    by_file: dict[str, list[Entry]] = {}
    for e in report.entries:
        by_file.setdefault(e.path, []).append(e)
    for path, entries in by_file.items():
        picture = report.file_pictures.get(path)
        head = _thumb(picture, small=True) if picture else ""
        n = len(entries)
        out.append(f'<section class="file" id="{esc(report.anchors[path])}"><h3 class="filehead">{head}'
                   f'<span class="path">{esc(path)}</span> <span class="muted">{n} finding{"s" if n != 1 else ""}'
                   "</span></h3><table><tbody>")
        note = _note_of(entries[0])
        for e in entries:
            out.append(_finding_row(e, note))
        out.append("</tbody></table></section>")
    out.append("</section>")
    return out


def _note_of(e: Entry) -> Note | None:
    from notelint.vault import is_note_name

    if not is_note_name(e.finding.path):
        return None
    try:
        note = e.ws.note(e.finding.path)
    except Exception:  # noqa: BLE001 - without the note the finding is shown without its line
        return None
    return note if note.readable else None


def _finding_row(e: Entry, note: Note | None) -> str:
    f = e.finding
    fix = ""
    if f.fix is not None:
        fix = '<span class="fix">fixable</span>' if f.fix.safe else '<span class="fix">unsafe fix</span>'
    related = ""
    if e.related:
        related = '<div class="muted">related: ' + ", ".join(f'<span class="path">{esc(r)}</span>' for r in e.related) + "</div>"
    source = _source_line(note, f) if note is not None else ""
    return (f'<tr><td class="num loc">{f.line}:{f.column}</td><td class="code {esc(f.severity)}">{esc(f.code)}</td>'
            f"<td>{source}<div>{esc(f.message)} <span class=\"muted\">[{esc(f.rule)}]</span> {fix}</div>{related}</td></tr>")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _visible(text: str) -> str:
    """HTML-escaped, with control characters shown as their Unicode pictures (never raw)."""
    text = _CONTROL.sub(lambda m: "\u2421" if m.group(0) == "\x7f" else chr(0x2400 + ord(m.group(0))), text)
    return esc(text)


def _source_line(note: Note, f: Finding) -> str:
    """The offending line with the finding's span marked, trimmed around it when long."""
    lines = note.lines
    if not 1 <= f.line <= len(lines):
        return ""
    text = lines.line(f.line - 1)
    start = min(max(f.column - 1, 0), len(text))
    if f.end_line == f.line and f.end_column:
        end = min(max(f.end_column - 1, start), len(text))
    elif f.end_line and f.end_line > f.line:
        end = len(text)
    else:
        end = min(start + 1, len(text))
    shown_end = min(end, start + LINE_WINDOW)  # a very long span is cut too
    lo = max(0, min(start - LINE_WINDOW // 3, len(text) - LINE_WINDOW))
    hi = min(len(text), max(shown_end, lo + LINE_WINDOW))
    head = "…" if lo > 0 else ""
    tail = "…" if max(hi, end) < len(text) else ""
    if end > start:
        marked = f"<mark>{_visible(text[start:shown_end])}{'…' if shown_end < end else ''}</mark>"
    else:
        marked = '<mark class="caret"></mark>'
    return (f'<pre class="src"><span class="ln">{f.line}</span>{head}{_visible(text[lo:start])}{marked}'
            f"{_visible(text[end:hi])}{tail}</pre>")
