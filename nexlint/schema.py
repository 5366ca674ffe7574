"""The schema step: validate the plain data against the bundled JSON Schema, offline, and turn
jsonschema's errors into findings a person reads in one go (NXL101-NXL105)."""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nexlint.conversions import CONVERTERS
from nexlint.diagnostics import Edit, Fix
from nexlint.display import clip, label
from nexlint.document import Document
from nexlint.findings import Finding
from nexlint.pointers import join_pointer
from nexlint.rule_api import engine_rule
from nexlint.secrets import shown_value
from nexlint.suggestions import close_match

if TYPE_CHECKING:  # jsonschema loads when a file is validated, not when the rules are listed
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

SCHEMA_REQUIRED = engine_rule(
    "NXL101",
    "schema-required",
    "a required key is missing",
    """
Why: the platform needs `application.name`, `application.pods`, and for every pod its
`name`, `image` and `servicePorts` (unless `resourceType: job`); volumes need `name`,
`size` and `mountPath`. The diagnostic points at the first key of the mapping that lacks it.

Bad:

    application:
      name: shop
      pods:
        - name: web
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
)


SCHEMA_UNKNOWN_KEY = engine_rule(
    "NXL102",
    "schema-unknown-key",
    "a key the schema does not allow",
    """
Why: the hosted validator silently ignores keys it does not know, so a misspelled or
borrowed key (`env`, `ports`, `serviceports`) deploys as if it were not there. The help
line suggests the key you probably meant when the guess is confident.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          serviceports: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
    fixable=True,
)


SCHEMA_TYPE = engine_rule(
    "NXL103",
    "schema-type",
    "a value of the wrong type",
    """
Why: a value of the wrong type (a string where a list of ports is expected, a list where
a mapping is expected) is rejected or misread at deploy time.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: 80

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
)


SCHEMA_FORMAT = engine_rule(
    "NXL104",
    "schema-format",
    "a value that breaks a required format (name, volume size, ...)",
    """
Why: some values have a fixed format: the application name is lowercase letters, digits,
`.` and `-`; a volume size is a whole number of `Mi` or `Gi`; a subdomain is a DNS label.
The platform rejects anything else.

Bad:

    application:
      name: Shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
)


SCHEMA_VALUE = engine_rule(
    "NXL105",
    "schema-value",
    "a value out of range or not allowed",
    """
Why: ports are 1 to 65535, lists such as `servicePorts` and `pods` must not be empty, and
some keys take one of a few values (`resourceType`). Anything else fails at deploy time,
although the hosted validator accepts an empty `servicePorts`.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [70000]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [8080]
""",
)


# The codes this stage reports, for the registry (they are rules like any other for
# selection, severity, suppression and docs).
RULES = (SCHEMA_REQUIRED, SCHEMA_UNKNOWN_KEY, SCHEMA_TYPE, SCHEMA_FORMAT, SCHEMA_VALUE)

SCHEMA_NAME = "nexlayer.schema.json"

# Keys people write for a known one, from other platforms' habits (docker-compose, k8s).
KEY_ALIASES = {
    "env": "vars",
    "envs": "vars",
    "environment": "vars",
    "variables": "vars",
    "envvars": "vars",
    "ports": "servicePorts",
    "port": "servicePorts",
    "serviceport": "servicePorts",
    "containerport": "servicePorts",
    "expose": "servicePorts",
    "volume": "volumes",
    "secret": "secrets",
    "route": "path",
    "routes": "path",
    "cmd": "command",
    "args": "command",
    "mount": "mountPath",
    "mountpoint": "mountPath",
    "mount_path": "mountPath",
    "registry_login": "registryLogin",
    "token": "personalAccessToken",
    "pat": "personalAccessToken",
    "filename": "fileName",
    "pod": "pods",
    "type": "resourceType",
    "gpu": "useGPU",
}

# docker-compose's `env_file` and its cousins: there is no file to point at on Nexlayer.
ENV_FILE_KEY = re.compile(r"^(?:env[-_]?files?|env[-_]?from|dotenv)$", re.IGNORECASE)

