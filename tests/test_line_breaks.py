"""Line breaks as the file has them: `fix` inserts the style the file uses most (CRLF on a tie with
LF, `source.dominant_newline`), keeps every break and byte it does not mean to change, and keeps a
BOM. Positions count `\\r\\n`, `\\r` and `\\n` each as one line end."""

import json

import pytest
from helpers import run_cli

BOM = b"\xef\xbb\xbf"

# bytes on disk -> (findings of `check`: line, column, message start; the bytes after `fix`)
CASES = {
    "one CRLF and one LF: a tie keeps CRLF": (
        b"# T  \r\nbody\t\nend",
        [(1, 4, "trailing whitespace"), (2, 5, "trailing whitespace"), (3, 4, "no line break at the end")],
        b"# T\r\nbody\nend\r\n"),
    "one CRLF and one CR: a tie keeps CRLF": (
        b"a\r\nb\rc",
        [(3, 2, "no line break at the end")],
        b"a\r\nb\rc\r\n"),
    "two LF and one CRLF: LF": (
        b"a \nb\r\nc\nd",
        [(1, 2, "trailing whitespace"), (4, 2, "no line break at the end")],
        b"a\nb\r\nc\nd\n"),
    "only CR": (
        b"# T \r\rtext\r\r\r\rlast",
        [(1, 4, "trailing whitespace"), (5, 1, "3 consecutive blank lines"), (7, 5, "no line break at the end")],
        b"# T\r\rtext\r\rlast\r"),
    "BOM and CRLF": (
        BOM + b"# T \r\n\r\nx\r\n\r\n\r\n",
        [(1, 4, "trailing whitespace"), (4, 1, "2 blank lines at the end")],
        BOM + b"# T\r\n\r\nx\r\n"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fix_keeps_the_files_line_breaks(tmp_path, name):
    data, expected_findings, expected_bytes = CASES[name]
    (tmp_path / ".notelint.toml").write_text('select = ["whitespace"]\n', "utf-8")
    note = tmp_path / "n.md"
    note.write_bytes(data)
    result = run_cli("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    found = [(f["line"], f["column"], f["message"]) for f in json.loads(result.stdout)]
    assert [(line, column) for line, column, _ in found] == [(line, column) for line, column, _ in expected_findings]
    assert all(message.startswith(start) for (_, _, message), (_, _, start) in zip(found, expected_findings))
    assert note.read_bytes() == data  # check writes nothing
    fixed = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert note.read_bytes() == expected_bytes
    again = run_cli("fix", "--no-cache", ".", cwd=tmp_path)  # idempotent
    assert again.returncode == 0 and note.read_bytes() == expected_bytes
