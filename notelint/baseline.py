"""`notelint check --add-suppressions` (alias `--add-noqa`, ruff's spelling): the baseline.

Adopting notelint on a vault with hundreds of findings starts here, as `ruff check --add-noqa`
does for code: every current finding gets the narrowest suppression that can hold it, so the
next `check` is clean and only new findings show.

* A finding on a line gets `<!-- notelint-disable-next-line RULE -->` on its own line above,
  indented or quoted like the line it stands before (inside a list item or a block quote), or
  its names are added to a `disable-next-line` comment already there.
* A finding on a blank line (a run of blank lines) gets a `disable`/`enable` pair around the
  run: a comment inside the run would split it and change the finding.
* A finding no comment line can reach without changing how the note renders (a paragraph's
  continuation line, a table row, a line of a code block) gets a `disable`/`enable` pair
  around the smallest block that takes one (the paragraph, the table, the list).
* A finding in the frontmatter, or one nothing narrower holds, gets `notelint: {ignore:
  [RULE]}` in the frontmatter (merged into the `notelint` key when there is one), or
  `<!-- notelint-disable-file RULE -->` above the body of a note without frontmatter (a new
  block would add a property to the note).
* A finding about an image file (duplicate, orphan, unreadable image) cannot carry a comment:
  its path goes into `per-file-ignores` of the vault's config file.

Every insertion is checked before it is kept: the note must render the same (`rendering.py`),
the frontmatter must read back as the old data plus the new key, and the note's rules, run
again on the new text, must find exactly what they found, each finding silenced, each name
inserted used. A suppression that fails is widened (line, then the whole note); a note that
still fails, cannot be parsed, or cannot be written is left alone and its findings are reported
as not baselined. The writes are byte splices (the note's line endings, BOM kept) through the
same atomic writer as `fix`; `--diff` prints them and writes nothing. A second run adds nothing.
"""

from __future__ import annotations

import copy
import re
import sys
from dataclasses import dataclass, field

import yaml

from notelint import engine, registry, rendering, reporters, suppression, yaml_edit
from notelint.diffs import unified_diff
from notelint.finding import Edit, Finding
from notelint.note import Note

# indentation and block quote markers a line inside a container starts with
CONTAINER = re.compile(r"(?:[ \t]*>[ \t]?)*[ \t]*")
LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
MAX_BLOCKS = 4  # enclosing blocks tried for a range before the whole note is suppressed


@dataclass
class Outcome:
    """What a baseline run did to one workspace."""

    notes: dict[str, tuple[Note, str]] = field(default_factory=dict)  # rel -> (note as read, new text)
    config: tuple | None = None  # (path, old bytes or None, new bytes) of the config file
    suppressed: int = 0
    ignored_files: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path shown, why not baselined)
    left: list[Finding] = field(default_factory=list)  # what `check` still reports afterwards


def command(workspaces: list[engine.Workspace], args) -> int:
    """Run the baseline over every workspace, then write (or print the diff of) the result and
    report what is left: exit 0 when `check` is now clean, 1 when findings are left (or, with
    `--diff`, when there is a diff), 2 when a file could not be written."""
    from notelint.source import encode
    from notelint.writer import WriteRefused, atomic_write, replace_file

    if not args.add_suppressions:
        raise engine.UsageError("`check --diff` previews `--add-suppressions`; for fixes use `notelint fix --diff`")
    outcomes = [(ws, baseline(ws)) for ws in workspaces]
    diffs, errors = [], 0
    for ws, outcome in outcomes:
        for rel, (note, text) in sorted(outcome.notes.items()):
            shown = reporters.display_path(ws.vault.root, rel)
            if args.diff:
                diffs.append(unified_diff(note.text, text, shown))
                continue
            try:
                atomic_write(note.path, encode(text, note.bom), note.raw)
            except WriteRefused as exc:
                reporters.err(f"{shown}: not written: {exc}")
                errors += 1
        if outcome.config is not None:
            path, old, new = outcome.config
            shown = reporters.display_path(ws.vault.root, ws.vault.rel(path))
            if args.diff:
                diffs.append(unified_diff((old or b"").decode("utf-8"), new.decode("utf-8"), shown))
            else:
                try:
                    if old is None:
                        replace_file(path, new)
                    else:
                        atomic_write(path, new, old)
                except (OSError, WriteRefused) as exc:
                    reporters.err(f"{shown}: not written: {exc}")
                    errors += 1
    if args.diff:
        sys.stdout.write("".join(diffs))
    left = _report(outcomes, args)
    if errors:
        return 2
    if args.diff:
        return 1 if diffs and not args.exit_zero else 0
    return 1 if left and not args.exit_zero else 0


