"""Fixes: text edits on the original text, so every byte they do not touch stays as it was
(comments, quoting, indentation, blank lines, key order)."""

from __future__ import annotations

import bisect
import difflib
import errno
import itertools
import os
import re
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nexlint.config import Config
from nexlint.diagnostics import Diagnostic, Edit, Fix, Severity
from nexlint.discovery import is_link
from nexlint.display import escape
from nexlint.engine import DEFAULT_CONFIG, lint_data, lint_text
from nexlint.result import LintResult
from nexlint.secrets import mask
from nexlint.source import MAX_FILE_BYTES, UTF8_BOM, DecodeProblem, decode

MAX_ROUNDS = 10  # a fix may enable another (quoting, then spacing); stop well before looping


@dataclass
class FixResult:
    text: str
    result: LintResult  # the lint of ``text``, after the fixes
    applied: Counter[str] = field(default_factory=Counter)  # fixes applied, by code
    before: LintResult | None = None  # the lint of the text before any fix
    # each round: the text it started from and the edits it made to it
    rounds: list[tuple[str, tuple[Edit, ...]]] = field(default_factory=list)

    @property
    def remaining(self) -> list[Diagnostic]:
        return self.result.diagnostics

    @property
    def changed(self) -> bool:
        return sum(self.applied.values()) > 0

    def diff(self, name: str) -> str:
        """The change as a unified diff, secret values masked on both sides."""
        before = self.before or self.result
        return unified_diff(
            name, before.text, self.text, before.masks, self.result.masks, self.rounds
        )


def usable(d: Diagnostic, unsafe: bool) -> bool:
    return (
        d.fix is not None
        and (d.fix.safe or unsafe)
        and bool(d.fix.edits)
        and not any(edit.redacted for edit in d.fix.edits)
    )


def apply_edits(
    text: str, diagnostics: Iterable[Diagnostic], unsafe: bool = False
) -> tuple[str, list[Diagnostic]]:
    """Apply the fixes that do not overlap, in a fixed order: by position, then code. A fix
    whose edits overlap one already taken waits for the next round."""
    chosen: list[Diagnostic] = []
    taken = _Taken()
    candidates = sorted(
        (d for d in diagnostics if usable(d, unsafe)),
        key=lambda d: (_first(d.fix), d.code, d.message),
    )
    for d in candidates:
        assert d.fix is not None
        if any(taken.clashes(edit) for edit in d.fix.edits) or _self_overlapping(d.fix):
            continue
        chosen.append(d)
        for edit in d.fix.edits:
            taken.add(edit)
    return _applied(text, taken.edits), chosen


