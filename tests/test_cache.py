"""The results cache: reused when nothing changed, never hiding a finding when anything did."""

import json
import os
import time
from pathlib import Path

from helpers import run_cli, write_files

from notelint import cache as cache_mod
from notelint.config import Config
from notelint.finding import Edit, Finding, Fix
from notelint.rule import Rule
from notelint.vault import Vault

PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2"
                        "2a6d6b0000000049454e44ae426082")
DIRTY = "# Note\n\ntrailing   \n"
CLEAN = "# Note\n\ntrailing\n"


def make(root: Path, files: dict[str, str | bytes], config: str = 'select = ["whitespace"]\n') -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".notelint.toml").write_text(config, "utf-8")
    return write_files(root, files)


def results_file(root: Path) -> Path:
    """The results file of the last run (the newest: notelint's source changing under a test
    would start a second one)."""
    found = sorted((root / ".notelint_cache").glob("results-*.json"), key=lambda p: p.stat().st_mtime_ns)
    assert found
    return found[-1]


def check(root: Path, *args: str):
    return run_cli("check", "--format", "json", *args, ".", cwd=root)


def rules_of(result) -> list[tuple[str, int, str, bool]]:
    return [(f["path"], f["line"], f["rule"], f["fixable"]) for f in json.loads(result.stdout)]


# --------------------------------------------------------------------------- the folder


def test_check_writes_a_git_ignored_cache_and_a_warm_run_prints_the_same(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY, "b.md": CLEAN, "sub/c.md": "x \n"})
    cold = check(root)
    assert cold.returncode == 1, cold.stderr
    folder = root / ".notelint_cache"
    assert (folder / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    data = json.loads(results_file(root).read_text("utf-8"))
    assert set(data["notes"]) == {"a.md", "b.md", "sub/c.md"}
    warm = check(root)
    assert warm.stdout == cold.stdout and warm.returncode == 1 and warm.stderr == ""
    assert rules_of(warm) == [("a.md", 3, "whitespace", True), ("sub/c.md", 1, "whitespace", True)]


def test_the_cache_is_read_and_no_cache_neither_reads_nor_writes_it(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY})
    check(root)
    path = results_file(root)
    data = json.loads(path.read_text("utf-8"))
    data["notes"]["a.md"]["f"][0][5] = "PLANTED"  # the message of the cached finding
    path.write_text(json.dumps(data), "utf-8")
    before = path.read_bytes()
    assert "PLANTED" in check(root).stdout  # the entry was used: the note's bytes did not change
    path.write_bytes(before)
    fresh = check(root, "--no-cache")
    assert "PLANTED" not in fresh.stdout and "trailing whitespace" in fresh.stdout
    assert path.read_bytes() == before
    other = make(tmp_path / "w", {"a.md": DIRTY})
    check(other, "--no-cache")
    assert not (other / ".notelint_cache").exists()


def test_check_writes_nothing_but_the_cache(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY, "b.md": CLEAN})
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    check(root)
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".notelint_cache" not in p.parts}
    assert after == before
    assert not list((root / ".notelint_cache").glob("*.tmp"))


# --------------------------------------------------------------------------- invalidation


def test_a_changed_note_is_checked_again(tmp_path):
    root = make(tmp_path / "v", {"a.md": CLEAN, "b.md": DIRTY})
    assert rules_of(check(root)) == [("b.md", 3, "whitespace", True)]
    (root / "a.md").write_text(DIRTY, "utf-8")
    (root / "b.md").write_text(CLEAN, "utf-8")
    assert rules_of(check(root)) == [("a.md", 3, "whitespace", True)]
    # the same length and the old modification time: only the content digest can tell
    stat = (root / "a.md").stat()
    (root / "a.md").write_text(DIRTY.replace("trailing   ", "trailing\t\t\t"), "utf-8")
    os.utime(root / "a.md", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "3 tabs" in check(root).stdout


def test_a_changed_config_is_a_new_key(tmp_path):
    root = make(tmp_path / "v", {"a.md": "a\n\n\nb\n"})
    assert rules_of(check(root)) == [("a.md", 3, "whitespace", True)]
    (root / ".notelint.toml").write_text('select = ["whitespace"]\n[rules.whitespace]\nmax-blank-lines = 2\n', "utf-8")
    assert check(root).stdout.strip() == "[]"
    (root / ".notelint.toml").write_text('select = ["whitespace"]\n', "utf-8")
    assert rules_of(check(root)) == [("a.md", 3, "whitespace", True)]
    assert rules_of(check(root, "--ignore", "whitespace")) == []
    # per-file-ignores are part of the key too
    (root / ".notelint.toml").write_text('select = ["whitespace"]\n[per-file-ignores]\n"a.md" = ["whitespace"]\n', "utf-8")
    assert rules_of(check(root)) == []


def test_a_note_made_read_only_is_no_longer_fixable(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY})
    assert rules_of(check(root)) == [("a.md", 3, "whitespace", True)]
    os.chmod(root / "a.md", 0o444)
    try:
        assert rules_of(check(root)) == [("a.md", 3, "whitespace", False)]
    finally:
        os.chmod(root / "a.md", 0o644)


def test_a_note_made_read_only_loses_the_fixes_of_rules_with_vault_context(tmp_path):
    """The whole-run reuse (a vault exactly as at a remembered run) keys each note by its bytes
    and whether it may be written: a `chmod` alone changes what dangling-link offers to fix."""
    root = make(tmp_path / "v", {"a.md": "See [it](other.md).\n", "Other.md": "# Other\n"},
                config='select = ["dangling-link"]\n')
    assert rules_of(check(root)) == [("a.md", 1, "dangling-link", True)]
    assert rules_of(check(root)) == [("a.md", 1, "dangling-link", True)]  # (warm: the whole run reused)
    os.chmod(root / "a.md", 0o444)
    try:
        assert rules_of(check(root)) == [("a.md", 1, "dangling-link", False)]
    finally:
        os.chmod(root / "a.md", 0o644)


