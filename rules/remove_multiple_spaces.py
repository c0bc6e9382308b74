"""remove-multiple-spaces: one space between words, not two or more."""

import re

from notelint.finding import Edit
from notelint.fmt_spacing import body_first_line, line_count, structure_prefix
from notelint.formatting import FormatRule, is_protected
from notelint.plugin_rule import PluginRule

RUN = re.compile(r"(?<=\S) {2,}(?=\S)")


class RemoveMultipleSpaces(FormatRule):
    name = "remove-multiple-spaces"
    code = "NL513"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Two or more spaces between words become one"
    rationale = (
        "Markdown renders a run of spaces as one, so the extra spaces are noise in the source and in "
        "diffs. Only runs between two visible characters on one line are shortened: leading "
        "indentation, the spacing after a blockquote `>`, a list marker or a checkbox, and trailing "
        "spaces (a hard line break) are kept. Code, math, links, images, wikilinks, tags, tables, "
        "HTML blocks, comments and the frontmatter are never touched."
    )
    bad = "Lorem ipsum   dolor  sit amet.\n"
    good = "Lorem ipsum dolor sit amet.\n"
    fix = "safe"
    plugin = (PluginRule("remove-multiple-spaces"),)

    def format(self, note):
        text = note.text
        if "  " not in text:
            return
        lines = note.lines
        doc = note.markdown
        skip_lines = set()
        for b in doc.blocks:
            if b.kind == "table":
                skip_lines.update(range(b.first_line, b.last_line + 1))
        skip_spans = sorted((e.start, e.end) for e in [*doc.links, *doc.images, *doc.wikilinks, *doc.tags])
        for i in range(body_first_line(note), line_count(note)):
            if i in skip_lines:
                continue
            start, end = lines.starts[i], lines.ends[i]
            line = text[start:end]
            if "  " not in line:
                continue
            for m in RUN.finditer(line, structure_prefix(line)):
                s, e = start + m.start(), start + m.end()
                if is_protected(note, s, e) or any(a < e and s < b for a, b in skip_spans):
                    continue
                yield self.finding(note, s, e, f"{e - s} spaces in a row; use one", [Edit(s + 1, e, "")])
