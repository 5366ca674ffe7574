"""Counts shared by the formats: per-code statistics and the closing summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from nexlint.diagnostics import Severity
from nexlint.result import LintResult


def statistics(results: Sequence[LintResult]) -> list[tuple[str, str, int]]:
    """(code, name, count), most frequent first."""
    counts: Counter[tuple[str, str]] = Counter(
        (d.code, d.name) for result in results for d in result.diagnostics
    )
    return [
        (code, name, n)
        for (code, name), n in sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    ]


def statistics_lines(results: Sequence[LintResult]) -> list[str]:
    rows = statistics(results)
    width = max((len(str(n)) for _, _, n in rows), default=1)
    return [f"{n:>{width}}  {code}  {name}" for code, name, n in rows]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def summary_line(results: Sequence[LintResult]) -> str:
    counts = Counter(d.severity for result in results for d in result.diagnostics)
    files = plural(len(results), "file")
    if not counts:
        return f"No problems in {files}."
    with_findings = sum(1 for result in results if result.diagnostics)
    parts = [
        plural(counts[Severity.ERROR], "error"),
        plural(counts[Severity.WARNING], "warning"),
        f"{counts[Severity.INFO]} info",
    ]
    parts = [
        part
        for part, level in zip(
            parts, (Severity.ERROR, Severity.WARNING, Severity.INFO), strict=True
        )
        if counts[level]
    ]
    found = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"Found {found} in {plural(with_findings, 'file')} ({files} checked)."
