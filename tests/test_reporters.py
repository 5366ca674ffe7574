"""Each reporter on its own: a result made by hand in, the exact text out."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from nexlint.diagnostics import Diagnostic, Edit, Fix, Severity
from nexlint.reporters import FORMATS, ReportOptions, get_renderer
from nexlint.result import LintResult

TEXT = (
    "application:\n  name: Shop\n  pods:\n    - image: nginx\n      vars: {DB_PASSWORD: hunter2}\n"
)


def diagnostic(
    code: str, severity: Severity, line: int, column: int, end: int, **more: object
) -> Diagnostic:
    return Diagnostic(
        code=code,
        name=code.lower(),
        severity=severity,
        message=f"{code} says so",
        file="deploy/nexlayer.yaml",
        line=line,
        column=column,
        end_line=line,
        end_column=end,
        pointer="/application/name",
        url=f"https://example.com/{code}",
        **more,  # type: ignore[arg-type]
    )


RESULT = LintResult(
    "deploy/nexlayer.yaml",
    TEXT,
    [
        diagnostic("NXL104", Severity.ERROR, 2, 9, 13, help="lowercase it"),
        diagnostic(
            "NXL005",
            Severity.WARNING,
            5,
            27,
            34,
            fix=Fix("quote it", (Edit(70, 81, '"x"'),)),
        ),
    ],
    masks=((TEXT.index("hunter2"), TEXT.index("hunter2") + 7),),
)
CLEAN = LintResult("nexlayer.yaml", "", [])


def render(name: str, **options: object) -> str:
    return get_renderer(name)([RESULT, CLEAN], ReportOptions(**options))  # type: ignore[arg-type]


def test_text_frames_underlines_masks_and_sums_up() -> None:
    out = render("text")
    assert out.splitlines() == [
        "deploy/nexlayer.yaml:2:9: error[NXL104] NXL104 says so",
        "  |",
        "2 |   name: Shop",
        "  |         ^^^^",
        "  = help: lowercase it",
        "",
        "deploy/nexlayer.yaml:5:27: warning[NXL005] [*] NXL005 says so",
        "  |",
        "5 |       vars: {DB_PASSWORD: ****}",
        "  |                           ^^^^",  # the secret's mask, underlined as shown
        "",
        "Found 1 error and 1 warning in 1 file (2 files checked).",
        "[*] 1 fixable with `nexlint check --fix`.",
    ]


def test_concise() -> None:
    assert render("concise") == (
        "deploy/nexlayer.yaml:2:9: error: NXL104 says so [NXL104]\n"
        "deploy/nexlayer.yaml:5:27: warning: NXL005 says so [NXL005]\n"
    )


def test_json_has_every_field() -> None:
    [first, second] = json.loads(render("json"))
    assert first == {
        "code": "NXL104",
        "name": "nxl104",
        "severity": "error",
        "message": "NXL104 says so",
        "file": "deploy/nexlayer.yaml",
        "line": 2,
        "column": 9,
        "end_line": 2,
        "end_column": 13,
        "pointer": "/application/name",
        "help": "lowercase it",
        "url": "https://example.com/NXL104",
        "fix": None,
    }
    assert second["fix"] == {
        "message": "quote it",
        "safe": True,
        "edits": [{"start": 70, "end": 81, "text": '"x"', "masked": False}],
    }


def test_github_annotations() -> None:
    assert render("github").splitlines() == [
        "::error file=deploy/nexlayer.yaml,line=2,endLine=2,col=9,endColumn=13,"
        "title=NXL104 nxl104::NXL104 says so%0Alowercase it",
        "::warning file=deploy/nexlayer.yaml,line=5,endLine=5,col=27,endColumn=34,"
        "title=NXL005 nxl005::NXL005 says so",
    ]


def test_sarif_results_and_rules() -> None:
    run = json.loads(render("sarif"))["runs"][0]
    [first, second] = run["results"]
    assert (first["ruleId"], first["level"], second["level"]) == ("NXL104", "error", "warning")
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 9,
        "endLine": 2,
        "endColumn": 13,
    }
    assert first["message"]["text"] == "NXL104 says so (lowercase it)"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "NXL104"


def test_junit_one_suite_a_file() -> None:
    root = ET.fromstring(render("junit"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"deploy/nexlayer.yaml", "nexlayer.yaml"}
    failing = suites["deploy/nexlayer.yaml"]
    assert (failing.get("tests"), failing.get("failures")) == ("2", "2")
    assert [c.get("name") for c in failing.iter("testcase")] == ["NXL104 at 2:9", "NXL005 at 5:27"]
    assert (suites["nexlayer.yaml"].get("tests"), suites["nexlayer.yaml"].get("failures")) == (
        "1",
        "0",
    )


def test_gitlab_issues_with_fingerprints() -> None:
    issues = json.loads(render("gitlab"))
    assert [i["severity"] for i in issues] == ["major", "minor"]
    assert issues[0]["location"] == {
        "path": "deploy/nexlayer.yaml",
        "positions": {"begin": {"line": 2, "column": 9}, "end": {"line": 2, "column": 13}},
    }
    assert len({i["fingerprint"] for i in issues}) == 2


def test_markdown_table() -> None:
    lines = render("markdown").splitlines()
    assert lines[:2] == ["### nexlint", ""]
    assert lines[2] == "Found 1 error and 1 warning in 1 file (2 files checked)."
    assert lines[6] == (
        "| ❌ error | [NXL104](https://example.com/NXL104) nxl104 | `deploy/nexlayer.yaml:2:9` "
        "| NXL104 says so — lowercase it |"
    )


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_statistics_and_quiet_are_honoured_where_they_apply(name: str) -> None:
    quiet = render(name, quiet=True)
    if name == "text":
        assert "Found" not in quiet
    assert "hunter2" not in render(name) and "hunter2" not in quiet
