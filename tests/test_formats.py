"""Machine and CI output through the real CLI: fix edits in JSON, GitLab Code Quality, JUnit XML
(validated against a vendored schema), Azure and GitHub annotations (escaping read back the way
the runners read it), ruff's concise and grouped text, `--statistics` as JSON, `fix --show-fixes`,
`fix --diff --output`, and file names holding control characters."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from helpers import FIXTURES, REPO, run_cli

NOTE = "crlf 研究.md"
# BOM, CRLF, CJK: trailing whitespace after 6 CJK characters, a run of blank lines, no final newline
NOTE_BYTES = "\ufeff# 标题\r\n\r\n研究背景：数据  \t\r\n\r\n\r\n\r\nend".encode()
FIXED_BYTES = "\ufeff# 标题\r\n\r\n研究背景：数据\r\n\r\nend\r\n".encode()


def vault(tmp_path, files: dict[str, bytes | str]):
    (tmp_path / ".obsidian").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return tmp_path


def line_starts(text: str) -> list[int]:
    """Offsets where lines start; `\\r\\n`, `\\r` and `\\n` end a line (written here independently)."""
    starts, i = [0], 0
    while i < len(text):
        if text[i] == "\r":
            i += 2 if text[i + 1:i + 2] == "\n" else 1
            starts.append(i)
        elif text[i] == "\n":
            i += 1
            starts.append(i)
        else:
            i += 1
    return starts


def apply_json_edits(text: str, edits: list[dict]) -> str:
    starts = line_starts(text)

    def offset(pos):
        return starts[pos["line"] - 1] + pos["column"] - 1

    for edit in sorted(edits, key=lambda e: offset(e["start"]), reverse=True):
        text = text[:offset(edit["start"])] + edit["content"] + text[offset(edit["end"]):]
    return text


# --------------------------------------------------------------------------- JSON fix edits


def test_json_fix_edits_reproduce_what_fix_writes(tmp_path):
    root = vault(tmp_path, {NOTE: NOTE_BYTES})
    findings = json.loads(run_cli("check", "--format", "json", ".", cwd=root).stdout)
    assert [f["fix"]["applicability"] for f in findings] == ["safe"] * 3
    trailing = findings[0]["fix"]
    assert trailing["message"] == "delete `  \\t`"
    # code points: the 8th of `研究背景：数据  \t` is the first space (the 22nd byte)
    assert trailing["edits"] == [{"path": NOTE, "start": {"line": 3, "column": 8}, "end": {"line": 3, "column": 11},
                                  "content": ""}]
    edits = [e for f in findings for e in f["fix"]["edits"]]
    assert {e["path"] for e in edits} == {NOTE}
    by_json = apply_json_edits(NOTE_BYTES.decode("utf-8-sig"), edits)
    assert run_cli("fix", ".", cwd=root).returncode == 0
    assert (root / NOTE).read_bytes() == FIXED_BYTES
    assert "\ufeff".encode() + by_json.encode() == FIXED_BYTES


def test_findings_without_a_fix_carry_no_fix_and_unsafe_ones_say_so(tmp_path):
    root = vault(tmp_path, {"a.md": "see [[missing]]\n", "b.md": b"caf\xe9\n"})
    findings = json.loads(run_cli("check", "--format", "json", ".", cwd=root).stdout)
    assert findings and all("fix" not in f for f in findings)


def test_a_duplicate_images_fix_edits_the_notes_that_show_it(tmp_path):
    shutil.copytree(FIXTURES / "images-dendron", tmp_path / "v")
    findings = json.loads(run_cli("check", "--format", "json", "v", cwd=tmp_path).stdout)
    assert json.loads(run_cli("check", "--format", "json", "v", cwd=tmp_path).stdout) == findings  # from the cache
    [flow] = [f for f in findings if f["path"] == "v/assets/images/flow.png"]
    [edit] = flow["fix"]["edits"]
    assert edit["path"] == "v/root.md"
    assert "in v/root.md" in flow["fix"]["message"]
    note = (tmp_path / "v" / "root.md").read_text("utf-8")
    expected = apply_json_edits(note, [edit])
    run_cli("fix", "v", cwd=tmp_path)
    assert (tmp_path / "v" / "root.md").read_text("utf-8") == expected != note


# --------------------------------------------------------------------------- people's formats


CONCISE_VAULT = {"n.md": "a \n\n\n\nsee [[nowhere]]\n"}


def test_concise_is_ruffs_concise(tmp_path):
    root = vault(tmp_path, CONCISE_VAULT)
    out = run_cli("check", "--format", "concise", ".", cwd=root).stdout
    assert out.splitlines() == [
        "n.md:1:2: NL003 [*] trailing whitespace (1 space); remove it",
        "n.md:3:1: NL003 [*] 3 consecutive blank lines (at most 1 allowed); remove 2",
        "n.md:5:5: NL402 link `[[nowhere]]`: no note `nowhere` in the vault; create the note or correct the link",
        "Found 3 findings in 1 file (2 fixable with `notelint fix`); 1 note checked.",
    ]


def test_grouped_puts_findings_under_their_file(tmp_path):
    root = vault(tmp_path, {**CONCISE_VAULT, "sub/m.md": "x" * 9 + " \n"})
    out = run_cli("check", "--format", "grouped", ".", cwd=root).stdout
    assert out == (
        "n.md:\n"
        "  1:2 NL003 [*] trailing whitespace (1 space); remove it\n"
        "  3:1 NL003 [*] 3 consecutive blank lines (at most 1 allowed); remove 2\n"
        "  5:5 NL402 link `[[nowhere]]`: no note `nowhere` in the vault; create the note or correct the link\n"
        "\n"
        "sub/m.md:\n"
        "  1:10 NL003 [*] trailing whitespace (1 space); remove it\n"
        "\n"
        "Found 4 findings in 2 files (3 fixable with `notelint fix`); 2 notes checked.\n"
    )


def test_a_newline_or_escape_in_a_file_name_is_escaped(tmp_path):
    root = vault(tmp_path, {"bad\nname.md": "a \n", "esc\x1b[31m.md": "b \n"})
    for fmt in ("text", "concise", "grouped"):
        out = run_cli("check", "--format", fmt, ".", cwd=root).stdout
        assert "\x1b" not in out, fmt
        assert "bad\\nname.md" in out and "esc\\x1b[31m.md" in out, fmt
    text = run_cli("check", ".", cwd=root).stdout.splitlines()
    assert text[0].startswith("bad\\nname.md:1:2: NL003") and len(text) == 3  # 2 findings, 1 summary
    github = run_cli("check", "--format", "github", ".", cwd=root).stdout.splitlines()
    assert github[0].startswith("::error file=bad%0Aname.md,line=1,col=2,") and len(github) == 2
    azure = run_cli("check", "--format", "azure", ".", cwd=root).stdout.splitlines()
    assert azure[0].startswith("##vso[task.logissue type=error;sourcepath=bad%0Aname.md;") and len(azure) == 2


# --------------------------------------------------------------------------- Azure and GitHub annotations


def azure_unescape(text: str) -> str:
    """What the Azure Pipelines agent does to a property value or the message
    (`CommandStringConvertor.Unescape`, microsoft/azure-pipelines-agent)."""
    for token, replacement in ((";", "%3B"), ("\r", "%0D"), ("\n", "%0A"), ("]", "%5D")):
        text = text.replace(replacement, token)
    return text.replace("%AZP25", "%")


def parse_azure(line: str) -> tuple[dict[str, str], str]:
    assert line.startswith("##vso[task.logissue ")
    head, _, message = line[len("##vso[task.logissue "):].partition("]")
    props = dict(p.split("=", 1) for p in head.split(";") if p)
    return {k: azure_unescape(v) for k, v in props.items()}, azure_unescape(message)


def test_azure_logging_commands_read_back_exactly(tmp_path):
    name = "50% off; [draft] 100%3B.md"
    root = vault(tmp_path, {name: "see [[a;b]c%25]]\n", "w.md": "text \n"})
    out = run_cli("check", "--format", "azure", ".", cwd=root)
    assert out.returncode == 1 and out.stderr == ""
    plain = json.loads(run_cli("check", "--format", "json", ".", cwd=root).stdout)
    lines = out.stdout.splitlines()
    assert len(lines) == len(plain) == 2
    for line, f in zip(lines, plain):
        props, message = parse_azure(line)
        assert props == {"type": f["severity"], "sourcepath": f["path"], "linenumber": str(f["line"]),
                         "columnnumber": str(f["column"]), "code": f["code"]}
        assert message == f"[{f['rule']}] {f['message']}"
    assert "%AZP25" in lines[0] and "%3B" in lines[0]


def test_github_annotations_read_back_exactly(tmp_path):
    root = vault(tmp_path, {"a, b: 100%.md": "see [[x%0Ay]]\n"})
    [line] = run_cli("check", "--format", "github", ".", cwd=root).stdout.splitlines()
    head, _, message = line.partition("::")[2].partition("::")
    props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))

    def unescape(text):  # @actions/core's toCommandValue in reverse
        return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")

    assert unescape(props["file"]) == "a, b: 100%.md"
    assert unescape(message).startswith("NL402 [dangling-link] link `[[x%0Ay]]`")


# --------------------------------------------------------------------------- GitLab Code Quality

# The fields GitLab documents for a Code Quality report ("Code Quality report format",
# docs.gitlab.com/ci/testing/code_quality): an array of issues, each with these.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1},
                                             "end": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}


def test_gitlab_code_quality_report_has_the_documented_fields(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    shutil.copytree(FIXTURES / "report-obsidian", tmp_path / "v")
    result = run_cli("check", "--format", "gitlab", "v", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    issues = json.loads(result.stdout)
    jsonschema.validate(issues, GITLAB_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):  # the schema constrains: a bad severity fails
        jsonschema.validate([{**issues[0], "severity": "error"}], GITLAB_SCHEMA)
    plain = json.loads(run_cli("check", "--format", "json", "v", cwd=tmp_path).stdout)
    assert len(issues) == len(plain)
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab shows one issue per fingerprint
    for issue, f in zip(issues, plain):
        assert issue["location"]["path"] == f["path"] and (tmp_path / f["path"]).exists()
        assert issue["location"]["lines"]["begin"] == f["line"]
        assert issue["check_name"] == f["code"]
        assert issue["severity"] == {"error": "major", "warning": "minor"}[f["severity"]]


# --------------------------------------------------------------------------- JUnit XML


def junit_schema():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(REPO / "tests" / "data" / "junit-10.xsd"))


def test_junit_report_validates_against_the_junit_schema(tmp_path):
    schema = junit_schema()
    shutil.copytree(FIXTURES / "report-obsidian", tmp_path / "v")
    (tmp_path / "v" / "odd <&> \"name\".md").write_text("x \n")
    result = run_cli("check", "--format", "junit", "v", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    schema.validate(result.stdout)
    plain = json.loads(run_cli("check", "--format", "json", "v", cwd=tmp_path).stdout)
    root = ET.fromstring(result.stdout)
    cases = root.findall("./testsuite/testcase")
    assert int(root.get("failures")) == len(cases) == len(plain)
    for case, f in zip(cases, plain):
        assert case.get("classname") == f["path"]
        assert case.find("failure").get("message") == f["message"]
        assert case.find("failure").text.startswith(f"{f['path']}:{f['line']}:{f['column']}: {f['code']}")


def test_junit_report_of_a_clean_vault_is_one_passing_case(tmp_path):
    schema = junit_schema()
    root = vault(tmp_path, {"a.md": "# A\n"})
    result = run_cli("check", "--format", "junit", ".", cwd=root)
    assert result.returncode == 0
    schema.validate(result.stdout)
    xml = ET.fromstring(result.stdout)
    assert xml.get("failures") == "0" and len(xml.findall("./testsuite/testcase")) == 1


def test_junit_schema_refuses_what_it_should():
    """ruff's JUnit output puts `line` on `<testcase>`: this schema refuses that, so it constrains."""
    import xmlschema

    schema = junit_schema()
    bad = ('<testsuites><testsuite name="a" tests="1" failures="1" errors="0">'
           '<testcase name="x" line="1"/></testsuite></testsuites>')
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(bad)


