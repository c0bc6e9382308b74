"""Small files for the rules' documentation examples (`Rule.example_files`): a valid PNG built
with `zlib` alone, so that importing a rule never loads Pillow, and the template schema the
section rules read."""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"

# The sample vault's paper-summary template (examples/sample-vault/.notelint.toml, shortened): the
# example vault of the rules that read required-sections' schemas (required-sections, section-label).
PAPER_NOTE = "daily.journal.2023.11.29.md"
PAPER_TEMPLATE = {".notelint.toml": (
    "[[rules.required-sections.schemas]]\n"
    "paths = [\"daily.journal.*\"]\n"
    "level = 2\n"
    "sections = [\"研究背景\", \"研究动机\", \"研究方法\"]\n"
)}


def png(width: int = 8, height: int = 8, shade: int = 0) -> bytes:
    """A valid 8-bit RGB PNG of a colour gradient; `shade` changes the colours (another picture)."""
    rows = b"".join(
        b"\0" + b"".join(bytes(((x * 32 + shade) % 256, (y * 32) % 256, (x * y + shade) % 256)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