class _Taken:
    """The edits taken so far: no two overlap, kept in order of (start, end)."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.edits: list[Edit] = []

    def add(self, edit: Edit) -> None:
        index = bisect.bisect_right(self.spans, (edit.start, edit.end))
        self.spans.insert(index, (edit.start, edit.end))
        self.edits.insert(index, edit)

    def clashes(self, edit: Edit) -> bool:
        """Whether ``edit`` overlaps one taken. As those are disjoint, only the one before
        it and the few from its start on can: the scan stops at the first that starts past
        its end, or at the first overlap."""
        first = max(0, bisect.bisect_left(self.spans, (edit.start, edit.start)) - 1)
        for index in range(first, len(self.spans)):  # not islice: it walks what it skips
            if self.spans[index][0] > edit.end:
                return False
            if _overlaps(edit, self.edits[index]):
                return True
        return False


def _self_overlapping(fix: Fix) -> bool:
    edits = sorted(fix.edits, key=lambda edit: (edit.start, edit.end))
    return any(_overlaps(a, b) for a, b in itertools.pairwise(edits))


def _applied(text: str, edits: list[Edit]) -> str:
    """The text with ``edits`` (sorted, disjoint) made, built once from its pieces."""
    pieces: list[str] = []
    at = 0
    for edit in edits:
        pieces.append(text[at : edit.start])
        pieces.append(edit.text)
        at = edit.end
    pieces.append(text[at:])
    return "".join(pieces)


def fix_text(
    text: str,
    filename: str = "nexlayer.yaml",
    config: Config | None = None,
    unsafe: bool = False,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> FixResult:
    """Apply fixes until none is left, re-linting after each round. A fix never makes the
    file worse: a round that would break the YAML or add an error keeps only the fixes
    before the first one that does (found in a few lints, however many fixes the round
    has), and a fix that does so on its own is left out."""
    config = config or DEFAULT_CONFIG
    # Worse is judged on every finding: under the cap, more errors could hide among those cut.
    whole = config.merged(max_diagnostics=None)

    def lint(text: str) -> LintResult:
        return lint_text(text, filename, whole)

    applied: Counter[str] = Counter()
    before = current = lint(text)
    rejected: set[tuple[str, str, str]] = set()
    rounds: list[tuple[str, tuple[Edit, ...]]] = []
    for _ in range(MAX_ROUNDS):
        if cancelled is not None and cancelled():  # the editor no longer wants the answer
            break
        offered = [d for d in current.diagnostics if _identity(d) not in rejected]
        candidate, chosen = apply_edits(text, offered, unsafe)
        if not chosen or candidate == text:
            break
        result = lint(candidate)
        if _worse(result, current):
            kept, first, tried = _fine_start(text, chosen, current, lint, unsafe)
            culprit = chosen[first]
            if tried or _worse(lint(apply_edits(text, [culprit], unsafe)[0]), current):
                rejected.add(_identity(culprit))
            if kept is None:
                continue  # the next round offers what waited behind the culprit
            candidate, chosen, result = kept.text, kept.fixes, kept.result
        applied.update(d.code for d in chosen)
        rounds.append((text, tuple(e for d in chosen if d.fix for e in d.fix.edits)))
        text, current = candidate, result
    if config.max_diagnostics is not None and len(current.diagnostics) > config.max_diagnostics:
        current = lint_text(text, filename, config)  # what a check of this text reports
    return FixResult(text, current, applied, before, rounds)


@dataclass(frozen=True)
class _Trial:
    text: str
    fixes: list[Diagnostic]  # the fixes that made it
    result: LintResult  # its lint


def _fine_start(
    text: str,
    chosen: list[Diagnostic],
    current: LintResult,
    lint: Callable[[str], LintResult],
    unsafe: bool,
) -> tuple[_Trial | None, int, bool]:
    """The longest run of ``chosen`` from its start that does not make ``text`` worse than
    ``current`` (None when the first fix alone does), the index of the fix after it (the
    culprit), and whether the culprit was tried alone. All of ``chosen`` is worse. The first
    fix is tried alone, then the rest is halved: a round costs at most 1 + log2(len(chosen))
    lints, and one whose first fix is the culprit (a file whose fixes all make it worse)
    one."""
    good, bad = 0, len(chosen)  # chosen[:good] is not worse (nothing is), chosen[:bad] is
    kept: _Trial | None = None

    def worse(size: int) -> bool:
        nonlocal kept
        trial = apply_edits(text, chosen[:size], unsafe)[0]
        result = lint(trial)
        if _worse(result, current):
            return True
        kept = _Trial(trial, chosen[:size], result)
        return False

    if bad > 1:
        good, bad = (0, 1) if worse(1) else (1, bad)
    while bad - good > 1:
        middle = (good + bad) // 2
        if worse(middle):
            bad = middle
        else:
            good = middle
    return kept, good, bad == 1


def _identity(d: Diagnostic) -> tuple[str, str, str]:
    """A finding across rounds, whose offsets move as other fixes land."""
    return (d.code, d.pointer, d.message)


def _errors(result: LintResult) -> int:
    return sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)


def _worse(after: LintResult, before: LintResult) -> bool:
    """Whether a fixed text is worse than the text it came from: it no longer parses, or
    it has more errors."""
    broken = any(d.code == "NXL001" for d in before.diagnostics)
    if not broken and any(d.code == "NXL001" for d in after.diagnostics):
        return True
    return _errors(after) > _errors(before)


def fix(
    text: str, filename: str = "nexlayer.yaml", config: Config | None = None, unsafe: bool = False
) -> tuple[str, list[Diagnostic]]:
    """The library face: ``(new_text, remaining_diagnostics)``."""
    result = fix_text(text, filename, config, unsafe)
    return result.text, result.remaining


@dataclass
class FileFix:
    """One file, fixed: what is left, the diff, the fixes by code, the bytes written (None
    when nothing was written) and the lint of the file as it was read (None if unknown)."""

    result: LintResult
    diff: str
    applied: Counter[str]
    written: bytes | None = None
    before: LintResult | None = None  # the lint of the bytes as they were read
    skipped: str | None = None  # why the fixes were not written: the file is as it was


class ReadOnlyFile(PermissionError):
    """A file that --fix must not rewrite."""


class NotRewritten(Exception):
    """A file --fix leaves as it is, and why: not an error, its findings are still
    reported."""


LINKED = "a symbolic link; --fix does not write through links (name the file it leads to)"
CHANGED = "it changed after nexlint read it; run --fix again"


def fix_file(
    path: str, data: bytes, config: Config | None = None, unsafe: bool = False, write: bool = True
) -> FileFix:
    """Fix one file whose bytes were read (at most MAX_FILE_BYTES; more is linted, not
    fixed): the diff of what changes and, with ``write``, the file rewritten (see
    `write_atomic`). A symbolic link, or a file that changed since ``data`` was read, is
    not rewritten: the result is then the lint of ``data`` and ``skipped`` says why. A
    read-only file is not rewritten either (ReadOnlyFile). OSError propagates; the file then
    is as it was."""
    text = decode(data) if len(data) <= MAX_FILE_BYTES else None
    if text is None or isinstance(text, DecodeProblem):
        linted = lint_data(data, path, config)
        return FileFix(linted, "", Counter(), before=linted)
    fixed = fix_text(text, path, config, unsafe)
    if not fixed.changed:
        return FileFix(fixed.result, "", fixed.applied, before=fixed.before)
    diff = fixed.diff(path)
    if not write:
        return FileFix(fixed.result, diff, fixed.applied, before=fixed.before)
    bom = UTF8_BOM if data.startswith(UTF8_BOM) else b""
    written = bom + fixed.text.encode("utf-8")
    try:
        write_atomic(path, written, expected=data)
    except NotRewritten as exc:
        before = fixed.before or fixed.result
        return FileFix(before, "", Counter(), before=before, skipped=str(exc))
    return FileFix(fixed.result, diff, fixed.applied, written, fixed.before)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
DIFF_NOTE = "# nexlint: secret values are shown as ****; `--fix` applies the change\n"


def unified_diff(
    name: str,
    before: str,
    after: str,
    before_masks: Sequence[tuple[int, int]] = (),
    after_masks: Sequence[tuple[int, int]] = (),
    rounds: Sequence[tuple[str, Sequence[Edit]]] = (),
) -> str:
    """The change as `diff -u` shows it, with a/ and b/ prefixes as git does. Lines are
    compared as written; they are shown with secrets masked and unsafe characters escaped.
    ``rounds`` -- the fixes that led from ``before`` to ``after``, as FixResult keeps them --
    say which lines changed, so no line is compared with every other (a general diff is
    quadratic in the worst case); without them, the lines between the common start and the
    common end are one change."""
    old, new = _LINE.findall(before), _LINE.findall(after)
    old_shown, old_masked = _shown_lines(before, old, before_masks)
    new_shown, new_masked = _shown_lines(after, new, after_masks)
    out: list[str] = []
    masked = False
    for group in _Aligned(_opcodes(old, new, before, after, rounds)).get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(" " + old_shown[i] for i in range(i1, i2))
                masked = masked or any(old_masked[i1:i2])
                continue
            if tag in ("replace", "delete"):
                out.extend("-" + old_shown[i] for i in range(i1, i2))
                masked = masked or any(old_masked[i1:i2])
            if tag in ("replace", "insert"):
                out.extend("+" + new_shown[j] for j in range(j1, j2))
                masked = masked or any(new_masked[j1:j2])
    if not out:
        return ""
    header = f"--- a/{escape(name)}\n+++ b/{escape(name)}\n"
    return (DIFF_NOTE if masked else "") + header + "".join(out)


Tag = Literal["replace", "delete", "insert", "equal"]
Opcode = tuple[Tag, int, int, int, int]  # as difflib's: tag, old lines i1:i2, new lines j1:j2


class _Aligned(difflib.SequenceMatcher[str]):
    """difflib's grouping of changes into hunks with context, over an alignment already
    known (get_grouped_opcodes reads only get_opcodes)."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self.known = opcodes

    def get_opcodes(self) -> list[Opcode]:
        return self.known


