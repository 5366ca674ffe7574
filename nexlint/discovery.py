"""Which files a run lints: nexlayer.yaml and its variants, found below the paths given."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from nexlint.config import Config

FILE_PATTERNS = (
    "nexlayer.yaml",
    "nexlayer.yml",
    "nexlayer.*.yaml",
    "nexlayer.*.yml",
    "nexlayer-*.yaml",
    "nexlayer-*.yml",
)
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".nexlint_cache",
        "build",
        "dist",
        ".next",
        ".nuxt",
        ".svelte-kit",
        "target",
        ".terraform",
        ".eggs",
    }
)


class MissingPath(Exception):
    """A path named on the command line does not exist."""


def is_nexlayer_file(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in FILE_PATTERNS)


Skipped = Callable[[str, str, bool], None]  # path, why, whether it was named explicitly
Followed = Callable[[str, str], None]  # a link named on the command line, where it leads

LINK_MET = "a symbolic link (links met in folders are not followed; name it to lint it)"


def _ignore(path: str, why: str, explicit: bool) -> None:
    pass


def _unsaid(path: str, target: str) -> None:
    pass


def is_link(path: str | os.PathLike[str]) -> bool:
    """A symbolic link, or a Windows junction (a link to a folder that islink misses)."""
    junction = getattr(os.path, "isjunction", None)  # Python 3.12
    return os.path.islink(path) or (junction is not None and junction(path))


def discover(
    paths: Sequence[str],
    config: Config,
    force_exclude: bool = False,
    skipped: Skipped = _ignore,
    followed: Followed = _unsaid,
) -> Iterator[str]:
    """Files to lint, in a stable order. A file named explicitly is always linted unless
    ``force_exclude`` and the config excludes it; found files obey ``exclude``. Only regular
    files are read: a FIFO or a device named like a nexlayer.yaml would block or never end.
    Links met while walking are not followed, so a committed link cannot lead a run out of
    the tree (to /proc/self/environ, to a file it would fix); a link named on the command
    line is the user's choice and is followed. ``skipped`` hears of every file and folder
    left out, and why; ``followed`` of every link named and followed."""
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.exists() and is_link(path):
            followed(str(path), _target(path))
        if path.is_dir():
            for found in _walk(path, config, skipped):
                if found not in seen:
                    seen.add(found)
                    yield found
        elif path.exists():
            name = str(path)
            if force_exclude and config.excluded(name):
                skipped(name, "excluded by the configuration", True)
            elif not path.is_file():
                skipped(name, "not a regular file (a FIFO or a device is never read)", True)
            elif name not in seen:
                seen.add(name)
                yield name
        else:
            raise MissingPath(raw)


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:  # a junction on an old Python, or gone meanwhile
        return str(path.resolve())


def _walk(root: Path, config: Config, skipped: Skipped) -> Iterator[str]:
    # followlinks=False alone would still list a linked file, and pass a linked folder over
    # without a word; both are said and left out here.
    for folder, dirs, files in os.walk(root, followlinks=False):
        kept = []
        for d in sorted(dirs):
            full = os.path.normpath(os.path.join(folder, d))
            if d in SKIP_DIRS:
                skipped(full, "a tool, build or environment folder", False)
            elif is_link(full):
                skipped(full, LINK_MET, False)
            elif Path(full, "pyvenv.cfg").exists():
                skipped(full, "a tool, build or environment folder", False)
            elif config.exclude and config.excluded(full):
                skipped(full, "excluded by the configuration", False)
            else:
                kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if not is_nexlayer_file(name):
                continue
            full = os.path.normpath(os.path.join(folder, name))
            if config.excluded(full):
                skipped(full, "excluded by the configuration", False)
            elif is_link(full):
                skipped(full, LINK_MET, False)
            elif not os.path.isfile(full):
                skipped(full, "not a regular file (a FIFO or a device is never read)", False)
            else:
                yield full
