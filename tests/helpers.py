"""Shared helpers for the tests: lint a text and see what a user sees."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

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


def require_shared(path: Path, what: str) -> None:
    """Inputs that live beside the repository (../shared) may be missing on a contributor's
    clone: the test then skips and says what is missing. CI sets NEXLINT_REQUIRE_SHARED=1,
    which turns that skip into a failure, so CI always runs it."""
    if path.exists():
        return
    reason = f"{what} is not at {path} (it lives beside the repository, in ../shared)"
    if os.environ.get("NEXLINT_REQUIRE_SHARED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)
