"""Configuration: ``[tool.nexlint]`` in pyproject.toml, ``nexlint.toml`` or ``.nexlint.toml``,
the nearest one walking up from the working directory (ruff's rule) to the repository root.
A config file names plugins, which run as the user, so only one the user (or root) owns and
no one else may write is read (git's ``safe.directory`` rule)."""

from __future__ import annotations

import fnmatch
import os
import stat
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from nexlint.diagnostics import Severity
from nexlint.display import clip

if TYPE_CHECKING:
    from nexlint.result import LintResult

CONFIG_FILES = (".nexlint.toml", "nexlint.toml", "pyproject.toml")
KEYS = (
    "select",
    "ignore",
    "extend-select",
    "fail-on",
    "exclude",
    "severity",
    "per-file-ignores",
    "schema",
    "plugins",
    "plugin-timeout",
    "max-diagnostics",
)
DEFAULT_PLUGIN_TIMEOUT = 10.0  # seconds the plugin rules may take over one file
DEFAULT_MAX_DIAGNOSTICS = 1000


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """What to check and how strictly. Codes and prefixes (``NXL2``) select rules; ``ALL``
    selects every rule."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    exclude: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    schema: str | None = None
    plugins: tuple[str, ...] = ()
    plugin_timeout: float = DEFAULT_PLUGIN_TIMEOUT
    # at most this many diagnostics a file, the most severe (limits.py); None: all of them
    max_diagnostics: int | None = DEFAULT_MAX_DIAGNOSTICS
    root: str | None = None  # directory of the file it came from: patterns are relative to it
    source: str | None = None  # the file it came from

    def enabled(self, code: str, filename: str | None = None) -> bool:
        chosen = _matches(code, self.select) or _matches(code, self.extend_select)
        if not chosen or _matches(code, self.ignore):
            return False
        if filename is not None and self.per_file_ignores:
            relative = self.relative(filename)
            for pattern, codes in self.per_file_ignores.items():
                if path_matches(relative, pattern) and _matches(code, codes):
                    return False
        return True

    def fails(self, results: Iterable[LintResult]) -> bool:
        """Whether any finding is at or above ``fail_on`` (the exit status is then 1)."""
        return any(d.severity.rank >= self.fail_on.rank for r in results for d in r.diagnostics)

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def excluded(self, filename: str) -> bool:
        relative = self.relative(filename)
        return any(path_matches(relative, pattern) for pattern in self.exclude)

    def relative(self, filename: str) -> str:
        path = Path(filename)
        base = Path(self.root) if self.root else Path.cwd()
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError):
            return PurePath(filename).as_posix()

    def selectors(self) -> Iterable[str]:
        yield from self.select
        yield from self.ignore
        yield from self.extend_select
        yield from self.severity
        for codes in self.per_file_ignores.values():
            yield from codes

    def merged(self, **changes: Any) -> Config:
        return replace(self, **changes)


def _matches(code: str, selectors: Iterable[str]) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def path_matches(relative: str, pattern: str) -> bool:
    """A glob against the path relative to the config, its name, or a folder above it."""
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, pattern + "/*"):
        return True
    name = PurePath(relative).name
    return "/" not in pattern and (
        fnmatch.fnmatchcase(name, pattern)
        or any(fnmatch.fnmatchcase(part, pattern) for part in PurePath(relative).parts[:-1])
    )


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest config file from ``start`` (default: the working directory) upwards, up
    to the repository root: the first folder that holds ``.git`` (a folder, or a file in a
    worktree or submodule); without one, up to the filesystem root. A pyproject.toml counts
    only when it has a ``[tool.nexlint]`` table."""
    directory = Path(start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_table(candidate):
                return candidate
        if os.path.lexists(folder / ".git"):
            return None  # a config above the repository belongs to someone else's tree
    return None


def _has_table(path: Path) -> bool:
    """Whether a pyproject.toml configures nexlint. One that cannot be read is an error, as
    ruff makes it: skipping it would silently drop the user's settings."""
    tool = _read_toml(path).get("tool")
    return isinstance(tool, dict) and "nexlint" in tool


MAX_CONFIG_BYTES = 1024 * 1024


def _read_toml(path: Path, trusted: bool = False) -> dict[str, Any]:
    """The TOML table of ``path``; with ``trusted``, only from a file the user may trust
    (checked on the file opened, so it cannot be swapped between the check and the read)."""
    try:
        if not path.is_file():
            raise ConfigError(f"{path}: not a file")
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            why = distrust(info) if trusted else None
            if why is not None:
                raise ConfigError(f"{path} {why}")
            data = handle.read(MAX_CONFIG_BYTES + 1)
            if len(data) > MAX_CONFIG_BYTES:
                raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 1024} KiB; not read")
            return tomllib.loads(data.decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


_REFUSED = "; nexlint does not read it, as its plugins would run code as you"


def distrust(info: os.stat_result) -> str | None:
    """Why a config file with this status must not be read, or None. Its owner must be the
    user running nexlint or root, and no one else may write it: not every user, and not a
    group other than the user's own (with umask 002 every file is group-writable, which is
    harmless only when the group is the user's private one). Windows has no such owners and
    modes, so nothing is refused there."""
    if not hasattr(os, "geteuid"):
        return None
    me = os.geteuid()
    if info.st_uid not in (me, 0):
        return (
            f"is owned by another user (uid {info.st_uid}), not by you or root"
            f"{_REFUSED} (move it, or use --no-config)"
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & stat.S_IWOTH:
        return (
            f"is writable by every user (mode {mode:04o}){_REFUSED} "
            "(chmod o-w it, or use --no-config)"
        )
    if mode & stat.S_IWGRP and info.st_gid != os.getegid():
        return (
            f"is writable by group {_group(info.st_gid)}, not your own group (mode {mode:04o})"
            f"{_REFUSED} (chmod g-w it, or use --no-config)"
        )
    return None


def _group(gid: int) -> str:
    try:
        import grp

        return f"{grp.getgrgid(gid).gr_name} (gid {gid})"
    except (ImportError, KeyError):
        return f"gid {gid}"


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read one config file. Raises ConfigError naming the file and the key at fault, or
    why the file is not to be trusted (see `distrust`)."""
    path = Path(path)
    data = _read_toml(path, trusted=True)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("nexlint", {}) if isinstance(tool, dict) else {}
        where = "[tool.nexlint]"
    else:
        table, where = data, "the file"
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.nexlint] must be a table")
    return from_mapping(table, source=str(path), where=where)


def from_mapping(
    table: Mapping[str, Any], source: str = "<config>", where: str = "the config"
) -> Config:
    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f'{source}: key "{key}" in {where}: {problem}')

    unknown = [k for k in table if k not in KEYS]
    if unknown:
        raise ConfigError(
            f'{source}: unknown key "{unknown[0]}" in {where}; known keys: ' + ", ".join(KEYS)
        )
    changes: dict[str, Any] = {"source": source, "root": str(Path(source).parent.resolve())}
    for key in ("select", "ignore", "extend-select", "exclude", "plugins"):
        if key in table:
            changes[key.replace("-", "_")] = _strings(
                table[key], fail(key, "must be a list of non-empty strings")
            )
    levels = 'use "error", "warning" or "info"'
    if "fail-on" in table:
        try:
            changes["fail_on"] = Severity.parse(_string(table["fail-on"], fail("fail-on", levels)))
        except ValueError:
            raise fail("fail-on", levels) from None
    if "schema" in table:
        schema = _string(table["schema"], fail("schema", "must be a path"))
        changes["schema"] = str((Path(source).parent / schema).resolve())
    if "plugin-timeout" in table:
        changes["plugin_timeout"] = _seconds(
            table["plugin-timeout"],
            fail("plugin-timeout", "must be a number of seconds, above 0 and at most 86400"),
        )
    if "max-diagnostics" in table:
        changes["max_diagnostics"] = max_diagnostics(
            table["max-diagnostics"], fail("max-diagnostics", "must be an integer, 1 or more")
        )
    if "severity" in table:
        value = table["severity"]
        if not isinstance(value, dict):
            raise fail("severity", 'must be a table like {NXL304 = "error"}')
        severities: dict[str, Severity] = {}
        for code, level in value.items():
            try:
                severities[code] = Severity.parse(_string(level, fail("severity", "")))
            except (ValueError, ConfigError):
                raise fail("severity", f"{code}: {levels}") from None
        changes["severity"] = severities
    if "per-file-ignores" in table:
        value = table["per-file-ignores"]
        if not isinstance(value, dict):
            raise fail("per-file-ignores", 'must be a table like {"staging/*" = ["NXL304"]}')
        changes["per_file_ignores"] = {
            pattern: _strings(
                codes, fail("per-file-ignores", f"{pattern}: must be a list of codes")
            )
            for pattern, codes in value.items()
        }
    return Config().merged(**changes)


def max_diagnostics(value: Any, error: ConfigError) -> int:
    """The per-file cap as a config writes it: an integer, 1 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise error
    return value


def _strings(value: Any, error: ConfigError) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise error  # an empty code would match every rule
    return tuple(v.strip() for v in value)


def _seconds(value: Any, error: ConfigError) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise error
    if not 0 < value <= 86400:  # also refuses nan and inf
        raise error
    return float(value)


def _string(value: Any, error: ConfigError) -> str:
    if not isinstance(value, str):
        raise error
    return value


def resolve_selectors(config: Config, names: Mapping[str, str]) -> Config:
    """The config with rule names (`image-latest-tag`) turned into their codes and codes
    upper-cased; every selector must name at least one rule. ``names`` maps each rule's name
    to its code."""
    codes = list(names.values())
    origin = config.source or "options"

    def one(selector: str) -> str:
        stripped = selector.strip()
        if not stripped:
            raise ConfigError(f"{origin}: an empty rule code would match every rule; remove it")
        if stripped.lower() in names:
            return names[stripped.lower()]
        code = stripped.upper()
        if code != "ALL" and not any(known.startswith(code) for known in codes):
            raise ConfigError(
                f'{origin}: "{clip(selector)}" matches no rule code (see `nexlint rules`)'
            )
        return code

    def many(selectors: Iterable[str]) -> tuple[str, ...]:
        return tuple(one(selector) for selector in selectors)

    return config.merged(
        select=many(config.select),
        ignore=many(config.ignore),
        extend_select=many(config.extend_select),
        severity={one(code): level for code, level in config.severity.items()},
        per_file_ignores={
            pattern: many(codes) for pattern, codes in config.per_file_ignores.items()
        },
    )