_TYPE_PHRASES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "empty",
}


def bundled_schema_text() -> str:
    """The schema shipped in the package (beside it, in a checkout). Read as a file where it
    is one: importing importlib.resources costs about a tenth of a one-file run."""
    import nexlint

    for folder in nexlint.__path__:
        path = Path(folder) / "schemas" / SCHEMA_NAME
        if path.is_file():
            return path.read_text(encoding="utf-8")
    from importlib import resources  # a package that is not on disk (a zip)

    return resources.files("nexlint.schemas").joinpath(SCHEMA_NAME).read_text(encoding="utf-8")


MAX_SCHEMA_BYTES = 5 * 1024 * 1024


class SchemaProblem(ValueError):
    """A user's schema that cannot be used; the message says why, in one line."""


@functools.cache
def load_schema(path: str | None = None) -> dict[str, Any]:
    """The bundled schema, or a user's schema file (read once per process)."""
    if path is None:
        text = bundled_schema_text()
    else:
        file = Path(path)
        try:
            if not file.is_file():
                raise SchemaProblem("not a file" if file.exists() else "no such file")
            if file.stat().st_size > MAX_SCHEMA_BYTES:
                raise SchemaProblem(f"larger than {MAX_SCHEMA_BYTES // 1024 // 1024} MiB")
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise SchemaProblem(f"cannot be read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise SchemaProblem("not UTF-8") from None
    try:
        schema = json.loads(text)
    except ValueError as exc:
        raise SchemaProblem(f"not valid JSON: {exc}") from None
    if not isinstance(schema, dict):
        raise SchemaProblem("a JSON Schema must be a JSON object")
    return schema


@functools.cache
def get_validator(path: str | None = None) -> Validator:
    """One validator per schema per process. Only the schema itself is in the registry, so
    no ``$ref`` can reach the network; a user's ``$ref`` that cannot be resolved so is a
    SchemaProblem here, not an error in the middle of a lint."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    schema = load_schema(path)
    cls = validator_for(schema, default=Draft202012Validator)
    if path is not None:
        # A user's schema is checked against its metaschema; the bundled one is checked by
        # the tests, and checking it on every run would cost more than linting a file.
        try:
            cls.check_schema(schema)
        except SchemaError as exc:
            raise SchemaProblem(f"not a valid JSON Schema: {exc.message}") from None
    resource = Resource.from_contents(schema, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(schema.get("$id", ""), resource)
    if path is not None:
        resolver = registry.resolver(base_uri=schema.get("$id", ""))
        for ref in _refs(schema):
            try:
                resolver.lookup(ref)
            except Unresolvable:
                raise SchemaProblem(
                    f'$ref "{clip(ref)}" cannot be resolved offline; nexlint reads only the '
                    "schema file itself"
                ) from None
    validator: Validator = cls(schema, registry=registry)
    return validator


def _refs(schema: Any) -> list[str]:
    """Every ``$ref`` in a schema (ones inside ``$id``-scoped subschemas resolve against the
    root, which is all nexlint offers)."""
    found: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def schema_findings(doc: Document, validator: Validator) -> list[Finding]:
    translator = _Translator(doc, validator)
    for error in validator.iter_errors(doc.data):
        translator.translate(error)
    return translator.findings


class _Translator:
    def __init__(self, doc: Document, validator: Validator) -> None:
        self.doc = doc
        self.validator = validator
        self.root_schema = validator.schema
        self.findings: list[Finding] = []
        self.seen: set[tuple[str, str, str]] = set()

    def add(
        self,
        code: str,
        pointer: str,
        span: tuple[int, int],
        message: str,
        help: str | None = None,
        fix: Fix | None = None,
    ) -> None:
        marker = (code, pointer, message)
        if marker in self.seen:
            return
        self.seen.add(marker)
        self.findings.append(Finding(code, message, span[0], span[1], pointer, help, fix))

    def rename_fix(
        self, pointer: str, key: str, suggestion: str, value: Any, target: Any
    ) -> Fix | None:
        """Rename a misspelt key. Safe when only the spelling differs (`serviceports`). A
        borrowed key (`env`, `ports`) may hold another platform's shape: the unsafe rename is
        offered only when its content fits the target key as it is, or converts to it
        exactly (conversions.py)."""
        found = self.doc.node(pointer)
        if found is None or found[0] is None:
            return None
        node = found[0]
        start, end = node.start, node.end
        if node.style in ('"', "'"):
            start, end = start + 1, end - 1
        if self.doc.text[start:end] != key:
            return None  # escapes or an alias: the written key is not the plain name
        rename = Edit(start, end, suggestion)
        message = f'rename "{key}" to "{suggestion}"'
        if not _borrowed(key, suggestion):
            return Fix(message, (rename,))
        if self.validator.evolve(schema=target).is_valid(value):
            return Fix(message, (rename,), safe=False)
        converter = CONVERTERS.get(suggestion)
        converted = converter(self.doc, node, found[1]) if converter else None
        if converted is None:
            return None
        written = "NAME: value" if suggestion == "vars" else "the container ports"
        return Fix(f"{message} and write it as {written}", (rename, *converted), safe=False)

    def translate(self, raw: ValidationError) -> None:
        error = _Error.of(raw)
        kind = error.validator
        path = list(error.absolute_path)
        pointer = join_pointer([str(p) for p in path])
        if kind in ("anyOf", "oneOf"):
            self.combinator(error, pointer)
        elif kind == "required":
            self.required(error, pointer)
        elif kind in ("additionalProperties", "unevaluatedProperties"):
            self.unknown_keys(error, pointer)
        elif kind == "type":
            self.add(
                "NXL103",
                pointer,
                self.doc.value_span(pointer),
                f"{_subject(path)} must be {_expected(error.validator_value)}, "
                f"not {self.instance_phrase(pointer, error.instance)}",
            )
        elif kind in ("pattern", "format", "minLength", "maxLength"):
            expected = (
                error.schema.get("patternErrorMessage") if isinstance(error.schema, dict) else None
            )
            if not expected:
                expected = f"a value matching {error.schema.get('pattern', 'the schema')}"
            self.add(
                "NXL104",
                pointer,
                self.doc.value_span(pointer),
                f"{_subject_of(path, self.doc.data)} is {self.shown(pointer)}; expected {expected}",
            )
        else:
            self.value_error(error, path, pointer)

    # -- one method per kind of error --------------------------------------------------------

    def combinator(self, error: _Error, pointer: str) -> None:
        branches = error.validator_value
        matching = [
            i
            for i, branch in enumerate(branches)
            if _accepts_type(self.resolve(branch), error.instance)
        ]
        if matching:
            for sub in error.context:
                if sub.relative_schema_path and sub.relative_schema_path[0] == matching[0]:
                    self.translate(sub)
            return
        path = list(error.absolute_path)
        options = " or ".join(_branch_phrase(self.resolve(b)) for b in branches)
        self.add(
            "NXL103",
            pointer,
            self.doc.value_span(pointer),
            f"{_subject(path)} must be {options}, "
            f"not {self.instance_phrase(pointer, error.instance)}",
        )

    def required(self, error: _Error, pointer: str) -> None:
        if not isinstance(error.instance, dict):
            return
        properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        if properties and _foreign_mapping(error.instance, properties):
            return  # unknown_keys reports it once
        owner = _owner(error.absolute_path, self.doc.data)
        for key in error.validator_value:
            if key in error.instance:
                continue
            description = self.resolve(properties.get(key, {})).get("description") or (
                self.describe_anywhere(key)
            )
            if any(suggest_key(k, [key], {}) for k in error.instance):
                continue  # the misspelt key is reported (NXL102, with the fix); once is enough
            self.add(
                "NXL101",
                pointer,
                self.doc.first_key_span(pointer),
                f'{owner} is missing the required key "{key}"',
                f"{key}: {description}" if description else None,
            )

    def unknown_keys(self, error: _Error, pointer: str) -> None:
        if not isinstance(error.instance, dict) or not isinstance(error.schema, dict):
            return
        allowed = list(error.schema.get("properties", {}))
        owner = _owner(error.absolute_path, self.doc.data)
        if _foreign_mapping(error.instance, allowed):
            keys = ", ".join(clip(k) for k in list(error.instance)[:4])
            in_vars_list = len(error.absolute_path) >= 2 and error.absolute_path[-2] == "vars"
            help = (
                "a vars list item is {key: NAME, value: VALUE}; or write vars as a "
                "mapping NAME: VALUE"
                if in_vars_list
                else "allowed keys: " + ", ".join(allowed)
            )
            self.add(
                "NXL102",
                pointer,
                self.doc.first_key_span(pointer),
                f"{owner} has none of the keys it takes ({', '.join(allowed)}); found {keys}",
                help,
            )
            return
        properties = error.schema.get("properties", {})
        suggestions = {
            key: suggest_key(key, allowed, error.instance)
            for key in error.instance
            if key not in allowed
        }
        # Two keys that would both become one (`servicePort` and `ports`): only the closer
        # one is renamed; two renames would write the key twice.
        renamed: dict[str, str] = {}
        for key, suggestion in sorted(
            suggestions.items(), key=lambda item: _closeness(item[0], item[1])
        ):
            if suggestion is not None:
                renamed.setdefault(suggestion, key)
        for key, suggestion in suggestions.items():
            child = join_pointer([*(str(p) for p in error.absolute_path), key])
            help = (
                f'did you mean "{suggestion}"?'
                if suggestion
                else "allowed keys: " + ", ".join(allowed)
            )
            if ENV_FILE_KEY.match(key) and "vars" in allowed:
                help = "Nexlayer reads no env files; put the variables under vars"
            fix = None
            if suggestion is not None and renamed[suggestion] == key:
                target = properties.get(suggestion, {})
                fix = self.rename_fix(child, key, suggestion, error.instance[key], target)
            self.add(
                "NXL102",
                child,
                self.doc.key_span(child),
                f'unknown key "{clip(key)}" in {owner}',
                help,
                fix,
            )

    def value_error(self, error: _Error, path: list[Any], pointer: str) -> None:
        kind, limit, subject = error.validator, error.validator_value, _subject(path)
        if kind == "uniqueItems" and isinstance(error.instance, list):
            self.repeated_items(error.instance, path)
            return
        if kind == "minItems":
            noun = "item" if limit == 1 else "items"
            self.add(
                "NXL105",
                pointer,
                self.doc.key_span(pointer),
                f"{subject} is empty: it must list at least {limit} {noun}"
                if not error.instance
                else f"{subject} must list at least {limit} {noun}",
            )
            return
        shown = self.shown(pointer)
        if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            bound = {
                "minimum": "at least",
                "exclusiveMinimum": "more than",
                "maximum": "at most",
                "exclusiveMaximum": "less than",
            }[kind]
            message = f"{subject} is {shown}; it must be {bound} {limit}"
            sibling = "minimum" if kind.endswith("aximum") else "maximum"
            other = error.schema.get(sibling) if isinstance(error.schema, dict) else None
            if other is not None:
                low, high = sorted((limit, other))
                message = f"{subject} is {shown}; it must be from {low} to {high}"
            self.add("NXL105", pointer, self.doc.value_span(pointer), message)
        elif kind in ("enum", "const"):
            options = limit if kind == "enum" else [limit]
            allowed = ", ".join(str(o) for o in options)
            guess = None
            if isinstance(error.instance, str):
                close = close_match(error.instance, [str(o) for o in options])
                guess = f'did you mean "{close}"?' if close else None
            self.add(
                "NXL105",
                pointer,
                self.doc.value_span(pointer),
                f"{subject} is {shown}; allowed values are {allowed}",
                guess,
            )
        else:
            self.add(
                "NXL105",
                pointer,
                self.doc.value_span(pointer),
                f"{subject} {shown} is not allowed here ({kind} {limit})",
            )

    def repeated_items(self, items: list[Any], path: list[Any]) -> None:
        """A list that must not repeat an item (`servicePorts: [80, 80]`): each repeat is
        reported at itself, the later one, naming where it was first listed."""
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            key = json.dumps(item, sort_keys=True, default=str)
            if key not in first:
                first[key] = index
                continue
            pointer = join_pointer([*(str(p) for p in path), str(index)])
            self.add(
                "NXL105",
                pointer,
                self.doc.value_span(pointer),
                f"{_subject(path)} lists {self.shown(pointer)} more than once (item "
                f"{index + 1} repeats item {first[key] + 1})",
                "list each port once" if path and path[-1] == "servicePorts" else None,
            )

    # -- helpers -----------------------------------------------------------------------------

    def shown(self, pointer: str) -> str:
        return shown_value(self.doc, pointer)

    def instance_phrase(self, pointer: str, instance: Any) -> str:
        phrase = _instance_phrase(instance)
        if instance is None or isinstance(instance, (dict, list)):
            return phrase
        return f"{phrase} ({self.shown(pointer)})"

    def describe_anywhere(self, key: str) -> str | None:
        """A key's description from any definition (for ``required`` under if/else, whose
        error carries no ``properties``)."""
        definitions = (
            self.root_schema.get("$defs", {}) if isinstance(self.root_schema, dict) else {}
        )
        for definition in definitions.values():
            prop = (
                definition.get("properties", {}).get(key) if isinstance(definition, dict) else None
            )
            if isinstance(prop, dict) and isinstance(prop.get("description"), str):
                description: str = prop["description"]
                return description
        return None

    def resolve(self, schema: Any) -> dict[str, Any]:
        """Follow local ``$ref``s (``#/$defs/...``) of the root schema."""
        for _ in range(16):
            if not isinstance(schema, dict):
                return {}
            ref = schema.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return schema
            target: Any = self.root_schema
            for token in ref[2:].split("/"):
                target = target.get(token, {}) if isinstance(target, dict) else {}
            merged = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**target, **merged}
        return schema if isinstance(schema, dict) else {}


