"""The proof that the compiled schema check (validity.py) may stand in for jsonschema on the
files it accepts: whenever it says valid, jsonschema finds no error. It is checked against
jsonschema on the corpus, the fixtures, the examples and documents generated from the schema's
own keys and values, and keyword by keyword in both dialects nexlint reads.

    NEXLINT_FUZZ_EXAMPLES=20000 python -m pytest tests/test_validity.py   (a longer run)
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator, Draft202012Validator

import nexlint
from nexlint import engine
from nexlint.schema import get_validator, load_schema
from nexlint.validity import compile_schema, validity

from .helpers import REPO, VALID, corpus_files, yaml

EXAMPLES = int(os.environ.get("NEXLINT_FUZZ_EXAMPLES", "300"))


def data_of(text: str) -> Any:
    doc = engine.read(text.encode())
    assert doc.root is not None
    return doc.data


def agree(data: Any) -> bool:
    """The check's answer, asserted to be jsonschema's."""
    answer = validity()
    assert answer is not None
    quick, full = answer(data), get_validator().is_valid(data)
    assert quick == full, (quick, full)
    return quick


def test_the_bundled_schema_compiles() -> None:
    assert validity() is not None


def test_the_corpus_gets_the_same_answer() -> None:
    answers = []
    for path in corpus_files():
        doc = engine.read(path.read_bytes())
        if doc.root is not None:
            answers.append(agree(doc.data))
    assert len(answers) >= 340
    assert answers.count(True) >= 250  # most real files skip jsonschema


def test_the_fixtures_and_examples_get_the_same_answer() -> None:
    paths = [*REPO.glob("tests/fixtures/**/*.yaml"), *REPO.glob("rules/testdata/*.yaml")]
    paths += [*REPO.glob("examples/*.yaml")]
    answers = []
    for path in sorted(paths):
        doc = engine.read(path.read_bytes())
        if doc.root is not None:
            answers.append(agree(doc.data))
    assert True in answers and False in answers


# -- generated documents ----------------------------------------------------------------------


def _schema_words() -> tuple[list[str], list[Any]]:
    """Every property name and every enum/const value of the bundled schema."""
    names: set[str] = set()
    values: list[Any] = []
    stack: list[Any] = [load_schema()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            values.extend(node.get("enum", []))
            if "const" in node:
                values.append(node["const"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return sorted(names), values


NAMES, VALUES = _schema_words()
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 70000)
    | st.sampled_from([0.0, 1.0, 80.0, 1.5, -1.0, 65536.0])
    | st.text(max_size=6)
    | st.sampled_from(["/", "/api", "api", "web", "nginx:1.27", "a b", "<% REGISTRY %>/x", "1Gi"])
    | st.sampled_from(VALUES)
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=8,
)
BASES = [
    VALID,
    yaml("""
    application:
      name: shop
      registryLogin:
        registry: ghcr.io
        username: me
        personalAccessToken: <% TOKEN %>
      pods:
        - name: db
          image: postgres:16
          servicePorts: [5432]
          vars:
            POSTGRES_PASSWORD: <% DB_PASSWORD %>
          volumes:
            - name: data
              size: 1Gi
              mountPath: /var/lib/postgresql
          secrets:
            - name: cfg
              data: abc
              mountPath: /etc/cfg
              fileName: cfg.json
        - name: web
          image: <% REGISTRY %>/web:1
          path: /
          servicePorts:
            - 80
          vars:
            - key: API
              value: http://db.pod:5432
    """),
]


def _places(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*at, index))
    return found


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """A valid document with a few of its values replaced, keys added or keys removed."""
    data = copy.deepcopy(data_of(draw(st.sampled_from(BASES))))
    for _ in range(draw(st.integers(1, 3))):
        places = _places(data)
        at = draw(st.sampled_from(places))
        if not at:
            continue
        parent = data
        for step in at[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            parent[at[-1]] = draw(JSON)
        elif action == "remove" and isinstance(parent, dict):
            del parent[at[-1]]
        elif action == "remove":
            parent.pop(at[-1])
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(NAMES))] = draw(JSON)
        else:
            parent.append(draw(JSON))
    return data


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_get_the_same_answer(data: Any) -> None:
    agree(data)


def test_the_generated_documents_are_both_valid_and_not() -> None:
    # the mutations above reach both answers, so the test above can fail either way
    assert agree(data_of(BASES[1]))
    broken = copy.deepcopy(data_of(BASES[1]))
    broken["application"]["pods"][0]["servicePorts"] = [5432, 5432.0]
    assert not agree(broken)


# -- keyword by keyword -----------------------------------------------------------------------

DRAFTS = {
    "draft-07": ("http://json-schema.org/draft-07/schema#", Draft7Validator),
    "2020-12": ("https://json-schema.org/draft/2020-12/schema", Draft202012Validator),
}

CASES: list[tuple[dict[str, Any], list[Any]]] = [
    ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None]),
    ({"type": "number"}, [1, 2.5, False, "2"]),
    ({"type": ["string", "null"]}, ["a", None, 0, []]),
    ({"type": "object"}, [{}, [], "x"]),
    ({"type": "boolean"}, [True, 0, "true"]),
    ({"enum": [1, "a", None]}, [1, 1.0, True, "a", None, "b", 2]),
    ({"enum": [True]}, [True, 1, 1.0]),
    ({"const": 0}, [0, 0.0, False, "0"]),
    ({"required": ["a"]}, [{"a": 1}, {}, "not an object"]),
    ({"properties": {"a": {"type": "string"}}}, [{"a": "x"}, {"a": 1}, {"b": 1}, 3]),
    (
        {"properties": {"a": {}}, "patternProperties": {"^x-": {"type": "integer"}}},
        [{"x-1": 1}, {"x-1": "a"}, {"y": "a"}],
    ),
    (
        {
            "properties": {"a": {}},
            "patternProperties": {"^x-": {}},
            "additionalProperties": False,
        },
        [{"a": 1}, {"x-y": 1}, {"b": 1}, {}],
    ),
    ({"additionalProperties": {"type": "integer"}}, [{"a": 1}, {"a": "b"}, []]),
    ({"items": {"type": "integer"}, "minItems": 1}, [[1], [], ["a"], [1, 2.0], "x"]),
    ({"maxItems": 1}, [[1], [1, 2]]),
    ({"uniqueItems": True}, [[1, 2], [1, 1.0], [1, True], [True, True], ["a", "a"], [None, 0]]),
    ({"uniqueItems": False}, [[1, 1]]),
    ({"minimum": 1, "maximum": 3}, [0, 1, 3, 3.5, True, "9"]),
    ({"exclusiveMinimum": 1, "exclusiveMaximum": 3}, [1, 2, 3, 2.5]),
    ({"minLength": 2, "maxLength": 3}, ["a", "ab", "abcd", "éé", 5]),
    ({"pattern": "^a+$"}, ["aa", "ab", "", 5]),
    ({"pattern": "b"}, ["abc", "a"]),  # searched, not matched at the start
    ({"allOf": [{"type": "integer"}, {"minimum": 2}]}, [1, 2, "a"]),
    ({"anyOf": [{"type": "integer"}, {"type": "string"}]}, [1, "a", None]),
    ({"oneOf": [{"type": "integer"}, {"minimum": 2}]}, [1, 3, 2.5, "a"]),
    ({"not": {"type": "string"}}, ["a", 1]),
    (
        {"if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}, "else": {}},
        [{"a": 1}, {"a": 1, "b": 2}, {"a": 2}],
    ),
    ({"then": {"type": "integer"}}, ["a"]),  # no `if`: ignored
    ({"format": "ipv4"}, ["not an address"]),  # not asserted without a format checker
    ({"title": "x", "x-unknown": {"type": "integer"}}, ["a"]),
    (
        {
            "definitions": {"node": {"type": "object", "properties": {"n": {"$ref": "#"}}}},
            "$ref": "#/definitions/node",
        },
        [{"n": {"n": {}}}, {"n": {"n": 1}}, 1],
    ),
    ({"$ref": "#/definitions/a~1b", "definitions": {"a/b": {"type": "string"}}}, ["x", 1]),
    (True, [1]),
    (False, [1]),
]


@pytest.mark.parametrize("draft", DRAFTS)
@pytest.mark.parametrize(("schema", "instances"), CASES)
def test_each_keyword_answers_as_jsonschema(
    draft: str, schema: dict[str, Any] | bool, instances: list[Any]
) -> None:
    uri, cls = DRAFTS[draft]
    full = {"$schema": uri, "allOf": [schema], **_defs(schema)}
    check = compile_schema(full)
    assert check is not None
    validator = cls(full)
    for instance in instances:
        assert check(instance) == validator.is_valid(instance), instance


def _defs(schema: Any) -> dict[str, Any]:
    # the $ref cases point into the root: lift their definitions there, and let `#` mean
    # the case itself
    if isinstance(schema, dict) and "definitions" in schema:
        return {"definitions": schema["definitions"], "$ref": schema["$ref"]}
    return {}


def test_a_ref_with_siblings_follows_each_dialect() -> None:
    schema = {"$ref": "#/definitions/s", "definitions": {"s": {"type": "string"}}, "minLength": 3}
    for uri, cls in DRAFTS.values():
        full = {"$schema": uri, **schema}
        check = compile_schema(full)
        assert check is not None
        for instance in ("ab", "abcd", 1):
            assert check(instance) == cls(full).is_valid(instance)
    # draft-07 ignores the sibling minLength, 2020-12 applies it
    assert compile_schema({"$schema": DRAFTS["draft-07"][0], **schema})("ab")  # type: ignore[misc]
    assert not compile_schema({"$schema": DRAFTS["2020-12"][0], **schema})("ab")  # type: ignore[misc]


def test_unsure_answers_are_left_to_jsonschema() -> None:
    check = compile_schema({"additionalProperties": {"type": "integer"}})
    assert check is not None
    assert not check({1: 1})  # a key that is not a string
    unique = compile_schema({"uniqueItems": True})
    assert unique is not None
    assert not unique([{"a": 1}, {"a": 2}])  # unique, but mappings: jsonschema decides
    assert Draft202012Validator({"uniqueItems": True}).is_valid([{"a": 1}, {"a": 2}])


@pytest.mark.parametrize(
    "schema",
    [
        {"dependencies": {"a": ["b"]}},
        {"properties": {"a": {"unevaluatedProperties": False}}},
        {"items": [{"type": "integer"}]},
        {"multipleOf": 2},
        {"$ref": "https://example.com/s.json"},
        {"$ref": "#anchor"},
        {"definitions": {"a": {"$id": "a.json"}}, "$ref": "#/definitions/a"},
        {"$ref": "#/definitions/missing"},
        {"type": "strin"},
        {"pattern": "("},
        {"$schema": "http://json-schema.org/draft-04/schema#"},
    ],
)
def test_a_schema_beyond_the_compiled_keywords_is_left_to_jsonschema(
    schema: dict[str, Any],
) -> None:
    assert compile_schema(schema) is None


# -- what a user sees -------------------------------------------------------------------------


def test_a_valid_file_is_linted_without_loading_jsonschema(tmp_path: Path) -> None:
    valid, invalid = tmp_path / "nexlayer.yaml", tmp_path / "broken.yaml"
    valid.write_text(VALID)
    invalid.write_text(VALID.replace("path: /", "paht: /"))
    probe = (
        "import sys\n"
        "from nexlint.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    print(exc.code, 'jsonschema' in sys.modules)\n"
    )
    for path, expected in ((valid, "0 False"), (invalid, "1 True")):
        run = subprocess.run(
            [sys.executable, "-c", probe, "check", "--no-cache", "-q", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.stdout.splitlines()[-1] == expected, run.stdout + run.stderr


def test_an_invalid_file_still_gets_every_schema_finding() -> None:
    text = VALID.replace("path: /", "paht: /").replace("[80]", "[http]")
    codes = sorted(d.code for d in nexlint.lint(text) if d.code.startswith("NXL1"))
    assert codes == ["NXL102", "NXL103"]
