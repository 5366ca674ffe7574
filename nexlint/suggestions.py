"""'Did you mean': offered only when the match is close, so that a suggestion is worth
reading. One helper for every rule that suggests a name."""

from __future__ import annotations

from collections.abc import Sequence

CUTOFF = 0.75  # difflib's ratio; its default, 0.6, pairs names that share little


def close_match(name: str, options: Sequence[str]) -> str | None:
    """The option ``name`` most likely meant: the same letters in another case, one typo
    away (for names of three characters or more), or a close spelling; else None."""
    lowered = name.lower()
    for option in options:
        if option.lower() == lowered:
            return option
    if len(name) >= 3:
        for option in options:
            if _one_edit(lowered, option.lower()):
                return option
    import difflib  # only when a name is unknown: a file without mistakes never loads it

    found = difflib.get_close_matches(name, options, n=1, cutoff=CUTOFF)
    return found[0] if found else None


def _one_edit(a: str, b: str) -> bool:
    """Whether one insertion, deletion or substitution turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            rest = index + 1 if len(a) == len(b) else index
            return a[rest:] == b[index + 1 :]
    return True


class Suggester:
    """`close_match` among many options at a bounded cost: each name is looked up once, and
    past ``budget`` comparisons in one file no more suggestions are made. A file with
    thousands of unknown names against thousands of options stays linear; one a person
    writes never comes near the bound."""

    def __init__(self, options: list[str], budget: int = 50_000) -> None:
        self.options = options
        self.budget = budget
        self._found: dict[str, str | None] = {}

    def closest(self, name: str) -> str | None:
        if name in self._found:
            return self._found[name]
        guess = None
        if self.budget >= len(self.options):
            self.budget -= len(self.options)
            guess = close_match(name, self.options)
        self._found[name] = guess
        return guess