@dataclass(frozen=True)
class _Error:
    """The parts of a jsonschema error we use, typed (the stubs allow 'unset' for each)."""

    validator: str
    validator_value: Any
    instance: Any
    schema: dict[str, Any]
    absolute_path: list[Any]
    context: list[ValidationError]

    @classmethod
    def of(cls, raw: ValidationError) -> _Error:
        schema = raw.schema if isinstance(raw.schema, dict) else {}
        return cls(
            str(raw.validator),
            raw.validator_value,
            raw.instance,
            dict(schema),
            list(raw.absolute_path),
            list(raw.context or ()),
        )


def suggest_key(key: str, allowed: list[str], present: dict[str, Any]) -> str | None:
    """A confident 'did you mean': same letters in another case, a known alias, or a close
    spelling. Keys already present are not suggested."""
    candidates = [a for a in allowed if a not in present]
    lowered = key.lower()
    for candidate in candidates:
        if candidate.lower() == lowered:
            return candidate
    alias = KEY_ALIASES.get(lowered)
    if alias in candidates:
        return alias
    import difflib  # an unknown key: the schema stage is explaining an error

    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.8)
    if not close:
        by_lower = {c.lower(): c for c in candidates}
        close = [by_lower[m] for m in difflib.get_close_matches(lowered, by_lower, n=1, cutoff=0.8)]
    return close[0] if close else None


