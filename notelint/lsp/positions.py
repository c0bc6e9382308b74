"""Positions between notelint (1-based lines, code-point columns) and LSP (0-based lines,
columns in the negotiated encoding: UTF-16 code units unless the client offers another).

Line breaks are `\\n`, `\\r\\n` and `\\r`, as both LSP and `source.Lines` count them, so a form feed
or U+2028 inside a line never shifts a line number.
"""

from __future__ import annotations

from notelint.source import Lines

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str) -> int:
    """How many code units `text` takes in the client's encoding."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)  # astral characters are surrogate pairs


def to_client(lines: Lines, offset: int, encoding: str) -> tuple[int, int]:
    """(line, character) of a code-point offset, 0-based, in client units."""
    offset = max(0, min(offset, len(lines.text)))
    i = lines.index_of(offset)
    return i, units(lines.text[lines.starts[i]:offset], encoding)


def position_to_client(lines: Lines, line: int, column: int, encoding: str) -> tuple[int, int]:
    """A finding's 1-based (line, code-point column) in client units, clamped to the text."""
    if line < 1:
        return 0, 0
    if line > len(lines):
        return to_client(lines, len(lines.text), encoding)
    start, end = lines.starts[line - 1], lines.ends[line - 1]
    return to_client(lines, min(start + max(column, 1) - 1, end), encoding)


def from_client(lines: Lines, line: int, character: int, encoding: str) -> int:
    """The code-point offset of a client position; past the end of a line means its end (LSP)."""
    if line < 0:
        return 0
    if line >= len(lines):
        return len(lines.text)
    start, end = lines.starts[line], lines.ends[line]
    text = lines.text[start:end]
    if encoding == UTF32 or text.isascii():
        return start + min(character, len(text))
    count = 0
    for i, ch in enumerate(text):
        if count >= character:
            return start + i
        count += units(ch, encoding)
    return end
