"""`notelint import obsidian-linter`: the plugin's data.json as notelint config, printed or merged."""

from __future__ import annotations

import json
import tomllib

import pytest

from notelint import cli, config, plugin_import


def vault_with(tmp_path, settings) -> object:
    path = tmp_path / plugin_import.SETTINGS
    path.parent.mkdir(parents=True)
    path.write_text(settings if isinstance(settings, str) else json.dumps(settings), "utf-8")
    return tmp_path


SETTINGS = {
    "ruleConfigs": {
        "trailing-spaces": {"enabled": True, "twp-space-line-break": True},
        "consecutive-blank-lines": {"enabled": False},
        "yaml-timestamp": {"enabled": True, "date-created": True},
        "proper-ellipsis-on-paste": {"enabled": True},
        "quote-style": {"enabled": False},
    },
    "foldersToIgnore": ["templates", "journal/old/"],
    "filesToIgnore": [{"label": "excalidraw", "match": ".*\\.excalidraw\\.md$", "flags": ""}, "^drafts/\\d+"],
    "lintOnSave": True,
}


def test_the_printed_toml_selects_maps_options_excludes_and_says_what_has_no_equivalent(tmp_path, capsys):
    root = vault_with(tmp_path, SETTINGS)
    assert cli.main(["import", "obsidian-linter", str(root)]) == 0
    out = capsys.readouterr().out
    data = tomllib.loads(out)
    assert data["extend-select"] == ["whitespace"]
    # trailing-spaces with its two-space option; the plugin's other two whitespace parts are off there
    assert data["rules"]["whitespace"] == {"blank-lines": False, "final-newline": False}
    assert data["exclude"] == ["templates/**", "journal/old/**", "*.excalidraw.md", "re:^drafts/\\d+"]
    assert "#   yaml-timestamp: not covered" in out
    assert "#   proper-ellipsis-on-paste: acts on text pasted" in out
    assert "quote-style" not in out  # not enabled there: nothing to say
    config.parse({k: v for k, v in data.items()}, None)  # a valid notelint config
    assert not (root / ".notelint.toml").exists()  # printing writes nothing


@pytest.mark.parametrize(("settings", "named"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ({"ruleConfigs": {"no-such-rule": {"enabled": True}}}, "`ruleConfigs.no-such-rule`"),
    ({"ruleConfigs": {"trailing-spaces": {"enabled": "yes"}}}, "`ruleConfigs.trailing-spaces.enabled`"),
    ({"ruleConfigs": {"trailing-spaces": {"enabled": True, "twp-space-line-break": "two"}}},
     "`ruleConfigs.trailing-spaces.twp-space-line-break`"),
    ({"ruleConfigs": {"trailing-spaces": []}}, "`ruleConfigs.trailing-spaces`"),
    ({"ruleConfigs": {}, "foldersToIgnore": "templates"}, "`foldersToIgnore`"),
    ({"ruleConfigs": {}, "filesToIgnore": [3]}, "`filesToIgnore[0]`"),
])
def test_settings_that_cannot_be_imported_exit_2_naming_the_key_and_write_nothing(tmp_path, capsys, settings, named):
    root = vault_with(tmp_path, settings)
    (root / ".notelint.toml").write_text("# mine\n", "utf-8")
    assert cli.main(["import", "obsidian-linter", str(root), "--write"]) == 2
    err = capsys.readouterr().err
    assert named in err and "Traceback" not in err
    assert (root / ".notelint.toml").read_text("utf-8") == "# mine\n"