def _borrowed(key: str, suggestion: str) -> bool:
    """A key from another platform's vocabulary, not a misspelling of ours."""
    return KEY_ALIASES.get(key.lower()) == suggestion and key.lower() != suggestion.lower()


def _closeness(key: str, suggestion: str | None) -> tuple[int, float, str]:
    """How sure a suggestion is, best first: same letters, then spelling, then a borrowed
    key; among equals, the closer spelling."""
    if suggestion is None:
        return (3, 0.0, key)
    import difflib

    ratio = difflib.SequenceMatcher(None, key.lower(), suggestion.lower()).ratio()
    if key.lower() == suggestion.lower():
        return (0, -ratio, key)
    return (2 if _borrowed(key, suggestion) else 1, -ratio, key)


def _foreign_mapping(instance: Any, allowed: Any) -> bool:
    """A mapping none of whose keys is known: one finding says so, not one per key."""
    return (
        isinstance(instance, dict)
        and bool(instance)
        and not any(key in allowed for key in instance)
    )


def _subject_of(path: list[Any], data: Any) -> str:
    """'name of application', 'size of volume "data" of pod "db"', or the plain subject."""
    if len(path) >= 2 and isinstance(path[-1], str):
        return f"{clip(path[-1])} of {_owner(path[:-1], data)}"
    return _subject(path)


