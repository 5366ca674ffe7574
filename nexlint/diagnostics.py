"""The objects nexlint hands to its users: severities, diagnostics and fixes."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

CODE_PATTERN = re.compile(r"^[A-Z]{1,8}[0-9]{1,6}$")
DOCS_URL = "https://github.com/nexlayer/nexlint/blob/main/docs/rules.md"


class Severity(enum.Enum):
    """How serious a finding is; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls(value.strip().lower())
        except ValueError:
            allowed = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r}: use one of {allowed}") from None

    def __str__(self) -> str:
        return self.value


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Location:
    """A range of the linted text (character offsets, the end exclusive) and the pointer of
    the node it belongs to. Rules get these from the values they read and report at them;
    they never compute one."""

    start: int
    end: int
    pointer: str = field(default="", compare=False)


@dataclass(frozen=True)
class Edit:
    """Replace the characters ``start:end`` (offsets into the linted text) by ``text``.

    ``shown`` is the text as reports show it when it cannot be shown as it is: secrets
    masked with ``****``, unsafe characters escaped (``to_dict`` then says ``masked``). An
    edit read back from a report or the cache has only that text: it is ``redacted`` and is
    never applied."""

    start: int
    end: int
    text: str
    shown: str | None = field(default=None, compare=False)
    redacted: bool = field(default=False, compare=False)

    @classmethod
    def replace(cls, where: Location, text: str) -> Edit:
        """Write ``text`` in place of what stands at ``where``."""
        return cls(where.start, where.end, text)

    @classmethod
    def before(cls, where: Location, text: str) -> Edit:
        """Write ``text`` just before ``where``."""
        return cls(where.start, where.start, text)

    def to_dict(self) -> dict[str, Any]:
        masked = self.redacted or self.shown is not None
        text = self.shown if self.shown is not None else self.text
        return {"start": self.start, "end": self.end, "text": text, "masked": masked}


@dataclass(frozen=True)
class Fix:
    """One way to repair a diagnostic: text edits that apply together."""

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "safe": self.safe,
            "edits": [edit.to_dict() for edit in self.edits],
        }


def rule_url(code: str) -> str:
    return f"{DOCS_URL}#{code.lower()}"


@dataclass(frozen=True)
class Diagnostic:
    """A finding with its exact place: 1-based lines and columns, columns in characters,
    the end exclusive. ``pointer`` is the RFC 6901 pointer of the node it is about."""

    code: str
    name: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    pointer: str = ""
    help: str | None = None
    url: str = ""
    fix: Fix | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "pointer": self.pointer,
            "help": self.help,
            "url": self.url,
            "fix": self.fix.to_dict() if self.fix else None,
        }
