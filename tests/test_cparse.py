"""The proof that the C parser may read what it reads: wherever `cparse.reference` lets it,
its events equal the round-trip parser's -- type, start and end index, value, style, anchor,
tag, flow style -- and where it finds fault the round-trip parser reads the text. Checked on
the corpus, the fixtures, the YAML test suite and mutated files; and the corpus snapshot is
the same with either parser.

    NEXLINT_FUZZ_EXAMPLES=20000 python -m pytest tests/test_cparse.py   (a longer run)
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nexlint
from nexlint import cparse

from .helpers import REPO, SHARED, corpus_files, declared, require_input
from .test_corpus import SNAPSHOT, snapshot_lines

Event = tuple[Any, ...]


@pytest.fixture(autouse=True)
def _c_parser_installed() -> None:
    if cparse.c_parser() is not None:
        return
    if cparse.FORCE_PURE:
        pytest.skip("NEXLINT_PARSER=pure switches the C parser off for this run")
    if declared("ruamel.yaml.clib"):  # a dependency here: its absence is a broken install
        pytest.fail("ruamel.yaml.clib is declared for this platform but not installed")
    pytest.skip(
        "ruamel.yaml.clib has no wheel for this platform; nexlint reads every file "
        "with the reference parser, so there is nothing to compare"
    )


def _key(event: Any) -> Event:
    kind = type(event).__name__
    value = getattr(event, "value", None)
    style = getattr(event, "style", None) or None
    if style == ">" and isinstance(value, str):
        value = value.replace("\a", "")  # the round-trip parser's fold marks
    flow = bool(event.flow_style) if kind in ("MappingStartEvent", "SequenceStartEvent") else None
    anchor, tag = getattr(event, "anchor", None), getattr(event, "tag", None)
    return (kind, event.start_mark.index, event.end_mark.index, value, style, anchor, tag, flow)


def reference_events(text: str) -> list[Event]:
    """What nexlint reads without the C parser: the round-trip parser, or the plain one where
    the round-trip parser fails on its own machinery; a YAML error ends the list."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    for kind in ("rt", "safe"):
        found: list[Event] = []
        try:
            found.extend(_key(event) for event in YAML(typ=kind, pure=True).parse(text))
        except YAMLError as exc:
            return [*found, ("error", type(exc).__name__)]
        except Exception:
            continue
        return found
    return [("error", "both")]


def c_events(text: str) -> list[Event] | None:
    """The C parser's events where nexlint uses them; None where it uses the reference (the
    rule says so, or the C parser finds fault)."""
    events = cparse.c_events(text)
    if events is None:
        return None
    try:
        return [_key(event) for event in events]
    except Exception:
        return None


def check(name: str, text: str) -> bool:
    """Whether the C parser read ``text`` (and then, that it read it as the reference)."""
    found = c_events(text)
    if found is None:
        return False
    assert found == reference_events(text), name
    return True


def test_the_corpus_reads_the_same_and_mostly_through_the_c_parser() -> None:
    files = corpus_files()
    read = sum(check(path.name, path.read_text(encoding="utf-8-sig")) for path in files)
    assert read >= 0.98 * len(files)  # 348 of 351 when this was written


def test_the_fixtures_read_the_same() -> None:
    paths = [*REPO.glob("tests/fixtures/**/*.yaml"), *REPO.glob("rules/testdata/*.yaml")]
    paths += [*REPO.glob("examples/*.yaml")]
    assert len(paths) > 40
    for path in paths:
        check(str(path.relative_to(REPO)), path.read_text(encoding="utf-8").removeprefix("\ufeff"))


def test_the_yaml_test_suite_reads_the_same() -> None:
    suite = require_input(SHARED / "reference" / "yaml-test-suite", "the YAML test suite")
    cases = sorted(suite.glob("**/in.yaml"))
    assert len(cases) == 402
    read = sum(
        check(str(case.parent.relative_to(suite)), case.read_text(encoding="utf-8"))
        for case in cases
    )
    assert read >= 80  # the rest needs the reference: 1.1 readings, marks, errors


EXAMPLES = int(os.environ.get("NEXLINT_FUZZ_EXAMPLES", "300"))
SEEDS = [
    path.read_text(encoding="utf-8")
    for path in sorted(REPO.glob("tests/fixtures/rules/*.yaml"))
    + sorted(REPO.glob("rules/testdata/nxl2*.yaml"))
]
PIECES = [
    "{", "}", "[", "]", ",", ":", ": ", "? ", "|", ">", "- ", "-", " ", "  ", "\n", "\r\n",
    "\r", "'", '"', "#", " #", "\\", "x", "a: b", "{a: b}", "[a]", "\n  ", "\n- ", "*", "&",
    "!", "%", "...", "---", "é", "😀", "\t", "\\a", ":\n", "-\n", "|\n", ">\n", "  \n",
    "key:", "key: ", '"a":b', "\ufeff", "\u2028",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "delete", "indent"]))
        if how == "insert":
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif how == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 3)) :]
        else:
            start = text.rfind("\n", 0, at) + 1
            body = text[start:].lstrip(" ")
            text = text[:start] + " " * draw(st.integers(0, 4)) + body
    return text


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_mutated_files_read_the_same(text: str) -> None:
    check("mutated", text)


def test_the_corpus_snapshot_is_the_same_without_the_c_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("nexlint.document.c_events", lambda text: None)
    assert snapshot_lines() == SNAPSHOT.read_text(encoding="utf-8").splitlines()


def test_each_known_difference_sends_the_text_to_the_reference() -> None:
    """One input for each kind the C parser reads otherwise."""
    cases = {
        "a: b\tc\n": "a tab",
        "a: b\u2028c\n": "LS",
        "a: 1\rb: 2\n": "lone CR",
        "%YAML 1.1\n---\na: 1\n": "a directive",
        "a: 1\n---\nb: 2\n": "a second document",
        "a: &x 1\nb: *x\n": "an anchor",
        "a: !!str 1\n": "a tag",
        "? a\n: 1\n": "an explicit key",
        "a:\nb: 1\n": "an empty value",
        "a:\n  - b:\n  - c: 1\n": "an empty value in a list",
        "a: {b: }\n": "an empty value in flow",
        "a:\n  - [b: ]\n": "an empty value in a nested flow list",
        '- ["a":b]\n': "an adjacent : in flow",
        "a: ># c\n  x\n": "a block header comment",
        "a: |\n \n  x\n": "a line of spaces in a block",
        "a#:\nb: 1\n": "an empty value under a key holding #",
        "a: 1\nb: \n# note\n  ": "an empty value before a last line of spaces",
        "a: >\n \r\n  x\n": "a line of spaces before a CRLF in a block",
    }
    for text, what in cases.items():
        assert cparse.reference(text) is not None, what
        assert c_events(text) is None, what
    # an adjacent `:` outside any flow collection (a URL's `}:${`, a quoted `":9001"`) reads alike
    c_reads = ('a: "${U}:${P}@db"\n', '- ":9001"\n', "a: ':9000'\n", "a: b\n", "a:\n  b: c\n")
    for text in (*c_reads, "a:\n- b\n", "a: [b, c]\n", "a: >\n  x\n  y\n"):
        assert cparse.reference(text) is None, text
        assert check(text, text)


def test_lint_results_do_not_depend_on_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO / "examples" / "nexlayer.yaml").read_text(encoding="utf-8")
    assert cparse.reference(text) is None
    with_c = nexlint.lint(text)
    monkeypatch.setattr("nexlint.document.c_events", lambda text: None)
    assert nexlint.lint(text) == with_c
