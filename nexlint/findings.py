"""What every stage of the pipeline speaks in: where a thing is in the text, and a finding
before it becomes a Diagnostic."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from nexlint.diagnostics import Fix


class Kind(enum.StrEnum):
    """What a YAML node is."""

    SCALAR = "scalar"
    MAPPING = "mapping"
    SEQUENCE = "sequence"


@dataclass(frozen=True)
class Location:
    """A range of the linted text: character offsets, the end exclusive. Rules get these
    from values and report at them; they never compute one."""

    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    """A finding before it becomes a Diagnostic: a range of the text, no file, no severity."""

    code: str
    message: str
    start: int
    end: int
    pointer: str = ""
    help: str | None = None
    fix: Fix | None = None
