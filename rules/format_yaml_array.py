"""format-yaml-array: frontmatter arrays written in one style (the Obsidian Linter's `format-yaml-array`)."""

from notelint import fmt_yaml_arrays as arr
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule


class FormatYamlArray(FormatRule):
    name = "format-yaml-array"
    code = "NL557"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Frontmatter arrays in one style: `tags` and `aliases` in their configured styles, other lists single-line or multi-line"
    rationale = (
        "One way of writing a list keeps frontmatter readable and diffs small. `tags` and `aliases` may also be "
        "written as the strings Obsidian splits (`tags: a b`, `aliases: A, B`). Only the key's value is rewritten; "
        "each item keeps its quoting where it reads back the same, other keys, comments and key order stay. A list "
        "with a comment among its items, a nested list or mapping, an alias or a multi-line item is never rewritten, "
        "and a rewrite that would read as other values (a tag holding a space written space-delimited) is not offered."
    )
    bad = "---\ntags:\n  - computer\n  - research\naliases: Title 1, Title2\n---\n"
    good = "---\ntags: [computer, research]\naliases: [Title 1, Title2]\n---\n"
    fix = "safe"
    yaml_rule = True
    markdownlint = ""
    options = (
        Option("alias-key", bool, True, "Format the `aliases` (or `alias`) value."),
        Option("tag-key", bool, True, "Format the `tags` (or `tag`) value."),
        Option("default-array-style", arr.NORMAL_STYLES, "single-line", "The style of every other list."),
        Option("default-array-keys", bool, True, "Format lists other than `tags` and `aliases`."),
        Option("force-single-line-array-style", list, [], "Keys whose value is always written as a single-line list (a single value becomes a one-item list)."),
        Option("force-multi-line-array-style", list, [], "Keys whose value is always written as a multi-line list (a single value becomes a one-item list)."),
        *arr.style_options(),
    )
    plugin = (PluginRule("format-yaml-array", options={
        "alias-key": "alias-key",
        "tag-key": "tag-key",
        "default-array-style": "default-array-style",
        "default-array-keys": "default-array-keys",
        "force-single-line-array-style": "force-single-line-array-style",
        "force-multi-line-array-style": "force-multi-line-array-style",
        **arr.COMMON_STYLES,
    }),)
    differences = ()

    def format(self, note):
        fm = note.frontmatter
        if not fm.present or fm.error:
            return
        s = self.settings
        done = set()
        if s["alias-key"]:
            key = arr.present_key(note, arr.ALIAS_KEYS)
            if key is not None:
                done.add(key)
                yield from self._one(note, key, "aliases", s["alias-array-style"])
        if s["tag-key"]:
            key = arr.present_key(note, arr.TAG_KEYS)
            if key is not None:
                done.add(key)
                yield from self._one(note, key, "tags", s["tag-array-style"])
        single, multi = s["force-single-line-array-style"], s["force-multi-line-array-style"]
        for key in arr.top_keys(note):
            if key in done:
                continue
            if key in arr.TAG_KEYS + arr.ALIAS_KEYS:
                continue
            if key in multi:
                yield from self._one(note, key, "list", "multi-line", forced=True)
            elif key in single:
                yield from self._one(note, key, "list", "single-line", forced=True)
            elif s["default-array-keys"]:
                yield from self._one(note, key, "list", s["default-array-style"])

    def _one(self, note, key, kind, style, forced=False):
        value = arr.read(note, key)
        if value is None or value.form == "null":
            return
        if value.form in ("string", "scalar"):
            if kind == "list" and not forced:
                return  # a plain value of another key is no array
            items = arr.string_items(value, kind) if value.fixable else None
        else:
            items = value.items
        if items is None:
            return
        # a new style must read as the same values (as Obsidian splits a string of tags or aliases)
        expected = arr.as_read(kind, note.frontmatter.data.get(key))
        edit = arr.rewrite(note, value, items, style, self.settings["escape-character"],
                           self.settings["remove-unnecessary-escapes"], expected)
        if edit is None:
            return
        at = value.items[0].start if value.items else value.start
        yield self.finding(note, at, value.end, f"`{key}` is not written as a {style} array; rewrite it so", [edit])