def _report(outcomes, args) -> list[Finding]:
    """Say what was added and what was not (stderr), and print the findings left as `check`
    would (not under a `--diff`, which stdout holds)."""
    suppressed = sum(o.suppressed for _, o in outcomes)
    notes = sum(len(o.notes) for _, o in outcomes)
    files = sum(o.ignored_files for _, o in outcomes)
    verb = "Would add" if args.diff else "Added"
    parts = [f"{verb} suppressions for {suppressed} finding{'s' if suppressed != 1 else ''} "
             f"in {notes} note{'s' if notes != 1 else ''}"]
    if files:
        parts.append(f"per-file-ignores for {files} file{'s' if files != 1 else ''}")
    reporters.err("; ".join(parts) + ".")
    items, left = [], []
    for ws, outcome in outcomes:
        for shown, why in outcome.refused:
            reporters.err(f"{shown}: not baselined: {why}")
        for f in outcome.left:
            left.append(f)
            items.append(reporters.Item(f, reporters.display_path(ws.vault.root, f.path),
                                        [reporters.display_path(ws.vault.root, r) for r in f.related], ws))
    if items and not args.diff:
        fmt = args.format if args.format != "html" else "text"  # (the HTML report needs a whole run)
        reporters.render(items, fmt, sys.stdout, summary=f"{len(items)} finding{'s' if len(items) != 1 else ''} "
                         "not baselined.", quiet=args.quiet)
    return left


def baseline(ws: engine.Workspace) -> Outcome:
    """Plan a suppression for every current finding of the workspace (nothing is written here).
    Each note's plan is verified on its own (`_check`); a comment changes nothing another note's
    findings depend on (no tag, heading, link or id), so what is left is what was not planned."""
    out = Outcome()
    by_note: dict[str, list[Finding]] = {}
    files: dict[str, set[str]] = {}
    notes = set(ws.vault.notes)
    findings = engine.check(ws)
    for f in findings:
        if f.path in notes and f.rule != "unreadable-note":
            by_note.setdefault(f.path, []).append(f)
        elif f.rule != "unreadable-note":
            files.setdefault(f.path, set()).add(f.rule)
        else:
            out.refused.append((reporters.display_path(ws.vault.root, f.path), "notelint cannot read it"))
    if "vault-results" in ws.context:
        ws.prepare_rules()  # the check came whole from the cache; `_check` runs the rules again
    done: set[str] = set()
    for rel, found in sorted(by_note.items()):
        note = ws.note(rel)
        shown = reporters.display_path(ws.vault.root, rel)
        if not engine.writable(note):
            why = note.read_only or "its frontmatter cannot be parsed (fix it first)"
            out.refused.append((shown, why))
            continue
        text = plan_note(ws, note, found)
        if text is None:
            out.refused.append((shown, "no suppression could be placed without changing how the note renders "
                                       "or what it reports"))
            continue
        out.notes[rel] = (note, text)
        out.suppressed += len(found)
        done.add(rel)
    if files and _ignore_files(ws, files, out):
        done |= set(files)
    out.left = [f for f in findings if f.path not in done]
    return out


def _ignore_files(ws: engine.Workspace, files: dict[str, set[str]], out: Outcome) -> bool:
    from notelint import config_write

    order = {r.name: r.code for r in registry.all_rules()}
    entries = {rel: sorted(rules, key=order.get) for rel, rules in files.items()}
    result = config_write.add_per_file_ignores(ws.vault.root, ws.vault.config.source, entries)
    if isinstance(result, str):
        for rel in sorted(files):
            out.refused.append((reporters.display_path(ws.vault.root, rel), result))
        return False
    out.config = result
    out.ignored_files = len(entries)
    return True


# --------------------------------------------------------------------------- one note


def plan_note(ws: engine.Workspace, note: Note, findings: list[Finding]) -> str | None:
    """The note's text with a suppression for each of its `findings`, or None when none can be
    placed that keeps the note's rendering and findings. Findings that a line comment cannot
    hold, or whose comment fails a check, widen to the whole note, one rule at a time."""
    order = {r.name: r.code for r in registry.all_rules()}
    sup = suppression.of(note)
    last_fm_line = _frontmatter_last_line(note)
    whole = {f.rule for f in findings if f.line <= last_fm_line}
    for _attempt in range(len(order) + 1):
        local = [f for f in findings if f.rule not in whole]
        edits, failed = _line_edits(note, sup, local, order)
        if failed:
            whole |= failed
            continue
        wide = _whole_note_edit(note, sup, sorted(whole, key=order.get)) if whole else []
        if wide is None:
            return None
        text = _splice(note.text, wide + edits)
        escalate = _check(ws, note, text, wide + edits, {f.rule for f in findings})
        if not escalate:
            return text
        if escalate <= whole:
            return None
        whole |= escalate
    return None


