"""force-yaml-escape: quote the values of the configured frontmatter keys."""

import yaml

from notelint.finding import Edit
from notelint.fmt_yaml_keys import escape, is_escaped, key_blocks, reads_as
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

QUOTES = ('"', "'")


class ForceYamlEscape(FormatRule):
    name = "force-yaml-escape"
    code = "NL555"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Quote the values of the configured frontmatter keys"
    rationale = (
        "A plain value such as `false`, `2024` or `null` is read as a boolean, a number or nothing; a key "
        "that must always hold text (a title, an id) is safest quoted. Only single-line plain values of the "
        "listed top-level keys are quoted, with the escape character unless the value holds it; a value "
        "already quoted, a list, a block scalar, an empty value, a value with an anchor or a tag and every "
        "other key are left as written. Note that quoting makes a boolean or a number a string: that is "
        "the point of listing the key."
    )
    bad = "---\ntitle: 2024\n---\nText\n"
    good = '---\ntitle: "2024"\n---\nText\n'
    example_files = {".notelint.toml": '[rules.force-yaml-escape]\nforce-yaml-escape-keys = ["title"]\n'}
    fix = "safe"
    yaml_rule = True
    options = (
        Option("force-yaml-escape-keys", list, [], "Top-level frontmatter keys whose values are always quoted."),
        Option("escape-character", QUOTES, '"', "The quote to use when the value holds neither quote."),
    )
    plugin = (PluginRule("force-yaml-escape", options={
        "force-yaml-escape-keys": "force-yaml-escape-keys",
        "commonStyles.escapeCharacter": "escape-character",
    }),)

    def format(self, note):
        keys = [str(k).strip() for k in self.settings["force-yaml-escape-keys"] if str(k).strip()]
        if not keys or not note.frontmatter.present:
            return
        quote = self.settings["escape-character"]
        base = note.frontmatter.start
        for b in key_blocks(note) or ():
            if b.key not in keys:
                continue
            node = b.value
            if not isinstance(node, yaml.ScalarNode) or node.style not in (None, ""):
                continue  # a list, a mapping, a quoted or block value
            start, end = base + node.start_mark.index, base + node.end_mark.index
            source = note.text[start:end]
            if not source or source != node.value or is_escaped(source) or source.startswith("["):
                continue  # empty (null), an anchor, a tag or a multi-line plain value
            quoted = escape(source, quote, force=True)
            if quoted == source or not reads_as(quoted, source):
                continue
            yield self.finding(note, start, end, f"the value of `{b.key}` is not quoted; write it as {quoted}",
                               [Edit(start, end, quoted)])
