"""Template files (Obsidian Templates, Templater, Daily notes, the `templates` key): which files
are templates, placeholders masked with exact positions, findings about placeholders dropped,
fixes never touching one, and templates out of the vault's tag spellings."""

import json
import re
from pathlib import Path

import pytest
from helpers import examples, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from notelint import frontmatter as fm_mod
from notelint import templates
from notelint.config import ConfigError, parse
from notelint.finding import Edit, Finding, Fix
from notelint.note import Note


def template(text: str, rel: str = "Templates/t.md", flavor: str = "obsidian") -> Note:
    return Note.from_text(text, rel, flavor, template=True)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8", newline="")
    return root


def findings(root: Path, *args: str) -> list[tuple[str, int, int, str]]:
    result = run_cli("check", "--format", "json", *args, ".", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["line"], f["column"], f["rule"]) for f in json.loads(result.stdout)]


# --------------------------------------------------------------------------- which files


def test_template_folders_and_files_come_from_the_apps_settings(tmp_path):
    write(tmp_path, {
        ".obsidian/templates.json": json.dumps({"folder": "/Templates/", "dateFormat": "YYYY"}),
        ".obsidian/plugins/templater-obsidian/data.json": json.dumps({
            "templates_folder": "Meta\\Templater//",
            "folder_templates": [{"folder": "Meetings", "template": "Extras/Meeting.md"}, {"folder": "", "template": ""}],
            "file_templates": [{"regex": ".*", "template": "Extras/Any.md"}],
            "enabled_templates_hotkeys": ["Extras/Hotkey.md", ""],
            "startup_templates": [""],
        }),
        ".obsidian/daily-notes.json": json.dumps({"folder": "Daily", "template": "Extras/Daily"}),
    })
    found = templates.read_templates(tmp_path, ["QuickAdd/**"])
    assert found.folders == ("Templates", "Meta/Templater")
    assert found.files == {"Extras/Meeting.md", "Extras/Any.md", "Extras/Hotkey.md", "Extras/Daily.md"}
    for rel in ("Templates/a.md", "Templates/sub/b.md", "Meta/Templater/c.md", "Extras/Meeting.md",
                "Extras/Daily.md", "QuickAdd/x/y.md"):
        assert rel in found, rel
    for rel in ("Templates.md", "TemplatesX/a.md", "Extras/Other.md", "Meta/c.md", "Daily/2024-01-01.md"):
        assert rel not in found, rel


@pytest.mark.parametrize("settings_text", ['{"folder": ""}', '{"folder": "/"}', "not json", "[1, 2]", '{"folder": 3}',
                                           "[" * 100_000])
def test_no_folder_an_empty_one_or_an_unreadable_settings_file_makes_no_template(tmp_path, settings_text):
    write(tmp_path, {".obsidian/templates.json": settings_text})
    found = templates.read_templates(tmp_path, [])
    assert found.folders == () and not found.files
    assert "a.md" not in found and "sub/a.md" not in found


def test_the_templates_key_is_a_list_of_globs():
    assert parse({"templates": ["Templates/**", "*.tpl.md"]}, None).templates == ["Templates/**", "*.tpl.md"]
    assert parse({"templates": "Templates/**"}, None).templates == ["Templates/**"]
    with pytest.raises(ConfigError, match="`templates` must be a list of strings"):
        parse({"templates": [1]}, None)


# --------------------------------------------------------------------------- masking


def test_a_mask_keeps_length_and_line_breaks_and_equal_placeholders_stay_equal():
    text = "a: {{date}}\r\nb: {{date}}\nc: {{title}}\r<%*\n  let x = 1\n-%>\nd: <% tp.file.title %> e"
    spans = templates.placeholder_spans(text)
    masked = templates.mask(text, spans)
    assert len(masked) == len(text)
    assert [m.start() for m in re.finditer(r"\r\n|\r|\n", masked)] == [m.start() for m in re.finditer(r"\r\n|\r|\n", text)]
    words = re.findall(r"x[a-z]+", masked)
    assert words[0] == words[1] != words[2]  # {{date}} twice, {{title}} once
    assert "{" not in masked and "%" not in masked
    assert masked.splitlines()[3:6] == ["   ", "           ", "   "]  # a command alone on its lines: spaces


