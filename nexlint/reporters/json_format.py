"""A JSON array of diagnostics, one object each, with the fields of ``Diagnostic.to_dict``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from nexlint.display import escape
from nexlint.reporters import ReportOptions
from nexlint.reporters.summary import statistics
from nexlint.result import LintResult


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    if options.statistics:
        rows = [
            {"code": code, "name": name, "count": count}
            for code, name, count in statistics(results)
        ]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    # A file's name and the keys in a pointer come from the file: shown escaped, like the rest.
    items = [
        {**d.to_dict(), "file": escape(d.file), "pointer": escape(d.pointer)}
        for result in results
        for d in result.diagnostics
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
