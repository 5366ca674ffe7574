"""Character offsets to LSP positions and back, in the encoding the client and server agreed
on (UTF-16 by default; UTF-8 and UTF-32 when the client prefers them).

The protocol's lines end at ``\\r\\n``, ``\\r`` or ``\\n`` and nothing else (not at U+2028 or a
form feed, as ``str.splitlines`` would have it), and a character is counted in code units of
the encoding: an emoji is two UTF-16 units and four UTF-8 bytes. Positions past a line's end
clamp to it; lines past the end clamp to the end of the text."""

from __future__ import annotations

import bisect
import re

_BREAK = re.compile(r"\r\n|\r|\n")
UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str) -> int:
    """How many code units ``text`` takes in ``encoding``."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


class Positions:
    """One text's line starts, for converting in both directions."""

    __slots__ = ("_ends", "_starts", "encoding", "text")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        breaks = list(_BREAK.finditer(text))
        self._starts = [0, *(m.end() for m in breaks)]
        self._ends = [*(m.start() for m in breaks), len(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character), both 0-based, of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        offset = min(offset, self._ends[line])  # inside a CRLF: the end of the line
        return line, units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The character offset of an LSP position."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        start, end = self._starts[line], self._ends[line]
        if self.encoding == UTF32:
            return min(start + max(character, 0), end)
        counted = 0
        for index in range(start, end):
            if counted >= character:
                return index
            counted += units(self.text[index], self.encoding)
        return end
