"""JUnit XML: a testsuite per file, a failing testcase per diagnostic (a passing one for a
clean file), so CI test views list nexlint's findings."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from nexlint.display import escape
from nexlint.reporters import ReportOptions
from nexlint.result import LintResult


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    root = ET.Element("testsuites", name="nexlint")
    total = failures = 0
    for result in results:
        count = len(result.diagnostics)
        name = escape(result.file)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=name,
            tests=str(max(count, 1)),
            failures=str(count),
            errors="0",
            skipped="0",
        )
        total += max(count, 1)
        failures += count
        if not count:
            ET.SubElement(suite, "testcase", name="nexlint", classname=name)
        for d in result.diagnostics:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{d.code} at {d.line}:{d.column}",
                classname=name,
                file=name,
                line=str(d.line),
            )
            failure = ET.SubElement(case, "failure", message=d.message, type=d.code)
            failure.text = (
                f"{name}:{d.line}:{d.column}: {d.severity.value}: {d.message} "
                f"[{d.code}]" + (f"\nhelp: {d.help}" if d.help else "")
            )
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
