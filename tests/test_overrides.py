"""[[overrides]] (rules and options per path) and `extend` (inheriting a shared config)."""

import json
from pathlib import Path

import pytest

from helpers import run_cli, write_files
from notelint.config import ConfigError, load_file, parse
from notelint.perpath import select_rules


def vault(root: Path, config: str, files: dict[str, str | bytes]) -> Path:
    (root / ".obsidian").mkdir(parents=True)
    (root / ".notelint.toml").write_text(config, "utf-8")
    return write_files(root, files)


def findings(root: Path, *args: str, env: dict | None = None) -> list[tuple[str, str, str]]:
    result = run_cli("check", "--format", "json", *args, ".", cwd=root, env=env)
    assert result.returncode in (0, 1), result.stderr
    return sorted((f["path"], f["rule"], f["message"]) for f in json.loads(result.stdout))


def rules_on(config: str, rel: str, **cli) -> set[str]:
    """The rules that run on `rel` (unit level: no vault needed)."""
    import tomllib

    rules, _ = select_rules(parse(tomllib.loads(config), None), "obsidian", **cli)
    return {r.name for r in rules if r.for_path(rel) is not None}


BLANKS = "a\n\n\n\nb\n"  # three blank lines: one whitespace finding at the default max-blank-lines = 1


# --------------------------------------------------------------------------- selection


def test_later_overrides_win_and_the_command_line_comes_last():
    config = """
ignore = ["tag-style"]
[[overrides]]
paths = ["templates/**"]
ignore = ["whitespace", "section-label"]
[[overrides]]
paths = ["templates/keep/**"]
extend-select = ["whitespace"]
[per-file-ignores]
"templates/keep/x.md" = ["dangling-link"]
"""
    assert "whitespace" in rules_on(config, "notes/a.md")
    assert "tag-style" not in rules_on(config, "notes/a.md")
    assert "whitespace" not in rules_on(config, "templates/a.md")
    assert "section-label" not in rules_on(config, "templates/a.md")
    assert "whitespace" in rules_on(config, "templates/keep/a.md")  # the later table wins
    assert "section-label" not in rules_on(config, "templates/keep/a.md")  # still off from the first
    # `--select` replaces every selection of the config, overrides' too (ruff#2312) ...
    assert rules_on(config, "templates/a.md", cli_select=["whitespace", "dangling-link"]) == {"whitespace", "dangling-link"}
    assert "tag-style" in rules_on(config, "notes/a.md", cli_extend=["tag-style"])
    assert "whitespace" not in rules_on(config, "templates/keep/a.md", cli_ignore=["NL0"])
    # ... but per-file-ignores always hold
    assert rules_on(config, "templates/keep/x.md", cli_select=["whitespace", "dangling-link"]) == {"whitespace"}


def test_an_override_can_switch_on_a_rule_that_is_off_elsewhere(tmp_path):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    image = buffer.getvalue()
    root = vault(tmp_path / "v", '[[overrides]]\npaths = ["keep/**"]\nextend-select = ["orphan-image"]\n',
                 {"n.md": "text\n", "keep/a.png": image, "other/b.png": image})
    got = [(p, r) for p, r, _ in findings(root) if r == "orphan-image"]
    assert got == [("keep/a.png", "orphan-image")]


def test_overrides_ignore_findings_in_a_folder(tmp_path):
    root = vault(tmp_path / "v", '[[overrides]]\npaths = ["templates/**"]\nignore = ["whitespace"]\n',
                 {"a.md": BLANKS, "templates/t.md": BLANKS})
    assert [(p, r) for p, r, _ in findings(root)] == [("a.md", "whitespace")]


# --------------------------------------------------------------------------- options


def test_override_options_apply_per_path_and_merge_option_by_option(tmp_path):
    config = """
[rules.whitespace]
max-blank-lines = 2
strict = true
[[overrides]]
paths = ["journal/**"]
[overrides.rules.whitespace]
max-blank-lines = 3
"""
    files = {"a.md": "a  \n\n\n\nb\n", "journal/j.md": "a  \n\n\n\nb\n"}
    root = vault(tmp_path / "v", config, files)
    got = findings(root)
    assert [m for p, _, m in got if p == "a.md" and "blank" in m] == ["3 consecutive blank lines (at most 2 allowed); remove 1"]
    assert not [m for p, _, m in got if p == "journal/j.md" and "blank" in m]  # 3 allowed there
    # `strict` (from [rules.whitespace]) still holds in journal/: the two-space break is reported
    assert [p for p, _, m in got if "trailing" in m] == ["a.md", "journal/j.md"]
    run_cli("fix", ".", cwd=root)
    assert (root / "a.md").read_text("utf-8") == "a\n\n\nb\n"
    assert (root / "journal/j.md").read_text("utf-8") == "a\n\n\n\nb\n"  # fix uses the folder's options too


