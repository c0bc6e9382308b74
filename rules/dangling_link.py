"""dangling-link: a link or embed to a note or file that does not exist, or to a heading or
block it does not have."""

import posixpath
import re
from urllib.parse import unquote

from notelint.anchors import github_slug
from notelint.finding import Edit
from notelint.resolve import (DENDRON_SCHEME, HEADINGS_FACT, NOTE_REFS_FACT, heading_facts, note_ref_rows,
                              vault_notes)
from notelint.rule import Rule

CASE_WARNING = "it works on macOS and Windows but breaks on Linux, in git and when the vault is published"


class DanglingLink(Rule):
    name = "dangling-link"
    code = "NL402"
    summary = "A link or embed to a note or file that does not exist, or to a #heading or ^block the note does not have"
    rationale = (
        "A link to a missing note, file, heading or block leads nowhere, and nothing says so until "
        "someone follows it. Wikilinks and embeds (`[[Note]]`, `[[Note#Heading|text]]`, `[[#Heading]]`, "
        "`![[Note]]`) are resolved as Obsidian does (vault path, the note's folder, then the shortest "
        "path, ignoring case); in Dendron `[[text|a.b.c]]` and `[[dendron://vault/a.b]]` name a note by "
        "its hierarchy, in any letter case (Dendron looks names up lower-cased): in a workspace of several vaults, `dendron://name/` looks in the vault of that "
        "name (an unknown name is reported) and a link without it in the note's own vault first, then "
        "in the others. Markdown links to `.md` files are file paths. Links and embeds of other files "
        "(`![[clip.mp4]]`, `![[paper.pdf#page=3]]`, `![[board.canvas]]`, `[[table.base]]`, audio, and "
        "Markdown links to such files) are checked here too; image embeds and Markdown images are "
        "dangling-image's. `[[Paper]]` when only `Paper.pdf` exists is reported with that hint: "
        "files other than notes are linked with their extension. Headings match as Obsidian compares "
        "them (case and special characters ignored, `#H1#H2` chains nested headings) or as GitHub/"
        "Dendron slugs of the rendered heading (`## [Intro](https://…)` is `#intro`; a repeated heading "
        "is `#intro-1`). Block ids (`#^id`) are letters, digits and `-` in Obsidian, and also `_` in "
        "Dendron. In a Dendron note reference (`![[note#start,1:#end]]`, `![[note#^blk:#*]]`, "
        "`![[note#^begin:#^end]]`) only the anchors are looked up: the `,1` line offset names nothing, "
        "`*` matches anything, and a heading is named by its slug, as Dendron requires; "
        "`![[journal.2021.*]]` is dangling only when no note matches. A missing anchor is reported "
        "where it is written and named as written (`#configure`). The only fix is for a target that "
        "exists in other letter case, exactly once."
    )
    bad = "See [[Projcts/Plan]] and [[Plan#Budgte]].\n![[tlak.mp4]]   <!-- no such file -->"
    good = "See [[Projects/Plan]] and [[Plan#Budget]].\n![[talk.mp4]]   <!-- talk.mp4 exists -->"
    example_files = {"Projects/Plan.md": "# Plan\n\n## Budget\n", "talk.mp4": b"\x00\x00\x00\x18ftypmp42"}
    fix = "safe"
    # the links of the notes checked, and the headings of those linked with an anchor
    index_facts = ((NOTE_REFS_FACT, note_ref_rows), (HEADINGS_FACT, heading_facts))

    def prepare(self, ws):
        self.index = vault_notes(ws)
        return ()

    def screen(self, rel):
        """Only a link that does not resolve is reported."""
        index = getattr(self, "index", None)
        refs = index.indexed_refs(rel) if index is not None and hasattr(index.ws, "note_facts") else None
        return refs is None or any(index.resolve_reference(ref).status not in ("ok", "skip") for ref in refs)

    def check(self, note):
        index = self.index
        for ref in index.refs_of(note):
            res = index.resolve_reference(ref)
            if res.status in ("ok", "skip"):
                continue
            written = note.text[ref.start:ref.end]
            if res.status == "heading":
                start, end = res.span or (ref.start, ref.end)
                yield self.finding(note, start, end, f"link `{written}`: {_missing_anchor(index, ref, res, note)}")
            elif res.status == "vault":
                names = ", ".join(f"`{sub.name}`" for sub in index.ws.vault.vaults_in_order) or "none on disk"
                yield self.finding(note, ref.start, ref.end,
                                   f"link `{written}`: no vault `{res.detail}` in dendron.yml (its vaults: {names}); "
                                   "correct the vault name")
            elif res.status == "outside":
                yield self.finding(note, ref.start, ref.end,
                                   f"link `{written}` resolves outside the vault root; link a note inside the vault")
            elif res.status == "case":
                replacement = _case_text(note.text[ref.dest_start:ref.dest_end], res.target, ref)
                edits = [Edit(ref.dest_start, ref.dest_end, replacement)] if replacement else None
                message = f"link `{written}`: the note exists only as `{res.target}` (different letter case): {CASE_WARNING}"
                if edits:
                    message += f"; relink to `{replacement}`"
                yield self.finding(note, ref.start, ref.end, message, edits)
            elif ref.file:
                yield self.finding(note, ref.start, ref.end, f"link `{written}`: no file `{res.detail}` in the vault; "
                                   "restore the file or correct the link")
            elif "*" in res.detail and ref.syntax == "embed" and note.flavor == "dendron":
                yield self.finding(note, ref.start, ref.end, f"link `{written}`: no note matches `{res.detail}`; "
                                   "correct the pattern or remove the reference")
            else:
                message = f"link `{written}`: no note `{res.detail}` {_where(index.ws.vault, ref)}"
                files = index.files_like(ref) if ref.syntax != "markdown" else []
                if files:
                    shown = ", ".join(f"`{f}`" for f in files[:3])
                    message += f"; a file {shown} exists; link it with its extension" if len(files) == 1 else \
                        f"; files {shown} exist; link one with its extension"
                elif res.candidates:
                    message += "; notes with that name: " + ", ".join(f"`{c}`" for c in res.candidates[:5])
                else:
                    message += "; create the note or correct the link"
                yield self.finding(note, ref.start, ref.end, message)


