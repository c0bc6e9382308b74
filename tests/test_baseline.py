"""The baseline, `notelint check --add-suppressions`: the narrowest suppression for every
current finding, a splice that changes neither how a note renders nor what it reports."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from helpers import REPO, run_cli
from hypothesis import given
from test_cache import make as make_files
from test_fix_properties import DEFAULT, structured_cases

from notelint import baseline, engine, rendering
from notelint.note import Note

SAMPLE = REPO / "examples" / "sample-vault"


def make(root: Path, files: dict[str, str | bytes], flavor: str = "obsidian", config: str = "") -> Path:
    """A vault of `files` with a `.notelint.toml` holding `config`, marked as the flavor's."""
    make_files(root, files, config)
    if flavor == "obsidian":
        (root / ".obsidian").mkdir(exist_ok=True)
    else:
        (root / "dendron.yml").write_text("version: 5\n", "utf-8")
    return root


def workspace(root: Path, select=("whitespace",)) -> engine.Workspace:
    workspaces, _ = engine.prepare([str(root)], engine.RunOptions(no_cache=True, select=list(select) if select else None))
    return workspaces[0]


def baselined(tmp_path: Path, text: str, select=("whitespace",), flavor: str = "obsidian") -> str:
    """The note's text after the baseline; the check afterwards must be clean."""
    root = make(tmp_path / "v", {"n.md": text}, flavor)
    ws = workspace(root, select)
    before = engine.check(ws)
    assert before, "the case must have findings"
    out = baseline.baseline(ws)
    assert out.left == [] and out.refused == []
    new = out.notes["n.md"][1]
    assert rendering.same_rendering(Note.from_text(text, flavor=flavor), new) or "notelint:" in new
    return new


# --------------------------------------------------------------------------- each Markdown context


def test_a_line_gets_a_comment_line_above_it(tmp_path):
    assert baselined(tmp_path, "# Title \n\ntext\n") == "<!-- notelint-disable-next-line whitespace -->\n# Title \n\ntext\n"


def test_list_items_keep_their_list(tmp_path):
    # a comment line at column 0 between two items would end the list: it is indented into the item above
    assert baselined(tmp_path, "- a \n- b \n  - c \n- d\n") == (
        "<!-- notelint-disable-next-line whitespace -->\n- a \n"
        "  <!-- notelint-disable-next-line whitespace -->\n- b \n"
        "  <!-- notelint-disable-next-line whitespace -->\n  - c \n- d\n")
    assert baselined(tmp_path / "o", "1. one \n2. two \n") == (
        "<!-- notelint-disable-next-line whitespace -->\n1. one \n   <!-- notelint-disable-next-line whitespace -->\n2. two \n")


def test_nested_quotes_keep_their_markers(tmp_path):
    assert baselined(tmp_path, "> a \n>\n> > b \n> > c\n") == (
        "> <!-- notelint-disable-next-line whitespace -->\n> a \n>\n"
        "> > <!-- notelint-disable-next-line whitespace -->\n> > b \n> > c\n")


def test_a_table_row_gets_a_range_around_the_table(tmp_path):
    assert baselined(tmp_path, "| a | b |\n|---|---|\n| c | d | \n\npara\n") == (
        "<!-- notelint-disable whitespace -->\n| a | b |\n|---|---|\n| c | d | \n"
        "<!-- notelint-enable whitespace -->\n\npara\n")


def test_a_paragraph_continuation_gets_a_range_around_the_paragraph(tmp_path):
    assert baselined(tmp_path, "first line\nsecond line \nthird\n\n# Next\n") == (
        "<!-- notelint-disable whitespace -->\nfirst line\nsecond line \nthird\n"
        "<!-- notelint-enable whitespace -->\n\n# Next\n")


def test_a_code_block_gets_a_range_around_it(tmp_path):
    # the missing final newline is reported on the last line, inside an unclosed fence
    assert baselined(tmp_path, "text\n\n```\ncode") == "text\n\n<!-- notelint-disable whitespace -->\n```\ncode"


def test_blank_line_runs_get_a_range_around_the_run(tmp_path):
    # a comment inside the run would split it and make the finding go away instead
    assert baselined(tmp_path, "a\n\n\n\nb\n") == (
        "a\n<!-- notelint-disable whitespace -->\n\n\n\n<!-- notelint-enable whitespace -->\nb\n")
    assert baselined(tmp_path / "eof", "a\n\n\n") == "a\n<!-- notelint-disable whitespace -->\n\n\n"