def plan_one(note: Note, finding: Finding) -> str | None:
    """The note's text with the narrowest suppression of one finding (the editor's "disable for
    this line"): a line comment where one keeps the rendering, else the whole note for its rule.
    The caller checks what the new text reports; None when nothing can be placed."""
    order = {r.name: r.code for r in registry.all_rules()}
    sup = suppression.of(note)
    edits: list[Edit] = []
    if finding.line > _frontmatter_last_line(note):
        edits, failed = _line_edits(note, sup, [finding], order)
        if failed:
            edits = []
    if not edits:
        edits = _whole_note_edit(note, sup, [finding.rule]) or []
    return _splice(note.text, edits) if edits else None


def _frontmatter_last_line(note: Note) -> int:
    """The last line (1-based) of the frontmatter block, 0 without one: no comment goes there."""
    fm = note.frontmatter
    if not fm.present:
        return 0
    return note.lines.index_of(max(fm.block_end - 1, 0)) + 1


def _line_edits(note: Note, sup: suppression.Suppressions, findings: list[Finding], order: dict) -> tuple[list[Edit], set[str]]:
    """A comment per line (or a range per run of blank lines, or around the block) holding
    findings; and the rules no placement could hold without changing the rendering."""
    lines = note.lines
    count = len(lines) - (1 if note.text.endswith(("\n", "\r")) else 0)  # no line after the last break
    if not findings:
        return [], set()
    if count <= 0:
        return [], {f.rule for f in findings}
    regions: dict[tuple[int, int], set[str]] = {}
    for f in findings:
        i = min(f.line - 1, count - 1)
        a = b = i
        if lines.blank(i):
            while a > 0 and lines.blank(a - 1):
                a -= 1
            while b + 1 < count and lines.blank(b + 1):
                b += 1
        regions.setdefault((a, b), set()).add(f.rule)
    # most often the narrowest option of every region fits: one rendering shows it
    narrowest = [e for (a, b), rules in sorted(regions.items())
                 for e in _options(note, sup, a, b, count, sorted(rules, key=order.get))[0][1]]
    if rendering.same_rendering(note, _splice(note.text, narrowest)):
        return narrowest, set()
    # where each region's suppression fits: a line (None) or a range of lines
    placed: dict[tuple[int, int] | None, dict[int, set[str]]] = {}
    failed: set[str] = set()
    for (a, b), rules in sorted(regions.items()):
        fit = _fitting(note, sup, a, b, count, sorted(rules, key=order.get))
        if fit is None:
            failed |= rules
        else:
            placed.setdefault(fit[0], {}).setdefault(a, set()).update(rules)
    ranges = {span: set().union(*by_line.values()) for span, by_line in placed.items() if span is not None}
    wanted = [((a, a), rules, False) for a, rules in sorted(placed.get(None, {}).items())]
    wanted += [(span, rules, True) for span, rules in sorted(ranges.items())]
    edits: list[Edit] = []
    for (first, last), rules, ranged in wanted:
        # a rule a wider range already holds here needs nothing more (the range answers first)
        rules = {r for r in rules if not any(other != (first, last) and other[0] <= first and last <= other[1]
                                             and r in held for other, held in ranges.items())}
        if not rules:
            continue
        fit = _fitting(note, sup, first, last, count, sorted(rules, key=order.get), ranged=ranged)
        if fit is None:
            failed |= rules
        else:
            edits += fit[1]
    if not failed and not rendering.same_rendering(note, _splice(note.text, edits)):
        failed = {f.rule for f in findings}  # each fits alone but not all together
    return edits, failed


def _fitting(note: Note, sup, a: int, b: int, count: int, names: list[str], ranged: bool = False):
    """(span, edits) of the narrowest suppression of `names` on lines a..b that keeps the
    rendering: span None for a line comment, else the lines a range covers."""
    if ranged:
        options = [((a, b), o) for o in _range_options(note, a, b, count, names)]
    else:
        options = _options(note, sup, a, b, count, names) + _block_options(note, a, b, count, names)
    for span, option in options:
        if rendering.same_rendering(note, _splice(note.text, option)):
            return span, option
    return None


