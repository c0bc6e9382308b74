"""The results cache's parts, one at a time (`notelint/cache.py`): what the run key records of
the parsers, what the vault state and the scope key digest, how a file on disk is accepted,
which whole-run and scoped entries are kept, and when the fast encoder writes the file.
The end-to-end behaviour is in test_cache.py and test_cache_key.py; these pin the details
those runs cannot tell apart."""

from __future__ import annotations

import builtins
import importlib.metadata
import importlib.util
import itertools
import json
import math
import os
import sys
import time
import types

import pytest
from helpers import run_cli, settled_runs_in, write_files

from notelint import cache as cache_mod
from notelint import cli, fact_file, scoped
from notelint.example_files import png

# --------------------------------------------------------------------------- the parsers in the run key


def _package(tmp_path, monkeypatch, name: str, init: str) -> None:
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text(init, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))


def test_the_declared_version_is_the_literal_assigned_on_its_own_line(tmp_path, monkeypatch):
    _package(tmp_path, monkeypatch, "nl_pkg_literal", '"""A package."""\n\nimport os\n__version__ = "1.2.3"\nx = 1\n')
    _package(tmp_path, monkeypatch, "nl_pkg_computed", '__version__ = ".".join(["1", "2"])\n')
    _package(tmp_path, monkeypatch, "nl_pkg_other", 'VERSION = "4.5"\nmy__version__ = "4.5"\n')
    _package(tmp_path, monkeypatch, "nl_pkg_single", "__version__ = '4.3.2'\n")
    _package(tmp_path, monkeypatch, "nl_pkg_mixed", "__version__ = '4.3.2\"\n")
    assert cache_mod.declared_version("nl_pkg_literal") == "1.2.3"
    assert cache_mod.declared_version("nl_pkg_computed") is None
    assert cache_mod.declared_version("nl_pkg_other") is None
    assert cache_mod.declared_version("nl_pkg_single") == "4.3.2"
    assert cache_mod.declared_version("nl_pkg_mixed") is None
    assert cache_mod.declared_version("nl_no_such_package") is None
    assert "nl_pkg_literal" not in sys.modules  # read, not imported


def test_markdown_it_is_keyed_by_its_declared_version_without_being_imported(monkeypatch):
    monkeypatch.delitem(sys.modules, "markdown_it", raising=False)
    versions = cache_mod._parser_versions()
    assert f"markdown_it:{importlib.metadata.version('markdown-it-py')}" in versions
    assert "markdown_it" not in sys.modules


def test_a_parser_already_imported_is_keyed_by_the_module_in_use(monkeypatch):
    """The module in memory, not the file on disk: the package may have been upgraded since."""
    in_use = types.ModuleType("markdown_it")
    in_use.__version__, in_use.__spec__ = "0-in-use", importlib.util.find_spec("markdown_it")
    monkeypatch.setitem(sys.modules, "markdown_it", in_use)
    monkeypatch.setitem(sys.modules, "yaml", types.SimpleNamespace())  # no __version__
    versions = cache_mod._parser_versions()
    assert "markdown_it:0-in-use" in versions and "yaml:?" in versions


def test_a_parser_that_cannot_be_imported_is_keyed_as_missing(monkeypatch):
    monkeypatch.delitem(sys.modules, "pyromark", raising=False)
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "pyromark":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    assert cache_mod._parser_versions()[-1] == "pyromark:-"


# --------------------------------------------------------------------------- vault state and scope key


@pytest.mark.parametrize("digest", [cache_mod.vault_state, None])
def test_the_notes_asked_for_and_the_files_named_are_part_of_the_digest(digest):
    notes, assets = [("a.md", "d1"), ("b.md", "d2")], [("x.png", [1, 2, 3, 4])]

    def of(targets, explicit):
        if digest is None:
            return scoped.scope_key("k", "listing", assets, targets, explicit)
        return digest("k", notes, assets, targets, explicit, "listing")

    base = of(["a.md", "b.md"], None)
    assert base == of(["a.md", "b.md"], None)
    assert of(["a.md"], None) != base
    assert of(["a.md"], {"a.md"}) != of(["a.md"], None)
    assert of(["a.md"], {"a.md"}) != of(["a.md"], {"a.md", "x.png"})


