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
    bad = "caf\\xe9 (the byte 0xE9: Latin-1, not UTF-8)"
    good = "café (UTF-8)"
    needs_valid_note = False

    def check(self, note):
        err = note.read_error
        if err is not None:
            yield self.file_finding(note.rel, f"{err}; the file is never changed by `notelint fix`",
                                    err.line, err.column)
