"""What several built-in rules need: images, pod references, placeholders, Postgres facts."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nexlint import DocumentView, Edit, Fix
from nexlint.suggestions import close_match

if TYPE_CHECKING:
    from nexlint.document import Node

# `<name>.pod`, optionally `:port`, not part of a longer host name (`a.pod.example.com`).
POD_REFERENCE = re.compile(
    r"(?<![\w.\-])(?P<name>[A-Za-z0-9][A-Za-z0-9_\-]*)\.pod(?::(?P<port>[0-9]{1,6}))?"
    r"(?![\w\-]|\.[A-Za-z0-9])"
)
PLACEHOLDER = re.compile(r"<%(?P<before>\s*)(?P<name>[^%<>]*?)(?P<after>\s*)%>")
KNOWN_PLACEHOLDERS = ("URL", "DOMAIN", "REGISTRY")
REGISTRY_PLACEHOLDER = re.compile(r"<%\s*REGISTRY\s*%>")

POSTGRES_IMAGES = frozenset(
    {
        "postgres",
        "library/postgres",
        "bitnami/postgresql",
        "postgis/postgis",
        "pgvector/pgvector",
        "timescale/timescaledb",
    }
)
POSTGRES_DATA = "/var/lib/postgresql/data"


@dataclass(frozen=True)
class Image:
    """An image reference split as a registry client reads it."""

    registry: str | None  # host (with port) when the first component names one
    repository: str  # path without the registry host, e.g. library/postgres
    tag: str | None
    digest: str | None
    templated: bool  # starts with <% REGISTRY %>


def parse_image(reference: str) -> Image:
    templated = bool(REGISTRY_PLACEHOLDER.match(reference))
    rest = REGISTRY_PLACEHOLDER.sub("", reference, count=1).lstrip("/") if templated else reference
    digest = None
    if "@" in rest:
        rest, digest = rest.split("@", 1)
    last_slash = rest.rfind("/")
    tag = None
    colon = rest.rfind(":")
    if colon > last_slash:
        rest, tag = rest[:colon], rest[colon + 1 :]
    registry = None
    first, _, remainder = rest.partition("/")
    if remainder and ("." in first or ":" in first or first == "localhost"):
        registry, rest = first, remainder
    return Image(registry, rest, tag, digest, templated)


def is_postgres(image: Any) -> bool:
    if not isinstance(image, str):
        return False
    parsed = parse_image(image)
    repository = parsed.repository.lower()
    return repository in POSTGRES_IMAGES or (
        "/" not in repository and f"library/{repository}" in POSTGRES_IMAGES
    )


def normal_path(path: Any) -> str | None:
    """An absolute path without trailing or doubled slashes; None when not absolute."""
    if not isinstance(path, str) or not path.startswith("/"):
        return None
    return posixpath.normpath(path)


def below(path: str, parent: str) -> bool:
    """True when ``path`` is strictly inside ``parent``."""
    return path != parent and path.startswith(parent.rstrip("/") + "/")


def pod_label(index: int, pod: dict[str, Any]) -> str:
    """How a message names a pod: by its name, else by its place in the list."""
    name = pod.get("name")
    return f'pod "{name}"' if isinstance(name, str) else f"pod #{index + 1}"


def pointer(*parts: object) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True)
class Var:
    """One environment variable of a pod, in either form of ``vars``."""

    name: str
    value: Any
    value_pointer: str
    name_pointer: str  # where the name is written: the key, or the list item's `key` value


def pod_vars(index: int, pod: dict[str, Any]) -> Iterator[Var]:
    variables = pod.get("vars")
    base = pointer("application", "pods", index, "vars")
    if isinstance(variables, dict):
        for name, value in variables.items():
            yield Var(name, value, f"{base}{pointer(name)}", f"{base}{pointer(name)}")
    elif isinstance(variables, list):
        for i, item in enumerate(variables):
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                yield Var(item["key"], item.get("value"), f"{base}/{i}/value", f"{base}/{i}/key")


def var_value(pod: dict[str, Any], name: str) -> Any:
    for var in pod_vars(0, pod):
        if var.name == name:
            return var.value
    return None


def text_values(index: int, pod: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(pointer, value) of the strings in a pod where another pod may be named: var values,
    command and entrypoint."""
    for var in pod_vars(index, pod):
        if isinstance(var.value, str):
            yield var.value_pointer, var.value
    for key in ("command", "entrypoint"):
        value = pod.get(key)
        base = pointer("application", "pods", index, key)
        if isinstance(value, str):
            yield base, value
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    yield f"{base}/{i}", item


