"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation
a diagnostic, at the exact line and column, escaped as the runner expects.

A file name or a message may hold anything a pull request chose (``::``, ``%``, a line
break): each annotation stays one line and one command, and the runner reads back exactly
the text nexlint shows."""

from __future__ import annotations

from collections.abc import Sequence

from nexlint.diagnostics import Diagnostic, Severity
from nexlint.display import escape
from nexlint.reporters import ReportOptions
from nexlint.result import LintResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A command's data: ``%`` first, so the runner's unescaping gives back the text."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property's value: neither ``:`` (which would end the properties) nor ``,`` (the
    next property) is left as is."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    props = [f"file={escape_property(escape(d.file))}", f"line={d.line}", f"endLine={d.end_line}"]
    # GitHub honours columns only for an annotation on a single line.
    if d.end_line == d.line:
        props += [f"col={d.column}", f"endColumn={max(d.end_column, d.column)}"]
    props.append(f"title={escape_property(f'{d.code} {d.name}')}")
    # The engine has escaped both; a diagnostic a library caller made gets the same, so the
    # only line break in the data is the one between them, written %0A.
    message = escape(d.message) + (f"\n{escape(d.help)}" if d.help else "")
    return f"::{COMMANDS[d.severity]} {','.join(props)}::{escape_data(message)}"


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    return "".join(annotation(d) + "\n" for r in results for d in r.diagnostics)
