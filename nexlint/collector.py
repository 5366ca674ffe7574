"""Python's garbage collector, set for a process that lints (the CLI, the language server).

A lint builds a tree and a view that stay alive until its end, and leaves few cycles to
collect; with the default thresholds the collector nevertheless runs a full collection every
time the heap grows by a quarter, each one walking every object of the file so far. At 10,000
pods those walks were a quarter of the run (8 collections, 1.6 s), and the reason 10,000 pods
cost more than ten times 1,000. So: what exists once everything is imported (modules, the
rule registry, the validator) is frozen out of every collection, and the young generation is
collected every 50,000 allocations instead of 700, the middle one every 20 of those. Cycles
are still collected -- a finished file's tree is gone by the next young collection -- and
forked workers inherit the frozen heap untouched, which keeps their pages shared.
"""

from __future__ import annotations

import gc

YOUNG = 50_000
MIDDLE = 20
OLD = 10


def tune() -> None:
    """Call once the long-lived objects exist (after the engine is prepared). Library code
    never calls this: the collector of a process that imports nexlint stays its own."""
    gc.freeze()
    gc.set_threshold(YOUNG, MIDDLE, OLD)