def test_tag_style_convention_per_folder_is_prepared_under_that_convention(tmp_path):
    config = ('[rules.tag-style]\nconvention = "lower-snake"\n'
              '[[overrides]]\npaths = ["kebab/**"]\n[overrides.rules.tag-style]\nconvention = "lower-kebab"\n')
    root = vault(tmp_path / "v", config, {"a.md": "#video_generation\n", "b.md": "#video_generation\n",
                                           "kebab/c.md": "#video_generation\n"})
    got = [(p, m) for p, r, m in findings(root) if r == "tag-style"]
    assert len(got) == 1 and got[0][0] == "kebab/c.md" and "write `#video-generation`" in got[0][1]
    run_cli("fix", "--unsafe-fixes", ".", cwd=root)  # tag-style respells only with --unsafe-fixes
    assert (root / "kebab/c.md").read_text("utf-8") == "#video-generation\n"
    assert (root / "a.md").read_text("utf-8") == "#video_generation\n"


def test_section_schemas_per_folder_reach_section_label_too(tmp_path):
    config = """
[[overrides]]
paths = ["papers/**"]
[[overrides.rules.required-sections.schemas]]
paths = ["*"]
sections = ["Summary", "Method"]
"""
    text = "# P\n- Summary: short\n"
    root = vault(tmp_path / "v", config, {"papers/p.md": text, "other.md": text})
    got = [(p, r) for p, r, _ in findings(root)]
    assert got == [("papers/p.md", "required-sections"), ("papers/p.md", "section-label")]


def test_overrides_hold_in_worker_processes_and_from_the_cache(tmp_path):
    files = {f"n{i:03}.md": BLANKS for i in range(40)} | {f"t/n{i:03}.md": BLANKS for i in range(40)}
    root = vault(tmp_path / "v", '[[overrides]]\npaths = ["t/**"]\n[overrides.rules.whitespace]\nmax-blank-lines = 3\n',
                 files)
    env = {"NOTELINT_JOBS": "2", "NOTELINT_PARALLEL_MIN": "10"}
    cold = findings(root, env=env)
    assert {p.split("/")[0] for p, _, _ in cold} == {f"n{i:03}.md" for i in range(40)}
    assert findings(root, env=env) == cold  # warm: served from the cache, the same
    (root / ".notelint.toml").write_text('[[overrides]]\npaths = ["t/**"]\nignore = ["NL003"]\n'
                                         '[[overrides]]\npaths = ["n00*"]\nignore = ["NL003"]\n', "utf-8")
    changed = findings(root, env=env)  # another override: another cache key
    assert len(changed) == 30 and not any(p.startswith(("t/", "n00")) for p, _, _ in changed)


# --------------------------------------------------------------------------- mistakes


@pytest.mark.parametrize("config, line, says", [
    ('[[overrides]]\nignore = ["whitespace"]\n', 1, "[[overrides]] table 1: `overrides`: missing key `paths`"),
    ('[[overrides]]\npaths = []\n', 2, "`overrides.paths` is empty"),
    ('[[overrides]]\npaths = ["a/**"]\nexclude = ["x"]\n', 3, "`overrides.exclude` applies to the whole vault"),
    ('[[overrides]]\npaths = ["a/**"]\nselekt = ["x"]\n', 3, "`overrides.selekt` is not a key of [[overrides]]"),
    ('[[overrides]]\npaths = ["a"]\n\n[[overrides]]\npaths = ["b"]\nignore = ["whitspace"]\n', 6,
     "[[overrides]] table 2: `overrides.ignore`: unknown rule `whitspace` (did you mean `whitespace`?)"),
    ('[[overrides]]\npaths = ["a"]\n[overrides.rules.whitespace]\nmax-blanks = 1\n', 4,
     "`overrides.rules.whitespace.max-blanks`: unknown option of rule whitespace"),
    ('[[overrides]]\npaths = ["a"]\n[overrides.rules.duplicate-image]\nmax-distance = 3\n', 3,
     "duplicate-image judges the vault as a whole, so its options cannot differ by path"),
    ("overrides = 3\n", 1, "`overrides` must be tables"),
])
def test_override_mistakes_exit_2_naming_file_line_and_key(tmp_path, config, line, says):
    root = vault(tmp_path / "v", config, {"a.md": "a\n"})
    result = run_cli("check", ".", cwd=root)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f".notelint.toml:{line}: " in result.stderr and says in result.stderr, result.stderr


