"""Bytes to text, and character offsets to 1-based lines and columns.

Columns count characters (Unicode code points), as SARIF's ``unicodeCodePoints`` and most
editors do. Lines break at ``\\n``, ``\\r\\n`` and ``\\r`` -- the breaks editors show.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from typing import BinaryIO

MAX_FILE_BYTES = 5 * 1024 * 1024

_BREAK = re.compile(r"\r\n|\r|\n")
UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_32_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


@dataclass(frozen=True)
class FileData:
    """A file's bytes, read up to the size cap: past it, only its size is known."""

    content: bytes
    size: int

    @property
    def too_large(self) -> bool:
        return self.size > MAX_FILE_BYTES


def read_file(path: str | os.PathLike[str]) -> FileData:
    """Read a file, at most MAX_FILE_BYTES of it. OSError propagates."""
    with open(path, "rb") as handle:
        return read_stream(handle, os.fstat(handle.fileno()).st_size)


def read_stream(stream: BinaryIO, size_hint: int = 0) -> FileData:
    """Read a stream (standard input), at most MAX_FILE_BYTES of it."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return FileData(b"", max(size_hint, len(data)))
    return FileData(data, len(data))


@dataclass(frozen=True)
class DecodeProblem:
    """Why bytes are not a lintable text, and at which character of the decodable prefix."""

    message: str
    offset: int
    text: str  # the part that decoded, so the offset can be turned into line and column


def decode(data: bytes) -> str | DecodeProblem:
    """Decode a file's bytes as UTF-8 (a leading BOM is dropped)."""
    for bom, name in _UTF16_32_BOMS:
        if data.startswith(bom):
            return DecodeProblem(f"the file is encoded as {name}; save it as UTF-8", 0, "")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8")
        bad = data[exc.start]
        return DecodeProblem(
            f"invalid UTF-8: byte 0x{bad:02x} cannot start or continue a character; "
            "save the file as UTF-8",
            len(prefix),
            prefix,
        )
    return text.removeprefix("\ufeff")


class LineIndex:
    """Maps character offsets of one text to (line, column), both 1-based."""

    __slots__ = ("_length", "_starts", "_text")

    def __init__(self, text: str) -> None:
        starts = [0]
        starts.extend(m.end() for m in _BREAK.finditer(text))
        self._starts = starts
        self._length = len(text)
        self._text = text

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self._length))
        if 0 < offset < self._length and self._text[offset - 1 : offset + 1] == "\r\n":
            offset -= 1  # inside a CRLF break is where the break begins
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def offset(self, line: int, column: int) -> int:
        return self._starts[line - 1] + column - 1


_BREAK_CHAR = re.compile(r"[\r\n]")


def line_start(text: str, offset: int) -> int:
    """Where the line holding ``offset`` starts."""
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def line_end(text: str, offset: int) -> int:
    """Where the line holding ``offset`` ends (its line break, or the end of the text)."""
    found = _BREAK_CHAR.search(text, offset)
    return found.start() if found else len(text)
