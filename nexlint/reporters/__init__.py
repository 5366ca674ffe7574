"""Output formats. Each module has ``render(results, options) -> str``; they load lazily so
that a run pays only for the format it prints."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nexlint.result import LintResult

if TYPE_CHECKING:
    from nexlint.rule_api import Rule

FORMATS = {
    "text": "nexlint.reporters.text",
    "concise": "nexlint.reporters.concise",
    "json": "nexlint.reporters.json_format",
    "github": "nexlint.reporters.github",
    "sarif": "nexlint.reporters.sarif",
    "junit": "nexlint.reporters.junit",
    "gitlab": "nexlint.reporters.gitlab",
    "markdown": "nexlint.reporters.markdown",
}


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    quiet: bool = False
    statistics: bool = False
    unsafe_fixes: bool = False
    # the run's rules, plugins included (SARIF describes each); None: the built-ins
    rules: Mapping[str, Rule] | None = field(default=None, compare=False)


Renderer = Callable[[Sequence[LintResult], ReportOptions], str]


def get_renderer(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render