def test_the_scope_key_covers_the_run_key_and_the_file_listing():
    assets = [("x.png", [1, 2, 3, 4])]
    base = scoped.scope_key("k", "listing", assets, ["a.md"], None)
    assert scoped.scope_key("k2", "listing", assets, ["a.md"], None) != base
    assert scoped.scope_key("k", "listing2", assets, ["a.md"], None) != base
    assert scoped.scope_key("k", "listing", [("x.png", [1, 2, 3, 5])], ["a.md"], None) != base
    assert scoped.scope_key("k", "listing", [("x.png", None)], ["a.md"], None) is None  # an untrusted image


# --------------------------------------------------------------------------- encoding


def test_plain_data_is_written_by_orjson_and_non_finite_numbers_by_compact_json():
    orjson = pytest.importorskip("orjson")
    data = {"notes": {"é.md": {"d": "x", "x": {"k": [1, 2.5]}}}}
    assert cache_mod.encode(data, False) == orjson.dumps(data)  # UTF-8 as is: the fast path
    assert cache_mod.encode({"v": float("nan"), "é": [1, 2]}, True) == b'{"v":NaN,"\\u00e9":[1,2]}'


def _fast(cache: cache_mod.ResultsCache, kind: str) -> bool:
    """The file holding fact `kind` (each line of the facts file) is what orjson writes."""
    orjson = pytest.importorskip("orjson")
    raw = (cache.path if kind in cache_mod.RESULT_KINDS else cache.facts_path).read_bytes()
    return "é".encode() in raw and all(line == orjson.dumps(json.loads(line)) for line in raw.split(b"\n"))


@pytest.mark.parametrize("kind", ["kind", "suppressions"])
def test_a_saved_plain_cache_is_written_by_the_fast_encoder_again_after_a_load(tmp_path, kind):
    first = cache_mod.ResultsCache(tmp_path, "k")
    first.put_note_fact("é.md", "d1", kind, [1, "x"])
    assert first.save()
    assert _fast(first, kind)
    again = cache_mod.ResultsCache(tmp_path, "k")
    again.put_note_fact("é.md", "d1", kind, 2)
    assert again.save()
    assert _fast(again, kind)
    assert cache_mod.ResultsCache(tmp_path, "k").note_fact("é.md", "d1", kind) == (True, 2)


def test_an_image_fact_holding_a_nan_or_an_infinity_is_kept_through_saves(tmp_path):
    image = tmp_path / "x.png"
    image.write_bytes(png())
    sig = cache_mod.stat_signature(image)
    first = cache_mod.ResultsCache(tmp_path, "k")
    first.put_asset_fact("x.png", (sig, ""), "kind", {"score": float("inf"), "other": float("nan")})
    assert first.save()
    again = cache_mod.ResultsCache(tmp_path, "k")  # `exotic` comes from the file's bytes now
    again.put_asset_fact("x.png", (sig, ""), "plain", 1)  # something to save in the same file
    assert again.save()
    third = cache_mod.ResultsCache(tmp_path, "k")
    hit, value = third.asset_fact("x.png", image, "kind")
    assert hit and value["score"] == float("inf") and math.isnan(value["other"])
    assert third.asset_fact("x.png", image, "plain") == (True, 1)


def _exotic(cache: cache_mod.ResultsCache, kind: str) -> bool:
    cache.note_fact("a.md", "d1", kind)  # (the facts file is read when a fact is asked)
    return cache.exotic if kind in cache_mod.RESULT_KINDS else cache.fact_file.exotic[kind]


@pytest.mark.parametrize("kind", ["kind", "suppressions"])
def test_an_infinity_alone_marks_a_loaded_cache_exotic(tmp_path, kind):
    first = cache_mod.ResultsCache(tmp_path, "k")
    first.put_note_fact("a.md", "d1", kind, [float("-inf")])
    assert first.save()
    assert _exotic(cache_mod.ResultsCache(tmp_path, "k"), kind)
    plain = tmp_path / "plain"
    plain.mkdir()
    second = cache_mod.ResultsCache(plain, "k")
    second.put_note_fact("a.md", "d1", kind, [1.5])
    assert second.save()
    assert not _exotic(cache_mod.ResultsCache(plain, "k"), kind)


def test_the_suppression_entries_are_kept_with_the_findings():
    """Every run with findings reads them: they must not send a warm run to the facts file."""
    from notelint import suppression

    assert suppression.FACT in cache_mod.RESULT_KINDS


# --------------------------------------------------------------------------- reading the file


