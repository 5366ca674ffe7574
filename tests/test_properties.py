"""Properties over generated documents: valid ones give no error, mutated ones never crash,
and every diagnostic's range lies inside the text at the node its pointer names."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nexlint
from nexlint.diagnostics import Diagnostic, Severity
from nexlint.document import parse
from nexlint.source import LineIndex

NAME = st.from_regex(r"[a-z][a-z0-9]{2,10}", fullmatch=True)
WORD = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
VAR_NAME = st.from_regex(r"[A-Z][A-Z0-9_]{0,12}", fullmatch=True)
VALUE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    max_size=20,
)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(NAME, min_size=1, max_size=4, unique=True))
    pods = []
    for i, name in enumerate(names):
        pod: dict[str, Any] = {
            "name": name,
            "image": f"{draw(WORD)}/{draw(WORD)}:{draw(st.integers(1, 99))}.0",
            "servicePorts": draw(
                st.lists(st.integers(1, 65535), min_size=1, max_size=3, unique=True)
            ),
        }
        if i == 0:
            pod["path"] = "/"
        if draw(st.booleans()):
            pod["vars"] = draw(st.dictionaries(VAR_NAME, VALUE, max_size=4))
        if draw(st.booleans()):
            pod["volumes"] = [
                {
                    "name": f"{name}-data",
                    "size": f"{draw(st.integers(1, 50))}Gi",
                    "mountPath": f"/{draw(WORD)}",
                }
            ]
        pods.append(pod)
    return {"application": {"name": draw(NAME), "pods": pods}}


def render(value: Any, indent: int, style: st.DataObject) -> str:
    """Block YAML with comments, flow collections and quoting chosen by hypothesis."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value or style.draw(st.integers(0, 5)) == 0:
            return json.dumps(value, ensure_ascii=False)
        lines = []
        for key, item in value.items():
            comment = "  # note" if style.draw(st.booleans()) else ""
            rendered = render(item, indent + 2, style)
            if rendered.startswith(" "):  # a block collection goes on the next lines
                lines.append(f"{pad}{key}:{comment}\n{rendered}")
            else:
                lines.append(f"{pad}{key}: {rendered}{comment}")
        return "\n".join(lines)
    if isinstance(value, list):
        if style.draw(st.booleans()) or not value:
            return json.dumps(value, ensure_ascii=False)
        lines = []
        for item in value:
            rendered = render(item, indent + 2, style)
            if rendered.startswith(" "):
                lines.append(f"{pad}- {rendered.lstrip()}")
            else:
                lines.append(f"{pad}- {rendered}")
        return "\n".join(lines)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def check_ranges(text: str, diagnostics: list[Diagnostic]) -> None:
    doc = parse(text.removeprefix("\ufeff"))
    index = LineIndex(doc.text)
    for d in diagnostics:
        start = index.offset(d.line, d.column)
        end = index.offset(d.end_line, d.end_column)
        assert 0 <= start <= end <= len(doc.text), d
        if not d.pointer or doc.root is None:
            continue
        found = doc.node(d.pointer)
        if found is None:
            continue  # e.g. a missing key: the pointer names where it should be
        key, node = found
        low = key.start if key is not None else node.start
        high = max(node.end, key.end if key is not None else node.end)
        assert low <= start and end <= max(high, start), (d, low, high)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_generated_valid_documents_give_no_error(
    data: dict[str, Any], style: st.DataObject
) -> None:
    text = render(data, 0, style) + "\n"
    assert parse(text).data == data
    errors = [d for d in nexlint.lint(text) if d.severity is Severity.ERROR]
    assert errors == [], text


MUTATION_CHARS = [*list(":-[]{}\"'&*!#|>\t\n ,?%@`"), "\r\n", "\ufeff", "é", "\x00", "<<: "]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_mutated_documents_never_crash_and_ranges_hold(
    data: dict[str, Any], style: st.DataObject
) -> None:
    text = render(data, 0, style) + "\n"
    for _ in range(style.draw(st.integers(1, 4))):
        position = style.draw(st.integers(0, len(text)))
        if style.draw(st.booleans()) and position < len(text):
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + style.draw(st.sampled_from(MUTATION_CHARS)) + text[position:]
    diagnostics = nexlint.lint(text)
    check_ranges(text, diagnostics)
    for d in diagnostics:
        assert d.message and "\n" not in d.message


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    for d in nexlint.lint_bytes(data):
        assert d.line >= 1 and d.column >= 1
