"""unreadable-image: a referenced image that cannot be opened and decoded."""

from notelint.example_files import png
from notelint.options import Option
from notelint.resolve import REFS_FACT, image_ref_rows, vault_images
from notelint.rule import Rule


class UnreadableImage(Rule):
    name = "unreadable-image"
    code = "NL403"
    summary = "A referenced image is empty, truncated, not an image, named for another format, or has more pixels than allowed"
    rationale = (
        "An image that exists but cannot be decoded shows as a broken icon, and a copy interrupted by "
        "sync or a full disk leaves exactly that: a zero-byte or truncated file. Every image a note "
        "references is opened and fully decoded with Pillow; the pixel count is checked from the "
        "header first, so a decompression bomb is refused before it is decoded. One finding per image "
        "file (line 1), naming the notes that reference it; those references are not also reported "
        "as dangling."
    )
    bad = "![scan](scan-synced.png)   <!-- cut off half-way by a sync -->\n![empty](empty.png)   <!-- 0 bytes -->\n"
    good = "![scan](scan.png)   <!-- opens and decodes -->\n"
    example_files = {"scan.png": png(), "scan-synced.png": png()[:60], "empty.png": b""}
    scope = "vault"
    vault_facts = ((REFS_FACT, image_ref_rows),)  # the notes' image references (`scoped.py`)
    options = (
        Option("max-pixels", int, 100_000_000,
               "Largest image allowed, in pixels (width × height), checked from the header before decoding.", minimum=1),
    )

    def check_vault(self, ws):
        references = vault_images(ws).references()
        facts = _probe_all(ws, sorted(references), self.settings["max-pixels"])
        for rel, refs in sorted(references.items()):
            fact = facts.get(rel) or {}
            if not fact.get("problem"):
                continue
            notes = sorted({r.note for r in refs})
            shown = ", ".join(f"`{n}`" for n in notes[:3]) + (f" and {len(notes) - 3} more" if len(notes) > 3 else "")
            yield self.file_finding(rel, f"{fact['problem']}; referenced from {shown}; {fact['remedy']}", related=notes)


def _probe_all(ws, rels: list[str], limit: int) -> dict:
    """Probe results per image, from the run's image facts (`notelint.imaging.facts`): one
    opening of each file shared with duplicate-image, cached while the file is unchanged."""
    from notelint.imaging.facts import image_facts

    return {rel: fact["probe"] for rel, fact in image_facts(ws, rels, limit).items()}