def test_a_value_only_the_rule_can_judge_names_the_override(tmp_path):
    config = '[[overrides]]\npaths = ["a.md"]\n[overrides.rules.frontmatter-timestamps]\ntimezone = "Mars/Base"\n'
    result = run_cli("check", ".", cwd=vault(tmp_path / "v", config, {"a.md": "a\n"}))
    assert result.returncode == 2
    assert "[[overrides]] table 1" in result.stderr and "unknown time zone 'Mars/Base'" in result.stderr


# --------------------------------------------------------------------------- extend


def test_extend_inherits_relative_to_the_file_and_combines_like_ruff(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "root.toml").write_text('flavor = "dendron"\nexclude = ["archive/**"]\n'
                                      '[rules.whitespace]\nbr-spaces = 3\n', "utf-8")
    (shared / "base.toml").write_text('extend = "root.toml"\nignore = ["whitespace", "tag-style"]\n'
                                      '[rules.whitespace]\nmax-blank-lines = 3\nstrict = true\n'
                                      '[[overrides]]\npaths = ["x/**"]\nignore = ["note-id"]\n', "utf-8")
    child = tmp_path / "v.toml"
    child.write_text('extend = "shared/base.toml"\nextend-select = ["whitespace"]\nexclude = ["tmp/**"]\n'
                     '[rules.whitespace]\nstrict = false\n'
                     '[[overrides]]\npaths = ["x/y/**"]\nextend-select = ["note-id"]\n', "utf-8")
    cfg = load_file(child)
    assert cfg.flavor == "dendron"  # from two files up
    assert cfg.exclude == ["tmp/**"]  # the extending file's list replaces the base's
    assert cfg.rule_settings["whitespace"] == {"br-spaces": 3, "max-blank-lines": 3, "strict": False}
    assert [o.paths for o in cfg.overrides] == [["x/**"], ["x/y/**"]]  # the base's first
    rules, _ = select_rules(cfg, "dendron")
    on = {r.name for r in rules if r.for_path("n.md") is not None}
    assert "whitespace" in on and "tag-style" not in on  # a later extend-select re-enables; the base's ignore holds
    assert rules[0].for_path("x/a.md") is not None
    assert "note-id" not in {r.name for r in rules if r.for_path("x/a.md") is not None}
    assert "note-id" in {r.name for r in rules if r.for_path("x/y/a.md") is not None}
    (shared / "plain.toml").write_text('select = ["dangling-link"]\n', "utf-8")
    child.write_text('extend = "shared/plain.toml"\nselect = ["whitespace"]\n', "utf-8")
    assert [r.name for r in select_rules(load_file(child), "obsidian")[0]] == ["whitespace"]  # select starts over


def test_extend_through_the_cli_and_its_errors(tmp_path):
    root = vault(tmp_path / "v", 'extend = "../base.toml"\n', {"a.md": BLANKS})
    (tmp_path / "base.toml").write_text('ignore = ["whitespace"]\n', "utf-8")
    assert run_cli("check", ".", cwd=root).returncode == 0
    (tmp_path / "base.toml").write_text('# shared\n\nextend = "v/.notelint.toml"\n', "utf-8")
    cycle = run_cli("check", ".", cwd=root)
    assert cycle.returncode == 2 and "base.toml:3: `extend` makes a cycle" in cycle.stderr
    assert f".notelint.toml -> {tmp_path / 'base.toml'} -> .notelint.toml" in cycle.stderr  # as seen from cwd
    (tmp_path / "base.toml").write_text('extend = "missing.toml"\n', "utf-8")
    missing = run_cli("check", ".", cwd=root)
    assert missing.returncode == 2 and "base.toml:1: `extend`: no such file" in missing.stderr
    (tmp_path / "base.toml").write_text('[rules.whitespace]\nmax-blanks = 1\n', "utf-8")
    bad = run_cli("check", ".", cwd=root)
    assert bad.returncode == 2 and "base.toml:2: `rules.whitespace.max-blanks`" in bad.stderr  # names the base file


def test_extend_of_a_pyproject_reads_its_tool_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.notelint]\nignore = ["whitespace"]\n', "utf-8")
    own = tmp_path / "own.toml"
    own.write_text('extend = "pyproject.toml"\n', "utf-8")
    rules, _ = select_rules(load_file(own), "obsidian")
    assert "whitespace" not in {r.name for r in rules}
    with pytest.raises(ConfigError, match="needs a config file"):
        parse({"extend": "x.toml"}, None)
