"""The official YAML test suite (../shared/reference/yaml-test-suite, MIT): every case parses or
gets a finding, never an exception or exit 2; no value carries a parser's marks; and what
nexlint says of each case -- accepted or rejected, and the data it reads -- is recorded in a
reviewed snapshot (tests/snapshots/yaml-test-suite.txt), so that a regression and an
unrecorded improvement both fail. nexlint must be right at least as often as ruamel.yaml's own
parser (verdicts) and safe loader (data) on the same cases.

Regenerate the snapshot with NEXLINT_UPDATE_SNAPSHOTS=1 and read the diff.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from nexlint.display import clip
from nexlint.document import Document, parse
from nexlint.engine import lint_data
from nexlint.pointers import join_pointer
from nexlint.source import decode

from .helpers import SHARED, require_input

SUITE = SHARED / "reference" / "yaml-test-suite"
SNAPSHOT = Path(__file__).parent / "snapshots" / "yaml-test-suite.txt"


@cache
def cases() -> list[tuple[str, Path]]:
    require_input(SUITE, "the YAML test suite")
    found = []
    for folder in sorted(p for p in SUITE.iterdir() if p.is_dir()):
        if (folder / "in.yaml").exists():
            found.append((folder.name, folder))
        else:
            found += [
                (f"{folder.name}/{sub.name}", sub)
                for sub in sorted(folder.iterdir())
                if (sub / "in.yaml").exists()
            ]
    return found


def title(folder: Path) -> str:
    named = folder / "===" if (folder / "===").exists() else folder.parent / "==="
    return named.read_text(encoding="utf-8").strip()


def expected_data(folder: Path) -> Any:
    """The one document the suite expects, when the case is valid YAML, has exactly one
    document and it is a mapping (what a nexlayer.yaml is); else None."""
    path = folder / "in.json"
    if (folder / "error").exists() or not path.exists():
        return None
    text, decoder, at, documents = path.read_text(encoding="utf-8"), json.JSONDecoder(), 0, []
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            break
        value, at = decoder.raw_decode(text, at)
        documents.append(value)
    return documents[0] if len(documents) == 1 and isinstance(documents[0], dict) else None


def difference(got: Any, want: Any, at: str = "") -> str | None:
    """Where two JSON-like values differ, in words, or None. Numbers compare by value, a
    boolean only with a boolean."""
    if isinstance(want, dict) and isinstance(got, dict):
        if list(got) != list(want) and set(got) != set(want):
            return f"keys at {at or '/'} are {sorted(got)}, expected {sorted(want)}"
        for key in want:
            found = difference(got[key], want[key], at + join_pointer([key]))
            if found:
                return found
        return None
    if isinstance(want, list) and isinstance(got, list) and len(got) == len(want):
        for index, (a, b) in enumerate(zip(got, want, strict=True)):
            found = difference(a, b, f"{at}/{index}")
            if found:
                return found
        return None
    same = (
        ((isinstance(got, bool) or isinstance(want, bool)) and got is want)
        or (
            not isinstance(got, bool)
            and not isinstance(want, bool)
            and isinstance(got, int | float)
            and isinstance(want, int | float)
            and (got == want or (math.isnan(got) and math.isnan(want)))
        )
        or (
            type(got) is type(want)
            and not isinstance(got, dict | list | int | float)
            and got == want
        )
    )
    if same:
        return None
    shown = [clip(json.dumps(v, ensure_ascii=False, default=repr)) for v in (got, want)]
    return f"at {at or '/'} read {shown[0]}, expected {shown[1]}"


def read(folder: Path) -> Document | None:
    text = decode((folder / "in.yaml").read_bytes())
    return parse(text) if isinstance(text, str) else None


def outcome(name: str, folder: Path) -> str:
    """One snapshot line: the case, whether nexlint's verdict and data agree with the suite,
    and why not where they do not."""
    valid = not (folder / "error").exists()
    result = lint_data((folder / "in.yaml").read_bytes(), "in.yaml")
    syntax = [d for d in result.diagnostics if d.code == "NXL001"]
    if valid == (not syntax):
        verdict = "verdict agrees"
    elif valid:
        first = syntax[0]
        verdict = (
            f"verdict differs: valid YAML rejected at {first.line}:{first.column} "
            f'("{first.message}"); the suite: {title(folder)}'
        )
    else:
        verdict = f"verdict differs: invalid YAML accepted; the suite: {title(folder)}"
    want = expected_data(folder)
    if want is None:
        return f"{name}: {verdict}"
    doc = read(folder)
    if doc is None or doc.root is None:
        return f"{name}: {verdict}; data differs: not read"
    found = difference(doc.data, want)
    return f"{name}: {verdict}; " + ("data agrees" if found is None else f"data differs: {found}")


def test_the_suite_matches_the_reviewed_snapshot() -> None:
    current = [outcome(name, folder) for name, folder in cases()]
    if os.environ.get("NEXLINT_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text("".join(line + "\n" for line in current), encoding="utf-8")
    assert current == SNAPSHOT.read_text(encoding="utf-8").splitlines()


def test_no_case_crashes_the_cli() -> None:
    files = [str(folder / "in.yaml") for _, folder in cases()]
    result = subprocess.run(
        [sys.executable, "-m", "nexlint", "check", "--no-cache", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NEXLINT_DEBUG": ""},
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    reported = {d["file"] for d in json.loads(result.stdout)}
    assert len(reported) > len(files) // 2  # most cases are not a nexlayer.yaml


def test_no_value_carries_a_parser_mark() -> None:
    marked = []
    for name, folder in cases():
        doc = read(folder)
        stack = [doc.root] if doc is not None and doc.root is not None else []
        while stack:
            node = stack.pop()
            if node.kind == "scalar" and "\a" in node.value:
                marked.append(name)
            stack.extend(node.items)
            stack.extend(part for pair in node.entries for part in pair)
    assert marked == []


def ruamel_accepts(text: str) -> bool:
    from ruamel.yaml import YAML

    try:
        for _ in YAML(typ="rt").parse(text):
            pass
    except Exception:
        return False
    return True


def ruamel_reads(text: str) -> Any:
    from ruamel.yaml import YAML

    try:
        documents = list(YAML(typ="safe", pure=True).load_all(text))
    except Exception:
        return None
    return documents[0] if len(documents) == 1 else None


def test_at_least_as_right_as_ruamel_itself() -> None:
    """The four figures: verdicts and data that agree with the suite, nexlint's and
    ruamel.yaml's own (its round-trip parser for verdicts, its safe loader for data)."""
    lines = [outcome(name, folder) for name, folder in cases()]
    ours_verdicts = sum("verdict agrees" in line for line in lines)
    ours_data = sum("data agrees" in line for line in lines)
    theirs_verdicts = theirs_data = data_cases = 0
    for _, folder in cases():
        text = (folder / "in.yaml").read_bytes().decode("utf-8", "replace")
        theirs_verdicts += ruamel_accepts(text) != (folder / "error").exists()
        want = expected_data(folder)
        if want is not None:
            data_cases += 1
            theirs_data += difference(ruamel_reads(text), want) is None
    print(
        f"verdicts: nexlint {ours_verdicts}, ruamel {theirs_verdicts} of {len(lines)}; "
        f"data: nexlint {ours_data}, ruamel {theirs_data} of {data_cases}"
    )
    assert ours_verdicts >= theirs_verdicts
    assert ours_data >= theirs_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: >\n  folded\n  text\n", "folded text\n"),  # no fold mark
        ("a: |\n  x\n   ", "x\n \n"),  # a last line of spaces at the end of the file
        ("a: |-\n  x\n   ", "x\n "),
        ("a: |\n  x\n ", "x\n"),
    ],
)
def test_block_scalars_read_as_the_spec_says(text: str, expected: str) -> None:
    assert parse(text).data == {"a": expected}
