"""move-tags-to-yaml: body tags listed in the frontmatter `tags` (the Obsidian Linter's `move-tags-to-yaml`)."""

from notelint import fmt_yaml_arrays as arr
from notelint.finding import Edit
from notelint.formatting import FormatRule, is_protected, plugin_off
from notelint.options import Option
from notelint.plugin_rule import PluginRule

OPERATIONS = ("Nothing", "Remove hashtag", "Remove whole tag")


class MoveTagsToYaml(FormatRule):
    name = "move-tags-to-yaml"
    code = "NL560"
    summary = "Tags used in the body and missing from the frontmatter `tags`; optionally unmarked or removed in the body"
    rationale = (
        "Frontmatter tags are what Obsidian's properties, Dataview and other tools read first; listing every "
        "body tag there keeps the note's tags in one place. Tags in code, math, HTML, comments, links and "
        "`linter-disable` ranges are not tags and are never moved or touched; tags in `tags-to-ignore` stay "
        "where they are. New tags are appended (the value is written in `tag-array-style`; a new `tags:` key, "
        "or a frontmatter block, is added when the note has none). With `how-to-handle-existing-tags` the body "
        "tags already listed then lose their `#` or are removed with the space before them (a tag alone at a "
        "line's start is removed with the spaces after it, never joining two lines): that changes what the note "
        "says, so the fix is unsafe (`--unsafe-fixes`)."
    )
    bad = "---\ntags: [test]\n---\nText about #test and #markdown\n"
    good = "---\ntags: [test, markdown]\n---\nText about #test and #markdown\n"
    fix = "unsafe"
    yaml_rule = True
    markdownlint = ""
    options = (
        Option("how-to-handle-existing-tags", OPERATIONS, "Nothing",
               "What happens to a body tag once it is in the frontmatter: `Nothing`, `Remove hashtag` (`#tag` becomes "
               "`tag`), `Remove whole tag` (the tag and the space before it go)."),
        Option("tags-to-ignore", list, [], "Tags (without `#`) never moved nor changed in the body."),
        Option("tag-array-style", arr.TAG_STYLES, "single-line", "The style `tags` is written in (the plugin's general setting)."),
        Option("escape-character", ('"', "'"), '"', "The quote put around a tag that needs one."),
    )
    plugin = (PluginRule("move-tags-to-yaml", options={
        "how-to-handle-existing-tags": "how-to-handle-existing-tags",
        "tags-to-ignore": "tags-to-ignore",
        "commonStyles.tagArrayStyle": "tag-array-style",
        "commonStyles.escapeCharacter": "escape-character",
    }),)
    differences = ()

    def format(self, note):
        fm = note.frontmatter
        if fm.present and fm.error:
            return
        ignore = set(self.settings["tags-to-ignore"])
        ranges = plugin_off(note).ranges
        body = [t for t in note.markdown.tags
                if t.start >= note.body_start and t.name not in ignore and not is_protected(note, t.start, t.end)
                and not any(s <= t.start < e for s, e in ranges)]
        if not body:
            return
        key = arr.present_key(note, arr.TAG_KEYS) if fm.present else None
        value = arr.read(note, key) if key is not None else None
        if key is not None and value is None:
            return  # `tags:` holds a mapping or nested lists: not ours to extend
        items = self._existing(value)
        if items is None:
            return
        have = {str(i.data) for i in items}
        new, missing = [], []
        for t in body:
            if t.name not in have and t.name not in {n.raw for n in new}:
                new.append(arr.Item(t.name, t.name, t.start, t.end))
                missing.append(t)
        if new:
            yield self._add(note, key, value, items, new, missing)
        operation = self.settings["how-to-handle-existing-tags"]
        if operation == "Nothing":
            return
        for t in body:
            if t.name in have:  # only once it is listed: a tag is never lost from the note
                yield self._body(note, t, operation)

    @staticmethod
    def _existing(value):
        if value is None or value.form == "null":
            return []
        if value.form in ("flow", "block"):
            return value.items if all(i.data is not None for i in value.items) else None
        if not value.fixable:
            return None
        return arr.string_items(value, "tags")

    def _add(self, note, key, value, items, new, missing):
        style, char = self.settings["tag-array-style"], self.settings["escape-character"]
        if value is None:
            edit = arr.insert_array(note, "tags", new, style, char)
            where = "a new `tags:` key" if note.frontmatter.present else "a new frontmatter block"
        elif value.form == "null":
            text = arr.render(new, style, note.newline, "  ", char)
            edit = Edit(value.start, value.end, text) if text is not None else None
            if edit is not None and not arr.check_edits(note, [edit], key, "tags", [i.data for i in new]):
                edit = None
            where = f"`{key}`"
        else:
            edit = arr.rewrite(note, value, items + new, style, char)
            where = f"`{key}`"
        names = ", ".join(f"#{t.name}" for t in missing)
        first = missing[0]
        return self.finding(note, first.start, first.end, f"body tag{'s' if len(missing) > 1 else ''} {names} "
                            f"not in the frontmatter; add {'them' if len(missing) > 1 else 'it'} to {where}",
                            [edit] if edit is not None else None)

    def _body(self, note, t, operation):
        text = note.text
        if operation == "Remove hashtag":
            return self.finding(note, t.start, t.end, f"#{t.name} is listed in the frontmatter; remove its `#`",
                                [Edit(t.start, t.start + 1, "")])
        start, end = t.start, t.end
        line = note.lines.index_of(start)
        line_start = note.lines.starts[line]
        before = text[line_start:start]
        if start > line_start and text[start - 1] in " \t" and before.strip(" \t>"):
            start -= 1  # the space before it goes with it, as the plugin does
        else:
            while end < len(text) and text[end] in " \t":
                end += 1
            line_end = note.lines.ends[line]
            if not before.strip(" \t") and end == line_end:
                # the tag was the line: the whole line goes (with its line break)
                start = line_start
                end = note.lines.starts[line + 1] if line + 1 < len(note.lines) else len(text)
        return self.finding(note, t.start, t.end, f"#{t.name} is listed in the frontmatter; remove it from the body",
                            [Edit(start, end, "")])
