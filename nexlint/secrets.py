"""The one definition of a secret, shared by the rules that report secrets (NXL501, NXL502)
and by masking, so that nothing a rule calls secret is ever printed.

A secret is ``registryLogin.personalAccessToken``, ``secrets[].data``, the value of a var whose
name contains PASSWORD, PASSWD, SECRET, TOKEN, KEY, CREDENTIAL or PRIVATE or ends in ``_PASS``
or ``_PWD`` (case-insensitive; a bare ``PWD`` is the shell's working directory), and the
password in any ``scheme://user:password@host``. Masked text reads ``****``. A value that
only names a secret -- ``${API_KEY}``, ``<% DB_PASSWORD %>`` -- holds none and is shown.

Where a secret is comes from the parsed tree, when the tree is whole and of today's layout,
and from the text: lines that set a secret-named key are masked, which also covers what the
tree cannot say (a syntax error, a legacy layout such as pods keyed by name, an `env:` list,
text after the first document).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from nexlint.display import clip
from nexlint.pointers import join_pointer, split_pointer
from nexlint.source import line_end

if TYPE_CHECKING:
    from nexlint.document import Document, Node

MASK = "****"
Span = tuple[int, int]

SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|_PASS$|_PWD$", re.IGNORECASE
)
# Keys of the nexlayer.yaml layout whose value is secret wherever the text sets them.
_SECRET_FIELDS = frozenset({"personalAccessToken", "data"})
# Keys that say secret but hold no secret value themselves (privateTag: the legacy layout).
_NOT_SECRET = frozenset({"secrets", "key", "privateTag"})

# Starts only where a run of scheme characters starts, so a long run is read once.
# A value that only names where the secret comes from -- `${NAME}` or the platform's
# `<% NAME %>` -- holds none, and is shown: masking it hid the very text a finding is about
# ("holds a ${...} placeholder" over `****`). A default (`${NAME:-hunter2}`) is no reference.
_REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|<%[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*%>")
_SCHEME = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*+://")
_RUN = re.compile(r"\S+")
_BREAK = re.compile(r"\r\n|\r|\n")


def is_secret_name(name: str) -> bool:
    """Whether a var of this name holds a secret."""
    return bool(SECRET_NAME.search(name))


def url_password_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
    """The passwords of ``scheme://user:password@host`` URLs in ``text[start:end]``.

    The userinfo runs to the last ``@`` before white space, so a password holding an
    unescaped ``@`` or ``/`` is masked whole (at worst a little more is). Each run of text
    between white space is read a bounded number of times."""
    stop = len(text) if end is None else end
    if text.find("://", start, stop) < 0:
        return  # most texts (every message without a URL): one scan in C, not one per word
    for run in _RUN.finditer(text, start, stop):
        if "://" not in run.group():
            continue
        last_at = text.rfind("@", run.start(), run.end())
        for match in _SCHEME.finditer(text, run.start(), run.end()):
            begin = match.end()
            if last_at < begin:
                break
            colon = text.find(":", begin, last_at)
            if colon < 0:
                break
            if colon + 1 == last_at or any(c in text[begin:colon] for c in "/?#@"):
                continue
            yield colon + 1, last_at
            break


def is_secret_pointer(doc: Document, pointer: str) -> bool:
    """Whether the value at ``pointer`` is secret as a whole (a token, secret data, the value
    of a secret-named var), unless it only names the secret (`${API_KEY}`: is_reference)."""
    if not _secret_place(doc, split_pointer(pointer)):
        return False
    found = doc.node(pointer)
    return found is None or found[1].kind != "scalar" or not is_reference(found[1].value)


def _secret_place(doc: Document, tokens: list[str]) -> bool:
    if tokens[:3] == ["application", "registryLogin", "personalAccessToken"]:
        return True
    if len(tokens) < 5 or tokens[:2] != ["application", "pods"]:
        return False
    if tokens[3] == "secrets":
        return len(tokens) >= 6 and tokens[5] == "data"
    if tokens[3] != "vars":
        return False
    if not tokens[4].isdigit():
        return is_secret_name(tokens[4])
    item = doc.node(join_pointer(tokens[:5]))
    if item is None or len(tokens) < 6 or tokens[5] != "value":
        return False
    key = item[1].lookup("key")
    return key is not None and key[1].kind == "scalar" and is_secret_name(key[1].value)


def secret_pointers(doc: Document) -> Iterator[str]:
    """Pointers of every value that is secret as a whole, in a tree of today's layout."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("application"), dict):
        return
    app = data["application"]
    if isinstance(app.get("registryLogin"), dict):
        yield "/application/registryLogin/personalAccessToken"
    pods = app.get("pods")
    if not isinstance(pods, list):
        return
    for i, pod in enumerate(pods):
        if not isinstance(pod, dict):
            continue
        base = ["application", "pods", str(i)]
        for j, secret in enumerate(_list(pod.get("secrets"))):
            if isinstance(secret, dict):
                yield join_pointer([*base, "secrets", str(j), "data"])
        variables = pod.get("vars")
        if isinstance(variables, dict):
            for name in variables:
                if is_secret_name(name):
                    yield join_pointer([*base, "vars", name])
        for j, item in enumerate(_list(variables)):
            key = item.get("key") if isinstance(item, dict) else None
            if isinstance(key, str) and is_secret_name(key):
                yield join_pointer([*base, "vars", str(j), "value"])


