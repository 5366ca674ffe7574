"""The one definition of a secret (contract §3), and the one masking that every text leaving
the engine passes last.

A secret is ``registryLogin.personalAccessToken``, ``secrets[].data``, the password in any
``scheme://user:password@host``, and the value of a var whose name says secret
(`is_secret_name`). A value that only names a secret -- ``${API_KEY}``, ``<% DB_PASSWORD %>``
-- holds none and is shown.

Where the secrets are is decided once per document (`secrets_of`): from the parsed tree when
it is whole and of today's layout (a node that an alias puts in a secret place is a secret
where it is written, at its anchor), and from the text alone, which also covers what the tree
cannot say: a file that does not parse, a legacy layout, JSON-style and oddly keyed lines,
``NAME=value`` entries (``env: ["DB_PASSWORD=x"]``), text after the first document.

Two maskings follow from that one decision. The file's own text (code frames, diffs) shows
each secret span as ``****``. Every other text -- a message, a help, a fix and its text, a
pointer, a plugin's or an exception's words -- is masked by value (`Secrets.say`): no rule
can be trusted to quote only what is safe.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from nexlint.display import clip, escape
from nexlint.pointers import join_pointer, split_pointer
from nexlint.source import line_end

if TYPE_CHECKING:
    from nexlint.document import Document, Node

MASK = "****"
Span = tuple[int, int]

# -- the name of a secret (§3) ----------------------------------------------------------------

# A word says secret when it is, or ends in, one of these (APIKEY, DBPASSWORD), or their
# plural (SECRETS_SYSTEM, API_KEYS: §3 spells out only CREDENTIAL(S)).
_SECRET_WORDS = ("PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "PRIVATE")
_LAST_WORDS = frozenset({"PASS", "PWD"})  # secret only as the name's last word
# A word after the secret's that names a property of it, not the secret: a lifetime, a
# size, a kind, an identifier, a switch, where it is (a path to a secret file is no secret).
_PROPERTIES = frozenset(
    {
        "EXPIRY",
        "EXPIRATION",
        "EXPIRES",
        "TTL",
        "LIFETIME",
        "DURATION",
        "AGE",
        "TIMEOUT",
        "LENGTH",
        "MIN",
        "MAX",
        "SIZE",
        "BITS",
        "ALGORITHM",
        "ALG",
        "TYPE",
        "NAME",
        "ID",
        "HEADER",
        "PREFIX",
        "ROTATION",
        "ENABLED",
        "REQUIRED",
        "POLICY",
        "URL",
        "PATH",
        "DIR",
        "FILE",
    }
)
_SEPARATOR = re.compile(r"[^A-Za-z0-9]+")
_CASE_CHANGE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def name_words(name: str) -> list[str]:
    """A name's words, upper-cased: split at `_`, `-`, `.` (and any other character that is
    not a letter or a digit) and where lower case turns upper (`dbPassword`: DB, PASSWORD)."""
    return [
        word.upper() for part in _SEPARATOR.split(name) for word in _CASE_CHANGE.split(part) if word
    ]


def _says_secret(word: str) -> bool:
    return word.endswith(_SECRET_WORDS) or (word[-1:] == "S" and word[:-1].endswith(_SECRET_WORDS))


@functools.lru_cache(maxsize=4096)  # a file names the same vars again and again
def is_secret_name(name: str) -> bool:
    """Whether a var of this name holds a secret: one of its words is, or ends in, PASSWORD,
    PASSWD, SECRET, TOKEN, KEY, CREDENTIAL or PRIVATE (or their plural), or its last word is
    PASS or PWD (not a bare PWD, the shell's working directory) -- unless the word after the
    last such word names a property of the secret (`ACCESS_TOKEN_EXPIRETIME`,
    `AWS_ACCESS_KEY_ID`, `POSTGRES_PASSWORD_FILE`)."""
    words = name_words(name)
    last: int | None = None
    for index, word in enumerate(words):
        if _says_secret(word):
            last = index
    if words and words[-1] in _LAST_WORDS and words != ["PWD"]:
        last = len(words) - 1
    if last is None:
        return False
    following = words[last + 1] if last + 1 < len(words) else None
    return following is None or not (following in _PROPERTIES or following.startswith("EXPIRE"))


# -- values that only name a secret -------------------------------------------------------------

# `${NAME}` or the platform's `<% NAME %>`: where the value comes from, not the value. A
# default (`${NAME:-hunter2}`) is no reference.
_REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|<%[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*%>")


def is_reference(value: str) -> bool:
    """Whether ``value`` (quotes and surrounding white space aside) only names a secret."""
    return _REFERENCE.fullmatch(value.strip().strip("\"'").strip()) is not None


# -- URL passwords --------------------------------------------------------------------------------

# Starts only where a run of scheme characters starts, so a long run is read once.
_SCHEME = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*+://")
_RUN = re.compile(r"\S+")


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


def url_passwords_in(doc: Document) -> tuple[Span, ...]:
    """``url_password_spans`` of the whole document, read once (the masks and the rules that
    report URL passwords both need them)."""
    if doc.url_password_cache is None:
        doc.url_password_cache = tuple(sorted(url_password_spans(doc.text)))
    return doc.url_password_cache


# -- where the tree says secret -------------------------------------------------------------------


def is_secret_pointer(doc: Document, pointer: str) -> bool:
    """Whether the value at ``pointer`` is secret as a whole (a token, secret data, the value
    of a secret-named var, or a node an alias puts in one of those places), unless it only
    names the secret (`${API_KEY}`: is_reference)."""
    found = doc.node(pointer)
    if found is None:
        return _secret_place(doc, split_pointer(pointer))
    node = found[1]
    if node.kind == "scalar" and is_reference(node.value):
        return False
    return _secret_place(doc, split_pointer(pointer)) or id(node) in secrets_of(doc).nodes


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


# -- the decision, once per document --------------------------------------------------------------


@dataclass
class Secrets:
    """A document's secrets: where they are written (sorted, disjoint character ranges of
    its text) and what they read as (every form a text might quote them in), and the masking
    of any text that follows from those."""

    text: str
    spans: tuple[Span, ...]
    values: frozenset[str]
    nodes: frozenset[int] = frozenset()  # ids of the tree's secret nodes
    _masker: _Masker | None = field(default=None, repr=False)
    _near: dict[tuple[int, int], _Near] = field(default_factory=dict, repr=False)
    _said: dict[tuple[str, bool, tuple[int, int] | None], str] = field(
        default_factory=dict, repr=False
    )

    def touches(self, start: int, end: int) -> bool:
        """Whether any of ``text[start:end]`` is secret (an empty range: the character at
        ``start``)."""
        first, last = self._touched(start, end)
        return last > first

    def frame(self, start: int, end: int) -> str:
        """``text[start:end]`` as the file's own text is shown: each secret as ****."""
        return mask(self.text, start, end, self.spans)

    def say(self, text: str, near: Span | None = None, strict: bool = False) -> str:
        """``text`` -- anything nexlint or a rule says -- with every part that could only have
        come from a secret shown as ****.

        A secret is recognised however much of it is quoted: any 8 characters of a long one,
        the whole of a short one standing alone (not inside a longer word). Text that the
        document also holds outside its secrets (an image `postgres:16` beside the password
        `postgres`) or that nexlint's own words hold is not taken from a secret -- unless
        ``strict`` (text nexlint did not write: a plugin's, an exception's). And where
        ``near``, the range a finding is at, touches a secret, the text is about that secret:
        any 4 characters of it are masked too, but for nexlint's own words (the `cret` of
        `secret`) when not ``strict``."""
        if not self.values or not text:
            return text
        touched = self._touched(*near) if near is not None else (0, 0)
        key = (text, strict, touched if touched[1] > touched[0] else None)
        said = self._said.get(key)  # findings of one rule say the same things
        if said is None:
            said = self._said[key] = self._say(text, key[2], strict)
        return said

    def _say(self, text: str, touched: tuple[int, int] | None, strict: bool) -> str:
        if self._masker is None:
            self._masker = _Masker(self)
        covered = self._masker.covered(text, strict)
        if touched is not None:
            own = None if strict else _own_grams(NEAR_GRAM)
            covered.extend(_near(text, self._near_of(touched), own))
        if not covered:
            return text
        return mask(text, 0, len(text), merge_spans(covered))

    def _near_of(self, touched: tuple[int, int]) -> _Near:
        """What to look for of the secrets ``spans[first:last]``, as read and as written
        (worked out once for each run of spans)."""
        first, last = touched
        cached = self._near.get((first, last))
        if cached is None:
            values = [v for a, b in self.spans[first:last] for v in _written_forms(self.text[a:b])]
            cached = self._near[(first, last)] = _Near.of(values)
        return cached

    def _touched(self, start: int, end: int) -> tuple[int, int]:
        """The indices of the spans ``start:end`` meets, as a slice."""
        spans = self.spans
        end = max(end, start + 1)
        first = max(0, bisect.bisect_right(spans, (start, len(self.text) + 1)) - 1)
        while first < len(spans) and spans[first][1] <= start:
            first += 1
        return first, max(first, bisect.bisect_left(spans, (end,), first))


