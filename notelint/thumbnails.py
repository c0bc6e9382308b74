"""Small previews of vault images for the HTML report, with bounded work per image.

A preview is a `data:` URI of a thumbnail (JPEG, or PNG when the image has transparency)
so the report stays one self-contained file, or a relative link to the image itself.
Pillow is imported here, inside the functions, only when a report needs it. A file that
cannot be read or decoded, or that is too large to decode cheaply, gets a `problem`
sentence instead of a preview; nothing here raises for a bad file.
"""

from __future__ import annotations

import base64
import io
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

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
    out = Preview()
    try:
        out.size = path.stat().st_size
    except OSError as exc:
        out.problem = f"cannot be read: {exc.strerror or exc}"
        return out
    if path.suffix.lower() in SVG_EXTENSIONS:
        return _svg(path, out, embed, link)
    try:
        from PIL import Image, ImageOps
    except ImportError:  # pragma: no cover - Pillow is a dependency
        out.problem = "no preview: Pillow is not installed"
        return out
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning etc.: we decide below
            with Image.open(path) as im:
                out.format = im.format or ""
                width, height = im.size
                # EXIF sits in the header of JPEG files only; elsewhere (PNG's eXIf chunk may follow
                # the pixels) asking for it reads the whole file, so it waits until after decoding
                header_exif = out.format in ("JPEG", "MPO")
                if header_exif and _rotated(im):
                    width, height = height, width
                out.width, out.height = width, height
                if width * height > max_pixels:
                    out.problem = f"too large to preview ({width}×{height} pixels, more than {max_pixels:,})"
                    return out
                if out.size > MAX_BYTES:
                    out.problem = f"too large to preview ({human_size(out.size)})"
                    return out
                if not embed:
                    im.load()  # a link is only worth showing to a file the browser can decode
                    out.src = link
                else:
                    im.draft("RGB", (side * 2, side * 2))  # JPEG: let libjpeg decode at 1/2..1/8 size
                    im.thumbnail((side * 2, side * 2))
                    out.src = _data_uri(ImageOps.exif_transpose(im), side)
                if not header_exif and _rotated(im):
                    out.width, out.height = height, width
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad files
        if type(exc).__name__ == "DecompressionBombError":  # Pillow refuses it before we can ask
            pixels = re.search(r"\((\d+) pixels\)", str(exc))
            out.problem = f"too large to preview ({int(pixels.group(1)):,} pixels)" if pixels else "too large to preview"
        else:
            out.problem = f"cannot be decoded: {_reason(exc, path)}"
        out.src = ""
    return out


def _rotated(im) -> bool:
    try:
        return im.getexif().get(0x0112) in (5, 6, 7, 8)
    except Exception:  # noqa: BLE001 - a broken EXIF block is not worth a problem of its own
        return False


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


def _svg(path: Path, out: Preview, embed: bool, link: str) -> Preview:
    out.format = "SVG"
    if not embed:
        out.src = link
        return out
    if out.size is not None and out.size > MAX_SVG_BYTES:
        out.problem = f"SVG too large to embed ({human_size(out.size)})"
        return out
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.problem = f"cannot be read: {exc.strerror or exc}"
        return out
    if b"<svg" not in data[:4096].lower():
        out.problem = "cannot be decoded: not an SVG document"
        return out
    out.src = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
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
