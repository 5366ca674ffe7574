"""GitLab Code Quality JSON. Fingerprints are stable across unrelated edits: they hash the
file, the rule, the node's pointer and the message, not the line."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from nexlint.diagnostics import Severity
from nexlint.display import escape
from nexlint.reporters import ReportOptions
from nexlint.reporters.sarif import relative_path
from nexlint.result import LintResult

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    issues: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for result in results:
        paths: dict[str, str] = {}  # each file's path, worked out once (it asks the disk)
        for d in result.diagnostics:
            path = paths.get(d.file) or paths.setdefault(
                d.file, escape(relative_path(d.file) or d.file)
            )
            key = "\0".join((path, d.code, d.pointer, d.message))
            seen[key] += 1  # the same finding twice in a file still gets two fingerprints
            fingerprint = hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()
            issues.append(
                {
                    "type": "issue",
                    "check_name": d.code,
                    "description": f"{d.code} {d.message}",
                    "content": {"body": d.help or d.message},
                    "categories": ["Bug Risk" if d.severity is Severity.ERROR else "Style"],
                    "severity": SEVERITIES[d.severity],
                    "fingerprint": fingerprint,
                    "location": {
                        "path": path,
                        "positions": {
                            "begin": {"line": d.line, "column": d.column},
                            "end": {"line": d.end_line, "column": d.end_column},
                        },
                    },
                }
            )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
