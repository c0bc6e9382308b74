"""tag-style: one spelling per tag across the vault, optionally in a naming convention."""

from notelint import tags as tags_mod
from notelint.finding import Edit
from notelint.options import Option
from notelint.rule import Rule

MAX_RELATED = 3


class TagStyle(Rule):
    name = "tag-style"
    code = "NL202"
    summary = "One spelling per tag across the vault (case, `_` vs `-`), in a configured convention"
    rationale = (
        "Tags drift: `#Video`, `#video`, `#video_generation` and `#video-generation` split one idea across "
        "several entries of the tag pane, and a search for one spelling misses the notes written with another "
        "(Dendron even makes a separate `tags.*` note of each). Tags equal up to case, `_` and `-` are one tag; "
        "the spelling most used in the vault (or the one `aliases` names) is canonical, and every other "
        "spelling is reported where it is written, inline and in frontmatter. With a `convention`, every tag "
        "not in that form is reported too. The fix rewrites only the tag's characters, but it rewrites "
        "what the owner typed, also in prose about tags (`#tag and #TAG are the same` would become `#tag and "
        "#tag`), so it is unsafe: `notelint fix --unsafe-fixes` applies it, or plain `fix` once `safe-fix = true` "
        "says every spelling in the vault may be rewritten."
    )
    bad = "Note A: #video_generation #Video\nNote B: #video-generation #video\nNote C: #video-generation #video\n"
    good = "Note A: #video-generation #video\nNote B: #video-generation #video\nNote C: #video-generation #video\n"
    fix = "unsafe"  # `safe-fix = true` makes it safe (see __init__)
    index_facts = ((tags_mod.TAG_USES_FACT, tags_mod.tag_use_rows),)
    severity = "warning"
    options = (
        Option("convention", tags_mod.CONVENTIONS, "preserve",
               "How tags are spelled: `preserve` (the vault's majority spelling), `lower-snake` (`video_generation`), "
               "`lower-kebab` (`video-generation`), `camel` (`videoGeneration`) or `pascal` (`VideoGeneration`); "
               "nesting levels (`/`, Dendron's `.`) are converted one by one, letters without case (CJK) are kept."),
        Option("aliases", dict, {},
               "Spellings mapped to the canonical tag, e.g. `{ ML = \"machine-learning\" }`: a tag spelled like a key "
               "(up to case, `_` and `-`) is reported and rewritten to the value, which also fixes the spelling of the "
               "value's own tag."),
        Option("safe-fix", bool, False,
               "Apply the respelling with plain `notelint fix` (without `--unsafe-fixes`): for vaults whose "
               "owner wants every tag rewritten to its canonical spelling, also where prose quotes a spelling."),
    )

    def __init__(self, settings=None, flavor="obsidian"):
        super().__init__(settings, flavor)
        if self.settings["safe-fix"]:
            self.fix = "safe"  # this instance only: `notelint rules` shows the class default, unsafe

    def prepare(self, ws):
        self._index = tags_mod.index(ws)
        self._indexed = getattr(ws, "indexed", lambda note: False)
        self._canonical = {}
        self._aliases = {}
        warnings = []
        for spelling, target in self.settings["aliases"].items():
            if tags_mod.read_tag(ws.vault.flavor, "#" + target) != target:
                warnings.append(f"rules.tag-style.aliases: `{spelling} = \"{target}\"`: `{target}` is not a valid "
                                f"{ws.vault.flavor.capitalize()} tag, so this alias is not used")
            else:
                self._aliases[spelling] = target
        return warnings

    def canonical(self, key: str, name: str) -> str:
        if key not in self._canonical:
            aliases, convention = self._aliases, self.settings["convention"]
            if key in self._index.uses:
                self._canonical[key] = self._index.canonical(key, aliases, convention)
            else:  # a spelling only a fix pass wrote
                target = tags_mod.alias_target(key, aliases)
                self._canonical[key] = tags_mod.convert(target or name, convention, self.flavor)
        return self._canonical[key]

    def screen(self, rel):
        """Only a spelling other than the tag's canonical one is reported."""
        rows = self._index.rows.get(rel) if hasattr(self, "_index") else None
        return rows is None or any(self.canonical(tags_mod.normalise(row[0]), row[0]) != row[0] for row in rows)

    def _uses(self, note):
        """The note's tag uses: from the index when it describes the note, else parsed."""
        rows = self._index.rows.get(note.rel) if self._indexed(note) else None
        return tags_mod.note_uses(note) if rows is None else [tags_mod.TagUse(note.rel, *row) for row in rows]

    def check(self, note):
        if not hasattr(self, "_index"):
            return
        for use in self._uses(note):
            key = tags_mod.normalise(use.name)
            canonical = self.canonical(key, use.name)
            if use.name == canonical:
                continue
            yield self._finding(note, use, key, canonical)

    def _finding(self, note, use, key, canonical):
        idx = self._index
        shown = f"`#{use.name}`" if use.inline else f"frontmatter tag `{use.name}`"
        aliases, convention = self._aliases, self.settings["convention"]
        counts = idx.spellings(key)
        total = sum(counts.values())
        target = tags_mod.alias_target(key, aliases)
        if target is not None:
            why = f"`aliases` in [rules.tag-style] maps this tag to `{target}`"
        elif key not in idx.uses or use.name == idx.majority(key):  # the vault agrees, the convention does not
            why = f"it is not {convention} (`convention = \"{convention}\"`)"
        elif use.name not in counts:  # a template's spelling: templates are not counted (templates.py)
            why = f"the vault's notes spell this tag `{idx.majority(key)}` ({total} uses)"
        else:
            listed = ", ".join(f"`{s}` ({n})" for s, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            why = f"the vault spells this tag {len(counts)} ways in {total} uses: {listed}"
        # a few notes that already use the canonical spelling (the reporter lists them)
        # (from the first MAX_RELATED + 1 only: a vault-wide list per finding made 100,000 notes quadratic)
        related = [r for r in idx.notes_using(key, canonical)[:MAX_RELATED + 1] if r != note.rel][:MAX_RELATED]
        edits = self._edits(note, use, canonical)
        start = use.start - 1 if use.inline else use.start
        return self.finding(note, start, use.end, f"{shown}: {why}; write `{'#' if use.inline else ''}{canonical}`",
                            edits, related=related)

    def _edits(self, note, use, canonical):
        if use.inline:
            after = note.text[use.end:use.end + 1]
            if tags_mod.read_tag(self.flavor, "#" + canonical + after) != canonical:
                return None  # the new spelling would not read as one whole tag here
            return [Edit(use.start, use.end, canonical)]
        if not use.exact or tags_mod.read_tag(self.flavor, "#" + canonical) != canonical:
            return None
        edits = [Edit(use.start, use.end, canonical)]
        for ft in tags_mod.frontmatter_tags(note):
            if ft.start == use.start and ft.end == use.end:
                expected = tags_mod.value_with_item(note, ft, canonical)  # what the key must read after the fix
                if expected is not None and tags_mod.parses_to(note, edits, ft.key, expected):
                    return edits
        return None
