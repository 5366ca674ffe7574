"""What nexlint and its plugin host say to each other: JSON messages, each preceded by its
length (4 bytes, big-endian). Non-ASCII text travels escaped, lone surrogates included."""

from __future__ import annotations

import json
import os
import struct
from typing import Any

HEADER = struct.Struct(">I")
LIMIT = 1 << 30  # bytes of one message; more is a broken or forged stream


class WireError(Exception):
    """A stream that is not a sequence of messages."""


def encode(message: Any) -> bytes:
    data = json.dumps(message, separators=(",", ":")).encode("ascii")
    return HEADER.pack(len(data)) + data


class Decoder:
    """Bytes in, as they arrive; whole messages out."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def next(self) -> tuple[bool, Any]:
        """(True, the next message) or (False, None) while it is not all there."""
        if len(self._buffer) < HEADER.size:
            return False, None
        (size,) = HEADER.unpack_from(self._buffer)
        if size > LIMIT:
            raise WireError(f"a message of {size} bytes")
        end = HEADER.size + size
        if len(self._buffer) < end:
            return False, None
        data = bytes(self._buffer[HEADER.size : end])
        del self._buffer[:end]
        try:
            return True, json.loads(data)
        except ValueError as exc:
            raise WireError(f"a message that is not JSON: {exc}") from None


def send(fd: int, message: Any) -> None:
    """Write one message to a blocking descriptor."""
    data = memoryview(encode(message))
    while data:
        data = data[os.write(fd, data) :]


def receive(fd: int, decoder: Decoder) -> tuple[bool, Any]:
    """Read one message from a blocking descriptor: (False, None) at the end of the stream."""
    while True:
        ready, message = decoder.next()
        if ready:
            return True, message
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return False, None
        decoder.feed(chunk)
