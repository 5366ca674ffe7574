"""Fuzzing: real-looking files, mutated the ways files get broken by hand, by tools and by
attackers, must keep every promise: no exception, every range inside the file, every format
encodable and parseable, and fixes that parse, touch only what they fix, are idempotent and
never add an error.

The example count is modest so the suite stays quick; for a longer run:

    NEXLINT_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexlint.diagnostics import Edit, Severity
from nexlint.engine import lint_data
from nexlint.fixes import fix_text
from nexlint.reporters import FORMATS, ReportOptions, get_renderer
from nexlint.result import LintResult
from nexlint.source import DecodeProblem, LineIndex, decode

from .helpers import REPO

EXAMPLES = int(os.environ.get("NEXLINT_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SEEDS = [
    path.read_bytes()
    for path in sorted((REPO / "tests" / "fixtures" / "rules").glob("*.yaml"))
    + sorted((REPO / "examples").glob("*.yaml"))
]

INSERTS = [
    b"\t",
    b"\x00",
    b"\r",
    b"\r\n",
    b"\xef\xbb\xbf",
    "é→🙂".encode(),
    "\u202e".encode(),
    "\u0085".encode(),
    b'"\\ud800"',
    b"\xff",
    b": ",
    b"- ",
    b"#",
    b"'",
    b'"',
    b"&anchor ",
    b"*anchor",
    b"<<: *anchor\n",
    b"!!python/object/apply:os.system ",
    b"!custom ",
    b"<%URL%>",
    b"postgres://u:hunter2@db.pod:5432/x",
    b"yes",
    b"%YAML 1.1\n---\n",
    b"---\n",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 5))):
        lines = data.splitlines(keepends=True) or [b""]
        kind = draw(
            st.sampled_from(
                [
                    "flip",
                    "insert",
                    "delete",
                    "duplicate",
                    "indent",
                    "tab",
                    "ending",
                    "bom",
                    "long",
                    "deep",
                    "drop-char",
                ]
            )
        )
        at = draw(st.integers(0, len(data)))
        line = draw(st.integers(0, len(lines) - 1))
        if kind == "flip" and data:
            index = min(at, len(data) - 1)
            data = data[:index] + bytes([draw(st.integers(0, 255))]) + data[index + 1 :]
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(INSERTS)) + data[at:]
        elif kind == "drop-char":
            data = data[:at] + data[at + 1 :]
        elif kind == "delete":
            data = b"".join(lines[:line] + lines[line + 1 :])
        elif kind == "duplicate":  # duplicate keys, mostly
            data = b"".join(lines[: line + 1] + lines[line:])
        elif kind == "indent":
            shift = draw(st.integers(-4, 4))
            text = lines[line]
            lines[line] = b" " * shift + text if shift >= 0 else text[min(-shift, len(text)) :]
            data = b"".join(lines)
        elif kind == "tab":
            lines[line] = lines[line].replace(b"  ", b"\t", 1)
            data = b"".join(lines)
        elif kind == "ending":
            body = lines[line].rstrip(b"\r\n")
            lines[line] = body + draw(st.sampled_from([b"\r\n", b"\r", b"\n", b""]))
            data = b"".join(lines)
        elif kind == "bom":
            data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])) + data
        elif kind == "long":
            data = data[:at] + b"x" * draw(st.integers(100, 20_000)) + data[at:]
        elif kind == "deep":
            depth = draw(st.integers(1, 200))
            data = data[:at] + b"[" * depth + b"1" + b"]" * depth + data[at:]
    return data


def check_ranges(result: LintResult) -> None:
    index = LineIndex(result.text)
    for d in result.diagnostics:
        assert 1 <= d.line <= d.end_line <= index.line_count, d
        start = index.offset(d.line, d.column)
        end = index.offset(d.end_line, d.end_column)
        assert 0 <= start <= end <= len(result.text), d
        assert index.position(start) == (d.line, d.column), d  # the column is on its line


def check_formats(result: LintResult) -> None:
    for name in FORMATS:
        out = get_renderer(name)([result], ReportOptions())
        out.encode("utf-8")  # valid UTF-8: no lone surrogate
        if name in ("json", "sarif", "gitlab"):
            json.loads(out)
        elif name == "junit":
            ET.fromstring(out.encode("utf-8"))


def apply_edits(text: str, edits: tuple[Edit, ...]) -> str:
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def lines(text: str) -> list[str]:
    """Lines as nexlint counts them: broken at LF, CRLF and CR only."""
    return re.split(r"\r\n|\r|\n", text)


def errors(result: LintResult) -> int:
    return sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)


@FUZZ
@given(mutated())
def test_mutated_files_keep_every_promise(data: bytes) -> None:
    result = lint_data(data, "nexlayer.yaml")
    check_ranges(result)
    check_formats(result)


@FUZZ
@given(mutated())
def test_fixes_on_mutated_files_never_make_them_worse(data: bytes) -> None:
    text = decode(data)
    if isinstance(text, DecodeProblem):
        return  # not text: nothing to fix (the first test covers its findings)
    before_broken = any(d.code == "NXL001" for d in lint_data(data, "nexlayer.yaml").diagnostics)
    fixed = fix_text(text, unsafe=True)
    before = fixed.before
    assert before is not None
    if not before_broken:
        assert not any(d.code == "NXL001" for d in fixed.remaining)
    assert errors(fixed.result) <= errors(before)
    # each round keeps, in order, every line its edits do not touch
    current = text
    for start, edits in fixed.rounds:
        assert start == current
        index = LineIndex(start)
        touched = {
            line
            for edit in edits
            for line in range(index.position(edit.start)[0], index.position(edit.end)[0] + 1)
        }
        after = apply_edits(start, edits)
        kept = [line for n, line in enumerate(lines(start), 1) if n not in touched]
        rest = iter(lines(after))
        assert all(any(line == candidate for candidate in rest) for line in kept)
        current = after
    assert fixed.text == current
    again = fix_text(fixed.text, unsafe=True)
    assert again.text == fixed.text
