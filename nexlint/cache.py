"""A cache of results, as ruff keeps one: keyed by the file's bytes and name, the
configuration, the schema and nexlint's version, so a re-run over unchanged files costs little
more than start-up. A hit loads neither the parser nor the validator.

Entries live in ``.nexlint_cache/`` (beside the config file, else in the working directory;
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
    def __init__(self, config: Config) -> None:
        self.root = cache_dir(config) / __version__
        self.salt = config_key(config)
        self._ready = False

    def key(self, name: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, name: str, data: bytes) -> LintResult | None:
        try:
            raw = json.loads(self._path(self.key(name, data)).read_text(encoding="utf-8"))
            text = decode(data)
            return LintResult(
                name,
                text.text if isinstance(text, DecodeProblem) else text,
                [_diagnostic(item) for item in raw["diagnostics"]],
                tuple((a, b) for a, b in raw["masks"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, name: str, data: bytes, result: LintResult) -> None:
        entry = {
            "diagnostics": [d.to_dict() for d in result.diagnostics],
            "masks": [list(m) for m in result.masks],
        }
        path = self._path(self.key(name, data))
        try:
            if not self._ready:
                self.root.mkdir(parents=True, exist_ok=True)
                marker = self.root.parent / ".gitignore"
                if not marker.exists():
                    marker.write_text("# Automatically created by nexlint.\n*\n")
                self._ready = True
            path.parent.mkdir(exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(entry), encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only tree still lints; it only is not cached


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
