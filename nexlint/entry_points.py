"""Entry points of installed distributions, read without importlib.metadata (which costs
more than a whole lint of a small file). Kept apart so that the cache can see which plugins
are installed without loading the rule machinery."""

from __future__ import annotations

import functools
import os
import sys

ENTRY_POINT_GROUP = "nexlint.rules"


@functools.cache  # the cache key and the registry both ask, once per process
def entry_points(group: str) -> tuple[tuple[str, str], ...]:
    """(name, value) of the entry points in ``group`` of the installed distributions.

    Reads the ``entry_points.txt`` of each ``*.dist-info`` / ``*.egg-info`` folder on
    ``sys.path`` directly: importing ``importlib.metadata`` costs more than a whole lint of
    a small file. Distributions that only a custom import hook can see are not found."""
    found: dict[tuple[str, str], None] = {}
    for folder in sys.path or ["."]:
        try:
            entries = list(os.scandir(folder or "."))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(entry.path, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            for name, value in _section(text, group):
                found.setdefault((name, value), None)
    return tuple(found)


def _section(text: str, group: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current == group and "=" in line:
            name, _, value = line.partition("=")
            items.append((name.strip(), value.strip()))
    return items
