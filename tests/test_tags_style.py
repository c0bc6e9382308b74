"""tag-style: one spelling per tag across the vault, conventions, aliases, and its fixes."""

import json
import shutil

import pytest

from helpers import REPO, run_cli
from notelint import engine
from notelint.tags import convert, normalise

SAMPLE = REPO / "examples" / "sample-vault"


def vault(tmp_path, notes, config="", flavor="obsidian"):
    root = tmp_path / "v"
    root.mkdir()
    if flavor == "obsidian":
        (root / ".obsidian").mkdir()
    else:
        (root / "dendron.yml").write_text("version: 5\n")
    (root / ".notelint.toml").write_text('select = ["tag-style"]\n' + config)
    for name, text in notes.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode())
    return root


def check(root):
    workspaces, _ = engine.prepare([str(root)], engine.RunOptions(no_cache=True))
    return [f for ws in workspaces for f in engine.check(ws)]


def test_sample_note_lower_snake_reports_exactly_the_tags_not_in_that_form(tmp_path):
    config = tmp_path / "lower-snake.toml"
    config.write_text('[rules.tag-style]\nconvention = "lower-snake"\n')
    result = run_cli("check", "--no-cache", "--select", "tag-style", "--config", str(config), "--format", "json",
                     str(SAMPLE), cwd=tmp_path)
    found = [(f["line"], f["column"], f["message"].split("`")[1]) for f in json.loads(result.stdout)]
    assert found == [(58, 1, "#LLM"), (59, 1, "#GPT-4"), (60, 1, "#Video"), (96, 1, "#Video"), (199, 1, "#Text23D"),
                     (220, 1, "#Video"), (237, 1, "#Instruction_following")]