def test_a_vault_without_the_plugin_is_an_error(tmp_path, capsys):
    assert cli.main(["import", "obsidian-linter", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err


def test_write_creates_the_config_and_fix_then_does_what_the_plugin_would(tmp_path, capsys):
    root = vault_with(tmp_path, {"ruleConfigs": {"trailing-spaces": {"enabled": True}}})
    note = root / "note.md"
    note.write_bytes(b"text  \nmore\t\n\n\n\nend")
    assert cli.main(["import", "obsidian-linter", str(root), "--write"]) == 0
    written = tomllib.loads((root / ".notelint.toml").read_text("utf-8"))
    assert written["extend-select"] == ["whitespace"]
    assert written["rules"]["whitespace"] == {"br-spaces": 0, "blank-lines": False, "final-newline": False}
    assert cli.main(["fix", "-q", "--no-cache", "--exit-zero", str(note)]) == 0
    assert note.read_bytes() == b"text\nmore\n\n\n\nend"  # only trailing spaces, as the plugin's rule does
    assert cli.main(["fix", "-q", "--no-cache", "--exit-zero", str(note)]) == 0
    assert note.read_bytes() == b"text\nmore\n\n\n\nend"


def test_write_keeps_existing_keys_and_comments_unless_forced(tmp_path, capsys):
    root = vault_with(tmp_path, {"ruleConfigs": {"trailing-spaces": {"enabled": True}}, "foldersToIgnore": ["t"]})
    mine = ('# my settings\nflavor = "obsidian"  # keep\nexclude = ["archive/**"]\n\n'
            "[rules.whitespace]\n# comment in the table\nbr-spaces = 2\n")
    (root / ".notelint.toml").write_text(mine, "utf-8")
    assert cli.main(["import", "obsidian-linter", str(root), "--write"]) == 0
    err = capsys.readouterr().err
    text = (root / ".notelint.toml").read_text("utf-8")
    assert text.startswith('# my settings\nflavor = "obsidian"  # keep\n')
    assert "# comment in the table" in text
    data = tomllib.loads(text)
    assert data["exclude"] == ["archive/**"] and data["rules"]["whitespace"]["br-spaces"] == 2
    assert data["extend-select"] == ["whitespace"] and data["rules"]["whitespace"]["blank-lines"] is False
    assert "kept `exclude`" in err and "kept `rules.whitespace.br-spaces`" in err
    assert cli.main(["import", "obsidian-linter", str(root), "--write", "--force"]) == 0
    forced = (root / ".notelint.toml").read_text("utf-8")
    data = tomllib.loads(forced)
    assert data["exclude"] == ["t/**"] and data["rules"]["whitespace"]["br-spaces"] == 0
    assert "# comment in the table" in forced and "# keep" in forced
    # a second import changes nothing
    assert cli.main(["import", "obsidian-linter", str(root), "--write", "--force"]) == 0
    assert (root / ".notelint.toml").read_text("utf-8") == forced


def test_write_merges_into_a_pyproject_table(tmp_path, capsys):
    root = vault_with(tmp_path, {"ruleConfigs": {"consecutive-blank-lines": {"enabled": True}}})
    (root / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.notelint]\nflavor = "obsidian"\n', "utf-8")
    assert cli.main(["import", "obsidian-linter", str(root), "--write"]) == 0
    data = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    assert data["project"] == {"name": "x"}
    assert data["tool"]["notelint"]["extend-select"] == ["whitespace"]
    assert data["tool"]["notelint"]["rules"]["whitespace"] == {"trailing-spaces": False, "final-newline": False}
    assert not (root / ".notelint.toml").exists()


@pytest.mark.parametrize(("regex", "flags", "expected"), [
    (".*\\.excalidraw\\.md$", "", "*.excalidraw.md"),
    ("^templates/", "", "templates/*"),
    ("daily", "", "*daily*"),
    ("^a\\-b\\.md$", "", "a-b.md"),
    ("\\d{4}\\.md$", "", "re:\\d{4}\\.md$"),
    ("secret", "i", "re:(?i)secret"),
    ("(?<name>x)", "", None),  # JavaScript's named group: Python cannot read it
    ("x", "q", None),
])
def test_files_to_ignore_become_a_glob_where_one_says_the_same_else_a_regex(regex, flags, expected):
    assert plugin_import.regex_as_exclude(regex, flags) == expected


def test_a_regex_exclude_excludes_what_it_matches(tmp_path, capsys):
    (tmp_path / ".notelint.toml").write_text('exclude = ["re:^drafts/\\\\d+"]\n', "utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "12.md").write_bytes(b"x \n")
    (tmp_path / "drafts" / "note.md").write_bytes(b"x \n")
    assert cli.main(["check", "--no-cache", "--format", "json", str(tmp_path)]) == 1
    found = json.loads(capsys.readouterr().out)
    assert {f["path"].rsplit("/", 1)[-1] for f in found} == {"note.md"}


def test_an_invalid_regex_exclude_is_a_config_error(tmp_path, capsys):
    (tmp_path / ".notelint.toml").write_text('exclude = ["re:(unclosed"]\n', "utf-8")
    assert cli.main(["check", "--no-cache", str(tmp_path)]) == 2
    assert "not a valid regular expression" in capsys.readouterr().err


def test_unsafe_formatting_fixes_apply_only_with_unsafe_fixes_and_diff_previews_them(tmp_path, capsys):
    root = vault_with(tmp_path, {"ruleConfigs": {"header-increment": {"enabled": True}}})
    note = root / "note.md"
    note.write_bytes(b"# One\n\n### Three\n")
    assert cli.main(["import", "obsidian-linter", str(root), "--write"]) == 0
    capsys.readouterr()
    assert cli.main(["fix", "--no-cache", "-q", "--exit-zero", str(note)]) == 0
    assert note.read_bytes() == b"# One\n\n### Three\n"  # unsafe: plain fix leaves it
    assert cli.main(["fix", "--diff", "--unsafe-fixes", "--no-cache", str(note)]) == 1
    assert "+## Three" in capsys.readouterr().out
    assert note.read_bytes() == b"# One\n\n### Three\n"  # --diff writes nothing
    assert cli.main(["fix", "--unsafe-fixes", "--no-cache", "-q", "--exit-zero", str(note)]) == 0
    assert note.read_bytes() == b"# One\n\n## Three\n"
