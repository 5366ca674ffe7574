"""What the editor shows under the pointer: a rule's documentation on its diagnostic or on
its code in a `# nexlint:` comment, and a key's description from the schema in use."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from nexlint.lsp.analysis import Analysis, Span
from nexlint.pointers import split_pointer
from nexlint.rule_api import Rule
from nexlint.schema import load_schema
from nexlint.source import line_end, line_start
from nexlint.view import Value

_CODE = re.compile(r"[A-Za-z]{2,8}[0-9]{3,4}")
_DIRECTIVE = re.compile(r"#[ \t]*nexlint[ \t]*:")


def rule_markdown(rule: Rule) -> str:
    """A rule's code, name, severity, summary and why, with a link to its page."""
    why = rule.doc.split("\nBad:", 1)[0].strip().removeprefix("Why:").strip()
    why = " ".join(why.split())
    link = f"\n\n[{rule.code} documentation]({rule.docs_url})" if rule.docs_url else ""
    return f"**{rule.code}** `{rule.name}` ({rule.severity.value})\n\n{rule.summary}\n\n{why}{link}"


def hover(analysis: Analysis, offset: int, rules: Mapping[str, Rule]) -> tuple[str, Span] | None:
    """The text to show at ``offset`` and the range it is about, or None."""
    code = _directive_code(analysis.text, offset)
    if code is not None and code[0] in rules:
        return rule_markdown(rules[code[0]]), code[1]
    found = analysis.at(offset)
    if found:
        seen: list[str] = []
        for d in found:
            if d.code not in seen and d.code in rules:
                seen.append(d.code)
        if seen:
            text = "\n\n---\n\n".join(rule_markdown(rules[c]) for c in seen)
            return text, analysis.span_of(found[0])
    key = _key_at(analysis, offset)
    if key is None:
        return None
    described = describe(load_schema(analysis.config.schema), split_pointer(key.pointer))
    if described is None:
        return None
    location = key.key_location
    return described, Span(analysis.client(location.start), analysis.client(location.end))


def _directive_code(text: str, offset: int) -> tuple[str, Span] | None:
    """The rule code under ``offset`` inside a `# nexlint:` comment."""
    start, end = line_start(text, offset), line_end(text, offset)
    directive = _DIRECTIVE.search(text, start, end)
    if directive is None or offset < directive.end():
        return None
    for match in _CODE.finditer(text, directive.end(), end):
        if match.start() <= offset <= match.end():
            return match.group().upper(), Span(match.start(), match.end())
    return None


def _key_at(analysis: Analysis, offset: int) -> Value | None:
    """The value whose key's characters hold ``offset``."""
    root = analysis.view.root
    if root is None:
        return None
    target = analysis.engine(offset)
    for value in root.walk():
        where = value.key_location
        if value.key is not None and where.start <= target <= where.end:
            return value
    return None


def describe(schema: Mapping[str, Any], tokens: Sequence[str]) -> str | None:
    """A key's documentation from the schema: its description (the Markdown one when there
    is one), its allowed values and what each means. None when the schema says nothing."""
    node: Any = schema
    for token in tokens:
        node = _step(schema, node, token)
        if node is None:
            return None
    node = _resolve(schema, node)
    if not isinstance(node, Mapping):
        return None
    text = node.get("markdownDescription") or node.get("description")
    if not isinstance(text, str) or not text:
        return None
    name = tokens[-1] if tokens else "the file"
    parts = [f"**{name}**: {text}"]
    enum = node.get("enum")
    if isinstance(enum, list) and enum:
        meanings = node.get("markdownEnumDescriptions") or node.get("enumDescriptions")
        lines = []
        for index, option in enumerate(enum):
            meaning = (
                meanings[index] if isinstance(meanings, list) and index < len(meanings) else ""
            )
            lines.append(f"- `{option}`" + (f": {meaning}" if meaning else ""))
        parts.append("Allowed values:\n\n" + "\n".join(lines))
    return "\n\n".join(parts)


def _resolve(schema: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (and an `allOf` of one), as far as they go."""
    for _ in range(32):
        if not isinstance(node, Mapping):
            return node
        ref = node.get("$ref")
        if ref is None:
            all_of = node.get("allOf")
            if isinstance(all_of, list) and len(all_of) == 1 and "description" not in node:
                node = all_of[0]
                continue
            return node
        if not isinstance(ref, str) or not ref.startswith("#"):
            return node
        target: Any = schema
        for part in ref.lstrip("#").strip("/").split("/"):
            if not part:
                continue
            name = part.replace("~1", "/").replace("~0", "~")
            target = target.get(name) if isinstance(target, Mapping) else None
        if target is None:
            return node
        merged = {k: v for k, v in node.items() if k != "$ref"}
        node = {**target, **merged} if merged else target
    return node


def _step(schema: Mapping[str, Any], node: Any, token: str) -> Any:
    """The schema of ``token`` below ``node``: a property, or a list's items (``token`` an
    index), looking into `anyOf`/`oneOf`/`allOf` branches for the one that has it."""
    node = _resolve(schema, node)
    if not isinstance(node, Mapping):
        return None
    if token.isdigit():
        items = node.get("items")
        if isinstance(items, Mapping):
            return items
    else:
        properties = node.get("properties")
        if isinstance(properties, Mapping) and token in properties:
            return properties[token]
        extra = node.get("additionalProperties")
        if isinstance(extra, Mapping) and node.get("type") == "object":
            return extra
    for key in ("anyOf", "oneOf", "allOf"):
        branches = node.get(key)
        if isinstance(branches, list):
            for branch in branches:
                found = _step(schema, branch, token)
                if found is not None:
                    return found
    return None
