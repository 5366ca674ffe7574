"""How pods name each other: `<name>.pod`, optionally `:port`."""

from __future__ import annotations

import re

from nexlint.view import POD_REFERENCE

__all__ = ["BARE_HOST", "POD_REFERENCE", "URL_HOST", "names_list"]


def names_list(names: list[str], limit: int = 8) -> str:
    """`web, api, db`, or the first ``limit`` and how many more."""
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# A URL's host (`http://api:8000`, `redis://user@cache:6379`), and a bare `host:port`; never
# one inside `${...}` (NXL212's) or part of a longer name (`api.example.com`). A rule keeps
# the matches whose host is a pod's name. The user info, once read, is never given back (the
# user of `postgres://app:pw@db.pod` is not a host). Each starts only where a run of its
# characters starts and never backtracks into it, so a long value is read once.
URL_HOST = re.compile(
    r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*+://(?>(?:[^\s/@]*+@)?)"
    r"(?P<host>[A-Za-z0-9][A-Za-z0-9\-]*+)(?=[:/?#\s]|$)"
)
BARE_HOST = re.compile(r"(?<![\w.\-/@:${])(?P<host>[A-Za-z0-9][A-Za-z0-9\-]*+):[0-9]{1,5}(?![\w.])")