def _options(note: Note, sup: suppression.Suppressions, a: int, b: int, count: int, names: list[str]) -> list:
    """Ways to suppress `names` on lines a..b (0-based) without leaving them: (None, edits)
    for a line comment, ((a, b), edits) for a range around a run of blank lines."""
    lines, nl = note.lines, note.newline
    if a == b and not lines.blank(a):
        present = next((e for e in sup.entries if e.kind == "disable-next-line" and e.target == a + 1), None)
        if present is not None:  # merge into the comment already there (its next line is this one)
            have = {n.rule for n in present.names}
            end = max(n.end for n in present.names)
            return [(None, [Edit(end, end, "".join(f", {n}" for n in names if n not in have))])]
        return [(None, [Edit(lines.starts[a], lines.starts[a], f"{p}<!-- notelint-disable-next-line {', '.join(names)} -->{nl}")])
                for p in _prefixes(lines, a, a)]
    return [((a, b), o) for o in _range_options(note, a, b, count, names)]


def _range_options(note: Note, a: int, b: int, count: int, names: list[str]) -> list[list[Edit]]:
    """A `disable` comment line above line `a` and an `enable` one below line `b` (none when
    `b` is the last line: the range then runs to the end)."""
    lines, nl = note.lines, note.newline
    out = []
    for p in _prefixes(lines, a, b + 1):
        option = [Edit(lines.starts[a], lines.starts[a], f"{p}<!-- notelint-disable {', '.join(names)} -->{nl}")]
        if b + 1 < count:
            option.append(Edit(lines.starts[b + 1], lines.starts[b + 1], f"{p}<!-- notelint-enable {', '.join(names)} -->{nl}"))
        out.append(option)
    return out


def _block_options(note: Note, a: int, b: int, count: int, names: list[str]) -> list:
    """Ranges around the blocks holding lines a..b, smallest first: a paragraph's continuation
    line, a table row or a line of a code block cannot have a comment line of its own."""
    doc = note.markdown
    spans = {(x.first_line, min(x.last_line, count - 1)) for x in (*doc.blocks, *doc.code_blocks, *doc.html_blocks)
             if x.first_line <= a and b <= x.last_line and (x.first_line, x.last_line) != (a, b)}
    out = []
    for first, last in sorted(spans, key=lambda s: s[1] - s[0])[:MAX_BLOCKS]:
        out += [((first, last), o) for o in _range_options(note, first, last, count, names)]
    return out


def _prefixes(lines, at: int, after: int) -> list[str]:
    """What a comment line inserted before line `at` may start with to stay in the same
    container: the quote markers and indentation of the line it goes before, or of the line
    above (and the indentation of that line's list item content)."""
    out: list[str] = []
    for i in (after, at - 1):
        if 0 <= i < len(lines) and not lines.blank(i):
            text = lines.line(i)
            prefix = CONTAINER.match(text).group()
            marker = LIST_MARKER.match(text, len(prefix)) if i == at - 1 else None
            for p in ((prefix + " " * (marker.end() - marker.start()) if marker else None), prefix):
                if p is not None and p not in out:
                    out.append(p)
    return out or [""]


def _whole_note_edit(note: Note, sup: suppression.Suppressions, names: list[str]) -> list[Edit] | None:
    """`notelint: {ignore: [...]}` in the frontmatter, or a `disable-file` comment above the
    body (names merged into one already there); None when neither passes its check."""
    fm = note.frontmatter
    if fm.present:
        edit = _frontmatter_edit(note, names)
        if edit is not None:
            return [edit]
    present = next((e for e in sup.entries if e.kind == "disable-file" and e.form == "html"), None)
    if present is not None:
        have = {n.rule for n in present.names}
        end = max(n.end for n in present.names)
        option = [Edit(end, end, "".join(f", {n}" for n in names if n not in have))]
    else:
        at = note.body_start
        lead = note.newline if at and note.text[at - 1] not in "\r\n" else ""
        option = [Edit(at, at, f"{lead}<!-- notelint-disable-file {', '.join(names)} -->{note.newline}")]
    return option if rendering.same_rendering(note, _splice(note.text, option)) else None


def _frontmatter_edit(note: Note, names: list[str]) -> Edit | None:
    """Add `names` to `notelint: {ignore: [...]}` by a splice; checked by reading it back."""
    fm = note.frontmatter
    if fm.error:
        return None
    expected = copy.deepcopy(fm.data)
    own = expected.setdefault("notelint", {})
    if not isinstance(own, dict):
        return None
    listed = own.get("ignore", [])
    listed = [listed] if isinstance(listed, str) else listed
    if not isinstance(listed, list):
        return None
    own["ignore"] = listed + [n for n in names if n not in listed]
    edit = _ignore_splice(note, names)
    if edit is None:
        return None
    new = note.derive(_splice(note.text, [edit]))
    if new.frontmatter.error or new.frontmatter.data != expected or new.text[new.body_start:] != note.text[note.body_start:]:
        return None
    return edit


