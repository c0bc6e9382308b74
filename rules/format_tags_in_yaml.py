"""format-tags-in-yaml: `#` written before frontmatter tags (the Obsidian Linter's `format-tags-in-yaml`)."""

import re

from notelint import frontmatter as fm_mod
from notelint.finding import Edit
from notelint.formatting import FormatRule
from notelint.plugin_rule import PluginRule

# the lines a `tags:` value may span after the key's own line, as the plugin reads them
CONTINUATION = re.compile(r" *- \S.*| *- *|[ \t]+.*")
HASH = re.compile(r"#+(?=[^\s#])")


class FormatTagsInYaml(FormatRule):
    name = "format-tags-in-yaml"
    code = "NL556"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "`#` before tags in the frontmatter `tags`/`tag` value: remove it"
    rationale = (
        "In YAML a `#` after a space starts a comment, so `tags: #one #two` is an empty value and `- #tag` an empty "
        "item: the tags the writer meant are lost. Removing the `#` makes them tags. Only `#` signs directly "
        "before a character are removed, in the value of `tags:` and `tag:` only (a `# comment` with a space "
        "stays); the fix is kept only when the frontmatter then parses and no other key changes. Obsidian's "
        "properties and notelint's `tag-syntax` read the result as the tags meant. A frontmatter that does "
        "not parse at all (`tags: [#one]`) is reported, but notelint never rewrites a note whose frontmatter it "
        "cannot read, so it is left to be fixed by hand."
    )
    bad = "---\ntags: #one #two\n---\n"
    good = "---\ntags: one two\n---\n"
    fix = "safe"
    yaml_rule = True
    markdownlint = ""
    options = ()
    plugin = (PluginRule("format-tags-in-yaml"),)
    differences = (
        ("Format tags in array",
         "`tags: [#one #two #three]` is not YAML (the `#` turns the rest of the list into a comment, so it is never "
         "closed): notelint never fixes a note whose frontmatter it cannot parse, and reports it instead"),
        ("Format tags in array with `tag` as the tags key",
         "`tag: [#one #two #three]` is not YAML (the `#` turns the rest of the list into a comment, so it is never "
         "closed): notelint never fixes a note whose frontmatter it cannot parse, and reports it instead"),
    )

    def format(self, note):
        fm = note.frontmatter
        if not fm.present or fm.end <= fm.start:
            return
        text = note.text
        block = text[fm.start:fm.end]
        lines = block.splitlines(keepends=True)
        done = set()
        offset = fm.start
        spans = []
        for i, line in enumerate(lines):
            m = re.match(r"(tags|tag):[ \t]*", line)
            if m and m.group(1) not in done:
                done.add(m.group(1))
                rest = line[m.end():].rstrip("\r\n")
                if rest.strip():
                    spans.append((m.group(1), offset + m.end(), offset + m.end() + len(rest)))
                else:
                    start = offset + m.end()
                    end = offset + len(line.rstrip("\r\n"))
                    pos = offset + len(line)
                    for nxt in lines[i + 1:]:
                        content = nxt.rstrip("\r\n")
                        if not CONTINUATION.fullmatch(content):
                            break
                        end = pos + len(content)
                        pos += len(nxt)
                    spans.append((m.group(1), start, end))
            offset += len(line)
        for key, start, end in spans:
            edits = [Edit(start + h.start(), start + h.end(), "") for h in HASH.finditer(text[start:end])]
            if not edits:
                continue
            if not self._parses(note, edits, key):
                edits = []
            yield self.finding(note, edits[0].start if edits else start + text[start:end].index("#"), None,
                               f"`{key}:` has tags written with `#`, which YAML reads as a comment; remove the `#`",
                               edits or None)

    @staticmethod
    def _parses(note, edits, key):
        new = apply_edits(note.text, edits)
        fm = fm_mod.parse(new, note.template)
        if fm.error is not None or not isinstance(fm.data, dict):
            return False
        old = note.frontmatter
        if old.error is None:
            before = old.data if isinstance(old.data, dict) else {}
            if set(before) != set(fm.data) or any(before[k] != fm.data[k] for k in before if k != key):
                return False
        return True


def apply_edits(text, edits):
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.replacement + text[e.end:]
    return text