def secrets_of(doc: Document) -> Secrets:
    """The document's secrets, decided once."""
    cached = doc.secret_cache
    if cached is not None:
        return cached
    text = doc.text
    spans: list[Span] = [*url_passwords_in(doc), *text_secret_spans(text)]
    values: set[str] = set()
    nodes: set[int] = set()
    if doc.root is not None and doc.complete:
        for pointer in secret_pointers(doc):
            at = doc.node(pointer)
            if at is None:
                continue
            node = at[1]
            if node.kind == "scalar" and is_reference(node.value):
                continue
            nodes.add(id(node))
            spans.append(_inside_quotes(node))
            for value in _scalar_values(node):
                if not is_reference(value):
                    values.update(_forms(value))
    merged = merge_spans((a, b) for a, b in spans if not is_reference(text[a:b]))
    for a, b in merged:
        values.update(_written_forms(text[a:b]))
    decided = Secrets(text, merged, frozenset(v for v in values if v.strip()), frozenset(nodes))
    doc.secret_cache = decided
    return decided


def secret_spans(doc: Document) -> tuple[Span, ...]:
    """Sorted, disjoint character ranges of every secret in the document's text. A quoted
    scalar is masked inside its quotes; a list or mapping whole."""
    return secrets_of(doc).spans


def touches_secret(doc: Document, start: int, end: int) -> bool:
    """Whether any of ``doc.text[start:end]`` is secret."""
    return secrets_of(doc).touches(start, end)


