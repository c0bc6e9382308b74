"""Configuration: found at the vault root, validated, errors name the file and the key (exit 2)."""

import json

from helpers import run_cli, write_files


def vault(tmp_path, config: str | None = None, name=".notelint.toml"):
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "a.md").write_text("trailing   \n\n\n\nend\n", "utf-8")
    if config is not None:
        (tmp_path / name).write_text(config, "utf-8")
    return tmp_path


def test_unknown_top_level_key_is_an_error_naming_file_and_key(tmp_path):
    vault(tmp_path, 'selekt = ["ALL"]\n')
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert ".notelint.toml" in result.stderr and "`selekt`" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_rule_table_suggests_the_closest(tmp_path):
    vault(tmp_path, "[rules.whitespaces]\nmax-blank-lines = 2\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "rules.whitespaces" in result.stderr and "did you mean `whitespace`" in result.stderr


def test_unknown_option_and_bad_value_are_errors(tmp_path):
    vault(tmp_path, "[rules.whitespace]\nmax-blanks = 2\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and "max-blanks" in result.stderr
    (tmp_path / ".notelint.toml").write_text('[rules.whitespace]\nmax-blank-lines = "two"\n', "utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and "max-blank-lines" in result.stderr and "integer" in result.stderr
    (tmp_path / ".notelint.toml").write_text('flavor = "logseq"\n', "utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and "flavor" in result.stderr


def test_invalid_toml_is_an_error(tmp_path):
    vault(tmp_path, "select = [\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and "not valid TOML" in result.stderr


def test_rule_option_changes_behaviour(tmp_path):
    vault(tmp_path, "[rules.whitespace]\nmax-blank-lines = 3\n")
    result = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    messages = [f["message"] for f in json.loads(result.stdout)]
    assert not any("blank lines" in m for m in messages)
    assert any("trailing whitespace" in m for m in messages)


def test_pyproject_tool_table_is_read(tmp_path):
    vault(tmp_path, '[tool.notelint]\nignore = ["whitespace"]\n', name="pyproject.toml")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_dotfile_wins_over_pyproject(tmp_path):
    vault(tmp_path, '[tool.notelint]\nignore = ["whitespace"]\n', name="pyproject.toml")
    (tmp_path / ".notelint.toml").write_text("select = [\"whitespace\"]\n", "utf-8")
    assert run_cli("check", ".", cwd=tmp_path).returncode == 1


def test_an_unknown_selector_on_the_command_line_is_a_usage_error(tmp_path):
    vault(tmp_path)
    result = run_cli("check", "--select", "whitspace", ".", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""  # never "All clear" with no rule run
    assert "--select: unknown rule `whitspace` (did you mean `whitespace`?)" in result.stderr
    for flag in ("--ignore", "--extend-select"):
        result = run_cli("check", flag, "whitespace,NL9", ".", cwd=tmp_path)
        assert result.returncode == 2 and f"{flag}: unknown rule `NL9`" in result.stderr
        assert "did you mean" not in result.stderr  # nothing is close: no guess
    strict = run_cli("check", "--strict-config", "--select", "whitespace", ".", cwd=tmp_path)
    assert strict.returncode == 1  # still accepted


def test_an_unknown_selector_in_the_config_names_file_line_and_key(tmp_path):
    vault(tmp_path, 'select = [\n  "whitespace",\n  "whitspace",\n]\n')
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert ".notelint.toml:3: `select`: unknown rule `whitspace` (did you mean `whitespace`?)" in result.stderr
    for key in ("ignore", "extend-select"):
        (tmp_path / ".notelint.toml").write_text(f'{key} = ["tag-styel"]\n', "utf-8")
        result = run_cli("check", ".", cwd=tmp_path)
        assert result.returncode == 2 and f".notelint.toml:1: `{key}`: unknown rule `tag-styel`" in result.stderr
    (tmp_path / ".notelint.toml").write_text('[per-file-ignores]\n"a/**" = ["bogus"]\n', "utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and '.notelint.toml:2: `per-file-ignores."a/**"`: unknown rule `bogus`' in result.stderr


def test_pyproject_errors_name_the_tool_notelint_key_and_its_line(tmp_path):
    vault(tmp_path, '[project]\nname = "x"\n\n[tool.notelint.rules.whitespace]\nmax-blanks = 2\n', name="pyproject.toml")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "pyproject.toml:5: `tool.notelint.rules.whitespace.max-blanks`: unknown option" in result.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.notelint]\nflavor = "obsidian"\nselekt = ["ALL"]\n', "utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert "pyproject.toml:3: unknown key `tool.notelint.selekt`" in result.stderr


def test_two_config_files_warn_naming_both(tmp_path):
    vault(tmp_path, 'ignore = ["whitespace"]\n')
    (tmp_path / "notelint.toml").write_text('select = ["whitespace"]\n', "utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 0  # .notelint.toml wins
    assert "both `.notelint.toml` and `notelint.toml` configure notelint; using `.notelint.toml`" in result.stderr
    (tmp_path / "single").mkdir()
    alone = run_cli("check", ".", cwd=vault(tmp_path / "single", 'ignore = ["whitespace"]\n'))
    assert "warning" not in alone.stderr


def test_the_same_rule_configured_twice_is_a_conflict(tmp_path):
    vault(tmp_path, "[rules.whitespace]\nmax-blank-lines = 2\n\n[rules.NL003]\nstrict = true\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert ".notelint.toml:4: conflicting keys `rules.whitespace` and `rules.NL003`" in result.stderr


def test_select_accepts_codes_prefixes_and_all(tmp_path):
    vault(tmp_path)
    for selector in ("NL003", "NL0", "ALL", "whitespace"):
        assert run_cli("check", "--select", selector, ".", cwd=tmp_path).returncode == 1, selector
    assert run_cli("check", "--ignore", "NL003", ".", cwd=tmp_path).returncode == 0


def test_per_file_ignores_and_exclude(tmp_path):
    vault(tmp_path, '[per-file-ignores]\n"a.md" = ["whitespace"]\n')
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0
    (tmp_path / ".notelint.toml").write_text('exclude = ["a.md"]\n', "utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 0 and "0 notes checked" in result.stdout
    result = run_cli("check", "--exclude", "*.md", ".", cwd=tmp_path)
    assert "0 notes checked" in result.stdout


def test_explicit_config_file(tmp_path):
    vault(tmp_path)
    cfg = tmp_path / "other.toml"
    cfg.write_text('ignore = ["whitespace"]\n', "utf-8")
    assert run_cli("check", "--config", str(cfg), ".", cwd=tmp_path).returncode == 0
    missing = run_cli("check", "--config", "nope.toml", ".", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.toml" in missing.stderr


def test_table_options_are_validated_field_by_field():
    from notelint.options import Option, Table

    kind = Table((Option("paths", list, [], "globs"), Option("level", int, 0, "level", minimum=0)), required=("paths",))
    opt = Option("schemas", kind, [], "schemas")
    assert opt.validate([{"paths": ["a*"], "level": 2}]) is None
    assert "missing key `paths`" in opt.validate([{"level": 2}])
    assert "unknown key `levle`" in opt.validate([{"paths": [], "levle": 2}])
    assert "`level` must be at least 0" in opt.validate([{"paths": [], "level": -1}])
    assert "list of tables" in opt.validate({"paths": []})
    assert kind.fill({"paths": ["x"]}) == {"paths": ["x"], "level": 0}
    mapping = Option("aliases", dict, {}, "aliases")
    assert mapping.validate({"ml": "machine-learning"}) is None
    assert mapping.validate({"ml": 3}) is not None


def test_key_lines_are_found_in_tables_arrays_of_tables_and_around_multiline_values():
    from notelint.tomlpos import line_of

    text = '''select = [
  "a",   # x = 1
]
s = """
fake = 1
"""
[tool.notelint]
"quoted key" = 1
rules.whitespace.strict = true

[[tool.notelint.overrides]]
paths = ["a/**"]

[[tool.notelint.overrides]]
paths = ["b/**"]
[tool.notelint.overrides.rules.whitespace]
br-spaces = 3
'''
    assert line_of(text, ("select",)) == 1
    assert line_of(text, ("fake",)) is None  # inside a multi-line string
    assert line_of(text, ("x",)) is None  # inside a comment of a multi-line array
    assert line_of(text, ("tool", "notelint", "quoted key")) == 8
    assert line_of(text, ("tool", "notelint", "rules", "whitespace", "strict")) == 9
    assert line_of(text, ("tool", "notelint", "rules", "whitespace")) == 9  # made by a dotted key
    assert line_of(text, ("tool", "notelint", "overrides")) == 11
    assert line_of(text, ("tool", "notelint", "overrides", 1, "paths")) == 15
    assert line_of(text, ("tool", "notelint", "overrides", 1, "rules", "whitespace", "br-spaces")) == 17
    assert line_of(text, ("tool", "notelint", "overrides", 0, "rules")) is None


def test_only_a_tool_notelint_table_makes_a_pyproject_a_notelint_config():
    from notelint.config import configures_notelint

    assert configures_notelint("[tool.notelint]\nflavor = 'obsidian'\n")
    assert configures_notelint("[project]\n\n  [ tool.notelint.rules.whitespace ]\n")
    assert not configures_notelint("[tool.notelint-mutation.modules]\n")
    assert not configures_notelint("[tool.notelinter]\n")
    assert not configures_notelint("# [tool.notelint] is documented in the README\n")


def test_another_tools_table_named_like_notelint_does_not_move_the_vault_root(tmp_path):
    write_files(tmp_path, {"pyproject.toml": "[tool.notelint-mutation]\nx = 1\n",
                           "vault/a.md": "See [b](/b.md).\n", "vault/b.md": "# B\n"})
    # a `/`-path is read from the vault root: the vault folder, not the folder of that pyproject.toml
    result = run_cli("check", "--no-cache", "--format", "json", "vault", cwd=tmp_path)
    assert (result.returncode, json.loads(result.stdout)) == (0, []), result.stdout
