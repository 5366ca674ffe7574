"""nexlint: the validator and linter for nexlayer.yaml.

    import nexlint
    for d in nexlint.lint(text, filename="nexlayer.yaml"):
        print(d.line, d.column, d.code, d.message)

Importing the package is cheap: the engine, the schema and the reporters load on first use.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from nexlint._version import __version__

# The wheel ships the built-in rules and the schema inside this package (nexlint/rules,
# nexlint/schemas). In a checkout they sit beside it, at the top of the repository: let
# `nexlint.rules` and `nexlint.schemas` be found there too, so that the source tree works as
# it is -- from the repository root after `pip install .`, and under an editable install
# that only puts the repository on the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
if not os.path.isdir(os.path.join(_HERE, "rules")) and os.path.isfile(
    os.path.join(os.path.dirname(_HERE), "rules", "__init__.py")
):
    __path__.append(os.path.dirname(_HERE))

if TYPE_CHECKING:
    from nexlint.config import Config, ConfigError, load_config
    from nexlint.diagnostics import Diagnostic, Edit, Fix, Location, Severity
    from nexlint.engine import lint, lint_bytes, lint_file
    from nexlint.findings import Kind
    from nexlint.fixes import fix
    from nexlint.registry import all_rules
    from nexlint.rule_api import Report, Rule, rule
    from nexlint.view import DocumentView, Found, Pod, Value, Var

_LAZY = {
    "Config": "nexlint.config",
    "ConfigError": "nexlint.config",
    "load_config": "nexlint.config",
    "Diagnostic": "nexlint.diagnostics",
    "Edit": "nexlint.diagnostics",
    "Fix": "nexlint.diagnostics",
    "Location": "nexlint.diagnostics",
    "Severity": "nexlint.diagnostics",
    "Kind": "nexlint.findings",
    "fix": "nexlint.fixes",
    "lint": "nexlint.engine",
    "lint_bytes": "nexlint.engine",
    "lint_file": "nexlint.engine",
    "all_rules": "nexlint.registry",
    "Report": "nexlint.rule_api",
    "Rule": "nexlint.rule_api",
    "rule": "nexlint.rule_api",
    "DocumentView": "nexlint.view",
    "Found": "nexlint.view",
    "Pod": "nexlint.view",
    "Value": "nexlint.view",
    "Var": "nexlint.view",
}

__all__ = [
    "Config",
    "ConfigError",
    "Diagnostic",
    "DocumentView",
    "Edit",
    "Fix",
    "Found",
    "Kind",
    "Location",
    "Pod",
    "Report",
    "Rule",
    "Severity",
    "Value",
    "Var",
    "__version__",
    "all_rules",
    "fix",
    "lint",
    "lint_bytes",
    "lint_file",
    "load_config",
    "rule",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nexlint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