def _written_forms(written: str) -> Iterator[str]:
    """The forms of a secret as the file writes it: with and without its quotes, and
    percent-decoded (a URL's password)."""
    yield from _forms(written)
    yield from _forms(written.strip().strip("\"'"))
    decoded = unquote(written)
    if decoded != written:
        yield from _forms(decoded)


def _forms(value: str) -> Iterator[str]:
    """A secret as a text might quote it: as is, on one line, escaped as repr, JSON and our
    own escape do, and each of its lines."""
    yield value
    yield " ".join(value.split())
    yield repr(value)[1:-1]
    yield json.dumps(value, ensure_ascii=False)[1:-1]
    yield escape(value)
    yield from (line.strip() for line in value.splitlines())


# -- masking by value ------------------------------------------------------------------------------

GRAM = 8  # this many characters of a long secret are enough to mask
NEAR_GRAM = 4  # ... and of the secret a finding is about
_WORDLIKE = re.compile(r"[A-Za-z0-9]")


class _Masker:
    """The secrets' 8-grams and short values, and which of those the document or nexlint's
    own words hold outside any secret (worked out only when a text first holds one)."""

    def __init__(self, secrets: Secrets) -> None:
        self.secrets = secrets
        self.grams: set[str] = set()
        self.short: dict[int, set[str]] = {}
        for value in secrets.values:
            if len(value) >= GRAM:
                self.grams.update(value[i : i + GRAM] for i in range(len(value) - GRAM + 1))
            else:
                self.short.setdefault(len(value), set()).add(value)
        # How every piece looked for begins: most places of a text begin none, and are
        # passed over with one look instead of one for each size.
        self.heads = {piece[:2] for _, wanted in self._sizes() for piece in wanted}
        self._public: set[str] | None = None

    def covered(self, text: str, strict: bool) -> list[Span]:
        """Where ``text`` holds what only a secret holds (with ``strict``: a secret at all)."""
        found: list[Span] = []
        starts = _places(text, self.heads)
        for size, wanted in self._sizes() if starts else ():
            for i in starts:
                piece = text[i : i + size]
                if len(piece) < size:
                    continue
                if piece not in wanted or (size < GRAM and not _alone(text, i, i + size)):
                    continue
                if not strict and self.public(piece):
                    continue
                found.append((i, i + size))
        return found

    def _sizes(self) -> Iterator[tuple[int, set[str]]]:
        if self.grams:
            yield GRAM, self.grams
        yield from self.short.items()

    def public(self, piece: str) -> bool:
        """Whether a gram or short value of a secret also stands outside every secret: in the
        document (its secrets cut out) or in nexlint's own words."""
        if self._public is None:
            seen: set[str] = set()
            for outside in self._outside():
                for size, wanted in self._sizes():
                    for i in range(len(outside) - size + 1):
                        found = outside[i : i + size]
                        if found in wanted and (size >= GRAM or _alone(outside, i, i + size)):
                            seen.add(found)
            self._public = seen
        return piece in self._public or _own_words(piece)

    def _outside(self) -> Iterator[str]:
        text, at = self.secrets.text, 0
        for a, b in self.secrets.spans:
            yield text[at:a]
            at = b
        yield text[at:]


