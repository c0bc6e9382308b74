"""Suppression comments and frontmatter ignores."""

import tempfile
from pathlib import Path

from notelint.config import Config
from notelint.perpath import select_rules
from notelint.engine import Workspace, check_note
from notelint.note import Note
from notelint.vault import Vault

EMPTY_ROOT = Path(tempfile.mkdtemp(prefix="notelint-suppression-"))


def lines_reported(text: str, flavor: str = "obsidian") -> list[tuple[int, str]]:
    """Findings of every default rule on one note, in a vault holding only that note."""
    rules, _ = select_rules(Config(), flavor)
    vault = Vault(root=EMPTY_ROOT, flavor=flavor, config=Config(), notes=["note.md"])
    note = Note.from_text(text, flavor=flavor)
    ws = Workspace(vault, rules, ["note.md"], None)
    ws._notes["note.md"] = note
    ws.prepare_rules()
    return sorted((f.line, f.rule) for f in check_note(note, rules, vault))


def test_disable_next_line():
    text = "<!-- notelint-disable-next-line whitespace -->\na \nb \n"
    assert lines_reported(text) == [(3, "whitespace")]


def test_disable_enable_range_and_all_rules():
    text = "a \n<!-- notelint-disable -->\nb \nc \n<!-- notelint-enable -->\nd \n"
    assert lines_reported(text) == [(1, "whitespace"), (6, "whitespace")]


def test_enable_one_rule_inside_a_disable_all_range():
    text = "<!-- notelint-disable -->\na \n<!-- notelint-enable whitespace -->\nb \n"
    assert lines_reported(text) == [(4, "whitespace")]


def test_disable_file_by_code_and_obsidian_comment():
    assert lines_reported("%% notelint-disable-file NL003 %%\na \n") == []
    assert lines_reported("<!-- notelint-disable-file whitespace, frontmatter-syntax -->\na \n") == []


def test_frontmatter_ignore():
    assert lines_reported("---\nnotelint:\n  ignore: [whitespace]\n---\na \n") == []
    assert lines_reported("---\nnotelint: {ignore: whitespace}\n---\na \n") == []


def test_unknown_rule_in_suppression_is_reported_and_suppresses_nothing():
    text = "<!-- notelint-disable-next-line whitespcae -->\na \n"
    assert lines_reported(text) == [(1, "invalid-suppression"), (2, "whitespace")]


def test_directives_inside_code_do_nothing():
    text = "```\n<!-- notelint-disable-file -->\n```\na \n"
    assert lines_reported(text) == [(4, "whitespace")]


# --------------------------------------------------------------------------- where a directive applies


def test_disable_next_line_whose_end_sits_on_its_own_line():
    """The line after the comment's end is covered, not the comment's own second line: in both
    comment forms and with every line ending (CRLF, a lone CR)."""
    for nl in ("\n", "\r\n", "\r"):
        for opener, closer in (("<!--", "-->"), ("%%", "%%")):
            text = f"{opener} notelint-disable-next-line whitespace{nl}{closer}{nl}a {nl}b {nl}"
            assert lines_reported(text) == [(4, "whitespace")], (repr(nl), opener)
    text = "<!--\tnotelint-disable-next-line whitespace\n\n-->\na \nb \n"  # a blank line inside the comment
    assert lines_reported(text) == [(5, "whitespace")]


def test_rule_names_past_the_first_line_are_reported_not_silently_dropped():
    text = "<!-- notelint-disable-next-line\nwhitespace\n-->\na \n"
    assert lines_reported(text) == [(1, "invalid-suppression"), (4, "whitespace")]
    assert messages("<!-- notelint-disable whitespace\nbecause -->\na \n") == [
        "`notelint-disable` is not read: write its rule names on the comment's first line, "
        "with nothing after them but the comment's end"]