def _opcodes(
    old: list[str],
    new: list[str],
    before: str,
    after: str,
    rounds: Sequence[tuple[str, Sequence[Edit]]],
) -> list[Opcode]:
    """Which lines of ``new`` are lines of ``old``, untouched, as difflib's opcodes."""
    origins = _carried(old, rounds, after) if rounds and rounds[0][0] == before else None
    if origins is None or len(origins) != len(new):
        origins = _around(old, new)
    codes: list[Opcode] = []
    i = j = 0
    matches = [(o, n) for n, o in enumerate(origins) if o is not None]
    for o, n in [*matches, (len(old), len(new))]:
        if i < o or j < n:
            tag: Tag = "replace" if i < o and j < n else "delete" if i < o else "insert"
            codes.append((tag, i, o, j, n))
        if n < len(new):
            if codes and codes[-1][0] == "equal" and codes[-1][2] == o:
                codes[-1] = ("equal", codes[-1][1], o + 1, codes[-1][3], n + 1)
            else:
                codes.append(("equal", o, o + 1, n, n + 1))
        i, j = o + 1, n + 1
    return codes


def _common_ends(old: Sequence[str], new: Sequence[str]) -> tuple[int, int]:
    """How many lines the two share at their start, and then at their end."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def _around(old: list[str], new: list[str]) -> list[int | None]:
    """The lines the two texts share at their start and at their end."""
    start, end = _common_ends(old, new)
    shift = len(old) - len(new)
    return [n if n < start else n + shift if n >= len(new) - end else None for n in range(len(new))]


def _carried(
    old: list[str], rounds: Sequence[tuple[str, Sequence[Edit]]], after: str
) -> list[int | None] | None:
    """For each line of ``after``, the line of ``old`` (the first round's text) it is,
    untouched by every round's edits; None for a line the edits wrote. None when the rounds
    do not lead to ``after``."""
    origins: list[int | None] = list(range(len(old)))
    for index, (text, edits) in enumerate(rounds):
        following = rounds[index + 1][0] if index + 1 < len(rounds) else after
        carried = _carry(text, sorted(edits, key=lambda e: (e.start, e.end)), following)
        if carried is None:
            return None
        origins = [origins[o] if o is not None else None for o in carried]
    return origins


def _carry(text: str, edits: list[Edit], result: str) -> list[int | None] | None:
    """For each line of ``result`` (``text`` with ``edits`` made), the line of ``text`` it
    is, untouched; None for a line the edits wrote. The lines an edit touches are compared
    with what they became from their start and from their end. None when ``result`` is not
    what the edits make."""
    lines, made = _LINE.findall(text), _LINE.findall(result)
    if not lines:
        return [None] * len(made)
    starts = list(itertools.accumulate((len(line) for line in lines), initial=0))
    carried: list[int | None] = []
    line = shift = 0  # the next line of text to carry; how much longer result is so far
    for first, last, delta in _touched(edits, starts):
        carried.extend(range(line, first))  # untouched lines stay, in order
        was = lines[first : last + 1]
        became = _LINE.findall(result[starts[first] + shift : starts[last + 1] + shift + delta])
        same, tail = _common_ends(was, became)
        carried.extend(range(first, first + same))
        carried.extend([None] * (len(became) - same - tail))
        carried.extend(range(last + 1 - tail, last + 1))
        line, shift = last + 1, shift + delta
    carried.extend(range(line, len(lines)))
    if len(carried) != len(made) or any(
        o is not None and lines[o] != made[n] for n, o in enumerate(carried)
    ):
        return None
    return carried


def _touched(edits: list[Edit], starts: list[int]) -> Iterator[tuple[int, int, int]]:
    """The runs of lines ``edits`` (sorted, disjoint) touch, each as (first line, last
    line, how much longer the edits in it make the text), in order; runs that share a line
    are one."""
    last_line = len(starts) - 2  # starts holds the end of the text too
    run: list[int] | None = None
    for edit in edits:
        first = min(bisect.bisect_right(starts, edit.start) - 1, last_line)
        last = min(bisect.bisect_right(starts, edit.end) - 1, last_line)
        delta = len(edit.text) - (edit.end - edit.start)
        if run is not None and first <= run[1]:
            run[1] = max(run[1], last)
            run[2] += delta
            continue
        if run is not None:
            yield run[0], run[1], run[2]
        run = [first, last, delta]
    if run is not None:
        yield run[0], run[1], run[2]


def _shown_lines(
    text: str, lines: list[str], masks: Sequence[tuple[int, int]]
) -> tuple[list[str], list[bool]]:
    shown: list[str] = []
    masked: list[bool] = []
    start = 0
    for line in lines:
        body = line.rstrip("\r\n")
        end = start + len(body)
        visible = mask(text, start, end, masks) if masks else body
        masked.append(visible != body)
        ending = "\n" if len(body) < len(line) else "\n\\ No newline at end of file\n"
        shown.append(escape(visible) + ending)
        start += len(line)
    return shown, masked


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def write_atomic(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Replace the contents of the file ``path`` names with ``data``: written to a temporary
    file beside it, given the file's owner, group, mode and extended attributes (ACLs among
    them), then renamed over it, so readers see the old file or the new one, never half of
    one. Where the rename would lose something -- a hard link (the other names would keep
    the old text), an owner or group the process may not give, an attribute it may not set,
    a folder it may not write -- the file is rewritten in place instead (same inode).

    Raises NotRewritten for a symbolic link (it is never written through) or, with
    ``expected``, for a file whose bytes are no longer those: an edit made meanwhile is never
    lost. Raises ReadOnlyFile for a file without write permission."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if expected is None:
            raise
        raise NotRewritten(CHANGED) from None  # removed, or renamed away, meanwhile
    if stat.S_ISLNK(info.st_mode) or is_link(path):
        raise NotRewritten(LINKED)
    if not stat.S_ISREG(info.st_mode):
        raise NotRewritten("not a regular file")
    if not os.access(path, os.W_OK) or not info.st_mode & 0o222:
        raise ReadOnlyFile(errno.EACCES, "the file is read-only", path)
    if info.st_nlink > 1 or not _replace(path, data, expected, info):
        _rewrite_in_place(path, data, expected)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # Windows has none; lstat said it is no link
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _open(path: str, flags: int) -> int:
    """Open the file ``path`` names, never through a link and never blocking (a FIFO put in
    its place meanwhile): NotRewritten when it is no longer a regular file."""
    try:
        handle = os.open(path, flags | _NOFOLLOW | _NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRewritten(LINKED) from None
        raise
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise NotRewritten(CHANGED)
    return handle


def _replace(path: str, data: bytes, expected: bytes | None, info: os.stat_result) -> bool:
    """Write ``data`` beside ``path`` and rename it over; False, with nothing changed, where
    the new file could not be made the same as the old one in all but its bytes."""
    folder, name = os.path.split(path)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=folder or ".", prefix=f".{name}.", suffix=".nexlint"
        )
    except PermissionError:
        return False  # a folder the process may not write, holding a file it may
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if not _same_owner(out.fileno(), info) or not _copy_attributes(path, temporary):
                Path(temporary).unlink()
                return False
            os.chmod(temporary, stat.S_IMODE(info.st_mode))  # after chown, which clears setuid
            os.fsync(out.fileno())
        _still(path, expected, info)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _same_owner(handle: int, info: os.stat_result) -> bool:
    """Give the new file the old one's owner and group; False where the process may not."""
    if not hasattr(os, "fchown"):
        return True  # Windows: no owners to keep
    try:
        os.fchown(handle, info.st_uid, info.st_gid)
    except OSError:
        return False
    return True


def _copy_attributes(source: str, target: str) -> bool:
    """Make ``target``'s extended attributes exactly ``source``'s; False where one cannot be
    read or set (a namespace the process may not write)."""
    if not hasattr(os, "listxattr"):
        return True  # only Linux exposes them to Python
    try:
        names = os.listxattr(source, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        names = []  # a filesystem without attributes: none to keep
    try:
        wanted = {key: os.getxattr(source, key, follow_symlinks=False) for key in names}
        for key in os.listxattr(target):
            if key not in wanted:  # a default ACL the folder gave the new file
                os.removexattr(target, key)
        for key, value in wanted.items():
            os.setxattr(target, key, value)
    except OSError:
        return False
    return True


def _still(path: str, expected: bytes | None, info: os.stat_result) -> None:
    """Raise NotRewritten unless ``path`` is still the file ``info`` describes, holding
    ``expected``."""
    if expected is None:
        return
    try:
        handle = _open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise NotRewritten(CHANGED) from None
    with os.fdopen(handle, "rb") as current:
        now = os.fstat(current.fileno())
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
            raise NotRewritten(CHANGED)
        if current.read(len(expected) + 1) != expected:
            raise NotRewritten(CHANGED)


def _rewrite_in_place(path: str, data: bytes, expected: bytes | None) -> None:
    """Overwrite the file's bytes through one descriptor, after checking on it that they
    are still ``expected``: the inode, and so its other names, owner, group, mode and
    attributes, stay."""
    handle = _open(path, os.O_RDWR)
    with os.fdopen(handle, "r+b") as file:
        if expected is not None and file.read(len(expected) + 1) != expected:
            raise NotRewritten(CHANGED)
        file.seek(0)
        file.write(data)
        file.truncate()
        file.flush()
        os.fsync(file.fileno())


def _first(fix: Fix | None) -> int:
    return min((e.start for e in fix.edits), default=0) if fix else 0


def _overlaps(a: Edit, b: Edit) -> bool:
    """Half-open ranges overlap; an insertion conflicts only strictly inside another range,
    or with another insertion at the same place (their order would be a guess)."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    return a.start < b.end and b.start < a.end
