"""What tests/test_linear.py needs to prove a pattern linear: a static check of its shape,
adversarial strings built from its own pieces, and a growth measure.

The static check reads a pattern with Python's own parser (``re._parser``) and looks for the
two shapes that make a backtracking engine superlinear:

- nested: a repeat inside a repeat, where one stretch of text can be split between the
  iterations in many ways (`(a+)+`), or an alternation inside a repeat whose branches can
  match the same text (`(?:a|a)*`);
- adjacent: two unbounded repeats in sequence that can both take the same characters, with
  nothing between them that the text must hold and that either repeat cannot take
  (`\\s*.*`, `.*x.*`, `<%\\s*[^%]*?\\s*%>`). `search`, `finditer` and `sub` try the pattern
  at every position: that is one more unbounded repeat before it (a lazy `(?s:.)*?`), which
  matters where the match can still fail after the repeat (`<%.*%>` on `<%<%<%...`).

Two repeats are harmless where a stretch of text cannot be given to either: the text
between them must hold a character one of them cannot take (`(?:[a-z]+\\.)*`), or a
lookaround rules the stretch out (`(?<![\\w.\\-])[a-z][\\w-]*`: a match starts only where a
run of its characters starts, so no two starts share a run), or the first repeat never gives
back what it took (possessive `*+`, an atomic group). Each exemption below says why.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import os
import pkgutil
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from re import _constants as sre_constants
from re import _parser as sre_parse
from types import ModuleType
from typing import Any

MAX_CODE = sys.maxunicode
MAXREPEAT = sre_constants.MAXREPEAT


# -- sets of characters ---------------------------------------------------------------------


@dataclass(frozen=True)
class Chars:
    """A set of code points, as sorted disjoint inclusive ranges."""

    spans: tuple[tuple[int, int], ...] = ()

    @staticmethod
    def of(*codes: int) -> Chars:
        return Chars(_normal([(c, c) for c in codes]))

    def __bool__(self) -> bool:
        return bool(self.spans)

    def __or__(self, other: Chars) -> Chars:
        return Chars(_normal([*self.spans, *other.spans]))

    def __invert__(self) -> Chars:
        gaps, at = [], 0
        for lo, hi in self.spans:
            if lo > at:
                gaps.append((at, lo - 1))
            at = hi + 1
        if at <= MAX_CODE:
            gaps.append((at, MAX_CODE))
        return Chars(tuple(gaps))

    def __and__(self, other: Chars) -> Chars:
        return ~(~self | ~other)

    def __sub__(self, other: Chars) -> Chars:
        return self & ~other

    def __le__(self, other: Chars) -> bool:
        return not (self - other)

    def __contains__(self, char: str) -> bool:
        code = ord(char)
        return any(lo <= code <= hi for lo, hi in self.spans)

    def show(self) -> str:
        """The set as a regex class would write it: `[ \\t]`, `[^\\n\\r]`, `[0-9...]`."""
        if not self:
            return "[]"
        if not ~self:
            return "any character"
        negated = sum(hi - lo + 1 for lo, hi in (~self).spans) < 64
        spans = (~self if negated else self).spans
        shown = "".join(
            _shown(lo) + (("-" if hi > lo + 1 else "") + _shown(hi) if hi > lo else "")
            for lo, hi in spans[:8]
        )
        return "[" + ("^" if negated else "") + shown + ("..." if len(spans) > 8 else "") + "]"

    def samples(self, limit: int = 2) -> list[str]:
        """A few members, plain ones first: a space, a letter, a digit, punctuation."""
        picked = [c for c in " aA0_-./:@#%<>{}$\n\t" if c in self][:limit]
        for lo, _ in self.spans:
            if len(picked) >= limit:
                break
            if chr(lo) not in picked:
                picked.append(chr(lo))
        return picked


def _shown(code: int) -> str:
    char = chr(code)
    if char in "\\]^-[":
        return "\\" + char
    return char if char.isprintable() else repr(char)[1:-1]


def _normal(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return tuple(merged)


EVERY = Chars(((0, MAX_CODE),))
NEWLINE = Chars.of(ord("\n"))


@functools.cache
def _every_character() -> str:
    return "".join(map(chr, range(MAX_CODE + 1)))


@functools.cache
def category(name: str, flags: int = 0) -> Chars:
    """The exact set of `\\d`, `\\s`, `\\w`... read off the engine over every code point."""
    runs = re.compile(f"{name}+", flags & re.ASCII).finditer(_every_character())
    return Chars(tuple((m.start(), m.end() - 1) for m in runs))


_CATEGORY = {
    sre_constants.CATEGORY_DIGIT: r"\d",
    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s",
    sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w",
    sre_constants.CATEGORY_NOT_WORD: r"\W",
}
# Characters whose case partner is another single character the engine folds to: beyond
# each member's own lower and upper case, `k` matches KELVIN SIGN and `s` LONG S.
_FOLDS = "\u0130\u0131\u017f\u212a\u1e9e\u2126\u00b5\u03bc\u03c2\u03c3\u1fbe\u0345"


def word_chars() -> Chars:
    return category(r"\w")


def _members(chars: Chars, limit: int) -> list[str] | None:
    if sum(hi - lo + 1 for lo, hi in chars.spans) > limit:
        return None
    return [chr(c) for lo, hi in chars.spans for c in range(lo, hi + 1)]


def _folded(chars: Chars, flags: int) -> Chars:
    """What a class of these characters matches when case is ignored: the partners of each
    member, as the engine itself decides (large sets, categories, are left as they are)."""
    members = _members(chars, 5000)
    if members is None:
        return chars
    one = re.compile("[" + "".join(f"\\U{ord(c):08x}" for c in members) + "]", flags)
    candidates = set(members) | set(_FOLDS)
    for _ in range(2):
        candidates |= {
            v for c in candidates for v in (c.lower(), c.upper(), c.casefold()) if len(v) == 1
        }
    return Chars.of(*(ord(c) for c in candidates if one.fullmatch(c)))


# -- the pattern as a tree ------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    """One item of a pattern. kind: char, seq, alt, rep, atomic, look or anchor."""

    kind: str
    children: list[Node] = field(default_factory=list)
    chars: Chars = Chars()  # char: what it matches
    literal: str | None = None  # char: the character as written, when it is one
    lo: int = 0  # rep
    hi: int | None = None  # rep: None = unbounded
    mode: str = "greedy"  # rep: greedy, lazy or possessive
    negative: bool = False  # look
    behind: bool = False  # look
    anchor: str = ""  # start, end, line_start, line_end, boundary, non_boundary
    parent: Node | None = None
    index: int = 0

    def __repr__(self) -> str:
        return f"Node({self.kind})"

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def _node(kind: str, children: list[Node] | None = None, **values: Any) -> Node:
    node = Node(kind, children or [], **values)
    for index, child in enumerate(node.children):
        child.parent, child.index = node, index
    return node


class _Reader:
    """Turns the parser's output into Nodes."""

    def __init__(self) -> None:
        self.groups: dict[int, Any] = {}

    def seq(self, items: Any, flags: int) -> Node:
        return _node("seq", [self.item(op, av, flags) for op, av in items])

    def char(self, op: Any, av: Any, flags: int) -> Node:
        c = sre_constants
        literal = chr(av) if op is c.LITERAL else None
        if op is c.ANY:
            return _node("char", chars=EVERY if flags & re.DOTALL else EVERY - NEWLINE)
        items = av if op is c.IN else [(c.LITERAL, av)]
        chars = Chars()
        for o, v in items:
            if o is c.LITERAL:
                chars |= Chars.of(v)
            elif o is c.RANGE:
                chars |= Chars((v,))
            elif o is c.CATEGORY:
                chars |= category(_CATEGORY[v], flags)
        if flags & re.IGNORECASE:
            chars = _folded(chars, flags & (re.IGNORECASE | re.ASCII))
        if op is c.NOT_LITERAL or (items and items[0][0] is c.NEGATE):
            chars = ~chars
        return _node("char", chars=chars, literal=literal)

    def item(self, op: Any, av: Any, flags: int) -> Node:
        c = sre_constants
        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
            return self.char(op, av, flags)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            mode = {c.MAX_REPEAT: "greedy", c.MIN_REPEAT: "lazy"}.get(op, "possessive")
            hi_ = None if hi == MAXREPEAT else hi
            return _node("rep", [self.seq(sub, flags)], lo=lo, hi=hi_, mode=mode)
        if op is c.SUBPATTERN:
            group, add, remove, sub = av
            if group is not None:
                self.groups[group] = sub
            return self.seq(sub, (flags | add) & ~remove)
        if op is c.ATOMIC_GROUP:
            return _node("atomic", [self.seq(av, flags)])
        if op is c.BRANCH:
            return _node("alt", [self.seq(sub, flags) for sub in av[1]])
        if op in (c.ASSERT, c.ASSERT_NOT):
            direction, sub = av
            look = self.seq(sub, flags)
            return _node("look", [look], negative=op is c.ASSERT_NOT, behind=direction < 0)
        if op is c.AT:
            return _node("anchor", anchor=_anchor(av, flags))
        if op is c.GROUPREF:
            # The same text as the group: at most as long, of the same characters.
            sub = self.groups[av]
            body = _node("char", chars=chars_of(self.seq(sub, flags)))
            hi = sub.getwidth()[1]
            return _node("rep", [_node("seq", [body])], lo=0, hi=None if hi >= MAXREPEAT else hi)
        if op is c.GROUPREF_EXISTS:
            _, yes, no = av
            empty = _node("seq")
            return _node("alt", [self.seq(yes, flags), self.seq(no, flags) if no else empty])
        raise ValueError(f"unknown regex item {op}")  # pragma: no cover