def _write(tmp_path, facts=None, **fields) -> cache_mod.ResultsCache:
    """The results file (and the note facts' file, with the same head) as `fields` make them;
    `facts` is {kind: {rel: [digest, fact]}}, written as the facts file's lines."""
    head = {"format": cache_mod.FORMAT, "notelint": cache_mod.__version__, "key": "k"}
    head.update({k: fields.pop(k) for k in list(head) if k in fields})
    data = {**head, "notes": {"a.md": {"d": "d1", "ro": False, "f": []}}, "vault": {}, "stats": {}, "scoped": {}}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not ...}
    folder = tmp_path / cache_mod.CACHE_DIR
    folder.mkdir(exist_ok=True)
    (folder / "results-k.json").write_text(json.dumps(data), "utf-8")
    facts = {"kind": {"a.md": ["d1", 7]}} if facts is None else facts
    lines = [json.dumps({**head, "kinds": list(facts)}), *(json.dumps(table) for table in facts.values())]
    (folder / "facts-k.json").write_text("\n".join(lines), "utf-8")
    return cache_mod.ResultsCache(tmp_path, "k")


def test_a_file_of_another_format_version_or_key_is_ignored(tmp_path):
    assert _write(tmp_path).note_fact("a.md", "d1", "kind") == (True, 7)
    assert _write(tmp_path).findings("a.md", "d1", False) == []
    for field, value in (("format", cache_mod.FORMAT + 1), ("notelint", "0.0.0-other"), ("key", "other")):
        loaded = _write(tmp_path, **{field: value})
        assert loaded.note_fact("a.md", "d1", "kind") == (False, None), field  # the facts file
        assert loaded.findings("a.md", "d1", False) is None, field  # the results file


def test_a_file_without_the_optional_tables_is_still_read(tmp_path):
    loaded = _write(tmp_path, vault=..., stats=..., scoped=...)
    assert loaded.note_fact("a.md", "d1", "kind") == (True, 7)
    assert loaded.findings("a.md", "d1", False) == []  # the notes table kept
    assert loaded.vault == {} and loaded.stats == {} and loaded.scoped == {}


def test_a_damaged_scoped_table_is_dropped_not_trusted(tmp_path):
    loaded = _write(tmp_path, scoped=[["s", {"rows": []}]])
    assert loaded.note_fact("a.md", "d1", "kind") == (True, 7)
    assert loaded.scoped == {} and loaded.scoped_results("s") is None


def test_the_digest_held_for_findings_or_for_one_fact(tmp_path):
    loaded = _write(tmp_path, notes={
        "a.md": {"d": "d1", "ro": False, "f": []},
        "c.md": {"d": "d3", "ro": False, "f": []},
        "d.md": {"d": 4, "ro": False, "f": []},  # a damaged digest
    }, facts={"kind": {
        "a.md": ["d1", 7],
        "b.md": ["d2", 1],  # facts only
        "c.md": {"d": "d3"},  # a damaged entry
        "d.md": [4, 1],  # a damaged digest
        "e.md": ["d5"],  # a damaged entry
    }})
    assert loaded.digest_with("a.md") == "d1" and loaded.digest_with("a.md", "kind") == "d1"
    assert loaded.digest_with("a.md", "other") is None
    assert loaded.digest_with("b.md") is None and loaded.digest_with("b.md", "kind") == "d2"
    assert loaded.digest_with("c.md") == "d3" and loaded.digest_with("c.md", "kind") is None
    assert loaded.digest_with("d.md") is None and loaded.digest_with("d.md", "kind") is None
    assert loaded.digest_with("e.md") is None and loaded.digest_with("e.md", "kind") is None
    assert loaded.note_fact("c.md", "d3", "kind") == (False, None)
    assert loaded.note_fact("e.md", "d5", "kind") == (False, None)


def test_the_note_facts_are_read_only_when_a_fact_is_asked(tmp_path):
    """A warm run, or a run on files nothing changed, never decodes the note facts' file."""
    loaded = _write(tmp_path, facts={"kind": {"a.md": ["d1", 7]}, "other": {"a.md": ["d1", 8]}})
    assert not loaded.fact_file.loaded and loaded.findings("a.md", "d1", False) == []
    assert loaded.note_fact("a.md", "d1", "kind") == (True, 7) and loaded.fact_file.loaded
    assert list(loaded.fact_file.tables) == ["kind"]  # only the kind asked for is decoded
    assert loaded.note_fact("a.md", "d1", "other") == (True, 8)


