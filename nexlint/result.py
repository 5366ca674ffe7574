"""What linting one file produces. Kept apart from the engine so that reading results back
from the cache does not load the parser and the validator."""

from __future__ import annotations

from dataclasses import dataclass

from nexlint.diagnostics import Diagnostic


@dataclass(frozen=True)
class LintResult:
    """One linted file: its diagnostics, and what a reporter needs to show code frames --
    the text and the character ranges of secret values, which must be masked."""

    file: str
    text: str
    diagnostics: list[Diagnostic]
    masks: tuple[tuple[int, int], ...] = ()