@pytest.mark.parametrize("yaml_text", [
    "created: {{date}}\n",
    'title: "{{title}}"\n',
    "title: '{{title}}'\n",
    "tags: [<% tp.file.folder() %>]\n",
    "tags: [daily, {{date:YYYY}}]\n",
    "updated: {{date:YYYY-MM-DD}}T{{time:HH:mm:ss}}\n",
    "created: <% tp.date.now(\"YYYY-MM-DD\") %>\n",
    "tags:\n  - {{tag}}\n  - <% tp.file.folder(true) %>\n",
    "{{key}}: value\n",
    "summary: |\n  {{summary}}\n",
    "<%* const t = tp.file.title %>\ntitle: <% t %>\n",
    "related: \"[[{{title}}]]\"\n",
    "source: {{{raw}}}\n",
])
def test_placeholders_are_accepted_in_template_frontmatter(yaml_text):
    text = "---\n" + yaml_text + "---\n# body\n"
    fm = fm_mod.parse(text, template=True)
    assert fm.present and fm.error is None and fm.warning is None


def test_a_yaml_error_after_a_placeholder_is_reported_at_its_exact_position():
    text = "---\r\ntitle: 「{{title}}」\r\ncreated: {{date}}\r\nsummary: Meeting: {{topic}}\r\n---\r\n"
    note = template(text)
    error = note.frontmatter.error
    assert error is not None and "mapping values are not allowed" in error.message
    assert note.position(error.offset) == (4, 17)  # the second `:`, as in the note written out


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sampled_from(["{{date}}", "{{title}}", "<% tp.file.title %>", "{{date:YYYY-MM-DD}}", "<%* x %>",
                                 "{{ 日期 }}"]), min_size=1, max_size=4),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_an_error_after_placeholders_is_where_it_is_with_the_placeholders_filled_in(values, newline):
    """Masking keeps every position: a real error after any placeholders is found at the offset
    it has in the same text with each placeholder replaced by plain text of the same length."""
    lines = [f"k{i}: a {value} b" for i, value in enumerate(values)] + ["bad: x: y"]
    text = newline.join(["---", *lines, "---", ""])
    filled = re.sub(r"\{\{.*?\}\}|<%.*?%>", lambda m: "v" * len(m.group(0)), text)
    expected = fm_mod.parse(filled).error
    found = fm_mod.parse(text, template=True).error
    assert expected is not None and found is not None
    assert (found.offset, found.message) == (expected.offset, expected.message)


def test_a_duplicate_key_is_still_an_error_and_is_named_as_written():
    dup = template("---\n{{key}}: 1\ntags: [a]\n{{key}}: 2\n---\n").frontmatter.error
    assert dup is not None and "duplicate key `{{key}}`" in dup.message and "(first on line 2)" in dup.message
    assert template("---\n{{a}}: 1\n{{b}}: 2\n---\n").frontmatter.error is None
    assert "duplicate key `tags`" in template("---\ntags: [a]\ncreated: {{date}}\ntags: [b]\n---\n").frontmatter.error.message
    below = template("<%*\nlet a = 1\n-%>\n---\ntags: [a]\ntags: [b]\n---\n").frontmatter.error
    assert "(first on line 5)" in below.message  # below Templater commands: the file's own line number


def test_a_note_that_is_no_template_keeps_its_yaml_error_with_a_hint():
    error = Note.from_text("---\ncreated: {{date}}\n---\n").frontmatter.error
    assert error is not None and "`{{date}}` is a template placeholder" in error.message
    assert "template" not in Note.from_text("---\na: b: c\n---\n").frontmatter.error.message


# --------------------------------------------------------------------------- Templater commands above the frontmatter


def test_frontmatter_after_templater_commands_is_read_and_a_line_break_left_is_a_warning():
    trimmed = template('<%*\nconst t = await tp.system.prompt("T")\n-%>\n---\ntitle: <% t %>\n---\n# <% t %>\n')
    assert trimmed.frontmatter.present and trimmed.frontmatter.error is None and trimmed.frontmatter.warning is None
    assert trimmed.position(trimmed.body_start) == (7, 1)
    both = template("<%_* let a = 1 _%>\n\n<%* let b = 2 -%>\n---\na: 1\n---\n").frontmatter
    assert both.present and both.warning is None
    left = template("<%* let t = 1 %>\n---\ntitle: x\n---\n")
    warning = left.frontmatter.warning
    assert warning is not None and "end the command with `-%>`" in warning.message
    assert left.position(warning.offset) == (1, 15)  # the command's closing `%>`
    assert left.frontmatter.data == {"title": "x"}


@pytest.mark.parametrize("text", [
    "{{date}}\n---\na: 1\n---\n",  # text inserted before the block: no frontmatter in the new note
    "<% tp.file.title %>\n---\na: 1\n---\n",  # an interpolation outputs text
    "intro\n<%* x -%>\n---\na: 1\n---\n",
])
def test_text_before_the_block_means_no_frontmatter(text):
    assert not template(text).frontmatter.present


# --------------------------------------------------------------------------- the body


