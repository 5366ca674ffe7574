"""Inline directives, unit by unit: reading them, applying them, and what went unused."""

from __future__ import annotations

from nexlint.document import parse
from nexlint.findings import Finding
from nexlint.suppressions import apply, find_directives, unused

from .helpers import VALID

CODES = ["NXL204", "NXL205", "NXL304", "NXL305", "NXL901", "NXL902"]


def directives_of(text: str) -> tuple[list, list[Finding]]:  # type: ignore[type-arg]
    return find_directives(parse(text), CODES)


def test_the_three_kinds_and_their_lines() -> None:
    text = (
        "# nexlint: disable-file=NXL305\n"
        "application:  # nexlint: disable=NXL2\n"
        "  # nexlint: disable-next-line\n"
        "  name: shop\n"
    )
    found, problems = directives_of(text)
    assert problems == []
    assert [(d.kind, d.codes, d.line) for d in found] == [
        ("disable-file", ("NXL305",), 1),
        ("disable", ("NXL2",), 2),
        ("disable-next-line", None, 3),
    ]
    assert found[0].covers("NXL305", 99) and not found[0].covers("NXL304", 99)
    assert found[1].covers("NXL204", 2) and not found[1].covers("NXL204", 3)
    assert found[2].covers("NXL304", 4) and not found[2].covers("NXL304", 3)


def test_a_hash_inside_a_string_is_not_a_directive() -> None:
    found, problems = directives_of('application:\n  name: "x # nexlint: disable-file"\n')
    assert (found, problems) == ([], [])


def test_directives_that_cannot_be_read() -> None:
    text = (
        "a: 1  # nexlint: disabel\n"
        "b: 2  # nexlint: disable NXL304\n"
        "c: 3  # nexlint: disable=NXL999\n"
        "d: 4  # nexlint: disable=NXL304 -- a reason\n"
    )
    found, problems = directives_of(text)
    assert [d.line for d in found] == [4]
    assert [(p.code, p.message.split(":")[0]) for p in problems] == [
        (
            "NXL902",
            'unknown nexlint directive "disabel"; use disable, disable-next-line or disable-file',
        ),
        ("NXL902", "malformed nexlint directive"),
        ("NXL902", "unknown rule code NXL999 in nexlint directive"),
    ]


def test_apply_is_pure_and_says_what_was_used() -> None:
    doc = parse(VALID + "      vars: {A: 1}  # nexlint: disable=NXL204,NXL3\n")
    found, _ = find_directives(doc, CODES)
    line8 = doc.lines.offset(8, 7)
    findings = [Finding("NXL304", "x", line8, line8 + 1), Finding("NXL204", "y", 0, 1)]
    kept, used = apply(findings, found, lambda o: doc.lines.position(o)[0])
    assert [f.code for f in kept] == ["NXL204"]  # on another line
    assert used == {(8, "NXL3"): {"NXL304"}}  # line 8, through NXL3
    again, _ = apply(findings, found, lambda o: doc.lines.position(o)[0])
    assert again == kept  # nothing was changed by the first call
    [idle] = unused(found, used, CODES)
    assert idle.code == "NXL901"
    assert idle.message == "NXL204 in this nexlint directive suppressed nothing"
    assert unused(found, used, ["NXL304"]) == []  # NXL204 not checked: it may matter elsewhere
