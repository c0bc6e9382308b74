"""The command line: exit codes, formats, usage errors, rules and rule docs."""

import json

from helpers import FIXTURES, run_cli


def make(tmp_path, files: dict[str, str | bytes]):
    (tmp_path / ".obsidian").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return tmp_path


def test_exit_codes(tmp_path):
    make(tmp_path, {"clean.md": "# Clean\n"})
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0
    make(tmp_path, {"dirty.md": "x  \t\n"})
    assert run_cli("check", ".", cwd=tmp_path).returncode == 1
    assert run_cli("check", "--exit-zero", ".", cwd=tmp_path).returncode == 0
    assert run_cli("check", "missing-folder", cwd=tmp_path).returncode == 2
    assert run_cli("fix", ".", cwd=tmp_path).returncode == 0  # fixed, nothing left
    assert (tmp_path / "dirty.md").read_text("utf-8") == "x\n"


def test_usage_errors_are_one_line_not_tracebacks(tmp_path):
    for args in (["check", "--format", "xml"], ["frobnicate"], ["check", "--bogus"]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr and result.stderr.startswith("notelint: error:"), result.stderr


def test_missing_path_is_a_clear_error(tmp_path):
    result = run_cli("check", "no/such/note.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "notelint: error: no/such/note.md: no such file or folder"


def test_version_and_rules(tmp_path):
    version = run_cli("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("notelint ")
    rules = run_cli("rules", cwd=tmp_path)
    assert rules.returncode == 0
    assert "NL003  whitespace" in rules.stdout
    listed = json.loads(run_cli("rules", "--format", "json", cwd=tmp_path).stdout)
    assert {r["name"] for r in listed} >= {"unreadable-note", "frontmatter-syntax", "whitespace"}


def test_rule_docs_by_name_and_code(tmp_path):
    by_name = run_cli("rule", "whitespace", cwd=tmp_path)
    by_code = run_cli("rule", "nl003", cwd=tmp_path)
    assert by_name.returncode == 0 and by_name.stdout == by_code.stdout
    for part in ("## Why", "## Bad", "## Good", "max-blank-lines"):
        assert part in by_name.stdout
    unknown = run_cli("rule", "whitespac", cwd=tmp_path)
    assert unknown.returncode == 2 and "did you mean `whitespace`" in unknown.stderr


def test_github_format(tmp_path):
    make(tmp_path, {"n.md": "a \n"})
    out = run_cli("check", "--format", "github", ".", cwd=tmp_path).stdout
    assert out == "::error file=n.md,line=1,col=2,endLine=1,endColumn=3,title=whitespace::NL003 [whitespace] trailing whitespace (1 space); remove it\n"


def test_format_from_environment(tmp_path):
    make(tmp_path, {"n.md": "a \n"})
    result = run_cli("check", ".", cwd=tmp_path, env={"NOTELINT_OUTPUT_FORMAT": "json"})
    assert result.returncode == 1
    assert json.loads(result.stdout)[0]["rule"] == "whitespace"
    explicit = run_cli("check", "--format", "text", ".", cwd=tmp_path, env={"NOTELINT_OUTPUT_FORMAT": "json"})
    assert explicit.stdout.startswith("n.md:1:2:")


def test_paths_are_relative_to_the_current_folder(tmp_path):
    make(tmp_path / "vault", {"sub/n.md": "a \n"})
    out = json.loads(run_cli("check", "--format", "json", "vault", cwd=tmp_path).stdout)
    assert out[0]["path"] == "vault/sub/n.md"
    inside = json.loads(run_cli("check", "--format", "json", ".", cwd=tmp_path / "vault" / "sub").stdout)
    assert inside[0]["path"] == "n.md"


def test_a_file_path_is_checked_with_its_vault(tmp_path):
    make(tmp_path, {"a.md": "a \n", "b.md": "b \n"})
    out = json.loads(run_cli("check", "--format", "json", "a.md", cwd=tmp_path).stdout)
    assert [f["path"] for f in out] == ["a.md"]


def test_quiet_drops_the_summary(tmp_path):
    make(tmp_path, {"n.md": "a \n"})
    out = run_cli("check", "-q", ".", cwd=tmp_path).stdout
    assert out.count("\n") == 1 and "Found" not in out


def test_no_color_and_no_escape_codes_when_piped(tmp_path):
    make(tmp_path, {"n.md": "a \n"})
    assert "\033[" not in run_cli("check", ".", cwd=tmp_path).stdout


def test_statistics(tmp_path):
    make(tmp_path, {"n.md": "a \n\n\n\nb \n"})
    out = run_cli("check", "--statistics", ".", cwd=tmp_path).stdout
    assert out == "     3\tNL003\t[*] whitespace\n"


def test_fix_diff_writes_nothing_and_exits_1(tmp_path):
    make(tmp_path, {"n.md": "a \n"})
    result = run_cli("fix", "--diff", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "--- a/n.md\n+++ b/n.md\n@@ -1 +1 @@\n-a \n+a\n"
    assert (tmp_path / "n.md").read_bytes() == b"a \n"
    assert run_cli("fix", "--check", ".", cwd=tmp_path).returncode == 1
    assert (tmp_path / "n.md").read_bytes() == b"a \n"


def test_fix_diff_with_nothing_to_fix_prints_an_empty_diff_and_exits_as_check(tmp_path):
    make(tmp_path, {"n.md": "a\n"})
    result = run_cli("fix", "--diff", ".", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == ""
    assert "0 files would be changed" in result.stderr and "all clear" in result.stderr
    make(tmp_path, {"m.md": "[[nowhere]]\n"})  # a finding no fix can change
    result = run_cli("fix", "--diff", ".", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert "found 1 finding" in result.stderr


def test_fix_check_exits_1_only_when_something_would_change(tmp_path):
    make(tmp_path, {"m.md": "[[nowhere]]\n"})  # an unfixable finding remains: nothing would change
    result = run_cli("fix", "--check", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dangling-link" in result.stdout
    make(tmp_path, {"n.md": "a \n"})
    result = run_cli("fix", "--check", ".", cwd=tmp_path)
    assert result.returncode == 1 and "Would fix n.md" in result.stdout
    assert (tmp_path / "n.md").read_bytes() == b"a \n"
    as_json = run_cli("fix", "--check", "--format", "json", ".", cwd=tmp_path)
    assert json.loads(as_json.stdout) and "Would fix n.md" in as_json.stderr  # stdout stays JSON


def test_fix_summary_counts_findings_and_files(tmp_path):
    make(tmp_path, {"a.md": "a \n\n\n\nb \n", "b.md": "c \n", "c.md": "clean\n"})
    result = run_cli("fix", ".", cwd=tmp_path)
    assert "Fixed 4 findings in 2 files." in result.stdout, result.stdout


def test_sample_vault_is_checked_from_the_repo_root():
    result = run_cli("check", "--no-cache", "--format", "json", "examples/sample-vault", cwd=FIXTURES.parents[1])
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    # trailing whitespace, the 12 pasted images not shipped with the note, and the one
    # entry whose `贡献和创新点` label is not bold (the vault's .notelint.toml holds the schema)
    assert {f["rule"] for f in findings} == {"whitespace", "dangling-image", "section-label"}
    assert sum(f["rule"] == "dangling-image" for f in findings) == 12
    assert [(f["line"], f["column"]) for f in findings if f["rule"] == "section-label"] == [(37, 3)]
    heading = [f for f in findings if f["line"] == 27]
    assert heading and heading[0]["column"] == 60  # code points, not bytes, in a line with `∗`


def test_an_invalid_output_format_in_the_environment_is_a_usage_error(tmp_path):
    make(tmp_path, {"n.md": "a \n"})
    result = run_cli("check", ".", cwd=tmp_path, env={"NOTELINT_OUTPUT_FORMAT": "jsno"})
    assert result.returncode == 2 and result.stdout == ""
    assert "NOTELINT_OUTPUT_FORMAT='jsno' is not an output format" in result.stderr
    assert "did you mean `json`?" in result.stderr and "Run `notelint check --help`" in result.stderr
    far = run_cli("fix", "--check", ".", cwd=tmp_path, env={"NOTELINT_OUTPUT_FORMAT": "yaml-ish"})
    assert far.returncode == 2 and "did you mean" not in far.stderr
    explicit = run_cli("check", "--format", "text", ".", cwd=tmp_path, env={"NOTELINT_OUTPUT_FORMAT": "jsno"})
    assert explicit.returncode == 1  # the command line's --format is what counts


def test_output_file_says_what_it_wrote_and_the_summary_on_stderr(tmp_path):
    make(tmp_path, {"n.md": "a \n"})
    result = run_cli("check", "--format", "json", "--output", "report.json", ".", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("notelint: wrote the json report to report.json\n"
                             "Found 1 finding in 1 file (1 fixable with `notelint fix`); 1 note checked.\n")
    assert json.loads((tmp_path / "report.json").read_text("utf-8"))[0]["rule"] == "whitespace"
    quiet = run_cli("check", "-q", "--output", "report.txt", ".", cwd=tmp_path)
    assert quiet.stderr == "" and (tmp_path / "report.txt").read_text("utf-8").startswith("n.md:1:2:")


def test_subcommand_help_pages_describe_options_and_exit_status(tmp_path):
    for command in ("check", "fix", "rules", "rule", "tags"):
        page = run_cli(command, "--help", cwd=tmp_path)
        assert page.returncode == 0
        head = page.stdout.split("\n\n")[1]  # the paragraph after the usage lines
        assert not head.startswith(("positional", "options")), f"{command} has no description"
        assert "exit status:" in page.stdout, command
    check = " ".join(run_cli("check", "--help", cwd=tmp_path).stdout.split())  # unwrapped
    assert check.count("comma-separated; names, codes, prefixes like NL4, or ALL") == 3  # select, extend-select, ignore
    assert "2 usage or configuration error" in check
    fix = run_cli("fix", "--help", cwd=tmp_path).stdout
    assert "with --check, something would change" in " ".join(fix.split())


def test_subcommand_errors_point_at_the_subcommand_help(tmp_path):
    for args, hint in ((["check", "--bogus"], "notelint check --help"), (["fix", "--format", "xml"], "notelint fix --help"),
                       (["tags", "--bogus"], "notelint tags --help"), (["frobnicate"], "notelint --help")):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2 and f"Run `{hint}` for usage." in result.stderr, (args, result.stderr)
