"""A cache of results, as ruff keeps one: keyed by the file's bytes and name, the
configuration, the schema and nexlint's version, so a re-run over unchanged files costs little
more than start-up. A hit loads neither the parser nor the validator.

The cache lives in ``.nexlint_cache/`` (beside the config file, else in the working directory;
``NEXLINT_CACHE_DIR`` overrides). A broken or unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

from nexlint._version import __version__
from nexlint.config import Config
from nexlint.diagnostics import Diagnostic, Edit, Fix, Severity
from nexlint.result import LintResult
from nexlint.source import DecodeProblem, decode

CACHE_NAME = ".nexlint_cache"


def cache_dir(config: Config) -> Path:
    override = os.environ.get("NEXLINT_CACHE_DIR")
    if override:
        return Path(override)
    return Path(config.root or os.getcwd()) / CACHE_NAME


def config_key(config: Config) -> str:
    """What in the configuration can change a file's diagnostics, plus the versions."""
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
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


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
        if self._entries is None:
            self._entries = self._load()
        raw = self._entries.get(self.key(name, data))
        if raw is None:
            return None
        try:
            text = decode(data)
            return LintResult(
                name,
                text.text if isinstance(text, DecodeProblem) else text,
                [_diagnostic(item) for item in raw["diagnostics"]],
                tuple((a, b) for a, b in raw["masks"]),
            )
        except (ValueError, KeyError, TypeError):
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


def _diagnostic(item: dict[str, Any]) -> Diagnostic:
    fix = item.get("fix")
    return Diagnostic(
        code=item["code"],
        name=item["name"],
        severity=Severity(item["severity"]),
        message=item["message"],
        file=item["file"],
        line=item["line"],
        column=item["column"],
        end_line=item["end_line"],
        end_column=item["end_column"],
        pointer=item["pointer"],
        help=item["help"],
        url=item["url"],
        fix=Fix(
            fix["message"],
            tuple(Edit(e["start"], e["end"], e["text"]) for e in fix["edits"]),
            fix["safe"],
        )
        if fix
        else None,
    )
