"""How pods name each other: `<name>.pod`, optionally `:port`."""

from __future__ import annotations

import re

# `<name>.pod`, optionally `:port`, not part of a longer host name (`a.pod.example.com`).
POD_REFERENCE = re.compile(
    r"(?<![\w.\-])(?P<host>(?P<name>[A-Za-z0-9][A-Za-z0-9_\-]*)\.pod)(?::(?P<port>[0-9]{1,6}))?"
    r"(?![\w\-]|\.[A-Za-z0-9])"
)


def names_list(names: list[str], limit: int = 8) -> str:
    """`web, api, db`, or the first ``limit`` and how many more."""
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
