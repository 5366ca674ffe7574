"""Schema findings NXL101-NXL105: where they point and what they say."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.validators import validator_for

import nexlint
from nexlint.schema import bundled_schema_text

from .helpers import VALID, found, only, yaml


def pod(extra: str = "", **replace: str) -> str:
    text = VALID
    for old, new in replace.items():
        text = text.replace(old, new)
    return text + extra


def test_missing_required_key_points_at_the_mappings_first_key() -> None:
    text = VALID.replace("      image: nginx:1.27\n", "")
    diags = only(text, "NXL101")
    assert [(d.line, d.column, d.end_column) for d in diags] == [(4, 7, 11)]
    assert diags[0].message == 'pod "web" is missing the required key "image"'
    assert diags[0].pointer == "/application/pods/0"
    assert diags[0].help and diags[0].help.startswith("image: Container image")


def test_missing_application_name_points_at_first_key_of_application() -> None:
    text = VALID.replace("  name: shop\n", "")
    assert found(text) == [("NXL101", 2, 3, 2, 7)]
    assert only(text, "NXL101")[0].message == 'application is missing the required key "name"'


def test_service_ports_not_required_for_jobs() -> None:
    text = yaml("""
        application:
          name: shop
          version: 2.0
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
            - name: migrate
              image: acme/migrate:1.0
              resourceType: job
            - name: worker
              image: acme/worker:1.0
        """)
    diags = only(text, "NXL101")
    assert [(d.line, d.column) for d in diags] == [(12, 7)]
    assert diags[0].message == 'pod "worker" is missing the required key "servicePorts"'


def test_unknown_key_points_at_the_key_with_a_confident_suggestion() -> None:
    text = VALID.replace("servicePorts", "serviceports")
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column, d.end_column) for d in diags] == [("NXL102", 7, 7, 19)]
    assert diags[0].message == 'unknown key "serviceports" in pod "web"'
    assert diags[0].help == 'did you mean "servicePorts"?'


def test_env_suggests_vars_and_ports_suggest_service_ports() -> None:
    text = VALID.replace("servicePorts: [80]", "ports: [80]\n      env:\n        A: b")
    helps = [(d.line, d.help) for d in only(text, "NXL102")]
    assert helps == [(7, 'did you mean "servicePorts"?'), (8, 'did you mean "vars"?')]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    text = VALID.replace("      path: /\n", "      path: /\n      healthcheck: /health\n")
    diags = only(text, "NXL102")
    assert [(d.line, d.column, d.end_column) for d in diags] == [(7, 7, 18)]
    assert diags[0].help is not None
    assert diags[0].help.startswith("allowed keys: name, image, path, servicePorts, vars")


def test_vars_list_item_in_mapping_form_is_one_finding() -> None:
    text = VALID + "      vars:\n        - API_URL: http://api.pod:80\n"
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column) for d in diags] == [("NXL102", 9, 11)]
    assert "has none of the keys it takes (key, value)" in diags[0].message


def test_wrong_type_points_at_the_value_and_names_the_types() -> None:
    text = VALID.replace("servicePorts: [80]", 'servicePorts: "80"')
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column, d.end_column) for d in diags] == [("NXL103", 7, 21, 25)]
    assert diags[0].message == '"servicePorts" must be a list, not a string ("80")'


def test_wrong_item_type() -> None:
    text = VALID.replace("servicePorts: [80]", "servicePorts: [80, web]")
    diags = only(text, "NXL103")
    assert [(d.line, d.column, d.end_column) for d in diags] == [(7, 26, 29)]
    assert diags[0].message == 'servicePorts[1] must be an integer, not a string ("web")'


def test_empty_value_falls_back_to_its_key() -> None:
    text = VALID.replace("servicePorts: [80]", "servicePorts:")
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column, d.end_column) for d in diags] == [("NXL103", 7, 7, 19)]
    assert diags[0].message == '"servicePorts" must be a list, not empty'


def test_vars_accepts_a_mapping_or_a_list_of_key_value() -> None:
    as_mapping = VALID + "      vars:\n        A: b\n        PORT: 3000\n        DEBUG: true\n"
    as_list = VALID + "      vars:\n        - key: A\n          value: b\n"
    # Numbers and booleans are valid vars for the schema; NXL005 only warns that they are
    # not strings.
    assert [d.code for d in nexlint.lint(as_mapping)] == ["NXL005", "NXL005"]
    assert nexlint.lint(as_list) == []


def test_vars_of_another_type_names_both_forms() -> None:
    text = VALID + "      vars: API_URL=http://api\n"
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column) for d in diags] == [("NXL103", 8, 13)]
    assert diags[0].message.startswith('"vars" must be a mapping or a list, not a string')


def test_command_as_string_or_list_of_strings() -> None:
    assert nexlint.lint(VALID + "      command: npm start\n") == []
    assert nexlint.lint(VALID + '      command: ["npm", "start"]\n') == []
    diags = nexlint.lint(VALID + "      command: {run: x}\n")
    assert [d.message for d in diags] == [
        '"command" must be a string or a list of strings, not a mapping'
    ]


def test_application_name_pattern_points_at_the_value() -> None:
    text = VALID.replace("name: shop", 'name: "My Shop"')
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column, d.end_column) for d in diags] == [("NXL104", 2, 9, 18)]
    assert diags[0].message.startswith('name of application is "My Shop"; expected 3 to 64')


def test_volume_size_units() -> None:
    base = (
        VALID
        + "      volumes:\n        - name: data\n          size: {}\n          mountPath: /d\n"
    )
    assert nexlint.lint(base.format("1Gi")) == []
    assert nexlint.lint(base.format("512Mi")) == []
    for bad in ("1Ti", "10GB", "1.5Gi"):
        diags = nexlint.lint(base.format(bad))
        assert [(d.code, d.line, d.column) for d in diags] == [("NXL104", 10, 17)], bad
        assert 'size of volume "data" of pod "web"' in diags[0].message


def test_port_out_of_range_points_at_the_port() -> None:
    text = VALID.replace("servicePorts: [80]", "servicePorts: [0, 70000]")
    diags = nexlint.lint(text)
    assert [(d.code, d.column, d.end_column) for d in diags] == [
        ("NXL105", 22, 23),
        ("NXL105", 25, 30),
    ]
    assert diags[1].message == "servicePorts[1] is 70000; it must be from 1 to 65535"


def test_empty_service_ports_points_at_the_key() -> None:
    text = VALID.replace("servicePorts: [80]", "servicePorts: []")
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column, d.end_column) for d in diags] == [("NXL105", 7, 7, 19)]
    assert diags[0].message == '"servicePorts" is empty: it must list at least 1 item'


def test_enum_value_with_suggestion() -> None:
    text = VALID.replace("path: /", "path: /\n      resourceType: Job")
    diags = only(text, "NXL105")
    assert [(d.code, d.line, d.column, d.end_column) for d in diags] == [("NXL105", 7, 21, 24)]
    assert diags[0].help == 'did you mean "job"?'


def test_one_mistake_gives_one_diagnostic() -> None:
    text = VALID.replace("servicePorts", "ports")
    assert [d.code for d in nexlint.lint(text)] == ["NXL102"]
    text = VALID.replace("  pods:\n", "  pods: web\n").split("    - name")[0]
    assert [d.code for d in nexlint.lint(text)] == ["NXL103"]


def test_use_gpu_and_v2_fields_are_known() -> None:
    text = VALID.replace("  name: shop", "  name: shop\n  version: 2.0\n  url: shop.example.com")
    text = text.replace(
        "path: /",
        "path: /\n      useGPU: true\n      replicas: 2\n      subdomain: api\n"
        "      resources: {requests: {cpu: 500m, memory: 512Mi}, limits: {cpu: '2'}}",
    )
    assert nexlint.lint(text) == []


def test_messages_never_show_python_reprs() -> None:
    text = yaml("""
        application:
          name: X
          pods:
            - name: web
              image: [a]
              servicePorts: {a: 1}
              volumes: [{name: d}]
              bogus: 1
        """)
    for d in nexlint.lint(text):
        assert "'" not in d.message.replace("'.'", "").replace("'-'", ""), d.message
        assert "dict" not in d.message and "array" not in d.message, d.message


# -- the schema editors read (`nexlint schema`, SchemaStore) -----------------------------------


def schema_properties() -> list[tuple[str, dict[str, Any]]]:
    """Every property of the bundled schema, with a dotted path naming it."""
    schema = json.loads(bundled_schema_text())
    found: list[tuple[str, dict[str, Any]]] = []

    def visit(node: Any, path: str) -> None:
        if not isinstance(node, dict):
            return
        for name, prop in node.get("properties", {}).items():
            found.append((f"{path}.{name}", prop))
            visit(prop, f"{path}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                visit(node[key], f"{path}[]")
        for key in ("anyOf", "allOf"):
            for branch in node.get(key, []):
                visit(branch, path)

    visit(schema, "")
    for name, definition in schema["definitions"].items():
        visit(definition, name)
    return found


def test_the_schema_is_draft_07_with_an_id() -> None:
    schema = json.loads(bundled_schema_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == "https://json.schemastore.org/nexlayer.json"
    Draft7Validator.check_schema(schema)  # against the draft-07 metaschema
    assert validator_for(schema) is Draft7Validator
    # draft-07 ignores what stands beside a $ref: nothing does
    text = bundled_schema_text()
    for name, prop in schema_properties():
        assert "$ref" not in prop or len(prop) == 1, name
    assert "$defs" not in text


def test_every_property_is_documented_with_examples_that_validate() -> None:
    schema = json.loads(bundled_schema_text())
    properties = schema_properties()
    assert len(properties) > 35
    for name, prop in properties:
        for key in ("title", "description", "markdownDescription"):
            assert isinstance(prop.get(key), str) and prop[key], f"{name} has no {key}"
        assert prop.get("examples"), f"{name} has no examples"
        check = Draft7Validator({**prop, "definitions": schema["definitions"]})
        for example in prop["examples"]:
            assert not list(check.iter_errors(example)), f"{name}: {example!r}"


def test_enum_values_are_described_and_a_pod_has_snippets() -> None:
    schema = json.loads(bundled_schema_text())
    kind = schema["definitions"]["pod"]["properties"]["resourceType"]
    assert len(kind["enumDescriptions"]) == len(kind["markdownEnumDescriptions"]) == 4
    snippets = schema["definitions"]["pod"]["defaultSnippets"]
    assert [s["label"] for s in snippets] == ["pod", "postgres pod"]


def test_a_snippet_filled_in_is_a_clean_pod() -> None:
    """The snippets, with their placeholders' defaults, lint clean in a file."""
    import re as regex

    schema = json.loads(bundled_schema_text())
    for snippet in schema["definitions"]["pod"]["defaultSnippets"]:
        body = json.dumps(snippet["body"])
        body = regex.sub(r'"\^(?:\$\{\d+:)?([^"}]*)\}?"', r"\1", body)  # "^${4:3000}" -> 3000
        body = regex.sub(r"\$\{\d+:([^}]*)\}", r"\1", body)
        pod = json.loads(body)
        pods = (
            [pod]
            if "path" in pod
            else [
                {
                    "name": "web",
                    "image": "ghcr.io/acme/web:1.0.0",
                    "path": "/",
                    "servicePorts": [80],
                },
                pod,
            ]
        )
        text = json.dumps({"application": {"name": "shop", "pods": pods}})
        assert [d.code for d in nexlint.lint(text)] == [], snippet["label"]
