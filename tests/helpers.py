"""Shared helpers for the tests: lint a text and see what a user sees."""

from __future__ import annotations

import textwrap
from pathlib import Path

import nexlint
from nexlint.diagnostics import Diagnostic

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "real"

VALID = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
"""


def yaml(text: str) -> str:
    """Dedent a YAML example written inline in a test."""
    return textwrap.dedent(text).lstrip("\n")


def found(text: str, **kwargs: object) -> list[tuple[str, int, int, int, int]]:
    """(code, line, column, end_line, end_column) of every diagnostic."""
    return [
        (d.code, d.line, d.column, d.end_line, d.end_column)
        for d in nexlint.lint(text, **kwargs)  # type: ignore[arg-type]
    ]


def only(text: str, code: str) -> list[Diagnostic]:
    return [d for d in nexlint.lint(text) if d.code == code]


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".yml"))
