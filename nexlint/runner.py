"""Linting many files: the cache first, then the misses, spread over processes when there
are enough of them to pay for it. Results come back in the order the files were given."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence

from nexlint.config import Config
from nexlint.result import LintResult
from nexlint.source import MAX_FILE_BYTES

# Below this many files to lint, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 24

_WORKER_CONFIG: Config | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def lint_files(
    names: Sequence[str], config: Config, jobs: int | None = None, use_cache: bool = True
) -> list[LintResult]:
    """Lint files by name. OSError (a file that cannot be read) propagates."""
    cache = None
    if use_cache:
        from nexlint.cache import Cache

        cache = Cache(config)
    results: list[LintResult | None] = [None] * len(names)
    todo: list[tuple[int, str, bytes]] = []  # the misses
    for index, name in enumerate(names):
        data = _read(name)
        hit = cache.get(name, data) if cache and data is not None else None
        if hit is not None:
            results[index] = hit
        elif data is None:  # over the size cap: the engine says so, from the file's size
            from nexlint.engine import lint_path

            results[index] = lint_path(name, config)
        else:
            todo.append((index, name, data))
    for (index, name, data), result in zip(todo, _lint_all(todo, config, jobs), strict=True):
        results[index] = result
        if cache is not None:
            cache.put(name, data, result)
    if cache is not None:
        cache.flush()
    return [r for r in results if r is not None]


def _read(name: str) -> bytes | None:
    with open(name, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    return None if len(data) > MAX_FILE_BYTES else data


def _lint_all(
    todo: list[tuple[int, str, bytes]], config: Config, jobs: int | None
) -> list[LintResult]:
    if not todo:
        return []  # everything came from the cache: the engine is not even loaded
    from nexlint.engine import lint_data, prepare

    prepare(config)  # built once here, and inherited by forked workers
    workers = min(jobs or default_jobs(), len(todo))
    if workers <= 1 or len(todo) < PARALLEL_THRESHOLD:
        return [lint_data(data, name, config) for _, name, data in todo]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    chunk = max(1, len(todo) // (workers * 4))
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(config,))
    try:
        results = list(pool.map(_work, [(name, data) for _, name, data in todo], chunksize=chunk))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: do not wait for the rest
        raise
    pool.shutdown()
    return results


def _init(config: Config) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    # Ctrl-C is the parent's to handle: a worker that took it would print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(item: tuple[str, bytes]) -> LintResult:
    from nexlint.engine import lint_data

    name, data = item
    return lint_data(data, name, _WORKER_CONFIG)
