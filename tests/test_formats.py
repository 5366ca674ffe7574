"""Every output format on real fixtures: what CI systems and editors read."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from nexlint.cli import cli
from nexlint.reporters.github import escape_data, escape_property

from .helpers import sarif_schema

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The fixture's one URL password (NXL502) is not what these tests are about: the same
    # number of characters, as a user name.
    text = (FIXTURES / "pod_references.yaml").read_text(encoding="utf-8")
    (tmp_path / "nexlayer.yaml").write_text(text.replace("u:p@dbx", "u__@dbx"), encoding="utf-8")
    shutil.copy(FIXTURES / "images.yaml", tmp_path / "nexlayer-images.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    return result.exit_code, result.stdout


def test_github_annotations_point_at_line_and_column(workspace: Path) -> None:
    code, out = check("--format", "github", "nexlayer.yaml")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "::error file=nexlayer.yaml,line=12,endLine=12,col=33,endColumn=40,"
        'title=NXL204 unknown-pod-reference::pod reference "dbx.pod" names no pod; pods are '
        "web, api, cache%0Areachable pods: web.pod, api.pod, cache.pod"
    )
    assert lines[1].startswith("::warning file=nexlayer.yaml,line=13,endLine=13,col=29,")
    assert "%0Ause api.pod:8000 or add 9000 to its servicePorts" in lines[2]


def test_github_escaping() -> None:
    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_sarif_validates_against_its_schema(workspace: Path) -> None:
    schema = sarif_schema()
    code, out = check("--format", "sarif", ".")
    assert code == 1
    jsonschema.validate(json.loads(out), schema)


def test_sarif_has_rules_and_regions(workspace: Path) -> None:
    code, out = check("--format", "sarif", ".")
    assert code == 1
    run = json.loads(out)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["NXL204"]["name"] == "unknown-pod-reference"
    assert rules["NXL204"]["helpUri"].endswith("#nxl204")
    assert rules["NXL205"]["defaultConfiguration"]["level"] == "warning"
    assert rules["NXL306"]["defaultConfiguration"]["level"] == "note"
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {"nexlayer.yaml", "nexlayer-images.yaml"}
    by_file = [
        r
        for r in run["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "nexlayer.yaml"
    ]
    first = by_file[0]
    assert first["ruleId"] == "NXL204"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "NXL204"
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 12,
        "startColumn": 33,
        "endLine": 12,
        "endColumn": 40,
    }


def test_junit_has_a_testsuite_per_file(workspace: Path) -> None:
    (workspace / "nexlayer.clean.yaml").write_text(
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n"
        "      path: /\n      servicePorts: [80]\n"
    )
    code, out = check("--format", "junit", ".")
    assert code == 1
    root = ET.fromstring(out)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"nexlayer.yaml", "nexlayer.clean.yaml", "nexlayer-images.yaml"}
    clean = suites["nexlayer.clean.yaml"]
    assert (clean.get("tests"), clean.get("failures")) == ("1", "0")
    failing = suites["nexlayer.yaml"]
    first = failing.find("testcase")
    assert first is not None
    assert first.get("name") == "NXL204 at 12:33"
    failure = first.find("failure")
    assert failure is not None and failure.get("type") == "NXL204"


def test_gitlab_code_quality_with_stable_fingerprints(workspace: Path) -> None:
    code, out = check("--format", "gitlab", "nexlayer.yaml")
    assert code == 1
    issues = json.loads(out)
    first = issues[0]
    assert first["check_name"] == "NXL204"
    assert first["severity"] == "major"
    assert first["location"] == {
        "path": "nexlayer.yaml",
        "positions": {"begin": {"line": 12, "column": 33}, "end": {"line": 12, "column": 40}},
    }
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    # a blank line added above moves every finding but keeps every fingerprint
    text = (workspace / "nexlayer.yaml").read_text()
    (workspace / "nexlayer.yaml").write_text("\n" + text)
    moved = json.loads(check("--format", "gitlab", "nexlayer.yaml")[1])
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    assert moved[0]["location"]["positions"]["begin"]["line"] == 13


def test_markdown_summary(workspace: Path) -> None:
    code, out = check("--format", "markdown", "nexlayer.yaml")
    assert code == 1
    assert out.startswith("### nexlint\n\nFound 5 errors and 3 warnings in 1 file")
    assert "| ❌ error | [NXL204](" in out
    assert "`nexlayer.yaml:12:33`" in out


def test_report_writes_more_formats_from_one_run(workspace: Path) -> None:
    code, out = check(
        "--format",
        "concise",
        "--report",
        "sarif=out.sarif",
        "--report",
        "junit=out.xml",
        "nexlayer.yaml",
    )
    assert code == 1
    assert out.splitlines()[0].startswith("nexlayer.yaml:12:33: error:")
    assert json.loads((workspace / "out.sarif").read_text())["version"] == "2.1.0"
    assert ET.parse(workspace / "out.xml").getroot().tag == "testsuites"
    assert CliRunner().invoke(cli, ["check", "--report", "pdf=x", "nexlayer.yaml"]).exit_code == 2


@pytest.mark.parametrize("fmt", ["github", "sarif", "junit", "gitlab", "markdown", "json"])
def test_no_format_leaks_a_secret(fmt: str, workspace: Path) -> None:
    (workspace / "nexlayer.yaml").write_text(
        "application:\n  name: shop\n  registryLogin:\n    registry: ghcr.io\n    username: a\n"
        "    personalAccessToken: ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n  pods:\n"
        "    - name: web\n      image: <% REGISTRY %>/a/web:1.0\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n        DB_PASSWORD: hunter2hunter2\n"
    )
    code, out = check("--format", fmt, "nexlayer.yaml")
    assert code == 0  # a warning and an info
    assert "NXL501" in out and "NXL502" in out
    assert "ghp_a1B2" not in out and "hunter2" not in out


def test_statistics(workspace: Path) -> None:
    code, out = check("--statistics", "nexlayer.yaml")
    assert code == 1
    assert out.splitlines()[0] == "5  NXL204  unknown-pod-reference"
