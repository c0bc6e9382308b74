"""A note a worker read and parsed comes back to the main process whole (`checking.parsed_state`
and `parsed_note`): the same bytes, text, BOM, read error, read-only reason, template flag and
parsed frontmatter and Markdown, so the main process neither reads nor parses it again and
treats it exactly as a note it read itself."""

import pickle
from pathlib import Path

from notelint import checking
from notelint.config import Config
from notelint.note import Note
from notelint.source import DecodeError
from notelint.vault import Vault


def _vault(flavor: str = "dendron") -> Vault:
    return Vault(root=Path("/nonexistent-vault"), flavor=flavor, config=Config(), notes=[])


def _shipped(vault: Vault, note: Note) -> Note:
    """Through a worker's pipe: pickled and rebuilt."""
    state = pickle.loads(pickle.dumps(checking.parsed_state(note), protocol=pickle.HIGHEST_PROTOCOL))
    return checking.parsed_note(vault, note.rel, state)


def _read(vault: Vault, rel: str, data: bytes) -> Note:
    return Note.from_bytes(vault.abs(rel), rel, data, vault.flavor)


def test_a_parsed_note_comes_back_with_everything_read_and_parsed():
    vault = _vault()
    data = "\ufeff---\nid: a1\ntitle: A\n---\n\n# A\n\n- item #tag [[b.c]] ![x](assets/x.png)\r\n".encode()
    note = _read(vault, "notes.a.md", data)
    note.read_only = "the file is read-only (make it writable to let notelint fix it)"
    note.template = True
    fm, md = note.frontmatter, note.markdown
    back = _shipped(vault, note)
    assert back.path == vault.abs("notes.a.md") and back.rel == "notes.a.md"
    assert (back.raw, back.text, back.bom, back.flavor) == (data, note.text, True, "dendron")
    assert back.read_only == note.read_only and back.template is True and back.read_error is None
    # parsed once, in the worker: the rebuilt note holds the results instead of parsing again
    assert repr(back.__dict__["frontmatter"]) == repr(fm) and back.__dict__["markdown"] == md
    assert [t.name for t in back.markdown.tags] == ["tag"]


def test_a_plain_note_keeps_its_defaults():
    vault = _vault("obsidian")
    note = _read(vault, "a.md", b"plain text\n")
    back = _shipped(vault, note)
    assert (back.bom, back.read_only, back.template, back.flavor) == (False, "", False, "obsidian")


def test_what_was_not_parsed_is_parsed_later_not_shipped_empty():
    vault = _vault()
    note = _read(vault, "notes.a.md", b"---\nid: a1\n---\n#tag\n")
    back = _shipped(vault, note)
    assert "frontmatter" not in back.__dict__ and "markdown" not in back.__dict__
    assert back.frontmatter.present and [t.name for t in back.markdown.tags] == ["tag"]
    only_fm = _read(vault, "notes.a.md", b"---\nid: a1\n---\n#tag\n")
    only_fm.frontmatter
    back = _shipped(vault, only_fm)
    assert "frontmatter" in back.__dict__ and "markdown" not in back.__dict__


def test_a_note_that_could_not_be_decoded_keeps_its_error_and_where():
    vault = _vault()
    note = _read(vault, "notes.bad.md", b"ok\nline two \xff\xfe\n")
    assert note.read_error is not None
    note.read_error = DecodeError("not UTF-8 here", 2, 10)
    back = _shipped(vault, note)
    assert isinstance(back.read_error, DecodeError)
    assert (str(back.read_error), back.read_error.line, back.read_error.column) == ("not UTF-8 here", 2, 10)
    assert back.text == note.text and back.raw == note.raw
