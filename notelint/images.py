"""Opening an image file safely, to tell whether it can be shown.

Pillow is imported only here, inside `probe`, so start-up stays fast. The pixel count is read
from the header and checked before any pixel is decoded, so a decompression bomb is refused
without the memory it would take; every exception Pillow may raise on hostile input becomes
a sentence in `ImageInfo.problem`.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

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
    """Open and fully decode one image; never raises. `max_pixels` (width × height) refuses
    larger images from the header size, before decoding."""
    name = str(path)
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        return ImageInfo(name, problem=f"the file cannot be read: {exc.strerror or exc}")
    if size == 0:
        return ImageInfo(name, 0, problem="the file is empty (0 bytes)")
    ext = Path(name).suffix.lower()
    if ext == ".svg":
        return _probe_svg(name, size)
    try:
        return _probe_raster(name, size, ext, max_pixels)
    except Exception as exc:  # noqa: BLE001 - whatever Pillow raises, the run goes on
        return ImageInfo(name, size, problem=f"the image cannot be decoded ({type(exc).__name__}: {exc})")


def _probe_raster(name: str, size: int, ext: str, max_pixels: int) -> ImageInfo:
    from PIL import Image, UnidentifiedImageError

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # our own limit is applied below, from the header size
    try:
        return _open_and_load(Image, UnidentifiedImageError, name, size, ext, max_pixels)
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _open_and_load(Image, UnidentifiedImageError, name: str, size: int, ext: str, max_pixels: int) -> ImageInfo:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning: we apply our own limit
            im = Image.open(name)
    except UnidentifiedImageError:
        known = _signature(name)
        if known == "AVIF" and ext == ".avif":
            return ImageInfo(name, size, format="AVIF")  # this Pillow build cannot read AVIF: not judged
        if known is None:
            return ImageInfo(name, size, problem=f"the file is not an image (its bytes do not start like any image format), though named `{ext}`")
        return ImageInfo(name, size, format=known, problem=f"the {known} header is damaged; the image cannot be opened")
    except Image.DecompressionBombError as exc:
        return ImageInfo(name, size, problem=f"the image is too large to decode safely ({exc})")
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        return ImageInfo(name, size, problem=f"the image header cannot be read ({exc})")
    with im:
        width, height = im.size
        fmt, mode = im.format, im.mode
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
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                im.load()
                frames = getattr(im, "n_frames", 1)
                if frames > 1:
                    im.seek(frames - 1)
                    im.load()
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError, IndexError) as exc:
            why = "the file is truncated" if "truncat" in str(exc).lower() or isinstance(exc, EOFError) else "the image data is corrupt"
            return ImageInfo(name, size, width, height, fmt, mode,
                             problem=f"{why}: the {fmt} header promises {width}×{height} pixels but decoding failed ({exc})")
    return ImageInfo(name, size, width, height, fmt, mode)


def _signature(name: str) -> str | None:
    try:
        with open(name, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    for magic, fmt in SIGNATURES.items():
        if head.startswith(magic):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        return "AVIF"
    return None


def _probe_svg(name: str, size: int) -> ImageInfo:
    """SVG is text: it must hold an `<svg` element (not parsed further: no entity expansion)."""
    try:
        with open(name, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError as exc:
        return ImageInfo(name, size, problem=f"the file cannot be read: {exc.strerror or exc}")
    if b"<svg" not in head.lower():
        return ImageInfo(name, size, format="SVG", problem="the file has no `<svg` element; it is not an SVG image")
    return ImageInfo(name, size, format="SVG")


def probe_fact(path: str, max_pixels: int) -> dict:
    """`probe` as JSON data, for the results cache (keyed by the file's stat signature) and
    worker processes."""
    info = probe(path, max_pixels)
    return {"problem": info.problem, "remedy": info.remedy, "width": info.width, "height": info.height,
            "format": info.format, "bytes": info.bytes}
