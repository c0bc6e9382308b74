"""dangling-link: a link to a note that does not exist, or to a heading it does not have."""

import posixpath
import re
from urllib.parse import unquote

from notelint.finding import Edit
from notelint.resolve import vault_notes
from notelint.rule import Rule

CASE_WARNING = "it works on macOS and Windows but breaks on Linux, in git and when the vault is published"


class DanglingLink(Rule):
    name = "dangling-link"
    code = "NL402"
    summary = "A wikilink or Markdown link to a note that does not exist, or to a #heading the note does not have"
    rationale = (
        "A link to a missing note or heading leads nowhere, and nothing says so until someone follows "
        "it. Wikilinks (`[[Note]]`, `[[Note#Heading|text]]`, `[[#Heading]]`, embeds of notes) are "
        "resolved as Obsidian does (vault path, the note's folder, then the shortest path, ignoring "
        "case); in Dendron `[[text|a.b.c]]` and `[[dendron://vault/a.b]]` name a note by its "
        "hierarchy. Markdown links to `.md` files are file paths. Headings match ignoring case (and as "
        "slugs, `my-heading`). Links to attachments are left to dangling-image. The only fix is for a "
        "target that exists in other letter case, exactly once."
    )
    bad = "See [[Projcts/Plan]] and [[Plan#Budgte]]."
    good = "See [[Projects/Plan]] and [[Plan#Budget]]."
    example_files = {"Projects/Plan.md": "# Plan\n\n## Budget\n"}
    fix = "safe"

    def prepare(self, ws):
        self.index = vault_notes(ws)
        return ()

    def check(self, note):
        index = self.index
        for ref in index.refs_of(note):
            res = index.resolve(ref)
            if res.status in ("ok", "skip"):
                continue
            written = note.text[ref.start:ref.end]
            if res.status == "heading":
                where = "this note" if res.target == note.rel else f"`{res.target}`"
                if res.detail.startswith("^"):
                    what = f"no block `{res.detail}` in {where} (a block id is written `{res.detail}` at the end of a paragraph)"
                else:
                    what = f"no heading `{res.detail}` in {where} (headings match ignoring case)"
                yield self.finding(note, ref.start, ref.end, f"link `{written}`: {what}; correct the heading or the link")
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
            else:
                message = f"link `{written}`: no note `{res.detail}` in the vault"
                if res.candidates:
                    message += "; notes with that name: " + ", ".join(f"`{c}`" for c in res.candidates[:5])
                else:
                    message += "; create the note or correct the link"
                yield self.finding(note, ref.start, ref.end, message)


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