def _png(color, size=(32, 32)) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def test_a_referenced_image_coming_going_and_breaking_shows_in_the_findings(tmp_path):
    config = 'select = ["dangling-image", "unreadable-image"]\n'
    root = make(tmp_path / "v", {"a.md": "# A\n\n![x](img.png)\n"}, config)
    assert [r[2] for r in rules_of(check(root))] == ["dangling-image"]
    good = _png((200, 30, 30))
    (root / "img.png").write_bytes(good)
    assert rules_of(check(root)) == []
    assert rules_of(check(root)) == []  # warm
    stat = (root / "img.png").stat()
    broken = good[:40] + b"\0" * (len(good) - 40)  # same size, and the old mtime put back
    (root / "img.png").write_bytes(broken)
    os.utime(root / "img.png", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "unreadable-image" in [r[2] for r in rules_of(check(root))]
    (root / "img.png").write_bytes(good)
    assert rules_of(check(root)) == []
    (root / "img.png").unlink()
    assert [r[2] for r in rules_of(check(root))] == ["dangling-image"]


# --------------------------------------------------------------------------- damage and odd places


def test_a_corrupt_or_foreign_cache_is_ignored_and_rebuilt(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY})
    expected = check(root).stdout
    for junk in (b"\x00\xff garbage", b"[1, 2, 3]", b'{"format": 1, "notelint": "0.0.0", "notes": {}}',
                 json.dumps({"format": 1, "notelint": "x", "key": "k", "notes": [], "assets": 5}).encode(),
                 b'{"format": 1}', b"[" * 100_000 + b"]" * 100_000):
        results_file(root).write_bytes(junk)
        result = check(root)
        assert (result.returncode, result.stdout, result.stderr) == (1, expected, "")
        assert json.loads(results_file(root).read_text("utf-8"))["notes"]["a.md"]["d"]  # rebuilt
    path = results_file(root)
    data = json.loads(path.read_text("utf-8"))
    for damaged in ([["a.md", "x"]], [["a.md", "3", 1, "whitespace", "NL003", "m", "error", None, None, None, []]],
                    [["a.md", 3, 1, "whitespace", "NL003", "m", "error", None, None, [True, [[0, "1", ""]]], []]]):
        data["notes"]["a.md"]["f"] = damaged  # a damaged entry of the right key
        path.write_text(json.dumps(data), "utf-8")
        result = check(root)
        assert (result.returncode, result.stdout, result.stderr) == (1, expected, "")


def test_a_cache_folder_that_cannot_be_written_is_skipped_silently(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY})
    (root / ".notelint_cache").write_text("not a folder", "utf-8")  # mkdir fails even for root
    result = check(root)
    assert result.returncode == 1 and result.stderr == ""
    assert rules_of(result) == [("a.md", 3, "whitespace", True)]
    assert (root / ".notelint_cache").read_text("utf-8") == "not a folder"


def test_fix_then_report_from_a_warm_cache(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY, "b.md": "b  \t\n", "c.md": CLEAN})
    check(root)
    fixed = run_cli("fix", ".", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (root / "a.md").read_text("utf-8") == CLEAN
    assert check(root).stdout.strip() == "[]"
    assert run_cli("fix", "--check", ".", cwd=root).returncode == 0


def test_deleted_notes_are_forgotten_on_a_whole_vault_run(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY, "b.md": CLEAN})
    check(root)
    (root / "b.md").unlink()
    run_cli("check", "a.md", cwd=root)  # a partial run keeps what it did not look at
    check(root)
    assert set(json.loads(results_file(root).read_text("utf-8"))["notes"]) == {"a.md"}


# --------------------------------------------------------------------------- units


class _Dummy(Rule):
    name = "dummy"
    code = "NL999"


def test_run_key_covers_settings_flavor_and_per_file_ignores(tmp_path):
    vault = Vault(tmp_path, "obsidian", Config())
    base = cache_mod.run_key(vault, [_Dummy()])
    assert cache_mod.run_key(vault, [_Dummy()]) == base
    assert cache_mod.run_key(vault, [_Dummy({"x": 1})]) != base
    assert cache_mod.run_key(Vault(tmp_path, "dendron", Config()), [_Dummy()]) != base
    assert cache_mod.run_key(Vault(tmp_path, "obsidian", Config(per_file_ignores={"a": ["b"]})), [_Dummy()]) != base
    assert cache_mod.run_key(vault, []) != base


def test_findings_survive_the_json_round_trip():
    f = Finding("n/ote.md", 3, 4, "whitespace", "NL003", "m \udcff 图", "warning", 3, 9,
                Fix((Edit(1, 2, ""), Edit(5, 5, "\r\n")), safe=False), ["x.png"])
    row = json.loads(json.dumps(cache_mod.dump_finding(f), ensure_ascii=True))
    assert cache_mod.load_finding(row) == f


def test_an_image_fact_is_trusted_only_while_the_file_is_unchanged(tmp_path):
    img = tmp_path / "i.png"
    img.write_bytes(b"one")
    c = cache_mod.ResultsCache(tmp_path, "k")
    c.put_asset_fact("i.png", c.asset_before(img), "size", 3)
    assert c.asset_fact("i.png", img, "size") == (True, 3)
    assert c.asset_fact("i.png", img, "other") == (False, None)
    stat = img.stat()
    img.write_bytes(b"two")  # same size, mtime put back: ctime (or the racy digest) tells
    os.utime(img, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert c.asset_fact("i.png", img, "size") == (False, None)
    assert c.save()
    again = cache_mod.ResultsCache(tmp_path, "k")
    assert again.assets["i.png"]["x"] == {"size": 3}
    assert cache_mod.ResultsCache(tmp_path, "other-key").assets == {}


def test_an_old_image_entry_is_trusted_without_reading_the_file(tmp_path, monkeypatch):
    img = tmp_path / "i.png"
    img.write_bytes(b"one")
    old = img.stat().st_mtime_ns - 10 * cache_mod.RACY_NS
    os.utime(img, ns=(old, old))
    c = cache_mod.ResultsCache(tmp_path, "k")
    monkeypatch.setattr(cache_mod, "RACY_NS", -10**19)  # ctime is now: pretend it is old too
    before = c.asset_before(img)
    assert before[1] == ""  # not racy: no digest kept
    c.put_asset_fact("i.png", before, "size", 3)
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(AssertionError("read")))
    assert c.asset_fact("i.png", img, "size") == (True, 3)


