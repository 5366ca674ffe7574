"""How text from a linted file is shown: escaped and clipped, by one helper for each job.

A file is written by whoever wrote it, and it reaches terminals, CI logs, XML and JSON
through our messages and code frames. Characters that can drive a terminal (C0 controls but
tab, DEL, C1), forge a line (line and paragraph separators), reorder what is seen
(bidirectional controls) or cannot be encoded (lone surrogates, which Python keeps from a
``"\\ud800"`` escape) are shown as escapes instead: ``\\x1b``, ``\\u202e``, ``\\n``.
"""

from __future__ import annotations

import re

SHOWN_LIMIT = 40

_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f"  # C0 but tab, DEL, C1 (NEL among them)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks and overrides
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates: not encodable as UTF-8
    "\ufffe\uffff]"  # noncharacters XML 1.0 forbids
)
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every unsafe character written as an escape; safe text is returned as
    is. Applying it twice changes nothing more."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escaped, text)


def clip(text: str, limit: int = SHOWN_LIMIT, tail: bool = False) -> str:
    """Escaped, and at most ``limit`` characters: a quoted value keeps its quotes. With
    ``tail`` the end is kept instead of the start (an image's tag, a path's last part)."""
    shown = escape(text)
    if len(shown) <= limit:
        return shown
    quote = shown[0] if len(shown) >= 2 and shown[0] in "\"'" and shown[-1] == shown[0] else ""
    if tail:
        return quote + "…" + shown[len(shown) - (limit - 1 - len(quote)) :]
    return shown[: limit - 1 - len(quote)] + "…" + quote


def label(noun: str, index: int, name: object) -> str:
    """How every message names an item of a list: `pod "web"`, or `pod #2` when it has no
    name of its own."""
    return f'{noun} "{clip(name)}"' if isinstance(name, str) and name else f"{noun} #{index + 1}"
