"""The base protocol's framing (`Content-Length: N` headers, a blank line, N bytes of
JSON), read so that a malformed message costs one error and never the stream.

Pure: bytes go in (``feed``, ``stalled``, ``end``), whole bodies and complaints come out.
A body is cut short where the next message's `Content-Length:` header shows up inside it:
JSON never holds a raw line break inside a string, nor a bare word outside one, so a valid
body cannot contain one, and a Content-Length longer than its body (or a body truncated
and followed by the next message) ends there instead of swallowing the next message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_MESSAGE = 64 * 1024 * 1024  # bytes a body may be; a 5 MiB file escaped in JSON fits
MAX_HEADER_LINE = 4096  # a header line longer than this is not one
_HEADER = re.compile(rb"([A-Za-z0-9-]+)[ \t]*:[ \t]*(.*?)[ \t]*")
_NEXT_HEADER = re.compile(rb"content-length[ \t]*:[ \t]*\d+[ \t]*\r?\n", re.I)
_HEADER_START = re.compile(rb"content-length[ \t]*:", re.I)
_OVERLAP = 64  # bytes of what was already searched kept for a header split across reads
_WORD = b"content-length"
_AFTER_WORD = re.compile(rb"[ \t]*(?::[ \t]*(?:\d+[ \t]*\r?)?)?")


@dataclass(frozen=True)
class Message:
    """One body, exactly as long as its Content-Length said."""

    body: bytes


@dataclass(frozen=True)
class Malformed:
    """Bytes that are not a message: answered with one ParseError."""

    reason: str


Event = Message | Malformed


class Framer:
    """Bytes of the stream in, messages out."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._length: int | None = None  # from the headers read so far
        self._headers = False  # some header line of the next message was read
        self._body: int | None = None  # reading a body of this length
        self._taken = 0  # bytes of an oversized body dropped so far
        self._searched = 0  # bytes of the body already searched for the next header
        self._quiet = False  # the bad stretch we are in was already complained about
        self._patient = True  # a body may wait for a header that seems to follow it

    @property
    def waiting(self) -> bool:
        """Whether a body was announced and not all of it came (see `stalled`)."""
        return self._body is not None

    def feed(self, data: bytes) -> Iterator[Event]:
        """The events these bytes complete, one at a time: the consumer may call
        `rejected` on a body before the bytes after it are looked at."""
        self._buffer += data
        while True:
            event = self._body_step() if self._body is not None else self._header_step()
            if event is None:
                return
            if isinstance(event, Message | Malformed):
                yield event

    def rejected(self) -> None:
        """The consumer could not read the last body: bytes that follow it before the
        next header are its tail, not another bad message."""
        self._quiet = True

    def stalled(self) -> Iterator[Event]:
        """The rest of an announced body did not come: what came of it is a bad message,
        and what comes later of it is that message's tail."""
        if self._body is None:
            return
        if len(self._buffer) >= self._body - self._taken:  # whole; what seemed to follow
            self._patient = False  # it was not a header after all
            yield from self.feed(b"")
            return
        came = self._taken + len(self._buffer)
        del self._buffer[:]
        expected = self._body
        self._reset_body()
        self._quiet = True
        yield Malformed(
            f"the message stopped after {came} of the {expected} bytes its Content-Length announced"
        )

    def end(self) -> Iterator[Event]:
        """The stream ended: a message begun and not finished is a bad one."""
        complained = False
        for event in self.stalled():
            complained = complained or isinstance(event, Malformed)
            yield event
        rest = bytes(self._buffer).strip()
        del self._buffer[:]
        if (rest or self._headers) and not complained:
            yield from self._junk("the stream ended inside a message's headers")

    # -- headers ------------------------------------------------------------------------------

    def _header_step(self) -> Event | bool | None:
        """Read one header line; True when progress was made without an event, None when
        more bytes are needed."""
        end = self._buffer.find(b"\n")
        if end < 0:
            return self._long_line()
        line = bytes(self._buffer[: end + 1])
        del self._buffer[: end + 1]
        text = line.rstrip(b"\r\n")
        if not text.strip():
            return self._blank_line()
        start = _HEADER_START.search(line, 1)
        if start is not None:  # a header after bytes that are not one: start over there
            self._buffer[:0] = line[start.start() :]
            line = line[: start.start()]
        else:
            header = _HEADER.fullmatch(text)
            if header is not None and len(text) <= MAX_HEADER_LINE:
                return self._header(header.group(1), header.group(2))
        return self._first(self._junk("bytes outside any message")) if line.strip() else True

    def _long_line(self) -> Event | bool | None:
        """A line not ended yet: wait for its end, unless no header is that long."""
        if len(self._buffer) <= MAX_HEADER_LINE:
            return None
        start = _HEADER_START.search(self._buffer, 1)
        cut = start.start() if start is not None else len(self._buffer) - _OVERLAP
        junk = bytes(self._buffer[:cut])
        del self._buffer[:cut]
        return self._first(self._junk("bytes outside any message")) if junk.strip() else True

    def _blank_line(self) -> Event | bool:
        if not self._headers:
            return True  # blank lines between messages are harmless
        length = self._length
        self._headers, self._length = False, None
        if length is None:
            return self._first(self._junk("a message without a Content-Length header"))
        self._quiet = False
        self._body, self._taken, self._searched = length, 0, 0
        return True

    def _header(self, name: bytes, value: bytes) -> Event | bool:
        self._headers = True
        if name.lower() != b"content-length":
            return True  # Content-Type and the like: nothing to do
        if not value.isdigit() or len(value) > 15:
            self._headers, self._length = False, None
            return self._first(self._junk("a Content-Length that is not a number of bytes"))
        self._length = int(value)
        return True

    # -- bodies -------------------------------------------------------------------------------

    def _body_step(self) -> Event | bool | None:
        assert self._body is not None
        wanted = self._body - self._taken
        end = min(len(self._buffer), wanted + _OVERLAP)
        cut = _next_header(self._buffer, max(0, self._searched - _OVERLAP), end)
        self._searched = end
        if cut is not None and cut < wanted:
            came = self._taken + cut
            expected = self._body
            del self._buffer[:cut]
            self._reset_body()
            return Malformed(
                f"the next message began after {came} of the {expected} bytes its "
                "Content-Length announced"
            )
        if self._body > MAX_MESSAGE:
            return self._drop_oversized(wanted)
        if len(self._buffer) < wanted or (self._patient and self._header_may_follow(wanted)):
            return None
        body = bytes(self._buffer[:wanted])
        del self._buffer[:wanted]
        self._reset_body()
        return Message(body)

    def _header_may_follow(self, wanted: int) -> bool:
        """Whether the end of the body, and what came after it, could be the start of the
        next message's header not yet whole (a valid body never ends that way: wait)."""
        first = max(0, wanted - _OVERLAP)
        tail = bytes(self._buffer[first:]).lower()
        start = tail.find(b"c", 0, wanted - first)
        while start >= 0:
            if _could_start_header(tail[start:]):
                return True
            start = tail.find(b"c", start + 1, wanted - first)
        return False

    def _drop_oversized(self, wanted: int) -> Event | None:
        """A body too large to keep is dropped as it comes (still searched for the next
        header), then complained about."""
        assert self._body is not None
        keep = 0 if len(self._buffer) >= wanted else min(_OVERLAP, len(self._buffer))
        drop = min(wanted, len(self._buffer) - keep)
        del self._buffer[:drop]
        self._taken += drop
        self._searched = max(0, self._searched - drop)
        if self._taken < self._body:
            return None
        size = self._body
        self._reset_body()
        return Malformed(f"a message of {size} bytes, more than the {MAX_MESSAGE} allowed")

    def _reset_body(self) -> None:
        self._body, self._taken, self._searched, self._patient = None, 0, 0, True

    # -- complaints ---------------------------------------------------------------------------

    def _junk(self, reason: str) -> list[Event]:
        """One complaint per bad stretch: the tail of a message already complained about
        is not complained about again."""
        self._headers, self._length = False, None
        if self._quiet:
            return []
        self._quiet = True
        return [Malformed(reason)]

    @staticmethod
    def _first(events: list[Event]) -> Event | bool:
        return events[0] if events else True


def _could_start_header(data: bytes) -> bool:
    """Whether lowercased ``data`` is the beginning of a `content-length: N` line."""
    if len(data) <= len(_WORD):
        return _WORD.startswith(data)
    return data.startswith(_WORD) and _AFTER_WORD.fullmatch(data, len(_WORD)) is not None


def _next_header(data: bytearray, start: int, end: int) -> int | None:
    """Where a `Content-Length: N` line begins in ``data[start:end]``, if one does. Only
    the bytes before each line break are tried: a regular expression over a whole body of
    megabytes costs far more than finding its (usually no) line breaks."""
    newline = data.find(b"\n", start, end)
    while newline >= 0:
        found = _NEXT_HEADER.search(data, max(start, newline - _OVERLAP), newline + 1)
        if found is not None:
            return found.start()
        newline = data.find(b"\n", newline + 1, end)
    return None