def _anchor(at: Any, flags: int) -> str:
    c = sre_constants
    multiline = bool(flags & re.MULTILINE)
    return {
        c.AT_BEGINNING: "line_start" if multiline else "start",
        c.AT_BEGINNING_STRING: "start",
        c.AT_END: "line_end" if multiline else "end",
        c.AT_END_STRING: "end",
        c.AT_BOUNDARY: "boundary",
        c.AT_NON_BOUNDARY: "non_boundary",
    }[at]


@functools.cache
def tree(pattern: re.Pattern[str]) -> Node:
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    return _Reader().seq(parsed, parsed.state.flags)


# -- what a node can do ---------------------------------------------------------------------


def chars_of(node: Node) -> Chars:
    """Every character the node can consume (lookarounds consume none)."""
    if node.kind == "char":
        return node.chars
    if node.kind in ("look", "anchor") or (node.kind == "rep" and node.hi == 0):
        return Chars()
    found = Chars()
    for child in node.children:
        found |= chars_of(child)
    return found


def nullable(node: Node) -> bool:
    """Whether it can match while consuming nothing."""
    if node.kind == "char":
        return False
    if node.kind == "alt":
        return any(nullable(c) for c in node.children)
    if node.kind == "rep":
        return node.lo == 0 or nullable(node.children[0])
    return all(nullable(c) for c in node.children)


