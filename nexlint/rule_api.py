"""What a rule is and what it sees. Built-in and third-party rules use exactly this API."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from nexlint.diagnostics import CODE_PATTERN, Fix, Severity, rule_url

if TYPE_CHECKING:
    from nexlint.diagnostics import Location
    from nexlint.view import DocumentView, Found, Value

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class Report(Protocol):
    """The callback a rule reports through.

    ``at`` is what the finding is about: a Value (the diagnostic lands on the value; an
    empty value on its key), a Found (exactly the matched characters), a Location (e.g.
    ``value.key_location``), or, for rules written with pointers, an RFC 6901 pointer string
    (the value it names). ``help`` and ``fix`` are keyword-only."""

    def __call__(
        self,
        at: Value | Found | Location | str,
        message: str,
        *,
        help: str | None = None,
        fix: Fix | None = None,
    ) -> None: ...


RuleCheck = Callable[["DocumentView", Report], None]


@dataclass(frozen=True)
class Rule:
    """A rule's identity and documentation. ``check`` is None for the findings the engine
    itself produces (syntax, shape, schema), and for a plugin's rule as nexlint's own process
    knows it (it runs in the plugin host). ``builtin`` is True only for nexlint's own rules,
    as the registry loaded them: they are trusted; every other rule is foreign."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: RuleCheck | None = None
    fixable: bool = False
    origin: str = "nexlint"
    url: str = ""  # where the rule is documented; nexlint's own rules link to docs/rules.md
    # Codes this rule speaks for: where it reports, their findings on the same node go
    # (one mistake, one diagnostic: a placeholder image is NXL307, not also NXL104/NXL304).
    replaces: tuple[str, ...] = ()
    builtin: bool = False

    @property
    def docs_url(self) -> str:
        if self.url or not self.builtin:
            return self.url
        return rule_url(self.code)

    def examples(self) -> dict[str, list[str]]:
        """The YAML examples of the docs, by section title ('bad', 'good')."""
        return doc_examples(self.doc)


def engine_rule(
    code: str,
    name: str,
    summary: str,
    doc: str,
    severity: Severity = Severity.ERROR,
    fixable: bool = False,
) -> Rule:
    """A code the pipeline itself reports (syntax, shape, schema, directives), declared and
    documented beside the code that reports it."""
    return Rule(
        code, name, severity, summary, doc.strip("\n"), None, fixable, "nexlint", builtin=True
    )


F = TypeVar("F", bound=Callable[..., Any])


def rule(
    *,
    code: str,
    name: str,
    severity: str | Severity = "error",
    summary: str,
    fixable: bool = False,
    url: str | None = None,
    replaces: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Declare a rule. The decorated function's docstring is its documentation: why it
    matters, a bad example and a good example. ``url`` is where a plugin documents it
    (reports link there); ``replaces`` names codes whose findings on a node this rule
    reports at are dropped."""
    if not CODE_PATTERN.match(code):
        raise ValueError(f"rule code {code!r} must be letters then digits, like ACME001")
    if not NAME_PATTERN.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case, like team-label")
    level = Severity.parse(severity)

    def decorate(func: F) -> F:
        declared = Rule(
            code=code,
            name=name,
            severity=level,
            summary=summary,
            doc=inspect.cleandoc(func.__doc__ or ""),
            check=func,
            fixable=fixable,
            origin=func.__module__,
            url=url or "",
            replaces=tuple(replaces),
        )
        func.nexlint_rule = declared  # type: ignore[attr-defined]
        return func

    return decorate


_SECTION = re.compile(r"^(Bad|Good)( example)?:\s*$", re.IGNORECASE)


def doc_examples(doc: str) -> dict[str, list[str]]:
    """Indented blocks after a ``Bad:`` or ``Good:`` line, dedented."""
    examples: dict[str, list[str]] = {"bad": [], "good": []}
    lines = doc.splitlines()
    i = 0
    while i < len(lines):
        match = _SECTION.match(lines[i].strip())
        i += 1
        if not match:
            continue
        block: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith("    ")):
            block.append(lines[i])
            i += 1
        while block and not block[-1].strip():
            block.pop()
        while block and not block[0].strip():
            block.pop(0)
        if block:
            text = "\n".join(line[4:] for line in block) + "\n"
            examples[match.group(1).lower()].append(text)
    return examples