def test_a_damaged_facts_file_is_ignored_and_the_findings_kept(tmp_path):
    head = json.dumps({"format": cache_mod.FORMAT, "notelint": cache_mod.__version__, "key": "k", "kinds": ["kind"]})
    for damaged in ("[1]", "{", json.dumps({"format": cache_mod.FORMAT, "facts": {}}), head,
                    head + "\n" + '{"a.md": ["d1", 7]}\n{"b.md": ["d1", 7]}', head + "\n{"):
        loaded = _write(tmp_path)
        (tmp_path / cache_mod.CACHE_DIR / "facts-k.json").write_text(damaged, "utf-8")
        assert loaded.note_fact("a.md", "d1", "kind") == (False, None)
        assert loaded.findings("a.md", "d1", False) == []


def test_a_scoped_entry_with_a_malformed_note_record_is_a_miss(tmp_path):
    entry = {"t": 1, "facts": {}, "rows": [], "notes": {"a.md": ["d1", False]}}
    assert _write(tmp_path, scoped={"s": entry}).scoped_results("s") is not None
    for bad in ("d1", ["d1", False, 3], ["d1"]):
        damaged = {**entry, "notes": {"a.md": bad}}
        assert _write(tmp_path, scoped={"s": damaged}).scoped_results("s") is None


# --------------------------------------------------------------------------- scoped entries kept


def test_the_newest_scoped_entries_are_kept_by_when_they_were_stored(tmp_path, monkeypatch):
    clock = itertools.count(10**18)
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: next(clock))
    results = cache_mod.ResultsCache(tmp_path, "k")
    entry = {"facts": {}, "notes": {}, "rows": []}
    for scope in ("c", "b", "a"):
        results.put_scoped_results(scope, entry)
    results.put_scoped_results("c", entry)  # stored again: now the newest, though first in the table
    results.put_scoped_results("d", entry)
    assert sorted(results.scoped) == ["a", "c", "d"]  # "b", the oldest, went


def test_scoped_entries_without_a_time_or_damaged_go_first(tmp_path):
    entry = {"facts": {}, "notes": {}, "rows": []}
    loaded = _write(tmp_path, scoped={"junk": [1], "old": entry, "z": {**entry, "t": 5}})
    loaded.put_scoped_results("new", entry)
    assert sorted(loaded.scoped) == ["new", "old", "z"]  # (KEEP_STATES = 3)
    loaded.put_scoped_results("newer", entry)
    assert sorted(loaded.scoped) == ["new", "newer", "z"]


def test_a_stored_scoped_entry_is_saved(tmp_path):
    results = cache_mod.ResultsCache(tmp_path, "k")
    results.save()
    results.put_scoped_results("s", {"facts": {}, "notes": {}, "rows": []})
    assert results.save()
    assert cache_mod.ResultsCache(tmp_path, "k").scoped_results("s") is not None


# --------------------------------------------------------------------------- a run without a scope key


