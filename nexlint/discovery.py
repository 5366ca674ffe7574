"""Which files a run lints: nexlayer.yaml and its variants, found below the paths given."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
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


def discover(paths: Sequence[str], config: Config, force_exclude: bool = False) -> Iterator[str]:
    """Files to lint, in a stable order. A file named explicitly is always linted unless
    ``force_exclude`` and the config excludes it; found files obey ``exclude``."""
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in _walk(path, config):
                if found not in seen:
                    seen.add(found)
                    yield found
        elif path.exists():
            name = str(path)
            if force_exclude and config.excluded(name):
                continue
            if name not in seen:
                seen.add(name)
                yield name
        else:
            raise MissingPath(raw)


def _walk(root: Path, config: Config) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIP_DIRS
            and not (Path(folder, d, "pyvenv.cfg").exists())
            and not (config.exclude and config.excluded(os.path.join(folder, d)))
        )
        for name in sorted(files):
            if is_nexlayer_file(name):
                full = os.path.join(folder, name)
                if not config.excluded(full):
                    yield os.path.normpath(full)
