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
    if nul:
        raise DecodeError(f"the file holds a NUL byte at byte {nul.start()}: it looks binary, not a text note")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8").removeprefix(BOM)  # valid up to the bad byte
        breaks = list(LINE_BREAK.finditer(before))
        line = len(breaks) + 1
        column = len(before) - (breaks[-1].end() if breaks else 0) + 1
        raise DecodeError(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "it may be Latin-1 or another legacy encoding: convert it to UTF-8",
            line,
            column,
        ) from None
    if text.startswith(BOM):
        return text[1:], True
    return text, False


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

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based (line, column)."""
        return self.starts[line - 1] + column - 1
