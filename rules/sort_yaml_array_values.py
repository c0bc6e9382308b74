"""sort-yaml-array-values: frontmatter array values in alphabetical order (the Obsidian Linter's
`sort-yaml-array-values`)."""

from notelint import fmt_yaml_arrays as arr
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

ORDERS = ("Ascending Alphabetical", "Descending Alphabetical")


class SortYamlArrayValues(FormatRule):
    name = "sort-yaml-array-values"
    code = "NL559"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Frontmatter array values in alphabetical order"
    rationale = (
        "Sorted tags, aliases and lists are easy to scan and merge. Values are ordered as the Obsidian Linter "
        "orders them (JavaScript's `localeCompare`: case-insensitive, then lower case first); descending is that "
        "order reversed. The fix writes `tags` and `aliases` in their configured styles, other lists keep their "
        "single-line or multi-line form. Only the key's value is rewritten; a list with a comment among its "
        "items or with a nested list or mapping is never touched, and a string value is left alone."
    )
    bad = "---\ntags: [research, androids, computer]\n---\n"
    good = "---\ntags: [androids, computer, research]\n---\n"
    fix = "safe"
    yaml_rule = True
    markdownlint = ""
    options = (
        Option("sort-alias-key", bool, True, "Sort `aliases` (or `alias`)."),
        Option("sort-tag-key", bool, True, "Sort `tags` (or `tag`)."),
        Option("sort-array-keys", bool, True, "Sort the values of other lists."),
        Option("ignore-keys", list, [], "Keys whose lists keep their order."),
        Option("sort-order", ORDERS, "Ascending Alphabetical", "The order: from a to z, or from z to a."),
        Option("alias-array-style", arr.ALIAS_STYLES, "single-line", "The style `aliases` is written in when fixed (the plugin's general setting)."),
        Option("tag-array-style", arr.TAG_STYLES, "single-line", "The style `tags` is written in when fixed (the plugin's general setting)."),
        Option("escape-character", ('"', "'"), '"', "The quote put around an item that needs one in its new place."),
        Option("remove-unnecessary-escapes", bool, False, "Drop quotes a multi-line list item does not need."),
    )
    plugin = (PluginRule("sort-yaml-array-values", options={
        "sort-alias-key": "sort-alias-key",
        "sort-tag-key": "sort-tag-key",
        "sort-array-keys": "sort-array-keys",
        "ignore-keys": "ignore-keys",
        "sort-order": "sort-order",
        "commonStyles.aliasArrayStyle": "alias-array-style",
        "commonStyles.tagArrayStyle": "tag-array-style",
        "commonStyles.escapeCharacter": "escape-character",
        "commonStyles.removeUnnecessaryEscapeCharsForMultiLineArrays": "remove-unnecessary-escapes",
    }),)
    differences = ()

    def format(self, note):
        fm = note.frontmatter
        if not fm.present or fm.error:
            return
        s = self.settings
        if s["sort-alias-key"]:
            key = arr.present_key(note, arr.ALIAS_KEYS)
            if key is not None:
                yield from self._one(note, key, s["alias-array-style"])
        if s["sort-tag-key"]:
            key = arr.present_key(note, arr.TAG_KEYS)
            if key is not None:
                yield from self._one(note, key, s["tag-array-style"])
        if s["sort-array-keys"]:
            skip = set(arr.TAG_KEYS + arr.ALIAS_KEYS) | set(s["ignore-keys"])
            for key in arr.top_keys(note):
                if key not in skip:
                    yield from self._one(note, key, None)

    def _one(self, note, key, style):
        value = arr.read(note, key)
        if value is None or value.form not in ("flow", "block") or not value.fixable or len(value.items) < 2:
            return
        names = [it.data if isinstance(it.data, str) else it.raw for it in value.items]
        order = arr.plugin_sort(names, self.settings["sort-order"] == ORDERS[1])
        if [names[i] for i in order] == names:
            return  # (equal values in either order are sorted: descending reverses them, which is no change)
        first = next(i for i, j in enumerate(order) if names[i] != names[j])
        items = [value.items[i] for i in order]
        if style is None:
            style = "multi-line" if value.form == "block" else "single-line"
        edit = arr.rewrite(note, value, items, style, self.settings["escape-character"],
                           self.settings["remove-unnecessary-escapes"])
        wrong = value.items[first]
        direction = "descending" if self.settings["sort-order"] == ORDERS[1] else "ascending"
        yield self.finding(note, wrong.start, wrong.end,
                           f"`{key}` is not in {direction} alphabetical order (`{wrong.raw}` comes later); sort it",
                           [edit] if edit is not None else None)
