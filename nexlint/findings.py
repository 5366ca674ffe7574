"""What every stage of the pipeline speaks in: what a node is, and a finding before it
becomes a Diagnostic."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from nexlint.diagnostics import Fix, Location, Severity

__all__ = ["Finding", "Kind", "Location"]


class Kind(enum.StrEnum):
    """What a YAML node is."""

    SCALAR = "scalar"
    MAPPING = "mapping"
    SEQUENCE = "sequence"


@dataclass(frozen=True)
class Finding:
    """A finding before it becomes a Diagnostic: a range of the text, no file, and no
    severity but where a stage knows better than the rule's (NXL007 is as severe as what it
    stands for)."""

    code: str
    message: str
    start: int
    end: int
    pointer: str = ""
    help: str | None = None
    fix: Fix | None = None
    severity: Severity | None = None
