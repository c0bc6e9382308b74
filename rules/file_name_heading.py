"""file-name-heading: a note without an H1 gets its file name as one (the Obsidian Linter's
`file-name-heading`)."""

import re
from pathlib import PurePosixPath

from notelint.finding import Edit
from notelint.formatting import FormatRule, is_protected
from notelint.plugin_rule import PluginRule

# the plugin's escapeMarkdownSpecialCharacters: what would otherwise be read as Markdown
SPECIAL = re.compile(r"[\\\[\]<>_*~=`$]")


def title_of(rel: str) -> str:
    """The heading text for a note: its file stem (`a.b.c` for Dendron's `a.b.c.md`), escaped."""
    return SPECIAL.sub(lambda m: "\\" + m.group(), PurePosixPath(rel).stem)


class FileNameHeading(FormatRule):
    name = "file-name-heading"
    code = "NL541"
    summary = "A note without an H1 heading gets its file name as one, at the top of the body"
    rationale = (
        "A note's H1 is its title in the rendered view and in exports; a note without one reads as "
        "untitled outside Obsidian. The heading `# <file name>` (Markdown characters in the name "
        "escaped) is inserted as the body's first line, after the frontmatter, which is never edited. "
        "An H1 anywhere at the top level counts, setext (`===`) too; one in a quote, a list, code, math "
        "or a comment does not, and nothing else in the note changes."
    )
    bad = "Some text without a title.\n"
    good = "# note\nSome text without a title.\n"
    fix = "safe"
    markdownlint = "MD041"
    plugin = (PluginRule("file-name-heading"),)

    def format(self, note):
        fm = note.frontmatter
        if fm.present and (fm.error or fm.block_end > len(note.text)):
            return  # where the body starts is not known
        for h in note.markdown.headings:
            if h.level != 1 or is_protected(note, h.start):
                continue
            atx = note.text[h.start] == "#"
            first = note.lines.starts[note.lines.index_of(h.start)]
            if not note.text[first : h.start if atx else h.text_start].strip(" \t"):
                return  # the note has a title (not one in a quote or a list)
        at = note.body_start
        heading = f"# {title_of(note.rel)}{note.newline}"
        if at and note.text[at - 1] not in "\r\n":
            heading = note.newline + heading  # the closing fence ends the file, with no line break
        yield self.finding(note, at, None, f"no H1 heading; insert `# {title_of(note.rel)}` (the file name)",
                           [Edit(at, at, heading)])