def first(node: Node, from_end: bool = False) -> Chars:
    """The characters it can start with (or end with)."""
    if node.kind == "char":
        return node.chars
    if node.kind in ("alt", "rep", "atomic"):
        found = Chars()
        for child in node.children:
            found |= first(child, from_end)
        return found
    if node.kind == "seq":
        found = Chars()
        for child in reversed(node.children) if from_end else node.children:
            found |= first(child, from_end)
            if not nullable(child):
                break
        return found
    return Chars()


def passable(node: Node, run: Chars) -> bool:
    """Whether the node can match inside a long stretch of characters all from ``run``: what
    it must consume is there, and what it asserts holds there. The exemptions of the
    module's docstring are the False answers."""
    kind = node.kind
    if kind == "char":
        return bool(node.chars & run)  # a character neither repeat takes breaks the stretch
    if kind == "alt":
        return any(passable(c, run) for c in node.children)
    if kind == "rep":
        return node.lo == 0 or passable(node.children[0], run)
    if kind == "anchor":
        if node.anchor in ("start", "end"):
            return False  # holds at one place only: no long stretch on both sides of it
        if node.anchor in ("line_start", "line_end"):
            return "\n" in run
        if node.anchor == "boundary":
            return bool(run & word_chars()) and bool(run - word_chars())
        return True
    if kind == "look":
        body = node.children[0]
        # a lookaround sees characters of the stretch: `(?<![\w.-])` before a repeat of
        # word characters can only hold where the run starts, never inside it
        return not always(body, run) if node.negative else passable(body, run)
    return all(passable(c, run) for c in node.children)


def always(node: Node, run: Chars) -> bool:
    """Whether the node matches at every place inside a stretch of characters from ``run``."""
    kind = node.kind
    if kind == "char":
        return bool(run) and run <= node.chars
    if kind == "alt":
        return any(always(c, run) for c in node.children)
    if kind == "rep":
        return node.lo == 0 or always(node.children[0], run)
    if kind in ("seq", "atomic"):
        return all(always(c, run) for c in node.children)
    return False


