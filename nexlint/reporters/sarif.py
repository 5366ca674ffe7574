"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nexlint._version import __version__
from nexlint.diagnostics import DOCS_URL, Severity
from nexlint.display import escape
from nexlint.reporters import ReportOptions
from nexlint.result import LintResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def relative_path(file: str) -> str | None:
    """The path relative to the working directory, with forward slashes, if it is below it."""
    try:
        return Path(file).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return None


def artifact_uri(file: str) -> str:
    """A path relative to the working directory (what code scanning expects), else a URI."""
    relative = relative_path(file)
    if relative is not None:
        return relative
    path = Path(file)
    return path.resolve().as_uri() if path.is_absolute() else path.as_posix()


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    from nexlint.registry import registry

    rules = list((options.rules if options.rules is not None else registry()).values())
    used = {d.code for r in results for d in r.diagnostics}
    rules += [_unknown(code) for code in sorted(used - {r.code for r in rules})]
    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": "nexlint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": DOCS_URL,
        "rules": [_descriptor(rule) for rule in rules],
    }
    sarif_results = []
    for result in results:
        for d in result.diagnostics:
            message = d.message + (f" ({d.help})" if d.help else "")
            item: dict[str, Any] = {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": LEVELS[d.severity],
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": escape(artifact_uri(d.file))},
                            "region": {
                                "startLine": d.line,
                                "startColumn": d.column,
                                "endLine": d.end_line,
                                "endColumn": d.end_column,
                            },
                        }
                    }
                ],
            }
            if d.pointer:
                item["properties"] = {"pointer": escape(d.pointer)}
            sarif_results.append(item)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _descriptor(rule: Any) -> dict[str, Any]:
    described = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc or rule.summary},
        "help": {"text": rule.doc or rule.summary},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }
    if rule.docs_url:
        described["helpUri"] = rule.docs_url
    return described


def _unknown(code: str) -> Any:
    from nexlint.rule_api import Rule

    return Rule(code, code.lower(), Severity.ERROR, code, "", origin="unknown")
