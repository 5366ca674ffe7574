"""RFC 6901 pointers, as diagnostics name their node."""

from __future__ import annotations

import pytest

from nexlint.pointers import join_pointer, split_pointer


@pytest.mark.parametrize(
    ("tokens", "pointer"),
    [
        ([], ""),
        (["application", "pods", "0", "name"], "/application/pods/0/name"),
        (["vars", "a/b"], "/vars/a~1b"),
        (["vars", "x~y"], "/vars/x~0y"),
        (["vars", "~1"], "/vars/~01"),  # escaped in order: ~ first, then /
        (["", "é"], "//é"),
    ],
)
def test_join_and_split_round_trip(tokens: list[str], pointer: str) -> None:
    assert join_pointer(tokens) == pointer
    assert split_pointer(pointer) == tokens