# --------------------------------------------------------------------------- every fixture vault, every rule


def _fixture_vaults():
    from helpers import FIXTURES

    markers = ("dendron.yml", ".obsidian", ".notelint.toml")
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir() and any((p / m).exists() for m in markers))


def test_cold_warm_and_parallel_runs_agree_on_every_fixture_vault(tmp_path):
    """Whatever rules exist: no cache, an empty cache, a warm cache, and workers print the same."""
    import shutil

    forked = {"NOTELINT_JOBS": "2", "NOTELINT_PARALLEL_MIN": "1"}
    for source in _fixture_vaults():
        root = tmp_path / source.name
        shutil.copytree(source, root, ignore=shutil.ignore_patterns(".notelint_cache"))
        plain = run_cli("check", "--no-cache", "--format", "json", ".", cwd=root, env={"NOTELINT_JOBS": "1"})
        runs = [run_cli("check", "--format", "json", ".", cwd=root, env=forked),  # fills the cache
                run_cli("check", "--format", "json", ".", cwd=root, env=forked),  # warm
                run_cli("check", "--format", "json", ".", cwd=root, env={"NOTELINT_JOBS": "1"})]
        for run in runs:
            assert (run.returncode, run.stdout, run.stderr) == (plain.returncode, plain.stdout, plain.stderr), source.name


# --------------------------------------------------------------------------- rules with vault context


def test_a_finding_on_an_unchanged_note_follows_the_rest_of_the_vault(tmp_path):
    """a.md never changes; whether its link dangles depends on another file."""
    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [[b]].\n", "b.md": "# B\n"}, 'select = ["dangling-link"]\n')
    assert rules_of(check(root)) == []
    assert rules_of(check(root)) == []  # warm: the whole run came from the cache
    (root / "b.md").unlink()
    assert rules_of(check(root)) == [("a.md", 3, "dangling-link", False)]
    assert rules_of(check(root)) == [("a.md", 3, "dangling-link", False)]
    (root / "b.md").write_text("# B\n", "utf-8")
    assert rules_of(check(root)) == []
    (root / "c.md").write_text("# C\n", "utf-8")  # a new note: a new vault state, same findings
    assert rules_of(check(root)) == []


def test_an_unchanged_vault_is_not_prepared_again(tmp_path, monkeypatch):
    from notelint import cli, registry

    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [[b]] \n", "b.md": "# B\n"},
                'select = ["dangling-link", "whitespace"]\n')
    monkeypatch.chdir(root)
    monkeypatch.setenv("NOTELINT_JOBS", "1")
    rule = registry.lookup("dangling-link")
    calls = []
    real = rule.prepare
    monkeypatch.setattr(rule, "prepare", lambda self, ws: calls.append(1) or real(self, ws))
    assert cli.main(["check", "-q", "."]) == 1
    assert calls == [1]
    assert cli.main(["check", "-q", "."]) == 1
    assert calls == [1], "the second run re-prepared an unchanged vault"
    (root / "b.md").write_text("# B changed\n", "utf-8")
    assert cli.main(["check", "-q", "."]) == 1
    assert calls == [1, 1]
    assert cli.main(["fix", "-q", "."]) == 0  # fix always prepares (its fixes need the context)
    assert len(calls) >= 3


def _bmp(color) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(buf, "BMP")  # uncompressed: every such file has one size
    return buf.getvalue()


