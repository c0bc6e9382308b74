"""note-id: Dendron note ids that are missing, malformed, or shared by two notes."""

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
NO_FIX = "changing an id breaks links to the note and its published URL"


class NoteId(Rule):
    name = "note-id"
    code = "NL103"
    summary = "Dendron note id missing, empty, malformed, or shared by two or more notes"
    rationale = (
        "Dendron identifies a note by its `id`: links, backlinks, refs and published URLs use it, and when "
        "two notes share one the engine keeps only one of them. Dendron writes 23 characters of `0-9a-z` "
        "(`genUUID`); notes from older versions may hold a uuid v4 or a 21-character nanoid, which still "
        "work and are reported as warnings (`allow-legacy` silences them); ids starting or ending with "
        "`-` or `_` break GitHub publishing. `fix` gives a note without an id a new Dendron-style id "
        "(from `secrets`). A duplicate is fixed only with `fix-duplicates`, and then the note created "
        "later (greater `created`; a tie goes to the later path) gets the new id, because changing an "
        "id breaks links and published URLs. Obsidian vaults are not checked. Dendron's own `root` "
        "note may have the id `root`."
    )
    bad = "---\ntitle: Paper notes\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n"
    good = "---\nid: omjodjubwiwpch2g5i4o0wo\ntitle: Paper notes\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n"
    fix = "safe"
    options = (
        Option("allow-legacy", bool, False, "Accept the ids older Dendron versions wrote (uuid v4, 21-character nanoid) without a warning."),
        Option("fix-duplicates", bool, False, "Let `fix` give each note sharing an id with an earlier-created note a new id (this breaks links to it and its published URL)."),
        Option("deterministic-ids", bool, False, "Derive a new id from the note's path and text (BLAKE2b) instead of `secrets`, so that two runs of `fix` on the same files write the same ids (reproducible CI runs and tests)."),
    )

    def __init__(self, settings=None, flavor="obsidian"):
        super().__init__(settings, flavor)
        self._owners: dict[str, list[str]] = {}  # id -> notes holding it, vault-relative
        self._keeper: dict[str, str] = {}  # duplicated id -> the note that keeps it

    def prepare(self, ws):
        """Index every note's id once per run, for duplicates."""
        self._owners, self._keeper = {}, {}
        if self.flavor != "dendron":
            return ()
        created: dict[str, float] = {}
        if hasattr(ws, "note_facts"):  # the cached vault index: only changed notes are read
            facts = ws.note_facts(ID_FACT, id_fact)
        else:
            facts = {rel: id_fact(ws.note(rel)) for rel in ws.vault.notes}
        for rel in ws.vault.notes:
            value, stamp = facts.get(rel) or ("", None)
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
            tail = "; `fix` adds a new one (23 characters of 0-9a-z)" if edit else "; add one by hand"
            yield self.finding(note, start, end, "no `id`: Dendron identifies notes by it (links, refs, published URLs)" + tail,
                               [edit] if edit else None)
            return
        node = pair[1]
        start, end = yaml_edit.value_span(note, node)
        if not isinstance(node, yaml.ScalarNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            yield self.finding(note, start, end, f"id is {kind}, not a string; write a Dendron id (23 characters of 0-9a-z)")
            return
        value = node.value
        if node.tag.endswith(":null") or not value.strip():
            key_start, key_end = yaml_edit.key_span(note, "id")
            yield self.finding(note, key_start, key_end, "id is empty: Dendron identifies notes by it; `fix` writes a new one "
                               "(23 characters of 0-9a-z)", [yaml_edit.replace_value(note, node, self.new_id(note))])
            return
        yield from self._form(note, value, start, end)
        yield from self._duplicate(note, node, value.strip(), start, end)

    def _form(self, note, value, start, end):
        if DENDRON_ID.fullmatch(value) or (value == "root" and note.rel == "root.md"):
            return
        edge = value[:1] in "-_" or value[-1:] in "-_"
        publish = "; it starts or ends with `-` or `_`, which breaks publishing to GitHub Pages" if edge else ""
        if UUID4.fullmatch(value) or NANOID21.fullmatch(value):
            if self.settings["allow-legacy"] and not edge:
                return
            kind = "a uuid v4" if UUID4.fullmatch(value) else "a 21-character nanoid"
            yield self.finding(note, start, end,
                               f"id {value} is {kind}, the form older Dendron versions wrote; new notes get 23 characters "
                               f"of 0-9a-z{publish}; keep it ({NO_FIX}) and set allow-legacy = true, or change it by hand",
                               severity="warning")
            return
        yield self.finding(note, start, end,
                           f"id `{value}` is not a Dendron id (23 characters of 0-9a-z, e.g. omjodjubwiwpch2g5i4o0wo)"
                           f"{publish}; no automatic fix: {NO_FIX}")

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
        """A Dendron-style id (23 characters of 0-9a-z) no other note holds."""
        for attempt in range(100):
            if self.settings["deterministic-ids"]:
                seed = f"{note.rel}\0{attempt}\0{note.text}".encode("utf-8", "surrogatepass")
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
