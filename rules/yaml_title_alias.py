"""yaml-title-alias: keep the note's title (first H1 or file name) among its frontmatter aliases."""

import yaml

from notelint.finding import Edit
from notelint.fmt_yaml_keys import (block_of, escape, file_title, first_h1, is_escaped, is_numeric, is_plain,
                                     key_line_insert, parses_after, value_edit)
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

HELPER = "linter-yaml-title-alias"
STYLES = ("multi-line", "single-line", "single string to single-line", "single string to multi-line",
          "single string comma delimited")
SINGLE_LINE_STYLES = ("single-line", "single string to single-line", "single string comma delimited")


class _Abort(Exception):
    pass


class YamlTitleAlias(FormatRule):
    name = "yaml-title-alias"
    code = "NL552"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "Keep the note's title (first H1 or file name) among its frontmatter aliases"
    rationale = (
        "An alias makes a note findable and linkable by its heading, not only its file name. The title is "
        "the first `# ` heading's text (else the file name); it is added to `aliases` (or `alias`) and, with "
        "`use-yaml-key-to-keep-track-of-old-filename-or-heading`, remembered under the helper key so that a "
        "changed heading replaces the old alias instead of adding one more. Items of a multi-line list are "
        "spliced one by one (the other aliases keep their text, quotes and indentation); other keys, "
        "comments and quoting are never touched, and nothing is changed when `aliases` holds anything but "
        "text (a nested list, a mapping)."
    )
    bad = "---\ntags: [log]\n---\n# Weekly review\n"
    good = ("---\ntags: [log]\naliases:\n  - Weekly review\nlinter-yaml-title-alias: Weekly review\n---\n"
            "# Weekly review\n")
    fix = "safe"
    yaml_rule = True
    options = (
        Option("preserve-existing-alias-section-style", bool, True,
               "Keep the style of an existing aliases list; `alias-array-style` applies to new ones only."),
        Option("keep-alias-that-matches-the-filename", bool, False,
               "Add the title even when it is the file name (Obsidian finds the note by its name anyway)."),
        Option("use-yaml-key-to-keep-track-of-old-filename-or-heading", bool, True,
               "Remember the title under `alias-helper-key`, so a changed title replaces its old alias."),
        Option("alias-helper-key", str, HELPER, "The key that remembers the last title written (empty: the default)."),
        Option("alias-array-style", STYLES, "multi-line", "How a new (or converted) aliases list is written."),
        Option("escape-character", ('"', "'"), '"', "The quote to use when a title must be quoted."),
    )
    plugin = (PluginRule("yaml-title-alias", options={
        "preserve-existing-alias-section-style": "preserve-existing-alias-section-style",
        "keep-alias-that-matches-the-filename": "keep-alias-that-matches-the-filename",
        "use-yaml-key-to-keep-track-of-old-filename-or-heading": "use-yaml-key-to-keep-track-of-old-filename-or-heading",
        "alias-helper-key": "alias-helper-key",
        "commonStyles.aliasArrayStyle": "alias-array-style",
        "commonStyles.escapeCharacter": "escape-character",
    }, unmapped={
        "commonStyles.removeUnnecessaryEscapeCharsForMultiLineArrays":
            "notelint keeps the quotes of the existing aliases as written",
    }),)

    def format(self, note):
        fm = note.frontmatter
        if fm.present and fm.error is not None:
            return
        if fm.present and fm.root is not None and (not isinstance(fm.root, yaml.MappingNode) or fm.root.flow_style):
            return
        try:
            plan = self._plan(note)
        except _Abort:
            return
        if plan is None:
            return
        at, message, edits = plan
        if not edits:
            return
        if fm.present and not parses_after(note, edits):
            return
        yield self.finding(note, at, None, message, edits)

    def _plan(self, note):
        s = self.settings
        fm = note.frontmatter
        text, nl = note.text, note.newline
        quote = s["escape-character"]
        style = s["alias-array-style"]
        name = file_title(note)
        title = first_h1(note) or name
        if not title:
            return None
        force = is_numeric(title) or ("," in title and style in SINGLE_LINE_STYLES)
        esc = escape(title, quote, force)
        remove_title = not s["keep-alias-that-matches-the-filename"] and title == name
        helper = (s["alias-helper-key"] or HELPER).strip()
        if helper.endswith(":"):
            helper = helper[:-1]
        if helper in ("alias", "aliases"):
            return None
        data = fm.data if fm.present and isinstance(fm.data, dict) else {}
        previous = data.get(helper)
        if previous is not None:
            previous = _js_string(previous)
        alias_key = next((k for k in ("alias", "aliases") if k in data), None)

        edits: list[Edit] = []
        appended: list[str] = []
        what: list[str] = []
        at = fm.end if fm.present else 0
        if alias_key is not None:
            block = block_of(note, alias_key)
            if block is None:
                raise _Abort
            at = block.key_start
            current, kind, sources, nodes = self._current(note, block)
            new = _new_value(current, remove_title, title, previous)
            if new is None:
                edits.append(Edit(block.key_line, block.end, ""))
                what.append(f"remove `{alias_key}` (nothing but the file name was left in it)")
            elif current is None or new.items != current or new.prepended:
                before = len(edits)
                keep_style = (s["preserve-existing-alias-section-style"] and kind != "empty" and
                              (kind != "single" or new.items == [title] or not new.prepended))
                target = kind if keep_style else style
                if kind == "empty" and target == "empty":
                    target = style
                if target == "block" and kind == "block" and nodes:
                    edits += self._splice_block(note, nodes, new, esc, nl)
                else:
                    srcs = []
                    for origin in new.origin:
                        srcs.append(esc if origin is None else sources[origin])
                    target = {"block": "multi-line", "multi": "multi-line", "flow": "single-line",
                              "single": "single string to single-line", "empty": style}.get(target, target)
                    formatted = _format(srcs, target, nl, quote)
                    colon = text.find(":", block.key_end)
                    end = block.end
                    while end > colon + 1 and text[end - 1] in " \t\r\n":
                        end -= 1
                    if text[colon + 1 : end] != formatted:
                        edits.append(Edit(colon + 1, end, formatted))
                if len(edits) > before:
                    what.append(f"put the title {esc} in `{alias_key}`" if not remove_title
                                else f"remove the file name {esc} from `{alias_key}`")
        elif not remove_title:
            appended += ["aliases:" + line if i == 0 else line
                         for i, line in enumerate(_format([esc], style, "\n", quote).split("\n"))]
            what.append(f"add the title {esc} to `aliases`")

        helper_block = block_of(note, helper) if helper in data else None
        if not s["use-yaml-key-to-keep-track-of-old-filename-or-heading"] or remove_title:
            if helper_block is not None:
                edits.append(Edit(helper_block.key_line, helper_block.end, ""))
                what.append(f"remove `{helper}`")
        elif helper_block is not None:
            edit = value_edit(note, helper_block, esc)
            if edit is not None:
                edits.append(edit)
                what.append(f"set `{helper}` to {esc}")
        elif helper in data:
            raise _Abort
        else:
            appended.append(f"{helper}: {esc}")
            what.append(f"add `{helper}: {esc}`")
        if appended:
            insert = key_line_insert(note, appended)
            if insert is None:
                raise _Abort
            edits.append(insert)
        if not edits:
            return None
        return at, "the title alias is missing or out of date; " + ", ".join(what), edits

    def _current(self, note, block):
        """(aliases as strings or None, kind, source text of each, nodes of a block list)."""
        node = block.value
        text, base = note.text, note.frontmatter.start
        if isinstance(node, yaml.SequenceNode):
            if not all(isinstance(v, yaml.ScalarNode) and v.tag != "tag:yaml.org,2002:null" for v in node.value):
                raise _Abort
            sources = [text[base + v.start_mark.index : base + v.end_mark.index] for v in node.value]
            if any("\n" in src or "\r" in src for src in sources):
                raise _Abort
            values = [_js_string(yaml.safe_load("k: " + src)["k"]) for src in sources]
            if not values:  # `[]`: written in the configured style when it is multi-line, as the plugin does
                multi = not node.flow_style or self.settings["alias-array-style"] == "multi-line"
                return None, "multi" if multi else "flow", [], []
            return values, "flow" if node.flow_style else "block", sources, node.value
        if not isinstance(node, yaml.ScalarNode):
            raise _Abort
        if node.tag == "tag:yaml.org,2002:null":
            return None, "empty", [], []
        start, end = base + node.start_mark.index, base + node.end_mark.index
        src = text[start:end]
        if "\n" in src or "\r" in src or node.style in ("|", ">"):
            raise _Abort
        if is_plain(node):
            sources = [p.strip() for p in src.split(",") if p.strip()]
            values = [_js_string(yaml.safe_load("k: " + p)["k"]) if p else "" for p in sources]
        else:
            sources, values = [src], [node.value]
        return values, "single", sources, []

    def _splice_block(self, note, nodes, new, esc, nl):
        text, base, lines = note.text, note.frontmatter.start, note.lines
        edits = []
        kept = {o for o in new.origin if o is not None}
        for i, node in enumerate(nodes):
            s, e = base + node.start_mark.index, base + node.end_mark.index
            if i in new.replaced:
                edits.append(Edit(s, e, esc))
            elif i not in kept:
                line_start = lines.starts[lines.index_of(s)]
                j = lines.index_of(e if e > s else s)
                end = lines.starts[j + 1] if j + 1 < len(lines) else len(text)
                edits.append(Edit(line_start, end, ""))
        if new.prepended and nodes:
            s = base + nodes[0].start_mark.index
            line_start = lines.starts[lines.index_of(s)]
            dash = text.rfind("-", line_start, s)
            if dash < 0:
                raise _Abort
            lead = text[line_start:dash]
            gap = text[dash + 1 : s]
            edits.append(Edit(line_start, line_start, f"{lead}-{gap}{esc}{nl}"))
        return edits


