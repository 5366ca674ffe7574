"""What a rule sees: the document as read-only values that know where they are.

A rule reads `doc.pods()`, `pod.image`, `pod.var("DATABASE_URL")`, `value.find(PATTERN)`...
and reports at what it read: `report(value, "...")`, `report(found, "...", help="...")`,
`report(value.key_location, "...")`. It never builds a pointer string or counts offsets;
where quoted, escaped and block scalars begin and end is worked out here, once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from nexlint.diagnostics import Fix, Location
from nexlint.findings import Kind
from nexlint.pointers import join_pointer

if TYPE_CHECKING:  # the parser loads only when a document is linted
    from nexlint.document import Document, Node

__all__ = ["POD_REFERENCE", "DocumentView", "Found", "Kind", "Location", "Pod", "Value", "Var"]

# How pods name each other: `<name>.pod`, optionally `:port`, not part of a longer host name
# (`a.pod.example.com`).
POD_REFERENCE = re.compile(
    r"(?<![\w.\-])(?P<host>(?P<name>[A-Za-z0-9][A-Za-z0-9_\-]*)\.pod)(?::(?P<port>[0-9]{1,6}))?"
    r"(?![\w\-]|\.[A-Za-z0-9])"
)


class Value:
    """A value of the document: its plain (read-only) data, where it is written, and how a
    message may show it."""

    __slots__ = ("_children", "_doc", "_key", "_node", "data", "parent", "pointer")

    def __init__(
        self,
        doc: Document,
        pointer: str,
        key: Node | None,
        node: Node,
        data: Any,
        parent: Value | None = None,
    ):
        self._doc = doc
        self._key = key
        self._node = node
        self.pointer = pointer
        self.data = data
        self.parent = parent  # the mapping or list it stands in
        # What it holds, built the first time it is asked for and then shared by every rule.
        self._children: dict[str, Value] | list[Value] | None = None

    def __repr__(self) -> str:
        return f"Value({self.pointer or '/'!r}, {self.kind.value})"

    # -- what it is ---------------------------------------------------------------------------

    @property
    def kind(self) -> Kind:
        return Kind(self._node.kind)

    @property
    def key(self) -> str | None:
        """The key this value stands under, as YAML reads it; None for list items."""
        return self._key.value if self._key is not None else None

    @property
    def string(self) -> str | None:
        """The value when it is a string, else None."""
        return self.data if isinstance(self.data, str) else None

    @property
    def text(self) -> str:
        """The value as written in the file (quotes included)."""
        return self._doc.text[self._node.start : self._node.end]

    @property
    def style(self) -> str | None:
        """None (plain), '"', "'", '|', '>' for a scalar; "flow" or None for a collection."""
        return self._node.style

    @property
    def is_plain(self) -> bool:
        return self._node.is_plain

    @property
    def tag(self) -> str:
        """The resolved tag of a scalar: str, int, float, bool, null or timestamp."""
        return self._node.tag

    @property
    def is_secret(self) -> bool:
        """Whether the value is a secret as a whole (never shown; see secrets.py)."""
        from nexlint.secrets import is_secret_pointer

        return is_secret_pointer(self._doc, self.pointer)

    @property
    def written(self) -> str:
        """The value exactly as written, but masked where secret (`****`)."""
        from nexlint.secrets import mask, secret_spans

        node = self._node
        return mask(self._doc.text, node.start, node.end, secret_spans(self._doc))

    @property
    def owner(self) -> str:
        """What a message calls the value: its key, the `name`/`key` beside a `value`
        (the list forms of env vars), or the key of the nearest collection above it."""
        if self.key == "value" and self.parent is not None:
            for naming in ("name", "key"):
                name = self.parent.get(naming)
                if name is not None and name.string is not None:
                    return name.string
        value: Value | None = self
        while value is not None and value.key is None:
            value = value.parent
        return value.key if value is not None and value.key is not None else "the value"

    def shown(self, tail: bool = False) -> str:
        """The value as a message may show it: from the source, masked where secret, escaped,
        clipped to 40 characters (keeping the end with ``tail``: an image's tag)."""
        from nexlint.secrets import shown_value

        return shown_value(self._doc, self.pointer, tail)

    # -- where it is --------------------------------------------------------------------------

    @property
    def location(self) -> Location:
        """Where the value is written; an empty value is located at its key, to be seen."""
        node = self._node
        if node.start == node.end and self._key is not None:
            return Location(self._key.start, self._key.end, self.pointer)
        return Location(node.start, node.end, self.pointer)

    @property
    def key_location(self) -> Location:
        """Where its key is written; a list item's, or the root's, is the value itself."""
        if self._key is None:
            return self.location
        return Location(self._key.start, self._key.end, self.pointer)

    @property
    def content_location(self) -> Location:
        """A quoted scalar without its quotes; any other value as `location`."""
        node = self._node
        if node.style in ('"', "'") and node.end - node.start >= 2:
            return Location(node.start + 1, node.end - 1, self.pointer)
        return self.location

    @property
    def single_line(self) -> bool:
        return "\n" not in self.text and "\r" not in self.text

    def find(self, pattern: re.Pattern[str]) -> Iterator[Found]:
        """Each match of ``pattern`` inside this scalar, at the exact characters it is
        written with (inside quotes; in a block scalar on its own line). A value whose text
        cannot hold a match is passed over without reading the source."""
        node = self._node
        if node.kind != Kind.SCALAR or not pattern.search(node.value):
            return
        for match in pattern.finditer(self._doc.text[node.start : node.end]):
            yield Found(self, match, node.start)

    # -- what it holds ------------------------------------------------------------------------

    def _held(self) -> dict[str, Value] | list[Value]:
        """The values this one holds: by key for a mapping, in order for a list."""
        if self._children is not None:
            return self._children
        node, data = self._node, self.data
        held: dict[str, Value] | list[Value]
        if node.kind == Kind.MAPPING and isinstance(data, dict):
            held = {
                key.value: Value(
                    self._doc,
                    self.pointer + join_pointer([key.value]),
                    key,
                    child,
                    data[key.value],
                    self,
                )
                for key, child in node.entries
            }
        elif node.kind == Kind.SEQUENCE and isinstance(data, list):
            held = [
                Value(self._doc, f"{self.pointer}/{index}", None, child, data[index], self)
                for index, child in enumerate(node.items)
            ]
        else:
            held = []
        self._children = held
        return held

    def get(self, key: str) -> Value | None:
        """The value under ``key`` of a mapping, or None."""
        held = self._held()
        return held.get(key) if isinstance(held, dict) else None

    def items(self) -> Iterator[tuple[str, Value]]:
        """(key, value) of a mapping, in the file's order."""
        held = self._held()
        if isinstance(held, dict):
            yield from held.items()

    def elements(self) -> Iterator[Value]:
        """The items of a list."""
        held = self._held()
        if isinstance(held, list):
            yield from held

    def walk(self) -> Iterator[Value]:
        """This value and every value below it, in the file's order; a node reached through
        an alias comes once per path, as in ``data``."""
        stack = [self]
        while stack:
            value = stack.pop()
            yield value
            if value._node.kind != Kind.SCALAR:
                held = value._held()
                stack.extend(reversed(list(held.values()) if isinstance(held, dict) else held))

    def written_in(self, other: Value) -> bool:
        """Whether this value is written inside ``other`` (not merged in from elsewhere)."""
        return other._node.start <= self._node.start <= other._node.end


class Found:
    """A match of a pattern inside a scalar, with the exact characters it stands on."""

    __slots__ = ("_base", "match", "value")

    def __init__(self, value: Value, match: re.Match[str], base: int) -> None:
        self.value = value
        self.match = match  # on the scalar's own text: it sees nothing around it
        self._base = base

    def group(self, name: str | int = 0) -> str | None:
        found: str | None = self.match.group(name)
        return found

    @property
    def text(self) -> str:
        return self.match.group(0)

    @property
    def before(self) -> str:
        """What the scalar's text holds before the match."""
        return self.match.string[: self.match.start()]

    @property
    def is_secret(self) -> bool:
        """Whether any of the match is secret, and so never shown: the whole value is, or
        the match touches a URL's password (`${PW}` in `postgres://app:${PW}@db.pod`)."""
        from nexlint.secrets import touches_secret

        start, end = self.match.span()
        return touches_secret(self.value._doc, self._base + start, self._base + end)

    @property
    def location(self) -> Location:
        return self.location_of(0)

    def location_of(self, group: str | int) -> Location:
        """Where one group of the match stands (its own characters only)."""
        start, end = self.match.span(group)
        return Location(self._base + start, self._base + end, self.value.pointer)


class Var:
    """An environment variable of a pod, in either form of `vars` (`NAME: value`, or a list
    of `{key: NAME, value: ...}`)."""

    __slots__ = ("name", "name_value", "value")

    def __init__(self, name: str, value: Value | None, name_value: Value) -> None:
        self.name = name
        self.value = value  # None when a list item has no `value`
        self.name_value = name_value  # where the name is written

    @property
    def name_location(self) -> Location:
        """The name: the key in the mapping form, the `key:` value in the list form. It
        belongs to the var's value (its pointer), as a finding about the var does."""
        where = (
            self.name_value.key_location
            if self.name_value.key == self.name
            else self.name_value.location
        )
        pointer = self.value.pointer if self.value is not None else where.pointer
        return Location(where.start, where.end, pointer)

    @property
    def data(self) -> Any:
        return self.value.data if self.value is not None else None


class Pod:
    """One pod of `application.pods`."""

    __slots__ = ("_texts", "_vars", "index", "value")

    def __init__(self, index: int, value: Value) -> None:
        self.index = index
        self.value = value
        self._vars: list[Var] | None = None  # read once, then shared by every rule
        self._texts: list[tuple[str, Value]] | None = None

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.value.data
        return data

    @property
    def name(self) -> str | None:
        name = self.data.get("name")
        return name if isinstance(name, str) else None

    @property
    def label(self) -> str:
        """How a message names the pod: by its name, else by its place in the list."""
        return pod_label(self.index, self.name)

    def get(self, key: str) -> Value | None:
        return self.value.get(key)

    @property
    def image(self) -> Value | None:
        return self.get("image")

    @property
    def service_ports(self) -> list[int]:
        listed = self.data.get("servicePorts")
        if not isinstance(listed, list):
            return []
        return [p for p in listed if isinstance(p, int) and not isinstance(p, bool)]

    def vars(self) -> Iterator[Var]:
        """The pod's environment variables, in either form of `vars`."""
        if self._vars is None:
            found: list[Var] = []
            variables = self.get("vars")
            if variables is not None:
                found += [Var(name, value, value) for name, value in variables.items()]
                for item in variables.elements():
                    key = item.get("key")
                    if key is not None and key.string is not None:
                        found.append(Var(key.string, item.get("value"), key))
            self._vars = found
        return iter(self._vars)

    def var(self, name: str) -> Var | None:
        return next((var for var in self.vars() if var.name == name), None)

    def volumes(self) -> Iterator[Value]:
        """The volumes that are mappings."""
        return self._mappings("volumes")

    def secrets(self) -> Iterator[Value]:
        return self._mappings("secrets")

    def _mappings(self, key: str) -> Iterator[Value]:
        listed = self.get(key)
        if listed is not None:
            yield from (item for item in listed.elements() if item.kind == Kind.MAPPING)

    def texts(self) -> Iterator[tuple[str, Value]]:
        """(what it is, value) of the strings of the pod where another pod may be named:
        var values (by the var's name), `command` and `entrypoint` (and their items)."""
        if self._texts is None:
            found = [
                (var.name, var.value)
                for var in self.vars()
                if var.value is not None and var.value.string is not None
            ]
            for key in ("command", "entrypoint"):
                value = self.get(key)
                if value is None:
                    continue
                if value.string is not None:
                    found.append((key, value))
                found += [(key, item) for item in value.elements() if item.string is not None]
            self._texts = found
        return iter(self._texts)

    def add_var(self, name: str, value: str, message: str) -> Fix | None:
        """An unsafe fix that adds ``name: value`` to the pod's vars, in the form the file
        uses; None when the pod sets ``name`` already or its layout is not one it knows."""
        if self.var(name) is not None:
            return None
        from nexlint.edits import add_var

        return add_var(self.value, name, value, message)


def pod_label(index: int, name: Any) -> str:
    """How every message names a pod: `pod "web"`, or `pod #2` when it has no name."""
    from nexlint.display import label

    return label("pod", index, name)


# Secret data, which no rule searches for text (a token, a secret file's content).
_NOT_SEARCHED = frozenset({"secrets", "personalAccessToken"})


class DocumentView:
    """The read-only view a rule gets of one parsed document."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        # Built once per document and shared by every rule: the values (each holds its own
        # children once read), the pods and, in each pod, its vars and texts.
        self._root: Value | None = (
            Value(doc, "", None, doc.root, doc.data) if doc.root is not None else None
        )
        self._pods: list[Pod] | None = None
        self._strings: list[Value] | None = None
        self._url_passwords: list[tuple[Value, Location]] | None = None

    @property
    def text(self) -> str:
        return self._doc.text

    @property
    def data(self) -> Any:
        """The plain data: read-only dicts and lists (``copy.deepcopy`` for a copy)."""
        return self._doc.data

    @property
    def root(self) -> Value | None:
        return self._root

    @property
    def app(self) -> Value | None:
        """The `application` mapping."""
        root = self.root
        app = root.get("application") if root is not None else None
        return app if app is not None and app.kind == Kind.MAPPING else None

    @property
    def application(self) -> dict[str, Any]:
        """The `application` mapping as plain data ({} when there is none)."""
        app = self.app
        data: dict[str, Any] = app.data if app is not None else {}
        return data

    def pods(self) -> Iterator[Pod]:
        """Every pod that is a mapping."""
        if self._pods is None:
            app = self.app
            listed = app.get("pods") if app is not None else None
            elements = listed.elements() if listed is not None else iter(())
            self._pods = [
                Pod(index, pod) for index, pod in enumerate(elements) if pod.kind == Kind.MAPPING
            ]
        return iter(self._pods)

    def pod_references(self) -> Iterator[tuple[Pod, str, Found]]:
        """Every `<name>.pod` in the strings of each pod where another pod may be named
        (`Pod.texts`): the pod it is written in, what holds it, and the match (groups
        `host`, `name`, `port`)."""
        for pod in self.pods():
            for owner, value in pod.texts():
                for found in value.find(POD_REFERENCE):
                    yield pod, owner, found

    def at(self, pointer: str) -> Value | None:
        """The value at an RFC 6901 pointer, for rules written with pointers."""
        from nexlint.pointers import split_pointer

        value = self.root
        for token in split_pointer(pointer):
            if value is None:
                return None
            if value.kind == Kind.SEQUENCE:
                items = list(value.elements())
                value = items[int(token)] if token.isdigit() and int(token) < len(items) else None
            else:
                value = value.get(token)
        return value

    def text_at(self, where: Location) -> str:
        """The characters of the file at ``where``."""
        return self._doc.text[where.start : where.end]

    def url_passwords(self) -> Iterator[tuple[Value, Location]]:
        """Each password written in a `scheme://user:password@host` URL, with the string
        value (under `application`, not itself a secret as a whole) that holds it."""
        if self._url_passwords is None:
            self._url_passwords = list(self._find_url_passwords())
        return iter(self._url_passwords)

    def _find_url_passwords(self) -> Iterator[tuple[Value, Location]]:
        from nexlint.secrets import url_passwords_in

        passwords = url_passwords_in(self._doc)
        starts = [start for start, _ in passwords]
        app = self.app
        if not passwords or app is None:
            return
        for value in app.walk():
            node = value._node
            if node.kind != Kind.SCALAR:
                continue
            # only the passwords that start inside this scalar (bisect: linear overall)
            first = bisect.bisect_left(starts, node.start)
            inside = passwords[first : bisect.bisect_right(starts, node.end)]
            if not inside or value.is_secret:
                continue
            for start, end in inside:
                if end <= node.end:
                    yield value, Location(start, end, value.pointer)

    def strings(self) -> Iterator[Value]:
        """Every string under `application` but secret data (tokens, `secrets`)."""
        if self._strings is None:
            self._strings = list(self._find_strings())
        return iter(self._strings)

    def _find_strings(self) -> Iterator[Value]:
        app = self.app
        if app is None:
            return
        stack = [app]
        while stack:
            value = stack.pop()
            if value._node.kind == Kind.SCALAR:
                if isinstance(value.data, str):
                    yield value
                continue
            held = value._held()
            if isinstance(held, dict):
                stack.extend(reversed([v for k, v in held.items() if k not in _NOT_SEARCHED]))
            else:
                stack.extend(reversed(held))
