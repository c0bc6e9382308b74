"""dangling-image: an image reference that points at no file in the vault."""

from notelint.example_files import png
from notelint.finding import Edit
from notelint.resolve import REFS_FACT, image_ref_rows, vault_images
from notelint.rule import Rule

CANDIDATES = {"name": "files with that name:", "case": "files differing only in letter case:",
              "content": "the hash cache saw its content in"}
CASE_WARNING = ("it works on macOS and Windows, whose file systems ignore case, "
                "but breaks on Linux, in git and when the vault is published")


class DanglingImage(Rule):
    name = "dangling-image"
    code = "NL401"
    summary = "An image reference resolves to no file in the vault, only to a file with other letter case, or outside the vault"
    rationale = (
        "A broken image is found months later, when the picture is needed. Markdown images, "
        "reference definitions, `<img src>` and Obsidian embeds are resolved the way Obsidian and "
        "Dendron do (percent-decoding, `<…>`, a leading `/` for the vault root, Obsidian's vault-wide "
        "lookup; in a Dendron workspace of several vaults, each vault is the root for its own notes). A path that differs only in letter case works on macOS and Windows but not on Linux, "
        "in git or when published. A path escaping the vault is never read. When exactly one file "
        "could be meant (the same path in other case, or the only file of that name in the vault), "
        "the fix rewrites only the destination, and only to a path that resolves to that file. When duplicate-image's hash cache knows what a missing "
        "file held, a file with exactly those bytes (moved or renamed) is a candidate too."
    )
    bad = ("![diagram](assets/Diagram.PNG)   <!-- the file is assets/diagram.png -->\n"
           "![[photo.jpg|300]]   <!-- the vault has photo.png, no photo.jpg -->\n")
    good = "![diagram](assets/diagram.png)\n![[photo.png|300]]   <!-- found in attachments/2023/ -->\n"
    example_files = {"assets/diagram.png": png(), "attachments/2023/photo.png": png(shade=128)}
    fix = "safe"
    index_facts = ((REFS_FACT, image_ref_rows),)

    def prepare(self, ws):
        self.index = vault_images(ws)
        self.index.load_hash_cache()
        return ()

    def screen(self, rel):
        """Only a reference that does not resolve is reported."""
        index = getattr(self, "index", None)
        refs = index.indexed_refs(rel) if index is not None and hasattr(index.ws, "note_facts") else None
        return refs is None or any(index.resolve(ref).status not in ("ok", "remote") for ref in refs)

    def check(self, note):
        index = self.index
        for ref in index.refs_of(note):
            res = index.resolve(ref)
            if res.status in ("ok", "remote"):
                continue
            shown = f"`{ref.raw}`"
            if res.status == "outside":
                yield self.finding(note, ref.start, ref.end,
                                   f"image {shown} resolves outside the vault root; it was not read. "
                                   "Move the image into the vault and link it from there")
                continue
            target = res.target if res.status == "case" else (res.candidates[0] if len(res.candidates) == 1 else None)
            relink = index.relink(note.rel, ref, target) if target is not None else None
            edits = None
            if relink is not None and relink != note.text[ref.dest_start:ref.dest_end]:
                edits = [Edit(ref.dest_start, ref.dest_end, relink)]
            if res.status == "case":
                message = f"image {shown} exists only as `{res.target}` (different letter case): {CASE_WARNING}"
            else:
                message = f"image {shown} not found{_looked_for(index, ref)}"
                if res.candidates and (len(res.candidates) > 1 or res.why == "content"):
                    listed = ", ".join(f"`{c}`" for c in res.candidates[:5])
                    message += f"; {CANDIDATES.get(res.why, 'candidates:')} {listed}"
                if len(res.candidates) > 1:
                    message += " (more than one, so it is not relinked)"
            if edits:
                message += f"; relink to `{relink}`"
            elif res.status == "missing" and not res.candidates:
                message += "; restore the file or remove the reference"
            yield self.finding(note, ref.start, ref.end, message, edits)


def _looked_for(index, ref) -> str:
    """Where the resolver looked, when that is not plain from the reference itself."""
    if ref.syntax == "embed":
        return " (no file of that name in the vault)"
    rel = index.expected_path(ref)
    vault_wide = index.flavor == "obsidian" and ref.syntax in ("markdown", "reference") and not ref.raw.startswith("/")
    if vault_wide:
        return f" (looked for `{rel}`, then vault-wide as Obsidian does)"
    return f" (looked for `{rel}`)" if rel is not None and rel != ref.raw else ""
