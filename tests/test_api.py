"""The library face: what other tools import."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

import nexlint

from .helpers import VALID


def test_lint_returns_frozen_diagnostics_with_to_dict() -> None:
    [d] = nexlint.lint(VALID.replace("name: shop", "name: Shop"), filename="app/nexlayer.yaml")
    assert isinstance(d, nexlint.Diagnostic)
    assert d.severity is nexlint.Severity.ERROR
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.line = 3  # type: ignore[misc]
    assert d.to_dict() == {
        "code": "NXL104",
        "name": "schema-format",
        "severity": "error",
        "message": d.message,
        "file": "app/nexlayer.yaml",
        "line": 2,
        "column": 9,
        "end_line": 2,
        "end_column": 13,
        "pointer": "/application/name",
        "help": None,
        "url": "https://github.com/nexlayer/nexlint/blob/main/docs/rules.md#nxl104",
        "fix": None,
    }


def test_lint_file_and_config(tmp_path: Path) -> None:
    target = tmp_path / "nexlayer.yaml"
    target.write_text(VALID.replace("name: shop", "name: Shop"))
    assert [d.code for d in nexlint.lint_file(target)] == ["NXL104"]
    quiet = nexlint.Config(ignore=("NXL104",))
    assert nexlint.lint_file(target, config=quiet) == []
    louder = nexlint.Config(severity={"NXL104": nexlint.Severity.WARNING})
    assert nexlint.lint_file(target, config=louder)[0].severity is nexlint.Severity.WARNING


def test_load_config_reads_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.nexlint]\nselect = ["NXL1"]\nfail-on = "warning"\n'
        'per-file-ignores = {"staging/*" = ["NXL104"]}\n'
    )
    config = nexlint.load_config(tmp_path / "pyproject.toml")
    assert config.select == ("NXL1",)
    assert config.fail_on is nexlint.Severity.WARNING
    assert not config.enabled("NXL104", str(tmp_path / "staging" / "nexlayer.yaml"))
    assert config.enabled("NXL104", str(tmp_path / "nexlayer.yaml"))
    assert not config.enabled("NXL001")


def test_bad_config_value_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "nexlint.toml").write_text('fail-on = "fatal"\n')
    with pytest.raises(nexlint.ConfigError, match='key "fail-on"'):
        nexlint.load_config(tmp_path / "nexlint.toml")


def test_severity_order() -> None:
    assert nexlint.Severity.INFO.rank < nexlint.Severity.WARNING.rank < nexlint.Severity.ERROR.rank
    assert nexlint.Severity.parse("Warning") is nexlint.Severity.WARNING


def test_all_rules_lists_the_engine_codes() -> None:
    codes = [r.code for r in nexlint.all_rules()]
    assert {"NXL001", "NXL002", "NXL003", "NXL004", "NXL101", "NXL105"} <= set(codes)
    assert codes == sorted(codes)


def test_import_is_cheap() -> None:
    probe = (
        "import sys, nexlint; "
        "heavy = [m for m in ('ruamel.yaml', 'jsonschema', 'click', 'nexlint.engine') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_package_ships_py_typed_and_schema() -> None:
    package = Path(nexlint.__file__).parent
    assert (package / "py.typed").is_file()
    from nexlint.schema import bundled_schema_text

    assert '"title": "nexlayer.yaml"' in bundled_schema_text()
