"""The results cache's encoder (`cache.encode`): orjson for speed, `json` wherever orjson would
not write what `json.loads` reads back unchanged."""

import json
import math

import pytest

from notelint import cache as cache_mod


def test_plain_data_reads_back_unchanged():
    data = {"notes": {"a/б.md": {"d": "ab", "x": {"k": [["markdown", "x.png", 1, 2, 3, 4, False], None]}}},
            "stats": {"a.md": [[2**63 - 1, 0, 1, 2], "d", True]}}
    assert json.loads(cache_mod.encode(data, False)) == data


def test_what_orjson_cannot_write_as_json_does_goes_through_json():
    for value in (2**70, "bad\udcff name.md", {1: "x"}):
        assert json.loads(cache_mod.encode({"v": value}, False)) == json.loads(json.dumps({"v": value}))
    # a NaN or an infinity: orjson would write null, so the cache marks such data `exotic`
    assert cache_mod.nonfinite({"a": [1, {"b": float("nan")}]}) and cache_mod.nonfinite([float("-inf")])
    assert not cache_mod.nonfinite({"a": [1, 2.5, "NaN", None]})
    assert math.isnan(json.loads(cache_mod.encode({"v": float("nan")}, True))["v"])


@pytest.mark.parametrize("kind", ["kind", "suppressions"])  # kept in the facts file, in the results file
def test_a_fact_holding_a_nan_is_kept_through_a_save(tmp_path, kind):
    results = cache_mod.ResultsCache(tmp_path, "k")
    results.put_note_fact("a.md", "d1", kind, [float("nan"), 2])
    assert results.save()
    again = cache_mod.ResultsCache(tmp_path, "k")
    hit, value = again.note_fact("a.md", "d1", kind)
    assert hit and math.isnan(value[0]) and value[1] == 2
    # read back: the next save writes it through `json` again
    assert (again.exotic if kind in cache_mod.RESULT_KINDS else again.fact_file.exotic[kind])
