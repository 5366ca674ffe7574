"""Fixes: text edits on the original text, so every byte they do not touch stays as it was
(comments, quoting, indentation, blank lines, key order)."""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nexlint.config import Config
from nexlint.diagnostics import Diagnostic, Edit, Fix
from nexlint.engine import lint_data, lint_text
from nexlint.result import LintResult
from nexlint.source import MAX_FILE_BYTES, DecodeProblem, decode

UTF8_BOM = b"\xef\xbb\xbf"

MAX_ROUNDS = 10  # a fix may enable another (quoting, then spacing); stop well before looping


@dataclass
class FixResult:
    text: str
    result: LintResult  # the lint of ``text``, after the fixes
    applied: Counter[str] = field(default_factory=Counter)  # fixes applied, by code

    @property
    def remaining(self) -> list[Diagnostic]:
        return self.result.diagnostics

    @property
    def changed(self) -> bool:
        return sum(self.applied.values()) > 0


def usable(d: Diagnostic, unsafe: bool) -> bool:
    return d.fix is not None and (d.fix.safe or unsafe) and bool(d.fix.edits)


def apply_edits(
    text: str, diagnostics: Iterable[Diagnostic], unsafe: bool = False
) -> tuple[str, list[Diagnostic]]:
    """Apply the fixes that do not overlap, in a fixed order: by position, then code. A fix
    whose edits overlap one already taken waits for the next round."""
    chosen: list[Diagnostic] = []
    taken: list[Edit] = []
    candidates = sorted(
        (d for d in diagnostics if usable(d, unsafe)),
        key=lambda d: (_first(d.fix), d.code, d.message),
    )
    for d in candidates:
        assert d.fix is not None
        if any(_overlaps(edit, other) for edit in d.fix.edits for other in taken):
            continue
        chosen.append(d)
        taken.extend(d.fix.edits)
    for edit in sorted(taken, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text, chosen


def fix_text(
    text: str, filename: str = "nexlayer.yaml", config: Config | None = None, unsafe: bool = False
) -> FixResult:
    """Apply fixes until none is left, re-linting after each round. A round whose result
    would not parse is dropped: a fix never introduces a syntax error."""
    applied: Counter[str] = Counter()
    current = lint_text(text, filename, config)
    broken_before = any(d.code == "NXL001" for d in current.diagnostics)
    for _ in range(MAX_ROUNDS):
        candidate, chosen = apply_edits(text, current.diagnostics, unsafe)
        if not chosen or candidate == text:
            break
        result = lint_text(candidate, filename, config)
        if not broken_before and any(d.code == "NXL001" for d in result.diagnostics):
            break
        applied.update(d.code for d in chosen)
        text, current = candidate, result
    return FixResult(text, current, applied)


def fix(
    text: str, filename: str = "nexlayer.yaml", config: Config | None = None, unsafe: bool = False
) -> tuple[str, list[Diagnostic]]:
    """The library face: ``(new_text, remaining_diagnostics)``."""
    result = fix_text(text, filename, config, unsafe)
    return result.text, result.remaining


@dataclass
class FileFix:
    result: LintResult
    diff: str
    applied: Counter[str]


def fix_path(
    path: str, config: Config | None = None, unsafe: bool = False, write: bool = True
) -> FileFix:
    """Fix one file: the diff of what changes and, with ``write``, the file rewritten
    atomically (its mode and any BOM kept). OSError propagates; the file then is as it was."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    text = decode(data) if len(data) <= MAX_FILE_BYTES else None
    if text is None or isinstance(text, DecodeProblem):
        return FileFix(lint_data(data, path, config), "", Counter())
    fixed = fix_text(text, path, config, unsafe)
    if not fixed.changed:
        return FileFix(fixed.result, "", fixed.applied)
    diff = unified_diff(path, text, fixed.text)
    if write:
        bom = UTF8_BOM if data.startswith(UTF8_BOM) else b""
        write_atomic(path, bom + fixed.text.encode("utf-8"))
    return FileFix(fixed.result, diff, fixed.applied)


def unified_diff(name: str, before: str, after: str) -> str:
    """The change as `diff -u` shows it, with a/ and b/ prefixes as git does."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(lines)


def write_atomic(path: str, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over: readers see the old
    file or the new one, never half of one."""
    target = Path(path)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".nexlint"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _first(fix: Fix | None) -> int:
    return min((e.start for e in fix.edits), default=0) if fix else 0


def _overlaps(a: Edit, b: Edit) -> bool:
    """Half-open ranges overlap; an insertion conflicts only strictly inside another range,
    or with another insertion at the same place (their order would be a guess)."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    return a.start < b.end and b.start < a.end
