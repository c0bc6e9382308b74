"""required-sections and section-label: schemas, entries, labels and their exact positions,
the options, the configuration warning, and the issue's done-when check on the sample note."""

import json
import shutil
from types import SimpleNamespace

from helpers import REPO, run_cli
from notelint.edits import apply
from notelint.note import Note
from notelint.registry import lookup
from notelint.sections import entries, labels, normalize, schema_for, schemas_from

SAMPLE = REPO / "examples" / "sample-vault" / "daily.journal.2023.11.29.md"
PAPERS = {"paths": ["daily.journal.*"], "level": 2,
          "sections": ["研究背景", "研究动机", "研究方法", "贡献和创新点"], "optional": ["相关工作"]}
SPEC_CONFIG = """\
[rules.required-sections]
[[rules.required-sections.schemas]]
paths = ["daily.journal.*"]
level = 2
sections = ["研究背景", "研究动机", "研究方法", "贡献和创新点"]
optional = ["相关工作"]
"""


def required(schemas, **options):
    return lookup("required-sections")({"schemas": schemas, **options})


def section_label(schemas, rel="daily.journal.x.md", **options):
    rule = lookup("section-label")(options)
    ws = SimpleNamespace(vault=SimpleNamespace(config=SimpleNamespace(rule_settings={"required-sections": {"schemas": schemas}}),
                                               notes=[rel]))
    assert list(rule.prepare(ws)) == []
    return rule


def found(rule, text, rel="daily.journal.x.md"):
    note = Note.from_text(text, rel)
    return note, [(f.line, f.column, f.message) for f in rule.check(note)]


def fixed(rule, text, rel="daily.journal.x.md"):
    note = Note.from_text(text, rel)
    fixes = [f.fix for f in rule.check(note) if f.fix]
    return apply(text, fixes)


# --------------------------------------------------------------------------- done when


def _sample_vault(tmp_path):
    vault = tmp_path / "v"
    vault.mkdir()
    shutil.copy(SAMPLE, vault / "daily.journal.2023.11.29.md")
    (vault / "dendron.yml").write_text("version: 5\n", "utf-8")
    (vault / ".notelint.toml").write_text(SPEC_CONFIG, "utf-8")
    return vault


def test_done_when_sample_note_has_its_sections_and_one_unbolded_label_at_line_37(tmp_path):
    vault = _sample_vault(tmp_path)
    result = run_cli("check", "--format", "json", "--select", "required-sections,section-label", "v", cwd=tmp_path)
    assert result.stderr == ""
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["rule"] == "required-sections"] == []
    labels_found = [f for f in findings if f["rule"] == "section-label"]
    assert [(f["line"], f["column"], f["fixable"]) for f in labels_found] == [(37, 3, True)]
    assert "`贡献和创新点`" in labels_found[0]["message"]
    before = (vault / "daily.journal.2023.11.29.md").read_bytes()
    run_cli("fix", "--select", "section-label", "v", cwd=tmp_path)
    after = (vault / "daily.journal.2023.11.29.md").read_bytes()
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new)
    assert [i + 1 for i, (a, b) in enumerate(zip(old, new)) if a != b] == [37]
    assert new[36] == old[36].replace("- 贡献和创新点：".encode(), "- **贡献和创新点**：".encode(), 1)
    run_cli("fix", "--select", "section-label", "v", cwd=tmp_path)
    assert (vault / "daily.journal.2023.11.29.md").read_bytes() == after, "a second fix changed the note"


def test_sample_note_stays_clean_with_order_strict_and_allow_empty_false():
    rule = required([PAPERS], order=True, strict=True, **{"allow-empty": False})
    _, out = found(rule, SAMPLE.read_text("utf-8"), "daily.journal.2023.11.29.md")
    assert out == []


# --------------------------------------------------------------------------- configuration


