"""compact-yaml: no blank lines at the start or end of the frontmatter (optionally none inside)."""

import yaml

from notelint.finding import Edit
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule


class CompactYaml(FormatRule):
    name = "compact-yaml"
    code = "NL508"
    render_neutral = True  # its safe fix changes the Markdown, never the rendered note
    summary = "No blank lines at the start or end of the frontmatter (with `inner-new-lines`, none inside it either)"
    rationale = (
        "Blank lines right after the opening `---` or right before the closing one only pad the "
        "frontmatter. Only empty lines are removed, by deleting them: keys, values, comments and "
        "quoting stay byte for byte, and a blank line inside a multi-line value (a `|` or `>` block, "
        "a folded plain or quoted scalar) is never removed, because there it is part of the value."
    )
    bad = "---\n\ntitle: Note\n\n---\nBody\n"
    good = "---\ntitle: Note\n---\nBody\n"
    fix = "safe"
    yaml_rule = True
    options = (Option("inner-new-lines", bool, False, "Also remove blank lines between the frontmatter's entries."),)
    plugin = (PluginRule("compact-yaml", options={"inner-new-lines": "inner-new-lines"}),)

    def format(self, note):
        fm = note.frontmatter
        if not fm.present or fm.error:
            return
        lines = note.lines
        first = lines.index_of(fm.start)
        if lines.starts[first] < fm.start:
            return  # the YAML does not start on its own line
        close = lines.index_of(fm.end)
        if lines.starts[close] != fm.end:
            return
        empty = [i for i in range(first, close) if lines.starts[i] == lines.ends[i]]
        if not empty:
            return
        inside = _multiline_scalars(note)
        runs: list[list[int]] = []
        for i in empty:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            leading = run[0] == first
            trailing = run[-1] == close - 1
            if not (leading or trailing or self.settings["inner-new-lines"]):
                continue
            start, end = lines.starts[run[0]], lines.starts[run[-1] + 1]
            if not (leading or trailing) and any(s < start and end <= e for s, e in inside):
                continue
            where = "at the start of" if leading else "at the end of" if trailing else "inside"
            n = len(run)
            yield self.finding(note, start, None,
                               f"{n} blank line{'s' if n > 1 else ''} {where} the frontmatter; remove {'them' if n > 1 else 'it'}",
                               [Edit(start, end, "")])


def _multiline_scalars(note):
    """(start, end) offsets of every scalar value that spans lines: a blank line there is content."""
    root = note.frontmatter.root
    base = note.frontmatter.start
    out = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.start_mark.line != node.end_mark.line:
                out.append((base + node.start_mark.index, base + node.end_mark.index))
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack += [k, v]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return out