# --------------------------------------------------------------------------- environment, statistics, fix reports


@pytest.mark.parametrize("fmt,check", [
    ("concise", lambda out: out.startswith("n.md:1:2: NL003 [*] ")),
    ("grouped", lambda out: out.startswith("n.md:\n  1:2 NL003 ")),
    ("azure", lambda out: out.startswith("##vso[task.logissue type=error;sourcepath=n.md;")),
    ("gitlab", lambda out: json.loads(out)[0]["check_name"] == "NL003"),
    ("junit", lambda out: ET.fromstring(out).get("failures") == "3"),
])
def test_output_format_from_the_environment(tmp_path, fmt, check):
    root = vault(tmp_path, CONCISE_VAULT)
    result = run_cli("check", ".", cwd=root, env={"NOTELINT_OUTPUT_FORMAT": fmt})
    assert result.returncode == 1 and check(result.stdout), result.stdout


def test_statistics_as_json(tmp_path):
    root = vault(tmp_path, CONCISE_VAULT)
    result = run_cli("check", "--statistics", "--format", "json", ".", cwd=root)
    assert json.loads(result.stdout) == [
        {"code": "NL003", "name": "whitespace", "count": 2, "fixable": True, "fixable_count": 2},
        {"code": "NL402", "name": "dangling-link", "count": 1, "fixable": False, "fixable_count": 0},
    ]


