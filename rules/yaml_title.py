"""yaml-title: keep a frontmatter title key equal to the note's first H1 or its file name."""

import yaml

from notelint.fmt_yaml_keys import block_of, escape, file_title, first_h1, key_line_insert, parses_after, value_edit
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

MODES = ("first-h1-or-filename-if-h1-missing", "filename", "first-h1")


class YamlTitle(FormatRule):
    name = "yaml-title"
    code = "NL551"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Keep a `title` key in the frontmatter equal to the note's first H1 or its file name"
    rationale = (
        "Obsidian shows the file name and the first heading; other tools (publishers, Dataview, Dendron) "
        "read a `title` key. Keeping it in step by hand is easy to forget after a rename. The title is the "
        "first `# ` heading's text (links and images written as their text, outside code, math and comments) "
        "or the file name, quoted only when it must be. Only the title key's value is replaced, or one line "
        "is added before the closing `---` (a frontmatter block is created when the note has none); every "
        "other key, comment and quote stays as written."
    )
    bad = "---\ntags: [log]\n---\n# Weekly review\n"
    good = "---\ntags: [log]\ntitle: Weekly review\n---\n# Weekly review\n"
    fix = "safe"
    some_unsafe = True  # adding a missing title is safe; replacing one written there is not
    yaml_rule = True
    options = (
        Option("title-key", str, "title", "The frontmatter key that holds the title."),
        Option("mode", MODES, MODES[0], "Where the title comes from: the first H1 (else the file name), "
               "the file name, or the first H1 only (an empty title without one)."),
        Option("escape-character", ('"', "'"), '"', "The quote to use when the title must be quoted."),
    )
    plugin = (PluginRule("yaml-title", options={
        "title-key": "title-key",
        "mode": "mode",
        "commonStyles.escapeCharacter": "escape-character",
    }),)

    def format(self, note):
        fm = note.frontmatter
        if fm.present and fm.error is not None:
            return
        key = self.settings["title-key"].strip()
        if key.endswith(":"):
            key = key[:-1]
        if not key:
            return
        mode = self.settings["mode"]
        if mode == "filename":
            title = file_title(note)
        elif mode == "first-h1":
            title = first_h1(note)
        else:
            title = first_h1(note) or file_title(note)
        source = escape(title, self.settings["escape-character"])
        block = block_of(note, key) if fm.present else None
        if block is not None:
            edit = value_edit(note, block, source)
            if edit is None or not parses_after(note, [edit]):
                return
            # the value there was written by someone: replacing it is unsafe
            yield self.unsafe(self.finding(note, block.key_start, block.key_end,
                                           f"`{key}` is not the note's title; set it to {source} "
                                           "(unsafe: it replaces the value written there)", [edit]))
            return
        if fm.present and fm.root is not None and fm.root.__class__ is not yaml.MappingNode:
            return
        edit = key_line_insert(note, [f"{key}: {source}"])
        if edit is None:
            return
        if fm.present and not parses_after(note, [edit]):
            return
        at = fm.end if fm.present else 0
        yield self.finding(note, at, None, f"the frontmatter has no `{key}`; add `{key}: {source}`", [edit])