@dataclass(frozen=True)
class _Near:
    """Every 4 characters of some secrets, and those shorter than 4 whole."""

    grams: frozenset[str]
    short: frozenset[str]

    @classmethod
    def of(cls, values: Iterable[str]) -> _Near:
        grams: set[str] = set()
        short: set[str] = set()
        for value in set(values):
            if len(value) >= NEAR_GRAM:
                grams.update(value[i : i + NEAR_GRAM] for i in range(len(value) - NEAR_GRAM + 1))
            elif value.strip():
                short.add(value)
        return cls(frozenset(grams), frozenset(short))


def _near(text: str, near: _Near, own: frozenset[str] | None) -> list[Span]:
    """Where ``text`` quotes any 4 characters of the secrets a finding is about (a shorter
    one whole), but for 4 characters of nexlint's own words (``own``). Each run found is
    widened over the secret's characters around it (`web.pod`, not `web.p` and `od`, where
    `.pod` is a word of nexlint's)."""
    grams = near.grams if own is None else near.grams - own
    found = [
        (i, i + NEAR_GRAM)
        for i in _places(text, {gram[:2] for gram in grams})
        if text[i : i + NEAR_GRAM] in grams
    ]
    for size in {len(s) for s in near.short}:
        found.extend(
            (i, i + size)
            for i in range(len(text) - size + 1)
            if text[i : i + size] in near.short and _alone(text, i, i + size)
        )
    widened = []
    for start, end in merge_spans(found):
        while start > 0 and text[start - 1 : start - 1 + NEAR_GRAM] in near.grams:
            start -= 1
        while end < len(text) and text[end + 1 - NEAR_GRAM : end + 1] in near.grams:
            end += 1
        widened.append((start, end))
    return widened


_FEW_HEADS = 48  # up to this many, a text is searched for each in C; past it, read once


def _places(text: str, heads: set[str] | frozenset[str]) -> list[int]:
    """Where in ``text`` something that begins with one of ``heads`` (their first two
    characters, or one for a one-character piece) may stand, in order. Either way each
    character of the text is looked at a bounded number of times."""
    if not heads:
        return []
    if len(heads) > _FEW_HEADS:
        return [i for i in range(len(text)) if text[i : i + 2] in heads or text[i] in heads]
    places: set[int] = set()
    for head in heads:
        at = text.find(head)
        while at >= 0:
            places.add(at)
            at = text.find(head, at + 1)
    return sorted(places)


