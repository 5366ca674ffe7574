"""The real-world corpus: ~350 nexlayer.yaml files from public repositories.

Every file lints without a crash, every range lies inside its file, and the findings match a
reviewed snapshot (tests/snapshots/corpus.txt). A change in the snapshot is a reviewed
change: regenerate with NEXLINT_UPDATE_SNAPSHOTS=1 and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import nexlint
from nexlint.engine import lint_path
from nexlint.source import LineIndex

from .helpers import corpus_files

SNAPSHOT = Path(__file__).parent / "snapshots" / "corpus.txt"


def snapshot_lines() -> list[str]:
    lines = []
    for path in corpus_files():
        for d in nexlint.lint_file(path):
            lines.append(
                f"{path.name}:{d.line}:{d.column}-{d.end_line}:{d.end_column}: "
                f"{d.code} {d.severity.value}: {d.message}"
            )
    return lines


def test_corpus_matches_the_reviewed_snapshot() -> None:
    current = snapshot_lines()
    if os.environ.get("NEXLINT_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text("".join(line + "\n" for line in current), encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    assert current == expected


def test_every_range_lies_inside_its_file() -> None:
    for path in corpus_files():
        result = lint_path(path)
        index = LineIndex(result.text)
        for d in result.diagnostics:
            start = index.offset(d.line, d.column)
            end = index.offset(d.end_line, d.end_column)
            assert 0 <= start <= end <= len(result.text), (path.name, d)
            assert d.line <= index.line_count and d.end_line <= index.line_count


def test_corpus_has_the_expected_size() -> None:
    assert len(corpus_files()) >= 350
