"""The rule registry: the engine's own codes, the built-in rules and plugins, all loaded the
same way -- a module (or package) is imported and every rule declared in it is collected."""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from nexlint.core_rules import CORE_RULES
from nexlint.rule_api import Rule

ENTRY_POINT_GROUP = "nexlint.rules"
BUILTIN_MODULE = "nexlint.rules"


class PluginError(Exception):
    """A plugin could not be loaded, or two rules claim one code."""


def rules_in(obj: Any) -> list[Rule]:
    """Rules declared by a module (and, for a package, its submodules), a decorated
    function, or a Rule."""
    if isinstance(obj, Rule):
        return [obj]
    declared = getattr(obj, "nexlint_rule", None)
    if isinstance(declared, Rule):
        return [declared]
    if not isinstance(obj, ModuleType):
        return []
    found: list[Rule] = []
    for value in vars(obj).values():
        declared = getattr(value, "nexlint_rule", None)
        if isinstance(declared, Rule) and declared.origin == obj.__name__:
            found.append(declared)
        elif isinstance(value, Rule) and value not in found:
            found.append(value)
    if hasattr(obj, "__path__"):
        for info in sorted(pkgutil.iter_modules(obj.__path__), key=lambda i: i.name):
            if not info.name.startswith("_"):
                found.extend(rules_in(importlib.import_module(f"{obj.__name__}.{info.name}")))
    return found


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except Exception as exc:  # a plugin's import may fail in any way
        raise PluginError(
            f'plugin "{name}" could not be loaded: {type(exc).__name__}: {exc}'
        ) from exc


def entry_points(group: str) -> list[tuple[str, str]]:
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
    return list(found)


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


def _entry_point_rules() -> Iterator[tuple[str, list[Rule]]]:
    for name, value in entry_points(ENTRY_POINT_GROUP):
        if value == BUILTIN_MODULE:
            continue
        module, _, attribute = value.partition(":")
        try:
            loaded: Any = importlib.import_module(module.strip())
            for part in filter(None, attribute.strip().split(".")):
                loaded = getattr(loaded, part)
        except Exception as exc:
            raise PluginError(
                f'plugin "{name}" ({value}) could not be loaded: {type(exc).__name__}: {exc}'
            ) from exc
        yield value, rules_in(loaded)


@contextmanager
def _importable_from(directory: str | None) -> Iterator[None]:
    """Plugins named in a config file may live beside it."""
    if directory is None or directory in sys.path:
        yield
        return
    sys.path.insert(0, directory)
    try:
        yield
    finally:
        sys.path.remove(directory)


def _merge(rules: dict[str, Rule], source: str, new: Iterable[Rule]) -> None:
    for item in new:
        known = rules.get(item.code)
        if known is not None and known is not item:
            raise PluginError(
                f"rule code {item.code} is declared twice: by {known.origin} and by {source}"
            )
        rules[item.code] = item


@functools.cache
def registry(plugins: tuple[str, ...] = (), plugin_dir: str | None = None) -> dict[str, Rule]:
    """Every rule by code: the engine's, the built-ins, entry points, then ``plugins``."""
    rules: dict[str, Rule] = {}
    _merge(rules, "nexlint", CORE_RULES)
    _merge(rules, BUILTIN_MODULE, rules_in(_import(BUILTIN_MODULE)))
    for source, found in _entry_point_rules():
        _merge(rules, source, found)
    with _importable_from(plugin_dir):
        for name in plugins:
            _merge(rules, name, rules_in(_import(name)))
    return dict(sorted(rules.items()))


def all_rules(plugins: tuple[str, ...] = ()) -> list[Rule]:
    """The registry as a list, sorted by code."""
    return list(registry(tuple(plugins)).values())
