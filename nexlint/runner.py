"""Every way in goes through here: files and standard input, linting and fixing (and
--diff), from the cache first, the rest spread over processes when there are enough of them
to pay for it. Results come back in the order the files were given."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, TypeVar

from nexlint.config import Config
from nexlint.result import LintResult
from nexlint.source import FileData, read_file, read_stream

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from nexlint.cache import Cache
    from nexlint.fixes import FileFix

# Below this many files to lint, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 24

_WORKER_CONFIG: Config | None = None
Item = TypeVar("Item")
T = TypeVar("T")
FixItem = tuple[str, FileData, bool, bool]  # name, bytes, unsafe, write


class FileProblem(Exception):
    """A file that cannot be read or written: one line, naming it."""


@dataclass(frozen=True)
class Job:
    """What a run is asked to do."""

    files: Sequence[str]  # already discovered
    config: Config
    stdin: BinaryIO | None = None  # standard input, when '-' was given
    stdin_name: str = "<stdin>"
    jobs: int | None = None
    use_cache: bool = True
    fix: bool = False  # apply the fixes (files are rewritten, standard input is printed)
    diff: bool = False  # work the fixes out, but only as a diff: nothing is written
    unsafe: bool = False


@dataclass
class Outcome:
    """What a run found: one result a file (standard input first), the diffs of --diff and
    --fix, the fixes applied by code, standard input's fixed text, and the files --fix left
    as they were, with why."""

    results: list[LintResult] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    applied: Counter[str] = field(default_factory=Counter)
    fixed_stdin: str | None = None
    not_fixed: list[tuple[str, str]] = field(default_factory=list)


def default_jobs() -> int:
    return os.cpu_count() or 1


def run(job: Job) -> Outcome:
    outcome = Outcome()
    if job.stdin is not None:
        _standard_input(job, outcome)
    if job.fix or job.diff:
        for fixed in fix_files(job.files, job.config, job.jobs, job.use_cache, job.unsafe, job.fix):
            outcome.results.append(fixed.result)
            outcome.diffs.append(fixed.diff)
            outcome.applied.update(fixed.applied)
            if fixed.skipped is not None:
                outcome.not_fixed.append((fixed.result.file, fixed.skipped))
    else:
        outcome.results.extend(lint_files(job.files, job.config, job.jobs, job.use_cache))
    return outcome


def _standard_input(job: Job, outcome: Outcome) -> None:
    from nexlint.collector import tune
    from nexlint.engine import lint_read, prepare
    from nexlint.fixes import fix_text
    from nexlint.source import DecodeProblem, decode

    prepare(job.config)
    tune()

    data = read_stream(job.stdin) if job.stdin is not None else FileData(b"", 0)
    if not (job.fix or job.diff) or data.too_large:
        outcome.results.append(lint_read(data, job.stdin_name, job.config))
        return
    text = decode(data.content)
    if isinstance(text, DecodeProblem):
        raise FileProblem(f"{job.stdin_name}: {text.message}")
    fixed = fix_text(text, job.stdin_name, job.config, job.unsafe)
    outcome.results.append(fixed.result)
    outcome.diffs.append(fixed.diff(job.stdin_name) if fixed.changed else "")
    outcome.applied.update(fixed.applied)
    if job.fix:
        outcome.fixed_stdin = fixed.text


# -- files -------------------------------------------------------------------------------------


def lint_files(
    names: Sequence[str], config: Config, jobs: int | None = None, use_cache: bool = True
) -> list[LintResult]:
    """Lint files by name. A file that cannot be read is a FileProblem."""
    cache = _cache(config, use_cache)
    results: list[LintResult | None] = [None] * len(names)
    todo: list[tuple[int, str, FileData]] = []  # the misses
    for index, name in enumerate(names):
        data = _read(name)
        hit = cache.get(name, data.content) if cache and not data.too_large else None
        if hit is not None:
            results[index] = hit
        else:
            todo.append((index, name, data))
    done = _spread(_lint_work, [(name, data) for _, name, data in todo], config, jobs)
    for (index, name, data), result in zip(todo, done, strict=True):
        results[index] = result
        if cache is not None and not data.too_large:
            cache.put(name, data.content, result)
    if cache is not None:
        cache.flush()
    return [r for r in results if r is not None]


def fix_files(
    names: Sequence[str],
    config: Config,
    jobs: int | None = None,
    use_cache: bool = True,
    unsafe: bool = False,
    write: bool = True,
) -> list[FileFix]:
    """Fix files by name (``write``: rewrite them; else only the diffs). The cache spares
    the files it knows to have nothing to fix; the others are fixed over processes."""
    from nexlint.fixes import FileFix

    cache = _cache(config, use_cache)
    fixes: list[FileFix | None] = [None] * len(names)
    todo: list[tuple[int, str, FileData]] = []
    for index, name in enumerate(names):
        data = _read(name)
        hit = cache.get(name, data.content) if cache and not data.too_large else None
        # A cached fix may be masked (it holds a secret): it says a fix exists, not which.
        offered = hit is not None and any(
            d.fix is not None and (d.fix.safe or unsafe) for d in hit.diagnostics
        )
        if hit is not None and not offered:
            fixes[index] = FileFix(hit, "", Counter())
        else:
            todo.append((index, name, data))
    work: list[FixItem] = [(name, data, unsafe, write) for _, name, data in todo]
    for (index, name, data), fixed in zip(
        todo, _spread(_fix_work, work, config, jobs), strict=True
    ):
        fixes[index] = fixed
        if cache is None or data.too_large:
            continue
        # Only a lint of exactly these bytes goes under their key: what was written, or the
        # file as it was read -- never what a fix (--diff, or one not written) would make it.
        if fixed.written is not None:
            cache.put(name, fixed.written, fixed.result)
        elif fixed.before is not None:
            cache.put(name, data.content, fixed.before)
    if cache is not None:
        cache.flush()
    return [f for f in fixes if f is not None]


def _cache(config: Config, use: bool) -> Cache | None:
    """The result cache, unless it is off or cannot key this configuration."""
    if not use:
        return None
    from nexlint.cache import Cache

    cache = Cache(config)
    return cache if cache.usable else None


def _read(name: str) -> FileData:
    try:
        return read_file(name)
    except OSError as exc:
        raise FileProblem(f"cannot read {name}: {exc.strerror or exc}") from None


def _spread(
    work: Callable[[Item], T], items: Sequence[Item], config: Config, jobs: int | None
) -> list[T]:
    """``work`` on every item, in this process or over worker processes."""
    if not items:
        return []  # everything came from the cache: the engine is not even loaded
    from nexlint.collector import tune
    from nexlint.engine import prepare

    prepare(config)  # built once here, and inherited by forked workers
    tune()
    workers = min(jobs or default_jobs(), len(items))
    if workers <= 1 or len(items) < PARALLEL_THRESHOLD:
        _init(config, in_worker=False)
        return [work(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    chunk = max(1, len(items) // (workers * 4))
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init, initargs=(config, True, os.getpid())
    )
    # Chunks submitted one by one, not pool.map: map cancels what is left when one fails,
    # and a pool whose workers are then killed fails the cancelled futures again -- which
    # raises in its thread (CPython before 3.12).
    parts = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    try:
        futures = [pool.submit(_each, work, part) for part in parts]
        results = [result for future in futures for result in future.result()]
    except BaseException:
        # Ctrl-C, or a file that failed the run (a plugin that hung): the answer is known,
        # so the workers are not waited for -- each would finish its chunk first.
        _stop(pool)
        raise
    pool.shutdown()
    return results


def _each(work: Callable[[Item], T], part: Sequence[Item]) -> list[T]:
    return [work(item) for item in part]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down now, its workers (and so their plugin hosts) killed."""
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
    else:  # before 3.14, only the pool knows its processes (shutdown forgets them)
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            with contextlib.suppress(OSError, ValueError):  # already ended
                process.kill()
    pool.shutdown(wait=False)


def _init(config: Config, in_worker: bool = True, parent: int | None = None) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    if in_worker:
        # Ctrl-C is the parent's to handle: a worker that took it would print a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        # A parent killed outright (SIGKILL, the OOM killer) cannot shut its pool down.
        from nexlint.plugin_host.lifeline import die_with_parent

        die_with_parent(parent)


def _lint_work(item: tuple[str, FileData]) -> LintResult:
    from nexlint.engine import lint_read

    name, data = item
    return lint_read(data, name, _WORKER_CONFIG)


def _fix_work(item: FixItem) -> FileFix:
    from nexlint.engine import lint_read
    from nexlint.fixes import FileFix, fix_file

    name, data, unsafe, write = item
    if data.too_large:  # not read, so not fixed: the lint says why
        return FileFix(lint_read(data, name, _WORKER_CONFIG), "", Counter())
    try:
        return fix_file(name, data.content, _WORKER_CONFIG, unsafe, write)
    except OSError as exc:
        raise FileProblem(f"cannot fix {name}: {exc.strerror or exc}") from None
