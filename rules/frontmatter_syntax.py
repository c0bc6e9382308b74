"""frontmatter-syntax: the YAML frontmatter block cannot be read as a mapping."""

from notelint.rule import Rule


class FrontmatterSyntax(Rule):
    name = "frontmatter-syntax"
    code = "NL002"
    summary = "Frontmatter is unterminated, not valid YAML, not a mapping, or has duplicate keys"
    rationale = (
        "A broken frontmatter block silently loses every property of the note: Obsidian shows the "
        "YAML as text, Dendron warns and may regenerate the block. YAML readers also disagree on "
        "duplicate keys (PyYAML keeps the last, ruamel.yaml refuses), so the note means different "
        "things to different tools. The line and column point at the cause (for an unclosed quote, "
        "the opening quote). While this finding holds, `notelint fix` never writes the note."
    )
    bad = "---\ntitle: GPT4Video: A Unified Model\ncreated: 1701259204127\n---\n"
    good = "---\ntitle: 'GPT4Video: A Unified Model'\ncreated: 1701259204127\n---\n"
    needs_valid_note = True

    def check(self, note):
        fm = note.frontmatter
        if fm.error:
            yield self.finding(note, fm.error.offset, fm.error.end, fm.error.message + "; the note will not be fixed until this is corrected")
        if fm.warning:
            yield self.finding(note, fm.warning.offset, fm.warning.end, fm.warning.message, severity="warning")
