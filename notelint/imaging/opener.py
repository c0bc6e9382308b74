"""The one way an image file is opened: read once, header checked, decoded at most once.

Every image rule and the HTML report see a file through `open_image`. It reads the bytes once
(the SHA-256 digest needs them anyway; a file that is not a regular file is never opened),
reads the header, stops there when the header is bad or over the pixel limit (a decompression
bomb costs nothing), and otherwise decodes the first frame once. The probe verdict
(`probe.py`), the signature (`hashing.py`) and the preview (`thumbnails.py`) are all taken
from that one `Opened`; `Opened.last_frame_error` then decodes the rest of an animation for
the probe, so it must be asked last.

JPEG is decoded with `draft` at the hash's working size (libjpeg scales by 1/2..1/8 while
decoding): measured on 840 truncated and corrupted JPEGs, the verdict (message included) is
the full decode's; the luma of a YCbCr draft is, bit for bit, the greyscale draft the hash was
designed on, so colour is decoded only when a preview is wanted.

`counts` tallies the calls per path: the tests count that a run decodes each image once.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORK_SIDE = 256  # the hash works on about this many pixels a side (JPEG is decoded near it)
EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()

counts: Counter[str] = Counter()  # path -> open_image calls in this process


@dataclass(eq=False)
class Opened:
    """What one opening of a file found; errors are kept as exceptions for each reader to word."""

    path: str
    ext: str  # the file name's suffix, lower case
    size: int | None = None  # bytes; None when the file could not even be stat'ed
    digest: str = ""  # SHA-256 of the bytes, hex
    data: bytes = b""
    read_error: OSError | None = None  # stat (size None) or read (size known) failed
    open_error: BaseException | None = None  # Pillow could not read the header
    image: Any = None  # the opened Pillow image; frame 0 decoded when `decoded` and no error
    width: int = 0  # from the header, as stored (before EXIF orientation)
    height: int = 0
    format: str = ""
    mode: str = ""  # from the header, before any draft
    bomb_limit: int | None = None  # Pillow's own refusal threshold (twice MAX_IMAGE_PIXELS)
    decoded: bool = False  # decoding was attempted (header fine, pixels within the limit)
    decode_error: BaseException | None = None
    orientation: int = 1  # EXIF orientation 1..8 (1 when absent or broken)
    luma_in_ycbcr: bool = False  # a colour JPEG drafted as YCbCr: the grey image is band 0
    _last_frame: list = field(default_factory=list)

    @property
    def pixels(self) -> int:
        return self.width * self.height

    def last_frame_error(self) -> BaseException | None:
        """Decode the last frame of an animation (a cut-off GIF fails only there); None when
        fine. Moves the image off frame 0, so every other reader must be done with it."""
        if not self._last_frame:
            self._last_frame.append(_load_last_frame(self.image))
        return self._last_frame[0]

    def close(self) -> None:
        if self.image is not None:
            self.image.close()
            self.image = None


def open_image(path: str | os.PathLike, max_pixels: int, colour: bool = False,
               max_bytes: int | None = None) -> Opened:
    """Read and, when its header allows, decode one image file; never raises. `max_pixels`
    (width × height from the header) bounds what is decoded; `colour` keeps a JPEG's colour
    for a preview (the hash needs only its luma); a file over `max_bytes` is neither read
    whole nor decoded, only its header is (then there is no digest)."""
    name = str(path)
    counts[name] += 1
    out = Opened(name, Path(name).suffix.lower())
    try:
        st = os.stat(path)
    except OSError as exc:
        out.read_error = exc
        return out
    out.size = st.st_size
    if not out.size:
        out.digest = EMPTY_DIGEST  # an empty file (a named pipe too) is never opened
        return out
    if not stat.S_ISREG(st.st_mode):
        out.read_error = OSError("not a regular file")
        return out
    whole = max_bytes is None or out.size <= max_bytes
    try:
        if whole:
            with open(path, "rb") as fh:
                out.data = fh.read()
    except OSError as exc:
        out.read_error = exc
        return out
    if whole:
        out.size = len(out.data)
        out.digest = hashlib.sha256(out.data).hexdigest()
    try:
        _decode(out, max_pixels if whole else 0, colour, io.BytesIO(out.data) if whole else name)
    except Exception as exc:  # noqa: BLE001 - whatever Pillow raises, the run goes on
        if out.image is None:
            out.open_error = exc
        else:
            out.decode_error = exc
    return out


def _decode(out: Opened, max_pixels: int, colour: bool, source) -> None:
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    out.bomb_limit = 2 * saved if saved else None
    Image.MAX_IMAGE_PIXELS = None  # our own limit is applied below, from the header size
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning and decoder chatter
            try:
                im = Image.open(source)
            except Exception as exc:  # noqa: BLE001 - each reader words it
                out.open_error = exc
                return
            out.image = im
            out.width, out.height = im.size
            out.format, out.mode = im.format or "", im.mode
            if out.width <= 0 or out.height <= 0 or out.pixels > max_pixels:
                return  # refused from the header (an over-`max_bytes` file always is)
            header_exif = out.format in ("JPEG", "MPO")  # elsewhere EXIF may follow the pixels
            if header_exif:
                out.orientation = orientation(im)
            if out.format == "JPEG" and im.mode in ("RGB", "L", "YCbCr"):
                ycbcr = colour and im.mode == "RGB"
                im.draft("YCbCr" if ycbcr else "L", (min(out.width, WORK_SIDE), min(out.height, WORK_SIDE)))
                out.luma_in_ycbcr = ycbcr and im.mode == "YCbCr"
            out.decoded = True
            try:
                im.load()
            except Exception as exc:  # noqa: BLE001 - each reader words it
                out.decode_error = exc
                return
            if not header_exif:
                out.orientation = orientation(im)
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def orientation(img) -> int:
    """The EXIF orientation, 1..8; 1 ("as stored") when absent or broken."""
    try:
        value = img.getexif().get(0x0112, 1)
        return int(value) if value in range(1, 9) else 1
    except Exception:  # noqa: BLE001 - a broken EXIF block means "as stored"
        return 1


def _load_last_frame(im) -> BaseException | None:
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frames = getattr(im, "n_frames", 1)
            if frames > 1:
                im.seek(frames - 1)
                im.load()
    except Exception as exc:  # noqa: BLE001 - the probe words it
        return exc
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    return None