@dataclass(frozen=True)
class Ends:
    """Ways a run can end: the characters after it, and whether the text ends there."""

    chars: Chars = Chars()
    end: bool = False

    def __or__(self, other: Ends) -> Ends:
        return Ends(self.chars | other.chars, self.end or other.end)

    def __and__(self, other: Ends) -> Ends:
        return Ends(self.chars & other.chars, self.end and other.end)

    def covers(self, other: Ends) -> bool:
        return other.chars <= self.chars and (self.end or not other.end)


def holds(items: list[Node], run: Chars, stop: Ends, at_stop: bool = False) -> Ends:
    """For which ends of a long stretch of ``run`` (``stop``: what may come after it) the
    items certainly match, starting inside the stretch (or, with ``at_stop``, where it
    ends). `[^\\r\\n]*(?:\\r\\n|\\r|\\n)|[^\\r\\n]+$` holds for every end: once a search
    reaches the run it matches, and the next search starts after it."""
    if not items:
        return stop
    node, rest = items[0], items[1:]
    kind = node.kind
    if kind in ("seq", "atomic"):
        return holds(node.children + rest, run, stop, at_stop)
    if kind == "alt":
        found = Ends()
        for branch in node.children:
            found |= holds([branch, *rest], run, stop, at_stop)
        return found
    free = not any(can_fail(x) for x in rest)  # what follows matches anything
    if kind == "char":
        if at_stop:
            return Ends(stop.chars & node.chars) if free else Ends()
        return holds(rest, run, stop) if run <= node.chars else Ends()
    if kind == "rep":
        body = shape(node.children[0])
        single = body[0] if body is not None and len(body) == 1 else None
        found = holds(rest, run, stop, at_stop) if node.lo == 0 else Ends()
        if single is None:
            return found
        if at_stop:
            return found | (Ends(stop.chars & single) if free else Ends())
        if not run <= single:
            return found
        if node.hi is None:  # takes the whole stretch, then stops where it ends
            found |= holds(rest, run, Ends(stop.chars - single, stop.end), True)
            found |= Ends(stop.chars & single) if free else Ends()
            if node.mode != "possessive":
                found |= holds(rest, run, stop)
            return found
        return found | holds(rest, run, stop)
    if kind == "anchor":
        if at_stop and node.anchor == "end":
            return Ends(end=stop.end and holds(rest, run, Ends(end=True), True).end)
        if at_stop and node.anchor == "line_end":
            after_stop = holds(rest, run, stop, True)
            return Ends(after_stop.chars & NEWLINE, after_stop.end and stop.end)
        return Ends()
    if kind == "look":
        body = node.children[0]
        if node.negative:
            inner = shape(body)
            if not at_stop:
                return holds(rest, run, stop) if not passable(body, run) else Ends()
            if inner is not None and len(inner) >= 1:
                return Ends(stop.chars - inner[0], stop.end) & holds(rest, run, stop, True)
            if [c.anchor for c in body.children] == ["end"]:
                return Ends(stop.chars) & holds(rest, run, stop, True)
            return Ends()
        return holds([body], run, stop, at_stop) & holds(rest, run, stop, at_stop)
    return Ends()


def can_fail(node: Node) -> bool:
    kind = node.kind
    if kind == "alt":
        return all(can_fail(c) for c in node.children)
    if kind == "rep":
        return node.lo > 0 and can_fail(node.children[0])
    if kind in ("seq", "atomic"):
        return any(can_fail(c) for c in node.children)
    return True


def unbounded(node: Node) -> bool:
    return node.kind == "rep" and node.hi is None and bool(chars_of(node))


def variable(node: Node) -> bool:
    """A repeat that can take more or less: inside another repeat, `a{1,2}` shares out a
    stretch as `a+` does."""
    return node.kind == "rep" and (node.hi is None or node.hi > node.lo) and bool(chars_of(node))


def sure(node: Node, run: Chars) -> bool:
    """Whether the node matches wherever it starts inside a long stretch of ``run``."""
    kind = node.kind
    if kind == "char":
        return run <= node.chars
    if kind == "alt":
        return any(sure(c, run) for c in node.children)
    if kind == "rep":
        return node.lo == 0 or sure(node.children[0], run)
    if kind in ("seq", "atomic"):
        return all(sure(c, run) for c in node.children)
    if kind == "look":
        body = node.children[0]
        return not passable(body, run) if node.negative else sure(body, run)
    return node.anchor == "non_boundary"


