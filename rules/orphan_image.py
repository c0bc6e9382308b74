"""orphan-image: an image file in the vault that no note references."""

import fnmatch
import posixpath
import re
from urllib.parse import unquote

from notelint.example_files import png
from notelint.options import Option
from notelint.resolve import (NOTE_REFS_FACT, NoteRef, image_extension, is_remote, normal_path, note_ref_rows,
                              obsidian_lookup, vault_images, vault_notes)
from notelint.rule import Rule


class OrphanImage(Rule):
    name = "orphan-image"
    code = "NL405"
    summary = "An image file under the vault that no note references"
    rationale = (
        "Images pasted and then unlinked stay in the vault forever, growing every clone and backup. "
        "An image counts as referenced when any Markdown image, reference definition, `<img src>` "
        "or embed resolves to it, a link opens it (`[[diagram.png]]`, `[see](diagram.png)`: Excalidraw "
        "drawings list their images so), or a frontmatter value names it (`image:`, `banner: \"[[x.png]]\"`); "
        "a reference in other letter case counts too (dangling-image reports that one), and so do the "
        "references of notes matched by `exclude`. Files matched by `exclude`, by Obsidian's Excluded files "
        "(`userIgnoreFilters` in `.obsidian/app.json`) or by the `ignore` option are never reported. "
        "Off by default: some vaults keep images on purpose. Nothing is deleted."
    )
    bad = "The screenshot is gone from this note.   <!-- attachments/screenshot.png: no note references it -->\n"
    good = "![[screenshot.png]]\n"
    example_files = {"attachments/screenshot.png": png()}
    default = False
    severity = "warning"
    scope = "vault"
    options = (
        Option("ignore", list, [], "fnmatch globs of vault-relative image paths never reported (e.g. `\"templates/**\"`)."),
    )

    def check_vault(self, ws):
        index = vault_images(ws)
        used = set(index.references())
        for ref in index.all_refs():
            res = index.resolve(ref)
            if res.status == "case" and res.target:
                used.add(res.target)
        used |= frontmatter_images(ws, index)
        used |= linked_images(ws)
        filters = obsidian_filters(ws.vault.app.get("userIgnoreFilters") if ws.vault.flavor == "obsidian" else None)
        globs = self.settings["ignore"]
        for rel in ws.vault.assets:
            if rel in used or any(f(rel) for f in filters) or any(fnmatch.fnmatchcase(rel, g) for g in globs):
                continue
            yield self.file_finding(rel, "image is referenced by no note; link it from a note, or delete it if it is not needed")


def linked_images(ws) -> set[str]:
    """Images a note links rather than embeds (`[[diagram.png]]`, `[see](diagram.png)`), as
    dangling-link resolves them: the note uses the image too."""
    index = vault_notes(ws)
    notes = ws.vault.all_notes
    if hasattr(ws, "note_facts"):
        rows = ws.note_facts(NOTE_REFS_FACT, note_ref_rows, notes)
    else:
        rows = {rel: note_ref_rows(ws.note(rel)) for rel in notes}
    found = set()
    for rel, value in rows.items():
        for row in value or []:
            ref = NoteRef(rel, *row)
            if ref.file and image_extension(ref.raw.split("#", 1)[0]):
                res = index.resolve_reference(ref)
                if res.status == "ok" and res.target:
                    found.add(res.target)
    return found


def frontmatter_images(ws, index) -> set[str]:
    """Images named in frontmatter values (`image:`, `cover:`, `banner: "[[x.png]]"`), which
    publishing and banner plugins show: they are not orphans."""
    notes = ws.vault.all_notes  # an image named only by an excluded note is used too
    if hasattr(ws, "note_facts"):
        facts = ws.note_facts("frontmatter-images-1", frontmatter_image_values, notes)
    else:
        facts = {rel: frontmatter_image_values(ws.note(rel)) for rel in notes}
    found = set()
    for rel, values in facts.items():
        folder = posixpath.dirname(rel)
        base = ws.vault.base_of(folder)
        for value in values or []:
            path = normal_path(folder, value, base)
            target = path if path and index.files.exists(path) else None
            if not target:
                target, _ = obsidian_lookup(index.files, folder, value, base)
            if target:
                found.add(target)
    return found


def frontmatter_image_values(note) -> list[str]:
    """String values of the frontmatter (nested in lists and mappings) that name an image."""
    if not note.readable or note.frontmatter.error:
        return []
    out: list[str] = []

    def walk(value, depth=0):
        if depth > 20:
            return
        if isinstance(value, str):
            text = value.strip().removeprefix("!").removeprefix("[[").removesuffix("]]").split("|")[0].strip()
            if image_extension(text) and not is_remote(text):
                out.append(unquote(text) if "%" in text else text)
        elif isinstance(value, list):
            for v in value:
                walk(v, depth + 1)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v, depth + 1)

    walk(note.frontmatter.data)
    return out


def obsidian_filters(raw) -> list:
    """Obsidian's Excluded files: `/regex/` entries, else path prefixes (a folder or a file)."""
    out = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, str) or not item:
            continue
        if len(item) > 2 and item.startswith("/") and item.endswith("/"):
            try:
                pattern = re.compile(item[1:-1])
            except re.error:
                continue
            out.append(lambda rel, p=pattern: bool(p.search(rel)))
        else:
            prefix = item.lstrip("/")
            out.append(lambda rel, p=prefix: rel.startswith(p))  # Obsidian matches the path's start
    return out
