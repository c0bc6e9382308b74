"""required-sections: each note, or each entry of a note, has the sections its template
requires (configured per glob as schemas)."""

from __future__ import annotations

import difflib

from notelint.example_files import PAPER_NOTE, PAPER_TEMPLATE
from notelint.options import Option
from notelint.rule import Rule
from notelint.sections import SCHEMA_TABLE, Label, content_is_empty, entries, labels, per_entry, schema_for, schemas_from


class RequiredSections(Rule):
    name = "required-sections"
    code = "NL301"
    summary = "A note or entry lacks a section its schema requires (optionally: out of order, empty, or unknown)"
    rationale = (
        "Notes written from a template (a paper summary, a meeting note) are only useful when every part "
        "is there, and a missing part is invisible until someone needs it. Schemas name, per glob, the "
        "sections each note (or each entry: each heading of a level) must have. A section is present when "
        "the entry has a heading with its name, or a list item or paragraph starting with it as a label, "
        "bold or not, followed by `:` or `：`; names are compared after NFKC normalisation and trimming, "
        "case-insensitively for Latin text. Headings inside code blocks are neither entries nor sections. "
        "There is no automatic fix: the content cannot be invented. A schema whose paths match no note is "
        "reported as a configuration warning, so a mistyped glob does not silently disable the rule. With no "
        "schema configured the rule does nothing."
    )
    bad = (
        "## Paper A\n"
        "- **研究背景**：…\n"
        "- **研究方法**：…\n"
    )
    good = (
        "## Paper A\n"
        "- **研究背景**：…\n"
        "- **研究动机**：…\n"
        "- **研究方法**：…\n"
    )
    example_note = PAPER_NOTE
    example_files = PAPER_TEMPLATE
    options = (
        Option(
            "schemas", SCHEMA_TABLE, [],
            "One `[[rules.required-sections.schemas]]` table per template; the first whose `paths` match a note "
            "applies. `paths`: fnmatch globs on vault-relative paths (`*` crosses dots and slashes); `level`: the "
            "heading level that starts an entry (0, the default: the whole note is one entry); `sections`: the "
            "required sections, in order; `optional`: sections allowed but not required; `order`, `allow-empty`, "
            "`strict`: override the rule's options for this schema.",
        ),
        Option("order", bool, False, "Report required sections that appear out of the configured order (optional sections may go anywhere)."),
        Option("allow-empty", bool, True, "Accept a section with no content (false: report a label or heading with nothing under it)."),
        Option(
            "strict", bool, False,
            "Report labels that are neither required nor optional (a typo such as `研究动力`): labels at the depth of the "
            "entry's known labels, headings at the level of its known section headings. A plain label longer than "
            "30 characters or 5 words is taken for prose.",
        ),
    )

    def __init__(self, settings=None, flavor="obsidian"):
        super().__init__(settings, flavor)
        self.schemas = schemas_from(self.settings)

    @property
    def uses_vault(self) -> bool:
        """Findings depend on the note's text, its path and this rule's settings only (`prepare`
        merely checks the globs), so the cache may keep them by the note's content."""
        return False

    def prepare(self, ws):
        for schema in self.schemas:
            if schema.level > 6:
                yield (f"[rules.required-sections] {schema.describe()} has `level = {schema.level}`, but Markdown "
                       "headings go down to level 6 only, so no entry can start; use 1 to 6, or 0 for whole notes")
            if not any(schema.matches(rel) for rel in ws.vault.notes):
                yield (f"[rules.required-sections] {schema.describe()} matches no note in {ws.vault.root}; "
                       "check its `paths` globs (vault-relative, e.g. \"daily.journal.*\" or \"papers/**\")")

    def check(self, note):
        schema = schema_for(self.schemas, note.rel)
        if schema is None:
            return
        order = self.settings["order"] if schema.order is None else schema.order
        allow_empty = self.settings["allow-empty"] if schema.allow_empty is None else schema.allow_empty
        strict = self.settings["strict"] if schema.strict is None else schema.strict
        known = schema.known()
        parts = entries(note, schema.level)
        every = labels(note, note.body_start, len(note.text), schema.level + 1)
        for entry, found in zip(parts, per_entry(every, parts)):
            present: dict[str, Label] = {}
            for label in found:
                name = known.get(label.key)
                if name is not None and name not in present:
                    present[name] = label
            missing = [s for s in schema.sections if s not in present]
            if missing:
                yield self._missing(note, entry, schema, missing)
            if order:
                yield from self._order(note, schema, present)
            if not allow_empty:
                for name, label in present.items():
                    if content_is_empty(note, label, found):
                        yield self.finding(note, label.start, label.end,
                                           f"section `{name}` is empty; write its content or remove the section")
            if strict:
                yield from self._unknown(note, schema, found, known)

    def _missing(self, note, entry, schema, missing):
        where = f"entry `{entry.title()}`" if entry.heading is not None and schema.level else "note"
        names = ", ".join(f"`{m}`" for m in missing)
        plural = "s" if len(missing) > 1 else ""
        hashes = "#" * max(schema.level + 1, 2)
        example = missing[0]
        message = (f"{where} lacks the section{plural} {names} required by {schema.describe()}; "
                   f"add {'each' if plural else 'it'} as a heading (`{hashes} {example}`) "
                   f"or a label (`- **{example}**{_colon_for(example)}…`)")
        end = entry.heading.text_end if entry.heading is not None and entry.start == entry.heading.start else None
        return self.finding(note, entry.start, end, message)

    def _order(self, note, schema, present):
        """Required sections not in the longest run that follows the configured order."""
        rank = {name: i for i, name in enumerate(schema.sections)}
        seen = sorted((label.start, name) for name, label in present.items() if name in rank)
        names = [name for _, name in seen]
        keep = set(_longest_increasing(names, rank))
        expected = ", ".join(schema.sections)
        for i, name in enumerate(names):
            if name in keep:
                continue
            later = next((n for n in names[i + 1:] if n in keep and rank[n] < rank[name]), None)
            earlier = next((n for n in reversed(names[:i]) if n in keep and rank[n] > rank[name]), None)
            where = f"after `{later}`" if later else f"before `{earlier}`" if earlier else "elsewhere"
            label = present[name]
            yield self.finding(note, label.start, label.end,
                               f"section `{name}` is out of order: it belongs {where} (expected order: {expected}); move it")

    def _unknown(self, note, schema, found, known):
        """Labels at the depth of the entry's known labels that name no configured section."""
        depths = {lab.depth for lab in found if lab.kind != "heading" and lab.key in known}
        levels = {lab.depth for lab in found if lab.kind == "heading" and lab.key in known}
        names = list(known.values())
        for lab in found:
            if lab.key in known or not lab.plausible():
                continue
            if lab.kind == "heading" and (not levels or lab.depth != min(levels)):
                continue
            if lab.kind != "heading" and (not depths or lab.depth != min(depths)):
                continue
            close = difflib.get_close_matches(lab.key, list(known), n=1, cutoff=0.5)
            hint = f"; did you mean `{known[close[0]]}`?" if close else ""
            yield self.finding(note, lab.text_start, lab.text_end,
                               f"`{lab.text}` is not a section of {schema.describe()} "
                               f"(known: {', '.join(names)}){hint}")


def _longest_increasing(names: list[str], rank: dict[str, int]) -> list[str]:
    """The longest subsequence of `names` whose ranks increase (earliest on ties)."""
    best: list[list[str]] = []
    for name in names:
        candidates = [run for run in best if rank[run[-1]] < rank[name]]
        longest = max(candidates, key=len, default=[])
        best.append(longest + [name])
    return max(best, key=len, default=[])


def _colon_for(label: str) -> str:
    """The colon a label in this script is usually written with: full-width after CJK text."""
    return "：" if any(ord(c) >= 0x2E80 for c in label) else ": "
