"""A Markdown table of findings, for a GitHub job summary or a pull-request comment."""

from __future__ import annotations

from collections.abc import Sequence

from nexlint.diagnostics import Severity
from nexlint.display import escape
from nexlint.reporters import ReportOptions
from nexlint.reporters.summary import summary_line
from nexlint.result import LintResult

ICONS = {Severity.ERROR: "❌ error", Severity.WARNING: "⚠️ warning", Severity.INFO: "💬 info"}


def cell(text: str) -> str:
    """Text in a table cell: it cannot end the cell or the row, nor open an HTML tag (a
    summary renders HTML: a key like `<img src=...>` would load an image)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    lines = ["### nexlint", "", summary_line(results), ""]
    rows = [(r.file, d) for r in results for d in r.diagnostics]
    if rows:
        lines += ["| | Rule | Location | Message |", "|---|---|---|---|"]
        for file, d in rows:
            message = d.message + (f" — {d.help}" if d.help else "")
            lines.append(
                f"| {ICONS[d.severity]} | [{d.code}]({d.url}) {d.name} | "
                f"`{cell(escape(file))}:{d.line}:{d.column}` | {cell(message)} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"
