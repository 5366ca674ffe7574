"""What a rule is and what it sees. Built-in and third-party rules use exactly this API."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from nexlint.diagnostics import CODE_PATTERN, Fix, Severity, rule_url
from nexlint.pointers import join_pointer

if TYPE_CHECKING:  # the parser loads only when a document is linted
    from nexlint.document import Document, Node

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class Report(Protocol):
    """The callback a rule reports through. ``pointer`` is an RFC 6901 pointer; the
    diagnostic lands at that node's value. ``span`` (character offsets) narrows it to part
    of the value, e.g. one ``<x>.pod`` inside a URL."""

    def __call__(
        self,
        pointer: str,
        message: str,
        help: str | None = None,
        fix: Fix | None = None,
        *,
        span: tuple[int, int] | None = None,
        at: str = "value",
    ) -> None: ...


RuleCheck = Callable[["DocumentView", Report], None]


@dataclass(frozen=True)
class Rule:
    """A rule's identity and documentation. ``check`` is None for the findings the engine
    itself produces (syntax, shape, schema)."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: RuleCheck | None = None
    fixable: bool = False
    origin: str = "nexlint"
    url: str = ""  # where the rule is documented; nexlint's own rules link to docs/rules.md

    @property
    def docs_url(self) -> str:
        if self.url or not self.origin.startswith("nexlint"):
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
    return Rule(code, name, severity, summary, doc.strip("\n"), None, fixable, "nexlint")


F = TypeVar("F", bound=Callable[..., Any])


def rule(
    *,
    code: str,
    name: str,
    severity: str | Severity = "error",
    summary: str,
    fixable: bool = False,
    url: str | None = None,
) -> Callable[[F], F]:
    """Declare a rule. The decorated function's docstring is its documentation: why it
    matters, a bad example and a good example. ``url`` is where a plugin documents it
    (reports link there)."""
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


class DocumentView:
    """The read-only view a rule gets: the plain data, the pods, and where things are."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc

    @property
    def text(self) -> str:
        return self._doc.text

    @property
    def data(self) -> Any:
        return self._doc.data

    @property
    def application(self) -> dict[str, Any]:
        data = self._doc.data
        app = data.get("application") if isinstance(data, dict) else None
        return app if isinstance(app, dict) else {}

    def pods(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(index, pod) for every pod that is a mapping."""
        pods = self.application.get("pods")
        if isinstance(pods, list):
            for index, pod in enumerate(pods):
                if isinstance(pod, dict):
                    yield index, pod

    def node(self, pointer: str) -> Node | None:
        found = self._doc.node(pointer)
        return found[1] if found else None

    def key_node(self, pointer: str) -> Node | None:
        found = self._doc.node(pointer)
        return found[0] if found else None

    def walk(self, pointer: str = "") -> Iterator[tuple[str, Node]]:
        """(pointer, node) for the node at ``pointer`` and every node below it, in document
        order; a node reached through an alias comes once per path, as in ``data``."""
        start = self.node(pointer)
        if start is None:
            return
        stack = [(pointer, start)]
        while stack:
            at, node = stack.pop()
            yield at, node
            if node.kind == "mapping":
                for key, value in reversed(node.entries):
                    stack.append((at + join_pointer([key.value]), value))
            elif node.kind == "sequence":
                stack.extend(
                    (f"{at}/{i}", item) for i, item in reversed(list(enumerate(node.items)))
                )

    def span(self, pointer: str) -> tuple[int, int]:
        """Character offsets of the value at ``pointer``."""
        return self._doc.value_span(pointer)

    def source(self, pointer: str) -> str:
        start, end = self.span(pointer)
        return self._doc.text[start:end]

    def is_secret(self, pointer: str) -> bool:
        """True for values that must never be printed (tokens, secret data, secret vars)."""
        from nexlint.secrets import is_secret_pointer

        return is_secret_pointer(self._doc, pointer)

    def shown(self, pointer: str, tail: bool = False) -> str:
        """The value as a message may show it: from the source, clipped, masked if secret;
        with ``tail``, a long value keeps its end (an image's tag) rather than its start."""
        from nexlint.secrets import shown_value

        return shown_value(self._doc, pointer, tail)
