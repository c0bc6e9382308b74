"""Hostile images through the real CLI: zero bytes, truncated, a JPEG named `.png`, random
bytes, decompression bombs (refused from the header, before decoding, under Pillow's limit
and the configurable `max-pixels` cap), named pipes, and references climbing out of the vault
with `..` or through a symlink (never opened: an outside named pipe would hang the run).
"""

from __future__ import annotations

import io
import json
import os
import struct
import time
import zlib
from pathlib import Path

import pytest

from helpers import run_cli

Image = pytest.importorskip("PIL.Image")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width: int, height: int) -> bytes:
    """A valid PNG header promising width × height RGB pixels, with almost no data: decoding
    it would allocate width × height × 3 bytes (10.8 GB for 60,000²)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + _chunk(b"IEND", b""))


def encoded(color: str, fmt: str, size=(64, 64)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


def make_vault(root: Path, config: str = "") -> tuple[Path, dict[str, bytes]]:
    vault = root / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "img").mkdir()
    (vault / ".notelint.toml").write_text(
        'select = ["dangling-image", "unreadable-image", "whitespace"]\n' + config)
    good = encoded("red", "PNG")
    images = {
        "good.png": good,
        "zero.png": b"",
        "truncated.png": good[: len(good) // 2],
        "jpeg.png": encoded("blue", "JPEG"),
        "random.png": bytes(range(256)) * 2,
        "bomb.png": bomb_png(60_000, 60_000),
        "wide.png": encoded("green", "PNG", (300, 300)),
    }
    for name, data in images.items():
        (vault / "img" / name).write_bytes(data)
    refs = "\n\n".join(f"![{name}](img/{name})" for name in images)
    (vault / "note.md").write_text(f"# Images\n\n{refs}\n\ntrailing \n")
    return vault, images


def check(root: Path) -> tuple[int, list[dict], float]:
    start = time.monotonic()
    result = run_cli("check", "--no-cache", "--format", "json", "vault", cwd=root)
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout), elapsed


def unreadable(found: list[dict]) -> dict[str, str]:
    return {f["path"].removeprefix("vault/img/"): f["message"] for f in found if f["rule"] == "unreadable-image"}


def test_broken_images_get_clear_findings_and_the_run_goes_on(tmp_path):
    vault, images = make_vault(tmp_path)
    code, found, elapsed = check(tmp_path)
    assert code == 1 and elapsed < 30
    bad = unreadable(found)
    assert set(bad) == {"zero.png", "truncated.png", "jpeg.png", "random.png", "bomb.png"}
    assert "empty (0 bytes)" in bad["zero.png"]
    assert "truncated" in bad["truncated.png"]
    assert "JPEG" in bad["jpeg.png"] and "rename it to `.jpg`" in bad["jpeg.png"]
    assert "not an image" in bad["random.png"]
    assert "3,600,000,000 pixels" in bad["bomb.png"] and "not decoded" in bad["bomb.png"]
    for f in found:
        if f["rule"] == "unreadable-image":
            assert (f["line"], f["column"]) == (1, 1) and f["related"] == ["vault/note.md"]
    assert any(f["rule"] == "whitespace" and f["path"] == "vault/note.md" for f in found)  # notes still checked
    fixed = run_cli("fix", "--no-cache", "vault", cwd=tmp_path)
    assert "Traceback" not in fixed.stderr
    for name, data in images.items():
        assert (vault / "img" / name).read_bytes() == data, name  # images are never written


def test_the_pixel_cap_is_configurable(tmp_path):
    make_vault(tmp_path, "[rules.unreadable-image]\nmax-pixels = 10000\n")
    _, found, _ = check(tmp_path)
    bad = unreadable(found)
    assert "wide.png" in bad and "90,000 pixels" in bad["wide.png"] and "max-pixels" in bad["wide.png"]
    assert "good.png" not in bad  # 64 × 64 = 4,096


def test_a_decompression_bomb_is_refused_quickly_without_its_memory(tmp_path):
    vault, _ = make_vault(tmp_path)
    for i in range(20):
        (vault / "img" / f"bomb{i}.png").write_bytes(bomb_png(65_535, 65_535))
    (vault / "bombs.md").write_text("".join(f"![b](img/bomb{i}.png)\n" for i in range(20)))
    code, found, elapsed = check(tmp_path)
    assert elapsed < 30  # decoding even one would take minutes and 12 GB
    assert sum(1 for f in found if f["rule"] == "unreadable-image" and "bomb" in f["path"]) == 21


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_images_outside_the_vault_or_not_regular_files_are_never_opened(tmp_path):
    """Every target here is a named pipe: opening one for reading blocks, so a run that tried
    would hit the subprocess timeout instead of finishing."""
    vault, _ = make_vault(tmp_path)
    os.mkfifo(tmp_path / "outside.png")
    os.mkfifo(vault / "img" / "fifo.png")
    (vault / "img" / "link-out.png").symlink_to(tmp_path / "outside.png")
    (vault / "escape.md").write_text(
        "![a](../outside.png)\n\n![b](img/../../outside.png)\n\n![[../outside.png]]\n\n"
        '<img src="../outside.png">\n\n![c](img/fifo.png)\n\n![d](img/link-out.png)\n\n'
        "![e](/../../../outside.png)\n\n![f](%2E%2E/outside.png)\n")
    code, found, elapsed = check(tmp_path)
    assert code == 1 and elapsed < 30
    mine = [f for f in found if f["path"] == "vault/escape.md"]
    assert [f["line"] for f in mine if f["rule"] == "dangling-image"] == [1, 3, 5, 7, 9, 11, 13, 15]
    outside = [f for f in mine if "outside the vault" in f["message"]]
    assert [f["line"] for f in outside][:4] == [1, 3, 5, 7]
    assert all("not read" in f["message"] for f in outside)
