"""The rule registry: the engine's own codes, the built-in rules and plugins' rules, by code.

nexlint's own rules -- the pipeline's codes and the ``nexlint.rules`` package -- are
imported here and marked ``builtin``: that is what makes them trusted, not their module's
name. Plugins (the ``nexlint.rules`` entry points of installed distributions and the
config's ``plugins``) are never imported in this process: the plugin host imports them
and sends back what their rules are (nexlint.plugin_host)."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from nexlint.config import DEFAULT_PLUGIN_TIMEOUT, Config, resolve_selectors
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


class PluginFailure(PluginError):
    """A plugin rule hung past its time budget or ended the process it runs in: nothing can
    be said of the file, so the run fails (exit 2). The message names the rule and its
    module. The language server catches it and stays up."""


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


@functools.cache
def builtin_rules() -> tuple[Rule, ...]:
    """nexlint's own rules, each marked ``builtin`` (trusted by how they are loaded, never by
    a module's name): the pipeline's codes, then the rules of the ``nexlint.rules`` package.
    Loaded once per process."""
    found = [rule for module in ENGINE_MODULES for rule in importlib.import_module(module).RULES]
    found += rules_in(importlib.import_module(BUILTIN_MODULE))
    return tuple(
        rule if rule.builtin else dataclasses.replace(rule, builtin=True) for rule in found
    )


def plugin_entry_points() -> list[tuple[str, str]]:
    """(name, value) of the installed ``nexlint.rules`` entry points other than nexlint's."""
    return [
        (name, value) for name, value in entry_points(ENTRY_POINT_GROUP) if value != BUILTIN_MODULE
    ]


def _merge(rules: dict[str, Rule], source: str, new: Iterable[Rule]) -> None:
    for item in new:
        known = rules.get(item.code)
        if known is not None and known is not item:
            raise PluginError(
                f"rule code {item.code} is declared twice: by {known.origin} and by {source}"
            )
        rules[item.code] = item


_BUILT: dict[tuple[tuple[str, ...], str | None], dict[str, Rule]] = {}


def registry(
    plugins: tuple[str, ...] = (), plugin_dir: str | None = None, timeout: float | None = None
) -> dict[str, Rule]:
    """Every rule by code: the engine's, the built-ins, entry points, then ``plugins``
    (importable from ``plugin_dir`` too). Built once per set of plugins and process; the
    plugin host that builds the plugins' part is given ``timeout`` seconds to load them.
    Raises PluginError."""
    key = (tuple(plugins), plugin_dir if plugins else None)
    built = _BUILT.get(key)
    if built is None:
        built = _BUILT[key] = _build(*key, timeout or DEFAULT_PLUGIN_TIMEOUT)
    return built


def _build(plugins: tuple[str, ...], plugin_dir: str | None, timeout: float) -> dict[str, Rule]:
    host = None
    if plugins or plugin_entry_points():  # else no host is started at all
        from nexlint.plugin_host.parent import host_for

        host = host_for(plugins, plugin_dir, timeout)  # it starts while the built-ins load
    rules: dict[str, Rule] = {}
    _merge(rules, BUILTIN_MODULE, builtin_rules())
    for source, found in host.groups if host is not None else ():
        _merge(rules, source, found)
    return dict(sorted(rules.items()))


def configured(config: Config) -> Config:
    """A configuration ready to lint with: its plugins loaded and the rule names it uses
    (`image-latest-tag`) turned into codes. Raises PluginError or ConfigError."""
    rules = registry(config.plugins, config.root, config.plugin_timeout)
    return resolve_selectors(config, {rule.name: rule.code for rule in rules.values()})


def all_rules(plugins: tuple[str, ...] = ()) -> list[Rule]:
    """The registry as a list, sorted by code."""
    return list(registry(tuple(plugins)).values())
