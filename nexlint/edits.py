"""Fixes that need to know the file's layout: adding a var to a pod in the form the file
already uses, on a line of its own, touching nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nexlint.diagnostics import Edit, Fix
from nexlint.findings import Kind
from nexlint.source import line_end, line_start

if TYPE_CHECKING:
    from nexlint.document import Node
    from nexlint.view import Value


def add_var(pod: Value, name: str, value: str, message: str) -> Fix | None:
    """An unsafe fix that adds ``name: value`` to the vars of ``pod`` (a block mapping, a
    flow mapping, a list of key/value, or a new `vars:`); None for a layout it does not know."""
    text = pod._doc.text
    node = pod._node
    newline = "\r\n" if "\r\n" in text else "\n"
    if node.kind != Kind.MAPPING or node.style is not None:
        return None
    found = node.lookup("vars")
    variables = found[1] if found is not None else None
    if variables is None:
        entries = _own_entries(node)
        if not entries:
            return None
        indent = " " * _column(text, min(k.start for k, _ in entries))
        at = line_end(text, max(v.end for _, v in entries))
        insert = f"{newline}{indent}vars:{newline}{indent}  {name}: {value}"
        return Fix(message, (Edit(at, at, insert),), safe=False)
    if variables.kind == Kind.MAPPING and variables.style == "flow":
        close = variables.end - 1
        if text[close] != "}":
            return None
        insert = f", {name}: {value}" if variables.entries else f"{name}: {value}"
        return Fix(message, (Edit(close, close, insert),), safe=False)
    if variables.kind == Kind.MAPPING and variables.entries:
        entries = _own_entries(variables)
        indent = " " * _column(text, min(k.start for k, _ in entries))
        at = line_end(text, max(v.end for _, v in entries))
        return Fix(message, (Edit(at, at, f"{newline}{indent}{name}: {value}"),), safe=False)
    if variables.kind == Kind.SEQUENCE and variables.style is None and variables.items:
        last = variables.items[-1]
        dash = text.rfind("-", 0, last.start)
        if dash < 0 or text[dash + 1 : last.start].strip():
            return None
        indent = " " * _column(text, dash)
        at = line_end(text, last.end)
        insert = f"{newline}{indent}- key: {name}{newline}{indent}  value: {value}"
        return Fix(message, (Edit(at, at, insert),), safe=False)
    return None


def _column(text: str, offset: int) -> int:
    return offset - line_start(text, offset)


def _own_entries(node: Node) -> list[tuple[Node, Node]]:
    """Entries written inside this mapping (not merged in from an anchor elsewhere)."""
    return [(k, v) for k, v in node.entries if node.start <= k.start <= node.end]
