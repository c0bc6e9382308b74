"""dedupe-yaml-array-values: a value listed twice in a frontmatter array (the Obsidian Linter's
`dedupe-yaml-array-values`)."""

from notelint import fmt_yaml_arrays as arr
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule


class DedupeYamlArrayValues(FormatRule):
    name = "dedupe-yaml-array-values"
    code = "NL558"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "A value listed twice in a frontmatter array (case-sensitive): keep the first"
    rationale = (
        "A tag, alias or other list value written twice adds nothing and hides the list's real length. "
        "Values are compared as YAML reads them, case-sensitively (`Computer` and `computer` both stay). The "
        "fix keeps each value's first occurrence; `tags` and `aliases` are then written in their configured "
        "styles, other lists keep their single-line or multi-line form, as the Obsidian Linter does. Only the "
        "key's value is rewritten; a list with a comment among its items or with a nested list or mapping is "
        "never touched, and a string value (`tags: a a`) is left alone."
    )
    bad = "---\ntags: [computer, research, computer]\n---\n"
    good = "---\ntags: [computer, research]\n---\n"
    fix = "safe"
    yaml_rule = True
    markdownlint = ""
    options = (
        Option("dedupe-alias-key", bool, True, "Remove duplicate `aliases` (or `alias`) values."),
        Option("dedupe-tag-key", bool, True, "Remove duplicate `tags` (or `tag`) values."),
        Option("dedupe-array-keys", bool, True, "Remove duplicate values of other lists."),
        Option("ignore-keys", list, [], "Keys whose lists keep their duplicates."),
        *arr.style_options(),
    )
    plugin = (PluginRule("dedupe-yaml-array-values", options={
        "dedupe-alias-key": "dedupe-alias-key",
        "dedupe-tag-key": "dedupe-tag-key",
        "dedupe-array-keys": "dedupe-array-keys",
        "ignore-keys": "ignore-keys",
        **arr.COMMON_STYLES,
    }),)
    differences = ()

    def format(self, note):
        for key, style in arr.array_keys(note, self.settings, "dedupe"):
            yield from self._one(note, key, style)

    def _one(self, note, key, style):
        value = arr.read(note, key)
        if value is None or value.form not in ("flow", "block") or not value.fixable or len(value.items) < 2:
            return
        seen, kept, dupes = set(), [], []
        for item in value.items:
            ident = (type(item.data).__name__, item.data if isinstance(item.data, str) else item.raw)
            if ident in seen:
                dupes.append(item)
                continue
            seen.add(ident)
            kept.append(item)
        if not dupes:
            return
        if style is None:
            style = "multi-line" if value.form == "block" else "single-line"
        edit = arr.rewrite(note, value, kept, style, self.settings["escape-character"],
                           self.settings["remove-unnecessary-escapes"])
        first = dupes[0]
        shown = ", ".join(f"`{d.raw}`" for d in dupes)
        yield self.finding(note, first.start, first.end,
                           f"`{key}` lists {shown} again; remove the duplicate{'s' if len(dupes) > 1 else ''}",
                           [edit] if edit is not None else None)
