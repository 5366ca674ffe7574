"""ruamel's C parser (libyaml, from ruamel.yaml.clib), used where it reads a text exactly as
the round-trip parser does, which stays the reference.

The two give the same events -- type, start and end index, value, style, anchor, tag -- on
every real file we have, except on a known list of inputs, where the C parser reads YAML 1.1
or places a mark elsewhere: tabs, NEL/LS/PS and lone CR line breaks, a BOM past the start;
directives and document markers (`%`, `---`, `...`: a second document, whose errors the C
parser finds by looking ahead); anchors, tags, aliases (`*a:`, the handle `!@!`) and
explicit keys (`?`), whose start differs; an empty value (the round-trip parser places it
where the next token starts, the C parser right after the `:`); a quoted key with its `:`
adjacent in flow; block scalars with a comment on their header or lines of spaces before
their content. `reference` spots all of these with a scan of the text, and the pure parser
reads those texts, as it reads any text the C parser finds fault with. tests/test_cparse.py
holds the proof: equal events on the corpus, the fixtures, the YAML test suite and mutated
files, once this rule is applied.

Folded scalars differ only in the round-trip parser's fold marks (`\\a`), which the composer
removes: both then give the YAML value.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from typing import Any

# NEXLINT_PARSER=pure reads every file with the round-trip parser (to compare, or to rule the
# C parser out when hunting a bug).
FORCE_PURE = os.environ.get("NEXLINT_PARSER") == "pure"

_CHARS = ("\t", "\x85", "\u2028", "\u2029", "\ufeff")
_LONE_CR = re.compile(r"\r(?!\n)")
_LINE_START = re.compile(r"^(?:%|---|\.\.\.)", re.M)
# where a node can start: a line's start, after "- ", ": " or "? ", and in flow after [ { ,
_NODE_START = r"(?:^[ \t]*|[-:?][ \t]+|[\[{,][ \t]*)"
_PROPERTY = re.compile(_NODE_START + r"(?:[&!*][^\s&]|\?(?:[ \t]|$))", re.M)
# Both differences live only inside a flow collection, which starts where a node can.
_FLOW_START = re.compile(_NODE_START + r"[\[{]", re.M)
_FLOW_EMPTY = re.compile(r":(?!:)\s*+[,}\]]")
_ADJACENT = re.compile(r"[\"'\]}]:(?=\S)")
_BLOCK = re.compile(_NODE_START + r"[|>]", re.M)
_BLOCK_COMMENT = re.compile(r"[|>][-+0-9]*#")
_SPACES_LINE = re.compile(r"^[ ]+(?=\r?\n|\Z)", re.M)
# A `:` that ends its line (a comment may follow), and the start of a line up to its key.
# Lines end in \n or \r\n here (a lone \r is the round-trip parser's): a comment runs to a
# line break, which ends the match. `(?=\r?\n|\Z)` failed at each `:` before a lone \r,
# after reading the rest of the line.
_COLON_AT_END = re.compile(r":(?:[ ]+#[^\r\n]*|[ ]*)(?=[\r\n]|\Z)")
_LEAD = re.compile(r"[ ]*+(?:-[ ]++)*+")
_BLANK = re.compile(r"[ ]*(?:#[^\r\n]*)?(?:\r\n|\n|\Z)")
_INDENT = re.compile(r"[ ]*")


def reference(text: str) -> str | None:
    """Why ``text`` must be read by the round-trip parser (None: the C parser reads it the
    same). Linear: a few scans of the text."""
    if any(char in text for char in _CHARS) or ("\r" in text and _LONE_CR.search(text)):
        return "a tab, NEL, LS, PS, BOM or lone CR"
    if _LINE_START.search(text):
        return "a directive or a document marker"
    if any(char in text for char in "&!*?") and _PROPERTY.search(text):
        return "an anchor, tag, alias or explicit key"
    if (_FLOW_EMPTY.search(text) or _ADJACENT.search(text)) and _FLOW_START.search(text):
        return "an empty value or an adjacent `:` in flow"
    if (_BLOCK_COMMENT.search(text) or _SPACES_LINE.search(text)) and _BLOCK.search(text):
        return "a block scalar with a header comment or lines of spaces"
    if _has_empty_value(text):
        return "an empty value"
    return None


def _has_empty_value(text: str) -> bool:
    """Whether a key ends its line with nothing below it: the next line that holds anything
    is not indented deeper (nor, at the key's own depth, a `- ` item), or there is none."""
    for colon in _COLON_AT_END.finditer(text):
        start = text.rfind("\n", 0, colon.start()) + 1
        lead = _LEAD.match(text, start, colon.start())
        key_at = lead.end() if lead is not None else start
        if key_at == colon.start() or text[key_at] == "#":
            continue  # no key before the colon, or a comment line
        at = colon.end() + (2 if text.startswith("\r\n", colon.end()) else 1)
        while (blank := _BLANK.match(text, at)) is not None and blank.end() > at:
            at = blank.end()
        if at >= len(text):
            return True
        body = _INDENT.match(text, at)
        indent = body.end() - at if body is not None else 0
        after = text[at + indent : at + indent + 2]
        item = after in ("- ", "-\r", "-\n", "-")
        depth = key_at - start
        if indent < depth or (indent == depth and not item):
            return True
    return False


@functools.cache
def c_parser() -> Any:
    """The C parser class, or None when the extension is not installed."""
    if FORCE_PURE:
        return None
    for module in ("_ruamel_yaml", "_ruamel_yaml_clibz"):
        try:
            return __import__(module).CParser
        except ImportError:
            continue
    return None


def c_events(text: str) -> Iterator[Any] | None:
    """The C parser's events for ``text``, or None when it must not read it."""
    parser_class = c_parser()
    if parser_class is None or reference(text) is not None:
        return None
    parser = parser_class(text)

    def events() -> Iterator[Any]:
        while parser.check_event():
            yield parser.get_event()

    return events()