def test_an_image_rewritten_in_place_with_its_old_mtime_is_hashed_again(tmp_path):
    """`cp -p`, `rsync -t` and archive tools keep the modification time; ctime still changes."""
    config = 'select = ["duplicate-image"]\n'
    root = make(tmp_path / "v", {"a.md": "![a](red.bmp)\n![b](blue.bmp)\n"}, config)
    (root / "red.bmp").write_bytes(_bmp((255, 0, 0)))
    (root / "blue.bmp").write_bytes(_bmp((0, 0, 255)))
    assert rules_of(check(root)) == []
    stat = (root / "blue.bmp").stat()
    (root / "blue.bmp").write_bytes((root / "red.bmp").read_bytes())  # now a byte copy of red.bmp
    os.utime(root / "blue.bmp", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "duplicate-image" in [r[2] for r in rules_of(check(root))]


def test_the_options_of_a_rule_not_selected_are_part_of_the_key(tmp_path):
    """section-label reads required-sections' schemas even when only it is selected."""
    vault = Vault(tmp_path, "obsidian", Config())
    other = Vault(tmp_path, "obsidian", Config(rule_settings={"required-sections": {"schemas": [{"paths": ["*"]}]}}))
    assert cache_mod.run_key(vault, [_Dummy()]) != cache_mod.run_key(other, [_Dummy()])


def test_a_file_outside_the_walk_appearing_or_going_changes_the_findings(tmp_path):
    """An excluded note is not walked, but a link to it resolves while the file exists."""
    config = 'select = ["dangling-link"]\nexclude = ["archive/**"]\n'
    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [old](archive/old.md).\n", "archive/old.md": "# Old\n"}, config)
    first = rules_of(check(root))
    (root / "archive" / "old.md").unlink()
    second = rules_of(check(root))
    assert first == [] and second == [("a.md", 3, "dangling-link", False)]
    (root / "archive" / "old.md").write_text("# Old\n", "utf-8")
    assert rules_of(check(root)) == first == rules_of(check(root, "--no-cache"))


def test_facts_and_findings_of_one_note_share_its_entry(tmp_path):
    c = cache_mod.ResultsCache(tmp_path, "k")
    c.put_note_fact("a.md", "d1", "ids", ["x"])
    c.put_findings("a.md", "d1", False, [])
    assert c.note_fact("a.md", "d1", "ids") == (True, ["x"])
    c.put_findings("a.md", "d1", True, [])  # made read-only: the facts of the same bytes stay
    assert c.note_fact("a.md", "d1", "ids") == (True, ["x"])
    assert c.findings("a.md", "d1", True) == [] and c.findings("a.md", "d1", False) is None
    c.put_findings("a.md", "d2", False, [])  # new bytes: a new entry
    assert c.note_fact("a.md", "d2", "ids") == (False, None)


def test_the_vault_state_is_stable_and_a_fresh_image_is_never_remembered(tmp_path):
    from notelint import engine

    root = make(tmp_path / "v", {"a.md": "![i](i.png)\n"}, 'select = ["dangling-image"]\n')
    (root / "i.png").write_bytes(_png((1, 2, 3)))
    old = (root / "i.png").stat().st_mtime_ns - 10 * cache_mod.RACY_NS
    os.utime(root / "i.png", ns=(old, old))

    def state():
        return engine.prepare([str(root)], engine.RunOptions())[0][0].cache.state

    # ctime cannot be set back: pretend "now" is far ahead so the image is not fresh
    real = cache_mod.time.time_ns
    cache_mod.time.time_ns = lambda: real() + 10 * cache_mod.RACY_NS
    try:
        first, second = state(), state()
    finally:
        cache_mod.time.time_ns = real
    assert first is not None and first == second
    assert state() is None  # the image's ctime is within the last two seconds: not remembered


def test_a_damaged_whole_run_entry_is_a_miss(tmp_path):
    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [[b]].\n"}, 'select = ["dangling-link"]\n')
    expected = check(root)
    path = results_file(root)
    data = json.loads(path.read_text("utf-8"))
    (state, entry), = data["vault"].items()
    for damaged in ({"notes": {"a.md": [["bad"]]}, "vault": [], "warnings": []},
                    {"notes": {}, "vault": [["a.md", 1, 1, "x", "NL0", "m", "error", None, None, None, [7]]]},
                    {"notes": {"a.md": []}, "vault": [], "warnings": [3]}, "not an entry"):
        data["vault"] = {state: damaged}
        path.write_text(json.dumps(data), "utf-8")
        result = check(root)
        assert (result.returncode, result.stdout, result.stderr) == (expected.returncode, expected.stdout, "")


def test_an_unchanged_note_is_not_read_again_and_a_rewritten_one_is(tmp_path, monkeypatch):
    from notelint import checking, engine

    root = make(tmp_path / "v", {"a.md": DIRTY, "b.md": CLEAN})
    old = (root / "a.md").stat().st_mtime_ns - 10 * cache_mod.RACY_NS
    for name in ("a.md", "b.md"):
        os.utime(root / name, ns=(old, old))
    real = cache_mod.time.time_ns
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: real() + 10 * cache_mod.RACY_NS)  # ctimes look old
    monkeypatch.setenv("NOTELINT_JOBS", "1")

    def run(note_reads):
        ws = engine.prepare([str(root)], engine.RunOptions(select=["whitespace"]))[0][0]
        read = []
        monkeypatch.setattr(checking, "load_note", lambda vault, rel, _real=checking.load_note: read.append(rel) or _real(vault, rel))
        found = [(f.path, f.line) for f in engine.check(ws)]
        monkeypatch.undo()
        monkeypatch.setattr(cache_mod.time, "time_ns", lambda: real() + 10 * cache_mod.RACY_NS)
        monkeypatch.setenv("NOTELINT_JOBS", "1")
        assert sorted(read) == note_reads
        return found

    assert run(["a.md", "b.md"]) == [("a.md", 3)]
    assert run([]) == [("a.md", 3)]  # only stat: both notes are as they were read
    (root / "b.md").write_text(DIRTY, "utf-8")  # same size as before? no matter: ctime moved
    os.utime(root / "b.md", ns=(old, old))
    assert run(["b.md"]) == [("a.md", 3), ("b.md", 3)]


def test_notes_with_a_clock_dependent_finding_are_never_served_from_the_cache(tmp_path):
    """"More than a day in the future" reads the clock: a note with such a finding is checked
    again on every run (the finding disappears once the date has come), while a note without
    one keeps its cached results (a date that is not in the future now never will be)."""
    future = 4102444800000  # 2100-01-01
    fm = "---\nid: omjodjubwiwpch2g5i4o0wo\ntitle: A\ndesc: ''\nupdated: {}\ncreated: 1701259204127\n---\n"
    root = make(tmp_path / "v", {"future.md": fm.format(future), "fine.md": fm.format(1701277053723)},
                'flavor = "dendron"\nselect = ["frontmatter-timestamps"]\n')
    assert rules_of(check(root)) == [("future.md", 5, "frontmatter-timestamps", False)]
    stored = {}
    for path in (root / ".notelint_cache").glob("results-*.json"):
        stored.update(json.loads(path.read_text("utf-8"))["notes"])
    assert "f" in stored["fine.md"], "a note without clock-dependent findings is cached"
    assert "f" not in stored.get("future.md", {}), "a future date must be checked again next run"


def test_frontmatter_timestamps_filling_from_mtime_is_never_cached():
    from notelint.rules.frontmatter_timestamps import FrontmatterTimestamps

    assert not cache_mod.is_cacheable(FrontmatterTimestamps({"fill-missing": "mtime"}, "dendron"))
    assert cache_mod.is_cacheable(FrontmatterTimestamps({"fill-missing": "git"}, "dendron"))


