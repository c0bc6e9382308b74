"""What duplicate-image compares: one signature per image file, computed fast.

A signature holds the content digest (exact copies), the oriented pixel size and format
(how copies differ), a 256-bit perceptual hash (`imagehash.phash`, 16x16: the candidate
stage) and a 32x32 greyscale thumbnail (the verification stage). Every image in a vault is
computed the same way, through the same fast path, because a fast path shifts the hash a
little (see `../shared/notes/images.md`). The decoding itself is the opener's (`opener.py`),
shared with the probe and the preview:

* JPEG is decoded with `draft("L", ...)` (or as YCbCr, whose luma is the same bytes, when a
  preview wants colour): libjpeg scales by 1/2..1/8 while decoding, 3-5x faster;
* other formats are decoded fully (PNG has no shortcut), then shrunk with `reduce` (a box
  filter, fast) to about 256 px before the Lanczos resize phash does;
* EXIF orientation is applied, and transparency is composited onto white (premultiplied,
  so the edges of a transparent screenshot do not turn dark).

Pillow, imagehash and numpy are imported inside the functions: only a run that hashes
images pays for them. Nothing here raises for a bad file: the signature carries a
`problem` sentence instead.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from notelint.imaging.opener import WORK_SIDE, Opened, open_image

# Bump when anything below changes what a signature holds: cached signatures of another
# version are recomputed.
ALGORITHM = 2
HASH_SIZE = 16  # phash 16x16 = 256 bits
THUMB = 32  # verification thumbnail side (32x32 greyscale bytes)
FLAT_STD = 3.0  # a thumbnail this uniform (std of grey levels) is "flat": no perceptual match
DEFAULT_MAX_PIXELS = 100_000_000


@dataclass(frozen=True, slots=True)
class Signature:
    digest: str  # SHA-256 of the bytes, hex
    size: int  # bytes
    width: int = 0  # pixels, after EXIF orientation
    height: int = 0
    format: str = ""  # Pillow's format name: PNG, JPEG, WEBP, ...
    phash: str = ""  # 64 hex digits; "" when the image is flat or could not be decoded
    thumb: bytes = b""  # THUMB*THUMB grey levels, row by row; b"" as for phash
    problem: str = ""  # why there is no perceptual data (cannot be decoded, too large, ...)

    @property
    def flat(self) -> bool:
        return not self.problem and not self.phash

    def to_json(self) -> dict:
        out = {"size": self.size, "w": self.width, "h": self.height, "fmt": self.format, "ph": self.phash}
        if self.thumb:
            out["th"] = self.thumb.hex()
        if self.problem:
            out["problem"] = self.problem
        return out

    @classmethod
    def from_json(cls, digest: str, data: dict) -> Signature:
        return cls(digest, int(data["size"]), int(data["w"]), int(data["h"]), str(data["fmt"]), str(data["ph"]),
                   bytes.fromhex(data.get("th", "")), str(data.get("problem", "")))


def digest_file(path: str | os.PathLike) -> tuple[str, bytes]:
    """SHA-256 (1.6 GB/s here, twice BLAKE2b) and the bytes, read once: a renamed file is
    recognised by its content without being decoded."""
    with open(path, "rb") as fh:
        data = fh.read()
    return hashlib.sha256(data).hexdigest(), data


def signature(path: str | os.PathLike, max_pixels: int = DEFAULT_MAX_PIXELS) -> Signature:
    """The signature of one file; never raises for a bad or unreadable file."""
    opened = open_image(path, max_pixels)
    try:
        return from_opened(opened, max_pixels)
    finally:
        opened.close()


def from_opened(op: Opened, max_pixels: int = DEFAULT_MAX_PIXELS) -> Signature:
    """The signature of an opened file (`opener.py`), from its one decode."""
    import warnings

    from PIL import Image

    if op.size is None or op.read_error is not None:
        exc = op.read_error
        return Signature("", 0, problem=f"the file cannot be read: {exc.strerror or exc}")
    digest, size = op.digest, op.size
    if not size:
        return Signature(digest, 0, problem="the file is empty (0 bytes)")
    try:
        if op.open_error is not None:
            raise op.open_error
        img, fmt = op.image, op.format
        width, height = op.width, op.height
        if width * height > max_pixels:
            return Signature(digest, size, width, height, fmt,
                             problem=f"{width}x{height} pixels is more than max-pixels ({max_pixels:,}); not decoded")
        if not op.decoded:
            raise ValueError(f"the header gives an empty size ({width}x{height})")
        if op.decode_error is not None:
            raise op.decode_error
        orientation = op.orientation
        if orientation in (5, 6, 7, 8):
            width, height = height, width
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            grey = _work_image(img, op.luma_in_ycbcr)
            if orientation in range(2, 9):
                grey = grey.transpose(_transpose_for(orientation))
    except (Image.UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        return Signature(digest, size, format=_guess_format(op.data), problem=_problem(exc))
    except Exception as exc:  # noqa: BLE001 - a decoder bug must not stop the run
        return Signature(digest, size, format=_guess_format(op.data), problem=f"Pillow could not decode it ({type(exc).__name__}: {exc})")
    thumb = grey.resize((THUMB, THUMB), Image.Resampling.BILINEAR).tobytes()
    if _std(thumb) < FLAT_STD:
        return Signature(digest, size, width, height, fmt)  # flat: exact matches only
    return Signature(digest, size, width, height, fmt, _phash_hex(grey), thumb)


def _transpose_for(orientation: int):
    """The transpose that shows an image stored with this EXIF orientation (2..8) upright."""
    from PIL import Image

    T = Image.Transpose
    return {2: T.FLIP_LEFT_RIGHT, 3: T.ROTATE_180, 4: T.FLIP_TOP_BOTTOM, 5: T.TRANSPOSE,
            6: T.ROTATE_270, 7: T.TRANSVERSE, 8: T.ROTATE_90}[orientation]


def _work_image(img, luma_in_ycbcr: bool = False):
    """Greyscale, about WORK_SIDE px a side, alpha composited onto white, from the decoded
    first frame (a JPEG was decoded near WORK_SIDE by the opener's `draft`)."""
    if luma_in_ycbcr:
        img = img.getchannel(0)  # Y of a YCbCr draft: exactly the greyscale draft
    if getattr(img, "is_animated", False):
        img.seek(0)
    mode = img.mode
    alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in img.info) \
        or (mode in ("L", "RGB") and "transparency" in img.info)
    factor = (max(1, img.width // WORK_SIDE), max(1, img.height // WORK_SIDE))
    if alpha:
        img = img.convert("RGBA").convert("RGBa")  # premultiplied: a box filter mixes it correctly
        if factor != (1, 1):
            img = img.reduce(factor)
        return _onto_white(img)
    if mode not in ("L", "RGB"):
        img = img.convert("RGB") if mode != "I;16" else img.convert("I").point(lambda v: v / 256).convert("L")
    if factor != (1, 1):
        img = img.reduce(factor)  # before the grey conversion: it then converts 1/factor^2 of the pixels
    return img if img.mode == "L" else img.convert("L")


def _onto_white(premultiplied):
    """Grey of a premultiplied RGBa image over white: grey(premultiplied rgb) + 255 - alpha."""
    from PIL import Image, ImageChops

    r, g, b, alpha = premultiplied.split()
    # the ITU-R 601-2 weights of Pillow's convert("L"), which is linear: grey(a*c) = a*grey(c)
    grey = Image.merge("RGB", (r, g, b)).convert("L")
    return ImageChops.add(grey, ImageChops.invert(alpha))


def _phash_hex(grey) -> str:
    import imagehash

    return str(imagehash.phash(grey, hash_size=HASH_SIZE))


def _std(thumb: bytes) -> float:
    n = len(thumb)
    mean = sum(thumb) / n
    return (sum((v - mean) ** 2 for v in thumb) / n) ** 0.5


def _guess_format(data: bytes) -> str:
    head = data[:16]
    if head.startswith(b"\x89PNG"):
        return "PNG"
    if head.startswith(b"\xff\xd8"):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if b"<svg" in data[:1024] or head.lstrip().startswith(b"<?xml"):
        return "SVG"
    return ""


def _problem(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if "cannot identify image file" in text:
        return "not an image Pillow can read"
    if "truncated" in text.lower() or isinstance(exc, EOFError):
        return f"the image is truncated ({text})"
    return f"the image cannot be decoded ({text})"


# ----------------------------------------------------------------------- comparisons


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def aspect_difference(a: Signature, b: Signature) -> float:
    """Relative difference of the aspect ratios (0.03 = 3%)."""
    if not (a.width and a.height and b.width and b.height):
        return 1.0
    ra = a.width / a.height
    rb = b.width / b.height
    return abs(ra - rb) / min(ra, rb)
