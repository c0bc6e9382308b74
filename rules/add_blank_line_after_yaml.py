"""add-blank-line-after-yaml: one blank line between the frontmatter and the body."""

from notelint.finding import Edit
from notelint.fmt_spacing import body_first_line, line_count
from notelint.formatting import FormatRule
from notelint.plugin_rule import PluginRule


class AddBlankLineAfterYaml(FormatRule):
    name = "add-blank-line-after-yaml"
    code = "NL507"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "A blank line separates the frontmatter from the body that follows it"
    rationale = (
        "A body that starts on the line right after the closing `---` is hard to tell from the "
        "frontmatter when reading the source. The blank line is only added where body text follows; "
        "a note that is only frontmatter, or whose body already starts with a blank line, is left "
        "alone. The frontmatter itself is never touched."
    )
    bad = "---\nkey: value\n---\nHere is some text\n"
    good = "---\nkey: value\n---\n\nHere is some text\n"
    fix = "safe"
    plugin = (PluginRule("add-blank-line-after-yaml"),)

    def format(self, note):
        fm = note.frontmatter
        if not fm.present or (fm.error and fm.block_end >= len(note.text)):
            return
        first = body_first_line(note)
        if first >= line_count(note) or not note.text[note.body_start:].strip():
            return  # nothing but the frontmatter (and blank lines)
        lines = note.lines
        if lines.blank(first):
            return
        start = lines.starts[first]
        newline = note.text[lines.ends[first - 1]:start] if first > 0 else note.newline
        yield self.finding(note, start, None, "the body starts right after the frontmatter; add a blank line",
                           [Edit(start, start, newline or note.newline)])
