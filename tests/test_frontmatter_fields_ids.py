"""frontmatter-fields and note-id: required keys, inserted lines, Dendron ids and duplicates."""

import re

from helpers import run_cli
from notelint import edits, registry, yaml_edit
from notelint.note import Note
from notelint.rules.frontmatter_fields import dendron_title

FIELDS = registry.lookup("frontmatter-fields")
NOTE_ID = registry.lookup("note-id")
FULL = "---\nid: omjodjubwiwpch2g5i4o0wo\ntitle: T\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n\nBody\n"


def run(cls, text, flavor="dendron", rel="note.md", **settings):
    rule = cls({k.replace("_", "-"): v for k, v in settings.items()}, flavor)
    return list(rule.check(Note.from_text(text, rel, flavor)))


def fix_all(cls, text, flavor="dendron", rel="note.md", **settings):
    """Apply the rule's fixes until nothing changes, as the fix loop does."""
    for _ in range(10):
        fixes = [(f.code, f.fix) for f in run(cls, text, flavor, rel, **settings) if f.fix]
        new = edits.apply(text, edits.choose(fixes))
        if new == text:
            return text
        text = new
    raise AssertionError("fixes do not converge")


def test_dendron_title_follows_gentitle():
    assert dendron_title("daily.journal.2023.11.29.md") == "29"
    assert dendron_title("project.my-cool-idea.md") == "My Cool Idea"
    assert dendron_title("Project.my-cool-idea.md") == "my-cool-idea"
    assert dendron_title("sub/dir/a.b.MyIdea.md") == "MyIdea"


def test_a_complete_note_gives_nothing():
    assert run(FIELDS, FULL) == [] and run(NOTE_ID, FULL) == []


def test_each_missing_key_is_reported_once_at_line_1():
    text = "---\nid: omjodjubwiwpch2g5i4o0wo\nupdated: 1701277053723\ncreated: 1701259204127\n---\n"
    found = run(FIELDS, text, rel="project.my-idea.md",
                require=[{"paths": ["*"], "keys": ["title", "desc"]}, {"paths": ["project.*"], "keys": ["desc"]}])
    assert [(f.line, f.column) for f in found] == [(1, 1), (1, 1)]
    assert sorted(f.message.split("`")[1] for f in found) == ["desc", "title"]


def test_title_and_desc_are_inserted_in_dendron_order_without_touching_other_lines():
    text = "---\nid: omjodjubwiwpch2g5i4o0wo # keep\nupdated: 1701277053723\ncreated: 1701259204127\nx: [1,   2]\n---\nBody\n"
    out = fix_all(FIELDS, text, rel="project.my-idea.md")
    assert out == text.replace("updated:", "title: My Idea\ndesc: ''\nupdated:", 1)


def test_inserted_lines_use_the_note_line_endings():
    text = "---\r\nid: omjodjubwiwpch2g5i4o0wo\r\n---\r\nBody\r\n"
    out = fix_all(FIELDS, text, rel="a.b.md")
    assert out == "---\r\nid: omjodjubwiwpch2g5i4o0wo\r\ntitle: B\r\ndesc: ''\r\n---\r\nBody\r\n"


def test_a_block_is_created_only_when_a_fix_has_something_to_put_in_it():
    body = "# Heading\n\nText\n"
    assert fix_all(FIELDS, body, rel="a.md", require=[{"paths": ["*"], "keys": ["status"]}]) == body
    assert fix_all(FIELDS, body, rel="a.md", require=[{"paths": ["*"], "keys": ["desc"]}]) == "---\ndesc: ''\n---\n" + body


def test_numeric_titles_are_quoted_so_they_stay_strings():
    out = fix_all(FIELDS, "---\nid: omjodjubwiwpch2g5i4o0wo\n---\n", rel="daily.journal.2023.md",
                  require=[{"paths": ["*"], "keys": ["title"]}])
    assert "title: '2023'\n" in out


def test_flow_style_and_late_blocks_are_reported_but_not_fixed():
    flow = "---\n{id: omjodjubwiwpch2g5i4o0wo}\n---\n"
    assert all(f.fix is None for f in run(FIELDS, flow))
    late = "\n---\nid: omjodjubwiwpch2g5i4o0wo\n---\n"
    assert all(f.fix is None for f in run(FIELDS, late))


def test_indented_mapping_gets_indented_lines():
    note = Note.from_text("---\n  id: omjodjubwiwpch2g5i4o0wo\n---\n", "a.md", "dendron")
    edit = yaml_edit.insert_key(note, "desc", "''")
    out = edits.apply(note.text, [edits.Fix((edit,))])
    assert out == "---\n  id: omjodjubwiwpch2g5i4o0wo\n  desc: ''\n---\n"
    assert Note.from_text(out).frontmatter.data == {"id": "omjodjubwiwpch2g5i4o0wo", "desc": ""}