def _ignore_splice(note: Note, names: list[str]) -> Edit | None:
    fm = note.frontmatter
    base, text, nl = fm.start, note.text, note.newline
    flow = "[" + ", ".join(names) + "]"
    pair = fm.key_node("notelint")
    if pair is None:
        return yaml_edit.insert_key(note, "notelint", "{ignore: " + flow + "}")
    own = pair[1]
    if not isinstance(own, yaml.MappingNode):
        return None
    ignore = next((v for k, v in own.value if isinstance(k, yaml.ScalarNode) and k.value == "ignore"), None)
    if ignore is None:
        if own.flow_style:
            at = base + own.end_mark.index - 1  # the closing brace
            return Edit(at, at, (", " if own.value else "") + "ignore: " + flow) if text[at] == "}" else None
        indent = " " * own.value[0][0].start_mark.column
        return Edit(*[yaml_edit.line_after(note, base + own.end_mark.index)] * 2, f"{indent}ignore: {flow}{nl}")
    if isinstance(ignore, yaml.SequenceNode) and ignore.flow_style:
        at = base + ignore.end_mark.index - 1  # the closing bracket
        return Edit(at, at, (", " if ignore.value else "") + ", ".join(names)) if text[at] == "]" else None
    if isinstance(ignore, yaml.SequenceNode) and ignore.value:
        first = base + ignore.value[0].start_mark.index
        line_start = note.lines.starts[note.lines.index_of(first)]
        dash = text[line_start:first]
        at = yaml_edit.line_after(note, base + ignore.end_mark.index)
        return Edit(at, at, "".join(f"{dash}{n}{nl}" for n in names))
    if isinstance(ignore, yaml.ScalarNode) and ignore.value:
        start, end = base + ignore.start_mark.index, base + ignore.end_mark.index
        return Edit(start, end, "[" + text[start:end] + ", " + ", ".join(names) + "]")
    return None


def _check(ws: engine.Workspace, note: Note, text: str, edits: list[Edit], planned: set[str]) -> set[str]:
    """The rules whose findings the new text does not suppress exactly as planned: a finding
    left unsilenced, or a `planned` name inserted that silences nothing (its finding moved or
    vanished)."""
    new = note.derive(text)
    found = engine.note_findings(new, [r for r in ws.rules if r.scope == "note"], ws.vault)
    sup = suppression.of(new)
    kept, used = suppression.apply(found, sup)
    unused_rule = next((r for r in ws.rules if r.name == suppression.UNUSED_RULE), None)
    if unused_rule is not None:  # its findings too must stay silenced (they are judged last)
        dead = sup.unused(used, engine.judged_rules(ws.rules, ws.vault, note.rel))
        for f in unused_rule.report(new, sup, dead) if dead else ():
            hit = sup.silencer(f.rule, f.line)
            if hit is None:
                kept.append(f)
            else:
                used.add(hit)
    escalate = {f.rule for f in kept if f.rule != "unreadable-note"}
    spans = _inserted_spans(edits)
    for i, entry in enumerate(sup.entries):
        if entry.kind == "enable":
            continue  # it closes the range inserted with it
        for name in entry.names:
            if name.rule in planned and (i, name.rule) not in used and any(s <= name.start and name.end <= e for s, e in spans):
                escalate.add(name.rule)
    return escalate


def _order(edit: Edit) -> tuple:
    """Insertions at one point: a `disable-next-line` comment goes last, next to its line."""
    return edit.start, edit.end, "notelint-disable-next-line" in edit.replacement


def _splice(text: str, edits: list[Edit]) -> str:
    out, last = [], 0
    for e in sorted(edits, key=_order):
        out.append(text[last : e.start])
        out.append(e.replacement)
        last = e.end
    out.append(text[last:])
    return "".join(out)


def _inserted_spans(edits: list[Edit]) -> list[tuple[int, int]]:
    """Where each edit's replacement lies in the new text."""
    spans, shift = [], 0
    for e in sorted(edits, key=_order):
        spans.append((e.start + shift, e.start + shift + len(e.replacement)))
        shift += len(e.replacement) - (e.end - e.start)
    return spans