def test_a_future_timestamp_checked_warm_is_reported_as_cold(tmp_path):
    """The cached run reports the same clock-dependent findings as `--no-cache`."""
    future = 4102444800000  # 2100-01-01
    text = f"---\nid: omjodjubwiwpch2g5i4o0wo\ntitle: A\ndesc: ''\nupdated: {future}\ncreated: 1701259204127\n---\n"
    root = make(tmp_path / "v", {"a.md": text}, 'flavor = "dendron"\nselect = ["frontmatter-timestamps"]\n')
    cold = rules_of(check(root, "--no-cache"))
    assert cold == [("a.md", 5, "frontmatter-timestamps", False)]
    assert rules_of(check(root)) == cold == rules_of(check(root))


# --------------------------------------------------------------------------- what the run key is made of


def _key(tmp_path: Path, rules=None, config: Config | None = None) -> str:
    return cache_mod.run_key(Vault(tmp_path, "obsidian", config or Config()), rules if rules is not None else [_Dummy()])


def test_a_parser_upgraded_installed_or_removed_names_another_results_file(tmp_path, monkeypatch):
    """The findings depend on the YAML and Markdown parsers (pyromark parses, markdown-it renders
    for the suppression fixes): a results file of another parser version must not be read, whether
    the parser was imported before the key was made or not."""
    import sys
    import types

    base = _key(tmp_path)
    for name in ("yaml", "markdown_it", "pyromark"):
        with monkeypatch.context() as m:
            fake = types.ModuleType(name)
            fake.__version__ = "99.0"
            m.setitem(sys.modules, name, fake)  # imported already, at another version
            upgraded = _key(tmp_path)
            fake.__version__ = "99.1"
            assert _key(tmp_path) not in (upgraded, base)
            del fake.__version__  # a parser that does not say its version: a key all the same
            unversioned = _key(tmp_path)
            assert unversioned not in (upgraded, base)
        assert upgraded != base
        assert _key(tmp_path) == base
        with monkeypatch.context() as m:  # not imported yet: imported to read its version
            folder = tmp_path / f"site-{name}"
            folder.mkdir()
            (folder / f"{name}.py").write_text('__version__ = "98.0"\n', "utf-8")
            m.syspath_prepend(str(folder))
            m.delitem(sys.modules, name, raising=False)  # markdown_it is imported only to render
            assert _key(tmp_path) not in (upgraded, base, unversioned)
        with monkeypatch.context() as m:  # not installed: still a key, and the other parser's version counts
            m.setitem(sys.modules, name, None)  # `import` raises ImportError
            missing = _key(tmp_path)
            assert missing != base
            other = "markdown_it" if name == "yaml" else "yaml"
            fake = types.ModuleType(other)
            fake.__version__ = "97.0"
            m.setitem(sys.modules, other, fake)
            assert _key(tmp_path) != missing
    assert _key(tmp_path) == base


def test_the_tz_variable_is_part_of_the_key_even_between_zones_of_the_same_names(tmp_path, monkeypatch):
    """Berlin and Paris share `CET`/`CEST` and today's offsets, not their history: a naive date
    read in `local` time can differ, so `TZ` itself is in the key."""
    import time

    keys = []
    try:
        for zone in ("Europe/Berlin", "Europe/Paris"):
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            keys.append((list(time.tzname), time.timezone, _key(tmp_path)))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert keys[0][:2] == keys[1][:2] and keys[0][2] != keys[1][2]


def test_settings_that_are_not_plain_json_still_make_a_key(tmp_path):
    """A TOML date in a rule's options, a non-UTF-8 name given to --exclude: the key is made,
    and tells them apart."""
    import datetime

    first = _key(tmp_path, [_Dummy({"since": datetime.date(2024, 1, 1)})])
    assert first != _key(tmp_path, [_Dummy({"since": datetime.date(2024, 1, 2)})])
    odd = _key(tmp_path, config=Config(exclude=["\udcff.md"]))
    assert odd != _key(tmp_path, config=Config(exclude=["\udcfe.md"])) and odd != _key(tmp_path)


def test_a_fix_run_has_a_key_of_its_own(tmp_path):
    """Rules may find otherwise when fixing (`Rule.fixing`): a check's results are not a fix's."""
    fixing = _Dummy()
    fixing.fixing = True
    assert _key(tmp_path, [fixing]) != _key(tmp_path, [_Dummy()])


def test_a_rule_declared_cacheable_is_cached_only_if_it_checks_single_notes():
    class Prepared(_Dummy):
        cacheable = True

        def prepare(self, ws):  # reads only the config
            return []

    class WholeVault(Prepared):
        scope = "vault"

    class Never(_Dummy):
        cacheable = False

    assert cache_mod.is_cacheable(Prepared())
    assert not cache_mod.is_cacheable(WholeVault())
    assert not cache_mod.is_cacheable(Never())
    assert cache_mod.is_cacheable(_Dummy())


def test_an_edit_of_another_file_survives_the_json_round_trip():
    f = Finding("a.md", 1, 1, "x", "NL999", "m", "warning", None, None,
                Fix((Edit(0, 1, "y"), Edit(3, 4, "z", "other/b.md")), safe=True), [])
    row = json.loads(json.dumps(cache_mod.dump_finding(f)))
    assert cache_mod.load_finding(row) == f
    assert cache_mod.load_finding(row).fix.edits[1].path == "other/b.md"


# --------------------------------------------------------------------------- the folder's own files


def test_the_cache_folder_is_tagged_for_backup_tools_and_ignored_by_git(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY})
    check(root)
    folder = root / ".notelint_cache"
    assert (folder / "CACHEDIR.TAG").read_bytes() == b"Signature: 8a477f597d28d172789f06886806bc55\n# notelint cache\n"
    assert (folder / ".gitignore").read_bytes() == b"*\n"
    kept = ("results-", "facts-")  # (the note facts' file: a run that asked for a fact)
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(kept)) == [".gitignore", "CACHEDIR.TAG"]