def is_reference(value: str) -> bool:
    """Whether ``value`` (quotes and surrounding white space aside) only names a secret."""
    return _REFERENCE.fullmatch(value.strip().strip("\"'").strip()) is not None


def _secret(text: str, spans: Iterable[Span]) -> list[Span]:
    """The spans that hold a secret: not those that only name one (is_reference)."""
    return [(a, b) for a, b in spans if not is_reference(text[a:b])]


def url_passwords_in(doc: Document) -> tuple[Span, ...]:
    """``url_password_spans`` of the whole document, read once (the masks and the rules that
    report URL passwords both need them)."""
    if doc.url_password_cache is None:
        doc.url_password_cache = tuple(sorted(url_password_spans(doc.text)))
    return doc.url_password_cache


def secret_spans(doc: Document) -> tuple[Span, ...]:
    """Sorted, disjoint character ranges of every secret in the document's text (computed
    once per document). A quoted scalar is masked inside its quotes; a list or mapping
    whole."""
    cached = doc.secret_cache
    if cached is not None:
        return cached
    text = doc.text
    # The text's own reading always counts: it also finds secrets the layout does not
    # name (an `env:` list, a legacy layout, text after the first document, a file that
    # does not parse). On real files it adds almost nothing to what the tree finds.
    spans = [*url_passwords_in(doc), *text_secret_spans(text)]
    if doc.root is not None and doc.complete:
        for pointer in secret_pointers(doc):
            found = doc.node(pointer)
            if found is not None:
                spans.append(_inside_quotes(found[1]))
    merged = merge_spans(_secret(text, spans))
    doc.secret_cache = merged
    return merged


def touches_secret(doc: Document, start: int, end: int) -> bool:
    """Whether any of ``doc.text[start:end]`` is secret."""
    spans = secret_spans(doc)
    index = bisect.bisect_right(spans, (start, len(doc.text) + 1)) - 1
    return any(a < end and b > start for a, b in spans[max(0, index) : index + 2])


def secret_values(doc: Document) -> list[str]:
    """Every secret as text that a message written by someone else might quote: the masked
    source, without quotes, the values YAML reads (escapes resolved), and those as repr,
    JSON or a one-line message would write them. Longest first; very short ones are left
    out, as replacing them would garble everything else."""
    text = doc.text
    found: set[str] = set()
    for a, b in secret_spans(doc):
        written = text[a:b]
        found.update(_forms(written))
        found.update(_forms(written.strip().strip("\"'")))
    root = doc.root
    if root is not None and doc.complete:
        for pointer in secret_pointers(doc):
            node = doc.node(pointer)
            if node is not None:
                for value in _scalar_values(node[1]):
                    if not is_reference(value):
                        found.update(_forms(value))
    return sorted((s for s in found if len(s) >= 4), key=len, reverse=True)


def _forms(value: str) -> Iterator[str]:
    yield value
    yield " ".join(value.split())
    yield repr(value)[1:-1]
    yield json.dumps(value, ensure_ascii=False)[1:-1]
    yield from (line.strip() for line in value.splitlines())


def mask_values(text: str, values: Iterable[str]) -> str:
    """``text`` with each of ``values`` (longest first) replaced by ****."""
    for value in values:
        if value in text:
            text = text.replace(value, MASK)
    return text


def mask_text(text: str) -> str:
    """Text that is not a parsed document (a fix's new text, say), masked by the text's own
    rules: secret-named keys and URL passwords."""
    spans = merge_spans(_secret(text, [*url_password_spans(text), *text_secret_spans(text)]))
    return mask(text, 0, len(text), spans)


def mask(text: str, start: int, end: int, spans: Sequence[Span]) -> str:
    """``text[start:end]`` with each part of a secret span (sorted and disjoint, as
    merge_spans gives them) replaced by ****. A span that crosses a line break is masked on
    each line it covers, so lines stay lines."""
    pieces: list[str] = []
    at = start
    index = max(0, bisect.bisect_right(spans, (start, len(text) + 1)) - 1)
    for position in range(index, len(spans)):  # not islice: it would walk the skipped ones
        a, b = spans[position]
        if a >= end:
            break
        a, b = max(a, at), min(b, end)
        if a >= b:
            continue
        pieces.append(text[at:a])
        pieces.append(_mask_lines(text[a:b]))
        at = b
    pieces.append(text[at:end])
    return "".join(pieces)


def _mask_lines(secret: str) -> str:
    parts = re.split(r"(\r\n|\r|\n)", secret)
    return "".join(
        part if index % 2 else (MASK if part.strip() else part) for index, part in enumerate(parts)
    )


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    merged: list[list[int]] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