def ancestors(node: Node) -> list[Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def after(node: Node, top: Node, inside: bool = False) -> list[Node]:
    """What must follow ``node`` before the match leaves ``top``, innermost first; with
    ``inside``, only what follows within the child of ``top`` that holds ``node``."""
    items: list[Node] = []
    while node is not top and node.parent is not None:
        parent = node.parent
        if parent.kind == "seq" and not (inside and parent is top):
            items += parent.children[node.index + 1 :]
        node = parent
    return items


def before(node: Node, top: Node, inside: bool = False) -> list[Node]:
    """What must come before ``node`` since the match entered ``top`` (see ``after``)."""
    items: list[Node] = []
    while node is not top and node.parent is not None:
        parent = node.parent
        if parent.kind == "seq" and not (inside and parent is top):
            items = parent.children[: node.index] + items
        node = parent
    return items


def gives_back(node: Node, top: Node) -> bool:
    """Whether backtracking from past ``top`` can make the repeat ``node`` take less."""
    if node.mode == "possessive":
        return False
    return not any(
        a.kind in ("atomic", "look") or a.mode == "possessive" for a in _between(node, top)
    )


def _between(node: Node, top: Node) -> list[Node]:
    found = []
    for parent in ancestors(node):
        if parent is top:
            break
        found.append(parent)
    return found


def shape(node: Node) -> list[Chars] | None:
    """The characters, one by one, of a branch made of single characters only."""
    if node.kind == "char":
        return [node.chars]
    if node.kind == "seq":
        found: list[Chars] = []
        for child in node.children:
            part = shape(child)
            if part is None:
                return None
            found += part
        return found
    return None


def overlap(one: Node, other: Node) -> bool:
    """Whether two branches can start matching the same text."""
    if nullable(one) and nullable(other):
        return True  # both match nothing: `(?:a|a)` is read as `a(?:|)`
    a, b = shape(one), shape(other)
    if a is not None and b is not None:
        return bool(a and b) and all(x & y for x, y in zip(a, b, strict=False))
    return bool(first(one) & first(other))


# -- the check ------------------------------------------------------------------------------

SEARCHING = frozenset({"search", "finditer", "findall", "sub", "subn", "split", "find"})


def anchored(node: Node) -> bool:
    """Whether every match must start at the start of the text."""
    if node.kind == "anchor":
        return node.anchor == "start"
    if node.kind == "alt":
        return all(anchored(c) for c in node.children)
    if node.kind == "seq":
        for child in node.children:
            if anchored(child):
                return True
            if not (child.kind == "look" or (child.kind == "anchor")):
                return False
    return False


def _describe(node: Node) -> str:
    return f"a repeat of {chars_of(node).show()}"


def problems(pattern: re.Pattern[str], uses: frozenset[str] = SEARCHING) -> list[str]:
    """Why the pattern may take superlinear time, one sentence each; [] when it cannot."""
    root = tree(pattern)
    nodes = list(root.walk())
    repeats = [n for n in nodes if unbounded(n)]
    found: list[str] = []

    # (1) nested: a repeat whose iterations can share out one stretch in many ways
    for loop in nodes:
        if loop.kind != "rep" or loop.mode == "possessive" or (loop.hi is not None and loop.hi < 2):
            continue
        body = loop.children[0]
        inner = [r for r in nodes if variable(r) and loop in ancestors(r)]
        for a in inner:
            for b in inner:
                if not gives_back(a, loop):
                    continue
                run = chars_of(a) & chars_of(b)
                middle = after(a, body) + before(b, body)
                if _pumpable(a, b, run, middle):
                    found.append(
                        f"nested repeats: {_describe(a)} inside a repeat can "
                        "share a stretch with the next iteration"
                    )
        for alt in (n for n in body.walk() if n.kind == "alt"):
            if any(x.kind in ("look", "atomic") for x in _between(alt, loop)):
                continue
            branches = alt.children
            if any(overlap(x, y) for i, x in enumerate(branches) for y in branches[i + 1 :]):
                found.append("alternatives inside a repeat that can match the same text")

    # (2) adjacent: two repeats in sequence that can share out one stretch
    for a in repeats:
        for b in repeats:
            if a is b or a in ancestors(b) or b in ancestors(a):
                continue
            top = _common_sequence(a, b)
            if top is None:
                continue
            if not gives_back(a, top):
                continue
            run = chars_of(a) & chars_of(b)
            ia, ib = _child_index(a, top), _child_index(b, top)
            middle = after(a, top, True) + top.children[ia + 1 : ib] + before(b, top, True)
            if _pumpable(a, b, run, middle):
                found.append(
                    f"adjacent repeats: {_describe(a)} then "
                    f"{_describe(b)} can take the same characters"
                )

    # (3) searching tries every start: a lazy `(?s:.)*?` before the pattern
    if uses & SEARCHING and not anchored(root):
        for b in repeats:
            run = chars_of(b)
            middle = before(b, root)
            rest = after(b, root)
            in_look = any(x.kind == "look" for x in ancestors(b))
            if not (in_look or any(can_fail(x) for x in rest)) or sure(root, run):
                continue  # the match holds at a start inside the run: one start per run
            stop = Ends(~run, True)
            if holds([root], run, stop).covers(stop) or holds([b, *rest], run, stop).covers(stop):
                continue  # however the run ends, the match holds once it reaches the run
            if all(passable(m, run) for m in middle):
                found.append(
                    f"searched: every start inside a run of {_describe(b)} "
                    "reads the rest of the run and then fails"
                )
    return sorted(set(found))


def _pumpable(a: Node, b: Node, run: Chars, middle: list[Node]) -> bool:
    """Whether a long stretch of ``run`` can be split between ``a``, ``middle`` and ``b`` in
    many ways: both can end and start inside it, and the middle can match inside it."""
    if not (run and first(a, from_end=True) & run and first(b) & run):
        return False
    return all(passable(m, run) for m in middle)


def _child_index(node: Node, top: Node) -> int:
    while node.parent is not top:
        assert node.parent is not None
        node = node.parent
    return node.index


def _common_sequence(a: Node, b: Node) -> Node | None:
    """The sequence in which ``a`` comes before ``b``, if any."""
    above_b = ancestors(b)
    child = a
    for parent in ancestors(a):
        if parent in above_b:
            if parent.kind != "seq":
                return None
            b_child = next(x for x in [b, *above_b] if x.parent is parent)
            return parent if child.index < b_child.index else None
        child = parent
    return None


# -- every pattern of the package -----------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A compiled pattern, where it is defined, and how the code uses it."""

    module: str
    name: str
    pattern: re.Pattern[str]
    uses: frozenset[str]

    @property
    def id(self) -> str:
        return f"{self.module}:{self.name}"


def package_modules() -> list[ModuleType]:
    """Every module of nexlint and of its rules (but __main__, which runs the CLI)."""
    import nexlint.rules

    roots = [(os.path.dirname(nexlint.__file__ or ""), "nexlint.")]
    roots += [(path, "nexlint.rules.") for path in nexlint.rules.__path__]
    names = {"nexlint", "nexlint.rules"}
    for path, prefix in roots:
        for info in pkgutil.walk_packages([path], prefix):
            if not info.name.endswith("__main__"):
                names.add(info.name)
    return [importlib.import_module(name) for name in sorted(names)]


def _patterns_in(value: Any, name: str, depth: int = 0) -> Iterator[tuple[str, re.Pattern[str]]]:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield name, value
    elif depth < 3 and isinstance(value, (tuple, list, frozenset, set)):
        for index, item in enumerate(value):
            yield from _patterns_in(item, f"{name}[{index}]", depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            yield from _patterns_in(item, f"{name}[{key!r}]", depth + 1)


def sites() -> list[Site]:
    """Every pattern held by a module of the package: module globals, and what tuples,
    dicts and classes at module level hold."""
    modules = package_modules()
    uses = _uses(modules)
    seen: dict[int, Site] = {}
    for module in modules:
        for name, value in vars(module).items():
            held = [(name, value)]
            if inspect.isclass(value) and value.__module__ == module.__name__:
                held = [(f"{name}.{k}", v) for k, v in vars(value).items()]
            for label, pattern in (p for n, v in held for p in _patterns_in(v, n)):
                site = Site(module.__name__, label, pattern, uses.get(id(pattern), SEARCHING))
                if id(pattern) not in seen or _defines(module, label):
                    seen[id(pattern)] = site
    return sorted(seen.values(), key=lambda s: s.id)


def _defines(module: ModuleType, name: str) -> bool:
    source = inspect.getsource(module)
    return re.search(rf"^{re.escape(name.split('[')[0])}\s*=", source, re.M) is not None


CALLS = frozenset({"match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split"})


def _uses(modules: list[ModuleType]) -> dict[int, frozenset[str]]:
    """How the code calls each pattern it names: `P.match(...)` is a match, `value.find(P)`
    a search then finditer; a pattern named anywhere else may be searched."""
    found: dict[int, set[str]] = {}
    for module in modules:
        names = {k: v for k, v in vars(module).items() if isinstance(v, re.Pattern)}
        if not names:
            continue
        source = inspect.getsource(module)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Name) and node.id in names:
                found.setdefault(id(names[node.id]), set())
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in names
            ):
                how = func.attr if func.attr in CALLS else "search"
                found.setdefault(id(names[func.value.id]), set()).add(how)
            for arg in node.args:
                if isinstance(arg, ast.Name) and arg.id in names:
                    attr = func.attr if isinstance(func, ast.Attribute) else ""
                    found.setdefault(id(names[arg.id]), set()).add(
                        "find" if attr == "find" else "search"
                    )
    # A name read but never called (put in a tuple, passed on): it may be searched.
    return {key: frozenset(how) if how else SEARCHING for key, how in found.items()}


