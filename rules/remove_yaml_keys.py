"""remove-yaml-keys: delete the listed top-level keys, with their values, from the frontmatter."""

from notelint.finding import Edit
from notelint.fmt_yaml_keys import key_blocks
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule


def wanted(keys) -> list[str]:
    """The configured keys as the plugin reads them: trimmed, a final `:` dropped."""
    out = []
    for key in keys:
        key = str(key).strip()
        if key.endswith(":"):
            key = key[:-1]
        if key and key not in out:
            out.append(key)
    return out


class RemoveYamlKeys(FormatRule):
    name = "remove-yaml-keys"
    code = "NL553"
    summary = "Remove the configured keys from the frontmatter"
    rationale = (
        "Some keys are noise a tool leaves behind (a plugin's bookkeeping, an exported field) and "
        "are better gone from every note. The key's line and every line of its value are deleted; "
        "comments above it and every other key stay byte for byte. Only top-level keys are removed, "
        "never a nested key of the same name. The fix deletes data, so it is unsafe."
    )
    bad = "---\ntitle: Notes\nstatus: WIP\n---\nText\n"
    good = "---\ntitle: Notes\n---\nText\n"
    example_files = {".notelint.toml": '[rules.remove-yaml-keys]\nyaml-keys-to-remove = ["status"]\n'}
    fix = "unsafe"
    yaml_rule = True
    options = (
        Option("yaml-keys-to-remove", list, [], "Top-level frontmatter keys to delete (a final `:` is ignored)."),
    )
    plugin = (PluginRule("remove-yaml-keys", options={"yaml-keys-to-remove": "yaml-keys-to-remove"}),)

    def format(self, note):
        keys = wanted(self.settings["yaml-keys-to-remove"])
        if not keys or not note.frontmatter.present:
            return
        blocks = key_blocks(note)
        if not blocks:
            return
        for b in blocks:
            if b.key in keys:
                yield self.finding(note, b.key_start, b.key_end,
                                   f"frontmatter key `{b.key}` is listed in remove-yaml-keys; remove it and its value",
                                   [Edit(b.key_line, b.end, "")])
