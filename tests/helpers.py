"""Shared helpers for the tests: lint a text and see what a user sees."""

from __future__ import annotations

import gc
import json
import os
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


MIN_SECONDS = 0.02  # the smaller run of a growth measure takes at least this long
REPEATS = 7


@contextmanager
def quiet_collector() -> Iterator[None]:
    """The collector's full walks grow with the heap the test process already holds; the
    CLI tunes them away (collector.py), and they are not the stage being measured."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def seconds(work: Callable[[], object], calls: int = 1) -> float:
    start = time.process_time()
    for _ in range(calls):
        work()
    return time.process_time() - start


def growth(make: Callable[[int], Callable[[], object]], n: int, attempts: int = 3) -> float:
    """How much longer the work takes on 4n than on n, in process time (a linear stage gives
    about 4, a quadratic one 16; a ratio, never a time). ``make(size)`` prepares the work and
    returns it, so the preparing is not timed. A run repeats the work until the smaller one
    takes long enough to measure; the two sizes are timed in turns, a few times each, and
    the fastest of each is kept: a busy machine slows runs down, it never speeds one up. A
    ratio past 5 is measured again (up to ``attempts`` times), as noise is not repeatable
    and a superlinear cost is."""
    small, large = make(n), make(4 * n)
    ratio = float("inf")
    with quiet_collector():
        calls = 1
        while seconds(small, calls) < MIN_SECONDS:
            calls *= 2
        for _ in range(attempts):
            shortest = longest = float("inf")
            for turn in range(REPEATS):  # which goes first alternates, against a drifting load
                if turn % 2:
                    shortest = min(shortest, seconds(small, calls))
                    longest = min(longest, seconds(large, calls))
                else:
                    longest = min(longest, seconds(large, calls))
                    shortest = min(shortest, seconds(small, calls))
            ratio = min(ratio, longest / max(shortest, 1e-9))
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