# -- adversarial strings --------------------------------------------------------------------


@dataclass(frozen=True)
class Attack:
    """``prefix + unit * k + suffix``, ``k`` chosen for a size."""

    prefix: str
    unit: str
    suffix: str

    def at(self, size: int) -> str:
        return self.prefix + self.unit * max(1, size // max(1, len(self.unit))) + self.suffix


def literals(root: Node) -> list[str]:
    """The runs of literal characters the pattern is written with: `<%`, `://`, `.pod`."""
    found: list[str] = []
    for node in root.walk():
        if node.kind != "seq":
            continue
        run = ""
        for child in [*node.children, None]:
            if child is not None and child.literal is not None:
                run += child.literal
                continue
            if run:
                found.append(run)
            run = ""
    return list(dict.fromkeys(found))


def witness(node: Node) -> str:
    """A short text the node matches (lookarounds and anchors are left out)."""
    if node.kind == "char":
        return node.literal or node.chars.samples(1)[0]
    if node.kind == "alt":
        return witness(node.children[0]) if node.children else ""
    if node.kind == "rep":
        return witness(node.children[0]) * max(node.lo, 1 if node.hi is None else 0)
    if node.kind in ("seq", "atomic"):
        return "".join(witness(c) for c in node.children)
    return ""


def breaker(root: Node) -> str:
    """A character the pattern never consumes, to make a match fail where a run ends."""
    taken = chars_of(root)
    return next((c for c in "!~^`|\x01\x00" if c not in taken), "\x00")


def attacks(pattern: re.Pattern[str]) -> list[Attack]:
    """Strings built from the pattern's own pieces: each literal repeated; a literal (or
    what leads to a repeat) followed by a long run of what the repeat takes, with no close;
    alternating pairs of pieces; the same runs ending in a newline (for `$` and `.`); its
    match repeated."""
    root = tree(pattern)
    stop = breaker(root)
    words = literals(root)
    found = runs(pattern, samples=2, endings=(stop, "\n" + stop))
    found += [Attack("", word, stop) for word in words]
    pieces = list(dict.fromkeys([*words, *(a.unit for a in found)]))[:5]
    found += [
        Attack("", a + b, stop) for i, a in enumerate(pieces) for b in pieces[i + 1 :] if a != b
    ]
    found += repeated_matches(pattern)
    return list(dict.fromkeys(found))


def runs(
    pattern: re.Pattern[str], samples: int = 1, endings: tuple[str, ...] | None = None
) -> list[Attack]:
    """For each unbounded repeat: what leads to it, then a long run of what it takes, then
    what none of the pattern takes (or each of ``endings``)."""
    root = tree(pattern)
    found = []
    for rep in (n for n in root.walk() if unbounded(n)):
        lead = "".join(witness(m) for m in before(rep, root))
        for sample in chars_of(rep).samples(samples):
            found += [Attack(lead, sample, end) for end in endings or (breaker(root),)]
        whole = witness(rep.children[0])
        if len(whole) > 1:
            found.append(Attack(lead, whole, breaker(root)))
    return found


def repeated_matches(pattern: re.Pattern[str]) -> list[Attack]:
    """A short match of the pattern, repeated with a space between: as many matches as fit."""
    matched = witness(tree(pattern))
    return [Attack("", matched + " ", "")] if matched else []


def alphabet(pattern: re.Pattern[str]) -> list[str]:
    """Small pieces for a random search: literal characters and a few of each class."""
    root = tree(pattern)
    chars = {node.literal for node in root.walk() if node.literal}
    for node in root.walk():
        if node.kind == "char":
            chars.update(node.chars.samples(2))
    return [*sorted(chars), breaker(root), "\n"]


# -- how a pattern is used, and how its time grows ------------------------------------------


def runner(pattern: re.Pattern[str], uses: frozenset[str]) -> Callable[[str], object]:
    """A function that uses the pattern on a text as the code does: `finditer`, `findall`,
    `sub` and `split` all look for one match after another, and are timed as `finditer`.
    Matches are read and dropped: keeping a million of them measures the allocator."""
    steps: list[Callable[[str], object]] = []
    if uses & {"find", "search"}:
        steps.append(pattern.search)
    if uses & (SEARCHING - {"search"}):
        steps.append(lambda text: deque(pattern.finditer(text), maxlen=0))
    steps += [getattr(pattern, how) for how in ("match", "fullmatch") if how in uses]

    def run(text: str) -> object:
        return [step(text) for step in steps]

    return run


def cpu(run: Callable[[str], object], text: str, loops: int = 1) -> float:
    """CPU seconds of one call of ``run`` on ``text``, timed over ``loops`` calls."""
    start = time.process_time()
    for _ in range(loops):
        run(text)
    return (time.process_time() - start) / loops


@dataclass(frozen=True)
class Growth:
    """The time of a run on a text at n/4 and at n; ratio None when even the largest n was
    too fast to measure, which a superlinear shape cannot be at that size."""

    size: int
    small: float
    large: float

    @property
    def ratio(self) -> float | None:
        return None if self.large < ENOUGH else self.large / max(self.small, 1e-9)


ENOUGH = 0.010  # seconds: one run long enough for process_time to measure it well
START = 64  # characters: a cubic shape is already seen between 64 and 256
BIG = 0.5  # seconds: a run this slow is no noise


def growth(
    run: Callable[[str], object],
    make: Callable[[int], str],
    cap: int,
    start: int = START,
    base: float = 0.0,
) -> Growth:
    """Time ``run`` on ``make(n)`` for n = start, 4 start, ... until a run takes ENOUGH, and
    3 times ``base`` (what a run costs without the text, which must not hide its growth), or
    n would pass ``cap``; then the best of 3 runs at that n and at n/4, taken in turn, and
    of 4 and 8 more while that grows over LIMIT (but not FAR over): a busy machine slows
    runs down, it never speeds one up. A run at n/4 is timed over up to 4 calls, to last
    about as long as one at n: whatever disturbs one disturbs the other alike."""
    run(make(start))  # what the first call loads is no part of the cost
    size, enough = start, max(ENOUGH, 3 * base)
    while True:
        large = cpu(run, make(size))
        if large >= enough:
            texts = make(size // 4), make(size)
            loops = max(1, min(4, round(large / (cpu(run, texts[0]) or 1e-9))))
            small = cpu(run, texts[0], loops)
            for repeats in (2, 4, 8):
                if large >= BIG or (repeats > 2 and not LIMIT * small < large < FAR * small):
                    break  # no noise makes a run this slow, or 10x slower three times
                for _ in range(repeats):
                    small = min(small, cpu(run, texts[0], loops))
                    large = min(large, cpu(run, texts[1]))
            if large >= enough or size * 4 > cap:
                return Growth(size, small, large)
        elif size * 4 > cap:
            return Growth(size, 0.0, large)
        size *= 4


LIMIT = 5.0  # how much 4x the input may cost: 4x, and room for noise
FAR = 2 * LIMIT  # a growth no noise explains


def schema_sites() -> list[Site]:
    """The bundled schema's patterns (`pattern`, `patternProperties`), which the validator
    searches in values and keys of the file."""
    from nexlint.schema import SCHEMA_NAME, load_schema

    found: list[Site] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{pointer}/{index}")
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.append(Site(SCHEMA_NAME, f"{pointer}/pattern", re.compile(value), SEARCH))
            if key == "patternProperties" and isinstance(value, dict):
                found.extend(
                    Site(SCHEMA_NAME, f"{pointer}/patternProperties/{k}", re.compile(k), SEARCH)
                    for k in value
                )
            walk(value, f"{pointer}/{key}")

    walk(load_schema(), "")
    return found


SEARCH = frozenset({"search"})
