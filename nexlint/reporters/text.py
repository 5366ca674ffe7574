"""The default, human format: each diagnostic with a code frame that underlines its range,
its help line, and a closing summary. Secret values in frames are shown as ****."""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence

import click

from nexlint.diagnostics import Diagnostic, Severity
from nexlint.display import escape
from nexlint.reporters import ReportOptions
from nexlint.reporters.summary import statistics_lines, summary_line
from nexlint.result import LintResult
from nexlint.secrets import MASK
from nexlint.source import LineIndex

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
MAX_FRAME_WIDTH = 160
WINDOW_BEFORE = 40  # on a long line, how much of what comes before the range is shown


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
        lines = _Lines(result)
        for d in result.diagnostics:
            level = style(d.severity.value, fg=_COLORS[d.severity], bold=True)
            marker = style("[*] ", fg="cyan", bold=True) if _fixable(d, options) else ""
            out.append(
                f"{style(f'{escape(d.file)}:{d.line}:{d.column}', bold=True)}: "
                f"{level}[{style(d.code, bold=True)}] {marker}{d.message}"
            )
            out.extend(_frame(lines, d, style))
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


class _Lines:
    """The lines of one file as frames show them, each built once however many findings
    it has: tabs as one space, secrets as ****, unsafe characters escaped."""

    def __init__(self, result: LintResult) -> None:
        self.text = result.text
        self.index = LineIndex(result.text)
        self.masks = result.masks
        self._starts = [a for a, _ in result.masks]
        self._shown: dict[int, tuple[list[str], list[int], list[int]]] = {}

    def shown(self, line: int) -> tuple[list[str], list[int], list[int]]:
        """The pieces the characters of ``line`` show as, and for each character (and one
        past the last) the display column where a range that starts there begins and where
        one that ends before it ends: inside a secret, the **** that stands for all of it."""
        cached = self._shown.get(line)
        if cached is None:
            cached = self._shown[line] = self._build(line)
        return cached

    def _build(self, line: int) -> tuple[list[str], list[int], list[int]]:
        start = self.index.line_start(line)
        end = self.index.line_start(line + 1) if line < self.index.line_count else len(self.text)
        raw = self.text[start:end].rstrip("\r\n")
        hidden = [False] * len(raw)
        masked_at: set[int] = set()
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        for a, b in self.masks[first:]:
            if a >= start + len(raw):
                break
            if b <= start:
                continue
            lo, hi = max(a, start) - start, min(b, start + len(raw)) - start
            masked_at.add(lo)
            hidden[lo:hi] = [True] * (hi - lo)
        pieces: list[str] = []
        columns: list[int] = []
        ends: list[int] = []
        width = mask_start = 0
        for index, char in enumerate(raw):
            if index in masked_at:
                mask_start, piece = width, MASK
            elif hidden[index]:
                piece = ""
            else:
                piece = " " if char == "\t" else escape(char)
            inside = hidden[index] and index not in masked_at
            columns.append(mask_start if inside else width)
            ends.append(width)
            pieces.append(piece)
            width += _width(piece)
        columns.append(width)
        ends.append(width)
        return pieces, columns, ends


def _frame(lines: _Lines, d: Diagnostic, style: _Painter) -> list[str]:
    if not lines.text or d.line > lines.index.line_count:
        return []
    pieces, columns, ends = lines.shown(d.line)
    size = len(pieces)
    first = columns[min(d.column - 1, size)]
    last = ends[min(d.end_column - 1, size)] if d.end_line == d.line else columns[size]
    low, high = 0, size
    if columns[size] > MAX_FRAME_WIDTH:  # a long line: a window around the range
        low = bisect.bisect_left(columns, max(0, first - WINDOW_BEFORE), 0, size)
        high = bisect.bisect_right(columns, columns[low] + MAX_FRAME_WIDTH, low, size) - 1
        high = max(high, low + 1)
    lead = "…" if low > 0 else ""
    shown = lead + "".join(pieces[low:high]) + ("…" if high < size else "")
    shift = columns[low] - len(lead)
    first = min(first - shift, _width(shown))
    last = min(max(last - shift, first + 1), _width(shown) + 1)
    carets = "^" * max(1, last - first)
    gutter = str(d.line)
    pad = " " * len(gutter)
    underline = style(carets, fg=_COLORS[d.severity], bold=True)
    return [
        f"{pad} |",
        f"{gutter} | {shown}",
        f"{pad} | {' ' * first}{underline}",
    ]


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    return sum(_char_width(c) for c in text)