def _alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not part of a longer word (a short secret `pass` is not
    masked in `password`)."""
    return not (
        (start > 0 and _WORDLIKE.match(text, start - 1) and _WORDLIKE.match(text, start))
        or (end < len(text) and _WORDLIKE.match(text, end) and _WORDLIKE.match(text, end - 1))
    )


_VOCABULARY: list[str] = []
_OWN_GRAMS: dict[int, frozenset[str]] = {}
_OWN_SHORT: dict[str, bool] = {}


def _vocabulary() -> str:
    """nexlint's own words: every built-in rule's code, name, summary and documentation. A
    message of nexlint's that holds them did not take them from a secret."""
    if not _VOCABULARY:
        from nexlint.registry import builtin_rules

        _VOCABULARY.append(
            "\0".join(
                f"{rule.code}\0{rule.name}\0{rule.summary}\0{rule.doc}" for rule in builtin_rules()
            )
        )
    return _VOCABULARY[0]


def _own_grams(size: int) -> frozenset[str]:
    """Every ``size`` characters of nexlint's own words (built once a process)."""
    if size not in _OWN_GRAMS:
        words = _vocabulary()
        _OWN_GRAMS[size] = frozenset(words[i : i + size] for i in range(len(words) - size + 1))
    return _OWN_GRAMS[size]


def _own_words(piece: str) -> bool:
    """Whether nexlint's own words hold ``piece``: any 8 characters of them, or a shorter
    piece standing alone (each such piece looked up once a process)."""
    if len(piece) >= GRAM:
        return piece in _own_grams(GRAM)
    if piece not in _OWN_SHORT:
        words, at, alone = _vocabulary(), 0, False
        while not alone and (at := words.find(piece, at)) >= 0:
            alone = _alone(words, at, at + len(piece))
            at += 1
        _OWN_SHORT[piece] = alone
    return _OWN_SHORT[piece]


# -- masking by place -----------------------------------------------------------------------------


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


_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def _mask_lines(secret: str) -> str:
    parts = _LINE_BREAK.split(secret)
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


def mask_text(text: str) -> str:
    """Text that is not a parsed document (a fix's new text, say), masked by the text's own
    rules: secret-named keys, ``NAME=value`` entries and URL passwords."""
    spans = merge_spans(
        (a, b)
        for a, b in [*url_password_spans(text), *text_secret_spans(text)]
        if not is_reference(text[a:b])
    )
    return mask(text, 0, len(text), spans)


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
    secrets = secrets_of(doc)
    if node.style in ("|", ">"):
        value = node.value.rstrip("\n")
        if secrets.touches(node.start, node.end):
            value = MASK if value.strip() else value
        return clip(f'"{value}"', tail=tail)
    written = secrets.frame(node.start, node.end)
    if node.is_plain and node.tag == "str":
        written = f'"{written}"'
    return clip(written, tail=tail)


# -- the text's own reading, for what the tree does not cover -------------------------------------

# Keys that say secret but hold no secret value themselves: `key:` of the list form of vars
# names the var; `secrets:` holds the list; `privateTag` is the legacy layout's.
_NOT_SECRET = frozenset({"secrets", "key", "privateTag"})
# Keys of the layout whose value is secret wherever the text sets them.
_SECRET_FIELDS = frozenset({"personalAccessToken", "data"})
# Keys whose value names a var: the `value` after them holds that var's value.
_NAMING = frozenset({"key", "name"})

# Where a key in a flow collection or a JSON-style line may start: after `{`, `,`, `[` or
# white space, a quote (the quoted key is read by _closing_quote; its colon may touch the
# value, as JSON writes it) or a plain key and its colon.
_FLOW_KEY = re.compile(
    r"(?:^|(?<=[\s{,\[]))(?:(?P<quote>[\"'])"
    r"|(?P<plain>[^\s\"'#,\[\]{}:][^\s,\[\]{}:]*+)[ \t]*:(?=[ \t,\]}\r\n]|$))",
    re.MULTILINE,
)
_QUOTED_COLON = re.compile(r"[ \t]*:")
# A line can set a secret only if it holds one of these (a secret word, a field of the
# layout that is secret, a key that names a var or holds its value); the others are passed
# over without being read.
_HINT = re.compile(r"(?i)pass|pwd|key|token|secret|credential|private|data|name|value")
# `NAME=value`, as an env list or a shell writes a variable.
_ASSIGNMENT = re.compile(r"(?<![\w.\-$])(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*+)=")
_LINE = re.compile(r"[^\r\n]*+(?:\r\n|\r|\n|$)")
_INDENT = re.compile(r"[ \t]*+(?:[-?][ \t]++)*+")
_COMMENT = re.compile(r"(?:^|[ \t])#")
_FLOW_END = re.compile(r"[,}\]]|[ \t]#")


