"""What the editor may set for nexlint (its `nexlint` section of settings, or the
initialization options), and the configuration file that applies to each document."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from nexlint.config import Config, ConfigError, find_config, load_config
from nexlint.registry import configured

RUN_ON_TYPE, RUN_ON_SAVE = "onType", "onSave"
LINT_TIMEOUT = 10.0  # seconds a lint may take before the server stops waiting for it


@dataclass(frozen=True)
class ClientSettings:
    """`run`: lint as you type (`onType`, debounced) or when the file is saved (`onSave`);
    `fixAll`: offer `source.fixAll.nexlint`; `unsafeFixes`: let it apply unsafe fixes too;
    `lintTimeout`: seconds one lint of one file may take before nexlint gives up on it."""

    run: str = RUN_ON_TYPE
    fix_all: bool = True
    unsafe_fixes: bool = False
    lint_timeout: float = LINT_TIMEOUT
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def read(cls, value: Any) -> ClientSettings:
        """Settings from the client's JSON, keeping the defaults for what is missing or of
        the wrong type (each such key is named in ``problems``)."""
        if not isinstance(value, Mapping):
            return cls()
        if isinstance(value.get("nexlint"), Mapping):  # the whole settings object
            value = value["nexlint"]
        problems: list[str] = []
        run = value.get("run", RUN_ON_TYPE)
        if run not in (RUN_ON_TYPE, RUN_ON_SAVE):
            problems.append(f"nexlint.run must be {RUN_ON_TYPE} or {RUN_ON_SAVE}")
            run = RUN_ON_TYPE
        flags = {}
        for key, default in (("fixAll", True), ("unsafeFixes", False)):
            flag = value.get(key, default)
            if not isinstance(flag, bool):
                problems.append(f"nexlint.{key} must be true or false")
                flag = default
            flags[key] = flag
        timeout = value.get("lintTimeout", LINT_TIMEOUT)
        if (
            not isinstance(timeout, int | float)
            or isinstance(timeout, bool)
            or not math.isfinite(timeout)
            or timeout <= 0
        ):
            problems.append("nexlint.lintTimeout must be a number of seconds above 0")
            timeout = LINT_TIMEOUT
        return cls(run, flags["fixAll"], flags["unsafeFixes"], float(timeout), tuple(problems))


@dataclass(frozen=True)
class Found:
    """The configuration for one document, and the problem with its file, if any (the
    defaults are used then); ``untrusted`` names a config file whose plugins were left out
    because it lies outside the workspace."""

    config: Config
    problem: str | None = None
    untrusted: str | None = None


class Configurations:
    """The nearest `pyproject.toml`/`nexlint.toml` for each document's folder, found as the
    CLI finds it and read again when that file changes (its size or time), or is created.

    Its `plugins` are imported only when the file lies inside a workspace folder: opening a
    file from elsewhere (a download, a shared temporary folder) must not run the code a
    config beside it names. Its other settings apply wherever it is."""

    def __init__(self) -> None:
        self._read: dict[tuple[str, int, int], Found] = {}
        self._workspace: tuple[Path, ...] = ()

    def forget(self) -> None:
        self._read.clear()

    def trust(self, folders: Iterable[str]) -> None:
        """The workspace folders, whose config files may load plugins (none: no plugins)."""
        self._workspace = tuple(Path(folder).resolve() for folder in folders)
        self.forget()

    def trusted(self, path: str) -> bool:
        """Whether the config file ``path`` (links followed) lies inside the workspace."""
        real = Path(path).resolve()
        return any(real.is_relative_to(folder) for folder in self._workspace)

    def for_file(self, path: str | None) -> Found:
        folder = Path(path).parent if path else Path.cwd()
        try:
            found = find_config(folder)
            if found is None:
                return self._load(None)
            stat = found.stat()
            return self._load((str(found), stat.st_mtime_ns, stat.st_size))
        except (ConfigError, OSError) as exc:
            return Found(configured(Config()), str(exc))

    def _load(self, stamp: tuple[str, int, int] | None) -> Found:
        key = stamp or ("", 0, 0)
        if key not in self._read:
            try:
                config = load_config(stamp[0]) if stamp else Config()
                untrusted = None
                if stamp and config.plugins and not self.trusted(stamp[0]):
                    config, untrusted = replace(config, plugins=()), stamp[0]
                self._read[key] = Found(configured(config), untrusted=untrusted)
            except Exception as exc:  # a bad file, a plugin that does not load
                self._read[key] = Found(configured(Config()), f"{type(exc).__name__}: {exc}")
        return self._read[key]


def path_of(uri: str) -> str | None:
    """The file a `file:` URI names; None for other schemes (an unsaved buffer)."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":
        path = path[1:]
    return path