def test_a_fix_run_keeps_no_scoped_findings(tmp_path):
    """`fix` prepares the rules on every pass (no vault state, no scope key): what the vault-scope
    rules found then is not kept under any key a later run could match."""
    root = _image_vault(tmp_path / "v", ["duplicate-image", "whitespace"])
    assert cache_mod.ResultsCache(root, "k").scope is None
    result = run_cli("fix", ".", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    files = list((root / cache_mod.CACHE_DIR).glob("results-*.json"))
    assert files and all(json.loads(f.read_text("utf-8")).get("scoped") == {} for f in files)


# --------------------------------------------------------------------------- the image entries' own file


def _image_vault(root, select=("duplicate-image", "unreadable-image", "whitespace")):
    write_files(root, {
        ".notelint.toml": f"select = {json.dumps(list(select))}\n",
        "a.md": "# A\n\n![one](img/one.png)\n\ntrailing   \n",
        "b.md": "# B\n\n![two](img/two.png)\n",
    })
    (root / "img").mkdir()
    (root / "img" / "one.png").write_bytes(png())
    (root / "img" / "two.png").write_bytes(png())
    return root


def test_image_entries_are_kept_apart_and_a_run_that_needs_none_does_not_read_them(tmp_path, monkeypatch, capsys):
    root = _image_vault(tmp_path / "v")
    settled_runs_in(root, monkeypatch)

    def run(*args: str) -> str:
        assert cli.main(["check", "--format", "json", *args]) in (0, 1)
        return capsys.readouterr().out

    first = run(".")
    folder = root / cache_mod.CACHE_DIR
    [results] = folder.glob("results-*.json")
    [assets] = folder.glob("assets-*.json")
    assert "assets" not in json.loads(results.read_text("utf-8"))
    assert sorted(json.loads(assets.read_text("utf-8"))["assets"]) == ["img/one.png", "img/two.png"]
    run("a.md")  # (the vault-scope findings of a run on this note are kept: the pre-commit case)
    read: list[str] = []
    real = cache_mod.ResultsCache._read
    monkeypatch.setattr(cache_mod.ResultsCache, "_read", lambda self, path: read.append(path.name) or real(self, path))
    real_facts = fact_file.FactFile._load
    monkeypatch.setattr(fact_file.FactFile, "_load", lambda self: read.append(self.path.name) or real_facts(self))
    assert run(".") == first  # warm
    assert read and not [name for name in read if name.startswith(("assets-", "facts-"))]  # (no fact asked)
    (root / "a.md").write_text("# A\n\n![one](img/one.png)\n\ntrailing   \nmore\n", "utf-8")
    assert run("a.md") == run("--no-cache", "a.md")  # a note changed where it names no image
    assert read and not [name for name in read if name.startswith("assets-")]
    read.clear()
    (root / "img" / "two.png").write_bytes(png(12, 12))  # an image changed: its fact is asked for
    assert run(".") == run("--no-cache", ".")
    assert [name for name in read if name.startswith("assets-")]


def test_image_entries_of_deleted_images_go_once_a_run_reads_them(tmp_path):
    root = _image_vault(tmp_path / "v")
    run_cli("check", ".", cwd=root)
    (root / "img" / "two.png").unlink()  # one.png's entry is read (a hit), nothing new is stored
    run_cli("check", ".", cwd=root)
    [assets] = (root / cache_mod.CACHE_DIR).glob("assets-*.json")
    assert sorted(json.loads(assets.read_text("utf-8"))["assets"]) == ["img/one.png"]


@pytest.mark.parametrize("prefix", ["assets", "facts"])
def test_only_the_newest_image_and_fact_files_are_kept_and_stale_temporary_files_go(tmp_path, prefix):
    folder = tmp_path / cache_mod.CACHE_DIR
    folder.mkdir()
    now = time.time_ns()
    for i in range(10):  # other configurations' files, 00 the newest
        old = folder / f"{prefix}-{i:02d}.json"
        old.write_text("{}", "utf-8")
        os.utime(old, ns=(now - (i + 2) * 10**9, now - (i + 2) * 10**9))
    stale = folder / f".{prefix}-old.json{cache_mod.TMP_SUFFIX}"
    stale.write_text("", "utf-8")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    image = tmp_path / "x.png"
    image.write_bytes(png())
    results = cache_mod.ResultsCache(tmp_path, "k")
    if prefix == "assets":
        results.put_asset_fact("x.png", (cache_mod.stat_signature(image), ""), "kind", 1)
    else:
        results.put_note_fact("a.md", "d1", "kind", 1)
    assert results.save()
    kept = sorted(p.name for p in folder.glob(f"{prefix}-*.json"))
    assert len(kept) == cache_mod.KEEP_FILES and f"{prefix}-k.json" in kept and f"{prefix}-09.json" not in kept
    assert not stale.exists()


def test_note_facts_of_deleted_notes_go_once_a_run_reads_them(tmp_path):
    root = write_files(tmp_path / "v", {".notelint.toml": 'select = ["tag-style"]\n', "a.md": "#x\n", "b.md": "#X\n"})
    run_cli("check", ".", cwd=root)
    (root / "b.md").unlink()
    run_cli("check", ".", cwd=root)
    [facts] = (root / cache_mod.CACHE_DIR).glob("facts-*.json")
    head, *tables = (json.loads(line) for line in facts.read_bytes().split(b"\n"))
    assert "tag-uses-2" in head["kinds"] and all(sorted(table) == ["a.md"] for table in tables)


def test_a_damaged_results_file_is_rewritten_by_the_fast_encoder(tmp_path):
    orjson = pytest.importorskip("orjson")
    loaded = _write(tmp_path, notes=[1], vault={"x": float("nan")})  # ignored: notes is not a table
    assert loaded.notes == {} and loaded.vault == {}
    loaded.put_note_fact("é.md", "d1", "suppressions", 1)
    assert loaded.save()
    raw = loaded.path.read_bytes()
    assert raw == orjson.dumps(json.loads(raw)) and "é".encode() in raw


def test_a_damaged_image_file_is_ignored_and_rebuilt(tmp_path):
    root = _image_vault(tmp_path / "v")
    first = run_cli("check", "--format", "json", ".", cwd=root).stdout
    [assets] = (root / cache_mod.CACHE_DIR).glob("assets-*.json")
    for damage in ("[1, 2]", '{"format": 2}', "{not json", json.dumps({**json.loads(assets.read_text("utf-8")),
                                                                         "assets": [1]})):
        assets.write_text(damage, "utf-8")
        (root / "img" / "one.png").write_bytes(png(36 + len(damage) % 7, 36))  # an image fact is asked for
        assert run_cli("check", "--format", "json", ".", cwd=root).stdout == run_cli(
            "check", "--no-cache", "--format", "json", ".", cwd=root).stdout
        assert isinstance(json.loads(assets.read_text("utf-8"))["assets"], dict)
    assert first


def test_a_fact_kept_with_the_findings_is_held_for_its_bytes_and_survives_new_findings(tmp_path):
    """`suppressions` lives in the results file's note entry, beside the findings."""
    loaded = _write(tmp_path, notes={
        "a.md": {"d": "d1", "ro": False, "f": [], "x": {"suppressions": [1]}},
        "b.md": {"d": "d2", "ro": False, "f": [], "x": {"other": 1}},
        "c.md": {"d": "d3", "ro": False, "f": [], "x": []},  # a damaged fact table
    })
    assert loaded.digest_with("a.md", "suppressions") == "d1"
    assert loaded.digest_with("b.md", "suppressions") is None and loaded.digest_with("c.md", "suppressions") is None
    assert loaded.note_fact("a.md", "d1", "suppressions") == (True, [1])
    assert loaded.note_fact("b.md", "d2", "suppressions") == (False, None)
    assert loaded.note_fact("a.md", "other-bytes", "suppressions") == (False, None)
    loaded.put_findings("a.md", "d1", False, [])  # the same bytes: the fact stays
    assert loaded.note_fact("a.md", "d1", "suppressions") == (True, [1])
    loaded.put_findings("a.md", "d9", False, [])  # other bytes: it goes
    assert loaded.note_fact("a.md", "d9", "suppressions") == (False, None)


@pytest.mark.parametrize("modes", [[], {"a.md": 1}, {"a.md": "yes"}])
def test_a_scoped_entry_with_malformed_modes_is_a_miss(tmp_path, modes):
    entry = {"facts": {}, "notes": {}, "rows": [], "modes": modes}
    loaded = _write(tmp_path, scoped={"s": entry, "good": {**entry, "modes": {"a.md": True}}})
    assert loaded.scoped_results("s") is None and loaded.scoped_results("good") is not None


def test_the_image_entries_are_written_by_the_fast_encoder(tmp_path):
    orjson = pytest.importorskip("orjson")
    image = tmp_path / "x.png"
    image.write_bytes(png())
    first = cache_mod.ResultsCache(tmp_path, "k")
    first.put_asset_fact("x.png", (cache_mod.stat_signature(image), ""), "kind", ["é"])
    assert first.save()
    raw = first.assets_path.read_bytes()
    assert raw == orjson.dumps(json.loads(raw)) and "é".encode() in raw


def test_the_whole_vault_scope_key_depends_on_all_but_the_notes_asked_for_in_a_vault():
    args = ("k", "listing", [("x.png", [1, 2, 3, 4])], ["a.md", "out/b.md"])
    in_vault = lambda rel: not rel.startswith("out/")  # noqa: E731
    mine, whole = scoped.whole_scope(*args, {"a.md"}, in_vault)
    assert whole == scoped.whole_scope(*args, None, in_vault)[0]  # what a whole-vault run keys by
    assert mine != whole and mine == scoped.scope_key(*args, {"a.md"})
    for i, other in enumerate(("k2", "listing2", [("x.png", [1, 2, 3, 5])], ["a.md", "out/c.md"])):
        changed = list(args)
        changed[i] = other
        again = scoped.whole_scope(*changed, {"a.md"}, in_vault)
        assert again[0] != mine and again[1] != whole, i  # (a note outside every vault counts)
    assert scoped.whole_scope("k", "listing", args[2], ["a.md", "c.md", "out/b.md"], {"a.md"}, in_vault)[1] == whole
