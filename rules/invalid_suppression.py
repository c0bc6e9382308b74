"""invalid-suppression: a suppression comment names a rule that does not exist, or is no directive."""

from notelint import suppression
from notelint.rule import Rule


class InvalidSuppression(Rule):
    name = "invalid-suppression"
    code = "NL004"
    summary = "A suppression comment or frontmatter ignore names an unknown rule, or is misspelt"
    rationale = (
        "A suppression with a misspelt rule name suppresses nothing, and the writer believes the "
        "finding is handled. Rule names and codes are checked, with the closest known name suggested. "
        "A comment starting with an unknown `notelint-` directive (`notelint-enable-file`), or whose "
        "rule names do not all stand on its first line, is reported too: it suppresses nothing."
    )
    bad = "<!-- notelint-disable-next-line whitespaces -->"
    good = "<!-- notelint-disable-next-line whitespace -->"
    severity = "warning"

    def check(self, note):
        for start, end, message in suppression.of(note).problems:
            yield self.finding(note, start, end, message)
