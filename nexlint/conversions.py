"""Borrowed keys, converted: the content of a key written in another platform's shape (`env`
as Kubernetes or docker-compose writes it, `ports` as compose writes it), rewritten in the
Nexlayer shape when the rewrite is exact -- nothing lost, nothing guessed, no comment dropped.
When it is not exact there is no conversion, and the rename is not offered.

Each function returns the text edits that rewrite the value, or None.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from nexlint.diagnostics import Edit
from nexlint.document import MAPPING, SCALAR, SEQUENCE, Document, Node
from nexlint.source import line_start

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# compose: "80", "8080:80", "127.0.0.1:8080:80", with an optional "/tcp"
COMPOSE_PORT = re.compile(r"^(?:(?:[0-9.]+:)?[0-9]+:)?(?P<port>[0-9]{1,5})(?:/tcp)?$")
# What an item may hold besides the nodes a rewrite keeps.
_PUNCTUATION = re.compile(r"[\s:,{}]")

Converter = Callable[[Document, Node, Node], list[Edit] | None]


def to_vars(doc: Document, key: Node, value: Node) -> list[Edit] | None:
    """``[{name: A, value: b}]`` (Kubernetes), ``["A=b"]`` (compose) or ``[{A: b}]`` as the
    mapping ``A: b``."""
    if value.kind != SEQUENCE or not value.items:
        return None
    pairs: list[tuple[Node, str]] = []
    for item in value.items:
        pair = _kubernetes_pair(doc, item) or _compose_pair(doc, item) or _single_pair(doc, item)
        if pair is None:
            return None
        pairs.append((item, pair))
    if value.style == "flow":
        return _flow_mapping(doc, value, pairs)
    return _block_mapping(doc, key, pairs)


def to_ports(doc: Document, key: Node, value: Node) -> list[Edit] | None:
    """``80``, ``"8080:80"``, ``[{containerPort: 80}]``... as the list of ports ``[80]``."""
    if value.kind == SCALAR:
        port = _port(value)
        return None if port is None else [Edit(value.start, value.end, f"[{port}]")]
    if value.kind != SEQUENCE or not value.items:
        return None
    edits: list[Edit] = []
    seen: set[int] = set()
    for item in value.items:
        port = _port(item) if item.kind == SCALAR else _container_port(doc, item)
        if port is None or port in seen:
            return None  # not a port, or two become one: not exact
        seen.add(port)
        if doc.text[item.start : item.end] != str(port):
            edits.append(Edit(item.start, item.end, str(port)))
    return edits


CONVERTERS: dict[str, Converter] = {"vars": to_vars, "servicePorts": to_ports}


def _kubernetes_pair(doc: Document, item: Node) -> str | None:
    if item.kind != MAPPING or {k.value for k, _ in item.entries} != {"name", "value"}:
        return None
    name = item.lookup("name")
    found = item.lookup("value")
    if name is None or found is None:
        return None
    parts = [node for pair in item.entries for node in pair]
    return _pair(doc, item, name[1], found[1], parts)


def _single_pair(doc: Document, item: Node) -> str | None:
    if item.kind != MAPPING or len(item.entries) != 1:
        return None
    key, value = item.entries[0]
    return _pair(doc, item, key, value, [key, value])


def _pair(doc: Document, item: Node, name: Node, value: Node, parts: list[Node]) -> str | None:
    """``NAME: value`` from the written name and value, if they are one-line scalars and
    the item holds nothing else."""
    if name.kind != SCALAR or not ENV_NAME.match(name.value):
        return None
    if value.kind != SCALAR or value.start == value.end or value.style in ("|", ">"):
        return None
    written = doc.text[value.start : value.end]
    if "\n" in written or "\r" in written or not _only_these(doc, item, parts):
        return None
    return f"{doc.text[name.start : name.end]}: {written}"


def _compose_pair(doc: Document, item: Node) -> str | None:
    if item.kind != SCALAR or item.tag != "str" or "=" not in item.value:
        return None
    name, _, value = item.value.partition("=")
    if not ENV_NAME.match(name) or "\n" in doc.text[item.start : item.end]:
        return None
    return f"{name}: {json.dumps(value, ensure_ascii=False)}"


def _only_these(doc: Document, item: Node, parts: list[Node]) -> bool:
    """Whether the item's text holds nothing but these nodes, colons, commas, braces and
    white space: no comment, nothing a rewrite would drop."""
    text = doc.text
    at = item.start
    rest: list[str] = []
    for part in sorted(parts, key=lambda n: n.start):
        rest.append(text[at : part.start])
        at = max(at, part.end)
    rest.append(text[at : item.end])
    return not _PUNCTUATION.sub("", "".join(rest))


def _block_mapping(doc: Document, key: Node, pairs: list[tuple[Node, str]]) -> list[Edit] | None:
    text = doc.text
    key_column = key.start - line_start(text, key.start)
    edits = []
    for item, pair in pairs:
        dash = text.rfind("-", 0, item.start)
        line = line_start(text, dash)
        if dash < 0 or text[line:dash].strip() or text[dash + 1 : item.start].strip():
            return None
        column = max(dash - line, key_column + 2)  # an indentless list moves in
        edits.append(Edit(line, item.end, " " * column + pair))
    return edits


def _flow_mapping(doc: Document, value: Node, pairs: list[tuple[Node, str]]) -> list[Edit] | None:
    text = doc.text
    if text[value.start] != "[" or text[value.end - 1] != "]":
        return None
    edits = [Edit(value.start, value.start + 1, "{")]
    edits += [Edit(item.start, item.end, pair) for item, pair in pairs]
    edits.append(Edit(value.end - 1, value.end, "}"))
    return edits


def _port(node: Node) -> int | None:
    if node.tag == "int":
        number = node.value.replace("_", "")
        port = int(number) if number.isdigit() else None
    else:
        match = COMPOSE_PORT.match(node.value) if node.tag == "str" else None
        port = int(match.group("port")) if match else None
    return port if port is not None and 1 <= port <= 65535 else None


def _container_port(doc: Document, item: Node) -> int | None:
    """``{containerPort: 80}``, with at most ``protocol: TCP`` beside it."""
    if item.kind != MAPPING:
        return None
    keys = {k.value for k, _ in item.entries}
    protocol = item.lookup("protocol")
    if keys - {"protocol"} != {"containerPort"}:
        return None
    if protocol is not None and protocol[1].value.upper() != "TCP":
        return None
    found = item.lookup("containerPort")
    if found is None or found[1].kind != SCALAR or found[1].tag != "int":
        return None
    parts = [n for k, v in item.entries for n in (k, v)]
    return _port(found[1]) if _only_these(doc, item, parts) else None