class _Line:
    """One line of the text, and where values on it end (worked out once, however many keys
    the line holds)."""

    __slots__ = ("_comment", "_trimmed", "body", "start")

    def __init__(self, body: str, start: int) -> None:
        self.body = body
        self.start = start  # of the line in the text
        self._comment: int | None = None
        self._trimmed: dict[int, int] = {}

    def value(self, at: int, flow: bool, limit: int | None = None) -> Span:
        """Where the value starting at ``at`` ends on the line (absolute offsets; a quoted
        value without its quotes): its closing quote; in a flow collection the next `,`, `}`,
        `]` or comment; else the comment or the end of the line. With ``limit``, no more than
        that many characters are looked at (an empty span if the value is longer)."""
        body, start = self.body, self.start
        at = _skip_blanks(body, at)
        if at >= len(body) or body[at] in "|>":
            return start + at, start + at
        window = len(body) if limit is None else min(len(body), at + limit)
        if body[at] in "\"'":
            close = _closing_quote(body, at, window)
            if close >= 0:
                return start + at + 1, start + close
            return (start + at, start + len(body)) if window == len(body) else (start, start)
        if body[at] in "[{":
            return start + at, start + len(body)
        stop = _FLOW_END.search(body, at, window) if flow else None
        if stop is not None:
            end = stop.start()
        elif flow and window < len(body):
            return start, start
        else:
            end = self.comment()
        return start + at, start + self.trimmed(at, end)

    def comment(self) -> int:
        """Where a comment starts on the line, or its end."""
        if self._comment is None:
            found = _COMMENT.search(self.body)
            self._comment = found.start() if found else len(self.body)
        return self._comment

    def trimmed(self, at: int, end: int) -> int:
        """``end`` moved back over the blanks before it (each run of blanks walked once)."""
        if end not in self._trimmed:
            stop = end
            while stop > 0 and self.body[stop - 1] in " \t":
                stop -= 1
            self._trimmed[end] = stop
        return max(at, self._trimmed[end])


@dataclass
class _Key:
    """A key the text sets: where it starts, its name, the line it is on and where its value
    starts there, whether it stands in a flow collection, and whether it starts its line
    (then the lines below it indented deeper than ``column`` belong to its value)."""

    at: int
    name: str
    line: _Line
    value_at: int
    flow: bool
    column: int
    starts_line: bool

    def value(self, limit: int | None = None) -> Span:
        return self.line.value(self.value_at, self.flow, limit)


# A var's name is short: a longer value after `key:` or `name:` names no secret var.
_NAME_LIMIT = 256


def text_secret_spans(text: str) -> list[Span]:
    """Secret values found from the text alone: the value of every secret-named key (block,
    flow or JSON style, quoted or oddly spelt) and, for a key that starts its line, the lines
    indented below it; the `value` right after a `key:` or `name:` that names a secret var;
    the value of a key written `? NAME`, on the line after it; and the value of each
    ``NAME=value`` whose name says secret. Comments are left alone."""
    spans: list[Span] = []
    naming_secret = False  # the key just read named a secret var
    skip_until = 0  # inside a value already masked
    for key in _keys(text):
        if key.at < skip_until:
            naming_secret = False
            continue
        secret = key.name not in _NOT_SECRET and (
            key.name in _SECRET_FIELDS or is_secret_name(key.name)
        )
        if key.name == "value" and naming_secret:
            secret = True
        naming_secret = False
        if key.name in _NAMING:
            begin, end = key.value(_NAME_LIMIT)
            naming_secret = is_secret_name(text[begin:end].strip("\"'"))
        if not secret:
            continue
        begin, end = key.value()
        if end > begin:
            spans.append((begin, end))
            skip_until = max(skip_until, end)
        if key.starts_line:
            skip_until = _mask_block(text, line_end(text, key.at), key.column, spans)
    spans.extend(_assignment_spans(text))
    return spans


