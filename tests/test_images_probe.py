"""notelint.imaging.probe.probe: every way an image file can be bad becomes a sentence, never an exception,
and an image over the pixel limit is refused from its header, before any decoding."""

import random

import pytest
from PIL import Image, ImageFile

from notelint.imaging.probe import probe


def _png(path, size=(8, 6), mode="RGB", fmt="PNG"):
    Image.new(mode, size, 0 if mode == "1" else (30, 60, 90)).save(path, format=fmt)
    return path


def test_a_good_png_gives_its_size_and_format(tmp_path):
    info = probe(_png(tmp_path / "a.png"), 1000)
    assert info.ok and info.problem is None
    assert (info.width, info.height, info.format, info.mode) == (8, 6, "PNG", "RGB")
    assert info.bytes == (tmp_path / "a.png").stat().st_size


def test_zero_bytes_is_reported_as_empty(tmp_path):
    (tmp_path / "e.png").write_bytes(b"")
    info = probe(tmp_path / "e.png", 1000)
    assert info.problem == "the file is empty (0 bytes)"


def test_a_truncated_png_is_reported_as_truncated(tmp_path):
    data = _png(tmp_path / "full.png", (64, 64)).read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    info = probe(tmp_path / "cut.png", 10_000)
    assert info.problem.startswith("the file is truncated")
    assert "64×64" in info.problem


def test_text_named_png_is_not_an_image(tmp_path):
    (tmp_path / "t.png").write_bytes(b"just some text\n")
    info = probe(tmp_path / "t.png", 1000)
    assert "not an image" in info.problem and "`.png`" in info.problem


def test_a_jpeg_named_png_is_mislabelled_and_the_remedy_names_the_right_extension(tmp_path):
    info = probe(_png(tmp_path / "j.png", fmt="JPEG"), 1000)
    assert "JPEG" in info.problem and "`.png`" in info.problem
    assert "`.jpg`" in info.remedy


def test_a_jpeg_named_jpeg_is_fine(tmp_path):
    assert probe(_png(tmp_path / "j.jpeg", fmt="JPEG"), 1000).ok


def test_over_the_pixel_limit_is_refused_from_the_header_without_decoding(tmp_path, monkeypatch):
    path = _png(tmp_path / "bomb.png", (3000, 2000), mode="1")  # a few kB on disk, 6 Mpx decoded
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(1))
    assert probe(path, 10_000_000).ok and decoded, "the spy sees decoding under the limit"
    decoded.clear()
    info = probe(path, 1_000_000)
    assert not decoded, "the image was decoded although its header is over the limit"
    assert (info.width, info.height) == (3000, 2000)
    assert "6,000,000 pixels" in info.problem and "1,000,000" in info.problem
    assert "max-pixels" in info.remedy


def test_pillows_own_bomb_limit_does_not_preempt_ours_and_is_restored(tmp_path):
    path = _png(tmp_path / "huge.png", (20000, 10000), mode="1")  # over Pillow's 2x bomb limit
    before = Image.MAX_IMAGE_PIXELS
    info = probe(path, 1_000_000)
    assert "200,000,000 pixels" in info.problem
    assert Image.MAX_IMAGE_PIXELS == before


def test_a_damaged_png_header_is_reported(tmp_path):
    data = bytearray(_png(tmp_path / "a.png").read_bytes())
    data[16:24] = b"\xff" * 8  # width and height in IHDR, and its CRC no longer matches
    (tmp_path / "bad.png").write_bytes(bytes(data))
    info = probe(tmp_path / "bad.png", 1000)
    assert info.problem


def test_svg_needs_an_svg_element(tmp_path):
    (tmp_path / "ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "bad.svg").write_text("not svg at all")
    assert probe(tmp_path / "ok.svg", 10).ok
    assert "`<svg`" in probe(tmp_path / "bad.svg", 10).problem


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path):
    assert "cannot be read" in probe(tmp_path / "nope.png", 10).problem


@pytest.mark.parametrize("ext", [".png", ".jpg", ".gif", ".webp", ".bmp", ".tiff", ".avif"])
def test_random_bytes_after_a_real_header_never_raise(tmp_path, ext):
    rng = random.Random(ext)
    fmt = {".jpg": "JPEG", ".tiff": "TIFF"}.get(ext, ext[1:].upper())
    good = _png(tmp_path / f"good{ext}", (16, 16), fmt=fmt).read_bytes()
    for i in range(25):
        cut = rng.randrange(1, len(good))
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 64)))
        path = tmp_path / f"x{i}{ext}"
        path.write_bytes(good[:cut] + noise)
        info = probe(path, 10_000)
        assert info.problem is None or isinstance(info.problem, str)
