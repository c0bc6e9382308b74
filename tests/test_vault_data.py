"""The benchmark's generated vault (`benchmarks/vault_data.py`): images of the sizes the
benchmark promises, the same bytes from the same seed, and a cache a run cannot spoil."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import vault_data  # noqa: E402

PIL = pytest.importorskip("PIL.Image")


def test_plan_is_seeded_and_copies_point_at_earlier_originals():
    plan = vault_data.plan_images(400, random.Random(3))
    assert plan == vault_data.plan_images(400, random.Random(3))
    assert plan != vault_data.plan_images(400, random.Random(4))
    assert len({name for name, _, _ in plan}) == 400
    kinds = [kind for _, kind, _ in plan]
    assert {"screenshot", "photo", "copy", "lossy"} <= set(kinds)
    for i, (_, kind, arg) in enumerate(plan):
        if kind in ("copy", "lossy"):
            src = arg if kind == "copy" else arg[0]
            assert src < i and plan[src][1] in ("screenshot", "photo")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_screenshots_are_pngs_of_pasted_size_and_the_same_each_time(tmp_path, seed):
    size = vault_data._make_original(tmp_path, "a.png", "screenshot", seed, 8)
    again = vault_data._make_original(tmp_path, "b.png", "screenshot", seed, 8)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert size == again
    with PIL.open(tmp_path / "a.png") as img:
        assert img.format == "PNG" and 1280 <= img.width <= 2560
    assert 100_000 <= size <= 1_500_000


def test_photos_are_jpegs_3000_to_4000_px_wide(tmp_path):
    size = vault_data._make_original(tmp_path, "p.jpg", "photo", 5, 8)
    with PIL.open(tmp_path / "p.jpg") as img:
        assert img.format == "JPEG" and 3000 <= img.width <= 4000
    assert size > 250_000


def test_cached_vault_is_reused_and_a_working_copy_leaves_it_untouched(tmp_path):
    root, facts, reused = vault_data.cached_vault(tmp_path / "cache", 6, 3, seed=1, jobs=1)
    assert not reused and len(facts["notes"]) == 6
    assert len(list((root / "assets" / "images").iterdir())) == 3
    again, _, reused = vault_data.cached_vault(tmp_path / "cache", 6, 3, seed=1, jobs=1)
    assert reused and again == root
    note = facts["notes"][0]
    pristine = (root / note).read_bytes()
    copy = tmp_path / "run"
    vault_data.working_copy(root, copy)
    (copy / note).write_text("edited\n", "utf-8")
    assert (root / note).read_bytes() == pristine
    image = next((root / "assets" / "images").iterdir())
    assert (copy / "assets" / "images" / image.name).stat().st_ino == image.stat().st_ino
    assert not (copy / ".generated.json").exists()


def test_an_interrupted_generation_is_made_again(tmp_path):
    root, _, _ = vault_data.cached_vault(tmp_path, 4, 2, seed=2, jobs=1)
    (root / ".generated.json").unlink()
    (root / "root.md").unlink()
    again, _, reused = vault_data.cached_vault(tmp_path, 4, 2, seed=2, jobs=1)
    assert not reused and (again / "root.md").exists()
