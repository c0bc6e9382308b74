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
        *arr.style_options(),
    )
    plugin = (PluginRule("sort-yaml-array-values", options={
        "sort-alias-key": "sort-alias-key",
        "sort-tag-key": "sort-tag-key",
        "sort-array-keys": "sort-array-keys",
        "ignore-keys": "ignore-keys",
        "sort-order": "sort-order",
        **arr.COMMON_STYLES,
    }),)
    differences = ()

    def format(self, note):
        for key, style in arr.array_keys(note, self.settings, "sort"):
            yield from self._one(note, key, style)

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
