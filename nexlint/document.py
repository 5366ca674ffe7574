"""The document model: one ruamel.yaml parse, positions for every key and value.

ruamel.yaml's parser gives the events; the nodes are built here rather than by ruamel's
composer because that composer recurses (deep nesting ends in RecursionError) and expands
aliases without a bound (an alias bomb fills memory). Building the tree from events, without
recursion, bounds both: depth (MAX_DEPTH) and expansion (MAX_EXPANDED_NODES). On the way it
records what the rules need: key ranges beside value ranges, every duplicate key, tags as
written (never constructed, so a ``!!python/...`` tag cannot run code), and merge keys with
the positions of their sources.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # ruamel loads when a file is parsed, not when the rules are listed
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent

    from nexlint.secrets import Secrets

from nexlint.cparse import c_events
from nexlint.diagnostics import Severity
from nexlint.display import clip
from nexlint.findings import Finding, Kind
from nexlint.pointers import join_pointer, split_pointer
from nexlint.rule_api import engine_rule
from nexlint.source import LineIndex, line_end

YAML_SYNTAX = engine_rule(
    "NXL001",
    "yaml-syntax",
    "the file is not well-formed YAML",
    """
Why: nothing can be checked, and nothing deploys, until the file parses. The diagnostic
points at the position where the parser gave up. Invalid UTF-8, UTF-16 files and control
characters are reported here too.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: "nginx:1.27
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: "nginx:1.27"
          path: /
          servicePorts: [80]
""",
)


DUPLICATE_KEY = engine_rule(
    "NXL002",
    "duplicate-key",
    "a mapping repeats a key",
    """
Why: YAML readers disagree about a repeated key: some keep the first value, some the last,
some refuse the file. Every repetition is reported, at the later key.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
          servicePorts: [8080]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [8080]
""",
)


YAML_TAG = engine_rule(
    "NXL004",
    "yaml-tag",
    "an explicit YAML tag (never constructed)",
    """
