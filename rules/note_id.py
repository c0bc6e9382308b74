"""note-id: Dendron note ids that are missing, empty, not a string, or shared by two notes.

What breaks Dendron is taken from its sources (dendronhq/dendron):
* `string2Note` (common-all: `if (data?.id) data.id = _.toString(data.id)`) and
  `DNodeUtils.create` (common-all/src/dnode.ts: `_.defaults(opts, {id: genUUID()})`): any non-empty
  value is used as the id, as a string; only a missing id gets a new one, so an empty one stays empty.
* `genUUID` (common-all/src/uuid.ts): what Dendron writes today is 23 characters of `0-9a-z`; older
  versions wrote uuids v4 and 21-character nanoids, which keep working (the docs: "IDs can be any string").
* `BackfillService.updateNotes` (engine-server/src/backfillV2/service.ts, run by Doctor's
  `fixFrontmatter`): "ids starting or ending with `-` or `_` break pages in Github publishing", and
  the doctor gives those notes new ids. So that one form is worth a warning.
"""

from __future__ import annotations

import hashlib
import re

import yaml

from notelint import yaml_edit
from notelint.options import Option
from notelint.rule import Rule

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
ID_LENGTH = 23
DENDRON_ID = re.compile(r"[0-9a-z]{23}")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.IGNORECASE)
NANOID21 = re.compile(r"[A-Za-z0-9_-]{21}")
PUBLISH_EDGE = re.compile(r"^[-_]|[-_]$")  # Dendron's own test (backfillV2/service.ts)
NO_FIX = "changing an id breaks links to the note and its published URL"
NEW_STYLE = "23 characters of 0-9a-z"