def test_obsidian_requires_nothing_by_default():
    assert run(FIELDS, "No frontmatter\n", "obsidian") == []


def test_missing_id_and_timestamps_are_left_to_their_rules_when_they_run(tmp_path):
    (tmp_path / "dendron.yml").write_text("version: 5\n")
    (tmp_path / "a.md").write_text("---\ntitle: A\ndesc: ''\n---\n")
    both = run_cli("check", "--no-cache", "--select", "NL101,NL102,NL103", ".", cwd=tmp_path).stdout
    assert "NL102" not in both and both.count("NL101") == 2 and both.count("NL103") == 1
    alone = run_cli("check", "--no-cache", "--select", "NL102", ".", cwd=tmp_path).stdout
    assert alone.count("NL102") == 3  # id, updated, created


def test_a_require_glob_matching_nothing_is_a_warning(tmp_path):
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "a.md").write_text("x\n")
    (tmp_path / ".notelint.toml").write_text('[[rules.frontmatter-fields.require]]\npaths = ["nope/*"]\nkeys = ["a"]\n')
    result = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert "'nope/*' matches no note" in result.stderr


# ---------------------------------------------------------------- note-id

def test_missing_id_gets_a_new_dendron_id_first():
    text = "---\ntitle: T\ndesc: ''\n---\n"
    out = fix_all(NOTE_ID, text)
    assert re.fullmatch(r"---\nid: [0-9a-z]{23}\ntitle: T\ndesc: ''\n---\n", out)


def test_a_new_id_is_derived_from_the_note_so_every_run_writes_the_same():
    text = "---\ntitle: T\ndesc: ''\n---\n"
    out = fix_all(NOTE_ID, text)
    assert fix_all(NOTE_ID, text) == out  # the same note: the same id, run after run
    assert fix_all(NOTE_ID, text, rel="other.md") != out  # another note: another id
    assert fix_all(NOTE_ID, text + "Body\n") != out + "Body\n"
    assert fix_all(NOTE_ID, text, deterministic_ids=False) != fix_all(NOTE_ID, text, deterministic_ids=False)


def test_a_new_id_is_never_one_the_vault_holds():
    rule = NOTE_ID({}, "dendron")
    note = Note.from_text("---\ntitle: T\n---\n", "a.md", "dendron")
    first = rule.new_id(note)
    rule._owners = {first: ["b.md"]}
    second = rule.new_id(note)
    assert second != first and re.fullmatch(r"[0-9a-z]{23}", second)


def test_fix_diff_shows_the_id_fix_writes(tmp_path):
    (tmp_path / "dendron.yml").write_text("version: 5\n")
    (tmp_path / "a.md").write_text("---\ntitle: A\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n")
    diff = run_cli("fix", "--diff", "--no-cache", "--select", "note-id", ".", cwd=tmp_path).stdout
    [shown] = re.findall(r"^\+id: ([0-9a-z]{23})$", diff, re.M)
    run_cli("fix", "--no-cache", "--select", "note-id", ".", cwd=tmp_path)
    assert (tmp_path / "a.md").read_text().split("\n")[1] == f"id: {shown}"


def test_empty_id_is_replaced():
    out = fix_all(NOTE_ID, FULL.replace("omjodjubwiwpch2g5i4o0wo", "''"))
    assert re.match(r"---\nid: [0-9a-z]{23}\ntitle", out)


# ids Dendron accepts (any non-empty string): the forms its versions wrote, and ids found in real vaults
ACCEPTED = ("ChcCM1Q2qrDTy7YnLUHiL", "V1StGXR8_Z5jdHi6B-myT", "8bc9b3f1-8508-4e5b-b9b0-9c7d3d1b2a4f",
            "OL44br0YkIKmhlWk", "My Note", "'12345'", "Omjodjubwiwpch2g5i4o0wo")


def test_any_non_empty_string_id_is_accepted_by_default():
    for value in ACCEPTED:
        assert run(NOTE_ID, FULL.replace("omjodjubwiwpch2g5i4o0wo", value)) == [], value


def test_require_new_style_warns_about_other_forms_and_allow_legacy_keeps_the_old_ones():
    for value in ACCEPTED:
        [f] = run(NOTE_ID, FULL.replace("omjodjubwiwpch2g5i4o0wo", value), require_new_style=True)
        assert f.severity == "warning" and f.fix is None and (f.line, f.column) == (2, 5), value
    legacy = ("ChcCM1Q2qrDTy7YnLUHiL", "8bc9b3f1-8508-4e5b-b9b0-9c7d3d1b2a4f")
    for value in legacy:
        assert run(NOTE_ID, FULL.replace("omjodjubwiwpch2g5i4o0wo", value), require_new_style=True, allow_legacy=True) == []
    assert run(NOTE_ID, FULL, require_new_style=True) == []


