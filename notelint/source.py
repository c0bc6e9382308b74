"""Decoding a note's bytes without losing any of them, and mapping offsets to positions.

A note is kept as the exact text of the file (BOM removed and remembered, line endings
untouched), so that every fix is a splice on that text and every position is computed on
it. Offsets are Python string indexes, i.e. Unicode code points, which is what the
spec's columns count.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

BOM = "\ufeff"
LINE_BREAK = re.compile(r"\r\n?|\n")
# Control characters that never occur in a text note; NUL is the classic sign of a binary file.
_BINARY_HINT = re.compile(rb"\x00")


class DecodeError(Exception):
    """The bytes are not a UTF-8 text note; the message says why, for a finding."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line = line
        self.column = column


def decode(data: bytes) -> tuple[str, bool]:
    """Return (text without BOM, had_bom); raise DecodeError for binary or non-UTF-8 data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError("the file is UTF-16 (it starts with a UTF-16 byte-order mark); notes must be UTF-8")
    nul = _BINARY_HINT.search(data)
    if nul and _utf16_without_bom(data):
        raise DecodeError(f"the file looks like UTF-16 ({_utf16_without_bom(data)}, without a byte-order mark): "
                          "every other byte is NUL; notes must be UTF-8: convert it")
    if nul:
        try:  # in a text note gone wrong, point at the NUL; in binary data, at the file
            data[: nul.start()].decode("utf-8")
            line, column = _position_before(data, nul.start())
        except UnicodeDecodeError:
            line, column = 1, 1
        raise DecodeError(f"the file holds a NUL byte at byte {nul.start()}: it looks binary, not a text note",
                          line, column)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_before(data, exc.start)  # valid up to the bad byte
        raise DecodeError(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "it may be Latin-1 or another legacy encoding: convert it to UTF-8",
            line,
            column,
        ) from None
    if text.startswith(BOM):
        return text[1:], True
    return text, False


def _utf16_without_bom(data: bytes) -> str:
    """'little-endian' or 'big-endian' when the start of `data` is mostly ASCII as UTF-16."""
    sample = data[:512]
    if len(sample) < 4:
        return ""
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "little-endian"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "big-endian"
    return ""


def _position_before(data: bytes, end: int) -> tuple[int, int]:
    """1-based (line, column) of byte `end`, counted as for readable notes (BOM not a column,
    `\\r\\n`, `\\r` and `\\n` end lines); bytes before it that are not UTF-8 count one column each."""
    before = data[:end].decode("utf-8", "replace").removeprefix(BOM)
    breaks = list(LINE_BREAK.finditer(before))
    return len(breaks) + 1, len(before) - (breaks[-1].end() if breaks else 0) + 1


def encode(text: str, bom: bool) -> bytes:
    """The inverse of decode for text we produced: UTF-8, BOM restored if the file had one."""
    return (BOM + text if bom else text).encode("utf-8")


def dominant_newline(text: str) -> str:
    """The line ending a fix should insert: the one the file already uses most."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf >= lf and crlf >= cr and crlf:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


@dataclass(slots=True)
class Lines:
    """Line table of a text: `\\r\\n`, `\\r` and `\\n` end a line, nothing else does.

    `str.splitlines` also splits on form feeds and Unicode separators, which Markdown
    parsers do not, so line numbers would drift; this table agrees with markdown-it.
    """

    text: str
    starts: list[int] = field(init=False)
    ends: list[int] = field(init=False)  # end of content, before the line break

    def __post_init__(self) -> None:
        starts = [0]
        ends = []
        for m in LINE_BREAK.finditer(self.text):
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(self.text))
        self.starts, self.ends = starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    def index_of(self, offset: int) -> int:
        """0-based line index holding `offset`."""
        return bisect.bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset, column in code points."""
        i = self.index_of(offset)
        return i + 1, offset - self.starts[i] + 1

    def line(self, index: int) -> str:
        """Content of the 0-based line `index`, without its line break."""
        return self.text[self.starts[index] : self.ends[index]]

    def blank(self, index: int) -> bool:
        """Whether the 0-based line `index` holds nothing but spaces and tabs."""
        return not self.line(index).strip(" \t")

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based (line, column)."""
        return self.starts[line - 1] + column - 1