def test_crlf_bom_and_cjk_are_kept(tmp_path):
    root = make(tmp_path / "v", {"n.md": b"\xef\xbb\xbf# \xe6\xa0\x87\xe9\xa2\x98 \r\n\r\n- \xe5\x88\x97 \r\n"})
    result = run_cli("check", "--select", "whitespace", "--add-suppressions", ".", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "n.md").read_bytes() == (
        b"\xef\xbb\xbf<!-- notelint-disable-next-line whitespace -->\r\n# \xe6\xa0\x87\xe9\xa2\x98 \r\n\r\n"
        b"<!-- notelint-disable-next-line whitespace -->\r\n- \xe5\x88\x97 \r\n")
    assert run_cli("check", "--select", "whitespace", ".", cwd=root).returncode == 0


def test_names_are_merged_into_a_comment_already_there(tmp_path):
    assert baselined(tmp_path, "<!-- notelint-disable-next-line tag-syntax -->\nline \n") == (
        "<!-- notelint-disable-next-line tag-syntax, whitespace -->\nline \n")
    assert baselined(tmp_path / "o", "%% notelint-disable-next-line tag-syntax %%\nline \n") == (
        "%% notelint-disable-next-line tag-syntax, whitespace %%\nline \n")


def test_two_rules_on_one_line_share_a_comment(tmp_path):
    text = "x #a_b \n\ny #a-b #a-b\n"
    new = baselined(tmp_path, text, select=("whitespace", "tag-style"))
    assert new.startswith("<!-- notelint-disable-next-line whitespace, tag-style -->\nx #a_b \n")


def test_a_line_comment_stays_next_to_its_line_where_a_range_starts(tmp_path):
    # the continuation line needs a range around the paragraph, which starts where the first
    # line's comment goes: the line comment must stay the last, right above its line
    new = baselined(tmp_path, "x #a-b \ny #a_b\n\nz #a-b\n", select=("whitespace", "tag-style"))
    assert new == ("<!-- notelint-disable tag-style -->\n<!-- notelint-disable-next-line whitespace -->\n"
                   "x #a-b \ny #a_b\n<!-- notelint-enable tag-style -->\n\nz #a-b\n")


def test_a_range_makes_line_comments_for_its_rule_unnecessary(tmp_path):
    assert baselined(tmp_path, "a \nb \n") == "<!-- notelint-disable whitespace -->\na \nb \n"


# --------------------------------------------------------------------------- the whole note


def test_a_frontmatter_finding_goes_into_a_notelint_ignore_key(tmp_path):
    assert baselined(tmp_path, "---\ntags: [a b]\n---\ntext\n", ("tag-syntax",)) == (
        "---\ntags: [a b]\nnotelint: {ignore: [tag-syntax]}\n---\ntext\n")


@pytest.mark.parametrize("own, merged", [
    ("notelint: {ignore: [whitespace]}\n", "notelint: {ignore: [whitespace, tag-syntax]}\n"),
    ("notelint:\n  ignore:\n    - whitespace\n", "notelint:\n  ignore:\n    - whitespace\n    - tag-syntax\n"),
    ("notelint:\n  ignore: whitespace\n", "notelint:\n  ignore: [whitespace, tag-syntax]\n"),
    ("notelint:\n  other: 1\n", "notelint:\n  other: 1\n  ignore: [tag-syntax]\n"),
    ("notelint: {}\n", "notelint: {ignore: [tag-syntax]}\n"),
])
def test_an_existing_notelint_key_is_extended_not_duplicated(tmp_path, own, merged):
    assert baselined(tmp_path, f"---\ntags: [a b]\n{own}---\ntext\n", ("tag-syntax",)) == (
        f"---\ntags: [a b]\n{merged}---\ntext\n")


def test_a_whole_note_finding_without_frontmatter_gets_a_disable_file_comment(tmp_path):
    # adding a frontmatter block would give the note a property; a comment above the body does not
    new = baselined(tmp_path, "# Title\n\ntext\n", ("frontmatter-fields", "note-id"), flavor="dendron")
    assert new == "<!-- notelint-disable-file frontmatter-fields, note-id -->\n# Title\n\ntext\n"
    merged = baselined(tmp_path / "m", "<!-- notelint-disable-file note-id -->\n# Title\n", ("frontmatter-fields", "note-id"),
                       flavor="dendron")
    assert merged == "<!-- notelint-disable-file note-id, frontmatter-fields -->\n# Title\n"


