"""RFC 6901 JSON pointers, as diagnostics name the node they are about."""

from __future__ import annotations


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def join_pointer(tokens: list[str]) -> str:
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)
