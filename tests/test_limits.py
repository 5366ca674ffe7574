"""What one file can cost and produce: every stage grows linearly with its input (n vs 4n),
and a file's diagnostics are capped (max-diagnostics), so an alias bomb cannot flood a
report."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import nexlint

GROWTH_LIMIT = 5.0  # 4x the input may cost at most 5x the time (linear is 4x)
MIN_SECONDS = 0.02  # the smaller run takes at least this long, or n doubles

HEAD = "application:\n  name: shop\n  pods:\n"


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


def seconds(work: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def growth(make: Callable[[int], Callable[[], object]], n: int) -> float:
    """How much longer the work takes on 4n than on n (process time, best of a few runs),
    with n doubled until the smaller run takes long enough to measure."""
    with quiet_collector():
        small = seconds(make(n))
        while small < MIN_SECONDS:
            n *= 2
            small = seconds(make(n))
        return seconds(make(4 * n)) / small


def pods(count: int, image_line: Callable[[int], str]) -> str:
    return HEAD + "".join(
        f"    - name: p{i}\n{image_line(i)}      servicePorts: [80]\n"
        + ("      path: /\n" if i == 0 else "")
        for i in range(count)
    )


def linting(text: str) -> Callable[[], object]:
    return lambda: nexlint.lint(text)


# -- directives ----------------------------------------------------------------------------------


def test_directives_that_each_suppress_a_finding_grow_linearly() -> None:
    def make(n: int) -> Callable[[], object]:
        text = pods(n, lambda i: "      image: nginx  # nexlint: disable=NXL304\n")
        assert not nexlint.lint(text)
        return linting(text)

    assert growth(make, 500) <= GROWTH_LIMIT


def test_directives_that_suppress_nothing_grow_linearly() -> None:
    def make(n: int) -> Callable[[], object]:
        text = pods(n, lambda i: f"      image: nginx:1.{i}  # nexlint: disable=NXL304\n")
        assert [d.code for d in nexlint.lint(text)] == ["NXL901"] * n
        return linting(text)

    assert growth(make, 500) <= GROWTH_LIMIT


def test_file_directives_against_many_findings_grow_linearly() -> None:
    """n `disable-file` lines and n findings: no finding is held against every directive."""

    def make(n: int) -> Callable[[], object]:
        text = "".join("# nexlint: disable-file=NXL305\n" for _ in range(n))
        text += pods(n, lambda i: "      image: nginx:latest\n")
        assert [d.code for d in nexlint.lint(text)] == []
        return linting(text)

    assert growth(make, 500) <= GROWTH_LIMIT