def test_only_the_newest_results_files_are_kept_and_stale_temporary_files_go(tmp_path):
    import time

    root = make(tmp_path / "v", {"a.md": DIRTY})
    check(root)
    current = results_file(root)
    folder = root / ".notelint_cache"
    now = time.time_ns()
    # ten other configurations' files, named so that name order is not age order
    for i in range(10):
        old = folder / f"results-{'z' if i % 2 else '0'}{i:02d}.json"
        old.write_text("{}", "utf-8")
        os.utime(old, ns=(now - (i + 2) * 10**9, now - (i + 2) * 10**9))  # 00 newest, 09 oldest
    stale, fresh = folder / f".results-old.json{cache_mod.TMP_SUFFIX}", folder / f".results-new.json{cache_mod.TMP_SUFFIX}"
    stale.write_text("", "utf-8")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    fresh.write_text("", "utf-8")  # another run writing now
    (root / "a.md").write_text(CLEAN, "utf-8")
    check(root)
    assert current.exists()
    kept = sorted(p.name for p in folder.glob("results-*.json") if p != current)
    assert kept == ["results-000.json", "results-002.json", "results-004.json", "results-006.json",
                    "results-z01.json", "results-z03.json", "results-z05.json"]
    assert not stale.exists() and fresh.exists()


# --------------------------------------------------------------------------- damaged entries


def _plant(root: Path, edit) -> None:
    path = results_file(root)
    data = json.loads(path.read_text("utf-8"))
    edit(data)
    path.write_text(json.dumps(data), "utf-8")


def test_a_damaged_cached_fix_is_a_miss(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY})
    expected = check(root)
    edit = [0, 1, ""]
    for fix in ([True, []], [True, [edit, [1]]], [True, [edit, "abc"]], ["yes", [edit]], [1, [edit]]):
        def damage(data, fix=fix):
            data["notes"]["a.md"]["f"][0][5] = "PLANTED"
            data["notes"]["a.md"]["f"][0][9] = fix
        _plant(root, damage)
        result = check(root)
        assert (result.returncode, result.stdout, result.stderr) == (1, expected.stdout, ""), fix


def test_a_note_entry_with_damaged_facts_is_rebuilt(tmp_path):
    root = make(tmp_path / "v", {"a.md": DIRTY})
    expected = check(root)
    for facts in (5, None, [1]):
        def damage(data, facts=facts):
            entry = data["notes"]["a.md"]
            del entry["f"]  # a miss: the note is checked and its facts stored again
            entry["x"] = facts
        _plant(root, damage)
        result = check(root)
        assert (result.returncode, result.stdout, result.stderr) == (1, expected.stdout, ""), facts
        assert isinstance(json.loads(results_file(root).read_text("utf-8"))["notes"]["a.md"]["x"], dict)


def test_a_whole_run_entry_without_warnings_or_with_findings_is_used(tmp_path, monkeypatch):
    from notelint import cli, registry

    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [[b]] and [[gone]].\n", "b.md": "# B\n"}, 'select = ["dangling-link"]\n')
    monkeypatch.chdir(root)
    monkeypatch.setenv("NOTELINT_JOBS", "1")
    rule = registry.lookup("dangling-link")
    calls = []
    real = rule.prepare
    monkeypatch.setattr(rule, "prepare", lambda self, ws: calls.append(1) or real(self, ws))
    assert cli.main(["check", "-q", "."]) == 1
    assert cli.main(["check", "-q", "."]) == 1
    assert calls == [1], "an unchanged vault with a finding was prepared again"

    def no_warnings(data):
        for entry in data["vault"].values():
            entry.pop("warnings")
    _plant(root, no_warnings)  # (an older notelint's entry)
    assert cli.main(["check", "-q", "."]) == 1
    assert calls == [1]


def test_the_warnings_of_rules_with_vault_context_are_printed_on_warm_runs_too(tmp_path):
    config = 'select = ["frontmatter-fields"]\n[[rules.frontmatter-fields.require]]\npaths = ["nowhere/*"]\nkeys = ["title"]\n'
    root = make(tmp_path / "v", {"a.md": "# A\n"}, config)
    cold = run_cli("check", "--no-cache", ".", cwd=root)
    assert "matches no note" in cold.stderr
    first, warm = run_cli("check", ".", cwd=root), run_cli("check", ".", cwd=root)
    for run in (first, warm):
        assert (run.returncode, run.stdout, run.stderr) == (cold.returncode, cold.stdout, cold.stderr)


def test_a_whole_run_entry_missing_a_checked_note_is_recomputed(tmp_path):
    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [[gone]].\n", "b.md": "# B\n"}, 'select = ["dangling-link"]\n')
    expected = check(root)
    assert rules_of(expected) == [("a.md", 3, "dangling-link", False)]

    def forget_a(data):
        for entry in data["vault"].values():
            del entry["notes"]["a.md"]
    _plant(root, forget_a)
    result = check(root)
    assert (result.returncode, result.stdout, result.stderr) == (1, expected.stdout, "")
    assert check(root).stdout == expected.stdout


# --------------------------------------------------------------------------- the cache's tables


def test_what_the_cache_learns_is_written_and_read_back(tmp_path):
    """Each kind of entry alone makes the cache write itself; a new cache of the same key reads it."""
    def reopened():
        return cache_mod.ResultsCache(tmp_path, "k")

    c = reopened()
    assert c.save() and not (tmp_path / ".notelint_cache").exists()  # nothing learnt: nothing written
    c.put_findings("a.md", "d1", False, [])
    assert c.save()
    assert reopened().findings("a.md", "d1", False) == []
    c = reopened()
    c.put_note_fact("b.md", "d2", "ids", ["x"])
    assert c.save()
    assert reopened().note_fact("b.md", "d2", "ids") == (True, ["x"])
    c = reopened()
    old = time.time_ns() - 10 * cache_mod.RACY_NS
    c.remember_digest("c.md", [1, old, old, 7], "d3", True)
    assert c.save()
    assert reopened().known_digest("c.md", [1, old, old, 7]) == ("d3", True)