def _missing_anchor(index, ref, res, note) -> str:
    """What is missing where, and how the anchor would be written to be found."""
    where = "this note" if res.target == note.rel else f"`{res.target}`"
    anchor = res.detail
    if anchor.startswith("#^"):
        what = (f"no block `{anchor}` in {where} (a block id is written `{anchor[1:]}` at the end of a paragraph "
                "or list item, or on its own line after a block)")
        if note.flavor == "obsidian" and not re.fullmatch(r"[A-Za-z0-9-]+", anchor[2:]):
            what += "; Obsidian block ids hold only letters, digits and `-`"
        return what + "; correct the block id or the link"
    if note.flavor == "dendron" and ref.syntax == "embed":
        what = f"no heading `{anchor}` in {where} (a Dendron note reference names a heading by its slug"
        slug = github_slug(anchor[1:])
        if slug == anchor[1:].lower():
            return what + "); correct the heading or the reference"
        if slug in index.headings(res.target).slugs:
            return what + f"); write `#{slug}`"
        return what + ", lower case with `-` for spaces); correct the heading or the reference"
    return f"no heading `{anchor}` in {where} (headings match ignoring case); correct the heading or the link"


def _where(vault, ref) -> str:
    """Where the note was looked for: the vault, the named vault of a workspace, or all of them."""
    named = DENDRON_SCHEME.match(ref.raw) if ref.syntax != "markdown" else None
    if len(vault.vaults or ()) + len(vault.absent_vaults) < 2:
        return "in the vault"
    if named:
        return f"in vault `{named.group(1)}`"
    return "in the note's vault" if ref.syntax == "markdown" else "in any vault of the workspace"


def _case_text(written: str, target: str, ref) -> str | None:
    """`written` with its letters in the case of `target`; %-escapes and everything but the case
    of letters kept. None when the written text does not spell the target."""
    stem = target[:-3] if target.lower().endswith(".md") else target
    tokens = re.findall(r"(?:%[0-9A-Fa-f]{2})+|.", written, re.S) if ref.syntax == "markdown" else list(written)
    decoded_parts = [unquote(t) if t.startswith("%") and len(t) > 1 else t for t in tokens]
    decoded = "".join(decoded_parts)
    for candidate in (target, stem, posixpath.basename(target), posixpath.basename(stem)):
        if len(candidate) > len(decoded) or not decoded.lower().endswith(candidate.lower()):
            continue
        offset = len(decoded) - len(candidate)
        out, pos = [], 0
        for token, part in zip(tokens, decoded_parts):
            if len(token) == 1 and pos >= offset:
                out.append(candidate[pos - offset])
            else:
                out.append(token)
            pos += len(part)
        fixed = "".join(out)
        if fixed.lower() == written.lower() or unquote(fixed).lower() == unquote(written).lower():
            return fixed
    return None
