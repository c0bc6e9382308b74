"""Small previews of vault images for the HTML report, with bounded work per image.

A preview is a `data:` URI of a thumbnail (JPEG, or PNG when the image has transparency)
so the report stays one self-contained file, or a relative link to the image itself. It is
drawn from the one decode of the file (`opener.py`) that also gives the probe verdict and the
signature; Pillow is imported only when an image is opened. A file that
cannot be read or decoded, or that is too large to decode cheaply, gets a `problem`
sentence instead of a preview; nothing here raises for a bad file.
"""

from __future__ import annotations

import base64
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from notelint.imaging.opener import Opened, open_image

SIDE = 160  # thumbnail box, CSS pixels
MAX_PIXELS = 40_000_000  # larger images are not decoded for a preview (a 40-megapixel PNG is ~160 MB)
MAX_BYTES = 64 * 1024 * 1024  # larger files are not decoded either
MAX_SVG_BYTES = 256 * 1024  # an SVG is embedded as it is, up to this size
SVG_EXTENSIONS = (".svg",)


@dataclass(slots=True)
class Preview:
    """What the report shows for one image file."""

    size: int | None = None  # bytes on disk
    width: int | None = None  # pixels (after EXIF rotation)
    height: int | None = None
    format: str = ""  # Pillow's format name (PNG, JPEG, ...), or SVG
    src: str = ""  # a data: URI or a relative URL; "" when there is no preview
    problem: str = ""  # why there is no preview


def human_size(n: int | None) -> str:
    if n is None:
        return "?"
    if n < 1024:
        return f"{n} B"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}"
    return f"{n:.1f} GB"  # pragma: no cover


def preview(path: Path, embed: bool = True, link: str = "", side: int = SIDE,
            max_pixels: int = MAX_PIXELS) -> Preview:
    """Probe `path` (size, pixels, format) and make its preview: a thumbnail `data:` URI when
    `embed`, else `link` (a URL relative to the report) once the file is known to decode."""
    opened = open_image(path, max_pixels, colour=embed, max_bytes=MAX_BYTES)
    try:
        return from_opened(opened, embed, link, side, max_pixels)
    finally:
        opened.close()


def from_opened(op: Opened, embed: bool = True, link: str = "", side: int = SIDE,
                max_pixels: int = MAX_PIXELS) -> Preview:
    """The preview of an opened file (`opener.py`), from its one decode. Leaves an animation's
    frames alone (the probe reads them after) by drawing from a copy."""
    out = Preview(size=op.size)
    if op.size is None:
        out.problem = f"cannot be read: {op.read_error.strerror or op.read_error}"
        return out
    if op.ext in SVG_EXTENSIONS:
        return _svg(op, out, embed, link)
    if op.read_error is not None:
        out.problem = f"cannot be read: {op.read_error.strerror or op.read_error}"
        return out
    try:
        if not op.size:
            from PIL import UnidentifiedImageError

            raise UnidentifiedImageError("empty file")  # what Pillow says of one
        if op.open_error is not None:
            raise op.open_error
        out.format = op.format
        width, height = op.width, op.height
        if op.bomb_limit is not None and width * height > op.bomb_limit:  # Pillow refuses it on opening
            out.problem = f"too large to preview ({width * height:,} pixels)"
            return out
        # EXIF sits in the header of JPEG files only; elsewhere it is known after decoding
        header_exif = out.format in ("JPEG", "MPO")
        rotated = op.orientation in (5, 6, 7, 8)
        if header_exif and rotated:
            width, height = height, width
        out.width, out.height = width, height
        if width * height > max_pixels:
            out.problem = f"too large to preview ({width}×{height} pixels, more than {max_pixels:,})"
            return out
        if out.size > MAX_BYTES:
            out.problem = f"too large to preview ({human_size(out.size)})"
            return out
        if not op.decoded:
            raise ValueError(f"not decoded ({width}×{height} pixels)")
        if op.decode_error is not None:
            raise op.decode_error
        if not embed:
            out.src = link  # a link is only worth showing to a file the browser can decode
        else:
            out.src = _data_uri_of(op, side)
        if not header_exif and rotated:
            out.width, out.height = height, width
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad files
        out.problem = f"cannot be decoded: {_reason(exc, Path(op.path))}"
        out.src = ""
    return out


def _data_uri_of(op: Opened, side: int) -> str:
    from PIL import ImageOps

    im = op.image
    if op.luma_in_ycbcr:
        im = im.convert("RGB")  # the colour of a JPEG the opener decoded as YCbCr
    elif getattr(im, "n_frames", 1) > 1:
        im = im.copy()  # thumbnail() works in place; the probe reads the other frames later
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        im.thumbnail((side * 2, side * 2))
        return _data_uri(ImageOps.exif_transpose(im), side)


def _data_uri(im, side: int) -> str:
    """A `side`-pixel thumbnail of an opened image, JPEG or PNG (transparency), as a data: URI."""
    im.thumbnail((side, side))
    alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    im = im.convert("RGBA" if alpha else "RGB")
    buf = io.BytesIO()
    if alpha:
        im.save(buf, "PNG", optimize=True)
        mime = "image/png"
    else:
        im.save(buf, "JPEG", quality=80)
        mime = "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"


def _svg(op: Opened, out: Preview, embed: bool, link: str) -> Preview:
    out.format = "SVG"
    if not embed:
        out.src = link
        return out
    if out.size is not None and out.size > MAX_SVG_BYTES:
        out.problem = f"SVG too large to embed ({human_size(out.size)})"
        return out
    if op.read_error is not None:
        out.problem = f"cannot be read: {op.read_error.strerror or op.read_error}"
        return out
    if b"<svg" not in op.data[:4096].lower():
        out.problem = "cannot be decoded: not an SVG document"
        return out
    out.src = "data:image/svg+xml;base64," + base64.b64encode(op.data).decode("ascii")
    return out


def _reason(exc: Exception, path: Path) -> str:
    """A short reason without the file's absolute path (the report already names the file)."""
    if type(exc).__name__ == "UnidentifiedImageError":
        return "not an image format Pillow can read"
    text = str(exc).replace(repr(str(path)), "").replace(str(path), "").strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def relative_url(target: Path, base_dir: Path) -> str:
    """A URL for `target` relative to the folder the report is written to (`./` first, so a
    file named `a:b.png` is never read as a URL scheme)."""
    from urllib.parse import quote

    rel = Path(os.path.relpath(target, base_dir)).as_posix()
    if not rel.startswith("../"):
        rel = "./" + rel
    return quote(rel, safe="/.-_~!$&'()*+,;=@")
