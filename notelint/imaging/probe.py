"""The probe verdict: whether an image file can be shown, and if not, a sentence saying why.

It is read from the one opening of the file (`opener.py`): the pixel count comes from the
header and is checked before any pixel is decoded, so a decompression bomb is refused without
the memory it would take; every exception Pillow may raise on hostile input becomes a sentence
in `ImageInfo.problem`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from notelint.imaging.opener import Opened, open_image

# what the file name promises -> Pillow format names that keep the promise
EXPECTED_FORMATS = {
    ".png": {"PNG"},
    ".jpg": {"JPEG", "MPO"},
    ".jpeg": {"JPEG", "MPO"},
    ".gif": {"GIF"},
    ".webp": {"WEBP"},
    ".bmp": {"BMP", "DIB"},
    ".avif": {"AVIF"},
    ".tif": {"TIFF"},
    ".tiff": {"TIFF"},
}
_EXTENSION_OF = {"JPEG": "jpg", "MPO": "jpg", "DIB": "bmp", "TIFF": "tiff"}
# first bytes of formats this Pillow may be unable to decode (then the file is not judged)
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF",
              b"BM": "BMP", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


@dataclass(frozen=True, slots=True)
class ImageInfo:
    path: str
    bytes: int = 0
    width: int | None = None
    height: int | None = None
    format: str | None = None  # Pillow's format name, "SVG" for SVG
    mode: str | None = None
    problem: str | None = None  # a sentence saying what is wrong with the file; None when fine
    remedy: str = "replace it with a good copy"  # what to do about the problem

    @property
    def ok(self) -> bool:
        return self.problem is None


def probe(path: str | os.PathLike, max_pixels: int = 100_000_000) -> ImageInfo:
    """Open and decode one image (JPEG at the hash's reduced scale, which reads every byte
    a full decode reads); never raises. `max_pixels` (width × height) refuses
    larger images from the header size, before decoding."""
    opened = open_image(path, max_pixels)
    try:
        return from_opened(opened, max_pixels)
    finally:
        opened.close()


def from_opened(op: Opened, max_pixels: int) -> ImageInfo:
    """The verdict on an opened file. Read last: it decodes the rest of an animation."""
    name, size = op.path, op.size
    if size is None:
        return ImageInfo(name, problem=f"the file cannot be read: {op.read_error.strerror or op.read_error}")
    if size == 0:
        return ImageInfo(name, 0, problem="the file is empty (0 bytes)")
    if op.ext == ".svg":
        return _probe_svg(op)
    try:
        return _probe_raster(op, max_pixels)
    except Exception as exc:  # noqa: BLE001 - whatever Pillow raises, the run goes on
        return ImageInfo(name, size, problem=f"the image cannot be decoded ({type(exc).__name__}: {exc})")


def _probe_raster(op: Opened, max_pixels: int) -> ImageInfo:
    from PIL import Image, UnidentifiedImageError

    name, size, ext = op.path, op.size, op.ext
    try:
        if op.read_error is not None:
            raise op.read_error  # stat'ed but not read: worded as a header that cannot be read
        if op.open_error is not None:
            raise op.open_error
    except UnidentifiedImageError:
        known = _signature(op.data)
        if known == "AVIF" and ext == ".avif":
            return ImageInfo(name, size, format="AVIF")  # this Pillow build cannot read AVIF: not judged
        if known is None:
            return ImageInfo(name, size, problem=f"the file is not an image (its bytes do not start like any image format), though named `{ext}`")
        return ImageInfo(name, size, format=known, problem=f"the {known} header is damaged; the image cannot be opened")
    except Image.DecompressionBombError as exc:
        return ImageInfo(name, size, problem=f"the image is too large to decode safely ({exc})")
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        return ImageInfo(name, size, problem=f"the image header cannot be read ({exc})")
    width, height, fmt, mode = op.width, op.height, op.format, op.mode
    if width <= 0 or height <= 0:
        return ImageInfo(name, size, width, height, fmt, mode, problem=f"the header gives an empty size ({width}×{height})")
    if width * height > max_pixels:
        return ImageInfo(name, size, width, height, fmt, mode,
                         problem=f"{width}×{height} = {width * height:,} pixels, over the limit of {max_pixels:,}; "
                                 "it was not decoded (a decompression bomb, or an image too big to show)",
                         remedy="shrink it, or raise the rule's `max-pixels` option if it is wanted")
    expected = EXPECTED_FORMATS.get(ext)
    if expected and fmt not in expected:
        return ImageInfo(name, size, width, height, fmt, mode,
                         problem=f"the file is a {fmt} image but its name ends in `{ext}`, so tools that trust the name fail on it",
                         remedy=f"rename it to `.{_EXTENSION_OF.get(fmt, fmt.lower())}` and update its references")
    try:
        if not op.decoded:
            raise RuntimeError(f"not decoded: opened with a lower pixel limit than {max_pixels:,}")
        if op.decode_error is not None:
            raise op.decode_error
        error = op.last_frame_error()
        if error is not None:
            raise error
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError, IndexError) as exc:
        why = "the file is truncated" if "truncat" in str(exc).lower() or isinstance(exc, EOFError) else "the image data is corrupt"
        return ImageInfo(name, size, width, height, fmt, mode,
                         problem=f"{why}: the {fmt} header promises {width}×{height} pixels but decoding failed ({exc})")
    return ImageInfo(name, size, width, height, fmt, mode)


def _signature(data: bytes) -> str | None:
    head = data[:16]
    for magic, fmt in SIGNATURES.items():
        if head.startswith(magic):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        return "AVIF"
    return None


def _probe_svg(op: Opened) -> ImageInfo:
    """SVG is text: it must hold an `<svg` element (not parsed further: no entity expansion)."""
    if op.read_error is not None:
        return ImageInfo(op.path, op.size, problem=f"the file cannot be read: {op.read_error.strerror or op.read_error}")
    if b"<svg" not in op.data[:64 * 1024].lower():
        return ImageInfo(op.path, op.size, format="SVG", problem="the file has no `<svg` element; it is not an SVG image")
    return ImageInfo(op.path, op.size, format="SVG")


def to_json(info: ImageInfo) -> dict:
    """What unreadable-image reads of a verdict, as JSON data (for the results cache)."""
    return {"problem": info.problem, "remedy": info.remedy, "width": info.width, "height": info.height,
            "format": info.format, "bytes": info.bytes}
