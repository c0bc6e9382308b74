"""tag-syntax: tags that Obsidian or Dendron would read differently from what the writer meant."""

import re
import unicodedata

import yaml

from notelint import tags as tags_mod
from notelint.finding import Edit, Fix
from notelint.options import Option
from notelint.rule import Rule

APP = {"obsidian": "Obsidian", "dendron": "Dendron"}
# Characters that never end a sentence: right after a tag they are part of what was meant.
JOINERS = {"obsidian": "+&$%=^@#\\", "dendron": "@#"}
# Sentence punctuation: fine after a tag, but cutting a word when a letter or digit follows.
SEPARATORS = ".,:;!?()\"'\u2019[]{}<>"
CONTRACTION = re.compile(r"['\u2019](?:s|d|t|ll|re|ve|m)\b", re.I)
# Punctuation that reads as the end of a phrase, but that the flavor keeps inside a tag.
MIDDLE_DOTS = "\u00b7\u30fb\u2027"
HASH_COMMENT = re.compile(r"#[^\s#,\[\]{}]+")
NOT_SPACE = re.compile(r"\S*")


class TagSyntax(Rule):
    name = "tag-syntax"
    code = "NL201"
    summary = "Tags Obsidian or Dendron would not read as intended: spaces or `#` in frontmatter tags, numeric-only, cut short, deprecated `tag:`"
    rationale = (
        "A tag the app reads differently from what the writer meant is silently missing from search, the tag "
        "pane and the graph. In frontmatter a `#` starts a YAML comment, so `tags: #a #b` is an empty value; a "
        "tag of only digits is no tag; and Obsidian 1.9 ignores the old `tag:` key. A string value is read as "
        "each app reads it: Obsidian splits `tags: a, b` and `tags: a b` into the tags `a` and `b` (its help "
        "documents the comma form), so neither is reported unless `string-tags = \"list\"` asks for lists; "
        "Dendron reads a string as one tag, so `a, b` is one tag with a comma. Inline, a tag ends at the first "
        "character its flavor does not allow: in Obsidian `#c++` is the tag `#c` and `#a.b` the tag `#a`; a "
        "full-width `，` does not end a tag, so `#自动驾驶，然后` is one long tag. Ordinary punctuation after a tag "
        "(`#tag.` `#tag,` `#tag)`) is fine. Fixes that only remove what the app cannot read (`#` in frontmatter, "
        "`tag:` renamed) or put the writer's own words into a list are safe; joining the words of a list item "
        "into one tag name is a guess, so that fix is unsafe (`--unsafe-fixes`)."
    )
    bad = "---\ntags: #project #idea\ntag: reading list\n---\nLearning #c++ and #node.js today.\n"
    good = "---\ntags: [project, idea]\n---\nLearning #cpp and #nodejs today.\n"
    fix = "safe"
    needs_valid_note = False  # a `#` in frontmatter tags can break the YAML: explain it all the same
    options = (
        Option("space-replacement", str, "-", "What joins the words of a frontmatter list item holding spaces when `notelint fix --unsafe-fixes` rewrites it (`- machine learning` becomes `machine-learning`): a guess at the tag meant, so never a safe fix."),
        Option("string-tags", ("accept", "list"), "accept", "A string value of `tags:` (`tags: a, b`, `tags: a b`, `tags: a`): `accept` reads it as the app does (Obsidian: one tag per word between commas and spaces; Dendron: one tag) and reports only what the app would read otherwise than written; `list` also reports every string value, as a style, with a safe fix to the flow list of the same tags (`tags: [a, b]`)."),
    )

    def check(self, note):
        if not note.readable:
            return
        fm = note.frontmatter
        if fm.present and fm.error:
            yield from self._comments_in_broken_yaml(note)
        elif fm.present and fm.root is not None:
            yield from self._frontmatter(note)
        yield from self._inline(note)

    # ------------------------------------------------------------------ frontmatter
    def _frontmatter(self, note):
        fm = note.frontmatter
        app = APP[self.flavor]
        for key in tags_mod.TAG_KEYS:
            pair = fm.key_node(key)
            if pair is None:
                continue
            k, v = pair
            if key == "tag":
                yield self._deprecated_key(note, k)
            yield from self._hidden_by_comments(note, k, v)
            if isinstance(v, yaml.MappingNode):
                s = fm.start + v.start_mark.index
                yield self.finding(note, s, fm.start + v.end_mark.index,
                                   f"`{key}:` holds a mapping; {app} reads tags from a list: write `{key}: [a, b]`")
                continue
            if isinstance(v, yaml.ScalarNode) and v.tag == "tag:yaml.org,2002:str" and v.value.strip():
                yield from self._string_value(note, key, v)
            if isinstance(v, yaml.SequenceNode):
                for item in v.value:
                    if not isinstance(item, yaml.ScalarNode):
                        kind = "list" if isinstance(item, yaml.SequenceNode) else "mapping"
                        yield self.finding(note, fm.start + item.start_mark.index, fm.start + item.end_mark.index,
                                           f"an item of `{key}:` is a {kind}, not a tag: {app} reads each item as one "
                                           "tag; write each tag as a plain list item")
        for ft in tags_mod.frontmatter_tags(note):
            # Obsidian reads each word of a string as a tag; Dendron reads the whole string
            if not ft.in_string or self.flavor == "obsidian":
                yield from self._value(note, ft)

    def _deprecated_key(self, note, k):
        fm = note.frontmatter
        s, e = fm.start + k.start_mark.index, fm.start + k.end_mark.index
        if self.flavor == "obsidian":
            what = "`tag:` is the deprecated spelling of `tags:`: Obsidian 1.9 and later ignore it"
        else:
            what = "`tag:` is not a Dendron key: Dendron reads tags from `tags:` only"
        if fm.key_node("tags") is not None:
            return self.finding(note, s, e, f"{what}; move its values into the `tags:` list and remove it")
        edits = [Edit(s, e, "tags")] if not k.style and note.text[s:e] == "tag" else None
        return self.finding(note, s, e, f"{what}; rename it `tags:`", edits)

    def _string_value(self, note, key, v):
        """A string where a list may belong. Dendron reads `a, b` as one tag with a comma: an
        error, fixed by listing the writer's own words. Everything else is read as the writer
        meant (Obsidian splits at commas and spaces), so it is reported only as a style, when
        `string-tags = "list"`."""
        words = [ft.value for ft in tags_mod.frontmatter_tags(note) if ft.node is v]
        if self.flavor == "dendron" and "," in v.value:
            why = "Dendron reads a string as one tag, here one tag with a comma in it"
            return [self._to_list(note, key, v, words, f"`{key}: {v.value}` is one comma-separated string where a "
                                  f"list belongs: {why}", "error")]
        if self.settings["string-tags"] != "list" or (self.flavor == "dendron" and re.search(r"\s", v.value.strip())):
            return []  # a Dendron string with spaces is one tag with a space: `_value` reports it
        return [self._to_list(note, key, v, words, f"`{key}: {v.value}` is a string; this vault writes tags as a "
                              "list (`string-tags = \"list\"`)", "warning")]

    def _to_list(self, note, key, v, words, what, severity):
        """A finding on the string `v` whose fix writes `words` as a flow list, kept only when the
        new value parses to exactly those words; the message shows what the fix writes."""
        s, e, exact = tags_mod.scalar_span(note, v)
        replacement = "[" + ", ".join(tags_mod.flow_item(w) for w in words) + "]"
        edits = None
        if exact and words:
            start, end = (s - 1, e + 1) if v.style in ("'", '"') else (s, e)
            edits = [Edit(start, end, replacement)]
            if not tags_mod.parses_to(note, edits, key, words):
                edits = None
        return self.finding(note, s, e, f"{what}; write `{key}: {replacement}`", edits, severity=severity)

    def _value(self, note, ft):
        """Problems of one tag value: `#`, spaces, digits only, characters the grammar refuses."""
        app = APP[self.flavor]
        value = ft.value
        where = f"frontmatter tag `{value}`"
        if value.startswith("#"):
            edits = None
            if ft.exact:
                edits = [Edit(ft.start, ft.start + len(value) - len(value.lstrip("#")), "")]
                expected = tags_mod.value_with_item(note, ft, value.lstrip("#"))
                if expected is None or not tags_mod.parses_to(note, edits, ft.key, expected):
                    edits = None
            yield self.finding(note, ft.start, ft.end,
                               f"{where} starts with `#`: in frontmatter a tag is written without it, and `#` "
                               f"is no character of a {app} tag; remove the `#`", edits)
            return
        if re.search(r"\s", value.strip()):
            if ft.in_list:
                sep = self.settings["space-replacement"]
                fixed = re.sub(r"\s+", sep, value.strip())
                edits = None
                if ft.exact and value == value.strip():
                    edits = [Edit(ft.start, ft.end, fixed)]
                    expected = tags_mod.value_with_item(note, ft, fixed)
                    if expected is None or not tags_mod.parses_to(note, edits, ft.key, expected):
                        edits = None
                finding = self.finding(note, ft.start, ft.end,
                                       f"{where} holds a space, and tags cannot: {app} does not read it as the tag "
                                       f"you wrote; write `{fixed}` if it is one tag, or make each word a list item "
                                       f"if these are {len(value.split())} tags", edits)
                if finding.fix is not None:  # the joined name is a guess at what was meant
                    finding.fix = Fix(finding.fix.edits, safe=False)
                yield finding
            else:
                words = value.split()
                yield self.finding(note, ft.start, ft.end,
                                   f"`{ft.key}: {value}` is one string with spaces, and a tag cannot hold a space: "
                                   f"write a list `{ft.key}: [{', '.join(words)}]` if these are {len(words)} tags, "
                                   f"or join the words with `-` if it is one")
            return
        if ft.numeric:
            if self.flavor == "obsidian":
                why = "Obsidian does not read a tag made only of digits (`#1984` is not a tag either)"
            else:
                why = "Dendron tags cannot start with a digit (`#1984` is not a hashtag), so this tag can never be written inline"
            yield self.finding(note, ft.start, ft.end, f"{where} is only digits: {why}; add a letter, e.g. `y{value}`")
            return
        if "," in value:
            yield self.finding(note, ft.start, ft.end,
                               f"{where} holds a comma: {app} reads one tag `{value}`; if these are separate tags, "
                               "make each one a list item")
            return
        read = tags_mod.read_tag(self.flavor, "#" + value)
        if read != value:
            if not read and self.flavor == "dendron" and value[0] in "0123456789.":
                what = f"starts with `{value[0]}`, which a Dendron hashtag cannot (`#{value}` is not a tag)"
            else:
                inline = f"`#{value}` reads as `#{read}`" if read else f"`#{value}` is not a tag"
                bad = value[len(read)] if read else value[0]
                what = f"holds `{bad}`, which {app}'s tag grammar does not allow ({inline})"
            yield self.finding(note, ft.start, ft.end, f"{where} {what}: rename it with {_allowed(self.flavor)}")

    def _hidden_by_comments(self, note, k, v):
        """`#` after a space starts a YAML comment: the tags after it are silently dropped."""
        fm = note.frontmatter
        region_start = fm.start + k.end_mark.index
        region_end = _next_key_start(note, k)
        spans = _scalar_spans(fm, v)
        hashes = []
        for m in HASH_COMMENT.finditer(note.text, region_start, region_end):
            pos = m.start()
            if any(s <= pos < e for s, e in spans):
                continue
            before = note.text[pos - 1] if pos > 0 else "\n"
            if before.isspace() or before in "[,{":
                hashes.append(m)
        if not hashes:
            return
        key = k.value
        names = [m.group(0)[1:] for m in hashes]
        fix = self._comment_fix(note, k, v, hashes, names)
        for i, m in enumerate(hashes):
            message = (f"`{m.group(0)}` in `{key}:` is a YAML comment, not a tag: {APP[self.flavor]} never sees "
                       f"`{names[i]}`; write frontmatter tags without `#`")
            if fix is not None:
                message += f" ({fix[1]})"
            # one fix for the whole line, on each finding: applied once, the others then overlap it
            yield self.finding(note, m.start(), m.end(), message, fix[0] if fix is not None else None)

    def _comment_fix(self, note, k, v, hashes, names):
        """`tags: #a #b` becomes `tags: [a, b]`; `- #a` items lose the `#`. Else no fix."""
        fm = note.frontmatter
        key = k.value
        if isinstance(v, yaml.ScalarNode) and v.tag == "tag:yaml.org,2002:null":
            first, last = hashes[0].start(), hashes[-1].end()
            between = note.text[first:last]
            if re.fullmatch(r"#[^\s#,\[\]{}]+(?:[ \t,]+#[^\s#,\[\]{}]+)*", between) and \
                    "\n" not in between and "\r" not in between:
                edits = [Edit(first, last, "[" + ", ".join(tags_mod.flow_item(n) for n in names) + "]")]
                if tags_mod.parses_to(note, edits, key, names):
                    return edits, f"fix: `{key}: [{', '.join(names)}]`"
            return None
        if isinstance(v, yaml.SequenceNode) and not v.flow_style:
            edits = []
            for m in hashes:
                line_start = max(note.text.rfind("\n", 0, m.start()), note.text.rfind("\r", 0, m.start())) + 1
                if not re.fullmatch(r"[ \t]*-[ \t]+", note.text[line_start:m.start()]):
                    return None
                edits.append(Edit(m.start(), m.start() + 1, ""))
            current = fm.data.get(key)
            if isinstance(current, list) and current.count(None) == len(names):
                fill = iter(names)
                expected = [next(fill) if x is None else x for x in current]
                if tags_mod.parses_to(note, edits, key, expected):
                    return edits, "fix: remove the `#`"
        return None

    def _comments_in_broken_yaml(self, note):
        """The YAML does not parse (`tags: [#a, #b]` never closes its list): point at the `#`s."""
        fm = note.frontmatter
        text = note.text
        for m in re.finditer(r"(?m)^(tags?)[ \t]*:", fm.yaml_text):
            start = fm.start + m.end()
            nxt = re.compile(r"(?m)^[^\s#-]").search(fm.yaml_text, m.end())
            end = fm.start + nxt.start() if nxt else fm.end
            for h in HASH_COMMENT.finditer(text, start, end):
                before = text[h.start() - 1]
                if before in "[,{":
                    why = "inside a flow list it starts a YAML comment, so the list never closes and the frontmatter cannot be read"
                elif before.isspace():
                    why = "it starts a YAML comment, not a tag"
                else:
                    continue
                yield self.finding(note, h.start(), h.end(),
                                   f"`{h.group(0)}` in `{m.group(1)}:`: {why}; write frontmatter tags without `#`")

    # ------------------------------------------------------------------ inline
    def _inline(self, note):
        app = APP[self.flavor]
        text = note.text
        for tag in note.markdown.tags:
            written = NOT_SPACE.match(text, tag.end).group(0)
            dropped = _cut_short(self.flavor, written)
            if dropped:
                yield self.finding(note, tag.start, tag.end + len(dropped),
                                   f"{app} reads `#{tag.name}{dropped}` as the tag `#{tag.name}`: `{dropped[0]}` "
                                   f"cannot be part of a tag, so `{dropped}` is left as plain text; rename the tag "
                                   f"with {_allowed(self.flavor)}")
                continue
            swallowed = _swallowed(tag.name)
            if swallowed is not None:
                head = tag.name[:swallowed]
                yield self.finding(note, tag.start, tag.end,
                                   f"{app} reads `#{tag.name}` as one tag: `{tag.name[swallowed]}` does not end a tag; "
                                   f"put a space after `#{head}` if the tag is `{head}`")


