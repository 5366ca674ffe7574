"""Shared helpers for the tests: lint a text and see what a user sees."""

from __future__ import annotations

import json
import os
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

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
    require_input(CORPUS, "the real-world corpus")
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".yml"))


INPUTS_REQUIRED = "NEXLINT_REQUIRE_INPUTS"


def missing_input(reason: str) -> NoReturn:
    """A test whose input lives outside the repository (../shared, a tool from npm) skips
    when that input is missing, saying what is missing. CI sets NEXLINT_REQUIRE_INPUTS=1,
    which turns the skip into a failure, so CI always runs it."""
    if os.environ.get(INPUTS_REQUIRED) == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def require_input(path: Path, what: str) -> Path:
    if not path.exists():
        missing_input(f"{what} is not at {path} (it lives beside the repository, in ../shared)")
    return path


def sarif_schema() -> dict[str, object]:
    path = require_input(SHARED / "reference" / "sarif-2.1.0.schema.json", "the SARIF schema")
    schema: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def declared(name: str) -> bool:
    """Whether pyproject.toml makes ``name`` a dependency on this machine."""
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return any(
        req.name == name and (req.marker is None or req.marker.evaluate())
        for req in map(Requirement, project["dependencies"])
    )


def growth(work: Callable[[int], object], n: int, repeats: int = 3, attempts: int = 3) -> float:
    """How much longer ``work(4 * n)`` takes than ``work(n)``, in CPU time: a linear stage
    gives about 4, a quadratic one 16. A ratio, never a time. The best of a few runs each,
    measured again (up to ``attempts`` times) while it exceeds 5: a machine busy with other
    work slows single runs, but cannot make a quadratic stage look linear."""

    def best(size: int) -> float:
        times = []
        for _ in range(repeats):
            start = time.process_time()
            work(size)
            times.append(time.process_time() - start)
        return min(times)

    ratio = float("inf")
    for _ in range(attempts):
        ratio = min(ratio, best(4 * n) / max(best(n), 1e-9))
        if ratio <= 5:
            break
    return ratio


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie no longer runs: nothing may have reaped it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: it answered the signal
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")