def test_facts_of_several_kinds_about_one_file_are_all_kept(tmp_path):
    img = tmp_path / "i.png"
    img.write_bytes(b"one")  # just written: its entry keeps the digest of its bytes
    c = cache_mod.ResultsCache(tmp_path, "k")
    c.put_note_fact("a.md", "d1", "ids", ["x"])
    c.put_note_fact("a.md", "d1", "tags", ["t"])
    assert (c.note_fact("a.md", "d1", "ids"), c.note_fact("a.md", "d1", "tags")) == ((True, ["x"]), (True, ["t"]))
    before = c.asset_before(img)
    assert before[1]  # racy
    c.put_asset_fact("i.png", before, "size", 3)
    c.put_asset_fact("i.png", c.asset_before(img), "sig", "s")
    assert (c.asset_fact("i.png", img, "size"), c.asset_fact("i.png", img, "sig")) == ((True, 3), (True, "s"))


def test_an_image_fact_follows_the_image_on_a_file_system_with_coarse_timestamps(tmp_path, monkeypatch):
    """Where timestamps tick once a second, an image rewritten within the tick keeps its whole
    stat signature: the digest kept for a fresh image is what tells."""
    img = tmp_path / "i.png"
    img.write_bytes(b"one")
    tick = time.time_ns()
    signature = [3, tick, tick, 1]
    monkeypatch.setattr(cache_mod, "stat_signature", lambda path: list(signature))
    c = cache_mod.ResultsCache(tmp_path, "k")
    c.put_asset_fact("i.png", c.asset_before(img), "size", 3)
    assert c.asset_fact("i.png", img, "size") == (True, 3)
    img.write_bytes(b"two")  # same size, same tick
    assert c.asset_fact("i.png", img, "size") == (False, None)
    img.unlink()
    assert c.asset_fact("i.png", img, "size") == (False, None)
    # an old image changed since (a new signature, nothing racy): its new fact replaces the old entry
    old = [3, 1, 1, 1]
    c.put_asset_fact("j.png", (old, ""), "size", 3)
    signature[:] = [4, 2, 2, 1]
    c.put_asset_fact("j.png", (list(signature), ""), "size", 4)
    assert c.asset_fact("j.png", tmp_path / "j.png", "size") == (True, 4)


def test_an_image_that_cannot_be_read_has_no_signature(tmp_path, monkeypatch):
    img = tmp_path / "i.png"
    img.write_bytes(b"one")  # fresh: its bytes would be digested
    c = cache_mod.ResultsCache(tmp_path, "k")
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(PermissionError(13, "denied")))
    before = c.asset_before(img)
    assert before[0] is None
    c.put_asset_fact("i.png", before, "size", 3)
    assert c.assets == {} and not c.dirty


def test_whole_run_results_keep_the_most_recently_stored_vault_states(tmp_path, monkeypatch):
    clock = iter(range(1, 100))
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: next(clock))
    c = cache_mod.ResultsCache(tmp_path, "k")
    c.vault = {"junk": "not an entry", "old": {"notes": {}, "vault": []}}  # damaged, and without a time
    for state in ("d", "c", "b"):
        c.put_vault_results(state, ["w"], {}, [])
    assert set(c.vault) == {"d", "c", "b"}
    c.put_vault_results("d", [], {}, [])  # stored again (its entry was damaged): the newest now
    c.put_vault_results("a", [], {}, [])
    assert set(c.vault) == {"b", "d", "a"}
    assert c.vault_results("b") == {"t": 3, "warnings": ["w"], "notes": {}, "vault": []}


# --------------------------------------------------------------------------- notes read or not


def _reads(root: Path, monkeypatch, *args: str) -> list[str]:
    """The notes a warm `check` run in this process reads from disk."""
    from notelint import checking, cli

    read = []
    with monkeypatch.context() as m:
        m.chdir(root)
        m.setenv("NOTELINT_JOBS", "1")
        m.setattr(checking, "load_note", lambda vault, rel, _real=checking.load_note: read.append(rel) or _real(vault, rel))
        assert cli.main(["check", "-q", *args, "."]) in (0, 1)
    return sorted(read)


def test_a_note_changed_in_the_last_two_seconds_is_read_again_next_run(tmp_path, monkeypatch):
    """Its ctime is recent even if its mtime was put back: a later write in the same tick could
    leave its stat signature as it is, so its digest is not remembered."""
    root = make(tmp_path / "v", {"a.md": DIRTY, "b.md": CLEAN})
    old = time.time_ns() - 10 * cache_mod.RACY_NS
    os.utime(root / "a.md", ns=(old, old))
    written = (root / "a.md").stat().st_ctime_ns
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: written + 10**9)  # a second after (however slow the test)
    assert _reads(root, monkeypatch) == ["a.md", "b.md"]
    assert _reads(root, monkeypatch) == ["a.md", "b.md"]


