"""The notes' facts file: one line per fact kind, decoded only when that kind is asked for."""

from __future__ import annotations

import json

import pytest

from notelint import cache as cache_mod
from notelint import fact_file


def _cache(root, **tables) -> cache_mod.ResultsCache:
    """A cache whose facts file holds `tables` (kind -> {rel: fact}, every note at digest "d")."""
    first = cache_mod.ResultsCache(root, "k")
    for kind, table in tables.items():
        for rel, value in table.items():
            first.put_note_fact(rel, "d", kind, value)
    assert first.save()
    return cache_mod.ResultsCache(root, "k")


def _lines(cache: cache_mod.ResultsCache) -> dict[str, bytes]:
    head, *lines = cache.facts_path.read_bytes().split(b"\n")
    return dict(zip(json.loads(head)["kinds"], lines))


def _big(n: int = 500) -> dict[str, str]:
    return {f"n{i:04}.md": "x" * 600 for i in range(n)}  # a line of about n * 620 bytes


def test_kinds_a_run_did_not_change_are_written_back_byte_for_byte(tmp_path):
    cache = _cache(tmp_path, ids={"a.md": 1}, tags={"a.md": ["t"]})
    before = _lines(cache)
    assert cache.note_fact("a.md", "d", "ids") == (True, 1)
    cache.put_note_fact("b.md", "d", "ids", 2)
    assert cache.save()
    after = _lines(cache)
    assert after["tags"] == before["tags"] and after["ids"] != before["ids"]
    assert list(cache.fact_file.tables) == ["ids"]  # the tags were never decoded
    again = cache_mod.ResultsCache(tmp_path, "k")
    assert [again.note_fact(rel, "d", kind) for rel, kind in [("a.md", "tags"), ("b.md", "ids")]] == [(True, ["t"]), (True, 2)]


def test_a_few_notes_facts_are_not_merged_into_a_large_kind_nobody_decoded(tmp_path):
    cache = _cache(tmp_path, anchors=_big(), ids={"a.md": 1})
    before = _lines(cache)
    assert len(before["anchors"]) > 2 * fact_file.LOOKUP_BYTES
    cache.put_note_fact("new.md", "d2", "anchors", "fresh")  # one note: merging costs more than computing
    cache.put_note_fact("new.md", "d2", "ids", 5)  # a small kind: merged
    assert cache.note_fact("new.md", "d2", "anchors") == (True, "fresh")  # (this run still has it)
    cache.save()
    after = _lines(cache)
    assert after["anchors"] == before["anchors"] and "anchors" not in cache.fact_file.tables
    again = cache_mod.ResultsCache(tmp_path, "k")
    assert again.note_fact("new.md", "d2", "anchors") == (False, None)  # computed again when asked
    assert again.note_fact("new.md", "d2", "ids") == (True, 5)


def test_many_notes_facts_are_merged_even_into_a_large_kind(tmp_path):
    cache = _cache(tmp_path, anchors=_big())
    for i in range(500):
        cache.put_note_fact(f"m{i}.md", "d", "anchors", i)
    assert cache.save()
    again = cache_mod.ResultsCache(tmp_path, "k")
    assert again.note_fact("m7.md", "d", "anchors") == (True, 7) and again.note_fact("n0007.md", "d", "anchors")[0]


def test_a_few_notes_facts_are_looked_up_only_when_that_is_cheaper_than_computing_them(tmp_path):
    cache = _cache(tmp_path, anchors=_big(), ids={"a.md": 1})
    assert not cache.facts_at_hand("anchors", 5)  # 300 KB decoded for five notes: read them
    assert cache.facts_at_hand("anchors", 500) and cache.facts_at_hand("ids", 1)
    assert cache.facts_at_hand("missing-kind", 1)  # (nothing to decode)
    assert cache.facts_at_hand("suppressions", 1)  # kept with the findings, already read
    cache.note_fact("n0001.md", "d", "anchors")
    assert cache.facts_at_hand("anchors", 1)  # decoded now


@pytest.mark.parametrize("damage", [lambda line: line[:-3], lambda line: b"[1]"])  # cut off; JSON, not a table
def test_a_damaged_line_costs_only_its_kind(tmp_path, damage):
    cache = _cache(tmp_path, ids={"a.md": 1}, tags={"a.md": ["t"]})
    lines = _lines(cache)
    lines["tags"] = damage(lines["tags"])
    head = json.dumps({"format": cache_mod.FORMAT, "notelint": cache_mod.__version__, "key": "k", "kinds": list(lines)})
    cache.facts_path.write_bytes(b"\n".join([head.encode(), *lines.values()]))
    again = cache_mod.ResultsCache(tmp_path, "k")
    assert again.note_fact("a.md", "d", "ids") == (True, 1) and again.note_fact("a.md", "d", "tags") == (False, None)
    assert again.save()  # the damaged line is dropped
    assert list(_lines(again)) == ["ids"]


def test_a_facts_file_of_the_previous_format_is_ignored(tmp_path):
    folder = tmp_path / cache_mod.CACHE_DIR
    folder.mkdir()
    head = {"format": 3, "notelint": cache_mod.__version__, "key": "k"}
    (folder / "facts-k.json").write_text(json.dumps({**head, "facts": {"a.md": {"d": "d", "x": {"ids": 1}}}}))
    assert cache_mod.ResultsCache(tmp_path, "k").note_fact("a.md", "d", "ids") == (False, None)


def test_a_nan_in_a_kind_survives_a_plain_fact_put_beside_it(tmp_path):
    """orjson writes a NaN as null: the kind stays marked as holding one until it is rewritten."""
    cache = _cache(tmp_path, ids={"a.md": float("nan")})
    assert cache.note_fact("a.md", "d", "ids")[0]  # (decoded: the put below goes into the table)
    cache.put_note_fact("b.md", "d", "ids", 2)
    assert cache.save()
    hit, value = cache_mod.ResultsCache(tmp_path, "k").note_fact("a.md", "d", "ids")
    assert hit and value != value  # still a NaN, not None


def test_a_second_save_with_nothing_new_writes_nothing(tmp_path, monkeypatch):
    cache = _cache(tmp_path, ids={"a.md": 1})
    assert cache.note_fact("a.md", "d", "ids")[0]
    cache.put_note_fact("b.md", "d", "ids", 2)
    cache.put_findings("b.md", "d", False, [])
    image = tmp_path / "x.png"
    image.write_bytes(b"not really an image")
    cache.put_asset_fact("x.png", (cache_mod.stat_signature(image), ""), "kind", 1)
    assert cache.save()
    written = []
    monkeypatch.setattr(cache_mod, "replace_file", lambda path, data, **kw: written.append(path))
    assert cache.save() and written == []
