"""Each image is opened and decoded once per run, by the one opener (`notelint/imaging/opener.py`),
whichever of unreadable-image, duplicate-image and the HTML report read it; a warm run opens none."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from notelint.cli import main
from notelint.imaging import opener

Image = pytest.importorskip("PIL.Image")

IMAGES = ("a.png", "a-copy.png", "a-small.jpg", "cut.png", "other.png")


def _vault(root: Path) -> Path:
    from PIL import ImageDraw

    vault = root / "v"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".notelint.toml").write_text('select = ["unreadable-image", "duplicate-image"]\n')
    img = Image.new("RGB", (300, 200), "white")
    ImageDraw.Draw(img).rectangle((40, 40, 200, 150), fill=(200, 40, 40))
    img.save(vault / "a.png")
    (vault / "a-copy.png").write_bytes((vault / "a.png").read_bytes())
    img.resize((150, 100)).save(vault / "a-small.jpg", quality=80)
    data = (vault / "a.png").read_bytes()
    (vault / "cut.png").write_bytes(data[: len(data) // 2])
    other = Image.new("RGB", (200, 200), "white")
    ImageDraw.Draw(other).ellipse((20, 20, 180, 120), fill=(30, 30, 200))
    other.save(vault / "other.png")
    (vault / "note.md").write_text("".join(f"![{n}]({n})\n\n" for n in IMAGES))
    old = 1_600_000_000  # timestamps well in the past: the cache trusts them without re-reading
    for path in vault.iterdir():
        if path.is_file():
            os.utime(path, (old, old))
    return vault


def _run(root: Path, *args: str) -> tuple[int, str, dict[str, int]]:
    """The CLI in this process; how many times each image was opened."""
    opener.counts.clear()
    out = io.StringIO()
    saved = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main(["check", *args, "v"])
    finally:
        os.chdir(saved)
    opened = {Path(p).name: n for p, n in opener.counts.items()}
    return code, out.getvalue(), opened


def test_a_cold_run_opens_each_image_once_and_a_warm_run_none(tmp_path):
    _vault(tmp_path)
    code, text, opened = _run(tmp_path, "--format", "json")
    assert code == 1 and opened == dict.fromkeys(IMAGES, 1)
    rules = sorted(f["rule"] for f in json.loads(text))
    assert rules == ["duplicate-image", "duplicate-image", "unreadable-image"]
    code, warm, opened = _run(tmp_path, "--format", "json")
    assert (code, warm, opened) == (1, text, {})


def test_without_the_cache_each_image_is_still_opened_once(tmp_path):
    _vault(tmp_path)
    code, _, opened = _run(tmp_path, "--no-cache", "--format", "json")
    assert code == 1 and opened == dict.fromkeys(IMAGES, 1)


@pytest.mark.parametrize("images", ["embed", "link"])
def test_an_html_report_takes_its_previews_from_the_same_opening(tmp_path, images):
    vault = _vault(tmp_path)
    code, page, opened = _run(tmp_path, "--format", "html", "--html-images", images)
    assert code == 1 and opened == dict.fromkeys(IMAGES, 1)
    assert ('src="data:image/' in page) == (images == "embed")
    folder = vault / ".notelint_cache"
    cached_files = [*folder.glob("results-*.json"), *folder.glob("facts-*.json"), *folder.glob("assets-*.json")]
    assert len([f for f in cached_files if f.name.startswith("assets-")]) == 1 and len(cached_files) >= 2
    for cached in cached_files:
        assert "data:image" not in cached.read_text(), "previews belong in the image cache only"
    code, warm, opened = _run(tmp_path, "--format", "html", "--html-images", images)
    assert (code, opened) == (1, {}) and warm == page


def test_an_html_report_without_the_cache_opens_each_image_once(tmp_path):
    _vault(tmp_path)
    code, page, opened = _run(tmp_path, "--no-cache", "--format", "html")
    assert code == 1 and opened == dict.fromkeys(IMAGES, 1)
    assert "cannot be decoded: image file is truncated" in page
