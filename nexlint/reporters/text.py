"""The default, human format: each diagnostic with a code frame that underlines its range,
its help line, and a closing summary. Secret values in frames are shown as ****."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import click

from nexlint.diagnostics import Diagnostic, Severity
from nexlint.reporters import ReportOptions
from nexlint.reporters.summary import statistics_lines, summary_line
from nexlint.result import LintResult
from nexlint.secrets import MASK
from nexlint.source import LineIndex

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
MAX_FRAME_WIDTH = 160


class _Painter:
    """click.style when colour is on, the text unchanged when it is off."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, fg: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if self.color else text


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    style = _Painter(options.color)

    if options.statistics:
        return "".join(line + "\n" for line in statistics_lines(results))
    out: list[str] = []
    for result in results:
        lines = LineIndex(result.text)
        for d in result.diagnostics:
            level = style(d.severity.value, fg=_COLORS[d.severity], bold=True)
            marker = style("[*] ", fg="cyan", bold=True) if _fixable(d, options) else ""
            out.append(
                f"{style(f'{d.file}:{d.line}:{d.column}', bold=True)}: "
                f"{level}[{style(d.code, bold=True)}] {marker}{d.message}"
            )
            out.extend(_frame(result, lines, d, style))
            if d.help:
                pad = " " * len(str(d.line))
                out.append(f"{pad} {style('= help:', fg='cyan', bold=True)} {d.help}")
            out.append("")
    if not options.quiet:
        out.append(summary_line(results))
        out.extend(_fix_lines(results, options))
    return "".join(line + "\n" for line in out)


def _fixable(d: Diagnostic, options: ReportOptions) -> bool:
    return d.fix is not None and (d.fix.safe or options.unsafe_fixes)


def _fix_lines(results: Sequence[LintResult], options: ReportOptions) -> list[str]:
    diagnostics = [d for r in results for d in r.diagnostics if d.fix is not None]
    fixable = sum(1 for d in diagnostics if _fixable(d, options))
    hidden = len(diagnostics) - fixable
    lines = []
    if fixable:
        flag = "--fix --unsafe-fixes" if options.unsafe_fixes else "--fix"
        lines.append(f"[*] {fixable} fixable with `nexlint check {flag}`.")
    if hidden:
        lines.append(f"({hidden} more fixable with `--unsafe-fixes`.)")
    return lines


def _frame(result: LintResult, lines: LineIndex, d: Diagnostic, style: _Painter) -> list[str]:
    text = result.text
    if not text or d.line > lines.line_count:
        return []
    start = lines.line_start(d.line)
    end = lines.line_start(d.line + 1) if d.line < lines.line_count else len(text)
    raw = text[start:end].rstrip("\r\n")
    shown, columns = _display(raw, start, result.masks)
    first = columns[d.column - 1] if d.column - 1 < len(columns) else len(shown)
    if d.end_line == d.line:
        stop_index = d.end_column - 1
        last = columns[stop_index] if stop_index < len(columns) else _width(shown)
    else:
        last = _width(shown)
    if len(shown) > MAX_FRAME_WIDTH:
        shown = shown[:MAX_FRAME_WIDTH] + "…"
        first, last = min(first, MAX_FRAME_WIDTH), min(last, MAX_FRAME_WIDTH + 1)
    carets = "^" * max(1, last - first)
    gutter = str(d.line)
    pad = " " * len(gutter)
    underline = style(carets, fg=_COLORS[d.severity], bold=True)
    return [
        f"{pad} |",
        f"{gutter} | {shown}",
        f"{pad} | {' ' * first}{underline}",
    ]


def _display(raw: str, start: int, masks: Sequence[tuple[int, int]]) -> tuple[str, list[int]]:
    """The line as shown (tabs as one space, secrets as ****) and, for every character of
    ``raw`` and one past its end, the display column where it begins."""
    hidden = [
        (max(a, start) - start, min(b, start + len(raw)) - start)
        for a, b in masks
        if a < start + len(raw) and b > start
    ]
    pieces: list[str] = []
    columns: list[int] = []
    width = 0
    index = 0
    while index < len(raw):
        span = next(((a, b) for a, b in hidden if a == index), None)
        if span is not None:
            for _ in range(span[0], span[1]):
                columns.append(width)
            pieces.append(MASK)
            width += len(MASK)
            index = span[1]
            continue
        char = raw[index]
        columns.append(width)
        shown = " " if char == "\t" else char
        pieces.append(shown)
        width += _char_width(shown)
        index += 1
    columns.append(width)
    return "".join(pieces), columns


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    return sum(_char_width(c) for c in text)