def test_digests_learnt_on_an_otherwise_warm_run_are_kept(tmp_path, monkeypatch):
    root = make(tmp_path / "v", {"a.md": DIRTY, "b.md": CLEAN, "empty.md": ""})
    written = max((root / name).stat().st_ctime_ns for name in ("a.md", "b.md", "empty.md"))
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: written + 10**9)  # a second after (however slow the test)
    assert _reads(root, monkeypatch) == ["a.md", "b.md", "empty.md"]  # fresh files: findings cached, digests not
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: written + 10 * cache_mod.RACY_NS)  # now they are old
    assert _reads(root, monkeypatch) == ["a.md", "b.md", "empty.md"]  # findings from the cache; digests remembered
    path = results_file(root)
    written = (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
    assert _reads(root, monkeypatch) == []
    assert (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes()) == written  # nothing new: not rewritten


def test_an_unreadable_note_that_becomes_an_empty_one_is_checked_again(tmp_path):
    root = make(tmp_path / "v", {"b.md": CLEAN}, 'select = ["unreadable-note", "whitespace"]\n')
    os.mkfifo(root / "a.md")
    assert [r[2] for r in rules_of(check(root))] == ["unreadable-note"]
    assert [r[2] for r in rules_of(check(root))] == ["unreadable-note"]
    (root / "a.md").unlink()
    (root / "a.md").write_bytes(b"")
    assert rules_of(check(root)) == [] == rules_of(check(root, "--no-cache"))


# --------------------------------------------------------------------------- the vault state


def test_a_linked_file_that_is_neither_note_nor_image_going_is_seen(tmp_path):
    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [doc](doc.pdf).\n", "doc.pdf": "%PDF"}, 'select = ["dangling-link"]\n')
    assert rules_of(check(root)) == [] == rules_of(check(root))
    (root / "doc.pdf").unlink()
    assert rules_of(check(root)) == [("a.md", 3, "dangling-link", False)] == rules_of(check(root, "--no-cache"))


def test_notes_and_images_with_names_that_are_not_utf8_are_cached(tmp_path, monkeypatch):
    from notelint import cli

    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [[gone]].\n"}, 'select = ["dangling-link", "whitespace"]\n')
    os.makedirs(os.fsencode(root) + b"/d\xff")
    Path(os.fsdecode(os.fsencode(root) + b"/d\xff/n\xfe.md")).write_bytes(b"# N \n")
    Path(os.fsdecode(os.fsencode(root) + b"/\xff.png")).write_bytes(PNG_1PX)
    real = time.time_ns
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: real() + 10 * cache_mod.RACY_NS)  # the image is not fresh
    monkeypatch.chdir(root)
    monkeypatch.setenv("NOTELINT_JOBS", "1")
    runs = []
    for args in (["--no-cache"], [], []):
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = cli.main(["check", "--format", "json", *args, "."])
        runs.append((code, [(f["path"], f["rule"]) for f in json.loads(out.getvalue())]))
    assert runs[0] == (1, [("a.md", "dangling-link"), ("d\udcff/n\udcfe.md", "whitespace")])
    assert runs[1] == runs[0] == runs[2]
    data = json.loads(results_file(root).read_text("utf-8"))
    assert data["vault"]  # the vault state was made (every name hashed) and its results kept


def test_files_named_on_the_command_line_with_rules_of_vault_context(tmp_path):
    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [[gone]].\n", "b.md": "# B\n\n[[gone]]\n"}, 'select = ["dangling-link"]\n')
    expected = [("a.md", 3, "dangling-link", False)]
    for _ in range(2):
        result = run_cli("check", "--format", "json", "a.md", cwd=root)
        assert (result.returncode, rules_of(result), result.stderr) == (1, expected, "")


def test_a_vault_checked_from_another_folder_is_not_prepared_again(tmp_path, monkeypatch):
    from notelint import cli, registry

    root = make(tmp_path / "v", {"a.md": "# A\n\nSee [[gone]].\n", "sub/b.md": "# B\n"}, 'select = ["dangling-link"]\n')
    monkeypatch.setenv("NOTELINT_JOBS", "1")
    rule = registry.lookup("dangling-link")
    calls = []
    real = rule.prepare
    monkeypatch.setattr(rule, "prepare", lambda self, ws: calls.append(1) or real(self, ws))
    monkeypatch.chdir(root)
    assert cli.main(["check", "-q", "."]) == 1
    monkeypatch.chdir(root / "sub")
    assert cli.main(["check", "-q", str(root)]) == 1
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "-q", "v"]) == 1
    assert calls == [1]


def test_a_renamed_dendron_vault_is_seen_by_warm_runs(tmp_path):
    """Only `dendron.yml` changes: no note, no image, no file name."""
    workspace = "version: 5\nworkspace:\n  vaults:\n    - fsPath: a\n      name: {}\n"
    root = make(tmp_path / "v", {"dendron.yml": workspace.format("alpha"), "a/x.md": "See [[dendron://alpha/y]].\n",
                                 "a/y.md": "# Y\n"}, 'select = ["dangling-link"]\n')
    assert rules_of(check(root)) == [] == rules_of(check(root))
    (root / "dendron.yml").write_text(workspace.format("beta"), "utf-8")
    assert rules_of(check(root)) == [("a/x.md", 1, "dangling-link", False)] == rules_of(check(root, "--no-cache"))


def test_a_cache_is_written_once_and_says_when_it_cannot_be(tmp_path):
    c = cache_mod.ResultsCache(tmp_path, "k")
    c.put_findings("a.md", "d1", False, [])
    assert c.save()
    path = c.path
    written = (path.stat().st_ino, path.stat().st_mtime_ns)
    assert c.save()  # nothing new since: not written again
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == written
    blocked = tmp_path / "ro"
    blocked.mkdir()
    (blocked / ".notelint_cache").write_text("not a folder", "utf-8")
    c = cache_mod.ResultsCache(blocked, "k")
    c.put_findings("a.md", "d1", False, [])
    assert c.save() is False


def test_warnings_survive_a_whole_run_entry_rebuilt_after_damage(tmp_path):
    """A whole-run entry that lacks a note checked is recomputed; the entry stored then keeps
    the rules' warnings, so later warm runs still print them."""
    config = 'select = ["frontmatter-fields"]\n[[rules.frontmatter-fields.require]]\npaths = ["nowhere/*"]\nkeys = ["title"]\n'
    root = make(tmp_path / "v", {"a.md": "# A\n"}, config)
    cold = run_cli("check", "--no-cache", ".", cwd=root)
    assert "matches no note" in cold.stderr
    run_cli("check", ".", cwd=root)

    def forget_a(data):
        for entry in data["vault"].values():
            del entry["notes"]["a.md"]
    _plant(root, forget_a)
    for _ in range(3):
        run = run_cli("check", ".", cwd=root)
        assert (run.returncode, run.stdout, run.stderr) == (cold.returncode, cold.stdout, cold.stderr)