def _accepts_type(schema: dict[str, Any], instance: Any) -> bool:
    types = schema.get("type")
    if types is None:
        return True
    if isinstance(types, str):
        types = [types]
    return any(_is_type(instance, t) for t in types)


def _is_type(instance: Any, name: str) -> bool:
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "string":
        return isinstance(instance, str)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if isinstance(instance, bool):
        return False
    if name == "integer":
        return isinstance(instance, int) or (
            isinstance(instance, float) and math.isfinite(instance) and instance.is_integer()
        )
    if name == "number":
        return isinstance(instance, (int, float))
    return False


def _expected(types: Any) -> str:
    if isinstance(types, str):
        types = [types]
    phrases = [_TYPE_PHRASES.get(str(t), str(t)) for t in types]
    if len(phrases) <= 2:
        return " or ".join(phrases)
    return ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _branch_phrase(branch: dict[str, Any]) -> str:
    types = branch.get("type")
    if types == "array":
        items = branch.get("items", {})
        if isinstance(items, dict) and items.get("type") == "string":
            return "a list of strings"
        return "a list"
    if types == "object":
        return "a mapping"
    return _expected(types) if types else "a valid value"


def _instance_phrase(instance: Any) -> str:
    if instance is None:
        return "empty"
    if isinstance(instance, bool):
        return "a boolean"
    if isinstance(instance, int):
        return "an integer"
    if isinstance(instance, float):
        return "a number"
    if isinstance(instance, str):
        return "a string"
    if isinstance(instance, list):
        return "a list"
    if isinstance(instance, dict):
        return "a mapping"
    return "a value"