def _allowed(flavor):
    if flavor == "dendron":
        return "letters, digits, `_`, `-`, `/` and `.` (hierarchy)"
    return "letters, digits, `_`, `-` and `/` (nesting)"


def _cut_short(flavor, written):
    """The text right after a tag that was meant as part of it, or "" when what follows is
    ordinary punctuation (`#tag.` `#tag,` `#tag)` `#tag's` `#tag[^1]`)."""
    if not written:
        return ""
    c = written[0]
    if c in JOINERS[flavor]:
        if written.startswith(("%%", "\\|")) or written == "\\":
            return ""  # an Obsidian comment, an escaped pipe (a table cell's `|`), a hard line break
        return written
    if c in SEPARATORS and len(written) > 1 and written[1].isalnum():
        if CONTRACTION.match(written) or written.startswith("[^"):
            return ""
        if flavor == "dendron" and c in "'\"":
            return ""
        return written
    return ""


def _swallowed(name):
    """Index of the first phrase-ending punctuation mark kept inside a tag (`，` `。` `」`)."""
    for i, ch in enumerate(name):
        if ord(ch) > 127 and ch not in MIDDLE_DOTS and unicodedata.category(ch).startswith("P") and i > 0:
            return i
    return None


def _next_key_start(note, k):
    fm = note.frontmatter
    keys = [key for key, _ in fm.root.value]
    for i, key in enumerate(keys):
        if key is k:
            if i + 1 < len(keys):
                return fm.start + keys[i + 1].start_mark.index
            return fm.end
    return fm.end


def _scalar_spans(fm, v):
    nodes = v.value if isinstance(v, yaml.SequenceNode) else [v]
    return [(fm.start + n.start_mark.index, fm.start + n.end_mark.index)
            for n in nodes if isinstance(n, yaml.ScalarNode) and n.tag != "tag:yaml.org,2002:null"]
