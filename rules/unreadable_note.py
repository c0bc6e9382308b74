"""unreadable-note: a `.md` file that is not UTF-8 text or cannot be read."""

from notelint.rule import Rule


class UnreadableNote(Rule):
    name = "unreadable-note"
    code = "NL001"
    summary = "Note is not UTF-8 text (binary, Latin-1, UTF-16) or cannot be read"
    rationale = (
        "Obsidian and Dendron read notes as UTF-8. A note in a legacy encoding shows mojibake, "
        "and a binary file named `.md` is usually a sync accident. notelint reports the file and "
        "never writes it, so no fix can turn a wrong guess about its encoding into lost text."
    )
    bad = "café, saved as Latin-1: the é is the single byte 0xE9, which is not UTF-8"
    good = "café, saved as UTF-8"
    needs_valid_note = False

    @classmethod
    def example_vault(cls, kind):
        """The bad example is the note's text in Latin-1 bytes, as an old editor saved it."""
        files = super().example_vault(kind)
        if kind == "bad":
            files[cls.example_note] = cls.bad.encode("latin-1")
        return files

    def check(self, note):
        err = note.read_error
        if err is not None:
            yield self.file_finding(note.rel, f"{err}; the file is never changed by `notelint fix`",
                                    err.line, err.column)
