"""Hostile note contents through the real CLI: broken frontmatter, encodings, line endings,
huge notes, deep nesting. Each one gets a clear finding naming the file (or none, when it
is fine), never a traceback or a hang, the other notes are still checked, and `fix`
leaves the bytes of a note it cannot parse exactly as they were.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

import pytest

from helpers import TOO_SLOW_FOR_MUTATION, run_cli
from notelint.note import Note

UTF8_BOM = b"\xef\xbb\xbf"

# name -> (bytes, rule expected on it or None, (line, column) of that finding or None)
HOSTILE = {
    "empty.md": (b"", None, None),
    "dashes-only.md": (b"---", "frontmatter-syntax", (1, 1)),
    "dashes-newline.md": (b"---\n", "frontmatter-syntax", (1, 1)),
    "unterminated.md": (b"---\ntitle: never closed\ntags: [a]\n\nbody\n", "frontmatter-syntax", (1, 1)),
    "fm-list.md": (b"---\n- a\n- b\n---\nbody\n", "frontmatter-syntax", (2, 1)),
    "fm-scalar.md": (b"---\njust words\n---\nbody\n", "frontmatter-syntax", (2, 1)),
    "fm-duplicate.md": (b"---\ntitle: a\ntags: [x]\ntitle: b\n---\n", "frontmatter-syntax", (4, 1)),
    "fm-tabs.md": (b"---\nkey:\n\tchild: 1\n---\n", "frontmatter-syntax", (3, 1)),
    "binary.md": (bytes(range(256)) * 4, "unreadable-note", (1, 1)),
    "latin1.md": ("# Café\n\nnaïve\n".encode("latin-1"), "unreadable-note", (1, 6)),
    "utf16le.md": ("\ufeff# UTF-16 note\n".encode("utf-16-le"), "unreadable-note", (1, 1)),
    "utf16be.md": ("\ufeff# UTF-16 note\n".encode("utf-16-be"), "unreadable-note", (1, 1)),
    "utf16-nobom.md": ("# no BOM\n".encode("utf-16-le"), "unreadable-note", (1, 1)),
    "bom-crlf.md": (UTF8_BOM + b"---\r\ntitle: x\r\n---\r\n# T\r\n\r\ntext \r\n", "whitespace", (6, 5)),
    "lone-cr.md": (b"# T\r\rtext \rmore\r", "whitespace", (3, 5)),
    "nul-late.md": (b"# fine\n\nthen a NUL \x00 here\n", "unreadable-note", (3, 12)),
    "overlong-utf8.md": (b"# T\n\n\xc0\xaf\n", "unreadable-note", (3, 1)),
    "surrogate-utf8.md": (b"# T\n\n\xed\xa0\x80\n", "unreadable-note", (3, 1)),
}
UNPARSEABLE = [n for n, (_, rule, _) in HOSTILE.items() if rule in ("frontmatter-syntax", "unreadable-note")]


def no_crash(result) -> None:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout


def make_vault(root: Path, files: dict[str, bytes]) -> Path:
    vault = root / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text("{}")
    (vault / "zz-good.md").write_bytes(b"# Good\n\ntrailing \n")  # proves the run goes on past the others
    for name, data in files.items():
        (vault / name).write_bytes(data)
    return vault


def findings(root: Path, *args: str) -> list[dict]:
    result = run_cli("check", "--format", "json", "--select", "unreadable-note,frontmatter-syntax,whitespace",
                     *args, cwd=root)
    no_crash(result)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_every_hostile_note_gets_a_clear_finding_and_the_run_goes_on(tmp_path):
    make_vault(tmp_path, {name: data for name, (data, _, _) in HOSTILE.items()})
    found = findings(tmp_path, "vault")
    by_file: dict[str, list[dict]] = {}
    for f in found:
        by_file.setdefault(f["path"], []).append(f)
    assert [f["rule"] for f in by_file["vault/zz-good.md"]] == ["whitespace"]
    for name, (_, rule, where) in HOSTILE.items():
        got = by_file.get(f"vault/{name}", [])
        if rule is None:
            assert got == [], name
            continue
        mine = [f for f in got if f["rule"] == rule]
        assert mine, (name, got)
        assert (mine[0]["line"], mine[0]["column"]) == where, (name, mine[0])
        assert mine[0]["message"], name
        if rule != "whitespace":
            assert all(not f["fixable"] for f in got), (name, got)  # never written, so nothing is fixable


def test_messages_say_what_was_read_and_what_to_do(tmp_path):
    make_vault(tmp_path, {name: data for name, (data, _, _) in HOSTILE.items()})
    msg = {f["path"].removeprefix("vault/"): f["message"] for f in findings(tmp_path, "vault")}
    assert "Latin-1" in msg["latin1.md"] and "convert it to UTF-8" in msg["latin1.md"]
    assert "UTF-16" in msg["utf16le.md"] and "UTF-16" in msg["utf16be.md"]
    assert "UTF-16 (little-endian, without a byte-order mark)" in msg["utf16-nobom.md"]
    assert "NUL byte at byte 19" in msg["nul-late.md"]
    assert "NUL byte" in msg["binary.md"] and "binary" in msg["binary.md"]
    assert "never closed" in msg["unterminated.md"] and "add a `---` line" in msg["unterminated.md"]
    assert "a list, not a mapping" in msg["fm-list.md"]
    assert "a single value, not a mapping" in msg["fm-scalar.md"]
    assert "duplicate key `title`" in msg["fm-duplicate.md"] and "first on line 2" in msg["fm-duplicate.md"]
    assert "never changed by `notelint fix`" in msg["latin1.md"]


UTF16_BOM = "the file is UTF-16 (it starts with a UTF-16 byte-order mark); notes must be UTF-8"


def utf16(order: str) -> str:
    return (f"the file looks like UTF-16 ({order}, without a byte-order mark): every other byte is NUL; "
            "notes must be UTF-8: convert it")


def nul(at: int) -> str:
    return f"the file holds a NUL byte at byte {at}: it looks binary, not a text note"


# name -> (bytes, (line, column, message) of its unreadable-note finding, before "; the file is never changed")
UNREADABLE = {
    "utf16le-bom.md": ("\ufeff# T\n".encode("utf-16-le"), (1, 1, UTF16_BOM)),
    "utf16be-bom.md": ("\ufeff# T\n".encode("utf-16-be"), (1, 1, UTF16_BOM)),
    "utf16be-nobom.md": ("# no BOM\n".encode("utf-16-be"), (1, 1, utf16("big-endian"))),
    # 9 of 10 high bytes NUL, 1 of 10 low bytes NUL (the U+0100): still UTF-16, at the very thresholds
    "le-nine-tenths.md": ("\u0100abcdefghi".encode("utf-16-le"), (1, 1, utf16("little-endian"))),
    "be-nine-tenths.md": ("\u0100abcdefghi".encode("utf-16-be"), (1, 1, utf16("big-endian"))),
    "four-bytes.md": (b"a\x00b\x00", (1, 1, utf16("little-endian"))),  # the shortest text judged as UTF-16
    "odd-length.md": (b"a\x00b\x00\x00", (1, 1, utf16("little-endian"))),  # a last odd byte is not judged
    "three-bytes.md": (b"a\x00b", (1, 2, nul(1))),  # too short to judge: a NUL, pointed at
    "all-nul.md": (b"\x00" * 8, (1, 1, nul(0))),  # NUL on both sides: no UTF-16 text
    "utf16-then-not.md": ("abcd".encode("utf-16-le") + b"wxyz", (1, 2, nul(1))),  # judged on the whole start
    "jpeg.md": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", (1, 1, nul(4))),  # binary before the NUL: the file
    "nul-on-line-4.md": (b"a\nb\nc\nd \x00", (4, 3, nul(8))),
    "latin1-on-line-4.md": ("a\nbb\r\nc\rd\u00e9".encode("latin-1"), (4, 2, (
        "the file is not valid UTF-8 (byte 0xe9 at offset 9); it may be Latin-1 or another legacy "
        "encoding: convert it to UTF-8"))),
}


def test_unreadable_notes_get_their_exact_message_and_position(tmp_path):
    """UTF-16 with a BOM (either order), UTF-16 without one (judged on the first 512 bytes: 90% NUL
    on one side, at most 10% on the other), NUL bytes (pointed at when the text before them reads,
    else the file's start) and legacy encodings, each with its own advice and position."""
    make_vault(tmp_path, {name: data for name, (data, _) in UNREADABLE.items()})
    got = {f["path"].removeprefix("vault/"): (f["line"], f["column"], f["message"])
           for f in findings(tmp_path, "vault") if f["rule"] == "unreadable-note"}
    suffix = "; the file is never changed by `notelint fix`"
    assert got == {name: (line, column, message + suffix) for name, (_, (line, column, message)) in UNREADABLE.items()}


def test_fix_changes_no_byte_of_a_note_it_cannot_parse_and_keeps_bom_and_line_endings(tmp_path):
    vault = make_vault(tmp_path, {name: data for name, (data, _, _) in HOSTILE.items()})
    result = run_cli("fix", "vault", cwd=tmp_path)
    no_crash(result)
    assert result.returncode == 1, result.stderr
    for name in UNPARSEABLE + ["empty.md"]:
        assert (vault / name).read_bytes() == HOSTILE[name][0], name
    assert (vault / "bom-crlf.md").read_bytes() == UTF8_BOM + b"---\r\ntitle: x\r\n---\r\n# T\r\n\r\ntext\r\n"
    assert (vault / "lone-cr.md").read_bytes() == b"# T\r\rtext\rmore\r"
    assert (vault / "zz-good.md").read_bytes() == b"# Good\n\ntrailing\n"
    again = run_cli("fix", "vault", cwd=tmp_path)
    assert "Fixed 0 findings in 0 files." in again.stdout, again.stdout


@pytest.mark.parametrize("data, line", [
    (b"---\na: 1\r...\n- item  \r\n  continued #tag\n", 5),  # lone CR, then LF, in the frontmatter
    (b"---\ra: 1\r---\r\r#tag\r", 5),  # lone CR only
    (b"\xef\xbb\xbf---\r\na: 1\r\n---\r\n\r\n#tag\r\n", 5),  # BOM and CRLF
    (b"---\na: 1\r\n\r---\n#tag\n", 5),  # every kind of break in one block
])
def test_markdown_positions_after_frontmatter_with_mixed_line_breaks(data, line):
    note = Note.from_bytes(Path("n.md"), "n.md", data)
    [tag] = note.markdown.tags
    assert note.text[tag.start:tag.end] == "#tag"
    assert note.position(tag.start)[0] == line


def test_a_single_broken_note_named_on_the_command_line(tmp_path):
    make_vault(tmp_path, {name: data for name, (data, _, _) in HOSTILE.items()})
    for name in ("binary.md", "fm-duplicate.md", "utf16le.md"):
        found = findings(tmp_path, f"vault/{name}")
        assert {f["path"] for f in found} == {f"vault/{name}"}


# --------------------------------------------------------------------------- size


def _prose(size: int, seed: int = 9) -> str:
    rng = random.Random(seed)
    words = "the of and to in is vault note link image tag 研究 数据 café naïve".split()
    out, n, i = ["---", "title: big", "---", ""], 0, 0
    while n < size:
        if i % 25 == 0:
            line = f"## Section {i}"
        elif i % 25 == 24:
            line = ""
        else:
            line = " ".join(rng.choice(words) for _ in range(16))
            if i % 9 == 3:
                line += f" #tag{i % 40} [[Note {i % 200}]] [l](http://x.org/{i}) `code {i}`"
            if i % 101 == 7:
                line += " "  # a trailing space now and then: findings to report
        out.append(line)
        n += len(line.encode()) + 1
        i += 1
    return "\n".join(out) + "\n"


@pytest.mark.skipif(**TOO_SLOW_FOR_MUTATION)
@pytest.mark.parametrize("kind", ["20 MB note", "1 MB line"])
def test_huge_note_and_huge_line_finish_well_under_30_seconds(tmp_path, kind):
    if kind == "20 MB note":
        data = _prose(20_000_000).encode()
    else:
        data = ("# One line\n\n" + " ".join(["word #tag [[link]] `c`"] * 45_000) + " \n").encode()
        assert max(len(line) for line in data.split(b"\n")) >= 1_000_000
    make_vault(tmp_path, {"big.md": data})
    start = time.monotonic()
    result = run_cli("check", "--no-cache", "--format", "json", "vault", cwd=tmp_path)
    elapsed = time.monotonic() - start
    no_crash(result)
    print(f"{kind}: {len(data) / 1e6:.1f} MB checked in {elapsed:.1f} s")
    assert elapsed < 30, f"{kind} took {elapsed:.1f} s"
    found = [f for f in json.loads(result.stdout) if f["path"] == "vault/big.md"]
    trailing = [i + 1 for i, line in enumerate(data.split(b"\n")) if line.endswith(b" ")]
    assert trailing and [f["line"] for f in found if f["rule"] == "whitespace"] == trailing  # every one, in place
    if kind == "1 MB line":
        [ws] = [f for f in found if f["rule"] == "whitespace"]
        assert (ws["line"], ws["column"]) == (3, len(data.split(b"\n")[2].decode()))


# --------------------------------------------------------------------------- nesting

DEEP = 5000


def deep_notes() -> dict[str, str]:
    return {
        "deep-list-indented.md": "".join("  " * i + "- item\n" for i in range(DEEP)) + "\nafter #after-list \n",
        "deep-list-compact.md": "- " * DEEP + "x #in-list\n\nafter #after-compact \n",
        "deep-quote.md": "> " * DEEP + "x #in-quote\n\nafter #after-quote \n",
        "deep-quote-tight.md": ">" * DEEP + " x #tight\n\nafter #after-tight \n",
        "deep-mixed.md": "> - 1. " * (DEEP // 3) + "x #in-mixed\n\nafter #after-mixed \n",
        "deep-emphasis.md": "*" * DEEP + "x" + "*" * DEEP + " [" * DEEP + " #after-brackets \n",
    }


@pytest.mark.parametrize("name", sorted(deep_notes()))
def test_deep_nesting_parses_without_recursion_error_and_keeps_positions(name):
    text = deep_notes()[name]
    note = Note.from_text(text)
    doc = note.markdown  # must not raise RecursionError
    after = [t for t in doc.tags if t.name.startswith("after")]
    assert len(after) == 1, [t.name for t in doc.tags]
    line, column = note.position(after[0].start)
    last = text.rstrip("\n").split("\n")[-1]
    assert (line, column) == (len(text.rstrip("\n").split("\n")), last.index("#") + 1)
    for tag in doc.tags:  # every span points at its own text
        assert text[tag.start:tag.end] == "#" + tag.name
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(text)


@pytest.mark.skipif(**TOO_SLOW_FOR_MUTATION)
def test_deep_nesting_through_the_cli(tmp_path):
    notes = {name: text.encode() for name, text in deep_notes().items()}
    make_vault(tmp_path, notes)
    start = time.monotonic()
    found = findings(tmp_path, "vault")
    assert time.monotonic() - start < 30
    paths = {f["path"] for f in found if f["rule"] == "whitespace"}
    assert paths == {f"vault/{n}" for n in notes} | {"vault/zz-good.md"}  # the trailing space after each
    for f in found:
        if f["path"] != "vault/zz-good.md":
            text = deep_notes()[f["path"].removeprefix("vault/")]
            assert f["line"] == len(text.rstrip("\n").split("\n"))


def test_a_copy_of_the_fixtures_with_hostile_notes_added_still_fixes_the_rest(tmp_path):
    """The shared fixture vault plus every hostile note: the run goes on, broken notes stay."""
    from helpers import FIXTURES

    work = tmp_path / "v"
    shutil.copytree(FIXTURES / "obsidian-vault", work)
    for name, (data, _, _) in HOSTILE.items():
        (work / f"hostile-{name}").write_bytes(data)
    result = run_cli("fix", "v", cwd=tmp_path)
    no_crash(result)
    assert result.returncode in (0, 1)
    for name in UNPARSEABLE:
        assert (work / f"hostile-{name}").read_bytes() == HOSTILE[name][0], name


# --------------------------------------------------------------------------- many fixes


@pytest.mark.skipif(**TOO_SLOW_FOR_MUTATION)
def test_a_note_with_200000_fixes_is_fixed_in_well_under_30_seconds(tmp_path):
    """Choosing non-overlapping fixes used to compare each fix with every chosen one (n²):
    20,000 trailing spaces took 15 s, 200,000 would have taken half an hour."""
    make_vault(tmp_path, {"spaces.md": b"line \n" * 200_000, "cr.md": b"x \r" * 100_000})
    start = time.monotonic()
    result = run_cli("fix", "--no-cache", "--select", "whitespace", "vault", cwd=tmp_path)
    elapsed = time.monotonic() - start
    no_crash(result)
    print(f"200,000 + 100,000 fixes in {elapsed:.1f} s")
    assert elapsed < 30
    assert (tmp_path / "vault" / "spaces.md").read_bytes() == b"line\n" * 200_000
    assert (tmp_path / "vault" / "cr.md").read_bytes() == b"x\r" * 100_000


def test_fast_choice_of_fixes_agrees_with_the_pairwise_definition():
    from notelint import edits
    from notelint.finding import Edit, Fix

    def pairwise(fixes):
        chosen, taken = [], []
        for _, fix in sorted(fixes, key=lambda cf: (cf[1].start, cf[1].end, cf[0])):
            if all(not edits._overlap(e, t) for e in fix.edits for t in taken):
                chosen.append(fix)
                taken.extend((e.start, e.end) for e in fix.edits)
        return chosen

    rng = random.Random(3)
    for _ in range(5000):
        fixes = []
        for _ in range(rng.randint(0, 8)):
            starts = sorted(rng.sample(range(0, 40, 4), rng.randint(1, 3)))  # a fix's own edits never overlap
            fix = Fix(tuple(Edit(s, s + rng.choice([0, 0, 1, 2, 3, 6]), "x") for s in starts))
            if not edits._self_overlapping(fix):
                fixes.append((rng.choice(["NL003", "NL102", "NL201"]), fix))
        assert edits.choose(fixes) == pairwise(fixes), fixes
    broken = Fix((Edit(0, 5, "a"), Edit(3, 8, "b")))  # a rule's bug: never chosen, never a crash
    assert edits.choose([("NL999", broken)]) == []