def test_links_images_and_tags_made_of_placeholders_are_not_elements():
    text = ("# {{title}} of <% tp.file.folder() %>\n\n"
            "[[{{date:YYYY-MM-DD}}]] [[Real note|{{title}}]] [[Other#{{heading}}]] ![[{{title}}.png]]\n"
            "![](<% tp.file.path(true) %>) ![x]({{cover}}) ![ok](real.png) [t]({{url}}) <img src=\"{{src}}\">\n"
            "#{{tag}} #area/{{x}} #real #<% tp.file.folder() %>\n")
    doc = template(text).markdown
    assert [w.target for w in doc.wikilinks] == ["Real note"]
    assert [i.src for i in doc.images] == ["real.png"]
    assert doc.links == []
    assert [t.name for t in doc.tags] == ["real"]
    assert doc.headings[0].text == "{{title}} of <% tp.file.folder() %>"
    plain = Note.from_text(text).markdown  # the same text in a note: what it says is what it links
    assert "{{date:YYYY-MM-DD}}" in [w.target for w in plain.wikilinks]


def test_dendron_aliases_come_first_and_only_the_target_decides():
    doc = template("[[{{title}}|daily.journal]] [[x|daily.{{date}}]]\n", flavor="dendron").markdown
    assert [w.target for w in doc.wikilinks] == ["daily.journal"]


def test_a_templater_command_holding_markdown_syntax_hides_nothing_after_it():
    text = "<%*\nconst fence = \"```\";\n%>\n#real [[Missing]]\n"
    doc = template(text).markdown
    assert [t.name for t in doc.tags] == ["real"] and [w.target for w in doc.wikilinks] == ["Missing"]


# --------------------------------------------------------------------------- findings and fixes


def test_findings_about_a_placeholder_are_dropped_and_fixes_touching_one_withdrawn():
    note = template("---\ncreated: {{date}}\n---\nab{{x}}cd  \n")
    value = note.text.index("{{date}}")
    body = note.text.index("ab{{x}}")
    def at(start, end, rule="frontmatter-timestamps", edits=None):
        line, column = note.position(start)
        end_line, end_column = note.position(end)
        return Finding(note.rel, line, column, rule, "NL000", "m", end_line=end_line, end_column=end_column,
                       fix=Fix(tuple(edits)) if edits else None)
    on_value = at(value, value + 8)
    before = at(body, body + 2, "whitespace", [Edit(body, body + 2, "")])
    into = at(body, body + 2, "whitespace", [Edit(body + 1, body + 4, "")])
    inside = at(body, body + 1, "whitespace", [Edit(body + 4, body + 4, "!")])
    syntax = at(value, value + 8, "frontmatter-syntax")
    kept = templates.outside_placeholders(note, [on_value, before, into, inside, syntax])
    assert kept == [before, into, inside, syntax]
    assert before.fix is not None and into.fix is None and inside.fix is None


TEMPLATER = json.dumps({"templates_folder": "Templater"})


def test_through_the_cli_templates_report_only_their_own_mistakes_and_fix_never_edits_a_placeholder(tmp_path):
    root = write(tmp_path / "v", {
        ".obsidian/templates.json": '{"folder": "Templates"}',
        ".obsidian/plugins/templater-obsidian/data.json": TEMPLATER,
        "Templates/Daily.md": "---\ncreated: {{date}}\ntags: [{{tag}}]\n---\n# {{title}}  \n\n[[{{date}}]] #{{tag}} [[Gone]]\n",
        "Templater/Meeting.md": "<%* const t = 1 -%>\n---\ncreated: <% tp.date.now() %>\n---\n![](<% tp.file.path() %>)\t\n",
        "note.md": "---\ncreated: 2024-01-01\n---\n[[Templates/Daily]] [[Templater/Meeting]]\n",
    })
    assert findings(root) == [
        ("Templater/Meeting.md", 5, 26, "whitespace"),
        ("Templates/Daily.md", 5, 12, "whitespace"),
        ("Templates/Daily.md", 7, 23, "dangling-link"),
    ]
    result = run_cli("fix", ".", cwd=root)
    assert result.returncode == 1, result.stderr
    assert (root / "Templates/Daily.md").read_text("utf-8").startswith("---\ncreated: {{date}}\ntags: [{{tag}}]\n---\n# {{title}}\n")
    assert (root / "Templater/Meeting.md").read_text("utf-8").endswith("![](<% tp.file.path() %>)\n")


def test_templates_have_no_say_in_tag_spellings_but_are_told_the_vault_s(tmp_path):
    root = write(tmp_path / "v", {
        ".obsidian/templates.json": '{"folder": "Templates"}',
        "Templates/Book.md": "---\ntags: [Reading]\n---\n#Reading #Reading #Only\n",
        "a.md": "#reading\n",
        "b.md": "#reading\n",
    })
    assert findings(root, "--select", "tag-style") == [
        ("Templates/Book.md", 2, 8, "tag-style"), ("Templates/Book.md", 4, 1, "tag-style"),
        ("Templates/Book.md", 4, 10, "tag-style"),
    ]
    listing = run_cli("tags", "--format", "json", ".", cwd=root)
    assert [(r["tag"], r["count"]) for r in json.loads(listing.stdout)] == [("reading", 2)]


