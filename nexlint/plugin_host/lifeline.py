"""A child process that ends when its parent ends, however the parent ends (SIGKILL too):
nexlint's parallel workers and plugin hosts must never outlive the run that started them."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_INTERVAL = 0.5  # seconds between two looks at the parent, where the kernel cannot help


def die_with_parent(parent: int) -> None:
    """End this process when process ``parent`` -- the one that started it -- ends. On
    Linux the kernel sends SIGKILL (``PR_SET_PDEATHSIG``); elsewhere a daemon thread
    watches for the parent to change."""
    if sys.platform.startswith("linux") and _ask_the_kernel():
        # The parent may have died before the request was made: then nothing would come.
        if os.getppid() != parent:
            os._exit(1)
        return
    watcher = threading.Thread(target=_watch, args=(parent,), name="nexlint-lifeline")
    watcher.daemon = True
    watcher.start()


def _ask_the_kernel() -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        kill = ctypes.c_ulong(signal.SIGKILL)
        zero = ctypes.c_ulong(0)
        return int(libc.prctl(PR_SET_PDEATHSIG, kill, zero, zero, zero)) == 0
    except (OSError, AttributeError):  # no libc to ask: watch instead
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)