Why: tags like `!!python/object` ask a YAML reader to build objects, which can run code.
nexlint never constructs them: the value is read as plain text and the tag is reported.
The standard tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map` and `!!seq`
are plain data and allowed.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: !!python/object/apply:os.system ["echo hi"]
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
)


YAML_VERSION = engine_rule(
    "NXL006",
    "yaml-version",
    "a %YAML directive names a later 1.x version than 1.2",
    """
Why: YAML readers know versions 1.1 and 1.2. The spec asks that a document naming a later
minor version (`%YAML 1.3`) be read with a warning, as the latest version the reader knows:
nexlint reads it as YAML 1.2 and says so, so you know the file may mean something else to
a reader of that version. A later major version (`%YAML 2.0`) is not YAML 1 and is a syntax
error (NXL001).

Bad:

    %YAML 1.3
    ---
    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]

Good:

    %YAML 1.2
    ---
    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
    Severity.WARNING,
)


# The codes this stage reports, for the registry (they are rules like any other for
# selection, severity, suppression and docs).
RULES = (YAML_SYNTAX, DUPLICATE_KEY, YAML_TAG, YAML_VERSION)

MAX_DEPTH = 64
# An alias may repeat a node many times; real files expand little. Past this many nodes and
# this many times the written nodes, the file is treated as an alias bomb.
MAX_EXPANDED_NODES = 100_000
MAX_EXPANSION_RATIO = 4

YAML_TAG_PREFIX = "tag:yaml.org,2002:"
# Standard tags whose meaning is plain data; anything else is reported and never constructed.
CORE_TAGS = frozenset({"str", "int", "float", "bool", "null", "map", "seq"})

SCALAR, MAPPING, SEQUENCE = Kind.SCALAR, Kind.MAPPING, Kind.SEQUENCE

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$"
)


class Node:
    """A node of the parsed file. ``start``/``end`` are character offsets (end exclusive)."""

    __slots__ = (
        "anchor",
        "end",
        "entries",
        "explicit_tag",
        "index",
        "items",
        "kind",
        "size",
        "start",
        "style",
        "tag",
        "value",
    )

    def __init__(self, kind: str, start: int, end: int) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.value = ""  # a scalar's text, as YAML reads it (quotes and escapes resolved)
        self.tag = "str"  # short name of the resolved tag: str, int, float, bool, null, ...
        self.explicit_tag: str | None = None  # the tag as written, when one was written
        self.style: str | None = None  # None (plain), '"', "'", '|', '>'
        self.anchor: str | None = None
        self.entries: list[tuple[Node, Node]] = []  # mapping: effective (key, value) pairs
        self.items: list[Node] = []  # sequence
        self.index: dict[str, tuple[Node, Node]] | None = None
        self.size = 1  # nodes in the expanded tree below and including this one

    @property
    def is_plain(self) -> bool:
        return self.kind == SCALAR and self.style is None

    def lookup(self, key: str) -> tuple[Node, Node] | None:
        if self.index is None:
            self.index = {k.value: (k, v) for k, v in self.entries}
        return self.index.get(key)


@dataclass
class Document:
    """One parsed file: its text, the node tree, the plain data, and the parse findings."""

    text: str
    lines: LineIndex
    root: Node | None
    findings: list[Finding] = field(default_factory=list)
    complete: bool = True  # False when the tree is unusable (syntax error, bomb, too deep)
    secret_cache: Secrets | None = None  # secrets.secrets_of: decided once
    url_password_cache: tuple[tuple[int, int], ...] | None = None  # secrets.url_passwords_in
    _data: Any = None
    _data_built: bool = False

    @property
    def data(self) -> Any:
        """The plain data (dicts, lists, str, int, float, bool, None) built from the nodes."""
        if not self._data_built:
            self._data = to_data(self.root) if self.root is not None else None
            self._data_built = True
        return self._data

    def node(self, pointer: str) -> tuple[Node | None, Node] | None:
        """The (key node, value node) at an RFC 6901 pointer, or None."""
        if self.root is None:
            return None
        key: Node | None = None
        node = self.root
        for token in split_pointer(pointer):
            if node.kind == MAPPING:
                pair = node.lookup(token)
                if pair is None:
                    return None
                key, node = pair
            elif node.kind == SEQUENCE and token.isdigit() and int(token) < len(node.items):
                key, node = None, node.items[int(token)]
            else:
                return None
        return key, node

    def value_span(self, pointer: str) -> tuple[int, int]:
        """Where a value stands; an empty value falls back to its key, so it can be seen."""
        found = self.node(pointer)
        if found is None:
            return self._nearest_span(pointer)
        key, node = found
        if node.start == node.end and key is not None:
            return key.start, key.end
        return node.start, node.end

    def key_span(self, pointer: str) -> tuple[int, int]:
        """Where a key stands (for list items and the root: the value)."""
        found = self.node(pointer)
        if found is None:
            return self._nearest_span(pointer)
        key, node = found
        if key is None:
            return node.start, node.end
        return key.start, key.end

    def first_key_span(self, pointer: str) -> tuple[int, int]:
        """A mapping's first key (where a missing key is reported), else the value."""
        found = self.node(pointer)
        if found is None:
            return self._nearest_span(pointer)
        node = found[1]
        if node.kind == MAPPING and node.entries:
            first = min((k for k, _ in node.entries), key=lambda k: k.start)
            return first.start, first.end
        return self.value_span(pointer)

    def _nearest_span(self, pointer: str) -> tuple[int, int]:
        tokens = split_pointer(pointer)
        while tokens:
            tokens.pop()
            parent = join_pointer(tokens)
            if self.node(parent) is not None:
                return self.key_span(parent)
        return 0, 0


def resolve_plain(value: str) -> str:
    """The YAML 1.2 core-schema tag of a plain scalar (plus timestamps, which YAML 1.1
    readers construct and which ruamel still recognises)."""
    if not value:
        return "null"
    first = value[0]
    if first in "-+.0123456789":
        if _INT.match(value):
            return "int"
        if _FLOAT.match(value):
            return "float"
        if _TIMESTAMP.match(value):
            return "timestamp"
        return "str"
    if first in "tTfF" and _BOOL.match(value):
        return "bool"
    if first in "~nN" and _NULL.match(value):
        return "null"
    return "str"


def scalar_value(node: Node) -> Any:
    """The plain value of a scalar node; anything that does not convert stays a string."""
    tag, text = node.tag, node.value
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() == "true"
    if tag == "int":
        clean = text.replace("_", "")
        sign = -1 if clean.startswith("-") else 1
        digits = clean.lstrip("+-")
        try:
            for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
                if digits.startswith(prefix):
                    return sign * int(digits[2:], base)
            return sign * int(digits, 10)
        except ValueError:
            return text
    if tag == "float":
        lowered = text.replace("_", "").lower()
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered == ".nan":
            return float("nan")
        try:
            return float(lowered)
        except ValueError:
            return text
    return text


_READ_ONLY = "the document is read-only; copy.deepcopy() it to work on a copy"


class ReadOnlyDict(dict[str, Any]):
    """A mapping of the document's data: a dict to read, which no rule can change under
    the rules that run after it. ``copy`` and ``deepcopy`` give plain, changeable copies."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(_READ_ONLY)

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {key: copy.deepcopy(value, memo) for key, value in self.items()}


class ReadOnlyList(list[Any]):
    """A list of the document's data, read-only like ReadOnlyDict."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(_READ_ONLY)

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return [copy.deepcopy(value, memo) for value in self]


def to_data(root: Node) -> Any:
    """Plain, read-only data of the tree. Aliased nodes become shared objects, built once."""
    built: dict[int, Any] = {}

    def build(node: Node) -> Any:
        done = built.get(id(node))
        if done is not None or id(node) in built:
            return done
        if node.kind == SCALAR:
            result: Any = scalar_value(node)
        elif node.kind == SEQUENCE:
            result = ReadOnlyList([build(item) for item in node.items])
        else:
            result = ReadOnlyDict({key.value: build(value) for key, value in node.entries})
        built[id(node)] = result
        return result

    return build(root)


class _Frame:
    __slots__ = ("explicit", "key", "merges", "node")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.key: Node | None = None
        self.explicit: list[tuple[Node, Node]] = []
        self.merges: list[tuple[Node, Node]] = []


class _Stop(Exception):
    """Composition cannot go on; the reason is already a finding. ``keep`` says whether the
    tree built so far is whole (it is when a second document begins)."""

    def __init__(self, keep: bool = False) -> None:
        super().__init__()
        self.keep = keep


class _Composer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.findings: list[Finding] = []
        self.anchors: dict[str, Node] = {}
        self.stack: list[_Frame] = []
        self.root: Node | None = None
        self.written = 0  # nodes as written (aliases count once)
        self._lines: LineIndex | None = None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def report(
        self, code: str, message: str, start: int, end: int, help: str | None = None
    ) -> None:
        self.findings.append(Finding(code, message, start, end, help=help))

    # -- building ---------------------------------------------------------------------------

    def scalar(self, event: ScalarEvent) -> Node:
        start, end = event.start_mark.index, event.end_mark.index
        node = Node(SCALAR, start, end)
        node.value = event.value
        node.style = event.style if event.style in ('"', "'", "|", ">") else None
        if node.style in ("|", ">"):
            node.end = _trim_end(self.text, start, end)
        if node.style in ("|", ">"):
            node.value = _block_value(self.text, start, end, node.style, node.value)
        tag = _tag_name(event.tag)
        if tag is not None and tag != "!":
            node.explicit_tag = tag
            short = tag[len(YAML_TAG_PREFIX) :] if tag.startswith(YAML_TAG_PREFIX) else None
            if short in CORE_TAGS and short not in ("map", "seq"):
                node.tag = short
            else:
                node.tag = "str"
                self.report_tag(tag, node)
        elif node.style is None and tag is None:
            node.tag = resolve_plain(node.value)
        return node

    def collection(self, event: MappingStartEvent | SequenceStartEvent, kind: str) -> Node:
        node = Node(kind, event.start_mark.index, event.end_mark.index)
        node.style = "flow" if event.flow_style else None
        tag = _tag_name(event.tag)
        if tag is not None and tag != "!":
            node.explicit_tag = tag
            if tag != YAML_TAG_PREFIX + ("map" if kind == MAPPING else "seq"):
                self.report_tag(tag, node)
        return node

    def report_tag(self, tag: str, node: Node) -> None:
        shown = "!!" + tag[len(YAML_TAG_PREFIX) :] if tag.startswith(YAML_TAG_PREFIX) else tag
        length = len(shown) if self.text.startswith(shown, node.start) else 1
        self.report(
            "NXL004",
            f'the tag "{clip(shown)}" is not allowed: nexlint reads the value as plain text '
            "and never constructs tagged objects",
            node.start,
            node.start + length,
            help="remove the tag; quote the value if it must stay a string",
        )

    def attach(self, node: Node) -> None:
        self.written += 1
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        if frame.node.kind == SEQUENCE:
            frame.node.items.append(node)
            frame.node.size += node.size
        elif frame.key is None:
            frame.key = node
        else:
            key, frame.key = frame.key, None
            frame.node.size += node.size
            if key.kind != SCALAR:
                self.report(
                    "NXL103",
                    f"a mapping key must be a string, not {_kind_phrase(key.kind)}",
                    key.start,
                    max(key.end, key.start + 1),
                )
            elif key.is_plain and key.value == "<<" and key.explicit_tag is None:
                frame.merges.append((key, node))
            else:
                frame.explicit.append((key, node))
        if frame.node.size > MAX_EXPANDED_NODES and frame.node.size > (
            MAX_EXPANSION_RATIO * self.written
        ):
            self.report(
                "NXL003",
                f"aliases expand this file to more than {MAX_EXPANDED_NODES:,} nodes "
                "(an alias bomb?); it was not checked further",
                node.start,
                max(node.end, node.start + 1),
            )
            raise _Stop

    def push(self, node: Node) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.report(
                "NXL003",
                f"the file nests deeper than {MAX_DEPTH} levels; a nexlayer.yaml needs fewer "
                "than 10, so it was not checked further",
                node.start,
                node.start + 1,
            )
            raise _Stop
        self.stack.append(_Frame(node))

    def pop(self, end_index: int) -> Node:
        frame = self.stack.pop()
        node = frame.node
        if node.kind == MAPPING:
            self.finish_mapping(frame)
            children = [v for _, v in frame.explicit] + [k for k, _ in frame.explicit]
        else:
            children = node.items
        if node.style == "flow" or not children:
            node.end = end_index
        else:
            node.end = max(child.end for child in children)
        return node

    def finish_mapping(self, frame: _Frame) -> None:
        seen: dict[str, Node] = {}
        effective: dict[str, tuple[Node, Node]] = {}
        for key, value in frame.explicit:
            earlier = seen.get(key.value)
            if earlier is not None:
                line = self.lines.position(earlier.start)[0]
                self.report(
                    "NXL002",
                    f'duplicate key "{clip(key.value)}": it is already defined on line {line}',
                    key.start,
                    key.end,
                    help="YAML readers disagree on which value wins; keep one",
                )
            seen.setdefault(key.value, key)
            effective[key.value] = (key, value)
        for key, value in frame.merges:
            for source in self.merge_sources(key, value):
                for pair in source.entries:
                    effective.setdefault(pair[0].value, pair)
        frame.node.entries = list(effective.values())

    def merge_sources(self, key: Node, value: Node) -> Iterator[Node]:
        candidates = value.items if value.kind == SEQUENCE else [value]
        for candidate in candidates:
            if candidate.kind == MAPPING:
                yield candidate
            else:
                self.report(
                    "NXL103",
                    "a merge key (<<) takes a mapping or a list of mappings, "
                    f"not {_kind_phrase(candidate.kind)}",
                    candidate.start,
                    max(candidate.end, candidate.start + 1),
                )

    def alias(self, event: AliasEvent) -> Node:
        node = self.anchors.get(event.anchor)
        if node is None:
            start = event.start_mark.index
            name = clip(event.anchor)
            if any(frame.node.anchor == event.anchor for frame in self.stack):
                message = (
                    f'the alias "*{name}" refers to the collection that contains it: data '
                    "cannot contain itself"
                )
            else:
                message = f'the alias "*{name}" refers to no anchor defined before it'
            self.report("NXL001", message, start, max(event.end_mark.index, start + 1))
            raise _Stop
        return node

    def run(self, events: Iterator[Any]) -> None:
        from ruamel.yaml.events import (
            AliasEvent,
            DocumentStartEvent,
            MappingEndEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceEndEvent,
            SequenceStartEvent,
            StreamEndEvent,
        )

        documents = 0
        for event in events:
            kind = type(event)
            if kind is ScalarEvent:
                node = self.scalar(event)
                self.attach(node)
                if event.anchor:
                    self.anchors[event.anchor] = node
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                node = self.collection(event, MAPPING if kind is MappingStartEvent else SEQUENCE)
                node.anchor = event.anchor
                self.push(node)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                node = self.pop(event.end_mark.index)
                self.attach(node)
                # An anchor is usable once its node is complete, so no alias can form a cycle.
                if node.anchor:
                    self.anchors[node.anchor] = node
            elif kind is AliasEvent:
                self.attach(self.alias(event))
            elif kind is DocumentStartEvent:
                documents += 1
                if documents == 2:
                    start = event.start_mark.index
                    self.report(
                        "NXL003",
                        "the file holds more than one YAML document; a nexlayer.yaml is one "
                        "document (only the first was checked)",
                        start,
                        line_end(self.text, start),
                    )
                    raise _Stop(keep=True)
            elif kind is StreamEndEvent:
                break


def parse(text: str) -> Document:
    """Parse ``text`` (already decoded, BOM removed) into a Document. Never raises for any
    input: problems become findings (NXL001 syntax, NXL002 duplicates, NXL003 shape, NXL004
    tags, NXL006 YAML version).

    The round-trip parser is the reference. Its comment machinery, which nexlint never
    reads, fails on some valid files (a comment on a key's line continued below it): those
    are read again by ruamel's plain parser, which has no such machinery."""
    readable, version = _known_version(text)
    document = _compose(text, readable, "c")
    if document is None:
        document = _compose(text, readable, "rt")
    if document is None:
        document = _compose(text, readable, "safe")
    if document is None:
        document = _failed(text)
    document.findings[:0] = version
    return document


def _compose(text: str, readable: str, kind: str) -> Document | None:
    """The document the parser of ``kind`` gives, or None when it fails in a way that is
    not a YAML error (an assertion, a NotImplementedError, ...). ``c`` is ruamel's C parser,
    only where it reads the text as the round-trip parser does (cparse.py); None otherwise,
    and whenever it finds fault, so that the reference says what is wrong."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    composer = _Composer(text)
    complete = True
    if kind == "c":
        events = c_events(readable)
        if events is None:
            return None
        try:
            composer.run(events)
        except _Stop as stop:
            complete = stop.keep
        except Exception:
            return None
        root = composer.root if complete else None
        return Document(text, composer.lines, root, composer.findings, complete)
    try:
        # A fresh parser each time: a %YAML directive must not change how the next file reads.
        composer.run(YAML(typ=kind, pure=True).parse(readable))
    except _Stop as stop:
        complete = stop.keep
    except MarkedYAMLError as exc:
        composer.findings.append(_syntax_finding(composer.lines, text, exc))
        complete = False
    except ReaderError as exc:
        position = exc.position if isinstance(exc.position, int) else 0
        char = exc.character
        code_point = ord(char) if isinstance(char, str) else int(char)
        shown = f"U+{code_point:04X}"
        composer.findings.append(
            Finding(
                "NXL001",
                f"the character {shown} is not allowed in YAML (control characters other than "
                "tab and line breaks are not)",
                position,
                position + 1,
            )
        )
        complete = False
    except YAMLError as exc:  # any other parser complaint, without a position
        composer.findings.append(Finding("NXL001", _one_line(str(exc)), 0, 0))
        complete = False
    except Exception:  # the parser's own failure, not the file's: try the next parser
        return None
    root = composer.root if complete else None
    return Document(text, composer.lines, root, composer.findings, complete)


def _failed(text: str) -> Document:
    """Both parsers failed on their own machinery: one finding, at the first line."""
    message = "the YAML parser could not read this file (it failed on its own, not on a rule)"
    finding = Finding("NXL001", message, 0, line_end(text, 0), help="please report this file")
    return Document(text, LineIndex(text), None, [finding], complete=False)


# `%YAML 1.3` at the start of a line: only a directive can start so.
_VERSION = re.compile(r"^%YAML[ \t]+(?P<version>(?P<major>[0-9]+)\.(?P<minor>[0-9]+))", re.M)


def _known_version(text: str) -> tuple[str, list[Finding]]:
    """The text with each ``%YAML 1.x`` of a later minor version than 1.2 read as 1.2, as the
    spec asks ("processed with an appropriate warning"), and those warnings. A later major
    version the parser rejects itself. Offsets stay: the directive is rewritten in place."""
    if "%YAML" not in text:
        return text, []
    readable = text
    warnings: list[Finding] = []
    for match in _VERSION.finditer(text):
        if match.group("major") != "1" or int(match.group("minor")) <= 2:
            continue
        start, end = match.span("version")
        readable = readable[:start] + "1.2".ljust(end - start) + readable[end:]
        warnings.append(
            Finding(
                "NXL006",
                f"%YAML {clip(match.group('version'))} is a YAML version nexlint does not know; "
                "the file is read as YAML 1.2",
                start,
                end,
                help="write %YAML 1.2, or leave the directive out",
            )
        )
    return readable, warnings


# The parser's words, and what they usually mean in a nexlayer.yaml.
SYNTAX_HINTS = (
    ("expected <block end>", "this line's indentation does not match the lines above it"),
    (
        "mapping values are not allowed here",
        "a ':' where a value was expected: quote a value that contains ': '",
    ),
    ("'\\t' that cannot start any token", "YAML indents with spaces, never with tabs"),
    ("cannot start any token", "quote a value that starts with this character"),
    ("could not find expected ':'", "a key without ':', or a quote left open above"),
    ("while scanning a quoted scalar", "a quote is not closed"),
    ("expected ',' or ']'", "a flow list [ ... ] is not closed"),
    ("expected ',' or '}'", "a flow mapping { ... } is not closed"),
)


def _syntax_finding(lines: LineIndex, text: str, exc: MarkedYAMLError) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    offset = mark.index if mark is not None else 0
    problem = exc.problem or exc.context or "invalid YAML"
    message = problem
    if (
        exc.problem
        and exc.context
        and exc.context_mark is not None
        and exc.context_mark is not mark
    ):
        line = lines.position(exc.context_mark.index)[0]
        message = f"{problem} ({exc.context} on line {line})"
    end = offset + 1 if offset < len(text) and text[offset] not in "\r\n" else offset
    hint = next((h for words, h in SYNTAX_HINTS if words in message), None)
    return Finding("NXL001", _one_line(message), offset, end, help=hint)


_BLOCK_HEADER = re.compile(r"[|>](?:(?P<chomp>[+-])[1-9]?|[1-9](?P<chomp_after>[+-])?)?")


def _block_value(text: str, start: int, end: int, style: str, value: str) -> str:
    """A block scalar's value as the YAML spec reads it, where the parser's differs.

    The round-trip scanner marks where it folded a line with \\a (for its own writer); no
    folded scalar can hold a BEL of its own, so every one goes. And a last line of spaces
    that the file ends in, without a line break, still ends with one when it holds content
    (clip) or is kept (keep): `foo: |` then `  x` and `   ` at the end is "x\\n \\n" (the
    YAML test suite, L24T and JEF9)."""
    if style == ">":
        value = value.replace("\a", "")
    if text[end:].strip(" \r\n") or text.endswith(("\n", "\r")) or value.endswith("\n"):
        return value
    last = text[max(text.rfind("\n"), text.rfind("\r")) + 1 :]
    if not last or last.strip(" "):
        return value
    header = _BLOCK_HEADER.match(text, start)
    chomp = (header.group("chomp") or header.group("chomp_after")) if header else None
    if chomp == "+" or (value and chomp is None):
        return value + "\n"
    return value


def _tag_name(tag: Any) -> str | None:
    if tag is None:
        return None
    return str(tag)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _kind_phrase(kind: str) -> str:
    return {"scalar": "a scalar", "mapping": "a mapping", "sequence": "a list"}[kind]