def test_a_range_directive_on_the_line_of_a_finding():
    """A range applies from its own line, the text before the comment included."""
    before_disable = "a  <!-- notelint-disable whitespace -->\nb \n<!-- notelint-enable whitespace -->\nc \n"
    assert lines_reported(before_disable) == [(4, "whitespace")]
    after_disable = "x <!-- notelint-disable whitespace --> a \nb \n"
    assert lines_reported(after_disable) == []
    before_enable = "<!-- notelint-disable whitespace -->\na \nb <!-- notelint-enable whitespace --> \nc \n"
    assert lines_reported(before_enable) == [(3, "whitespace"), (4, "whitespace")]
    after_enable = "<!-- notelint-disable whitespace -->\na \nx <!-- notelint-enable whitespace --> b \nc \n"
    assert lines_reported(after_enable) == [(3, "whitespace"), (4, "whitespace")]
    both = "x <!-- notelint-disable whitespace --> y <!-- notelint-enable whitespace --> \nz \n"
    assert lines_reported(both) == [(1, "whitespace"), (2, "whitespace")]  # the last on the line wins
    crlf = "a <!-- notelint-disable whitespace -->\r\nb \r\n<!-- notelint-enable whitespace -->\r\nc \r\n"
    assert lines_reported(crlf) == [(4, "whitespace")]


def test_disable_line_covers_the_line_the_comment_starts_on():
    """markdownlint's and rumdl's `disable-line`; before, `notelint-disable-line RULE` was read as
    `disable` naming a rule `-line`, which switched RULE off to the end of the note."""
    assert lines_reported("a <!-- notelint-disable-line whitespace --> \nb \nc \n") == [
        (2, "whitespace"), (3, "whitespace")]
    assert lines_reported("a %% notelint-disable-line %% \nb \n") == [(2, "whitespace")]
    assert lines_reported("a <!-- notelint-disable-line NL003\r\n--> \r\nb \r\n") == [
        (2, "whitespace"), (3, "whitespace")]
    assert lines_reported("a <!-- notelint-disable-line tag-style --> \n") == [(1, "whitespace")]
    for nl in ("\r\n", "\r"):  # the comment's line counted with the note's own line endings
        text = f"a {nl}b <!-- notelint-disable-line whitespace --> {nl}c {nl}"
        assert lines_reported(text) == [(1, "whitespace"), (3, "whitespace")], repr(nl)


def test_a_misspelt_directive_is_reported_and_silences_nothing():
    assert lines_reported("<!-- notelint-enable-file whitespace -->\na \n") == [
        (1, "invalid-suppression"), (2, "whitespace")]
    assert messages("%% notelint-disable-lines %%\n") == [
        "`notelint-disable-lines` is not a suppression directive (known: notelint-disable-next-line, "
        "notelint-disable-line, notelint-disable-file, notelint-disable, notelint-enable)"]
    assert lines_reported("<!-- notelintish -->\n<!-- a comment -->\na \n") == [(3, "whitespace")]


def test_nested_ranges_do_not_count_depth():
    named_then_all = ("<!-- notelint-disable whitespace -->\n<!-- notelint-disable -->\na \n"
                      "<!-- notelint-enable -->\nb \n")
    assert lines_reported(named_then_all) == [(5, "whitespace")]  # a bare enable ends every range
    twice = ("<!-- notelint-disable whitespace -->\n<!-- notelint-disable whitespace -->\na \n"
             "<!-- notelint-enable whitespace -->\nb \n")
    assert lines_reported(twice) == [(5, "whitespace")]
    back_off = ("<!-- notelint-disable -->\n<!-- notelint-enable whitespace -->\na \n"
                "<!-- notelint-disable -->\nb \n<!-- notelint-enable -->\nc \n")
    assert lines_reported(back_off) == [(3, "whitespace"), (7, "whitespace")]


def test_directives_in_code_spans_and_blocks_are_text():
    for text in ("`<!-- notelint-disable -->` a \nb \n",
                 "`%% notelint-disable %%` a \nb \n",
                 "para\n\n    <!-- notelint-disable-file -->\n\na \n",
                 "~~~\n%% notelint-disable-next-line %%\n~~~\na \n",
                 "> ```\n> <!-- notelint-disable -->\n> ```\n\na \n"):
        assert [rule for _, rule in lines_reported(text)].count("whitespace") == text.count(" \n"), text


