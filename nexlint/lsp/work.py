"""Work the event loop must not do itself: linting and fixing in threads of their own, and
reading a file from disk only when it is a regular file.

The threads are daemons, started one per job: a job that runs past its budget is left to
finish on its own (Python cannot stop a thread), and neither it nor any other job can keep
the process alive after `exit`.
"""

from __future__ import annotations

import asyncio
import os
import stat
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from nexlint.source import FileData, read_stream

T = TypeVar("T")


def in_thread(job: Callable[[], T], name: str = "nexlint-lsp-job") -> asyncio.Future[T]:
    """Run ``job`` in a new daemon thread; its result, awaitable on the running loop.
    Cancelling the awaitable does not stop the job: pass it a flag for that."""
    done: Future[T] = Future()

    def run() -> None:
        if not done.set_running_or_notify_cancel():
            return
        try:
            done.set_result(job())
        except Exception as exc:  # handed to the awaiting side, which says what failed
            done.set_exception(exc)
        except BaseException as exc:  # SystemExit raised on the loop would end the server
            done.set_exception(RuntimeError(f"{type(exc).__name__} in {name}: {exc}"))

    threading.Thread(target=run, name=name, daemon=True).start()
    return asyncio.wrap_future(done)


def read_regular(path: str) -> FileData | None:
    """The bytes of ``path`` (at most MAX_FILE_BYTES of them, as the CLI reads), or None
    when it is not a regular file: a FIFO, a device, a folder or a symbolic link is never
    opened (opening a FIFO blocks; reading a device may never end)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):  # swapped since lstat
            return None
        try:
            return read_stream(handle, status.st_size)
        except OSError:
            return None