def test_schema_matching_no_note_is_a_warning_naming_it(tmp_path):
    vault = _sample_vault(tmp_path)
    (vault / ".notelint.toml").write_text(SPEC_CONFIG.replace("daily.journal.*", "daily.jornal.*"), "utf-8")
    result = run_cli("check", "--select", "required-sections", "v", cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: [rules.required-sections] schema 1 (daily.jornal.*) matches no note" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_schema_key_is_a_config_error(tmp_path):
    vault = _sample_vault(tmp_path)
    (vault / ".notelint.toml").write_text(SPEC_CONFIG.replace("level = 2", "levle = 2"), "utf-8")
    result = run_cli("check", "v", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown key `levle`" in result.stderr and ".notelint.toml" in result.stderr
    (vault / ".notelint.toml").write_text(SPEC_CONFIG.replace('sections = ["研究背景"', 'sektions = ["研究背景"'), "utf-8")
    result = run_cli("check", "v", cwd=tmp_path)
    assert result.returncode == 2 and "sektions" in result.stderr


def test_first_matching_schema_applies():
    schemas = schemas_from({"schemas": [{"paths": ["papers/draft-*"], "sections": ["A"]},
                                        {"paths": ["papers/*"], "sections": ["A", "B"], "order": True}]})
    assert schema_for(schemas, "papers/draft-1.md").sections == ("A",)
    assert schema_for(schemas, "papers/real.md").sections == ("A", "B")
    assert schema_for(schemas, "papers/real.md").order is True
    assert schema_for(schemas, "other.md") is None


def test_label_names_match_after_nfkc_trim_and_latin_case_folding():
    assert normalize(" Ｂａｃｋｇｒｏｕｎｄ ") == normalize("background")
    assert normalize("Action  Items") == normalize("action items")
    assert normalize("研究背景") != normalize("研究动机")


# --------------------------------------------------------------------------- entries and labels


def test_entries_start_at_headings_of_the_level_and_ignore_headings_in_code():
    text = "# Day\n\n## A\n- **x**：1\n\n```\n## not an entry\n```\n\n### sub\n\n## B\ntext\n# Next day\n## C\n"
    note = Note.from_text(text)
    got = [(e.heading.text, note.position(e.start), text[e.begin:e.end].count("\n")) for e in entries(note, 2)]
    assert got == [("A", (3, 1), 9), ("B", (12, 1), 2), ("C", (15, 1), 1)]
    whole = entries(note, 0)
    assert len(whole) == 1 and whole[0].begin == 0 and whole[0].end == len(text)


def test_labels_positions_in_nested_lists_quotes_crlf_and_cjk():
    text = ("---\r\nid: x\r\n---\r\n## 条目\r\n- **研究背景**：中文\r\n  - 研究动机：nested\r\n"
            "> 1. __研究方法__: quoted\r\n\r\n贡献和创新点 ：para\r\n\r\n**Results:** done\r\n")
    note = Note.from_text(text)
    got = [(lab.text, note.position(lab.start), note.position(lab.text_start), lab.style, lab.colon, lab.depth)
           for lab in labels(note, 0, len(text), 3)]
    assert got == [
        ("研究背景", (5, 3), (5, 5), "bold", "：", 1),
        ("研究动机", (6, 5), (6, 5), "plain", "：", 2),
        ("研究方法", (7, 6), (7, 8), "underscore", ":", 1),
        ("贡献和创新点", (9, 1), (9, 1), "plain", "：", 0),
        ("Results", (11, 1), (11, 3), "bold", ":", 0),
    ]
    assert [lab.colon_inside for lab in labels(note, 0, len(text), 3)][-1] is True


def test_things_that_are_not_labels():
    text = ("## E\n\n    研究背景：indented code\n\n- http://example.com: a URL\n- at 12:30 we met\n- 123：only digits\n"
            "- **bold** then: text\n- `code`: span\n\n"
            "%% 研究背景：in a comment %%\n\n<!-- 研究背景：in an HTML comment -->\n")
    note = Note.from_text(text)
    assert [lab.text for lab in labels(note, 0, len(text), 3)] == []


def test_headings_name_sections_without_emphasis_or_colon():
    text = "## E\n### **研究背景**\n### 研究动机：\n#### Deeper：\n"
    note = Note.from_text(text)
    got = [(lab.text, lab.kind, lab.depth) for lab in labels(note, 0, len(text), 3)]
    assert got == [("研究背景", "heading", 3), ("研究动机", "heading", 3), ("Deeper", "heading", 4)]


# --------------------------------------------------------------------------- required-sections


def test_missing_sections_are_named_in_one_finding_at_the_entry_heading():
    _, out = found(required([PAPERS]), "# Day\n\n## Paper\n- **研究背景**：a\n- 研究方法: b\n")
    assert len(out) == 1
    line, column, message = out[0]
    assert (line, column) == (3, 1)
    assert "entry `Paper`" in message and "`研究动机`, `贡献和创新点`" in message and "`研究背景`" not in message


def test_whole_note_schema_reports_at_the_first_heading_or_first_text():
    rule = required([{"paths": ["*"], "sections": ["Attendees", "Actions"]}])
    _, out = found(rule, "---\nid: x\n---\n\n# Meeting\n\n## Attendees\nAna\n")
    assert [(line, col) for line, col, _ in out] == [(5, 1)] and "note lacks the section `Actions`" in out[0][2]
    _, out = found(rule, "---\nid: x\n---\n\n  Nothing here\n")
    assert [(line, col) for line, col, _ in out] == [(5, 3)]
    _, out = found(rule, "")
    assert [(line, col) for line, col, _ in out] == [(1, 1)]


def test_order_reports_sections_outside_the_longest_ordered_run():
    rule = required([{"paths": ["*"], "sections": ["A", "B", "C", "D"], "optional": ["Z"]}], order=True)
    _, out = found(rule, "- Z: free\n- B: b\n- A: a\n- C: c\n- D: d\n")
    assert [(line, msg.split(":")[0]) for line, _, msg in out] == [(3, "section `A` is out of order")]
    assert "belongs before `B`" in out[0][2]
    _, out = found(rule, "- A: a\n- B: b\n- C: c\n- D: d\n")
    assert out == []


def test_allow_empty_false_reports_sections_with_nothing_in_them():
    rule = required([{"paths": ["*"], "sections": ["A", "B", "C"], "allow-empty": False}])
    text = "- **A**：\n    - nested content\n- **B**：\n- **C**: \n\n## D\n"
    _, out = found(rule, text)
    assert [(line, col) for line, col, _ in out] == [(3, 3), (4, 3)]
    assert all("is empty" in msg for _, _, msg in out)
    _, out = found(rule, "## A\n\n## B\ntext\n\n**C**：\n\nnext paragraph\n")
    assert [(line, msg.split("`")[1]) for line, _, msg in out] == [(1, "A")]


def test_strict_reports_unknown_labels_at_the_sections_depth_only():
    rule = required([PAPERS], strict=True)
    text = ("## P\n- **研究背景**：a\n- **研究动力**：typo\n    - **子模块**：nested detail\n- **研究方法**：c\n"
            "- **贡献和创新点**：d\n- This long line is prose rather than a label of anything: x\n")
    _, out = found(rule, text)
    messages = [(line, col, msg) for line, col, msg in out]
    assert [(line, col) for line, col, _ in messages] == [(1, 1), (3, 5)]
    assert "`研究动机`" in messages[0][2]
    assert "did you mean `研究动机`?" in messages[1][2]


def test_strict_is_off_by_default_and_per_schema_overrides_win():
    text = "## P\n- **研究背景**：a\n- **研究动机**：b\n- **研究方法**：c\n- **贡献和创新点**：d\n- **备注**：x\n"
    assert found(required([PAPERS]), text)[1] == []
    assert len(found(required([{**PAPERS, "strict": True}]), text)[1]) == 1
    assert found(required([{**PAPERS, "strict": False}], strict=True), text)[1] == []


def test_notes_matched_by_no_schema_are_not_checked():
    assert found(required([PAPERS]), "## P\nnothing\n", "other.md")[1] == []


# --------------------------------------------------------------------------- section-label


def test_plain_label_is_made_bold_touching_only_its_bytes():
    rule = section_label([PAPERS])
    text = "## P\n- 研究背景：内容 #tag\n- 其他：不是标签\n- **研究动机**：ok\n"
    assert fixed(rule, text) == "## P\n- **研究背景**：内容 #tag\n- 其他：不是标签\n- **研究动机**：ok\n"
    assert fixed(rule, fixed(rule, text)) == fixed(rule, text)


def test_crlf_note_keeps_its_line_endings():
    rule = section_label([PAPERS], colon="ascii")
    text = "## P\r\n- **研究背景**：内容\r\n- 研究动机：x\r\n"
    assert fixed(rule, text) == "## P\r\n- **研究背景**: 内容\r\n- **研究动机**: x\r\n"


def test_colon_options():
    text = "## P\n- **研究背景**: a\n- **研究动机**：b\n- **研究方法**:\n"
    assert fixed(section_label([PAPERS], colon="fullwidth"), text) == "## P\n- **研究背景**：a\n- **研究动机**：b\n- **研究方法**：\n"
    assert fixed(section_label([PAPERS], colon="ascii"), text) == "## P\n- **研究背景**: a\n- **研究动机**: b\n- **研究方法**:\n"
    assert fixed(section_label([PAPERS]), text) == text


def test_plain_style_unbolds_and_heading_style_reports_without_fix():
    text = "## P\n- **研究背景**：a\n- __研究动机__：b\n### 研究方法\n"
    plain = section_label([PAPERS], style="plain")
    assert fixed(plain, text) == "## P\n- 研究背景：a\n- 研究动机：b\n### 研究方法\n"
    note = Note.from_text(text, "daily.journal.x.md")
    heading = [f for f in section_label([PAPERS], style="heading").check(note)]
    assert [(f.line, f.column, f.fix) for f in heading] == [(2, 3, None), (3, 3, None)]
    assert "make it a heading" in heading[0].message
    bold_on_heading = [f for f in section_label([PAPERS]).check(note) if f.line == 4]
    assert len(bold_on_heading) == 1 and bold_on_heading[0].fix is None


def test_labels_option_applies_to_every_note_and_schemas_to_their_notes_only():
    rule = section_label([PAPERS], rel="other.md", labels=["Summary"])
    assert fixed(rule, "Summary: x\n\n- summary：y\n- 研究背景：z\n", "other.md") == \
        "**Summary**: x\n\n- **summary**：y\n- 研究背景：z\n"


def test_entry_heading_itself_is_not_a_label():
    rule = section_label([PAPERS])
    assert found(rule, "## 研究背景\n- **研究动机**：x\n")[1] == []


def test_section_label_findings_can_be_suppressed(tmp_path):
    vault = _sample_vault(tmp_path)
    note = vault / "daily.journal.2023.11.29.md"
    lines = note.read_text("utf-8").split("\n")
    lines.insert(36, "<!-- notelint-disable-next-line section-label -->")
    note.write_text("\n".join(lines), "utf-8")
    result = run_cli("check", "--select", "section-label", "v", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_findings_follow_the_path_on_a_cold_and_a_warm_cache(tmp_path):
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / ".notelint.toml").write_text(SPEC_CONFIG, "utf-8")
    text = "## Paper\n- 研究背景：only this\n"
    (vault / "daily.journal.a.md").write_text(text, "utf-8")
    (vault / "notes.a.md").write_text(text, "utf-8")
    runs = [run_cli("check", "--format", "json", "--select", "required-sections,section-label", "v", cwd=tmp_path)
            for _ in range(2)]
    for result in runs:
        got = sorted((f["path"], f["rule"], f["line"]) for f in json.loads(result.stdout))
        assert got == [("v/daily.journal.a.md", "required-sections", 1), ("v/daily.journal.a.md", "section-label", 2)]


def test_labels_option_leaves_headings_alone():
    rule = section_label([PAPERS], rel="other.md", labels=["Summary"])
    assert found(rule, "# Summary\n\n## summary：\n\n**Summary**: ok\n", "other.md")[1] == []


def test_level_deeper_than_markdown_headings_is_a_warning(tmp_path):
    _sample_vault(tmp_path)
    (tmp_path / "v" / ".notelint.toml").write_text(SPEC_CONFIG.replace("level = 2", "level = 7"), "utf-8")
    result = run_cli("check", "--select", "required-sections", "v", cwd=tmp_path)
    assert result.returncode == 0 and "`level = 7`" in result.stderr and "matches no note" not in result.stderr
