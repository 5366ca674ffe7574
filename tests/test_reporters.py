"""Each reporter on its own: a result made by hand in, the exact text out."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nexlint.diagnostics import Diagnostic, Edit, Fix, Severity
from nexlint.display import escape
from nexlint.reporters import FORMATS, ReportOptions, get_renderer
from nexlint.result import LintResult

from .on_github import GITHUB_LINKS, LINE_BREAK, github_html, run_commands

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


# -- what reaches GitHub: commands the runner reads back, Markdown that renders as text ---------

# Pieces an attacker would put in a file name or a value, mixed by hypothesis.
HOSTILE = st.lists(
    st.sampled_from(
        [
            "::",
            "::error file=x::pwned",
            "::add-mask::x",
            "::set-env name=A::b",
            "::endgroup::",
            "::stop-commands::t",
            "##[error]",
            "%",
            "%0A",
            "%25",
            "%3A",
            ",",
            ":",
            "=",
            ";",
            "]",
            "\n",
            "\r",
            "\r\n",
            "\u2028",
            "\x85",
            "\t",
            " ",
            "x",
            "é",
            "`",
            "``",
            "\\",
            "|",
            "[login](https://evil.example)",
            "[x][y]",
            "![i](https://evil.example/i.png)",
            "<https://evil.example>",
            "https://evil.example",
            "www.evil.example",
            "a@b.example",
            "mailto:a@b.example",
            "@admin",
            "@org/team",
            "#123",
            "GH-12",
            ":smile:",
            "$x^2$",
            "*em*",
            "_em_",
            "~~s~~",
            "<img src=x>",
            "<b>",
            "&amp;",
            "&#64;",
            "[^1]",
            "(",
            ")",
        ]
    )
).map("".join) | st.text(max_size=20)


def hostile(d: Diagnostic, file: str, message: str, help: str | None = None) -> Diagnostic:
    return dataclasses.replace(d, file=file, message=message, help=help)


@settings(max_examples=300, deadline=None)
@given(file=HOSTILE.filter(bool), message=HOSTILE, help=HOSTILE)
@example(file="::error file=x::pwned/nexlayer.yaml", message="::add-mask::x", help="%0A,:")
def test_github_annotation_is_one_command_read_back_as_shown(
    file: str, message: str, help: str
) -> None:
    """Whatever a file name or a message holds, an annotation is one line, one command,
    and the runner reads back the text nexlint shows (escaped for a terminal)."""
    d = hostile(RESULT.diagnostics[0], file, message, help)
    out = get_renderer("github")([LintResult(file, "", [d])], ReportOptions())
    assert out.endswith("\n") and LINE_BREAK.split(out[:-1]) == [out[:-1]]
    [command] = run_commands(out)
    assert command.name == "error"
    assert command.properties == {
        "file": escape(file),
        "line": "2",
        "endline": "2",
        "col": "9",
        "endcolumn": "13",
        "title": "NXL104 nxl104",
    }
    assert command.data == escape(message) + (f"\n{escape(help)}" if help else "")


@settings(max_examples=300, deadline=None)
@given(file=HOSTILE, message=HOSTILE, help=HOSTILE)
@example(file="`x`|y", message="[login](https://evil.example)", help="www.evil.example @admin")
def test_markdown_shows_file_text_as_written(file: str, message: str, help: str) -> None:
    """File names and messages render as their text: no link, image, HTML, emphasis,
    mention or issue reference, and the table keeps its four columns."""
    d = hostile(RESULT.diagnostics[0], file, message, help)
    cells = github_html(get_renderer("markdown")([LintResult(file, "", [d])], ReportOptions()))
    assert [len(row) for row in cells.rows] == [4, 4]
    _, rule, location, said = cells.rows[1]
    assert cells.tags == ["a href=https://example.com/NXL104", "code"]
    assert rule == (["a"], "NXL104 nxl104") and location[0] == ["code"]
    assert location[1] == f"{escape(file)}:2:9"
    shown = said[1].replace("\u200b", "")
    said_as = escape(message) + (f" — {escape(help)}" if help else "")
    assert shown == said_as.strip(" \t").replace("\u200b", "")
    assert not GITHUB_LINKS.search(said[1])


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("javascript:alert(1)", None),
        ("", None),
        ("http://[::1", "http://%5B::1"),  # not a valid URL: linked, and no crash
        ("HTTPS://x.example/a b)|c", "HTTPS://x.example/a%20b%29%7Cc"),
    ],
)
def test_markdown_links_a_rule_only_to_a_web_address(url: str, link: str | None) -> None:
    """A plugin names its own documentation: it is linked only if it is a web address,
    and cannot end the link or the cell."""
    d = dataclasses.replace(RESULT.diagnostics[0], url=url)
    cells = github_html(get_renderer("markdown")([LintResult("x", "", [d])], ReportOptions()))
    assert [len(row) for row in cells.rows] == [4, 4]
    assert cells.tags == ([f"a href={link}"] if link else []) + ["code"]
    assert cells.rows[1][1][1] == "NXL104 nxl104"