def test_an_old_config_with_allow_legacy_still_runs(tmp_path):
    (tmp_path / "dendron.yml").write_text("version: 5\n")
    (tmp_path / ".notelint.toml").write_text('select = ["note-id"]\n[rules.note-id]\nallow-legacy = true\n')
    (tmp_path / "a.md").write_text(FULL.replace("omjodjubwiwpch2g5i4o0wo", "8bc9b3f1-8508-4e5b-b9b0-9c7d3d1b2a4f"))
    result = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout


def test_ids_starting_or_ending_with_dash_or_underscore_are_a_publishing_warning():
    for value in ("-V1StGXR8_Z5jdHi6B-my", "abc_", "_abc"):
        [f] = run(NOTE_ID, FULL.replace("omjodjubwiwpch2g5i4o0wo", value))
        assert f.severity == "warning" and f.fix is None and "GitHub" in f.message, value


def test_ids_yaml_reads_as_numbers_booleans_or_dates_are_warnings():
    for value, kind in (("12345", "a number"), ("1.50", "a number"), ("true", "a boolean"), ("2023-11-29", "a date")):
        [f] = run(NOTE_ID, FULL.replace("omjodjubwiwpch2g5i4o0wo", value))
        assert f.severity == "warning" and f.fix is None and f"is {kind} in YAML" in f.message, value
    assert run(NOTE_ID, FULL.replace("omjodjubwiwpch2g5i4o0wo", "yes")) == []  # a string in YAML 1.2 (js-yaml)


def test_lists_and_mappings_are_errors():
    for value, kind in (("[a, b]", "a list"), ("{a: 1}", "a mapping")):
        [f] = run(NOTE_ID, FULL.replace("omjodjubwiwpch2g5i4o0wo", value))
        assert f.severity == "error" and f"id is {kind}" in f.message


def test_root_may_be_called_root_but_no_other_note():
    text = FULL.replace("omjodjubwiwpch2g5i4o0wo", "root")
    assert run(NOTE_ID, text, rel="root.md", require_new_style=True) == []
    assert len(run(NOTE_ID, text, rel="other.md", require_new_style=True)) == 1


def test_obsidian_ids_are_not_checked():
    assert run(NOTE_ID, "---\nid: anything at all\n---\n", "obsidian") == []


CREATED = {"b.md": 1701259204127, "a.md": 1701259204127, "c.md": 1701300000000}


def _dup_vault(tmp_path, config=""):
    (tmp_path / "dendron.yml").write_text("version: 5\n")
    (tmp_path / ".notelint.toml").write_text('select = ["note-id"]\n' + config)
    for name, created in CREATED.items():
        (tmp_path / name).write_text(FULL.replace("1701259204127", str(created)))


def test_duplicates_are_reported_on_each_note_with_related_and_no_fix_by_default(tmp_path):
    import json

    _dup_vault(tmp_path)
    result = run_cli("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    found = json.loads(result.stdout)
    assert [(f["path"], f["related"], f["fixable"]) for f in found] == [
        ("a.md", ["b.md", "c.md"], False), ("b.md", ["a.md", "c.md"], False), ("c.md", ["a.md", "b.md"], False)]
    # given one file, it still sees the whole vault
    assert run_cli("check", "--no-cache", "b.md", cwd=tmp_path).stdout.count("NL103") == 1


def test_fix_duplicates_keeps_the_earliest_created_and_breaks_ties_by_path(tmp_path):
    _dup_vault(tmp_path, "[rules.note-id]\nfix-duplicates = true\n")
    result = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    ids = {n: (tmp_path / n).read_text().split("\n")[1][4:] for n in CREATED}
    assert ids["a.md"] == "omjodjubwiwpch2g5i4o0wo"  # created first (tied with b.md, earlier path): keeps it
    assert len(set(ids.values())) == 3 and all(re.fullmatch(r"[0-9a-z]{23}", i) for i in ids.values())
    for name, created in CREATED.items():  # only the id value changed
        text = (tmp_path / name).read_text().replace(ids[name], "omjodjubwiwpch2g5i4o0wo")
        assert text == FULL.replace("1701259204127", str(created))


def test_a_new_frontmatter_block_never_joins_a_lone_cr_to_the_notes_first_lf(tmp_path):
    # found by the fuzz: `\n\r\r#` has mostly lone-CR line ends, and a block ending in `\r` placed
    # before the leading `\n` made a CRLF the note never had
    note = Note.from_bytes(tmp_path / "a.md", "a.md", b"\n\r\r#", "dendron")
    edit = yaml_edit.insert_key(note, "desc", "''")
    assert edit.replacement == "---\ndesc: ''\n---\n"
    assert "\r\n" not in edit.replacement + note.text
    lone = Note.from_bytes(tmp_path / "b.md", "b.md", b"a\rb\r", "dendron")
    assert yaml_edit.insert_key(lone, "desc", "''").replacement == "---\rdesc: ''\r---\r"