def messages(text: str) -> list[str]:
    """The invalid-suppression messages of one note."""
    from notelint.suppression import collect

    return [message for _s, _e, message in collect(Note.from_text(text)).problems]


def reported(text: str, flavor: str = "obsidian") -> list[tuple[int, int, int, int, str, str]]:
    """(line, column, end line, end column, rule, message) of every default rule's finding on one note."""
    rules, _ = select_rules(Config(), flavor)
    vault = Vault(root=EMPTY_ROOT, flavor=flavor, config=Config(), notes=["note.md"])
    note = Note.from_text(text, flavor=flavor)
    ws = Workspace(vault, rules, ["note.md"], None)
    ws._notes["note.md"] = note
    ws.prepare_rules()
    return sorted((f.line, f.column, f.end_line, f.end_column, f.rule, f.message)
                  for f in check_note(note, rules, vault))


TYPO = "suppression names unknown rule `whitespcae` (did you mean `whitespace`?)"
TRAILING = "trailing whitespace (1 space); remove it"


def test_an_unknown_rule_in_a_frontmatter_ignore_is_reported_on_the_notelint_key():
    text = "---\ntitle: x\nnotelint: {ignore: [whitespcae]}\n---\na \n"
    assert reported(text) == [(3, 1, 3, 9, "invalid-suppression", TYPO), (5, 2, 5, 3, "whitespace", TRAILING)]
    merged = "---\nbase: &b {ignore: [whitespcae]}\nnotelint: {<<: *b}\n---\na \n"  # items not under the key
    assert reported(merged) == [(3, 1, 3, 9, "invalid-suppression", TYPO), (5, 2, 5, 3, "whitespace", TRAILING)]
    # `notelint` itself merged in: no key to point at, so the note's start
    top = "---\nbase: &b {notelint: {ignore: [whitespcae]}}\n<<: *b\n---\na \n"
    assert [(line, column, rule) for line, column, _el, _ec, rule, _m in reported(top)] == [
        (1, 1, "invalid-suppression"), (5, 2, "whitespace")]


def test_a_frontmatter_ignore_reached_through_merge_keys_still_silences():
    assert reported("---\nbase: &b {ignore: [whitespace]}\nnotelint: {<<: *b}\n---\na \n") == []
    assert reported("---\nbase: &b {notelint: {ignore: [whitespace]}}\n<<: *b\n---\na \n") == []


def test_a_frontmatter_ignore_that_is_no_name_and_no_list_silences_nothing():
    for value in ("5", "{whitespace: 1}"):
        text = f"---\nnotelint: {{ignore: {value}}}\n---\na \n"
        assert [rule for *_, rule, _m in reported(text)] == ["whitespace"], value


def test_an_empty_frontmatter_ignore_silences_every_rule():
    """`ignore: ''` names no rule, which means every rule, as a directive naming none does."""
    assert reported("---\nnotelint: {ignore: ''}\n---\na \n#Tag \n") == []
    assert reported("---\nnotelint:\n  ignore:\n    - ''\n    - tag-style\n---\na \n") == []


def test_an_unknown_rule_with_no_close_name_gets_no_suggestion():
    assert reported("<!-- notelint-disable-next-line qqqq -->\na \n") == [
        (1, 1, 1, 41, "invalid-suppression", "suppression names unknown rule `qqqq`"),
        (2, 2, 2, 3, "whitespace", TRAILING)]


def test_directives_after_a_plain_comment_or_an_unknown_rule_still_apply():
    assert reported("<!-- a comment -->\n<!-- notelint-disable-next-line whitespace -->\na \n") == []
    text = ("<!-- notelint-disable-next-line whitespcae -->\na \n"
            "<!-- notelint-disable-next-line whitespace -->\nb \n")
    assert reported(text) == [(1, 1, 1, 47, "invalid-suppression", TYPO), (2, 2, 2, 3, "whitespace", TRAILING)]