def matches_in(
    doc: DocumentView, at: str, regex: re.Pattern[str], value: str | None = None
) -> Iterator[tuple[re.Match[str], tuple[int, int]]]:
    """Matches of ``regex`` in the source characters of the scalar at ``at``, with their
    absolute character range: exact inside quoted, plain and block scalars. With ``value``
    (the scalar's text), a value without a match is passed over without a lookup."""
    if value is not None and not regex.search(value):
        return
    node = doc.node(at)
    if node is None or node.kind != "scalar":
        return
    source = doc.text[node.start : node.end]
    for match in regex.finditer(source):
        yield match, (node.start + match.start(), node.start + match.end())


def all_scalars(doc: DocumentView) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every string under ``application``, secret data excepted."""

    def walk(value: Any, at: str) -> Iterator[tuple[str, Any]]:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("secrets", "personalAccessToken"):
                    yield from walk(item, at + pointer(key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, f"{at}/{i}")
        elif isinstance(value, str):
            yield at, value

    yield from walk(doc.application, "/application")


def closest(name: str, options: list[str]) -> str | None:
    return close_match(name, options)


class Suggester:
    """A "did you mean" among many options, at a bounded cost: each name is looked up once,
    and past ``budget`` comparisons in one file no more suggestions are made. A file with
    thousands of unknown names against thousands of options then stays linear; one a person
    writes never comes near the bound."""

    def __init__(self, options: list[str], budget: int = 50_000) -> None:
        self.options = options
        self.budget = budget
        self._found: dict[str, str | None] = {}

    def closest(self, name: str) -> str | None:
        if name in self._found:
            return self._found[name]
        guess = None
        if self.budget >= len(self.options):
            self.budget -= len(self.options)
            guess = closest(name, self.options)
        self._found[name] = guess
        return guess


def names_list(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _line_end(text: str, offset: int) -> int:
    for index in range(offset, len(text)):
        if text[index] in "\r\n":
            return index
    return len(text)


def _column(text: str, offset: int) -> int:
    return offset - (max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1)


def _own_entries(node: Node) -> list[tuple[Node, Node]]:
    """Entries written inside this mapping (not merged in from an anchor elsewhere)."""
    return [(k, v) for k, v in node.entries if node.start <= k.start <= node.end]


def add_var_fix(doc: DocumentView, index: int, name: str, value: str, message: str) -> Fix | None:
    """An (unsafe) fix that adds ``name: value`` to a pod's vars, in the form the file uses,
    on a line of its own, touching nothing else. None when the layout is not one it knows, or
    when the pod already sets ``name`` (a second one would be a duplicate, not a fix)."""
    text = doc.text
    newline = "\r\n" if "\r\n" in text else "\n"
    pods = doc.application.get("pods")
    data = pods[index] if isinstance(pods, list) and index < len(pods) else None
    if not isinstance(data, dict) or any(var.name == name for var in pod_vars(index, data)):
        return None
    base = pointer("application", "pods", index)
    pod = doc.node(base)
    if pod is None or pod.kind != "mapping" or pod.style is not None:
        return None
    variables = doc.node(base + "/vars")
    if variables is None:
        entries = _own_entries(pod)
        if not entries:
            return None
        indent = " " * _column(text, min(k.start for k, _ in entries))
        at = _line_end(text, max(v.end for _, v in entries))
        insert = f"{newline}{indent}vars:{newline}{indent}  {name}: {value}"
        return Fix(message, (Edit(at, at, insert),), safe=False)
    if variables.kind == "mapping" and variables.style == "flow":
        close = variables.end - 1
        if text[close] != "}":
            return None
        insert = f", {name}: {value}" if variables.entries else f"{name}: {value}"
        return Fix(message, (Edit(close, close, insert),), safe=False)
    if variables.kind == "mapping" and variables.entries:
        entries = _own_entries(variables)
        indent = " " * _column(text, min(k.start for k, _ in entries))
        at = _line_end(text, max(v.end for _, v in entries))
        return Fix(message, (Edit(at, at, f"{newline}{indent}{name}: {value}"),), safe=False)
    if variables.kind == "sequence" and variables.style is None and variables.items:
        last = variables.items[-1]
        dash = text.rfind("-", 0, last.start)
        if dash < 0 or text[dash + 1 : last.start].strip():
            return None
        indent = " " * _column(text, dash)
        at = _line_end(text, last.end)
        insert = f"{newline}{indent}- key: {name}{newline}{indent}  value: {value}"
        return Fix(message, (Edit(at, at, insert),), safe=False)
    return None