def test_sample_note_with_the_default_convention_has_no_tag_style_finding(tmp_path):
    result = run_cli("check", "--no-cache", "--select", "tag-syntax,tag-style", str(SAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_minority_spelling_is_reported_with_the_majority_and_related_notes(tmp_path):
    root = vault(tmp_path, {"a.md": "#video #Video_Generation\n", "b.md": "#video #video-generation\n",
                            "c.md": "x #Video and #video-generation\n"})
    found = sorted((f.path, f.line, f.column, f.message, tuple(f.related)) for f in check(root))
    assert [(p, line, col) for p, line, col, _, _ in found] == [("a.md", 1, 8), ("c.md", 1, 3)]
    assert "`#Video_Generation`: the vault spells this tag 2 ways in 3 uses" in found[0][3]
    assert found[0][3].endswith("write `#video-generation`")
    assert found[0][4] == ("b.md", "c.md")
    assert found[1][4] == ("a.md", "b.md")


def test_ties_go_to_more_notes_then_fewer_capitals(tmp_path):
    root = vault(tmp_path, {"a.md": "#Video\n", "b.md": "#video\n"})
    assert [(f.path, f.message.split("; write ")[1]) for f in check(root)] == [("a.md", "`#video`")]


def test_aliases_and_frontmatter_respelling_through_fix(tmp_path):
    notes = {
        "a.md": "---\ntags: [ML, 'Machine_Learning', other]\n---\nText #ml here\n",
        "b.md": "---\ntags:\n  - machine-learning\n---\n#machine-learning\n",
    }
    root = vault(tmp_path, notes, '[rules.tag-style]\naliases = { ML = "machine-learning" }\n')
    found = sorted((f.path, f.line, f.column) for f in check(root))
    assert found == [("a.md", 2, 8), ("a.md", 2, 13), ("a.md", 4, 6)]
    result = run_cli("fix", "--unsafe-fixes", "--no-cache", str(root), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "a.md").read_text() == (
        "---\ntags: [machine-learning, 'machine-learning', other]\n---\nText #machine-learning here\n")
    assert (root / "b.md").read_text() == notes["b.md"]


def test_dendron_hierarchy_and_comma_string_parts(tmp_path):
    notes = {"a.md": "---\ntags: ml.basics\n---\n#ml.basics\n", "b.md": "---\ntags: x\n---\n#ML.Basics.\n"}
    root = vault(tmp_path, notes, flavor="dendron")
    assert [(f.path, f.line, f.column) for f in check(root)] == [("b.md", 4, 1)]
    run_cli("fix", "--unsafe-fixes", "--no-cache", str(root), cwd=tmp_path)
    assert (root / "b.md").read_text() == "---\ntags: x\n---\n#ml.basics.\n"


@pytest.mark.parametrize("name, convention, expected", [
    ("Video", "lower-snake", "video"),
    ("GPT-4", "lower-snake", "gpt_4"),
    ("Instruction_following", "lower-kebab", "instruction-following"),
    ("video_generation", "camel", "videoGeneration"),
    ("LLM-tools", "camel", "llmTools"),
    ("video-generation", "pascal", "VideoGeneration"),
    ("Inbox/To-Read", "lower-snake", "inbox/to_read"),
    ("自动驾驶", "camel", "自动驾驶"),
    ("Text23D", "preserve", "Text23D"),
])
def test_conventions(name, convention, expected):
    assert convert(name, convention) == expected
    assert normalise(convert(name, convention)) == normalise(name)


def test_dendron_levels_are_converted_one_by_one():
    assert convert("ML.Deep_Nets", "lower-kebab", "dendron") == "ml.deep-nets"
    assert convert("ml.deep-nets", "pascal", "dendron") == "Ml.DeepNets"


def test_fix_keeps_a_respelled_tag_whole_or_does_not_fix(tmp_path):
    # `c.d` is no Obsidian tag (`.` ends a tag): the alias cannot be written inline, so no fix
    root = vault(tmp_path, {"a.md": "#cd here\n"}, '[rules.tag-style]\naliases = { cd = "c.d" }\n')
    result = run_cli("fix", "--unsafe-fixes", "--no-cache", str(root), cwd=tmp_path)
    assert (root / "a.md").read_text() == "#cd here\n"
    assert "`c.d` is not a valid Obsidian tag, so this alias is not used" in result.stderr
    assert result.returncode == 0, result.stdout


def test_fixture_vault_fix_is_complete_for_style(tmp_path):
    work = tmp_path / "tags-obsidian"
    shutil.copytree(REPO / "tests" / "fixtures" / "tags-obsidian", work)
    run_cli("fix", "--unsafe-fixes", "--no-cache", str(work), cwd=tmp_path)
    after = run_cli("check", "--no-cache", "--select", "tag-style", str(work), cwd=tmp_path)
    assert after.returncode == 0, after.stdout


PROSE = "Tags are case-insensitive: #tag and #TAG are the same.\n"  # issue 16, pattern 8


def test_the_respelling_is_an_unsafe_fix_everywhere_it_is_shown(tmp_path):
    root = vault(tmp_path, {"a.md": PROSE, "b.md": "#tag\n"})
    [found] = json.loads(run_cli("check", "--no-cache", "--format", "json", str(root), cwd=tmp_path).stdout)
    assert (found["fixable"], found.get("unsafe_fixable")) == (False, True)
    text = run_cli("check", "--no-cache", str(root), cwd=tmp_path).stdout
    assert "(unsafe fix)" in text and "(fixable)" not in text and "fixable with `notelint fix`" not in text
    rules = run_cli("rules", cwd=tmp_path).stdout
    assert [line.split()[3] for line in rules.splitlines() if " tag-style " in line] == ["unsafe"]
    assert run_cli("fix", "--diff", "--no-cache", str(root), cwd=tmp_path).stdout.count("\n+") == 0
    diff = run_cli("fix", "--diff", "--unsafe-fixes", "--no-cache", str(root), cwd=tmp_path).stdout
    assert "+Tags are case-insensitive: #tag and #tag are the same." in diff


def test_plain_fix_leaves_prose_about_tags_alone_and_unsafe_fixes_rewrite_it(tmp_path):
    root = vault(tmp_path, {"a.md": PROSE, "b.md": "#tag\n"})
    run_cli("fix", "--no-cache", str(root), cwd=tmp_path)
    assert (root / "a.md").read_text() == PROSE
    run_cli("fix", "--unsafe-fixes", "--no-cache", str(root), cwd=tmp_path)
    assert (root / "a.md").read_text() == PROSE.replace("#TAG", "#tag")


def test_safe_fix_option_lets_plain_fix_respell(tmp_path):
    root = vault(tmp_path, {"a.md": PROSE, "b.md": "#tag\n"}, "[rules.tag-style]\nsafe-fix = true\n")
    [found] = json.loads(run_cli("check", "--no-cache", "--format", "json", str(root), cwd=tmp_path).stdout)
    assert found["fixable"] is True and "unsafe_fixable" not in found
    run_cli("fix", "--no-cache", str(root), cwd=tmp_path)
    assert (root / "a.md").read_text() == PROSE.replace("#TAG", "#tag")