def shown_value(doc: Document, pointer: str, tail: bool = False) -> str:
    """A value as a message shows it: from the source, masked where secret, escaped and
    clipped (keeping its end with ``tail``)."""
    if is_secret_pointer(doc, pointer):
        return MASK
    found = doc.node(pointer)
    if found is None:
        return "the value"
    node = found[1]
    if node.kind != "scalar":
        return "a mapping" if node.kind == "mapping" else "a list"
    spans = secret_spans(doc)
    if node.style in ("|", ">"):
        value = node.value.rstrip("\n")
        if any(a < node.end and b > node.start for a, b in spans):
            value = mask_values(value, [doc.text[a:b] for a, b in spans])
        return clip(f'"{value}"', tail=tail)
    written = mask(doc.text, node.start, node.end, spans)
    if node.is_plain and node.tag == "str":
        written = f'"{written}"'
    return clip(written, tail=tail)


# -- the text's own rules, for text the tree does not cover ---------------------------------

# A key and its colon, in block or flow form; its value starts where the match ends.
_KEY = re.compile(
    r"(?:^|(?<=[\s{,\[]))(?P<q>[\"']?)(?P<key>[A-Za-z_][\w.\-]*+)(?P=q)[ \t]*:"
    r"(?=[ \t\r\n]|$)[ \t]*",
    re.MULTILINE,
)
_INDENT = re.compile(r"[ \t]*(?:-[ \t]+)*")
_COMMENT = re.compile(r"(?:^|[ \t])#")
_FLOW_END = re.compile(r"[,}\]]|[ \t]#")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
# A key whose value names a var: the `value` after it holds that var's value.
_NAMING = frozenset({"key", "name"})


def text_secret_spans(text: str) -> list[Span]:
    """Secret values found from the text alone: the value of every secret-named key, and,
    for a key that starts its line, the lines indented below it (block scalars, nested
    values, continuations); the ``value`` right after a ``key:`` or ``name:`` that names a
    secret var. Comments are left alone."""
    spans: list[Span] = []
    naming_secret = False  # the key just read named a secret var
    skip_until = 0  # inside a block already masked
    starts: list[int] | None = None  # line starts, found once there is a key to place
    for pair in _KEY.finditer(text):
        key = pair.group("key")
        secret = (key in _SECRET_FIELDS or is_secret_name(key)) and key not in _NOT_SECRET
        if key == "value" and naming_secret:
            secret = True
        if pair.start() < skip_until or not (secret or key in _NAMING):
            naming_secret = False
            continue
        if starts is None:
            starts = [0, *(m.end() for m in _BREAK.finditer(text))]
        line_start = starts[bisect.bisect_right(starts, pair.start()) - 1]
        end_of_line = line_end(text, pair.start())
        body = text[line_start:end_of_line]
        column = pair.start() - line_start
        if _COMMENT.search(body, 0, column):
            continue
        first = _INDENT.match(body)
        starts_line = first is not None and first.end() == column
        begin, end = _value_range(body, pair.end() - line_start, flow=not starts_line)
        naming_secret = key in _NAMING and is_secret_name(body[begin:end].strip("\"'"))
        if not secret:
            continue
        if end > begin:
            spans.append((line_start + begin, line_start + end))
        if starts_line:
            skip_until = _mask_block(text, end_of_line, column, spans)
    return spans


def _mask_block(text: str, at: int, column: int, spans: list[Span]) -> int:
    """Mask the lines after ``at`` indented deeper than ``column``; where they end."""
    end = at
    following = at + 2 if text.startswith("\r\n", at) else min(at + 1, len(text))
    for line in _LINE.finditer(text, following):
        body = line.group().rstrip("\r\n")
        if not line.group():
            break
        lead = len(body) - len(body.lstrip(" \t"))
        if lead == len(body):
            continue  # a blank line does not end a block
        if lead <= column:
            break
        spans.append((line.start() + lead, line.start() + len(body)))
        end = line.end()
    return end


def _value_range(line: str, at: int, flow: bool) -> Span:
    """Where the value that starts at ``at`` ends on its line; a quoted value without its
    quotes. A value not closed on the line runs to its end."""
    if at >= len(line):
        return at, at
    first = line[at]
    if first in "|>":
        return at, at
    if first in "\"'":
        index = at + 1
        while index < len(line):
            char = line[index]
            if first == '"' and char == "\\":
                index += 2
                continue
            if char == first:
                if first == "'" and line.startswith("''", index):
                    index += 2
                    continue
                return at + 1, index
            index += 1
        return at, len(line)
    if first in "[{":
        return at, len(line)
    stop = (_FLOW_END if flow else _COMMENT).search(line, at)
    end = stop.start() if stop else len(line)
    return at, at + len(line[at:end].rstrip())


def _inside_quotes(node: Node) -> Span:
    if node.kind == "scalar" and node.style in ('"', "'") and node.end - node.start >= 2:
        return node.start + 1, node.end - 1
    return node.start, node.end


def _scalar_values(node: Node) -> Iterator[str]:
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.kind == "scalar":
            yield current.value
        else:
            stack.extend(current.items)
            stack.extend(value for _, value in current.entries)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