def test_fix_diff_goes_to_the_output_file(tmp_path):
    root = vault(tmp_path, CONCISE_VAULT)
    result = run_cli("fix", "--diff", "--output", "changes.diff", ".", cwd=root)
    assert result.returncode == 1 and result.stdout == ""
    diff = (root / "changes.diff").read_text("utf-8")
    assert diff.startswith("--- a/n.md\n+++ b/n.md\n") and "-a \n-\n-\n+a\n" in diff
    assert (root / "n.md").read_text("utf-8") == CONCISE_VAULT["n.md"]  # nothing written


def test_show_fixes_lists_fixes_per_file_and_rule(tmp_path):
    root = vault(tmp_path, {**CONCISE_VAULT, "m.md": "x \ny\t\n"})
    result = run_cli("fix", "--show-fixes", ".", cwd=root)
    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        "n.md:3:5: NL402 [dangling-link] link `[[nowhere]]`: no note `nowhere` in the vault; create the note or correct the link\n"
        "Applied 4 fixes:\n"
        "- m.md:\n"
        "    2 × NL003 (whitespace)\n"
        "- n.md:\n"
        "    2 × NL003 (whitespace)\n"
        "Fixed 4 findings in 2 files. Found 1 finding in 1 file; 2 notes checked.\n"
    )


def test_show_fixes_keeps_machine_output_parseable(tmp_path):
    root = vault(tmp_path, CONCISE_VAULT)
    dry = run_cli("fix", "--check", "--show-fixes", "--format", "json", ".", cwd=root)
    assert [f["rule"] for f in json.loads(dry.stdout)] == ["whitespace", "whitespace", "dangling-link"]
    assert "Would fix n.md" in dry.stderr and "Would apply 2 fixes:\n- n.md:\n    2 × NL003 (whitespace)" in dry.stderr
    assert (root / "n.md").read_text("utf-8") == CONCISE_VAULT["n.md"]