# --------------------------------------------------------------------------- what is refused


def test_notes_it_cannot_parse_or_write_are_left_alone_and_reported(tmp_path):
    broken = b"---\na: [\n---\ntext \n"
    root = make(tmp_path / "v", {"broken.md": broken, "ro.md": "text \n", "ok.md": "text \n"})
    os.chmod(root / "ro.md", stat.S_IRUSR)
    try:
        result = run_cli("check", "--select", "whitespace,frontmatter-syntax", "--add-suppressions", ".", cwd=root)
    finally:
        os.chmod(root / "ro.md", stat.S_IRUSR | stat.S_IWUSR)
    assert result.returncode == 1
    assert (root / "broken.md").read_bytes() == broken and (root / "ro.md").read_text() == "text \n"
    assert (root / "ok.md").read_text() == "<!-- notelint-disable-next-line whitespace -->\ntext \n"
    assert "broken.md: not baselined: its frontmatter cannot be parsed" in result.stderr
    assert "ro.md: not baselined: the file is read-only" in result.stderr
    assert "broken.md:3:1" in result.stdout and "ro.md:1:5" in result.stdout  # what is left, as check prints it


def test_diff_previews_and_writes_nothing(tmp_path):
    root = make(tmp_path / "v", {"n.md": "text \n"})
    result = run_cli("check", "--select", "whitespace", "--add-suppressions", "--diff", ".", cwd=root)
    assert result.returncode == 1
    assert "+<!-- notelint-disable-next-line whitespace -->\n text \n" in result.stdout
    assert (root / "n.md").read_text() == "text \n"
    assert "Would add suppressions for 1 finding in 1 note" in result.stderr
    plain = run_cli("check", "--diff", ".", cwd=root)
    assert plain.returncode == 2 and "--add-suppressions" in plain.stderr


# --------------------------------------------------------------------------- image files: per-file-ignores


IMAGE_FINDINGS = ["attachments/cat copy.png", "attachments/cat-small.jpg", "attachments/lines.jpg",
                  "attachments/truncated.png"]


def test_image_findings_go_into_per_file_ignores_of_the_config(tmp_path):
    root = tmp_path / "v"
    shutil.copytree(REPO / "tests" / "fixtures" / "report-obsidian", root)
    before = (root / ".notelint.toml").read_text("utf-8")
    assert run_cli("check", "--add-suppressions", ".", cwd=root).returncode == 0
    after = (root / ".notelint.toml").read_text("utf-8")
    assert after.startswith(before) and after[len(before):] == (
        '\n[per-file-ignores]\n"attachments/cat copy.png" = ["duplicate-image"]\n'
        '"attachments/cat-small.jpg" = ["duplicate-image"]\n"attachments/lines.jpg" = ["orphan-image"]\n'
        '"attachments/truncated.png" = ["unreadable-image"]\n')
    assert run_cli("check", ".", cwd=root).returncode == 0


def test_per_file_ignores_join_an_existing_table_or_pyproject(tmp_path):
    from notelint import config_write

    table = tmp_path / "a" / ".notelint.toml"
    table.parent.mkdir()
    table.write_text('select = ["ALL"]\n\n[per-file-ignores]\n"x/*" = ["whitespace"]  # kept\n\n[rules.whitespace]\nstrict = true\n')
    path, old, new = config_write.add_per_file_ignores(table.parent, table, {"img/a[1].png": ["orphan-image"]})
    assert new.decode() == ('select = ["ALL"]\n\n[per-file-ignores]\n"img/a[[]1].png" = ["orphan-image"]\n'
                            '"x/*" = ["whitespace"]  # kept\n\n[rules.whitespace]\nstrict = true\n')
    pyproject = tmp_path / "b" / "pyproject.toml"
    pyproject.parent.mkdir()
    pyproject.write_text('[project]\nname = "x"\n\n[tool.notelint]\nflavor = "obsidian"\n')
    path, old, new = config_write.add_per_file_ignores(pyproject.parent, pyproject, {"a.png": ["orphan-image"]})
    assert new.decode().endswith('flavor = "obsidian"\n\n[tool.notelint.per-file-ignores]\n"a.png" = ["orphan-image"]\n')
    created = config_write.add_per_file_ignores(tmp_path / "c", None, {"a.png": ["orphan-image"]})
    assert created[1] is None and created[2] == b'[per-file-ignores]\n"a.png" = ["orphan-image"]\n'
    inline = tmp_path / "d.toml"
    inline.write_text('per-file-ignores = { "x" = ["whitespace"] }\n')
    assert "by hand" in config_write.add_per_file_ignores(tmp_path, inline, {"a.png": ["orphan-image"]})