def _subject(path: list[Any]) -> str:
    """How a message names a node: its key, with the list indexes that follow it."""
    if not path:
        return "the top level"
    tail: list[str] = []
    for part in reversed(path):
        if isinstance(part, int):
            tail.append(f"[{part}]")
            continue
        name = clip(str(part))
        return name + "".join(reversed(tail)) if tail else f'"{name}"'
    return "item" + "".join(reversed(tail))


_OWNER_NOUNS = {"pods": "pod", "volumes": "volume", "secrets": "secret", "vars": "var"}


def _owner(path: Any, data: Any) -> str:
    """How a message names the mapping a key belongs to: 'pod "web"', 'registryLogin'."""
    parts = list(path)
    if not parts:
        return "the top-level mapping"
    node = data
    for part in parts:
        node = node[part]
    last = parts[-1]
    if isinstance(last, int) and len(parts) >= 2:
        noun = _OWNER_NOUNS.get(str(parts[-2]), "item")
        name = node.get("name", node.get("key")) if isinstance(node, dict) else None
        named = label(noun, last, name)
        if noun in ("volume", "secret", "var") and len(parts) >= 4:
            return f"{named} of {_owner(parts[:-2], data)}"
        return named
    return f'"{clip(str(last))}"' if last != "application" else "application"
