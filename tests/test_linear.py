"""Every pattern linear (issue 19, item 2)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

# -- the linear forms read texts as the patterns they replace did ---------------------------

OLD_PLACEHOLDER = re.compile(r"<%(?P<before>\s*)(?P<name>[^%<>]*?)(?P<after>\s*)%>")
OLD_INDIRECT = re.compile(r"^\s*$|<%.*%>|\$\{.*\}|^\$[A-Za-z_]")
OLD_BROWSER_INDIRECT = re.compile(r"^\s*$|<%.*%>|\$\{.*\}")
OLD_LINE_DIRECTIVE = re.compile(
    r"#[ \t]*nexlint[ \t]*:[ \t]*disable[ \t]*=[ \t]*[A-Za-z0-9, \t]*[A-Za-z0-9]"
)
OLD_BODY = re.compile(
    r"^[ \t]*(?P<kind>[A-Za-z][\w-]*)(?:[ \t]*=[ \t]*(?P<codes>[A-Za-z0-9]+(?:[ \t]*,[ \t]*"
    r"[A-Za-z0-9]+)*))?(?P<rest>.*)$"
)
OLD_COLON_AT_END = re.compile(r":(?:[ ]+#[^\r\n]*|[ ]*)(?=\r?\n|\Z)")
SHORT = settings(max_examples=300, deadline=None)


@SHORT
@given(st.text(alphabet="<%> \t\u3000AB_\n", max_size=24))
def test_placeholders_read_as_before(text: str) -> None:
    from nexlint.rules._placeholders import PLACEHOLDER, placeholder_parts

    old = [(m.span(), m.group("before", "name", "after")) for m in OLD_PLACEHOLDER.finditer(text)]
    new = [(m.span(), placeholder_parts(m)) for m in PLACEHOLDER.finditer(text)]
    assert new == old


@SHORT
@given(st.text(alphabet="<%>${}\n\r \taA_1", max_size=24))
def test_references_read_as_before(text: str) -> None:
    from nexlint.rules._placeholders import is_indirect
    from nexlint.rules.nxl502_secret_in_vars import _indirect

    assert _indirect(text) == (OLD_INDIRECT.search(text) is not None)
    assert is_indirect(text) == (OLD_BROWSER_INDIRECT.search(text) is not None)


@SHORT
@given(st.text(alphabet="# \tnexlint:disable=-fiA0,x\n", max_size=40))
def test_directives_read_as_before(text: str) -> None:
    from nexlint import suppressions

    def span(match: re.Match[str] | None) -> tuple[int, int] | None:
        return match.span() if match else None

    assert span(suppressions._LINE_DIRECTIVE.search(text)) == span(OLD_LINE_DIRECTIVE.search(text))
    body = text.split("\n")[0]
    old, new = OLD_BODY.match(body), suppressions._BODY.match(body)
    assert (new and new.groupdict()) == (old and old.groupdict())


@SHORT
@given(st.text(alphabet=": #a\n\r", max_size=30))
def test_colons_at_line_ends_read_as_before(text: str) -> None:
    """Where no lone \\r is: cparse sends every text that holds one to the other parser."""
    from nexlint.cparse import _COLON_AT_END

    text = text.replace("\r\n", "\n").replace("\r", "\r\n")
    old = [m.span() for m in OLD_COLON_AT_END.finditer(text)]
    assert [m.span() for m in _COLON_AT_END.finditer(text)] == old
