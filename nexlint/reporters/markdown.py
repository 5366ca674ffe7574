"""A Markdown table of findings, for a GitHub job summary or a pull-request comment.

File names and the values messages quote come from whoever wrote the file: they are shown
as text, never rendered as a link, image, HTML, emphasis, math, mention or a broken table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from nexlint.diagnostics import Diagnostic, Severity
from nexlint.display import escape
from nexlint.reporters import ReportOptions
from nexlint.reporters.summary import summary_line
from nexlint.result import LintResult

ICONS = {Severity.ERROR: "❌ error", Severity.WARNING: "⚠️ warning", Severity.INFO: "💬 info"}

# What opens an inline construct (code span, emphasis, strikethrough, link, image, footnote:
# with no `[` a `]` closes nothing) or ends a table cell, escaped by a backslash as CommonMark
# allows; what opens HTML, an autolink or a character reference, and math (GitHub parses `$`
# beyond CommonMark), as a character reference, which is never syntax.
_SYNTAX = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "~": "\\~",
        "[": "\\[",
        "|": "\\|",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "$": "&#36;",
        "\n": " ",
        "\r": " ",
    }
)

# What GitHub links in plain text whatever the escapes (escaped text is still text): extended
# autolinks (www., a scheme's ://, e-mail addresses), @-mentions (they notify), issue
# references (#12, GH-12: in a pull-request comment they add a cross-reference to that issue)
# and emoji (:name:). A zero-width space after the character that starts one leaves it text.
_LINKING = re.compile(
    r"(?i)(?<=www)(?=\.)|(?<=:)(?=//|[\w+-]+:)|(?<=@)(?=\w)|(?<=#)(?=\d)|(?<=\bgh-)(?=\d)"
)
_UNLINK = "\u200b"
_BACKTICKS = re.compile("`+")
_WEB = re.compile(r"(?i)https?://")
# Everything a URL may hold but what ends a link's destination or a table cell.
_URL_SAFE = "/:?#[]@!$&'*+,;=%-._~"


def text(value: str) -> str:
    """File text for a table cell, shown as written: no Markdown, HTML or link in it renders
    and it cannot end the cell."""
    return _LINKING.sub(_UNLINK, escape(value)).translate(_SYNTAX)


def code(value: str) -> str:
    """File text as a code span in a table cell: a fence longer than any run of backticks
    inside; only the pipe needs its escape (the table's, taken before the span)."""
    value = escape(value).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(value)), default=0) + 1)
    pad = " " if value[:1] in ("`", " ") or value[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def rule_link(d: Diagnostic) -> str:
    """The code, linked to the rule's documentation when that is a web address (a plugin
    names its own); the address cannot end the link or the cell."""
    if not _WEB.match(d.url):
        return text(d.code)
    return f"[{text(d.code)}]({quote(d.url, safe=_URL_SAFE)})"


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    lines = ["### nexlint", "", summary_line(results), ""]
    rows = [(r.file, d) for r in results for d in r.diagnostics]
    if rows:
        lines += ["| | Rule | Location | Message |", "|---|---|---|---|"]
        for file, d in rows:
            message = d.message + (f" — {d.help}" if d.help else "")
            lines.append(
                f"| {ICONS[d.severity]} | {rule_link(d)} {text(d.name)} | "
                f"{code(f'{file}:{d.line}:{d.column}')} | {text(message)} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"