def _keys(text: str) -> Iterator[_Key]:
    """Every key the text seems to set, in the text's order, each once."""
    explicit: tuple[str, int] | None = None  # a `? NAME` line waiting for its `: value`
    for found_line in _LINE.finditer(text):
        if not found_line.group():
            break
        line = _Line(found_line.group().rstrip("\r\n"), found_line.start())
        body, start = line.body, line.start
        lead = _INDENT.match(body)
        column = lead.end() if lead is not None else 0
        rest = body[column:]
        waiting, explicit = explicit, None
        if not rest or rest.startswith("#") or (waiting is None and not _HINT.search(rest)):
            continue
        found: dict[int, _Key] = {}
        if waiting is not None and rest.startswith(":"):
            name, indent = waiting
            found[start + column] = _Key(
                start + column, name, line, column + 1, False, indent, True
            )
        elif "?" in body[:column]:
            explicit = (rest.split(" #", 1)[0].strip().strip("\"'"), column)
        block = _block_key(body, column) if start + column not in found else None
        if block is not None:
            name, value_at = block
            found[start + column] = _Key(start + column, name, line, value_at, False, column, True)
        for match in _FLOW_KEY.finditer(body, column, line.comment()):
            at = start + match.start()
            if at in found:
                continue
            name, value_at = match.group("plain"), match.end()
            if name is None:  # a quoted key: its closing quote, then its colon
                close = _closing_quote(body, match.start())
                colon = _QUOTED_COLON.match(body, close + 1) if close >= 0 else None
                if colon is None:
                    continue
                name, value_at = body[match.start() + 1 : close], colon.end()
            found[at] = _Key(at, name, line, value_at, True, column, False)
        yield from (found[at] for at in sorted(found))


def _block_key(body: str, column: int) -> tuple[str, int] | None:
    """The key a block mapping line sets at ``column`` -- any text up to the first `:`
    followed by white space, or a quoted key and its colon -- and where its value starts."""
    if column >= len(body) or body[column] in "[{#":
        return None
    if body[column] in "\"'":
        close = _closing_quote(body, column)
        colon = _QUOTED_COLON.match(body, close + 1) if close >= 0 else None
        if colon is None:
            return None
        return body[column + 1 : close], _skip_blanks(body, colon.end())
    stop = _plain_colon(body, column)
    if stop <= column or body.find(" #", column, stop) >= 0:
        return None
    return body[column:stop].strip(), _skip_blanks(body, stop + 1)


def _plain_colon(body: str, column: int) -> int:
    """Where a plain key written at ``column`` ends: the first `:` followed by white space or
    the end of the line; -1 for none."""
    at = body.find(":", column)
    while at >= 0:
        if at + 1 == len(body) or body[at + 1] in " \t":
            return at
        at = body.find(":", at + 1)
    return -1


def _closing_quote(body: str, at: int, end: int | None = None) -> int:
    """Where the quoted text opened at ``at`` closes on its line (before ``end``), or -1."""
    quote = body[at]
    index = at + 1
    stop = len(body) if end is None else end
    while index < stop:
        char = body[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and body.startswith("''", index):
                index += 2
                continue
            return index
        index += 1
    return -1


def _skip_blanks(body: str, at: int) -> int:
    while at < len(body) and body[at] in " \t":
        at += 1
    return at


def _assignment_spans(text: str) -> Iterator[Span]:
    """The values of ``NAME=value`` entries whose name says secret: up to the quote the entry
    opened with, else the end of a flow item, else the end of the line."""
    if "=" not in text:
        return
    for found_line in _LINE.finditer(text):
        if not found_line.group():
            break
        body, start = found_line.group().rstrip("\r\n"), found_line.start()
        if "=" not in body:
            continue
        flow_from = min((i for i in (body.find("["), body.find("{")) if i >= 0), default=-1)
        resume = 0
        for match in _ASSIGNMENT.finditer(body):
            if match.start() < resume or not is_secret_name(match.group("name")):
                continue
            begin = match.end()
            opener = body[match.start() - 1] if match.start() else ""
            if opener in ("'", '"'):
                close = body.find(opener, begin)
                end = close if close >= 0 else len(body)
            else:
                flow = 0 <= flow_from < match.start()
                stop = _FLOW_END.search(body, begin) if flow else None
                end = stop.start() if stop else len(body)
            if end > begin:
                yield start + begin, start + end
            resume = end


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