class _New:
    __slots__ = ("items", "origin", "replaced", "prepended")

    def __init__(self, items, origin, replaced=(), prepended=False):
        self.items, self.origin, self.replaced, self.prepended = items, origin, set(replaced), prepended


def _new_value(current, remove_title: bool, title: str, previous):
    """The plugin's `getNewAliasValue` on strings: the new aliases, or None to drop the key. `origin` is
    each new item's index in the current list (None: the title)."""
    if current is None:
        return None if remove_title else _New([title], [None], prepended=True)
    items, origin = list(current), list(range(len(current)))
    replaced, prepended = set(), False
    if previous is not None:
        if previous in items:
            i = items.index(previous)
            if remove_title:
                del items[i], origin[i]
            elif items[i] != title:
                items[i] = title
                origin[i] = None
                replaced.add(i)
        elif not remove_title and title not in items:
            items, origin, prepended = [title] + items, [None] + origin, True
    elif title in items:
        if remove_title:
            i = items.index(title)
            del items[i], origin[i]
    elif not remove_title:
        items, origin, prepended = [title] + items, [None] + origin, True
    if not items:
        return None
    return _New(items, origin, replaced, prepended)


def _format(sources: list[str], style: str, nl: str, quote: str) -> str:
    """The plugin's `formatYamlArrayValue` (the text after `key:`), numeric items quoted."""
    items = [escape(v, quote, True) if is_numeric(v) and not is_escaped(v) else v for v in sources]
    if style == "multi-line" or (style == "single string to multi-line" and len(items) > 1):
        return "".join(f"{nl}  - {v}" for v in items)
    if len(items) == 1 and style.startswith("single string"):
        return " " + items[0]
    if style == "single string comma delimited":
        return " " + ", ".join(items)
    return " [" + ", ".join(items) + "]"


def _js_string(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return str(value)
