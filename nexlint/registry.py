"""The rule registry: the engine's own codes, the built-in rules and plugins, all loaded the
same way -- a module (or package) is imported and every rule declared in it is collected."""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import pkgutil
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from nexlint.config import Config, resolve_selectors
from nexlint.entry_points import ENTRY_POINT_GROUP, entry_points
from nexlint.rule_api import Rule

BUILTIN_MODULE = "nexlint.rules"
# The stages of the pipeline that report codes of their own, each declared beside its code.
ENGINE_MODULES = (
    "nexlint.document",
    "nexlint.shape",
    "nexlint.limits",
    "nexlint.schema",
    "nexlint.suppressions",
)


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
    except (Exception, SystemExit) as exc:  # a plugin's import may fail in any way
        raise PluginError(
            f'plugin "{name}" could not be loaded: {type(exc).__name__}: {exc}'
        ) from exc


def _rules_of(name: str, loaded: Any) -> list[Rule]:
    """The rules of a loaded plugin; importing its submodules may fail like any import."""
    try:
        return rules_in(loaded)
    except (Exception, SystemExit) as exc:
        raise PluginError(
            f'plugin "{name}" could not be loaded: {type(exc).__name__}: {exc}'
        ) from exc


def _entry_point_rules() -> Iterator[tuple[str, list[Rule]]]:
    for name, value in entry_points(ENTRY_POINT_GROUP):
        if value == BUILTIN_MODULE:
            continue
        module, _, attribute = value.partition(":")
        found: list[Rule] = []
        with _quiet(found):
            try:
                loaded: Any = importlib.import_module(module.strip())
                for part in filter(None, attribute.strip().split(".")):
                    loaded = getattr(loaded, part)
            except (Exception, SystemExit) as exc:
                raise PluginError(
                    f'plugin "{name}" ({value}) could not be loaded: {type(exc).__name__}: {exc}'
                ) from exc
            found.extend(_rules_of(name, loaded))
        yield value, found


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


# Rules whose module wrote to standard output while it was loaded: code -> characters.
_LOUD: dict[str, int] = {}


def loud_rules() -> dict[str, int]:
    """Rules that wrote to standard output when they were loaded; each run of such a rule
    is reported instead of its findings, as is a rule that writes while checking."""
    return _LOUD


@contextmanager
def _quiet(found: list[Rule]) -> Iterator[None]:
    """Load with standard output kept apart (a machine format may be written there); what
    was written is dropped and held against the rules loaded."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        yield
    if printed.tell():
        for item in found:
            _LOUD[item.code] = printed.tell()


@functools.cache
def registry(plugins: tuple[str, ...] = (), plugin_dir: str | None = None) -> dict[str, Rule]:
    """Every rule by code: the engine's, the built-ins, entry points, then ``plugins``."""
    rules: dict[str, Rule] = {}
    for module in ENGINE_MODULES:
        _merge(rules, "nexlint", importlib.import_module(module).RULES)
    found: list[Rule] = []
    with _quiet(found):
        found.extend(_rules_of(BUILTIN_MODULE, _import(BUILTIN_MODULE)))
    _merge(rules, BUILTIN_MODULE, found)
    for source, loaded in _entry_point_rules():
        _merge(rules, source, loaded)
    with _importable_from(plugin_dir):
        for name in plugins:
            found = []
            with _quiet(found):
                found.extend(_rules_of(name, _import(name)))
            _merge(rules, name, found)
    return dict(sorted(rules.items()))


def configured(config: Config) -> Config:
    """A configuration ready to lint with: its plugins loaded and the rule names it uses
    (`image-latest-tag`) turned into codes. Raises PluginError or ConfigError."""
    rules = registry(config.plugins, config.root)
    return resolve_selectors(config, {rule.name: rule.code for rule in rules.values()})


def all_rules(plugins: tuple[str, ...] = ()) -> list[Rule]:
    """The registry as a list, sorted by code."""
    return list(registry(tuple(plugins)).values())
