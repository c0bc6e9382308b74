"""yaml-key-sort: order the frontmatter's top-level keys (priority keys first, the rest sorted)."""

from notelint.finding import Edit
from notelint.fmt_yaml_keys import key_blocks, parses_after
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

ORDERS = ("None", "Ascending Alphabetical", "Descending Alphabetical")


def priority(keys) -> list[str]:
    out = []
    for key in keys:
        key = str(key).rstrip()
        if key.endswith(":"):
            key = key[:-1]
        out.append(key)
    return out


class YamlKeySort(FormatRule):
    name = "yaml-key-sort"
    code = "NL550"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Order the frontmatter's top-level keys: the priority keys first, the others as configured"
    rationale = (
        "Notes whose frontmatter lists the same keys in the same order are easier to scan and diff. Whole "
        "top-level key blocks are moved: a key with every line of its value and the comment and blank lines "
        "right above it (a blank line belongs to the key after it). Nested keys are never moved (unlike the "
        "plugin, which could pull them up to the top level), no byte inside a block changes, and a fix that "
        "would break the YAML (an alias moved above its anchor) is not offered."
    )
    bad = "---\ntags: [log]\ntitle: Weekly review\n---\nText\n"
    good = "---\ntitle: Weekly review\ntags: [log]\n---\nText\n"
    example_files = {".notelint.toml": '[rules.yaml-key-sort]\nyaml-key-priority-sort-order = ["title"]\n'}
    fix = "safe"
    yaml_rule = True
    options = (
        Option("yaml-key-priority-sort-order", list, [], "Keys to put in this order (a final `:` is ignored)."),
        Option("priority-keys-at-start-of-yaml", bool, True,
               "Put the priority keys at the start of the frontmatter (false: at its end)."),
        Option("yaml-sort-order-for-other-keys", ORDERS, "None",
               "How to order the other keys: as written, or alphabetically (ignoring case) a-z or z-a."),
    )
    plugin = (PluginRule("yaml-key-sort", options={
        "yaml-key-priority-sort-order": "yaml-key-priority-sort-order",
        "priority-keys-at-start-of-yaml": "priority-keys-at-start-of-yaml",
        "yaml-sort-order-for-other-keys": "yaml-sort-order-for-other-keys",
    }),)

    def format(self, note):
        if not note.frontmatter.present:
            return
        blocks = key_blocks(note)
        if not blocks or len(blocks) < 2:
            return
        wanted = priority(self.settings["yaml-key-priority-sort-order"])
        by_key = {b.key: b for b in blocks}
        first = [by_key[k] for k in dict.fromkeys(wanted) if k in by_key]
        chosen = {id(b) for b in first}
        rest = [b for b in blocks if id(b) not in chosen]
        order = self.settings["yaml-sort-order-for-other-keys"]
        if order != "None":
            rest = sorted(rest, key=lambda b: b.key.lower(), reverse=order == "Descending Alphabetical")
        new = first + rest if self.settings["priority-keys-at-start-of-yaml"] else rest + first
        if [id(b) for b in new] == [id(b) for b in blocks]:
            return
        text = note.text
        start, end = blocks[0].start, blocks[-1].end
        if text[end - 1 : end] not in ("\r", "\n"):
            return
        pieces = [text[b.start : b.end] for b in new]
        if any(not p.endswith(("\n", "\r")) for p in pieces):
            return
        edit = Edit(start, end, "".join(pieces))
        if not parses_after(note, [edit]):
            return
        moved = next(i for i, (a, b) in enumerate(zip(new, blocks)) if a is not b)
        at = blocks[moved]
        yield self.finding(note, at.key_start, at.key_end,
                           f"frontmatter keys out of order: `{new[moved].key}` comes "
                           f"{'first' if moved == 0 else 'after `' + new[moved - 1].key + '`'}; reorder the keys",
                           [edit])
