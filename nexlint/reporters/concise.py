"""One line a diagnostic: ``file:line:col: severity: message [CODE]`` (editors, matchers)."""

from __future__ import annotations

from collections.abc import Sequence

from nexlint.display import escape
from nexlint.reporters import ReportOptions
from nexlint.reporters.summary import statistics_lines
from nexlint.result import LintResult


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    if options.statistics:
        return "".join(line + "\n" for line in statistics_lines(results))
    lines = [
        f"{escape(d.file)}:{d.line}:{d.column}: {d.severity.value}: {d.message} [{d.code}]"
        for result in results
        for d in result.diagnostics
    ]
    return "".join(line + "\n" for line in lines)
