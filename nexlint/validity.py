"""Whether a document is valid under the schema, answered without jsonschema.

jsonschema stays the validator and the explainer: every finding NXL101-NXL105 comes from its
errors. But most files are valid (289 of the 349 corpus files that reach the schema), and for
those it only has to say "nothing", which costs its import (about 60 ms of a one-file run)
and a walk that builds a validator per subschema (40% of a 10,000-pod lint). Here the schema
is compiled once into plain Python checks, and a file they accept is known valid.

Only "valid" is trusted. A check answers True only when jsonschema, with the same schema and
no format checker, would find no error; whenever it is unsure (a value of a type JSON does
not have, a key that is not a string, a list of mappings under uniqueItems) it answers False
and jsonschema decides, so a doubt costs time, never a finding. A schema that uses a keyword
not compiled here (or a `$ref` that leaves the file, or a nested `$id`) is not compiled at
all. A check recurses with the data, which nests at most 64 levels (document.py).
tests/test_validity.py holds the proof: the same answer as jsonschema on the corpus, the
fixtures, the examples and generated documents, keyword by keyword.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from nexlint.schema import get_validator, load_schema

Check = Callable[[Any], bool]

DRAFT7 = "draft-07"
DRAFT2020 = "2020-12"
_DIALECTS = {
    "http://json-schema.org/draft-07/schema#": DRAFT7,
    "http://json-schema.org/draft-07/schema": DRAFT7,
    "https://json-schema.org/draft/2020-12/schema": DRAFT2020,
}

# Keywords jsonschema asserts in draft-07 or 2020-12 that are not compiled here: a schema
# using one is left to jsonschema. (`format` is not asserted without a format checker, and
# keywords jsonschema does not know are ignored by it, as here.)
UNSUPPORTED = frozenset(
    {
        "additionalItems",
        "contains",
        "dependencies",
        "dependentRequired",
        "dependentSchemas",
        "maxContains",
        "maxProperties",
        "minContains",
        "minProperties",
        "multipleOf",
        "prefixItems",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "$dynamicRef",
        "$recursiveRef",
        "$id",
        "id",
        "$anchor",
        "$dynamicAnchor",
        "$recursiveAnchor",
    }
)

_TYPES: dict[str, Check] = {
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "integer": lambda x: (
        (isinstance(x, int) and not isinstance(x, bool))
        or (isinstance(x, float) and x.is_integer())
    ),
    "null": lambda x: x is None,
    "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
    "object": lambda x: isinstance(x, dict),
    "string": lambda x: isinstance(x, str),
}


class Unsupported(Exception):
    """The schema uses something not compiled here."""


@functools.cache
def validity(path: str | None = None) -> Check | None:
    """The compiled check for the bundled schema or a user's (None: jsonschema decides every
    file). A user's schema is first accepted by get_validator, so a schema it refuses is
    refused the same way, whether or not a file is valid."""
    if path is not None:
        get_validator(path)
    return compile_schema(load_schema(path))


def compile_schema(schema: Mapping[str, Any]) -> Check | None:
    dialect = _DIALECTS.get(schema.get("$schema", "https://json-schema.org/draft/2020-12/schema"))
    if dialect is None:
        return None
    try:
        return _Compiler(schema, dialect).compile(schema, top=True)
    except (Unsupported, re.error, TypeError, ValueError, KeyError, IndexError):
        return None


class _Compiler:
    def __init__(self, root: Mapping[str, Any], dialect: str) -> None:
        self.root = root
        self.dialect = dialect
        # a $ref's target compiled once, and reachable from itself (recursive schemas)
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any, top: bool = False) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise Unsupported("a schema is an object or a boolean")
        used = UNSUPPORTED.intersection(schema)
        if used - ({"$id"} if top else set()):
            raise Unsupported(", ".join(sorted(used)))
        if "$ref" in schema and self.dialect == DRAFT7:
            return self.ref(schema["$ref"])  # draft-07 ignores a $ref's siblings
        checks = [check for keyword in schema if (check := self.keyword(keyword, schema))]
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        return lambda x: all(check(x) for check in checks)

    def keyword(self, keyword: str, schema: dict[str, Any]) -> Check | None:
        value = schema[keyword]
        if keyword == "$ref":
            return self.ref(value)
        if keyword == "type":
            return _type(value)
        if keyword == "enum":
            return _enum(list(value))
        if keyword == "const":
            return _enum([value])
        if keyword == "required":
            return _required(value)
        if keyword == "properties":
            return self.properties(value)
        if keyword == "additionalProperties":
            return self.additional(schema)
        if keyword == "patternProperties":
            return self.patterns(value)
        if keyword == "items":
            if isinstance(value, list):
                raise Unsupported("items as a list")
            return _each(self.compile(value))
        if keyword in _BOUNDS:
            return _bound(keyword, value)
        if keyword == "uniqueItems":
            return _unique if value is True else None
        if keyword == "pattern":
            return _pattern(re.compile(value))
        if keyword in ("allOf", "anyOf", "oneOf"):
            return _combine(keyword, [self.compile(sub) for sub in value])
        if keyword == "not":
            sub = self.compile(value)
            return lambda x: not sub(x)
        if keyword == "if":
            return self.condition(schema)
        return None  # then/else (read by `if`), annotations, and what jsonschema ignores

    def ref(self, ref: Any) -> Check:
        if not isinstance(ref, str) or "%" in ref or not (ref == "#" or ref.startswith("#/")):
            raise Unsupported("a $ref outside the schema, or to an anchor")
        if ref not in self.refs:
            target: Any = self.root
            for part in ref.split("/")[1:]:
                part = part.replace("~1", "/").replace("~0", "~")
                target = target[int(part)] if isinstance(target, list) else target[part]
            self.refs[ref] = _never  # replaced below; a recursive $ref reads the dict
            refs = self.refs
            self.refs[ref] = self.compile(target)
            return lambda x: refs[ref](x)
        refs = self.refs
        return lambda x: refs[ref](x)

    def properties(self, value: dict[str, Any]) -> Check:
        compiled = [(name, self.compile(sub)) for name, sub in value.items()]

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            return all(sub(x[name]) for name, sub in compiled if name in x)

        return check

    def patterns(self, value: dict[str, Any]) -> Check:
        compiled = [(re.compile(pattern), self.compile(sub)) for pattern, sub in value.items()]

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            if not all(isinstance(key, str) for key in x):
                return False  # jsonschema would search a pattern in a non-string: unsure
            return all(
                sub(item)
                for key, item in x.items()
                for pattern, sub in compiled
                if pattern.search(key)
            )

        return check

    def additional(self, schema: dict[str, Any]) -> Check:
        known = set(schema.get("properties", {}))
        joined = "|".join(schema.get("patternProperties", {}))
        patterns = re.compile(joined) if joined else None
        extra = self.compile(schema["additionalProperties"])

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            for key, item in x.items():
                if not isinstance(key, str):
                    return False
                if key in known or (patterns is not None and patterns.search(key)):
                    continue
                if not extra(item):
                    return False
            return True

        return check

    def condition(self, schema: dict[str, Any]) -> Check:
        test = self.compile(schema["if"])
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda x: then(x) if test(x) else otherwise(x)


def _always(x: Any) -> bool:
    return True


def _never(x: Any) -> bool:
    return False


def _type(value: Any) -> Check:
    names = [value] if isinstance(value, str) else list(value)
    checks = [_TYPES[name] for name in names]  # an unknown type name: KeyError, not compiled
    return lambda x: any(check(x) for check in checks)


def _scalar_key(x: Any) -> tuple[str, Any] | None:
    """What jsonschema's equality compares, for the scalars JSON has: 1 and 1.0 alike, True
    and 1 not. None for anything else (a mapping, a list, a date)."""
    if x is None:
        return ("null", None)
    if isinstance(x, bool):
        return ("bool", x)
    if isinstance(x, str):
        return ("str", x)
    if isinstance(x, (int, float)):
        return ("num", x)
    return None


def _enum(members: list[Any]) -> Check:
    keys = {key for member in members if (key := _scalar_key(member)) is not None}
    return lambda x: (key := _scalar_key(x)) is not None and key in keys


def _required(names: Any) -> Check:
    if not all(isinstance(name, str) for name in names):
        raise Unsupported("required names that are not strings")
    wanted = list(names)
    return lambda x: not isinstance(x, dict) or all(name in x for name in wanted)


def _each(item: Check) -> Check:
    return lambda x: not isinstance(x, list) or all(item(element) for element in x)


_BOUNDS = frozenset(
    {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
    }
)


def _bound(keyword: str, limit: Any) -> Check:
    if isinstance(limit, bool) or not isinstance(limit, (int, float)):
        raise Unsupported(f"{keyword} that is not a number")
    number = _TYPES["number"]
    if keyword == "minimum":
        return lambda x: not number(x) or x >= limit
    if keyword == "maximum":
        return lambda x: not number(x) or x <= limit
    if keyword == "exclusiveMinimum":
        return lambda x: not number(x) or x > limit
    if keyword == "exclusiveMaximum":
        return lambda x: not number(x) or x < limit
    if keyword == "minItems":
        return lambda x: not isinstance(x, list) or len(x) >= limit
    if keyword == "maxItems":
        return lambda x: not isinstance(x, list) or len(x) <= limit
    if keyword == "minLength":
        return lambda x: not isinstance(x, str) or len(x) >= limit
    return lambda x: not isinstance(x, str) or len(x) <= limit


def _unique(x: Any) -> bool:
    if not isinstance(x, list):
        return True
    keys = [_scalar_key(element) for element in x]
    if None in keys:
        return False  # mappings or lists among the items: jsonschema decides
    return len(set(keys)) == len(keys)


def _pattern(pattern: re.Pattern[str]) -> Check:
    return lambda x: not isinstance(x, str) or pattern.search(x) is not None


def _combine(keyword: str, checks: list[Check]) -> Check:
    if not checks:
        raise Unsupported(f"an empty {keyword}")
    if keyword == "allOf":
        return lambda x: all(check(x) for check in checks)
    if keyword == "anyOf":
        return lambda x: any(check(x) for check in checks)
    return lambda x: sum(1 for check in checks if check(x)) == 1