class NoteId(Rule):
    name = "note-id"
    code = "NL103"
    summary = "Dendron note id missing, empty, not a string, or shared by two or more notes"
    rationale = (
        "Dendron identifies a note by its `id`: links, backlinks, refs and published URLs use it, and when "
        "two notes share one the engine keeps only one of them. Dendron accepts any non-empty string as an "
        "id: it writes 23 characters of `0-9a-z` today (`genUUID`), older versions wrote uuids v4 and "
        "21-character nanoids, and all of them keep working, so none is reported by default "
        "(`require-new-style` asks for Dendron's current form). Reported: a missing or empty id (Dendron "
        "cannot identify the note; `fix` writes a new one), an id that is a list or a mapping, an id that YAML "
        "reads as a number, boolean or date (Dendron turns it into other text: quote it), an id starting or "
        "ending with `-` or `_` (a warning: Dendron's Doctor `fixFrontmatter` replaces such ids because they "
        "break pages in GitHub publishing), and an id shared by two notes. A new id is derived from the note "
        "(BLAKE2b of its path and text, checked against the vault's ids), so `fix --diff` shows exactly the id "
        "`fix` writes. A duplicate is fixed only with `fix-duplicates`, and then the note created later "
        "(greater `created`; a tie goes to the later path) gets the new id, because changing an id breaks "
        "links and published URLs. Obsidian vaults are not checked."
    )
    bad = "---\ntitle: Paper notes\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n"
    good = "---\nid: omjodjubwiwpch2g5i4o0wo\ntitle: Paper notes\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n"
    example_files = {"dendron.yml": "version: 5\n"}
    fix = "safe"
    options = (
        Option("require-new-style", bool, False, "Also warn about every id that is not in the form Dendron writes today "
               f"({NEW_STYLE}; the root note may be `root`). Off by default: Dendron accepts any non-empty string."),
        Option("allow-legacy", bool, False, "With `require-new-style`: still accept the ids older Dendron versions "
               "wrote (uuid v4, 21-character nanoid)."),
        Option("fix-duplicates", bool, False, "Let `fix` give each note sharing an id with an earlier-created note a new id (this breaks links to it and its published URL)."),
        Option("deterministic-ids", bool, True, "Derive a new id from the note's path and text (BLAKE2b), so that "
               "`fix --diff` shows the id `fix` writes and two runs write the same ids; `false` draws random ids "
               "(`secrets`), which then differ between `fix --diff` and `fix`."),
    )

    def __init__(self, settings=None, flavor="obsidian"):
        super().__init__(settings, flavor)
        self._owners: dict[str, list[str]] = {}  # id -> notes holding it, vault-relative
        self._keeper: dict[str, str] = {}  # duplicated id -> the note that keeps it

    @property
    def index_facts(self):
        return ((ID_FACT, id_fact),) if self.flavor == "dendron" else ()

    def screen(self, rel):
        """A note with an id of Dendron's form, held by no other note, is never reported."""
        if self.flavor != "dendron":
            return False
        value = getattr(self, "_ids", {}).get(rel)
        if not value or self.settings["require-new-style"]:
            return True
        if PUBLISH_EDGE.search(value) or any(pattern.fullmatch(value) for _kind, pattern in JS_YAML_TYPES):
            return True
        return len(self._owners.get(value, ())) > 1

    def prepare(self, ws):
        """Index every note's id once per run, for duplicates."""
        self._owners, self._keeper, self._ids = {}, {}, {}
        if self.flavor != "dendron":
            return ()
        created: dict[str, float] = {}
        if hasattr(ws, "note_facts"):  # the cached vault index: only changed notes are read
            facts = ws.note_facts(ID_FACT, id_fact)
        else:
            facts = {rel: id_fact(ws.note(rel)) for rel in ws.vault.notes}
        for rel in ws.vault.notes:
            value, stamp = facts.get(rel) or ("", None)
            self._ids[rel] = value
            if value:
                self._owners.setdefault(value, []).append(rel)
                created[rel] = float("inf") if stamp is None else stamp
        for value, rels in self._owners.items():
            if len(rels) > 1:
                self._keeper[value] = min(rels, key=lambda r: (created[r], r))
        return ()

    def reported_missing(self, note) -> set[str]:
        """Keys this rule reports as missing in the note (frontmatter-fields leaves them to it)."""
        if self.flavor == "dendron" and not note.frontmatter.error and note.frontmatter.key_node("id") is None:
            return {"id"}
        return set()

    def check(self, note):
        if self.flavor != "dendron" or note.frontmatter.error:
            return
        pair = note.frontmatter.key_node("id")
        if pair is None:
            start, end = (0, 3) if note.frontmatter.present else (0, None)
            edit = yaml_edit.insert_key(note, "id", self.new_id(note))
            tail = f"; `fix` adds a new one ({NEW_STYLE})" if edit else "; add one by hand"
            yield self.finding(note, start, end, "no `id`: Dendron identifies notes by it (links, refs, published URLs)" + tail,
                               [edit] if edit else None)
            return
        node = pair[1]
        start, end = yaml_edit.value_span(note, node)
        if not isinstance(node, yaml.ScalarNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            yield self.finding(note, start, end, f"id is {kind}, not a string; write one string (Dendron writes {NEW_STYLE})")
            return
        value = node.value
        if node.tag.endswith(":null") or not value.strip():
            key_start, key_end = yaml_edit.key_span(note, "id")
            yield self.finding(note, key_start, key_end, "id is empty: Dendron identifies notes by it; `fix` writes a new one "
                               f"({NEW_STYLE})", [yaml_edit.replace_value(note, node, self.new_id(note))])
            return
        kind = _not_a_string(node)
        if kind:
            yield self.finding(note, start, end,
                               f"id {value} is {kind} in YAML, not a string: Dendron converts it to text (`_.toString`), "
                               "and the result can differ from what is written (`1.50` becomes `1.5`, a date a long "
                               f"date string); quote it (`'{value}'`) so that the id is exactly what is written",
                               severity="warning")
        elif PUBLISH_EDGE.search(value):
            yield self.finding(note, start, end,
                               f"id {value} starts or ends with `-` or `_`, which breaks its page when the vault is "
                               "published to GitHub Pages (Dendron's Doctor `fixFrontmatter` gives such notes new ids); "
                               f"no automatic fix: {NO_FIX}", severity="warning")
        elif self.settings["require-new-style"]:
            yield from self._new_style(note, value, start, end)
        yield from self._duplicate(note, node, value.strip(), start, end)

    def _new_style(self, note, value, start, end):
        """`require-new-style`: the id is not in the form Dendron's `genUUID` writes today."""
        if DENDRON_ID.fullmatch(value) or (value == "root" and note.rel == "root.md"):
            return
        if UUID4.fullmatch(value) or NANOID21.fullmatch(value):
            if self.settings["allow-legacy"]:
                return
            kind = "a uuid v4" if UUID4.fullmatch(value) else "a 21-character nanoid"
            why = f"is {kind}, the form older Dendron versions wrote"
            hint = "; allow-legacy = true accepts it"
        else:
            why, hint = "is not the form Dendron writes today", ""
        yield self.finding(note, start, end,
                           f"id {value} {why}; new notes get {NEW_STYLE} (e.g. omjodjubwiwpch2g5i4o0wo), which "
                           f"require-new-style asks for{hint}; it still works: change it by hand only if links by id "
                           f"may break ({NO_FIX})", severity="warning")

    def _duplicate(self, note, node, value, start, end):
        owners = self._owners.get(value, [])
        others = [r for r in owners if r != note.rel]
        if not others or note.rel not in owners:
            return
        shown = ", ".join(others)
        message = (f"id {value} is also the id of {shown}: Dendron keeps only one note per id, the other "
                   "disappears from lookup, links and the published site")
        keeper = self._keeper.get(value)
        if not self.settings["fix-duplicates"]:
            yield self.finding(note, start, end, message + f"; no automatic fix: {NO_FIX} (fix-duplicates = true "
                               "gives the notes created later new ids)", related=others)
        elif keeper == note.rel:
            yield self.finding(note, start, end, message + "; this note was created first and keeps it, `fix` gives "
                               "the others new ids", related=others)
        else:
            yield self.finding(note, start, end, message + f"; {keeper} was created first and keeps it, `fix` gives "
                               "this note a new id (fix-duplicates)", [yaml_edit.replace_value(note, node, self.new_id(note))],
                               related=others)

    def new_id(self, note) -> str:
        """A Dendron-style id (23 characters of 0-9a-z) no other note holds. Derived from the note's
        path and the text it had before this fix run (`origin`: other rules' fixes in earlier passes do
        not change it), so `fix --diff` and `fix` generate the same id."""
        text = note.text if note.origin is None else note.origin
        for attempt in range(100):
            if self.settings["deterministic-ids"]:
                seed = f"{note.rel}\0{attempt}\0{text}".encode("utf-8", "surrogatepass")
                number = int.from_bytes(hashlib.blake2b(seed, digest_size=16).digest(), "big")
                chars = []
                for _ in range(ID_LENGTH):
                    number, digit = divmod(number, len(ALPHABET))
                    chars.append(ALPHABET[digit])
                candidate = "".join(chars)
            else:
                import secrets  # only when an id is generated (4 ms of imports at start-up otherwise)

                candidate = "".join(secrets.choice(ALPHABET) for _ in range(ID_LENGTH))
            if candidate not in self._owners:
                return candidate
        raise RuntimeError("could not generate an unused note id")  # pragma: no cover - 36**23 ids


# Plain values that js-yaml (which Dendron's gray-matter uses, YAML 1.2 core schema plus timestamps)
# reads as something other than a string. PyYAML's own tags are YAML 1.1 (`yes`, `0123` octal), so they
# are not asked.
JS_YAML_TYPES = (
    ("a boolean", re.compile(r"true|True|TRUE|false|False|FALSE")),
    ("a number", re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")),
    ("a date", re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
                          r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?")),
)


def _not_a_string(node) -> str:
    """What Dendron's YAML reader makes of a plain (unquoted) id that is not a string ("" for a string)."""
    if node.style:  # quoted or block: a string
        return ""
    return next((kind for kind, pattern in JS_YAML_TYPES if pattern.fullmatch(node.value)), "")


def _id_value(note) -> str:
    node = yaml_edit.scalar_node(note, "id")
    if node is None or node.tag.endswith(":null"):
        return ""
    return node.value.strip()


ID_FACT = "note-id-1"  # the cached fact's name: change it when id_fact changes


def id_fact(note) -> list:
    """[id or "", integer `created` or None] of a note, as JSON data (the vault index)."""
    if not note.readable or note.frontmatter.error:
        return ["", None]
    stamp = note.frontmatter.data.get("created")
    ok = isinstance(stamp, int) and not isinstance(stamp, bool)
    return [_id_value(note), stamp if ok else None]
