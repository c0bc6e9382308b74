"""frontmatter-fields: keys a note must have, configurable per glob."""

from __future__ import annotations

import fnmatch
import re

from notelint import yaml_edit
from notelint.options import Option, Table
from notelint.rule import Rule

DENDRON_KEYS = ["id", "title", "desc", "updated", "created"]
REQUIRE = Table(
    fields=(
        Option("paths", list, ["*"], "fnmatch globs on vault-relative paths (`*` crosses dots and slashes)."),
        Option("keys", list, [], "Keys every matching note must have."),
        Option("flavor", ("any", "dendron", "obsidian"), "any", "Apply the table only in vaults of this flavor."),
    ),
    required=("keys",),
)


def dendron_title(rel: str) -> str:
    """The title Dendron gives a note (`genTitle`): the last dot segment of the file name;
    when the whole name is lower case, `-` becomes a space and each word is capitalised."""
    fname = rel.rsplit("/", 1)[-1]
    fname = fname[:-3] if fname.lower().endswith(".md") else fname
    last = fname.rsplit(".", 1)[-1]
    if fname.lower() != fname:
        return last
    return " ".join(word[:1].upper() + word[1:] for word in last.replace("-", " ").split(" "))


class FrontmatterFields(Rule):
    name = "frontmatter-fields"
    code = "NL102"
    summary = "Frontmatter lacks a key the note must have (Dendron: id, title, desc, updated, created; configurable per glob)"
    rationale = (
        "Dendron writes `id`, `title`, `desc`, `updated` and `created` in every note and warns when they "
        "are missing; templates and vault conventions add keys of their own. Each missing key is reported "
        "once, at the frontmatter's first line (line 1 when there is none). `fix` adds only what it can "
        "derive without guessing: `desc: ''`, and `title` from the file name the way Dendron does (the "
        "last dot segment; an all-lowercase name gets `-` turned into spaces and capitalised words; in "
        "Obsidian the file name). New keys are whole lines inserted in Dendron's key order, with the "
        "note's own line endings, without touching any existing line; a missing frontmatter block is "
        "created only when a fix has something to put in it. A key written with an empty value counts as "
        "present (note-id and frontmatter-timestamps report empty values). A missing `id` is left to note-id and a "
        "missing `created`/`updated` to frontmatter-timestamps when those rules run and report it."
    )
    bad = "---\nid: omjodjubwiwpch2g5i4o0wo\nupdated: 1701277053723\ncreated: 1701259204127\n---\n"
    good = "---\nid: omjodjubwiwpch2g5i4o0wo\ntitle: '29'\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n"
    example_note = "daily.journal.2023.11.29.md"
    example_files = {"dendron.yml": "version: 5\n"}
    fix = "safe"
    # findings depend on the note, this rule's options and which rules run (`prepare` reads only
    # those, and warns about globs): the cache keeps them, and workers check them
    cacheable = True
    options = (
        Option("require", REQUIRE, [{"paths": ["*"], "keys": DENDRON_KEYS, "flavor": "dendron"}],
               "Tables `[[rules.frontmatter-fields.require]]`, each with `paths`, `keys` and optionally `flavor`; a note "
               "must have the keys of every table whose globs match it. Setting it replaces the default (Dendron's five "
               "keys in Dendron vaults, nothing in Obsidian vaults); `require = []` requires nothing."),
    )

    def __init__(self, settings=None, flavor="obsidian"):
        super().__init__(settings, flavor)
        self.tables = [REQUIRE.fill(t) for t in self.settings["require"]]
        self.tables = [t for t in self.tables if t["flavor"] in ("any", flavor)]
        self._others: list[Rule] = []  # rules that report some missing keys themselves

    def prepare(self, ws):
        """Find the rules that report missing keys themselves; warn about globs that match nothing."""
        self._others = [r for r in ws.rules if r is not self and hasattr(r, "reported_missing")]
        warnings = []
        for i, table in enumerate(self.tables, 1):
            for pattern in table["paths"]:
                if not any(fnmatch.fnmatchcase(rel, pattern) for rel in ws.vault.notes):
                    warnings.append(f"frontmatter-fields: require table {i}: the glob {pattern!r} matches no note")
        return warnings

    def required(self, rel: str) -> list[str]:
        keys: list[str] = []
        for table in self.tables:
            if any(fnmatch.fnmatchcase(rel, p) for p in table["paths"]):
                keys += [k for k in table["keys"] if k not in keys]
        return keys

    def check(self, note):
        fm = note.frontmatter
        if fm.error:
            return
        keys = self.required(note.rel)
        if not keys:
            return
        present = set(fm.data) if fm.present else set()
        missing = [k for k in keys if k not in present and fm.key_node(k) is None]
        if not missing:
            return
        for other in self._others:
            other = other.for_path(note.rel)  # as configured for this note, if it runs here
            if other is not None:
                covered = other.reported_missing(note)
                missing = [k for k in missing if k not in covered]
        start, end = (0, 3) if fm.present else (0, None)
        for key in missing:
            source = self._value(note, key)
            edit = yaml_edit.insert_key(note, key, source) if source is not None else None
            message = f"`{key}` is missing ({self._why(note.rel, key)})"
            if edit is None:
                yield self.finding(note, start, end, message + "; add it by hand")
            else:
                yield self.finding(note, start, end, message + f"; `fix` adds {key}: {source}", [edit])

    def _why(self, rel: str, key: str) -> str:
        default = [{"paths": ["*"], "keys": DENDRON_KEYS, "flavor": "dendron"}]
        if self.settings["require"] == default:
            return "Dendron writes id, title, desc, updated and created in every note"
        globs = [p for t in self.tables if key in t["keys"] for p in t["paths"] if fnmatch.fnmatchcase(rel, p)]
        return "required for " + ", ".join(f"`{g}`" for g in globs) + " by frontmatter-fields `require`"

    def _value(self, note, key: str) -> str | None:
        """The YAML source of a value `fix` can add without guessing, or None."""
        if key == "desc":
            return "''"
        if key == "title":
            if self.flavor == "dendron":
                title = dendron_title(note.rel)
            else:
                name = note.rel.rsplit("/", 1)[-1]
                title = re.sub(r"\.md$", "", name, flags=re.IGNORECASE)
            return yaml_edit.scalar_source(title) if title else None
        return None
