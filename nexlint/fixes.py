"""Fixes: text edits on the original text, so every byte they do not touch stays as it was
(comments, quoting, indentation, blank lines, key order)."""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nexlint.config import Config
from nexlint.diagnostics import Diagnostic, Edit, Fix, Severity
from nexlint.discovery import is_link
from nexlint.display import escape
from nexlint.engine import lint_data, lint_text
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
        return unified_diff(name, before.text, self.text, before.masks, self.result.masks)


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
    text: str,
    filename: str = "nexlayer.yaml",
    config: Config | None = None,
    unsafe: bool = False,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> FixResult:
    """Apply fixes until none is left, re-linting after each round. A fix never makes the
    file worse: a round that would break the YAML or add an error is taken apart, and a fix
    that does so on its own is left out."""
    applied: Counter[str] = Counter()
    before = current = lint_text(text, filename, config)
    rejected: set[tuple[str, str, str]] = set()
    rounds: list[tuple[str, tuple[Edit, ...]]] = []
    for _ in range(MAX_ROUNDS):
        if cancelled is not None and cancelled():  # the editor no longer wants the answer
            break
        offered = [d for d in current.diagnostics if _identity(d) not in rejected]
        candidate, chosen = apply_edits(text, offered, unsafe)
        if not chosen or candidate == text:
            break
        result = lint_text(candidate, filename, config)
        if _worse(result, current):
            # Try each fix of the round alone: one that makes the file worse is dropped for
            # good; the first good one is taken (the others' offsets refer to this text).
            taken: tuple[str, Diagnostic, LintResult] | None = None
            for d in chosen:
                single, _ = apply_edits(text, [d], unsafe)
                trial = lint_text(single, filename, config)
                if _worse(trial, current):
                    rejected.add(_identity(d))
                elif taken is None:
                    taken = (single, d, trial)
            if taken is None:
                continue  # the next round offers what waited behind the rejected fixes
            candidate, chosen, result = taken[0], [taken[1]], taken[2]
        applied.update(d.code for d in chosen)
        rounds.append((text, tuple(e for d in chosen if d.fix for e in d.fix.edits)))
        text, current = candidate, result
    return FixResult(text, current, applied, before, rounds)


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
) -> str:
    """The change as `diff -u` shows it, with a/ and b/ prefixes as git does. Lines are
    compared as written; they are shown with secrets masked and unsafe characters escaped."""
    old, new = _LINE.findall(before), _LINE.findall(after)
    old_shown, old_masked = _shown_lines(before, old, before_masks)
    new_shown, new_masked = _shown_lines(after, new, after_masks)
    out: list[str] = []
    masked = False
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
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