# --------------------------------------------------------------------------- the "Done when"


def test_adopting_notelint_on_the_sample_vault(tmp_path):
    """Baseline makes `check` exit 0; a new defect makes it exit 1; removing the cause of a
    baselined finding turns its suppression into an unused-suppression finding, which `fix` removes."""
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE, root)
    note = root / "daily.journal.2023.11.29.md"
    original = note.read_text("utf-8")
    assert run_cli("check", ".", cwd=root).returncode == 1
    added = run_cli("check", "--add-suppressions", ".", cwd=root)
    assert added.returncode == 0, added.stdout + added.stderr
    assert "Added suppressions for 35 findings in 1 note" in added.stderr
    assert run_cli("check", ".", cwd=root).returncode == 0
    assert run_cli("check", "--no-cache", ".", cwd=root).returncode == 0
    baselined_text = note.read_text("utf-8")
    # only whole lines were inserted: the note's lines are a subsequence of the new ones
    new_lines = iter(baselined_text.splitlines(True))
    assert all(line in new_lines for line in original.splitlines(True))
    again = run_cli("check", "--add-suppressions", ".", cwd=root)  # idempotent
    assert again.returncode == 0 and note.read_text("utf-8") == baselined_text
    # a new defect shows
    note.write_text(baselined_text + "new line \n", "utf-8")
    new = run_cli("check", "--format", "json", ".", cwd=root)
    assert new.returncode == 1 and [(f["rule"], f["line"]) for f in json.loads(new.stdout)] == [
        ("whitespace", baselined_text.count("\n") + 1)]
    # the cause of a baselined finding goes: its suppression is now unused
    fixed = baselined_text.replace("Attention Rearrangement \n", "Attention Rearrangement\n")
    note.write_text(fixed, "utf-8")
    assert run_cli("check", ".", cwd=root).returncode == 0  # off by default, as ruff's RUF100
    unused = run_cli("check", "--extend-select", "unused-suppression", "--format", "json", ".", cwd=root)
    found = json.loads(unused.stdout)
    comment_line = fixed.splitlines().index("<!-- notelint-disable-next-line whitespace -->") + 1
    assert [(f["rule"], f["line"], f["fixable"]) for f in found] == [("unused-suppression", comment_line, True)]
    assert run_cli("fix", "--extend-select", "unused-suppression", ".", cwd=root).returncode == 0
    assert note.read_text("utf-8") == fixed.replace("<!-- notelint-disable-next-line whitespace -->\n## Z", "## Z")
    assert run_cli("check", "--extend-select", "unused-suppression", ".", cwd=root).returncode == 0


# --------------------------------------------------------------------------- properties


@DEFAULT
@given(structured_cases(fm_kinds=["none", "valid", "empty"]))
def test_baseline_only_inserts_keeps_the_rendering_and_leaves_nothing(tmp_path_factory, case):
    root = make(tmp_path_factory.mktemp("p"), {"note.md": case.data}, case.flavor,
                config="[rules.whitespace]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in case.ws))
    ws = workspace(root, select=None)
    note = ws.note("note.md")
    found = [f for f in engine.check(ws) if f.path == "note.md"]
    if not found or not engine.writable(note):
        return
    text = baseline.plan_note(ws, note, found)
    if text is None:
        return  # refused (reported as not baselined): nothing written
    kept = iter(text)
    assert all(c in kept for c in note.text), "only inserted characters: the old text is a subsequence"
    added = {c: text.count(c) - note.text.count(c) for c in "\r\n"}
    assert added == {c: note.newline.count(c) * max(added.values()) for c in "\r\n"}, "the note's own line ending"
    new = note.derive(text)
    assert rendering.visible_html(new) == rendering.visible_html(note)
    assert {k: v for k, v in new.frontmatter.data.items() if k != "notelint"} == note.frontmatter.data
    ws.replace_note("note.md", new)
    assert [f for f in engine.check(ws) if f.path == "note.md"] == []  # clean, so a second run adds nothing
