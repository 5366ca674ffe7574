"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nexlint._version import __version__
from nexlint.diagnostics import DOCS_URL, Diagnostic, Severity
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


# GitHub code scanning refuses a run past these ("SARIF support for code scanning"): 25,000
# results and 25,000 rules a run, and 10 MB a file -- counted here before compression, so a
# file nexlint writes is taken however it is uploaded.
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_BYTES = 10_000_000
_INDENT = " " * 8  # how deep a result stands in the document
_SLOT = "\ue000results\ue000"  # where the results go in the document written without them


def render(results: Sequence[LintResult], options: ReportOptions) -> str:
    from nexlint.registry import registry

    rules = list((options.rules if options.rules is not None else registry()).values())
    used = {d.code for r in results for d in r.diagnostics}
    rules += [_unknown(code) for code in sorted(used - {r.code for r in rules})]
    uris: dict[str, str] = {}  # each file's URI, worked out once
    items = [
        (d.severity.rank, _result(d, uris.get(d.file) or uris.setdefault(d.file, _uri(d.file))))
        for result in results
        for d in result.diagnostics
    ]
    if len(rules) > MAX_RULES:  # only plugins could add so many: describe those in use
        rules = [rule for rule in rules if rule.code in used]
    index = {rule.code: i for i, rule in enumerate(rules)}
    for _, item in items:
        item["ruleIndex"] = index[item["ruleId"]]
    driver = {
        "name": "nexlint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": DOCS_URL,
        "rules": [_descriptor(rule) for rule in rules],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_SLOT],
    }
    texts = [_indented(json.dumps(item, indent=2, ensure_ascii=False)) for _, item in items]
    kept = _within_limits([rank for rank, _ in items], texts, _size(_document(run)))
    if len(kept) < len(items):
        note = (
            f"the SARIF report holds the {len(kept):,} most severe of {len(items):,} results: "
            f"code scanning takes at most {MAX_RESULTS:,} results and {MAX_BYTES // 10**6} MB "
            "a run"
        )
        _warn(note)
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"level": "warning", "message": {"text": note}}],
            }
        ]
    if not kept:
        run["results"] = []
        return _document(run)
    slot = _INDENT + json.dumps(_SLOT, ensure_ascii=False)
    return _document(run).replace(slot, ",\n".join(texts[i] for i in kept), 1)


def _result(d: Diagnostic, uri: str) -> dict[str, Any]:
    message = d.message + (f" ({d.help})" if d.help else "")
    item: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": 0,
        "level": LEVELS[d.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
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
    return item


def _uri(file: str) -> str:
    return escape(artifact_uri(file))


def _document(run: dict[str, Any]) -> str:
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _indented(text: str) -> str:
    return _INDENT + text.replace("\n", "\n" + _INDENT)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _within_limits(ranks: list[int], texts: list[str], frame: int) -> list[int]:
    """Which results a run keeps (their indexes, in order): all of them when code scanning
    takes them, else the most severe -- errors, then warnings, then notes, each in the
    order of the report -- that fit ``MAX_RESULTS`` and, with the ``frame`` of the document
    around them, ``MAX_BYTES``."""
    budget = MAX_BYTES - frame - 1024  # room for the note saying what was cut
    sizes = [_size(text) + 2 for text in texts]  # each with the ",\n" that follows it
    if len(texts) <= MAX_RESULTS and sum(sizes) <= budget:
        return list(range(len(texts)))
    kept: list[int] = []
    for i in sorted(range(len(texts)), key=lambda i: -ranks[i]):  # stable: report order
        if len(kept) == MAX_RESULTS:
            break
        if sizes[i] <= budget:
            kept.append(i)
            budget -= sizes[i]
    return sorted(kept)


def _warn(message: str) -> None:
    import click

    click.echo(f"nexlint: warning: {escape(message)}", err=True)


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
