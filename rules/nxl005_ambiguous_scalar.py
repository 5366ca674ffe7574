"""NXL005 ambiguous-scalar."""

from __future__ import annotations

import json
import re

import nexlint
from nexlint import DocumentView, Edit, Fix, Report

# Booleans in YAML 1.1 that YAML 1.2 reads as strings.
YAML11_BOOLS = frozenset(
    form
    for word in ("y", "yes", "n", "no", "on", "off")
    for form in (word, word.title(), word.upper())
)
SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
KIND = {"int": "an integer", "float": "a number", "bool": "a boolean"}


@nexlint.rule(
    code="NXL005",
    name="ambiguous-scalar",
    severity="warning",
    summary="an unquoted value that YAML readers disagree on or that changes type",
    fixable=True,
)
def ambiguous_scalar(doc: DocumentView, report: Report) -> None:
    """
    Why: YAML 1.1 readers (PyYAML, Go's yaml.v2, many deploy tools) and YAML 1.2 readers
    disagree on some unquoted values: `yes`, `no`, `on`, `off` are booleans to one and
    strings to the other; `0755` is 493 or 755; `12:30` is 750 or a string; `2024-01-02`
    is a date or a string. And an environment value is a string: `PORT: 3000` or
    `DEBUG: true` unquoted silently become a number or a boolean, and `1.10` becomes `1.1`.
    Quote such values so every reader sees the same string. Fix: quote it.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                DEBUG: yes

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                DEBUG: "yes"
    """

    app = doc.app
    if app is None:
        return
    version = app.get("version")  # `version: 2.0` is a number, as it should be
    var_names = {
        var.value.pointer: var.name
        for pod in doc.pods()
        for var in pod.vars()
        if var.value is not None
    }
    for value in app.walk():
        if not value.is_plain:
            continue
        written, tag = value.text, value.tag
        ambiguity = _ambiguity(written, tag)
        if ambiguity is None and tag not in KIND:
            continue  # most values: a plain string every reader reads alike
        if version is not None and value.pointer == version.pointer:
            continue
        var_name = var_names.get(value.pointer)
        typed_var = var_name is not None and tag in KIND
        if ambiguity is None and not typed_var:
            continue
        shown = value.written  # **** when secret
        problem = SAID[ambiguity].format(shown) if ambiguity is not None else None
        if problem is None and typed_var:
            problem = (
                f"{var_name} is {shown}, {KIND[value.tag]}, but environment values are strings"
            )
        if problem is None:
            continue
        quoted = json.dumps(written, ensure_ascii=False)
        advice = (
            "quote it" if value.is_secret else f"quote it: {json.dumps(shown, ensure_ascii=False)}"
        )
        fix = Fix(advice, (Edit.replace(value.location, quoted),))
        report(value, f"{problem}; {advice}", fix=fix)


def _ambiguity(written: str, tag: str) -> str | None:
    """Which reading YAML 1.1 and 1.2 readers disagree on, if any (the key of SAID)."""
    if written in YAML11_BOOLS:
        return "true" if written.lower() in ("y", "yes", "on") else "false"
    if tag == "int" and LEADING_ZERO.match(written):
        return "octal"
    if tag == "str" and ":" in written and SEXAGESIMAL.match(written):
        return "base-60"
    if tag == "timestamp":
        return "date"
    return None


SAID = {
    "true": '"{}" is true to YAML 1.1 readers but a string to YAML 1.2 readers',
    "false": '"{}" is false to YAML 1.1 readers but a string to YAML 1.2 readers',
    "octal": "{} has a leading zero: YAML 1.1 readers may read it as octal",
    "base-60": "{} is a base-60 number to YAML 1.1 readers but a string to YAML 1.2",
    "date": "{} is a date to YAML 1.1 readers but a string to YAML 1.2 readers",
}
