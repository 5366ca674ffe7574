"""A cache of results, as ruff keeps one: keyed by the file's bytes and name, the
configuration, the schema and nexlint's version, so a re-run over unchanged files costs little
more than start-up. A hit loads neither the parser nor the validator.

The cache lives in ``.nexlint_cache/`` (beside the config file, else in the working directory;
``NEXLINT_CACHE_DIR`` overrides). A broken or unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from nexlint._version import __version__
from nexlint.config import Config
from nexlint.diagnostics import CODE_PATTERN, Diagnostic, Edit, Fix, Severity
from nexlint.display import escape
from nexlint.entry_points import ENTRY_POINT_GROUP, entry_points
from nexlint.result import LintResult
from nexlint.source import DecodeProblem, LineIndex, decode

CACHE_NAME = ".nexlint_cache"


def cache_dir(config: Config) -> Path:
    override = os.environ.get("NEXLINT_CACHE_DIR")
    if override:
        return Path(override)
    return Path(config.root or os.getcwd()) / CACHE_NAME


def config_key(config: Config) -> str:
    """What can change a file's diagnostics: the configuration, the schema, and the code of
    every rule that may run (nexlint's own, entry-point plugins, the config's plugins)."""
    parts: list[Any] = [__version__]
    for item in fields(config):
        if item.name in ("fail_on", "exclude", "source", "root"):
            continue  # they decide what is reported or linted, not what a file contains
        value = getattr(config, item.name)
        if isinstance(value, dict):
            value = sorted((k, str(v)) for k, v in value.items())
        parts.append([item.name, str(value)])
    if config.schema:
        try:
            parts.append(hashlib.sha256(Path(config.schema).read_bytes()).hexdigest())
        except OSError:
            parts.append("unreadable")
    parts.append(sources_key(config))
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def sources_key(config: Config) -> list[Any]:
    """A digest of the source files of nexlint and of every plugin, found without importing
    them: editing a rule or installing a plugin changes the key. A plugin whose files cannot
    be found (a zip import, say) counts by name only."""
    roots: list[Path] = [Path(__file__).parent]
    for package in ("nexlint.rules", "nexlint.schemas"):  # beside nexlint/ in a checkout
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            roots.extend(Path(p) for p in spec.submodule_search_locations)
    named = [value.partition(":")[0].strip() for _, value in entry_points(ENTRY_POINT_GROUP)]
    named += list(config.plugins)
    unresolved: list[str] = []
    search = [config.root] if config.root else []
    for name in sorted(set(named) - {"nexlint.rules"}):
        found = module_files(name, [*search, *sys.path])
        if found:
            roots.extend(found)
        else:
            unresolved.append(name)
    files = sorted({f for root in roots for f in _source_files(root)})
    return [_digest(files), sorted(set(named)), unresolved]


def module_files(name: str, path: list[str]) -> list[Path]:
    """Where module ``name`` lives on ``path``: its file, or its package folder."""
    parts = name.split(".")
    for folder in path:
        base = Path(folder or ".").joinpath(*parts)
        if (base / "__init__.py").is_file():
            return [base]
        module = base.with_suffix(".py")
        if module.is_file():
            return [module]
    return []


def _source_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    found = [*root.rglob("*.py"), *root.rglob("*.json")]
    return [p for p in found if "__pycache__" not in p.parts]


def _digest(files: list[Path]) -> str:
    """Names, sizes and modification times: an edit changes them, and reading them costs
    far less than reading the files."""
    digest = hashlib.sha256()
    for file in files:
        try:
            info = file.stat()
            stamp = f"{info.st_size}:{info.st_mtime_ns}"
        except OSError:
            stamp = "unreadable"
        digest.update(f"{file}\0{stamp}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class Cache:
    """One JSON file per configuration: read once, written once (atomically) at the end of
    a run, merged with what another run may have written meanwhile."""

    MAX_ENTRIES = 20_000  # past this, only the entries of the latest run are kept

    def __init__(self, config: Config) -> None:
        self.root = cache_dir(config) / __version__
        self.salt = config_key(config)
        self.path = self.root / f"{self.salt[:32]}.json"
        self._entries: dict[str, Any] | None = None
        self._new: dict[str, Any] = {}

    def key(self, name: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _load(self) -> dict[str, Any]:
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            return loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            return {}

    def get(self, name: str, data: bytes) -> LintResult | None:
        """The cached result for these bytes under this name, if there is a sound one.
        Every entry is checked as it is read: one of the wrong shape, or inconsistent with
        the file, is a miss."""
        if self._entries is None:
            self._entries = self._load()
        raw = self._entries.get(self.key(name, data))
        if raw is None:
            return None
        decoded = decode(data)
        text = decoded.text if isinstance(decoded, DecodeProblem) else decoded
        try:
            return _result(raw, name, text)
        except _Invalid:
            return None

    def put(self, name: str, data: bytes, result: LintResult) -> None:
        self._new[self.key(name, data)] = {
            "diagnostics": [d.to_dict() for d in result.diagnostics],
            "masks": [list(m) for m in result.masks],
        }

    def flush(self) -> None:
        if not self._new:
            return
        entries = self._load()
        if len(entries) + len(self._new) > self.MAX_ENTRIES:
            entries = {}
        entries.update(self._new)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            marker = self.root.parent / ".gitignore"
            if not marker.exists():
                marker.write_text("# Automatically created by nexlint.\n*\n")
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(entries, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only tree still lints; it only is not cached
        self._new = {}


class _Invalid(Exception):
    """A cache entry that cannot be trusted."""


def _require(condition: bool) -> None:
    if not condition:
        raise _Invalid


def _int(value: Any, low: int, high: int) -> int:
    _require(type(value) is int and low <= value <= high)
    result: int = value
    return result


def _str(value: Any, optional: bool = False) -> Any:
    _require(
        (optional and value is None)
        or (isinstance(value, str) and escape(value) == value)  # nothing for a terminal
    )
    return value


def _result(raw: Any, name: str, text: str) -> LintResult:
    _require(isinstance(raw, dict) and set(raw) == {"diagnostics", "masks"})
    _require(isinstance(raw["masks"], list) and isinstance(raw["diagnostics"], list))
    masks: list[tuple[int, int]] = []
    for item in raw["masks"]:
        _require(isinstance(item, list) and len(item) == 2)
        low = masks[-1][1] if masks else 0
        start = _int(item[0], low, len(text))
        masks.append((start, _int(item[1], start + 1, len(text))))
    lines = LineIndex(text)
    diagnostics = [_diagnostic(item, name, text, lines) for item in raw["diagnostics"]]
    return LintResult(name, text, diagnostics, tuple(masks))


def _diagnostic(item: Any, name: str, text: str, lines: LineIndex) -> Diagnostic:
    _require(isinstance(item, dict) and set(item) == _DIAGNOSTIC_KEYS)
    _require(item["file"] == name and CODE_PATTERN.match(_str(item["code"])) is not None)
    last = lines.line_count
    line, end_line = _int(item["line"], 1, last), _int(item["end_line"], 1, last)
    column, end_column = (
        _int(item["column"], 1, len(text) + 1),
        _int(item["end_column"], 1, len(text) + 1),
    )
    _require((line, column) <= (end_line, end_column))
    for at in ((line, column), (end_line, end_column)):  # the column is on its line
        _require(lines.position(lines.offset(*at)) == at)
    _require(item["severity"] in _LEVELS)
    fix = item["fix"]
    return Diagnostic(
        code=item["code"],
        name=_str(item["name"]),
        severity=Severity(item["severity"]),
        message=_str(item["message"]),
        file=name,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        pointer=_str(item["pointer"]),
        help=_str(item["help"], optional=True),
        url=_str(item["url"]),
        fix=None if fix is None else _fix(fix, len(text)),
    )


def _fix(raw: Any, size: int) -> Fix:
    _require(isinstance(raw, dict) and set(raw) == {"message", "safe", "edits"})
    _require(isinstance(raw["safe"], bool) and isinstance(raw["edits"], list))
    edits = []
    for edit in raw["edits"]:
        _require(isinstance(edit, dict) and set(edit) == {"start", "end", "text", "masked"})
        _require(isinstance(edit["text"], str) and isinstance(edit["masked"], bool))
        start = _int(edit["start"], 0, size)
        # A masked edit is only what reports show: it can never be applied.
        edits.append(
            Edit(start, _int(edit["end"], start, size), edit["text"], redacted=edit["masked"])
        )
    return Fix(_str(raw["message"]), tuple(edits), raw["safe"])


_LEVELS = frozenset(s.value for s in Severity)
_DIAGNOSTIC_KEYS = frozenset(f.name for f in fields(Diagnostic))