def test_an_image_only_a_template_uses_is_no_orphan_and_a_template_links_resolve(tmp_path):
    root = write(tmp_path / "v", {
        ".obsidian/templates.json": '{"folder": "Templates"}',
        "Templates/Book.md": "![[cover.png]] [[note]]\n",
        "note.md": "[[Templates/Book]] [[Book]]\n",
    })
    (root / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "unused.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert findings(root, "--select", "orphan-image,dangling-link") == [("unused.png", 1, 1, "orphan-image")]


def test_changing_templates_json_between_warm_runs_changes_the_result_as_no_cache_does(tmp_path):
    root = write(tmp_path / "v", {
        ".notelint.toml": 'select = ["frontmatter-syntax", "tag-style", "dangling-link"]\n',
        ".obsidian/templates.json": '{"folder": "Templates"}',
        "Templates/Daily.md": "---\ncreated: {{date}}\n---\n#Tag [[{{title}}]]\n",
        "a.md": "#tag\n",
    })
    settings_file = root / ".obsidian/templates.json"
    for folder in ("Templates", "Elsewhere", "Templates"):
        settings_file.write_text(json.dumps({"folder": folder}), "utf-8")
        cold = run_cli("check", "--no-cache", ".", cwd=root).stdout
        first = run_cli("check", ".", cwd=root).stdout
        warm = run_cli("check", ".", cwd=root).stdout
        assert first == warm == cold, folder
        assert ("Templates/Daily.md:2:" in cold) == (folder == "Elsewhere")


@pytest.mark.parametrize("text", [
    "<%" * 300_000,  # unclosed commands: a lazy regex would rescan to the end from each one
    "{{" * 300_000 + "\n}}",  # unclosed on their line, closed on the next
    "{{a}} #t " * 60_000,  # one long line of placeholders
])
def test_hostile_templates_are_scanned_in_linear_time(text):
    import time

    begin = time.perf_counter()
    note = template("---\nx: 1\n---\n" + text)
    note.markdown
    assert note.frontmatter.error is None
    assert time.perf_counter() - begin < 20


# --------------------------------------------------------------------------- property: fix never edits a placeholder

PIECES = ["{{date}}", "{{title}}", "{{date:YYYY-MM-DD}}", "<% tp.file.title %>", "<%* let x = 1 -%>", "<%_ tp.file.cursor() _%>",
          "#tag", "#Tag", "#{{tag}}", "#a/{{b}}", "[[{{title}}]]", "[[Missing]]", "![]({{cover}})", "![[{{x}}.png]]",
          "word", "研究", "  ", "\t", "a: b", "- item", "# head", "<%*\nlet a = 1;   \n\n\n\n-%>", "{{a}}  ", "<% tp.file.title %>\t"]
FRONTMATTER = ["", "---\ncreated: {{date}}\ntags: [{{tag}}, Tag]\n---\n", "---\ntitle: \"{{title}}\"  \nupdated: 2023/11/29\n---\n",
               "<%* const t = 1 -%>\n---\ncreated: <% tp.date.now() %>\n---\n", "---\nbad: {{a}}: b\n---\n"]


@settings(max_examples=examples(150), deadline=None)
@given(st.sampled_from(FRONTMATTER),
       st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map(" ".join), min_size=1, max_size=8),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_fixing_a_template_with_every_rule_never_changes_a_placeholder(head, lines, newline, final):
    from notelint import registry
    from notelint.config import Config
    from notelint.engine import Workspace, check_note, fix_note
    from notelint.vault import Vault

    text = (head + "\n".join(lines) + ("\n" if final else "")).replace("\n", newline)
    note = template(text, rel="t.md")
    vault = Vault(root=Path("/nonexistent-vault"), flavor="obsidian", config=Config(), notes=["t.md"])
    rules = [cls(None, "obsidian") for cls in registry.all_rules() if cls.scope == "note"]
    ws = Workspace(vault, rules, ["t.md"], None)
    ws._notes["t.md"] = note
    ws.prepare_rules()
    for f in check_note(note, rules, vault):
        assert 1 <= f.line <= len(note.lines)
    outcome = fix_note(note, rules, vault, unsafe=True)
    written = [text[s:e] for s, e in templates.placeholder_spans(text)]
    assert [outcome.text[s:e] for s, e in templates.placeholder_spans(outcome.text)] == written
    again = fix_note(note.derive(outcome.text), rules, vault, unsafe=True)
    assert again.text == outcome.text
